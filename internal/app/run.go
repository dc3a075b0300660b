package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// issuesURL is where a bug is reported.
const issuesURL = "https://github.com/codespaces-org-secrets/codespaces-org-secrets/issues"

// opRun carries one run's configuration and collaborators.
type opRun struct {
	cfg    inputs.Config
	rep    *report.Reporter
	client *githubapi.Client
	repos  *resolver
	o      options
	// hold makes applyChanges keep the writes in held instead of running
	// them, so that every organization of a run is validated and planned
	// before the first write in any of them.
	hold bool
	// held, when not nil, is the planned writes of a runner that holds
	// them: it returns the operation's result, which replaces the one the
	// operation returned.
	held func(context.Context) result
	// nameOrg names the organization in the plan's lines: the run works
	// on several.
	nameOrg bool

	refused refusals  // the run's first permission refusal (refusal.go)
	status  runStatus // what concerns the whole run (finish)
}

// runStatus is what a runner's operation found that concerns the whole
// run rather than its result: the exit code, the stale secrets, and what
// failed or was flagged in a run that still has a result.
type runStatus struct {
	exitCode int
	stale    []string // the `stale` output: secrets older than max-age
	errs     []error  // what failed in a run that still has a result (a secret get could not read)
	findings []error  // what the run was asked to flag and found (a get of a name that does not exist)
}

// found marks a finding: the run worked, and its exit code is
// ExitFindings unless something also failed.
func (s *runStatus) found() {
	if s.exitCode == ExitOK {
		s.exitCode = ExitFindings
	}
}

func run(ctx context.Context, cfg inputs.Config, rep *report.Reporter, o options) int {
	if cfg.Several() || cfg.AppID != "" {
		return runOrgs(ctx, cfg, rep, o)
	}
	client, err := newClient(cfg, cfg.Token, rep, o)
	if err != nil {
		// The inputs were checked: New fails only on a mistake of ours.
		err = fmt.Errorf("internal error: could not set up the GitHub API client: %w; this is a bug in codespaces-org-secrets, please report it at %s", err, issuesURL)
		rep.Errorf("%v", err)
		rep.Errorf("no request was sent")
		failureSummary(rep, string(cfg.Operation), cfg.Org, "Failed: an internal error stopped the run, so no request was sent.", []error{err})
		return ExitFailed
	}
	r := &opRun{cfg: cfg, rep: rep, client: client, o: o}
	r.repos = newResolver(r)
	res, err := r.operation(ctx)
	if err != nil {
		code := ExitFailed
		if isUsage(err) {
			code = ExitUsage
		}
		errs := inputs.Unjoin(stripUsage(err))
		for _, e := range errs {
			printError(rep, e)
		}
		note := "Failed."
		if code == ExitUsage || r.client.Stats().Writes == 0 {
			rep.Errorf("nothing was changed")
			note = "Failed: nothing was changed."
		}
		failureSummary(rep, string(cfg.Operation), cfg.Org, note, errs)
		return code
	}
	return r.finish(res)
}

// newClient returns a client of GitHub's API authenticated with token,
// whose notices go to rep.
func newClient(cfg inputs.Config, token string, rep *report.Reporter, o options) (*githubapi.Client, error) {
	return githubapi.New(cfg.APIURL, token,
		githubapi.WithHTTPClient(o.httpClient),
		githubapi.WithClock(o.clock),
		githubapi.WithUserAgent("codespaces-org-secrets/"+o.version),
		githubapi.WithWaitNotice(func(s string) { rep.Infof("%s", s) }),
		githubapi.WithRequestTimeouts(o.headerTimeout, o.bodyTimeout),
		githubapi.WithAPIURLName("`api-url`"),
	)
}

// printError prints one problem: at its place in the manifest, when it has
// one, so that GitHub shows it on that line of a pull request's diff.
func printError(rep *report.Reporter, err error) {
	if p, msg, ok := place.Of(err); ok {
		rep.ErrorAt(p, msg)
		return
	}
	rep.Errorf("%s", err.Error())
}

// usageError marks a problem with the inputs that was found while reading
// GitHub's state (a repository that does not exist, a manifest error): the
// run stops before any write.
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }

// stripUsage returns the error a usageError marks, so that the problems
// it joins are split like any others: each is its own annotation and its
// own line of the summary.
func stripUsage(err error) error {
	if u, ok := err.(usageError); ok {
		return u.error
	}
	return err
}

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
