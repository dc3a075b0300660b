package plan

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// The tests name secrets by their canonical names, and with secret.NameOf
// where a test is about a name written in another case.
const (
	All      = secret.All
	Private  = secret.Private
	Selected = secret.Selected
)

func current(secrets map[secret.Name]secret.Visibility, repos map[secret.Name][]int64) Current {
	var list []secret.Secret
	for name, vis := range secrets {
		list = append(list, secret.Secret{Name: name, Visibility: vis})
	}
	c := NewCurrent(list)
	for name, ids := range repos {
		var rs []secret.Repository
		for _, id := range ids {
			rs = append(rs, secret.Repository{ID: id, FullName: repoLabel(id)})
		}
		c.Repos[name] = rs
	}
	return c
}

// repoLabel is the full name the tests give repository id.
func repoLabel(id int64) string { return fmt.Sprintf("acme/r%d", id) }

func repos(ids ...int64) []secret.Repository {
	out := []secret.Repository{}
	for _, id := range ids {
		out = append(out, secret.Repository{ID: id, FullName: repoLabel(id)})
	}
	return out
}

func TestSet(t *testing.T) {
	t.Parallel()
	cur := current(
		map[secret.Name]secret.Visibility{"SEL": "selected", "ALL": "all", "PRIV": "private"},
		map[secret.Name][]int64{"SEL": {1, 2}},
	)
	tests := []struct {
		name    string
		want    Desired
		action  Action
		vis     secret.Visibility
		ids     []int64
		wantErr string
	}{
		{"creates a new secret as private", Desired{Name: secret.NameOf("new")}, Create, Private, nil, ""},
		{"creates a new selected secret with its repositories", Desired{Name: "NEW", Visibility: Selected, Repos: repos(3)}, Create, Selected, []int64{3}, ""},
		{"creates a new selected secret with no repositories", Desired{Name: "NEW", Visibility: Selected}, Create, Selected, []int64{}, ""},
		{"keeps a selected secret's list when rotating", Desired{Name: secret.NameOf("sel")}, Update, Selected, []int64{1, 2}, ""},
		{"keeps a selected secret's list when selected is repeated", Desired{Name: "SEL", Visibility: Selected}, Update, Selected, []int64{1, 2}, ""},
		{"replaces a selected secret's list when given", Desired{Name: "SEL", Repos: repos(3)}, Update, Selected, []int64{3}, ""},
		{"keeps visibility all", Desired{Name: "ALL"}, Update, All, nil, ""},
		{"changes visibility when asked", Desired{Name: "ALL", Visibility: Private}, Update, Private, nil, ""},
		{"refuses repositories for a secret that stays all", Desired{Name: "ALL", Repos: repos(1)}, "", "", nil, "visibility is all"},
		{"refuses repositories with private", Desired{Name: "NEW", Visibility: Private, Repos: repos(1)}, "", "", nil, "visibility selected"},
		{"refuses repositories for a new secret without visibility", Desired{Name: "NEW", Repos: repos(1)}, "", "", nil, "a new secret is private unless `visibility` says otherwise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.HasValue = true
			got, err := Set(cur, []Desired{tt.want})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := got[0]
			if c.Action != tt.action || c.Visibility != tt.vis || !c.WithValue || !reflect.DeepEqual(c.RepoIDs, tt.ids) {
				t.Errorf("got %+v, want %s %s %v", c, tt.action, tt.vis, tt.ids)
			}
			if c.Name != secret.NameOf(string(c.Name)) {
				t.Errorf("name %q is not upper-case", c.Name)
			}
		})
	}
}

func TestSyncFailsLoudlyWhenAComparedListWasNotRead(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": "selected"}, nil)
	if _, err := Sync(cur, []Desired{{Name: "SEL", Visibility: Selected}}, false); err == nil {
		t.Fatal("planned a selected secret without the repository list it is compared with")
	}
}

func TestTheSecretLimitIsCheckedBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	orgWith := func(n int) Current {
		secrets := map[secret.Name]secret.Visibility{}
		for i := range n {
			secrets[secret.Name(fmt.Sprintf("S_%03d", i))] = All
		}
		return current(secrets, nil)
	}
	newOnes := func(names ...string) []Desired {
		var d []Desired
		for _, n := range names {
			d = append(d, Desired{Name: secret.Name(n), HasValue: true})
		}
		return d
	}
	tests := []struct {
		name    string
		plan    func() error
		wantErr bool
	}{
		{"set: 98 existing and 2 new fit", func() error { _, err := Set(orgWith(98), newOnes("A", "B")); return err }, false},
		{"set: 99 existing and 2 new do not", func() error { _, err := Set(orgWith(99), newOnes("A", "B")); return err }, true},
		{"set: at the limit, updates still work", func() error { _, err := Set(orgWith(100), newOnes("S_000", "S_001")); return err }, false},
		{"sync: prune does not make room, since deletes run last", func() error {
			_, err := Sync(orgWith(100), newOnes("A"), true)
			return err
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "over GitHub's limit of 100") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestNeedsRepoList(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": "selected", "SEL2": "selected", "SEL3": "selected", "ALL": "all"}, nil)
	got := NeedsRepoList(cur, []Desired{{Name: secret.NameOf("sel")}, {Name: "SEL2", Visibility: All}, {Name: "ALL"}, {Name: "NEW"},
		{Name: "SEL3", HasValue: true, Repos: repos(1)}}) // a new value and a new list replace both
	if !reflect.DeepEqual(got, []secret.Name{"SEL"}) {
		t.Errorf("got %v, want [SEL]", got)
	}
	// A list that a write with a value keeps is read just before the write.
	if got := NeedsRepoList(cur, []Desired{{Name: "SEL", HasValue: true}, {Name: "SEL2", Visibility: Selected, HasValue: true}}); got != nil {
		t.Errorf("got %v, want none read while planning", got)
	}
}

func TestARotationKeepsTheListItWillReadJustBeforeTheWrite(t *testing.T) {
	cur := current(map[secret.Name]secret.Visibility{"SEL": "selected", "ALL": "all"}, nil)
	changes, err := Set(cur, []Desired{{Name: "SEL", HasValue: true}, {Name: "ALL", HasValue: true, Visibility: Selected}})
	if err != nil {
		t.Fatal(err)
	}
	if c := changes[0]; !c.KeepRepos || c.RepoIDs != nil || c.Visibility != Selected || c.Action != Update {
		t.Errorf("SEL: %+v, want an update that keeps its list", c)
	}
	if c := changes[1]; c.KeepRepos || c.RepoIDs == nil || len(c.RepoIDs) != 0 {
		t.Errorf("ALL: %+v, want an empty list (it had none), not a kept one", c)
	}
}

func TestSync(t *testing.T) {
	t.Parallel()
	cur := current(
		map[secret.Name]secret.Visibility{"SEL": "selected", "ALL": "all", "EXTRA": "private"},
		map[secret.Name][]int64{"SEL": {1, 2}},
	)
	tests := []struct {
		name    string
		want    Desired
		action  Action
		value   bool
		wantErr string
	}{
		{"leaves a matching secret alone", Desired{Name: "SEL", Visibility: Selected, Repos: repos(2, 1)}, Unchanged, false, ""},
		{"sets repositories without re-encrypting", Desired{Name: "SEL", Visibility: Selected, Repos: repos(1)}, SetRepositories, false, ""},
		{"changes visibility without a value", Desired{Name: "ALL", Visibility: Private}, Update, false, ""},
		{"moves to selected with a PUT", Desired{Name: "ALL", Visibility: Selected, Repos: repos(1)}, Update, false, ""},
		{"writes a given value", Desired{Name: "ALL", Visibility: All, HasValue: true}, Update, true, ""},
		{"creates with a value", Desired{Name: "NEW", Visibility: All, HasValue: true}, Create, true, ""},
		{"refuses to create without a value", Desired{Name: "NEW", Visibility: All}, "", false, "does not exist yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sync(cur, []Desired{tt.want}, false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Action != tt.action || got[0].WithValue != tt.value {
				t.Errorf("got %+v, want %s (value %v)", got, tt.action, tt.value)
			}
		})
	}
}

func TestSyncPruneListsDeletesFirst(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"KEEP": "all", "B_OLD": "private", "A_OLD": "all"}, nil)
	got, err := Sync(cur, []Desired{{Name: secret.NameOf("keep"), Visibility: All, HasValue: true}}, true)
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, c := range got {
		shown = append(shown, string(c.Action)+" "+string(c.Name))
	}
	if want := []string{"delete A_OLD", "delete B_OLD", "update KEEP"}; !reflect.DeepEqual(shown, want) {
		t.Errorf("plan order %v, want %v", shown, want)
	}
}

func TestSyncWithoutPruneDeletesNothing(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"EXTRA": "all"}, nil)
	got, err := Sync(cur, nil, false)
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestDeleteSecrets(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"A": "all"}, nil)
	got := DeleteSecrets(cur, []secret.Name{secret.NameOf("a"), secret.NameOf("missing")})
	if got[0].Action != Delete || got[0].Name != "A" || got[1].Action != Unchanged || got[1].Name != "MISSING" {
		t.Errorf("got %+v", got)
	}
}

func TestRepositories(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": "selected", "ALL": "all"}, map[secret.Name][]int64{"SEL": {1, 2}})
	tests := []struct {
		name    string
		op      Action
		secret  secret.Name
		repos   []secret.Repository
		want    []Action
		wantErr string
	}{
		{"set with the same list is unchanged", SetRepositories, "SEL", repos(2, 1), []Action{Unchanged}, ""},
		{"set with another list", SetRepositories, "SEL", repos(3), []Action{SetRepositories}, ""},
		{"add skips a repository already there", AddRepository, "SEL", repos(1, 3), []Action{Unchanged, AddRepository}, ""},
		{"remove skips a repository not there", RemoveRepository, "SEL", repos(3, 2), []Action{Unchanged, RemoveRepository}, ""},
		{"a secret that is not selected", AddRepository, "ALL", repos(1), nil, "visibility: selected"},
		{"a secret that does not exist", AddRepository, "NOPE", repos(1), nil, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Repositories(cur, tt.op, []secret.Name{tt.secret}, tt.repos)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var actions []Action
			for _, c := range got {
				actions = append(actions, c.Action)
			}
			if !reflect.DeepEqual(actions, tt.want) {
				t.Errorf("actions %v, want %v", actions, tt.want)
			}
		})
	}
}

// An update carries when the secret was created, so that apply can tell
// whether a retried write re-created a secret someone deleted meanwhile.
func TestAnUpdateCarriesWhenTheSecretWasCreated(t *testing.T) {
	created := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	cur := NewCurrent([]secret.Secret{{Name: "OLD", Visibility: secret.All, CreatedAt: created}})
	for _, plan := range []func() ([]Change, error){
		func() ([]Change, error) {
			return Set(cur, []Desired{{Name: "OLD", HasValue: true}, {Name: "NEW", HasValue: true}})
		},
		func() ([]Change, error) {
			return Sync(cur, []Desired{{Name: "OLD", HasValue: true, Visibility: secret.All}, {Name: "NEW", HasValue: true, Visibility: secret.All}}, false)
		},
	} {
		changes, err := plan()
		if err != nil {
			t.Fatal(err)
		}
		if !changes[0].CreatedAt.Equal(created) || !changes[1].CreatedAt.IsZero() {
			t.Errorf("created %v and %v, want %v for the update and none for the create", changes[0].CreatedAt, changes[1].CreatedAt, created)
		}
	}
}
