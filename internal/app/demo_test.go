package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// Each step's "(exit code N; R requests, W writes)" and the closing total
// are what the fake GitHub received, counted here on the client's side:
// the tour's words (a dry run writes nothing, a mistake costs no request,
// a repository already there costs no write) are only as true as its
// counts.
func TestTheDemoCountsTheRequestsAndWritesOfEachStep(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var requests, writes int
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		requests++
		if r.Method != http.MethodGet {
			writes++
		}
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})}
	counts := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return requests, writes
	}
	var want []string
	count := func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
		r0, w0 := counts()
		code := Main(ctx, args, getenv, stdin, stdout, stderr, opts...)
		r1, w1 := counts()
		if w1 != w0 && slices.Contains(args, "--dry-run") {
			t.Errorf("the dry run %q wrote %d times", args, w1-w0)
		}
		want = append(want, fmt.Sprintf("(exit code %d; %s, %s)", code, plural(r1-r0, "request"), plural(w1-w0, "write")))
		return code
	}
	// The options Main gives the demo, with the counting client.
	var o options
	if code := Main(context.Background(), []string{"codespaces-org-secrets", "--version"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard,
		WithClock(newFakeClock()), WithHTTPClient(client), func(opts *options) { o = *opts }); code != ExitOK {
		t.Fatalf("--version: exit code %d", code)
	}
	var out bytes.Buffer
	o.stdout = &out
	if code := runDemoWith(context.Background(), &out, &out, o, count); code != ExitOK {
		t.Fatalf("exit code %d\n%s", code, out.String())
	}
	var got []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "(exit code ") {
			got = append(got, l)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the steps' counts differ from the requests sent (-sent +shown):\n%s", diff)
	}
	r, w := counts()
	if total := fmt.Sprintf("\nThe fake server received %s, %d of them writes.\n", plural(r, "request"), w); !strings.HasSuffix(out.String(), total) {
		t.Errorf("the demo does not end with %q:\n%s", total, out.String())
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
