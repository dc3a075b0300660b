package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

const (
	testOrg   = "acme"
	testToken = "ghp_test_token_1234567890"
)

// newFakeClock returns a fake clock at 03:00 on the day the tests were
// written: retries and pacing take no real time, and every wait is recorded.
func newFakeClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC))
}

// zeroRand is a deterministic random source.
type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 7
	}
	return len(p), nil
}

// run is what one run of the action left behind.
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
func newServer(t *testing.T, opts ...fakegithub.Option) (*fakegithub.Server, map[string]int64) {
	t.Helper()
	srv, _ := fakegithubtest.Start(t, append([]fakegithub.Option{fakegithub.WithOrg(testOrg), fakegithub.WithToken(testToken)}, opts...)...)
	ids := map[string]int64{}
	for _, name := range []string{"web", "api", "docs"} {
		ids[name] = srv.AddRepo(name).ID
	}
	return srv, ids
}

// runAction runs Main as the Actions runner would: INPUT_* variables (upper
// case, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Any other
// variable it reads fails the test.
func runAction(t *testing.T, srv *fakegithub.Server, in map[string]string, opts ...Option) actionRun {
	t.Helper()
	dir := t.TempDir()
	outFile, sumFile := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_OUTPUT":       outFile,
		"GITHUB_STEP_SUMMARY": sumFile,
		"INPUT_TOKEN":         testToken,
		"INPUT_ORG":           testOrg,
		"INPUT_API-URL":       srv.URL(),
		"INPUT_OPERATION":     "set",
		"INPUT_DRY-RUN":       "false",
		"INPUT_ALLOW-EMPTY":   "false",
		"INPUT_PRUNE":         "false",
		"INPUT_MANIFEST":      ".github/codespaces-secrets.yml",
	}
	for k, v := range in {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "INPUT_") {
			for _, in := range inputs.Inputs {
				if inputs.EnvName(in.Name) == k {
					return "" // a declared input the workflow did not set
				}
			}
			t.Errorf("the action read %s, which action.yml does not declare", k)
			return ""
		}
		t.Errorf("the action read an unexpected environment variable %q", k)
		return ""
	}
	var stdout, stderr bytes.Buffer
	writes, reads := srv.Writes(), srv.Count("GET")
	opts = append([]Option{WithClock(newFakeClock()), WithRand(zeroRand{})}, opts...)
	code := Main(context.Background(), []string{"codespaces-org-secrets"}, getenv, strings.NewReader(""), &stdout, &stderr, opts...)
	r := actionRun{code: code, stdout: stdout.String(), stderr: stderr.String(), outputs: readOutputs(t, outFile), writes: srv.Writes() - writes, reads: srv.Count("GET") - reads}
	for name := range r.outputs {
		if !declaredOutput(name) {
			t.Errorf("the action wrote output %q, which action.yml does not declare", name)
		}
	}
	if b, err := os.ReadFile(sumFile); err == nil {
		r.summary = string(b)
	}
	return r
}

// readOutputs reads the GITHUB_OUTPUT file a run wrote, if any.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return reporttest.ParseOutputs(b)
}

// changes decodes the result output of a write operation.
func changes(t *testing.T, r actionRun) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(r.outputs["result"]), &out); err != nil {
		t.Fatalf("result is not a JSON array: %v\n%s\nstdout:\n%s", err, r.outputs["result"], r.stdout)
	}
	return out
}

func wantCode(t *testing.T, r actionRun, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func wantSecret(t *testing.T, srv *fakegithub.Server, name, value, visibility string, repos ...int64) {
	t.Helper()
	s, ok := srv.Secret(name)
	if !ok {
		t.Fatalf("secret %s does not exist", name)
	}
	if s.Value != value {
		t.Errorf("%s: value %q, want %q", name, s.Value, value)
	}
	if s.Visibility != visibility {
		t.Errorf("%s: visibility %q, want %q", name, s.Visibility, visibility)
	}
	if !sameSet(s.RepoIDs, repos) {
		t.Errorf("%s: repositories %v, want %v", name, s.RepoIDs, repos)
	}
}

func sameSet(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int64]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

func declaredOutput(name string) bool {
	for _, o := range inputs.Outputs {
		if o.Name == name {
			return true
		}
	}
	return false
}
