package githubapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

func TestNewSendsRequestsUnderTheBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, baseURL, wantKeyURL string
	}{
		{"takes api.github.com", "https://api.github.com", "https://api.github.com/orgs/acme/codespaces/secrets/public-key"},
		{"keeps the base path of GitHub Enterprise Server", "https://ghes.example.com/api/v3", "https://ghes.example.com/api/v3/orgs/acme/codespaces/secrets/public-key"},
		{"takes a GHE.com subdomain", "https://api.octocorp.ghe.com", "https://api.octocorp.ghe.com/orgs/acme/codespaces/secrets/public-key"},
		{"treats the default port as the same host", "https://api.github.com:443", "https://api.github.com:443/orgs/acme/codespaces/secrets/public-key"},
		{"takes plain http on 127.0.0.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080/orgs/acme/codespaces/secrets/public-key"},
		{"takes plain http on ::1 with a base path", "http://[::1]:9000/api", "http://[::1]:9000/api/orgs/acme/codespaces/secrets/public-key"},
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
			base := parseURL(t, tt.baseURL)
			c, err := New(base, testToken, WithHTTPClient(&http.Client{Transport: mock}))
			if err != nil {
				t.Fatalf("New(%q): %v", tt.baseURL, err)
			}
			if _, err := c.GetPublicKey(context.Background(), testOrg); err != nil {
				t.Fatalf("GetPublicKey: %v", err)
			}
			if n := mock.GetTotalCallCount(); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
			if base.String() != tt.baseURL {
				t.Errorf("New changed the caller's URL to %q", base)
			}
		})
	}
}

// New's caller checks the URL (package inputs does); New refuses only what
// it cannot use at all, as a programming mistake: it does not speak of the
// action's inputs, and never repeats a password.
func TestNewRefusesABaseURLThatIsNotAbsolute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base *url.URL
		want string
	}{
		{"refuses nil", nil, `not ""`},
		{"refuses a URL without a scheme", &url.URL{Host: "api.github.com"}, `not "//api.github.com"`},
		{"refuses a relative path", &url.URL{Path: "api/v3"}, `not "api/v3"`},
		{"refuses a URL without a host", &url.URL{Scheme: "https", Path: "/api/v3"}, `not "https:///api/v3"`},
		{"refuses a password without a host", &url.URL{Scheme: "https", User: url.UserPassword("x", "hunter2"), Path: "/api/v3"}, "xxxxx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.base, testToken)
			if c != nil {
				t.Error("New returned a client with its error")
			}
			wantErr(t, err, "githubapi.New needs an absolute base URL", tt.want)
			for _, input := range []string{"`api-url`", "`token`", "hunter2", testToken} {
				if strings.Contains(err.Error(), input) {
					t.Errorf("error %q contains %q", err, input)
				}
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

// An answer that points elsewhere names the API's origin and says to check
// the API URL, under the name the caller gives it.
func TestAnAnswerPointingElsewhereSaysWhichAPIURLToCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, wantCheck string
		opts            []Option
	}{
		{"by default", "check the API URL, or whether a proxy rewrites GitHub's answers", nil},
		{"under the caller's name", "check `the-url`, or whether a proxy rewrites GitHub's answers", []Option{WithAPIURLName("`the-url`")}},
		{"keeping the default for an empty name", "check the API URL, or", []Option{WithAPIURLName("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tt.opts...)
			f.on("GET", "/repos/acme/old", reply(http.StatusFound, "", "Location", "https://elsewhere.example.org/repos/acme/new"))
			_, err := f.client.GetRepo(context.Background(), "acme", "old")
			wantErr(t, err, `a 302 redirect to "https://elsewhere.example.org", which is not the API at "https://ghes.example.com"`, tt.wantCheck)

			first := "/orgs/acme/codespaces/secrets"
			f.onQuery("GET", first, "per_page=100", reply(200, secretsPage(2, "A"), "Link", link("next", "https://evil.example.net/api/v3"+first+"?page=2")))
			_, err = f.client.ListSecrets(context.Background(), testOrg)
			wantErr(t, err, `its next-page link goes to "https://evil.example.net", which is not the API at "https://ghes.example.com"`, tt.wantCheck)
			f.calls(map[string]int{"GET /repos/acme/old": 1, "GET " + first + "?per_page=100": 1})
		})
	}
}

func TestNewSkipsNilOptions(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	mock.RegisterResponder("GET", testBase+"/orgs/acme/codespaces/secrets/FOO", reply(200, secretJSON("FOO", "all")))
	c, err := New(parseURL(t, testBase), testToken, nil, WithHTTPClient(nil), WithClock(nil), WithRand(nil), WithMaxPages(0),
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
	c, err := New(parseURL(t, testBase), testToken, WithHTTPClient(injected), WithClock(fakeclock.New(testEpoch)))
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
