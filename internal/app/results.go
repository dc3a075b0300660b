package app

import "github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"

// result is a read operation's own result in one organization: it knows
// its JSON (the `result` output) and its rows of the job summary. A write
// operation's result is its changes (outcome.changes), which render turns
// into JSON and rows.
type result interface {
	// json is the value of the `result` output.
	json() any
	// rows are the rows of the job summary's table.
	rows() []report.Row
}

// outputter is a result with outputs of its own, besides `result`.
type outputter interface {
	outputs() [][2]string
}

// secretsResult is the result of list and get: the secrets read.
type secretsResult struct {
	secrets []secretJSON
	summary []report.Row
}

func (s secretsResult) json() any          { return s.secrets }
func (s secretsResult) rows() []report.Row { return s.summary }

// keyResult is the result of public-key: the organization's public key,
// which is also the `key-id` and `key` outputs.
type keyResult struct {
	org, keyID, key string
}

func (k keyResult) json() any {
	return map[string]string{"org": k.org, "key_id": k.keyID, "key": k.key}
}
func (k keyResult) rows() []report.Row { return nil }
func (k keyResult) outputs() [][2]string {
	return [][2]string{{"key-id", k.keyID}, {"key", k.key}}
}

// reposResult is the result of list-repositories: the repositories of one
// selected secret.
type reposResult struct {
	repos   []orgRepoJSON
	summary []report.Row
}

func (r reposResult) json() any          { return r.repos }
func (r reposResult) rows() []report.Row { return r.summary }

// manifestResult is the result of export: the manifest's path and the
// names it lists.
type manifestResult struct {
	manifest exportJSON
	summary  []report.Row
}

func (m manifestResult) json() any          { return m.manifest }
func (m manifestResult) rows() []report.Row { return m.summary }
