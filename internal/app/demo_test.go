package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The demo is a tour, not a test, but a newcomer's first run must work:
// every step behaves as it says, and no value or token shows.
func TestTheDemoRunsEveryStepAndShowsNoValue(t *testing.T) {
	var out bytes.Buffer
	getenv := func(k string) string {
		if k != "GITHUB_ACTIONS" { // the one variable Main reads before it sees --demo
			t.Errorf("the demo read %s from the real environment", k)
		}
		return ""
	}
	code := Main(context.Background(), []string{"codespaces-org-secrets", "--demo"}, getenv, strings.NewReader(""), &out, &out, WithClock(newFakeClock()))
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
	if len(commands) < 8 || len(commands) != len(exits) {
		t.Fatalf("%d commands and %d exit codes:\n%s", len(commands), len(exits), text)
	}
	for _, c := range commands {
		if !strings.Contains(c, "codespaces-org-secrets --org octo-org --operation ") {
			t.Errorf("the command %q cannot be copied: it lacks --org or --operation", c)
		}
	}
	if got, want := strings.Join(exits, ""), "000000020"; got != want {
		t.Errorf("exit codes %s, want %s (only the deliberate mistake fails)\n%s", got, want, text)
	}
	for _, secret := range []string{"npm-new", "npm-old", "dsn-old", "line one", "sentry.example", "demo-token"} {
		if strings.Contains(text, secret) {
			t.Errorf("the demo shows %q", secret)
		}
	}
}
