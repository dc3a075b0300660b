package inputs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// RepoRef is a repository as the repositories input names it: by owner and
// name, or by numeric id (then ID is not 0 and Owner and Name are empty).
type RepoRef struct {
	Owner, Name string
	ID          int64
}

// String returns the reference as ParseRepositories reads it back: the id
// in decimal, or owner/name.
func (r RepoRef) String() string {
	if r.ID != 0 {
		return strconv.FormatInt(r.ID, 10)
	}
	return r.Owner + "/" + r.Name
}

// ParseList splits a list input at newlines and commas, trims each item
// and drops empty ones.
func ParseList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// ParseRepositories parses the repositories input: a list (see [ParseList])
// of repository names, repo or org/repo, and numeric ids. An item made only
// of digits is an id; give a repository named with digits as org/123.
// The owner of org/repo must be org, ignoring case; every name-given
// reference gets org, as given, as its Owner. Repeated references (ignoring
// case) are dropped. The error joins one error per bad item.
//
// An empty org skips the owner check and leaves Owner empty for a bare
// name; callers pass it when the organization itself is invalid, so that
// the items are still checked.
func ParseRepositories(s, org string) ([]RepoRef, error) {
	refs, errs := parseRepositories(s, org)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return refs, nil
}

func parseRepositories(s, org string) ([]RepoRef, []error) {
	var (
		refs []RepoRef
		errs []error
		seen = map[string]bool{}
	)
	for _, item := range ParseList(s) {
		ref, err := parseRepo(item, org)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		key := strings.ToLower(ref.String())
		if seen[key] {
			continue
		}
		seen[key] = true
		refs = append(refs, ref)
	}
	return refs, errs
}

func parseRepo(item, org string) (RepoRef, error) {
	if isDigits(item) {
		id, err := strconv.ParseInt(item, 10, 64)
		if err != nil || id <= 0 {
			return RepoRef{}, fmt.Errorf("%q is not a valid repository id: an id is a positive whole number that fits in 64 bits; give the repository's name instead", item)
		}
		return RepoRef{ID: id}, nil
	}
	owner, name, hasOwner := strings.Cut(item, "/")
	if !hasOwner {
		owner, name = org, item
	} else {
		if strings.Contains(name, "/") || strings.Contains(item, ":") {
			return RepoRef{}, fmt.Errorf("%q is not a repository reference: give repo, org/repo or a numeric id (not a URL or a path)", item)
		}
		if org != "" {
			if !strings.EqualFold(owner, org) {
				return RepoRef{}, fmt.Errorf("repository %q is not in organization %q: an organization's secret can only be given to the organization's own repositories", item, org)
			}
			owner = org
		}
	}
	if !validRepoName(name) {
		return RepoRef{}, fmt.Errorf("%q is not a valid repository name: a name has 1 to 100 letters, digits, '.', '-' or '_'; give repo, org/repo or a numeric id", item)
	}
	return RepoRef{Owner: owner, Name: name}, nil
}

func isDigits(s string) bool {
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

// validLogin reports whether s can be a GitHub organization's login:
// letters, digits and hyphens, starting with a letter or digit, at most 39
// characters.
func validLogin(s string) bool {
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
