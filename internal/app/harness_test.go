package app

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs/inputstest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

const (
	// testWorkspace is GITHUB_WORKSPACE, as in the action's container.
	testWorkspace = "/github/workspace"
	testOrg       = "acme"
	testToken     = "ghp_test_token_1234567890"
)

// newFakeClock returns a fake clock at 03:00 on the day the tests were
// written: retries and pacing take no real time, and every wait is recorded.
func newFakeClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC))
}

// sevens is a deterministic random source: every byte it gives is 7, so
// the ephemeral keys of sealed boxes are the same from run to run.
type sevens struct{}

func (sevens) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 7
	}
	return len(p), nil
}

// actionRun is what one run of the action left behind.
type actionRun struct {
	code    int
	stdout  string
	stderr  string
	outputs map[string]string
	summary string
	writes  int // write requests the fake server received during the run
	reads   int
}

// newServer starts a fake GitHub for testOrg with three repositories, and
// returns their ids by name. The fake is strict: a request it cannot match
// or a fault nothing used fails the test (fakegithubtest.Start).
func newServer(t *testing.T, opts ...fakegithub.Option) (*fakegithubtest.Server, map[string]int64) {
	t.Helper()
	srv, _ := fakegithubtest.Start(t, append([]fakegithub.Option{fakegithub.WithOrg(testOrg), fakegithub.WithToken(testToken)}, opts...)...)
	ids := map[string]int64{}
	for _, name := range []string{"web", "api", "docs"} {
		ids[name] = srv.AddRepo(name).ID
	}
	return srv, ids
}

// runAction runs Main as the Actions runner would: the INPUT_* variables
// of inputstest.ActionEnv (the token, org and api-url of srv, then in),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Any other variable it reads,
// and any output action.yml does not declare, fails the test.
func runAction(t testing.TB, srv *fakegithubtest.Server, in map[string]string, opts ...Option) actionRun {
	t.Helper()
	with := map[string]string{"token": testToken, "org": testOrg, "api-url": srv.URL()}
	maps.Copy(with, in)
	return runActionWith(t, with, func() (int, int) { return srv.Writes(), srv.Count("GET") }, opts...)
}

// runActionWith runs Main as runAction does, with exactly the inputs of
// with; counts returns the writes and reads the fake has received.
func runActionWith(t testing.TB, with map[string]string, counts func() (writes, reads int), opts ...Option) actionRun {
	t.Helper()
	dir := t.TempDir()
	outFile, sumFile := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	env := inputstest.ActionEnv(t, with)
	env["GITHUB_ACTIONS"], env["GITHUB_OUTPUT"], env["GITHUB_STEP_SUMMARY"] = "true", outFile, sumFile
	env["GITHUB_WORKSPACE"] = testWorkspace
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "INPUT_") {
			if !inputstest.DeclaredVar(k) {
				t.Errorf("the action read %s, which action.yml does not declare", k)
			}
			return "" // a declared input the workflow did not set
		}
		t.Errorf("the action read an unexpected environment variable %q", k)
		return ""
	}
	var stdout, stderr bytes.Buffer
	writes, reads := counts()
	opts = append([]Option{WithClock(newFakeClock()), WithRand(sevens{})}, opts...)
	code := Main(context.Background(), []string{"codespaces-org-secrets"}, getenv, strings.NewReader(""), &stdout, &stderr, opts...)
	r := actionRun{code: code, stdout: stdout.String(), stderr: stderr.String(), outputs: reporttest.ReadOutputs(t, outFile)}
	w, g := counts()
	r.writes, r.reads = w-writes, g-reads
	for name := range r.outputs {
		if !inputstest.DeclaredOutput(name) {
			t.Errorf("the action wrote output %q, which action.yml does not declare", name)
		}
	}
	if b, err := os.ReadFile(sumFile); err == nil {
		r.summary = string(b)
	}
	return r
}

// The result output, as reporttest reads it.
type (
	change       = reporttest.Change
	scope        = reporttest.Scope
	secretResult = reporttest.Secret
	repoResult   = reporttest.Repository
)

// changes decodes the result output of a write operation.
func changes(t *testing.T, r actionRun) []change {
	t.Helper()
	return reporttest.DecodeResult[[]change](t, r.outputs)
}

// secrets decodes the result output of list and get.
func secrets(t *testing.T, r actionRun) []secretResult {
	t.Helper()
	return reporttest.DecodeResult[[]secretResult](t, r.outputs)
}

// actions returns the action of each change.
func actions(cs []change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Action
	}
	return out
}

// ignoreDates compares secretResults without their dates, which the fake
// takes from the wall clock.
var ignoreDates = cmpopts.IgnoreFields(secretResult{}, "CreatedAt", "UpdatedAt")

// failed reports, change by change, whether it failed.
func failed(cs []change) []bool {
	out := make([]bool, len(cs))
	for i, c := range cs {
		out[i] = c.Error != ""
	}
	return out
}

func wantCode(t *testing.T, r actionRun, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// sortIDs makes cmp compare lists of repository ids in any order.
var sortIDs = cmpopts.SortSlices(func(a, b int64) bool { return a < b })

// sameSet reports whether a and b hold the same repository ids, in any
// order.
func sameSet(a, b []int64) bool { return cmp.Equal(a, b, sortIDs, cmpopts.EquateEmpty()) }

// secretState is what the fake holds for a secret: all a test can see.
type secretState struct {
	Value, Visibility string
	RepoIDs           []int64
}

// wantSecret checks a secret the fake holds: its value, its visibility and
// its repositories (in any order).
func wantSecret(t *testing.T, srv *fakegithubtest.Server, name, value, visibility string, repos ...int64) {
	t.Helper()
	s, ok := srv.Secret(name)
	if !ok {
		t.Fatalf("secret %s does not exist", name)
	}
	want := secretState{Value: value, Visibility: visibility, RepoIDs: repos}
	got := secretState{Value: s.Value, Visibility: s.Visibility, RepoIDs: s.RepoIDs}
	if diff := cmp.Diff(want, got, sortIDs, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("secret %s (-want +got):\n%s", name, diff)
	}
}
