package githubapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

func TestNewAcceptsGitHubsAPIURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, baseURL, wantKeyURL string
	}{
		{"defaults to api.github.com", "", "https://api.github.com/orgs/acme/codespaces/secrets/public-key"},
		{"takes api.github.com", "https://api.github.com", "https://api.github.com/orgs/acme/codespaces/secrets/public-key"},
		{"tolerates a trailing slash", "https://api.github.com/", "https://api.github.com/orgs/acme/codespaces/secrets/public-key"},
		{"keeps the base path of GitHub Enterprise Server", "https://ghes.example.com/api/v3", "https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets/public-key"},
		{"keeps the base path with a trailing slash", "https://ghes.example.com/api/v3/", "https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets/public-key"},
		{"takes a GHE.com subdomain", "https://api.octocorp.ghe.com", "https://api.octocorp.ghe.com/orgs/acme/codespaces/secrets/public-key"},
		{"lower-cases the scheme and host", "HTTPS://API.GitHub.com", "https://api.github.com/orgs/acme/codespaces/secrets/public-key"},
		{"treats the default port as the same host", "https://api.github.com:443", "https://api.github.com:443/orgs/acme/codespaces/secrets/public-key"},
		{"allows plain http on 127.0.0.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080/orgs/acme/codespaces/secrets/public-key"},
		{"allows plain http on 127.0.0.0/8", "http://127.1.2.3:8080/api", "http://127.1.2.3:8080/api/orgs/acme/codespaces/secrets/public-key"},
		{"allows plain http on ::1", "http://[::1]:9000", "http://[::1]:9000/orgs/acme/codespaces/secrets/public-key"},
		{"allows plain http on localhost", "http://localhost:9000/", "http://localhost:9000/orgs/acme/codespaces/secrets/public-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
			mock.RegisterResponder("GET", tt.wantKeyURL, check(
				reply(200, `{"key_id":"1","key":"`+validKey+`"}`),
				func(r *http.Request) { testHeader(t, r, "Authorization", "Bearer "+testToken) },
			))
			c, err := New(tt.baseURL, testToken, WithHTTPClient(&http.Client{Transport: mock}))
			if err != nil {
				t.Fatalf("New(%q): %v", tt.baseURL, err)
			}
			if _, err := c.GetPublicKey(context.Background(), testOrg); err != nil {
				t.Fatalf("GetPublicKey: %v", err)
			}
			if n := mock.GetTotalCallCount(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
		})
	}
}

func TestNewRefusesUnusableAPIURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, baseURL string
		want          []string
	}{
		{"refuses plain http to a remote host", "http://ghes.example.com/api/v3", []string{"`api-url`", `"http://ghes.example.com/api/v3"`, "plain http", "loopback"}},
		{"refuses plain http to a private address", "http://10.0.0.1", []string{"`api-url`", "plain http"}},
		{"refuses a host that only looks like localhost", "http://localhost.example.com", []string{"`api-url`", "plain http"}},
		{"refuses another scheme", "ftp://ghes.example.com", []string{"`api-url`", `scheme "ftp"`}},
		{"refuses a URL without a scheme", "api.github.com", []string{"`api-url`", "not an absolute URL"}},
		{"refuses a query", "https://api.github.com?x=1", []string{"`api-url`", "query"}},
		{"refuses the website", "https://github.com", []string{"`api-url`", "https://api.github.com"}},
		{"refuses what does not parse", "https://[::1", []string{"`api-url`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.baseURL, testToken)
			wantErr(t, err, tt.want...)
		})
	}
}

func TestNewNeverRepeatsCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, baseURL, token, input string }{
		{"refuses a password in api-url", "https://x-access-token:hunter2@ghes.example.com/api/v3", testToken, "`api-url`"},
		{"refuses an empty token", testBase, "  ", "`token`"},
		{"refuses a token with a line break", testBase, "ghp_abc\nhunter2", "`token`"},
		{"refuses a token with a space inside", testBase, "ghp_abc hunter2", "`token`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.baseURL, tt.token)
			wantErr(t, err, tt.input)
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q repeats the credential", err)
			}
		})
	}
}

func TestRequestsCarryGitHubsHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		wantUA  string
		comment string
	}{
		{name: "defaults the user agent to dev", wantUA: "codespaces-org-secrets/dev"},
		{name: "puts a bare version in the user agent", opts: []Option{WithUserAgent("1.4.0")}, wantUA: "codespaces-org-secrets/1.4.0"},
		{name: "takes a full user agent as it is", opts: []Option{WithUserAgent("codespaces-org-secrets/2.0.1")}, wantUA: "codespaces-org-secrets/2.0.1"},
		{name: "fills in an empty version", opts: []Option{WithUserAgent("codespaces-org-secrets/")}, wantUA: "codespaces-org-secrets/dev"},
		{name: "ignores a user agent with a line break", opts: []Option{WithUserAgent("x/1\r\nX-Evil: 1")}, wantUA: "codespaces-org-secrets/dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.opts...)
			f.on("GET", "/orgs/acme/codespaces/secrets/FOO", check(reply(200, secretJSON("FOO", "all")), func(r *http.Request) {
				testMethod(t, r, "GET")
				testHeader(t, r, "Accept", "application/vnd.github+json")
				testHeader(t, r, "X-GitHub-Api-Version", "2022-11-28")
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				testHeader(t, r, "User-Agent", tt.wantUA)
			}))
			if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
				t.Fatal(err)
			}
			f.calls(map[string]int{"GET /orgs/acme/codespaces/secrets/FOO": 1})
		})
	}
}

func TestTokenGoesOnlyToTheAPIHost(t *testing.T) {
	t.Parallel()
	first := "/orgs/acme/codespaces/secrets"
	next := testBase + "/orgs/acme/codespaces/secrets?page=2&per_page=100"
	f := setup(t)
	f.onQuery("GET", first, "per_page=100", reply(200, secretsPage(2, "A"), "Link", link("next", next)))
	f.mock.RegisterResponder("GET", next, sequence(t, check(reply(200, secretsPage(2, "B")), func(r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
	})))
	got, err := f.client.ListSecrets(context.Background(), testOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("secrets = %d, want 2", len(got))
	}
	f.calls(map[string]int{"GET " + first + "?per_page=100": 1, "GET " + next: 1})
}

// A next-page link to another origin is refused before anything is sent
// there, and the error says where it pointed, not that the token is bad.
func TestANextPageOnAnotherOriginIsRefused(t *testing.T) {
	t.Parallel()
	first := "/orgs/acme/codespaces/secrets"
	for _, next := range []string{
		"https://evil.example.net/api/v3/orgs/acme/codespaces/secrets?page=2&per_page=100",
		"https://ghes.example.com:8443/api/v3/orgs/acme/codespaces/secrets?page=2&per_page=100",
	} {
		t.Run(next, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.onQuery("GET", first, "per_page=100", reply(200, secretsPage(2, "A"), "Link", link("next", next)))
			_, err := f.client.ListSecrets(context.Background(), testOrg)
			wantErr(t, err, "GitHub's answer pointed elsewhere", "nothing was sent there")
			if strings.Contains(err.Error(), "token") {
				t.Errorf("the error blames the token: %v", err)
			}
			f.calls(map[string]int{"GET " + first + "?per_page=100": 1})
		})
	}
}

func TestARedirectToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	moved := "https://elsewhere.example.org/repos/acme/new"
	f.on("GET", "/repos/acme/old", reply(http.StatusFound, "", "Location", moved))
	_, err := f.client.GetRepo(context.Background(), "acme", "old")
	wantErr(t, err, "GET /repos/acme/old: GitHub's answer pointed elsewhere: a 302 redirect to \"https://elsewhere.example.org\"", "nothing was sent there")
	f.calls(map[string]int{"GET /repos/acme/old": 1}) // nothing to elsewhere.example.org
}

func TestNewSkipsNilOptions(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mock.RegisterResponder("GET", testBase+"/orgs/acme/codespaces/secrets/FOO", reply(200, secretJSON("FOO", "all")))
	c, err := New(testBase, testToken, nil, WithHTTPClient(nil), WithClock(nil), WithRand(nil), WithMaxPages(0),
		WithWriteBurst(0, 0), WithMaxRateLimitWait(0), WithUserAgent(""), WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
}

func TestNewKeepsTheInjectedClientsRedirectPolicy(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mock.RegisterResponder("GET", testBase+"/repos/acme/old", reply(http.StatusMovedPermanently, `{"message":"Moved Permanently","url":"https://ghes.example.com/api/v3/repositories/7"}`, "Location", testBase+"/repositories/7"))
	stop := errors.New("no redirects here")
	injected := &http.Client{Transport: mock, CheckRedirect: func(*http.Request, []*http.Request) error { return stop }}
	c, err := New(testBase, testToken, WithHTTPClient(injected), WithClock(fakeclock.New(testEpoch)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetRepo(context.Background(), "acme", "old")
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the injected CheckRedirect's error", err)
	}
	if injected.Transport != mock {
		t.Error("New changed the injected client's Transport; it must wrap a copy")
	}
}
