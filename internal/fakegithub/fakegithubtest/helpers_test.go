package fakegithubtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/crypto/nacl/box"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// client talks to a started fake the way a GitHub client would.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

// result is one answer.
type result struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// start serves a fake for the test and returns a client for it. Unlike
// Start, it does not Verify the fake: the tests of the faults leave some
// unused on purpose.
func start(t *testing.T) (*Server, *client) {
	t.Helper()
	srv := New()
	base, stop, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	// A transport of its own without keep-alives: no request is ever
	// retried silently on a reused connection.
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &client{t: t, base: base, hc: &http.Client{Transport: tr}}
}

// do sends a request to base+path with the fake's token and GitHub's
// headers. A string body is sent as is; any other non-nil body is encoded
// as JSON.
func (c *client) do(method, path string, body any) result {
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
		rd = strings.NewReader(string(j))
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", fakegithub.APIVersion)
	req.Header.Set("Authorization", "Bearer "+fakegithub.DefaultToken)
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

// put creates or updates a secret with a value sealed for the fake's
// current key, as a client would.
func (c *client) put(srv *Server, name, value, visibility string) result {
	c.t.Helper()
	keyID, key := srv.PublicKey()
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 32 {
		c.t.Fatalf("public key %q: %d bytes, %v", key, len(raw), err)
	}
	sealed, err := box.SealAnonymous(nil, []byte(value), (*[32]byte)(raw), rand.Reader)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/"+name, map[string]string{
		"encrypted_value": base64.StdEncoding.EncodeToString(sealed), "key_id": keyID, "visibility": visibility})
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

// apiError is GitHub's error body, as a client reads it.
type apiError struct {
	Message string `json:"message"`
	Errors  []struct {
		Field string `json:"field"`
	} `json:"errors"`
}

// apiErr decodes the error body.
func (r result) apiErr(t *testing.T) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(r.body, &e); err != nil || e.Message == "" {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	return e
}

// wantState fails unless the secret exists with this value and
// visibility.
func wantState(t *testing.T, srv *Server, name, value, visibility string) fakegithub.SecretState {
	t.Helper()
	s, ok := srv.Secret(name)
	if !ok {
		t.Fatalf("secret %s does not exist", name)
	}
	if s.Value != value || s.Visibility != visibility {
		t.Fatalf("secret %s = value %q, %s; want %q, %s", name, s.Value, s.Visibility, value, visibility)
	}
	return s
}
