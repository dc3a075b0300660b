// sync's warning about a secret it leaves selected with no repository.

package app

import (
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// warnSelectedWithNone warns, at its entry in the manifest, of each secret
// that sync makes (or keeps) selected with no repository because its entry
// has `visibility: selected` and no `repositories` key: a new secret, or
// one that is not selected now, gets an empty list, and so does one whose
// list the run read empty. An explicit `repositories: []` is deliberate
// and gets no warning. It sends no request: a list the run did not read is
// kept, and is not warned of.
func (r *opRun) warnSelectedWithNone(m *manifest.Manifest, cur plan.Current) {
	for _, e := range m.Secrets {
		if e.Visibility != secret.Selected || e.RepositoriesSet {
			continue
		}
		if s, ok := cur.Secrets[e.Name]; ok && s.Visibility == secret.Selected {
			if repos, read := cur.Repos[e.Name]; !read || len(repos) > 0 {
				continue
			}
		}
		where := ""
		if r.nameOrg {
			where = " in organization " + r.cfg.Org
		}
		r.rep.WarnAt(m.Pos(e.Line, e.Column), fmt.Sprintf("%s%s is selected with no repository: no codespace can use it; list its repositories under `repositories:`, or make it private", e.Written, where))
	}
}
