package app

import (
	"errors"
	"fmt"
	"sync"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
)

// refusals remembers the first request of a run that GitHub refused for
// what the token may do, so that the diagnosis, and the kind of token, are
// said once.
type refusals struct {
	mu    sync.Mutex
	first string // what the first refusal was about, such as "secret NPM_TOKEN"; "" before it
}

// permissionHelp says what the token lacks, for an error GitHub answered
// about: from the answer's headers when it carries them (githubapi's
// Diagnosis), else the generic hint. The first refusal of the run also
// names the kind of token (never the token); a later one points back to
// it rather than repeating it. about names what the request was for.
func (r *opRun) permissionHelp(err error, about string) string {
	var e *githubapi.Error
	if !errors.As(err, &e) {
		return permissionHint
	}
	kind := githubapi.KindOf(r.cfg.Token, e)
	help := e.Diagnosis(kind)
	if help == "" {
		help = permissionHint
	}
	if !githubapi.Refused(err) {
		return help
	}
	r.refused.mu.Lock()
	defer r.refused.mu.Unlock()
	if r.refused.first != "" {
		return fmt.Sprintf("GitHub refused it as it refused %s: the token lacks the same permission, see there", r.refused.first)
	}
	r.refused.first = about
	if kind != githubapi.TokenUnknown && !e.HasOAuthScopes { // the scopes' diagnosis names the kind already
		help += fmt.Sprintf(" (the token is a %s)", kind)
	}
	return help
}

// scopeSuffices reports whether err's answer shows a classic token that has
// a scope the endpoint accepts: its 404 is then about what was asked for,
// not about the token.
func scopeSuffices(err error) bool {
	var e *githubapi.Error
	return errors.As(err, &e) && e.HasOAuthScopes && len(e.AcceptedOAuthScopes) > 0 && !e.LacksScope()
}
