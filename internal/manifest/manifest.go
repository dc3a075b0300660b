// Package manifest reads the "secrets as code" manifest that operation sync
// makes the organization's Codespaces secrets match:
//
//	secrets:
//	  NPM_TOKEN:
//	    visibility: selected
//	    repositories: [web, api]   # repo, org/repo or a numeric id
//	  SENTRY_DSN:
//	    visibility: all
//
// Parse checks the whole file and reports every problem at once, each as
// path:line:column followed by what is wrong and how to fix it. The same
// rules are published as a JSON Schema in schema/codespaces-secrets.schema.json
// so that editors can check the file while it is written.
package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// DefaultPath is where the manifest is read from unless the `manifest`
// input names another file.
const DefaultPath = ".github/codespaces-secrets.yml"

// MaxSize is the largest manifest, in bytes, that Parse accepts.
const MaxSize = 1 << 20

// The values of an entry's visibility.
const (
	VisibilityAll      = "all"
	VisibilityPrivate  = "private"
	VisibilitySelected = "selected"
)

// Entry is one secret of the manifest.
type Entry struct {
	// Name is the secret's name as written. GitHub ignores its case.
	Name string
	// Visibility is VisibilityAll, VisibilityPrivate or VisibilitySelected.
	Visibility string
	// Repositories are the repositories of a secret with visibility
	// selected, as written (repo, org/repo or an id); an id written as a
	// YAML integer is given in decimal. It is nil when RepositoriesSet is
	// false, and empty but not nil for "repositories: []".
	Repositories []string
	// RepositoriesSet reports whether the entry has a repositories key.
	RepositoriesSet bool
	// Line is the line of the secret's name in the file, counted from 1.
	Line int
}

// Manifest is a parsed manifest.
type Manifest struct {
	// Path is the file's path as given to Parse or Load.
	Path string
	// Secrets are the manifest's entries in file order. No two names are
	// equal ignoring case.
	Secrets []Entry
}

// Lookup returns the entry whose name equals name ignoring case, as GitHub
// compares secret names.
func (m *Manifest) Lookup(name string) (Entry, bool) {
	for _, e := range m.Secrets {
		if strings.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return Entry{}, false
}

// Error is one problem in a manifest, at a position in the file. Parse
// returns these joined with errors.Join; use errors.As or the
// Unwrap() []error method of the joined error to reach them.
type Error struct {
	// Path is the manifest's path as given to Parse.
	Path string
	// Line and Column locate the problem, both counted from 1.
	Line, Column int
	// Message says what is wrong and how to fix it.
	Message string
}

// Error formats the problem as path:line:column: message.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Message)
}

// Load reads the manifest at path with readFile (os.ReadFile outside tests)
// and parses it. A missing file gives an error that says to create it or to
// point the `manifest` input at the right file; other read errors are
// wrapped. Parse describes the errors of a file that was read.
func Load(path string, readFile func(string) ([]byte, error)) (*Manifest, error) {
	data, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("manifest %s does not exist: create it with a top-level \"secrets\" mapping, or set the `manifest` input to the manifest's path (the default is %s): %w", path, DefaultPath, err)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read manifest %s: check that it is a readable file: %w", path, err)
	}
	return Parse(path, data)
}
