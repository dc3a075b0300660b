package fakegithubtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	type call struct {
		method, path string
		status       int
	}
	get := func(path string, status int) call { return call{http.MethodGet, path, status} }
	const list, secretA = "/orgs/acme/codespaces/secrets", "/orgs/acme/codespaces/secrets/A"
	tests := []struct {
		name    string
		faults  []Fault
		calls   []call
		pending int
	}{
		{"a fault answers once, then the fake answers",
			[]Fault{{Method: "GET", Path: list, Status: 502}},
			[]call{get(list, 502), get(list, 200)}, 0},
		{"Times answers that many requests",
			[]Fault{{Method: "GET", Path: list, Status: 503, Times: 3}},
			[]call{get(list, 503), get(list, 503), get(list, 503), get(list, 200)}, 0},
		{"a fault waits for its method",
			[]Fault{{Method: "DELETE", Path: secretA, Status: 500}},
			[]call{get(secretA, 200), {http.MethodDelete, secretA, 500}, {http.MethodDelete, secretA, 204}}, 0},
		{"the method matches in any case",
			[]Fault{{Method: "get", Path: list, Status: 500}},
			[]call{get(list, 500)}, 0},
		{"a wildcard segment matches any secret",
			[]Fault{{Method: "GET", Path: "/orgs/acme/codespaces/secrets/*", Status: 500, Times: 2}},
			[]call{get(list, 200), get(secretA, 500), get("/orgs/acme/codespaces/secrets/public-key", 500), get(secretA, 200)}, 0},
		{"a path matches exactly, without the query",
			[]Fault{{Path: list, Status: 500}},
			[]call{get(secretA, 200), get(list+"?per_page=100&page=2", 500)}, 0},
		{"segments match case-sensitively",
			[]Fault{{Path: "/orgs/acme/codespaces/secrets/a", Status: 500}},
			[]call{get(secretA, 200)}, 1},
		{"an empty fault matches anything and answers 500",
			[]Fault{{}},
			[]call{get("/repos/acme/web", 500), get("/repos/acme/web", 200)}, 0},
		{"faults are taken in the order they were injected",
			[]Fault{{Path: list, Status: 502}, {Path: list, Status: 503}},
			[]call{get(list, 502), get(list, 503), get(list, 200)}, 0},
		{"a fault comes before the fake's own checks",
			[]Fault{{Path: "/orgs/other/codespaces/secrets", Status: 429}},
			[]call{get("/orgs/other/codespaces/secrets", 429)}, 0},
		{"an unused fault stays pending",
			[]Fault{{Path: list, Status: 500, Times: 4}},
			[]call{get(list, 500)}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := start(t)
			srv.AddRepo("web")
			srv.AddSecret("A", "v", "all")
			for _, f := range tt.faults {
				srv.Inject(f)
			}
			for i, call := range tt.calls {
				r := c.do(call.method, call.path, nil)
				if r.err != nil || r.status != call.status {
					t.Fatalf("call %d, %s %s: %d %v, want %d", i, call.method, call.path, r.status, r.err, call.status)
				}
			}
			if n := srv.PendingFaults(); n != tt.pending {
				t.Errorf("%d pending, want %d", n, tt.pending)
			}
			if n := srv.Count(""); n != len(tt.calls) {
				t.Errorf("Count %d, want every request (%d), faulted ones included", n, len(tt.calls))
			}
		})
	}
}

func TestAFaultSendsItsHeadersAndBody(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	srv.Inject(Fault{
		Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: 403,
		Header: map[string]string{"X-Ratelimit-Remaining": "0", "Retry-After": "60", "X-Github-Request-Id": ""},
		Body:   `{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`,
	})
	r := c.put(srv, "A", "v", "all").want(t, http.StatusForbidden)
	if r.header.Get("X-Ratelimit-Remaining") != "0" || r.header.Get("Retry-After") != "60" || r.header.Get("X-Ratelimit-Limit") != "5000" {
		t.Errorf("headers %v: the fault's must override the fake's, which stay otherwise", r.header)
	}
	if _, ok := r.header["X-Github-Request-Id"]; ok {
		t.Error("an empty header value did not remove the header")
	}
	if e := r.apiErr(t); e.Message != "You have exceeded a secondary rate limit" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("error %+v, content type %q", e, r.header.Get("Content-Type"))
	}
	if _, ok := srv.Secret("A"); ok {
		t.Error("a faulted PUT changed the state")
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || !reqs[0].Fault || reqs[0].Status != 403 || len(reqs[0].Body) == 0 {
		t.Errorf("logged %+v", reqs)
	}
	c.put(srv, "A", "v", "all").want(t, http.StatusCreated)
}

func TestAResetClosesTheConnectionWithoutAnAnswer(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	srv.Inject(Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/*", Reset: true})
	if r := c.put(srv, "A", "v", "all"); r.err == nil {
		t.Fatalf("the client got an answer: %d %s", r.status, r.body)
	}
	if _, ok := srv.Secret("A"); ok {
		t.Error("a reset PUT changed the state")
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 || !reqs[0].Fault || reqs[0].Method != http.MethodPut {
		t.Errorf("logged %+v, want one faulted PUT with status 0", reqs)
	}
	c.put(srv, "A", "v", "all").want(t, http.StatusCreated)
	wantState(t, srv, "A", "v", "all")
}

func TestARotationBeforeAPutRefusesTheOldKey(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	oldID, _ := srv.PublicKey()
	srv.Inject(Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Before: srv.RotateKey, PassThrough: true})
	e := c.put(srv, "A", "v", "all").want(t, http.StatusUnprocessableEntity).apiErr(t)
	if e.Errors[0].Field != "key_id" {
		t.Errorf("error %+v, want one about key_id", e)
	}
	if newID, _ := srv.PublicKey(); newID == oldID {
		t.Fatal("Before did not run")
	}
	c.put(srv, "A", "v", "all").want(t, http.StatusCreated) // sealed for the new key
	wantState(t, srv, "A", "v", "all")
	reqs := srv.Requests()
	if reqs[0].Fault || reqs[0].Status != 422 {
		t.Errorf("a pass-through request is logged as %+v", reqs[0])
	}
}

func TestBeforeRunsWithoutPassThroughToo(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	var ran atomic.Int32
	srv.Inject(Fault{Path: "/orgs/acme/codespaces/secrets", Status: 500, Times: 2, Before: func() { ran.Add(1) }})
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, 500)
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, 500)
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, 200)
	if n := ran.Load(); n != 2 {
		t.Errorf("Before ran %d times, want 2", n)
	}
}

func TestInjectCopiesTheHeaderMap(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	h := map[string]string{"Retry-After": "1"}
	srv.Inject(Fault{Status: 429, Header: h})
	h["Retry-After"] = "999"
	if r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, 429); r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want the value at Inject", r.header.Get("Retry-After"))
	}
}

func TestPassThroughFaultsAlterTheListsAnswer(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	for i := range 3 {
		srv.AddSecret(fmt.Sprintf("S%d", i), "v", "all")
	}
	const list = "/orgs/acme/codespaces/secrets?per_page=2"
	srv.Inject(Fault{Method: "GET", Path: "/orgs/acme/codespaces/secrets", PassThrough: true, TotalCountDelta: 5, DropLink: true})
	r := c.do(http.MethodGet, list, nil).want(t, http.StatusOK)
	if !strings.HasPrefix(string(r.body), `{"total_count":8,"secrets":[{"name":"S0"`) || r.header.Get("Link") != "" {
		t.Errorf("altered answer: %s, Link %q", r.body, r.header.Get("Link"))
	}
	r = c.do(http.MethodGet, list, nil).want(t, http.StatusOK) // the fault answered once
	if !strings.HasPrefix(string(r.body), `{"total_count":3,`) || r.header.Get("Link") == "" {
		t.Errorf("second answer: %s, Link %q", r.body, r.header.Get("Link"))
	}
}

// withContext sends every request with the context ctx returns: the test
// gives up on a request by cancelling it, once the fake has it, rather
// than after a time-out that could fire before the fake received it.
type withContext struct{ ctx func() context.Context }

func (w withContext) RoundTrip(r *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(r.WithContext(w.ctx()))
}

func TestAStallHoldsTheRequestUntilTheClientGivesUp(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	putCtx, giveUpPut := context.WithCancel(context.Background())
	getCtx, giveUpGet := context.WithCancel(context.Background())
	defer giveUpGet()
	ctx := putCtx
	c.hc.Transport = withContext{func() context.Context { return ctx }}
	srv.Inject(Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Stall: true, Before: giveUpPut}) // the fake has it
	srv.Inject(Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets", PassThrough: true, StallBody: true})
	if r := c.put(srv, "A", "v", "all"); r.err == nil {
		t.Fatalf("a stalled PUT was answered: %d", r.status)
	}
	if _, ok := srv.Secret("A"); ok {
		t.Error("a stalled PUT changed the state")
	}
	ctx = getCtx
	req, _ := http.NewRequest(http.MethodGet, c.base+"/orgs/acme/codespaces/secrets", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatalf("no headers from a stalled body: %v", err)
	}
	full := `{"total_count":0,"secrets":[]}`
	half := make([]byte, len(full)/2)
	_, err = io.ReadFull(resp.Body, half)
	giveUpGet() // having read the half that came
	rest, restErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(full, string(half)) || len(rest) != 0 || restErr == nil {
		t.Errorf("a stalled body gave %d %q (%v), then %q (%v); want 200, half the body and an error", resp.StatusCode, half, err, rest, restErr)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !reqs[0].Fault || reqs[0].Status != 0 || reqs[1].Status != 200 {
		t.Errorf("logged %+v", reqs)
	}
}

// TestAnAnswerStatusIsGivenAfterTheFakeAppliedTheRequest: an update that
// the fake applies and answers 201, as a proxy (or GitHub) might, so that
// clients can be tested against a 201 that re-created nothing.
func TestAnAnswerStatusIsGivenAfterTheFakeAppliedTheRequest(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	srv.AddSecret("A", "old", "all")
	before, _ := srv.Secret("A")
	srv.Inject(Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", PassThrough: true, AnswerStatus: http.StatusCreated})
	r := c.put(srv, "A", "new", "private").want(t, http.StatusCreated)
	if string(r.body) != "{}" {
		t.Errorf("body %q, want GitHub's {} for a 201", r.body)
	}
	after := wantState(t, srv, "A", "new", "private")
	if !after.CreatedAt.Equal(before.CreatedAt) {
		t.Errorf("created_at moved from %v to %v: the secret was re-created, not updated", before.CreatedAt, after.CreatedAt)
	}
	if reqs := srv.Requests(); reqs[0].Status != http.StatusCreated || reqs[0].Fault {
		t.Errorf("logged %+v, want the 201 the client got", reqs[0])
	}
	c.put(srv, "A", "again", "private").want(t, http.StatusNoContent) // one-shot
}
