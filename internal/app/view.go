// How a change is shown to a reviewer: its row of the summary and its
// line of the log's plan, both with the change as Terraform shows one
// (visibility "before → after", repositories added and removed, whether a
// value is written).

package app

import (
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// changeRow is the summary's row for a change; planned is true in a dry
// run, where nothing was done.
func changeRow(c apply.Outcome, planned bool, warning string) report.Row {
	row := report.Row{Name: string(c.Name), Action: string(c.Action), Visibility: string(c.Visibility), Repositories: c.Repositories,
		Warning: warning, Value: valueText(c.Change)}
	if c.Err != nil {
		row.Error = c.Err.Error()
	}
	if c.Before != nil {
		row.Before = string(c.Before.Visibility)
	}
	if added, removed, ok := c.RepoDiff(); ok && len(added)+len(removed) > 0 {
		row.Diff, row.Added, row.Removed = true, added, removed
	}
	switch {
	case planned && c.Writes():
		row.Result = "planned"
	case planned:
		row.Result = "nothing to do"
	}
	return row
}

// valueText says whether a change writes a value: "new", "kept", or ""
// for a delete and for a secret that does not exist.
func valueText(c plan.Change) string {
	switch {
	case c.WithValue:
		return "new"
	case c.Action == plan.Delete || !c.Exists:
		return ""
	}
	return "kept"
}

// planLine is the log's line for a planned change.
func planLine(c plan.Change, inOrg string) string {
	vis := orDash(string(c.Visibility))
	if c.Before != nil && c.Before.Visibility != c.Visibility {
		vis = string(c.Before.Visibility) + " → " + vis
	}
	var b strings.Builder
	b.WriteString("plan: " + string(c.Action) + " " + string(c.Name) + inOrg + " (visibility " + vis + ")")
	if v := valueText(c); v != "" {
		b.WriteString(", value " + v)
	}
	added, removed, ok := c.RepoDiff()
	switch {
	case c.KeepRepos:
		b.WriteString(", repositories kept: read again just before the write")
	case ok && len(added)+len(removed) > 0:
		b.WriteString(", repositories")
		for _, n := range added {
			b.WriteString(" +" + n)
		}
		for _, n := range removed {
			b.WriteString(" −" + n)
		}
	default:
		b.WriteString(repoSuffix(c.Repositories))
	}
	return b.String()
}
