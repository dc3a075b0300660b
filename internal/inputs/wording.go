package inputs

import (
	"regexp"
	"strings"
)

// Messages name inputs the way a workflow writes them: `visibility`, the
// `token` input, `visibility: selected`, operation: list. A workstation run
// speaks of flags and commands instead; FlagWording rewrites a message for
// it, from the table of inputs and operations, so that each message is
// written once.

var (
	// inputSpan is a backquoted span; wording inside is looked up.
	inputSpan = regexp.MustCompile("(?:the )?`([^`\n]+)`(?: input)?")
	// operationWord is "operation: OP" or "operation OP" outside backquotes.
	operationWord = regexp.MustCompile(`\boperation:? ([a-z][a-z-]*[a-z])\b`)
)

// FlagWording rewrites a message worded for a workflow into the words of
// a workstation run: `visibility` and the `visibility` input become
// `--visibility`, `visibility: selected` becomes `--visibility selected`
// (`allow-empty: true` becomes `--allow-empty`, `overwrite: false`
// becomes `--overwrite=false`), `operation: list` becomes the command as
// typed (`codespaces-org-secrets list --org acme`, with ORG when org is
// empty or names several) and "operation list" becomes `list`. The token
// and the App's private key, which are no flags, are named by where they
// come from. Anything else is left as it is.
func FlagWording(msg, org string) string {
	if strings.ContainsAny(org, ",\n") { // several organizations
		org = ""
	}
	msg = inputSpan.ReplaceAllStringFunc(msg, func(m string) string {
		inner := inputSpan.FindStringSubmatch(m)[1]
		if w, ok := flagWords(inner, org); ok {
			return w
		}
		return m
	})
	return operationWord.ReplaceAllStringFunc(msg, func(m string) string {
		op := operationWord.FindStringSubmatch(m)[1]
		if _, ok := rules[Operation(op)]; !ok {
			return m
		}
		if strings.Contains(m, ":") {
			return "`" + commandLine(op, org) + "`"
		}
		return "`" + op + "`"
	})
}

// flagWords gives the workstation's words for the inside of a backquoted
// span, and false when it names no input.
func flagWords(inner, org string) (string, bool) {
	name, value, hasValue := strings.Cut(inner, ": ")
	in, ok := inputNamed(name)
	switch {
	case !ok:
		return "", false
	case in.FlagOnlyFromEnv:
		from := strings.Join(in.WorkstationEnv, ", ")
		if in.Name == "token" {
			from += " or `gh auth login`"
		}
		return "the " + in.Name + " (from " + from + ")", !hasValue
	case !hasValue:
		return "`--" + in.Name + "`", true
	case in.Name == "operation":
		if _, known := rules[Operation(value)]; known {
			return "`" + commandLine(value, org) + "`", true
		}
	case in.Bool && value == "true":
		return "`--" + in.Name + "`", true
	case in.Bool:
		return "`--" + in.Name + "=" + value + "`", true
	}
	return "`--" + in.Name + " " + value + "`", true
}

// commandLine is the command that runs op, as typed.
func commandLine(op, org string) string {
	if org == "" {
		org = "ORG"
	}
	return commandName + " " + op + " --org " + org
}

// inputNamed returns the input of the table with that name.
func inputNamed(name string) (Input, bool) {
	for _, in := range Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return Input{}, false
}
