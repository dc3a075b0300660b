package manifesttest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const schemaPath = "../../../schema/codespaces-secrets.schema.json"

func TestValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		// wantErr is a part of the error, or "" when the document is valid.
		wantErr string
	}{
		{"accepts a secret for all repositories", "secrets: {A: {visibility: all}}", ""},
		{"accepts selected repositories by name, owner and id", "secrets: {A: {visibility: selected, repositories: [web, org/api, 42, '43']}}", ""},
		{"accepts selected with an empty list", "secrets: {A: {visibility: selected, repositories: []}}", ""},
		{"accepts no secrets", "secrets: {}", ""},
		{"expands an alias, as JSON has none", "x: &v {visibility: all}\nsecrets: {A: *v}", "additional properties 'x'"},
		{"rejects an empty document", "", "want object"},
		{"rejects a missing secrets key", "{}", "missing property 'secrets'"},
		{"rejects an unknown top-level key", "secrets: {}\nprune: true", "additional properties 'prune'"},
		{"rejects null secrets", "secrets:", "want object"},
		{"rejects a name starting with a digit", "secrets: {1A: {visibility: all}}", "invalid propertyName '1A'"},
		{"rejects a name with a hyphen", "secrets: {A-B: {visibility: all}}", "invalid propertyName 'A-B'"},
		{"rejects the GITHUB_ prefix in any case", "secrets: {gitHub_X: {visibility: all}}", "invalid propertyName 'gitHub_X'\n  - at '': 'not' failed"},
		{"rejects an unknown key in a secret", "secrets: {A: {visibility: all, visiblity: all}}", "additional properties 'visiblity'"},
		{"rejects a missing visibility", "secrets: {A: {repositories: []}}", "missing property 'visibility'"},
		{"rejects an unknown visibility", "secrets: {A: {visibility: public}}", "at '/secrets/A/visibility': value must be one of 'all', 'private', 'selected'"},
		{"rejects repositories with visibility all", "secrets: {A: {visibility: all, repositories: []}}", "at '/secrets/A/visibility': value must be 'selected'"},
		{"rejects repositories as a string", "secrets: {A: {visibility: selected, repositories: web}}", "want array"},
		{"rejects a repeated repository", "secrets: {A: {visibility: selected, repositories: [web, web]}}", "items at 0 and 1 are equal"},
		{"rejects the id 0 as a number", "secrets: {A: {visibility: selected, repositories: [0]}}", "at '/secrets/A/repositories/0': minimum: got 0, want 1"},
		{"rejects the id 0 as a string", "secrets: {A: {visibility: selected, repositories: ['000']}}", "at '/secrets/A/repositories/0': 'not' failed"},
		{"rejects a decimal number", "secrets: {A: {visibility: selected, repositories: [1.5]}}", "at '/secrets/A/repositories/0': got number, want integer"},
		{"rejects a path", "secrets: {A: {visibility: selected, repositories: [org/a/b]}}", "at '/secrets/A/repositories/0': 'org/a/b' does not match pattern"},
		{"rejects the name ..", "secrets: {A: {visibility: selected, repositories: [org/..]}}", "at '/secrets/A/repositories/0': 'not' failed"},
		{"rejects a repeated key, which JSON cannot hold", "secrets: {}\nsecrets: {}", `key "secrets" is repeated`},
		{"rejects invalid YAML", "secrets: [", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateAgainstSchema(schemaPath, []byte(tt.doc))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("no error, want one with %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error lacks %q:\n%v", tt.wantErr, err)
			}
		})
	}
}

func TestValidateAgainstSchemaReportsABadSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "not-json.json")
	badSchema := filepath.Join(dir, "bad.json")
	for path, text := range map[string]string{notJSON: "{", badSchema: `{"type": 5}`} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, schema, wantErr string
	}{
		{"reports a missing schema file", filepath.Join(dir, "missing.json"), "failed to open the schema"},
		{"reports a schema that is not JSON", notJSON, "is not valid JSON"},
		{"reports a schema that does not compile", badSchema, "does not compile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateAgainstSchema(tt.schema, []byte("secrets: {}"))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
