package app

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func TestPruneWithAManifestThatListsNoSecretIsRefused(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("NPM_TOKEN", "v", "all")
	for _, m := range []string{"secrets: {}\n", "# nothing yet\nsecrets: {}\n"} {
		r := runAction(t, srv, map[string]string{"operation": "sync", "prune": "true", "manifest": writeManifest(t, m)})
		wantCode(t, r, ExitUsage)
		if r.reads != 0 || r.writes != 0 {
			t.Errorf("%d reads and %d writes, want none", r.reads, r.writes)
		}
		if _, ok := srv.Secret("NPM_TOKEN"); !ok {
			t.Fatal("NPM_TOKEN was deleted")
		}
		if !strings.Contains(r.stdout, "::error::`prune`:") || !strings.Contains(r.stdout, "`operation: delete`") {
			t.Errorf("the error does not name `prune` and say how to delete on purpose:\n%s", r.stdout)
		}
	}
}

func TestDeleteOfAMisspeltNameWarnsAndOffersTheNearest(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("NPM_TOKEN", "v", "all")
	srv.AddSecret("SENTRY_DSN", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "delete", "name": "NPM_TOKN"})
	wantCode(t, r, ExitOK)
	if r.writes != 0 {
		t.Errorf("%d writes, want none", r.writes)
	}
	if got := actions(changes(t, r)); len(got) != 1 || got[0] != "unchanged" {
		t.Errorf("actions %v, want [unchanged]", got)
	}
	want := `::warning::secret NPM_TOKN does not exist in organization "acme", so there was nothing to delete: did you mean NPM_TOKEN?`
	if !strings.Contains(r.stdout, want+"\n") {
		t.Errorf("no warning %q:\n%s", want, r.stdout)
	}
}

func TestDeleteOfAnAbsentNameWithNoNeighbourSaysToList(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("NPM_TOKEN", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "delete", "name": "LEGACY_DSN"})
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "::warning::secret LEGACY_DSN does not exist") || strings.Contains(r.stdout, "did you mean") {
		t.Errorf("want a warning without a suggestion:\n%s", r.stdout)
	}
}

func TestClosestName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, want string
		have       []string
	}{
		{"NPM_TOKN", "NPM_TOKEN", []string{"NPM_TOKEN", "SENTRY_DSN"}},
		{"NPM_TOKEN_X", "NPM_TOKEN", []string{"NPM_TOKEN"}},
		{"NMP_TOKEN", "NPM_TOKEN", []string{"NPM_TOKEN"}}, // a swap is 2 edits
		{"NPM_TK", "", []string{"NPM_TOKEN"}},             // 3 edits is too far
		{"API_KEY_1", "API_KEY_1X", []string{"API_KEY_2", "API_KEY_1X"}},
	} {
		if got := closestOf(tt.name, tt.have); got != tt.want {
			t.Errorf("closest(%s, %v) = %q, want %q", tt.name, tt.have, got, tt.want)
		}
	}
}

// closestOf runs closest over secrets with the names have.
func closestOf(name string, have []string) string {
	var list []secret.Secret
	for _, n := range have {
		list = append(list, secret.Secret{Name: secret.Name(n)})
	}
	got, _ := closest(secret.Name(name), plan.NewCurrent(list))
	return string(got)
}

func TestHelpSaysWhatEachExitCodeMeans(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"codespaces-org-secrets", "--help"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	if code != ExitOK {
		t.Fatalf("exit code %d", code)
	}
	help := strings.Join(strings.Fields(out.String()+errOut.String()), " ")
	for _, want := range []string{"1 GitHub refused or failed a request", "2 invalid input", "3 the run worked and found what it was asked to flag"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks %q:\n%s", want, help)
		}
	}
}
