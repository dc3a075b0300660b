package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/apply"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// maxSecretsStdin bounds what --secrets - reads: GitHub's 100 secrets of
// the largest value, with room for their names and delimiters.
const maxSecretsStdin = plan.MaxSecrets * (inputs.MaxValueBytes + 1024)

// readStdin replaces the one input given as "-" (--value - or --secrets -)
// with standard input, less one final line ending (see dropLineEnding).
// Both at once is an error, as standard input can be read only once, and
// so is nothing there (or only whitespace), unless --allow-empty lets
// `value` be empty. When standard input is a terminal, --value - prompts
// on stderr and reads one line without echo (see promptValue).
func readStdin(ctx context.Context, raw inputs.Raw, stdin io.Reader, stderr io.Writer) error {
	var dash []inputs.Input
	for _, in := range inputs.Inputs {
		if in.DashReadsStdin && raw[in.Name] == "-" {
			dash = append(dash, in)
		}
	}
	switch len(dash) {
	case 0:
		return nil
	case 1:
	default:
		return errors.New("--value - and --secrets - both read standard input, which can be read only once: " +
			"give the one value in --secrets as NAME=value lines with the others, and drop --name and --value")
	}
	in := dash[0]
	if in.Name == "value" {
		v, ok, err := promptValue(ctx, stdin, stderr, raw["name"])
		switch {
		case err != nil:
			return err
		case ok && strings.TrimSpace(v) == "" && raw["allow-empty"] != "true":
			return errors.New("--value -: nothing was pasted: paste the value at the prompt, or add --allow-empty if an empty value is what you mean")
		case ok:
			raw["value"] = v
			return nil
		}
	}
	limit := int64(inputs.MaxValueBytes)
	if in.Name == "secrets" {
		limit = maxSecretsStdin
	}
	// Read past the limit by a line ending ("\r\n") and one byte: what is
	// cut there is over the limit, whatever line ending it has.
	b, err := io.ReadAll(io.LimitReader(stdin, limit+3))
	if err != nil {
		return fmt.Errorf("could not read `%s` from standard input: %w", in.Name, err)
	}
	v := dropLineEnding(string(b))
	// A value read in full is left to the check that gives its size; the
	// secrets have no such check of their total, so theirs is here.
	if truncated := int64(len(b)) == limit+3; int64(len(v)) > limit && (truncated || in.Name == "secrets") {
		// Only the bytes read are known, not how many more there were.
		if in.Name == "secrets" {
			return fmt.Errorf("`secrets`: standard input holds more than %d bytes, more than %d secrets of GitHub's largest value: pass fewer secrets", limit, plan.MaxSecrets)
		}
		return fmt.Errorf("`value`: standard input holds more than %d bytes, %s", limit, inputs.OverValueLimit)
	}
	if strings.TrimSpace(v) == "" {
		// Parse's message for an empty input is about a workflow's unset
		// secret (or, for `secrets`, blames `name`): say what happened here.
		switch {
		case in.Name == "secrets":
			return errors.New("--secrets - got nothing on standard input (or only whitespace): " +
				"pass the NAME=value lines there, such as --secrets - < secrets.env")
		case raw["allow-empty"] != "true" && (strings.TrimSpace(raw["visibility"]) != "" || strings.TrimSpace(raw["repositories"]) != ""):
			// As inputs says of an empty value: an empty one would replace it.
			return errors.New("--value - got nothing on standard input (or only whitespace): " +
				"to change only who can see a secret, keeping its value, use set-visibility with --name, --visibility and (for selected) --repositories: it sends no value")
		case raw["allow-empty"] != "true":
			return errors.New("--value - got nothing on standard input (or only whitespace): " +
				"pass the value there, such as --value - < token.txt, or add --allow-empty if an empty value is what you mean")
		}
	}
	raw[in.Name] = v
	return nil
}

// terminal reports whether stderr is a terminal: as told by WithTerminal,
// or else whether it is a character device.
func (o options) terminal(stderr io.Writer) bool {
	if o.isTerminal != nil {
		return *o.isTerminal
	}
	f, ok := stderr.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressClient is the client apply writes through, counting the secrets
// it writes as "secret N of M" on a terminal. A secret counts once however
// many requests its change takes (a key fetched again, one per repository).
type progressClient struct {
	apply.Client
	rep   *report.Reporter
	total int
	done  int
	last  secret.Name
}

// withProgress wraps the client for the writes of changes.
func (r *opRun) withProgress(changes []plan.Change) apply.Client {
	names := map[secret.Name]bool{}
	for _, c := range changes {
		if c.Writes() {
			names[c.Name] = true
		}
	}
	return &progressClient{Client: r.client, rep: r.rep, total: len(names)}
}

func (p *progressClient) step(name secret.Name) {
	if name == p.last {
		return
	}
	p.last = name
	p.done++
	p.rep.Progress(p.done, p.total, string(name))
}

func (p *progressClient) PutSecret(ctx context.Context, org string, name secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error) {
	p.step(name)
	return p.Client.PutSecret(ctx, org, name, req)
}

func (p *progressClient) PutSecretKeepingRepos(ctx context.Context, org string, name secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error) {
	p.step(name)
	return p.Client.PutSecretKeepingRepos(ctx, org, name, req)
}

func (p *progressClient) DeleteSecret(ctx context.Context, org string, name secret.Name) error {
	p.step(name)
	return p.Client.DeleteSecret(ctx, org, name)
}

func (p *progressClient) SetSelectedRepos(ctx context.Context, org string, name secret.Name, ids []int64) error {
	p.step(name)
	return p.Client.SetSelectedRepos(ctx, org, name, ids)
}

func (p *progressClient) AddSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error {
	p.step(name)
	return p.Client.AddSelectedRepo(ctx, org, name, id)
}

func (p *progressClient) RemoveSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error {
	p.step(name)
	return p.Client.RemoveSelectedRepo(ctx, org, name, id)
}
