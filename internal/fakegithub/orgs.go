package fakegithub

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// docsApps is the documentation of the GitHub App endpoints.
const docsApps = "https://docs.github.com/rest/apps/apps"

// InstallationTokenLifetime is how long a minted installation token lives.
const InstallationTokenLifetime = time.Hour

// App is a GitHub App: its id, the public half of its private key, and
// the organizations it is installed in. GitHub grants it "Organization
// codespaces secrets: write" and "Metadata: read" in each.
type App struct {
	ID        int64
	ClientID  string // also accepted as the JWT's iss; "" for none
	PublicKey *rsa.PublicKey
	Installed []string // organization logins
	// Users are the user accounts it is also installed on: GET
	// /app/installations lists them after the organizations, with
	// target_type User.
	Users []string
	// Suspended are the organizations of Installed where the installation
	// is suspended: their installation has suspended_at set, and a token
	// request for it is refused with 403, as GitHub does.
	Suspended []string
}

// SuspendedAt is the suspended_at of a suspended installation.
var SuspendedAt = time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)

// suspended reports whether the installation in organization login is
// suspended.
func (a *App) suspended(login string) bool {
	return slices.ContainsFunc(a.Suspended, func(s string) bool { return strings.EqualFold(s, login) })
}

// Orgs is several organizations of one GitHub behind one URL: a Server per
// organization (each with its own state and rate limits),
// and optionally a GitHub App installed in some of them. It serves the
// App's endpoints itself, checking its JWT (signature, iat, exp, iss) and
// the installation tokens it mints (organization, permissions,
// revocation), and hands every other request to the organization's
// Server: /orgs/{org}/… by org, /repos/{owner}/… by owner (or the first
// organization's Server for an owner outside them). A classic token goes
// through as it is, to be checked by that Server; an installation token is
// checked here and replaced by the Server's own token.
type Orgs struct {
	servers []*Server // in the order given; the first also serves what no organization owns
	app     *App

	mu       sync.Mutex
	url      string
	tokens   map[string]*installToken
	minted   []MintedToken
	log      []Request // the requests Orgs answered itself (the App's endpoints, refusals)
	sequence int
	// revokeStatus, when not 0, answers every revocation (see
	// FailRevocations).
	revokeStatus int
}

// FailRevocations makes every later DELETE /installation/token answer
// status, with the token left as it was: a revocation that fails.
func (o *Orgs) FailRevocations(status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.revokeStatus = status
}

// Suspend suspends the App's installation in organization login, as its
// owner would in the organization's settings: see App.Suspended. Call it
// before the requests it is to affect.
func (o *Orgs) Suspend(login string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.app.Suspended = append(o.app.Suspended, login)
}

// installToken is an installation token Orgs minted.
type installToken struct {
	MintedToken
	expires time.Time
}

// MintedToken is an installation token as Orgs minted it, and what became
// of it.
type MintedToken struct {
	Token       string
	Org         string // the installation's organization
	Permissions map[string]string
	Revoked     bool
	// Uses are the requests made with the token, as "METHOD /path" with the
	// organization of the Server that answered.
	Uses []TokenUse
}

// TokenUse is one request made with an installation token.
type TokenUse struct {
	Method, Path string
	Org          string // whose Server it went to; "" for the App's endpoints
}

// NewOrgs returns the organizations of servers, which must share one base
// path, with app installed where app.Installed says (nil: no App).
func NewOrgs(app *App, servers ...*Server) *Orgs {
	if len(servers) == 0 {
		panic("fakegithub: NewOrgs needs at least one Server")
	}
	for _, s := range servers[1:] {
		if s.basePath != servers[0].basePath {
			panic("fakegithub: NewOrgs: the Servers have different base paths")
		}
	}
	return &Orgs{servers: servers, app: app, tokens: map[string]*installToken{}}
}

// Listen serves Orgs on 127.0.0.1 at a free port, as Server.Listen does.
func (o *Orgs) Listen() (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("fake GitHub: listening on 127.0.0.1 failed: %w", err)
	}
	hs := &http.Server{Handler: o, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln)
	}()
	base := "http://" + ln.Addr().String() + o.servers[0].basePath
	o.mu.Lock()
	o.url = base
	o.mu.Unlock()
	for _, s := range o.servers {
		s.mu.Lock()
		s.url = base
		s.mu.Unlock()
	}
	var once sync.Once
	return base, func() {
		once.Do(func() {
			_ = hs.Close()
			<-done
		})
	}, nil
}

// Server returns the Server of organization login, or nil.
func (o *Orgs) Server(login string) *Server {
	for _, s := range o.servers {
		if strings.EqualFold(s.org, login) {
			return s
		}
	}
	return nil
}

// Tokens returns the installation tokens minted so far, in order.
func (o *Orgs) Tokens() []MintedToken {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]MintedToken, 0, len(o.minted))
	for _, m := range o.minted {
		t := o.tokens[m.Token]
		c := t.MintedToken
		c.Uses = slices.Clone(t.Uses)
		c.Permissions = map[string]string{}
		for k, v := range t.Permissions {
			c.Permissions[k] = v
		}
		out = append(out, c)
	}
	return out
}

// Requests returns the requests Orgs answered itself: the App's endpoints
// and the requests it refused before any Server saw them.
func (o *Orgs) Requests() []Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.log)
}

// ServeHTTP answers the App's endpoints and hands every other request to
// the Server of its organization.
func (o *Orgs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	first := o.servers[0]
	rel, inBase := first.relative(r.URL.EscapedPath())
	if !inBase {
		first.ServeHTTP(w, r)
		return
	}
	segs, ok := segments(rel)
	if !ok || len(segs) == 0 {
		first.ServeHTTP(w, r)
		return
	}
	switch {
	case len(segs) >= 1 && segs[0] == "app",
		len(segs) == 3 && segs[0] == "orgs" && segs[2] == "installation",
		len(segs) == 2 && segs[0] == "installation" && segs[1] == "token":
		o.serveApp(w, r, segs)
		return
	}
	target := first
	switch {
	case len(segs) >= 2 && segs[0] == "orgs":
		target = o.Server(segs[1])
		if target == nil {
			o.answer(w, r, errorResponse(http.StatusNotFound, "Not Found", docsRoot))
			return
		}
	case len(segs) >= 2 && segs[0] == "repos":
		if s := o.Server(segs[1]); s != nil {
			target = s
		}
	}
	if tok, ok := o.installationToken(r); ok {
		if resp, refused := o.checkUse(r, tok, target, segs); refused {
			o.answer(w, r, resp)
			return
		}
		r.Header.Set("Authorization", "Bearer "+target.token)
		target.ServeHTTP(withoutScopes{w}, r)
		return
	}
	target.ServeHTTP(w, r)
}

// withoutScopes drops the classic token's X-OAuth-Scopes headers, which
// GitHub does not send to an installation token.
type withoutScopes struct{ http.ResponseWriter }

func (w withoutScopes) WriteHeader(code int) {
	w.Header().Del("X-Oauth-Scopes")
	w.Header().Del("X-Accepted-Oauth-Scopes")
	w.ResponseWriter.WriteHeader(code)
}

// installationToken returns the installation token r is authenticated
// with, if it is one Orgs minted.
func (o *Orgs) installationToken(r *http.Request) (*installToken, bool) {
	tok := bearer(r.Header.Get("Authorization"))
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.tokens[tok]
	return t, ok
}

// checkUse records a request made with an installation token and refuses
// it as GitHub would: 401 for a revoked or expired token, 404 for another
// organization's secrets or repositories (the installation cannot see
// them), 403 for a permission the token was not given.
func (o *Orgs) checkUse(r *http.Request, t *installToken, target *Server, segs []string) (response, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t.Uses = append(t.Uses, TokenUse{Method: r.Method, Path: r.URL.Path, Org: target.org})
	if t.Revoked || !target.now().Before(t.expires) {
		return errorResponse(http.StatusUnauthorized, "Bad credentials", docsRoot), true
	}
	// The installation sees only its organization: its secrets, and its
	// repositories (not those of another organization, Orgs' or not).
	if (segs[0] == "orgs" && !strings.EqualFold(target.org, t.Org)) ||
		(segs[0] == "repos" && len(segs) >= 2 && !strings.EqualFold(segs[1], t.Org)) {
		return errorResponse(http.StatusNotFound, "Not Found", docsRoot), true
	}
	perm, level := "organization_codespaces_secrets", "read"
	if segs[0] == "repos" {
		perm = "metadata"
	} else if r.Method != http.MethodGet {
		level = "write"
	}
	got := t.Permissions[perm]
	if got == "" || (level == "write" && got != "write") {
		resp := errorResponse(http.StatusForbidden, "Resource not accessible by integration", docsRoot)
		resp.header.Set("X-Accepted-Github-Permissions", perm+"="+level)
		return resp, true
	}
	return response{}, false
}

// answer writes a response Orgs computed itself, with GitHub's headers,
// and logs the request.
func (o *Orgs) answer(w http.ResponseWriter, r *http.Request, resp response) {
	o.mu.Lock()
	o.sequence++
	resp.header.Set("X-Github-Request-Id", fmt.Sprintf("FAKE-APP:%06d", o.sequence))
	resp.header.Set("X-Github-Api-Version-Selected", APIVersion)
	rec := RecordOf(r, nil)
	rec.Status, rec.At = resp.status, o.servers[0].now()
	o.log = append(o.log, rec)
	o.mu.Unlock()
	resp.write(w)
}

// serveApp answers the App's four endpoints.
func (o *Orgs) serveApp(w http.ResponseWriter, r *http.Request, segs []string) {
	first := o.servers[0]
	if first.latency > 0 && !sleep(r.Context(), first.latency) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		return
	}
	if segs[0] == "installation" {
		o.answer(w, r, o.revoke(r))
		return
	}
	if o.app == nil {
		o.answer(w, r, errorResponse(http.StatusUnauthorized, "A JSON web token could not be decoded", docsApps))
		return
	}
	if msg := o.checkJWT(bearer(r.Header.Get("Authorization"))); msg != "" {
		o.answer(w, r, errorResponse(http.StatusUnauthorized, msg, docsApps))
		return
	}
	switch {
	case r.Method == http.MethodGet && len(segs) == 2 && segs[1] == "installations":
		o.answer(w, r, o.listInstallations(r))
	case r.Method == http.MethodGet && segs[0] == "orgs":
		o.answer(w, r, o.orgInstallation(segs[1]))
	case r.Method == http.MethodPost && len(segs) == 4 && segs[1] == "installations" && segs[3] == "access_tokens":
		o.answer(w, r, o.mint(segs[2], body))
	default:
		o.answer(w, r, errorResponse(http.StatusNotFound, "Not Found", docsRoot))
	}
}

// bearer returns the token of an Authorization header.
func bearer(h string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !(strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) {
		return ""
	}
	return strings.TrimSpace(tok)
}

// checkJWT checks a JWT as GitHub does: RS256 signed by the App's key,
// iss the App's id, iat not in the future, exp in the future and at most
// 10 minutes after iat. It returns GitHub's 401 message, or "".
func (o *Orgs) checkJWT(tok string) string {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "A JSON web token could not be decoded"
	}
	var header struct{ Alg string }
	var claims struct {
		Iat, Exp *int64
		Iss      json.RawMessage
	}
	if decodePart(parts[0], &header) != nil || decodePart(parts[1], &claims) != nil || header.Alg != "RS256" {
		return "A JSON web token could not be decoded"
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(o.app.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return "A JSON web token could not be decoded"
	}
	now := o.servers[0].now().Unix()
	id := strconv.FormatInt(o.app.ID, 10)
	switch {
	case claims.Iat == nil || claims.Exp == nil:
		return "Missing 'issued at' or 'expiration time' claim"
	case strings.Trim(string(claims.Iss), `"`) != id && (o.app.ClientID == "" || strings.Trim(string(claims.Iss), `"`) != o.app.ClientID):
		return "'Issuer' claim ('iss') must be an Integer"
	case *claims.Iat > now:
		return "'Issued at' claim ('iat') must be an Integer representing a time in the past"
	case *claims.Exp <= now:
		return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	case *claims.Exp-*claims.Iat > 600:
		return "'Expiration time' claim ('exp') is too far in the future"
	}
	return ""
}

func decodePart(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// installationID is the id of the App's installation in the i-th
// organization of App.Installed.
func installationID(i int) int64 { return 7000001 + int64(i) }

// installationJSON is GitHub's installation, with the fields the action
// reads.
func (o *Orgs) installationJSON(i int) map[string]any {
	login := o.app.Installed[i]
	var id int64
	if s := o.Server(login); s != nil {
		login, id = s.org, OrgID
	}
	var suspendedAt any // null: not suspended
	if o.app.suspended(login) {
		suspendedAt = timestamp(SuspendedAt)
	}
	return map[string]any{
		"id":           installationID(i),
		"account":      map[string]any{"login": login, "id": id},
		"app_id":       o.app.ID,
		"target_type":  "Organization",
		"permissions":  map[string]string{"organization_codespaces_secrets": "write", "metadata": "read"},
		"suspended_at": suspendedAt,
	}
}

// userInstallationJSON is the installation on the i-th user of App.Users.
func (o *Orgs) userInstallationJSON(i int) map[string]any {
	return map[string]any{
		"id":           8000001 + int64(i),
		"account":      map[string]any{"login": o.app.Users[i], "id": 8000001 + int64(i)},
		"app_id":       o.app.ID,
		"target_type":  "User",
		"permissions":  map[string]string{"metadata": "read"},
		"suspended_at": nil,
	}
}

// listInstallations answers GET /app/installations, paged: the
// organizations', then the users'.
func (o *Orgs) listInstallations(r *http.Request) response {
	p := parsePage(r.URL.Query())
	total := len(o.app.Installed) + len(o.app.Users)
	start, end := p.bounds(total)
	items := make([]map[string]any, 0, end-start)
	for i := start; i < end; i++ {
		if i < len(o.app.Installed) {
			items = append(items, o.installationJSON(i))
		} else {
			items = append(items, o.userInstallationJSON(i-len(o.app.Installed)))
		}
	}
	resp := jsonResponse(http.StatusOK, items)
	if p.number < p.last(total) {
		next := *r.URL
		q := next.Query()
		q.Set("page", strconv.Itoa(p.number+1))
		next.RawQuery = q.Encode()
		o.mu.Lock()
		origin := strings.TrimSuffix(o.url, o.servers[0].basePath)
		o.mu.Unlock()
		resp.header.Set("Link", fmt.Sprintf("<%s%s>; rel=\"next\"", origin, next.RequestURI()))
	}
	return resp
}

// orgInstallation answers GET /orgs/{org}/installation: 404 where the App
// is not installed.
func (o *Orgs) orgInstallation(org string) response {
	for i, login := range o.app.Installed {
		if strings.EqualFold(login, org) {
			return jsonResponse(http.StatusOK, o.installationJSON(i))
		}
	}
	return errorResponse(http.StatusNotFound, "Not Found", docsApps+"#get-an-organization-installation-for-the-authenticated-app")
}

// mint answers POST /app/installations/{id}/access_tokens: a token with the
// permissions asked for, which must be among the App's; 403 for a
// suspended installation.
func (o *Orgs) mint(idText string, body []byte) response {
	i := -1
	for k := range o.app.Installed {
		if strconv.FormatInt(installationID(k), 10) == idText {
			i = k
		}
	}
	if i < 0 {
		return errorResponse(http.StatusNotFound, "Not Found", docsApps+"#create-an-installation-access-token-for-an-app")
	}
	if o.app.suspended(o.app.Installed[i]) {
		return errorResponse(http.StatusForbidden, "This installation has been suspended", docsApps+"#create-an-installation-access-token-for-an-app")
	}
	var req struct {
		Permissions map[string]string `json:"permissions"`
	}
	if len(body) > 0 && json.Unmarshal(body, &req) != nil {
		return errorResponse(http.StatusBadRequest, "Problems parsing JSON", docsApps)
	}
	granted := map[string]string{"organization_codespaces_secrets": "write", "metadata": "read"}
	if req.Permissions == nil {
		req.Permissions = granted
	}
	for k, v := range req.Permissions {
		g, ok := granted[k]
		if !ok || (v != "read" && v != "write") || (v == "write" && g != "write") {
			return errorResponse(http.StatusUnprocessableEntity, fmt.Sprintf("The permissions requested are not granted to this installation: %s=%s", k, v), docsApps)
		}
	}
	now := o.servers[0].now()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sequence++
	tok := fmt.Sprintf("ghs_fake%06dinstallation%d", o.sequence, installationID(i))
	org := o.app.Installed[i]
	if s := o.Server(org); s != nil {
		org = s.org
	}
	t := &installToken{MintedToken: MintedToken{Token: tok, Org: org, Permissions: req.Permissions}, expires: now.Add(InstallationTokenLifetime)}
	o.tokens[tok] = t
	o.minted = append(o.minted, t.MintedToken)
	return jsonResponse(http.StatusCreated, map[string]any{
		"token":       tok,
		"expires_at":  timestamp(t.expires),
		"permissions": req.Permissions,
	})
}

// revoke answers DELETE /installation/token.
func (o *Orgs) revoke(r *http.Request) response {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.revokeStatus != 0 {
		return errorResponse(o.revokeStatus, http.StatusText(o.revokeStatus), docsRoot)
	}
	t, ok := o.tokens[bearer(r.Header.Get("Authorization"))]
	if !ok || t.Revoked {
		return errorResponse(http.StatusUnauthorized, "Bad credentials", docsRoot)
	}
	t.Uses = append(t.Uses, TokenUse{Method: r.Method, Path: r.URL.Path})
	t.Revoked = true
	return newResponse(http.StatusNoContent)
}
