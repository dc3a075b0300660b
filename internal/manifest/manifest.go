// Package manifest reads the "secrets as code" manifest that operation sync
// makes the organization's Codespaces secrets match, and writes it as
// operation export does (see Render):
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

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// DefaultPath is where the manifest is read from unless the `manifest`
// input names another file.
const DefaultPath = ".github/codespaces-secrets.yml"

// MaxSize is the largest manifest, in bytes, that Parse accepts.
const MaxSize = 1 << 20

// Entry is one secret of the manifest.
type Entry struct {
	// Name is the secret's name in its canonical form; Written is the
	// name as the file spells it. GitHub ignores its case.
	Name    secret.Name
	Written string
	// Visibility is the secret's visibility.
	Visibility secret.Visibility
	// Repositories are the repositories of a secret with visibility
	// selected, in file order. It is nil when RepositoriesSet is false, and
	// empty but not nil for "repositories: []".
	Repositories []Repository
	// RepositoriesSet reports whether the entry has a repositories key.
	RepositoriesSet bool
	// Line and Column are where the secret's name is in the file, counted
	// from 1.
	Line, Column int
}

// Repository is one item of a secret's repositories: the reference it
// makes, checked for its syntax (a bare name's Owner is empty until
// secret.RepoRef.InOrg gives it the organization), where it is, and its
// text.
type Repository struct {
	Ref secret.RepoRef
	// Text is the item as written; an id written as a YAML integer is
	// given in decimal.
	Text string
	// Line and Column are where the item is in the file, counted from 1.
	Line, Column int
}

// Manifest is a parsed manifest.
type Manifest struct {
	// Path is the file's path as given to Parse or Load.
	Path string
	// Secrets are the manifest's entries in file order. No two names are
	// equal ignoring case. In the organizations form it is empty: see
	// Organizations.
	Secrets []Entry
	// Organizations are the sections of a manifest in the organizations
	// form (a top-level "organizations" mapping), in file order; nil in the
	// single-organization form.
	Organizations []Organization
}

// Organization is one organization's section of a manifest in the
// organizations form.
type Organization struct {
	// Login is the organization's login as the file spells it. No two
	// logins are equal ignoring case.
	Login string
	// Secrets are the section's entries, as Manifest.Secrets.
	Secrets []Entry
	// Line and Column are where the login is in the file.
	Line, Column int
}

// Several reports whether the manifest is in the organizations form.
func (m *Manifest) Several() bool { return m.Organizations != nil }

// ForOrg returns the manifest of organization login (ignoring case) in the
// organizations form, as a single-organization manifest of the same path,
// and false when the manifest does not name it.
func (m *Manifest) ForOrg(login string) (*Manifest, bool) {
	for _, o := range m.Organizations {
		if strings.EqualFold(o.Login, login) {
			return &Manifest{Path: m.Path, Secrets: o.Secrets}, true
		}
	}
	return nil, false
}

// Logins returns the organizations the manifest names, in file order.
func (m *Manifest) Logins() []string {
	out := make([]string, 0, len(m.Organizations))
	for _, o := range m.Organizations {
		out = append(out, o.Login)
	}
	return out
}

// Lookup returns the entry of the secret name.
func (m *Manifest) Lookup(name secret.Name) (Entry, bool) {
	for _, e := range m.Secrets {
		if e.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}

// At returns a position in the manifest as messages give it:
// path:line:column.
func (m *Manifest) At(line, column int) string {
	return position(m.Path, line, column)
}

// Pos returns a position in the manifest, for place.Wrap.
func (m *Manifest) Pos(line, column int) place.Pos {
	return place.Pos{Path: m.Path, Line: line, Column: column}
}

func position(path string, line, column int) string {
	return fmt.Sprintf("%s:%d:%d", path, line, column)
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
	return position(e.Path, e.Line, e.Column) + ": " + e.Message
}

// Place returns where the problem is, so that an annotation can point at it.
func (e *Error) Place() place.Pos {
	return place.Pos{Path: e.Path, Line: e.Line, Column: e.Column}
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
