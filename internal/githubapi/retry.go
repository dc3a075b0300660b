package githubapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	maxRetries          = 3           // for network errors, 5xx and secondary rate limits
	maxPrimaryRetries   = 1           // a primary rate limit is waited out once
	firstBackoff        = time.Second // 1s, 2s, 4s
	jitterFraction      = 0.2         // backoff waits vary by ±20%
	defaultLimitWait    = 60 * time.Second
	rateLimitSafetyWait = time.Second // wait until one second after x-ratelimit-reset
)

// retrier is the policy of every call of one client: when to send a
// request again, after how long, and how to pace writes. Each call keeps
// its own count of retries (see call); the retrier keeps only what all
// calls share: the write bucket and whether its pacing was announced.
type retrier struct {
	clock   Clock
	rand    func() float64
	maxWait time.Duration
	pacer   *pacer
	stats   *counters
	notice  func(string) // told of waits; may be nil
	paced   atomic.Bool  // the pacing of writes has been announced
}

// retries counts the retries of one call by cause.
type retries struct{ transient, primary, secondary int }

// decide looks at GitHub's answer to a call and says whether to retry it,
// after how long and why. When it gives up on an answer that could have
// been retried, it leaves the reason in res.hint.
func (rt *retrier) decide(res *answer, n *retries) (wait time.Duration, why string, retry bool) {
	now := rt.clock.Now()
	switch classify(res.status, res.header, res.body) {
	case serverError:
		if n.transient >= maxRetries {
			res.hint = fmt.Sprintf("gave up after %d retries", maxRetries)
			return 0, "", false
		}
		n.transient++
		res.transient, res.failure = true, fmt.Sprintf("a %d response", res.status)
		return rt.backoff(n.transient), fmt.Sprintf("a retry after a %d response (retry %d of %d)", res.status, n.transient, maxRetries), true

	case primaryLimit:
		wait = defaultLimitWait
		reset, known := resetTime(res.header)
		if known {
			wait = max(reset.Add(rateLimitSafetyWait).Sub(now), rateLimitSafetyWait)
		} else {
			reset = now.Add(wait)
		}
		res.reset, res.resetGuessed = reset, !known
		switch {
		case n.primary >= maxPrimaryRetries:
			res.hint = "the primary rate limit was still used up after waiting for it to reset: run again later"
			return 0, "", false
		case wait > rt.maxWait:
			res.hint = fmt.Sprintf("the primary rate limit of this token is used up; not waiting %s for it to reset, more than the %s this client waits: run again after that time, or use a token with its own limit", wait, rt.maxWait)
			return 0, "", false
		}
		n.primary++
		if !known {
			return wait, "the primary rate limit, which gave no reset time", true
		}
		return wait, fmt.Sprintf("the primary rate limit to reset at %s UTC", reset.UTC().Format(time.TimeOnly)), true

	case secondaryLimit:
		base := defaultLimitWait
		if d, ok := retryAfter(res.header, now); ok {
			base = max(d, time.Second) // retry-after: 0 must not mean hammering
		} else if res.header.Get("X-Ratelimit-Remaining") == "0" {
			if reset, ok := resetTime(res.header); ok {
				base = max(reset.Add(rateLimitSafetyWait).Sub(now), rateLimitSafetyWait)
			}
		}
		wait = base << n.secondary                        // exponential: base, 2×base, 4×base
		res.reset, res.resetGuessed = now.Add(wait), true // when this client would have retried
		switch {
		case n.secondary >= maxRetries:
			res.hint = fmt.Sprintf("GitHub's secondary rate limit still applied after %d retries: wait a few minutes and run again, with fewer changes per run", maxRetries)
			return 0, "", false
		case wait > rt.maxWait:
			res.hint = fmt.Sprintf("GitHub's secondary rate limit asks for a wait of %s, more than the %s this client waits: run again later, with fewer changes per run", wait, rt.maxWait)
			return 0, "", false
		}
		n.secondary++
		return wait, fmt.Sprintf("GitHub's secondary rate limit (retry %d of %d)", n.secondary, maxRetries), true
	}
	return 0, "", false
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
func (rt *retrier) backoff(n int) time.Duration {
	d := firstBackoff << (n - 1)
	r := rt.rand()
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

// wait sleeps d on the clock before a retry. It fails at once when the wait
// would pass the context's deadline, and stops when the context is done.
// A wait that goes ahead is first told to the notice function as notice,
// unless notice is empty.
func (rt *retrier) wait(ctx context.Context, d time.Duration, why, notice string) error {
	now := rt.clock.Now()
	if deadline, ok := ctx.Deadline(); ok && now.Add(d).After(deadline) {
		return &deadlineError{wait: d, why: why, deadline: deadline, left: deadline.Sub(now)}
	}
	if notice != "" && rt.notice != nil {
		rt.notice(notice)
	}
	if err := rt.clock.Sleep(ctx, d); err != nil {
		return fmt.Errorf("stopped while waiting %s for %s: %w", d, why, err)
	}
	return nil
}

// pace waits until the write bucket allows one more write.
func (rt *retrier) pace(ctx context.Context) error {
	d := rt.pacer.reserve(rt.clock.Now())
	if d <= 0 {
		return nil
	}
	why := fmt.Sprintf("the pacing of writes (%d at once, then one every %s)", rt.pacer.burst, rt.pacer.every)
	notice := ""
	if rt.paced.CompareAndSwap(false, true) { // told once per client
		notice = fmt.Sprintf("after %d writes, the next ones are paced at one every %s, within GitHub's limit of 80 content-creating requests a minute", rt.pacer.burst, rt.pacer.every)
	}
	if err := rt.wait(ctx, d, why, notice); err != nil {
		rt.pacer.cancel()
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
