package inputs

import (
	"strings"
	"testing"
)

// canary is planted in values; no error may ever contain it.
const canary = "zq-c4n4ry-s3cr3t"

// validRaw returns the inputs the runner passes for a plain "set" with
// action.yml's defaults evaluated, changed by the given pairs.
func validRaw(kv ...string) Raw {
	raw := Raw{
		"token":        "ghp_0123456789abcdef",
		"org":          "acme",
		"operation":    "set",
		"name":         "",
		"value":        "",
		"secrets":      "",
		"visibility":   "",
		"repositories": "",
		"allow-empty":  "false",
		"dry-run":      "false",
		"manifest":     ".github/codespaces-secrets.yml",
		"prune":        "false",
		"max-age":      "",
		"api-url":      "https://api.github.com",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		raw[kv[i]] = kv[i+1]
	}
	return raw
}

// messages returns the message of every error err joins, flattened.
func messages(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, messages(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// wantMessages fails unless every piece occurs in one of err's messages.
func wantMessages(t *testing.T, err error, pieces ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", pieces)
	}
	msgs := messages(err)
	for _, p := range pieces {
		found := false
		for _, m := range msgs {
			if strings.Contains(m, p) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no error contains %q; errors:\n%s", p, strings.Join(msgs, "\n"))
		}
	}
}

// strictEnv returns a getenv that serves env and fails the test when
// anything but an INPUT_* variable or a listed one is read.
func strictEnv(t *testing.T, env map[string]string, allowed ...string) func(string) string {
	t.Helper()
	return func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "INPUT_") || k == "GH_APP_PRIVATE_KEY" { // the App's key, read like the token
			return ""
		}
		for _, a := range allowed {
			if k == a {
				return ""
			}
		}
		t.Errorf("read an unexpected environment variable %q", k)
		return ""
	}
}
