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
			t.Error(p.text)
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
	check := func(n ast.Node, name string) {
		start, end := fset.Position(n.Pos()).Line, fset.Position(n.End()).Line
		if lines := end - start + 1; lines > maxFuncLines {
			out = append(out, longFunc{rel + ":" + name, fmt.Sprintf("%s:%d: %s spans %d lines, over %d: split it into functions that each do one thing", rel, start, name, lines, maxFuncLines)})
		}
	}
	// A function literal is a function too (var x = func() {...}(), a
	// closure inside a short function), however short what holds it.
	ast.Inspect(f, func(n ast.Node) bool {
		switch fn := n.(type) {
		case *ast.FuncDecl:
			if fn.Body != nil {
				check(fn, fn.Name.Name)
			}
		case *ast.FuncLit:
			check(fn, fmt.Sprintf("the function literal at line %d", fset.Position(fn.Pos()).Line))
		}
		return true
	})
	return out
}

func TestLongFuncsFindsAFunctionOver80Lines(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "long.go")
	src := "package x\n\nfunc short() {}\n\nfunc long() {\n" + strings.Repeat("\t_ = 1\n", maxFuncLines-2) + "}\n\nfunc tooLong() {\n" + strings.Repeat("\t_ = 1\n", maxFuncLines-1) + "}\n" +
		"\nvar table = func() int {\n" + strings.Repeat("\t_ = 1\n", maxFuncLines-2) + "\treturn 1\n}()\n"
	writeFile(t, path, src)
	got := longFuncs(t, path, "long.go")
	literal := fmt.Sprintf("long.go:the function literal at line %d", 2*maxFuncLines+8)
	if len(got) != 2 || got[0].name != "long.go:tooLong" || got[1].name != literal {
		t.Errorf("longFuncs = %v, want tooLong (%d lines; long has %d) and %s", got, maxFuncLines+1, maxFuncLines, literal)
	}
}
