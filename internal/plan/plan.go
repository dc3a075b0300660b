// Package plan turns what the user asked for and what GitHub holds into a list
// of changes. It is pure: no I/O, no values, no clock. The rule it exists to
// keep is that a secret's scope (visibility and repository list) changes only
// when the user asks for it.
package plan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// Action is what a change does to one secret. The values are part of the
// action's `result` output.
type Action string

// The actions a change can have.
const (
	Create           Action = "create"
	Update           Action = "update"
	Delete           Action = "delete"
	SetRepositories  Action = "set-repositories"
	AddRepository    Action = "add-repository"
	RemoveRepository Action = "remove-repository"
	Unchanged        Action = "unchanged"
)

// Change is one step of a plan. It never holds a value: WithValue says that
// the write carries the secret's (encrypted) value.
type Change struct {
	Name         secret.Name       `json:"name"`
	Action       Action            `json:"action"`
	Visibility   secret.Visibility `json:"visibility"`
	Repositories []string          `json:"repositories"`

	// Before is the scope of a secret that existed, as the run read it
	// from GitHub; nil for a secret the change creates (or a delete of
	// one that does not exist).
	Before *Scope `json:"-"`
	// WithValue is true when the write sends (in a dry run: would send) a
	// new encrypted value: the `value_written` of the result.
	WithValue bool `json:"-"`

	// RepoIDs are the ids sent with the write: the full list for Create,
	// Update and SetRepositories, the one repository for Add/RemoveRepository.
	RepoIDs []int64 `json:"-"`
	// Exists is true when the secret exists before the change.
	Exists bool `json:"-"`
	// CreatedAt is when an existing secret was created, as read while
	// planning: an update retried after a lost answer compares it with
	// GitHub's to tell whether it re-created a secret deleted meanwhile.
	CreatedAt time.Time `json:"-"`
	// KeepRepos is true for a write that sends the secret's repository
	// list again as it is: the list is read just before the write, not
	// while planning, so RepoIDs and Repositories are empty until then.
	KeepRepos bool `json:"-"`
	// ReposUnknown is true when Repositories is not the secret's list but
	// empty for want of a read (a selected secret deleted or left alone
	// without its list read, a kept list a failed write never read): the
	// result leaves the list out rather than show one it did not clear.
	ReposUnknown bool `json:"-"`
}

// Scope is who can see a secret: its visibility and, for a `selected`
// secret whose list the run read, its repositories (as Change.Repositories
// shows them). Repositories is nil when the list was not read or the
// secret is not `selected`.
type Scope struct {
	Visibility   secret.Visibility `json:"visibility"`
	Repositories *[]string         `json:"repositories,omitempty"`
}

// before is the scope of s as cur holds it.
func before(cur Current, s secret.Secret) *Scope {
	b := &Scope{Visibility: s.Visibility}
	if repos, ok := cur.RepoList(s.Name); ok && s.Visibility == secret.Selected {
		_, labels := Split(repos)
		b.Repositories = &labels
	}
	return b
}

// Keep records the repository list that a KeepRepos write sends again, as
// read just before it: it is both what is sent and what was there before.
// A nil list (not read: the write failed before) leaves Before as it is.
func (c *Change) Keep(repos []secret.Repository) {
	c.RepoIDs, c.Repositories = Split(repos)
	if c.Before != nil && repos != nil { // nil: the list was not read
		b := *c.Before
		_, labels := Split(repos)
		b.Repositories = &labels
		c.Before = &b
	}
}

// RepoDiff returns the repositories an update or set-repositories adds and
// removes, as Repositories shows them, when the secret is `selected` before
// and after and its list before is known; ok is false otherwise.
func (c Change) RepoDiff() (added, removed []string, ok bool) {
	if c.Before == nil || c.Before.Repositories == nil || c.Before.Visibility != secret.Selected || c.Visibility != secret.Selected {
		return nil, nil, false
	}
	if c.Action != Update && c.Action != SetRepositories {
		return nil, nil, false // no whole list to compare: a delete, an unchanged secret, or one repository of an add or remove
	}
	old := *c.Before.Repositories
	for _, r := range c.Repositories {
		if !slices.Contains(old, r) {
			added = append(added, r)
		}
	}
	for _, r := range old {
		if !slices.Contains(c.Repositories, r) {
			removed = append(removed, r)
		}
	}
	return added, removed, true
}

// MaxSecrets is how many Codespaces secrets an organization may hold.
const MaxSecrets = 100

// checkLimit fails when the creates in changes would take the organization
// past MaxSecrets. Deletes run last, so they do not make room.
func checkLimit(cur Current, changes []Change) error {
	creates := 0
	for _, c := range changes {
		if c.Action == Create {
			creates++
		}
	}
	if n := len(cur.Secrets); creates > 0 && n+creates > MaxSecrets {
		return fmt.Errorf("the organization has %d Codespaces secrets and this run would create %d more, over GitHub's limit of %d: delete secrets you no longer need first (operation: delete, or a sync with prune and no new secrets), then run again", n, creates, MaxSecrets)
	}
	return nil
}

// Writes reports whether the change sends a write request.
func (c Change) Writes() bool { return c.Action != Unchanged }

// Current is what GitHub holds, as far as the run has read it.
type Current struct {
	// Secrets are the organization's secrets by name.
	Secrets map[secret.Name]secret.Secret
	// Repos are the selected repositories of the secrets whose list was
	// read, by name.
	Repos map[secret.Name][]secret.Repository
}

// NewCurrent indexes a list of secrets.
func NewCurrent(secrets []secret.Secret) Current {
	c := Current{Secrets: map[secret.Name]secret.Secret{}, Repos: map[secret.Name][]secret.Repository{}}
	for _, s := range secrets {
		c.Secrets[s.Name] = s
	}
	return c
}

// Lookup finds a secret by name.
func (c Current) Lookup(name secret.Name) (secret.Secret, bool) {
	s, ok := c.Secrets[name]
	return s, ok
}

// RepoList returns the selected repositories read for a secret.
func (c Current) RepoList(name secret.Name) ([]secret.Repository, bool) {
	r, ok := c.Repos[name]
	return r, ok
}

// Desired is what the user asked for one secret.
type Desired struct {
	Name secret.Name
	// HasValue is true when the user gave a value to write.
	HasValue bool
	// Visibility is "all", "private", "selected", or "" to keep the
	// current one (private for a new secret).
	Visibility secret.Visibility
	// Repos is the repository list to set, or nil to keep the current one.
	// A repository known only by its id has no FullName.
	Repos []secret.Repository
	// Where says where the user asked for the secret, such as
	// manifest.yml:4:3; when set, the plan's errors about it carry it.
	Where place.Pos
	// CreateOnly writes the value only to create the secret
	// (overwrite: false): an existing secret keeps its value.
	CreateOnly bool
}

// writesValue reports whether a write of d sends its value, given whether
// the secret exists.
func (d Desired) writesValue(exists bool) bool {
	return d.HasValue && !(d.CreateOnly && exists)
}

// at puts where the user asked for d in front of an error about it.
func at(d Desired, err error) error {
	return place.Wrap(d.Where, err)
}

// NeedsRepoList names the existing `selected` secrets whose repository list
// must be read before planning: those written without a value, whose list
// is compared with a wanted one (or shown as unchanged). A secret written
// with a value needs no read while planning: a new list replaces the old
// one, and a kept list is read just before the write (Change.KeepRepos),
// so that a change someone else makes meanwhile is not sent back.
func NeedsRepoList(cur Current, want []Desired) []secret.Name {
	var names []secret.Name
	for _, d := range want {
		s, ok := cur.Lookup(d.Name)
		if !ok || s.Visibility != secret.Selected || d.writesValue(true) {
			continue
		}
		if v := d.Visibility; v == "" || v == secret.Selected {
			names = append(names, s.Name)
		}
	}
	return names
}

// Set plans `operation: set`: every desired secret gets its value written.
// An existing secret keeps its visibility and repository list unless the
// user gave new ones; a `selected` secret's list is always sent again,
// because GitHub does not promise to keep it when it is omitted (a list not
// in cur is read just before the write: KeepRepos). An existing secret
// wanted CreateOnly is left as it is, scope included: Unchanged.
func Set(cur Current, want []Desired) ([]Change, error) {
	changes := make([]Change, 0, len(want))
	var errs []error
	for _, d := range want {
		if old, ok := cur.Lookup(d.Name); ok && !d.writesValue(true) {
			changes = append(changes, leftAlone(cur, old))
			continue
		}
		c, err := scope(cur, d)
		if err != nil {
			errs = append(errs, at(d, err))
			continue
		}
		c.WithValue = true
		c.Action = Create
		if c.Exists {
			c.Action = Update
		}
		changes = append(changes, c)
	}
	if err := checkLimit(cur, changes); err != nil {
		errs = append(errs, err)
	}
	return changes, errors.Join(errs...)
}

// Sync plans `operation: sync`. Entries with a value are written like Set;
// entries without one, and existing secrets wanted CreateOnly, get only
// their scope reconciled, with no request when it already matches. With prune, secrets the manifest does not list are
// deleted; those deletes come first in the plan, so a reviewer sees them
// (package apply runs them last).
func Sync(cur Current, want []Desired, prune bool) ([]Change, error) {
	var changes, deletes []Change
	var errs []error
	listed := map[secret.Name]bool{}
	for _, d := range want {
		listed[d.Name] = true
		c, err := scope(cur, d)
		if err != nil {
			errs = append(errs, at(d, err))
			continue
		}
		switch {
		case d.writesValue(c.Exists):
			c.WithValue = true
			c.Action = Create
			if c.Exists {
				c.Action = Update
			}
		case !c.Exists:
			errs = append(errs, at(d, fmt.Errorf("secret %s does not exist yet and no value was given for it: add its value to the `secrets` input", d.Name)))
			continue
		default:
			c.Action = reconcile(cur, c)
		}
		changes = append(changes, c)
	}
	if prune {
		for _, s := range sortedSecrets(cur) {
			if !listed[s.Name] {
				deletes = append(deletes, deleteChange(cur, s))
			}
		}
	}
	if err := checkLimit(cur, changes); err != nil {
		errs = append(errs, err)
	}
	return append(deletes, changes...), errors.Join(errs...)
}

// reconcile is the action that gives an existing secret the scope of c
// without sending a value: an Update (a PUT with no value) for a new
// visibility, SetRepositories for a new list of a secret that stays
// selected, or Unchanged.
func reconcile(cur Current, c Change) Action {
	old, _ := cur.Lookup(c.Name)
	oldRepos, _ := cur.RepoList(c.Name)
	switch {
	case old.Visibility != c.Visibility:
		return Update
	case c.Visibility == secret.Selected && !sameIDs(ids(oldRepos), c.RepoIDs):
		return SetRepositories
	}
	return Unchanged
}

// SetVisibility plans `operation: set-visibility`: each desired secret, which
// must exist, gets the visibility (and, for selected, the repositories) of
// d, and no value is ever sent. Desired.Repos nil for selected keeps the
// list of a secret that is already selected (its list must be in cur); a
// secret that is not selected yet needs the repositories, so that a
// selected secret never silently ends up with none.
func SetVisibility(cur Current, want []Desired) ([]Change, error) {
	changes := make([]Change, 0, len(want))
	var errs []error
	for _, d := range want {
		old, ok := cur.Lookup(d.Name)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("secret %s does not exist, and set-visibility never creates one: check its name with `operation: list`, or create it with `operation: set` and its value", d.Name))
			continue
		case d.Visibility == secret.Selected && d.Repos == nil && old.Visibility != secret.Selected:
			errs = append(errs, fmt.Errorf("secret %s has visibility %s, so it has no repository list to keep: give the repositories that may use it in `repositories`", old.Name, old.Visibility))
			continue
		}
		d.HasValue = false
		c, err := scope(cur, d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Action = reconcile(cur, c)
		changes = append(changes, c)
	}
	return changes, errors.Join(errs...)
}

// leftAlone is the Unchanged change of an existing secret that a run does
// not write: its scope as read, its list left out when it was not read.
func leftAlone(cur Current, s secret.Secret) Change {
	c := Change{Name: s.Name, Action: Unchanged, Visibility: s.Visibility, Exists: true, CreatedAt: s.CreatedAt, Repositories: []string{}, Before: before(cur, s)}
	if s.Visibility != secret.Selected {
		return c
	}
	repos, ok := cur.RepoList(s.Name)
	c.RepoIDs, c.Repositories = Split(repos)
	c.ReposUnknown = !ok
	return c
}

// DeleteSecrets plans the deletion of the named secrets; an absent one is
// Unchanged, so deleting twice succeeds.
func DeleteSecrets(cur Current, names []secret.Name) []Change {
	changes := make([]Change, 0, len(names))
	for _, n := range names {
		s, ok := cur.Lookup(n)
		if !ok {
			changes = append(changes, Change{Name: n, Action: Unchanged, Repositories: []string{}})
			continue
		}
		changes = append(changes, deleteChange(cur, s))
	}
	return changes
}

// Repositories plans set-repositories, add-repositories and
// remove-repositories for the named secrets, which must exist and be
// `selected` with their list read into cur. Repositories already in place
// (or already absent) cost no request.
func Repositories(cur Current, op Action, names []secret.Name, repos []secret.Repository) ([]Change, error) {
	var changes []Change
	var errs []error
	for _, n := range names {
		s, ok := cur.Lookup(n)
		if !ok {
			errs = append(errs, fmt.Errorf("secret %s does not exist: create it first with `operation: set` and `visibility: selected`", n))
			continue
		}
		if s.Visibility != secret.Selected {
			errs = append(errs, fmt.Errorf("secret %s has visibility %s, so it has no repository list: make it selected with its repositories first (`operation: set-visibility`, `visibility: selected`, `repositories`)", s.Name, s.Visibility))
			continue
		}
		old, _ := cur.RepoList(s.Name)
		have := map[int64]bool{}
		for _, r := range old {
			have[r.ID] = true
		}
		switch op {
		case SetRepositories:
			c := Change{Name: s.Name, Action: SetRepositories, Visibility: secret.Selected, Exists: true, Before: before(cur, s)}
			c.RepoIDs, c.Repositories = Split(repos)
			if sameIDs(ids(old), c.RepoIDs) {
				c.Action = Unchanged
			}
			changes = append(changes, c)
		case AddRepository, RemoveRepository:
			for _, r := range repos {
				c := Change{Name: s.Name, Action: op, Visibility: secret.Selected, Exists: true, Before: before(cur, s)}
				c.RepoIDs, c.Repositories = Split([]secret.Repository{r})
				if have[r.ID] == (op == AddRepository) {
					c.Action = Unchanged
				}
				changes = append(changes, c)
			}
		default:
			return nil, fmt.Errorf("plan: %q is not a repository action", op)
		}
	}
	return changes, errors.Join(errs...)
}

// scope resolves the visibility and repository list a write of d sends.
func scope(cur Current, d Desired) (Change, error) {
	c := Change{Name: d.Name, Repositories: []string{}}
	old, exists := cur.Lookup(d.Name)
	c.Exists = exists
	if exists {
		c.Name, c.CreatedAt = old.Name, old.CreatedAt
		c.Before = before(cur, old)
	}
	c.Visibility = d.Visibility
	if c.Visibility == "" {
		c.Visibility = secret.Private
		if exists {
			c.Visibility = old.Visibility
		}
	}
	if c.Visibility != secret.Selected {
		if d.Repos != nil {
			why := "its visibility is " + string(c.Visibility)
			if !exists && d.Visibility == "" {
				why = "it does not exist yet, and a new secret is private unless `visibility` says otherwise"
			}
			return c, fmt.Errorf("secret %s: `repositories` can only be given for a secret with visibility selected, and %s: set `visibility: selected` or remove `repositories`", c.Name, why)
		}
		return c, nil
	}
	if d.Repos != nil {
		c.RepoIDs, c.Repositories = Split(d.Repos)
		return c, nil
	}
	c.RepoIDs = []int64{}
	if exists && old.Visibility == secret.Selected {
		repos, ok := cur.RepoList(old.Name)
		if !ok && d.writesValue(exists) {
			// Read just before the write; until then (and when the write
			// never gets that far) the result leaves the list out.
			c.RepoIDs, c.KeepRepos, c.ReposUnknown = nil, true, true
			return c, nil
		}
		if !ok {
			return c, fmt.Errorf("plan: the repository list of %s was not read", old.Name)
		}
		c.RepoIDs, c.Repositories = Split(repos)
	}
	return c, nil
}

func deleteChange(cur Current, s secret.Secret) Change {
	c := Change{Name: s.Name, Action: Delete, Visibility: s.Visibility, Exists: true, Repositories: []string{}, Before: before(cur, s)}
	if repos, ok := cur.RepoList(s.Name); ok {
		for _, r := range repos {
			c.Repositories = append(c.Repositories, r.FullName)
		}
	} else if s.Visibility == secret.Selected {
		c.ReposUnknown = true
	}
	return c
}

func sortedSecrets(cur Current) []secret.Secret {
	out := make([]secret.Secret, 0, len(cur.Secrets))
	for _, s := range cur.Secrets {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b secret.Secret) int { return strings.Compare(string(a.Name), string(b.Name)) })
	return out
}

// Split returns the ids of repos and how messages show them (Label).
func Split(repos []secret.Repository) ([]int64, []string) {
	ids := make([]int64, 0, len(repos))
	labels := make([]string, 0, len(repos))
	for _, r := range repos {
		ids = append(ids, r.ID)
		labels = append(labels, r.Label())
	}
	return ids, labels
}

func ids(repos []secret.Repository) []int64 {
	out := make([]int64, 0, len(repos))
	for _, r := range repos {
		out = append(out, r.ID)
	}
	return out
}

func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
