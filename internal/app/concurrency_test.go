package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// Someone else's run changes a secret while this one runs: the fake's
// Before hook makes the change land just before a chosen request.

// grant adds a repository to a secret's list, as someone else's
// add-repositories would.
func grant(srv *fakegithubtest.Server, name string, id int64) {
	s, _ := srv.Secret(name)
	srv.AddSecret(name, s.Value, s.Visibility, append(s.RepoIDs, id)...)
}

// revoke removes a repository from a secret's list.
func revoke(srv *fakegithubtest.Server, name string, id int64) {
	s, _ := srv.Secret(name)
	srv.AddSecret(name, s.Value, s.Visibility, slices.DeleteFunc(s.RepoIDs, func(x int64) bool { return x == id })...)
}

// rotation seeds five selected secrets with web and api, and rotates them
// all.
func rotation(t *testing.T) (*fakegithubtest.Server, map[string]int64, map[string]string) {
	t.Helper()
	srv, ids := newServer(t)
	var in strings.Builder
	for i := 1; i <= 5; i++ {
		srv.AddSecret(fmt.Sprintf("S%d", i), "old", "selected", ids["web"], ids["api"])
		fmt.Fprintf(&in, "S%d=new-%d\n", i, i)
	}
	return srv, ids, map[string]string{"secrets": in.String()}
}

func TestOnlyAChangeBetweenTheListReadAndItsPUTCanBeLost(t *testing.T) {
	type change struct {
		name string
		do   func(srv *fakegithubtest.Server, ids map[string]int64)
		want func(ids map[string]int64) []int64
	}
	for _, ch := range []change{
		{"an added repository", func(srv *fakegithubtest.Server, ids map[string]int64) { grant(srv, "S3", ids["docs"]) },
			func(ids map[string]int64) []int64 { return []int64{ids["web"], ids["api"], ids["docs"]} }},
		{"a removed repository", func(srv *fakegithubtest.Server, ids map[string]int64) { revoke(srv, "S3", ids["api"]) },
			func(ids map[string]int64) []int64 { return []int64{ids["web"]} }},
	} {
		t.Run(ch.name, func(t *testing.T) {
			srv, _, in := rotation(t)
			wantCode(t, runAction(t, srv, in), ExitOK)
			reqs := srv.Requests() // the run's requests, in order
			if len(reqs) != 12 {
				t.Fatalf("%d requests, want 12: the list, the key, and a list read and a PUT per secret", len(reqs))
			}
			var lostAt []string
			for _, rq := range reqs {
				at := rq.Method + " " + strings.TrimPrefix(rq.Path, fakegithub.DefaultBasePath)
				srv, ids, in := rotation(t)
				srv.Inject(fakegithubtest.Fault{Method: rq.Method, Path: strings.TrimPrefix(rq.Path, fakegithub.DefaultBasePath), PassThrough: true,
					Before: func() { ch.do(srv, ids) }})
				r := runAction(t, srv, in)
				wantCode(t, r, ExitOK)
				s, _ := srv.Secret("S3")
				if s.Value != "new-3" {
					t.Errorf("change before %s: S3 was not rotated", at)
				}
				if !sameSet(s.RepoIDs, ch.want(ids)) {
					lostAt = append(lostAt, at)
				}
			}
			// The one gap left: GitHub has no conditional write.
			if want := []string{"PUT " + put + "S3"}; !slices.Equal(lostAt, want) {
				t.Errorf("the change was lost when it landed just before %q, want only %q", lostAt, want)
			}
		})
	}
}

func TestAChangeBeforeAFailedPUTSurvivesItsRetry(t *testing.T) {
	srv, ids, in := rotation(t)
	// The change lands after S3's list read; the PUT fails, and its retry
	// reads the list again after the wait.
	srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: put + "S3", Status: 502, Before: func() { grant(srv, "S3", ids["docs"]) }})
	r := runAction(t, srv, in)
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "S3", "new-3", "selected", ids["web"], ids["api"], ids["docs"])
	if diff := cmp.Diff([]string{"acme/api", "acme/docs", "acme/web"}, changes(t, r)[2].Repositories); diff != "" {
		t.Errorf("the result's repositories of S3, which must be those the retry sent (-want +got):\n%s", diff)
	}
}

// hookClock runs a function on its first wait.
type hookClock struct {
	*fakeclock.Clock
	once sync.Once
	f    func()
}

func (c *hookClock) Sleep(ctx context.Context, d time.Duration) error {
	c.once.Do(c.f)
	return c.Clock.Sleep(ctx, d)
}

func TestAChangeDuringThePacingWaitSurvives(t *testing.T) {
	srv, ids := newServer(t)
	var in strings.Builder
	for i := range 20 {
		fmt.Fprintf(&in, "P%02d=v\n", i)
	}
	srv.AddSecret("SEL", "old", "selected", ids["web"])
	in.WriteString("SEL=new\n") // the 21st write waits for the pacing
	clock := &hookClock{Clock: newFakeClock(), f: func() { grant(srv, "SEL", ids["docs"]) }}
	r := runAction(t, srv, map[string]string{"secrets": in.String()}, WithClock(clock))
	wantCode(t, r, ExitOK)
	if w := clock.Waits(); len(w) != 1 {
		t.Fatalf("waits %v, want one for the pacing", w)
	}
	wantSecret(t, srv, "SEL", "new", "selected", ids["web"], ids["docs"])
}

// noValue asserts that no value of the run shows anywhere it wrote, but in
// the commands that mask it.
func noValue(t *testing.T, r actionRun, values ...string) {
	t.Helper()
	var log []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			log = append(log, l)
		}
	}
	for _, v := range values {
		for where, text := range map[string]string{"stdout": strings.Join(log, "\n"), "stderr": r.stderr, "summary": r.summary, "outputs": fmt.Sprint(r.outputs)} {
			if strings.Contains(text, v) {
				t.Errorf("%s shows the value %q", where, v)
			}
		}
	}
}

func TestAnUpdateNeverResurrectsADeletedSecret(t *testing.T) {
	for _, tt := range []struct {
		name, secret string
		in           func(t *testing.T) map[string]string
	}{
		{"set, a secret with visibility all", "ALL", func(*testing.T) map[string]string { return map[string]string{"secrets": "ALL=new-all\nSEL=new-sel"} }},
		{"set, a selected secret", "SEL", func(*testing.T) map[string]string { return map[string]string{"secrets": "ALL=new-all\nSEL=new-sel"} }},
		{"sync", "SEL", func(t *testing.T) map[string]string {
			return map[string]string{"operation": "sync", "secrets": "ALL=new-all\nSEL=new-sel",
				"manifest": writeManifest(t, "secrets:\n  ALL:\n    visibility: all\n  SEL:\n    visibility: selected\n")}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fakeNow := newFakeClock() // GitHub's clock: created_at has whole seconds
			srv, ids := newServer(t, fakegithub.WithClock(fakeNow.Now))
			srv.AddSecret("ALL", "old-all", "all")
			srv.AddSecret("SEL", "old-sel", "selected", ids["web"])
			// Deleted by someone else after this run read it, just before
			// its PUT: GitHub creates the secret again (201), with a newer
			// created_at.
			srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: put + tt.secret, PassThrough: true, Before: func() {
				_ = fakeNow.Sleep(context.Background(), time.Minute)
				srv.RemoveSecret(tt.secret)
			}})
			r := runAction(t, srv, tt.in(t))
			wantCode(t, r, ExitFailed)
			if _, ok := srv.Secret(tt.secret); ok {
				t.Errorf("%s exists again after someone else deleted it", tt.secret)
			}
			if n := srv.Count(http.MethodDelete); n != 1 {
				t.Errorf("%d DELETEs, want 1: the re-created secret deleted again", n)
			}
			msg := "secret " + tt.secret + " was deleted by someone else during the run"
			if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, msg) || !strings.Contains(r.outputs["result"], msg) || !strings.Contains(r.summary, "deleted by someone else") {
				t.Errorf("the conflict is not reported in the log, the result and the summary:\n%s\n%s\n%s", r.stdout, r.outputs["result"], r.summary)
			}
			noValue(t, r, "new-all", "new-sel", "old-all", "old-sel")
		})
	}
}

func TestASecretDeletedBeforeItsListReadIsNotWritten(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "old", "selected", ids["web"])
	srv.Inject(fakegithubtest.Fault{Method: "GET", Path: put + "SEL/repositories", PassThrough: true, Before: func() { srv.RemoveSecret("SEL") }})
	r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new"})
	wantCode(t, r, ExitFailed)
	if _, ok := srv.Secret("SEL"); ok || srv.Writes() != 0 {
		t.Errorf("SEL was written (%d writes) after someone else deleted it", srv.Writes())
	}
	if !strings.Contains(r.stdout, "secret SEL was deleted by someone else during the run, so it was not written") {
		t.Errorf("the conflict is not reported:\n%s", r.stdout)
	}
}

func TestAListThatDoesNotAddUpIsNeverResent(t *testing.T) {
	for _, tt := range []struct {
		name  string
		repos int
		fault fakegithubtest.Fault
	}{
		{"a total_count larger than the items served", 2, fakegithubtest.Fault{Method: "GET", Path: put + "SEL/repositories", PassThrough: true, TotalCountDelta: 1}},
		{"a short page without a next link", 101, fakegithubtest.Fault{Method: "GET", Path: put + "SEL/repositories", PassThrough: true, DropLink: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, ids := newServer(t)
			list := []int64{ids["web"], ids["api"]}
			for i := 2; i < tt.repos; i++ {
				list = append(list, srv.AddRepo(fmt.Sprintf("r%03d", i)).ID)
			}
			srv.AddSecret("SEL", "old", "selected", list...)
			srv.Inject(tt.fault)
			r := runAction(t, srv, map[string]string{"secrets": "OTHER=v\nSEL=new"})
			wantCode(t, r, ExitFailed)
			wantSecret(t, srv, "SEL", "old", "selected", list...)
			wantSecret(t, srv, "OTHER", "v", "private")
			if n := srv.Count(http.MethodPut); n != 1 {
				t.Errorf("%d PUTs, want only OTHER's", n)
			}
			if !strings.Contains(r.stdout, "secret SEL: ") || !strings.Contains(r.stdout, "was not read in full") {
				t.Errorf("the short read is not reported:\n%s", r.stdout)
			}
		})
	}
}

func TestAShortListOfSecretsPrunesNothing(t *testing.T) {
	for _, f := range []fakegithubtest.Fault{
		{Method: "GET", Path: "/orgs/acme/codespaces/secrets", PassThrough: true, TotalCountDelta: 1},
		{Method: "GET", Path: "/orgs/acme/codespaces/secrets", PassThrough: true, DropLink: true},
	} {
		srv, _ := newServer(t)
		for i := range 101 - 1 { // two pages: 100 and 1 (the manifest's)
			srv.AddSecret(fmt.Sprintf("OLD_%03d", i), "v", "private")
		}
		srv.AddSecret("KEEP", "v", "all")
		srv.Inject(f)
		r := runAction(t, srv, map[string]string{"operation": "sync", "prune": "true",
			"manifest": writeManifest(t, "secrets:\n  KEEP:\n    visibility: all\n")})
		wantCode(t, r, ExitFailed)
		if srv.Writes() != 0 || len(srv.Secrets()) != 101 {
			t.Errorf("%d writes, %d secrets left: a short read pruned", srv.Writes(), len(srv.Secrets()))
		}
		if !strings.Contains(r.stdout, "so it was not used") && !strings.Contains(r.stdout, "not read in full and was not used") || !strings.Contains(r.stdout, "nothing was changed") {
			t.Errorf("the short read is not reported:\n%s", r.stdout)
		}
	}
}

// stallingTransport holds the first times requests of method and path
// until the client gives up on them, without sending them, and passes
// every other request to GitHub. It counts the held requests itself, the
// moment the client makes them, so no count depends on how fast a server
// would have received a request the client then gave up on.
type stallingTransport struct {
	method, path string // path with the base path, as the client sends it
	times        int

	mu   sync.Mutex
	held int
}

func (s *stallingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	hold := r.Method == s.method && r.URL.Path == s.path && s.held < s.times
	if hold {
		s.held++
	}
	s.mu.Unlock()
	if !hold {
		return http.DefaultTransport.RoundTrip(r)
	}
	if r.Body != nil {
		_ = r.Body.Close()
	}
	<-r.Context().Done() // until the client's time-out
	return nil, r.Context().Err()
}

func (s *stallingTransport) heldCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

func TestAStalledReadIsRetriedAndTheRunSucceeds(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("A", "v", "all")
	stall := &stallingTransport{method: http.MethodGet, path: fakegithub.DefaultBasePath + "/orgs/acme/codespaces/secrets", times: 1}
	clock := newFakeClock()
	r := runAction(t, srv, map[string]string{"operation": "list"}, WithHTTPClient(&http.Client{Transport: stall}), WithClock(clock),
		WithRequestTimeouts(50*time.Millisecond, 50*time.Millisecond))
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "for a retry after a time-out (no response headers within 50ms) (retry 1 of 3)") {
		t.Errorf("the retry is not announced:\n%s", r.stdout)
	}
	if held, n := stall.heldCount(), srv.Count("GET"); held != 1 || n != 1 || len(clock.Waits()) != 1 {
		t.Errorf("%d GETs stalled, %d answered and waits %v, want 1, 1 and one", held, n, clock.Waits())
	}
}

func TestAPUTThatAlwaysStallsFailsWithinTheBudget(t *testing.T) {
	srv, _ := newServer(t)
	stall := &stallingTransport{method: http.MethodPut, path: fakegithub.DefaultBasePath + put + "A", times: 100}
	clock := newFakeClock()
	r := runAction(t, srv, map[string]string{"name": "A", "value": "v"}, WithHTTPClient(&http.Client{Transport: stall}), WithClock(clock),
		WithRequestTimeouts(50*time.Millisecond, 50*time.Millisecond))
	wantCode(t, r, ExitFailed)
	if n := stall.heldCount(); n != 4 {
		t.Errorf("%d PUTs, want 4 (three retries)", n)
	}
	if _, ok := srv.Secret("A"); ok {
		t.Error("A exists")
	}
	if !strings.Contains(r.stdout, "gave up after 3 retries: no response headers within 50ms") {
		t.Errorf("the time-out is not reported:\n%s", r.stdout)
	}
	if total := clock.Total(); total > DefaultBudget {
		t.Errorf("waited %v, past the budget", total)
	}
}

// lostAnswer passes requests to GitHub, but for the first PUT of path it
// runs before, lets GitHub apply the PUT, and then loses GitHub's answer:
// the client waits until its header time-out, as with a dead connection
// or a proxy that drops the answer.
type lostAnswer struct {
	path   string
	before func()
	done   bool // the transport sends one request at a time
}

func (l *lostAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPut || r.URL.Path != l.path || l.done {
		return http.DefaultTransport.RoundTrip(r)
	}
	l.done = true
	l.before()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// Someone deletes the secret after this run read it; the update's first
// PUT creates it again (201), but that answer is lost, and the retry gets
// 204. The secret's created_at, newer than the run read, gives it away.
func TestARetriedUpdateThatReCreatedADeletedSecretDeletesItAgain(t *testing.T) {
	for _, visibility := range []string{"all", "selected"} {
		t.Run(visibility, func(t *testing.T) {
			fakeNow := newFakeClock() // GitHub's clock: created_at has whole seconds
			srv, ids := newServer(t, fakegithub.WithClock(fakeNow.Now))
			var repos []int64
			if visibility == "selected" {
				repos = []int64{ids["web"]}
			}
			srv.AddSecret("S", "old", visibility, repos...)
			lost := &lostAnswer{path: fakegithub.DefaultBasePath + put + "S", before: func() {
				_ = fakeNow.Sleep(context.Background(), time.Minute)
				srv.RemoveSecret("S")
			}}
			r := runAction(t, srv, map[string]string{"name": "S", "value": "s3cr3t-new"}, WithHTTPClient(&http.Client{Transport: lost}),
				WithRequestTimeouts(50*time.Millisecond, 50*time.Millisecond))
			wantCode(t, r, ExitFailed)
			if _, ok := srv.Secret("S"); ok {
				t.Errorf("S exists again after someone else deleted it")
			}
			if !strings.Contains(r.stdout, "secret S was deleted by someone else during the run: the update re-created it, so it was deleted again at once") {
				t.Errorf("the conflict is not reported:\n%s", r.stdout)
			}
			noValue(t, r, "s3cr3t-new", "old")
		})
	}
}

// A retried update of a secret nobody touched costs one GET more, and
// stays a success.
func TestARetriedUpdateOfAnUntouchedSecretSucceeds(t *testing.T) {
	fakeNow := newFakeClock()
	srv, _ := newServer(t, fakegithub.WithClock(fakeNow.Now))
	srv.AddSecret("S", "old", "all")
	lost := &lostAnswer{path: fakegithub.DefaultBasePath + put + "S", before: func() { _ = fakeNow.Sleep(context.Background(), time.Minute) }}
	r := runAction(t, srv, map[string]string{"name": "S", "value": "new"}, WithHTTPClient(&http.Client{Transport: lost}),
		WithRequestTimeouts(50*time.Millisecond, 50*time.Millisecond))
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "S", "new", "all")
	if r.reads != 3 || r.writes != 2 {
		t.Errorf("%d reads and %d writes, want 3 (the list, the key, the check) and 2 (the PUT and its retry)", r.reads, r.writes)
	}
}

// Someone else makes a selected secret visible to all while a rotation
// runs, after this run read the organization: GitHub then lists no
// repositories for it, and sending "selected" with none would undo their
// change and leave it visible to no repository.
func TestAVisibilityChangedDuringTheRunIsNotReverted(t *testing.T) {
	for _, visibility := range []string{"all", "private"} {
		t.Run(visibility, func(t *testing.T) {
			srv, ids := newServer(t)
			srv.AddSecret("SEL", "old", "selected", ids["web"])
			srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: put + "SEL/repositories", PassThrough: true,
				Before: func() { srv.RemoveSecret("SEL"); srv.AddSecret("SEL", "old", visibility) }})
			r := runAction(t, srv, map[string]string{"secrets": "OTHER=v\nSEL=new"})
			wantCode(t, r, ExitFailed)
			wantSecret(t, srv, "SEL", "old", visibility)
			wantSecret(t, srv, "OTHER", "v", "private")
			want := "the visibility of secret SEL was changed by someone else during the run (it is now " + visibility + ", no longer selected), so it was not written"
			if !strings.Contains(r.stdout, want) || !strings.Contains(r.outputs["result"], want) || strings.Contains(r.stdout, "set `visibility: selected`") {
				t.Errorf("the conflict is not reported as\n%s\n%s", want, r.stdout)
			}
		})
	}
}

// GitHub re-seals nothing: a 422 for a rotated key makes the run fetch the
// key and send the PUT again, and that PUT reads the list again too.
func TestAReSealedPUTReadsTheListAgain(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "old", "selected", ids["web"])
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: put + "SEL", PassThrough: true,
		Before: func() { grant(srv, "SEL", ids["docs"]); srv.RotateKey() }})
	r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new"})
	wantCode(t, r, ExitOK)
	if n := srv.Count(http.MethodPut); n != 2 {
		t.Fatalf("%d PUTs, want 2", n)
	}
	wantSecret(t, srv, "SEL", "new", "selected", ids["web"], ids["docs"])
}

// Someone else creates a secret this run found absent: GitHub updates
// theirs (204), and the run says so.
func TestACreateThatFoundTheSecretCreatedMeanwhileWarns(t *testing.T) {
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: put + "NEW", PassThrough: true,
		Before: func() { srv.AddSecret("NEW", "their-value", "all") }})
	r := runAction(t, srv, map[string]string{"name": "NEW", "value": "our-value"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "NEW", "our-value", "private")
	if !strings.Contains(r.stdout, "::warning::secret NEW was created by someone else during the run, after this run found it absent: this run's value and visibility (private) replaced theirs") {
		t.Errorf("no warning:\n%s", r.stdout)
	}
	noValue(t, r, "our-value", "their-value")
}

func TestARedirectToAnotherHostIsRefusedAndNotBlamedOnTheToken(t *testing.T) {
	srv, _ := newServer(t)
	other, otherURL := fakegithubtest.Start(t, fakegithub.WithOrg(testOrg))
	srv.Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/acme/codespaces/secrets", Status: http.StatusFound,
		Header: map[string]string{"Location": otherURL + "/orgs/acme/codespaces/secrets"}})
	r := runAction(t, srv, map[string]string{"operation": "list"})
	wantCode(t, r, ExitFailed)
	if n := other.Count(""); n != 0 {
		t.Errorf("%d requests went to the other host", n)
	}
	if !strings.Contains(r.stdout, "GitHub's answer pointed elsewhere: a 302 redirect to") || strings.Contains(r.stdout, "rejected the token") {
		t.Errorf("the refusal is not explained, or blames the token:\n%s", r.stdout)
	}
}

// The API layer leaves the input's name to the action: the refusal names
// the API's origin and says to check the api-url input.
func TestARedirectToAnotherHostSaysToCheckTheAPIURLInput(t *testing.T) {
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/acme/codespaces/secrets", Status: http.StatusFound,
		Header: map[string]string{"Location": "https://elsewhere.example.org/orgs/acme/codespaces/secrets"}})
	r := runAction(t, srv, map[string]string{"operation": "list"})
	wantCode(t, r, ExitFailed)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	want := `a 302 redirect to "https://elsewhere.example.org", which is not the API at "` + u.Scheme + "://" + u.Host + `"; ` +
		"the redirect was refused and nothing was sent there: check `api-url`, or whether a proxy rewrites GitHub's answers"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("the refusal does not say\n%s\n%s", want, r.stdout)
	}
}

func TestADryRunShowsTheKeptListsAsTheyAreNow(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "old", "selected", ids["web"], ids["api"])
	r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new", "dry-run": "true"})
	wantCode(t, r, ExitOK)
	if r.writes != 0 || r.reads != 2 {
		t.Errorf("%d writes and %d reads, want none and 2 (the secrets, SEL's list)", r.writes, r.reads)
	}
	if diff := cmp.Diff([]string{"acme/api", "acme/web"}, changes(t, r)[0].Repositories); diff != "" {
		t.Errorf("the dry run's repositories of SEL (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.stdout, "plan: update SEL (visibility selected), value new, repositories: acme/api, acme/web") {
		t.Errorf("the plan does not show the list:\n%s", r.stdout)
	}
}

func TestThePlanSaysAKeptListIsReadAtTheWrite(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "old", "selected", ids["web"])
	r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new"})
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "plan: update SEL (visibility selected), value new, repositories kept: read again just before the write") {
		t.Errorf("the plan does not say the list is kept:\n%s", r.stdout)
	}
	if got := changes(t, r)[0].Repositories; !slices.Equal(got, []string{"acme/web"}) || !strings.Contains(r.summary, "`acme/web`") {
		t.Errorf("the result (%v) and the summary do not list the repositories sent:\n%s", got, r.summary)
	}
}
