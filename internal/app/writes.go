// The write operations other than sync: set, delete and the repository
// operations, with the repository look-ups and the apply step they share.

package app

import (
	"context"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// set writes values, keeping each existing secret's scope unless the
// inputs change it.
func (r *opRun) set(ctx context.Context) (result, error) {
	var repos []secret.Repository
	if r.cfg.RepositoriesGiven {
		var err error
		if repos, err = r.repos.resolveAll(ctx, r.cfg.Repositories); err != nil {
			return nil, err
		}
	}
	values := map[secret.Name]string{}
	want := make([]plan.Desired, 0, len(r.cfg.Secrets))
	for _, s := range r.cfg.Secrets {
		values[s.Name] = s.Value
		d := plan.Desired{Name: s.Name, HasValue: true, Visibility: r.cfg.Visibility, CreateOnly: !r.cfg.Overwrite}
		if r.cfg.RepositoriesGiven {
			d.Repos = repos
		}
		want = append(want, d)
	}
	// set reads no repository list while planning: a value's kept list is
	// read just before its write, and a secret that overwrite: false
	// leaves alone needs none.
	cur, err := r.readState(ctx, nil)
	if err != nil {
		return nil, err
	}
	changes, err := plan.Set(cur, want)
	if err != nil {
		return nil, usageError{err}
	}
	r.warnScopeLeftAlone(changes)
	return r.applyChanges(ctx, changes, values, nil)
}

// warnScopeLeftAlone says, for each existing secret that overwrite: false
// leaves as it is, that the visibility or repositories given were not
// applied to it either.
func (r *opRun) warnScopeLeftAlone(changes []plan.Change) {
	if r.cfg.Overwrite || (r.cfg.Visibility == "" && !r.cfg.RepositoriesGiven) {
		return
	}
	for _, c := range changes {
		if c.Action == plan.Unchanged {
			r.rep.Warnf("secret %s exists, so overwrite: false leaves it as it is, its visibility and repositories included: "+
				"use `operation: set-visibility` to change who can see it", c.Name)
		}
	}
}

// setVisibility changes who can see existing secrets, sending no value:
// 1 list, the repository look-ups, and 1 PUT (or set-repositories) per
// secret whose scope changes.
func (r *opRun) setVisibility(ctx context.Context) (result, error) {
	var repos []secret.Repository
	if r.cfg.RepositoriesGiven {
		var err error
		if repos, err = r.repos.resolveAll(ctx, r.cfg.Repositories); err != nil {
			return nil, err
		}
	}
	want := make([]plan.Desired, 0, len(r.cfg.Names))
	for _, n := range r.cfg.Names {
		d := plan.Desired{Name: n, Visibility: r.cfg.Visibility}
		if r.cfg.RepositoriesGiven {
			d.Repos = repos
		}
		want = append(want, d)
	}
	cur, err := r.readState(ctx, want)
	if err != nil {
		return nil, err
	}
	changes, err := plan.SetVisibility(cur, want)
	if err != nil {
		return nil, usageError{err}
	}
	return r.applyChanges(ctx, changes, nil, nil)
}

func (r *opRun) delete(ctx context.Context) (result, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return nil, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	changes := plan.DeleteSecrets(cur, r.cfg.Names)
	warnings := r.warnMissingDeletes(cur, changes)
	// the summary marks a name that does not exist
	return r.applyChanges(ctx, changes, nil, func(res *changesResult) { res.warnings = warnings })
}

// repositories changes the named selected secrets' repositories by action.
func (r *opRun) repositories(ctx context.Context, action plan.Action) (result, error) {
	repos, err := r.repos.resolveAll(ctx, r.cfg.Repositories)
	if err != nil {
		return nil, err
	}
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return nil, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	for _, n := range r.cfg.Names {
		if s, ok := cur.Lookup(n); ok && s.Visibility == secret.Selected {
			if err := r.readRepoList(ctx, cur, s.Name); err != nil {
				return nil, err
			}
		}
	}
	changes, err := plan.Repositories(cur, action, r.cfg.Names, repos)
	if err != nil {
		return nil, usageError{err}
	}
	return r.applyChanges(ctx, changes, nil, nil)
}

// resolver turns repository references into repositories for set, the
// repository operations and sync. It asks GitHub once per name: a name it
// looked up, or found in a repository list the run read (see learn), costs
// nothing the next time. A lookup that failed is not kept.
type resolver struct {
	r     *opRun
	known map[string]secret.Repository // by secret.RepoRef.Key
}

func newResolver(r *opRun) *resolver {
	return &resolver{r: r, known: map[string]secret.Repository{}}
}

// learn keeps the repositories of a list the run read, by name and by id.
func (rs *resolver) learn(repos []secret.Repository) {
	for _, rp := range repos {
		rs.known[rp.Ref().Key()] = rp
		rs.known[secret.RepoRef{ID: rp.ID}.Key()] = rp
	}
}

// resolve returns the repository ref names. An id that no list read holds
// is taken as it is, with no request and no full name.
func (rs *resolver) resolve(ctx context.Context, ref secret.RepoRef) (secret.Repository, error) {
	if rp, ok := rs.known[ref.Key()]; ok {
		return rp, nil
	}
	if ref.ID != 0 {
		return secret.Repository{ID: ref.ID}, nil
	}
	rp, err := rs.r.client.GetRepo(ctx, ref.Owner, ref.Name)
	if err != nil {
		return secret.Repository{}, rs.r.explainRepo(err, ref)
	}
	rs.known[ref.Key()] = rp
	return rp, nil
}

// resolveAll resolves refs into a list without repeats. Every reference
// that does not resolve is reported; the error is a usageError only when
// each of them was not found.
func (rs *resolver) resolveAll(ctx context.Context, refs []secret.RepoRef) ([]secret.Repository, error) {
	out := make([]secret.Repository, 0, len(refs))
	var errs []error
	for _, ref := range refs {
		rp, err := rs.resolve(ctx, ref)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = addRepo(out, rp)
	}
	if len(errs) > 0 {
		return nil, joinUsage(errs)
	}
	return out, nil
}

// addRepo adds rp to repos unless a repository with its id is there
// already; then rp's full name fills in one known only by its id.
func addRepo(repos []secret.Repository, rp secret.Repository) []secret.Repository {
	for i, o := range repos {
		if o.ID == rp.ID {
			if o.FullName == "" {
				repos[i] = rp
			}
			return repos
		}
	}
	return append(repos, rp)
}

// applyChanges prints the plan, stops there in a dry run, and otherwise
// applies it; a runner that holds its writes (one organization of several)
// keeps them in r.held, to run once every organization has planned. then,
// when not nil, finishes the result once the changes are planned or
// written.
func (r *opRun) applyChanges(ctx context.Context, changes []plan.Change, values map[secret.Name]string, then func(*changesResult)) (result, error) {
	if r.cfg.DryRun {
		// Nothing is written, so a kept list can be shown as it is now.
		for i, c := range changes {
			if !c.KeepRepos {
				continue
			}
			repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, c.Name)
			if err != nil {
				return nil, r.explainSecret(err, c.Name)
			}
			changes[i].Keep(repos)
			changes[i].KeepRepos, changes[i].ReposUnknown = false, false
		}
	}
	for _, c := range changes {
		r.rep.Infof("%s", planLine(c, r.inOrg()))
	}
	finish := func(res changesResult) result {
		if then != nil {
			then(&res)
		}
		return res
	}
	if r.cfg.DryRun {
		res := changesResult{org: r.cfg.Org, changes: make([]apply.Outcome, 0, len(changes)), planned: true}
		for _, c := range changes {
			res.changes = append(res.changes, apply.Outcome{Change: c})
		}
		return finish(res), nil
	}
	if r.hold {
		r.held = func(ctx context.Context) result { return finish(r.apply(ctx, changes, values)) }
		return changesResult{org: r.cfg.Org}, nil // replaced by held's
	}
	return finish(r.apply(ctx, changes, values)), nil
}

// apply writes the changes and reports their warnings.
func (r *opRun) apply(ctx context.Context, changes []plan.Change, values map[secret.Name]string) changesResult {
	runner := &apply.Runner{
		Client: r.withProgress(changes),
		Org:    r.cfg.Org,
		Values: values,
		Rand:   r.o.rand,
	}
	res := runner.Run(ctx, changes)
	for i, c := range res {
		if c.Warning != "" {
			r.rep.Warnf("%s", c.Warning)
		}
		if c.Err != nil {
			res[i].Err = r.explainSecret(c.Err, c.Name)
			r.status.exitCode = ExitFailed
		}
	}
	return changesResult{org: r.cfg.Org, changes: res}
}

// inOrg names the organization in a plan line of a run on several.
func (r *opRun) inOrg() string {
	if !r.nameOrg {
		return ""
	}
	return " in " + r.cfg.Org
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
