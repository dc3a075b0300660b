// Package reporttest reads back, for tests, what a run of the action
// leaves for the Actions runner and the workflow: the GITHUB_OUTPUT file,
// the result output and the masks in its log. The action itself never
// reads them.
package reporttest

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// ReadOutputs reads the GITHUB_OUTPUT file at path with ParseOutputs. A
// file that does not exist holds no outputs; any other error fails t.
func ReadOutputs(t testing.TB, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return ParseOutputs(b)
}

// ParseOutputs reads a GITHUB_OUTPUT file the way the runner does for the
// heredoc form report.Reporter.SetOutputs writes (`name<<DELIMITER`, the
// value's lines, the delimiter), to read back what a run left behind.
func ParseOutputs(data []byte) map[string]string {
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// LeadingMasks returns the values a run's log (its stdout) masks with
// ::add-mask:: before its first other line, unescaped: only those are
// hidden from everything the run prints.
func LeadingMasks(stdout string) []string {
	unescape := strings.NewReplacer("%0A", "\n", "%0D", "\r", "%25", "%")
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		v, ok := strings.CutPrefix(l, "::add-mask::")
		if !ok {
			break
		}
		out = append(out, unescape.Replace(v))
	}
	return out
}

// The result output, as a workflow reads it.

// Change is one entry of the result output of a write operation.
type Change struct {
	Name         string   `json:"name"`
	Action       string   `json:"action"`
	Visibility   string   `json:"visibility"`
	Repositories []string `json:"repositories"`
	// Before is the scope of a secret that existed (nil: the key is
	// absent); ValueWritten whether the change sends a value.
	Before       *Scope `json:"before"`
	ValueWritten bool   `json:"value_written"`
	Error        string `json:"error,omitempty"`
}

// Scope is the `before` of a change.
type Scope struct {
	Visibility   string    `json:"visibility"`
	Repositories *[]string `json:"repositories"` // nil: the key is absent
}

// Secret is one secret in the result output of list and get.
type Secret struct {
	Name         string        `json:"name"`
	Visibility   string        `json:"visibility"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	Repositories *[]Repository `json:"repositories"` // nil: the key is absent
}

// Repository is a repository in a result output.
type Repository struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

// DecodeResult decodes the result output of a run (the JSON of outputs'
// "result") as a T, and fails t when it is not one.
func DecodeResult[T any](t testing.TB, outputs map[string]string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(outputs["result"]), &v); err != nil {
		t.Fatalf("the result output is not a JSON %T: %v\n%s", v, err, outputs["result"])
	}
	return v
}
