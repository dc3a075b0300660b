package manifest_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest/manifesttest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// entryView is an entry as the file writes it, the shape of the golden
// files in testdata/valid: the name and the repositories as written.
type entryView struct {
	Name            string
	Visibility      string
	Repositories    []string
	RepositoriesSet bool
	Line            int
}

func view(entries []manifest.Entry) []entryView {
	out := make([]entryView, 0, len(entries))
	for _, e := range entries {
		v := entryView{Name: e.Written, Visibility: string(e.Visibility), RepositoriesSet: e.RepositoriesSet, Line: e.Line}
		if e.Repositories != nil {
			v.Repositories = []string{}
			for _, r := range e.Repositories {
				v.Repositories = append(v.Repositories, r.Text)
			}
		}
		out = append(out, v)
	}
	return out
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/valid and testdata/invalid")

const schemaPath = "../../schema/codespaces-secrets.schema.json"

// schemaCannotTell lists the invalid examples whose problem the JSON Schema
// cannot express; the schema accepts them and only Parse rejects them.
var schemaCannotTell = map[string]string{
	"duplicate-names.yml":                      "JSON Schema compares property names with case",
	"duplicate-repositories-ignoring-case.yml": "uniqueItems compares with case and keeps 123 and \"123\" apart",
	"anchors-and-aliases.yml":                  "JSON has no anchors: the alias is expanded",
	"custom-tag.yml":                           "JSON has no tags",
	"multiple-documents.yml":                   "the conversion reads the first document only",
	"organizations-repeated-ignoring-case.yml": "JSON Schema compares property names with case",
}

func examples(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no examples in testdata/%s", dir)
	}
	return files
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (run go test with -update to accept it)\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestValidExamplesParseAndMatchTheSchema(t *testing.T) {
	t.Parallel()
	for _, file := range examples(t, "valid") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data := readFile(t, file)
			m, err := manifest.Parse(manifest.DefaultPath, data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Path != manifest.DefaultPath {
				t.Errorf("Path = %q", m.Path)
			}
			if err := manifesttest.ValidateAgainstSchema(schemaPath, data); err != nil {
				t.Errorf("schema: %v", err)
			}
			var v any = view(m.Secrets)
			if m.Several() {
				orgs := map[string][]entryView{}
				for _, o := range m.Organizations {
					orgs[o.Login] = view(o.Secrets)
				}
				v = orgs
			}
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(file, ".yml")+".json", append(got, '\n'))
		})
	}
}

func TestInvalidExamplesFailWithExactMessages(t *testing.T) {
	t.Parallel()
	for _, file := range examples(t, "invalid") {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := readFile(t, file)
			m, err := manifest.Parse(manifest.DefaultPath, data)
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", m)
			}
			if m != nil {
				t.Errorf("Parse returned a manifest with its error: %+v", m)
			}
			wantPositioned(t, err, manifest.DefaultPath)
			golden(t, strings.TrimSuffix(file, ".yml")+".err", []byte(err.Error()+"\n"))

			schemaErr := manifesttest.ValidateAgainstSchema(schemaPath, data)
			if _, cannot := schemaCannotTell[name]; cannot {
				if schemaErr != nil {
					t.Errorf("the schema now rejects it, so remove it from schemaCannotTell: %v", schemaErr)
				}
			} else if schemaErr == nil {
				t.Errorf("the schema accepts it")
			}
		})
	}
}

// wantPositioned checks that err joins only *manifest.Error values for path,
// each with a position, and that every line of its text starts with
// path:line:column.
func wantPositioned(t *testing.T, err error, path string) {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined: %v", err, err)
	}
	for _, e := range joined.Unwrap() {
		var pe *manifest.Error
		if !errors.As(e, &pe) {
			t.Errorf("error %T is not a *manifest.Error: %v", e, e)
			continue
		}
		if pe.Path != path || pe.Line < 1 || pe.Column < 1 || pe.Message == "" {
			t.Errorf("error lacks a position or message: %#v", pe)
		}
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		var l, c int
		var rest string
		if n, _ := fmt.Sscanf(strings.TrimPrefix(line, path), ":%d:%d:%s", &l, &c, &rest); !strings.HasPrefix(line, path+":") || n != 3 {
			t.Errorf("line %q does not start with %s:line:column:", line, path)
		}
	}
}

func TestSchemaCannotTellNamesExistingExamples(t *testing.T) {
	t.Parallel()
	for name := range schemaCannotTell {
		if _, err := os.Stat(filepath.Join("testdata", "invalid", name)); err != nil {
			t.Errorf("schemaCannotTell names %q: %v", name, err)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []entryView
	}{
		{
			"keeps the secrets in file order with the lines of their names",
			"secrets:\n  ZED:\n    visibility: all\n\n  ALPHA:\n    visibility: private\n",
			[]entryView{
				{Name: "ZED", Visibility: "all", Line: 2},
				{Name: "ALPHA", Visibility: "private", Line: 5},
			},
		},
		{
			"keeps names and repositories as written",
			"secrets:\n  Npm_Token:\n    visibility: selected\n    repositories: [Web, Octo-Org/API]\n",
			[]entryView{{Name: "Npm_Token", Visibility: "selected", Repositories: []string{"Web", "Octo-Org/API"}, RepositoriesSet: true, Line: 2}},
		},
		{
			"gives integer ids in decimal and string ids as written",
			"secrets:\n  A:\n    visibility: selected\n    repositories: [1296269, 0x10, \"0042\"]\n",
			[]entryView{{Name: "A", Visibility: "selected", Repositories: []string{"1296269", "16", "0042"}, RepositoriesSet: true, Line: 2}},
		},
		{
			"tells an empty list from a missing one",
			"secrets:\n  EMPTY:\n    visibility: selected\n    repositories: []\n  MISSING:\n    visibility: selected\n",
			[]entryView{
				{Name: "EMPTY", Visibility: "selected", Repositories: []string{}, RepositoriesSet: true, Line: 2},
				{Name: "MISSING", Visibility: "selected", Line: 5},
			},
		},
		{
			"reads a date-like repository name as a name",
			"secrets:\n  A:\n    visibility: selected\n    repositories: [2024-01-02]\n",
			[]entryView{{Name: "A", Visibility: "selected", Repositories: []string{"2024-01-02"}, RepositoriesSet: true, Line: 2}},
		},
		{
			"accepts a name that YAML reads as a boolean",
			"secrets:\n  true:\n    visibility: all\n",
			[]entryView{{Name: "true", Visibility: "all", Line: 2}},
		},
		{
			"accepts no secrets",
			"secrets: {}\n",
			[]entryView{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := manifest.Parse("m.yml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if got := view(m.Secrets); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{
			"names the given path",
			[]byte("secrets:\n  A: {visibility: none}\n"),
			`config/s.yml:2:19: visibility "none" of secret "A" is not valid; valid values are "all", "private" and "selected"`,
		},
		{
			"locates a control character that YAML rejects",
			[]byte("secrets:\n  A:\n    visibility: a\x01l\n"),
			"config/s.yml:3:18: invalid YAML: control characters are not allowed; fix the syntax on this line or the one before it",
		},
		{
			"locates invalid UTF-8",
			[]byte("secrets: {}\n# caf\xe9\n"),
			"config/s.yml:2:6: invalid YAML: incomplete UTF-8 octet sequence; fix the syntax on this line or the one before it",
		},
		{
			"explains a YAML version directive",
			[]byte("%YAML 1.2\n---\nsecrets: {}\n"),
			`config/s.yml:1:1: invalid YAML: found incompatible YAML document; remove the "%YAML" line: the parser reads YAML without it`,
		},
		{
			"treats a file of only a document marker as empty",
			[]byte("---\n"),
			`config/s.yml:1:1: the manifest is empty; add a top-level "secrets" mapping, such as "secrets: {}" for no secrets`,
		},
		{
			"rejects a file of zero bytes",
			nil,
			`config/s.yml:1:1: the manifest is empty; add a top-level "secrets" mapping, such as "secrets: {}" for no secrets`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := manifest.Parse("config/s.yml", tt.data)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseLimitsTheSizeToOneMiB(t *testing.T) {
	t.Parallel()
	// A valid manifest padded with a comment to exactly n bytes.
	padded := func(n int) []byte {
		head := "secrets:\n  A:\n    visibility: all\n#"
		return []byte(head + strings.Repeat("x", n-len(head)-1) + "\n")
	}
	if _, err := manifest.Parse("m.yml", padded(manifest.MaxSize)); err != nil {
		t.Errorf("a manifest of exactly 1 MiB: %v", err)
	}
	_, err := manifest.Parse("m.yml", padded(manifest.MaxSize+1))
	want := "m.yml:1:1: the manifest is 1048577 bytes, larger than the limit of 1048576 bytes (1 MiB); make it smaller"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestLookupIgnoresCase(t *testing.T) {
	t.Parallel()
	m, err := manifest.Parse("m.yml", []byte("secrets:\n  Npm_Token: {visibility: all}\n  OTHER: {visibility: private}\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		lookup string
		found  bool
	}{
		{"finds the name as written", "Npm_Token", true},
		{"finds the name in upper case", "NPM_TOKEN", true},
		{"finds the name in lower case", "npm_token", true},
		{"misses a name the manifest does not list", "NPM", false},
		{"misses the empty name", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, ok := m.Lookup(secret.NameOf(tt.lookup))
			if ok != tt.found {
				t.Fatalf("Lookup(%q) found = %v", tt.lookup, ok)
			}
			if ok && (e.Written != "Npm_Token" || e.Name != "NPM_TOKEN" || e.Visibility != secret.All || e.Line != 2 || e.Column != 3) {
				t.Errorf("Lookup(%q) = %+v", tt.lookup, e)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"ok.yml":  "secrets:\n  A: {visibility: all}\n",
		"bad.yml": "secrets:\n  A: {visibility: none}\n",
	}
	var read []string
	readFile := func(path string) ([]byte, error) {
		read = append(read, path)
		if path == "denied.yml" {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}
		}
		text, ok := files[path]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return []byte(text), nil
	}

	m, err := manifest.Load("ok.yml", readFile)
	if err != nil {
		t.Fatal(err)
	}
	if m.Path != "ok.yml" || len(m.Secrets) != 1 || m.Secrets[0].Name != "A" {
		t.Errorf("Load(ok.yml) = %+v", m)
	}

	_, err = manifest.Load(".github/codespaces-secrets.yml", readFile)
	want := "manifest .github/codespaces-secrets.yml does not exist: create it with a top-level \"secrets\" mapping, or set the `manifest` input to the manifest's path (the default is .github/codespaces-secrets.yml): open .github/codespaces-secrets.yml: file does not exist"
	if err == nil || err.Error() != want {
		t.Errorf("missing file:\ngot  %v\nwant %s", err, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the missing file's error does not wrap fs.ErrNotExist: %v", err)
	}

	_, err = manifest.Load("denied.yml", readFile)
	if err == nil || !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), "failed to read manifest denied.yml: ") {
		t.Errorf("unreadable file: %v", err)
	}

	_, err = manifest.Load("bad.yml", readFile)
	if err == nil || !strings.HasPrefix(err.Error(), "bad.yml:2:19: ") {
		t.Errorf("invalid file: %v", err)
	}

	if got := strings.Join(read, " "); got != "ok.yml .github/codespaces-secrets.yml denied.yml bad.yml" {
		t.Errorf("read %s", got)
	}
}

func TestEntriesCarryTheirParsedReferencesWithPositions(t *testing.T) {
	t.Parallel()
	m, err := manifest.Parse("m.yml", []byte("secrets:\n  npm_token:\n    visibility: selected\n    repositories: [web, Octo/api, 0x10, \"0042\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	e := m.Secrets[0]
	if e.Name != "NPM_TOKEN" || e.Written != "npm_token" || e.Line != 2 || e.Column != 3 || m.At(e.Line, e.Column) != "m.yml:2:3" {
		t.Errorf("entry %+v", e)
	}
	want := []manifest.Repository{
		{Ref: secret.RepoRef{Name: "web"}, Text: "web", Line: 4, Column: 20},
		{Ref: secret.RepoRef{Owner: "Octo", Name: "api"}, Text: "Octo/api", Line: 4, Column: 25},
		{Ref: secret.RepoRef{ID: 16}, Text: "16", Line: 4, Column: 35},
		{Ref: secret.RepoRef{ID: 42}, Text: "0042", Line: 4, Column: 41},
	}
	if !reflect.DeepEqual(e.Repositories, want) {
		t.Errorf("repositories\ngot  %+v\nwant %+v", e.Repositories, want)
	}
}
