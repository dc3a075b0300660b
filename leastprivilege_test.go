package main_test

import (
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// Tokens of the kinds a least-privilege set-up uses, for the fake GitHub.
const (
	readOnlyToken = "github_pat_e2e_read_only"
	classicToken  = "ghp_e2e_repo_read_org"
)

// newTokensFixture is a fixture whose fake also accepts a fine-grained
// token with "Organization codespaces secrets": Read-only, and a classic
// token with the scopes repo and read:org, and holds a selected secret A
// (web) and a secret B visible to all.
func newTokensFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, fakegithub.WithFineGrainedToken(readOnlyToken, fakegithub.ReadOnly), fakegithub.WithClassicToken(classicToken, "repo", "read:org"))
	f.srv.AddSecret("A", "a", "selected", f.ids["web"])
	f.srv.AddSecret("B", "b", "all")
	return f
}

// Every read, and every operation in a dry run, needs only read access:
// the README's pull-request and read-only recipes give them a read-only
// token.
func TestBinaryReadOnlyTokenRunsEveryReadAndDryRun(t *testing.T) {
	t.Parallel()
	f := newTokensFixture(t)
	f.writeManifest(t, "secrets:\n  A:\n    visibility: selected\n    repositories: [web, api]\n  C:\n    visibility: all\n")
	for _, in := range []map[string]string{
		{"operation": "list"},
		{"operation": "get", "name": "A, B"},
		{"operation": "get", "name": "A"},
		{"operation": "list-repositories", "name": "A"},
		{"operation": "public-key"},
		{"operation": "sync", "dry-run": "true", "prune": "true", "secrets": "C=c"},
		{"operation": "set", "dry-run": "true", "name": "A", "value": "new"},
		{"operation": "set", "dry-run": "true", "secrets": "B=1\nD=2", "visibility": "selected", "repositories": "web"},
		{"operation": "delete", "dry-run": "true", "name": "A,B"},
		{"operation": "set-repositories", "dry-run": "true", "name": "A", "repositories": "api"},
		{"operation": "add-repositories", "dry-run": "true", "name": "A", "repositories": "docs"},
		{"operation": "remove-repositories", "dry-run": "true", "name": "A", "repositories": "web"},
		{"operation": "export", "dry-run": "true"},
		{"operation": "export", "manifest": "exported.yml"},
	} {
		t.Run(in["operation"], func(t *testing.T) {
			in["token"] = readOnlyToken
			r := f.action(t, in)
			wantExit(t, r, 0)
			if r.writes != 0 || strings.Contains(r.stdout, "::error::") {
				t.Errorf("%d writes; stdout:\n%s", r.writes, r.stdout)
			}
		})
	}
	f.wantSecret(t, "A", "a", "selected", "web")
}

// A write with the read-only token is refused, and the message says what
// the token lacks in the words of GitHub's settings page, and its kind.
func TestBinaryReadOnlyTokenSetSaysWhatItLacks(t *testing.T) {
	t.Parallel()
	f := newTokensFixture(t)
	r := f.action(t, map[string]string{"token": readOnlyToken, "name": "A", "value": "new"})
	wantExit(t, r, 1)
	for _, want := range []string{
		`::error::update A failed: secret A: GitHub refused the request (403): the token needs the organization permission "Organization codespaces secrets": Read and write`,
		"(the token is a fine-grained personal access token)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(strings.Replace(r.stdout, "::add-mask::"+readOnlyToken+"\n", "", 1)+r.stderr+r.summary, readOnlyToken) {
		t.Error("the token is in the output")
	}
	f.wantSecret(t, "A", "a", "selected", "web")
}

// A classic token without admin:org gets 404 from GitHub; the message
// names the scopes it has and the one it lacks.
func TestBinaryClassicTokenWithoutAdminOrgNamesTheScopes(t *testing.T) {
	t.Parallel()
	f := newTokensFixture(t)
	for _, in := range []map[string]string{
		{"token": classicToken, "operation": "list"},
		{"token": classicToken, "name": "A", "value": "new"},
	} {
		r := f.action(t, in)
		wantExit(t, r, 1)
		want := "this classic personal access token has the scopes repo, read:org; these endpoints need admin:org"
		if !strings.Contains(r.stdout, want) || !strings.Contains(r.summary, "admin:org") {
			t.Errorf("%s: stdout or summary lacks %q:\n%s\n%s", in["operation"], want, r.stdout, r.summary)
		}
		if r.writes != 0 {
			t.Errorf("%d writes", r.writes)
		}
	}
}

// The first refused PUT stops the run's writes: the other four are not
// sent, and the reason is given once.
func TestBinaryARefusedWriteStopsTheRun(t *testing.T) {
	t.Parallel()
	f := newTokensFixture(t)
	puts := f.srv.Count("PUT")
	r := f.action(t, map[string]string{"token": readOnlyToken, "secrets": "S1=1\nS2=2\nS3=3\nS4=4\nS5=5"})
	wantExit(t, r, 1)
	if n := f.srv.Count("PUT") - puts; n != 1 {
		t.Errorf("%d PUTs, want 1: the first refusal stops the writes", n)
	}
	if n := strings.Count(r.stdout, "Read and write"); n != 1 {
		t.Errorf("the reason is given %d times, want once:\n%s", n, r.stdout)
	}
	if n := strings.Count(r.stdout, "::error::create S"); n != 5 || strings.Count(r.stdout, "not run: GitHub refused the change of S1") != 4 {
		t.Errorf("want S1's refusal and 4 changes not run:\n%s", r.stdout)
	}
}
