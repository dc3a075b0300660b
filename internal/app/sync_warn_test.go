package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// selectedWithNone is the warning sync gives for NPM_TOKEN at line 2 of
// the default manifest.
const selectedWithNone = "::warning file=.github/codespaces-secrets.yml,line=2,col=3::NPM_TOKEN is selected with no repository: no codespace can use it; list its repositories under `repositories:`, or make it private\n"

func TestSyncWarnsOfASecretLeftSelectedWithNoRepository(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, manifest, dryRun string
		existing               string // NPM_TOKEN's visibility before the run; "" for none
		warns                  bool
	}{
		{"a new secret", "secrets:\n  NPM_TOKEN:\n    visibility: selected\n", "false", "", true},
		{"a new secret, in a dry run", "secrets:\n  NPM_TOKEN:\n    visibility: selected\n", "true", "", true},
		{"a private secret made selected", "secrets:\n  NPM_TOKEN:\n    visibility: selected\n", "false", fakegithub.VisibilityPrivate, true},
		{"a selected secret keeps its list", "secrets:\n  NPM_TOKEN:\n    visibility: selected\n", "false", fakegithub.VisibilitySelected, false},
		{"an explicit empty list is deliberate", "secrets:\n  NPM_TOKEN:\n    visibility: selected\n    repositories: []\n", "false", "", false},
		{"a secret visible to all", "secrets:\n  NPM_TOKEN:\n    visibility: all\n", "false", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			if tt.existing != "" {
				var repos []int64
				if tt.existing == fakegithub.VisibilitySelected {
					repos = []int64{ids["web"]}
				}
				srv.AddSecret("NPM_TOKEN", "old", tt.existing, repos...)
			}
			read := func(string) ([]byte, error) { return []byte(tt.manifest), nil }
			r := runAction(t, srv, map[string]string{"operation": "sync", "secrets": "NPM_TOKEN=v", "dry-run": tt.dryRun}, WithReadFile(read))
			wantCode(t, r, ExitOK)
			if got := strings.Contains(r.stdout, selectedWithNone); got != tt.warns {
				t.Errorf("warned %v, want %v:\n%s", got, tt.warns, r.stdout)
			}
			if tt.dryRun == "true" && r.writes != 0 {
				t.Errorf("a dry run sent %d writes", r.writes)
			}
		})
	}
}

func TestSyncWarnsOfASelectedSecretWithNoRepositoryInItsOrganizationsSection(t *testing.T) {
	t.Parallel()
	f := newOrgs(t, []string{"alpha", "beta"}, nil)
	path := filepath.Join(testWorkspace, ".github", "codespaces-secrets.yml")
	manifest := "organizations:\n  alpha:\n    secrets:\n      NPM_TOKEN:\n        visibility: all\n  beta:\n    secrets:\n      NPM_TOKEN:\n        visibility: selected\n"
	read := func(p string) ([]byte, error) {
		if p != path {
			return nil, os.ErrNotExist
		}
		return []byte(manifest), nil
	}
	r := f.run(t, map[string]string{"operation": "sync", "org": "alpha,beta", "manifest": path, "secrets": "NPM_TOKEN=v"}, WithReadFile(read))
	wantCode(t, r, ExitOK)
	want := "::warning file=.github/codespaces-secrets.yml,line=8,col=7::NPM_TOKEN in organization beta is selected with no repository"
	if !strings.Contains(r.stdout, want) || strings.Count(r.stdout, "::warning") != 1 {
		t.Errorf("want one warning %q:\n%s", want, r.stdout)
	}
}
