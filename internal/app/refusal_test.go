package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// An answer without X-Accepted-GitHub-Permissions or X-OAuth-Scopes keeps
// the generic text, and still stops the run's writes.
func TestARefusalWithoutHeadersKeepsTheGenericText(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: http.StatusForbidden,
		Body: `{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}`})
	r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2\nC=3"})
	wantCode(t, r, ExitFailed)
	if n := srv.Count(http.MethodPut); n != 1 {
		t.Errorf("%d PUTs, want 1", n)
	}
	for _, want := range []string{"secret A: GitHub refused the request (403): " + permissionHint + " (the token is a classic personal access token)", "not run: GitHub refused the change of A"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := strings.Count(r.stdout, "admin:org"); n != 1 {
		t.Errorf("the generic text is given %d times, want once:\n%s", n, r.stdout)
	}
	if want := "0 changed, 0 unchanged, 1 failed, 2 not run."; !strings.Contains(r.summary, want) {
		t.Errorf("the summary lacks %q:\n%s", want, r.summary)
	}
}

// With a classic token that has admin:org, a 404 for a secret means it
// does not exist: the message says so, and nothing about permissions.
func TestA404WithTheRightScopeIsAMissingSecret(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	r := runAction(t, srv, map[string]string{"operation": "get", "name": "NOPE"})
	wantCode(t, r, ExitFindings) // a get of a name that does not exist is a finding
	want := `secret NOPE: GitHub answered 404: the secret does not exist in organization "acme": GET`
	if !strings.Contains(r.stdout, want) || strings.Contains(r.stdout, "permission") {
		t.Errorf("stdout lacks %q, or talks of permissions:\n%s", want, r.stdout)
	}
}

// A refused read of several secrets gives the diagnosis for the first
// and points back to it for the others.
func TestTheDiagnosisIsGivenOncePerRun(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, fakegithub.WithFineGrainedToken("github_pat_none", fakegithub.ReadOnly))
	for _, n := range []string{"A", "B"} {
		srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets/" + n + "/repositories", Status: http.StatusForbidden,
			Header: map[string]string{"X-Accepted-GitHub-Permissions": "organization_codespaces_secrets=read"},
			Body:   `{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest"}`})
	}
	srv.AddSecret("A", "a", "selected")
	srv.AddSecret("B", "b", "selected")
	r := runAction(t, srv, map[string]string{"token": "github_pat_none", "operation": "get", "name": "A,B"})
	wantCode(t, r, ExitFailed)
	if n := strings.Count(r.stdout, `"Organization codespaces secrets": Read-only (the token is a fine-grained personal access token)`); n != 1 {
		t.Errorf("the diagnosis is given %d times, want once:\n%s", n, r.stdout)
	}
	if !strings.Contains(r.stdout, "secret B: GitHub refused the request (403): GitHub refused it as it refused secret A") {
		t.Errorf("B does not point back to A:\n%s", r.stdout)
	}
}

// A 401 is a token GitHub does not accept at all: whatever the answer's
// headers say the endpoint needs, the message still says to check that the
// token is valid and unexpired.
func TestA401WithThePermissionHeaderStillSaysToCheckTheToken(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets", Status: http.StatusUnauthorized,
		Header: map[string]string{"X-Accepted-GitHub-Permissions": "organization_codespaces_secrets=read"},
		Body:   `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`})
	r := runAction(t, srv, map[string]string{"operation": "list"})
	wantCode(t, r, ExitFailed)
	for _, want := range []string{
		"GitHub rejected the token (401 Bad credentials): check that the `token` input holds a valid, unexpired token for " + srv.URL(),
		`the organization permission "Organization codespaces secrets": Read-only`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}
