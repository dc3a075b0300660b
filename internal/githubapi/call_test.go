package githubapi

import (
	"context"
	"errors"
	"net/http"
	"testing"
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
