package inputs

import (
	"errors"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

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
// of repository references, each read by [secret.ParseRepoRef] with org.
// Repeated references (ignoring case) are dropped. The error joins one
// error per bad item, and no references come with it. An empty org checks
// only the syntax (see parseRepositories).
func ParseRepositories(s, org string) ([]secret.RepoRef, error) {
	refs, errs := parseRepositories(s, org)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return refs, nil
}

// parseRepositories reads the list as ParseRepositories does, returning
// each bad item's error on its own. An empty org skips the owner check and
// leaves Owner empty for a bare name: Parse passes it when the organization
// itself is invalid, so that the items are still checked.
func parseRepositories(s, org string) ([]secret.RepoRef, []error) {
	var (
		refs []secret.RepoRef
		errs []error
		seen = map[string]bool{}
	)
	for _, item := range ParseList(s) {
		ref, err := secret.ParseRepoRef(item, org)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[ref.Key()] {
			continue
		}
		seen[ref.Key()] = true
		refs = append(refs, ref)
	}
	return refs, errs
}
