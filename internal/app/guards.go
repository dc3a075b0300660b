// Guards against the mistakes a run cannot undo or would hide: a prune
// that would empty the organization, a delete of a misspelt name.

package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// checkPrune refuses `prune: true` with a manifest that lists no secret,
// which would delete every secret of the organization.
func (r *opRun) checkPrune(m *manifest.Manifest) error {
	if !r.cfg.Prune || len(m.Secrets) > 0 {
		return nil
	}
	return usageError{fmt.Errorf("`prune`: %s lists no secret, so `prune: true` would delete every Codespaces secret of organization %q; "+
		"list the secrets to keep in the manifest, or, to delete secrets on purpose, use `operation: delete` with their names in `name`", m.Path, r.cfg.Org)}
}

// warnMissingDeletes warns about each name that a delete found absent, and
// offers the existing secret whose name is close to it. It returns the
// warnings by name, for the summary's rows.
func (r *opRun) warnMissingDeletes(cur plan.Current, changes []plan.Change) map[secret.Name]string {
	warnings := map[secret.Name]string{}
	for _, c := range changes {
		if c.Action != plan.Unchanged {
			continue
		}
		msg := fmt.Sprintf("secret %s does not exist in organization %q, so there was nothing to delete", c.Name, r.cfg.Org)
		if near, ok := closest(c.Name, cur); ok {
			msg += fmt.Sprintf(": did you mean %s?", near)
		} else {
			msg += ": check its name with `operation: list`"
		}
		r.rep.Warnf("%s", msg)
		warnings[c.Name] = msg
	}
	return warnings
}

// closest returns the secret of cur whose name is nearest to name: the same
// letters in another case, or at most 2 edits away (the first by name of
// the nearest).
func closest(name secret.Name, cur plan.Current) (secret.Name, bool) {
	names := make([]secret.Name, 0, len(cur.Secrets))
	for n := range cur.Secrets {
		names = append(names, n)
	}
	slices.Sort(names)
	best, bestDist := secret.Name(""), 3
	for _, n := range names {
		if n == name {
			continue
		}
		d := ascii.EditDistance(strings.ToUpper(string(name)), strings.ToUpper(string(n)))
		if d < bestDist {
			best, bestDist = n, d
		}
	}
	return best, best != ""
}
