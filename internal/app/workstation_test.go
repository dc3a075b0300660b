package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// localRun is what one run on a workstation left behind.
type localRun struct {
	code           int
	stdout, stderr string
}

// runLocal runs Main as a person does at a terminal: flags, GH_TOKEN and
// standard input. It reads no other variable.
func runLocal(t *testing.T, srv *fakegithubtest.Server, stdin string, args []string, opts ...Option) localRun {
	t.Helper()
	getenv := func(k string) string {
		switch k {
		case "GH_TOKEN":
			return testToken
		case "GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_HOST", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_APP_PRIVATE_KEY", "GH_APP_PRIVATE_KEY_FILE":
			return ""
		}
		t.Errorf("a workstation run read %s", k)
		return ""
	}
	var stdout, stderr bytes.Buffer
	opts = append([]Option{WithClock(newFakeClock()), WithRand(sevens{})}, opts...)
	argv := append([]string{"codespaces-org-secrets"}, args...)
	for i, a := range argv {
		argv[i] = strings.ReplaceAll(a, "$API", srv.URL())
	}
	code := Main(context.Background(), argv, getenv, strings.NewReader(stdin), &stdout, &stderr, opts...)
	return localRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func wantLocalCode(t *testing.T, r localRun, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

func TestTheOperationAsTheFirstArgument(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("A", "v", "all")
	r := runLocal(t, srv, "", []string{"list", "--org", testOrg, "--api-url", "$API"})
	wantLocalCode(t, r, ExitOK)
	if !strings.HasPrefix(r.stdout, `[{"org":"acme","name":"A","visibility":"all"`) {
		t.Errorf("stdout %q", r.stdout)
	}
	r = runLocal(t, srv, "new\n", []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", "-"})
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "new", "all")

	before := srv.Count("")
	r = runLocal(t, srv, "", []string{"list", "--operation", "delete", "--org", testOrg, "--api-url", "$API", "--name", "A"})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "`--operation` is given twice") || srv.Count("") != before {
		t.Errorf("%d requests, stderr:\n%s", srv.Count("")-before, r.stderr)
	}
}

// --version and --demo are flags: a value that happens to read like one is
// a value. (The pre-scan of argv that this replaced printed the version
// for --value --version, and started the demo for --value -demo.)
func TestAValueThatLooksLikeVersionOrDemoIsAValue(t *testing.T) {
	for _, value := range []string{"--version", "-version", "--demo", "-demo"} {
		t.Run(value, func(t *testing.T) {
			srv, _ := newServer(t)
			r := runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", value, "--allow-empty"})
			wantLocalCode(t, r, ExitOK)
			wantSecret(t, srv, "A", value, "private")
			if strings.Contains(r.stdout, "codespaces-org-secrets dev") || strings.Contains(r.stdout, "Demo:") {
				t.Errorf("stdout %q", r.stdout)
			}
		})
	}
	srv, _ := newServer(t)
	r := runLocal(t, srv, "", []string{"list", "--org", testOrg, "--version"})
	wantLocalCode(t, r, ExitOK)
	if r.stdout != "codespaces-org-secrets dev\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestSecretsFromStandardInput(t *testing.T) {
	srv, _ := newServer(t)
	stdin := "A=one\r\nB<<EOF\r\nline 1\r\nline 2 \r\nEOF\r\nC= spaced \n"
	r := runLocal(t, srv, stdin, []string{"set", "--org", testOrg, "--api-url", "$API", "--secrets", "-"})
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "one", "private")
	wantSecret(t, srv, "B", "line 1\nline 2 ", "private")
	wantSecret(t, srv, "C", " spaced ", "private")
	if strings.Contains(r.stdout+r.stderr, "line 1") || strings.Contains(r.stdout+r.stderr, "spaced") {
		t.Errorf("a value shows:\n%s\n%s", r.stdout, r.stderr)
	}

	// A value is never printed when the lines do not parse.
	r = runLocal(t, srv, "A=1\nzq-c4n4ry-not-a-line\n", []string{"set", "--org", testOrg, "--api-url", "$API", "--secrets", "-"})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "`--secrets`: line 2: ") || strings.Contains(r.stderr, "c4n4ry") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// Standard input can be read once.
	before := srv.Count("")
	r = runLocal(t, srv, "A=1\n", []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "X", "--value", "-", "--secrets", "-"})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "--value - and --secrets - both read standard input") || srv.Count("") != before {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// sync takes them too.
	m := writeManifest(t, "secrets:\n  A:\n    visibility: all\n")
	r = runLocal(t, srv, "A=two\n", []string{"sync", "--org", testOrg, "--api-url", "$API", "--manifest", m, "--secrets", "-"})
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "two", "all")
}

// Nothing on standard input is a problem with the input that reads it:
// not with `name`, which --secrets - replaces, and not a workflow's unset
// secret. --allow-empty still lets --value - be empty.
func TestNothingOnStandardInputNamesTheInputThatReadsIt(t *testing.T) {
	srv, _ := newServer(t)
	for _, tt := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"secrets, nothing", "", []string{"--secrets", "-"}, "--secrets - got nothing on standard input (or only whitespace): pass the NAME=value lines there, such as --secrets - < secrets.env"},
		{"secrets, blank lines", " \n\n\t\n", []string{"--secrets", "-"}, "--secrets - got nothing on standard input"},
		{"secrets, even with --allow-empty", "", []string{"--secrets", "-", "--allow-empty"}, "--secrets - got nothing on standard input"},
		{"value, nothing", "", []string{"--name", "A", "--value", "-"}, "--value - got nothing on standard input (or only whitespace): pass the value there, such as --value - < token.txt, or add --allow-empty"},
		{"value, a line ending", "\n", []string{"--name", "A", "--value", "-"}, "--value - got nothing on standard input"},
		{"value, nothing, with a visibility: set-visibility, not --allow-empty", "", []string{"--name", "A", "--value", "-", "--visibility", "selected", "--repositories", "web"},
			"--value - got nothing on standard input (or only whitespace): to change only who can see a secret, keeping its value, use set-visibility"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runLocal(t, srv, tt.stdin, append([]string{"set", "--org", testOrg, "--api-url", "$API"}, tt.args...))
			wantLocalCode(t, r, ExitUsage)
			if !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "`name`") || strings.Contains(r.stderr, "unset in this repository") ||
				(strings.Contains(tt.want, "set-visibility") && strings.Contains(r.stderr, "allow-empty")) {
				t.Errorf("stderr does not say what went wrong:\n%s", r.stderr)
			}
		})
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests, want none", n)
	}

	for stdin, want := range map[string]string{"": "", " \n": " "} {
		r := runLocal(t, srv, stdin, []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", "-", "--allow-empty"})
		wantLocalCode(t, r, ExitOK)
		wantSecret(t, srv, "A", want, "private")
	}
}

func TestProgressOnATerminal(t *testing.T) {
	srv, ids := newServer(t)
	for i := range 3 {
		srv.AddSecret(fmt.Sprintf("S%d", i), "old", "selected", ids["web"])
	}
	args := []string{"set", "--org", testOrg, "--api-url", "$API", "--secrets", "-"}
	stdin := "S0=a\nS1=b\nS2=c\n"

	r := runLocal(t, srv, stdin, args, WithTerminal(true))
	wantLocalCode(t, r, ExitOK)
	for i := range 3 {
		if want := fmt.Sprintf("\r\x1b[2Ksecret %d of 3: S%d", i+1, i); !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%q", want, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "secret 3 of 3: S2\r\x1b[2KCodespaces secrets: set in acme") {
		t.Errorf("the progress line is not cleared before the summary:\n%q", r.stderr)
	}
	var res []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res) != 3 {
		t.Errorf("stdout is not the clean JSON result: %q (%v)", r.stdout, err)
	}

	// Not on a terminal: not a byte of it.
	r = runLocal(t, srv, stdin, args, WithTerminal(false))
	wantLocalCode(t, r, ExitOK)
	if strings.Contains(r.stderr, "secret 1 of") || strings.Contains(r.stderr, "\x1b") {
		t.Errorf("progress without a terminal:\n%q", r.stderr)
	}

	// In Actions: none either, whatever stderr is.
	a := runAction(t, srv, map[string]string{"secrets": "S0=d\nS1=e\nS2=f"}, WithTerminal(true))
	wantCode(t, a, ExitOK)
	if strings.Contains(a.stdout+a.stderr, "secret 1 of") || strings.Contains(a.stdout+a.stderr, "\x1b") {
		t.Errorf("progress in Actions:\n%q\n%q", a.stdout, a.stderr)
	}

	// export counts the repository lists it reads.
	r = runLocal(t, srv, "", []string{"export", "--org", testOrg, "--api-url", "$API", "--dry-run"}, WithTerminal(true))
	wantLocalCode(t, r, ExitOK)
	if !strings.Contains(r.stderr, "secret 3 of 3: S2") {
		t.Errorf("export shows no progress:\n%q", r.stderr)
	}
}

// sync reads the repository lists it needs one by one: that shows too.
func TestSyncShowsTheListsItReads(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("A", "v", "selected", ids["web"])
	srv.AddSecret("B", "v", "selected", ids["api"])
	m := writeManifest(t, "secrets:\n  A:\n    visibility: selected\n    repositories: [web]\n  B:\n    visibility: selected\n    repositories: [api]\n")
	r := runLocal(t, srv, "", []string{"sync", "--org", testOrg, "--api-url", "$API", "--manifest", m}, WithTerminal(true))
	wantLocalCode(t, r, ExitOK)
	if !strings.Contains(r.stderr, "secret 1 of 2: A") || !strings.Contains(r.stderr, "secret 2 of 2: B\r\x1b[2K") {
		t.Errorf("stderr:\n%q", r.stderr)
	}
}
