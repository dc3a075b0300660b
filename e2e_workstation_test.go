package main_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

// These tests run the built binary as a person does at a workstation: with
// a fake gh on PATH, an env file, mistakes, and a terminal.

// fakeGH writes a gh that prints token for `gh auth token --hostname
// HOST` and records its arguments in the file it returns.
func fakeGH(t *testing.T, token string) (dir, argsFile string) {
	t.Helper()
	dir = t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + argsFile + "'\n" +
		"[ \"$1 $2 $3\" = 'auth token --hostname' ] || exit 1\nprintf '%s\\n' '" + token + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, argsFile
}

// localWithPath runs the binary on a workstation with PATH set to path and
// env added, without GH_TOKEN unless env has it.
func (f *fixture) localWithPath(t *testing.T, path string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = f.dir
	cmd.Env = append([]string{"PATH=" + path, "HOME=" + t.TempDir()}, env...)
	return f.run(t, cmd)
}

func TestBinaryTakesTheTokenFromGh(t *testing.T) {
	f := newFixture(t)
	f.srv.AddSecret("A", "v", "all")
	ghDir, argsFile := fakeGH(t, token)
	r := f.localWithPath(t, ghDir, nil, "list", "--org", org, "--api-url", f.url)
	wantExit(t, r, 0)
	host := inputs.GHHost(f.url)
	if !strings.Contains(r.stderr, "using the token of gh's login to "+host+" (gh auth token)") || !strings.Contains(r.stdout, `"name":"A"`) {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	b, err := os.ReadFile(argsFile)
	if err != nil || string(b) != "auth token --hostname "+host+"\n" {
		t.Errorf("gh ran with %q (%v)", b, err)
	}
	if strings.Contains(r.stdout+r.stderr, token) {
		t.Error("the token shows")
	}

	// GH_TOKEN wins; gh is not run.
	os.Remove(argsFile)
	r = f.localWithPath(t, ghDir, []string{"GH_TOKEN=" + token}, "list", "--org", org, "--api-url", f.url)
	wantExit(t, r, 0)
	if _, err := os.Stat(argsFile); err == nil || strings.Contains(r.stderr, "gh's login") {
		t.Errorf("gh ran though GH_TOKEN is set")
	}

	// No gh and no variable: the message names every way to give a token.
	r = f.localWithPath(t, t.TempDir(), nil, "list", "--org", org, "--api-url", f.url)
	wantExit(t, r, 2)
	for _, want := range []string{"GH_TOKEN", "GITHUB_TOKEN", "gh auth login"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.requestsInTotal != 0 {
		t.Errorf("%d requests without a token", r.requestsInTotal)
	}

	// gh not logged in to the host: what it prints is not shown (it is
	// gh's to word), the host to log in to is.
	failing := t.TempDir()
	script := "#!/bin/sh\necho 'no oauth token found for host zq-gh-c4n4ry' >&2\necho 'zq-gh-c4n4ry-out'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(failing, "gh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r = f.localWithPath(t, failing, nil, "list", "--org", org, "--api-url", f.url)
	wantExit(t, r, 2)
	if !strings.Contains(r.stderr, "log in with `gh auth login --hostname "+host+"`") || strings.Contains(r.stdout+r.stderr, "c4n4ry") || r.requestsInTotal != 0 {
		t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

func TestBinaryReadsAnEnvFile(t *testing.T) {
	f := newFixture(t)
	f.srv.AddSecret("KEPT", "old", "selected", f.ids["web"])
	env := "# secrets for the codespaces\n\nexport KEPT=\"two\\nlines\"\nPLAIN=abc # a comment\nLITERAL='no $HOME \\n here'\nSPAN=\"first\nsecond\"\n"
	if err := os.WriteFile(filepath.Join(f.dir, "prod.env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.local(t, "", "set", "--org", org, "--api-url", f.url, "--env-file", "prod.env")
	wantExit(t, r, 0)
	f.wantSecret(t, "KEPT", "two\nlines", "selected", "web")
	f.wantSecret(t, "PLAIN", "abc", "private")
	f.wantSecret(t, "LITERAL", `no $HOME \n here`, "private")
	f.wantSecret(t, "SPAN", "first\nsecond", "private")
	if strings.Contains(r.stdout+r.stderr, "abc") || strings.Contains(r.stdout+r.stderr, "second") {
		t.Errorf("a value shows:\n%s\n%s", r.stdout, r.stderr)
	}

	r = f.local(t, "", "set", "--org", org, "--api-url", f.url, "--env-file", "missing.env")
	wantExit(t, r, 2)
	if !strings.Contains(r.stderr, "error: --env-file missing.env could not be read") || r.requestsInTotal != 0 {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestBinaryHelpAndMistakes(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
		not  []string
	}{
		{"the bare command: the usage", nil, 2, []string{"Usage: codespaces-org-secrets [OPERATION] [flags]", "Operations"}, []string{"error:"}},
		{"set --help: set's flags only", []string{"set", "--help"}, 0, []string{"Usage: codespaces-org-secrets set [flags]", "--visibility VISIBILITY", "--env-file PATH"},
			[]string{"--prune", "--max-age", "Operations", "Delete secrets"}},
		{"a mistyped operation", []string{"lst", "--org", org}, 2, []string{"error: `lst` is not an operation: did you mean `list`?"}, nil},
		{"a flag cut short", []string{"set", "--repos", "web"}, 2, []string{"error: unknown flag --repos: did you mean `--repositories`?"}, nil},
		{"a name without its flag", []string{"set", "NPM_TOKEN", "--value", "-"}, 2, []string{"error: `NPM_TOKEN` looks like a secret name: use `--name NPM_TOKEN`"},
			[]string{"argument(s)"}},
		{"a bad visibility names the flag", []string{"set", "--org", org, "--api-url", f.url, "--name", "A", "--value", "v", "--visibility", "public"}, 2,
			[]string{"error: `--visibility`: \"public\" is not a visibility"}, []string{"`visibility`"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := f.local(t, "", tt.args...)
			wantExit(t, r, tt.code)
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.stderr, n) {
					t.Errorf("stderr has %q:\n%s", n, r.stderr)
				}
			}
			if r.requestsInTotal != 0 {
				t.Errorf("%d requests", r.requestsInTotal)
			}
		})
	}
}

func TestBinaryExportsToStandardOutput(t *testing.T) {
	f := newFixture(t)
	f.srv.AddSecret("A", "v", "selected", f.ids["web"])
	r := f.local(t, "", "export", "--org", org, "--api-url", f.url, "--manifest", "-")
	wantExit(t, r, 0)
	if !strings.Contains(r.stdout, "secrets:\n  A:\n    visibility: selected\n    repositories:\n      - web\n") || strings.Contains(r.stdout, "{") {
		t.Errorf("stdout is not the manifest alone:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "-")); err == nil {
		t.Error("a file named - was created")
	}
}

// needTool fails the test, saying how to install it, when name is not on
// PATH: .ci/run installs each one, and a test never skips for want of it.
func needTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed: apt-get install %s (.ci/run installs it)", name, pkg)
	}
}

func TestBinaryCompletionScriptsParse(t *testing.T) {
	needTool(t, "zsh", "zsh")
	needTool(t, "fish", "fish")
	f := newFixture(t)
	for _, shell := range inputs.Shells {
		r := f.local(t, "", "completion", shell)
		wantExit(t, r, 0)
		p := filepath.Join(t.TempDir(), "completion."+shell)
		if err := os.WriteFile(p, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(shell, "-n", p).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
	}
	// bash offers the flags the operation takes, and the visibilities.
	r := f.local(t, "", "completion", "bash")
	for line, want := range map[string]string{
		"codespaces-org-secrets li":                 "list list-repositories",
		"codespaces-org-secrets set --rep":          "--repositories",
		"codespaces-org-secrets list --rep":         "",
		"codespaces-org-secrets set --visibility s": "selected",
		"codespaces-org-secrets completion z":       "zsh",
	} {
		words := strings.Fields(line)
		script := r.stdout + fmt.Sprintf("\nCOMP_WORDS=(%s); COMP_CWORD=%d; _codespaces_org_secrets; echo \"${COMPREPLY[*]}\"\n", line, len(words)-1)
		out, err := exec.Command("bash", "-c", script).Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("completing %q: %q, want %q", line, got, want)
		}
	}
	// fish offers the same, asked as fish asks (complete -C).
	r = f.local(t, "", "completion", "fish")
	for line, want := range map[string]string{
		"codespaces-org-secrets set --rep":          "--repositories",
		"codespaces-org-secrets list --ma":          "--max-age",
		"codespaces-org-secrets sync --ma":          "--manifest --max-age",
		"codespaces-org-secrets set --visibility s": "selected",
		"codespaces-org-secrets completion z":       "zsh",
	} {
		out, err := exec.Command("fish", "-c", r.stdout+fmt.Sprintf("\ncomplete -C %q\n", line)).Output()
		if err != nil {
			t.Fatal(err)
		}
		var words []string // each line is a word, then a tab and its description
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			words = append(words, strings.Split(l, "\t")[0])
		}
		if got := strings.Join(words, " "); got != want {
			t.Errorf("fish completing %q: %q, want %q", line, got, want)
		}
	}
}

// Progress is for a terminal: a run whose stderr is a pipe holds no escape
// sequence (the terminal check is not inverted).
func TestBinaryShowsNoProgressOnAPipe(t *testing.T) {
	f := newFixture(t)
	r := f.local(t, "S1=a\nS2=b\nS3=c\n", "set", "--org", org, "--api-url", f.url, "--secrets", "-")
	wantExit(t, r, 0)
	if strings.Contains(r.stderr, "\x1b") || strings.Contains(r.stderr, "secret 1 of 3") {
		t.Errorf("progress on a pipe:\n%q", r.stderr)
	}
}

// underTerminal runs the binary with args under a pseudo-terminal (util-linux
// script), types typed once the prompt shows, and returns the exit code
// and everything the terminal showed.
func (f *fixture) underTerminal(t *testing.T, typed string, args ...string) (int, string) {
	t.Helper()
	needTool(t, "script", "bsdutils")
	cmd := exec.Command("script", "-qec", binary+" "+strings.Join(args, " "), "/dev/null")
	cmd.Dir = f.dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "SHELL=/bin/sh", "GH_TOKEN=" + token, "TERM=dumb"}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Type only once the prompt shows (echo is off by then).
	var seen strings.Builder
	rd := bufio.NewReader(stdout)
	for !strings.Contains(seen.String(), "and press Enter: ") {
		b, err := rd.ReadByte()
		if err != nil {
			t.Fatalf("no prompt: %v; output %q", err, seen.String())
		}
		seen.WriteByte(b)
	}
	if _, err := io.WriteString(stdin, typed); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(rd)
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute): // a watchdog, not a timing
		cmd.Process.Kill()
		t.Fatalf("the command did not end; output:\n%s%s", seen.String(), rest)
	}
	return cmd.ProcessState.ExitCode(), seen.String() + string(rest)
}

// The prompt: under a pseudo-terminal, --value - asks for the value and
// reads it without echo; Ctrl-C at the prompt stops the run.
func TestBinaryPromptsForTheValueOnATerminal(t *testing.T) {
	f := newFixture(t)
	const value = "zq-typed-s3cr3t"
	args := []string{"set", "--org", org, "--api-url", f.url, "--name", "NPM_TOKEN", "--value", "-"}
	code, out := f.underTerminal(t, value+"\r", args...)
	if code != 0 || !strings.Contains(out, "Paste the value of NPM_TOKEN and press Enter: ") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	f.wantSecret(t, "NPM_TOKEN", value, "private")
	if strings.Contains(out, value) {
		t.Errorf("the value was echoed:\n%s", out)
	}

	// Enter alone: nothing was pasted, and nothing is sent.
	writes := f.srv.Writes()
	code, out = f.underTerminal(t, "\r", args...)
	if code != 2 || !strings.Contains(out, "--value -: nothing was pasted: paste the value at the prompt, or add --allow-empty") || f.srv.Writes() != writes {
		t.Errorf("an empty paste: exit %d, %d writes, output:\n%s", code, f.srv.Writes()-writes, out)
	}

	// (The shell that script starts gets the interrupt too, so the exit
	// code is 2 or the shell's 130.)
	code, out = f.underTerminal(t, "\x03", args...)
	if code == 0 || !strings.Contains(out, "interrupted at the prompt: nothing was sent") || f.srv.Writes() != writes {
		t.Errorf("Ctrl-C: exit %d, %d writes, output:\n%s", code, f.srv.Writes()-writes, out)
	}
}
