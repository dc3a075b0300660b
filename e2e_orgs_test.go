package main_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs/inputstest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

// orgsFixture is alpha, beta and gamma behind one fake GitHub, with the
// test App installed where the test says.
type orgsFixture struct {
	*fakegithubtest.Orgs
	url   string
	dir   string
	names []string
}

func newOrgsFixture(t *testing.T, installed ...string) *orgsFixture {
	t.Helper()
	if err := readSources(); err != nil {
		t.Fatal(err)
	}
	logins := []string{"alpha", "beta", "gamma"}
	app := &fakegithub.App{ID: 4242, PublicKey: &appauthtest.Key().PublicKey, Installed: installed}
	o, url := fakegithubtest.StartOrgs(t, app, logins, fakegithub.WithToken(token))
	return &orgsFixture{Orgs: o, url: url, dir: t.TempDir(), names: logins}
}

func (f *orgsFixture) writes() int {
	n := 0
	for _, l := range f.names {
		n += f.Server(l).Writes()
	}
	return n
}

// action runs the binary as a step with in (and the fake's api-url).
func (f *orgsFixture) action(t *testing.T, in map[string]string) result {
	t.Helper()
	outFile, sumFile := filepath.Join(t.TempDir(), "output"), filepath.Join(t.TempDir(), "summary")
	with := map[string]string{"api-url": f.url}
	maps.Copy(with, in)
	env := []string{"GITHUB_ACTIONS=true", "GITHUB_OUTPUT=" + outFile, "GITHUB_STEP_SUMMARY=" + sumFile}
	for k, v := range inputstest.ActionEnv(t, with) {
		env = append(env, k+"="+v)
	}
	r := (&fixture{srv: f.Server("alpha"), dir: f.dir}).exec(t, env, "", nil)
	r.outputs = reporttest.ReadOutputs(t, outFile)
	b, _ := os.ReadFile(sumFile)
	r.summary = string(b)
	return r
}

// withApp is in with the App's id and key.
func withApp(in map[string]string) map[string]string {
	out := map[string]string{"app-id": "4242", "private-key": appauthtest.PKCS1()}
	maps.Copy(out, in)
	return out
}

func resultOrgs(t *testing.T, r result) []string {
	t.Helper()
	var es []struct{ Org string }
	if err := json.Unmarshal([]byte(r.outputs["result"]), &es); err != nil {
		t.Fatalf("result %q: %v", r.outputs["result"], err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Org)
	}
	return out
}

func TestBinarySetsWithAnAppInEveryOrganization(t *testing.T) {
	f := newOrgsFixture(t, "alpha", "beta", "gamma")
	r := f.action(t, withApp(map[string]string{"org": "gamma,alpha,beta", "name": "NPM_TOKEN", "value": "e2e-app-value"}))
	wantExit(t, r, 0)
	for _, n := range f.names {
		if s, ok := f.Server(n).Secret("NPM_TOKEN"); !ok || s.Value != "e2e-app-value" {
			t.Errorf("%s: %+v", n, s)
		}
	}
	if got := resultOrgs(t, r); !slices.Equal(got, []string{"alpha", "beta", "gamma"}) {
		t.Errorf("result orgs %v", got)
	}
	for _, tok := range f.Tokens() {
		if tok.Permissions["organization_codespaces_secrets"] != "write" || len(tok.Permissions) != 1 || !tok.Revoked {
			t.Errorf("token of %s: %v, revoked %v", tok.Org, tok.Permissions, tok.Revoked)
		}
		for _, u := range tok.Uses {
			if u.Org != "" && u.Org != tok.Org {
				t.Errorf("the token of %s was used on %s", tok.Org, u.Org)
			}
		}
		at := strings.Index(r.stdout, "::add-mask::"+tok.Token)
		if at < 0 || strings.Index(r.stdout, tok.Token) < at {
			t.Errorf("the token of %s is not masked first", tok.Org)
		}
	}
	if len(f.Tokens()) != 3 {
		t.Errorf("%d tokens, want 3", len(f.Tokens()))
	}
	for _, l := range strings.Split(r.stdout+r.summary, "\n") {
		if strings.Contains(l, "e2e-app-value") && !strings.HasPrefix(l, "::add-mask::") {
			t.Errorf("the value leaked: %s", l)
		}
	}
}

func TestBinaryListsSeveralOrganizationsWithAToken(t *testing.T) {
	f := newOrgsFixture(t)
	f.Server("beta").AddSecret("B", "v", "all")
	f.Server("alpha").AddSecret("A", "v", "all")
	r := f.action(t, map[string]string{"token": token, "org": "beta,alpha", "operation": "list"})
	wantExit(t, r, 0)
	if got := resultOrgs(t, r); !slices.Equal(got, []string{"alpha", "beta"}) {
		t.Errorf("result orgs %v", got)
	}
	if !strings.Contains(r.summary, "list in alpha") || !strings.Contains(r.summary, "list in beta") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestBinaryAppStarAndNotInstalled(t *testing.T) {
	f := newOrgsFixture(t, "beta", "gamma")
	r := f.action(t, withApp(map[string]string{"org": "*", "name": "A", "value": "v"}))
	wantExit(t, r, 0)
	if got := resultOrgs(t, r); !slices.Equal(got, []string{"beta", "gamma"}) {
		t.Errorf("result orgs %v", got)
	}
	before := f.writes()
	r = f.action(t, withApp(map[string]string{"org": "alpha,beta", "name": "B", "value": "v"}))
	wantExit(t, r, 2)
	if !strings.Contains(r.stdout, "the App 4242 is not installed in organization alpha") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if f.writes() != before {
		t.Error("a write was sent")
	}
}

func TestBinaryRefusesABadKeyBeforeAnyRequest(t *testing.T) {
	f := newOrgsFixture(t, "alpha")
	r := f.action(t, withApp(map[string]string{"org": "alpha", "operation": "list", "private-key": "not a key"}))
	wantExit(t, r, 2)
	if len(f.Requests()) != 0 || f.Server("alpha").Count("") != 0 {
		t.Error("a request was sent")
	}
	if !strings.Contains(r.stdout, "`private-key`: it is not a PEM block") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestBinaryReadsTheAppKeyFromAFileOnAWorkstation(t *testing.T) {
	f := newOrgsFixture(t, "alpha", "beta")
	keyFile := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(keyFile, []byte(appauthtest.PKCS8()), 0o600); err != nil {
		t.Fatal(err)
	}
	fx := &fixture{srv: f.Server("alpha"), dir: f.dir}
	r := fx.exec(t, []string{"GH_APP_PRIVATE_KEY_FILE=" + keyFile}, "", []string{"list", "--app-id", "4242", "--org", "alpha,beta", "--api-url", f.url})
	wantExit(t, r, 0)
	if !strings.HasPrefix(r.stdout, "[") || len(f.Tokens()) != 2 {
		t.Errorf("stdout %q, %d tokens", r.stdout, len(f.Tokens()))
	}
	r = fx.exec(t, nil, "", []string{"list", "--app-id", "4242", "--private-key", "secret-key-text", "--org", "alpha", "--api-url", f.url})
	wantExit(t, r, 2)
	if !strings.Contains(r.stderr, "the private key is not a flag") || strings.Contains(r.stderr, "secret-key-text") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestBinaryExportOfTwoOrganizationsThenSyncWritesNothing(t *testing.T) {
	f := newOrgsFixture(t, "alpha", "beta")
	f.Server("alpha").AddSecret("A", "v", "private")
	f.Server("beta").AddSecret("B", "v", "all")
	in := func(op string) map[string]string {
		return withApp(map[string]string{"org": "alpha,beta", "operation": op, "prune": map[string]string{"sync": "true", "export": "false"}[op]})
	}
	r := f.action(t, in("export"))
	wantExit(t, r, 0)
	manifest, err := os.ReadFile(filepath.Join(f.dir, ".github", "codespaces-secrets.yml"))
	if err != nil || !strings.Contains(string(manifest), "organizations:\n  alpha:\n    secrets:\n      A:\n") {
		t.Fatalf("manifest %s: %v", manifest, err)
	}
	before := f.writes()
	r = f.action(t, in("sync"))
	wantExit(t, r, 0)
	if f.writes() != before || r.outputs["changed"] != "false" {
		t.Errorf("sync of the export wrote %d times, changed = %s", f.writes()-before, r.outputs["changed"])
	}
}
