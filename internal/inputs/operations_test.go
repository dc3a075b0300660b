package inputs

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestTheActionYMLFilesHoldTheGeneratedBlocks(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"../../action.yml", "../../native/action.yml"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := SpliceActionYML(string(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if string(b) != want {
			t.Errorf("%s: its inputs: and outputs: blocks differ from what the Go tables give: run go generate ./...", path)
		}
	}
}

func TestSpliceActionYMLReplacesOnlyTheBlocks(t *testing.T) {
	t.Parallel()
	got, err := SpliceActionYML("name: x\ninputs:\n  old:\n    description: gone\nruns:\n  using: docker\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "name: x\n" + ActionYMLBlocks() + "runs:\n  using: docker\n"
	wantEqual(t, got, want)
	if _, err := SpliceActionYML("name: x\nruns:\n  using: docker\n"); err == nil || !strings.Contains(err.Error(), `"inputs:"`) {
		t.Errorf("a file without an inputs: line: error %v, want one naming the line", err)
	}
	if got, err := SpliceActionYML("name: x\nruns:\n  using: docker\ninputs:\n  old:\n    description: gone\n"); err == nil {
		t.Errorf("a file whose runs: comes before inputs: was spliced into\n%s\nwant an error", got)
	}
}

func TestEveryOperationIsDocumented(t *testing.T) {
	t.Parallel()
	var help strings.Builder
	PrintUsage(&help)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// The README's inputs table lists the operations in the operation row.
	row := regexp.MustCompile("(?m)^\\| `operation` \\|.*$").Find(readme)
	descriptions := map[string]string{"--help": help.String(), "the README's operation row": string(row)}
	for _, path := range []string{"../../action.yml", "../../native/action.yml"} {
		a, _, _ := loadActionYMLFile(t, path)
		descriptions[path+"'s operation input"] = a.Inputs["operation"].Description
	}
	for _, spec := range OperationTable {
		word := regexp.MustCompile(`(^|[^a-z-])` + regexp.QuoteMeta(string(spec.Name)) + `([^a-z-]|$)`)
		for where, text := range descriptions {
			if !word.MatchString(text) {
				t.Errorf("operation %s is not in %s", spec.Name, where)
			}
		}
		if !strings.Contains(help.String(), spec.Summary) {
			t.Errorf("--help lacks the summary of %s: %q", spec.Name, spec.Summary)
		}
	}
}

// The message of an input given to an operation that does not take it
// lists the operations whose rule takes it, in the table's order: an
// operation added to the table with that input appears in it.
func TestAppliesOnlyMessagesListTheTablesOperations(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		input string
		raw   Raw
		takes func(opRule) bool
	}{
		{"overwrite", validRaw("operation", "set-visibility", "name", "A", "visibility", "all", "overwrite", "false"), func(r opRule) bool { return r.overwrite }},
		{"prune", validRaw("name", "A", "value", "v", "prune", "true"), func(r opRule) bool { return r.prune }},
		{"max-age", validRaw("name", "A", "value", "v", "max-age", "90d"), func(r opRule) bool { return r.maxAge }},
	} {
		var ops []string
		for _, s := range OperationTable {
			if tt.takes(s.rule) {
				ops = append(ops, string(s.Name))
			}
		}
		list := strings.Join(ops[:len(ops)-1], ", ")
		if len(ops) > 1 {
			list = "operations " + list + " and " + ops[len(ops)-1]
		} else {
			list = "operation " + ops[0]
		}
		_, err := Parse(tt.raw)
		wantMessages(t, err, "`"+tt.input+"` applies only to "+list+": remove it")
	}
}
