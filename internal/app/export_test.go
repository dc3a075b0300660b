package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest/manifesttest"
)

const schemaPath = "../../schema/codespaces-secrets.schema.json"

// seedForExport gives the fake every shape a manifest can hold: each
// visibility, selected secrets with no, one and several repositories
// (added out of order), and a repository named with digits only.
func seedForExport(srv *fakegithubtest.Server, ids map[string]int64) {
	digits := srv.AddRepo("2024").ID
	srv.AddSecret("SENTRY_DSN", "v", "all")
	srv.AddSecret("NPM_TOKEN", "v", "selected", ids["web"], ids["api"], digits)
	srv.AddSecret("LEGACY_KEY", "v", "private")
	srv.AddSecret("DOCS_ONLY", "v", "selected", ids["docs"])
	srv.AddSecret("NOBODY", "v", "selected")
}

const wantExport = `# yaml-language-server: $schema=https://raw.githubusercontent.com/codespaces-org-secrets/codespaces-org-secrets/main/schema/codespaces-secrets.schema.json
# The Codespaces secrets of organization acme, written by operation export.
# It holds no value: GitHub never returns one. Give values to operation sync in ` + "`secrets`" + `.
secrets:
  DOCS_ONLY:
    visibility: selected
    repositories:
      - docs
  LEGACY_KEY:
    visibility: private
  NOBODY:
    visibility: selected
    repositories: []
  NPM_TOKEN:
    visibility: selected
    repositories:
      - acme/2024
      - api
      - web
  SENTRY_DSN:
    visibility: all
`

func TestExportWritesAManifestThatSyncLeavesAsItIs(t *testing.T) {
	srv, ids := newServer(t)
	seedForExport(srv, ids)
	path := filepath.Join(t.TempDir(), "new", "dir", "codespaces-secrets.yml")

	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": path})
	wantCode(t, r, ExitOK)
	// 1 list of secrets, and 1 repository list per selected secret: nothing more.
	if r.reads != 1+3 || r.writes != 0 {
		t.Errorf("%d reads and %d writes, want 4 and 0", r.reads, r.writes)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != wantExport {
		t.Errorf("the manifest is\n%s\nwant\n%s", got, wantExport)
	}
	if err := manifesttest.ValidateAgainstSchema(schemaPath, got); err != nil {
		t.Errorf("the exported manifest fails the schema: %v", err)
	}
	if r.outputs["changed"] != "true" {
		t.Errorf("changed = %q, want true", r.outputs["changed"])
	}
	var res struct {
		Path    string   `json:"path"`
		Secrets []string `json:"secrets"`
	}
	if err := json.Unmarshal([]byte(r.outputs["result"]), &res); err != nil {
		t.Fatal(err)
	}
	if res.Path != path || strings.Join(res.Secrets, ",") != "DOCS_ONLY,LEGACY_KEY,NOBODY,NPM_TOKEN,SENTRY_DSN" {
		t.Errorf("result %s", r.outputs["result"])
	}
	if !strings.Contains(r.summary, "| `NPM_TOKEN` | exported | selected | `acme/2024`, `acme/api`, `acme/web` | ok |") {
		t.Errorf("summary:\n%s", r.summary)
	}
	for _, s := range srv.Secrets() {
		if strings.Contains(string(got), s.Value+"\n") {
			t.Errorf("the manifest holds a value")
		}
	}

	// The invariant: sync of the export, with no values and with prune,
	// plans nothing and writes nothing.
	for _, prune := range []string{"false", "true"} {
		r = runAction(t, srv, map[string]string{"operation": "sync", "manifest": path, "prune": prune})
		wantCode(t, r, ExitOK)
		if r.writes != 0 || r.outputs["changed"] != "false" {
			t.Errorf("prune %s: %d writes, changed=%s\n%s", prune, r.writes, r.outputs["changed"], r.stdout)
		}
		for _, c := range changes(t, r) {
			if c.Action != "unchanged" {
				t.Errorf("prune %s: sync plans %v", prune, c)
			}
		}
		// No repository name needs a look-up: the lists hold them all.
		if r.reads != 1+3 {
			t.Errorf("prune %s: %d reads, want 4", prune, r.reads)
		}
	}

	// A second export finds the same content and leaves the file alone.
	wrote := 0
	r = runAction(t, srv, map[string]string{"operation": "export", "manifest": path},
		WithWriteFile(func(string, []byte) error { wrote++; return nil }))
	wantCode(t, r, ExitOK)
	if wrote != 0 || r.outputs["changed"] != "false" {
		t.Errorf("an unchanged export wrote %d times, changed=%s", wrote, r.outputs["changed"])
	}
}

func TestExportReplacesAFileThatDiffers(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("ONLY", "v", "all")
	path := filepath.Join(t.TempDir(), "m.yml")
	if err := os.WriteFile(path, []byte("secrets: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": path})
	wantCode(t, r, ExitOK)
	got, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(got), "secrets:\n  ONLY:\n    visibility: all\n") || r.outputs["changed"] != "true" {
		t.Errorf("changed=%s, file:\n%s", r.outputs["changed"], got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files, want only the manifest (no temporary file left)", len(entries))
	}
}

func TestExportOfAnEmptyOrganization(t *testing.T) {
	srv, _ := newServer(t)
	path := filepath.Join(t.TempDir(), "m.yml")
	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": path})
	wantCode(t, r, ExitOK)
	got, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(got), "\nsecrets: {}\n") {
		t.Errorf("file:\n%s", got)
	}
	if err := manifesttest.ValidateAgainstSchema(schemaPath, got); err != nil {
		t.Error(err)
	}
	if r.outputs["result"] != `{"path":"`+path+`","secrets":[]}` {
		t.Errorf("result %s", r.outputs["result"])
	}
	r = runAction(t, srv, map[string]string{"operation": "sync", "manifest": path})
	wantCode(t, r, ExitOK)
	if r.writes != 0 {
		t.Errorf("%d writes", r.writes)
	}
	// With prune, a manifest that lists no secret is refused before any
	// request: it would delete every secret of an organization that has some.
	r = runAction(t, srv, map[string]string{"operation": "sync", "manifest": path, "prune": "true"})
	wantCode(t, r, ExitUsage)
	if r.writes != 0 || r.reads != 0 {
		t.Errorf("%d writes and %d reads, want none", r.writes, r.reads)
	}
}

func TestExportDryRunShowsTheManifestAndWritesNoFile(t *testing.T) {
	srv, ids := newServer(t)
	seedForExport(srv, ids)
	path := filepath.Join(t.TempDir(), "m.yml")
	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": path, "dry-run": "true"},
		WithWriteFile(func(string, []byte) error { t.Error("a dry run wrote the manifest"); return nil }))
	wantCode(t, r, ExitOK)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file exists: %v", err)
	}
	if !strings.Contains(r.summary, "```yaml\n"+wantExport+"```\n") {
		t.Errorf("the summary lacks the manifest:\n%s", r.summary)
	}
	if !strings.Contains(r.summary, "Dry run: "+path+" was not written") {
		t.Errorf("summary:\n%s", r.summary)
	}
	if !strings.Contains(r.stdout, "      - acme/2024\n") || !strings.Contains(r.stdout, "# yaml-language-server: $schema=") {
		t.Errorf("the log lacks the manifest:\n%s", r.stdout)
	}
	if r.outputs["changed"] != "true" {
		t.Errorf("changed = %q, want true (the file would change)", r.outputs["changed"])
	}
	if strings.Contains(r.summary, "| ok |") || !strings.Contains(r.summary, "| `NPM_TOKEN` | exported | selected | `acme/2024`, `acme/api`, `acme/web` | planned |") {
		t.Errorf("a dry run says ok for a manifest it did not write, or its rows do not say planned:\n%s", r.summary)
	}
	// The file already holds the manifest: nothing to do, still not ok.
	r = runAction(t, srv, map[string]string{"operation": "export", "manifest": path, "dry-run": "true"},
		WithReadFile(func(string) ([]byte, error) { return []byte(wantExport), nil }),
		WithWriteFile(func(string, []byte) error { t.Error("a dry run wrote the manifest"); return nil }))
	wantCode(t, r, ExitOK)
	if strings.Contains(r.summary, "| ok |") || !strings.Contains(r.summary, "| `SENTRY_DSN` | exported | all | — | nothing to do |") {
		t.Errorf("a dry run of a manifest already in place says ok, or not nothing to do:\n%s", r.summary)
	}
}

func TestExportThatCannotWriteFails(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("A", "v", "all")
	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": "m.yml"},
		WithReadFile(func(string) ([]byte, error) { return nil, os.ErrNotExist }),
		WithWriteFile(func(string, []byte) error { return os.ErrPermission }))
	wantCode(t, r, ExitFailed)
	if !strings.Contains(r.stdout, "could not write the manifest m.yml: check that its directory can be written: permission denied") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestExportTakesNoOtherInput(t *testing.T) {
	srv, _ := newServer(t)
	r := runAction(t, srv, map[string]string{"operation": "export", "name": "A", "prune": "true", "max-age": "9d"})
	wantCode(t, r, ExitUsage)
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests", n)
	}
	for _, want := range []string{"operation export does not take a name", "`prune` applies only to operation sync", "`max-age` applies only"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
}

// GitHub does not promise the order of its list: the manifest and the
// result are sorted by name whatever order the secrets come in.
func TestExportSortsTheSecretsWhateverOrderGitHubListsThem(t *testing.T) {
	srv, _ := newServer(t)
	srv.AddSecret("ZED", "v", "all")
	srv.AddSecret("ALPHA", "v", "all")
	srv.Inject(fakegithubtest.Fault{Method: http.MethodGet, Path: "/orgs/acme/codespaces/secrets", Status: http.StatusOK,
		Body: `{"total_count":2,"secrets":[` +
			`{"name":"ZED","visibility":"all","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"},` +
			`{"name":"ALPHA","visibility":"all","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}]}`})
	path := filepath.Join(t.TempDir(), "m.yml")
	r := runAction(t, srv, map[string]string{"operation": "export", "manifest": path})
	wantCode(t, r, ExitOK)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(got), "secrets:\n  ALPHA:\n    visibility: all\n  ZED:\n    visibility: all\n") ||
		!strings.HasSuffix(r.outputs["result"], `"secrets":["ALPHA","ZED"]}`) {
		t.Errorf("not sorted: result %s, manifest:\n%s", r.outputs["result"], got)
	}
}
