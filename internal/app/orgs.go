// Several organizations in one run, and GitHub App authentication: each
// organization is read and planned by a runner of its own, every one of
// them before the first write in any, and then written. With an App each
// organization has its own installation token and rate limits, so they are
// worked on side by side; with one token, one after another.

package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// orgRun is one organization of a run.
type orgRun struct {
	org   string
	r     *opRun
	log   *bytes.Buffer // what r printed, shown in organization order
	res   result        // what the operation returned (for a held write, its planned writes replace it)
	err   error         // what stopped the organization before its writes
	token string
	// client holds the organization's installation token (App
	// authentication), to revoke it at the end; nil with a token.
	client *githubapi.Client
}

// runOrgs runs the operation on several organizations, or on one with an
// App's token: everything read and planned first, then written.
func runOrgs(ctx context.Context, cfg inputs.Config, rep *report.Reporter, o options) int {
	creds, err := newCredentials(cfg, rep, o)
	if err != nil {
		return internalFailure(rep, cfg, err)
	}
	orgs, err := creds.organizations(ctx)
	if err != nil {
		return stopped(rep, cfg, []error{err}, isUsage(err))
	}
	runs := make([]*orgRun, len(orgs))
	for i, org := range orgs {
		runs[i] = creds.newRun(org)
	}
	defer creds.revoke(ctx, runs)
	each(runs, creds.parallel(), func(run *orgRun) { creds.plan(ctx, run) })
	flushLogs(rep, runs)
	if errs := usageErrors(runs); len(errs) > 0 {
		return stopped(rep, cfg, errs, true)
	}
	if op := operations[cfg.Operation]; op.finishOrgs != nil && cfg.Several() {
		return op.finishOrgs(rep, cfg, runs, o)
	}
	each(runs, creds.parallel(), func(run *orgRun) {
		if run.err == nil && run.r.held != nil {
			run.res = run.r.held(ctx)
		}
	})
	flushLogs(rep, runs)
	if len(runs) == 1 && !cfg.Several() {
		return finishOne(rep, cfg, runs[0])
	}
	return finishOrgs(rep, cfg, runs)
}

// each runs f on every run: side by side when parallel, else in order.
func each(runs []*orgRun, parallel bool, f func(*orgRun)) {
	if !parallel {
		for _, run := range runs {
			f(run)
		}
		return
	}
	var wg sync.WaitGroup
	for _, run := range runs {
		wg.Go(func() { f(run) })
	}
	wg.Wait()
}

// flushLogs prints what each organization's runner logged, in
// organization order, so that the log is the same however the work
// interleaved.
func flushLogs(rep *report.Reporter, runs []*orgRun) {
	for _, run := range runs {
		if run.log.Len() > 0 {
			rep.Replay(run.log.String())
			run.log.Reset()
		}
	}
}

// usageErrors returns the input problems found in any organization (a
// repository that does not exist, an App that is not installed), each
// naming its organization. One of them stops the whole run before any
// write.
func usageErrors(runs []*orgRun) []error {
	var errs []error
	for _, run := range runs {
		if run.err != nil && isUsage(run.err) {
			for _, e := range inputs.Unjoin(stripUsage(run.err)) {
				if len(runs) > 1 { // one organization's messages name it already
					e = fmt.Errorf("organization %s: %w", run.org, e)
				}
				errs = append(errs, e)
			}
		}
	}
	return errs
}

// stopped reports a run that stopped before any write.
func stopped(rep *report.Reporter, cfg inputs.Config, errs []error, usage bool) int {
	for _, e := range errs {
		printError(rep, e)
	}
	rep.Errorf("nothing was changed in any organization")
	failureSummary(rep, string(cfg.Operation), orgsTitle(cfg), "Failed: nothing was changed.", errs)
	if usage {
		return ExitUsage
	}
	return ExitFailed
}

// internalFailure reports a mistake of ours found before any request.
func internalFailure(rep *report.Reporter, cfg inputs.Config, err error) int {
	err = fmt.Errorf("internal error: %w; this is a bug in codespaces-org-secrets, please report it at %s", err, issuesURL)
	rep.Errorf("%v", err)
	rep.Errorf("no request was sent")
	failureSummary(rep, string(cfg.Operation), orgsTitle(cfg), "Failed: an internal error stopped the run, so no request was sent.", []error{err})
	return ExitFailed
}

// orgsTitle names the organizations in a summary's title.
func orgsTitle(cfg inputs.Config) string {
	if cfg.AllOrgs {
		return "every organization of the App"
	}
	return strings.Join(cfg.Orgs, ", ")
}

// finishOne finishes a run on one organization exactly as a run with a
// token does.
func finishOne(rep *report.Reporter, cfg inputs.Config, run *orgRun) int {
	run.r.rep = rep
	if run.err == nil {
		return run.r.finish(run.res)
	}
	errs := inputs.Unjoin(stripUsage(run.err))
	for _, e := range errs {
		printError(rep, e)
	}
	note := "Failed."
	if run.r.client == nil || run.r.client.Stats().Writes == 0 {
		rep.Errorf("nothing was changed")
		note = "Failed: nothing was changed."
	}
	failureSummary(rep, string(cfg.Operation), run.org, note, errs)
	return ExitFailed
}

// finishOrgs writes the outputs and the summary of several organizations:
// the result in organization, then name, order; one summary table per
// organization.
func finishOrgs(rep *report.Reporter, cfg inputs.Config, runs []*orgRun) int {
	var entries []json.RawMessage
	var stale []string
	var md, text strings.Builder
	changed, code := false, ExitOK
	for _, run := range runs {
		if run.err != nil {
			code = ExitFailed
			t := orgFailure(cfg, run)
			md.WriteString(t.Markdown())
			text.WriteString(t.Text())
			continue
		}
		v := run.r.render(run.res)
		es, err := resultEntries(v.result)
		if err != nil {
			rep.Errorf("could not encode the result of organization %s: %v", run.org, err)
			return ExitFailed
		}
		entries = append(entries, es...)
		changed = changed || v.changed
		for _, s := range run.r.status.stale {
			stale = append(stale, run.org+"/"+s)
		}
		code = worse(code, run.r.status.exitCode)
		t := run.r.table(run.res, v.rows)
		md.WriteString(t.Markdown())
		text.WriteString(t.Text())
		logFailures(run.r.rep, run.res)
	}
	flushLogs(rep, runs)
	for _, run := range runs {
		if run.err != nil {
			for _, e := range inputs.Unjoin(stripUsage(run.err)) {
				printError(rep, fmt.Errorf("organization %s: %w", run.org, e))
			}
		}
	}
	return writeOrgsOutputs(rep, entries, changed, stale, md.String(), text.String(), code)
}

// orgFailure is the summary table of an organization that failed before
// its writes.
func orgFailure(cfg inputs.Config, run *orgRun) report.Table {
	t := report.Table{Title: summaryTitle(string(cfg.Operation), run.org), Note: "Failed: nothing was changed in this organization."}
	for _, e := range inputs.Unjoin(stripUsage(run.err)) {
		t.Errors = append(t.Errors, e.Error())
	}
	return t
}

// writeOrgsOutputs writes the outputs, result and summary of several
// organizations.
func writeOrgsOutputs(rep *report.Reporter, entries []json.RawMessage, changed bool, stale []string, md, text string, code int) int {
	if entries == nil {
		entries = []json.RawMessage{}
	}
	body, code, ok := setRunOutputs(rep, entries, changed, stale, md, code, nil)
	if !ok {
		return code
	}
	rep.Result(string(body))
	rep.Summary(md, text)
	return code
}

// resultEntries turns one organization's result into entries of the
// combined array, sorted by name (stably: a secret's changes keep their
// order). An object, such as a public key, is one entry.
func resultEntries(result any) ([]json.RawMessage, error) {
	b, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(b, &list); err != nil {
		return []json.RawMessage{b}, nil //nolint:nilerr // not an array: one entry
	}
	names := make([]string, len(list))
	for i, e := range list {
		var n struct{ Name string }
		_ = json.Unmarshal(e, &n)
		names[i] = n.Name
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(names[a], names[b]) })
	out := make([]json.RawMessage, len(list))
	for i, k := range idx {
		out[i] = list[k]
	}
	return out, nil
}

// childReporter is a Reporter that logs into buf, as rep would log, for
// an organization's runner; it never writes outputs or the summary.
func childReporter(rep *report.Reporter, buf io.Writer, o options) *report.Reporter {
	ws := ""
	if rep.Actions() { // to place manifest annotations as rep does
		ws = rep.Workspace()
	}
	getenv := func(k string) string {
		if k == "GITHUB_WORKSPACE" {
			return ws
		}
		return ""
	}
	return report.New(rep.Actions(), getenv, buf, buf, report.WithRand(o.rand))
}

// exportOrgs writes one manifest, in the organizations form, of every
// organization the runs read; when one of them could not be read, nothing
// is written.
func exportOrgs(rep *report.Reporter, cfg inputs.Config, runs []*orgRun, o options) int {
	var errs []error
	var states []orgExport
	var logins []string
	for _, run := range runs {
		logins = append(logins, run.org)
		if run.err != nil {
			for _, e := range inputs.Unjoin(stripUsage(run.err)) {
				errs = append(errs, fmt.Errorf("organization %s: %w", run.org, e))
			}
			continue
		}
		states = append(states, run.res.(manifestResult).states...)
	}
	if len(errs) > 0 {
		return stopped(rep, cfg, errs, false)
	}
	root := &opRun{cfg: cfg, rep: rep, o: o}
	root.cfg.Org = strings.Join(logins, ", ")
	text, outside, err := renderOrgsManifest(states)
	if err == nil {
		for _, w := range outside {
			rep.Warnf("%s", w)
		}
		var res result
		if res, err = root.writeManifest(text, states); err == nil {
			return root.finish(res)
		}
	}
	return stopped(rep, cfg, []error{err}, false)
}

// worse is the exit code of a run on several organizations, given two of
// theirs: a failure (1) over findings (3) over success (0).
func worse(a, b int) int {
	for _, c := range []int{ExitUsage, ExitFailed, ExitFindings} {
		if a == c || b == c {
			return c
		}
	}
	return ExitOK
}
