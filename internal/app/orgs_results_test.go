package app

import (
	"context"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// A sync of several organizations holds its writes until every one has
// planned; what it finishes once they are written is still in the outputs
// and the summary: the stale secrets it did not rewrite, as org/NAME, their
// rows marked, and changed when any organization changed.
func TestASyncOfSeveralOrganizationsReportsTheStaleSecretsAfterItsHeldWrites(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("alpha").AddSecret("OLD", "v", fakegithub.VisibilityAll)
	f.Server("beta").AddSecret("OLD", "v", fakegithub.VisibilityAll)
	if err := f.clock.Sleep(context.Background(), 100*day); err != nil {
		t.Fatal(err)
	}
	// alpha's OLD changes scope (no value, so it stays stale); beta's is unchanged.
	m := writeManifest(t, "organizations:\n  alpha:\n    secrets:\n      OLD:\n        visibility: private\n  beta:\n    secrets:\n      OLD:\n        visibility: all\n")
	r := f.run(t, map[string]string{"org": "alpha,beta", "operation": "sync", "manifest": m, "max-age": "90d"})
	wantCode(t, r, ExitOK)
	if got := r.outputs["stale"]; got != `["alpha/OLD","beta/OLD"]` {
		t.Errorf("stale = %s, want alpha/OLD and beta/OLD", got)
	}
	if got := r.outputs["changed"]; got != "true" {
		t.Errorf("changed = %s, want true: alpha changed, though beta (the last) did not", got)
	}
	if n := strings.Count(r.summary, "⚠️ stale: last updated"); n != 2 {
		t.Errorf("%d rows marked stale, want 2 (one per organization):\n%s", n, r.summary)
	}
}

// A delete of several organizations: the summary marks a name that does not
// exist in one of them, and a delete GitHub fails in another is logged
// after the summary, naming the secret.
func TestADeleteOfSeveralOrganizationsMarksMissingNamesAndLogsFailures(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("alpha").AddSecret("GONE", "v", fakegithub.VisibilityAll)
	f.Server("alpha").Inject(fakegithubtest.Fault{Method: "DELETE", Path: "/orgs/alpha/codespaces/secrets/GONE", Status: 422,
		Body: `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`})
	r := f.run(t, map[string]string{"org": "alpha,beta", "operation": "delete", "name": "GONE"})
	wantCode(t, r, ExitFailed)
	if !strings.Contains(r.stdout, "::error::delete GONE failed: ") {
		t.Errorf("the failed delete is not logged:\n%s", r.stdout)
	}
	if !strings.Contains(r.summary, "| `GONE` | unchanged | — | — | ⚠️ secret GONE does not exist in organization \"beta\"") {
		t.Errorf("the summary does not mark GONE in beta as missing:\n%s", r.summary)
	}
	if got := r.outputs["changed"]; got != "false" {
		t.Errorf("changed = %s, want false: the only delete failed", got)
	}
}

// Every read operation's installation token asks only to read the
// organization's Codespaces secrets: the operation table's ReadOnly, not a
// list of its own, decides it.
func TestAppReadOperationsAskOnlyToRead(t *testing.T) {
	t.Parallel()
	for _, in := range []map[string]string{
		{"operation": "get", "name": "A"},
		{"operation": "public-key"},
		{"operation": "list-repositories", "name": "A"},
	} {
		t.Run(in["operation"], func(t *testing.T) {
			t.Parallel()
			f := newOrgs(t, []string{"alpha"}, []string{"alpha"})
			f.Server("alpha").AddSecret("A", "v", fakegithub.VisibilitySelected, f.web["alpha"])
			in["org"] = "alpha"
			r := f.run(t, app(in))
			wantCode(t, r, ExitOK)
			appUse(t, f, []string{"alpha"}, map[string]string{"organization_codespaces_secrets": "read"})
		})
	}
}

// A write operation with nothing to change still has its footer, and is
// not "Nothing to show.", which is for a read that found nothing.
func TestAWriteWithNoChangesHasItsFooterNotNothingToShow(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	m := writeManifest(t, "secrets: {}\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m})
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.summary, "0 changed, 0 unchanged, 0 failed.") || strings.Contains(r.summary, "Nothing to show.") {
		t.Errorf("summary:\n%s", r.summary)
	}
	if got := r.outputs["result"]; got != "[]" {
		t.Errorf("result = %s, want []", got)
	}
}
