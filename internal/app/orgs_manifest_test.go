package app

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest/manifesttest"
)

func TestExportOfTwoOrganizationsThenSyncWritesNothing(t *testing.T) {
	t.Parallel()
	for _, auth := range []string{"token", "app"} {
		t.Run(auth, func(t *testing.T) {
			t.Parallel()
			var installed []string
			if auth == "app" {
				installed = []string{"alpha", "beta"}
			}
			f := newOrgs(t, []string{"alpha", "beta"}, installed)
			f.Server("alpha").AddSecret("NPM_TOKEN", "v", fakegithub.VisibilitySelected, f.web["alpha"])
			f.Server("alpha").AddSecret("SENTRY_DSN", "v", fakegithub.VisibilityAll)
			f.Server("beta").AddSecret("NPM_TOKEN", "v", fakegithub.VisibilityPrivate)
			path := filepath.Join(t.TempDir(), "codespaces-secrets.yml")
			in := func(m map[string]string) map[string]string {
				m["org"], m["manifest"] = "beta,alpha", path
				if auth == "app" {
					return app(m)
				}
				return m
			}

			r := f.run(t, in(map[string]string{"operation": "export"}))
			wantCode(t, r, ExitOK)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := `organizations:
  alpha:
    secrets:
      NPM_TOKEN:
        visibility: selected
        repositories:
          - web
      SENTRY_DSN:
        visibility: all
  beta:
    secrets:
      NPM_TOKEN:
        visibility: private
`
			if !strings.HasSuffix(string(got), want) || !strings.Contains(string(got), "organizations alpha, beta") {
				t.Errorf("the manifest is\n%s\nwant it to end with\n%s", got, want)
			}
			if err := manifesttest.ValidateAgainstSchema(schemaPath, got); err != nil {
				t.Errorf("the export fails the schema: %v", err)
			}
			if res := r.outputs["result"]; !strings.Contains(res, `"secrets":["alpha/NPM_TOKEN","alpha/SENTRY_DSN","beta/NPM_TOKEN"]`) || !strings.Contains(res, `"organizations":["alpha","beta"]`) {
				t.Errorf("result %s", res)
			}

			for _, prune := range []string{"false", "true"} {
				r = f.run(t, in(map[string]string{"operation": "sync", "prune": prune}))
				wantCode(t, r, ExitOK)
				if r.writes != 0 || r.outputs["changed"] != "false" {
					t.Errorf("prune %s: %d writes, changed = %s\n%s", prune, r.writes, r.outputs["changed"], r.stdout)
				}
				for _, e := range entries(t, r) {
					if e.Action != "unchanged" {
						t.Errorf("prune %s: sync plans %+v", prune, e)
					}
				}
			}
			if auth == "app" {
				// export reads; sync writes, and its manifest names a
				// repository (web) it may have to look up.
				for i, tok := range f.Tokens() {
					want := map[string]string{"organization_codespaces_secrets": "write", "metadata": "read"}
					if i < 2 {
						want = map[string]string{"organization_codespaces_secrets": "read"}
					}
					if !maps.Equal(tok.Permissions, want) || !tok.Revoked {
						t.Errorf("token %d of %s: %v (revoked %v), want %v", i, tok.Org, tok.Permissions, tok.Revoked, want)
					}
				}
			}
		})
	}
}

func TestSyncOfSeveralOrganizationsNeedsTheOrganizationsForm(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta", "gamma"}, nil)
	dir := t.TempDir()
	single := filepath.Join(dir, "single.yml")
	several := filepath.Join(dir, "several.yml")
	if err := os.WriteFile(single, []byte("secrets:\n  A:\n    visibility: all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(several, []byte("organizations:\n  alpha:\n    secrets:\n      A:\n        visibility: all\n  beta:\n    secrets: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, org, path, want string
	}{
		{"a single-organization manifest", "alpha,beta", single, "lists the secrets of one organization, and this run works on several"},
		{"an organization the manifest does not name", "alpha,gamma", several, "organization gamma: `org`: organization gamma is not in the manifest"},
	}
	for _, tt := range tests {
		r := f.run(t, map[string]string{"operation": "sync", "org": tt.org, "manifest": tt.path, "secrets": "A=v"})
		wantCode(t, r, ExitUsage)
		if !strings.Contains(r.stdout, tt.want) {
			t.Errorf("%s: the log lacks %q:\n%s", tt.name, tt.want, r.stdout)
		}
		if w, _ := f.counts(); w != 0 {
			t.Errorf("%s: %d writes", tt.name, w)
		}
	}
	// One organization of a manifest in the organizations form: its section.
	r := f.run(t, map[string]string{"operation": "sync", "org": "alpha", "manifest": several, "secrets": "A=v"})
	wantCode(t, r, ExitOK)
	wantSecret(t, f.Server("alpha"), "A", "v", "all")
}
