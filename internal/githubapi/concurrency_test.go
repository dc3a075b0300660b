package githubapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

func TestAListThatDoesNotAddUpIsAnError(t *testing.T) {
	t.Parallel()
	page2 := testBase + secretsPath + "?page=2&per_page=100"
	tests := []struct {
		name  string
		stubs func(f *fixture)
		want  string
	}{
		{"a total_count larger than the items served", func(f *fixture) {
			f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(3, "A", "B")))
		}, "total_count says 3 but its 1 page(s) held 2"},
		{"a short page with no next link", func(f *fixture) {
			f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(4, "A", "B"), "Link", link("next", page2)))
			f.onQuery("GET", secretsPath, "page=2&per_page=100", reply(200, secretsPage(4, "C")))
		}, "total_count says 4 but its 2 page(s) held 3, with no link to a next page"},
		{"a list that changes between its pages", func(f *fixture) {
			f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(3, "A", "B"), "Link", link("next", page2)))
			f.onQuery("GET", secretsPath, "page=2&per_page=100", reply(200, secretsPage(2)))
		}, "changed while it was read (GitHub's total_count was 3 on page 1 and 2 on page 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			tt.stubs(f)
			got, err := f.client.ListSecrets(context.Background(), testOrg)
			wantErr(t, err, `the Codespaces secrets of organization "acme"`, tt.want)
			if got != nil {
				t.Errorf("returned %d secrets with the error, want none", len(got))
			}
		})
	}
}

// stalling is a GitHub, in the client's own transport, that can hold a
// request until the client gives up on it, and records every request the
// client sends. It answers in the client's transport, not over a socket,
// so a request counts the moment it is sent, however loaded the machine:
// a server could miss one that the client gave up on before it arrived.
type stalling struct {
	mu    sync.Mutex
	stall map[string]int // requests to stall, by "METHOD path"
	body  map[string]int // responses whose body to stall, by "METHOD path"
	seen  map[string]int
	puts  []string
}

func (s *stalling) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method + " " + r.URL.Path
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	s.mu.Lock()
	s.seen[key]++
	if r.Method == http.MethodPut {
		s.puts = append(s.puts, string(b))
	}
	stall, stallBody := s.stall[key] > 0, s.body[key] > 0
	if stall {
		s.stall[key]--
	} else if stallBody {
		s.body[key]--
	}
	s.mu.Unlock()
	if stall {
		<-r.Context().Done() // until the client times out
		return nil, r.Context().Err()
	}
	resp := &http.Response{StatusCode: http.StatusNoContent, Header: http.Header{}, Body: http.NoBody, Request: r}
	switch r.Method {
	case http.MethodPut:
	case http.MethodDelete: // the stalled attempt got through
		resp.StatusCode = http.StatusNotFound
	default:
		body := `{"name":"FOO","visibility":"all","created_at":"2024-01-02T03:04:05Z","updated_at":"2024-01-02T03:04:05Z"}`
		resp.StatusCode, resp.ContentLength = http.StatusOK, int64(len(body))
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = io.NopCloser(strings.NewReader(body))
		if stallBody {
			resp.Body = io.NopCloser(io.MultiReader(strings.NewReader(body[:10]), stalledReader{r.Context()}))
		}
	}
	resp.Status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	return resp, nil
}

// stalledReader blocks until its context is done, as a body that stops
// halfway does.
type stalledReader struct{ ctx context.Context }

func (r stalledReader) Read([]byte) (int, error) {
	<-r.ctx.Done()
	return 0, r.ctx.Err()
}

// count returns how many requests the client sent for "METHOD path".
func (s *stalling) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[key]
}

// bodies returns the bodies of the PUTs.
func (s *stalling) bodies() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.puts...)
}

// stalledAPI makes a stalling GitHub, lets set choose what stalls, and
// returns a client for it with 30 ms time-outs and a fake clock, and the
// wait notices the client gives.
func stalledAPI(t *testing.T, set func(s *stalling)) (*stalling, *Client, *fakeclock.Clock, *[]string) {
	t.Helper()
	s := &stalling{stall: map[string]int{}, body: map[string]int{}, seen: map[string]int{}}
	set(s)
	clock := fakeclock.New(testEpoch)
	var mu sync.Mutex
	notices := &[]string{}
	c, err := New(parseURL(t, testBase), testToken, WithHTTPClient(&http.Client{Transport: s}), WithClock(clock), WithRand(noJitter),
		WithRequestTimeouts(30*time.Millisecond, 30*time.Millisecond),
		WithWaitNotice(func(n string) { mu.Lock(); *notices = append(*notices, n); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	return s, c, clock, notices
}

func TestAStalledRequestTimesOutAndIsRetried(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		stall func(s *stalling)
		want  string
	}{
		{"no response headers", func(s *stalling) { s.stall["GET /api/v3/orgs/acme/codespaces/secrets/FOO"] = 2 }, "no response headers within 30ms"},
		{"a body that stops halfway", func(s *stalling) { s.body["GET /api/v3/orgs/acme/codespaces/secrets/FOO"] = 2 }, "the response body did not finish within 30ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c, clock, notices := stalledAPI(t, tt.stall)
			// A time-out that never fires fails here, in seconds, rather
			// than at go test's -timeout.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.GetSecret(ctx, testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
			if n := s.count("GET /api/v3/orgs/acme/codespaces/secrets/FOO"); n != 3 {
				t.Errorf("%d requests, want 3 (two timed out)", n)
			}
			if got := clock.Waits(); len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
				t.Errorf("waits %v, want the backoff of two retries", got)
			}
			if len(*notices) != 2 || !strings.Contains((*notices)[0], "waiting 1s for a retry after a time-out ("+tt.want+") (retry 1 of 3)") {
				t.Errorf("the waits are not announced as retries after a time-out: %q", *notices)
			}
		})
	}
}

func TestAPutThatAlwaysStallsFailsAfterTheRetriesWithTheSameBytes(t *testing.T) {
	t.Parallel()
	s, c, clock, _ := stalledAPI(t, func(s *stalling) { s.stall["PUT /api/v3/orgs/acme/codespaces/secrets/FOO"] = 100 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // the run's budget
	defer cancel()
	_, err := c.PutSecret(ctx, testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "all"})
	wantErr(t, err, "PUT /orgs/acme/codespaces/secrets/FOO: gave up after 3 retries", "gave up after 3 retries", "no response headers within 30ms")
	puts := s.bodies()
	if len(puts) != 4 || c.Stats().Writes != 4 {
		t.Fatalf("%d PUTs (%d by the client's count), want 4", len(puts), c.Stats().Writes)
	}
	for _, p := range puts[1:] {
		if p != puts[0] {
			t.Errorf("a retry sent %s, want the same bytes as the first attempt %s", p, puts[0])
		}
	}
	if total := clock.Total(); total != 7*time.Second {
		t.Errorf("waited %v, want 1s + 2s + 4s", total)
	}
	if ctx.Err() != nil {
		t.Error("the call outlasted the budget")
	}
}

// keepFixture stubs a PUT of FOO that keeps its repositories, with the list
// read before each PUT answered in turn from lists.
func keepFixture(t *testing.T, lists []string, puts ...httpmock.Responder) (*fixture, *[]string) {
	t.Helper()
	f := setup(t, WithWriteBurst(1, time.Second))
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	listReplies := make([]httpmock.Responder, 0, len(lists))
	for _, l := range lists {
		listReplies = append(listReplies, check(reply(200, l), func(*http.Request) { note(fmt.Sprintf("list at %s", f.clock.Now().Sub(testEpoch))) }))
	}
	f.onQuery("GET", reposPath, "per_page=100", listReplies...)
	putReplies := make([]httpmock.Responder, 0, len(puts))
	for _, p := range puts {
		putReplies = append(putReplies, check(p, func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			var body struct {
				IDs   []int64 `json:"selected_repository_ids"`
				Value string  `json:"encrypted_value"`
			}
			_ = json.Unmarshal(b, &body)
			note(fmt.Sprintf("PUT %v %s at %s", body.IDs, body.Value, f.clock.Now().Sub(testEpoch)))
		}))
	}
	f.on("PUT", fooPath, putReplies...)
	return f, &order
}

// listedRepo is one repository as GitHub lists it.
func listedRepo(id int64, name string) string {
	return fmt.Sprintf(`{"id":%d,"node_id":"R_%d","name":%q,"full_name":"acme/%s","private":true,"owner":{"id":1,"login":"acme"}}`, id, id, name, name)
}

func reposList(ids ...int) string {
	var items []string
	for _, id := range ids {
		items = append(items, listedRepo(int64(id), fmt.Sprintf("r%d", id)))
	}
	return fmt.Sprintf(`{"total_count":%d,"repositories":[%s]}`, len(ids), strings.Join(items, ","))
}

func TestPutSecretKeepingReposReadsTheListRightBeforeEachAttempt(t *testing.T) {
	t.Parallel()
	// The first PUT uses the one write of the burst; the second waits 1s for
	// the pacing, the first attempt of it fails with a 502 and waits 1s more.
	f, order := keepFixture(t, []string{reposList(11), reposList(11, 12), reposList(11, 12, 13)},
		reply(204, ""), reply(502, ""), reply(204, ""))
	req := PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"}
	res, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", req)
	if err != nil || res.Created || res.Retried || len(res.Repositories) != 1 {
		t.Fatalf("first: %+v, err %v", res, err)
	}
	res, err = f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", req)
	if err != nil || !res.Retried {
		t.Fatalf("second: %+v, err %v, want it retried", res, err)
	}
	sent := res.Repositories
	want := []string{
		"list at 0s", "PUT [11] c2VhbGVk at 0s",
		"list at 1s", "PUT [11 12] c2VhbGVk at 1s", // after the pacing wait
		"list at 2s", "PUT [11 12 13] c2VhbGVk at 2s", // after the retry's wait
	}
	if strings.Join(*order, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(*order, "\n"), strings.Join(want, "\n"))
	}
	if len(sent) != 3 || sent[2].ID != 13 {
		t.Errorf("sent %v, want the list read before the PUT that succeeded", sent)
	}
}

func TestPutSecretKeepingReposSendsNothingWhenTheListCannotBeRead(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.onQuery("GET", reposPath, "per_page=100", reply(200, `{"total_count":2,"repositories":[`+listedRepo(11, "web")+`]}`))
	_, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"})
	wantErr(t, err, "could not be read just before the PUT, so the PUT was not sent: could not list the repositories", "total_count says 2 but its 1 page(s) held 1")
	if !errors.Is(err, ErrNotSent) {
		t.Errorf("err %v does not wrap ErrNotSent", err)
	}
	f.calls(map[string]int{"GET " + reposPath + "?per_page=100": 1})

	f = setup(t)
	f.onQuery("GET", reposPath, "per_page=100", reply(404, `{"message":"Not Found"}`))
	_, err = f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"})
	if !errors.Is(err, ErrNotSent) || StatusCode(err) != http.StatusNotFound {
		t.Errorf("err %v: want ErrNotSent and the list's 404", err)
	}
}

func TestPutSecretKeepingReposRefusesAnotherScope(t *testing.T) {
	t.Parallel()
	f := setup(t)
	_, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", PutSecretRequest{Visibility: "all", SelectedRepositoryIDs: []int64{1}})
	wantErr(t, err, `needs visibility "selected", not "all"`, "give one or the other")
	f.calls(map[string]int{})
}

// A DELETE that timed out most likely got through: the 404 of its retry
// counts as success.
func TestATimedOutDeleteIsRetriedAndItsLater404IsSuccess(t *testing.T) {
	t.Parallel()
	s, c, _, notices := stalledAPI(t, func(s *stalling) { s.stall["DELETE /api/v3/orgs/acme/codespaces/secrets/FOO"] = 1 })
	if err := c.DeleteSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
	if n := s.count("DELETE /api/v3/orgs/acme/codespaces/secrets/FOO"); n != 2 || len(*notices) != 1 {
		t.Errorf("%d DELETEs and notices %q, want 2 and one", n, *notices)
	}
}

// GitHub lists no repositories for a secret that is no longer selected: an
// empty list is checked against the secret before "selected" and [] go.
func TestPutSecretKeepingReposChecksAnEmptyListAgainstTheVisibility(t *testing.T) {
	t.Parallel()
	req := PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"}
	t.Run("sends nothing for a secret someone made visible to all", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.onQuery("GET", reposPath, "per_page=100", reply(200, reposList()))
		f.on("GET", fooPath, reply(200, secretJSON("FOO", "all")))
		_, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", req)
		var ns *NotSelectedError
		if !errors.Is(err, ErrNotSent) || !errors.As(err, &ns) || ns.Visibility != "all" {
			t.Fatalf("err %v: want ErrNotSent and a *NotSelectedError for all", err)
		}
		wantErr(t, err, `the secret was no longer "selected" just before the PUT, so the PUT was not sent`, `its visibility is now "all"`)
		f.calls(map[string]int{"GET " + reposPath + "?per_page=100": 1, "GET " + fooPath: 1})
	})
	t.Run("sends no repositories for a secret still selected with none", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.onQuery("GET", reposPath, "per_page=100", reply(200, reposList()))
		f.on("GET", fooPath, reply(200, secretJSON("FOO", "selected")))
		f.on("PUT", fooPath, check(reply(204, ""), func(r *http.Request) {
			testBody(t, r, `{"encrypted_value":"c2VhbGVk","key_id":"k","selected_repository_ids":[],"visibility":"selected"}`)
		}))
		res, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", req)
		if err != nil || res.Repositories == nil || len(res.Repositories) != 0 {
			t.Fatalf("%+v, err %v", res, err)
		}
		f.calls(map[string]int{"GET " + reposPath + "?per_page=100": 1, "GET " + fooPath: 1, "PUT " + fooPath: 1})
	})
}

// A retry whose list read fails was preceded by an attempt that was sent:
// the error says so, rather than that nothing was sent.
func TestAnUnsentRetrySaysTheFirstAttemptWasSent(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.onQuery("GET", reposPath, "per_page=100", reply(200, reposList(11)), reply(404, `{"message":"Not Found"}`))
	f.on("PUT", fooPath, reply(502, ""))
	_, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "selected"})
	wantErr(t, err, "the PUT failed (a 502 response) and may have been applied; the repository list to send again could not be read just before its retry, so the retry was not sent: check the secret")
	if !errors.Is(err, ErrNotSent) || StatusCode(err) != http.StatusNotFound || strings.Contains(err.Error(), "so the PUT was not sent") {
		t.Errorf("err %v: want ErrNotSent and the list's 404, and no claim that nothing was sent", err)
	}
}

// TestTheHeaderAndBodyTimeOutsAreToldApart: each time-out bounds its own
// phase. With one short and the other an hour, in both orders, only the
// short one can end the stalled phase within the test's seconds.
func TestTheHeaderAndBodyTimeOutsAreToldApart(t *testing.T) {
	t.Parallel()
	const short, long = 30 * time.Millisecond, time.Hour
	for _, tt := range []struct {
		name         string
		header, body time.Duration
		stall        func(s *stalling)
		want         string
	}{
		{"a short header wait ends a stall before the headers", short, long,
			func(s *stalling) { s.stall["GET /api/v3/orgs/acme/codespaces/secrets/FOO"] = 1 }, "no response headers within 30ms"},
		{"a short body wait ends a stall in the body", long, short,
			func(s *stalling) { s.body["GET /api/v3/orgs/acme/codespaces/secrets/FOO"] = 1 }, "the response body did not finish within 30ms"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &stalling{stall: map[string]int{}, body: map[string]int{}, seen: map[string]int{}}
			tt.stall(s)
			var notices []string
			var mu sync.Mutex
			c, err := New(parseURL(t, testBase), testToken, WithHTTPClient(&http.Client{Transport: s}), WithClock(fakeclock.New(testEpoch)), WithRand(noJitter),
				WithRequestTimeouts(tt.header, tt.body), WithWaitNotice(func(n string) { mu.Lock(); notices = append(notices, n); mu.Unlock() }))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.GetSecret(ctx, testOrg, "FOO"); err != nil {
				t.Fatalf("%v: the short time-out did not end the stall", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(notices) != 1 || !strings.Contains(notices[0], tt.want) {
				t.Errorf("notices %q, want one saying %q", notices, tt.want)
			}
		})
	}
}

func TestNewWithoutOptionsSetsBothTimeOuts(t *testing.T) {
	t.Parallel()
	c, err := New(parseURL(t, testBase), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if c.tr.headerWait != DefaultHeaderTimeout || c.tr.bodyWait != DefaultBodyTimeout {
		t.Errorf("header %v and body %v, want %v and %v", c.tr.headerWait, c.tr.bodyWait, DefaultHeaderTimeout, DefaultBodyTimeout)
	}
	// The README's troubleshooting quotes these: "no response headers
	// within 20s", "the response body did not finish within 30s".
	if DefaultHeaderTimeout != 20*time.Second || DefaultBodyTimeout != 30*time.Second {
		t.Errorf("defaults %v and %v, want 20s and 30s as documented", DefaultHeaderTimeout, DefaultBodyTimeout)
	}
	c, err = New(parseURL(t, testBase), testToken, WithRequestTimeouts(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if c.tr.headerWait != DefaultHeaderTimeout || c.tr.bodyWait != DefaultBodyTimeout {
		t.Errorf("zero time-outs: header %v and body %v, want the defaults", c.tr.headerWait, c.tr.bodyWait)
	}
}
