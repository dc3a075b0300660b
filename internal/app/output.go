// The outputs of a run: the result, the job summary and the exit code.

package app

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// changeJSON is a change in the `result` output of write operations.
type changeJSON struct {
	Org string `json:"org"`
	plan.Change
	// Repositories shadows the change's own: nil leaves out a list the
	// run does not know (plan.Change.ReposUnknown) rather than show [].
	Repositories *[]string `json:"repositories,omitempty"`
	// Before is the scope of a secret that existed, as the run read it.
	Before *plan.Scope `json:"before,omitempty"`
	// ValueWritten is whether the change sends (would send) a value; false
	// for a change that failed, whose value is not known to be written.
	ValueWritten bool   `json:"value_written"`
	Error        string `json:"error,omitempty"`
}

// newChangeJSON is c, a change in org, as the result shows it.
func newChangeJSON(org string, c plan.Change) changeJSON {
	cj := changeJSON{Org: org, Change: c, Before: c.Before, ValueWritten: c.WithValue}
	if !c.ReposUnknown {
		cj.Repositories = &c.Repositories
		if c.Repositories == nil {
			cj.Repositories = &[]string{}
		}
	}
	return cj
}

// rendered is an outcome as the outputs and the summary show it.
type rendered struct {
	result  any
	rows    []report.Row
	changed bool
}

// render turns an outcome into its result, rows and changed, logs the
// findings and errors of a run that still has a result, and sets the exit
// code they call for.
func (r *opRun) render(out *outcome) rendered {
	for _, e := range append(out.findings, out.errs...) {
		r.rep.Errorf("%s", e.Error())
	}
	if len(out.findings) > 0 {
		out.found()
	}
	if len(out.errs) > 0 {
		out.exitCode = ExitFailed
	}
	v := rendered{changed: out.changed}
	if out.res != nil {
		v.result, v.rows = out.res.json(), out.res.rows()
	}
	if out.changes == nil {
		return v
	}
	list := make([]changeJSON, 0, len(out.changes))
	v.rows = v.rows[:0]
	for _, c := range out.changes {
		cj := newChangeJSON(r.cfg.Org, c.Change)
		if c.Err != nil {
			cj.Error = c.Err.Error()
			cj.ValueWritten = false // refused, not sent, or undone: never claimed
		} else if c.Writes() {
			v.changed = true
		}
		list = append(list, cj)
		v.rows = append(v.rows, changeRow(c, out.planned, out.warnings[c.Name]))
	}
	v.result = list
	return v
}

// finish writes the result, outputs, summary and errors, and picks the exit
// code.
func (r *opRun) finish(out outcome) int {
	v := r.render(&out)
	changed, result, rows := v.changed, v.result, v.rows
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
	t := r.table(out, rows, changed)
	summary := t.Markdown()
	outputs := [][2]string{{"result", string(body)}, {"changed", fmt.Sprint(changed)}, {"stale", string(stale)}, {"summary", summary}}
	if o, ok := out.res.(outputter); ok {
		outputs = append(outputs, o.outputs()...)
	}
	code := out.exitCode
	if err := r.rep.SetOutputs(outputs); err != nil {
		r.rep.Errorf("%v", err)
		code = ExitFailed
	}
	if !out.noResult {
		r.rep.Result(string(body))
	}
	r.rep.Summary(summary, t.Text())
	r.changeErrors(out)
	return code
}

// changeErrors logs each change that failed.
func (r *opRun) changeErrors(out outcome) {
	for _, c := range out.changes {
		if c.Err != nil {
			r.rep.Errorf("%s %s failed: %v", c.Action, c.Name, c.Err)
		}
	}
}

func (r *opRun) table(out outcome, rows []report.Row, changed bool) report.Table {
	t := report.Table{Title: summaryTitle(string(r.cfg.Operation), r.cfg.Org), Rows: rows, Note: out.note, Code: out.code}
	if out.planned && t.Note == "" {
		t.Note = "Dry run: these are the changes a run would make. Nothing was written."
	}
	t.Remarks = r.remarks(out)
	if out.changes != nil {
		var done, same, failed, notRun int
		for _, c := range out.changes {
			var nr *apply.NotRunError
			switch {
			case errors.As(c.Err, &nr) || errors.Is(c.Err, apply.ErrSkipped):
				notRun++
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
		if notRun > 0 {
			t.Footer = fmt.Sprintf("%d %s, %d unchanged, %d failed, %d not run.", done, verb, same, failed, notRun)
		}
	} else if len(rows) == 0 && t.Note == "" {
		t.Note = "Nothing to show."
	}
	return t
}
