// Package secret is the vocabulary the other packages share: a Codespaces
// secret's visibility and its one parser, its name (the one validation
// rule and the canonical form), the repository references users write and
// their one parser, and the Secret and Repository that GitHub's answers
// are read into. It does no I/O and imports nothing of this module.
package secret

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Visibility says which repositories of the organization may use a secret.
type Visibility string

// The visibilities of a secret.
const (
	All      Visibility = "all"
	Private  Visibility = "private"
	Selected Visibility = "selected"
)

// Visibilities is the table of valid visibilities, in the order messages
// list them. Valid (and so ParseVisibility) and Choices read it, so the
// check and the message that lists the valid values cannot drift apart.
var Visibilities = []Visibility{All, Private, Selected}

// Valid reports whether v is one of Visibilities, exactly (in lower case).
func (v Visibility) Valid() bool { return slices.Contains(Visibilities, v) }

// ParseVisibility returns the visibility s names: one of Visibilities,
// exactly (in lower case). Otherwise the error is a *VisibilityError. An
// edge that is lenient (one that trims or lower-cases what users write)
// does so before it calls ParseVisibility.
func ParseVisibility(s string) (Visibility, error) {
	if v := Visibility(s); v.Valid() {
		return v, nil
	}
	e := &VisibilityError{Text: s}
	if lower := Visibility(strings.ToLower(s)); lower.Valid() {
		e.Lower = lower
	}
	return "", e
}

// VisibilityError is why a text is not a visibility. Its Error lists the
// valid values; a caller that words its own message (naming the input or
// the manifest's secret) does so from the fields.
type VisibilityError struct {
	Text string // what was given
	// Lower is the visibility Text names in another case, such as Private
	// for "Private"; it is empty when Text names none.
	Lower Visibility
}

func (e *VisibilityError) Error() string {
	if e.Lower != "" {
		return fmt.Sprintf("%q is not a visibility; write it in lower case: %q", e.Text, e.Lower)
	}
	return fmt.Sprintf("%q is not a visibility; valid values are %s", e.Text, Choices("%q", " and "))
}

// Choices lists the valid visibilities for a message: each written with
// format (such as "%s", "%q" or "\"visibility: %s\""), separated by ", ",
// and the last one by last (such as " or ", " and " or ", ").
func Choices(format, last string) string {
	var b strings.Builder
	for i, v := range Visibilities {
		switch {
		case i == 0:
		case i == len(Visibilities)-1:
			b.WriteString(last)
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, format, string(v))
	}
	return b.String()
}

// Secret is an organization's Codespaces secret, without its value.
type Secret struct {
	Name       Name
	Visibility Visibility
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Repository is a repository as the action needs it. A repository known
// only by its id (given by id, never looked up) has an empty FullName.
type Repository struct {
	ID       int64
	Name     string
	FullName string // "owner/name"
	Owner    string // the owner's login
}

// Ref returns the reference that names the repository: owner/name from
// its full name, or its id when only the id is known.
func (r Repository) Ref() RepoRef {
	owner, name, ok := strings.Cut(r.FullName, "/")
	if !ok {
		return RepoRef{ID: r.ID}
	}
	return RepoRef{Owner: owner, Name: name}
}

// Label is how messages and the summary show the repository: its full
// name, or its id when only the id is known.
func (r Repository) Label() string {
	if r.FullName != "" {
		return r.FullName
	}
	return fmt.Sprint(r.ID)
}
