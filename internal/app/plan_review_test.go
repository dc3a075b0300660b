package app

import (
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// TestADryRunSyncShowsTheChangeAsAReviewerNeedsIt: one secret moves from
// all to private and another swaps one repository. The result says what
// each was before, that no value would be written, and the summary (the
// job summary and the `summary` output alike) shows the change, not only
// the target.
func TestADryRunSyncShowsTheChangeAsAReviewerNeedsIt(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("LEGACY_DSN", "v1", "all")
	srv.AddSecret("NPM_TOKEN", "v2", "selected", ids["web"], ids["api"])
	m := writeManifest(t, "secrets:\n  LEGACY_DSN:\n    visibility: private\n  NPM_TOKEN:\n    visibility: selected\n    repositories: [web, docs]\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "dry-run": "true"})
	wantCode(t, r, ExitOK)
	if r.writes != 0 {
		t.Errorf("%d writes in a dry run", r.writes)
	}
	want := []change{
		{Name: "LEGACY_DSN", Action: "update", Visibility: "private", Repositories: []string{}, Before: &scope{Visibility: "all"}},
		{Name: "NPM_TOKEN", Action: "set-repositories", Visibility: "selected", Repositories: []string{"acme/web", "acme/docs"},
			Before: &scope{Visibility: "selected", Repositories: &[]string{"acme/api", "acme/web"}}},
	}
	if diff := cmp.Diff(want, changes(t, r)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.outputs["result"], `"value_written":false`) {
		t.Errorf("value_written is not in the result: %s", r.outputs["result"])
	}
	for _, row := range []string{
		"| `LEGACY_DSN` | update | all → private | — | kept | planned |",
		"| `NPM_TOKEN` | set-repositories | selected | +`acme/docs` −`acme/api` | kept | planned |",
	} {
		if !strings.Contains(r.summary, row) {
			t.Errorf("the job summary lacks the row %q:\n%s", row, r.summary)
		}
	}
	if strings.Contains(r.summary, "| ok |") {
		t.Errorf("a dry run says ok for something it did not do:\n%s", r.summary)
	}
	if r.outputs["summary"]+"\n" != r.summary && r.outputs["summary"] != r.summary {
		t.Errorf("the summary output differs from the job summary:\noutput:\n%s\njob summary:\n%s", r.outputs["summary"], r.summary)
	}
	for _, line := range []string{
		"plan: update LEGACY_DSN (visibility all → private), value kept\n",
		"plan: set-repositories NPM_TOKEN (visibility selected), value kept, repositories +acme/docs −acme/api\n",
	} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("the log lacks %q:\n%s", line, r.stdout)
		}
	}
}

// TestASyncWithAValueSaysItWroteOneAndShowsItNowhere.
func TestASyncWithAValueSaysItWroteOneAndShowsItNowhere(t *testing.T) {
	t.Parallel()
	const value = "v4lue-that-must-not-show"
	srv, _ := newServer(t)
	srv.AddSecret("SENTRY_DSN", "old-v4lue", "all")
	srv.AddSecret("LEGACY_DSN", "kept-v4lue", "all")
	m := writeManifest(t, "secrets:\n  SENTRY_DSN:\n    visibility: all\n  LEGACY_DSN:\n    visibility: private\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "secrets": "SENTRY_DSN=" + value})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "SENTRY_DSN", value, "all")
	wantSecret(t, srv, "LEGACY_DSN", "kept-v4lue", "private")
	got := map[string]bool{}
	for _, c := range changes(t, r) {
		got[c.Name] = c.ValueWritten
	}
	if diff := cmp.Diff(map[string]bool{"SENTRY_DSN": true, "LEGACY_DSN": false}, got); diff != "" {
		t.Errorf("value_written (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.summary, "| `SENTRY_DSN` | update | all | — | new | ok |") || !strings.Contains(r.summary, "| `LEGACY_DSN` | update | all → private | — | kept | ok |") {
		t.Errorf("the summary does not say which value was written:\n%s", r.summary)
	}
	noValue(t, r, value, "old-v4lue", "kept-v4lue")
}

// TestManifestProblemsAreAnnotatedAtTheirLine: GitHub shows an annotation
// on a pull request's diff when it names the file, relative to the
// workspace, and the line.
func TestManifestProblemsAreAnnotatedAtTheirLine(t *testing.T) {
	t.Parallel()
	manifest := "secrets:\n  A:\n    visibility: Selected\n  B:\n    visibility: selected\n    repositories: [other/x]\n"
	for _, path := range []string{".github/codespaces-secrets.yml", testWorkspace + "/.github/codespaces-secrets.yml", "./.github/codespaces-secrets.yml"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			read := func(p string) ([]byte, error) {
				if p != path {
					return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
				}
				return []byte(manifest), nil
			}
			r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": path}, WithReadFile(read))
			wantCode(t, r, ExitUsage)
			want := "::error file=.github/codespaces-secrets.yml,line=3,col=17::visibility \"Selected\" of secret \"A\" is not valid; write it in lower case: \"selected\"\n"
			if !strings.Contains(r.stdout, want) {
				t.Errorf("no annotation %q:\n%s", want, r.stdout)
			}
			if !strings.Contains(r.summary, "codespaces-secrets.yml:3:17: visibility") {
				t.Errorf("the summary lost the position:\n%s", r.summary)
			}
		})
	}
}

// TestAForeignRepositoryIsAnnotatedAtItsItem: a problem found after the
// manifest parsed (here, a repository of another organization) points at
// its item too.
func TestAForeignRepositoryIsAnnotatedAtItsItem(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	read := func(string) ([]byte, error) {
		return []byte("secrets:\n  B:\n    visibility: selected\n    repositories: [web, other/x]\n"), nil
	}
	r := runAction(t, srv, map[string]string{"operation": "sync", "secrets": "B=1"}, WithReadFile(read))
	wantCode(t, r, ExitUsage)
	want := `::error file=.github/codespaces-secrets.yml,line=4,col=25::secret B: repository "other/x" is not in organization "acme"`
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no annotation %q:\n%s", want, r.stdout)
	}
}

// TestAFailureOutranksAFinding: a get that finds a missing name (3) and
// fails to read another's repositories (1) exits 1: retry before judging.
func TestAFailureOutranksAFinding(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "v", "selected", ids["web"])
	srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets/SEL/repositories", Status: http.StatusInternalServerError, Times: 4})
	r := runAction(t, srv, map[string]string{"operation": "get", "name": "SEL,MISSING"})
	wantCode(t, r, ExitFailed)
	if !strings.Contains(r.stdout, "::error::secret MISSING does not exist") {
		t.Errorf("the finding is not reported:\n%s", r.stdout)
	}
}

// TestA404ToATokenWithoutTheScopeIsAFailureNotAFinding: GitHub hides a
// secret from a classic token without admin:org behind 404; its headers
// show it, so the get fails (1) instead of reporting a missing name (3).
func TestA404ToATokenWithoutTheScopeIsAFailureNotAFinding(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, fakegithub.WithClassicToken("ghp_repo_only", "repo"))
	srv.AddSecret("NPM_TOKEN", "v", "all")
	r := runAction(t, srv, map[string]string{"token": "ghp_repo_only", "operation": "get", "name": "NPM_TOKEN"})
	wantCode(t, r, ExitFailed)
}

// TestADryRunSaysNothingToDoAndAPrunedSecretKeepsNoValue: in a dry run, a
// secret already as the manifest wants it says "nothing to do", never ok,
// and a delete neither writes nor keeps a value.
func TestADryRunSaysNothingToDoAndAPrunedSecretKeepsNoValue(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("FRESH", "v1", "all")
	srv.AddSecret("STRAY", "v2", "all")
	m := writeManifest(t, "secrets:\n  FRESH:\n    visibility: all\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "prune": "true", "dry-run": "true"})
	wantCode(t, r, ExitOK)
	for _, row := range []string{
		"| `STRAY` | delete | all | — | — | planned |",
		"| `FRESH` | unchanged | all | — | kept | nothing to do |",
	} {
		if !strings.Contains(r.summary, row) {
			t.Errorf("the job summary lacks the row %q:\n%s", row, r.summary)
		}
	}
	if strings.Contains(r.summary, "| ok |") {
		t.Errorf("a dry run says ok for something it did not do:\n%s", r.summary)
	}
}

// TestAFailedWriteSaysNoValueWasWritten: value_written never claims a value
// for a change that failed: neither the one GitHub refused nor the one the
// refusal stopped before it was sent. The success beside them says true.
func TestAFailedWriteSaysNoValueWasWritten(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: put + "B", Status: http.StatusForbidden,
		Body: `{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}`})
	r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2\nC=3"})
	wantCode(t, r, ExitFailed)
	if n := srv.Count(http.MethodPut); n != 2 {
		t.Fatalf("%d PUTs, want 2 (A, and B refused; C not sent)", n)
	}
	got := map[string]bool{}
	for _, c := range changes(t, r) {
		got[c.Name] = c.ValueWritten
	}
	if diff := cmp.Diff(map[string]bool{"A": true, "B": false, "C": false}, got); diff != "" {
		t.Errorf("value_written (-want +got):\n%s", diff)
	}
}

// TestProblemsFoundAfterParsingAreAnnotatedAtTheirEntry: a repository the
// organization does not have, and an entry the plan refuses (a new secret
// with no value), point at their place in the manifest too.
func TestProblemsFoundAfterParsingAreAnnotatedAtTheirEntry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, manifest, secrets, want string
	}{
		{"an unknown repository", "secrets:\n  B:\n    visibility: selected\n    repositories: [web, nope]\n", "B=1",
			"::error file=.github/codespaces-secrets.yml,line=4,col=25::secret B: `repositories`: repository \"acme/nope\" was not found"},
		{"a new secret without a value", "secrets:\n  A:\n    visibility: all\n  NEW:\n    visibility: all\n", "A=1",
			"::error file=.github/codespaces-secrets.yml,line=4,col=3::secret NEW does not exist yet and no value was given for it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			read := func(string) ([]byte, error) { return []byte(tt.manifest), nil }
			r := runAction(t, srv, map[string]string{"operation": "sync", "secrets": tt.secrets}, WithReadFile(read))
			wantCode(t, r, ExitUsage)
			if r.writes != 0 {
				t.Errorf("%d writes", r.writes)
			}
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("no annotation %q:\n%s", tt.want, r.stdout)
			}
		})
	}
}
