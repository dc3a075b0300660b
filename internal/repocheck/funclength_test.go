package repocheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// Short functions: every function of the project's own Go code (not tests,
// not gen/) is under maxFuncLines lines, from its func line to its closing
// brace, so that each can be read at once.

// maxFuncLines is the most lines a function may span.
const maxFuncLines = 79

// longFuncsBeingSplit are the functions issue 21 splits in another branch
// (21c); the integrator deletes each entry as its split lands. A function
// named here may be longer; no other may.
var longFuncsBeingSplit = map[string]bool{
	"internal/release/cli.go:Main": true,
	"internal/app/demo.go:runDemo": true,
}

func TestEveryFunctionIsUnder80Lines(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := relSlash(t, root, path)
		if d.IsDir() && (rel == "gen" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		for _, p := range longFuncs(t, path, rel) {
			if !longFuncsBeingSplit[p.name] {
				t.Error(p.text)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// longFunc is a function over the limit: rel:name, and the message.
type longFunc struct{ name, text string }

// longFuncs returns the functions of the Go file at path (rel from the
// repository's root) that span more than maxFuncLines lines.
func longFuncs(t *testing.T, path, rel string) []longFunc {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parsing %s: %v", rel, err)
	}
	var out []longFunc
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		start, end := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
		if n := end - start + 1; n > maxFuncLines {
			name := rel + ":" + fd.Name.Name
			out = append(out, longFunc{name, fmt.Sprintf("%s:%d: %s spans %d lines, over %d: split it into functions that each do one thing", rel, start, fd.Name.Name, n, maxFuncLines)})
		}
	}
	return out
}

func TestLongFuncsFindsAFunctionOver80Lines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "long.go")
	src := "package x\n\nfunc short() {}\n\nfunc long() {\n" + strings.Repeat("\t_ = 1\n", maxFuncLines-2) + "}\n\nfunc tooLong() {\n" + strings.Repeat("\t_ = 1\n", maxFuncLines-1) + "}\n"
	writeFile(t, path, src)
	got := longFuncs(t, path, "long.go")
	if len(got) != 1 || got[0].name != "long.go:tooLong" {
		t.Errorf("longFuncs = %v, want only tooLong (%d lines; long has %d)", got, maxFuncLines+1, maxFuncLines)
	}
}
