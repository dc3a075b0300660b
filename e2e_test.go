package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs/inputstest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

// These tests build the real binary and run it the way the Actions runner
// does (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), and
// the way a person does on a workstation (flags, GH_TOKEN, stdin).

const (
	org   = "acme"
	token = "ghs_e2e_token"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "codespaces-org-secrets-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "codespaces-org-secrets")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-trimpath", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if other := os.Getenv("E2E_BINARY"); other != "" {
		// Another build, such as an older release's, to compare: the
		// tests of what it lacks fail, and -v shows what it prints.
		build = exec.Command("cp", other, binary)
	}
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the binary failed: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// readSources reads the module's Go sources and go.mod and go.sum. The
// test cache does not see what the go build in TestMain reads, only what a
// test opens: without this, a change below main would leave an old result
// of these tests in the cache. Every test that runs the binary calls it
// (through newFixture), once.
var readSources = sync.OnceValue(func() error { return readTree(".") })

func readTree(root string) error {
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata"):
			return filepath.SkipDir
		case d.IsDir() || !(strings.HasSuffix(p, ".go") || p == "go.mod" || p == "go.sum"):
			return nil
		}
		_, err = os.ReadFile(p)
		return err
	})
}

// result is what one run of the binary left behind.
type result struct {
	code            int
	stdout, stderr  string
	outputs         map[string]string
	summary         string
	writes, reads   int
	requestsInTotal int
}

type fixture struct {
	srv *fakegithubtest.Server
	url string
	ids map[string]int64
	dir string // the workspace: the binary's working directory
}

// newFixture starts the fake with the fixture's organization and token,
// then opts (more tokens, say), and three repositories.
func newFixture(t *testing.T, opts ...fakegithub.Option) *fixture {
	t.Helper()
	if err := readSources(); err != nil {
		t.Fatal(err)
	}
	srv, url := fakegithubtest.Start(t, append([]fakegithub.Option{fakegithub.WithOrg(org), fakegithub.WithToken(token)}, opts...)...) // strict: see fakegithubtest.Verify
	f := &fixture{srv: srv, url: url, ids: map[string]int64{}, dir: t.TempDir()}
	for _, n := range []string{"web", "api", "docs"} {
		f.ids[n] = srv.AddRepo(n).ID
	}
	return f
}

// action runs the binary as a workflow step with the given inputs: the
// INPUT_* variables of inputstest.ActionEnv (the fixture's token, org and
// api-url, then in), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
func (f *fixture) action(t *testing.T, in map[string]string) result {
	t.Helper()
	outFile, sumFile := filepath.Join(t.TempDir(), "output"), filepath.Join(t.TempDir(), "summary")
	for _, p := range []string{outFile, sumFile} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append([]string{"GITHUB_OUTPUT=" + outFile, "GITHUB_STEP_SUMMARY=" + sumFile}, f.actionEnv(t, in)...)
	r := f.exec(t, env, "", nil)
	r.outputs = reporttest.ReadOutputs(t, outFile)
	b, _ := os.ReadFile(sumFile)
	r.summary = string(b)
	return r
}

// actionEnv returns the environment the runner gives a step of this
// action with inputs: GITHUB_ACTIONS, and the INPUT_* variables of
// inputstest.ActionEnv (the fixture's token, org and api-url, then in).
func (f *fixture) actionEnv(t testing.TB, in map[string]string) []string {
	t.Helper()
	with := map[string]string{"token": token, "org": org, "api-url": f.url}
	maps.Copy(with, in)
	env := []string{"GITHUB_ACTIONS=true"}
	for k, v := range inputstest.ActionEnv(t, with) {
		env = append(env, k+"="+v)
	}
	return env
}

// local runs the binary as a command on a workstation.
func (f *fixture) local(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return f.exec(t, []string{"GH_TOKEN=" + token}, stdin, args)
}

func (f *fixture) exec(t *testing.T, env []string, stdin string, args []string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = f.dir
	cmd.Env = append(env, "PATH="+os.Getenv("PATH"), "HOME="+t.TempDir())
	cmd.Stdin = strings.NewReader(stdin)
	return f.run(t, cmd)
}

// run runs cmd and returns its exit code, its output and the requests the
// fake received meanwhile.
func (f *fixture) run(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	writes, reads, total := f.srv.Writes(), f.srv.Count("GET"), f.srv.Count("")
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", cmd.Path, err)
	}
	r.writes, r.reads, r.requestsInTotal = f.srv.Writes()-writes, f.srv.Count("GET")-reads, f.srv.Count("")-total
	return r
}

func (f *fixture) writeManifest(t *testing.T, text string) {
	t.Helper()
	p := filepath.Join(f.dir, ".github", "codespaces-secrets.yml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantExit(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func (f *fixture) wantSecret(t *testing.T, name, value, visibility string, repos ...string) {
	t.Helper()
	s, ok := f.srv.Secret(name)
	if !ok {
		t.Fatalf("secret %s does not exist", name)
	}
	type state struct {
		Value, Visibility string
		Repositories      []string
	}
	want := state{Value: value, Visibility: visibility, Repositories: repos}
	got := state{Value: s.Value, Visibility: s.Visibility}
	if value == "" {
		got.Value = "" // not checked
	}
	for _, id := range s.RepoIDs {
		got.Repositories = append(got.Repositories, f.name(id))
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("secret %s (-want +got):\n%s", name, diff)
	}
}

// name returns the fixture's name for a repository id, or the id.
func (f *fixture) name(id int64) string {
	for n, i := range f.ids {
		if i == id {
			return n
		}
	}
	return fmt.Sprint(id)
}

// The result output, as reporttest reads it.
type (
	change       = reporttest.Change
	secretResult = reporttest.Secret
	repoResult   = reporttest.Repository
)

// ignoreDates compares secretResults without their dates, which the fake
// takes from the wall clock.
var ignoreDates = cmpopts.IgnoreFields(secretResult{}, "CreatedAt", "UpdatedAt")

func TestEveryOperationThroughTheBinary(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	r := f.action(t, map[string]string{"name": "NPM_TOKEN", "value": "v1", "visibility": "selected", "repositories": "web\napi"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "v1", "selected", "web", "api")

	// Rotation keeps the visibility and the list.
	r = f.action(t, map[string]string{"name": "NPM_TOKEN", "value": "v2"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "v2", "selected", "web", "api")

	r = f.action(t, map[string]string{"operation": "add-repositories", "name": "NPM_TOKEN", "repositories": "docs"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "v2", "selected", "web", "api", "docs")

	r = f.action(t, map[string]string{"operation": "remove-repositories", "name": "NPM_TOKEN", "repositories": "web"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "v2", "selected", "api", "docs")

	r = f.action(t, map[string]string{"operation": "set-repositories", "name": "NPM_TOKEN", "repositories": "web"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "v2", "selected", "web")

	web := repoResult{ID: f.ids["web"], Name: "web", FullName: "acme/web"}
	r = f.action(t, map[string]string{"operation": "list-repositories", "name": "NPM_TOKEN"})
	wantExit(t, r, 0)
	if want := fmt.Sprintf(`[{"org":"acme","id":%d,"name":"web","full_name":"acme/web"}]`, f.ids["web"]); r.outputs["result"] != want {
		t.Errorf("list-repositories result %s, want %s", r.outputs["result"], want)
	}

	r = f.action(t, map[string]string{"operation": "get", "name": "NPM_TOKEN"})
	wantExit(t, r, 0)
	want := []secretResult{{Name: "NPM_TOKEN", Visibility: "selected", Repositories: &[]repoResult{web}}}
	if diff := cmp.Diff(want, reporttest.DecodeResult[[]secretResult](t, r.outputs), ignoreDates); diff != "" {
		t.Errorf("get result (-want +got):\n%s", diff)
	}

	r = f.action(t, map[string]string{"operation": "list"})
	wantExit(t, r, 0)
	want[0].Repositories = nil // list does not read them
	if diff := cmp.Diff(want, reporttest.DecodeResult[[]secretResult](t, r.outputs), ignoreDates); diff != "" {
		t.Errorf("list result (-want +got):\n%s", diff)
	}

	r = f.action(t, map[string]string{"operation": "public-key"})
	wantExit(t, r, 0)
	if id, key := f.srv.PublicKey(); r.outputs["key-id"] != id || r.outputs["key"] != key {
		t.Errorf("public-key outputs %v", r.outputs)
	}

	r = f.action(t, map[string]string{"operation": "delete", "name": "NPM_TOKEN"})
	wantExit(t, r, 0)
	if _, ok := f.srv.Secret("NPM_TOKEN"); ok {
		t.Error("NPM_TOKEN was not deleted")
	}
	if !strings.Contains(r.summary, "| `NPM_TOKEN` | delete |") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestBinaryDryRunAndBadInputWriteNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("KEEP", "v", "all")
	for name, in := range map[string]map[string]string{
		"dry run":               {"name": "NEW", "value": "v", "dry-run": "true"},
		"dry-run delete":        {"operation": "delete", "name": "KEEP", "dry-run": "true"},
		"an invalid name":       {"name": "GITHUB_X", "value": "v"},
		"an empty value":        {"name": "X", "value": ""},
		"an unknown repository": {"name": "X", "value": "v", "visibility": "selected", "repositories": "nope"},
	} {
		r := f.action(t, in)
		if r.writes != 0 {
			t.Errorf("%s: %d writes", name, r.writes)
		}
		if name != "dry run" && name != "dry-run delete" && r.code == 0 {
			t.Errorf("%s: exit code 0", name)
		}
	}
	f.wantSecret(t, "KEEP", "v", "all")
}

func TestBinaryCanaryValueNeverLeaks(t *testing.T) {
	t.Parallel()
	const canary = "zq-c4n4ry-%0A-::error::boom\nzq-second %25 line\n::set-output name=x::zq-third"
	f := newFixture(t)
	f.srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/B", Status: 422, Body: `{"message":"nope"}`})
	r := f.action(t, map[string]string{"secrets": "A<<EOF\n" + canary + "\nEOF\nB<<EOF\n" + canary + "\nEOF"})
	wantExit(t, r, 1)
	f.wantSecret(t, "A", canary, "private")
	var visible []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			visible = append(visible, l)
		}
	}
	if !strings.Contains(r.outputs["summary"], "| `A` |") || !strings.Contains(r.outputs["summary"], "| `B` |") {
		t.Errorf("the summary output lacks the rows of A and B:\n%s", r.outputs["summary"])
	}
	for _, text := range []string{strings.Join(visible, "\n"), r.stderr, r.summary, fmt.Sprint(r.outputs), r.outputs["summary"]} {
		for _, piece := range []string{"zq-c4n4ry", "zq-second", "zq-third"} {
			if strings.Contains(text, piece) {
				t.Errorf("%q leaked into:\n%s", piece, text)
			}
		}
	}
}

// TestBinaryMasksTheTokenFirst: a token minted in the job (a GitHub App
// token) is no secret to the runner, so the binary masks it before it
// prints anything, whatever the run does next.
func TestBinaryMasksTheTokenFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, in := range map[string]map[string]string{
		"a list":           {"operation": "list"},
		"an invalid input": {"operation": "rotate"},
	} {
		r := f.action(t, in)
		if !slices.Contains(reporttest.LeadingMasks(r.stdout), token) {
			t.Errorf("%s: the token is not masked before the first other line:\n%s", name, r.stdout)
		}
	}
}

func TestLocalMode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	t.Run("reads flags, takes the value from stdin, prints JSON on stdout", func(t *testing.T) {
		r := f.local(t, "from-stdin\n", "--org", org, "--api-url", f.url, "--name", "LOCAL", "--value", "-", "--visibility", "all")
		wantExit(t, r, 0)
		f.wantSecret(t, "LOCAL", "from-stdin", "all")
		var got []change
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("stdout %q is not the JSON result: %v", r.stdout, err)
		}
		if diff := cmp.Diff([]change{{Name: "LOCAL", Action: "create", Visibility: "all", Repositories: []string{}, ValueWritten: true}}, got); diff != "" {
			t.Errorf("the result on stdout (-want +got):\n%s", diff)
		}
		if !strings.Contains(r.stderr, "LOCAL") || strings.Contains(r.stdout+r.stderr, "from-stdin") {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("a bad flag value exits 2 with no request", func(t *testing.T) {
		r := f.local(t, "", "--org", org, "--api-url", f.url, "--operation", "list", "--visibility", "nope")
		wantExit(t, r, 2)
		if r.requestsInTotal != 0 {
			t.Errorf("%d requests", r.requestsInTotal)
		}
	})
	t.Run("an unknown flag exits 2", func(t *testing.T) {
		wantExit(t, f.local(t, "", "--colour"), 2)
	})
	t.Run("a missing token exits 2", func(t *testing.T) {
		r := f.exec(t, nil, "", []string{"--org", org, "--api-url", f.url, "--operation", "list"})
		wantExit(t, r, 2)
		if !strings.Contains(r.stderr, "GH_TOKEN") {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("a refused request exits 1", func(t *testing.T) {
		r := f.local(t, "", "--org", "nobody", "--api-url", f.url, "--operation", "list")
		wantExit(t, r, 1)
	})
	t.Run("--help lists the flags", func(t *testing.T) {
		r := f.local(t, "", "--help")
		wantExit(t, r, 0)
		for _, flag := range []string{"--operation", "--repositories", "--dry-run", "--api-url"} {
			if !strings.Contains(r.stdout+r.stderr, strings.TrimPrefix(flag, "-")) {
				t.Errorf("help lacks %s", flag)
			}
		}
	})
	t.Run("--version prints the version", func(t *testing.T) {
		r := f.local(t, "", "--version")
		wantExit(t, r, 0)
		if !strings.HasPrefix(r.stdout, "codespaces-org-secrets ") {
			t.Errorf("stdout %q", r.stdout)
		}
	})
}

const manifestText = `secrets:
  APP_KEY:
    visibility: all
  NPM_TOKEN:
    visibility: selected
    repositories: [web, api]
`

func TestSync(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.writeManifest(t, manifestText)

	r := f.action(t, map[string]string{"operation": "sync", "secrets": "APP_KEY=k1\nNPM_TOKEN=n1"})
	wantExit(t, r, 0)
	f.wantSecret(t, "APP_KEY", "k1", "all")
	f.wantSecret(t, "NPM_TOKEN", "n1", "selected", "web", "api")

	t.Run("a re-run without values makes zero writes", func(t *testing.T) {
		r := f.action(t, map[string]string{"operation": "sync"})
		wantExit(t, r, 0)
		if r.writes != 0 || r.outputs["changed"] != "false" {
			t.Errorf("%d writes, changed=%s\n%s", r.writes, r.outputs["changed"], r.stdout)
		}
	})
	t.Run("a scope change sends one PUT without a value", func(t *testing.T) {
		f.writeManifest(t, strings.Replace(manifestText, "visibility: all", "visibility: private", 1))
		r := f.action(t, map[string]string{"operation": "sync"})
		wantExit(t, r, 0)
		f.wantSecret(t, "APP_KEY", "k1", "private")
		if r.writes != 1 {
			t.Errorf("%d writes, want 1", r.writes)
		}
		last := f.srv.Requests()[len(f.srv.Requests())-1]
		if strings.Contains(string(last.Body), "encrypted_value") {
			t.Errorf("the PUT re-sent a value: %s", last.Body)
		}
	})
	t.Run("a repository change uses set-repositories", func(t *testing.T) {
		changed := strings.Replace(manifestText, "visibility: all", "visibility: private", 1)
		f.writeManifest(t, strings.Replace(changed, "[web, api]", "[docs]", 1))
		r := f.action(t, map[string]string{"operation": "sync"})
		wantExit(t, r, 0)
		f.wantSecret(t, "NPM_TOKEN", "n1", "selected", "docs")
		if r.writes != 1 || !strings.Contains(r.outputs["result"], `"action":"set-repositories"`) {
			t.Errorf("%d writes, result %s", r.writes, r.outputs["result"])
		}
	})
	t.Run("a dry run with prune shows the delete and writes nothing", func(t *testing.T) {
		f.writeManifest(t, manifestText)
		f.srv.AddSecret("STRAY", "s", "all")
		r := f.action(t, map[string]string{"operation": "sync", "prune": "true", "dry-run": "true"})
		wantExit(t, r, 0)
		if r.writes != 0 || !strings.Contains(r.summary, "| `STRAY` | delete |") {
			t.Errorf("%d writes, summary:\n%s", r.writes, r.summary)
		}
		if strings.Index(r.summary, "STRAY") > strings.Index(r.summary, "NPM_TOKEN") {
			t.Errorf("the delete is not shown first:\n%s", r.summary)
		}
	})
	t.Run("a failure in the middle prunes nothing", func(t *testing.T) {
		f.srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/APP_KEY", Status: 422, Body: `{"message":"Validation Failed"}`})
		r := f.action(t, map[string]string{"operation": "sync", "prune": "true", "secrets": "APP_KEY=k2"})
		wantExit(t, r, 1)
		if _, ok := f.srv.Secret("STRAY"); !ok {
			t.Error("STRAY was deleted although a change failed")
		}
		if !strings.Contains(r.outputs["result"], "nothing was deleted") || !strings.Contains(r.summary, ", 1 failed, 1 not run.") {
			t.Errorf("result %s\nsummary:\n%s", r.outputs["result"], r.summary)
		}
	})
	t.Run("prune deletes what the manifest does not list", func(t *testing.T) {
		r := f.action(t, map[string]string{"operation": "sync", "prune": "true"})
		wantExit(t, r, 0)
		if _, ok := f.srv.Secret("STRAY"); ok {
			t.Error("STRAY was not deleted")
		}
	})
}

// TestPruneKeepsASecretTheManifestNamesInLowerCase: GitHub stores names
// in upper case, and a manifest may write them in any case; prune must
// match them up, not delete what the manifest lists.
func TestPruneKeepsASecretTheManifestNamesInLowerCase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("APP_KEY", "k1", "all")
	f.srv.AddSecret("NPM_TOKEN", "n1", "selected", f.ids["web"])
	f.srv.AddSecret("STRAY", "s", "all")
	f.writeManifest(t, "secrets:\n  app_key:\n    visibility: all\n  Npm_Token:\n    visibility: selected\n    repositories: [web]\n")
	r := f.action(t, map[string]string{"operation": "sync", "prune": "true"})
	wantExit(t, r, 0)
	f.wantSecret(t, "APP_KEY", "k1", "all")
	f.wantSecret(t, "NPM_TOKEN", "n1", "selected", "web")
	if _, ok := f.srv.Secret("STRAY"); ok {
		t.Error("STRAY, which the manifest does not list, was not pruned")
	}
	if r.writes != 1 {
		t.Errorf("%d writes, want 1 (the delete of STRAY)\n%s", r.writes, r.stdout)
	}
}

func TestSyncErrorsWriteNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		manifest string
		secrets  string
		want     string
	}{
		{"an unknown key", "secrets:\n  A:\n    visiblity: all\n", "", "::error file=.github/codespaces-secrets.yml,line=3,col="},
		{"a bad visibility", "secrets:\n  A:\n    visibility: public\n", "", "::error file=.github/codespaces-secrets.yml,line=3,col="},
		{"repositories without selected", "secrets:\n  A:\n    visibility: all\n    repositories: [web]\n", "", "::error file=.github/codespaces-secrets.yml,line=4,col="},
		{"duplicate names", "secrets:\n  A:\n    visibility: all\n  a:\n    visibility: all\n", "", "::error file=.github/codespaces-secrets.yml,line=4,col="},
		{"an invalid name", "secrets:\n  GITHUB_A:\n    visibility: all\n", "", "::error file=.github/codespaces-secrets.yml,line=2,col="},
		{"a repository that does not exist", "secrets:\n  A:\n    visibility: selected\n    repositories: [nope]\n", "A=1", "::error file=.github/codespaces-secrets.yml,line=4,col=20::secret A: `repositories`: repository \"acme/nope\""},
		{"a repository of another organization", "secrets:\n  A:\n    visibility: selected\n    repositories: [web, other/x]\n", "A=1", "::error file=.github/codespaces-secrets.yml,line=4,col=25::secret A: repository \"other/x\" is not in organization \"acme\""},
		{"a value for a name the manifest does not list", "secrets:\n  A:\n    visibility: all\n", "A=1\nB=2", "does not list"},
		{"a new secret without a value", "secrets:\n  NEW:\n    visibility: all\n", "", "::error file=.github/codespaces-secrets.yml,line=2,col=3::secret NEW does not exist yet"},
		{"no manifest", "", "", "manifest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.srv.AddSecret("EXISTING", "v", "all")
			if tt.manifest != "" {
				f.writeManifest(t, tt.manifest)
			}
			r := f.action(t, map[string]string{"operation": "sync", "secrets": tt.secrets, "prune": "true"})
			if r.code == 0 {
				t.Fatalf("exit code 0\n%s", r.stdout)
			}
			if r.writes != 0 {
				t.Errorf("%d writes", r.writes)
			}
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("the error lacks %q:\n%s", tt.want, r.stdout)
			}
			if _, ok := f.srv.Secret("EXISTING"); !ok {
				t.Error("EXISTING was deleted")
			}
		})
	}
}

// BenchmarkStartToFirstRequest measures the time from starting the binary
// to GitHub receiving its first request: what the binary itself adds to a
// step before the network takes over.
func BenchmarkStartToFirstRequest(b *testing.B) {
	srv := fakegithubtest.New(fakegithub.WithOrg(org), fakegithub.WithToken(token), fakegithub.WithBasePath("/api/v3"))
	first := make(chan time.Time, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case first <- time.Now():
		default:
		}
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	env := []string{"GH_TOKEN=" + token, "PATH=" + os.Getenv("PATH")}
	var total time.Duration
	for b.Loop() {
		for len(first) > 0 {
			<-first
		}
		cmd := exec.Command(binary, "--org", org, "--api-url", ts.URL+"/api/v3", "--operation", "list")
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		total += (<-first).Sub(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-to-first-request")
}

// TestTheBinaryLinksOnlyItsRuntime keeps the action lean: the OpenAPI
// tooling, the schema validator and test code (package testing, httptest,
// the mocks) must never be linked into the binary, though --demo runs the
// fake GitHub from it: nor the fake's fault injection and request log.
func TestTheBinaryLinksOnlyItsRuntime(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"github.com/getkin/kin-openapi", "github.com/oapi-codegen/oapi-codegen", "github.com/santhosh-tekuri/jsonschema",
		"github.com/jarcoal/httpmock", "github.com/google/go-cmp", "testing", "net/http/httptest"}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == f || strings.HasPrefix(pkg, f+"/") {
				t.Errorf("the binary links %s", pkg)
			}
		}
		if strings.HasPrefix(pkg, "github.com/codespaces-org-secrets/") && strings.HasSuffix(pkg, "test") {
			t.Errorf("the binary links the test helpers of %s", pkg)
		}
	}
	// The fake GitHub is linked, for --demo, but not what only tests use of
	// it: the injected faults and the request log (package fakegithubtest).
	if err := readSources(); err != nil {
		t.Fatal(err)
	}
	syms, err := exec.Command("go", "tool", "nm", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	fake := regexp.MustCompile(`/internal/fakegithub[./](.*(Fault|Inject|Requests|Unmatched)|test)`)
	for _, sym := range strings.Split(string(syms), "\n") {
		if fake.MatchString(sym) {
			t.Errorf("the binary links what only tests use of the fake GitHub: %s", strings.TrimSpace(sym))
		}
	}
}

// TestBinaryRefetchesAKeyRotatedMidRun rotates the organization's key
// between the binary's key fetch and its PUT: GitHub refuses the box, the
// binary fetches the new key, seals again and succeeds. (The faults that
// need waits run through the same Main in internal/app, with a fake clock.)
func TestBinaryRefetchesAKeyRotatedMidRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/ROTATED", Before: f.srv.RotateKey, PassThrough: true})
	r := f.action(t, map[string]string{"name": "ROTATED", "value": "v"})
	wantExit(t, r, 0)
	f.wantSecret(t, "ROTATED", "v", "private")
	if n := f.srv.Count("PUT"); n != 2 {
		t.Errorf("%d PUTs, want 2", n)
	}
}

// TestBinarySurvivesShortFaults runs the binary itself against the faults
// whose waits are short enough to take for real (a second or three each; the
// cases run in parallel). The faults that need a minute's wait, and the
// exact waits of every case, are tested through the same Main in
// internal/app with a fake clock.
func TestBinarySurvivesShortFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fault    fakegithubtest.Fault
		wantPUTs int
	}{
		{"two 502s, then success",
			fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/B", Status: 502, Times: 2}, 5},
		{"a 429 with retry-after: 1",
			fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/B", Status: 429,
				Header: map[string]string{"Retry-After": "1"}, Body: `{"message":"You have exceeded a secondary rate limit."}`}, 4},
		{"a connection reset mid-run",
			fakegithubtest.Fault{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/B", Reset: true}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.srv.AddSecret("B", "old", "selected", f.ids["web"], f.ids["api"])
			f.srv.Inject(tt.fault)
			r := f.action(t, map[string]string{"secrets": "A=1\nB=2\nC=3"})
			wantExit(t, r, 0)
			f.wantSecret(t, "A", "1", "private")
			f.wantSecret(t, "B", "2", "selected", "web", "api")
			f.wantSecret(t, "C", "3", "private")
			if n := f.srv.Count("PUT"); n != tt.wantPUTs {
				t.Errorf("%d PUTs, want %d", n, tt.wantPUTs)
			}
			if r.outputs["changed"] != "true" {
				t.Errorf("changed = %q, want true", r.outputs["changed"])
			}
		})
	}
}

// TestSyncSelectedWithoutRepositoriesKeepsTheList: a manifest entry that
// says `visibility: selected` and no `repositories` key keeps the secret's
// list, as rotation does; only `repositories: []` empties it.
func TestSyncSelectedWithoutRepositoriesKeepsTheList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("NPM_TOKEN", "n1", "selected", f.ids["web"], f.ids["api"])
	f.writeManifest(t, "secrets:\n  NPM_TOKEN:\n    visibility: selected\n")
	r := f.action(t, map[string]string{"operation": "sync"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "n1", "selected", "web", "api")
	if r.writes != 0 {
		t.Errorf("%d writes, want 0\n%s", r.writes, r.stdout)
	}
	r = f.action(t, map[string]string{"operation": "sync", "secrets": "NPM_TOKEN=n2"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "n2", "selected", "web", "api")

	f.writeManifest(t, "secrets:\n  NPM_TOKEN:\n    visibility: selected\n    repositories: []\n")
	r = f.action(t, map[string]string{"operation": "sync"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "n2", "selected")
}

// TestSyncScopeTransitions moves secrets between visibilities without
// values, and changes a value and a list together: one PUT each, and only
// the secret given a value gets one.
func TestSyncScopeTransitions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("SEL", "v", "selected", f.ids["web"], f.ids["api"])
	f.srv.AddSecret("ALL", "v", "all")
	f.srv.AddSecret("BOTH", "v", "selected", f.ids["web"])
	f.writeManifest(t, "secrets:\n  SEL:\n    visibility: all\n  ALL:\n    visibility: selected\n    repositories: [docs]\n  BOTH:\n    visibility: selected\n    repositories: [api]\n")
	before := len(f.srv.Requests())
	r := f.action(t, map[string]string{"operation": "sync", "secrets": "BOTH=new"})
	wantExit(t, r, 0)
	f.wantSecret(t, "SEL", "v", "all")
	f.wantSecret(t, "ALL", "v", "selected", "docs")
	f.wantSecret(t, "BOTH", "new", "selected", "api")
	if r.writes != 3 {
		t.Errorf("%d writes, want 3 (one PUT each)", r.writes)
	}
	for _, q := range f.srv.Requests()[before:] {
		if q.Method == "PUT" && !strings.HasSuffix(q.Path, "/secrets/BOTH") && strings.Contains(string(q.Body), "encrypted_value") {
			t.Errorf("%s re-sent a value: %s", q.Path, q.Body)
		}
	}
	if r := f.action(t, map[string]string{"operation": "sync"}); r.writes != 0 {
		t.Errorf("re-run: %d writes, want 0", r.writes)
	}
}

// TestBinaryExportThenSyncWritesNothing adopts an organization: export
// writes the manifest into the workspace (creating .github/), and sync of
// it, without values and with prune, sends no write.
func TestBinaryExportThenSyncWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.srv.AddSecret("NPM_TOKEN", "n", "selected", f.ids["web"], f.ids["api"])
	f.srv.AddSecret("EMPTY_LIST", "e", "selected")
	f.srv.AddSecret("SENTRY_DSN", "s", "all")
	f.srv.AddSecret("LEGACY", "l", "private")

	r := f.action(t, map[string]string{"operation": "export"})
	wantExit(t, r, 0)
	if r.reads != 3 || r.writes != 0 || r.outputs["changed"] != "true" {
		t.Errorf("%d reads, %d writes, changed=%s; want 3 (the list, 2 repository lists), 0, true", r.reads, r.writes, r.outputs["changed"])
	}
	text, err := os.ReadFile(filepath.Join(f.dir, ".github", "codespaces-secrets.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(text), "# yaml-language-server: $schema=") || !strings.Contains(string(text), "  NPM_TOKEN:\n    visibility: selected\n    repositories:\n      - api\n      - web\n") {
		t.Errorf("manifest:\n%s", text)
	}
	for _, prune := range []string{"false", "true"} {
		r = f.action(t, map[string]string{"operation": "sync", "prune": prune})
		wantExit(t, r, 0)
		if r.writes != 0 || r.outputs["changed"] != "false" {
			t.Errorf("prune %s: %d writes, changed=%s\n%s", prune, r.writes, r.outputs["changed"], r.stdout)
		}
	}
	r = f.local(t, "", "export", "--org", org, "--api-url", f.url)
	wantExit(t, r, 0)
	if !strings.Contains(r.stdout, `"path":".github/codespaces-secrets.yml"`) || !strings.Contains(r.stderr, "already holds this manifest") {
		t.Errorf("a second export: stdout %q, stderr %q", r.stdout, r.stderr)
	}
}

// TestBinaryWorkstationCommand types the command as a person does: the
// operation first, several secrets on standard input.
func TestBinaryWorkstationCommand(t *testing.T) {
	f := newFixture(t)
	r := f.local(t, "A=one\nB<<EOF\ntwo\nlines\nEOF\n", "set", "--org", org, "--api-url", f.url, "--secrets", "-")
	wantExit(t, r, 0)
	f.wantSecret(t, "A", "one", "private")
	f.wantSecret(t, "B", "two\nlines", "private")
	if strings.Contains(r.stdout+r.stderr, "lines") {
		t.Errorf("a value shows: %q %q", r.stdout, r.stderr)
	}
	r = f.local(t, "", "list", "--org", org, "--api-url", f.url, "--max-age", "90d")
	wantExit(t, r, 0)
	if !strings.Contains(r.stdout, `"age_days":0`) {
		t.Errorf("stdout %q", r.stdout)
	}
	r = f.local(t, "", "set", "--org", org, "--api-url", f.url, "--name", "V", "--value", "--version")
	wantExit(t, r, 0)
	f.wantSecret(t, "V", "--version", "private")
	r = f.local(t, "", "--help")
	wantExit(t, r, 0)
	if !strings.Contains(r.stderr, "Operations (the first argument, or --operation):\n") || !strings.Contains(r.stderr, "  export ") {
		t.Errorf("help:\n%s", r.stderr)
	}
}

// TestBinaryDryRunSyncShowsThePlanAReviewerApproves: the job summary of a
// pull request's dry run says what changes, from what to what. Run with -v
// to see it (and E2E_BINARY=path to see another build's).
func TestBinaryDryRunSyncShowsThePlanAReviewerApproves(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("LEGACY_DSN", "v1", "all")
	f.srv.AddSecret("NPM_TOKEN", "v2", "selected", f.ids["web"], f.ids["api"])
	f.srv.AddSecret("SENTRY_DSN", "v3", "all")
	f.srv.AddSecret("STRAY", "v4", "private")
	f.writeManifest(t, "secrets:\n  LEGACY_DSN:\n    visibility: private\n  NPM_TOKEN:\n    visibility: selected\n    repositories: [web, docs]\n  SENTRY_DSN:\n    visibility: all\n")
	r := f.action(t, map[string]string{"operation": "sync", "dry-run": "true", "prune": "true", "secrets": "SENTRY_DSN=n3w-s3ntry-v4lue"})
	t.Logf("job summary:\n%s", r.summary)
	wantExit(t, r, 0)
	if r.writes != 0 {
		t.Errorf("%d writes in a dry run", r.writes)
	}
	for _, row := range []string{
		"| `STRAY` | delete | private | — | — | planned |",
		"| `LEGACY_DSN` | update | all → private | — | kept | planned |",
		"| `NPM_TOKEN` | set-repositories | selected | +`acme/docs` −`acme/api` | kept | planned |",
		"| `SENTRY_DSN` | update | all | — | new | planned |",
	} {
		if !strings.Contains(r.summary, row) {
			t.Errorf("the job summary lacks %q", row)
		}
	}
	if r.outputs["summary"] != strings.TrimSuffix(r.summary, "\n") && r.outputs["summary"] != r.summary {
		t.Errorf("the summary output is not the job summary:\n%s", r.outputs["summary"])
	}
	log := strings.ReplaceAll(r.stdout, "::add-mask::n3w-s3ntry-v4lue\n", "")
	if strings.Contains(fmt.Sprint(r.outputs)+r.summary+log+r.stderr, "n3w-s3ntry-v4lue") {
		t.Error("the value shows")
	}
}
