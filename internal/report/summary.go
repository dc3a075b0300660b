package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
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
	// Before is the visibility before the change, when the change makes
	// it Visibility: the row shows "before → after".
	Before string
	// Diff is true when the row shows the repositories the change adds
	// and removes (Added, Removed) instead of the whole list.
	Diff           bool
	Added, Removed []string
	// Value says whether the change writes a value: "new", "kept", or ""
	// where that does not apply (a delete, a read).
	Value string
	// Result, when not empty, takes the place of "ok", such as "planned"
	// in a dry run.
	Result string
}

// visibility is the row's visibility, as "before → after" when it changes.
func (r Row) visibility() string {
	if r.Before != "" && r.Before != r.Visibility {
		return r.Before + " → " + r.Visibility
	}
	return r.Visibility
}

// repos returns the row's repositories as shown: the whole list, or what
// the change adds (+) and removes (−); quote formats one name.
func (r Row) repos(quote func(string) string, sep string) string {
	if !r.Diff {
		out := make([]string, len(r.Repositories))
		for i, n := range r.Repositories {
			out[i] = quote(n)
		}
		return strings.Join(out, sep)
	}
	var out []string
	for _, n := range r.Added {
		out = append(out, "+"+quote(n))
	}
	for _, n := range r.Removed {
		out = append(out, "−"+quote(n))
	}
	if len(out) == 0 {
		return "no change"
	}
	return strings.Join(out, " ")
}

// result is the row's last column.
func (r Row) result() string {
	switch {
	case r.Error != "":
		return "failed: " + r.Error
	case r.Warning != "":
		return "⚠️ " + r.Warning
	case r.Result != "":
		return r.Result
	}
	return "ok"
}

// hasValues reports whether any row says whether it writes a value, which
// adds the Value column.
func hasValues(rows []Row) bool {
	for _, r := range rows {
		if r.Value != "" {
			return true
		}
	}
	return false
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
		t.markdownRows(&b)
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
		t.textRows(&b)
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

// markdownRows writes the table of rows, with a Value column when a row
// says whether it writes a value.
func (t Table) markdownRows(b *strings.Builder) {
	values := hasValues(t.Rows)
	if values {
		b.WriteString("| Secret | Action | Visibility | Repositories | Value | Result |\n|---|---|---|---|---|---|\n")
	} else {
		b.WriteString("| Secret | Action | Visibility | Repositories | Result |\n|---|---|---|---|---|\n")
	}
	code := func(n string) string { return "`" + strings.ReplaceAll(n, "`", "") + "`" }
	for _, r := range t.Rows {
		repos := r.repos(code, ", ")
		if repos == "" {
			repos = "—"
		}
		vis := r.visibility()
		if vis == "" {
			vis = "—"
		}
		cells := []string{"`" + mdEscape(r.Name) + "`", mdEscape(r.Action), mdEscape(vis), mdEscape(repos)}
		if values {
			cells = append(cells, mdEscape(orDash(r.Value)))
		}
		cells = append(cells, mdEscape(r.result()))
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
	b.WriteString("\n")
}

// textRows writes the rows as aligned columns.
func (t Table) textRows(b *strings.Builder) {
	values := hasValues(t.Rows)
	head := []string{"SECRET", "ACTION", "VISIBILITY"}
	if values {
		head = append(head, "VALUE")
	}
	lines := [][]string{head}
	for _, r := range t.Rows {
		l := []string{r.Name, r.Action, r.visibility()}
		if values {
			l = append(l, orDash(r.Value))
		}
		lines = append(lines, l)
	}
	w := make([]int, len(head))
	for _, l := range lines {
		for i, c := range l {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	for i, l := range lines {
		var line strings.Builder
		line.WriteString("  ")
		for j, c := range l {
			fmt.Fprintf(&line, "%s%s  ", c, strings.Repeat(" ", w[j]-utf8.RuneCountInString(c)))
		}
		if i == 0 {
			line.WriteString("REPOSITORIES")
		} else {
			r := t.Rows[i-1]
			line.WriteString(r.repos(func(n string) string { return n }, ","))
			if res := r.result(); res != "ok" {
				line.WriteString("  " + textResult(r, res))
			}
		}
		fmt.Fprintln(b, strings.TrimRight(line.String(), " "))
	}
}

// textResult is the result of a row that is not "ok", in capitals where it
// needs attention.
func textResult(r Row, res string) string {
	switch {
	case r.Error != "":
		return "FAILED: " + r.Error
	case r.Warning != "":
		return "WARNING: " + r.Warning
	}
	return res
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
