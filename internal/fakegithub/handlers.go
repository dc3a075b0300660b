package fakegithub

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"
)

// Documentation URLs GitHub puts in its error bodies.
const (
	docsRoot    = "https://docs.github.com/rest"
	docsSecrets = "https://docs.github.com/rest/codespaces/organization-secrets#"
	docsGetRepo = "https://docs.github.com/rest/repos/repos#get-a-repository"
)

// operation is one endpoint: how it is answered and what it needs.
type operation struct {
	name   string // GitHub's operation id
	doc    string // its documentation_url
	write  bool   // needs write permission on the organization's secrets
	orgs   bool   // an /orgs endpoint: checks the organization and the token's permission
	handle func(*Server, *call) response
}

var (
	opListSecrets = &operation{"codespaces/list-org-secrets", docsSecrets + "list-organization-secrets", false, true, (*Server).listSecrets}
	opPublicKey   = &operation{"codespaces/get-org-public-key", docsSecrets + "get-an-organization-public-key", false, true, (*Server).publicKey}
	opGetSecret   = &operation{"codespaces/get-org-secret", docsSecrets + "get-an-organization-secret", false, true, (*Server).getSecret}
	opPutSecret   = &operation{"codespaces/create-or-update-org-secret", docsSecrets + "create-or-update-an-organization-secret", true, true, (*Server).putSecret}
	opDelSecret   = &operation{"codespaces/delete-org-secret", docsSecrets + "delete-an-organization-secret", true, true, (*Server).deleteSecret}
	opListRepos   = &operation{"codespaces/list-selected-repos-for-org-secret", docsSecrets + "list-selected-repositories-for-an-organization-secret", false, true, (*Server).listSelectedRepos}
	opSetRepos    = &operation{"codespaces/set-selected-repos-for-org-secret", docsSecrets + "set-selected-repositories-for-an-organization-secret", true, true, (*Server).setSelectedRepos}
	opAddRepo     = &operation{"codespaces/add-selected-repo-to-org-secret", docsSecrets + "add-selected-repository-to-an-organization-secret", true, true, (*Server).addSelectedRepo}
	opRemoveRepo  = &operation{"codespaces/remove-selected-repo-from-org-secret", docsSecrets + "remove-selected-repository-from-an-organization-secret", true, true, (*Server).removeSelectedRepo}
	opGetRepo     = &operation{"repos/get", docsGetRepo, false, false, (*Server).getRepo}
)

// call is one routed request.
type call struct {
	op     *operation
	r      *http.Request
	body   []byte
	origin string // scheme://host, for absolute URLs
	self   string // origin + base path
	org    string
	name   string // secret_name as sent
	repoID string // repository_id as sent
	owner  string
	repo   string
}

// segments splits a relative escaped path into unescaped segments.
func segments(rel string) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(rel, "/"), "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// route finds the endpoint for a method and a path relative to the base
// path. Like GitHub, a known path with another method is no route (404).
func route(method, rel string) (*call, bool) {
	segs, ok := segments(rel)
	if !ok || slices.Contains(segs, "") {
		return nil, false
	}
	if len(segs) == 3 && segs[0] == "repos" && method == http.MethodGet {
		return &call{op: opGetRepo, owner: segs[1], repo: segs[2]}, true
	}
	if len(segs) < 4 || segs[0] != "orgs" || segs[2] != "codespaces" || segs[3] != "secrets" {
		return nil, false
	}
	c := &call{org: segs[1]}
	rest := segs[4:]
	if len(rest) > 0 {
		c.name = rest[0]
	}
	switch {
	case len(rest) == 0 && method == http.MethodGet:
		c.op = opListSecrets
	case len(rest) == 1 && rest[0] == "public-key" && method == http.MethodGet:
		c.op = opPublicKey
	case len(rest) == 1 && method == http.MethodGet:
		c.op = opGetSecret
	case len(rest) == 1 && method == http.MethodPut:
		c.op = opPutSecret
	case len(rest) == 1 && method == http.MethodDelete:
		c.op = opDelSecret
	case len(rest) == 2 && rest[1] == "repositories" && method == http.MethodGet:
		c.op = opListRepos
	case len(rest) == 2 && rest[1] == "repositories" && method == http.MethodPut:
		c.op = opSetRepos
	case len(rest) == 3 && rest[1] == "repositories" && method == http.MethodPut:
		c.op, c.repoID = opAddRepo, rest[2]
	case len(rest) == 3 && rest[1] == "repositories" && method == http.MethodDelete:
		c.op, c.repoID = opRemoveRepo, rest[2]
	default:
		return nil, false
	}
	return c, true
}

// respond computes the answer to a request and reports whether it matched
// no endpoint. The caller holds s.mu.
func (s *Server) respond(r *http.Request, rel string, inBase bool, body []byte) (response, bool) {
	authErr := s.authenticate(r.Header.Get("Authorization"))
	var c *call
	matched := false
	if inBase {
		c, matched = route(r.Method, rel)
	}
	var resp response
	switch {
	case !inBase || (authErr == "" && !matched):
		resp = errorResponse(http.StatusNotFound, "Not Found", docsRoot)
	case authErr != "":
		resp = errorResponse(http.StatusUnauthorized, authErr, docsRoot)
	case len(body) > maxRequestBody:
		resp = errorResponse(http.StatusRequestEntityTooLarge, "Request body too large", c.op.doc)
	default:
		c.r, c.body = r, body
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		c.origin = scheme + "://" + r.Host
		c.self = c.origin + s.basePath
		resp = s.dispatch(c)
	}
	s.commonHeaders(resp.header, authErr == "", r.Header.Get("X-Github-Api-Version"))
	return resp, !matched
}

// dispatch checks the organization and the token's permission, then runs
// the endpoint; a token of a known kind has its own rules (tokens.go). The
// caller holds s.mu.
func (s *Server) dispatch(c *call) response {
	if g := s.grantOf(c.r); g != nil {
		return s.dispatchGrant(g, c)
	}
	if !c.op.orgs {
		resp := c.op.handle(s, c)
		if s.perm != Forbidden403 {
			resp.header.Set("X-Oauth-Scopes", s.scopes())
			resp.header.Set("X-Accepted-Oauth-Scopes", "repo")
		}
		return resp
	}
	if !strings.EqualFold(c.org, s.org) {
		return errorResponse(http.StatusNotFound, "Not Found", c.op.doc)
	}
	var resp response
	switch s.perm {
	case NoAccess404:
		resp = errorResponse(http.StatusNotFound, "Not Found", c.op.doc)
	case Forbidden403:
		resp = errorResponse(http.StatusForbidden, "Resource not accessible by integration", c.op.doc)
		level := "read"
		if c.op.write {
			level = "write"
		}
		resp.header.Set("X-Accepted-Github-Permissions", "organization_codespaces_secrets="+level)
		return resp
	default:
		resp = c.op.handle(s, c)
	}
	resp.header.Set("X-Oauth-Scopes", s.scopes())
	resp.header.Set("X-Accepted-Oauth-Scopes", "admin:org")
	return resp
}

// scopes is the X-OAuth-Scopes of the classic token the fake pretends to
// have been given.
func (s *Server) scopes() string {
	if s.perm == NoAccess404 {
		return "repo"
	}
	return "admin:org, repo"
}

// notFound is GitHub's 404 for a missing resource.
func notFound(c *call) response {
	return errorResponse(http.StatusNotFound, "Not Found", c.op.doc)
}

// invalidRequest is GitHub's 422 for a body that does not fit the
// endpoint's schema.
func invalidRequest(c *call, field, code, detail string) response {
	return jsonResponse(http.StatusUnprocessableEntity, basicError{
		Message:          "Invalid request.\n\n" + detail,
		Errors:           []fieldError{{Resource: "Secret", Field: field, Code: code, Message: detail}},
		DocumentationURL: c.op.doc,
		Status:           "422",
	})
}

// validationFailed is GitHub's 422 for a well-formed request that breaks a
// rule.
func validationFailed(c *call, field, code, detail string) response {
	return jsonResponse(http.StatusUnprocessableEntity, basicError{
		Message:          "Validation Failed",
		Errors:           []fieldError{{Resource: "Secret", Field: field, Code: code, Message: detail}},
		DocumentationURL: c.op.doc,
		Status:           "422",
	})
}

// timestamp formats a time as GitHub does: ISO 8601, UTC, seconds.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// secretJSON is GitHub's codespaces-org-secret.
type secretJSON struct {
	Name                    string `json:"name"`
	CreatedAt               string `json:"created_at"`
	UpdatedAt               string `json:"updated_at"`
	Visibility              string `json:"visibility"`
	SelectedRepositoriesURL string `json:"selected_repositories_url,omitempty"`
}

func (s *Server) secretJSON(c *call, sec *secret) secretJSON {
	out := secretJSON{Name: sec.name, CreatedAt: timestamp(sec.created), UpdatedAt: timestamp(sec.updated), Visibility: sec.visibility}
	if sec.visibility == VisibilitySelected {
		out.SelectedRepositoriesURL = c.self + "/orgs/" + url.PathEscape(s.org) + "/codespaces/secrets/" + url.PathEscape(sec.name) + "/repositories"
	}
	return out
}

// ownerJSON is the trimmed simple-user of a repository's owner.
type ownerJSON struct {
	Login  string `json:"login"`
	ID     int64  `json:"id"`
	NodeID string `json:"node_id"`
	Type   string `json:"type"`
}

// repoJSON is GitHub's minimal-repository, and with Visibility its
// full-repository, trimmed to the fields the spec keeps.
type repoJSON struct {
	ID         int64     `json:"id"`
	NodeID     string    `json:"node_id"`
	Name       string    `json:"name"`
	FullName   string    `json:"full_name"`
	Owner      ownerJSON `json:"owner"`
	Private    bool      `json:"private"`
	Visibility string    `json:"visibility,omitempty"`
}

func (s *Server) repoJSON(r *Repo, full bool) repoJSON {
	kind, prefix := "User", "04:User"
	if strings.EqualFold(r.Owner, s.org) {
		kind, prefix = "Organization", "012:Organization"
	}
	out := repoJSON{
		ID: r.ID, NodeID: r.NodeID, Name: r.Name, FullName: r.FullName, Private: r.Private,
		Owner: ownerJSON{Login: r.Owner, ID: r.OwnerID, NodeID: base64.StdEncoding.EncodeToString([]byte(prefix + strconv.FormatInt(r.OwnerID, 10))), Type: kind},
	}
	if full {
		out.Visibility = r.Visibility
	}
	return out
}

// listSecrets answers GET /orgs/{org}/codespaces/secrets: every secret,
// sorted by name, paged with per_page and page and a Link header.
func (s *Server) listSecrets(c *call) response {
	return paged(c, s.sortedSecrets(), "secrets", func(sec *secret) secretJSON { return s.secretJSON(c, sec) })
}

// publicKey answers GET /orgs/{org}/codespaces/secrets/public-key.
func (s *Server) publicKey(*call) response {
	return jsonResponse(http.StatusOK, struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}{s.key.id, base64.StdEncoding.EncodeToString(s.key.pub[:])})
}

// lookup finds a secret by name, case-insensitively.
func (s *Server) lookup(name string) *secret {
	return s.secrets[strings.ToUpper(name)]
}

// getSecret answers GET /orgs/{org}/codespaces/secrets/{secret_name}.
func (s *Server) getSecret(c *call) response {
	sec := s.lookup(c.name)
	if sec == nil {
		return notFound(c)
	}
	return jsonResponse(http.StatusOK, s.secretJSON(c, sec))
}

// putSecret answers PUT /orgs/{org}/codespaces/secrets/{secret_name}:
// 201 with {} when it creates the secret, 204 when it updates it.
//
// Where GitHub's documentation is silent, the fake is strict:
//   - selected_repository_ids, even an empty list, needs visibility
//     "selected";
//   - an update with visibility "selected" and no selected_repository_ids
//     clears the selected repositories (GitHub does not promise to keep
//     them, so a client must always send the list);
//   - a visibility other than "selected" drops the selected repositories;
//   - an update without encrypted_value keeps the value and changes only
//     the scope; key_id without encrypted_value is ignored.
//
// Every successful PUT sets updated_at to now.
func (s *Server) putSecret(c *call) response {
	name, ok := canonicalName(c.name)
	if !ok {
		return validationFailed(c, "secret_name", "invalid", fmt.Sprintf("secret name %q is invalid: use only letters, digits and underscores, do not start with a digit, and do not start with GITHUB_", c.name))
	}
	fields, err := object(c.body)
	if err != nil {
		return invalidRequest(c, "", "invalid", err.Error())
	}
	value, err := stringField(fields, "encrypted_value")
	if err != nil {
		return invalidRequest(c, "encrypted_value", "invalid", err.Error())
	}
	keyID, err := stringField(fields, "key_id")
	if err != nil {
		return invalidRequest(c, "key_id", "invalid", err.Error())
	}
	visibility, err := stringField(fields, "visibility")
	switch {
	case err != nil:
		return invalidRequest(c, "visibility", "invalid", err.Error())
	case visibility == nil:
		return invalidRequest(c, "visibility", "missing_field", `"visibility" wasn't supplied.`)
	case !validVisibility(*visibility):
		return invalidRequest(c, "visibility", "invalid", fmt.Sprintf("%q is not a member of [all, private, selected] for \"visibility\".", *visibility))
	}
	ids, given, err := idsField(fields, "selected_repository_ids")
	if err != nil {
		return invalidRequest(c, "selected_repository_ids", "invalid", err.Error())
	}
	if given && *visibility != VisibilitySelected {
		return validationFailed(c, "selected_repository_ids", "invalid", fmt.Sprintf("selected_repository_ids can only be given with visibility \"selected\", not %q", *visibility))
	}
	if resp, ok := s.checkRepoIDs(c, ids); !ok {
		return resp
	}
	var plain string
	if value != nil {
		var resp response
		if plain, resp, ok = s.open(c, *value, keyID); !ok {
			return resp
		}
	}
	sec := s.secrets[name]
	if sec == nil && value == nil {
		return validationFailed(c, "encrypted_value", "missing_field", "encrypted_value is required to create a secret")
	}
	if sec == nil && len(s.secrets) >= MaxSecrets {
		return validationFailed(c, "secret_name", "custom", fmt.Sprintf("the organization already has %d Codespaces secrets, the most it may have", MaxSecrets))
	}
	repos := map[int64]bool{}
	for _, id := range ids {
		repos[id] = true
	}
	now := s.stamp()
	if sec == nil {
		s.secrets[name] = &secret{name: name, value: plain, visibility: *visibility, repos: repos, created: now, updated: now}
		return jsonResponse(http.StatusCreated, struct{}{})
	}
	if value != nil {
		sec.value = plain
	}
	sec.visibility, sec.repos, sec.updated = *visibility, repos, now
	return newResponse(http.StatusNoContent)
}

// encryptedValue is the pattern GitHub's description gives encrypted_value:
// standard base64 with padding.
var encryptedValue = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$`)

// open checks key_id and opens the sealed box with the current private
// key. Its messages never include the value or the ciphertext.
func (s *Server) open(c *call, sealed string, keyID *string) (string, response, bool) {
	if keyID == nil {
		return "", validationFailed(c, "key_id", "missing_field", "key_id is required with encrypted_value"), false
	}
	if *keyID != s.key.id {
		return "", validationFailed(c, "key_id", "invalid", fmt.Sprintf("key_id %q is not the organization's current public key; get the public key again", *keyID)), false
	}
	if !encryptedValue.MatchString(sealed) {
		return "", invalidRequest(c, "encrypted_value", "invalid", "encrypted_value is not base64"), false
	}
	ciphertext, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", invalidRequest(c, "encrypted_value", "invalid", "encrypted_value is not base64"), false
	}
	plain, ok := box.OpenAnonymous(nil, ciphertext, s.key.pub, s.key.priv)
	if !ok {
		return "", validationFailed(c, "encrypted_value", "invalid", "encrypted_value is not a sealed box for the organization's current public key"), false
	}
	if len(plain) > MaxValueBytes {
		return "", validationFailed(c, "encrypted_value", "invalid", fmt.Sprintf("the secret value is %d bytes; the most is 48 KB (%d bytes)", len(plain), MaxValueBytes)), false
	}
	return string(plain), response{}, true
}

// checkRepoIDs answers 422 unless every ID is a repository of the
// organization.
func (s *Server) checkRepoIDs(c *call, ids []int64) (response, bool) {
	var bad []string
	for _, id := range ids {
		if r := s.repoByID(id); r == nil || !s.inOrg(r) {
			bad = append(bad, strconv.FormatInt(id, 10))
		}
	}
	if len(bad) > 0 {
		return validationFailed(c, "selected_repository_ids", "invalid", fmt.Sprintf("no repository of %s has the id %s", s.org, strings.Join(bad, ", "))), false
	}
	return response{}, true
}

// deleteSecret answers DELETE /orgs/{org}/codespaces/secrets/{secret_name}.
func (s *Server) deleteSecret(c *call) response {
	sec := s.lookup(c.name)
	if sec == nil {
		return notFound(c)
	}
	delete(s.secrets, sec.name)
	return newResponse(http.StatusNoContent)
}

// listSelectedRepos answers GET .../{secret_name}/repositories: the
// selected repositories sorted by full_name, paged like the secrets. The
// documentation lists only 200 and 404, so a secret whose visibility is not
// "selected" answers 200 with its list, which is then always empty.
func (s *Server) listSelectedRepos(c *call) response {
	sec := s.lookup(c.name)
	if sec == nil {
		return notFound(c)
	}
	repos := make([]*Repo, 0, len(sec.repos))
	for id := range sec.repos {
		repos = append(repos, s.repoByID(id))
	}
	slices.SortFunc(repos, func(a, b *Repo) int {
		if n := strings.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName)); n != 0 {
			return n
		}
		return int(a.ID - b.ID)
	})
	return paged(c, repos, "repositories", func(r *Repo) repoJSON { return s.repoJSON(r, false) })
}

// notSelected is the 409 of the repository endpoints for a secret whose
// visibility is not "selected"; the message is the documentation's.
func notSelected(c *call) response {
	return errorResponse(http.StatusConflict, "Conflict when visibility type not set to selected", c.op.doc)
}

// setSelectedRepos answers PUT .../{secret_name}/repositories: it replaces
// the list. It checks, in order: the secret (404), the body (422), the
// visibility (409) and the IDs (422).
func (s *Server) setSelectedRepos(c *call) response {
	sec := s.lookup(c.name)
	if sec == nil {
		return notFound(c)
	}
	fields, err := object(c.body)
	if err != nil {
		return invalidRequest(c, "", "invalid", err.Error())
	}
	ids, given, err := idsField(fields, "selected_repository_ids")
	switch {
	case err != nil:
		return invalidRequest(c, "selected_repository_ids", "invalid", err.Error())
	case !given:
		return invalidRequest(c, "selected_repository_ids", "missing_field", `"selected_repository_ids" wasn't supplied.`)
	}
	if sec.visibility != VisibilitySelected {
		return notSelected(c)
	}
	if resp, ok := s.checkRepoIDs(c, ids); !ok {
		return resp
	}
	sec.repos = map[int64]bool{}
	for _, id := range ids {
		sec.repos[id] = true
	}
	return newResponse(http.StatusNoContent)
}

// selectedRepo checks the secret (404), the repository_id (422 when not an
// integer) and the visibility (409) for adding or removing one repository.
func (s *Server) selectedRepo(c *call) (*secret, int64, response, bool) {
	sec := s.lookup(c.name)
	if sec == nil {
		return nil, 0, notFound(c), false
	}
	id, err := strconv.ParseInt(c.repoID, 10, 64)
	if err != nil {
		return nil, 0, invalidRequest(c, "repository_id", "invalid", fmt.Sprintf("repository_id %q is not an integer", c.repoID)), false
	}
	if sec.visibility != VisibilitySelected {
		return nil, 0, notSelected(c), false
	}
	return sec, id, response{}, true
}

// addSelectedRepo answers PUT .../{secret_name}/repositories/{repository_id}.
// Adding a repository already in the list succeeds again (204). An ID no
// repository has is 404; a repository outside the organization is 422.
func (s *Server) addSelectedRepo(c *call) response {
	sec, id, resp, ok := s.selectedRepo(c)
	if !ok {
		return resp
	}
	r := s.repoByID(id)
	if r == nil {
		return notFound(c)
	}
	if !s.inOrg(r) {
		return validationFailed(c, "repository_id", "invalid", fmt.Sprintf("repository %s is not in %s", r.FullName, s.org))
	}
	sec.repos[id] = true
	return newResponse(http.StatusNoContent)
}

// removeSelectedRepo answers DELETE
// .../{secret_name}/repositories/{repository_id}. An ID no repository has
// is 404, a repository outside the organization is 422 (as for adding);
// removing a repository that is not in the list succeeds (204).
func (s *Server) removeSelectedRepo(c *call) response {
	sec, id, resp, ok := s.selectedRepo(c)
	if !ok {
		return resp
	}
	r := s.repoByID(id)
	if r == nil {
		return notFound(c)
	}
	if !s.inOrg(r) {
		return validationFailed(c, "repository_id", "invalid", fmt.Sprintf("repository %s is not in %s", r.FullName, s.org))
	}
	delete(sec.repos, id)
	return newResponse(http.StatusNoContent)
}

// getRepo answers GET /repos/{owner}/{repo}, case-insensitively.
func (s *Server) getRepo(c *call) response {
	r := s.findRepo(c.owner, c.repo)
	if r == nil {
		return notFound(c)
	}
	return jsonResponse(http.StatusOK, s.repoJSON(r, true))
}

// object parses a body that must be a JSON object into its members.
func object(body []byte) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("the request has no body; send a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, fmt.Errorf("the body is not a JSON object")
	}
	return m, nil
}

// isNull reports whether a member is absent or null.
func isNull(raw json.RawMessage) bool {
	return raw == nil || string(bytes.TrimSpace(raw)) == "null"
}

// stringField returns a string member, nil when it is absent or null.
func stringField(m map[string]json.RawMessage, key string) (*string, error) {
	raw := m[key]
	if isNull(raw) {
		return nil, nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%q is not a string", key)
	}
	return &v, nil
}

// idsField returns an array of integers and whether it was given (null
// counts as not given). Duplicates are dropped.
func idsField(m map[string]json.RawMessage, key string) ([]int64, bool, error) {
	raw := m[key]
	if isNull(raw) {
		return nil, false, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, true, fmt.Errorf("%q is not an array of integers", key)
	}
	ids := make([]int64, 0, len(items))
	for _, item := range items {
		id, err := strconv.ParseInt(string(bytes.TrimSpace(item)), 10, 64)
		if err != nil {
			return nil, true, fmt.Errorf("%q is not an array of integers: %s is not an integer", key, item)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, true, nil
}
