package fakegithub

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAddRepo(t *testing.T) {
	t.Parallel()
	srv := New(WithOrg("Acme"))
	web := srv.AddRepo("web")
	api := srv.AddRepo("api")
	again := srv.AddRepo("WEB")
	other := srv.AddRepo("someone/tool")
	qualified := srv.AddRepo("acme/docs")
	if web.ID != FirstRepoID || api.ID != FirstRepoID+1 || other.ID != FirstRepoID+2 || qualified.ID != FirstRepoID+3 {
		t.Errorf("IDs %d %d %d %d, want stable and increasing from %d", web.ID, api.ID, other.ID, qualified.ID, FirstRepoID)
	}
	if again != web {
		t.Errorf("adding WEB again gave %+v, want the existing %+v", again, web)
	}
	if web.FullName != "Acme/web" || web.Owner != "Acme" || web.OwnerID != OrgID || !web.Private || web.Visibility != "private" {
		t.Errorf("web %+v", web)
	}
	if qualified.Owner != "Acme" || qualified.OwnerID != OrgID {
		t.Errorf("owner/name with the organization's login gave %+v", qualified)
	}
	if other.Owner != "someone" || other.OwnerID == OrgID {
		t.Errorf("other %+v", other)
	}
}

func TestAddRepoAndAddSecretPanicOnMistakes(t *testing.T) {
	t.Parallel()
	srv := New()
	web := srv.AddRepo("web")
	other := srv.AddRepo("someone/tool")
	tests := []struct {
		name string
		fn   func()
		want string
	}{
		{"an empty repository name", func() { srv.AddRepo("") }, "AddRepo"},
		{"a repository path with two slashes", func() { srv.AddRepo("a/b/c") }, "AddRepo"},
		{"an invalid secret name", func() { srv.AddSecret("BAD-NAME", "v", "all") }, "invalid secret name"},
		{"a GITHUB_ secret name", func() { srv.AddSecret("github_x", "v", "all") }, "invalid secret name"},
		{"an unknown visibility", func() { srv.AddSecret("A", "v", "public") }, "visibility"},
		{"repositories without selected", func() { srv.AddSecret("A", "v", "all", web.ID) }, "need visibility selected"},
		{"an unknown repository", func() { srv.AddSecret("A", "v", "selected", 1) }, "AddRepo"},
		{"a repository of another owner", func() { srv.AddSecret("A", "v", "selected", other.ID) }, "not a repository of acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if msg := fmt.Sprint(recover()); !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "fakegithub: ") {
					t.Errorf("panic %q, want one mentioning %q", msg, tt.want)
				}
			}()
			tt.fn()
		})
	}
	if len(srv.Secrets()) != 0 {
		t.Error("a refused AddSecret left a secret")
	}
}

func TestAddSecretReplacesButKeepsCreatedAt(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := New(WithClock(clock.Now))
	web := srv.AddRepo("web")
	srv.AddSecret("token", "one", "all")
	clock.Advance(90 * time.Second)
	srv.AddSecret("TOKEN", "two", "selected", web.ID, web.ID)
	s, ok := srv.Secret("Token")
	if !ok || s.Name != "TOKEN" || s.Value != "two" || s.Visibility != "selected" || !equalIDs(s.RepoIDs, []int64{web.ID}) {
		t.Fatalf("secret %+v", s)
	}
	start := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	if !s.CreatedAt.Equal(start) || !s.UpdatedAt.Equal(start.Add(90*time.Second)) {
		t.Errorf("created %v updated %v", s.CreatedAt, s.UpdatedAt)
	}
	if _, ok := srv.Secret("NOPE"); ok {
		t.Error("found a secret that does not exist")
	}
}

func TestSecretsAreSortedAndCopied(t *testing.T) {
	t.Parallel()
	srv := New()
	a, b := srv.AddRepo("a"), srv.AddRepo("b")
	srv.AddSecret("C", "3", "all")
	srv.AddSecret("A", "1", "selected", b.ID, a.ID)
	srv.AddSecret("B", "2", "private")
	got := srv.Secrets()
	if len(got) != 3 || got[0].Name != "A" || got[1].Name != "B" || got[2].Name != "C" {
		t.Fatalf("%+v", got)
	}
	if !equalIDs(got[0].RepoIDs, []int64{a.ID, b.ID}) {
		t.Errorf("repository IDs %v, want sorted", got[0].RepoIDs)
	}
	got[0].RepoIDs[0] = 0
	if s, _ := srv.Secret("A"); s.RepoIDs[0] != a.ID {
		t.Error("Secrets() shares state with the fake")
	}
}

func TestKeysComeFromTheRandomSource(t *testing.T) {
	t.Parallel()
	fixed := func() Option { return WithRand(bytes.NewReader(bytes.Repeat([]byte{5}, 32*3))) }
	one, two := New(fixed()), New(fixed())
	id1, key1 := one.PublicKey()
	id2, key2 := two.PublicKey()
	if id1 != id2 || key1 != key2 {
		t.Errorf("the same random bytes gave different keys: %s %s, %s %s", id1, key1, id2, key2)
	}
	one.RotateKey()
	if id, _ := one.PublicKey(); id == id1 {
		t.Error("RotateKey kept the key_id although the random source repeats itself")
	}
	if random, _ := New().PublicKey(); random == id1 {
		t.Error("crypto/rand gave the fixed key")
	}
}

func TestNewPanicsWhenTheRandomSourceFails(t *testing.T) {
	t.Parallel()
	defer func() {
		if msg := fmt.Sprint(recover()); !strings.Contains(msg, "WithRand") {
			t.Errorf("panic %q", msg)
		}
	}()
	New(WithRand(bytes.NewReader(nil)))
}

func TestSecretNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		valid bool
	}{
		{"DB_PASSWORD", true},
		{"_LEADING_UNDERSCORE", true},
		{"lower_case_1", true},
		{"GITHUBX", true},
		{"MY_GITHUB_TOKEN", true},
		{"GITHUB_TOKEN", false},
		{"Github_Token", false},
		{"1ST", false},
		{"WITH-HYPHEN", false},
		{"WITH SPACE", false},
		{"ÜMLAUT", false},
		{"", false},
	}
	for _, tt := range tests {
		upper, ok := canonicalName(tt.name)
		if ok != tt.valid || upper != strings.ToUpper(tt.name) {
			t.Errorf("canonicalName(%q) = %q, %v; want valid %v", tt.name, upper, ok, tt.valid)
		}
	}
}

func TestRemoveSecretAndTheTimeOfEachRequest(t *testing.T) {
	t.Parallel()
	srv, c, clock := start(t)
	srv.AddSecret("A", "v", "all")
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/A", nil).want(t, http.StatusOK)
	clock.Advance(time.Second)
	if !srv.RemoveSecret("a") || srv.RemoveSecret("A") {
		t.Error("RemoveSecret does not report whether the secret existed")
	}
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/A", nil).want(t, http.StatusNotFound)
	reqs := srv.Requests()
	if d := reqs[1].At.Sub(reqs[0].At); d != time.Second {
		t.Errorf("the requests are %v apart, want 1s by the fake's clock", d)
	}
}
