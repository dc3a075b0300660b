package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func TestSetVisibility(t *testing.T) {
	t.Parallel()
	cur := current(
		map[secret.Name]secret.Visibility{"SEL": Selected, "ALL": All, "PRIV": Private},
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
		{"selected to all is a PUT without a value", Desired{Name: "SEL", Visibility: All}, Update, All, nil, ""},
		{"all to selected with repositories", Desired{Name: "ALL", Visibility: Selected, Repos: repos(3)}, Update, Selected, []int64{3}, ""},
		{"selected without repositories keeps a selected secret's list", Desired{Name: "SEL", Visibility: Selected}, Unchanged, Selected, []int64{1, 2}, ""},
		{"a new list of a selected secret uses set-repositories", Desired{Name: "SEL", Visibility: Selected, Repos: repos(2, 3)}, SetRepositories, Selected, []int64{2, 3}, ""},
		{"the same list is unchanged", Desired{Name: "SEL", Visibility: Selected, Repos: repos(2, 1)}, Unchanged, Selected, []int64{2, 1}, ""},
		{"the same visibility is unchanged", Desired{Name: "PRIV", Visibility: Private}, Unchanged, Private, nil, ""},
		{"selected without repositories for a secret that is not selected fails", Desired{Name: "ALL", Visibility: Selected}, "", "", nil,
			"secret ALL has visibility all, so it has no repository list to keep: give the repositories that may use it in `repositories`"},
		{"a missing secret fails and is not created", Desired{Name: "MISSING", Visibility: All}, "", "", nil,
			"secret MISSING does not exist, and set-visibility never creates one"},
		{"repositories for all fail", Desired{Name: "PRIV", Visibility: All, Repos: repos(1)}, "", "", nil, "can only be given for a secret with visibility selected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := SetVisibility(cur, []Desired{tt.want})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := got[0]
			if c.Action != tt.action || c.Visibility != tt.vis || c.WithValue || c.KeepRepos {
				t.Errorf("got %+v, want %s with visibility %s and no value", c, tt.action, tt.vis)
			}
			if tt.ids != nil && !reflect.DeepEqual(c.RepoIDs, tt.ids) {
				t.Errorf("ids %v, want %v", c.RepoIDs, tt.ids)
			}
		})
	}
}

func TestSetVisibilityReadsTheListOnlyToKeepOrCompareIt(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": Selected, "SEL2": Selected}, nil)
	got := NeedsRepoList(cur, []Desired{{Name: "SEL", Visibility: All}, {Name: "SEL2", Visibility: Selected}})
	if !reflect.DeepEqual(got, []secret.Name{"SEL2"}) {
		t.Errorf("lists to read %v, want only SEL2's: a secret made all needs none", got)
	}
}

// TestOverwriteFalse: with overwrite: false, set leaves an existing secret
// alone, sync reconciles its scope without its value, and both create a
// missing secret with its value.
func TestOverwriteFalse(t *testing.T) {
	t.Parallel()
	cur := current(
		map[secret.Name]secret.Visibility{"SEL": Selected, "ALL": All},
		map[secret.Name][]int64{"SEL": {1}},
	)
	t.Run("set", func(t *testing.T) {
		t.Parallel()
		unread := current(map[secret.Name]secret.Visibility{"SEL": Selected, "ALL": All}, nil)
		got, err := Set(unread, []Desired{
			{Name: "SEL", HasValue: true, CreateOnly: true},
			{Name: "ALL", HasValue: true, CreateOnly: true, Visibility: Private},
			{Name: "NEW", HasValue: true, CreateOnly: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []Change{
			{Name: "SEL", Action: Unchanged, Visibility: Selected, Exists: true, Repositories: []string{}, RepoIDs: []int64{}, ReposUnknown: true,
				Before: &Scope{Visibility: Selected}},
			{Name: "ALL", Action: Unchanged, Visibility: All, Exists: true, Repositories: []string{}, Before: &Scope{Visibility: All}},
			{Name: "NEW", Action: Create, Visibility: Private, WithValue: true, Repositories: []string{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("sync", func(t *testing.T) {
		t.Parallel()
		got, err := Sync(cur, []Desired{
			{Name: "SEL", HasValue: true, CreateOnly: true, Visibility: Selected},
			{Name: "ALL", HasValue: true, CreateOnly: true, Visibility: Private},
			{Name: "NEW", HasValue: true, CreateOnly: true, Visibility: All},
		}, false)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, c := range got {
			actions = append(actions, string(c.Action))
			if c.WithValue != (c.Name == "NEW") {
				t.Errorf("%s: WithValue %v, want a value only for the new secret", c.Name, c.WithValue)
			}
		}
		if want := []string{"unchanged", "update", "create"}; !reflect.DeepEqual(actions, want) {
			t.Errorf("actions %v, want %v", actions, want)
		}
		if NeedsRepoList(current(map[secret.Name]secret.Visibility{"SEL": Selected}, nil), []Desired{{Name: "SEL", HasValue: true, CreateOnly: true, Visibility: Selected}}) == nil {
			t.Error("sync's list of a selected secret it may not overwrite is not read: it could not be compared")
		}
	})
}

func TestADeleteOfASelectedSecretWhoseListWasNotReadLeavesItOut(t *testing.T) {
	t.Parallel()
	got := DeleteSecrets(current(map[secret.Name]secret.Visibility{"SEL": Selected, "ALL": All}, nil), []secret.Name{"SEL", "ALL"})
	if !got[0].ReposUnknown || got[1].ReposUnknown {
		t.Errorf("got %+v, want SEL's list unknown and ALL's known to be none", got)
	}
}
