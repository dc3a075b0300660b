// Package inputstest gives tests the environment the Actions runner gives
// a step of this action, built from the one table of inputs, so a test of
// Main in process and a test of the built binary start from the same
// variables.
package inputstest

import (
	"slices"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

// ActionEnv returns the INPUT_* variables the runner sets for a step that
// runs the action `with:` these inputs, keyed by input name as in a
// workflow: every input given, and every other input whose action.yml
// default is a literal ("set", "false"…). A default that is an expression,
// such as ${{ github.api_url }}, is the runner's to evaluate, so the test
// gives that input itself. A name that is not an input fails the test.
func ActionEnv(t testing.TB, with map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, in := range inputs.Inputs {
		if in.ActionDefault != "" && !strings.Contains(in.ActionDefault, "${{") {
			env[inputs.EnvName(in.Name)] = in.ActionDefault
		}
	}
	for name, v := range with {
		if !Declared(name) {
			t.Fatalf("the test sets input %q, which action.yml does not declare", name)
		}
		env[inputs.EnvName(name)] = v
	}
	return env
}

// Declared reports whether name is an input of the action.
func Declared(name string) bool {
	return slices.ContainsFunc(inputs.Inputs, func(in inputs.Input) bool { return in.Name == name })
}

// DeclaredVar reports whether the environment variable k is the INPUT_*
// variable of an input of the action.
func DeclaredVar(k string) bool {
	return slices.ContainsFunc(inputs.Inputs, func(in inputs.Input) bool { return inputs.EnvName(in.Name) == k })
}

// DeclaredOutput reports whether name is an output of the action.
func DeclaredOutput(name string) bool {
	return slices.ContainsFunc(inputs.Outputs, func(o inputs.Output) bool { return o.Name == name })
}
