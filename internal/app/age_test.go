package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// agedServer returns a fake whose secrets were last updated the given
// time before newFakeClock's now, the time of the run.
func agedServer(t *testing.T, ages map[string]time.Duration) *fakegithubtest.Server {
	t.Helper()
	var stamp time.Time
	srv, _ := newServer(t, fakegithub.WithClock(func() time.Time { return stamp }))
	now := newFakeClock().Now()
	for name, age := range ages {
		stamp = now.Add(-age)
		srv.AddSecret(name, "v", "all")
	}
	stamp = now // what the run writes is new
	return srv
}

const day = 24 * time.Hour

func TestMaxAge(t *testing.T) {
	tests := []struct {
		name   string
		maxAge string
		age    time.Duration
		stale  bool
		days   int
	}{
		{"a day past 90d is stale", "90d", 91 * day, true, 91},
		{"exactly 90d is not older than 90d", "90d", 90 * day, false, 90},
		{"a second past 90d is stale", "90d", 90*day + time.Second, true, 90},
		{"weeks: 12w is 84 days", "12w", 85 * day, true, 85},
		{"weeks: within 12w", "12w", 83 * day, false, 83},
		{"hours: 37h is older than 36h", "36h", 37 * time.Hour, true, 1},
		{"hours: 35h is not", "36h", 35 * time.Hour, false, 1},
		{"upper-case units", "90D", 100 * day, true, 100},
		{"no max-age: nothing is stale", "", 1000 * day, false, 1000},
		{"a time in the future counts as 0 days", "1d", -day, false, 0},
	}
	for _, tt := range tests {
		for _, op := range []string{"list", "get"} {
			t.Run(op+": "+tt.name, func(t *testing.T) {
				srv := agedServer(t, map[string]time.Duration{"OLD": tt.age, "FRESH": time.Hour})
				in := map[string]string{"operation": op, "max-age": tt.maxAge}
				if op == "get" {
					in["name"] = "OLD,FRESH"
				}
				r := runAction(t, srv, in)
				want := ExitOK
				if tt.stale {
					want = ExitFindings
				}
				wantCode(t, r, want)
				if r.reads != 1 {
					t.Errorf("%d reads, want 1: max-age costs no request", r.reads)
				}
				var res []struct {
					Name    string `json:"name"`
					AgeDays *int   `json:"age_days"`
				}
				if err := json.Unmarshal([]byte(r.outputs["result"]), &res); err != nil {
					t.Fatal(err)
				}
				for _, s := range res {
					switch {
					case s.AgeDays == nil:
						t.Errorf("%s has no age_days", s.Name)
					case s.Name == "OLD" && *s.AgeDays != tt.days:
						t.Errorf("OLD is %d days old, want %d", *s.AgeDays, tt.days)
					}
				}
				wantStale, errors := "[]", 0
				if tt.stale {
					wantStale, errors = `["OLD"]`, 1
				}
				if r.outputs["stale"] != wantStale {
					t.Errorf("stale = %s, want %s", r.outputs["stale"], wantStale)
				}
				if n := strings.Count(r.stdout, "::error::"); n != errors {
					t.Errorf("%d errors, want %d:\n%s", n, errors, r.stdout)
				}
				if tt.stale {
					updated := newFakeClock().Now().Add(-tt.age).Format(time.RFC3339)
					for _, want := range []string{"::error::secret OLD was last updated " + updated, "longer ago than max-age " + tt.maxAge, "rotate it"} {
						if !strings.Contains(r.stdout, want) {
							t.Errorf("the error lacks %q:\n%s", want, r.stdout)
						}
					}
					if !strings.Contains(r.summary, "| `OLD` |") || !strings.Contains(r.summary, "stale: last updated") ||
						!strings.Contains(r.summary, "1 secret older than max-age "+tt.maxAge+": OLD.") {
						t.Errorf("the summary does not mark OLD:\n%s", r.summary)
					}
					if strings.Contains(r.summary, "| `FRESH` | listed | all | — | ⚠️") {
						t.Errorf("the summary marks FRESH:\n%s", r.summary)
					}
				}
			})
		}
	}
}

func TestEveryStaleSecretGetsItsOwnError(t *testing.T) {
	srv := agedServer(t, map[string]time.Duration{"A": 100 * day, "B": 200 * day, "C": day})
	r := runAction(t, srv, map[string]string{"operation": "list", "max-age": "90d"})
	wantCode(t, r, ExitFindings)
	for _, want := range []string{"::error::secret A was last updated 2026-08-15T03:00:00Z, 100 days ago", "::error::secret B was last updated 2026-05-07T03:00:00Z, 200 days ago"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.outputs["stale"] != `["A","B"]` {
		t.Errorf("stale = %s", r.outputs["stale"])
	}
}

func TestAMalformedMaxAgeSendsNoRequest(t *testing.T) {
	srv, _ := newServer(t)
	for _, bad := range []string{"90", "ninety", "0d", "1.5w", "90 days"} {
		r := runAction(t, srv, map[string]string{"operation": "list", "max-age": bad})
		wantCode(t, r, ExitUsage)
		if !strings.Contains(r.stdout, "`max-age`: ") {
			t.Errorf("%q: stdout:\n%s", bad, r.stdout)
		}
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// sync warns about the stale secrets it leaves stale, and exits as it
// would without max-age.
func TestSyncWarnsAboutTheStaleSecretsItDoesNotRewrite(t *testing.T) {
	srv := agedServer(t, map[string]time.Duration{"ROTATED": 100 * day, "KEPT": 100 * day, "UNLISTED": 100 * day, "FRESH": day})
	m := writeManifest(t, "secrets:\n  ROTATED:\n    visibility: all\n  KEPT:\n    visibility: all\n  FRESH:\n    visibility: all\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "max-age": "90d", "secrets": "ROTATED=new"})
	wantCode(t, r, ExitOK)
	if r.outputs["stale"] != `["KEPT","UNLISTED"]` {
		t.Errorf("stale = %s, want KEPT and UNLISTED (ROTATED gets a new value)", r.outputs["stale"])
	}
	if n := strings.Count(r.stdout, "::warning::"); n != 2 || strings.Contains(r.stdout, "::error::") {
		t.Errorf("%d warnings, want 2 and no error:\n%s", n, r.stdout)
	}
	if !strings.Contains(r.stdout, "::warning::secret KEPT was last updated") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if !strings.Contains(r.summary, "| `KEPT` | unchanged | all | — | kept | ⚠️ stale: last updated") || strings.Contains(r.summary, "| `ROTATED` | update | all | — | new | ⚠️") {
		t.Errorf("summary:\n%s", r.summary)
	}

	// With prune, a stale secret the run deletes is not stale afterwards.
	r = runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "max-age": "90d", "prune": "true", "dry-run": "true"})
	wantCode(t, r, ExitOK)
	if r.outputs["stale"] != `["KEPT"]` {
		t.Errorf("stale = %s, want KEPT only (UNLISTED would be deleted)", r.outputs["stale"])
	}
}

// The drift alarm: a scheduled dry-run sync says changed=true when the
// organization no longer matches the manifest, and writes nothing.
func TestADryRunSyncFlagsDriftAndWritesNothing(t *testing.T) {
	srv, ids := newServer(t)
	srv.AddSecret("NPM_TOKEN", "v", "selected", ids["web"])
	srv.AddSecret("SENTRY_DSN", "v", "all")
	m := writeManifest(t, "secrets:\n  NPM_TOKEN:\n    visibility: selected\n    repositories: [web]\n  SENTRY_DSN:\n    visibility: all\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "prune": "true", "dry-run": "true"})
	wantCode(t, r, ExitOK)
	if r.outputs["changed"] != "false" {
		t.Fatalf("no drift yet, but changed = %s", r.outputs["changed"])
	}
	for _, tt := range []struct {
		name  string
		drift func()
	}{
		{"someone narrowed a secret", func() { srv.AddSecret("SENTRY_DSN", "v", "private") }},
		{"someone added a repository", func() { srv.AddSecret("NPM_TOKEN", "v", "selected", ids["web"], ids["api"]) }},
		{"someone added a secret by hand", func() { srv.AddSecret("HAND_MADE", "v", "all") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.drift()
			r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "prune": "true", "dry-run": "true"})
			wantCode(t, r, ExitOK)
			if r.outputs["changed"] != "true" || r.writes != 0 {
				t.Errorf("changed = %s with %d writes, want true and 0", r.outputs["changed"], r.writes)
			}
		})
	}
	wantSecret(t, srv, "SENTRY_DSN", "v", "private")
	wantSecret(t, srv, "NPM_TOKEN", "v", "selected", ids["web"], ids["api"])
}

func TestTheSummarySaysWhatARotationDoesNotDo(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("A", "old", "all")
	r := runAction(t, srv, map[string]string{"name": "A", "value": "new"})
	wantCode(t, r, ExitOK)
	if !strings.Contains(r.summary, rotationRemark) || strings.Count(r.summary, rotationRemark) != 1 {
		t.Errorf("summary:\n%s", r.summary)
	}
}

// Only a run that wrote a value says what a new value does not do.
func TestARunThatWroteNoValueSaysNothingAboutRotation(t *testing.T) {
	refused := fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: http.StatusUnprocessableEntity,
		Body: `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`}
	for _, tt := range []struct {
		name     string
		in       map[string]string
		manifest string
		fault    *fakegithubtest.Fault
		code     int
	}{
		{name: "a dry run of set", in: map[string]string{"name": "A", "value": "new", "dry-run": "true"}, code: ExitOK},
		{name: "a dry run of sync", in: map[string]string{"operation": "sync", "secrets": "A=new", "dry-run": "true"}, manifest: "secrets:\n  A:\n    visibility: all\n", code: ExitOK},
		{name: "a sync that changed only the visibility", in: map[string]string{"operation": "sync"}, manifest: "secrets:\n  A:\n    visibility: private\n", code: ExitOK},
		{name: "a run whose only value write failed", in: map[string]string{"name": "A", "value": "new"}, fault: &refused, code: ExitFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t)
			srv.AddSecret("A", "old", "all")
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			if tt.manifest != "" {
				tt.in["manifest"] = writeManifest(t, tt.manifest)
			}
			r := runAction(t, srv, tt.in)
			wantCode(t, r, tt.code)
			if strings.Contains(r.summary, "reaches a codespace") {
				t.Errorf("a run that wrote no value talks about rotation:\n%s", r.summary)
			}
			if s, _ := srv.Secret("A"); s.Value != "old" {
				t.Errorf("A = %q: the run wrote a value", s.Value)
			}
		})
	}
}

// A stale secret whose new value GitHub refused is still stale: sync warns
// about it and lists it in `stale`.
func TestSyncWarnsAboutAStaleSecretWhoseNewValueFailed(t *testing.T) {
	srv := agedServer(t, map[string]time.Duration{"OLD": 100 * day})
	srv.Inject(fakegithubtest.Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/OLD", Status: http.StatusUnprocessableEntity,
		Body: `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`})
	m := writeManifest(t, "secrets:\n  OLD:\n    visibility: all\n")
	r := runAction(t, srv, map[string]string{"operation": "sync", "manifest": m, "max-age": "90d", "secrets": "OLD=new"})
	wantCode(t, r, ExitFailed)
	if r.outputs["stale"] != `["OLD"]` || !strings.Contains(r.stdout, "::warning::secret OLD was last updated 2026-08-15T03:00:00Z, 100 days ago") {
		t.Errorf("stale = %s; stdout:\n%s", r.outputs["stale"], r.stdout)
	}
	if !strings.Contains(r.summary, "1 secret older than max-age 90d: OLD.") {
		t.Errorf("the summary does not say OLD is stale:\n%s", r.summary)
	}
}

// `result`, `changed` and `stale` are written together: a get that read
// GitHub writes them even when a name does not exist (the audit recipe
// reads `stale` after a failed step), and a run that stopped before it read
// anything writes none of them.
func TestStaleIsWrittenWheneverResultIs(t *testing.T) {
	forbidden := `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`
	for _, tt := range []struct {
		name   string
		in     map[string]string
		fault  *fakegithubtest.Fault
		code   int
		result string // "" for no outputs at all
		stale  string
	}{
		{name: "get of one secret that does not exist", in: map[string]string{"operation": "get", "name": "MISSING"},
			code: ExitFindings, result: "[]", stale: "[]"},
		{name: "get of secrets none of which exists", in: map[string]string{"operation": "get", "name": "MISSING,GONE"},
			code: ExitFindings, result: "[]", stale: "[]"},
		{name: "get of a stale secret and one that does not exist", in: map[string]string{"operation": "get", "name": "OLD,MISSING"},
			code: ExitFindings, result: `[{"org":"acme","name":"OLD"`, stale: `["OLD"]`},
		{name: "get whose one read GitHub refused", in: map[string]string{"operation": "get", "name": "OLD"},
			fault: &fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets/OLD", Status: http.StatusForbidden, Body: forbidden},
			code:  ExitFailed},
		{name: "list whose list GitHub refused", in: map[string]string{"operation": "list"},
			fault: &fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets", Status: http.StatusForbidden, Body: forbidden},
			code:  ExitFailed},
		{name: "an input error", in: map[string]string{"operation": "list", "max-age": "90"}, code: ExitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := agedServer(t, map[string]time.Duration{"OLD": 100 * day})
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			if _, ok := tt.in["max-age"]; !ok {
				tt.in["max-age"] = "90d"
			}
			r := runAction(t, srv, tt.in)
			wantCode(t, r, tt.code)
			if tt.result == "" {
				if len(r.outputs) != 0 {
					t.Errorf("a run that read nothing wrote outputs %v", r.outputs)
				}
				return
			}
			if !strings.HasPrefix(r.outputs["result"], tt.result) || r.outputs["stale"] != tt.stale || r.outputs["changed"] != "false" {
				t.Errorf("result = %s, stale = %s, changed = %s; want result %s…, stale %s, changed false",
					r.outputs["result"], r.outputs["stale"], r.outputs["changed"], tt.result, tt.stale)
			}
			if !strings.Contains(r.stdout, "::error::secret MISSING") {
				t.Errorf("the missing secret is not reported:\n%s", r.stdout)
			}
		})
	}
}
