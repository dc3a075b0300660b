// Package reporttest reads back, for tests, the files a run of the action
// leaves for the Actions runner. The action itself never reads them.
package reporttest

import (
	"os"
	"strings"
	"testing"
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
