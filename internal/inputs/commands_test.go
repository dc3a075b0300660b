package inputs

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestMaxAge(t *testing.T) {
	t.Parallel()
	const day = 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration // 0: an error
		msg  string
	}{
		{"36h", 36 * time.Hour, ""},
		{"90d", 90 * day, ""},
		{"12w", 12 * 7 * day, ""},
		{"1d", day, ""},
		{" 90D ", 90 * day, ""},
		{"36500d", 36500 * day, ""},
		{"36501d", 0, "longer than 100 years"},
		{"99999999999999999999w", 0, "longer than 100 years"},
		{"0d", 0, "no age at all"},
		{"90", 0, `"90" is not an age: give a whole number of hours, days or weeks, such as 36h, 90d or 12w`},
		{"d", 0, "is not an age"},
		{"90m", 0, "is not an age"},
		{"1.5d", 0, "is not an age"},
		{"-1d", 0, "is not an age"},
		{"+1d", 0, "is not an age"},
		{"90 d", 0, "is not an age"},
		{"3mo", 0, "is not an age"},
		{"1w2d", 0, "is not an age"},
	}
	for _, tt := range tests {
		got, err := ParseMaxAge(tt.in)
		switch {
		case tt.want == 0 && err == nil:
			t.Errorf("ParseMaxAge(%q) = %v, want an error", tt.in, got)
		case tt.want == 0 && !strings.Contains(err.Error(), tt.msg):
			t.Errorf("ParseMaxAge(%q): error %q lacks %q", tt.in, err, tt.msg)
		case tt.want != 0 && (err != nil || got != tt.want):
			t.Errorf("ParseMaxAge(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestMaxAgeIsCheckedWithTheOtherInputs(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"list", "get", "sync"} {
		raw := validRaw("operation", op, "max-age", "90d")
		if op == "get" {
			raw["name"] = "A"
		}
		c, err := Parse(raw)
		if err != nil {
			t.Errorf("%s with max-age: %v", op, err)
			continue
		}
		wantEqual(t, c.MaxAge, 90*24*time.Hour)
		wantEqual(t, c.MaxAgeText, "90d")
	}
	_, err := Parse(validRaw("operation", "list", "max-age", "ninety days", "visibility", "nope"))
	wantMessages(t, err, "`max-age`: \"ninety days\" is not an age", "`visibility`")
	_, err = Parse(validRaw("name", "A", "value", "v", "max-age", "90d"))
	wantMessages(t, err, "`max-age` applies only to operations get, list and sync: remove it")
	_, err = Parse(validRaw("operation", "nope", "max-age", "9x"))
	wantMessages(t, err, "`max-age`: \"9x\" is not an age", "`operation`")
}

func TestExportTakesOnlyTheManifest(t *testing.T) {
	t.Parallel()
	c, err := Parse(validRaw("operation", "export", "dry-run", "true"))
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, c.Operation, OpExport)
	wantEqual(t, c.Manifest, ".github/codespaces-secrets.yml")
	_, err = Parse(validRaw("operation", "export", "name", "A", "value", "v", "secrets", "B=1", "visibility", "all",
		"repositories", "web", "prune", "true", "max-age", "1d", "manifest", " "))
	wantMessages(t, err, "`name`: operation export does not take a name", "`value`: operation export does not take a value",
		"`secrets`: operation export does not take secrets", "`visibility`", "`repositories`: operation export does not take repositories",
		"`prune` applies only to operation sync", "`max-age` applies only", "`manifest` is empty: operation export needs")
}

func TestTheOperationMayComeFirst(t *testing.T) {
	t.Parallel()
	env := func(t *testing.T) func(string) string {
		return strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST")
	}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"as the first argument", []string{"list", "--org", "acme"}, "list"},
		{"in any case", []string{"LIST", "--org", "acme"}, "list"},
		{"as a flag", []string{"--operation", "list"}, "list"},
		{"both ways, the same (Parse lower-cases it)", []string{"get", "--operation", "GET"}, "GET"},
		{"neither: the default", []string{"--org", "acme"}, "set"},
		{"every operation", []string{"remove-repositories"}, "remove-repositories"},
		{"export", []string{"export", "--dry-run"}, "export"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, err := FromFlags(tt.args, env(t), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			wantEqual(t, raw["operation"], tt.want)
		})
	}
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"both ways, different", []string{"list", "--operation", "get"}, []string{"`operation` is given twice, as the first argument (list) and as --operation (\"get\"): give it once"}},
		{"a first argument that is not an operation, without repeating it", []string{canary, "--name", "A"}, []string{"the first argument is not an operation", "set, set-visibility, delete, get", "export"}},
		{"an operation after the flags", []string{"--org", "acme", "list"}, []string{"`list` is an operation: put it first, as in `codespaces-org-secrets list --org ORG`"}},
		{"two operations", []string{"list", "get"}, []string{"`get` is an operation: put it first"}},
		{"a mistyped operation, with the nearest", []string{"lst", "--org", "acme"}, []string{"`lst` is not an operation: did you mean `list`?"}},
		{"a secret name without its flag, and the flags after it", []string{"set", "NPM_TOKEN", "--value", "-"}, []string{"`NPM_TOKEN` looks like a secret name: use `--name NPM_TOKEN`"}},
		{"a repository and a visibility without their flags", []string{"set", "--name", "A", "acme/web", "selected"}, []string{"`acme/web` looks like a repository: use `--repositories acme/web`", "`selected` looks like a visibility: use `--visibility selected`"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, err := FromFlags(tt.args, env(t), &bytes.Buffer{})
			wantMessages(t, err, tt.want...)
			if raw != nil {
				t.Errorf("inputs returned with an error: %v", raw)
			}
			if strings.Contains(err.Error(), "c4n4ry") {
				t.Errorf("the error repeats an argument: %v", err)
			}
		})
	}
}

// --version and --demo are flags like the others: the value of a flag that
// takes one is never mistaken for them.
func TestVersionAndDemoAreFlags(t *testing.T) {
	t.Parallel()
	env := func(t *testing.T) func(string) string {
		return strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST")
	}
	for args, want := range map[string]error{
		"--version":                 ErrVersion,
		"-version":                  ErrVersion,
		"list --org acme --version": ErrVersion,
		"--demo":                    ErrDemo,
		"-demo":                     ErrDemo,
	} {
		if _, err := FromFlags(strings.Fields(args), env(t), &bytes.Buffer{}); !errors.Is(err, want) {
			t.Errorf("FromFlags(%s) = %v, want %v", args, err, want)
		}
	}
	for _, args := range [][]string{{"--value", "--version"}, {"--value", "-demo"}, {"--name", "-version"}, {"--secrets", "--demo"}} {
		raw, err := FromFlags(args, env(t), &bytes.Buffer{})
		if err != nil {
			t.Errorf("FromFlags(%q): %v", args, err)
			continue
		}
		wantEqual(t, raw[strings.TrimLeft(args[0], "-")], args[1])
	}
}

func TestHelpListsTheOperationsAsCommands(t *testing.T) {
	t.Parallel()
	var stderr, helpCommand bytes.Buffer
	if _, err := FromFlags([]string{"--help"}, strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST"), &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	help := stderr.String()
	if _, err := FromFlags([]string{"help"}, strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST"), &helpCommand); !errors.Is(err, flag.ErrHelp) || helpCommand.String() != help {
		t.Errorf("help as a command: %v, %q", err, helpCommand.String())
	}
	if !strings.HasPrefix(help, "Usage: codespaces-org-secrets [OPERATION] [flags]\n") {
		t.Errorf("help starts %q", strings.SplitN(help, "\n", 2)[0])
	}
	for _, op := range Operations {
		summary := OperationSummaries[op]
		if summary == "" {
			t.Errorf("operation %s has no one-line description", op)
			continue
		}
		found := false
		for _, l := range strings.Split(help, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == string(op) && strings.Contains(l, summary) {
				found = true
			}
		}
		if !found {
			t.Errorf("help has no line for operation %s with %q:\n%s", op, summary, help)
		}
	}
	if len(OperationSummaries) != len(Operations) {
		t.Errorf("%d summaries for %d operations", len(OperationSummaries), len(Operations))
	}
}
