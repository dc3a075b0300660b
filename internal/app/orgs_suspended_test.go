package app

import (
	"net/http"
	"strings"
	"testing"
)

// wantSuspendedStop checks that a run stopped on beta's suspended
// installation before any write anywhere, with a message that says so,
// and asked for no token for beta.
func wantSuspendedStop(t *testing.T, f *orgsFake, r actionRun) {
	t.Helper()
	wantCode(t, r, ExitUsage)
	if r.writes != 0 {
		t.Errorf("%d writes were sent; a suspended installation stops the run before any write", r.writes)
	}
	all := r.stdout + r.stderr
	for _, says := range []string{"the App 12345 is suspended in organization beta", "unsuspended", "an owner of beta", "nothing was changed in any organization"} {
		if !strings.Contains(all, says) {
			t.Errorf("the log does not say %q:\n%s", says, all)
		}
	}
	if strings.Contains(all, "permission") {
		t.Errorf("the log blames permissions for a suspended installation:\n%s", all)
	}
	for _, tok := range f.Tokens() {
		if tok.Org == "beta" {
			t.Error("a token was minted for the suspended installation")
		}
		if !tok.Revoked {
			t.Errorf("the token of %s was not revoked", tok.Org)
		}
	}
}

func TestASuspendedInstallationStopsTheRunBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	for _, org := range []string{"alpha,beta", "*"} {
		t.Run(org, func(t *testing.T) {
			t.Parallel()
			f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
			f.Suspend("beta")
			r := f.run(t, app(map[string]string{"org": org, "name": "A", "value": "v"}))
			wantSuspendedStop(t, f, r)
			if !strings.Contains(r.stdout+r.stderr, "since 2026-01-02T03:00:00Z") {
				t.Errorf("the log does not say since when:\n%s", r.stdout+r.stderr)
			}
			for _, req := range f.Requests() {
				if req.Method == "POST" && strings.Contains(req.Path, "/7000002/") {
					t.Errorf("a token was asked for the suspended installation: %s %s", req.Method, req.Path)
				}
			}
		})
	}
}

// unsuspendedLooking is a transport that shows an installation as not
// suspended (suspended_at null), as when it is suspended between the
// look-up and the token request.
type unsuspendedLooking struct{ path string }

func (u unsuspendedLooking) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.URL.Path != u.path {
		return resp, err
	}
	return rewriteBody(resp, func(b string) string {
		return strings.Replace(b, `"suspended_at":"2026-01-02T03:00:00Z"`, `"suspended_at":null`, 1)
	}), nil
}

func TestATokenRefusedAsSuspendedIsReportedAsSuspended(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	f.Suspend("beta")
	tr := unsuspendedLooking{path: "/api/v3/orgs/beta/installation"}
	r := f.run(t, app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v"}), WithHTTPClient(&http.Client{Transport: tr}))
	wantSuspendedStop(t, f, r)
}
