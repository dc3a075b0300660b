package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// now is the time of the run, from the injected clock.
func (r *opRun) now() time.Time {
	if r.o.clock != nil {
		return r.o.clock.Now()
	}
	return time.Now()
}

// age returns how many whole days ago s was last given a value (0 for a
// time in the future), and whether that is longer ago than max-age. With no
// max-age nothing is stale.
func (r *opRun) age(s secret.Secret, now time.Time) (days int, stale bool) {
	d := now.Sub(s.UpdatedAt)
	if d < 0 {
		d = 0
	}
	return int(d / (24 * time.Hour)), r.cfg.MaxAge > 0 && d > r.cfg.MaxAge
}

// staleText says why s is stale, for its row in the summary.
func (r *opRun) staleText(s secret.Secret, days int) string {
	return fmt.Sprintf("stale: last updated %s, %s ago (max-age %s)", s.UpdatedAt.UTC().Format(time.DateOnly), plural(days, "day"), r.cfg.MaxAgeText)
}

// staleMessage is the error (list, get) or warning (sync) for a stale
// secret: its name, its last update, its age in days, and the fix.
func (r *opRun) staleMessage(s secret.Secret, days int) string {
	return fmt.Sprintf("secret %s was last updated %s, %s ago, longer ago than max-age %s: rotate it (operation set keeps its visibility and repositories)",
		s.Name, s.UpdatedAt.UTC().Format(time.RFC3339), plural(days, "day"), r.cfg.MaxAgeText)
}

// warnStale warns, after a sync, about each stale secret the run did not
// give a new value or delete, marks its row, and lists it in the `stale`
// output. It changes nothing else: the exit code stays what it was.
func (r *opRun) warnStale(cur plan.Current, res *changesResult) {
	if r.cfg.MaxAge == 0 {
		return
	}
	renewed := map[secret.Name]bool{}
	for _, c := range res.changes {
		if c.Err == nil && (c.WithValue || c.Action == plan.Delete) {
			renewed[c.Name] = true
		}
	}
	names := make([]secret.Name, 0, len(cur.Secrets))
	for name := range cur.Secrets {
		names = append(names, name)
	}
	slices.Sort(names)
	now := r.now()
	res.warnings = map[secret.Name]string{}
	for _, name := range names {
		s := cur.Secrets[name]
		if renewed[name] {
			continue
		}
		if days, stale := r.age(s, now); stale {
			r.rep.Warnf("%s", r.staleMessage(s, days))
			r.status.stale = append(r.status.stale, string(s.Name))
			res.warnings[name] = r.staleText(s, days)
		}
	}
}

// staleRemark is the summary's line about the stale secrets, or "".
func (r *opRun) staleRemark(stale []string) string {
	if len(stale) == 0 {
		return ""
	}
	return fmt.Sprintf("%s older than max-age %s: %s.", plural(len(stale), "secret"), r.cfg.MaxAgeText, strings.Join(stale, ", "))
}

// plural returns n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkAge fills in a secret's age for list and get, and when it is older
// than max-age marks its row, lists it in the `stale` output and fails the
// step with one error for it, as a finding (ExitFindings).
func (r *opRun) checkAge(s secret.Secret, now time.Time, sj *secretJSON, row *report.Row) {
	days, stale := r.age(s, now)
	sj.AgeDays = days
	if !stale {
		return
	}
	row.Warning = r.staleText(s, days)
	r.status.stale = append(r.status.stale, string(s.Name))
	r.rep.Errorf("%s", r.staleMessage(s, days))
	r.status.found()
}

// rotationRemark is the summary's line for a run that wrote a value.
const rotationRemark = "A new value reaches a codespace only when the codespace is created or restarted: running codespaces keep the old value until then."
