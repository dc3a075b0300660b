package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

// runLocalEnv runs Main on a workstation with exactly env as its
// environment (GITHUB_ACTIONS unset) and gh answering ghTokens by host.
func runLocalEnv(t *testing.T, env map[string]string, ghTokens map[string]string, args []string, opts ...Option) (localRun, []string) {
	t.Helper()
	getenv := func(k string) string { return env[k] }
	var asked []string
	gh := WithGHToken(func(_ context.Context, host string) (string, bool) {
		if ghTokens == nil { // gh is not on PATH
			return "", false
		}
		asked = append(asked, host)
		return ghTokens[host], true
	})
	var stdout, stderr bytes.Buffer
	opts = append([]Option{WithClock(newFakeClock()), WithRand(sevens{}), gh}, opts...)
	code := Main(context.Background(), append([]string{"codespaces-org-secrets"}, args...), getenv, strings.NewReader(""), &stdout, &stderr, opts...)
	return localRun{code: code, stdout: stdout.String(), stderr: stderr.String()}, asked
}

func TestTheTokenComesFromGhsLogin(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("A", "v", "all")
	host := inputs.GHHost(srv.URL())
	args := []string{"list", "--org", testOrg, "--api-url", srv.URL()}

	r, asked := runLocalEnv(t, nil, map[string]string{host: testToken}, args)
	wantLocalCode(t, r, ExitOK)
	if len(asked) != 1 || asked[0] != host {
		t.Errorf("gh was asked for %q, want once for %q", asked, host)
	}
	if n := strings.Count(r.stderr, "using the token of gh's login to "+host+" (gh auth token)"); n != 1 {
		t.Errorf("stderr says %d times that the token came from gh:\n%s", n, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, testToken) {
		t.Errorf("the token shows")
	}

	// A variable wins: gh is not asked.
	r, asked = runLocalEnv(t, map[string]string{"GITHUB_TOKEN": testToken}, map[string]string{host: "wrong"}, args)
	wantLocalCode(t, r, ExitOK)
	if len(asked) != 0 || strings.Contains(r.stderr, "gh's login") {
		t.Errorf("gh was asked (%q) though GITHUB_TOKEN is set:\n%s", asked, r.stderr)
	}

	// A GitHub App makes its own token: gh is not asked, even when half
	// of the App is given (the message is then about the other half).
	for _, app := range []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{"GH_APP_PRIVATE_KEY": "not a key"}, []string{"--app-id", "12345"}},
		{nil, []string{"--app-id", "12345"}},
		{map[string]string{"GH_APP_PRIVATE_KEY": "not a key"}, nil},
	} {
		_, asked = runLocalEnv(t, app.env, map[string]string{host: testToken}, append(append([]string{}, args...), app.args...))
		if len(asked) != 0 {
			t.Errorf("gh was asked (%q) for a run with a GitHub App (%v %v)", asked, app.env, app.args)
		}
	}

	// No token anywhere: the message says every way to give one.
	before := srv.Count("")
	r, _ = runLocalEnv(t, nil, nil, args)
	wantLocalCode(t, r, ExitUsage)
	for _, want := range []string{"GH_TOKEN", "GITHUB_TOKEN", "gh auth login"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the message lacks %q:\n%s", want, r.stderr)
		}
	}
	if srv.Count("") != before {
		t.Errorf("a run without a token sent requests")
	}
	if strings.Contains(r.stderr, "gh gave no token") || !strings.Contains(r.stderr, "no token for the Enterprise Server "+host+": export GH_ENTERPRISE_TOKEN (GH_TOKEN and GITHUB_TOKEN, github.com's, are not read for a host GH_HOST names), or log in") {
		t.Errorf("gh is not on PATH: stderr:\n%s", r.stderr)
	}
	// GH_HOST naming github.com: the message names GH_TOKEN, not an
	// Enterprise Server's variable.
	r, asked = runLocalEnv(t, map[string]string{"GH_HOST": "github.com"}, map[string]string{}, []string{"list", "--org", testOrg})
	wantLocalCode(t, r, ExitUsage)
	if len(asked) != 1 || asked[0] != "github.com" || strings.Contains(r.stderr, "ENTERPRISE") ||
		!strings.Contains(r.stderr, "log in with `gh auth login --hostname github.com`, or export GH_TOKEN") {
		t.Errorf("asked %q, stderr:\n%s", asked, r.stderr)
	}

	// gh on PATH but not logged in to the host: stderr says which host
	// and how to log in to it, then what else gives a token.
	r, _ = runLocalEnv(t, nil, map[string]string{"github.com": testToken}, args)
	wantLocalCode(t, r, ExitUsage)
	for _, want := range []string{"gh gave no token for " + host + " (`gh auth token --hostname " + host + "` failed): log in with `gh auth login --hostname " + host + "`, or export GH_ENTERPRISE_TOKEN"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the message lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestEnvFile(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("KEEP", "old", "selected", ids["web"])
	dir := t.TempDir()
	path := filepath.Join(dir, "prod.env")
	text := "# production\nexport KEEP=\"new\\nline\" # rotated\nPLAIN=abc # trailing\nLITERAL='a\\nb'\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", path})
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "KEEP", "new\nline", "selected", ids["web"])
	wantSecret(t, srv, "PLAIN", "abc", "private")
	wantSecret(t, srv, "LITERAL", `a\nb`, "private")

	before := srv.Count("")
	missing := filepath.Join(dir, "missing.env")
	r = runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", missing})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file "+missing+" could not be read") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if err := os.WriteFile(path, []byte("A=1\nzq-c4n4ry junk\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", path})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file "+path+": line 2: expected NAME=value") || strings.Contains(r.stderr, "c4n4ry") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if srv.Count("") != before {
		t.Errorf("a bad env file sent requests")
	}

	// A file of comments only holds no secret: say so, not that --name
	// is missing.
	if err := os.WriteFile(path, []byte("# nothing yet\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", path})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file "+path+" holds no NAME=value line: add the secrets to it") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// A problem with the file's secrets names --env-file, which was given,
	// not --secrets, which was not.
	if err := os.WriteFile(path, []byte("A=1\nEMPTY=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", path})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: `--env-file`: the value of secret \"EMPTY\" is empty") || strings.Contains(r.stderr, "--secrets") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// --env-file - reads standard input, as gh's does.
	r = runLocal(t, srv, "# from a pipe\nexport PIPED='p v'\n", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", "-"})
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "PIPED", "p v", "private")
	r = runLocal(t, srv, "A=1\n", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", "-", "--name", "B", "--value", "-"})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file - and --value - both read standard input") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// An operation that takes no values names --env-file, not --secrets.
	r = runLocal(t, srv, "", []string{"list", "--org", testOrg, "--api-url", "$API", "--env-file", missing})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file: `list` takes no secret values: remove --env-file") || strings.Contains(r.stderr, "--secrets") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestTheBareCommandPrintsTheUsage(t *testing.T) {
	srv, _ := newServer(t)
	r := runLocal(t, srv, "", nil)
	wantLocalCode(t, r, ExitUsage)
	if !strings.HasPrefix(r.stderr, "Usage: codespaces-org-secrets [OPERATION] [flags]") || strings.Contains(r.stderr, "error:") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// A workstation's messages name flags and commands; a workflow's keep
// naming inputs, from the same message.
func TestMessagesNameFlagsOnAWorkstationAndInputsInAWorkflow(t *testing.T) {
	srv, _ := newServer(t)
	r := runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", "v", "--visibility", "secret"})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: `--visibility`: \"secret\" is not a visibility") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	a := runAction(t, srv, map[string]string{"name": "A", "value": "v", "visibility": "secret"})
	wantCode(t, a, ExitUsage)
	if !strings.Contains(a.stdout, "::error::`visibility`: \"secret\" is not a visibility") {
		t.Errorf("stdout:\n%s", a.stdout)
	}
	r = runLocal(t, srv, "", []string{"list", "--org", testOrg, "--api-url", "$API", "--name", "A"})
	if !strings.Contains(r.stderr, "error: `--name`: `list` does not take a name: remove it, or use `get` to read named secrets") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestExportToStandardOutput(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("A", "v", "selected", ids["web"])
	noWrite := WithWriteFile(func(p string, _ []byte) error {
		t.Errorf("export wrote the file %q", p)
		return errors.New("no")
	})
	r := runLocal(t, srv, "", []string{"export", "--org", testOrg, "--api-url", "$API", "--manifest", "-"}, noWrite)
	wantLocalCode(t, r, ExitOK)
	if !strings.HasPrefix(r.stdout, "# yaml-language-server: $schema=") || !strings.Contains(r.stdout, "  A:\n    visibility: selected\n") || strings.Contains(r.stdout, `"secrets"`) {
		t.Errorf("stdout is not the manifest alone:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "Wrote the manifest to standard output.") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	// A workflow keeps its behaviour: - is a file's name there, and the
	// log (stdout) gets no manifest.
	var wrote []string
	record := WithWriteFile(func(p string, _ []byte) error {
		wrote = append(wrote, p)
		return nil
	})
	a := runAction(t, srv, map[string]string{"operation": "export", "manifest": "-"}, record)
	wantCode(t, a, ExitOK)
	if len(wrote) != 1 || filepath.Base(wrote[0]) != "-" || strings.Contains(a.stdout, "visibility: selected") {
		t.Errorf("a workflow's export of - wrote %q; stdout:\n%s", wrote, a.stdout)
	}
}

func TestCompletion(t *testing.T) {
	srv, _ := newServer(t)
	for _, shell := range inputs.Shells {
		r := runLocal(t, srv, "", []string{"completion", shell})
		wantLocalCode(t, r, ExitOK)
		for _, want := range []string{"list-repositories", "visibility", "all private selected", "env-file"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s completion lacks %q", shell, want)
			}
		}
	}
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}, {"completion", "bash", "zsh"}} {
		r := runLocal(t, srv, "", args)
		wantLocalCode(t, r, ExitUsage)
		if !strings.Contains(r.stderr, "error: completion takes one shell: bash, zsh, fish") || r.stdout != "" {
			t.Errorf("%q: stdout %q, stderr:\n%s", args, r.stdout, r.stderr)
		}
	}
}

// The mutation audit's missing tests.

func TestTerminalIsFalseOnAPipe(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	if (options{}).terminal(pw) {
		t.Error("a pipe is taken for a terminal")
	}
	if (options{}).terminal(&bytes.Buffer{}) {
		t.Error("a buffer is taken for a terminal")
	}
}

// A secret whose change takes several requests (one per repository added)
// counts once.
func TestProgressCountsASecretOnce(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("A", "v", "selected")
	srv.AddSecret("B", "v", "selected")
	r := runLocal(t, srv, "", []string{"add-repositories", "--org", testOrg, "--api-url", "$API", "--name", "A,B", "--repositories", "web,api,docs"}, WithTerminal(true))
	wantLocalCode(t, r, ExitOK)
	wantSecret(t, srv, "A", "v", "selected", ids["web"], ids["api"], ids["docs"])
	if got := strings.Count(r.stderr, "secret "); got != 2 || !strings.Contains(r.stderr, "secret 1 of 2: A") || !strings.Contains(r.stderr, "secret 2 of 2: B") {
		t.Errorf("%d progress lines, want 2:\n%q", got, r.stderr)
	}
}

// --secrets - takes exactly its limit, with or without a line ending
// after it; what goes past it by more than a line ending is refused.
func TestSecretsFromStandardInputUpToTheLimit(t *testing.T) {
	full := strings.Repeat("A", int(maxSecretsStdin))
	for _, tt := range []struct {
		name, stdin string
		ok          bool
	}{
		{"exactly the limit", full, true},
		{"the limit and a line ending", full + "\r\n", true},
		{"one byte past the limit", full + "A", false},
		{"two bytes past the limit", full + "AA", false},
		{"past the limit", full + "AAA", false},
	} {
		raw := inputs.Raw{"secrets": "-"}
		err := readStdin(context.Background(), raw, strings.NewReader(tt.stdin), &bytes.Buffer{})
		switch {
		case tt.ok && (err != nil || raw["secrets"] != full):
			t.Errorf("%s: %v, %d bytes kept", tt.name, err, len(raw["secrets"]))
		case !tt.ok && (err == nil || !strings.Contains(err.Error(), "standard input holds more than")):
			t.Errorf("%s: %v, want refused", tt.name, err)
		}
	}
}

// One hint per mistake: the command says once to run with --help, whatever
// the mistake.
func TestAFlagMistakeSaysToRunWithHelpOnce(t *testing.T) {
	srv, _ := newServer(t)
	for _, args := range [][]string{
		{"zzzzzzz", "--org", testOrg},
		{"list", "--org", testOrg, "--dry-run=maybe"},
		{"list", "--org", testOrg, "--name"},
		{"list", "--org", testOrg, "--repos", "web"},
	} {
		r := runLocal(t, srv, "", args)
		wantLocalCode(t, r, ExitUsage)
		if n := strings.Count(r.stderr, "--help"); n != 1 || !strings.HasSuffix(r.stderr, "\nrun with --help to see the flags\n") {
			t.Errorf("%q: --help %d times:\n%s", args, n, r.stderr)
		}
	}
}

// --env-file - reads standard input up to the limit of --secrets -.
func TestEnvFileFromStandardInputUpToTheLimit(t *testing.T) {
	line := "A=" + strings.Repeat("v", int(maxSecretsStdin)-3) + "\n" // exactly the limit
	raw := inputs.Raw{inputs.EnvFileFlag: "-", "operation": "set"}
	if err := readEnvFile(raw, strings.NewReader(line), options{}); err != nil || !strings.HasPrefix(raw["secrets"], "A=vvv") {
		t.Errorf("the limit: %v", err)
	}
	raw = inputs.Raw{inputs.EnvFileFlag: "-", "operation": "set"}
	err := readEnvFile(raw, strings.NewReader(line+"B"), options{})
	if err == nil || !strings.Contains(err.Error(), "--env-file -: standard input holds more than") || raw["secrets"] != "" {
		t.Errorf("one byte past the limit: %v", err)
	}
}
