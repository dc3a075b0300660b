package githubapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Permission is one permission of a fine-grained token or a GitHub App, as
// GitHub's X-Accepted-GitHub-Permissions header names it: Name such as
// "organization_codespaces_secrets", Access such as "read" or "write"
// (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api#insufficient-permission-errors).
type Permission struct {
	Name   string
	Access string
}

// TokenKind is the kind of credential a token is, as its prefix or
// GitHub's answers show it
// (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/).
type TokenKind int

// The kinds of token.
const (
	TokenUnknown     TokenKind = iota // neither the prefix nor the answers say
	TokenClassic                      // a classic personal access token (ghp_), or a token whose answers carry X-OAuth-Scopes
	TokenOAuth                        // an OAuth app token (gho_), such as `gh auth token` gives: it has scopes like a classic token
	TokenFineGrained                  // a fine-grained personal access token (github_pat_)
	TokenApp                          // a GitHub App installation token (ghs_)
	TokenAppUser                      // a GitHub App user access token (ghu_)
)

// String names the kind as a sentence would.
func (k TokenKind) String() string {
	switch k {
	case TokenClassic:
		return "classic personal access token"
	case TokenOAuth:
		return "OAuth app token"
	case TokenFineGrained:
		return "fine-grained personal access token"
	case TokenApp:
		return "GitHub App installation token"
	case TokenAppUser:
		return "GitHub App user access token"
	}
	return "token of an unknown kind"
}

// KindOf returns the kind of token: by its prefix, or, for a token
// without a known prefix (GitHub Enterprise Server's older tokens), by the
// answer e, whose X-OAuth-Scopes header only a classic token gets. e may be
// nil. It never returns any part of the token.
func KindOf(token string, e *Error) TokenKind {
	for _, p := range []struct {
		prefix string
		kind   TokenKind
	}{{"ghp_", TokenClassic}, {"gho_", TokenOAuth}, {"github_pat_", TokenFineGrained}, {"ghs_", TokenApp}, {"ghu_", TokenAppUser}} {
		if strings.HasPrefix(token, p.prefix) {
			return p.kind
		}
	}
	if e != nil && e.HasOAuthScopes {
		return TokenClassic
	}
	return TokenUnknown
}

// readRefusalHeaders fills in what GitHub's answer says about the token's
// permissions.
func (e *Error) readRefusalHeaders(h http.Header) {
	if h == nil {
		return
	}
	if v, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]; ok {
		e.HasOAuthScopes = true
		e.OAuthScopes = splitList(strings.Join(v, ","), ",")
	}
	e.AcceptedOAuthScopes = splitList(h.Get("X-Accepted-OAuth-Scopes"), ",")
	e.AcceptedPermissions = ParseAcceptedPermissions(h.Get("X-Accepted-GitHub-Permissions"))
}

// ParseAcceptedPermissions reads an X-Accepted-GitHub-Permissions header:
// sets of permissions separated by ";", any one of which is enough, each a
// ","-separated list of name=access that are all needed. Entries without
// a name or an access are dropped; an empty header gives nil.
func ParseAcceptedPermissions(h string) [][]Permission {
	var sets [][]Permission
	for _, alt := range strings.Split(h, ";") {
		var set []Permission
		for _, p := range strings.Split(alt, ",") {
			name, access, _ := strings.Cut(strings.TrimSpace(p), "=")
			name, access = strings.TrimSpace(name), strings.TrimSpace(access)
			if name != "" && access != "" {
				set = append(set, Permission{Name: name, Access: access})
			}
		}
		if len(set) > 0 {
			sets = append(sets, set)
		}
	}
	return sets
}

func splitList(s, sep string) []string {
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// impliedScopes lists the scopes a classic scope includes
// (https://docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
var impliedScopes = map[string][]string{
	"admin:org": {"write:org", "read:org"},
	"write:org": {"read:org"},
	"repo":      {"repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events"},
}

// hasScope reports whether scopes hold want, or a scope that includes it.
func hasScope(scopes []string, want string) bool {
	for _, s := range scopes {
		if s == want || slices.Contains(impliedScopes[s], want) {
			return true
		}
	}
	return false
}

// LacksScope reports whether the answer shows a classic (or OAuth) token
// that has none of the scopes the endpoint accepts.
func (e *Error) LacksScope() bool {
	if !e.HasOAuthScopes || len(e.AcceptedOAuthScopes) == 0 {
		return false
	}
	for _, want := range e.AcceptedOAuthScopes {
		if hasScope(e.OAuthScopes, want) {
			return false
		}
	}
	return true
}

// Diagnosis says what the token lacks, in the words of GitHub's settings
// pages, from the answer's headers: the permissions the endpoint needs
// (X-Accepted-GitHub-Permissions) or, for a classic token, the scopes it
// has and those the endpoint wants (X-OAuth-Scopes,
// X-Accepted-OAuth-Scopes). It returns "" when the answer carries neither.
// kind names the token in the classic case.
func (e *Error) Diagnosis(kind TokenKind) string {
	switch {
	case len(e.AcceptedPermissions) > 0:
		alts := make([]string, len(e.AcceptedPermissions))
		for i, set := range e.AcceptedPermissions {
			alts[i] = describeSet(set)
		}
		return "the token needs " + strings.Join(alts, ", or ")
	case e.HasOAuthScopes && len(e.AcceptedOAuthScopes) > 0:
		if kind != TokenOAuth {
			kind = TokenClassic
		}
		has := "no scopes"
		if len(e.OAuthScopes) > 0 {
			has = "the scopes " + strings.Join(e.OAuthScopes, ", ")
		}
		if !e.LacksScope() {
			return fmt.Sprintf("this %s has %s, which these endpoints accept (%s), so the scopes are not what is missing: its owner must be an owner of the organization", kind, has, strings.Join(e.AcceptedOAuthScopes, ", "))
		}
		fix := "add it to the token in your settings (Developer settings, Personal access tokens), or use a token that has it"
		if kind == TokenOAuth {
			fix = "for a token from `gh auth token`, run gh auth refresh -s " + e.AcceptedOAuthScopes[0]
		}
		return fmt.Sprintf("this %s has %s; these endpoints need %s: %s", kind, has, strings.Join(e.AcceptedOAuthScopes, " or "), fix)
	}
	return ""
}

// describeSet names a set of permissions that are needed together.
func describeSet(set []Permission) string {
	parts := make([]string, len(set))
	for i, p := range set {
		parts[i] = describePermission(p)
	}
	return strings.Join(parts, " and ")
}

// permissionNames are the names GitHub's settings pages give the
// permissions these endpoints need; the others are named by their key.
var permissionNames = map[string]string{
	"organization_codespaces_secrets": `the organization permission "Organization codespaces secrets"`,
	"organization_secrets":            `the organization permission "Secrets"`,
	"members":                         `the organization permission "Members"`,
	"metadata":                        `the repository permission "Metadata"`,
	"codespaces":                      `the repository permission "Codespaces"`,
}

// accessNames are the access levels as the settings pages offer them.
var accessNames = map[string]string{"read": "Read-only", "write": "Read and write", "admin": "Admin"}

func describePermission(p Permission) string {
	name, ok := permissionNames[p.Name]
	if !ok {
		name = fmt.Sprintf("the permission %q", p.Name)
	}
	access, ok := accessNames[p.Access]
	if !ok {
		access = fmt.Sprintf("%q", p.Access)
	}
	return name + ": " + access
}

// Refused reports whether err is GitHub refusing the token for what the
// request does, so that any other write of the run would be refused the
// same way: a 401, a 403 that no rate limit explains, or a 404 whose
// answer shows a classic token without the scope the endpoint wants.
func Refused(err error) bool {
	var e *Error
	if !errors.As(err, &e) || RateLimited(err) {
		return false
	}
	switch e.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return true
	case http.StatusNotFound:
		return e.LacksScope()
	}
	return false
}
