package repocheck

import (
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// CONTRIBUTING.md: a contributor reads it from a clone of the repository,
// so it points at nothing outside it (a path on a maintainer's machine).

func TestContributingPointsAtNothingOutsideTheRepository(t *testing.T) {
	t.Parallel()
	text := readRepoFile(t, "CONTRIBUTING.md")
	for _, m := range regexp.MustCompile("(?m)(?:^|[\\s`(])(/(?:work|home|tmp|Users)/[^\\s`)]*)").FindAllStringSubmatch(text, -1) {
		t.Errorf("CONTRIBUTING.md points at %s, which is not in the repository: name the public page (GitHub's REST documentation) or a file of the repository instead", m[1])
	}
}

// TestContributingMapsEveryPackage holds CONTRIBUTING.md's package map to
// the code: every package of the module has a row, and the row's "may
// import" names every package it imports besides the standard library (a
// package of this module by its last element, another module's by its
// path or last element), so an import that breaks the map's direction fails here rather
// than in a reader's head.
func TestContributingMapsEveryPackage(t *testing.T) {
	t.Parallel()
	rows := packageMap(t, readRepoFile(t, "CONTRIBUTING.md"))
	list := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...")
	list.Dir = repoRoot(t)
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	const module = "github.com/codespaces-org-secrets/codespaces-org-secrets"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		rel := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		if rel == "" {
			rel = "main.go"
		}
		mayImport, ok := rows[rel]
		if !ok {
			t.Errorf("CONTRIBUTING.md's package map has no row for %s: add one (what it owns, what it may import)", rel)
			continue
		}
		for _, imp := range fields[1:] {
			first, _, _ := strings.Cut(imp, "/")
			if !strings.Contains(first, ".") {
				continue // the standard library
			}
			if !mayImportPackage(mayImport, rel, module, imp) {
				t.Errorf("%s imports %s, which its row in CONTRIBUTING.md's package map does not allow (may import: %s): add it there, or drop the import", rel, imp, mayImport)
			}
		}
	}
}

// packageMap returns the "may import" cell of each package of
// CONTRIBUTING.md's package map, by the package's path ("main.go" for the
// root package, without a trailing slash).
func packageMap(t *testing.T, text string) map[string]string {
	t.Helper()
	_, section, ok := strings.Cut(text, "\n## Package map\n")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no \"## Package map\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[1], -1) {
			rows[strings.TrimSuffix(m[1], "/")] = strings.TrimSpace(cells[3])
		}
	}
	if len(rows) == 0 {
		t.Fatal("CONTRIBUTING.md's package map has no rows")
	}
	return rows
}

// mayImportPackage reports whether a row whose "may import" cell is
// mayImport allows the package rel to import imp: a package of this
// module named by its last element (or, for app, any package below but
// the …test ones; for a test helper, its parent), another module's named
// by its path, a parent of it, or its last element.
func mayImportPackage(mayImport, rel, module, imp string) bool {
	if own, ok := strings.CutPrefix(imp, module+"/"); ok {
		switch {
		case strings.Contains(mayImport, "every package below"):
			return !strings.HasSuffix(own, "test")
		case strings.Contains(mayImport, "their parent package") && own == path.Dir(rel):
			return true
		}
		return strings.Contains(mayImport, "`"+path.Base(own)+"`")
	}
	for p := imp; p != "."; p = path.Dir(p) {
		if strings.Contains(mayImport, "`"+p+"`") {
			return true
		}
	}
	return strings.Contains(mayImport, "`"+path.Base(imp)+"`") // go-githubactions
}
