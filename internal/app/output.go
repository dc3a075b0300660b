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

// rendered is a result as the outputs and the summary show it.
type rendered struct {
	result  any
	rows    []report.Row
	changed bool
}

// render turns a result into its JSON, rows and changed, logs the
// findings and errors of a run that still has a result, and sets the exit
// code they call for.
func (r *opRun) render(res result) rendered {
	for _, e := range append(r.status.findings, r.status.errs...) {
		r.rep.Errorf("%s", e.Error())
	}
	if len(r.status.findings) > 0 {
		r.status.found()
	}
	if len(r.status.errs) > 0 {
		r.status.exitCode = ExitFailed
	}
	return rendered{result: res.json(), rows: res.rows(), changed: res.changed()}
}

// finish writes the result, outputs, summary and errors, and picks the exit
// code.
func (r *opRun) finish(res result) int {
	v := r.render(res)
	t := r.table(res, v.rows)
	summary := t.Markdown()
	var extra [][2]string
	if o, ok := res.(outputter); ok {
		extra = o.outputs()
	}
	body, code, ok := setRunOutputs(r.rep, v.result, v.changed, r.status.stale, summary, r.status.exitCode, extra)
	if !ok {
		return code
	}
	if q, ok := res.(quiet); !ok || !q.quiet() {
		r.rep.Result(string(body))
	}
	r.rep.Summary(summary, t.Text())
	logFailures(r.rep, res)
	return code
}

// setRunOutputs writes the outputs every run that gets as far as its
// result writes, one organization or several, then extra. It returns the
// result's JSON and the exit code: code, or ExitFailed when an output
// could not be written. ok is false when the result or stale could not be
// encoded: nothing was written, and the run ends with the code.
func setRunOutputs(rep *report.Reporter, result any, changed bool, stale []string, summary string, code int, extra [][2]string) (body []byte, _ int, ok bool) {
	if stale == nil {
		stale = []string{}
	}
	body, err := json.Marshal(result)
	if err != nil {
		rep.Errorf("could not encode the result: %v", err)
		return nil, ExitFailed, false
	}
	staleJSON, err := json.Marshal(stale)
	if err != nil {
		rep.Errorf("could not encode the stale secrets: %v", err)
		return nil, ExitFailed, false
	}
	outputs := [][2]string{{"result", string(body)}, {"changed", fmt.Sprint(changed)}, {"stale", string(staleJSON)}, {"summary", summary}, {"exit-code", fmt.Sprint(code)}}
	if err := rep.SetOutputs(append(outputs, extra...)); err != nil {
		rep.Errorf("%v", err)
		code = ExitFailed
	}
	return body, code, true
}

// logFailures logs what failed in res, if it knows of failures.
func logFailures(rep *report.Reporter, res result) {
	if f, ok := res.(failer); ok {
		f.logFailures(rep)
	}
}

// table is res's summary table: its rows, the run's remarks, and what res
// says besides.
func (r *opRun) table(res result, rows []report.Row) report.Table {
	t := report.Table{Title: summaryTitle(string(r.cfg.Operation), r.cfg.Org), Rows: rows}
	if s := r.staleRemark(r.status.stale); s != "" {
		t.Remarks = append(t.Remarks, s)
	}
	res.summarize(&t)
	if t.Footer == "" && len(rows) == 0 && t.Note == "" {
		t.Note = "Nothing to show."
	}
	return t
}
