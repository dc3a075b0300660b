package inputstest

import "testing"

func TestActionEnvGivesWhatTheRunnerGives(t *testing.T) {
	t.Parallel()
	env := ActionEnv(t, map[string]string{"name": "A", "dry-run": "true"})
	for k, want := range map[string]string{
		"INPUT_OPERATION": "set",   // a literal default
		"INPUT_PRUNE":     "false", // another
		"INPUT_NAME":      "A",     // given
		"INPUT_DRY-RUN":   "true",  // given over its default, hyphen kept
	} {
		if got := env[k]; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"INPUT_ORG", "INPUT_API-URL", "INPUT_TOKEN", "INPUT_VALUE"} {
		if v, ok := env[k]; ok {
			t.Errorf("%s = %q: an expression default or no default is not the helper's to set", k, v)
		}
	}
}
