package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// demoStep is one command of the demo session.
type demoStep struct {
	say   string
	args  []string
	stdin string
}

// runDemo runs a short scripted session against the built-in fake GitHub
// server, on loopback, so a newcomer sees every operation and its summary
// without a token or an organization. It is a tour, not a test.
func runDemo(ctx context.Context, stdout, stderr io.Writer, o options) int {
	const org, token = "octo-org", "demo-token"
	srv := fakegithub.New(fakegithub.WithOrg(org), fakegithub.WithToken(token))
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
	steps := []demoStep{
		{say: "List the organization's Codespaces secrets.", args: []string{"--operation", "list"}},
		{say: "Rotate NPM_TOKEN, reading the value from stdin. Its visibility (selected) and its repositories are kept.", args: []string{"--operation", "set", "--name", "NPM_TOKEN", "--value", "-"}, stdin: "npm-new\n"},
		{say: "Create SENTRY_DSN and REGISTRY_TOKEN in one run; new secrets are private unless told otherwise.", args: []string{"--operation", "set", "--secrets", "SENTRY_DSN=https://key@sentry.example/1\nREGISTRY_TOKEN<<EOF\nline one\nline two\nEOF", "--visibility", "private"}},
		{say: "Grant the docs repository access to NPM_TOKEN (web is already there, so it costs no request).", args: []string{"--operation", "add-repositories", "--name", "NPM_TOKEN", "--repositories", "docs,web"}},
		{say: "Read NPM_TOKEN back: still selected, now with three repositories.", args: []string{"--operation", "get", "--name", "NPM_TOKEN"}},
		{say: "Preview deleting LEGACY_DSN with --dry-run: nothing is sent.", args: []string{"--operation", "delete", "--name", "LEGACY_DSN", "--dry-run"}},
		{say: "Delete it for real, and a secret that does not exist (that one is unchanged).", args: []string{"--operation", "delete", "--name", "LEGACY_DSN,NEVER_EXISTED"}},
		{say: "A mistake is caught before any request: repositories on a private secret.", args: []string{"--operation", "set", "--name", "SENTRY_DSN", "--value", "x", "--visibility", "private", "--repositories", "web"}},
		{say: "Fetch the organization's public key.", args: []string{"--operation", "public-key"}},
	}
	fmt.Fprintf(stdout, "Demo: a fake GitHub for organization %q is listening at %s\n", org, base)
	fmt.Fprintf(stdout, "The token comes from GH_TOKEN; results print on stdout, summaries on stderr.\n")
	for i, s := range steps {
		args := append([]string{"--org", org, "--api-url", base}, s.args...)
		fmt.Fprintf(stdout, "\n# %d. %s\n$ codespaces-org-secrets %s\n", i+1, s.say, shellQuote(s.args))
		code := Main(ctx, append([]string{"codespaces-org-secrets"}, args...), getenv, strings.NewReader(s.stdin), stdout, stdout, withOptions(o))
		fmt.Fprintf(stdout, "(exit code %d)\n", code)
	}
	fmt.Fprintf(stdout, "\nThe fake server received %d requests, %d of them writes.\n", srv.Count(""), srv.Writes())
	return ExitOK
}

// withOptions passes a run's options on to a nested Main.
func withOptions(o options) Option {
	return func(dst *options) { *dst = o }
}

func shellQuote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \n'\"$<>|&;,=") && !strings.HasPrefix(a, "--") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
