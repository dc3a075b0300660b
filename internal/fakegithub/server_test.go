package fakegithub

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		auth    string
		status  int
		message string
	}{
		{"a bearer token is accepted", "Bearer " + testToken, 200, ""},
		{"the token scheme is accepted", "token " + testToken, 200, ""},
		{"the scheme is case-insensitive", "bearer " + testToken, 200, ""},
		{"no Authorization header is 401", "", 401, "Requires authentication"},
		{"another token is 401", "Bearer nope", 401, "Bad credentials"},
		{"a token without a scheme is 401", testToken, 401, "Bad credentials"},
		{"basic auth is 401", "Basic " + testToken, 401, "Bad credentials"},
		{"a prefix of the token is 401", "Bearer " + testToken[:3], 401, "Bad credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := start(t)
			req, _ := http.NewRequest(http.MethodGet, c.base+"/orgs/acme/codespaces/secrets", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			r := result{status: resp.StatusCode, header: resp.Header, body: b}.want(t, tt.status)
			if tt.status == 401 {
				if e := r.apiErr(t); e.Message != tt.message || e.Status != "401" {
					t.Errorf("error %+v, want %q", e, tt.message)
				}
				if l := r.header.Get("X-Ratelimit-Limit"); l != "60" {
					t.Errorf("x-ratelimit-limit %q, want GitHub's unauthenticated 60", l)
				}
			}
			if got := srv.Requests()[0].Status; got != tt.status {
				t.Errorf("logged status %d", got)
			}
		})
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		perm       Permission
		method     string
		path       string
		status     int
		message    string
		permHeader string
	}{
		{"a token without admin:org gets 404 on the list", NoAccess404, http.MethodGet, "/orgs/acme/codespaces/secrets", 404, "Not Found", ""},
		{"a token without admin:org gets 404 on the key", NoAccess404, http.MethodGet, "/orgs/acme/codespaces/secrets/public-key", 404, "Not Found", ""},
		{"a token without admin:org gets 404 on a write", NoAccess404, http.MethodPut, "/orgs/acme/codespaces/secrets/A", 404, "Not Found", ""},
		{"a token without admin:org still reads repositories", NoAccess404, http.MethodGet, "/repos/acme/web", 200, "", ""},
		{"an app without the permission gets 403 on a read", Forbidden403, http.MethodGet, "/orgs/acme/codespaces/secrets/A", 403, "Resource not accessible by integration", "organization_codespaces_secrets=read"},
		{"an app without the permission gets 403 on a write", Forbidden403, http.MethodDelete, "/orgs/acme/codespaces/secrets/A", 403, "Resource not accessible by integration", "organization_codespaces_secrets=write"},
		{"an app without the permission still reads repositories", Forbidden403, http.MethodGet, "/repos/acme/web", 200, "", ""},
		{"an unknown organization is 404 before the permission", Forbidden403, http.MethodGet, "/orgs/other/codespaces/secrets", 404, "Not Found", ""},
		{"a full token gets its answer", Full, http.MethodGet, "/orgs/acme/codespaces/secrets/A", 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := start(t, WithPermission(tt.perm))
			srv.AddRepo("web")
			srv.AddSecret("A", "v", "all")
			r := c.do(tt.method, tt.path, `{"visibility":"private"}`).want(t, tt.status)
			if tt.message != "" {
				if e := r.apiErr(t); e.Message != tt.message || e.Status != strconv.Itoa(tt.status) || !strings.HasPrefix(e.DocumentationURL, "https://docs.github.com/rest/codespaces/") {
					t.Errorf("error %+v", e)
				}
			}
			if got := r.header.Get("X-Accepted-Github-Permissions"); got != tt.permHeader {
				t.Errorf("x-accepted-github-permissions %q, want %q", got, tt.permHeader)
			}
			if tt.perm == NoAccess404 && strings.HasPrefix(tt.path, "/orgs/") && r.header.Get("X-Accepted-Oauth-Scopes") != "admin:org" {
				t.Errorf("x-accepted-oauth-scopes %q, want admin:org", r.header.Get("X-Accepted-Oauth-Scopes"))
			}
			wantState(t, srv, "A", "v", "all")
		})
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		base      string
		path      string // the full path requested
		status    int
		unmatched bool
	}{
		{"serves under the default base path", "", "/api/v3/orgs/acme/codespaces/secrets", 200, false},
		{"a request without the base path is 404 and unmatched", "", "/orgs/acme/codespaces/secrets", 404, true},
		{"a longer first segment is not the base path", "", "/api/v3x/orgs/acme/codespaces/secrets", 404, true},
		{"the base path alone is unmatched", "", "/api/v3", 404, true},
		{"a custom base path is enforced", "/ghes/api/", "/ghes/api/orgs/acme/codespaces/secrets", 200, false},
		{"the default base path is not the custom one", "/ghes/api", "/api/v3/orgs/acme/codespaces/secrets", 404, true},
		{"the root serves like api.github.com", "/", "/orgs/acme/codespaces/secrets", 200, false},
		{"an unknown route is unmatched", "", "/api/v3/orgs/acme/actions/secrets", 404, true},
		{"a trailing slash is unmatched", "", "/api/v3/orgs/acme/codespaces/secrets/", 404, true},
		{"an empty segment is unmatched", "", "/api/v3/orgs//codespaces/secrets", 404, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var opts []Option
			if tt.base != "" {
				opts = append(opts, WithBasePath(tt.base))
			}
			srv, c, _ := start(t, opts...)
			host := strings.TrimSuffix(c.base, srv.basePath)
			r := c.doURL(http.MethodGet, host+tt.path, nil).want(t, tt.status)
			if tt.status == 404 {
				if e := r.apiErr(t); e.Message != "Not Found" {
					t.Errorf("error %+v", e)
				}
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Unmatched != tt.unmatched || reqs[0].Path != tt.path {
				t.Errorf("logged %+v, want one request for %s, unmatched %v", reqs, tt.path, tt.unmatched)
			}
			if n := len(srv.Unmatched()); n != map[bool]int{true: 1}[tt.unmatched] {
				t.Errorf("Unmatched() has %d requests", n)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	srv := New()
	if srv.URL() != "" {
		t.Error("URL() of a server that is not listening is not empty")
	}
	if srv.Org() != DefaultOrg || srv.Token() != DefaultToken {
		t.Errorf("defaults %q %q", srv.Org(), srv.Token())
	}
}

func TestMethodsGitHubDoesNotHaveAreUnmatched(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	srv.AddSecret("A", "v", "selected")
	for _, tt := range []struct{ method, path string }{
		{http.MethodPost, "/orgs/acme/codespaces/secrets"},
		{http.MethodDelete, "/orgs/acme/codespaces/secrets"},
		{http.MethodPatch, "/orgs/acme/codespaces/secrets/A"},
		{http.MethodPost, "/orgs/acme/codespaces/secrets/A"},
		{http.MethodDelete, "/orgs/acme/codespaces/secrets/A/repositories"},
		{http.MethodGet, "/orgs/acme/codespaces/secrets/A/repositories/1296269"},
		{http.MethodPut, "/repos/acme/web"},
	} {
		c.do(tt.method, tt.path, nil).want(t, http.StatusNotFound)
	}
	if n := len(srv.Unmatched()); n != 7 {
		t.Errorf("%d unmatched, want 7", n)
	}
	if n := srv.Writes(); n != 6 {
		t.Errorf("Writes() = %d, want 6 (every PUT, POST, PATCH and DELETE, whatever the answer)", n)
	}
	wantState(t, srv, "A", "v", "selected")
}

func TestPublicKeyIsNotASecretName(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/public-key", `{"visibility":"all"}`).want(t, http.StatusUnprocessableEntity)
	c.do(http.MethodDelete, "/orgs/acme/codespaces/secrets/public-key", nil).want(t, http.StatusNotFound)
	if n := len(srv.Unmatched()); n != 0 {
		t.Errorf("%d unmatched: PUT and DELETE on public-key route to {secret_name}", n)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	_, c, clock := start(t)
	reset := strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10)
	for i := 1; i <= 3; i++ {
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
		want := map[string]string{
			"X-Ratelimit-Limit":     "5000",
			"X-Ratelimit-Remaining": strconv.Itoa(5000 - i),
			"X-Ratelimit-Used":      strconv.Itoa(i),
			"X-Ratelimit-Reset":     reset,
			"X-Ratelimit-Resource":  "core",
		}
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
		clock.Advance(time.Minute)
	}
	t.Run("a 404 counts too", func(t *testing.T) {
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/NOPE", nil).want(t, http.StatusNotFound)
		if got := r.header.Get("X-Ratelimit-Remaining"); got != "4996" {
			t.Errorf("remaining %q, want 4996", got)
		}
	})
	t.Run("the window starts again after its reset", func(t *testing.T) {
		clock.Advance(time.Hour)
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
		if r.header.Get("X-Ratelimit-Remaining") != "4999" || r.header.Get("X-Ratelimit-Reset") != strconv.FormatInt(clock.Now().Add(time.Hour).Unix(), 10) {
			t.Errorf("remaining %q reset %q after the window", r.header.Get("X-Ratelimit-Remaining"), r.header.Get("X-Ratelimit-Reset"))
		}
	})
	t.Run("GitHub's other headers are sent", func(t *testing.T) {
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
		if r.header.Get("X-Github-Api-Version-Selected") != "2022-11-28" || r.header.Get("X-Github-Request-Id") == "" || r.header.Get("X-Oauth-Scopes") != "admin:org, repo" {
			t.Errorf("headers %v", r.header)
		}
	})
}

func TestListenServesUntilStopped(t *testing.T) {
	t.Parallel()
	srv := New(WithToken(testToken), WithBasePath("/gh"))
	base, stop, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/gh") || srv.URL() != base {
		t.Fatalf("base %q, URL() %q", base, srv.URL())
	}
	c := &client{t: t, base: base, token: testToken, hc: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
	stop()
	stop() // a second stop is harmless
	if r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil); r.err == nil {
		t.Errorf("the server still answers after stop: %d", r.status)
	}
}

func TestLatencyEndsWithTheRequest(t *testing.T) {
	t.Parallel()
	srv := New(WithToken(testToken), WithLatency(time.Hour), withLog())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/v3/orgs/acme/codespaces/secrets", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req) // returns at once: the request is gone
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 {
		t.Errorf("logged %+v, want one abandoned request with status 0", reqs)
	}
}

func TestServeHTTPWorksWithoutANetwork(t *testing.T) {
	t.Parallel()
	srv := New(WithToken(testToken))
	srv.AddSecret("A", "v", "selected")
	req := httptest.NewRequest(http.MethodGet, "https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets", nil)
	req.Header.Set("Authorization", "token "+testToken)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"selected_repositories_url":"https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets/A/repositories"`) {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestConcurrentWritesAreAllApplied(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	web := srv.AddRepo("web")
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			name := fmt.Sprintf("S_%02d", i)
			if r := c.put(srv, name, name+"-value", "selected", web.ID); r.err != nil || r.status != http.StatusCreated {
				t.Errorf("%s: %d %v", name, r.status, r.err)
			}
			c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/"+name, nil)
		})
	}
	wg.Wait()
	if n := len(srv.Secrets()); n != 40 {
		t.Fatalf("%d secrets, want 40", n)
	}
	for i := range 40 {
		name := fmt.Sprintf("S_%02d", i)
		wantState(t, srv, name, name+"-value", "selected", web.ID)
	}
	if srv.Count("") != 80 || srv.Writes() != 40 {
		t.Errorf("Count %d, Writes %d", srv.Count(""), srv.Writes())
	}
}

func TestOptionsSkipNilAndEmptyValues(t *testing.T) {
	t.Parallel()
	srv := New(nil, WithOrg(""), WithToken(""), WithRand(nil), WithClock(nil))
	if srv.Org() != DefaultOrg || srv.Token() != DefaultToken || srv.rand == nil || srv.now == nil {
		t.Errorf("org %q token %q", srv.Org(), srv.Token())
	}
	if p := Forbidden403.String(); p != "Forbidden403" {
		t.Errorf("String() = %q", p)
	}
}
