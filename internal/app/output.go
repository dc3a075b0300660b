// The outputs of a run: the result, the job summary and the exit code.

package app

import (
	"encoding/json"
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// changeJSON is a change in the `result` output of write operations.
type changeJSON struct {
	plan.Change
	// Repositories shadows the change's own: nil leaves out a list the
	// run does not know (plan.Change.ReposUnknown) rather than show [].
	Repositories *[]string `json:"repositories,omitempty"`
	Error        string    `json:"error,omitempty"`
}

// newChangeJSON is c as the result shows it.
func newChangeJSON(c plan.Change) changeJSON {
	cj := changeJSON{Change: c}
	if !c.ReposUnknown {
		cj.Repositories = &c.Repositories
		if c.Repositories == nil {
			cj.Repositories = &[]string{}
		}
	}
	return cj
}

// finish writes the result, outputs, summary and errors, and picks the exit
// code.
func (r *runner) finish(out outcome) int {
	for _, e := range out.errs {
		r.rep.Errorf("%s", e.Error())
	}
	if len(out.errs) > 0 {
		out.exitCode = ExitFailed
	}
	changed := out.changed
	result := out.result
	rows := out.rows
	if out.changes != nil {
		list := make([]changeJSON, 0, len(out.changes))
		rows = rows[:0]
		for _, c := range out.changes {
			cj := newChangeJSON(c.Change)
			if c.Err != nil {
				cj.Error = c.Err.Error()
			} else if c.Writes() {
				changed = true
			}
			list = append(list, cj)
			rows = append(rows, report.Row{Name: string(c.Name), Action: string(c.Action), Visibility: string(c.Visibility), Repositories: c.Repositories, Error: cj.Error,
				Warning: out.warnings[c.Name]})
		}
		result = list
	}
	body, err := json.Marshal(result)
	if err != nil {
		r.rep.Errorf("could not encode the result: %v", err)
		return ExitFailed
	}
	if out.stale == nil {
		out.stale = []string{}
	}
	stale, err := json.Marshal(out.stale)
	if err != nil {
		r.rep.Errorf("could not encode the stale secrets: %v", err)
		return ExitFailed
	}
	outputs := append([][2]string{{"result", string(body)}, {"changed", fmt.Sprint(changed)}, {"stale", string(stale)}}, out.outputs...)
	code := out.exitCode
	if err := r.rep.SetOutputs(outputs); err != nil {
		r.rep.Errorf("%v", err)
		code = ExitFailed
	}
	if !out.noResult {
		r.rep.Result(string(body))
	}
	t := r.table(out, rows, changed)
	r.rep.Summary(t.Markdown(), t.Text())
	for _, c := range out.changes {
		if c.Err != nil {
			r.rep.Errorf("%s %s failed: %v", c.Action, c.Name, c.Err)
		}
	}
	return code
}

func (r *runner) table(out outcome, rows []report.Row, changed bool) report.Table {
	t := report.Table{Title: summaryTitle(string(r.cfg.Operation), r.cfg.Org), Rows: rows, Note: out.note, Code: out.code}
	if out.planned && t.Note == "" {
		t.Note = "Dry run: these are the changes a run would make. Nothing was written."
	}
	t.Remarks = r.remarks(out)
	if out.changes != nil {
		var done, same, failed int
		for _, c := range out.changes {
			switch {
			case c.Err != nil:
				failed++
			case c.Writes():
				done++
			default:
				same++
			}
		}
		verb := "changed"
		if out.planned {
			verb = "to change"
		}
		t.Footer = fmt.Sprintf("%d %s, %d unchanged, %d failed.", done, verb, same, failed)
	} else if len(rows) == 0 && t.Note == "" {
		t.Note = "Nothing to show."
	}
	return t
}
