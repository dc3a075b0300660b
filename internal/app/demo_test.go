package app

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

// The demo is a tour, not a test, but a newcomer's first run must work:
// every step behaves as it says, and no value or token shows.
func TestTheDemoRunsEveryStepAndShowsNoValue(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	getenv := func(k string) string {
		if k != "GITHUB_ACTIONS" { // the one variable Main reads before it sees --demo
			t.Errorf("the demo read %s from the real environment", k)
		}
		return ""
	}
	// Every command the demo runs, with its arguments and standard input.
	var argvs [][]string
	var stdins []string
	record := func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
		in, err := io.ReadAll(stdin)
		if err != nil {
			t.Fatal(err)
		}
		argvs, stdins = append(argvs, args), append(stdins, string(in))
		return Main(ctx, args, getenv, strings.NewReader(string(in)), stdout, stderr, opts...)
	}
	// The demo's only export is a dry run: it writes no file (into the
	// directory the demo runs in).
	noFile := WithWriteFile(func(path string, _ []byte) error {
		t.Errorf("the demo wrote %s", path)
		return nil
	})
	// Main with --demo runs the session with Main itself; here each command
	// goes through record, with the options Main would give the demo.
	var o options
	if code := Main(context.Background(), []string{"codespaces-org-secrets", "--demo"}, getenv, strings.NewReader(""), io.Discard, io.Discard,
		WithClock(newFakeClock()), noFile, func(opts *options) { o = *opts }); code != ExitOK {
		t.Fatalf("--demo: exit code %d", code)
	}
	o.stdout = &out
	code := runDemoWith(context.Background(), &out, &out, o, record)
	if code != ExitOK {
		t.Fatalf("exit code %d\n%s", code, out.String())
	}
	text := out.String()
	var commands, exits []string
	for _, l := range strings.Split(text, "\n") {
		if c, ok := strings.CutPrefix(l, "$ "); ok {
			commands = append(commands, c)
		}
		if e, ok := strings.CutPrefix(l, "(exit code "); ok {
			exits = append(exits, e[:1])
		}
	}
	if len(commands) < 8 || len(commands) != len(exits) || len(argvs) != len(commands) {
		t.Fatalf("%d commands, %d exit codes and %d runs:\n%s", len(commands), len(exits), len(argvs), text)
	}
	typed := regexp.MustCompile(`codespaces-org-secrets ([a-z-]+) --org octo-org`)
	for _, c := range commands {
		m := typed.FindStringSubmatch(c)
		if m == nil || inputs.OperationSummaries[inputs.Operation(m[1])] == "" {
			t.Errorf("the command %q cannot be copied: it does not start with an operation and --org", c)
		}
	}
	if got, want := strings.Join(exits, ""), "00000000020"; got != want {
		t.Errorf("exit codes %s, want %s (only the deliberate mistake fails)\n%s", got, want, text)
	}
	values := []string{"npm-new", "npm-old", "dsn-old", "line one", "sentry.example", "demo-token"}
	for _, secret := range values {
		if strings.Contains(text, secret) {
			t.Errorf("the demo shows %q", secret)
		}
	}
	// A value in a command's arguments is in the process list, where any
	// local user can read it (/proc/*/cmdline): values go on stdin only.
	for i, argv := range argvs {
		for _, a := range argv {
			for _, secret := range values {
				if strings.Contains(a, secret) {
					t.Errorf("command %d has the value %q in its arguments: %q", i+1, secret, argv)
				}
			}
		}
	}
	if got := strings.Join(stdins, "\n"); !strings.Contains(got, "line one\nline two") || !strings.Contains(got, "sentry.example/1") {
		t.Errorf("the several secrets did not go on standard input: %q", got)
	}
}
