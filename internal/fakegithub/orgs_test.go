package fakegithub

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
)

const testAppID = 12345

// startOrgs serves alpha, beta and gamma with the test App installed in
// alpha and beta, on a fake clock, and returns a client without a token.
func startOrgs(t *testing.T) (*Orgs, *client, *fakeClock) {
	t.Helper()
	clock := newClock()
	var servers []*Server
	for _, login := range []string{"alpha", "beta", "gamma"} {
		servers = append(servers, New(WithOrg(login), WithToken(testToken), WithClock(clock.Now), withLog()))
	}
	o := NewOrgs(&App{ID: testAppID, PublicKey: &appauthtest.Key().PublicKey, Installed: []string{"alpha", "beta"}}, servers...)
	base, stop, err := o.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return o, &client{t: t, base: base, hc: &http.Client{Transport: tr}}, clock
}

// jwt signs claims with the test key, as an App would.
func jwt(t *testing.T, claims map[string]any, key *rsa.PrivateKey) string {
	t.Helper()
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	c, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	signed := h + "." + base64.RawURLEncoding.EncodeToString(c)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func goodClaims(now time.Time) map[string]any {
	return map[string]any{"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix(), "iss": fmt.Sprint(testAppID)}
}

func TestOrgsChecksTheAppsJWT(t *testing.T) {
	t.Parallel()
	_, c, clock := startOrgs(t)
	now := clock.Now()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		token  string
		status int
	}{
		{"a good JWT is accepted", jwt(t, goodClaims(now), appauthtest.Key()), 200},
		{"another key's signature is refused", jwt(t, goodClaims(now), other), 401},
		{"an expired JWT is refused", jwt(t, map[string]any{"iat": now.Add(-11 * time.Minute).Unix(), "exp": now.Add(-time.Minute).Unix(), "iss": "12345"}, appauthtest.Key()), 401},
		{"exp more than 10 minutes after iat is refused", jwt(t, map[string]any{"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(10 * time.Minute).Unix(), "iss": "12345"}, appauthtest.Key()), 401},
		{"iat in the future is refused", jwt(t, map[string]any{"iat": now.Add(time.Minute).Unix(), "exp": now.Add(5 * time.Minute).Unix(), "iss": "12345"}, appauthtest.Key()), 401},
		{"another App's iss is refused", jwt(t, map[string]any{"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(5 * time.Minute).Unix(), "iss": "999"}, appauthtest.Key()), 401},
		{"a classic token is refused", testToken, 401},
	}
	for _, tt := range tests {
		c.token = tt.token
		c.do("GET", "/app/installations", nil).want(t, tt.status)
	}
}

func TestOrgsFindsInstallationsAndPagesTheirList(t *testing.T) {
	t.Parallel()
	_, c, clock := startOrgs(t)
	c.token = jwt(t, goodClaims(clock.Now()), appauthtest.Key())
	var in struct{ ID int64 }
	c.do("GET", "/orgs/BETA/installation", nil).want(t, 200).decode(t, &in)
	if in.ID == 0 {
		t.Error("no installation id")
	}
	if e := c.do("GET", "/orgs/gamma/installation", nil).want(t, 404).apiErr(t); e.Message != "Not Found" {
		t.Errorf("message %q", e.Message)
	}
	r := c.do("GET", "/app/installations?per_page=1", nil).want(t, 200)
	var page1 []struct{ Account struct{ Login string } }
	r.decode(t, &page1)
	next := strings.TrimSuffix(strings.TrimPrefix(strings.Split(r.header.Get("Link"), ";")[0], "<"), ">")
	var page2 []struct{ Account struct{ Login string } }
	c.doURL("GET", next, nil).want(t, 200).decode(t, &page2)
	if len(page1) != 1 || len(page2) != 1 || page1[0].Account.Login != "alpha" || page2[0].Account.Login != "beta" {
		t.Errorf("pages %v %v, want alpha then beta", page1, page2)
	}
}

func TestOrgsListsInstallationsOnUsersAfterTheOrganizations(t *testing.T) {
	t.Parallel()
	clock := newClock()
	o := NewOrgs(&App{ID: testAppID, PublicKey: &appauthtest.Key().PublicKey, Installed: []string{"alpha"}, Users: []string{"octocat"}},
		New(WithOrg("alpha"), WithToken(testToken), WithClock(clock.Now)))
	base, stop, err := o.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	c := &client{t: t, base: base, hc: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, token: jwt(t, goodClaims(clock.Now()), appauthtest.Key())}
	var list []struct {
		Account    struct{ Login string }
		TargetType string `json:"target_type"`
	}
	c.do("GET", "/app/installations", nil).want(t, 200).decode(t, &list)
	if len(list) != 2 || list[0].Account.Login != "alpha" || list[0].TargetType != "Organization" || list[1].Account.Login != "octocat" || list[1].TargetType != "User" {
		t.Errorf("installations %+v, want alpha's then octocat's (a user)", list)
	}
}

func TestOrgsInstallationTokensKeepToTheirOrgAndPermissions(t *testing.T) {
	t.Parallel()
	o, c, clock := startOrgs(t)
	o.Server("beta").AddRepo("web")
	c.token = jwt(t, goodClaims(clock.Now()), appauthtest.Key())
	var in struct{ ID int64 }
	c.do("GET", "/orgs/alpha/installation", nil).want(t, 200).decode(t, &in)
	var tok struct{ Token string }
	c.do("POST", fmt.Sprintf("/app/installations/%d/access_tokens", in.ID), map[string]any{"permissions": map[string]string{"organization_codespaces_secrets": "read"}}).want(t, 201).decode(t, &tok)
	c.do("POST", fmt.Sprintf("/app/installations/%d/access_tokens", in.ID), map[string]any{"permissions": map[string]string{"administration": "write"}}).want(t, 422)

	c.token = tok.Token
	c.do("GET", "/orgs/alpha/codespaces/secrets", nil).want(t, 200)
	c.do("GET", "/orgs/beta/codespaces/secrets", nil).want(t, 404) // another organization
	r := c.do("DELETE", "/orgs/alpha/codespaces/secrets/X", nil).want(t, 403)
	if got := r.header.Get("X-Accepted-Github-Permissions"); got != "organization_codespaces_secrets=write" {
		t.Errorf("X-Accepted-GitHub-Permissions = %q", got)
	}
	c.do("GET", "/repos/alpha/web", nil).want(t, 403) // no metadata permission
	c.do("DELETE", "/installation/token", nil).want(t, 204)
	c.do("GET", "/orgs/alpha/codespaces/secrets", nil).want(t, 401)

	toks := o.Tokens()
	if len(toks) != 1 || !toks[0].Revoked || toks[0].Org != "alpha" || toks[0].Permissions["organization_codespaces_secrets"] != "read" {
		t.Errorf("tokens = %+v", toks)
	}
	if o.Writes() != 0 {
		t.Errorf("%d writes reached a Server", o.Writes())
	}
}

func TestOrgsInstallationTokensSeeOnlyTheirOrganizationsRepositories(t *testing.T) {
	t.Parallel()
	o, c, clock := startOrgs(t)
	o.Server("alpha").AddRepo("web")
	o.Server("beta").AddRepo("web")
	c.token = jwt(t, goodClaims(clock.Now()), appauthtest.Key())
	var tok struct{ Token string }
	c.do("POST", "/app/installations/7000001/access_tokens", map[string]any{"permissions": map[string]string{"metadata": "read"}}).want(t, 201).decode(t, &tok)
	c.token = tok.Token
	c.do("GET", "/repos/alpha/web", nil).want(t, 200)
	c.do("GET", "/repos/beta/web", nil).want(t, 404)    // another organization of Orgs
	c.do("GET", "/repos/octocat/web", nil).want(t, 404) // an owner outside them
	if n := o.Server("beta").Count(""); n != 0 {
		t.Errorf("beta received %d requests made with alpha's token", n)
	}
}

func TestOrgsTokensExpireAfterAnHour(t *testing.T) {
	t.Parallel()
	_, c, clock := startOrgs(t)
	c.token = jwt(t, goodClaims(clock.Now()), appauthtest.Key())
	var tok struct{ Token string }
	c.do("POST", "/app/installations/7000001/access_tokens", nil).want(t, 201).decode(t, &tok)
	c.token = tok.Token
	clock.Advance(InstallationTokenLifetime)
	c.do("GET", "/orgs/alpha/codespaces/secrets", nil).want(t, 401)
}

func TestOrgsPassesAClassicTokenToTheOrganizationsServer(t *testing.T) {
	t.Parallel()
	o, c, _ := startOrgs(t)
	o.Server("gamma").AddSecret("TOKEN", "v", VisibilityAll)
	c.token = testToken
	var list struct {
		TotalCount int `json:"total_count"`
	}
	c.do("GET", "/orgs/gamma/codespaces/secrets", nil).want(t, 200).decode(t, &list)
	if list.TotalCount != 1 {
		t.Errorf("gamma has %d secrets, want 1", list.TotalCount)
	}
	c.do("GET", "/orgs/delta/codespaces/secrets", nil).want(t, 404)
	if n := o.Server("alpha").Count(""); n != 0 {
		t.Errorf("alpha received %d requests", n)
	}
}

func TestOrgsSuspendedInstallationHasSuspendedAtAndMintsNoToken(t *testing.T) {
	t.Parallel()
	o, c, clock := startOrgs(t)
	o.Suspend("Beta")
	c.token = jwt(t, goodClaims(clock.Now()), appauthtest.Key())
	var alpha, beta map[string]any
	c.do("GET", "/orgs/alpha/installation", nil).want(t, 200).decode(t, &alpha)
	c.do("GET", "/orgs/beta/installation", nil).want(t, 200).decode(t, &beta)
	if v, ok := alpha["suspended_at"]; !ok || v != nil {
		t.Errorf("alpha's suspended_at = %v (present %v), want null: GitHub's schema requires it", v, ok)
	}
	if beta["suspended_at"] != timestamp(SuspendedAt) {
		t.Errorf("beta's suspended_at = %v, want %s", beta["suspended_at"], timestamp(SuspendedAt))
	}
	var refusal struct{ Message string }
	c.do("POST", fmt.Sprintf("/app/installations/%d/access_tokens", int64(beta["id"].(float64))), nil).want(t, 403).decode(t, &refusal)
	if refusal.Message != "This installation has been suspended" {
		t.Errorf("message %q, want GitHub's", refusal.Message)
	}
	c.do("POST", fmt.Sprintf("/app/installations/%d/access_tokens", int64(alpha["id"].(float64))), nil).want(t, 201)
	if toks := o.Tokens(); len(toks) != 1 || toks[0].Org != "alpha" {
		t.Errorf("tokens = %+v, want alpha's only", toks)
	}
}
