package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
)

// ErrorAt prints an error that belongs at p in a file of the workspace: in
// a workflow `::error file=PATH,line=L,col=C::message`, which GitHub shows
// on that line of a pull request's diff; on a workstation
// "error: path:line:column: message".
func (r *Reporter) ErrorAt(p place.Pos, msg string) { r.annotateAt("error", p, msg) }

// WarnAt prints a warning that belongs at p, as ErrorAt does an error.
func (r *Reporter) WarnAt(p place.Pos, msg string) { r.annotateAt("warning", p, msg) }

func (r *Reporter) annotateAt(level string, p place.Pos, msg string) {
	r.clearProgress()
	if !r.actions {
		fmt.Fprintf(r.stderr, "%s: %s\n", level, Neutralize(p.String()+": "+msg))
		return
	}
	fmt.Fprintf(r.logs, "::%s file=%s,line=%d,col=%d::%s\n", level,
		escapeProperty(r.workspacePath(p.Path)), p.Line, p.Column, escapeData(breakOldCommands(msg)))
}

// Workspace returns GITHUB_WORKSPACE as the Reporter reads it, which
// places annotations in a workspace's files: a Reporter that logs into a
// buffer of its own needs it to place them as this one does.
func (r *Reporter) Workspace() string { return r.getenv("GITHUB_WORKSPACE") }

// workspacePath is path as GitHub matches annotations to a diff: relative
// to the workspace, with forward slashes. A relative path is relative to
// the working directory, which is the workspace in a workflow.
func (r *Reporter) workspacePath(path string) string {
	if filepath.IsAbs(path) {
		if ws := r.getenv("GITHUB_WORKSPACE"); ws != "" {
			if rel, err := filepath.Rel(ws, path); err == nil && !strings.HasPrefix(rel, "..") {
				path = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// escapeData escapes an annotation's message as the runner reads it.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value of a workflow command: the
// runner splits properties at "," and ends them at ":".
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
