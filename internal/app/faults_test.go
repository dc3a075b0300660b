package app

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// These runs go through Main, the same code the binary runs, with faults
// injected into the fake GitHub and a fake clock, so every wait is recorded
// and none takes real time.

const put = "/orgs/acme/codespaces/secrets/"

func TestRunsSurviveGitHubsBadMinutes(t *testing.T) {
	t.Parallel()
	secondary := `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`
	tests := []struct {
		name     string
		faults   func(srv *fakegithubtest.Server) []fakegithubtest.Fault
		waits    int           // waits the client must have made
		minWait  time.Duration // the shortest of them at least
		wantPUTs int
	}{
		{"two 502s, then success", func(*fakegithubtest.Server) []fakegithubtest.Fault {
			return []fakegithubtest.Fault{{Method: "PUT", Path: put + "B", Status: 502, Times: 2}}
		}, 2, 500 * time.Millisecond, 5},
		{"a 429 with retry-after: 1", func(*fakegithubtest.Server) []fakegithubtest.Fault {
			return []fakegithubtest.Fault{{Method: "PUT", Path: put + "B", Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: `{"message":"too many"}`}}
		}, 1, time.Second, 4},
		{"a secondary-limit 403 that only its body announces", func(*fakegithubtest.Server) []fakegithubtest.Fault {
			return []fakegithubtest.Fault{{Method: "PUT", Path: put + "B", Status: 403, Body: secondary}}
		}, 1, time.Minute, 4},
		{"a connection reset mid-run", func(*fakegithubtest.Server) []fakegithubtest.Fault {
			return []fakegithubtest.Fault{{Method: "PUT", Path: put + "B", Reset: true}}
		}, 1, 500 * time.Millisecond, 4},
		{"a key rotated between the key fetch and the PUT", func(srv *fakegithubtest.Server) []fakegithubtest.Fault {
			return []fakegithubtest.Fault{{Method: "PUT", Path: put + "B", Before: srv.RotateKey, PassThrough: true}}
		}, 0, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			srv.AddSecret("B", "old", "selected", ids["web"], ids["api"])
			for _, f := range tt.faults(srv) {
				srv.Inject(f)
			}
			clock := newFakeClock()
			r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2\nC=3"}, WithClock(clock))
			wantCode(t, r, ExitOK)
			wantSecret(t, srv, "A", "1", "private")
			wantSecret(t, srv, "B", "2", "selected", ids["web"], ids["api"])
			wantSecret(t, srv, "C", "3", "private")
			if n := srv.Count(http.MethodPut); n != tt.wantPUTs {
				t.Errorf("%d PUTs, want %d", n, tt.wantPUTs)
			}
			if announced := strings.Count(r.stdout, "/orgs/acme/codespaces/secrets/B: waiting "); announced != tt.waits {
				t.Errorf("the log announces %d waits, want %d:\n%s", announced, tt.waits, r.stdout)
			}
			if len(clock.Waits()) != tt.waits {
				t.Fatalf("waits %v, want %d of them", clock.Waits(), tt.waits)
			}
			for _, w := range clock.Waits() {
				if w < tt.minWait {
					t.Errorf("waited %v, want at least %v", w, tt.minWait)
				}
			}
		})
	}
}

func TestAPersistentFailureLosesNothing(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("B", "old", "selected", ids["web"], ids["api"])
	srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: put + "B", Status: 503, Times: 4})
	clock := newFakeClock()
	r := runAction(t, srv, map[string]string{"secrets": "A=1\nB=2\nC=3"}, WithClock(clock))
	wantCode(t, r, ExitFailed)
	wantSecret(t, srv, "A", "1", "private")
	wantSecret(t, srv, "B", "old", "selected", ids["web"], ids["api"]) // not narrowed, not lost
	wantSecret(t, srv, "C", "3", "private")
	if n := srv.Count(http.MethodPut); n != 2+4 {
		t.Errorf("%d PUTs, want 6 (A, C, and B tried 4 times)", n)
	}
	if diff := cmp.Diff([]bool{false, true, false}, failed(changes(t, r))); diff != "" {
		t.Errorf("which changes failed (-want +got):\n%s", diff)
	}
	if !strings.Contains(r.stdout, "::error::") || !strings.Contains(r.stdout, "secret B") {
		t.Errorf("the failure is not reported:\n%s", r.stdout)
	}
}

func TestAPrimaryRateLimitFarInTheFutureFailsAndSaysWhen(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	clock := newFakeClock()
	reset := clock.Now().Add(45 * time.Minute)
	srv.Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/acme/codespaces/secrets", Status: 403,
		Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": formatUnix(reset)},
		Body:   `{"message":"API rate limit exceeded"}`})
	r := runAction(t, srv, map[string]string{"operation": "list"}, WithClock(clock))
	wantCode(t, r, ExitFailed)
	if !strings.Contains(r.stdout, reset.UTC().Format("15:04")) {
		t.Errorf("the error does not say when the limit resets (%s):\n%s", reset.UTC().Format(time.RFC3339), r.stdout)
	}
	if !strings.Contains(r.stdout, "rate limit stopped the request") || strings.Contains(r.stdout, "admin:org") {
		t.Errorf("a rate limit is not explained as one, or is blamed on permissions:\n%s", r.stdout)
	}
	if len(clock.Waits()) != 0 {
		t.Errorf("waited %v for a limit past the cap", clock.Waits())
	}
}

func TestTheRunsTimeBudgetStopsRetrying(t *testing.T) {
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/acme/codespaces/secrets", Status: 502, Times: 2})
	clock := fakeclock.New(time.Now()) // the budget is a real deadline
	r := runAction(t, srv, map[string]string{"operation": "list"}, WithClock(clock), WithBudget(1500*time.Millisecond))
	wantCode(t, r, ExitFailed)
	// The first backoff (about 1 s) fits in the budget, the second (about
	// 2 s) does not: the run stops instead of waiting past its deadline.
	if n := srv.Count(""); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if len(clock.Waits()) != 1 {
		t.Errorf("waits %v, want one", clock.Waits())
	}
}

func formatUnix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestASecondaryLimitThatOutlastsTheRetriesIsNotBlamedOnPermissions(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.Inject(fakegithubtest.Fault{Method: "PUT", Path: put + "A", Status: 429, Header: map[string]string{"Retry-After": "1"},
		Body: `{"message":"You have exceeded a secondary rate limit."}`, Times: 4})
	r := runAction(t, srv, map[string]string{"name": "A", "value": "v"}, WithClock(newFakeClock()))
	wantCode(t, r, ExitFailed)
	if !strings.Contains(r.stdout, "secret A: GitHub's rate limit stopped the request") || strings.Contains(r.stdout, "admin:org") {
		t.Errorf("the limit is not explained as one:\n%s", r.stdout)
	}
}

// TestAnUntrustedCertificateFailsAtOnce: a certificate GitHub Enterprise
// Server got from the company's own authority is a common mistake, and no
// retry can fix it. The run tries once, waits for nothing, and says which
// host's certificate was not trusted.
func TestAnUntrustedCertificateFailsAtOnce(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]map[string]string{
		"reading the secrets":     {"operation": "list"},
		"looking up a repository": {"name": "A", "value": "v", "visibility": "selected", "repositories": "web"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := fakegithubtest.New(fakegithub.WithOrg(testOrg), fakegithub.WithToken(testToken))
			ts := httptest.NewUnstartedServer(srv)
			var connections atomic.Int32
			ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					connections.Add(1)
				}
			}
			ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes this test is about
			ts.StartTLS()
			t.Cleanup(ts.Close)
			in["api-url"] = ts.URL + fakegithub.DefaultBasePath
			clock := newFakeClock()
			r := runAction(t, srv, in, WithClock(clock))
			wantCode(t, r, ExitFailed)
			if n := connections.Load(); n != 1 {
				t.Errorf("%d connections, want 1: a certificate error is not retried", n)
			}
			if len(clock.Waits()) != 0 {
				t.Errorf("waited %v before giving up", clock.Waits())
			}
			host := strings.TrimPrefix(ts.URL, "https://")
			if want := "the TLS certificate of " + host + " was not trusted"; !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
			if !strings.Contains(r.stdout, "SSL_CERT_FILE") {
				t.Errorf("the error does not say how to trust a private authority:\n%s", r.stdout)
			}
		})
	}
}
