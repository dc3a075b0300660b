package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// resetIn is an x-ratelimit-reset value d after the fake clock's start.
func resetIn(d time.Duration) string {
	return strconv.FormatInt(testEpoch.Add(d).Unix(), 10)
}

const (
	secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	primaryBody   = `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"}`
	okSecret      = `{"name":"FOO","visibility":"all","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}`
)

func TestGetSecretRetriesAndWaits(t *testing.T) {
	t.Parallel()
	s := time.Second
	primary := func(status int, reset time.Duration) httpmock.Responder {
		return reply(status, primaryBody, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", resetIn(reset))
	}
	secondary := func(header ...string) httpmock.Responder { return reply(403, secondaryBody, header...) }
	ok := reply(200, okSecret)
	tests := []struct {
		name      string
		opts      []Option
		responses []httpmock.Responder
		waits     []time.Duration
		status    int      // 0: success
		want      []string // fragments of the error
	}{
		// Transient failures: up to 3 retries, 1s, 2s, 4s.
		{name: "retries a 503 once and succeeds", responses: []httpmock.Responder{reply(503, ""), ok}, waits: []time.Duration{s}},
		{name: "retries 500, 502 and 504 with exponential backoff", responses: []httpmock.Responder{reply(500, ""), reply(502, ""), reply(504, ""), ok}, waits: []time.Duration{s, 2 * s, 4 * s}},
		{name: "gives up on a 503 after three retries", responses: []httpmock.Responder{reply(503, `{"message":"unavailable"}`), reply(503, ""), reply(503, ""), reply(503, `{"message":"still unavailable"}`)},
			waits: []time.Duration{s, 2 * s, 4 * s}, status: 503, want: []string{`503 Service Unavailable: "still unavailable"; gave up after 3 retries`}},
		{name: "retries a network error", responses: []httpmock.Responder{netErr(), ok}, waits: []time.Duration{s}},
		{name: "gives up on network errors after three retries", responses: []httpmock.Responder{netErr(), netErr(), netErr(), netErr()},
			waits: []time.Duration{s, 2 * s, 4 * s}, want: []string{"GET /orgs/acme/codespaces/secrets/FOO: gave up after 3 retries", "connection reset by peer"}},
		{name: "does not retry a 501", responses: []httpmock.Responder{reply(501, "")}, status: 501},

		// Failures that retrying cannot fix.
		{name: "never retries a 400", responses: []httpmock.Responder{reply(400, `{"message":"Problems parsing JSON"}`)}, status: 400},
		{name: "never retries a 401", responses: []httpmock.Responder{reply(401, `{"message":"Bad credentials"}`)}, status: 401},
		{name: "never retries a 404", responses: []httpmock.Responder{reply(404, `{"message":"Not Found"}`)}, status: 404},
		{name: "never retries a 409", responses: []httpmock.Responder{reply(409, "")}, status: 409},
		{name: "never retries a 410", responses: []httpmock.Responder{reply(410, "")}, status: 410},
		{name: "never retries a 422", responses: []httpmock.Responder{reply(422, `{"message":"Validation Failed"}`)}, status: 422},
		{name: "never retries a 403 about permissions", responses: []httpmock.Responder{
			reply(403, `{"message":"Resource not accessible by integration"}`, "X-Ratelimit-Remaining", "4999", "X-Ratelimit-Reset", resetIn(time.Hour)),
		}, status: 403, want: []string{`"Resource not accessible by integration"`}},

		// Primary rate limit: wait until x-ratelimit-reset + 1s, once.
		{name: "waits out a primary rate limit on a 403", responses: []httpmock.Responder{primary(403, 10*s), ok}, waits: []time.Duration{11 * s}},
		{name: "waits out a primary rate limit on a 429", responses: []httpmock.Responder{primary(429, 59*s), ok}, waits: []time.Duration{60 * s}},
		{name: "waits a second for a reset already past", responses: []httpmock.Responder{primary(403, -5*s), ok}, waits: []time.Duration{s}},
		{name: "fails at once when the reset is past the cap, saying when", responses: []httpmock.Responder{primary(403, time.Hour)},
			status: 403, want: []string{`"API rate limit exceeded for installation ID 1."`, "the rate limit resets at 2026-01-02 04:04:05 UTC", "not waiting 1h0m1s", "more than the 1m0s"}},
		{name: "waits longer when the cap allows", opts: []Option{WithMaxRateLimitWait(2 * time.Hour)}, responses: []httpmock.Responder{primary(403, time.Hour), ok}, waits: []time.Duration{time.Hour + s}},
		{name: "retries a primary rate limit only once", responses: []httpmock.Responder{primary(403, 10*s), primary(403, 30*s)},
			waits: []time.Duration{11 * s}, status: 403, want: []string{"still used up", "resets at 2026-01-02 03:04:35 UTC"}},

		// Secondary rate limit: retry-after, else reset, else 60s; then exponential.
		{name: "waits retry-after for a secondary rate limit", responses: []httpmock.Responder{secondary("Retry-After", "30"), ok}, waits: []time.Duration{30 * s}},
		{name: "waits a minute when only the body names the secondary rate limit", responses: []httpmock.Responder{secondary(), ok}, waits: []time.Duration{60 * s}},
		{name: "recognises the secondary rate limit by its documentation_url alone", responses: []httpmock.Responder{
			reply(403, `{"message":"slow down","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`), ok,
		}, waits: []time.Duration{60 * s}},
		{name: "waits until the reset for a secondary rate limit with none remaining", responses: []httpmock.Responder{
			secondary("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", resetIn(20*s)), ok,
		}, waits: []time.Duration{21 * s}},
		{name: "treats a 429 without explanation as a secondary rate limit", responses: []httpmock.Responder{reply(429, ""), ok}, waits: []time.Duration{60 * s}},
		{name: "treats a 403 with retry-after as a secondary rate limit", responses: []httpmock.Responder{reply(403, "", "Retry-After", "7"), ok}, waits: []time.Duration{7 * s}},
		{name: "reads retry-after as an HTTP date", responses: []httpmock.Responder{secondary("Retry-After", testEpoch.Add(9*s).Format(http.TimeFormat)), ok}, waits: []time.Duration{9 * s}},
		{name: "backs off exponentially from retry-after", responses: []httpmock.Responder{
			secondary("Retry-After", "5"), secondary("Retry-After", "5"), secondary("Retry-After", "5"), ok,
		}, waits: []time.Duration{5 * s, 10 * s, 20 * s}},
		{name: "gives up on a secondary rate limit after three retries", responses: []httpmock.Responder{
			secondary("Retry-After", "1"), secondary("Retry-After", "1"), secondary("Retry-After", "1"), secondary("Retry-After", "1"),
		}, waits: []time.Duration{s, 2 * s, 4 * s}, status: 403, want: []string{"after 3 retries", "retry after 2026-01-02 03:04:20 UTC"}},
		{name: "gives up when the secondary wait passes the cap", responses: []httpmock.Responder{secondary("Retry-After", "120")},
			status: 403, want: []string{"asks for a wait of 2m0s, more than the 1m0s"}},
		{name: "gives up when the backoff grows past the cap", responses: []httpmock.Responder{secondary("Retry-After", "40"), secondary("Retry-After", "40")},
			waits: []time.Duration{40 * s}, status: 403, want: []string{"wait of 1m20s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.opts...)
			f.on("GET", fooPath, tt.responses...)
			_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
			f.calls(map[string]int{"GET " + fooPath: len(tt.responses)})
			f.waits(tt.waits...)
			if s := f.client.Stats(); s != (Stats{Requests: len(tt.responses), Retries: len(tt.responses) - 1}) {
				t.Errorf("Stats = %+v, want %d requests and %d retries", s, len(tt.responses), len(tt.responses)-1)
			}
			if tt.status == 0 && len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("err = %v, want success", err)
				}
				return
			}
			wantErr(t, err, tt.want...)
			if got := StatusCode(err); got != tt.status {
				t.Errorf("StatusCode = %d, want %d (err: %v)", got, tt.status, err)
			}
		})
	}
}

func TestPrimaryRateLimitErrorCarriesTheReset(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("GET", fooPath, reply(403, primaryBody, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", resetIn(time.Hour)))
	_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if want := testEpoch.Add(time.Hour); !apiErr.RateLimitReset.Equal(want) {
		t.Errorf("RateLimitReset = %v, want %v", apiErr.RateLimitReset, want)
	}
}

func TestJitterVariesTheBackoff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		r     float64
		waits []time.Duration
	}{
		{"shortens by a fifth at the low end", 0, []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond}},
		{"keeps the base in the middle", 0.5, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"lengthens by up to a fifth at the high end", 0.75, []time.Duration{1100 * time.Millisecond, 2200 * time.Millisecond, 4400 * time.Millisecond}},
		{"ignores a source out of range", 7, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRand(func() float64 { return tt.r }))
			f.on("GET", fooPath, reply(502, ""), reply(502, ""), reply(502, ""), reply(200, okSecret))
			if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
			f.waits(tt.waits...)
		})
	}
}

func TestARetriedPutResendsTheSameBytes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	want := `{"encrypted_value":"c2VhbGVk","key_id":"k1","selected_repository_ids":[7],"visibility":"selected"}`
	body := func(r httpmock.Responder) httpmock.Responder {
		return check(r, func(req *http.Request) { testBody(t, req, want) })
	}
	f.on("PUT", fooPath, body(reply(503, "")), body(netErr()), body(reply(502, "")), body(reply(201, "")))
	res, err := f.client.PutSecret(context.Background(), testOrg, "FOO", PutSecretRequest{
		EncryptedValue: "c2VhbGVk", KeyID: "k1", Visibility: "selected", SelectedRepositoryIDs: []int64{7},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || !res.Retried {
		t.Errorf("result %+v, want created, after a retried failure", res)
	}
	f.calls(map[string]int{"PUT " + fooPath: 4})
	f.waits(time.Second, 2*time.Second, 4*time.Second)
	if s := f.client.Stats(); s != (Stats{Requests: 4, Writes: 4, Retries: 3}) {
		t.Errorf("Stats = %+v", s)
	}
}

func TestADeleteRetriedAfterATransientFailureTakesA404AsDone(t *testing.T) {
	t.Parallel()
	notFound := reply(404, `{"message":"Not Found"}`)
	tests := []struct {
		name      string
		path      string
		call      func(*Client) error
		responses []httpmock.Responder
		status    int
	}{
		{"deletes after a 503 and a 404", fooPath, deleteFoo, []httpmock.Responder{reply(503, ""), notFound}, 0},
		{"deletes after a network error and a 404", fooPath, deleteFoo, []httpmock.Responder{netErr(), notFound}, 0},
		{"still reports a 404 that came first", fooPath, deleteFoo, []httpmock.Responder{notFound}, 404},
		{"still reports a 404 after a rate limit", fooPath, deleteFoo, []httpmock.Responder{reply(429, "", "Retry-After", "1"), notFound}, 404},
		{"removes a repository after a 502 and a 404", reposPath + "/9", func(c *Client) error {
			return c.RemoveSelectedRepo(context.Background(), testOrg, "FOO", 9)
		}, []httpmock.Responder{reply(502, ""), notFound}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on("DELETE", tt.path, tt.responses...)
			err := tt.call(f.client)
			if got := StatusCode(err); got != tt.status || (tt.status == 0 && err != nil) {
				t.Errorf("err = %v (status %d), want status %d", err, got, tt.status)
			}
			f.calls(map[string]int{"DELETE " + tt.path: len(tt.responses)})
		})
	}
}

func deleteFoo(c *Client) error { return c.DeleteSecret(context.Background(), testOrg, "FOO") }

func TestCancellationStopsAtOnce(t *testing.T) {
	t.Parallel()
	t.Run("sends nothing with a context already cancelled", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.on("GET", fooPath)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := f.client.GetSecret(ctx, testOrg, "FOO")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		f.calls(map[string]int{"GET " + fooPath: 0})
	})
	t.Run("stops instead of waiting to retry", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f.on("GET", fooPath, func(req *http.Request) (*http.Response, error) {
			cancel()
			return reply(503, "")(req)
		})
		_, err := f.client.GetSecret(ctx, testOrg, "FOO")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		f.calls(map[string]int{"GET " + fooPath: 1})
		f.waits()
	})
	t.Run("stops instead of waiting for a rate limit", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		f.on("PUT", fooPath, func(req *http.Request) (*http.Response, error) {
			cancel()
			return reply(403, secondaryBody)(req)
		})
		_, err := f.client.PutSecret(ctx, testOrg, "FOO", PutSecretRequest{Visibility: "all"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		f.calls(map[string]int{"PUT " + fooPath: 1})
		f.waits()
	})
}

func TestAWaitPastTheDeadlineFailsNow(t *testing.T) {
	t.Parallel()
	// The context's deadline is wall-clock time, so this clock starts now.
	start := time.Now().Truncate(time.Second)
	tests := []struct {
		name      string
		responses []httpmock.Responder
		waits     []time.Duration
		status    int
		want      []string
	}{
		{"stops before a backoff that would pass the deadline", []httpmock.Responder{reply(503, ""), reply(503, ""), reply(503, "")},
			[]time.Duration{time.Second, 2 * time.Second}, 503, []string{"not waiting 4s for a retry after a 503 response", "deadline of this run"}},
		{"stops before a rate-limit wait that would pass the deadline", []httpmock.Responder{reply(403, secondaryBody, "Retry-After", "30")},
			nil, 403, []string{"not waiting 30s for GitHub's secondary rate limit", "deadline"}},
		{"stops before retrying a network error past the deadline", []httpmock.Responder{netErr(), netErr(), netErr()},
			[]time.Duration{time.Second, 2 * time.Second}, 0, []string{"not waiting 4s", "connection reset by peer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setupAt(t, start)
			f.on("GET", fooPath, tt.responses...)
			ctx, cancel := context.WithDeadline(context.Background(), start.Add(5*time.Second))
			defer cancel()
			_, err := f.client.GetSecret(ctx, testOrg, "FOO")
			wantErr(t, err, tt.want...)
			if got := StatusCode(err); got != tt.status {
				t.Errorf("StatusCode = %d, want %d", got, tt.status)
			}
			f.calls(map[string]int{"GET " + fooPath: len(tt.responses)})
			f.waits(tt.waits...)
		})
	}
}

func TestWritesArePaced(t *testing.T) {
	t.Parallel()
	t.Run("sends a burst of 20, then one a second", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.mock.RegisterRegexpResponder("PUT", regexpRepo, reply(204, ""))
		for i := 1; i <= 25; i++ {
			if err := f.client.AddSelectedRepo(context.Background(), testOrg, "FOO", int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		f.waits(time.Second, time.Second, time.Second, time.Second, time.Second)
		if n := f.mock.GetTotalCallCount(); n != 25 {
			t.Errorf("requests = %d, want 25", n)
		}
	})
	t.Run("never sends more than 80 writes in a minute", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		var sent []time.Time
		f.mock.RegisterRegexpResponder("DELETE", regexpRepo, func(req *http.Request) (*http.Response, error) {
			sent = append(sent, f.clock.Now())
			return reply(204, "")(req)
		})
		for i := 1; i <= 200; i++ {
			if err := f.client.RemoveSelectedRepo(context.Background(), testOrg, "FOO", int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		most := 0
		for i := range sent {
			n := 0
			for j := i; j < len(sent) && sent[j].Sub(sent[i]) < time.Minute; j++ {
				n++
			}
			most = max(most, n)
		}
		// A burst of 20, then one a second: 20+59 in the busiest minute,
		// below GitHub's 80.
		if most != 79 {
			t.Errorf("busiest minute held %d writes, want 79 (at most 80)", most)
		}
	})
	t.Run("does not pace reads", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		rs := make([]httpmock.Responder, 30)
		for i := range rs {
			rs[i] = reply(200, okSecret)
		}
		f.on("GET", fooPath, rs...)
		for range 30 {
			if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
		}
		f.waits()
	})
	t.Run("follows a configured burst and interval", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithWriteBurst(2, 500*time.Millisecond))
		f.on("DELETE", fooPath, reply(204, ""), reply(204, ""), reply(204, ""), reply(204, ""))
		for range 4 {
			if err := f.client.DeleteSecret(context.Background(), testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
		}
		f.waits(500*time.Millisecond, 500*time.Millisecond)
	})
	t.Run("refills the bucket while idle", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithWriteBurst(2, time.Second))
		rs := make([]httpmock.Responder, 5)
		for i := range rs {
			rs[i] = reply(204, "")
		}
		f.on("DELETE", fooPath, rs...)
		del := func() {
			t.Helper()
			if err := f.client.DeleteSecret(context.Background(), testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
		}
		del()
		del()
		del() // waits 1s
		_ = f.clock.Sleep(context.Background(), 10*time.Second)
		del()
		del()
		f.waits(time.Second, 10*time.Second)
	})
}

var regexpRepo = regexp.MustCompile(`^` + testBase + `/orgs/acme/codespaces/secrets/FOO/repositories/\d+$`)

func TestOneRequestAtATime(t *testing.T) {
	t.Parallel()
	f := setup(t)
	var inFlight, most atomic.Int32
	const workers, each = 8, 5
	rs := make([]httpmock.Responder, workers*each)
	for i := range rs {
		rs[i] = func(req *http.Request) (*http.Response, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			for range 100 { // let another request overlap, if it can
				if inFlight.Load() > 1 {
					break
				}
				runtime.Gosched()
			}
			return reply(200, okSecret)(req)
		}
	}
	f.on("GET", fooPath, rs...)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if got := most.Load(); got != 1 {
		t.Errorf("at most %d requests were in flight, want 1", got)
	}
	f.calls(map[string]int{"GET " + fooPath: workers * each})
}

func TestStatsCountEveryRequest(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("GET", fooPath, reply(200, okSecret))
	f.on("PUT", fooPath, reply(502, ""), reply(204, ""))
	f.on("DELETE", fooPath, reply(204, ""))
	ctx := context.Background()
	if _, err := f.client.GetSecret(ctx, testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.PutSecret(ctx, testOrg, "FOO", PutSecretRequest{Visibility: "all"}); err != nil {
		t.Fatal(err)
	}
	if err := f.client.DeleteSecret(ctx, testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	if got, want := f.client.Stats(), (Stats{Requests: 4, Writes: 3, Retries: 1}); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   responseKind
	}{
		{"passes a 200", 200, h(), "", final},
		{"retries a 502", 502, h(), "", serverError},
		{"passes a 403 about permissions", 403, h("X-Ratelimit-Remaining", "12"), `{"message":"Must have admin rights to Repository."}`, final},
		{"sees a primary limit in the headers", 403, h("X-Ratelimit-Remaining", "0"), primaryBody, primaryLimit},
		{"sees a secondary limit in the message", 403, h(), `{"message":"You have exceeded a Secondary Rate Limit"}`, secondaryLimit},
		{"sees a secondary limit in a body that is not JSON", 403, h(), `secondary rate limit hit`, secondaryLimit},
		{"prefers the secondary limit when both apply", 429, h("X-Ratelimit-Remaining", "0"), secondaryBody, secondaryLimit},
		{"sees a limit in a 429 with no more to say", 429, h(), "", secondaryLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := classify(tt.status, tt.header, []byte(tt.body)); got != tt.want {
				t.Errorf("classify = %v, want %v", got, tt.want)
			}
		})
	}
}

// The real clock is what production uses; it must honour cancellation.
func TestRealClockSleepStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (realClock{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want context.Canceled", err)
	}
	if err := (realClock{}).Sleep(context.Background(), 0); err != nil {
		t.Errorf("Sleep(0) = %v, want nil", err)
	}
}

func ExampleError() {
	e := &Error{Method: "PUT", Path: "/orgs/acme/codespaces/secrets/FOO", StatusCode: 422, Message: "Validation Failed",
		DocumentationURL: "https://docs.github.com/rest/codespaces/organization-secrets#create-or-update-an-organization-secret"}
	fmt.Println(e)
	// Output: PUT /orgs/acme/codespaces/secrets/FOO: 422 Unprocessable Entity: "Validation Failed" (see https://docs.github.com/rest/codespaces/organization-secrets#create-or-update-an-organization-secret)
}

func TestWaitsAreAnnounced(t *testing.T) {
	t.Parallel()
	t.Run("each retry says which request, how long and why", func(t *testing.T) {
		t.Parallel()
		var notices []string
		f := setup(t, WithWaitNotice(func(s string) { notices = append(notices, s) }))
		f.on("GET", fooPath, reply(502, ""), netErr(), reply(403, secondaryBody, "Retry-After", "7"), reply(200, okSecret))
		if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
			t.Fatal(err)
		}
		want := []string{
			"GET /api/v3/orgs/acme/codespaces/secrets/FOO: waiting 1s for a retry after a 502 response (retry 1 of 3)",
			"GET /api/v3/orgs/acme/codespaces/secrets/FOO: waiting 2s for a retry after a network error (retry 2 of 3)",
			"GET /api/v3/orgs/acme/codespaces/secrets/FOO: waiting 7s for GitHub's secondary rate limit (retry 1 of 3)",
		}
		if !slices.Equal(notices, want) {
			t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(notices, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("the pacing of writes is announced once", func(t *testing.T) {
		t.Parallel()
		var notices []string
		f := setup(t, WithWriteBurst(2, time.Second), WithWaitNotice(func(s string) { notices = append(notices, s) }))
		f.mock.RegisterRegexpResponder("PUT", regexpRepo, reply(204, ""))
		for i := 1; i <= 5; i++ {
			if err := f.client.AddSelectedRepo(context.Background(), testOrg, "FOO", int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		f.waits(time.Second, time.Second, time.Second)
		want := []string{"after 2 writes, the next ones are paced at one every 1s, within GitHub's limit of 80 content-creating requests a minute"}
		if !slices.Equal(notices, want) {
			t.Errorf("notices = %q, want %q", notices, want)
		}
	})
}

func TestRateLimitedTellsALimitFromAMissingPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		responses []httpmock.Responder
		want      bool
	}{
		{"a primary limit too far away to wait for", []httpmock.Responder{reply(403, primaryBody, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", resetIn(time.Hour))}, true},
		{"a secondary limit that outlasts the retries", []httpmock.Responder{reply(403, secondaryBody, "Retry-After", "1"), reply(403, secondaryBody, "Retry-After", "1"), reply(403, secondaryBody, "Retry-After", "1"), reply(403, secondaryBody, "Retry-After", "1")}, true},
		{"a plain 403 about permissions", []httpmock.Responder{reply(403, `{"message":"Must have admin rights to Repository."}`)}, false},
		{"a 404", []httpmock.Responder{reply(404, `{"message":"Not Found"}`)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on("GET", fooPath, tt.responses...)
			_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
			if err == nil {
				t.Fatal("no error")
			}
			if got := RateLimited(err); got != tt.want {
				t.Errorf("RateLimited(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
	if RateLimited(errors.New("x")) || RateLimited(nil) {
		t.Error("RateLimited is true for an error that is not GitHub's")
	}
}

// A redirect is followed, with the token, only on the configured origin:
// one to another port of the API host, or to plain http on it, is refused
// before anything is sent there.
func TestARedirectIsFollowedOnlyOnTheAPIsOrigin(t *testing.T) {
	t.Parallel()
	repo := `{"id":7,"name":"new","full_name":"acme/new","node_id":"R_7","private":true,"owner":{"id":1,"login":"acme"}}`
	tests := []struct{ name, moved, wantErr string }{
		{"another port", "https://ghes.example.com:8443/api/v3/repositories/7", `redirect to "https://ghes.example.com:8443"`},
		{"plain http on the same host", "http://ghes.example.com/api/v3/repositories/7", `redirect to "http://ghes.example.com"`},
		{"the same origin", testBase + "/repositories/7", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, code := range []int{http.StatusMovedPermanently, http.StatusTemporaryRedirect} {
				f := setup(t)
				f.on("GET", "/repos/acme/old", reply(code, "", "Location", tt.moved))
				want := map[string]int{"GET /repos/acme/old": 1}
				if tt.wantErr == "" {
					f.mock.RegisterResponder("GET", tt.moved, sequence(t, check(reply(200, repo),
						func(r *http.Request) { testHeader(t, r, "Authorization", "Bearer "+testToken) })))
					want["GET "+tt.moved] = 1
				}
				_, err := f.client.GetRepo(context.Background(), "acme", "old")
				if tt.wantErr == "" && err != nil {
					t.Fatal(err)
				}
				if tt.wantErr != "" {
					wantErr(t, err, "pointed elsewhere", tt.wantErr)
				}
				f.calls(want)
			}
		})
	}
}

// A wait that the deadline forbids is not announced as if it happened.
func TestAWaitRefusedByTheDeadlineIsNotAnnounced(t *testing.T) {
	t.Parallel()
	start := time.Now().Truncate(time.Second)
	var notices []string
	f := setupAt(t, start, WithWaitNotice(func(s string) { notices = append(notices, s) }))
	f.on("GET", fooPath, reply(503, ""), reply(503, ""), reply(503, ""))
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(5*time.Second))
	defer cancel()
	_, err := f.client.GetSecret(ctx, testOrg, "FOO")
	wantErr(t, err, "not waiting 4s")
	f.waits(time.Second, 2*time.Second)
	for _, n := range notices {
		if strings.Contains(n, "waiting 4s") {
			t.Errorf("announced %q, but the run did not wait", n)
		}
	}
}

// Retry-After: 0 on a secondary limit still backs off: three retries in the
// same instant is the hammering GitHub warns about.
func TestSecondaryLimitWithRetryAfterZeroStillBacksOff(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("GET", fooPath, reply(403, secondaryBody, "Retry-After", "0"), reply(403, secondaryBody, "Retry-After", "0"), reply(200, okSecret))
	if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	for _, w := range f.clock.Waits() {
		if w <= 0 {
			t.Errorf("waits = %v: a retry after a secondary rate limit went out at once", f.clock.Waits())
			break
		}
	}
}

// The wait for a primary rate limit says when the limit resets.
func TestThePrimaryLimitWaitSaysWhenItResets(t *testing.T) {
	t.Parallel()
	var notices []string
	f := setup(t, WithWaitNotice(func(s string) { notices = append(notices, s) }))
	f.on("GET", fooPath, reply(403, primaryBody, "X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", resetIn(10*time.Second)), reply(200, okSecret))
	if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /api/v3/orgs/acme/codespaces/secrets/FOO: waiting 11s for the primary rate limit to reset at 03:04:15 UTC"}
	if !slices.Equal(notices, want) {
		t.Errorf("notices = %q, want %q", notices, want)
	}
}

// A paced write that is not sent gives its slot back.
func TestAWriteCutShortGivesBackItsPacingSlot(t *testing.T) {
	t.Parallel()
	start := time.Now().Truncate(time.Second)
	f := setupAt(t, start, WithWriteBurst(1, 10*time.Second))
	f.on("DELETE", fooPath, reply(204, ""), reply(204, ""))
	if err := f.client.DeleteSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(5*time.Second))
	defer cancel()
	wantErr(t, f.client.DeleteSecret(ctx, testOrg, "FOO"), "the pacing of writes")
	if err := f.client.DeleteSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	f.waits(10 * time.Second)
}

// A notice is told of a primary limit that gave no reset time as such, and
// the error then says when the client would have retried, not when the
// limit resets.
func TestAGuessedResetIsNotPresentedAsGitHubs(t *testing.T) {
	t.Parallel()
	var notices []string
	f := setup(t, WithWaitNotice(func(s string) { notices = append(notices, s) }))
	f.on("GET", fooPath, reply(403, primaryBody, "X-Ratelimit-Remaining", "0"), reply(403, primaryBody, "X-Ratelimit-Remaining", "0"))
	_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
	wantErr(t, err, "retry after 2026-01-02 03:06:05 UTC")
	if strings.Contains(err.Error(), "resets at") {
		t.Errorf("error = %v: presents a guess as GitHub's reset time", err)
	}
	want := []string{"GET /api/v3/orgs/acme/codespaces/secrets/FOO: waiting 1m0s for the primary rate limit, which gave no reset time"}
	if !slices.Equal(notices, want) {
		t.Errorf("notices = %q, want %q", notices, want)
	}
}

// The notice function may be told from several goroutines' requests; the
// pacing notice is still told once.
func TestThePacingNoticeIsToldOnceUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var notices []string
	f := setup(t, WithWriteBurst(1, time.Second), WithWaitNotice(func(s string) { mu.Lock(); notices = append(notices, s); mu.Unlock() }))
	f.mock.RegisterRegexpResponder("PUT", regexpRepo, reply(204, ""))
	var wg sync.WaitGroup
	for i := 1; i <= 8; i++ {
		wg.Go(func() {
			if err := f.client.AddSelectedRepo(context.Background(), testOrg, "FOO", int64(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(notices) != 1 {
		t.Errorf("notices = %q, want the pacing told once", notices)
	}
}
