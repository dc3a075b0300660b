package fakegithub

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"
)

const (
	testOrg   = "acme"
	testToken = "t0ken"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 14, 15, 9, 26, 500_000_000, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// logs holds the request log of each fake made with withLog. The fake
// keeps none itself (package fakegithubtest keeps one for the tests of
// other packages, and cannot be imported here): these tests read it with
// the methods below, declared only in the tests.
var logs sync.Map // *Server -> *requestLog

// requestLog is the requests a fake recorded, in order.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

// withLog records the fake's requests in logs.
func withLog() Option {
	return func(s *Server) {
		l := &requestLog{}
		logs.Store(s, l)
		s.recorder = func(_ *http.Request, rec Request) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.reqs = append(l.reqs, rec)
		}
	}
}

// Requests returns the requests the fake recorded (see withLog).
func (s *Server) Requests() []Request {
	v, ok := logs.Load(s)
	if !ok {
		panic("fakegithub: a test reads the requests of a fake made without withLog")
	}
	l := v.(*requestLog)
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Request(nil), l.reqs...)
}

// Count returns how many recorded requests used the method ("" counts
// all).
func (s *Server) Count(method string) int {
	n := 0
	for _, r := range s.Requests() {
		if method == "" || strings.EqualFold(r.Method, method) {
			n++
		}
	}
	return n
}

// Writes returns how many recorded requests were writes.
func (s *Server) Writes() int {
	n := 0
	for _, r := range s.Requests() {
		if r.IsWrite() {
			n++
		}
	}
	return n
}

// Unmatched returns the recorded requests that matched no endpoint.
func (s *Server) Unmatched() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Unmatched {
			out = append(out, r)
		}
	}
	return out
}

// Writes counts the write requests every organization's Server recorded.
func (o *Orgs) Writes() int {
	n := 0
	for _, s := range o.servers {
		n += s.Writes()
	}
	return n
}

// client talks to a started fake the way a GitHub client would.
type client struct {
	t     *testing.T
	base  string
	token string
	hc    *http.Client
}

// result is one answer.
type result struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// start serves a fake for the test with the test org and token and a
// fake clock, and returns a client for it.
func start(t *testing.T, opts ...Option) (*Server, *client, *fakeClock) {
	t.Helper()
	clock := newClock()
	all := append([]Option{WithOrg(testOrg), WithToken(testToken), WithClock(clock.Now), withLog()}, opts...)
	srv := New(all...)
	base, stop, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	// A transport of its own without keep-alives: no request is ever
	// retried silently on a reused connection.
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &client{t: t, base: base, token: testToken, hc: &http.Client{Transport: tr}}, clock
}

// do sends a request to base+path with the token and GitHub's headers. A
// string body is sent as is; any other non-nil body is encoded as JSON.
func (c *client) do(method, path string, body any) result {
	c.t.Helper()
	return c.doURL(method, c.base+path, body)
}

func (c *client) doURL(method, url string, body any) result {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// want fails the test unless the answer has the status.
func (r result) want(t *testing.T, status int) result {
	t.Helper()
	if r.err != nil {
		t.Fatalf("request failed: %v", r.err)
	}
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// decode decodes the JSON body into v.
func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// apiError is GitHub's error body, as a client reads it.
type apiError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
	Errors           []struct {
		Resource string `json:"resource"`
		Field    string `json:"field"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// apiErr decodes the error body and checks its status field.
func (r result) apiErr(t *testing.T) apiError {
	t.Helper()
	var e apiError
	r.decode(t, &e)
	if e.Message == "" || e.DocumentationURL == "" {
		t.Errorf("error body %s lacks message or documentation_url", r.body)
	}
	return e
}

// seal encrypts value for the fake's current public key as a client would:
// with the base64 key from the API and box.SealAnonymous.
func seal(t *testing.T, srv *Server, value string) (keyID, encrypted string) {
	t.Helper()
	keyID, key := srv.PublicKey()
	return keyID, sealFor(t, key, value)
}

func sealFor(t *testing.T, key, value string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 32 {
		t.Fatalf("public key %q: %d bytes, %v", key, len(raw), err)
	}
	sealed, err := box.SealAnonymous(nil, []byte(value), (*[32]byte)(raw), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sealed)
}

// putBody is a create-or-update body.
type putBody struct {
	EncryptedValue        string  `json:"encrypted_value,omitempty"`
	KeyID                 string  `json:"key_id,omitempty"`
	Visibility            string  `json:"visibility,omitempty"`
	SelectedRepositoryIDs []int64 `json:"selected_repository_ids,omitempty"`
}

// put creates or updates a secret with a value sealed for the current key.
func (c *client) put(srv *Server, name, value, visibility string, ids ...int64) result {
	c.t.Helper()
	keyID, enc := seal(c.t, srv, value)
	return c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/"+name, putBody{EncryptedValue: enc, KeyID: keyID, Visibility: visibility, SelectedRepositoryIDs: ids})
}

// wantState fails unless the secret exists with this value, visibility
// and repositories.
func wantState(t *testing.T, srv *Server, name, value, visibility string, ids ...int64) SecretState {
	t.Helper()
	s, ok := srv.Secret(name)
	if !ok {
		t.Fatalf("secret %s does not exist", name)
	}
	if s.Value != value || s.Visibility != visibility || !equalIDs(s.RepoIDs, ids) {
		t.Fatalf("secret %s = value %q, %s, repos %v; want %q, %s, %v", name, s.Value, s.Visibility, s.RepoIDs, value, visibility, ids)
	}
	return s
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
