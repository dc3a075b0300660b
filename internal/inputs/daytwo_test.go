package inputs

import (
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func TestSetVisibilityInputs(t *testing.T) {
	t.Parallel()
	c, err := Parse(validRaw("operation", "set-visibility", "name", "A, B", "visibility", "Selected", "repositories", "web"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Operation != OpSetVisibility || len(c.Names) != 2 || c.Visibility != secret.Selected || !c.RepositoriesGiven || len(c.Secrets) != 0 {
		t.Errorf("config %+v", c)
	}
	for _, tt := range []struct {
		name string
		raw  Raw
		want []string
	}{
		{"no visibility", validRaw("operation", "set-visibility", "name", "A"), []string{"`visibility` is empty: operation set-visibility needs the new visibility: all, private or selected"}},
		{"no name", validRaw("operation", "set-visibility", "visibility", "all"), []string{"`name` is empty: operation set-visibility needs the secret's name"}},
		{"a value", validRaw("operation", "set-visibility", "name", "A", "visibility", "all", "value", "v"), []string{"`value`: operation set-visibility does not take a value"}},
		{"repositories with all", validRaw("operation", "set-visibility", "name", "A", "visibility", "all", "repositories", "web"), []string{"`repositories` can only be given for a secret with visibility selected"}},
		{"overwrite", validRaw("operation", "set-visibility", "name", "A", "visibility", "all", "overwrite", "false"), []string{"`overwrite` applies only to operations set and sync"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.raw)
			wantMessages(t, err, tt.want...)
		})
	}
}

// TestAnEmptyValueWithAScopeNamesSetVisibility: a user who wants to grant
// access, and gives no value, is sent to set-visibility, never towards
// allow-empty, which would store "" as the secret's value.
func TestAnEmptyValueWithAScopeNamesSetVisibility(t *testing.T) {
	t.Parallel()
	for name, raw := range map[string]Raw{
		"value":        validRaw("name", "SENTRY_DSN", "visibility", "selected", "repositories", "web"),
		"repositories": validRaw("name", "SENTRY_DSN", "repositories", "web"),
		"secrets":      validRaw("secrets", "SENTRY_DSN=", "visibility", "all"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(raw)
			if err == nil || !strings.Contains(err.Error(), "use `operation: set-visibility`") || strings.Contains(err.Error(), "allow-empty") {
				t.Errorf("err %v, want it to name set-visibility and not allow-empty", err)
			}
		})
	}
	_, err := Parse(validRaw("name", "A"))
	if err == nil || !strings.Contains(err.Error(), "allow-empty") {
		t.Errorf("err %v: an empty value with no scope still mentions allow-empty", err)
	}
}

func TestOverwrite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text string
		want bool
	}{{"", true}, {"true", true}, {"false", false}, {"FALSE", false}} {
		c, err := Parse(validRaw("name", "A", "value", "v", "overwrite", tt.text))
		if err != nil || c.Overwrite != tt.want {
			t.Errorf("overwrite %q: %v, err %v, want %v", tt.text, c.Overwrite, err, tt.want)
		}
	}
	if _, err := Parse(validRaw("operation", "sync", "overwrite", "false")); err != nil {
		t.Errorf("sync refuses overwrite: %v", err)
	}
	_, err := Parse(validRaw("operation", "delete", "name", "A", "overwrite", "false"))
	wantMessages(t, err, "`overwrite` applies only to operations set and sync: remove it")
	_, err = Parse(validRaw("name", "A", "value", "v", "overwrite", "maybe"))
	wantMessages(t, err, "`overwrite`: \"maybe\" is not a boolean")
}
