// Package fakegithub is a stateful fake of GitHub's REST API for Codespaces
// organization secrets (https://docs.github.com/rest/codespaces/organization-secrets)
// and GET /repos/{owner}/{repo}, for unit tests, end-to-end tests of the
// built binary, benchmarks and the --demo mode.
//
// It follows GitHub's documentation as closely as the documentation allows:
// it checks the token, keeps a real libsodium key pair and opens every
// sealed box it receives, answers with GitHub's status codes, error bodies,
// Link headers and rate-limit headers, and treats secret names, the
// organization and repository names case-insensitively. Where GitHub's
// documentation is silent, it picks the strict reading and says so on the
// handler. It does not import the generated client, so it checks that
// client independently.
//
// Every request is reported to a recorder (see WithRecorder), and a front
// may answer requests in the fake's stead (see WithFront).
//
// The package is part of the binary, for --demo, so it holds the fake and
// nothing only tests use: tests start a fake with package fakegithubtest,
// which keeps the request log, injects faults through the front, and fails
// the test on anything the fake was not asked for.
package fakegithub

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults used when no option says otherwise.
const (
	// DefaultOrg is the organization's login.
	DefaultOrg = "acme"
	// DefaultToken is the only token the fake accepts.
	DefaultToken = "fake-token"
	// DefaultBasePath is the path under which the API is served, as on
	// GitHub Enterprise Server; a request without it gets 404.
	DefaultBasePath = "/api/v3"
	// APIVersion is the REST API version the fake answers as.
	APIVersion = "2022-11-28"
	// RateLimit is the primary rate limit of the token per hour.
	RateLimit = 5000
	// UnauthenticatedRateLimit is the hourly limit GitHub reports for
	// requests without valid credentials.
	UnauthenticatedRateLimit = 60
)

// maxRequestBody caps what the fake reads of a request body: far above
// the largest valid PUT (a 48 KB value, sealed and base64-encoded).
const maxRequestBody = 1 << 20

// Permission is what the configured token may do with the organization's
// Codespaces secrets.
type Permission int

const (
	// Full is a token with the admin:org scope (or the "Organization
	// codespaces secrets" write permission): everything works.
	Full Permission = iota
	// NoAccess404 is a classic token without admin:org: every /orgs
	// endpoint answers 404 Not Found, as GitHub does to hide what the
	// token may not see. GET /repos still works.
	NoAccess404
	// Forbidden403 is a GitHub App token without the "Organization
	// codespaces secrets" permission: every /orgs endpoint answers 403
	// "Resource not accessible by integration". GET /repos still works.
	Forbidden403
)

// String names the permission.
func (p Permission) String() string {
	switch p {
	case Full:
		return "Full"
	case NoAccess404:
		return "NoAccess404"
	case Forbidden403:
		return "Forbidden403"
	}
	return "Permission(" + strconv.Itoa(int(p)) + ")"
}

// Option configures a Server. New skips nil options.
type Option func(*Server)

// WithOrg sets the organization's login (default DefaultOrg). Requests
// name it case-insensitively; any other organization gets 404. An empty
// login is ignored.
func WithOrg(login string) Option {
	return func(s *Server) {
		if login != "" {
			s.org = login
		}
	}
}

// WithToken sets the token every request must send as
// "Authorization: Bearer <token>" or "token <token>" (default
// DefaultToken). An empty token is ignored.
func WithToken(tok string) Option {
	return func(s *Server) {
		if tok != "" {
			s.token = tok
		}
	}
}

// WithBasePath sets the path prefix of every endpoint (default
// DefaultBasePath); "" or "/" serves at the root, as api.github.com does.
func WithBasePath(p string) Option {
	return func(s *Server) {
		p = strings.TrimRight(p, "/")
		if p != "" && !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		s.basePath = p
	}
}

// WithRand sets the random source of the organization's key pairs
// (default crypto/rand.Reader). Each key pair reads 32 bytes; a fixed
// reader makes the keys deterministic.
func WithRand(r io.Reader) Option {
	return func(s *Server) {
		if r != nil {
			s.rand = r
		}
	}
}

// WithClock sets the clock used for created_at, updated_at and the
// rate-limit window (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithLatency makes every request wait d of real time before it is
// answered, like a network round trip. Use it only for wall-time
// benchmarks and the demo; tests should not sleep.
func WithLatency(d time.Duration) Option {
	return func(s *Server) { s.latency = d }
}

// WithPermission sets what the token may do (default Full).
func WithPermission(p Permission) Option {
	return func(s *Server) { s.perm = p }
}

// WithRecorder has record told of every request the fake received, in
// the order the fake finished them: r as received (its context carries
// what a front put there) and rec, what the fake made of it. It is called
// while the fake holds its lock, so it must not call the Server.
func WithRecorder(record func(r *http.Request, rec Request)) Option {
	return func(s *Server) { s.recorder = record }
}

// Front stands before the fake as a proxy would: package fakegithubtest's
// injected faults. The binary's --demo has none.
type Front interface {
	// ServeFront is given each request within the base path, before the
	// fake checks its credentials, with its record so far (see RecordOf)
	// and the path relative to the base path. It answers the request
	// itself (see Server.AnswerInstead) or passes it on (Server.Answer).
	ServeFront(w http.ResponseWriter, r *http.Request, rec Request, rel string)
}

// WithFront puts a front before the fake (default none).
func WithFront(f Front) Option {
	return func(s *Server) { s.front = f }
}

// Request is the record of one request the fake received, as the
// recorder sees it (see WithRecorder).
type Request struct {
	Method   string
	Path     string // the full path as received, base path included
	RawQuery string
	Header   http.Header
	Body     []byte
	Status   int // the status answered; 0 when the connection was reset or the request abandoned
	// At is when the fake read or changed its state for the request, by
	// its clock (see WithClock): for a list read, the moment its answer
	// shows; for a write, the moment it took effect.
	At        time.Time
	Unmatched bool // no endpoint has this method and path (the base path was missing, or the route is unknown)
	Fault     bool // the front answered instead of the fake (an injected fault)
}

// RecordOf returns the record of a request as received, with its body:
// no answer yet.
func RecordOf(r *http.Request, body []byte) Request {
	return Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
}

// IsWrite reports whether the request was a PUT, POST, PATCH or DELETE,
// whatever its answer.
func (r Request) IsWrite() bool {
	switch r.Method {
	case http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// Server is the fake GitHub. It implements http.Handler and is safe for
// concurrent use.
type Server struct {
	// Configuration, fixed after New.
	org      string
	token    string
	basePath string
	rand     io.Reader
	now      func() time.Time
	latency  time.Duration
	perm     Permission
	grants   map[string]grant // tokens of a known kind, besides token (see tokens.go)
	front    Front
	recorder func(*http.Request, Request)

	mu       sync.Mutex
	url      string
	secrets  map[string]*secret // by upper-case name
	repos    []*Repo            // index i has ID FirstRepoID+i
	owners   map[string]int64   // lower-case login -> account ID
	key      keyPair
	keyGen   int
	core     rateWindow // requests with the token
	anon     rateWindow // requests without valid credentials
	requests int        // numbers X-GitHub-Request-Id
}

// New returns a fake GitHub with one organization, no repositories, no
// secrets and a fresh key pair. It panics if the random source fails.
func New(opts ...Option) *Server {
	s := &Server{
		org:      DefaultOrg,
		token:    DefaultToken,
		basePath: DefaultBasePath,
		rand:     rand.Reader,
		now:      time.Now,
		secrets:  map[string]*secret{},
		owners:   map[string]int64{},
		core:     rateWindow{limit: RateLimit},
		anon:     rateWindow{limit: UnauthenticatedRateLimit},
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.owners[strings.ToLower(s.org)] = OrgID
	s.newKey()
	return s
}

// Listen serves the fake on 127.0.0.1 at a free port with net/http alone,
// so the demo runs it from the action's binary without linking any test
// code (tests start it with fakegithubtest.Start). It returns the base URL
// (base path included) and a function that stops the server; it errors
// when it cannot listen.
func (s *Server) Listen() (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("fake GitHub: listening on 127.0.0.1 failed: %w", err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	s.mu.Lock()
	s.url = "http://" + ln.Addr().String() + s.basePath
	s.mu.Unlock()
	var once sync.Once
	return s.URL(), func() {
		once.Do(func() {
			_ = hs.Close()
			<-done
		})
	}, nil
}

// URL returns the base URL (base path included) after Listen,
// and "" before.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Org returns the organization's login.
func (s *Server) Org() string { return s.org }

// Token returns the token the fake accepts.
func (s *Server) Token() string { return s.token }

// ServeHTTP answers one request. It checks, in order: the base path (404),
// the front (see WithFront), the credentials (401), the route (404), the
// organization and the token's permission (404 or 403) and finally the
// endpoint. The request is recorded (see WithRecorder) before the answer
// is written, so a client that has its response also finds it recorded.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	rec := RecordOf(r, body)
	if err != nil {
		s.record(r, rec) // the client went away mid-body
		return
	}
	if s.latency > 0 && !sleep(r.Context(), s.latency) {
		s.record(r, rec)
		return
	}
	rel, inBase := s.relative(r.URL.EscapedPath())
	if inBase && s.front != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.front.ServeFront(w, r, rec, rel)
		return
	}
	s.answer(w, r, rec, rel, inBase)
}

// Answer answers a request within the base path as the fake itself: a
// front (see WithFront) passes a request on with it. rec is the record the
// front was given, rel the path relative to the base path.
func (s *Server) Answer(w http.ResponseWriter, r *http.Request, rec Request, rel string) {
	s.answer(w, r, rec, rel, true)
}

// answer computes the fake's answer under the lock, records the request
// and writes the answer.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, rec Request, rel string, inBase bool) {
	s.mu.Lock()
	resp, unmatched := s.respond(r, rel, inBase, rec.Body)
	rec.Status, rec.Unmatched, rec.At = resp.status, unmatched, s.now()
	s.recordLocked(r, rec)
	s.mu.Unlock()
	resp.write(w)
}

// AnswerInstead answers a request in the fake's stead, as a proxy or
// GitHub's front end might (a front's injected fault): with status, the
// headers the fake sends on every answer (the request counts against the
// rate limit) overridden by header (an empty value removes one), and body
// as JSON when header sets no Content-Type. The record says Fault.
func (s *Server) AnswerInstead(w http.ResponseWriter, r *http.Request, rec Request, status int, header map[string]string, body string) {
	rec.Fault = true
	resp := newResponse(status)
	s.mu.Lock()
	s.commonHeaders(resp.header, s.authenticate(rec.Header.Get("Authorization")) == "", rec.Header.Get("X-Github-Api-Version"))
	for k, v := range header {
		if v == "" {
			resp.header.Del(k)
		} else {
			resp.header.Set(k, v)
		}
	}
	if body != "" && BodyAllowed(status) {
		resp.body = []byte(body)
		if resp.header.Get("Content-Type") == "" {
			resp.header.Set("Content-Type", "application/json; charset=utf-8")
		}
	}
	rec.Status, rec.At = status, s.now()
	s.recordLocked(r, rec)
	s.mu.Unlock()
	resp.write(w)
}

// BodyAllowed reports whether a response with this status may have a body.
func BodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// record reports a request to the recorder. It takes s.mu.
func (s *Server) record(r *http.Request, rec Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked(r, rec)
}

// recordLocked reports a request to the recorder; the caller holds s.mu,
// so the recorder sees the requests in the order the fake finished them.
func (s *Server) recordLocked(r *http.Request, rec Request) {
	if s.recorder != nil {
		s.recorder(r, rec)
	}
}

// relative strips the base path from the escaped path and reports
// whether it was there.
func (s *Server) relative(p string) (string, bool) {
	if s.basePath == "" {
		return p, true
	}
	rest, ok := strings.CutPrefix(p, s.basePath)
	if !ok || !strings.HasPrefix(rest, "/") {
		return "", false
	}
	return rest, true
}

// sleep waits d, or less if ctx ends first; it reports whether it waited
// the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// authenticate checks the Authorization header. It returns "" when the
// token is the configured one, or one of a known kind (WithClassicToken,
// WithFineGrainedToken), and GitHub's 401 message otherwise.
func (s *Server) authenticate(h string) string {
	if strings.TrimSpace(h) == "" {
		return "Requires authentication"
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !(strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) {
		return "Bad credentials"
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.token)) != 1 && s.grants[strings.TrimSpace(tok)] == nil {
		return "Bad credentials"
	}
	return ""
}

// rateWindow is one primary rate-limit bucket: a fixed hour that starts
// with its first request, as GitHub's does.
type rateWindow struct {
	limit int
	used  int
	reset time.Time
}

// take counts a request and returns the x-ratelimit-* headers to send.
// The fake only reports the limit: it never refuses a request for it (a
// long benchmark would otherwise stall for an hour); inject a Fault with
// x-ratelimit-remaining: 0 to test exhaustion. The caller holds s.mu.
func (s *Server) take(w *rateWindow, h http.Header) {
	now := s.now()
	if w.reset.IsZero() || !now.Before(w.reset) {
		w.used = 0
		w.reset = now.Add(time.Hour).Truncate(time.Second)
	}
	w.used++
	h.Set("X-Ratelimit-Limit", strconv.Itoa(w.limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(w.limit-w.used, 0)))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(w.reset.Unix(), 10))
	h.Set("X-Ratelimit-Used", strconv.Itoa(w.used))
	h.Set("X-Ratelimit-Resource", "core")
}

// commonHeaders sets the headers GitHub sends on every answer and counts
// the request against its rate limit. The caller holds s.mu.
func (s *Server) commonHeaders(h http.Header, authenticated bool, apiVersion string) {
	if authenticated {
		s.take(&s.core, h)
	} else {
		s.take(&s.anon, h)
	}
	s.requests++
	h.Set("X-Github-Request-Id", fmt.Sprintf("FAKE:%06d", s.requests))
	h.Set("X-Github-Media-Type", "github.v3; format=json")
	if apiVersion == "" {
		apiVersion = APIVersion
	}
	h.Set("X-Github-Api-Version-Selected", apiVersion)
}

// response is an answer computed under the lock and written after it.
type response struct {
	status int
	header http.Header
	body   []byte // nil: no body
}

func newResponse(status int) response {
	return response{status: status, header: http.Header{}}
}

// jsonResponse encodes v as the body.
func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: encoding a %d answer: %v", status, err))
	}
	resp := newResponse(status)
	resp.header.Set("Content-Type", "application/json; charset=utf-8")
	resp.body = b
	return resp
}

// basicError is GitHub's error body.
type basicError struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

// fieldError is one entry of a 422's errors.
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// errorResponse is GitHub's {message, documentation_url, status}.
func errorResponse(status int, message, doc string) response {
	return jsonResponse(status, basicError{Message: message, DocumentationURL: doc, Status: strconv.Itoa(status)})
}

// write sends the response.
func (resp response) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if resp.body != nil {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	if resp.body != nil {
		_, _ = w.Write(resp.body)
	}
}
