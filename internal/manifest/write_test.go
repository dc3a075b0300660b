package manifest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest/manifesttest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// A repository outside the organization cannot be written by owner/name,
// which sync refuses; it is written by id, named in a comment, and every
// reference reads back as the key sync finds in the lists it reads.
func TestRenderManifestWritesEveryRepositoryAsSyncReadsIt(t *testing.T) {
	secrets := []secret.Secret{{Name: "A", Visibility: "selected"}, {Name: "TRUE", Visibility: "all"}}
	repos := map[secret.Name][]secret.Repository{"A": {
		{ID: 7, Name: "web", FullName: "Acme/web"},
		{ID: 8, Name: "123", FullName: "acme/123"},
		{ID: 9, Name: "moved", FullName: "elsewhere/moved"},
		{ID: 10, Name: "1.5", FullName: "acme/1.5"},
		{ID: 11, Name: "null", FullName: "acme/null"},
		{ID: 7, Name: "web", FullName: "Acme/web"}, // repeated across pages
	}}
	text, outside, err := manifest.Render("acme", secrets, repos)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "      - 9 # elsewhere/moved\n") {
		t.Errorf("the repository outside the organization is not written by id:\n%s", text)
	}
	if len(outside) != 1 || !strings.Contains(outside[0], "elsewhere/moved, which is not in organization acme") {
		t.Errorf("warnings %q", outside)
	}
	if err := manifesttest.ValidateAgainstSchema(schemaPath, text); err != nil {
		t.Errorf("%v\n%s", err, text)
	}
	m, err := manifest.Parse("export", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if _, ok := m.Lookup("TRUE"); !ok {
		t.Errorf("secret TRUE is lost:\n%s", text)
	}
	e, _ := m.Lookup("A")
	var keys []string
	for _, rp := range e.Repositories {
		ref, err := rp.Ref.InOrg("acme")
		if err != nil {
			t.Fatalf("sync would refuse the list: %v\n%s", err, text)
		}
		keys = append(keys, ref.Key())
	}
	if got, want := strings.Join(keys, " "), "acme/1.5 acme/123 acme/null acme/web 9"; got != want {
		t.Errorf("references %s, want %s\n%s", got, want, text)
	}
}

// YAML 1.1 tools (and yamllint's truthy rule) read y, n, yes, no, on and
// off as booleans: such a name is double-quoted, and every name, quoted or
// not, reads back as itself.
func TestRenderManifestQuotesWhatYAML11ReadsAsABoolean(t *testing.T) {
	var secrets []secret.Secret
	for _, n := range []secret.Name{"Y", "N", "YES", "NO", "ON", "OFF", "TRUE", "FALSE", "NPM_TOKEN", "_1", "__"} {
		secrets = append(secrets, secret.Secret{Name: n, Visibility: secret.All})
	}
	// A repository's name is unique whatever its case: one secret has the
	// lower-case names, the other the same names in other cases.
	lists := map[secret.Name][]string{
		"LOWER": {"yes", "no", "on", "off", "y", "n", "web", "yes-please",
			".github", "-x", "1e5", "0x1F", "1_000", "-", "_", "0", "0123", ".inf", "1.0", "-1", "..x", "x.", "0o17", "a-b"},
		"MIXED": {"Yes", "NO", "On", "oFF", "Y", "N"},
	}
	repos := map[secret.Name][]secret.Repository{}
	for _, name := range []secret.Name{"LOWER", "MIXED"} {
		list := lists[name]
		secrets = append(secrets, secret.Secret{Name: name, Visibility: secret.Selected})
		for i, n := range list {
			repos[name] = append(repos[name], secret.Repository{ID: int64(100 + i), Name: n, FullName: "acme/" + n})
		}
	}
	text, _, err := manifest.Render("acme", secrets, repos)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  \"Y\":\n", "  \"N\":\n", "  \"YES\":\n", "  \"NO\":\n", "  \"ON\":\n", "  \"OFF\":\n", "  \"TRUE\":\n", "  \"FALSE\":\n",
		"      - \"yes\"\n", "      - \"no\"\n", "      - \"on\"\n", "      - \"off\"\n", "      - \"y\"\n", "      - \"n\"\n",
		"      - \"Yes\"\n", "      - \"NO\"\n", "      - \"On\"\n", "      - \"oFF\"\n", "      - \"Y\"\n", "      - \"N\"\n",
		"  NPM_TOKEN:\n", "      - web\n", "      - yes-please\n", // the others stay plain
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the manifest lacks %q:\n%s", want, text)
		}
	}
	if err := manifesttest.ValidateAgainstSchema(schemaPath, text); err != nil {
		t.Errorf("%v\n%s", err, text)
	}
	m, err := manifest.Parse("export", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	for _, s := range secrets {
		if _, ok := m.Lookup(s.Name); !ok {
			t.Errorf("secret %s is lost:\n%s", s.Name, text)
		}
	}
	for name, list := range lists {
		e, _ := m.Lookup(name)
		got := map[string]bool{}
		var written []string
		for _, rp := range e.Repositories {
			ref, err := rp.Ref.InOrg("acme")
			if err != nil {
				t.Fatalf("sync would refuse the list: %v\n%s", err, text)
			}
			got[ref.String()] = true
			written = append(written, rp.Text)
		}
		for _, n := range list {
			if !got["acme/"+n] {
				t.Errorf("repository %q reads back as something else: %q", n, written)
			}
		}
	}
}

func TestWriteFileKeepsTheModeAndFollowsALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.yml")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := manifest.WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file: %v", err)
	}
	got, _ := os.ReadFile(target)
	fi, _ := os.Stat(target)
	if string(got) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("target %q with mode %v, want \"new\" with 0600", got, fi.Mode().Perm())
	}
	fresh := filepath.Join(dir, "a", "b", "new.yml")
	if err := manifest.WriteFile(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("a new file: %v, %v", fi, err)
	}
}

// WriteFile replaces a file by renaming a complete new one over it: what
// holds the old file (a reader, a hard link) keeps the old bytes, never a
// half-written mix, and no temporary file is left beside it. A write that
// fails leaves nothing behind either.
func TestWriteFileReplacesTheFileWholeAndLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.yml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	held := filepath.Join(dir, "held")
	if err := os.Link(path, held); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := manifest.WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("the file holds %q, want \"new\"", got)
	}
	if got, _ := os.ReadFile(held); string(got) != "old" {
		t.Errorf("the old file was written over in place (it now holds %q): a reader could see it half-written", got)
	}
	// The rename of a file over a directory fails, after the temporary
	// file is written.
	blocked := filepath.Join(dir, "blocked.yml")
	if err := os.MkdirAll(filepath.Join(blocked, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := manifest.WriteFile(blocked, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
	var names []string
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "blocked.yml held m.yml"; got != want {
		t.Errorf("the directory holds %s, want %s (no temporary file left)", got, want)
	}
}
