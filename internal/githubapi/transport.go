package githubapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxBodySize is the largest response body the client reads (1 MiB).
const MaxBodySize = 1 << 20

const (
	maxRetries          = 3           // for network errors, 5xx and secondary rate limits
	maxPrimaryRetries   = 1           // a primary rate limit is waited out once
	firstBackoff        = time.Second // 1s, 2s, 4s
	jitterFraction      = 0.2         // backoff waits vary by ±20%
	defaultLimitWait    = 60 * time.Second
	rateLimitSafetyWait = time.Second // wait until one second after x-ratelimit-reset
)

// errBodyTooLarge marks a response body over MaxBodySize.
var errBodyTooLarge = fmt.Errorf("GitHub's response body is larger than %d bytes (1 MiB), so it was not read", MaxBodySize)

// transport is the http.RoundTripper under the generated client. It sets
// the headers, sends one request at a time, paces writes, reads and caps
// the body, and retries what GitHub says may be retried.
type transport struct {
	base      http.RoundTripper
	origin    string // scheme://host:port of the API; only it gets the token
	api       string // scheme://host of the API, as New was given it
	urlName   string // how messages name the API URL
	token     string
	userAgent string
	clock     Clock
	rand      func() float64
	maxWait   time.Duration
	pacer     *pacer
	stats     *counters
	notice    func(string) // told of waits; may be nil
	paced     atomic.Bool  // the pacing of writes has been announced
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
// anything is sent.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != t.origin {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, t.elsewhere(req)
	}
	ctx := req.Context()
	info := callInfoFrom(ctx)
	if info == nil {
		info = &callInfo{} // a request that did not come from an operation
	}
	info.hint, info.reset, info.resetGuessed = "", time.Time{}, false

	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	write := isWrite(req.Method)
	var n retries
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if write {
			if err := t.pace(ctx); err != nil {
				return nil, err
			}
		}
		if info.fresh != nil { // after the last wait, right before the send
			b, err := info.fresh(ctx)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrNotSent, err)
			}
			body = b
		}
		r := t.prepare(req, body)
		info.method, info.url = r.Method, r.URL
		resp, respBody, err := t.send(r, write)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			if errors.Is(err, errBodyTooLarge) || !retryableNetError(err) {
				return nil, err
			}
			if n.transient >= maxRetries {
				return nil, fmt.Errorf("gave up after %d retries: %w", maxRetries, err)
			}
			n.transient++
			info.transient, info.failure = true, "a network error"
			var te *timeoutError
			if errors.As(err, &te) {
				info.failure = te.short()
			}
			why := "a retry after " + info.failure
			d := t.backoff(n.transient)
			if werr := t.wait(ctx, d, why, t.announcement(r, d, fmt.Sprintf("%s (retry %d of %d)", why, n.transient, maxRetries))); werr != nil {
				return nil, fmt.Errorf("%w; the request had failed with: %w", werr, err)
			}
		} else {
			info.status, info.header, info.body = resp.StatusCode, resp.Header, respBody
			wait, why, retry := t.decide(resp, info, &n)
			if !retry {
				return resp, nil
			}
			if werr := t.wait(ctx, wait, why, t.announcement(r, wait, why)); werr != nil {
				if errors.Is(werr, errPastDeadline) {
					info.hint = werr.Error()
					return resp, nil
				}
				return nil, werr
			}
			info.reset, info.resetGuessed = time.Time{}, false
		}
		t.stats.retries.Add(1)
	}
}

// ErrNotSent marks a write that was not sent because the read it had to
// carry, done just before it, failed. When the read was for a retry, an
// earlier attempt was sent: the error says how it failed.
var ErrNotSent = errors.New("the write was not sent, because the read it depends on failed")

// elsewhere is the error for a request to another origin than the API's.
func (t *transport) elsewhere(req *http.Request) error {
	to := req.URL.Scheme + "://" + req.URL.Host
	if req.Response != nil { // a redirect
		return fmt.Errorf("GitHub's answer pointed elsewhere: a %d redirect to %q, which is not the API at %q; the redirect was refused and nothing was sent there: check %s, or whether a proxy rewrites GitHub's answers",
			req.Response.StatusCode, to, t.api, t.urlName)
	}
	return fmt.Errorf("GitHub's answer pointed elsewhere: a link to %q, which is not the API at %q; it was refused and nothing was sent there: check %s, or whether a proxy rewrites GitHub's answers", to, t.api, t.urlName)
}

// retries counts the retries of one request by cause.
type retries struct{ transient, primary, secondary int }

// decide looks at a response and says whether to retry it, after how long
// and why. When it gives up on a response that could have been retried, it
// leaves the reason in info.hint.
func (t *transport) decide(resp *http.Response, info *callInfo, n *retries) (wait time.Duration, why string, retry bool) {
	now := t.clock.Now()
	switch classify(resp.StatusCode, resp.Header, info.body) {
	case serverError:
		if n.transient >= maxRetries {
			info.hint = fmt.Sprintf("gave up after %d retries", maxRetries)
			return 0, "", false
		}
		n.transient++
		info.transient, info.failure = true, fmt.Sprintf("a %d response", resp.StatusCode)
		return t.backoff(n.transient), fmt.Sprintf("a retry after a %d response (retry %d of %d)", resp.StatusCode, n.transient, maxRetries), true

	case primaryLimit:
		wait = defaultLimitWait
		reset, known := resetTime(resp.Header)
		if known {
			wait = max(reset.Add(rateLimitSafetyWait).Sub(now), rateLimitSafetyWait)
		} else {
			reset = now.Add(wait)
		}
		info.reset, info.resetGuessed = reset, !known
		switch {
		case n.primary >= maxPrimaryRetries:
			info.hint = "the primary rate limit was still used up after waiting for it to reset: run again later"
			return 0, "", false
		case wait > t.maxWait:
			info.hint = fmt.Sprintf("the primary rate limit of this token is used up; not waiting %s for it to reset, more than the %s this client waits: run again after that time, or use a token with its own limit", wait, t.maxWait)
			return 0, "", false
		}
		n.primary++
		if !known {
			return wait, "the primary rate limit, which gave no reset time", true
		}
		return wait, fmt.Sprintf("the primary rate limit to reset at %s UTC", reset.UTC().Format(time.TimeOnly)), true

	case secondaryLimit:
		base := defaultLimitWait
		if d, ok := retryAfter(resp.Header, now); ok {
			base = max(d, time.Second) // retry-after: 0 must not mean hammering
		} else if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
			if reset, ok := resetTime(resp.Header); ok {
				base = max(reset.Add(rateLimitSafetyWait).Sub(now), rateLimitSafetyWait)
			}
		}
		wait = base << n.secondary                          // exponential: base, 2×base, 4×base
		info.reset, info.resetGuessed = now.Add(wait), true // when this client would have retried
		switch {
		case n.secondary >= maxRetries:
			info.hint = fmt.Sprintf("GitHub's secondary rate limit still applied after %d retries: wait a few minutes and run again, with fewer changes per run", maxRetries)
			return 0, "", false
		case wait > t.maxWait:
			info.hint = fmt.Sprintf("GitHub's secondary rate limit asks for a wait of %s, more than the %s this client waits: run again later, with fewer changes per run", wait, t.maxWait)
			return 0, "", false
		}
		n.secondary++
		return wait, fmt.Sprintf("GitHub's secondary rate limit (retry %d of %d)", n.secondary, maxRetries), true
	}
	return 0, "", false
}

// readBody reads the request body once, so that every attempt sends the
// very same bytes (a retried PUT is idempotent), and closes req.Body (a
// RoundTripper must). It returns nil when there is no body.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("could not read the request body: %w", err)
	}
	return b, nil
}

// prepare copies req for one attempt, with body, and sets GitHub's
// headers. RoundTrip has already checked that req goes to the API's
// origin, the only one that gets the token.
func (t *transport) prepare(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	r.Header.Set("Accept", "application/vnd.github+json")
	r.Header.Set("X-GitHub-Api-Version", APIVersion)
	r.Header.Set("User-Agent", t.userAgent)
	r.Header.Set("Authorization", "Bearer "+t.token)
	return r
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
func (t *transport) send(r *http.Request, write bool) (*http.Response, []byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.requests.Add(1)
	if write {
		t.stats.writes.Add(1)
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	defer cancel(nil)
	timer := time.AfterFunc(t.headerWait, func() { cancel(&timeoutError{"no response headers", t.headerWait}) })
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	timer.Stop()
	if err != nil {
		return nil, nil, timedOut(ctx, err)
	}
	defer resp.Body.Close()
	timer = time.AfterFunc(t.bodyWait, func() { cancel(&timeoutError{"the response body did not finish", t.bodyWait}) })
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodySize+1))
	timer.Stop()
	if err != nil {
		return nil, nil, fmt.Errorf("could not read the body of GitHub's %d response: %w", resp.StatusCode, timedOut(ctx, err))
	}
	if len(body) > MaxBodySize {
		return nil, nil, errBodyTooLarge
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, body, nil
}

// timedOut returns the time-out that cancelled ctx, if one did, in place
// of err.
func timedOut(ctx context.Context, err error) error {
	var te *timeoutError
	if errors.As(context.Cause(ctx), &te) {
		return te
	}
	return err
}

// retryableNetError reports whether a failed round trip may succeed when
// tried again. Certificate errors will not.
func retryableNetError(err error) bool {
	return !certificateError(err)
}

// certificateError reports whether err says the server's TLS certificate
// was not trusted: signed by an unknown authority, for another host name,
// or invalid.
func certificateError(err error) bool {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
	)
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) ||
		errors.As(err, &hostErr) || errors.As(err, &invalidCert)
}

// backoff returns the wait before retry n (1, 2, 3): 1s, 2s, 4s, each
// varied by up to ±20%.
func (t *transport) backoff(n int) time.Duration {
	d := firstBackoff << (n - 1)
	r := t.rand()
	if r < 0 || r >= 1 || r != r {
		r = 0.5
	}
	return time.Duration(float64(d) * (1 + jitterFraction*(2*r-1)))
}

// errPastDeadline marks a wait that would outlast the context's deadline.
var errPastDeadline = errors.New("past the deadline")

type deadlineError struct {
	wait     time.Duration
	why      string
	deadline time.Time
	left     time.Duration
}

func (e *deadlineError) Error() string {
	return fmt.Sprintf("not waiting %s for %s: that would pass the deadline of this run (%s UTC, %s from now)",
		e.wait, e.why, e.deadline.UTC().Format(time.DateTime), e.left.Round(time.Millisecond))
}

func (e *deadlineError) Is(target error) bool { return target == errPastDeadline }

// announcement is the line that tells of a wait d before retrying r.
func (t *transport) announcement(r *http.Request, d time.Duration, why string) string {
	return fmt.Sprintf("%s %s: waiting %s for %s", r.Method, r.URL.Path, d.Round(time.Millisecond), why)
}

// wait sleeps d on the clock before a retry. It fails at once when the wait
// would pass the context's deadline, and stops when the context is done.
// A wait that goes ahead is first told to the notice function as notice,
// unless notice is empty.
func (t *transport) wait(ctx context.Context, d time.Duration, why, notice string) error {
	now := t.clock.Now()
	if deadline, ok := ctx.Deadline(); ok && now.Add(d).After(deadline) {
		return &deadlineError{wait: d, why: why, deadline: deadline, left: deadline.Sub(now)}
	}
	if notice != "" && t.notice != nil {
		t.notice(notice)
	}
	if err := t.clock.Sleep(ctx, d); err != nil {
		return fmt.Errorf("stopped while waiting %s for %s: %w", d, why, err)
	}
	return nil
}

// pace waits until the write bucket allows one more write.
func (t *transport) pace(ctx context.Context) error {
	d := t.pacer.reserve(t.clock.Now())
	if d <= 0 {
		return nil
	}
	why := fmt.Sprintf("the pacing of writes (%d at once, then one every %s)", t.pacer.burst, t.pacer.every)
	notice := ""
	if t.paced.CompareAndSwap(false, true) { // told once per client
		notice = fmt.Sprintf("after %d writes, the next ones are paced at one every %s, within GitHub's limit of 80 content-creating requests a minute", t.pacer.burst, t.pacer.every)
	}
	if err := t.wait(ctx, d, why, notice); err != nil {
		t.pacer.cancel()
		return err
	}
	return nil
}

// pacer is a token bucket kept as a theoretical arrival time (GCRA), so
// waits are exact durations: burst writes at once, then one per every.
type pacer struct {
	mu    sync.Mutex
	burst int
	every time.Duration
	tat   time.Time // when the bucket will be full again
}

// reserve takes one write from the bucket and returns how long to wait
// before sending it.
func (p *pacer) reserve(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	tat := p.tat
	if tat.Before(now) {
		tat = now
	}
	tat = tat.Add(p.every)
	p.tat = tat
	allowAt := tat.Add(-time.Duration(p.burst) * p.every)
	if !allowAt.After(now) {
		return 0
	}
	return allowAt.Sub(now)
}

// cancel gives back a reservation whose wait was cut short.
func (p *pacer) cancel() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tat = p.tat.Add(-p.every)
}

type responseKind int

const (
	final responseKind = iota
	serverError
	primaryLimit
	secondaryLimit
)

// classify sorts a response by what the transport should do with it,
// following GitHub's guidance on rate limits
// (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
func classify(status int, h http.Header, body []byte) responseKind {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return serverError
	case http.StatusForbidden, http.StatusTooManyRequests:
	default:
		return final
	}
	if mentionsSecondary(body) || h.Get("Retry-After") != "" {
		return secondaryLimit
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		return primaryLimit
	}
	if status == http.StatusTooManyRequests {
		return secondaryLimit // 429 always means too many requests
	}
	return final // a 403 about permissions: never retried
}

// mentionsSecondary reports whether GitHub's error body names the
// secondary rate limit in its message or documentation_url.
func mentionsSecondary(body []byte) bool {
	var e struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	text := strings.ToLower(string(body))
	if json.Unmarshal(body, &e) == nil {
		text = strings.ToLower(e.Message + " " + e.DocumentationURL)
	}
	return strings.Contains(text, "secondary rate limit") || strings.Contains(text, "secondary-rate-limit")
}

// resetTime reads x-ratelimit-reset (UTC epoch seconds).
func resetTime(h http.Header) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Ratelimit-Reset")), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// retryAfter reads retry-after, in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > int64(24*time.Hour/time.Second) {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}
