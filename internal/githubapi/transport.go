package githubapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// MaxBodySize is the largest response body the client reads (1 MiB).
const MaxBodySize = 1 << 20

// errBodyTooLarge marks a response body over MaxBodySize.
var errBodyTooLarge = fmt.Errorf("GitHub's response body is larger than %d bytes (1 MiB), so it was not read", MaxBodySize)

// transport is the http.RoundTripper under the client. It only sends, as
// GitHub asks of API clients: to the API's origin only, with GitHub's
// headers and the token, one request at a time, each within its time
// limits, with the response body read in full and capped. It never waits
// and never sends again: the call loop above it (call.go) decides that.
type transport struct {
	base      http.RoundTripper
	origin    string // scheme://host:port of the API; only it gets the token
	api       string // scheme://host of the API, as New was given it
	urlName   string // how messages name the API URL
	token     string
	userAgent string
	stats     *counters
	// headerWait and bodyWait bound each attempt: until the response
	// headers, and the reading of the body.
	headerWait, bodyWait time.Duration

	mu sync.Mutex // held for each round trip and the reading of its body
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// RoundTrip implements http.RoundTripper. The response it returns has its
// body read in full (at most MaxBodySize bytes). A request to another
// origin than the API's (a redirect, a next-page link) is refused before
// anything is sent. A round trip that failed on the way is an
// *attemptError: the call loop may send it again.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != t.origin {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, t.elsewhere(req)
	}
	resp, err := t.send(t.prepare(req))
	if err != nil {
		return nil, &attemptError{err}
	}
	return resp, nil
}

// attemptError is a round trip that the transport sent, or tried to, and
// that failed on the way: no answer from GitHub came back. It wraps the
// cause.
type attemptError struct{ err error }

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// prepare copies req for one round trip, and sets GitHub's headers.
// RoundTrip has already checked that req goes to the API's origin, the
// only one that gets the token.
func (t *transport) prepare(req *http.Request) *http.Request {
	r := req.Clone(req.Context())
	r.Header.Set("Accept", "application/vnd.github+json")
	r.Header.Set("X-GitHub-Api-Version", APIVersion)
	r.Header.Set("User-Agent", t.userAgent)
	r.Header.Set("Authorization", "Bearer "+t.token)
	return r
}

// elsewhere is the error for a request to another origin than the API's.
func (t *transport) elsewhere(req *http.Request) error {
	to := req.URL.Scheme + "://" + req.URL.Host
	if req.Response != nil { // a redirect
		return fmt.Errorf("GitHub's answer pointed elsewhere: a %d redirect to %q, which is not the API at %q; the redirect was refused and nothing was sent there: check %s, or whether a proxy rewrites GitHub's answers",
			req.Response.StatusCode, to, t.api, t.urlName)
	}
	return fmt.Errorf("GitHub's answer pointed elsewhere: a link to %q, which is not the API at %q; it was refused and nothing was sent there: check %s, or whether a proxy rewrites GitHub's answers", to, t.api, t.urlName)
}

// timeoutError is an attempt that ran out of one of its time limits.
type timeoutError struct {
	what string // "no response headers", "the response body did not finish"
	d    time.Duration
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("%s within %s: GitHub or the network stalled", e.what, e.d)
}

func (e *timeoutError) short() string { return fmt.Sprintf("a time-out (%s within %s)", e.what, e.d) }

// Timeout marks the error as a time-out, as net.Error does.
func (e *timeoutError) Timeout() bool { return true }

// send makes one round trip while holding the lock, and reads the body in
// full, refusing more than MaxBodySize bytes. The round trip must have its
// response headers within headerWait, and the body must be read within
// bodyWait.
func (t *transport) send(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.requests.Add(1)
	if isWrite(r.Method) {
		t.stats.writes.Add(1)
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	timer := time.AfterFunc(t.headerWait, func() { cancel(&timeoutError{"no response headers", t.headerWait}) })
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	timer.Stop()
	if err != nil {
		return nil, timedOut(ctx, err)
	}
	defer resp.Body.Close()
	timer = time.AfterFunc(t.bodyWait, func() { cancel(&timeoutError{"the response body did not finish", t.bodyWait}) })
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	timer.Stop()
	if err != nil {
		return nil, fmt.Errorf("could not read the body of GitHub's %d response: %w", resp.StatusCode, timedOut(ctx, err))
	}
	if len(body) > MaxBodySize {
		return nil, errBodyTooLarge
	}
	resp.Body = &readBody{bytes.NewReader(body), body}
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// readBody is a response body that the transport has read in full: the
// call loop takes its bytes as they are, and the parser reads them.
type readBody struct {
	*bytes.Reader
	bytes []byte
}

// Close implements io.Closer; there is nothing left to close.
func (*readBody) Close() error { return nil }

// timedOut returns the time-out that cancelled ctx, if one did, in place
// of err.
func timedOut(ctx context.Context, err error) error {
	var te *timeoutError
	if errors.As(context.Cause(ctx), &te) {
		return te
	}
	return err
}
