package app

import (
	"errors"
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// result is an operation's own result in one organization: it knows its
// JSON (the `result` output), its rows of the job summary, whether it
// changed anything (the `changed` output) and what its summary says
// besides the rows. What concerns the whole run (the exit code, the stale
// secrets, the errors and findings) is the runner's runStatus.
type result interface {
	// json is the value of the `result` output.
	json() any
	// rows are the rows of the job summary's table.
	rows() []report.Row
	// changed is the `changed` output.
	changed() bool
	// summarize fills in the table's note, footer, remarks and code; the
	// runner has put the run's own remarks first.
	summarize(t *report.Table)
}

// outputter is a result with outputs of its own, besides `result`.
type outputter interface {
	outputs() [][2]string
}

// failer is a result whose failures are logged after the summary.
type failer interface {
	logFailures(rep *report.Reporter)
}

// quiet is a result that is not printed: stdout holds something else.
type quiet interface {
	quiet() bool
}

// readResult gives a read operation's result what it lacks: it changes
// nothing and its summary is its rows.
type readResult struct{}

func (readResult) changed() bool           { return false }
func (readResult) summarize(*report.Table) {}

// secretsResult is the result of list and get: the secrets read.
type secretsResult struct {
	readResult
	secrets []secretJSON
	summary []report.Row
}

func (s secretsResult) json() any          { return s.secrets }
func (s secretsResult) rows() []report.Row { return s.summary }

// keyResult is the result of public-key: the organization's public key,
// which is also the `key-id` and `key` outputs.
type keyResult struct {
	readResult
	org, keyID, key string
}

func (k keyResult) json() any {
	return map[string]string{"org": k.org, "key_id": k.keyID, "key": k.key}
}
func (k keyResult) rows() []report.Row { return nil }
func (k keyResult) outputs() [][2]string {
	return [][2]string{{"key-id", k.keyID}, {"key", k.key}}
}

// reposResult is the result of list-repositories: the repositories of one
// selected secret.
type reposResult struct {
	readResult
	repos   []orgRepoJSON
	summary []report.Row
}

func (r reposResult) json() any          { return r.repos }
func (r reposResult) rows() []report.Row { return r.summary }

// changesResult is the result of every write operation (set,
// set-visibility, delete, the repository operations and sync): its
// changes in org, written or, in a dry run, planned.
type changesResult struct {
	org     string
	changes []apply.Outcome
	planned bool // the changes were planned, not applied (dry run)
	// warnings say why a change's row is marked: a name that does not
	// exist (delete), a stale secret (sync).
	warnings map[secret.Name]string
}

func (c changesResult) json() any {
	list := make([]changeJSON, 0, len(c.changes))
	for _, o := range c.changes {
		cj := newChangeJSON(c.org, o.Change)
		if o.Err != nil {
			cj.Error = o.Err.Error()
			cj.ValueWritten = false // refused, not sent, or undone: never claimed
		}
		list = append(list, cj)
	}
	return list
}

func (c changesResult) rows() []report.Row {
	rows := make([]report.Row, 0, len(c.changes))
	for _, o := range c.changes {
		rows = append(rows, changeRow(o, c.planned, c.warnings[o.Name]))
	}
	return rows
}

func (c changesResult) changed() bool {
	for _, o := range c.changes {
		if o.Err == nil && o.Writes() {
			return true
		}
	}
	return false
}

// summarize counts the changes in the footer and, after a run that wrote
// a value (not a dry run, nor a write that failed), says what a new value
// does not do.
func (c changesResult) summarize(t *report.Table) {
	if c.planned {
		t.Note = "Dry run: these are the changes a run would make. Nothing was written."
	}
	for _, o := range c.changes {
		if o.WithValue && o.Err == nil && !c.planned {
			t.Remarks = append(t.Remarks, rotationRemark)
			break
		}
	}
	var done, same, failed, notRun int
	for _, o := range c.changes {
		var nr *apply.NotRunError
		switch {
		case errors.As(o.Err, &nr) || errors.Is(o.Err, apply.ErrSkipped):
			notRun++
		case o.Err != nil:
			failed++
		case o.Writes():
			done++
		default:
			same++
		}
	}
	verb := "changed"
	if c.planned {
		verb = "to change"
	}
	t.Footer = fmt.Sprintf("%d %s, %d unchanged, %d failed.", done, verb, same, failed)
	if notRun > 0 {
		t.Footer = fmt.Sprintf("%d %s, %d unchanged, %d failed, %d not run.", done, verb, same, failed, notRun)
	}
}

// logFailures logs each change that failed.
func (c changesResult) logFailures(rep *report.Reporter) {
	for _, o := range c.changes {
		if o.Err != nil {
			rep.Errorf("%s %s failed: %v", o.Action, o.Name, o.Err)
		}
	}
}

// manifestResult is the result of export: the manifest's path and the
// secrets of the organizations it lists, and what became of the file. In
// one organization of several it is only what export read there (states),
// for the run to write one manifest of them all (exportOrgs).
type manifestResult struct {
	path   string
	states []orgExport
	// status is each row's result: "" (ok), "planned" or "nothing to do".
	status   string
	differs  bool   // the file did not hold the manifest: the `changed` output
	note     string // the summary's note: what became of the file
	code     string // the manifest, shown in a dry run's summary
	toStdout bool   // the manifest went to stdout, so the result is not printed
}

// json lists the names of one organization's secrets, or org/NAME for
// several.
func (m manifestResult) json() any {
	res := exportJSON{Path: m.path, Secrets: []string{}}
	for _, st := range m.states {
		if len(m.states) > 1 {
			res.Organizations = append(res.Organizations, st.org)
		}
		for _, s := range st.secrets {
			res.Secrets = append(res.Secrets, m.name(st, s.Name))
		}
	}
	return res
}

func (m manifestResult) rows() []report.Row {
	var rows []report.Row
	for _, st := range m.states {
		for _, s := range st.secrets {
			row := report.Row{Name: m.name(st, s.Name), Action: "exported", Visibility: string(s.Visibility), Result: m.status}
			for _, rp := range st.repos[s.Name] {
				row.Repositories = append(row.Repositories, rp.FullName)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// name is a secret's name in the result: org/NAME with several
// organizations.
func (m manifestResult) name(st orgExport, name secret.Name) string {
	if len(m.states) > 1 {
		return st.org + "/" + string(name)
	}
	return string(name)
}

func (m manifestResult) changed() bool { return m.differs && !m.toStdout }
func (m manifestResult) quiet() bool   { return m.toStdout }
func (m manifestResult) summarize(t *report.Table) {
	t.Note, t.Code = m.note, m.code
}
