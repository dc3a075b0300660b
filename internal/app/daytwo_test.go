package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// noValueSent fails when a request of the run carried a value.
func noValueSent(t *testing.T, srv *fakegithub.Server) {
	t.Helper()
	for _, rq := range srv.Requests() {
		if strings.Contains(string(rq.Body), "encrypted_value") || strings.Contains(string(rq.Body), "key_id") {
			t.Errorf("%s %s sent a value: %s", rq.Method, rq.Path, rq.Body)
		}
	}
}

func TestSetVisibilityChangesWhoCanSeeASecretAndNotItsValue(t *testing.T) {
	t.Parallel()
	t.Run("selected to all: 1 list and 1 PUT", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("SENTRY_DSN", "dsn", "selected", ids["web"])
		r := runAction(t, srv, map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN", "visibility": "all"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "SENTRY_DSN", "dsn", "all")
		noValueSent(t, srv)
		if r.reads != 1 || r.writes != 1 || r.outputs["changed"] != "true" {
			t.Errorf("%d reads, %d writes, changed=%s; want 1, 1, true", r.reads, r.writes, r.outputs["changed"])
		}
		if diff := cmp.Diff([]change{{Name: "SENTRY_DSN", Action: "update", Visibility: "all", Repositories: []string{}, Before: &scope{Visibility: "selected"}}}, changes(t, r)); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
		if !strings.Contains(r.stdout, "plan: update SENTRY_DSN (visibility selected → all), value kept") {
			t.Errorf("the plan does not say that no value is sent:\n%s", r.stdout)
		}
		if strings.Contains(r.summary, "keep the old") {
			t.Errorf("the summary speaks of a new value, though none was written:\n%s", r.summary)
		}
	})
	t.Run("all to selected, repositories by name", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("SENTRY_DSN", "dsn", "all")
		r := runAction(t, srv, map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN", "visibility": "selected", "repositories": "web, acme/api"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "SENTRY_DSN", "dsn", "selected", ids["web"], ids["api"])
		noValueSent(t, srv)
		if r.reads != 3 || r.writes != 1 {
			t.Errorf("%d reads, %d writes; want 3 (the list, 2 names) and 1", r.reads, r.writes)
		}
	})
	t.Run("several names, a selected one keeping its list", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("A", "a", "selected", ids["docs"])
		srv.AddSecret("B", "b", "private")
		r := runAction(t, srv, map[string]string{"operation": "set-visibility", "name": "A\nB", "visibility": "private"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "A", "a", "private")
		wantSecret(t, srv, "B", "b", "private")
		if got := actions(changes(t, r)); !cmp.Equal(got, []string{"update", "unchanged"}) || r.writes != 1 {
			t.Errorf("actions %v, %d writes", got, r.writes)
		}
		r = runAction(t, srv, map[string]string{"operation": "set-visibility", "name": "A", "visibility": "private"})
		wantCode(t, r, ExitOK)
		if r.writes != 0 || r.outputs["changed"] != "false" {
			t.Errorf("a second run: %d writes, changed=%s", r.writes, r.outputs["changed"])
		}
	})
	t.Run("a dry run writes nothing", func(t *testing.T) {
		t.Parallel()
		srv, _ := newServer(t)
		srv.AddSecret("A", "a", "all")
		r := runAction(t, srv, map[string]string{"operation": "set-visibility", "name": "A", "visibility": "private", "dry-run": "true"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "A", "a", "all")
		if r.writes != 0 || r.outputs["changed"] != "true" || !strings.Contains(r.summary, "Dry run") {
			t.Errorf("%d writes, changed=%s, summary:\n%s", r.writes, r.outputs["changed"], r.summary)
		}
	})
}

func TestSetVisibilityRefusesBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   map[string]string
		want string
	}{
		{"a missing name", map[string]string{"name": "A\nMISSING", "visibility": "private"},
			"secret MISSING does not exist, and set-visibility never creates one"},
		{"selected without repositories for a secret that is not selected", map[string]string{"name": "A", "visibility": "selected"},
			"secret A has visibility all, so it has no repository list to keep: give the repositories that may use it in `repositories`"},
		{"a repository that does not exist", map[string]string{"name": "A", "visibility": "selected", "repositories": "nope"},
			"`repositories`: repository \"acme/nope\" was not found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := newServer(t)
			srv.AddSecret("A", "a", "all")
			tt.in["operation"] = "set-visibility"
			r := runAction(t, srv, tt.in)
			wantCode(t, r, ExitUsage)
			if srv.Writes() != 0 || len(srv.Secrets()) != 1 {
				t.Errorf("%d writes, %d secrets: something was written", srv.Writes(), len(srv.Secrets()))
			}
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, r.stdout)
			}
		})
	}
}

// TestGrantingAccessWithoutAValueNeverStoresAnEmptyOne: the trap of issue
// 18: `set` with a visibility and no value points to set-visibility, and
// writes nothing.
func TestGrantingAccessWithoutAValueNeverStoresAnEmptyOne(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	srv.AddSecret("SENTRY_DSN", "dsn", "all")
	r := runAction(t, srv, map[string]string{"name": "SENTRY_DSN", "visibility": "selected", "repositories": "web"})
	wantCode(t, r, ExitUsage)
	if srv.Count("") != 0 {
		t.Errorf("%d requests, want none", srv.Count(""))
	}
	if !strings.Contains(r.stdout, "use `operation: set-visibility`") || strings.Contains(r.stdout, "allow-empty") {
		t.Errorf("the error does not point to set-visibility, or points to allow-empty:\n%s", r.stdout)
	}
	wantSecret(t, srv, "SENTRY_DSN", "dsn", "all")
}

func TestOverwriteFalseLeavesExistingValuesAlone(t *testing.T) {
	t.Parallel()
	t.Run("set", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("OLD", "old", "selected", ids["web"])
		r := runAction(t, srv, map[string]string{"secrets": "OLD=new\nNEW=fresh", "overwrite": "false"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "OLD", "old", "selected", ids["web"])
		wantSecret(t, srv, "NEW", "fresh", "private")
		if r.reads != 2 || r.writes != 1 {
			t.Errorf("%d reads, %d writes; want 2 (the list, the key) and 1", r.reads, r.writes)
		}
		if !strings.Contains(r.outputs["result"], `{"org":"acme","name":"OLD","action":"unchanged","visibility":"selected","before":{"visibility":"selected"},"value_written":false}`) {
			t.Errorf("result %s: OLD's list, not read, must be left out", r.outputs["result"])
		}
		if strings.Contains(r.stdout, "overwrite: false leaves it as it is") {
			t.Errorf("a warning about a scope left alone, though no visibility or repositories was given:\n%s", r.stdout)
		}
		r = runAction(t, srv, map[string]string{"secrets": "OLD=new\nNEW=fresh", "overwrite": "false"})
		wantCode(t, r, ExitOK)
		if r.writes != 0 || r.outputs["changed"] != "false" || strings.Contains(r.summary, "keep the old") {
			t.Errorf("a second run: %d writes, changed=%s, summary:\n%s", r.writes, r.outputs["changed"], r.summary)
		}
	})
	t.Run("set with a visibility says it left an existing secret's scope alone", func(t *testing.T) {
		t.Parallel()
		srv, _ := newServer(t)
		srv.AddSecret("OLD", "old", "all")
		r := runAction(t, srv, map[string]string{"secrets": "OLD=new\nNEW=fresh", "visibility": "private", "overwrite": "false"})
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "OLD", "old", "all")
		wantSecret(t, srv, "NEW", "fresh", "private")
		if !strings.Contains(r.stdout, "::warning::secret OLD exists, so overwrite: false leaves it as it is, its visibility and repositories included: use `operation: set-visibility`") ||
			strings.Contains(r.stdout, "secret NEW exists") {
			t.Errorf("no warning for OLD alone:\n%s", r.stdout)
		}
	})
	t.Run("sync, twice", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("OLD", "old", "all")
		manifest := writeManifest(t, "secrets:\n  OLD:\n    visibility: selected\n    repositories: [web]\n  NEW:\n    visibility: all\n")
		in := map[string]string{"operation": "sync", "manifest": manifest, "secrets": "OLD=new\nNEW=fresh", "overwrite": "false"}
		r := runAction(t, srv, in)
		wantCode(t, r, ExitOK)
		wantSecret(t, srv, "OLD", "old", "selected", ids["web"]) // its scope reconciled, its value kept
		wantSecret(t, srv, "NEW", "fresh", "all")
		if got := actions(changes(t, r)); !cmp.Equal(got, []string{"update", "create"}) {
			t.Errorf("actions %v", got)
		}
		for _, rq := range srv.Requests() {
			if rq.Method == http.MethodPut && strings.HasSuffix(rq.Path, "/OLD") && strings.Contains(string(rq.Body), "encrypted_value") {
				t.Errorf("OLD's PUT sent a value: %s", rq.Body)
			}
		}
		r = runAction(t, srv, in)
		wantCode(t, r, ExitOK)
		if r.writes != 0 || r.outputs["changed"] != "false" || strings.Contains(r.summary, "keep the old") {
			t.Errorf("a second run in step: %d writes, changed=%s, summary:\n%s", r.writes, r.outputs["changed"], r.summary)
		}
	})
}

// TestAnUpdateAnswered201IsKept: GitHub (or a proxy) answers 201 to an
// update it applied. The run checks created_at before undoing anything:
// the secret is kept, and the run succeeds.
func TestAnUpdateAnswered201IsKept(t *testing.T) {
	t.Parallel()
	srv, ids := newServer(t)
	srv.AddSecret("SEL", "old", "selected", ids["web"])
	srv.Inject(fakegithub.Fault{Method: http.MethodPut, Path: put + "SEL", PassThrough: true, AnswerStatus: http.StatusCreated})
	r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new"})
	wantCode(t, r, ExitOK)
	wantSecret(t, srv, "SEL", "new", "selected", ids["web"])
	if n := srv.Count(http.MethodDelete); n != 0 {
		t.Errorf("%d DELETEs of a secret that was only updated", n)
	}
	if r.reads != 4 { // the list, the key, the kept list, the check
		t.Errorf("%d reads, want 4", r.reads)
	}
}

// TestAFailedWriteNeverReportsAListItDidNotClear: the result of a failed
// rotation of a selected secret shows the list it read for the write, or
// no list when it read none, never [].
func TestAFailedWriteNeverReportsAListItDidNotClear(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		fault fakegithub.Fault
		want  string
	}{
		{"the PUT is refused after the list was read", fakegithub.Fault{Method: http.MethodPut, Path: put + "SEL", Status: 422, Body: `{"message":"Validation Failed"}`},
			`"repositories":["acme/web"]`},
		{"the list read is refused", fakegithub.Fault{Method: http.MethodGet, Path: put + "SEL/repositories", Status: 403, Body: `{"message":"Forbidden"}`},
			`{"org":"acme","name":"SEL","action":"update","visibility":"selected","before":{"visibility":"selected"},"value_written":false,"error":`},
		{"the public key cannot be fetched, before any list was read", fakegithub.Fault{Method: http.MethodGet, Path: put + "public-key", Status: 500, Body: `{"message":"Server Error"}`, Times: 4},
			`{"org":"acme","name":"SEL","action":"update","visibility":"selected","before":{"visibility":"selected"},"value_written":false,"error":`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, ids := newServer(t)
			srv.AddSecret("SEL", "old", "selected", ids["web"])
			srv.Inject(tt.fault)
			r := runAction(t, srv, map[string]string{"name": "SEL", "value": "new"})
			wantCode(t, r, ExitFailed)
			wantSecret(t, srv, "SEL", "old", "selected", ids["web"])
			if res := r.outputs["result"]; !strings.Contains(res, tt.want) || strings.Contains(res, `"repositories":[]`) {
				t.Errorf("result %s, want %s and never []", res, tt.want)
			}
		})
	}
	t.Run("a skipped delete of a selected secret whose list was not read", func(t *testing.T) {
		t.Parallel()
		srv, ids := newServer(t)
		srv.AddSecret("STRAY", "s", "selected", ids["web"])
		srv.AddSecret("A", "a", "all")
		srv.Inject(fakegithub.Fault{Method: http.MethodPut, Path: put + "A", Status: 422, Body: `{"message":"Validation Failed"}`})
		manifest := writeManifest(t, "secrets:\n  A:\n    visibility: all\n")
		r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": manifest, "secrets": "A=new", "prune": "true"})
		wantCode(t, r, ExitFailed)
		if res := r.outputs["result"]; !strings.Contains(res, `{"org":"acme","name":"STRAY","action":"delete","visibility":"selected","before":{"visibility":"selected"},"value_written":false,"error":`) {
			t.Errorf("result %s, want STRAY's list left out", res)
		}
	})
}

// TestAValueOverTheLimitOnStdinIsNotGivenAMadeUpSize: standard input is
// read only just past the limit, so its size is not known.
func TestAValueOverTheLimitOnStdinIsNotGivenAMadeUpSize(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t)
	for _, tt := range []struct {
		stdin, want string
	}{
		{strings.Repeat("x", 80_000), "`--value`: standard input holds more than 49152 bytes, over GitHub's limit of 49152 bytes (48 KB)"},
		{strings.Repeat("x", 49_153), "`--value`: the value of secret \"A\" is 49153 bytes"}, // read in full: its size is known
	} {
		r := runLocal(t, srv, tt.stdin, []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", "-"})
		if r.code != ExitUsage || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "49155") {
			t.Errorf("exit %d, stderr %s\nwant %q", r.code, r.stderr, tt.want)
		}
	}
	for _, stdin := range []string{strings.Repeat("x", 49_152) + "\n", strings.Repeat("x", 49_152) + "\r\n"} {
		r := runLocal(t, srv, stdin, []string{"set", "--org", testOrg, "--api-url", "$API", "--name", "A", "--value", "-"})
		if r.code != ExitOK {
			t.Errorf("48 KB and a line ending: exit %d, stderr %s", r.code, r.stderr)
		}
	}
}
