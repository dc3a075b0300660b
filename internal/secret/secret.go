// Package secret is the vocabulary the other packages share: a Codespaces
// secret's visibility, its name (the one validation rule and the canonical
// form), the repository references users write and their one parser, and
// the Secret and Repository that GitHub's answers are read into. It does no
// I/O and imports nothing of this module.
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
// list them. Valid and Choices both read it, so the check and the message
// that lists the valid values cannot drift apart.
var Visibilities = []Visibility{All, Private, Selected}

// Valid reports whether v is one of Visibilities, exactly (in lower case).
func (v Visibility) Valid() bool { return slices.Contains(Visibilities, v) }

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
