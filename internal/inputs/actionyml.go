package inputs

import (
	"errors"
	"fmt"
	"strings"
)

//go:generate go run ./genactionyml ../../action.yml ../../native/action.yml

// ActionYMLBlocks returns the inputs: and outputs: blocks of action.yml and
// native/action.yml, written from [Inputs] and [Outputs]; go generate puts
// them into both files (see ./genactionyml), and CI fails when they drift.
func ActionYMLBlocks() string {
	var b strings.Builder
	b.WriteString("inputs:\n")
	for _, in := range Inputs {
		writeActionYMLEntry(&b, in.Name, in.Description)
		fmt.Fprintf(&b, "    required: %t\n", in.Required)
		if in.ActionDefault != "" {
			fmt.Fprintf(&b, "    default: '%s'\n", strings.ReplaceAll(in.ActionDefault, "'", "''"))
		}
	}
	b.WriteString("outputs:\n")
	for _, out := range Outputs {
		writeActionYMLEntry(&b, out.Name, out.Description)
	}
	return b.String()
}

// writeActionYMLEntry writes an input's or output's name and its
// description, as a folded block scalar wrapped at 100 columns.
func writeActionYMLEntry(b *strings.Builder, name, description string) {
	fmt.Fprintf(b, "  %s:\n    description: >-\n", name)
	wrap(b, description, "      ", actionYMLWidth)
}

// actionYMLWidth is the width the descriptions in action.yml are wrapped at.
const actionYMLWidth = 100

// SpliceActionYML returns the action metadata file text with its inputs:
// and outputs: blocks, from the line "inputs:" to the line "runs:", replaced
// by [ActionYMLBlocks]. It fails when the file lacks either line.
func SpliceActionYML(text string) (string, error) {
	start := strings.Index(text, "\ninputs:\n")
	end := strings.Index(text, "\nruns:\n")
	if start < 0 || end < start {
		return "", errors.New("the file has no line \"inputs:\" followed by a line \"runs:\": they mark where the generated blocks go")
	}
	return text[:start+1] + ActionYMLBlocks() + text[end+1:], nil
}
