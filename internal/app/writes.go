// The write operations other than sync: set, delete and the repository
// operations, with the repository look-ups and the apply step they share.

package app

import (
	"context"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/sealedbox"
)

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
		if c.Warning != "" {
			r.rep.Warnf("%s", c.Warning)
		}
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
