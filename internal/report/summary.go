package report

import (
	"fmt"
	"strings"
)

// Row is one line of the summary table: a secret and what happened to it.
// It holds no value, by construction.
type Row struct {
	Name         string
	Action       string
	Visibility   string
	Repositories []string
	Error        string
	// Warning, when not empty, takes the place of "ok", such as a secret
	// older than max-age.
	Warning string
}

// Table is the summary of a run.
type Table struct {
	Title  string   // e.g. "codespaces-org-secrets: set in acme"
	Note   string   // e.g. "Dry run: nothing was written."
	Errors []string // problems that stopped the run before any change
	Rows   []Row
	Footer string // e.g. "2 changed, 1 unchanged, 1 failed."
	// Remarks are lines after the footer, such as what a rotation does not do.
	Remarks []string
	// Code is a file's text shown last, verbatim (a manifest in a dry run).
	Code string
}

// Markdown renders the table for the job summary.
func (t Table) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", mdEscape(t.Title))
	if t.Note != "" {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(t.Note))
	}
	for _, e := range t.Errors {
		fmt.Fprintf(&b, "- %s\n", mdEscape(e))
	}
	if len(t.Errors) > 0 {
		b.WriteString("\n")
	}
	if len(t.Rows) > 0 {
		b.WriteString("| Secret | Action | Visibility | Repositories | Result |\n|---|---|---|---|---|\n")
		for _, r := range t.Rows {
			repos := "—"
			if len(r.Repositories) > 0 {
				quoted := make([]string, len(r.Repositories))
				for i, n := range r.Repositories {
					quoted[i] = "`" + strings.ReplaceAll(n, "`", "") + "`"
				}
				repos = strings.Join(quoted, ", ")
			}
			result := "ok"
			switch {
			case r.Error != "":
				result = "failed: " + r.Error
			case r.Warning != "":
				result = "⚠️ " + r.Warning
			}
			vis := r.Visibility
			if vis == "" {
				vis = "—"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", mdEscape(r.Name), mdEscape(r.Action), mdEscape(vis), mdEscape(repos), mdEscape(result))
		}
		b.WriteString("\n")
	}
	if t.Footer != "" {
		fmt.Fprintf(&b, "%s\n", mdEscape(t.Footer))
	}
	for _, r := range t.Remarks {
		fmt.Fprintf(&b, "\n%s\n", mdEscape(r))
	}
	if t.Code != "" {
		fence := "```"
		for strings.Contains(t.Code, fence) {
			fence += "`"
		}
		fmt.Fprintf(&b, "\n%syaml\n%s\n%s\n", fence, strings.TrimSuffix(t.Code, "\n"), fence)
	}
	return b.String()
}

// Text renders the table as aligned plain text for a terminal.
func (t Table) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", t.Title)
	if t.Note != "" {
		fmt.Fprintf(&b, "%s\n", t.Note)
	}
	for _, e := range t.Errors {
		fmt.Fprintf(&b, "  - %s\n", e)
	}
	if len(t.Rows) > 0 {
		w := [3]int{len("SECRET"), len("ACTION"), len("VISIBILITY")}
		for _, r := range t.Rows {
			w[0] = max(w[0], len(r.Name))
			w[1] = max(w[1], len(r.Action))
			w[2] = max(w[2], len(r.Visibility))
		}
		fmt.Fprintf(&b, "  %-*s  %-*s  %-*s  %s\n", w[0], "SECRET", w[1], "ACTION", w[2], "VISIBILITY", "REPOSITORIES")
		for _, r := range t.Rows {
			line := fmt.Sprintf("  %-*s  %-*s  %-*s  %s", w[0], r.Name, w[1], r.Action, w[2], r.Visibility, strings.Join(r.Repositories, ","))
			switch {
			case r.Error != "":
				line += "  FAILED: " + r.Error
			case r.Warning != "":
				line += "  WARNING: " + r.Warning
			}
			fmt.Fprintln(&b, strings.TrimRight(line, " "))
		}
	}
	if t.Footer != "" {
		fmt.Fprintf(&b, "%s\n", t.Footer)
	}
	for _, r := range t.Remarks {
		fmt.Fprintf(&b, "%s\n", r)
	}
	if t.Code != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimSuffix(t.Code, "\n"))
	}
	return Neutralize(b.String())
}

// mdEscape keeps text from breaking the table or forming HTML or links.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "\r", " ", "\n", " ")
	return r.Replace(s)
}
