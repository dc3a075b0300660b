// Package githubapi is the layer between the action and GitHub's REST API
// for Codespaces organization secrets.
//
// Every request is built and its answer parsed by the code generated in
// package gen, and does what GitHub asks of API clients
// (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api)
// in two layers. The HTTP transport only sends: the API version and media
// type headers, a User-Agent, requests only to the configured API origin
// (a redirect or a next-page link elsewhere is refused, so the token goes
// nowhere else), one request at a time, time limits for each request, and
// a cap on the size of a response body. Above it, one call loop decides:
// paced writes, retries of transient failures and stalls with backoff, and
// waits for rate limits. Errors from GitHub come back as *Error.
package githubapi

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
)

// DefaultBaseURL is the REST API of github.com.
const DefaultBaseURL = "https://api.github.com"

// APIVersion is the REST API version every request asks for.
const APIVersion = "2022-11-28"

// Defaults of the options.
const (
	DefaultMaxPages         = 100
	DefaultWriteBurst       = 20
	DefaultWriteEvery       = time.Second
	DefaultMaxRateLimitWait = 60 * time.Second
	// DefaultHeaderTimeout bounds each request from its start (the
	// connection included) to GitHub's response headers; GitHub itself
	// ends a request after 10 seconds.
	DefaultHeaderTimeout = 20 * time.Second
	// DefaultBodyTimeout bounds the reading of each response body.
	DefaultBodyTimeout = 30 * time.Second
	userAgentProduct   = "codespaces-org-secrets"
)

// Client calls GitHub's REST API for one organization's Codespaces secrets.
// It is safe for concurrent use; requests are still sent one at a time.
type Client struct {
	hc       *http.Client // over tr
	server   string       // the API root with a trailing slash, as the generated request builders take it
	base     *url.URL     // the API root, without a trailing slash
	tr       *transport
	retry    *retrier
	stats    *counters
	maxPages int
	timeout  time.Duration // the injected http.Client's Timeout, for each call (see bound)
}

// Stats counts what the transport sent: every request, including retries
// and redirects.
type Stats struct {
	Requests int // requests sent
	Writes   int // requests with PUT, POST, PATCH or DELETE
	Retries  int // requests that repeated an earlier one after a failure or a rate limit
}

type config struct {
	httpClient *http.Client
	clock      Clock
	userAgent  string
	maxPages   int
	rand       func() float64
	burst      int
	every      time.Duration
	maxWait    time.Duration
	notice     func(string)
	headerWait time.Duration
	bodyWait   time.Duration
	urlName    string
}

// Option configures New. A nil Option, and an option given a nil or zero
// value, leaves the default in place.
type Option func(*config)

// WithHTTPClient sets the HTTP client. New copies it and wraps its
// Transport (http.DefaultTransport when nil), keeping its CheckRedirect,
// Jar and Timeout (which bounds each call as a whole, its retries and
// waits included).
func WithHTTPClient(c *http.Client) Option {
	return func(o *config) {
		if c != nil {
			o.httpClient = c
		}
	}
}

// WithClock sets the clock used for retries, rate-limit waits and pacing.
func WithClock(c Clock) Option {
	return func(o *config) {
		if c != nil {
			o.clock = c
		}
	}
}

// WithUserAgent sets the User-Agent header. A bare version such as "1.2.0"
// becomes "codespaces-org-secrets/1.2.0"; a value with a slash is used as
// it is, and one that ends in a slash gets "dev" appended. An empty value,
// or one with characters outside printable ASCII, keeps the default
// "codespaces-org-secrets/dev".
func WithUserAgent(ua string) Option {
	return func(o *config) {
		ua = strings.TrimSpace(ua)
		if ua == "" || !ascii.IsPrint(ua) {
			return
		}
		switch {
		case !strings.Contains(ua, "/"):
			ua = userAgentProduct + "/" + ua
		case strings.HasSuffix(ua, "/"):
			ua += "dev"
		}
		o.userAgent = ua
	}
}

// WithMaxPages sets how many pages a list call reads before it fails
// (default 100, that is 10,000 items). Values below 1 keep the default.
func WithMaxPages(n int) Option {
	return func(o *config) {
		if n > 0 {
			o.maxPages = n
		}
	}
}

// WithRand sets the random source of the retry jitter: a function that
// returns values in [0, 1), such as (*rand.Rand).Float64 from math/rand/v2.
// 0.5 means no jitter at all.
func WithRand(f func() float64) Option {
	return func(o *config) {
		if f != nil {
			o.rand = f
		}
	}
}

// WithWriteBurst sets the pacing of writes: up to burst writes at once,
// then one every `every` (default 20 and 1s, so no minute holds more than
// 80 writes). Values below 1 keep the defaults.
func WithWriteBurst(burst int, every time.Duration) Option {
	return func(o *config) {
		if burst > 0 {
			o.burst = burst
		}
		if every > 0 {
			o.every = every
		}
	}
}

// WithMaxRateLimitWait sets the longest single wait for a rate limit
// (default 60s). A limit that resets later makes the call fail at once with
// the time it resets.
func WithMaxRateLimitWait(d time.Duration) Option {
	return func(o *config) {
		if d > 0 {
			o.maxWait = d
		}
	}
}

// WithRequestTimeouts bounds each request: header from its start (the
// connection included) to the response headers, body the reading of the
// response body (defaults DefaultHeaderTimeout and DefaultBodyTimeout). A
// request that runs out of either is a transient failure, retried like a
// network error; the context's deadline still bounds the whole call.
// Values below 1 keep the defaults.
func WithRequestTimeouts(header, body time.Duration) Option {
	return func(o *config) {
		if header > 0 {
			o.headerWait = header
		}
		if body > 0 {
			o.bodyWait = body
		}
	}
}

// WithWaitNotice sets a function that is told, in one line, before each
// wait for a retry (which request, how long, and why), and once when writes
// start being paced, so that a slow run says why it is slow. The lines
// name methods, paths and statuses, never a body or a header.
func WithWaitNotice(f func(string)) Option {
	return func(o *config) {
		if f != nil {
			o.notice = f
		}
	}
}

// WithAPIURLName sets how an error that asks the reader to check the API
// URL names it: the place the URL came from, such as an input's name
// (default "the API URL").
func WithAPIURLName(name string) Option {
	return func(o *config) {
		if name != "" {
			o.urlName = name
		}
	}
}

// New returns a client for the REST API at base, authenticated with token.
//
// New trusts its caller to have checked both, and uses them as they are:
//   - base is the API root: an absolute https URL (http only for a loopback
//     host, since the token would travel unencrypted) without user
//     information, query or fragment, and without a trailing slash, such as
//     https://api.github.com, https://HOST/api/v3 for GitHub Enterprise
//     Server or https://api.SUBDOMAIN.ghe.com for GHE.com. A base path is
//     kept. Requests go to base's origin only.
//   - token is the credential sent as a Bearer token: non-empty printable
//     ASCII without spaces.
//
// New fails when base is nil or not absolute, a mistake of the caller; the
// error never repeats the token.
func New(base *url.URL, token string, opts ...Option) (*Client, error) {
	cfg := config{
		clock:      realClock{},
		userAgent:  userAgentProduct + "/dev",
		maxPages:   DefaultMaxPages,
		rand:       rand.Float64,
		burst:      DefaultWriteBurst,
		every:      DefaultWriteEvery,
		maxWait:    DefaultMaxRateLimitWait,
		headerWait: DefaultHeaderTimeout,
		bodyWait:   DefaultBodyTimeout,
		urlName:    "the API URL",
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if base == nil || !base.IsAbs() || base.Host == "" {
		return nil, fmt.Errorf("githubapi.New needs an absolute base URL, such as %s, not %q", DefaultBaseURL, base.Redacted())
	}
	copied := *base // the caller's URL stays the caller's
	base = &copied

	hc := &http.Client{}
	if cfg.httpClient != nil {
		c := *cfg.httpClient
		hc = &c
	}
	baseRT := hc.Transport
	if baseRT == nil {
		baseRT = http.DefaultTransport
	}
	stats := &counters{}
	tr := &transport{
		base:       baseRT,
		origin:     origin(base),
		api:        base.Scheme + "://" + base.Host,
		urlName:    cfg.urlName,
		token:      token,
		userAgent:  cfg.userAgent,
		stats:      stats,
		headerWait: cfg.headerWait,
		bodyWait:   cfg.bodyWait,
	}
	hc.Transport = tr
	timeout := hc.Timeout
	hc.Timeout = 0 // it bounds each call as a whole, not each attempt (see bound)
	retry := &retrier{
		clock:   cfg.clock,
		rand:    cfg.rand,
		maxWait: cfg.maxWait,
		pacer:   &pacer{burst: cfg.burst, every: cfg.every},
		stats:   stats,
		notice:  cfg.notice,
	}
	server := strings.TrimSuffix(base.String(), "/") + "/"
	return &Client{hc: hc, server: server, base: base, tr: tr, retry: retry, stats: stats, maxPages: cfg.maxPages, timeout: timeout}, nil
}

// Stats returns what the client has sent so far.
func (c *Client) Stats() Stats {
	return Stats{
		Requests: int(c.stats.requests.Load()),
		Writes:   int(c.stats.writes.Load()),
		Retries:  int(c.stats.retries.Load()),
	}
}

type counters struct {
	requests, writes, retries atomic.Int64
}

// origin returns scheme://host:port with the default port made explicit, so
// that https://h and https://h:443 compare equal.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}
