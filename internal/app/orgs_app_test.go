package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

func TestAppDryRunAsksOnlyToRead(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	r := f.run(t, app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v", "dry-run": "true"}))
	wantCode(t, r, ExitOK)
	if r.writes != 0 {
		t.Errorf("a dry run sent %d writes", r.writes)
	}
	appUse(t, f, []string{"alpha", "beta"}, map[string]string{"organization_codespaces_secrets": "read"})
}

func TestAppStarLeavesOutInstallationsOnUsers(t *testing.T) {
	t.Parallel()
	theApp := testApp([]string{"alpha"})
	theApp.Users = []string{"octocat"}
	f := newOrgsWith(t, []string{"alpha"}, theApp)
	r := f.run(t, app(map[string]string{"org": "*", "name": "A", "value": "v"}))
	wantCode(t, r, ExitOK)
	appUse(t, f, []string{"alpha"}, map[string]string{"organization_codespaces_secrets": "write"})
	if got := entries(t, r); len(got) != 1 || got[0].Org != "alpha" {
		t.Errorf("result = %+v, want alpha's change only", got)
	}
	if strings.Contains(r.stdout, "octocat") {
		t.Errorf("the run worked on the user octocat:\n%s", r.stdout)
	}
}

func TestTheLogIsInOrganizationOrderWhenOrganizationsGoSideBySide(t *testing.T) {
	t.Parallel()
	logins := []string{"alpha", "beta", "gamma"}
	f := newOrgs(t, logins, logins)
	r := f.run(t, app(map[string]string{"org": "gamma,alpha,beta", "name": "A", "value": "v"}))
	wantCode(t, r, ExitOK)
	last := -1
	for _, org := range logins {
		at := strings.Index(r.stdout, "plan: create A in "+org)
		if at < 0 || at < last {
			t.Fatalf("the plan of %s is missing or out of organization order:\n%s", org, r.stdout)
		}
		last = at
	}
}

// inFlight is a transport that counts the requests under way at once.
type inFlight struct {
	mu       sync.Mutex
	now, max int
	next     http.RoundTripper
}

func (c *inFlight) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.now++
	c.max = max(c.max, c.now)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	return c.next.RoundTrip(req)
}

func (c *inFlight) most() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

func TestOneTokenWorksOnOrganizationsOneAfterAnotherAndAnAppSideBySide(t *testing.T) {
	t.Parallel()
	logins := []string{"alpha", "beta", "gamma"}
	for _, auth := range []string{"token", "app"} {
		t.Run(auth, func(t *testing.T) {
			t.Parallel()
			var theApp *fakegithub.App
			in := map[string]string{"org": "alpha,beta,gamma", "name": "A", "value": "v"}
			if auth == "app" {
				theApp, in = testApp(logins), app(in)
			}
			// A little latency, so that organizations worked on side by
			// side cannot help overlapping.
			f := newOrgsWith(t, logins, theApp, fakegithub.WithLatency(20*time.Millisecond))
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			counter := &inFlight{next: tr}
			r := f.run(t, in, WithHTTPClient(&http.Client{Transport: counter}))
			wantCode(t, r, ExitOK)
			switch most := counter.most(); {
			case auth == "token" && most != 1:
				t.Errorf("with one token, %d requests were under way at once; the organizations share its rate limits, so one at a time", most)
			case auth == "app" && most < 2:
				t.Errorf("with an App, the organizations did not go side by side (at most %d request at a time)", most)
			}
		})
	}
}

func TestAppSyncOfAManifestWithoutRepositoryNamesAsksNoMetadata(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	path := filepath.Join(t.TempDir(), "codespaces-secrets.yml")
	manifest := "organizations:\n  alpha:\n    secrets:\n      A:\n        visibility: all\n  beta:\n    secrets:\n      A:\n        visibility: private\n"
	if err := os.WriteFile(path, []byte(manifest), 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.run(t, app(map[string]string{"operation": "sync", "org": "alpha,beta", "manifest": path, "secrets": "A=v"}))
	wantCode(t, r, ExitOK)
	appUse(t, f, []string{"alpha", "beta"}, map[string]string{"organization_codespaces_secrets": "write"}) // no metadata
	wantSecret(t, f.Server("alpha"), "A", "v", "all")
	wantSecret(t, f.Server("beta"), "A", "v", "private")
}

func TestAppRevokesTheTokenOfAnOrganizationThatFailed(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	f.Server("beta").Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/beta/codespaces/secrets", Status: 403, Body: `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`})
	r := f.run(t, app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v"}))
	wantCode(t, r, ExitFailed)
	wantSecret(t, f.Server("alpha"), "A", "v", "private")
	appUse(t, f, []string{"alpha", "beta"}, map[string]string{"organization_codespaces_secrets": "write"}) // both revoked
}

func TestAFailureInAnEarlierOrganizationOutranksAFindingInALaterOne(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("alpha").Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/alpha/codespaces/secrets/A", Status: 403, Body: `{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}`})
	r := f.run(t, map[string]string{"org": "alpha,beta", "operation": "get", "name": "A"}) // beta has no A: a finding
	wantCode(t, r, ExitFailed)
}
