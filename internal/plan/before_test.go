package plan

import (
	"reflect"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func labels(ids ...int64) *[]string {
	out := []string{}
	for _, id := range ids {
		out = append(out, repoLabel(id))
	}
	return &out
}

// TestEachChangeOfAnExistingSecretSaysWhatItWas: before is what the run
// read, with repositories only where the list was read; a new secret has
// none.
func TestEachChangeOfAnExistingSecretSaysWhatItWas(t *testing.T) {
	t.Parallel()
	cur := current(
		map[secret.Name]secret.Visibility{"SEL": Selected, "ALL": All, "UNREAD": Selected, "STRAY": Selected},
		map[secret.Name][]int64{"SEL": {1, 2}, "STRAY": {3}},
	)
	want := []Desired{
		{Name: "SEL", Visibility: Selected, Repos: repos(2, 3)},
		{Name: "ALL", Visibility: Private},
		{Name: "UNREAD", HasValue: true},
		{Name: "NEW", HasValue: true},
	}
	got, err := Sync(cur, want, true)
	if err != nil {
		t.Fatal(err)
	}
	befores := map[secret.Name]*Scope{}
	for _, c := range got {
		befores[c.Name] = c.Before
	}
	wantBefore := map[secret.Name]*Scope{
		"STRAY":  {Visibility: Selected, Repositories: labels(3)},
		"SEL":    {Visibility: Selected, Repositories: labels(1, 2)},
		"ALL":    {Visibility: All},
		"UNREAD": {Visibility: Selected}, // a kept list is read at the write: Keep fills it in
		"NEW":    nil,
	}
	if !reflect.DeepEqual(befores, wantBefore) {
		t.Errorf("before = %+v, want %+v", befores, wantBefore)
	}
	for _, c := range got {
		if c.Name != "SEL" {
			continue
		}
		added, removed, ok := c.RepoDiff()
		if !ok || !reflect.DeepEqual(added, []string{repoLabel(3)}) || !reflect.DeepEqual(removed, []string{repoLabel(1)}) {
			t.Errorf("RepoDiff = %v, %v, %v; want +r3 −r1", added, removed, ok)
		}
	}
}

// TestAKeptListIsBothBeforeAndAfter: Keep records the list a rotation read
// just before its write as what it sends and what was there.
func TestAKeptListIsBothBeforeAndAfter(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": Selected}, nil)
	got, err := Set(cur, []Desired{{Name: "SEL", HasValue: true}})
	if err != nil || len(got) != 1 || !got[0].KeepRepos {
		t.Fatalf("Set = %+v, %v", got, err)
	}
	c := got[0]
	c.Keep(repos(4, 5))
	if !reflect.DeepEqual(c.Before, &Scope{Visibility: Selected, Repositories: labels(4, 5)}) || !reflect.DeepEqual(c.Repositories, *labels(4, 5)) {
		t.Errorf("after Keep: before %+v, repositories %v", c.Before, c.Repositories)
	}
	if added, removed, ok := c.RepoDiff(); !ok || len(added)+len(removed) != 0 {
		t.Errorf("RepoDiff after Keep = +%v −%v, %v; want a known list that did not change", added, removed, ok)
	}
}

// TestOneRepositoryOfAnAddIsNoDiff: add- and remove-repositories make one
// change per repository, so their rows show that repository, never a diff
// of the whole list against it.
func TestOneRepositoryOfAnAddIsNoDiff(t *testing.T) {
	t.Parallel()
	cur := current(map[secret.Name]secret.Visibility{"SEL": Selected}, map[secret.Name][]int64{"SEL": {1, 2}})
	got, err := Repositories(cur, AddRepository, []secret.Name{"SEL"}, repos(3, 2))
	if err != nil || len(got) != 2 {
		t.Fatalf("Repositories = %+v, %v", got, err)
	}
	for _, c := range got {
		if _, _, ok := c.RepoDiff(); ok {
			t.Errorf("%s of %v has a diff", c.Action, c.Repositories)
		}
	}
}
