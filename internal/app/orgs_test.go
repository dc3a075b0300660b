package app

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs/inputstest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

const testAppID = "12345"

// orgsFake is several organizations behind one fake GitHub, on the clock
// the run uses (the App's JWT is checked against it).
type orgsFake struct {
	*fakegithubtest.Orgs
	url   string
	clock *fakeclock.Clock
	names []string
	web   map[string]int64 // the id of each organization's repository web
}

// newOrgs starts alpha, beta and gamma (or the logins given), each with
// the repositories web and api, and the test App installed in installed.
func newOrgs(t *testing.T, logins, installed []string) *orgsFake {
	t.Helper()
	var app *fakegithub.App
	if installed != nil {
		app = testApp(installed)
	}
	return newOrgsWith(t, logins, app)
}

// testApp is the test App, installed in the organizations installed.
func testApp(installed []string) *fakegithub.App {
	return &fakegithub.App{ID: 12345, ClientID: "Iv23liTestClient", PublicKey: &appauthtest.Key().PublicKey, Installed: installed}
}

// newOrgsWith is newOrgs with the App given (nil: none) and more options
// for every organization's Server.
func newOrgsWith(t *testing.T, logins []string, app *fakegithub.App, opts ...fakegithub.Option) *orgsFake {
	t.Helper()
	clock := newFakeClock()
	opts = append([]fakegithub.Option{fakegithub.WithToken(testToken), fakegithub.WithClock(clock.Now)}, opts...)
	o, url := fakegithubtest.StartOrgs(t, app, logins, opts...)
	web := map[string]int64{}
	for _, login := range logins {
		web[login] = o.Server(login).AddRepo("web").ID
		o.Server(login).AddRepo("api")
	}
	return &orgsFake{Orgs: o, url: url, clock: clock, names: logins, web: web}
}

// counts are the writes and reads every organization's Server received.
func (f *orgsFake) counts() (writes, reads int) {
	for _, n := range f.names {
		writes += f.Server(n).Writes()
		reads += f.Server(n).Count("GET")
	}
	return writes, reads
}

// run runs the action with a token (or the App, see app) on the fake.
func (f *orgsFake) run(t *testing.T, in map[string]string, opts ...Option) actionRun {
	t.Helper()
	with := map[string]string{"token": testToken, "api-url": f.url}
	maps.Copy(with, in)
	return runActionWith(t, with, f.counts, append([]Option{WithClock(f.clock)}, opts...)...)
}

// app is in with App authentication instead of the token.
func app(in map[string]string) map[string]string {
	out := map[string]string{"token": "", "app-id": testAppID, "private-key": appauthtest.PKCS1()}
	maps.Copy(out, in)
	return out
}

// orgEntry is one entry of a run's result on several organizations.
type orgEntry struct {
	Org    string `json:"org"`
	Name   string `json:"name"`
	Action string `json:"action"`
	Error  string `json:"error"`
}

func entries(t *testing.T, r actionRun) []orgEntry {
	t.Helper()
	return reporttest.DecodeResult[[]orgEntry](t, r.outputs)
}

func TestSetInSeveralOrganizationsWithAToken(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"beta", "alpha"}, nil)
	f.Server("alpha").AddSecret("NPM_TOKEN", "old", fakegithub.VisibilitySelected, f.web["alpha"])
	r := f.run(t, map[string]string{"org": "beta, alpha", "name": "NPM_TOKEN", "value": "new-value"})
	wantCode(t, r, ExitOK)
	got := entries(t, r)
	want := []orgEntry{{Org: "alpha", Name: "NPM_TOKEN", Action: "update"}, {Org: "beta", Name: "NPM_TOKEN", Action: "create"}}
	if !slices.Equal(got, want) {
		t.Errorf("result = %+v, want %+v (organization order)", got, want)
	}
	wantSecret(t, f.Server("alpha"), "NPM_TOKEN", "new-value", "selected", f.web["alpha"])
	wantSecret(t, f.Server("beta"), "NPM_TOKEN", "new-value", "private")
	for _, line := range []string{"plan: update NPM_TOKEN in alpha", "plan: create NPM_TOKEN in beta"} {
		if !strings.Contains(r.stdout, line) {
			t.Errorf("the log lacks %q:\n%s", line, r.stdout)
		}
	}
	if a, b := strings.Index(r.summary, "set in alpha"), strings.Index(r.summary, "set in beta"); a < 0 || b < a {
		t.Errorf("the summary is not grouped by organization, alpha first:\n%s", r.summary)
	}
	if r.outputs["changed"] != "true" || r.outputs["stale"] != "[]" {
		t.Errorf("changed = %s, stale = %s", r.outputs["changed"], r.outputs["stale"])
	}
	wantNoLeak(t, r, "new-value")
}

func TestEachOrganizationCostsWhatOneDoes(t *testing.T) {
	t.Parallel()
	one := newOrgs(t, []string{"alpha"}, nil)
	r1 := one.run(t, map[string]string{"org": "alpha", "secrets": "A=1\nB=2"})
	wantCode(t, r1, ExitOK)
	three := newOrgs(t, []string{"alpha", "beta", "gamma"}, nil)
	r3 := three.run(t, map[string]string{"org": "alpha,beta,gamma", "secrets": "A=1\nB=2"})
	wantCode(t, r3, ExitOK)
	if r3.reads != 3*r1.reads || r3.writes != 3*r1.writes {
		t.Errorf("three organizations: %d reads, %d writes; one: %d, %d", r3.reads, r3.writes, r1.reads, r1.writes)
	}
	for _, n := range three.names {
		if w := three.Server(n).Writes(); w != r1.writes {
			t.Errorf("%s received %d writes, want %d", n, w, r1.writes)
		}
	}
}

func TestListInSeveralOrganizations(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("beta").AddSecret("Z", "v", fakegithub.VisibilityAll)
	f.Server("beta").AddSecret("A", "v", fakegithub.VisibilityAll)
	f.Server("alpha").AddSecret("M", "v", fakegithub.VisibilityPrivate)
	r := f.run(t, map[string]string{"org": "alpha\nbeta", "operation": "list"})
	wantCode(t, r, ExitOK)
	got := entries(t, r)
	want := []orgEntry{{Org: "alpha", Name: "M"}, {Org: "beta", Name: "A"}, {Org: "beta", Name: "Z"}}
	if !slices.Equal(got, want) {
		t.Errorf("result = %+v, want %+v", got, want)
	}
}

func TestOneOrganizationsFailureDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta", "gamma"}, nil)
	f.Server("beta").Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/beta/codespaces/secrets", Status: 403, Body: `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`})
	r := f.run(t, map[string]string{"org": "alpha,beta,gamma", "name": "A", "value": "v"})
	wantCode(t, r, ExitFailed)
	wantSecret(t, f.Server("alpha"), "A", "v", "private")
	wantSecret(t, f.Server("gamma"), "A", "v", "private")
	if _, ok := f.Server("beta").Secret("A"); ok {
		t.Error("beta was written")
	}
	if !strings.Contains(r.stdout, "::error::organization beta: ") {
		t.Errorf("beta's failure is not reported:\n%s", r.stdout)
	}
	got := entries(t, r)
	if len(got) != 2 || got[0].Org != "alpha" || got[1].Org != "gamma" {
		t.Errorf("result = %+v, want alpha's and gamma's changes", got)
	}
}

func TestAProblemInOneOrganizationStopsEveryWrite(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("alpha").AddRepo("only-in-alpha")
	r := f.run(t, map[string]string{"org": "alpha,beta", "name": "A", "value": "v", "visibility": "selected", "repositories": "only-in-alpha"})
	wantCode(t, r, ExitUsage)
	if w, _ := f.counts(); w != 0 {
		t.Errorf("%d writes, want none in any organization", w)
	}
	if !strings.Contains(r.stdout, "organization beta: `repositories`: repository \"beta/only-in-alpha\" was not found") {
		t.Errorf("the problem does not name beta:\n%s", r.stdout)
	}
	if len(r.outputs) != 0 {
		t.Errorf("outputs %v, want none", r.outputs)
	}
}

// appUse checks the App's tokens: one per organization, asking for perms,
// used only on its organization, and revoked.
func appUse(t *testing.T, f *orgsFake, orgs []string, perms map[string]string) {
	t.Helper()
	toks := f.Tokens()
	var got []string
	for _, tok := range toks {
		got = append(got, tok.Org)
		if !maps.Equal(tok.Permissions, perms) {
			t.Errorf("the token of %s asked for %v, want %v", tok.Org, tok.Permissions, perms)
		}
		if !tok.Revoked {
			t.Errorf("the token of %s was not revoked", tok.Org)
		}
		for _, u := range tok.Uses {
			if u.Org != "" && u.Org != tok.Org {
				t.Errorf("the token of %s was used on %s: %s %s", tok.Org, u.Org, u.Method, u.Path)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, orgs) {
		t.Errorf("tokens minted for %v, want one for each of %v", got, orgs)
	}
}

func TestAppSetsInEveryOrganizationWithATokenEach(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta", "gamma"}, []string{"alpha", "beta", "gamma"})
	r := f.run(t, app(map[string]string{"org": "alpha,beta,gamma", "name": "NPM_TOKEN", "value": "s3cret-value"}))
	wantCode(t, r, ExitOK)
	for _, n := range f.names {
		wantSecret(t, f.Server(n), "NPM_TOKEN", "s3cret-value", "private")
	}
	appUse(t, f, []string{"alpha", "beta", "gamma"}, map[string]string{"organization_codespaces_secrets": "write"})
	for _, tok := range f.Tokens() {
		mask := "::add-mask::" + tok.Token
		at := strings.Index(r.stdout, mask)
		if at < 0 {
			t.Errorf("the token of %s was never masked", tok.Org)
			continue
		}
		if first := strings.Index(r.stdout, tok.Token); first < at+len("::add-mask::") {
			t.Errorf("the token of %s appears before its mask", tok.Org)
		}
		if strings.Count(r.stdout, tok.Token) != 1 || strings.Contains(r.summary+r.outputs["result"], tok.Token) {
			t.Errorf("the token of %s appears beyond its mask", tok.Org)
		}
	}
	wantNoLeak(t, r, "s3cret-value")
}

func TestAppListAsksOnlyToRead(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	f.Server("beta").AddSecret("B", "v", fakegithub.VisibilityAll)
	r := f.run(t, app(map[string]string{"org": "alpha,beta", "operation": "list"}))
	wantCode(t, r, ExitOK)
	appUse(t, f, []string{"alpha", "beta"}, map[string]string{"organization_codespaces_secrets": "read"})
	if got := entries(t, r); len(got) != 1 || got[0].Org != "beta" {
		t.Errorf("result = %+v", got)
	}
}

func TestAppLooksRepositoriesUpOnlyWithMetadata(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	r := f.run(t, app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v", "visibility": "selected", "repositories": "web"}))
	wantCode(t, r, ExitOK)
	appUse(t, f, []string{"alpha", "beta"}, map[string]string{"organization_codespaces_secrets": "write", "metadata": "read"})
	wantSecret(t, f.Server("beta"), "A", "v", "selected", f.web["beta"])
}

func TestAppStarMeansEveryInstallation(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta", "gamma"}, []string{"gamma", "alpha"})
	r := f.run(t, app(map[string]string{"org": "*", "name": "A", "value": "v"}))
	wantCode(t, r, ExitOK)
	appUse(t, f, []string{"alpha", "gamma"}, map[string]string{"organization_codespaces_secrets": "write"})
	if _, ok := f.Server("beta").Secret("A"); ok {
		t.Error("beta, where the App is not installed, was written")
	}
	got := entries(t, r)
	if len(got) != 2 || got[0].Org != "alpha" || got[1].Org != "gamma" {
		t.Errorf("result = %+v", got)
	}
}

func TestAppNotInstalledIsFoundBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta", "gamma"}, []string{"alpha", "beta"})
	r := f.run(t, app(map[string]string{"org": "alpha,beta,gamma", "name": "A", "value": "v"}))
	wantCode(t, r, ExitUsage)
	if w, _ := f.counts(); w != 0 {
		t.Errorf("%d writes, want none anywhere", w)
	}
	if !strings.Contains(r.stdout, "the App 12345 is not installed in organization gamma") {
		t.Errorf("the log does not name gamma:\n%s", r.stdout)
	}
	for _, tok := range f.Tokens() {
		if !tok.Revoked {
			t.Errorf("the token of %s was not revoked", tok.Org)
		}
	}
}

func TestAppWithABadKeyIsAnInputError(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha"}, []string{"alpha"})
	const line = "MIIEpAIBAAKCAQEAzzzzzzzzzzzzzzzzzzzzzzzz"
	r := f.run(t, app(map[string]string{"org": "alpha", "operation": "list", "private-key": "-----BEGIN RSA PRIVATE KEY-----\n" + line + "\n-----END RSA PRIVATE KEY-----"}))
	wantCode(t, r, ExitUsage)
	if len(f.Requests()) != 0 || f.Server("alpha").Count("") != 0 {
		t.Error("a request was sent")
	}
	if !strings.Contains(r.stdout, "`private-key`:") {
		t.Errorf("the error does not name private-key:\n%s", r.stdout)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.Contains(l, line) && !strings.HasPrefix(l, "::add-mask::") {
			t.Errorf("the key appears beyond its masks: %s", l)
		}
	}
	if !strings.Contains(r.stdout, "::add-mask::"+line+"\n") {
		t.Error("the key's line is not masked on its own")
	}
}

func TestAppOnOneOrganizationGivesTheTokensOutputs(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha"}, []string{"alpha"})
	viaApp := f.run(t, app(map[string]string{"org": "alpha", "name": "A", "value": "v"}))
	wantCode(t, viaApp, ExitOK)
	g := newOrgs(t, []string{"alpha"}, nil)
	viaToken := g.run(t, map[string]string{"org": "alpha", "name": "A", "value": "v"})
	wantCode(t, viaToken, ExitOK)
	if viaApp.outputs["result"] != viaToken.outputs["result"] || viaApp.summary != viaToken.summary {
		t.Errorf("the App's run differs from the token's:\n%s\n%s\n%s\n%s", viaApp.outputs["result"], viaToken.outputs["result"], viaApp.summary, viaToken.summary)
	}
	if viaApp.reads != viaToken.reads || viaApp.writes != viaToken.writes {
		t.Errorf("the App's run sent %d reads and %d writes to the organization, the token's %d and %d", viaApp.reads, viaApp.writes, viaToken.reads, viaToken.writes)
	}
	var res []map[string]any
	if err := json.Unmarshal([]byte(viaApp.outputs["result"]), &res); err != nil || res[0]["org"] != "alpha" {
		t.Errorf("result %s lacks org", viaApp.outputs["result"])
	}
}

// wantNoLeak fails when secret appears anywhere but in a mask command.
func wantNoLeak(t *testing.T, r actionRun, secret string) {
	t.Helper()
	for _, l := range strings.Split(r.stdout+"\n"+r.stderr+"\n"+r.summary, "\n") {
		if strings.Contains(l, secret) && !strings.HasPrefix(l, "::add-mask::") {
			t.Errorf("a secret leaked: %s", l)
		}
	}
	for name, v := range r.outputs {
		if strings.Contains(v, secret) {
			t.Errorf("a secret leaked into output %s", name)
		}
	}
}

func TestAppRevokesEveryTokenAfterACancellation(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The run is cancelled while alpha's write hangs.
	f.Server("alpha").Inject(fakegithubtest.Fault{Method: "PUT", Path: "/orgs/alpha/codespaces/secrets/A", Stall: true, Before: cancel})
	in := app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v", "api-url": f.url})
	env := inputstest.ActionEnv(t, in)
	dir := t.TempDir()
	env["GITHUB_ACTIONS"], env["GITHUB_OUTPUT"], env["GITHUB_STEP_SUMMARY"] = "true", filepath.Join(dir, "out"), filepath.Join(dir, "sum")
	var stdout bytes.Buffer
	code := Main(ctx, []string{"codespaces-org-secrets"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stdout, WithClock(f.clock))
	if code == ExitOK {
		t.Errorf("a cancelled run exited 0:\n%s", stdout.String())
	}
	toks := f.Tokens()
	if len(toks) != 2 {
		t.Fatalf("%d tokens minted, want 2", len(toks))
	}
	for _, tok := range toks {
		if !tok.Revoked {
			t.Errorf("the token of %s was not revoked after the cancellation", tok.Org)
		}
	}
}

func TestAFailedRevocationIsAWarning(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha"}, []string{"alpha"})
	f.Server("alpha").AddSecret("A", "v", fakegithub.VisibilityAll)
	f.FailRevocations(503)
	r := f.run(t, app(map[string]string{"org": "alpha", "operation": "list"}))
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.stdout, "::warning::could not revoke the installation token of organization alpha") {
		t.Errorf("no warning for the failed revocation:\n%s", r.stdout)
	}
	if got := entries(t, r); len(got) != 1 || got[0].Name != "A" {
		t.Errorf("result %+v", got)
	}
}

func TestFindingsInOneOrganizationAndFailuresInAnother(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	f.Server("alpha").AddSecret("A", "v", fakegithub.VisibilityAll)
	r := f.run(t, map[string]string{"org": "alpha,beta", "operation": "get", "name": "A"})
	wantCode(t, r, ExitFindings) // beta has no A: a finding, not a failure
	if r.outputs["exit-code"] != "3" {
		t.Errorf("exit-code output %q, want 3", r.outputs["exit-code"])
	}
	f.Server("beta").Inject(fakegithubtest.Fault{Method: "GET", Path: "/orgs/beta/codespaces/secrets/A", Status: 403, Body: `{"message":"Forbidden","documentation_url":"https://docs.github.com/rest"}`})
	r = f.run(t, map[string]string{"org": "alpha,beta", "operation": "get", "name": "A"})
	wantCode(t, r, ExitFailed)
	if r.outputs["exit-code"] != "1" {
		t.Errorf("exit-code output %q, want 1", r.outputs["exit-code"])
	}
	if got := entries(t, r); len(got) != 1 || got[0].Org != "alpha" {
		t.Errorf("result %+v, want alpha's A", got)
	}
}

func TestPublicKeysOfSeveralOrganizations(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"beta", "alpha"}, nil)
	r := f.run(t, map[string]string{"org": "alpha,beta", "operation": "public-key"})
	wantCode(t, r, ExitOK)
	var keys []struct {
		Org   string `json:"org"`
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}
	if err := json.Unmarshal([]byte(r.outputs["result"]), &keys); err != nil {
		t.Fatal(err)
	}
	alphaID, alphaKey := f.Server("alpha").PublicKey()
	if len(keys) != 2 || keys[0].Org != "alpha" || keys[1].Org != "beta" || keys[0].Key != alphaKey || keys[0].KeyID == "" || alphaID == "" {
		t.Errorf("result %s", r.outputs["result"])
	}
	if _, ok := r.outputs["key"]; ok {
		t.Error("a run on several organizations wrote the key output, which holds one key")
	}
}
