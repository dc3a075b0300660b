// Command genactionyml writes the inputs: and outputs: blocks of the action
// metadata files it is given from the Go tables internal/inputs.Inputs and
// Outputs. `go generate ./...` runs it on action.yml and native/action.yml.
package main

import (
	"fmt"
	"os"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

func main() {
	for _, path := range os.Args[1:] {
		if err := regenerate(path); err != nil {
			fmt.Fprintf(os.Stderr, "genactionyml: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

// regenerate rewrites the file at path with its blocks from the tables,
// leaving it untouched when they already match.
func regenerate(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text, err := inputs.SpliceActionYML(string(b))
	if err != nil || text == string(b) {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
