package fakegithub

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"
)

type secretsPage struct {
	TotalCount int `json:"total_count"`
	Secrets    []struct {
		Name                    string `json:"name"`
		CreatedAt               string `json:"created_at"`
		UpdatedAt               string `json:"updated_at"`
		Visibility              string `json:"visibility"`
		SelectedRepositoriesURL string `json:"selected_repositories_url"`
	} `json:"secrets"`
}

type reposPage struct {
	TotalCount   int `json:"total_count"`
	Repositories []struct {
		ID       int64  `json:"id"`
		NodeID   string `json:"node_id"`
		Name     string `json:"name"`
		FullName string `json:"full_name"`
		Owner    struct {
			Login string `json:"login"`
			ID    int64  `json:"id"`
		} `json:"owner"`
		Private bool `json:"private"`
	} `json:"repositories"`
}

func TestListSecretsShowsEverySecretSortedByName(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	web := srv.AddRepo("web")
	srv.AddSecret("zeta", "z", "all")
	srv.AddSecret("ALPHA", "a", "selected", web.ID)
	srv.AddSecret("Mid", "m", "private")

	var got secretsPage
	r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
	r.decode(t, &got)
	if got.TotalCount != 3 || len(got.Secrets) != 3 {
		t.Fatalf("total_count %d with %d secrets, want 3", got.TotalCount, len(got.Secrets))
	}
	var names []string
	for _, s := range got.Secrets {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "ALPHA,MID,ZETA" {
		t.Errorf("names %v, want ALPHA,MID,ZETA (upper case, sorted)", names)
	}
	if want := c.base + "/orgs/acme/codespaces/secrets/ALPHA/repositories"; got.Secrets[0].SelectedRepositoriesURL != want {
		t.Errorf("selected_repositories_url %q, want %q", got.Secrets[0].SelectedRepositoriesURL, want)
	}
	if strings.Count(string(r.body), "selected_repositories_url") != 1 {
		t.Errorf("selected_repositories_url appears on a secret that is not selected: %s", r.body)
	}
	if got.Secrets[1].CreatedAt != "2025-03-14T15:09:26Z" || got.Secrets[1].UpdatedAt != "2025-03-14T15:09:26Z" {
		t.Errorf("timestamps %q, %q; want the clock in whole UTC seconds", got.Secrets[1].CreatedAt, got.Secrets[1].UpdatedAt)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestListSecretsOfAnEmptyOrganizationIsAnEmptyArray(t *testing.T) {
	t.Parallel()
	_, c, _ := start(t)
	r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets", nil).want(t, http.StatusOK)
	if string(r.body) != `{"total_count":0,"secrets":[]}` {
		t.Errorf("body %s", r.body)
	}
	if l := r.header.Get("Link"); l != "" {
		t.Errorf("Link %q on a single page", l)
	}
}

func TestPaginationFollowsGitHub(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	for i := range 250 {
		srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "all")
	}
	list := c.base + "/orgs/acme/codespaces/secrets"
	tests := []struct {
		name      string
		query     string
		wantCount int
		wantFirst string
		wantLink  string
	}{
		{"the first page links to the next and the last", "?per_page=100", 100, "S_000",
			`<` + list + `?per_page=100&page=2>; rel="next", <` + list + `?per_page=100&page=3>; rel="last"`},
		{"a middle page links four ways in GitHub's order", "?per_page=100&page=2", 100, "S_100",
			`<` + list + `?per_page=100&page=1>; rel="prev", <` + list + `?per_page=100&page=3>; rel="next", <` + list + `?per_page=100&page=3>; rel="last", <` + list + `?per_page=100&page=1>; rel="first"`},
		{"the last page links back only", "?page=3&per_page=100", 50, "S_200",
			`<` + list + `?page=2&per_page=100>; rel="prev", <` + list + `?page=1&per_page=100>; rel="first"`},
		{"past the last page is empty", "?per_page=100&page=4", 0, "",
			`<` + list + `?per_page=100&page=3>; rel="prev", <` + list + `?per_page=100&page=1>; rel="first"`},
		{"per_page defaults to 30", "", 30, "S_000",
			`<` + list + `?page=2>; rel="next", <` + list + `?page=9>; rel="last"`},
		{"per_page is capped at 100", "?per_page=500", 100, "S_000",
			`<` + list + `?per_page=500&page=2>; rel="next", <` + list + `?per_page=500&page=3>; rel="last"`},
		{"an invalid page means page 1", "?page=zero&per_page=100", 100, "S_000",
			`<` + list + `?page=2&per_page=100>; rel="next", <` + list + `?page=3&per_page=100>; rel="last"`},
		{"a per_page of 0 means the default", "?per_page=0", 30, "S_000",
			`<` + list + `?per_page=0&page=2>; rel="next", <` + list + `?per_page=0&page=9>; rel="last"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got secretsPage
			r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets"+tt.query, nil).want(t, http.StatusOK)
			r.decode(t, &got)
			if got.TotalCount != 250 || len(got.Secrets) != tt.wantCount {
				t.Fatalf("total_count %d with %d secrets, want 250 with %d", got.TotalCount, len(got.Secrets), tt.wantCount)
			}
			if tt.wantCount > 0 && got.Secrets[0].Name != tt.wantFirst {
				t.Errorf("first %s, want %s", got.Secrets[0].Name, tt.wantFirst)
			}
			if l := r.header.Get("Link"); l != tt.wantLink {
				t.Errorf("Link\n got %s\nwant %s", l, tt.wantLink)
			}
		})
	}
}

func TestFollowingNextLinksVisitsEverySecretOnce(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	for i := range 250 {
		srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "all")
	}
	var names []string
	next, pages := c.base+"/orgs/acme/codespaces/secrets?per_page=100", 0
	for next != "" {
		r := c.doURL(http.MethodGet, next, nil).want(t, http.StatusOK)
		var got secretsPage
		r.decode(t, &got)
		for _, s := range got.Secrets {
			names = append(names, s.Name)
		}
		pages++
		next = ""
		for _, part := range strings.Split(r.header.Get("Link"), ", ") {
			if u, ok := strings.CutSuffix(part, `>; rel="next"`); ok {
				next = strings.TrimPrefix(u, "<")
			}
		}
	}
	if pages != 3 || len(names) != 250 || names[0] != "S_000" || names[249] != "S_249" {
		t.Fatalf("%d pages, %d names (%v ... %v)", pages, len(names), names[:1], names[len(names)-1:])
	}
	for i := 1; i < len(names); i++ {
		if names[i] <= names[i-1] {
			t.Fatalf("not sorted or repeated at %d: %s after %s", i, names[i], names[i-1])
		}
	}
}

func TestPublicKeyIsTheOrganizationsKey(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	var got struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}
	c.do(http.MethodGet, "/orgs/ACME/codespaces/secrets/public-key", nil).want(t, http.StatusOK).decode(t, &got)
	id, key := srv.PublicKey()
	if got.KeyID != id || got.Key != key {
		t.Errorf("got %+v, want %s %s", got, id, key)
	}
	if raw, err := base64.StdEncoding.DecodeString(got.Key); err != nil || len(raw) != 32 {
		t.Errorf("key is %d bytes (%v), want 32", len(raw), err)
	}
	if len(got.KeyID) != 19 {
		t.Errorf("key_id %q is not a 19-digit number like GitHub's", got.KeyID)
	}
}

func TestGetSecret(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	web := srv.AddRepo("web")
	srv.AddSecret("DB_PASSWORD", "v", "selected", web.ID)
	tests := []struct {
		name   string
		path   string
		status int
	}{
		{"finds a secret by its stored name", "/orgs/acme/codespaces/secrets/DB_PASSWORD", 200},
		{"finds a secret whatever the case of its name", "/orgs/acme/codespaces/secrets/db_Password", 200},
		{"finds the organization whatever its case", "/orgs/AcMe/codespaces/secrets/DB_PASSWORD", 200},
		{"answers 404 for a secret that does not exist", "/orgs/acme/codespaces/secrets/NOPE", 404},
		{"answers 404 for an invalid name", "/orgs/acme/codespaces/secrets/no-pe", 404},
		{"answers 404 for another organization", "/orgs/other/codespaces/secrets/DB_PASSWORD", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(http.MethodGet, tt.path, nil).want(t, tt.status)
			if tt.status == 404 {
				e := r.apiErr(t)
				if e.Message != "Not Found" || e.Status != "404" || e.DocumentationURL != docsSecrets+"get-an-organization-secret" {
					t.Errorf("error %+v", e)
				}
				return
			}
			want := `{"name":"DB_PASSWORD","created_at":"2025-03-14T15:09:26Z","updated_at":"2025-03-14T15:09:26Z","visibility":"selected","selected_repositories_url":"` + c.base + `/orgs/acme/codespaces/secrets/DB_PASSWORD/repositories"}`
			if string(r.body) != want {
				t.Errorf("body\n got %s\nwant %s", r.body, want)
			}
		})
	}
}

// canary is a value that must never appear in an answer.
const canary = "CANARY-8d1f2c"

func TestPutSecretRefusesInvalidRequestsWith422(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", MaxValueBytes+1)
	otherPub, _, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		secret string
		body   func(t *testing.T, srv *Server, ids map[string]int64) any
		field  string
	}{
		{"a body without visibility", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, KeyID: id}
		}, "visibility"},
		{"a visibility that is not one of GitHub's", "OLD", func(*testing.T, *Server, map[string]int64) any {
			return `{"visibility":"public"}`
		}, "visibility"},
		{"a visibility that is not a string", "OLD", func(*testing.T, *Server, map[string]int64) any {
			return `{"visibility":1}`
		}, "visibility"},
		{"a body that is not JSON", "OLD", func(*testing.T, *Server, map[string]int64) any { return `{"visibility":` }, ""},
		{"a body that is a JSON array", "OLD", func(*testing.T, *Server, map[string]int64) any { return `[]` }, ""},
		{"a body that is null", "OLD", func(*testing.T, *Server, map[string]int64) any { return `null` }, ""},
		{"no body at all", "OLD", func(*testing.T, *Server, map[string]int64) any { return "" }, ""},
		{"a value without key_id", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			_, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, Visibility: "all"}
		}, "key_id"},
		{"a key_id that is not the current key's", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			_, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, KeyID: "1234567890123456789", Visibility: "all"}
		}, "key_id"},
		{"a value that is not base64", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, _ := srv.PublicKey()
			return putBody{EncryptedValue: "not base64!", KeyID: id, Visibility: "all"}
		}, "encrypted_value"},
		{"a value that is plain base64, not a sealed box", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, _ := srv.PublicKey()
			return putBody{EncryptedValue: base64.StdEncoding.EncodeToString([]byte("c2VjcmV0")), KeyID: id, Visibility: "all"}
		}, "encrypted_value"},
		{"a box sealed for another key with the current key_id", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, _ := srv.PublicKey()
			return putBody{EncryptedValue: sealFor(t, base64.StdEncoding.EncodeToString(otherPub[:]), canary), KeyID: id, Visibility: "all"}
		}, "encrypted_value"},
		{"a box with one byte changed", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, canary)
			raw, _ := base64.StdEncoding.DecodeString(enc)
			raw[len(raw)-1] ^= 1
			return putBody{EncryptedValue: base64.StdEncoding.EncodeToString(raw), KeyID: id, Visibility: "all"}
		}, "encrypted_value"},
		{"a value over 48 KB", "OLD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, big)
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "all"}
		}, "encrypted_value"},
		{"repository IDs with visibility all", "OLD", func(t *testing.T, srv *Server, ids map[string]int64) any {
			return putBody{Visibility: "all", SelectedRepositoryIDs: []int64{ids["web"]}}
		}, "selected_repository_ids"},
		{"an empty list of repository IDs with visibility private", "OLD", func(*testing.T, *Server, map[string]int64) any {
			return `{"visibility":"private","selected_repository_ids":[]}`
		}, "selected_repository_ids"},
		{"a repository ID that does not exist", "OLD", func(t *testing.T, srv *Server, ids map[string]int64) any {
			return putBody{Visibility: "selected", SelectedRepositoryIDs: []int64{ids["web"], 42}}
		}, "selected_repository_ids"},
		{"a repository of another owner", "OLD", func(t *testing.T, srv *Server, ids map[string]int64) any {
			return putBody{Visibility: "selected", SelectedRepositoryIDs: []int64{ids["elsewhere/lib"]}}
		}, "selected_repository_ids"},
		{"repository IDs that are not integers", "OLD", func(t *testing.T, srv *Server, ids map[string]int64) any {
			return fmt.Sprintf(`{"visibility":"selected","selected_repository_ids":["%d"]}`, ids["web"])
		}, "selected_repository_ids"},
		{"a fractional repository ID", "OLD", func(*testing.T, *Server, map[string]int64) any {
			return `{"visibility":"selected","selected_repository_ids":[1296269.5]}`
		}, "selected_repository_ids"},
		{"a name that starts with a digit", "1PASSWORD", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "all"}
		}, "secret_name"},
		{"a name with a hyphen", "MY-SECRET", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "all"}
		}, "secret_name"},
		{"a name with the GITHUB_ prefix in lower case", "github_token", func(t *testing.T, srv *Server, _ map[string]int64) any {
			id, enc := seal(t, srv, canary)
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "all"}
		}, "secret_name"},
		{"a new secret without a value", "NEW", func(*testing.T, *Server, map[string]int64) any {
			return putBody{Visibility: "all"}
		}, "encrypted_value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := start(t)
			ids := map[string]int64{"web": srv.AddRepo("web").ID, "elsewhere/lib": srv.AddRepo("elsewhere/lib").ID}
			srv.AddSecret("OLD", "old", "private")
			r := c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/"+tt.secret, tt.body(t, srv, ids)).want(t, http.StatusUnprocessableEntity)
			e := r.apiErr(t)
			if e.Status != "422" || e.DocumentationURL != docsSecrets+"create-or-update-an-organization-secret" || len(e.Errors) != 1 || e.Errors[0].Field != tt.field || e.Errors[0].Code == "" {
				t.Errorf("error body %s, want one error about %q", r.body, tt.field)
			}
			if strings.Contains(string(r.body), canary) {
				t.Errorf("the error shows the value: %s", r.body)
			}
			wantState(t, srv, "OLD", "old", "private")
			if n := len(srv.Secrets()); n != 1 {
				t.Errorf("%d secrets after a refused PUT, want 1", n)
			}
		})
	}
}

func TestPutSecretCreatesAndUpdates(t *testing.T) {
	t.Parallel()
	srv, c, clock := start(t)
	web, api := srv.AddRepo("web"), srv.AddRepo("api")
	const path = "/orgs/acme/codespaces/secrets/"

	r := c.put(srv, "db_password", "s3cret", "selected", web.ID, api.ID).want(t, http.StatusCreated)
	if string(r.body) != "{}" {
		t.Errorf("create answered %s, want {}", r.body)
	}
	created := wantState(t, srv, "DB_PASSWORD", "s3cret", "selected", web.ID, api.ID)

	steps := []struct {
		name  string
		body  func() any
		check func(t *testing.T)
	}{
		{"a lower-case name updates the upper-case secret with a new value", func() any {
			id, enc := seal(t, srv, "rotated")
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "selected", SelectedRepositoryIDs: []int64{web.ID}}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "selected", web.ID) }},
		{"an update without a value keeps the value and changes the scope", func() any {
			return putBody{Visibility: "selected", SelectedRepositoryIDs: []int64{api.ID}}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "selected", api.ID) }},
		{"selected without selected_repository_ids clears the list", func() any {
			return putBody{Visibility: "selected"}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "selected") }},
		{"an empty list with selected clears the list", func() any {
			srv.AddSecret("DB_PASSWORD", "rotated", "selected", web.ID)
			return `{"visibility":"selected","selected_repository_ids":[]}`
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "selected") }},
		{"duplicate IDs count once", func() any {
			return putBody{Visibility: "selected", SelectedRepositoryIDs: []int64{web.ID, web.ID}}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "selected", web.ID) }},
		{"a visibility other than selected drops the repositories", func() any {
			return putBody{Visibility: "all"}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "all") }},
		{"null selected_repository_ids counts as omitted", func() any {
			return `{"visibility":"private","selected_repository_ids":null}`
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "private") }},
		{"key_id without a value is ignored", func() any {
			return putBody{KeyID: "whatever", Visibility: "all"}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", "rotated", "all") }},
		{"a value of exactly 48 KB is accepted", func() any {
			id, enc := seal(t, srv, strings.Repeat("y", MaxValueBytes))
			return putBody{EncryptedValue: enc, KeyID: id, Visibility: "all"}
		}, func(t *testing.T) { wantState(t, srv, "DB_PASSWORD", strings.Repeat("y", MaxValueBytes), "all") }},
	}
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			name := "db_password"
			if i%2 == 1 {
				name = "DB_PASSWORD"
			}
			r := c.do(http.MethodPut, path+name, st.body()).want(t, http.StatusNoContent)
			if len(r.body) != 0 {
				t.Errorf("update answered a body: %s", r.body)
			}
			st.check(t)
			s, _ := srv.Secret("DB_PASSWORD")
			if !s.CreatedAt.Equal(created.CreatedAt) {
				t.Errorf("created_at moved from %v to %v", created.CreatedAt, s.CreatedAt)
			}
			if want := clock.Now().Truncate(time.Second); !s.UpdatedAt.Equal(want) {
				t.Errorf("updated_at %v, want %v", s.UpdatedAt, want)
			}
		})
	}
	if n := len(srv.Secrets()); n != 1 {
		t.Errorf("%d secrets, want 1", n)
	}
}

func TestPutSecretRefusesTheSecretAfterTheLimit(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	for i := range MaxSecrets - 1 {
		srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "all")
	}
	c.put(srv, "LAST", "v", "all").want(t, http.StatusCreated)
	e := c.put(srv, "ONE_TOO_MANY", "v", "all").want(t, http.StatusUnprocessableEntity).apiErr(t)
	if e.Message != "Validation Failed" || !strings.Contains(e.Errors[0].Message, "100") {
		t.Errorf("error %+v", e)
	}
	c.put(srv, "S_000", "updated", "private").want(t, http.StatusNoContent)
	wantState(t, srv, "S_000", "updated", "private")
	if _, ok := srv.Secret("ONE_TOO_MANY"); ok {
		t.Error("the 101st secret was created")
	}
}

func TestDeleteSecret(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	srv.AddSecret("GONE", "v", "all")
	srv.AddSecret("KEPT", "v", "all")
	c.do(http.MethodDelete, "/orgs/acme/codespaces/secrets/gone", nil).want(t, http.StatusNoContent)
	if _, ok := srv.Secret("GONE"); ok {
		t.Error("GONE still exists")
	}
	e := c.do(http.MethodDelete, "/orgs/acme/codespaces/secrets/GONE", nil).want(t, http.StatusNotFound).apiErr(t)
	if e.DocumentationURL != docsSecrets+"delete-an-organization-secret" {
		t.Errorf("documentation_url %q", e.DocumentationURL)
	}
	wantState(t, srv, "KEPT", "v", "all")
}

func TestListSelectedRepositories(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	zed, alpha, mid := srv.AddRepo("zed"), srv.AddRepo("Alpha"), srv.AddRepo("mid")
	srv.AddSecret("SEL", "v", "selected", zed.ID, alpha.ID, mid.ID)
	srv.AddSecret("ALL", "v", "all")

	t.Run("lists minimal repositories sorted by full_name", func(t *testing.T) {
		var got reposPage
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/sel/repositories", nil).want(t, http.StatusOK)
		r.decode(t, &got)
		if got.TotalCount != 3 || len(got.Repositories) != 3 {
			t.Fatalf("%s", r.body)
		}
		var names []string
		for _, repo := range got.Repositories {
			names = append(names, repo.FullName)
		}
		if strings.Join(names, ",") != "acme/Alpha,acme/mid,acme/zed" {
			t.Errorf("order %v", names)
		}
		a := got.Repositories[0]
		if a.ID != alpha.ID || a.Name != "Alpha" || a.Owner.Login != "acme" || a.Owner.ID != OrgID || !a.Private || a.NodeID != alpha.NodeID {
			t.Errorf("repository %+v", a)
		}
		if strings.Contains(string(r.body), `"visibility"`) {
			t.Errorf("a minimal repository has a visibility: %s", r.body)
		}
	})
	t.Run("pages like the secrets", func(t *testing.T) {
		var got reposPage
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/SEL/repositories?per_page=2&page=2", nil).want(t, http.StatusOK)
		r.decode(t, &got)
		if got.TotalCount != 3 || len(got.Repositories) != 1 || got.Repositories[0].Name != "zed" {
			t.Errorf("%s", r.body)
		}
		want := `<` + c.base + `/orgs/acme/codespaces/secrets/SEL/repositories?per_page=2&page=1>; rel="prev", <` + c.base + `/orgs/acme/codespaces/secrets/SEL/repositories?per_page=2&page=1>; rel="first"`
		if l := r.header.Get("Link"); l != want {
			t.Errorf("Link\n got %s\nwant %s", l, want)
		}
	})
	t.Run("a secret that is not selected has an empty list", func(t *testing.T) {
		r := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/ALL/repositories", nil).want(t, http.StatusOK)
		if string(r.body) != `{"total_count":0,"repositories":[]}` {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("an unknown secret is 404", func(t *testing.T) {
		e := c.do(http.MethodGet, "/orgs/acme/codespaces/secrets/NOPE/repositories", nil).want(t, http.StatusNotFound).apiErr(t)
		if e.DocumentationURL != docsSecrets+"list-selected-repositories-for-an-organization-secret" {
			t.Errorf("documentation_url %q", e.DocumentationURL)
		}
	})
}

func TestSetSelectedRepositories(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		secret string
		body   string // %[1]d is web's ID, %[2]d api's, %[3]d elsewhere/lib's
		status int
		want   []string // the repositories afterwards
	}{
		{"replaces the whole list", "SEL", `{"selected_repository_ids":[%[2]d]}`, 204, []string{"api"}},
		{"accepts the secret name in any case", "sel", `{"selected_repository_ids":[%[1]d,%[2]d]}`, 204, []string{"web", "api"}},
		{"an empty list clears it", "SEL", `{"selected_repository_ids":[]}`, 204, nil},
		{"is 409 for a secret that is not selected", "ALL", `{"selected_repository_ids":[%[1]d]}`, 409, []string{"web"}},
		{"is 404 for an unknown secret", "NOPE", `{"selected_repository_ids":[%[1]d]}`, 404, []string{"web"}},
		{"is 422 without selected_repository_ids", "SEL", `{}`, 422, []string{"web"}},
		{"is 422 for null selected_repository_ids", "SEL", `{"selected_repository_ids":null}`, 422, []string{"web"}},
		{"is 422 for a body that is not JSON", "SEL", `[1,`, 422, []string{"web"}},
		{"is 422 for IDs that are not integers", "SEL", `{"selected_repository_ids":"%[1]d"}`, 422, []string{"web"}},
		{"is 422 for an unknown repository", "SEL", `{"selected_repository_ids":[%[2]d,7]}`, 422, []string{"web"}},
		{"is 422 for a repository of another owner", "SEL", `{"selected_repository_ids":[%[3]d]}`, 422, []string{"web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, clock := start(t)
			ids := map[string]int64{"web": srv.AddRepo("web").ID, "api": srv.AddRepo("api").ID}
			other := srv.AddRepo("elsewhere/lib").ID
			srv.AddSecret("SEL", "v", "selected", ids["web"])
			srv.AddSecret("ALL", "v", "all")
			before, _ := srv.Secret("SEL")
			clock.Advance(time.Hour)
			body := fmt.Sprintf(tt.body, ids["web"], ids["api"], other)
			if !strings.Contains(tt.body, "%") {
				body = tt.body
			}
			r := c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/"+tt.secret+"/repositories", body).want(t, tt.status)
			if tt.status != 204 {
				if e := r.apiErr(t); e.DocumentationURL != docsSecrets+"set-selected-repositories-for-an-organization-secret" {
					t.Errorf("documentation_url %q", e.DocumentationURL)
				}
			}
			var want []int64
			for _, n := range tt.want {
				want = append(want, ids[n])
			}
			after := wantState(t, srv, "SEL", "v", "selected", want...)
			if !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("updated_at moved from %v to %v", before.UpdatedAt, after.UpdatedAt)
			}
			wantState(t, srv, "ALL", "v", "all")
		})
	}
}

func TestAddAndRemoveOneSelectedRepository(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		path   string // %[1]d is web's ID, %[2]d api's, %[3]d elsewhere/lib's
		status int
		want   []string // SEL's repositories afterwards
	}{
		{"adding a repository appends it", http.MethodPut, "SEL/repositories/%[2]d", 204, []string{"web", "api"}},
		{"adding a repository twice is fine", http.MethodPut, "SEL/repositories/%[1]d", 204, []string{"web"}},
		{"adding works whatever the case of the name", http.MethodPut, "sel/repositories/%[2]d", 204, []string{"web", "api"}},
		{"adding to a secret that is not selected is 409", http.MethodPut, "ALL/repositories/%[2]d", 409, []string{"web"}},
		{"adding to an unknown secret is 404", http.MethodPut, "NOPE/repositories/%[2]d", 404, []string{"web"}},
		{"adding an unknown repository is 404", http.MethodPut, "SEL/repositories/99", 404, []string{"web"}},
		{"adding a repository of another owner is 422", http.MethodPut, "SEL/repositories/%[3]d", 422, []string{"web"}},
		{"adding a repository_id that is not an integer is 422", http.MethodPut, "SEL/repositories/web", 422, []string{"web"}},
		{"removing a repository drops it", http.MethodDelete, "SEL/repositories/%[1]d", 204, nil},
		{"removing a repository that is not selected is fine", http.MethodDelete, "SEL/repositories/%[2]d", 204, []string{"web"}},
		{"removing from a secret that is not selected is 409", http.MethodDelete, "ALL/repositories/%[1]d", 409, []string{"web"}},
		{"removing from an unknown secret is 404", http.MethodDelete, "NOPE/repositories/%[1]d", 404, []string{"web"}},
		{"removing an unknown repository is 404", http.MethodDelete, "SEL/repositories/99", 404, []string{"web"}},
		{"removing a repository of another owner is 422", http.MethodDelete, "SEL/repositories/%[3]d", 422, []string{"web"}},
		{"removing a repository_id that is not an integer is 422", http.MethodDelete, "SEL/repositories/1e3", 422, []string{"web"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := start(t)
			ids := map[string]int64{"web": srv.AddRepo("web").ID, "api": srv.AddRepo("api").ID}
			other := srv.AddRepo("elsewhere/lib").ID
			srv.AddSecret("SEL", "v", "selected", ids["web"])
			srv.AddSecret("ALL", "v", "all")
			path := tt.path
			if strings.Contains(path, "%") {
				path = fmt.Sprintf(path, ids["web"], ids["api"], other)
			}
			r := c.do(tt.method, "/orgs/acme/codespaces/secrets/"+path, nil).want(t, tt.status)
			if tt.status != 204 {
				doc := docsSecrets + "add-selected-repository-to-an-organization-secret"
				if tt.method == http.MethodDelete {
					doc = docsSecrets + "remove-selected-repository-from-an-organization-secret"
				}
				if e := r.apiErr(t); e.DocumentationURL != doc {
					t.Errorf("documentation_url %q, want %q", e.DocumentationURL, doc)
				}
			} else if len(r.body) != 0 {
				t.Errorf("204 with a body: %s", r.body)
			}
			var want []int64
			for _, n := range tt.want {
				want = append(want, ids[n])
			}
			wantState(t, srv, "SEL", "v", "selected", want...)
			wantState(t, srv, "ALL", "v", "all")
		})
	}
}

func TestGetRepository(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	web := srv.AddRepo("Web-App")
	lib := srv.AddRepo("Elsewhere/lib")
	tests := []struct {
		name   string
		path   string
		status int
		want   string
	}{
		{"finds a repository of the organization", "/repos/acme/Web-App", 200,
			fmt.Sprintf(`{"id":%d,"node_id":"%s","name":"Web-App","full_name":"acme/Web-App","owner":{"login":"acme","id":%d,"node_id":"MDEyOk9yZ2FuaXphdGlvbjk5MTkwMDE=","type":"Organization"},"private":true,"visibility":"private"}`, web.ID, web.NodeID, OrgID)},
		{"ignores the case of owner and name", "/repos/ACME/web-app", 200, ""},
		{"finds a repository of another owner", "/repos/elsewhere/LIB", 200, ""},
		{"answers GitHub's 404 for an unknown repository", "/repos/acme/nope", 404,
			`{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/repos#get-a-repository","status":"404"}`},
		{"answers 404 for a repository under the wrong owner", "/repos/elsewhere/Web-App", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(http.MethodGet, tt.path, nil).want(t, tt.status)
			if tt.want != "" && string(r.body) != tt.want {
				t.Errorf("body\n got %s\nwant %s", r.body, tt.want)
			}
		})
	}
	if web.NodeID != "MDEwOlJlcG9zaXRvcnkxMjk2MjY5" {
		t.Errorf("node_id %s, want GitHub's encoding of 010:Repository1296269", web.NodeID)
	}
	if lib.Owner != "Elsewhere" || lib.FullName != "Elsewhere/lib" || lib.OwnerID == OrgID {
		t.Errorf("repository of another owner %+v", lib)
	}
}

func TestAnUnknownOrganizationIsNotFound(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	srv.AddSecret("A", "v", "all")
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/orgs/other/codespaces/secrets"},
		{http.MethodGet, "/orgs/other/codespaces/secrets/public-key"},
		{http.MethodPut, "/orgs/other/codespaces/secrets/A"},
		{http.MethodDelete, "/orgs/other/codespaces/secrets/A"},
		{http.MethodPut, "/orgs/other/codespaces/secrets/A/repositories"},
	} {
		c.do(tt.method, tt.path, `{"visibility":"all"}`).want(t, http.StatusNotFound)
	}
	if n := len(srv.Unmatched()); n != 0 {
		t.Errorf("%d requests for another organization counted as unmatched; they match GitHub's routes", n)
	}
	wantState(t, srv, "A", "v", "all")
}

func TestBodiesAreCheckedAgainstTheCurrentKey(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	oldID, oldEnc := seal(t, srv, "sealed-for-old")
	oldKeyID, oldKey := srv.PublicKey()
	srv.RotateKey()
	newID, newKey := srv.PublicKey()
	if newID == oldKeyID || newKey == oldKey {
		t.Fatal("RotateKey kept the key")
	}
	t.Run("the old key_id is refused", func(t *testing.T) {
		c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/A", putBody{EncryptedValue: oldEnc, KeyID: oldID, Visibility: "all"}).want(t, http.StatusUnprocessableEntity)
	})
	t.Run("an old box with the new key_id is refused", func(t *testing.T) {
		c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/A", putBody{EncryptedValue: oldEnc, KeyID: newID, Visibility: "all"}).want(t, http.StatusUnprocessableEntity)
	})
	t.Run("a box for the new key is decrypted", func(t *testing.T) {
		c.put(srv, "A", "sealed-for-new", "all").want(t, http.StatusCreated)
		wantState(t, srv, "A", "sealed-for-new", "all")
	})
	t.Run("exact bytes survive, newlines and unicode included", func(t *testing.T) {
		v := " line one\nline two\r\n\tünïcødé \x00 end "
		c.put(srv, "B", v, "all").want(t, http.StatusCreated)
		wantState(t, srv, "B", v, "all")
	})
}

func TestRequestsThatAreNotJSONObjectsAreNeverPanics(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	srv.AddSecret("A", "v", "selected")
	for _, body := range []string{"", " ", "true", "0", `"x"`, `{"visibility":null}`, `{"encrypted_value":5,"visibility":"all"}`, `{"key_id":[],"visibility":"all"}`, `{"visibility":"all","selected_repository_ids":{}}`, string(bytes.Repeat([]byte("["), 10000))} {
		for _, path := range []string{"/orgs/acme/codespaces/secrets/A", "/orgs/acme/codespaces/secrets/A/repositories"} {
			r := c.do(http.MethodPut, path, body)
			if r.err != nil || r.status != http.StatusUnprocessableEntity {
				t.Errorf("PUT %s with %.20q: %d %v, want 422", path, body, r.status, r.err)
			}
		}
	}
}

// TestABoxSealedByLibsodiumOpens uses a box that real libsodium (PyNaCl's
// SealedBox) sealed for the key pair whose private key is 32 bytes of 5.
func TestABoxSealedByLibsodiumOpens(t *testing.T) {
	t.Parallel()
	const (
		libsodiumPublicKey = "UKYUCbHd0DJemxa3AOcZ6XcsBwALG9d4bpB8ZT0gSV0="
		libsodiumBox       = "RWqfV52WxctaB51f/66/k6WLWE+5rOAqXivok8IcFFGyhe8vY20jKiXua1auANYlOKHQ8WCDTr+YQUjielH9gCkt8M8oTYI1"
	)
	srv, c, _ := start(t, WithRand(bytes.NewReader(bytes.Repeat([]byte{5}, 32))))
	keyID, key := srv.PublicKey()
	if key != libsodiumPublicKey {
		t.Fatalf("public key %s, want libsodium's %s for the same private key", key, libsodiumPublicKey)
	}
	c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/FROM_LIBSODIUM", putBody{EncryptedValue: libsodiumBox, KeyID: keyID, Visibility: "all"}).want(t, http.StatusCreated)
	wantState(t, srv, "FROM_LIBSODIUM", "sealed by libsodium ✓\n", "all")
}

// TestAVisibilityOnlyPutNeverCreates: GitHub's PUT needs no value to change
// an existing secret's scope, but cannot create a secret without one.
func TestAVisibilityOnlyPutNeverCreates(t *testing.T) {
	t.Parallel()
	srv, c, _ := start(t)
	e := c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/MISSING", putBody{Visibility: "all"}).want(t, http.StatusUnprocessableEntity).apiErr(t)
	if len(e.Errors) == 0 || e.Errors[0].Field != "encrypted_value" {
		t.Errorf("error %+v, want one about encrypted_value", e)
	}
	if n := len(srv.Secrets()); n != 0 {
		t.Errorf("%d secrets after a PUT without a value, want none", n)
	}
}
