package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
)

// demoStep is one command of the demo session. Its arguments are printed
// and run as they are, so they never hold a value: values reach the
// command on standard input only, never in its arguments, where any local
// user could read them in the process list. Standard input is a variable
// piped in (printf %s "$NAME" |) or a here-document whose variable
// references ("$SENTRY_DSN") the demo expands from vars, as the shell
// would.
type demoStep struct {
	say     string
	op      string            // the operation, the first argument
	flags   []string          // after --org
	pipe    string            // a variable piped to --value -, printed as printf %s "$NAME" |
	heredoc string            // standard input, printed as a here-document; may refer to vars as $NAME
	vars    map[string]string // made-up values of the variables the step refers to
}

// runDemo runs a short scripted session against the built-in fake GitHub
// server, on loopback, so a newcomer sees every operation and its summary
// without a token or an organization. It is a tour, not a test.
//
// Each command is printed as it would be typed on a workstation. The demo
// runs it with --api-url set to the fake server, GH_TOKEN set to the fake
// server's token, and the variables it names set to made-up values, which
// it never prints. Both the command's stdout and its stderr go to stdout,
// so the session reads in order.
func runDemo(ctx context.Context, stdout, stderr io.Writer, o options) int {
	return runDemoWith(ctx, stdout, stderr, o, Main)
}

// demoMain is how the demo runs each command: Main, or in a test a Main
// that also records the command.
type demoMain func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int

// runDemoWith runs the demo's session with mainFn running each command.
func runDemoWith(ctx context.Context, stdout, stderr io.Writer, o options, mainFn demoMain) int {
	const org, token = "octo-org", "demo-token"
	var requests, writes atomic.Int64
	srv := fakegithub.New(fakegithub.WithOrg(org), fakegithub.WithToken(token),
		fakegithub.WithRecorder(func(_ *http.Request, rec fakegithub.Request) {
			requests.Add(1)
			if rec.IsWrite() {
				writes.Add(1)
			}
		}))
	base, stop, err := srv.Listen()
	if err != nil {
		fmt.Fprintf(stderr, "error: could not start the fake GitHub server: %v\n", err)
		return ExitFailed
	}
	defer stop()
	web, api := srv.AddRepo("web"), srv.AddRepo("api")
	srv.AddRepo("docs")
	srv.AddSecret("NPM_TOKEN", "npm-old", "selected", web.ID, api.ID)
	srv.AddSecret("LEGACY_DSN", "dsn-old", "all")

	getenv := func(k string) string {
		if k == "GH_TOKEN" {
			return token
		}
		return ""
	}
	fmt.Fprintf(stdout, "Demo: a fake GitHub for organization %q is listening at %s\n", org, base)
	fmt.Fprintf(stdout, "Each command below runs as printed on a workstation, with GH_TOKEN and the variables it names set.\n")
	fmt.Fprintf(stdout, "Here it runs against the fake server (with --api-url %s added), with made-up values that are never printed.\n", base)
	fmt.Fprintf(stdout, "A command prints its result (JSON) on stdout and its plan, summary and errors on stderr; the demo shows both on stdout, in order.\n")
	for i, s := range demoSteps() {
		fmt.Fprintf(stdout, "\n# %d. %s\n$ %s\n", i+1, s.say, s.commandLine(org))
		args := append([]string{demoCommand, s.op, "--org", org, "--api-url", base}, s.flags...)
		stdin := os.Expand(s.heredoc, func(name string) string { return s.vars[name] })
		if s.pipe != "" {
			stdin = s.vars[s.pipe]
		}
		before, writesBefore := requests.Load(), writes.Load()
		code := mainFn(ctx, args, getenv, strings.NewReader(stdin), stdout, stdout, withOptions(o))
		fmt.Fprintf(stdout, "(exit code %d; %s, %s)\n", code,
			plural(int(requests.Load()-before), "request"), plural(int(writes.Load()-writesBefore), "write"))
	}
	fmt.Fprintf(stdout, "\nThe fake server received %s, %d of them writes.\n", plural(int(requests.Load()), "request"), writes.Load())
	return ExitOK
}

// demoSteps returns the demo's session, step by step.
func demoSteps() []demoStep {
	return []demoStep{
		{
			say: "List the organization's Codespaces secrets.",
			op:  "list",
		},
		{
			say:   "Rotate NPM_TOKEN, reading the value from standard input. Its visibility (selected) and its repositories are kept.",
			op:    "set",
			flags: []string{"--name", "NPM_TOKEN", "--value", "-"},
			pipe:  "NEW_NPM_TOKEN",
			vars:  map[string]string{"NEW_NPM_TOKEN": "npm-new"},
		},
		{
			say: "Create SENTRY_DSN and REGISTRY_TOKEN (a multi-line value) in one run, reading them from standard input; " +
				"new secrets are private unless told otherwise.",
			op:      "set",
			flags:   []string{"--visibility", "private", "--secrets", "-"},
			heredoc: "SENTRY_DSN=$SENTRY_DSN\nREGISTRY_TOKEN<<END\n$REGISTRY_TOKEN\nEND\n",
			vars:    map[string]string{"SENTRY_DSN": "https://key@sentry.example/1", "REGISTRY_TOKEN": "line one\nline two"},
		},
		{
			say:   "Grant the docs repository access to NPM_TOKEN (web is already there, so it costs no write).",
			op:    "add-repositories",
			flags: []string{"--name", "NPM_TOKEN", "--repositories", "docs,web"},
		},
		{
			say:   "Let only the web repository use SENTRY_DSN: set-visibility changes who can see it and sends no value.",
			op:    "set-visibility",
			flags: []string{"--name", "SENTRY_DSN", "--visibility", "selected", "--repositories", "web"},
		},
		{
			say:   "Read NPM_TOKEN back: still selected, now with three repositories.",
			op:    "get",
			flags: []string{"--name", "NPM_TOKEN"},
		},
		{
			say:   "Preview deleting LEGACY_DSN with --dry-run: it reads, but writes nothing.",
			op:    "delete",
			flags: []string{"--name", "LEGACY_DSN", "--dry-run"},
		},
		{
			say:   "Delete it for real, and a secret that does not exist (that one is unchanged).",
			op:    "delete",
			flags: []string{"--name", "LEGACY_DSN,NEVER_EXISTED"},
		},
		{
			say:   "Export the organization as a manifest for operation sync; with --dry-run it is shown, not written.",
			op:    "export",
			flags: []string{"--manifest", manifest.DefaultPath, "--dry-run"},
		},
		{
			say:   "A mistake is caught before any request: repositories on a private secret.",
			op:    "set",
			flags: []string{"--name", "SENTRY_DSN", "--value", "-", "--visibility", "private", "--repositories", "web"},
			pipe:  "SENTRY_DSN",
			vars:  map[string]string{"SENTRY_DSN": "https://key@sentry.example/2"},
		},
		{
			say: "Fetch the organization's public key.",
			op:  "public-key",
		},
	}
}

// demoCommand is the command as a user types it.
const demoCommand = "codespaces-org-secrets"

// commandLine returns the step as a shell command line: the variables it
// refers to stay references, so no value is ever printed.
func (s demoStep) commandLine(org string) string {
	words := []string{demoCommand, s.op, "--org", demoShellWord(org)}
	for _, f := range s.flags {
		words = append(words, demoShellWord(f))
	}
	line := strings.Join(words, " ")
	if s.pipe != "" {
		line = `printf %s "$` + s.pipe + `" | ` + line
	}
	if s.heredoc != "" {
		line += " <<EOF\n" + s.heredoc + "EOF"
	}
	return line
}

// demoShellWord quotes one argument for a POSIX shell: as it is when it holds
// only characters the shell leaves alone, in double quotes when it refers
// to a variable (so the shell expands it), and in single quotes otherwise.
func demoShellWord(a string) string {
	if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return a
	}
	if strings.Contains(a, "$") {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`").Replace(a) + `"`
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// withOptions passes a run's options on to a nested Main.
func withOptions(o options) Option {
	return func(dst *options) { *dst = o }
}
