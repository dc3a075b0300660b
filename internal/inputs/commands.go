package inputs

import (
	"errors"
	"fmt"
	"strings"
)

// ErrVersion is returned by FromFlags for --version.
var ErrVersion = errors.New("--version was given")

// ErrDemo is returned by FromFlags for --demo.
var ErrDemo = errors.New("--demo was given")

// leadingOperation takes the operation off the front of a workstation's
// arguments, as in `codespaces-org-secrets list --org acme`, and returns it
// lower-cased (or "" when the first argument is a flag) with the remaining
// arguments. A first argument that is not an operation is an error; it
// names the argument, with the nearest operation, only when one is near
// (a mistyped operation), since any other may be a value that lost its flag.
func leadingOperation(args []string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", args, nil
	}
	op := Operation(strings.ToLower(args[0]))
	if _, ok := rules[op]; !ok {
		// Named only when it is near an operation's name: then it is a
		// mistyped operation, not a value that lost its flag.
		if s := suggest(args[0], operationNames()); s != "" {
			return "", nil, fmt.Errorf("`%s` is not an operation: did you mean `%s`?", args[0], s)
		}
		return "", nil, fmt.Errorf("the first argument is not an operation: start with one of %s, or with a flag", operationList())
	}
	return string(op), args[1:], nil
}

// writeOperations writes the Operations section of --help.
func writeOperations(b *strings.Builder) {
	b.WriteString("\nOperations (the first argument, or --operation):\n")
	width := 0
	for _, op := range Operations {
		width = max(width, len(op))
	}
	for _, op := range Operations {
		fmt.Fprintf(b, "  %-*s  %s\n", width, op, OperationSummaries[op])
	}
	b.WriteString("\n")
	wrap(b, "`"+commandName+" OPERATION --help` shows one operation's flags. `"+commandName+" completion bash|zsh|fish` prints a shell completion script. "+
		"`export --manifest -` writes the manifest to standard output, and leaves the JSON result out.", "", 78)
}
