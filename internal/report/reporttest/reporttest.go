// Package reporttest reads back, for tests, the files a run of the action
// leaves for the Actions runner. The action itself never reads them.
package reporttest

import "strings"

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
