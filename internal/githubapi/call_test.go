package githubapi

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

// The transport only sends: an answer that the call loop would retry (a
// 502, a secondary rate limit) or a dropped connection comes back from one
// round trip, at once, without a wait; the retries are the call loop's.
func TestTheTransportSendsOnceAndNeverWaits(t *testing.T) {
	t.Parallel()
	const path = "/orgs/acme/codespaces/secrets/FOO"
	f := setup(t)
	f.on("GET", path,
		reply(http.StatusBadGateway, `{"message":"Server Error"}`),
		reply(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit"}`, "Retry-After", "5"),
		netErr())
	for _, want := range []int{http.StatusBadGateway, http.StatusForbidden} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, f.url(path), nil)
		resp, err := f.client.hc.Do(req)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("round trip = %v, %v; want the %d as it came", resp, err, want)
		}
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, f.url(path), nil)
	_, err := f.client.hc.Do(req)
	var ae *attemptError
	if !errors.As(err, &ae) {
		t.Errorf("a dropped connection = %v, want an *attemptError for the call loop to decide on", err)
	}
	f.calls(map[string]int{"GET " + path: 3})
	f.waits()
	if s := f.client.Stats(); s.Requests != 3 || s.Retries != 0 {
		t.Errorf("stats = %+v, want 3 requests and no retry", s)
	}
}

// The same answers through the call loop are retried, with its waits.
func TestTheCallLoopRetriesWhatTheTransportSent(t *testing.T) {
	t.Parallel()
	const path = "/orgs/acme/codespaces/secrets/FOO"
	f := setup(t)
	f.on("GET", path,
		reply(http.StatusBadGateway, `{"message":"Server Error"}`),
		netErr(),
		reply(http.StatusOK, secretJSON("FOO", "all")))
	if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	f.calls(map[string]int{"GET " + path: 3})
	f.waits(firstBackoff, 2*firstBackoff)
	if s := f.client.Stats(); s.Requests != 3 || s.Retries != 2 {
		t.Errorf("stats = %+v, want 3 requests and 2 retries", s)
	}
}

// A call is retried from its first request: a 502 after a redirect sends
// the request that was redirected again, and follows the redirect anew.
func TestARetryAfterARedirectStartsFromTheFirstRequest(t *testing.T) {
	t.Parallel()
	f := setup(t)
	body := `{"id":42,"node_id":"R_42","name":"Hello-World","full_name":"octocat/Hello-World","private":false,"visibility":"public","owner":{"id":1,"login":"octocat"}}`
	moved := reply(http.StatusMovedPermanently, `{"message":"Moved Permanently"}`, "Location", testBase+"/repositories/42")
	f.on("GET", "/repos/octocat/old-name", moved, moved)
	f.on("GET", "/repositories/42", reply(http.StatusBadGateway, `{"message":"Server Error"}`), reply(http.StatusOK, body))
	got, err := f.client.GetRepo(context.Background(), "octocat", "old-name")
	if err != nil || got.ID != 42 {
		t.Fatalf("GetRepo = %+v, %v; want repository 42", got, err)
	}
	f.calls(map[string]int{"GET /repos/octocat/old-name": 2, "GET /repositories/42": 2})
	f.waits(firstBackoff)
}

// An error after a redirect names the request GitHub refused, the one the
// redirect led to, as when the transport followed redirects itself.
func TestAnErrorAfterARedirectNamesTheLastRequest(t *testing.T) {
	t.Parallel()
	f := setup(t)
	moved := reply(http.StatusMovedPermanently, `{"message":"Moved Permanently"}`, "Location", testBase+"/repositories/42")
	f.on("GET", "/repos/octocat/old-name", moved)
	f.on("GET", "/repositories/42", reply(http.StatusNotFound, `{"message":"Not Found"}`))
	_, err := f.client.GetRepo(context.Background(), "octocat", "old-name")
	wantErr(t, err, "GET /repositories/42")
	f.calls(map[string]int{"GET /repos/octocat/old-name": 1, "GET /repositories/42": 1})
}

// A round trip cut short by the caller's context is not a network error
// to retry: the call stops with the context's error, announcing no wait.
func TestARoundTripCutShortByTheContextIsNotRetried(t *testing.T) {
	t.Parallel()
	var notices []string
	f := setup(t, WithWaitNotice(func(n string) { notices = append(notices, n) }))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.on("GET", fooPath, func(*http.Request) (*http.Response, error) {
		cancel()
		return nil, context.Canceled
	})
	_, err := f.client.GetSecret(ctx, testOrg, "FOO")
	if want := "GET " + fooPath + ": context canceled"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if len(notices) != 0 {
		t.Errorf("notices = %q, want none", notices)
	}
	f.calls(map[string]int{"GET " + fooPath: 1})
}

// An injected http.Client's Timeout bounds the whole call, its retries and
// waits included, as it did when the transport retried: a wait for a
// retry that would outlast it is refused, and GitHub's answer stands.
func TestTheHTTPClientsTimeoutBoundsTheWholeCall(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	clock := fakeclock.New(time.Now()) // the Timeout runs on the real clock
	c, err := New(parseURL(t, testBase), testToken, WithClock(clock), WithRand(noJitter),
		WithHTTPClient(&http.Client{Transport: mock, Timeout: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, mock: mock, clock: clock, client: c}
	f.on("GET", fooPath, reply(http.StatusForbidden, `{"message":"You have exceeded a secondary rate limit"}`, "Retry-After", "60"))
	_, err = c.GetSecret(context.Background(), testOrg, "FOO")
	wantErr(t, err, "403", "not waiting 1m0s for GitHub's secondary rate limit (retry 1 of 3): that would pass the deadline")
	f.calls(map[string]int{"GET " + fooPath: 1})
	f.waits()
}

// Each attempt carries the caller's context: cancelling it ends a round
// trip under way at once, not at the time-out for the response headers.
func TestCancellingTheContextEndsTheRoundTripUnderWay(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRequestTimeouts(2*time.Second, time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cause error
	f.on("GET", fooPath, func(r *http.Request) (*http.Response, error) {
		cancel()
		<-r.Context().Done() // else the header time-out ends it, in 2s
		cause = context.Cause(r.Context())
		return nil, r.Context().Err()
	})
	_, err := f.client.GetSecret(ctx, testOrg, "FOO")
	if !errors.Is(err, context.Canceled) || !errors.Is(cause, context.Canceled) {
		t.Errorf("err = %v, the round trip ended by %v; want both context.Canceled", err, cause)
	}
	f.calls(map[string]int{"GET " + fooPath: 1})
}

// A PUT that failed on the way, and whose retry the pacing of writes could
// not send before the deadline, reports the list the first attempt
// carried: it may have been applied.
func TestAPutWhoseRetryWasNotSentReportsTheListItCarried(t *testing.T) {
	t.Parallel()
	f := setupAt(t, time.Now(), WithWriteBurst(1, 10*time.Second)) // the deadline runs on the real clock
	f.onQuery("GET", reposPath, "per_page=100", reply(200, reposList(11)))
	f.on("PUT", fooPath, reply(http.StatusBadGateway, `{"message":"Server Error"}`))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res, err := f.client.PutSecretKeepingRepos(ctx, testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"})
	wantErr(t, err, "not waiting 9s for the pacing of writes")
	if len(res.Repositories) != 1 || res.Repositories[0].ID != 11 {
		t.Errorf("repositories = %+v, want the list the failed PUT carried", res.Repositories)
	}
	f.calls(map[string]int{"GET " + reposPath + "?per_page=100": 1, "PUT " + fooPath: 1})
}
