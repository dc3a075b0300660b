package secret

import (
	"fmt"
	"strconv"
	"strings"
)

// RepoRef is a repository as a user names it: by owner and name, or by
// numeric id (then ID is not 0 and Owner and Name are empty). Owner is
// empty for a bare name until InOrg gives it the organization.
type RepoRef struct {
	Owner, Name string
	ID          int64
}

// String returns the reference as ParseRepoRef reads it back: the id in
// decimal, or owner/name.
func (r RepoRef) String() string {
	if r.ID != 0 {
		return strconv.FormatInt(r.ID, 10)
	}
	return r.Owner + "/" + r.Name
}

// Key is equal for two references that name the same repository the same
// way: GitHub ignores case in owners and names.
func (r RepoRef) Key() string { return strings.ToLower(r.String()) }

// RefProblem is what makes a text unfit to be a repository reference.
type RefProblem int

// The problems of a reference.
const (
	RefBadID      RefProblem = iota + 1 // all digits, but not a positive 64-bit id
	RefNotARef                          // a path or a URL rather than repo or owner/repo
	RefBadOwner                         // the owner is not a valid login
	RefBadName                          // the name is not a valid repository name
	RefOtherOwner                       // the owner is not the organization
)

// RefError is why a text is not a usable repository reference. Its Error
// is worded for the repositories input; a caller with its own context (the
// manifest) words its message from the fields.
type RefError struct {
	Problem RefProblem
	// Text is the reference as written.
	Text string
	// Org is the organization, for RefOtherOwner.
	Org string
}

func (e *RefError) Error() string {
	switch e.Problem {
	case RefBadID:
		return fmt.Sprintf("%q is not a valid repository id: an id is a positive whole number that fits in 64 bits; give the repository's name instead", e.Text)
	case RefNotARef, RefBadOwner:
		return fmt.Sprintf("%q is not a repository reference: give repo, org/repo or a numeric id (not a URL or a path)", e.Text)
	case RefOtherOwner:
		return fmt.Sprintf("repository %q is not in organization %q: an organization's secret can only be given to the organization's own repositories", e.Text, e.Org)
	}
	return fmt.Sprintf("%q is not a valid repository name: a name has 1 to 100 letters, digits, '.', '-' or '_'; give repo, org/repo or a numeric id", e.Text)
}

// ParseRepoRef is the one parser of a repository reference: an id (a text
// made only of digits; give a repository named with digits as org/123),
// a bare name, or owner/name. With an org, the owner of owner/name must be
// org, ignoring case, and every name-given reference gets org, as given,
// as its Owner; with org "" only the syntax is checked (then the owner
// must be a valid login), and InOrg does the rest later. The error is a
// *RefError.
func ParseRepoRef(s, org string) (RepoRef, error) {
	if Digits(s) {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return RepoRef{}, &RefError{Problem: RefBadID, Text: s}
		}
		return RepoRef{ID: id}, nil
	}
	owner, name, hasOwner := strings.Cut(s, "/")
	switch {
	case !hasOwner:
		owner, name = org, s
	case strings.Contains(name, "/") || strings.Contains(s, ":"):
		return RepoRef{}, &RefError{Problem: RefNotARef, Text: s}
	case org != "":
		if !strings.EqualFold(owner, org) {
			return RepoRef{}, &RefError{Problem: RefOtherOwner, Text: s, Org: org}
		}
		owner = org
	case !ValidLogin(owner):
		return RepoRef{}, &RefError{Problem: RefBadOwner, Text: s}
	}
	if !validRepoName(name) {
		return RepoRef{}, &RefError{Problem: RefBadName, Text: s}
	}
	return RepoRef{Owner: owner, Name: name}, nil
}

// InOrg checks a reference parsed without an organization against org: a
// bare name gets org as its owner, and owner/name must be in org (its
// owner then takes org's spelling). An id is returned as it is.
func (r RepoRef) InOrg(org string) (RepoRef, error) {
	switch {
	case r.ID != 0:
	case r.Owner == "":
		r.Owner = org
	case !strings.EqualFold(r.Owner, org):
		return r, &RefError{Problem: RefOtherOwner, Text: r.String(), Org: org}
	default:
		r.Owner = org
	}
	return r, nil
}

// Digits reports whether s is made only of ASCII digits, and is not
// empty. A repository reference made so is an id (a repository named so
// is written owner/name).
func Digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validRepoName reports whether s can be a repository's name on GitHub.
func validRepoName(s string) bool {
	if s == "" || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// ValidLogin reports whether s can be a GitHub organization's or user's
// login: letters, digits and hyphens, starting with a letter or digit, at
// most 39 characters.
func ValidLogin(s string) bool {
	if s == "" || len(s) > 39 || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-':
		default:
			return false
		}
	}
	return true
}
