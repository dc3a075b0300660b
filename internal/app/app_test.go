package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

func TestSetCreatesANewSecretAsPrivate(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	r := runAction(t, srv, map[string]string{"name": "npm_token", "value": "s3cret"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "NPM_TOKEN", "s3cret", "private")
	want := []change{{Name: "NPM_TOKEN", Action: "create", Visibility: "private", Repositories: []string{}, ValueWritten: true}}
	if diff := cmp.Diff(want, changes(t, r)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if r.outputs["changed"] != "true" {
		t.Errorf("changed = %q", r.outputs["changed"])
	}
	// One list, one public key, one PUT: the minimum.
	if r.reads != 2 || r.writes != 1 {
		t.Errorf("%d reads and %d writes, want 2 and 1", r.reads, r.writes)
	}
	if !strings.Contains(r.summary, "| `NPM_TOKEN` | create | private |") {
		t.Errorf("summary lacks the change:\n%s", r.summary)
	}
}

func TestRotationNeverChangesScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		visibility string
		repos      []string
	}{
		{"keeps a selected secret's repository list", "selected", []string{"web", "api"}},
		{"keeps a selected secret with no repositories selected", "selected", nil},
		{"keeps visibility all", "all", nil},
		{"keeps visibility private", "private", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			var want []int64
			for _, n := range tt.repos {
				want = append(want, ids[n])
			}
			srv.AddSecret("DB_PASSWORD", "old", tt.visibility, want...)
			// The fake clears a selected secret's list when a PUT omits
			// selected_repository_ids, so only resending it keeps it.
			r := runAction(t, srv, map[string]string{"name": "DB_PASSWORD", "value": "new"})
			wantCode(t, r, ExitOK)
			wantSecret(t, srv, "DB_PASSWORD", "new", tt.visibility, want...)
			got := changes(t, r)
			if diff := cmp.Diff([]string{"update"}, actions(got)); diff != "" || got[0].Visibility != tt.visibility {
				t.Errorf("result %+v, want one update keeping visibility %s (-want +got actions):\n%s", got, tt.visibility, diff)
			}
		})
	}
}

func TestSetWithSelectedRepositoriesResolvesEachNameOnce(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	r := runAction(t, srv, map[string]string{
		"secrets":      "A=1\nB=2",
		"visibility":   "selected",
		"repositories": "web, acme/api\n" + fmt.Sprint(ids["docs"]),
	})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "1", "selected", ids["web"], ids["api"], ids["docs"])
	wantSecret(t, srv, "B", "2", "selected", ids["web"], ids["api"], ids["docs"])
	repoGets := 0
	for _, req := range srv.Requests() {
		if strings.Contains(req.Path, "/repos/") {
			repoGets++
		}
	}
	if repoGets != 2 {
		t.Errorf("%d repository look-ups, want 2 (web and api; docs was given by id)", repoGets)
	}
}

func TestChangingScopeOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("TOKEN", "old", "selected", ids["web"])
	r := runAction(t, srv, map[string]string{"name": "TOKEN", "value": "new", "visibility": "all"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "TOKEN", "new", "all")
}

func TestRepositoriesOnAnExistingSelectedSecretWithoutVisibility(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("TOKEN", "old", "selected", ids["web"])
	r := runAction(t, srv, map[string]string{"name": "TOKEN", "value": "new", "repositories": "api"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "TOKEN", "new", "selected", ids["api"])
}

func TestBadInputMakesZeroRequests(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 48*1024+1)
	tests := []struct {
		name   string
		in     map[string]string
		inText string // a word the error must contain
	}{
		{"an invalid name", map[string]string{"name": "1BAD", "value": "v"}, "name"},
		{"a name starting with GITHUB_", map[string]string{"name": "github_token", "value": "v"}, "GITHUB_"},
		{"names equal ignoring case", map[string]string{"secrets": "A=1\na=2"}, "secrets"},
		{"an unknown visibility", map[string]string{"name": "A", "value": "v", "visibility": "public"}, "visibility"},
		{"repositories with private", map[string]string{"name": "A", "value": "v", "visibility": "private", "repositories": "web"}, "repositories"},
		{"an empty value", map[string]string{"name": "A", "value": ""}, "value"},
		{"a value over 48 KB", map[string]string{"name": "A", "value": big}, "value"},
		{"set without a name", map[string]string{"value": "v"}, "name"},
		{"an unknown operation", map[string]string{"operation": "rotate", "name": "A"}, "operation"},
		{"a bad dry-run", map[string]string{"name": "A", "value": "v", "dry-run": "yes please"}, "dry-run"},
		{"an http api-url that is not loopback", map[string]string{"name": "A", "value": "v", "api-url": "http://github.example.com/api/v3"}, "api-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			r := runAction(t, srv, tt.in)
			wantCode(t, r, ExitUsage)
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests were sent, want 0", n)
			}
			if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, tt.inText) {
				t.Errorf("no error naming %q:\n%s", tt.inText, r.stdout)
			}
		})
	}
}

func TestARepositoryThatDoesNotExistStopsBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2", "visibility": "selected", "repositories": "web,nope,ghost"})
	wantCode(t, r, ExitUsage)
	if r.writes != 0 {
		t.Errorf("%d writes, want 0", r.writes)
	}
	for _, name := range []string{`"acme/nope"`, `"acme/ghost"`} {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("the error does not name %s:\n%s", name, r.stdout)
		}
	}
}

// TestAClientThatCannotBeSetUpIsAnInternalError: the inputs were checked
// before githubapi.New, so its failure is a bug (exit 1) that the message
// asks to report, not a problem with the inputs (exit 2).
func TestAClientThatCannotBeSetUpIsAnInternalError(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	rep := report.New(false, func(string) string { return "" }, &stdout, &stderr)
	cfg := inputs.Config{Operation: inputs.OpList, Org: "acme", Token: "t"} // no APIURL: a mistake of ours
	if code := run(context.Background(), cfg, rep, options{version: "dev"}); code != ExitFailed {
		t.Errorf("exit code %d, want %d", code, ExitFailed)
	}
	for _, w := range []string{"error: internal error: could not set up the GitHub API client: githubapi.New needs an absolute base URL", "this is a bug", issuesURL, "error: no request was sent\n"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "inputs") {
		t.Errorf("stderr blames the inputs:\n%s", stderr.String())
	}
}

// TestEachProblemFoundAfterTheInputsIsItsOwnAnnotation: as with input
// problems, each repository that does not exist, and each problem of a
// manifest, is its own ::error:: line (not one joined with %0A) and its
// own line of the failure summary.
func TestEachProblemFoundAfterTheInputsIsItsOwnAnnotation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   map[string]string
		want []string // what each problem names, in order
	}{
		{"repositories that do not exist", map[string]string{"name": "A", "value": "v", "visibility": "selected", "repositories": "nope\nnope2"},
			[]string{"`repositories`: repository \"acme/nope\" was not found", "`repositories`: repository \"acme/nope2\" was not found"}},
		{"problems of the manifest", map[string]string{"operation": "sync", "manifest": "secrets:\n  A:\n    visibility: public\n  B: {}\n"},
			[]string{`visibility "public" of secret "A" is not valid`, `secret "B" has no "visibility"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			if m, ok := tt.in["manifest"]; ok {
				tt.in["manifest"] = writeManifest(t, m)
			}
			r := runAction(t, srv, tt.in)
			wantCode(t, r, ExitUsage)
			if got := problemLines(r.stdout, "::error", "::error::nothing was changed"); !containsInOrder(got, tt.want) {
				t.Errorf("annotations %q, want one for each of %q:\n%s", got, tt.want, r.stdout)
			}
			if got := problemLines(r.summary, "- ", ""); !containsInOrder(got, tt.want) {
				t.Errorf("the summary lists %q, want one line for each of %q:\n%s", got, tt.want, r.summary)
			}
		})
	}
}

// problemLines returns the lines of text that start with prefix, but for
// the line skip.
func problemLines(text, prefix, skip string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) && l != skip {
			out = append(out, l)
		}
	}
	return out
}

// containsInOrder reports whether lines[i] contains want[i], for as many
// lines as want has.
func containsInOrder(lines, want []string) bool {
	if len(lines) != len(want) {
		return false
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			return false
		}
	}
	return true
}

// TestAServerErrorWhileLookingUpARepositoryIsNoInputError: only a
// repository that was not found is the input's fault (exit 2); GitHub
// failing to answer is a failure of the run (exit 1), whatever else was
// wrong.
func TestAServerErrorWhileLookingUpARepositoryIsNoInputError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   map[string]string
		want []string // what the errors must name
	}{
		{"set", map[string]string{"name": "A", "value": "v", "visibility": "selected", "repositories": "web"}, []string{`"acme/web"`}},
		{"set, with a repository that does not exist too", map[string]string{"name": "A", "value": "v", "visibility": "selected", "repositories": "web,nope"},
			[]string{`"acme/web"`, `"acme/nope"`}},
		{"add-repositories", map[string]string{"operation": "add-repositories", "name": "S", "repositories": "web"}, []string{`"acme/web"`}},
		{"sync", map[string]string{"operation": "sync", "secrets": "S=v", "manifest": "secrets:\n  S:\n    visibility: selected\n    repositories: [web]\n"},
			[]string{"secret S", `"acme/web"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			srv.AddSecret("S", "old", "selected", ids["api"])
			srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/repos/acme/web", Status: http.StatusInternalServerError, Times: 4})
			if m, ok := tt.in["manifest"]; ok {
				tt.in["manifest"] = writeManifest(t, m)
			}
			r := runAction(t, srv, tt.in)
			wantCode(t, r, ExitFailed)
			if r.writes != 0 {
				t.Errorf("%d writes, want 0", r.writes)
			}
			for _, w := range append(tt.want, "500 Internal Server Error") {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("the errors lack %s:\n%s", w, r.stdout)
				}
			}
		})
	}
}

// TestARepositoryIDThatIsNotPositiveStopsTheRunWhenRead: GitHub's answer
// is checked when it is read, and the error names the repository it was
// about, before the run reads on or writes anything.
func TestARepositoryIDThatIsNotPositiveStopsTheRunWhenRead(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/repos/acme/web", Status: http.StatusOK,
		Body: `{"id":0,"node_id":"R_0","name":"web","full_name":"acme/web","private":true,"owner":{"id":1,"login":"acme"}}`})
	r := runAction(t, srv, map[string]string{"name": "A", "value": "v", "visibility": "selected", "repositories": "web"})
	wantCode(t, r, ExitFailed)
	if r.reads != 1 || r.writes != 0 {
		t.Errorf("%d reads and %d writes, want the one look-up and none", r.reads, r.writes)
	}
	want := "`repositories`: could not look up repository \"acme/web\": GET /repos/acme/web: could not decode GitHub's 200 OK response: " +
		"it gives repository \"acme/web\" the id 0, which is not a positive id"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
}

func TestDryRunSendsNoWrite(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("OLD", "v", "selected", ids["web"])
	for _, in := range []map[string]string{
		{"name": "NEW", "value": "v"},
		{"name": "OLD", "value": "v2"},
		{"operation": "delete", "name": "OLD"},
		{"operation": "add-repositories", "name": "OLD", "repositories": "api"},
		{"operation": "set-repositories", "name": "OLD", "repositories": "api"},
		{"operation": "remove-repositories", "name": "OLD", "repositories": "web"},
	} {
		in["dry-run"] = "true"
		r := runAction(t, srv, in)
		wantCode(t, r, ExitOK)
		if r.writes != 0 {
			t.Errorf("%v: %d writes", in, r.writes)
		}
		if r.outputs["changed"] != "true" || !strings.Contains(r.summary, "Dry run") {
			t.Errorf("%v: changed=%q summary:\n%s", in, r.outputs["changed"], r.summary)
		}
	}
	wantSecret(t, srv, "OLD", "v", "selected", ids["web"])
}

func TestDeleteIsIdempotent(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("GONE", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "delete", "name": "gone\nNEVER"})
	wantCode(t, r, ExitOK)
	if _, ok := srv.Secret("GONE"); ok {
		t.Error("GONE still exists")
	}
	if diff := cmp.Diff([]string{"delete", "unchanged"}, actions(changes(t, r))); diff != "" {
		t.Errorf("result actions (-want +got):\n%s", diff)
	}
	if r.writes != 1 {
		t.Errorf("%d writes, want 1", r.writes)
	}
	r = runAction(t, srv, map[string]string{"operation": "delete", "name": "GONE"})
	wantCode(t, r, ExitOK)
	if r.writes != 0 || r.outputs["changed"] != "false" {
		t.Errorf("second delete: %d writes, changed=%s", r.writes, r.outputs["changed"])
	}
}

func TestReadOperations(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("A", "1", "all")
	srv.AddSecret("B", "2", "selected", ids["web"], ids["api"])

	t.Run("list gives names, visibility and dates", func(t *testing.T) {
		r := runAction(t, srv, map[string]string{"operation": "list"})
		wantCode(t, r, ExitOK)
		got := secrets(t, r)
		if diff := cmp.Diff([]secretResult{{Name: "A", Visibility: "all"}, {Name: "B", Visibility: "selected"}}, got, ignoreDates); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
		for _, s := range got {
			if s.CreatedAt.IsZero() || s.UpdatedAt.IsZero() {
				t.Errorf("%s: created_at %v, updated_at %v, want both", s.Name, s.CreatedAt, s.UpdatedAt)
			}
		}
		if r.writes != 0 || r.outputs["changed"] != "false" {
			t.Errorf("writes=%d changed=%s", r.writes, r.outputs["changed"])
		}
	})
	t.Run("get adds the repositories of a selected secret", func(t *testing.T) {
		r := runAction(t, srv, map[string]string{"operation": "get", "name": "a,b"})
		wantCode(t, r, ExitOK)
		want := []secretResult{{Name: "A", Visibility: "all"}, {Name: "B", Visibility: "selected", Repositories: &[]repoResult{
			{ID: ids["api"], Name: "api", FullName: "acme/api"}, {ID: ids["web"], Name: "web", FullName: "acme/web"}}}}
		if diff := cmp.Diff(want, secrets(t, r), ignoreDates); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
	})
	t.Run("public-key sets key-id and key", func(t *testing.T) {
		r := runAction(t, srv, map[string]string{"operation": "public-key"})
		wantCode(t, r, ExitOK)
		// Every output action.yml declares is written by some operation;
		// public-key writes them all.
		for _, o := range inputs.Outputs {
			if _, ok := r.outputs[o.Name]; !ok {
				t.Errorf("output %q is declared but never written", o.Name)
			}
		}
		id, key := srv.PublicKey()
		if r.outputs["key-id"] != id || r.outputs["key"] != key {
			t.Errorf("outputs = %v", r.outputs)
		}
	})
	t.Run("list-repositories gives id, name and full_name", func(t *testing.T) {
		r := runAction(t, srv, map[string]string{"operation": "list-repositories", "name": "B"})
		wantCode(t, r, ExitOK)
		want := fmt.Sprintf(`[{"org":"acme","id":%d,"name":"api","full_name":"acme/api"},{"org":"acme","id":%d,"name":"web","full_name":"acme/web"}]`, ids["api"], ids["web"])
		if r.outputs["result"] != want {
			t.Errorf("result = %s, want %s", r.outputs["result"], want)
		}
	})
	t.Run("get of a missing secret exits 3 and says so", func(t *testing.T) {
		r := runAction(t, srv, map[string]string{"operation": "get", "name": "MISSING"})
		wantCode(t, r, ExitFindings)
		if !strings.Contains(r.stdout, "does not exist") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
}

func TestRepositoryOperationsWriteOnlyWhatChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		op        string
		repos     string
		wantRepos []string
		writes    int
	}{
		{"set-repositories with the current list writes nothing", "set-repositories", "web,api", []string{"web", "api"}, 0},
		{"set-repositories with a new list writes once", "set-repositories", "docs", []string{"docs"}, 1},
		{"add-repositories skips one already there", "add-repositories", "web,docs", []string{"web", "api", "docs"}, 1},
		{"remove-repositories skips one not there", "remove-repositories", "docs,api", []string{"web"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			srv.AddSecret("S", "v", "selected", ids["web"], ids["api"])
			r := runAction(t, srv, map[string]string{"operation": tt.op, "name": "S", "repositories": tt.repos})
			wantCode(t, r, ExitOK)
			var want []int64
			for _, n := range tt.wantRepos {
				want = append(want, ids[n])
			}
			wantSecret(t, srv, "S", "v", "selected", want...)
			if r.writes != tt.writes {
				t.Errorf("%d writes, want %d", r.writes, tt.writes)
			}
			if got := r.outputs["changed"] == "true"; got != (tt.writes > 0) {
				t.Errorf("changed = %s", r.outputs["changed"])
			}
		})
	}
}

func TestRepositoryOperationsOnASecretThatIsNotSelected(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("S", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "add-repositories", "name": "S", "repositories": "web"})
	wantCode(t, r, ExitUsage)
	if r.writes != 0 || !strings.Contains(r.stdout, "visibility: selected") {
		t.Errorf("writes=%d stdout:\n%s", r.writes, r.stdout)
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []fakegithub.Option
		in   map[string]string
		want string
	}{
		{"a rejected token", nil, map[string]string{"token": "wrong", "operation": "list"}, "GitHub rejected the token (401"},
		{"a token without permission gets GitHub's 404", []fakegithub.Option{fakegithub.WithPermission(fakegithub.NoAccess404)}, map[string]string{"operation": "list"}, "admin:org"},
		{"a forbidden token", []fakegithub.Option{fakegithub.WithPermission(fakegithub.Forbidden403)}, map[string]string{"name": "A", "value": "v"}, `the organization permission "Organization codespaces secrets": Read-only`},
		{"an unknown organization", nil, map[string]string{"org": "nobody", "operation": "list"}, `organization "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t, tt.opts...)
			r := runAction(t, srv, tt.in)
			wantCode(t, r, ExitFailed)
			if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, r.stdout)
			}
			if r.writes != 0 {
				t.Errorf("%d writes", r.writes)
			}
		})
	}
}

func TestAFailedWriteDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/B", Status: http.StatusUnprocessableEntity, Body: `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`})
	r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2\nC=3"})
	wantCode(t, r, ExitFailed)
	wantSecret(t, srv, "A", "1", "private")
	wantSecret(t, srv, "C", "3", "private")
	if _, ok := srv.Secret("B"); ok {
		t.Error("B was written")
	}
	if diff := cmp.Diff([]bool{false, true, false}, failed(changes(t, r))); diff != "" {
		t.Errorf("which changes failed (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, "secret B") || !strings.Contains(r.summary, "failed") {
		t.Errorf("the failure is not reported:\n%s\n%s", r.stdout, r.summary)
	}
}

func TestAKeyRotatedBeforeThePutIsFetchedAgain(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Before: srv.RotateKey, PassThrough: true})
	r := runAction(t, srv, map[string]string{"name": "A", "value": "v"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "v", "private")
	if n := srv.Count(http.MethodPut); n != 2 {
		t.Errorf("%d PUTs, want 2 (refused with the old key, then accepted)", n)
	}
}

// TestValuesNeverLeak runs success and failure paths with a distinctive
// multi-line value and checks that it shows nowhere but in mask commands.
func TestValuesNeverLeak(t *testing.T) {
	t.Parallel()
	const canary = "c4n4ry-%25-::warning::x\nsecond-line-c4n4ry %s\n::add-mask::th1rd-c4n4ry"
	lines := []string{"c4n4ry-%25", "second-line-c4n4ry", "th1rd-c4n4ry"}
	tests := []struct {
		name  string
		fault *fakegithubtest.Fault
		in    map[string]string
	}{
		{"success", nil, map[string]string{"name": "A", "value": canary}},
		{"secrets input", nil, map[string]string{"secrets": "A<<EOF\n" + canary + "\nEOF"}},
		{"a refused write", &fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: 422, Body: `{"message":"bad value"}`}, map[string]string{"name": "A", "value": canary}},
		{"a server error", &fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: 500, Times: 4}, map[string]string{"name": "A", "value": canary}},
		{"an invalid input", nil, map[string]string{"name": "A", "value": canary, "visibility": "nope"}},
		{"an invalid secrets input", nil, map[string]string{"secrets": "A<<EOF\n" + canary}},
		{"dry run", nil, map[string]string{"name": "A", "value": canary, "dry-run": "true"}},
		{"sync", nil, map[string]string{"operation": "sync", "secrets": "A<<EOF\n" + canary + "\nEOF"}},
		{"sync dry run", nil, map[string]string{"operation": "sync", "dry-run": "true", "secrets": "A<<EOF\n" + canary + "\nEOF"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			if tt.in["operation"] == "sync" {
				tt.in["manifest"] = writeManifest(t, "secrets:\n  A:\n    visibility: all\n")
			}
			r := runAction(t, srv, tt.in)
			var visible []string
			for _, l := range strings.Split(r.stdout, "\n") {
				if !strings.HasPrefix(l, "::add-mask::") {
					visible = append(visible, l)
				}
			}
			streams := map[string]string{
				"stdout (masks aside)": strings.Join(visible, "\n"),
				"stderr":               r.stderr,
				"summary":              r.summary,
				"outputs":              fmt.Sprint(r.outputs),
				"the summary output":   r.outputs["summary"],
			}
			if r.code != ExitUsage && !strings.Contains(r.outputs["summary"], "| `A` |") {
				t.Errorf("the summary output does not show A's row, so the canary is not tested there:\n%s", r.outputs["summary"])
			}
			for where, text := range streams {
				for _, l := range lines {
					if strings.Contains(text, l) {
						t.Errorf("%s contains the value's line %q:\n%s", where, l, text)
					}
				}
			}
			if !strings.Contains(r.stdout, "::add-mask::") {
				t.Errorf("no value was masked")
			}
		})
	}
}
