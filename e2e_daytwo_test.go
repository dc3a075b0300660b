package main_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// noValueSent fails when a request the fake received carried a value.
func (f *fixture) noValueSent(t *testing.T) {
	t.Helper()
	for _, rq := range f.srv.Requests() {
		if strings.Contains(string(rq.Body), "encrypted_value") {
			t.Errorf("%s %s sent a value: %s", rq.Method, rq.Path, rq.Body)
		}
	}
}

func TestBinarySetVisibility(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("SENTRY_DSN", "dsn", "selected", f.ids["web"])

	r := f.action(t, map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN", "visibility": "all"})
	wantExit(t, r, 0)
	f.wantSecret(t, "SENTRY_DSN", "dsn", "all")
	if r.requestsInTotal != 2 || r.outputs["changed"] != "true" {
		t.Errorf("%d requests, changed=%s; want 2 (1 list, 1 PUT) and true", r.requestsInTotal, r.outputs["changed"])
	}

	r = f.action(t, map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN", "visibility": "selected", "repositories": "web\nacme/api"})
	wantExit(t, r, 0)
	f.wantSecret(t, "SENTRY_DSN", "dsn", "selected", "web", "api")
	if !strings.Contains(r.outputs["result"], `"repositories":["acme/web","acme/api"]`) {
		t.Errorf("result %s", r.outputs["result"])
	}
	f.noValueSent(t)

	t.Run("a missing name creates nothing and is named", func(t *testing.T) {
		r := f.action(t, map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN\nNOPE", "visibility": "private"})
		wantExit(t, r, 2)
		if r.writes != 0 || len(f.srv.Secrets()) != 1 {
			t.Errorf("%d writes, %d secrets", r.writes, len(f.srv.Secrets()))
		}
		if !strings.Contains(r.stdout, "::error::secret NOPE does not exist, and set-visibility never creates one") {
			t.Errorf("the error does not name NOPE:\n%s", r.stdout)
		}
		f.wantSecret(t, "SENTRY_DSN", "dsn", "selected", "web", "api")
	})
	t.Run("set with an empty value and a visibility names set-visibility and writes nothing", func(t *testing.T) {
		r := f.action(t, map[string]string{"name": "SENTRY_DSN", "visibility": "selected", "repositories": "docs"})
		wantExit(t, r, 2)
		if r.requestsInTotal != 0 || !strings.Contains(r.stdout, "use `operation: set-visibility`") || strings.Contains(r.stdout, "allow-empty") {
			t.Errorf("%d requests, stdout:\n%s", r.requestsInTotal, r.stdout)
		}
		f.wantSecret(t, "SENTRY_DSN", "dsn", "selected", "web", "api")
	})
	t.Run("on a workstation", func(t *testing.T) {
		r := f.local(t, "", "set-visibility", "--org", org, "--api-url", f.url, "--name", "SENTRY_DSN", "--visibility", "private")
		wantExit(t, r, 0)
		f.wantSecret(t, "SENTRY_DSN", "dsn", "private")
		f.noValueSent(t)
	})
}

func TestBinaryOverwriteFalse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.srv.AddSecret("OLD", "old", "all")

	r := f.action(t, map[string]string{"secrets": "OLD=new\nNEW=fresh", "overwrite": "false"})
	wantExit(t, r, 0)
	f.wantSecret(t, "OLD", "old", "all")
	f.wantSecret(t, "NEW", "fresh", "private")
	if r.writes != 1 {
		t.Errorf("set: %d writes, want 1 (NEW)", r.writes)
	}

	f.writeManifest(t, "secrets:\n  OLD:\n    visibility: selected\n    repositories: [web]\n  NEW:\n    visibility: private\n  NEWER:\n    visibility: all\n")
	in := map[string]string{"operation": "sync", "secrets": "OLD=new\nNEW=new\nNEWER=fresh", "overwrite": "false"}
	r = f.action(t, in)
	wantExit(t, r, 0)
	f.wantSecret(t, "OLD", "old", "selected", "web")
	f.wantSecret(t, "NEW", "fresh", "private")
	f.wantSecret(t, "NEWER", "fresh", "all")
	if r.writes != 2 {
		t.Errorf("sync: %d writes, want 2 (OLD's scope, NEWER)", r.writes)
	}

	r = f.action(t, in)
	wantExit(t, r, 0)
	if r.writes != 0 || r.outputs["changed"] != "false" || strings.Contains(r.summary, "keep the old") {
		t.Errorf("a second sync: %d writes, changed=%s, summary:\n%s", r.writes, r.outputs["changed"], r.summary)
	}
}

// TestBinaryConfirmsA201BeforeUndoing: an update answered 201 is kept when
// created_at shows the secret the run read; a secret re-created after
// someone deleted it is still deleted again.
func TestBinaryConfirmsA201BeforeUndoing(t *testing.T) {
	t.Parallel()
	t.Run("an update answered 201", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.srv.AddSecret("SEL", "old", "selected", f.ids["web"])
		f.srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/SEL", PassThrough: true, AnswerStatus: http.StatusCreated})
		r := f.action(t, map[string]string{"name": "SEL", "value": "new"})
		wantExit(t, r, 0)
		f.wantSecret(t, "SEL", "new", "selected", "web")
		if n := f.srv.Count(http.MethodDelete); n != 0 {
			t.Errorf("%d DELETEs", n)
		}
	})
	t.Run("a real re-creation", func(t *testing.T) {
		t.Parallel()
		clock := &stepClock{now: time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)}
		f := newFixture(t, fakegithub.WithClock(clock.Now))
		f.srv.AddSecret("SEL", "old", "selected", f.ids["web"])
		f.srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/SEL", PassThrough: true, Before: func() {
			clock.Advance(time.Minute)
			f.srv.RemoveSecret("SEL")
		}})
		r := f.action(t, map[string]string{"name": "SEL", "value": "new"})
		wantExit(t, r, 1)
		if _, ok := f.srv.Secret("SEL"); ok {
			t.Error("SEL exists again after someone else deleted it")
		}
		if !strings.Contains(r.stdout, "secret SEL was deleted by someone else during the run: the update re-created it, so it was deleted again at once") {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
}

// stepClock is GitHub's clock for the fake, moved by the test.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
