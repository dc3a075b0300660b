package app

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// permissionHint is what a token needs for these endpoints.
const permissionHint = "the token needs the `admin:org` scope (classic personal access token) or the \"Organization codespaces secrets\" organization permission (fine-grained token or GitHub App), and must belong to a member of the organization"

// rateLimitHint is what to do when a rate limit stopped a request.
const rateLimitHint = "GitHub's rate limit stopped the request, so nothing is wrong with the token's permissions: run again after the limit resets, or use a GitHub App installation token, which has a limit of its own"

// explainOrg turns an error from an organization-level read into a message
// that says what to do.
func (r *opRun) explainOrg(err error) error {
	if githubapi.RateLimited(err) {
		return fmt.Errorf("could not read the Codespaces secrets of organization %q: %s: %w", r.cfg.Org, rateLimitHint, err)
	}
	switch githubapi.StatusCode(err) {
	case http.StatusUnauthorized:
		return r.unauthorized(err)
	case http.StatusForbidden:
		return fmt.Errorf("GitHub refused access to the Codespaces secrets of organization %q (403): %s: %w", r.cfg.Org, r.permissionHelp(err, "organization "+r.cfg.Org), err)
	case http.StatusNotFound:
		if githubapi.Refused(err) {
			return fmt.Errorf("GitHub answered 404 for the Codespaces secrets of organization %q, as it does when a permission is missing: %s: %w", r.cfg.Org, r.permissionHelp(err, "organization "+r.cfg.Org), err)
		}
		return fmt.Errorf("GitHub answered 404 for the Codespaces secrets of organization %q: check the `org` input; if it is right, %s (GitHub answers 404, not 403, when a permission is missing): %w", r.cfg.Org, r.permissionHelp(err, "organization "+r.cfg.Org), err)
	}
	return fmt.Errorf("could not read the Codespaces secrets of organization %q: %w", r.cfg.Org, err)
}

// explainSecret turns an error about one secret into a message that says
// what to do.
func (r *opRun) explainSecret(err error, name secret.Name) error {
	var conflict *apply.ConflictError
	if errors.As(err, &conflict) {
		return err // it names the secret
	}
	var e *githubapi.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("secret %s: %w", name, err)
	}
	if githubapi.RateLimited(err) {
		return fmt.Errorf("secret %s: %s: %w", name, rateLimitHint, err)
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return r.unauthorized(err)
	case http.StatusForbidden:
		return fmt.Errorf("secret %s: GitHub refused the request (403): %s: %w", name, r.permissionHelp(err, "secret "+string(name)), err)
	case http.StatusNotFound:
		switch {
		case githubapi.Refused(err):
			return fmt.Errorf("secret %s: GitHub answered 404, as it does when a permission is missing: %s: %w", name, r.permissionHelp(err, "secret "+string(name)), err)
		case scopeSuffices(err):
			return fmt.Errorf("secret %s: GitHub answered 404: the secret does not exist in organization %q: %w", name, r.cfg.Org, err)
		}
		return fmt.Errorf("secret %s: GitHub answered 404: the secret does not exist in organization %q, or %s: %w", name, r.cfg.Org, r.permissionHelp(err, "secret "+string(name)), err)
	case http.StatusConflict:
		return fmt.Errorf("secret %s: its visibility is not selected, so it has no repository list to change: make it selected with its repositories first (`operation: set-visibility`, `visibility: selected`, `repositories`): %w", name, err)
	case http.StatusUnprocessableEntity:
		return fmt.Errorf("secret %s: GitHub refused the write as invalid (422): %w", name, err)
	}
	return fmt.Errorf("secret %s: %w", name, err)
}

func (r *opRun) explainRepo(err error, ref secret.RepoRef) error {
	if githubapi.RateLimited(err) {
		return fmt.Errorf("`repositories`: could not look up repository %q: %s: %w", ref.String(), rateLimitHint, err)
	}
	switch githubapi.StatusCode(err) {
	case http.StatusUnauthorized:
		return r.unauthorized(err)
	case http.StatusNotFound, http.StatusForbidden, http.StatusMovedPermanently:
		return usageError{fmt.Errorf("`repositories`: repository %q was not found: check its name, or give its numeric id; a fine-grained token or GitHub App also needs \"Metadata: read\" on it: %w", ref.String(), err)}
	}
	return fmt.Errorf("`repositories`: could not look up repository %q: %w", ref.String(), err)
}

// unauthorized explains a 401: GitHub did not accept the token at all, so
// the fix is a valid one, whatever the answer says the endpoint needs
// (which follows, when it says).
func (r *opRun) unauthorized(err error) error {
	needs := ""
	var e *githubapi.Error
	if errors.As(err, &e) && e.Diagnosis(githubapi.TokenUnknown) != "" {
		needs = "; for these endpoints, " + r.permissionHelp(err, "the first request")
	}
	return fmt.Errorf("GitHub rejected the token (401 Bad credentials): check that the `token` input holds a valid, unexpired token for %s%s: %w", r.cfg.APIURL, needs, err)
}
