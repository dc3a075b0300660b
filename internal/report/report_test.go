package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// env is a fake environment that fails the test on any variable it was not
// told about.
func env(t *testing.T, vars map[string]string) func(string) string {
	t.Helper()
	return func(k string) string {
		v, ok := vars[k]
		if !ok {
			t.Errorf("unexpected getenv(%q)", k)
		}
		return v
	}
}

// fixedRand is a random source of one repeated byte, for known delimiters.
type fixedRand byte

func (f fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

func TestMaskRegistersEveryValueAndEachOfItsLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := New(true, env(t, nil), &out, &out)
	r.Mask("one-line", "first\nsecond\r\nthird", "", "  ")
	want := "::add-mask::one-line\n" +
		"::add-mask::first%0Asecond%0D%0Athird\n" +
		"::add-mask::first\n::add-mask::second\n::add-mask::third\n"
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestMaskPrintsNothingOnAWorkstation(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	New(false, env(t, nil), &out, &errOut).Mask("value")
	if out.Len()+errOut.Len() != 0 {
		t.Errorf("printed %q %q", out.String(), errOut.String())
	}
}

func TestSetOutputsUsesAFreshRandomDelimiter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	r := New(true, env(t, map[string]string{"GITHUB_OUTPUT": path}), &bytes.Buffer{}, &bytes.Buffer{}, WithRand(fixedRand(0xab)))
	if err := r.SetOutputs([][2]string{{"result", "[1,\n2]"}, {"changed", "true"}}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := "ghadelimiter_" + strings.Repeat("ab", 16)
	want := "result<<" + d + "\n[1,\n2]\n" + d + "\nchanged<<" + d + "\ntrue\n" + d + "\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if back := reporttest.ParseOutputs(got); back["result"] != "[1,\n2]" || back["changed"] != "true" || len(back) != 2 {
		t.Errorf("ParseOutputs read back %q", back)
	}
}

func TestSetOutputsRefusesAValueThatContainsItsDelimiter(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	r := New(true, env(t, map[string]string{"GITHUB_OUTPUT": path}), &bytes.Buffer{}, &bytes.Buffer{}, WithRand(fixedRand(0)))
	evil := "x\nghadelimiter_" + strings.Repeat("00", 16) + "\nchanged=true"
	err := r.SetOutputs([][2]string{{"result", evil}})
	if !errors.Is(err, ErrOutputDelimiter) {
		t.Fatalf("err = %v, want ErrOutputDelimiter", err)
	}
	if strings.Contains(err.Error(), "changed=true") {
		t.Errorf("the error quotes the value: %v", err)
	}
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Errorf("wrote %q", b)
	}
}

func TestSetOutputsWithoutGitHubOutputIsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	r := New(true, env(t, map[string]string{"GITHUB_OUTPUT": ""}), &bytes.Buffer{}, &bytes.Buffer{})
	if err := r.SetOutputs([][2]string{{"changed", "false"}}); err == nil {
		t.Fatal("no error")
	}
}

func TestSetOutputsOnAWorkstationWritesNoFile(t *testing.T) {
	t.Parallel()
	r := New(false, env(t, nil), &bytes.Buffer{}, &bytes.Buffer{})
	if err := r.SetOutputs([][2]string{{"changed", "false"}}); err != nil {
		t.Fatal(err)
	}
}

func TestSummaryWithoutTheFileWarnsInsteadOfPanicking(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := New(true, env(t, map[string]string{"GITHUB_STEP_SUMMARY": ""}), &out, &out)
	r.Summary("# hi\n", "hi\n")
	if !strings.HasPrefix(out.String(), "::warning::") {
		t.Errorf("got %q", out.String())
	}
}

func TestSummaryOnAWorkstationGoesToStderrAsText(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	New(false, env(t, nil), &out, &errOut).Summary("# md\n", "text\n")
	if out.Len() != 0 || errOut.String() != "text\n" {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}

func TestNoLogLineCanStartAWorkflowCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(r *Reporter, msg string)
	}{
		{"info", func(r *Reporter, m string) { r.Infof("GitHub said: %s", m) }},
		{"info as first line", func(r *Reporter, m string) { r.Infof("%s", m) }},
		{"error", func(r *Reporter, m string) { r.Errorf("%s", m) }},
		{"warning", func(r *Reporter, m string) { r.Warnf("%s", m) }},
	}
	hostile := "::set-output name=changed::true\n  ::add-mask::x\r::stop-commands::abc\nsee ##[add-mask]y and ##[stop-commands]z"
	for _, actions := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var out bytes.Buffer
				r := New(actions, env(t, nil), &out, &out)
				tt.log(r, hostile)
				for _, line := range strings.FieldsFunc(out.String(), func(c rune) bool { return c == '\n' || c == '\r' }) {
					l := strings.TrimSpace(line)
					if strings.HasPrefix(l, "::") && !strings.HasPrefix(l, "::error::") && !strings.HasPrefix(l, "::warning::") {
						t.Errorf("line starts a workflow command: %q", line)
					}
					if strings.Contains(l, "##[") {
						t.Errorf("line holds an old-style workflow command: %q", line)
					}
				}
			})
		}
	}
}

func TestTableMarkdownMatchesGolden(t *testing.T) {
	t.Parallel()
	table := Table{
		Title: "Codespaces secrets: set in acme",
		Note:  "Dry run: nothing was written.",
		Rows: []Row{
			{Name: "NPM_TOKEN", Action: "update", Visibility: "selected", Repositories: []string{"acme/web", "acme/api"}},
			{Name: "SENTRY_DSN", Action: "create", Visibility: "private"},
			{Name: "OLD", Action: "delete", Visibility: "all", Error: "422 | <b>bad</b>"},
		},
		Footer: "2 changed, 0 unchanged, 1 failed.",
	}
	golden(t, "table.md", table.Markdown())
	golden(t, "table.txt", table.Text())
}

// TestAPlanShowsTheChangeMatchesGolden: a reviewer sees what changes, as
// Terraform shows it: the visibility before → after, the repositories added
// (+) and removed (−), whether a value is written, and, in a dry run,
// "planned" rather than "ok".
func TestAPlanShowsTheChangeMatchesGolden(t *testing.T) {
	t.Parallel()
	table := Table{
		Title: "Codespaces secrets: sync in acme",
		Note:  "Dry run: these are the changes a run would make. Nothing was written.",
		Rows: []Row{
			{Name: "STRAY", Action: "delete", Visibility: "all", Result: "planned"},
			{Name: "LEGACY_DSN", Action: "update", Visibility: "private", Before: "all", Value: "kept", Result: "planned"},
			{Name: "NPM_TOKEN", Action: "set-repositories", Visibility: "selected", Before: "selected", Repositories: []string{"acme/web", "acme/docs"},
				Diff: true, Added: []string{"acme/docs"}, Removed: []string{"acme/api"}, Value: "kept", Result: "planned"},
			{Name: "SENTRY_DSN", Action: "update", Visibility: "all", Before: "all", Value: "new", Result: "planned"},
			{Name: "FRESH", Action: "unchanged", Visibility: "all", Before: "all", Value: "kept", Result: "nothing to do"},
		},
		Footer: "4 to change, 1 unchanged, 0 failed.",
	}
	md := table.Markdown()
	golden(t, "plan.md", md)
	golden(t, "plan.txt", table.Text())
	for _, want := range []string{"| all → private |", "| +`acme/docs` −`acme/api` |", "| new | planned |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the plan lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| ok |") {
		t.Errorf("a dry run says ok:\n%s", md)
	}
}

func TestAFailedRunsTableListsItsProblemsMatchesGolden(t *testing.T) {
	t.Parallel()
	table := Table{
		Title:  "Codespaces secrets: set in acme",
		Note:   "Failed: the inputs have problems, so no request was sent.",
		Errors: []string{"`visibility`: \"nope\" is not valid: use all, private or selected", "a | b <i>c</i>\n::error::d"},
	}
	golden(t, "failed.md", table.Markdown())
	golden(t, "failed.txt", table.Text())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// countingRand gives a different byte on each Read, so each delimiter differs.
type countingRand struct{ n byte }

func (c *countingRand) Read(p []byte) (int, error) {
	c.n++
	for i := range p {
		p[i] = c.n
	}
	return len(p), nil
}

func TestSetOutputsDrawsADelimiterPerValue(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "output")
	r := New(true, env(t, map[string]string{"GITHUB_OUTPUT": path}), &bytes.Buffer{}, &bytes.Buffer{}, WithRand(&countingRand{}))
	if err := r.SetOutputs([][2]string{{"a", "1"}, {"b", "2"}}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	d1, d2 := "ghadelimiter_"+strings.Repeat("01", 16), "ghadelimiter_"+strings.Repeat("02", 16)
	if want := "a<<" + d1 + "\n1\n" + d1 + "\nb<<" + d2 + "\n2\n" + d2 + "\n"; string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
