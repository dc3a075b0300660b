package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

// Edge cases users rely on: what is masked and in what order, the shape of
// the outputs, repositories named twice, partial failures, and the
// messages users act on.

// TestTheTokenIsMaskedBeforeAnythingElse: the runner masks a secret passed
// as an input, but not a token minted in the job (a GitHub App token, say),
// so the action masks it itself, before it prints anything.
func TestTheTokenIsMaskedBeforeAnythingElse(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]map[string]string{
		"a set":                      {"name": "A", "value": "v"},
		"a list":                     {"operation": "list"},
		"an invalid input":           {"operation": "rotate"},
		"secrets that do not parse":  {"secrets": "A<<EOF\nunended"},
		"a manifest that is missing": {"operation": "sync", "manifest": "/nonexistent/codespaces-secrets.yml"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			r := runAction(t, srv, in)
			if !slices.Contains(reporttest.LeadingMasks(r.stdout), testToken) {
				t.Errorf("the token is not masked before the first other line:\n%s", r.stdout)
			}
		})
	}
}

func TestEveryValueAndEveryLineIsMaskedBeforeAnythingElse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    map[string]string
		masks []string
	}{
		{"a multi-line value", map[string]string{"name": "A", "value": "v4lue-one\nv4lue-two"}, []string{"v4lue-one\nv4lue-two", "v4lue-one", "v4lue-two"}},
		{"several secrets, one of them a heredoc", map[string]string{"secrets": "A=s1ngle\nB<<EOF\nm-one\nm-two\nEOF"}, []string{"s1ngle", "m-one\nm-two", "m-one", "m-two"}},
		{"secrets that do not parse", map[string]string{"secrets": "A<<EOF\nunended-one\nunended-two"}, []string{"unended-one", "unended-two"}},
		{"a value next to an invalid input", map[string]string{"name": "A", "value": "bad-v4lue", "visibility": "nope"}, []string{"bad-v4lue"}},
	}
	unescape := strings.NewReplacer("%0A", "\n", "%0D", "\r", "%25", "%")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			r := runAction(t, srv, tt.in)
			masked := map[string]bool{}
			for _, l := range strings.Split(r.stdout, "\n") {
				v, ok := strings.CutPrefix(l, "::add-mask::")
				if !ok {
					break // only the lines before the first other line count
				}
				masked[unescape.Replace(v)] = true
			}
			for _, m := range tt.masks {
				if !masked[m] {
					t.Errorf("%q is not masked before the first other line:\n%s", m, r.stdout)
				}
			}
		})
	}
}

func TestRepositoriesGivenByIDAreNamedInTheResult(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"add-repositories", "remove-repositories"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			srv.AddSecret("S", "v", "selected", ids["web"])
			r := runAction(t, srv, map[string]string{"operation": op, "name": "S", "repositories": fmt.Sprint(ids["api"])})
			wantCode(t, r, ExitOK)
			// No look-up is spent on a name: the id names the repository.
			action := map[string]string{"add-repositories": "add-repository", "remove-repositories": "unchanged"}[op] // api is not in S's list
			before := &scope{Visibility: "selected", Repositories: &[]string{"acme/web"}}
			want := []change{{Name: "S", Action: action, Visibility: "selected", Repositories: []string{fmt.Sprint(ids["api"])}, Before: before}}
			if diff := cmp.Diff(want, changes(t, r)); diff != "" {
				t.Errorf("result, which must name the repository (-want +got):\n%s", diff)
			}
		})
	}
}

func TestARepositoryGivenByNameAndByIDIsWrittenOnce(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"add-repositories", "remove-repositories", "set-repositories"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			start := []int64{ids["web"]}
			if op == "remove-repositories" {
				start = append(start, ids["api"])
			}
			srv.AddSecret("S", "v", "selected", start...)
			r := runAction(t, srv, map[string]string{"operation": op, "name": "S", "repositories": fmt.Sprintf("api,%d", ids["api"])})
			wantCode(t, r, ExitOK)
			if r.writes != 1 {
				t.Errorf("%d writes for one repository, want 1: %s", r.writes, r.outputs["result"])
			}
			if n := countRepo(changes(t, r), "acme/api"); n != 1 {
				t.Errorf("the result names acme/api %d times, want once: %s", n, r.outputs["result"])
			}
		})
	}
}

func TestGetListsTheRepositoriesOfASelectedSecretEvenWhenThereAreNone(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("S", "v", "selected")
	srv.AddSecret("P", "v", "private")
	r := runAction(t, srv, map[string]string{"operation": "get", "name": "S,P"})
	wantCode(t, r, ExitOK)
	got := secrets(t, r)
	want := []secretResult{{Name: "S", Visibility: "selected", Repositories: &[]repoResult{}}, {Name: "P", Visibility: "private"}}
	if diff := cmp.Diff(want, got, ignoreDates); diff != "" {
		t.Errorf("result: [] for a selected secret with no repositories, nothing for a private one (-want +got):\n%s", diff)
	}
}

func TestAFailedDeleteDoesNotStopTheOtherDeletes(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	for _, n := range []string{"A", "B", "C"} {
		srv.AddSecret(n, "v", "all")
	}
	srv.Inject(fakegithubtest.Fault{Method: http.MethodDelete, Path: "/orgs/acme/codespaces/secrets/A", Status: http.StatusBadRequest, Body: `{"message":"Bad Request"}`})
	r := runAction(t, srv, map[string]string{"operation": "delete", "name": "A,B,C"})
	wantCode(t, r, ExitFailed)
	if _, ok := srv.Secret("A"); !ok {
		t.Error("A is gone, though its delete failed")
	}
	for _, n := range []string{"B", "C"} {
		if _, ok := srv.Secret(n); ok {
			t.Errorf("%s was not deleted: a failed delete of A stopped the others", n)
		}
	}
}

func TestAWhitespaceOnlyValueIsAnError(t *testing.T) {
	t.Parallel()
	// `value: |` around an unset secret gives "\n".
	for _, v := range []string{"\n", " ", "\r\n"} {
		srv, _ := newServer(t)
		r := runAction(t, srv, map[string]string{"name": "A", "value": v})
		if r.code != ExitUsage || r.reads+r.writes != 0 {
			t.Errorf("value %q: exit %d after %d requests, want %d and none", v, r.code, r.reads+r.writes, ExitUsage)
		}
	}
}

// echoingPut answers every PUT with a 422 whose body, made by answer from
// the request's body and encrypted value, repeats what it was sent, as a
// validation error that echoes its input would. It records each encrypted
// value it was sent.
type echoingPut struct {
	next   http.RoundTripper
	sent   *[]string
	answer func(body []byte, sealed string) (contentType, text string)
}

func (e echoingPut) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPut {
		return e.next.RoundTrip(req)
	}
	b, _ := io.ReadAll(req.Body)
	var body struct {
		EncryptedValue string `json:"encrypted_value"`
	}
	_ = json.Unmarshal(b, &body)
	*e.sent = append(*e.sent, body.EncryptedValue)
	ct, text := e.answer(b, body.EncryptedValue)
	return &http.Response{StatusCode: 422, Header: http.Header{"Content-Type": {ct}}, Body: io.NopCloser(strings.NewReader(text)), Request: req}, nil
}

// echoInJSON repeats the encrypted value in GitHub's JSON error.
func echoInJSON(_ []byte, sealed string) (string, string) {
	msg, _ := json.Marshal(map[string]any{"message": "Invalid request: " + sealed + " is not valid",
		"errors": []map[string]string{{"resource": "Secret", "field": "encrypted_value", "code": sealed}}})
	return "application/json", string(msg)
}

// echoPastTheCut repeats the whole request in plain text after a long
// prefix, so the encrypted value straddles the point where an error
// message is cut short.
func echoPastTheCut(body []byte, _ string) (string, string) {
	return "text/plain", strings.Repeat("x", 150) + " invalid body: " + string(body)
}

func TestAnEncryptedValueThatGitHubRepeatsNeverShows(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	var sent []string
	r := runAction(t, srv, map[string]string{"name": "A", "value": "v"}, WithHTTPClient(&http.Client{Transport: echoingPut{next: http.DefaultTransport, sent: &sent, answer: echoInJSON}}))
	wantCode(t, r, ExitFailed)
	if len(sent) == 0 || sent[0] == "" {
		t.Fatal("no encrypted value was sent")
	}
	for _, ct := range sent {
		for where, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "summary": r.summary, "outputs": fmt.Sprint(r.outputs)} {
			if strings.Contains(text, ct) {
				t.Errorf("%s contains the encrypted value", where)
			}
		}
	}
	if !strings.Contains(r.stdout, "[encrypted value]") {
		t.Errorf("GitHub's message is not shown, redacted:\n%s", r.stdout)
	}
}

func TestConflictAndMissingPermissionMessages(t *testing.T) {
	t.Parallel()
	t.Run("a 409 says to make the secret selected first", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("S", "v", "selected", ids["web"])
		srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/S/repositories/*", Status: http.StatusConflict, Body: `{"message":"Conflict"}`})
		r := runAction(t, srv, map[string]string{"operation": "add-repositories", "name": "S", "repositories": "api"})
		wantCode(t, r, ExitFailed)
		if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, "visibility: selected") {
			t.Errorf("the 409 does not say to set visibility: selected:\n%s", r.stdout)
		}
	})
	t.Run("a 404 on the organization explains GitHub's 404 for a missing scope", func(t *testing.T) {
		t.Parallel()
		srv, _ := newServer(t, fakegithub.WithPermission(fakegithub.NoAccess404))
		r := runAction(t, srv, map[string]string{"operation": "list"})
		wantCode(t, r, ExitFailed)
		for _, want := range []string{"::error::", "GitHub answered 404", "as it does when a permission is missing", "has the scopes repo; these endpoints need admin:org"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
	})
}

func TestSetWithSelectedAndNoRepositoriesKeepsTheList(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("S", "old", "selected", ids["web"], ids["api"])
	r := runAction(t, srv, map[string]string{"name": "S", "value": "new", "visibility": "selected"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "S", "new", "selected", ids["web"], ids["api"])
}

func TestARunThatFailsBeforeAnyChangeStillWritesASummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []fakegithub.Option
		in   map[string]string
		want []string
	}{
		{"bad input", nil, map[string]string{"name": "A", "value": "v", "visibility": "nope"},
			[]string{"### Codespaces secrets: set in acme", "no request was sent", "`visibility`"}},
		{"a repository that does not exist", nil, map[string]string{"name": "A", "value": "v", "visibility": "selected", "repositories": "nowhere"},
			[]string{"nothing was changed", "nowhere"}},
		{"a token without permission", []fakegithub.Option{fakegithub.WithPermission(fakegithub.NoAccess404)}, map[string]string{"operation": "list"},
			[]string{"### Codespaces secrets: list in acme", "nothing was changed", "admin:org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t, tt.opts...)
			r := runAction(t, srv, tt.in)
			if r.code == ExitOK || r.writes != 0 {
				t.Fatalf("exit %d with %d writes, want a failure with none", r.code, r.writes)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.summary, w) {
					t.Errorf("the summary lacks %q:\n%s", w, r.summary)
				}
			}
		})
	}
}

func TestGetOfAMissingSecretStillReportsTheOthers(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("A", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "get", "name": "A,MISSING"})
	wantCode(t, r, ExitFindings)
	if diff := cmp.Diff([]secretResult{{Name: "A", Visibility: "all"}}, secrets(t, r), ignoreDates); diff != "" {
		t.Errorf("result, A alone (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, "MISSING") {
		t.Errorf("the missing secret is not reported:\n%s", r.stdout)
	}
	if !strings.Contains(r.summary, "| `MISSING` | read | — | — | ⚠️ secret MISSING does not exist") || strings.Contains(r.summary, "failed") {
		t.Errorf("the summary does not show MISSING as a finding (not a failure):\n%s", r.summary)
	}
}

func TestTheSecretLimitIsCheckedBeforeTheFirstWrite(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	for i := range 99 {
		srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "all")
	}
	r := runAction(t, srv, map[string]string{"secrets": "NEW_A=a\nNEW_B=b"})
	wantCode(t, r, ExitUsage)
	if r.writes != 0 || !strings.Contains(r.stdout, "over GitHub's limit of 100") {
		t.Errorf("%d writes; stdout:\n%s", r.writes, r.stdout)
	}
}

func TestSetWithANewListDoesNotReadTheOldOne(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("NPM_TOKEN", "old", "selected", ids["web"])
	r := runAction(t, srv, map[string]string{"name": "NPM_TOKEN", "value": "new", "repositories": "api"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "NPM_TOKEN", "new", "selected", ids["api"])
	if r.reads != 3 || r.writes != 1 {
		t.Errorf("%d reads and %d writes, want 3 (the repository, the list of secrets, the key) and 1", r.reads, r.writes)
	}
}

func TestGetOfSeveralSecretsReadsOneList(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("A", "v", "all")
	srv.AddSecret("B", "v", "private")
	srv.AddSecret("C", "v", "selected", ids["web"])
	r := runAction(t, srv, map[string]string{"operation": "get", "name": "a,B,C"})
	wantCode(t, r, ExitOK)
	if r.reads != 2 {
		t.Errorf("%d reads, want 2 (the list of secrets, and C's repositories)", r.reads)
	}
	if n := len(secrets(t, r)); n != 3 {
		t.Errorf("%d secrets in the result, want 3: %s", n, r.outputs["result"])
	}
}

func TestAValueFromStdinLosesOneLineEndingOnly(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"v\n": "v", "v\r\n": "v", "v\n\n": "v\n", "v\r": "v\r", "v": "v", "\n": "", " v \n": " v ",
	} {
		if got := dropLineEnding(in); got != want {
			t.Errorf("dropLineEnding(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoPartOfAnEncryptedValueShowsWhenGitHubsAnswerIsCutShort(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	var sent []string
	r := runAction(t, srv, map[string]string{"name": "A", "value": "a value of some length"}, WithHTTPClient(&http.Client{Transport: echoingPut{next: http.DefaultTransport, sent: &sent, answer: echoPastTheCut}}))
	wantCode(t, r, ExitFailed)
	if len(sent) == 0 {
		t.Fatal("nothing was sent")
	}
	for _, ct := range sent {
		for where, text := range map[string]string{"stdout": r.stdout, "summary": r.summary, "outputs": fmt.Sprint(r.outputs)} {
			if strings.Contains(text, ct[:8]) {
				t.Errorf("%s contains the start of the encrypted value", where)
			}
		}
	}
}

// writeManifest writes a manifest for operation sync and returns its path.
func writeManifest(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "codespaces-secrets.yml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// countRepo counts the changes whose repositories list name.
func countRepo(cs []change, name string) int {
	n := 0
	for _, c := range cs {
		for _, r := range c.Repositories {
			if r == name {
				n++
			}
		}
	}
	return n
}

func TestSyncSendsARepositoryGivenByNameAndByIDOnce(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("S", "v", "selected", ids["api"])
	srv.AddSecret("T", "v", "selected", ids["web"]) // so a list read anyway holds acme/web
	m := fmt.Sprintf("secrets:\n  S:\n    visibility: selected\n    repositories: [web, %d]\n  T:\n    visibility: selected\n    repositories: [web]\n", ids["web"])
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": writeManifest(t, m)})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "S", "v", "selected", ids["web"])
	if n := countRepo(changes(t, r), "acme/web"); n != 2 { // once for S, once for T
		t.Errorf("acme/web appears %d times in the result, want 2: %s", n, r.outputs["result"])
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if n := strings.Count(string(last.Body), fmt.Sprint(ids["web"])); n != 1 {
		t.Errorf("the write sent web's id %d times: %s", n, last.Body)
	}
}

// TestSyncNamesARepositoryListedByIDAndByName: a repository a manifest
// lists by id and again by name is shown by its full name, as set shows
// it, whichever entry comes first.
func TestSyncNamesARepositoryListedByIDAndByName(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	m := writeManifest(t, fmt.Sprintf("secrets:\n  A:\n    visibility: selected\n    repositories: [%d, api]\n", ids["api"]))
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "secrets": "A=1"})
	wantCode(t, r, ExitOK)
	want := []change{{Name: "A", Action: "create", Visibility: "selected", Repositories: []string{"acme/api"}, ValueWritten: true}}
	if diff := cmp.Diff(want, changes(t, r)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

func TestSyncMatchesRepositoryNamesInTheListsIgnoringCase(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("S", "v", "selected", ids["web"])
	m := "secrets:\n  S:\n    visibility: selected\n    repositories: [WEB, Acme/Web]\n"
	r := runAction(t, srv, map[string]string{"operation": "sync", "org": "ACME", "manifest": writeManifest(t, m)})
	wantCode(t, r, ExitOK)
	if r.writes != 0 || r.reads != 2 {
		t.Errorf("%d reads and %d writes, want 2 (the secrets, S's list) and 0", r.reads, r.writes)
	}
}
