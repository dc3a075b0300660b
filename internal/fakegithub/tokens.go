package fakegithub

import (
	"net/http"
	"slices"
	"strings"
)

// Access is a fine-grained token's access to the organization's
// Codespaces secrets: the "Organization codespaces secrets" permission.
type Access int

const (
	// ReadOnly is "Read-only": the reads work, every write answers 403.
	ReadOnly Access = iota
	// ReadWrite is "Read and write": everything works.
	ReadWrite
)

// grant is what a token of a known kind may do, and how GitHub's answers
// to it look. Server.dispatch asks it about every routed request made with
// that token; the default token (WithToken) keeps WithPermission's rules.
type grant interface {
	// allows reports whether the token may call the endpoint.
	allows(op *operation) bool
	// refuse is GitHub's answer to a call the token may not make.
	refuse(c *call) response
	// decorate adds the headers GitHub sends this kind of token.
	decorate(h http.Header, op *operation)
}

// addGrant registers one more token the fake accepts.
func (s *Server) addGrant(token string, g grant) {
	if token == "" {
		return
	}
	if s.grants == nil {
		s.grants = map[string]grant{}
	}
	s.grants[token] = g
}

// grantOf returns the grant of the request's token, or nil for the default
// token (or a request authenticate will refuse).
func (s *Server) grantOf(r *http.Request) grant {
	if len(s.grants) == 0 || r == nil {
		return nil
	}
	_, tok, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	return s.grants[strings.TrimSpace(tok)]
}

// dispatchGrant is dispatch for a token of a known kind. The caller holds
// s.mu.
func (s *Server) dispatchGrant(g grant, c *call) response {
	var resp response
	switch {
	case c.op.orgs && !strings.EqualFold(c.org, s.org):
		resp = notFound(c)
	case !g.allows(c.op):
		resp = g.refuse(c)
	default:
		resp = c.op.handle(s, c)
	}
	g.decorate(resp.header, c.op)
	return resp
}

// WithClassicToken makes the fake also accept token as a classic personal
// access token with these scopes. Every answer to it carries X-OAuth-Scopes
// (its scopes) and X-Accepted-OAuth-Scopes (admin:org for the Codespaces
// endpoints, repo for GET /repos). Without admin:org, every Codespaces
// endpoint answers 404, as GitHub hides what a token may not see.
func WithClassicToken(token string, scopes ...string) Option {
	return func(s *Server) { s.addGrant(token, classic{scopes: scopes}) }
}

// classic is a classic personal access token.
type classic struct{ scopes []string }

func (t classic) allows(op *operation) bool {
	return !op.orgs || slices.Contains(t.scopes, "admin:org")
}

func (classic) refuse(c *call) response { return notFound(c) }

func (t classic) decorate(h http.Header, op *operation) {
	h.Set("X-Oauth-Scopes", strings.Join(t.scopes, ", "))
	accepted := "repo"
	if op.orgs {
		accepted = "admin:org"
	}
	h.Set("X-Accepted-Oauth-Scopes", accepted)
}

// WithFineGrainedToken makes the fake also accept token as a fine-grained
// personal access token with the organization permission "Organization
// codespaces secrets" at access, and the repository permission "Metadata":
// Read-only. Its answers carry no X-OAuth-Scopes; each carries
// X-Accepted-GitHub-Permissions, the permission the endpoint needs. A
// write with ReadOnly answers 403 "Resource not accessible by personal
// access token".
func WithFineGrainedToken(token string, access Access) Option {
	return func(s *Server) { s.addGrant(token, fineGrained{access: access}) }
}

// fineGrained is a fine-grained personal access token.
type fineGrained struct{ access Access }

func (t fineGrained) allows(op *operation) bool {
	return !op.write || t.access == ReadWrite
}

func (fineGrained) refuse(c *call) response {
	return errorResponse(http.StatusForbidden, "Resource not accessible by personal access token", c.op.doc)
}

func (fineGrained) decorate(h http.Header, op *operation) {
	h.Set("X-Accepted-Github-Permissions", acceptedPermission(op))
}

// acceptedPermission is the X-Accepted-GitHub-Permissions of an endpoint.
func acceptedPermission(op *operation) string {
	switch {
	case !op.orgs:
		return "metadata=read"
	case op.write:
		return "organization_codespaces_secrets=write"
	}
	return "organization_codespaces_secrets=read"
}
