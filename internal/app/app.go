// Package app is the action and the local command: it reads the inputs
// (environment in a workflow, flags on a workstation), validates them all,
// reads GitHub's state, plans, applies and reports. main.go only hands it
// the process's environment.
package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// Exit codes of Main.
const (
	ExitOK     = 0 // everything asked for was done (or planned, in a dry run)
	ExitFailed = 1 // GitHub refused or failed a request; see the errors
	ExitUsage  = 2 // an input is invalid; nothing was changed
	// ExitFindings: the run worked and found what it was asked to flag: a
	// secret older than max-age (list, get), or a get of a name that does
	// not exist.
	ExitFindings = 3
)

// DefaultBudget bounds a whole run, retries and rate-limit waits included.
const DefaultBudget = 10 * time.Minute

type options struct {
	httpClient *http.Client
	clock      githubapi.Clock
	rand       io.Reader
	version    string
	readFile   func(string) ([]byte, error)
	writeFile  func(string, []byte) error
	budget     time.Duration
	// headerTimeout and bodyTimeout bound each request (0: the API
	// layer's defaults).
	headerTimeout, bodyTimeout time.Duration
	isTerminal                 *bool // nil: look at stderr
	ghToken                    func(ctx context.Context, host string) (string, bool)
	stdout                     io.Writer // where export --manifest - writes on a workstation
}

// Option configures Main. A nil Option is ignored.
type Option func(*options)

// WithHTTPClient sets the HTTP client used for GitHub's API.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithClock sets the clock used for retries, rate limits and pacing, and
// the time of the run that max-age and age_days are measured from.
func WithClock(c githubapi.Clock) Option { return func(o *options) { o.clock = c } }

// WithRand sets the random source for sealing values and output delimiters.
func WithRand(r io.Reader) Option { return func(o *options) { o.rand = r } }

// WithVersion sets the version shown by --version and in the User-Agent.
func WithVersion(v string) Option { return func(o *options) { o.version = v } }

// WithReadFile sets how the sync manifest is read.
func WithReadFile(f func(string) ([]byte, error)) Option {
	return func(o *options) { o.readFile = f }
}

// WithBudget sets the time budget of a run.
func WithBudget(d time.Duration) Option { return func(o *options) { o.budget = d } }

// WithRequestTimeouts bounds each request: header until GitHub's response
// headers, body the reading of the body (see githubapi.WithRequestTimeouts).
func WithRequestTimeouts(header, body time.Duration) Option {
	return func(o *options) { o.headerTimeout, o.bodyTimeout = header, body }
}

// WithWriteFile sets how export writes the manifest: the whole file,
// replacing one that exists, creating its directories.
func WithWriteFile(f func(path string, data []byte) error) Option {
	return func(o *options) { o.writeFile = f }
}

// WithTerminal says whether stderr is a terminal, which shows a long run's
// progress there (on a workstation only). By default Main looks at stderr.
func WithTerminal(isTerminal bool) Option {
	return func(o *options) { o.isTerminal = &isTerminal }
}

// Main runs the program and returns its exit code. In a workflow
// (GITHUB_ACTIONS=true) it reads INPUT_* variables and writes workflow
// commands, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY; elsewhere it reads flags,
// takes the token from GH_TOKEN or GITHUB_TOKEN, prints the result as JSON
// on stdout and the summary on stderr.
func Main(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
	o := options{version: "dev", readFile: readFileBounded, writeFile: manifest.WriteFile, budget: DefaultBudget, ghToken: ghAuthToken, stdout: stdout}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	actions := getenv("GITHUB_ACTIONS") == "true"
	var raw inputs.Raw
	if actions {
		raw = inputs.FromEnv(getenv)
	} else {
		var code int
		var ok bool
		if raw, code, ok = localInputs(ctx, args, getenv, stdin, stdout, stderr, o); !ok {
			return code
		}
	}

	rep := report.New(actions, getenv, stdout, stderr, report.WithRand(o.rand), report.WithTerminal(!actions && o.terminal(stderr)),
		localWording(actions, raw))
	maskInputs(rep, raw)

	cfg, err := inputs.Parse(raw)
	if err != nil {
		errs := inputs.Unjoin(err)
		for _, e := range errs {
			rep.Errorf("%s", e.Error())
		}
		rep.Errorf("no request was sent: fix the inputs above and run again")
		failureSummary(rep, raw["operation"], raw["org"], "Failed: the inputs have problems, so no request was sent.", errs)
		return ExitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, o.budget)
	defer cancel()
	return run(ctx, cfg, rep, o)
}

// dropLineEnding removes one final "\n" or "\r\n" from a value read from
// standard input, as `echo` and `printf '…\n'` add one. A lone "\r" is
// part of the value.
func dropLineEnding(v string) string {
	if s, ok := strings.CutSuffix(v, "\r\n"); ok {
		return s
	}
	return strings.TrimSuffix(v, "\n")
}

// summaryTitle heads every job summary: the operation and organization when
// both are known (a run that failed on its inputs may have neither).
func summaryTitle(op, org string) string {
	if op == "" || org == "" {
		return "Codespaces secrets"
	}
	return fmt.Sprintf("Codespaces secrets: %s in %s", op, org)
}

// failureSummary writes the job summary of a run that stopped before it
// changed anything, listing the problems. On a workstation the errors are
// already on stderr, so it writes nothing there.
func failureSummary(rep *report.Reporter, op, org, note string, errs []error) {
	if !rep.Actions() {
		return
	}
	t := report.Table{Title: summaryTitle(op, org), Note: note}
	for _, e := range errs {
		t.Errors = append(t.Errors, e.Error())
	}
	rep.Summary(t.Markdown(), t.Text())
}

// maskInputs registers every value with the runner before anything else is
// printed. When the secrets input does not parse, every line of it is
// masked, since any line may be part of a value.
func maskInputs(rep *report.Reporter, raw inputs.Raw) {
	rep.Mask(raw["token"], raw["value"], raw["private-key"]) // a key: whole, then line by line
	s := raw["secrets"]
	if s == "" {
		return
	}
	parsed, err := inputs.ParseSecrets(s)
	if err != nil {
		rep.Mask(strings.Split(s, "\n")...)
		return
	}
	for _, sv := range parsed {
		rep.Mask(sv.Value)
	}
}
