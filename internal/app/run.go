package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/sealedbox"
)

// runner carries one run's configuration and collaborators.
type runner struct {
	cfg    inputs.Config
	rep    *report.Reporter
	client *githubapi.Client
	o      options
}

// outcome is what an operation produced, for the outputs and the summary.
type outcome struct {
	result   any         // marshalled into the `result` output
	outputs  [][2]string // extra outputs, such as key-id and key
	changes  []apply.Outcome
	planned  bool // changes were planned, not applied (dry run)
	rows     []report.Row
	exitCode int

	changed  bool              // for an operation without changes: it changed something (export)
	note     string            // the summary's note, for an operation without changes
	code     string            // a file shown in the summary (export's manifest in a dry run)
	stale    []string          // the `stale` output: secrets older than max-age
	warnings map[string]string // by upper-case name: why a change's row is marked (stale)
}

func run(ctx context.Context, cfg inputs.Config, rep *report.Reporter, o options) int {
	client, err := githubapi.New(cfg.APIURL, cfg.Token,
		githubapi.WithHTTPClient(o.httpClient),
		githubapi.WithClock(o.clock),
		githubapi.WithUserAgent("codespaces-org-secrets/"+o.version),
		githubapi.WithWaitNotice(func(s string) { rep.Infof("%s", s) }),
		githubapi.WithRequestTimeouts(o.headerTimeout, o.bodyTimeout),
	)
	if err != nil {
		rep.Errorf("%v", err)
		rep.Errorf("no request was sent: fix the inputs above and run again")
		failureSummary(rep, string(cfg.Operation), cfg.Org, "Failed: the inputs have problems, so no request was sent.", []error{err})
		return ExitUsage
	}
	r := &runner{cfg: cfg, rep: rep, client: client, o: o}
	out, err := r.operation(ctx)
	if err != nil {
		code := ExitFailed
		if isUsage(err) {
			code = ExitUsage
		}
		errs := flatten(err)
		for _, e := range errs {
			rep.Errorf("%s", e.Error())
		}
		note := "Failed."
		if code == ExitUsage || r.client.Stats().Writes == 0 {
			rep.Errorf("nothing was changed")
			note = "Failed: nothing was changed."
		}
		failureSummary(rep, string(cfg.Operation), cfg.Org, note, errs)
		return code
	}
	return r.finish(out)
}

// usageError marks a problem with the inputs that was found while reading
// GitHub's state (a repository that does not exist, a manifest error): the
// run stops before any write.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// isUsage reports whether err is a usageError, or wraps or joins only
// usageErrors: a run that also met a failure of GitHub did not fail because
// of its inputs alone.
func isUsage(err error) bool {
	switch e := err.(type) {
	case usageError:
		return true
	case interface{ Unwrap() []error }:
		errs := e.Unwrap()
		for _, e := range errs {
			if !isUsage(e) {
				return false
			}
		}
		return len(errs) > 0
	case interface{ Unwrap() error }:
		return isUsage(e.Unwrap())
	}
	return false
}

// joinUsage joins errs, as a usageError when every one of them is an input
// error: a repository that does not exist is, a server error while looking
// it up is not.
func joinUsage(errs []error) error {
	for _, e := range errs {
		if !isUsage(e) {
			return errors.Join(errs...)
		}
	}
	return usageError{errors.Join(errs...)}
}

func (r *runner) operation(ctx context.Context) (outcome, error) {
	switch r.cfg.Operation {
	case inputs.OpList:
		return r.list(ctx)
	case inputs.OpGet:
		return r.get(ctx)
	case inputs.OpPublicKey:
		return r.publicKey(ctx)
	case inputs.OpListRepositories:
		return r.listRepositories(ctx)
	case inputs.OpSet:
		return r.set(ctx)
	case inputs.OpDelete:
		return r.delete(ctx)
	case inputs.OpSetRepositories, inputs.OpAddRepositories, inputs.OpRemoveRepositories:
		return r.repositories(ctx)
	case inputs.OpSync:
		return r.sync(ctx)
	case inputs.OpExport:
		return r.export(ctx)
	}
	return outcome{}, usageError{fmt.Errorf("`operation`: %q is not supported", r.cfg.Operation)}
}

// secretJSON is a secret in the `result` output of list and get.
type secretJSON struct {
	Name         string      `json:"name"`
	Visibility   string      `json:"visibility"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
	AgeDays      int         `json:"age_days"`               // whole days since updated_at
	Repositories *[]repoJSON `json:"repositories,omitempty"` // set (even empty) for a selected secret
}

// repoJSON is a repository in the `result` output.
type repoJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

func (r *runner) list(ctx context.Context) (outcome, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	res := make([]secretJSON, 0, len(secrets))
	out := outcome{stale: []string{}}
	now := r.now()
	for _, s := range secrets {
		sj := secretJSON{Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: s.Name, Action: "listed", Visibility: s.Visibility}
		r.checkAge(s, now, &sj, &row, &out)
		res = append(res, sj)
		out.rows = append(out.rows, row)
	}
	out.result = res
	return out, nil
}

// get reads each named secret: one by its own request, several from one
// list of the organization's secrets. One that cannot be read fails the
// run, but the others are still in the result and the summary.
func (r *runner) get(ctx context.Context) (outcome, error) {
	out := outcome{stale: []string{}}
	now := r.now()
	res := make([]secretJSON, 0, len(r.cfg.Names))
	var errs []error
	fail := func(name string, err error) {
		errs = append(errs, err)
		out.rows = append(out.rows, report.Row{Name: name, Action: "read", Error: err.Error()})
	}
	read := func(name string) (githubapi.Secret, error) {
		s, err := r.client.GetSecret(ctx, r.cfg.Org, name)
		if err != nil {
			return s, r.explainSecret(err, name)
		}
		return s, nil
	}
	if len(r.cfg.Names) > 1 {
		secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
		if err != nil {
			return outcome{}, r.explainOrg(err)
		}
		cur := plan.NewCurrent(secrets)
		read = func(name string) (githubapi.Secret, error) {
			if s, ok := cur.Lookup(name); ok {
				return s, nil
			}
			return githubapi.Secret{}, fmt.Errorf("secret %s does not exist in organization %q: check its name with `operation: list`", strings.ToUpper(name), r.cfg.Org)
		}
	}
	for _, n := range r.cfg.Names {
		s, err := read(n)
		if err != nil {
			fail(n, err)
			continue
		}
		sj := secretJSON{Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: s.Name, Action: "read", Visibility: s.Visibility}
		r.checkAge(s, now, &sj, &row, &out)
		if s.Visibility == plan.Selected {
			repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, s.Name)
			if err != nil {
				fail(s.Name, r.explainSecret(err, s.Name))
				continue
			}
			rj := reposJSON(repos)
			sj.Repositories = &rj
			for _, rp := range repos {
				row.Repositories = append(row.Repositories, rp.FullName)
			}
		}
		res = append(res, sj)
		out.rows = append(out.rows, row)
	}
	out.result = res
	if len(errs) == len(r.cfg.Names) {
		return outcome{}, errors.Join(errs...) // nothing was read
	}
	for _, e := range errs {
		r.rep.Errorf("%s", e.Error())
	}
	if len(errs) > 0 {
		out.exitCode = ExitFailed
	}
	return out, nil
}

func (r *runner) publicKey(ctx context.Context) (outcome, error) {
	k, err := r.client.GetPublicKey(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	return outcome{
		result:  map[string]string{"key_id": k.KeyID, "key": k.Key},
		outputs: [][2]string{{"key-id", k.KeyID}, {"key", k.Key}},
	}, nil
}

func (r *runner) listRepositories(ctx context.Context) (outcome, error) {
	name := r.cfg.Names[0]
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return outcome{}, r.explainSecret(err, name)
	}
	var rows []report.Row
	for _, rp := range repos {
		rows = append(rows, report.Row{Name: strings.ToUpper(name), Action: "listed", Visibility: plan.Selected, Repositories: []string{rp.FullName}})
	}
	return outcome{result: reposJSON(repos), rows: rows}, nil
}

func reposJSON(repos []githubapi.Repository) []repoJSON {
	out := make([]repoJSON, 0, len(repos))
	for _, rp := range repos {
		out = append(out, repoJSON{ID: rp.ID, Name: rp.Name, FullName: rp.FullName})
	}
	return out
}

// set writes values, keeping each existing secret's scope unless the
// inputs change it.
func (r *runner) set(ctx context.Context) (outcome, error) {
	var repos []plan.Repo
	if r.cfg.RepositoriesGiven {
		var err error
		if repos, err = r.resolveRepos(ctx, r.cfg.Repositories); err != nil {
			return outcome{}, err
		}
	}
	values := map[string]string{}
	want := make([]plan.Desired, 0, len(r.cfg.Secrets))
	for _, s := range r.cfg.Secrets {
		values[strings.ToUpper(s.Name)] = s.Value
		d := plan.Desired{Name: s.Name, HasValue: true, Visibility: r.cfg.Visibility}
		if r.cfg.RepositoriesGiven {
			d.Repos = repos
		}
		want = append(want, d)
	}
	cur, err := r.readState(ctx, want)
	if err != nil {
		return outcome{}, err
	}
	changes, err := plan.Set(cur, want)
	if err != nil {
		return outcome{}, usageError{err}
	}
	return r.applyChanges(ctx, changes, values)
}

func (r *runner) delete(ctx context.Context) (outcome, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	return r.applyChanges(ctx, plan.DeleteSecrets(plan.NewCurrent(secrets), r.cfg.Names), nil)
}

func (r *runner) repositories(ctx context.Context) (outcome, error) {
	repos, err := r.resolveRepos(ctx, r.cfg.Repositories)
	if err != nil {
		return outcome{}, err
	}
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	for _, n := range r.cfg.Names {
		if s, ok := cur.Lookup(n); ok && s.Visibility == plan.Selected {
			if err := r.readRepoList(ctx, cur, s.Name); err != nil {
				return outcome{}, err
			}
		}
	}
	action := map[inputs.Operation]plan.Action{
		inputs.OpSetRepositories:    plan.SetRepositories,
		inputs.OpAddRepositories:    plan.AddRepository,
		inputs.OpRemoveRepositories: plan.RemoveRepository,
	}[r.cfg.Operation]
	changes, err := plan.Repositories(cur, action, r.cfg.Names, repos)
	if err != nil {
		return outcome{}, usageError{err}
	}
	return r.applyChanges(ctx, changes, nil)
}

// sync makes the organization match the manifest.
func (r *runner) sync(ctx context.Context) (outcome, error) {
	m, err := manifest.Load(r.cfg.Manifest, r.o.readFile)
	if err != nil {
		return outcome{}, usageError{err}
	}
	values := map[string]string{}
	var errs []error
	for _, s := range r.cfg.Secrets {
		if _, ok := m.Lookup(s.Name); !ok {
			errs = append(errs, fmt.Errorf("`secrets`: a value was given for %s, which %s does not list: add it to the manifest or remove the value", s.Name, m.Path))
		}
		values[strings.ToUpper(s.Name)] = s.Value
	}
	// First the manifest alone: each entry's wanted scope, with its
	// repositories still unresolved.
	want := make([]plan.Desired, 0, len(m.Secrets))
	type listed struct {
		at   int // index in want
		refs []inputs.RepoRef
	}
	var lists []listed
	for _, e := range m.Secrets {
		d := plan.Desired{Name: e.Name, Visibility: e.Visibility, Where: fmt.Sprintf("%s:%d", m.Path, e.Line)}
		_, d.HasValue = values[strings.ToUpper(e.Name)]
		if e.Visibility == plan.Selected && e.RepositoriesSet { // no repositories key: keep the current list
			refs, err := inputs.ParseRepositories(strings.Join(e.Repositories, "\n"), r.cfg.Org)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: secret %s: %w", d.Where, e.Name, err))
				continue
			}
			d.Repos = []plan.Repo{} // filled in below, once the current lists are read
			lists = append(lists, listed{at: len(want), refs: refs})
		}
		want = append(want, d)
	}
	if len(errs) > 0 {
		return outcome{}, usageError{errors.Join(errs...)}
	}
	cur, err := r.readState(ctx, want)
	if err != nil {
		return outcome{}, err
	}
	// Then the repositories: those the lists just read already hold cost
	// nothing; each other name is looked up once.
	known := map[string]plan.Repo{} // by reference: "owner/name" in lower case, or the id
	for _, repos := range cur.Repos {
		for _, rp := range repos {
			known[strings.ToLower(rp.FullName)] = plan.Repo{ID: rp.ID, Label: rp.FullName}
			known[strconv.FormatInt(rp.ID, 10)] = plan.Repo{ID: rp.ID, Label: rp.FullName}
		}
	}
	for _, l := range lists {
		d := &want[l.at]
		for _, ref := range l.refs {
			key := strings.ToLower(ref.String())
			rp, ok := known[key]
			if !ok {
				got, err := r.resolveRepos(ctx, []inputs.RepoRef{ref})
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: secret %s: %w", d.Where, d.Name, err))
					continue
				}
				rp = got[0]
				known[key] = rp
			}
			if !slices.ContainsFunc(d.Repos, func(o plan.Repo) bool { return o.ID == rp.ID }) {
				d.Repos = append(d.Repos, rp)
			}
		}
	}
	if len(errs) > 0 {
		return outcome{}, joinUsage(errs)
	}
	changes, err := plan.Sync(cur, want, r.cfg.Prune)
	if err != nil {
		return outcome{}, usageError{err}
	}
	out, err := r.applyChanges(ctx, changes, values)
	if err == nil {
		r.warnStale(cur, &out)
	}
	return out, err
}

// readState lists the organization's secrets and the repository lists the
// plan needs.
func (r *runner) readState(ctx context.Context, want []plan.Desired) (plan.Current, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return plan.Current{}, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	names := plan.NeedsRepoList(cur, want)
	for i, name := range names {
		r.rep.Progress(i+1, len(names), name)
		if err := r.readRepoList(ctx, cur, name); err != nil {
			return cur, err
		}
	}
	return cur, nil
}

func (r *runner) readRepoList(ctx context.Context, cur plan.Current, name string) error {
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return r.explainSecret(err, name)
	}
	cur.Repos[strings.ToUpper(name)] = repos
	return nil
}

// resolveRepos turns repository names into ids, with one request per
// distinct name. Every name that does not resolve is reported; the error is
// a usageError only when each of them was not found.
func (r *runner) resolveRepos(ctx context.Context, refs []inputs.RepoRef) ([]plan.Repo, error) {
	out := make([]plan.Repo, 0, len(refs))
	var errs []error
	add := func(rp plan.Repo) {
		for i, o := range out {
			if o.ID == rp.ID {
				if o.Label == "" {
					out[i].Label = rp.Label
				}
				return
			}
		}
		out = append(out, rp)
	}
	for _, ref := range refs {
		if ref.ID != 0 {
			add(plan.Repo{ID: ref.ID})
			continue
		}
		got, err := r.client.GetRepo(ctx, ref.Owner, ref.Name)
		if err != nil {
			errs = append(errs, r.explainRepo(err, ref))
			continue
		}
		add(plan.Repo{ID: got.ID, Label: got.FullName})
	}
	if len(errs) > 0 {
		return nil, joinUsage(errs)
	}
	return out, nil
}

// applyChanges prints the plan, stops there in a dry run, and otherwise
// applies it.
func (r *runner) applyChanges(ctx context.Context, changes []plan.Change, values map[string]string) (outcome, error) {
	if r.cfg.DryRun {
		// Nothing is written, so a kept list can be shown as it is now.
		for i, c := range changes {
			if !c.KeepRepos {
				continue
			}
			repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, c.Name)
			if err != nil {
				return outcome{}, r.explainSecret(err, c.Name)
			}
			for _, rp := range repos {
				changes[i].RepoIDs = append(changes[i].RepoIDs, rp.ID)
				changes[i].Repositories = append(changes[i].Repositories, rp.FullName)
			}
			changes[i].KeepRepos = false
		}
	}
	for _, c := range changes {
		suffix := repoSuffix(c.Repositories)
		if c.KeepRepos {
			suffix = ", repositories kept: read again just before the write"
		}
		r.rep.Infof("plan: %s %s (visibility %s)%s", c.Action, c.Name, orDash(c.Visibility), suffix)
	}
	if r.cfg.DryRun {
		res := make([]apply.Outcome, 0, len(changes))
		for _, c := range changes {
			res = append(res, apply.Outcome{Change: c})
		}
		return outcome{changes: res, planned: true}, nil
	}
	runner := &apply.Runner{
		Client: r.withProgress(changes),
		Org:    r.cfg.Org,
		Values: values,
		Seal: func(key string, value []byte) (string, error) {
			return sealedbox.Seal(key, value, r.o.rand)
		},
	}
	res := runner.Run(ctx, changes)
	out := outcome{changes: res}
	for i, c := range res {
		if c.Err != nil {
			res[i].Err = r.explainSecret(c.Err, c.Name)
			out.exitCode = ExitFailed
		}
	}
	return out, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func repoSuffix(repos []string) string {
	if len(repos) == 0 {
		return ""
	}
	return ", repositories: " + strings.Join(repos, ", ")
}

// changeJSON is a change in the `result` output of write operations.
type changeJSON struct {
	plan.Change
	Error string `json:"error,omitempty"`
}

// finish writes the result, outputs, summary and errors, and picks the exit
// code.
func (r *runner) finish(out outcome) int {
	changed := out.changed
	result := out.result
	rows := out.rows
	if out.changes != nil {
		list := make([]changeJSON, 0, len(out.changes))
		rows = rows[:0]
		for _, c := range out.changes {
			cj := changeJSON{Change: c.Change}
			if c.Err != nil {
				cj.Error = c.Err.Error()
			} else if c.Writes() {
				changed = true
			}
			list = append(list, cj)
			rows = append(rows, report.Row{Name: c.Name, Action: string(c.Action), Visibility: c.Visibility, Repositories: c.Repositories, Error: cj.Error,
				Warning: out.warnings[strings.ToUpper(c.Name)]})
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
	r.rep.Result(string(body))
	r.rep.Summary(r.table(out, rows, changed).Markdown(), r.table(out, rows, changed).Text())
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
