package githubapi

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

// The test API lives under a base path, so a request that drops the prefix
// matches no stub and fails the test.
const (
	testBase  = "https://ghes.example.com/api/v3"
	testToken = "ghs_test_token_0123456789"
	testOrg   = "acme"
)

// testEpoch is where the fake clock starts: whole seconds, so waits until
// x-ratelimit-reset are exact.
var testEpoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is one test's client, with its mock transport and fake clock.
type fixture struct {
	t      *testing.T
	mock   *httpmock.MockTransport
	clock  *fakeclock.Clock
	client *Client
}

// noJitter makes the backoff exactly 1s, 2s, 4s.
func noJitter() float64 { return 0.5 }

// setup returns a client for testBase over a strict mock transport: a
// request that matches no stub fails the test.
func setup(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	return setupAt(t, testEpoch, opts...)
}

func setupAt(t *testing.T, start time.Time, opts ...Option) *fixture {
	t.Helper()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	clock := fakeclock.New(start)
	base := []Option{WithHTTPClient(&http.Client{Transport: mock}), WithClock(clock), WithRand(noJitter)}
	c, err := New(parseURL(t, testBase), testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &fixture{t: t, mock: mock, clock: clock, client: c}
}

// parseURL parses an absolute URL, as New takes it.
func parseURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		t.Fatalf("url.Parse(%q) = %v, %v: want an absolute URL", s, u, err)
	}
	return u
}

// url returns the absolute URL of an API path.
func (f *fixture) url(path string) string { return testBase + path }

// on registers responders for method and path: the first call gets the
// first responder, and so on; a call beyond them fails the test.
func (f *fixture) on(method, path string, rs ...httpmock.Responder) {
	f.t.Helper()
	f.mock.RegisterResponder(method, f.url(path), sequence(f.t, rs...))
}

// onQuery is on for a URL with exactly the given query.
func (f *fixture) onQuery(method, path, query string, rs ...httpmock.Responder) {
	f.t.Helper()
	f.mock.RegisterResponderWithQuery(method, f.url(path), query, sequence(f.t, rs...))
}

// calls asserts the exact number of calls to every stub, each written as
// "METHOD /path?query" below testBase, or as a full URL.
func (f *fixture) calls(want map[string]int) {
	f.t.Helper()
	full := map[string]int{}
	for k, n := range want {
		method, u, _ := strings.Cut(k, " ")
		if strings.HasPrefix(u, "/") {
			u = testBase + u
		}
		full[method+" "+u] = n
	}
	if got := f.mock.GetCallCountInfo(); !maps.Equal(got, full) {
		f.t.Errorf("calls:\n got %v\nwant %v", got, full)
	}
}

// waits asserts the exact waits on the fake clock.
func (f *fixture) waits(want ...time.Duration) {
	f.t.Helper()
	if got := f.clock.Waits(); !slices.Equal(got, want) {
		f.t.Errorf("waits = %v, want %v", got, want)
	}
}

// sequence answers the n-th call with rs[n], and fails the test on a call
// beyond them.
func sequence(t *testing.T, rs ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	n := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		if i >= len(rs) {
			t.Errorf("unexpected call %d to %s %s (only %d stubbed)", i+1, req.Method, req.URL, len(rs))
			return nil, errors.New("unexpected call")
		}
		return rs[i](req)
	}
}

// reply answers with a status, a body, and header pairs ("Name", "value",
// …). A body that starts with { or [ gets GitHub's JSON content type.
func reply(status int, body string, header ...string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
			resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		}
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Add(header[i], header[i+1])
		}
		resp.Request = req
		return resp, nil
	}
}

// check runs assertions on the request, then answers with r.
func check(r httpmock.Responder, asserts ...func(*http.Request)) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		for _, a := range asserts {
			a(req)
		}
		return r(req)
	}
}

// netErr fails the round trip as a dropped connection would.
func netErr() httpmock.Responder {
	return httpmock.NewErrorResponder(errors.New("connection reset by peer"))
}

// testMethod asserts the request's method.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Method != want {
		t.Errorf("request method = %q, want %q", r.Method, want)
	}
}

// testHeader asserts one request header; want "" asserts it is absent.
func testHeader(t *testing.T, r *http.Request, header, want string) {
	t.Helper()
	if got := r.Header.Get(header); got != want {
		t.Errorf("header %s = %q, want %q", header, got, want)
	}
}

// testBody asserts the request body, byte for byte.
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if r.Body == nil {
		if want != "" {
			t.Errorf("request body is empty, want %q", want)
		}
		return
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("reading the request body: %v", err)
	}
	if got := string(b); got != want {
		t.Errorf("request body = %s, want %s", got, want)
	}
}

// testQuery asserts the request's whole query string.
func testQuery(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.URL.Query().Encode(); got != want {
		t.Errorf("query = %q, want %q", got, want)
	}
}

// wantErr asserts that err is not nil and contains every fragment.
func wantErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want an error containing %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}

// secretJSON is one secret as GitHub lists it.
func secretJSON(name, visibility string) string {
	return fmt.Sprintf(`{"name":%q,"created_at":"2024-01-02T03:04:05Z","updated_at":"2024-02-03T04:05:06Z","visibility":%q,"selected_repositories_url":"https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets/%s/repositories"}`, name, visibility, name)
}

// secretsPage is one page of the secrets list.
func secretsPage(total int, names ...string) string {
	items := make([]string, len(names))
	for i, n := range names {
		items[i] = secretJSON(n, "private")
	}
	return fmt.Sprintf(`{"total_count":%d,"secrets":[%s]}`, total, strings.Join(items, ","))
}

// link formats a Link header from rel and URL pairs.
func link(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, fmt.Sprintf("<%s>; rel=%q", pairs[i+1], pairs[i]))
	}
	return strings.Join(parts, ", ")
}
