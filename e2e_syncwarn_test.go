package main_test

import (
	"strings"
	"testing"
)

func TestBinarySyncWarnsOfASelectedSecretWithNoRepository(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.writeManifest(t, "secrets:\n  NPM_TOKEN:\n    visibility: selected\n")
	r := f.action(t, map[string]string{"operation": "sync", "secrets": "NPM_TOKEN=v", "dry-run": "true"})
	wantExit(t, r, 0)
	want := "::warning file=.github/codespaces-secrets.yml,line=2,col=3::NPM_TOKEN is selected with no repository: no codespace can use it"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no warning %q:\n%s", want, r.stdout)
	}
	f.writeManifest(t, "secrets:\n  NPM_TOKEN:\n    visibility: selected\n    repositories: []\n")
	deliberate := f.action(t, map[string]string{"operation": "sync", "secrets": "NPM_TOKEN=v", "dry-run": "true"})
	wantExit(t, deliberate, 0)
	if strings.Contains(deliberate.stdout, "::warning") {
		t.Errorf("an explicit empty list warned:\n%s", deliberate.stdout)
	}
	if r.requestsInTotal != deliberate.requestsInTotal || r.writes != 0 {
		t.Errorf("the warning cost requests: %d, against %d without it; %d writes", r.requestsInTotal, deliberate.requestsInTotal, r.writes)
	}
}
