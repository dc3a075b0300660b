package fakegithubtest

import (
	"net/http"
	"testing"
)

func TestRequestLog(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	srv.AddSecret("A", "v", "all")
	c.do(http.MethodGet, "/orgs/acme/codespaces/secrets?per_page=100", nil).want(t, http.StatusOK)
	c.do(http.MethodPut, "/orgs/acme/codespaces/secrets/A", `{"visibility":"private"}`).want(t, http.StatusNoContent)
	c.do(http.MethodDelete, "/orgs/acme/codespaces/secrets/NOPE", nil).want(t, http.StatusNotFound)

	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests logged, want 3", len(reqs))
	}
	first, second := reqs[0], reqs[1]
	if first.Method != "GET" || first.Path != "/api/v3/orgs/acme/codespaces/secrets" || first.RawQuery != "per_page=100" || first.Status != 200 {
		t.Errorf("first %+v", first)
	}
	if first.Header.Get("Accept") != "application/vnd.github+json" || first.Header.Get("X-GitHub-Api-Version") != "2022-11-28" || first.Header.Get("Authorization") != "Bearer "+srv.Token() {
		t.Errorf("headers not recorded: %v", first.Header)
	}
	if string(second.Body) != `{"visibility":"private"}` || second.Status != 204 {
		t.Errorf("second %+v", second)
	}
	if srv.Count("") != 3 || srv.Count("GET") != 1 || srv.Count("put") != 1 || srv.Count(http.MethodPost) != 0 || srv.Writes() != 2 {
		t.Errorf("Count all %d, GET %d, PUT %d; Writes %d", srv.Count(""), srv.Count("GET"), srv.Count("put"), srv.Writes())
	}
	reqs[0].Method = "changed"
	if srv.Requests()[0].Method != "GET" {
		t.Error("Requests() shares its slice with the log")
	}
	srv.ResetRequests()
	if srv.Count("") != 0 || len(srv.Requests()) != 0 || srv.Writes() != 0 {
		t.Error("ResetRequests kept requests")
	}
}
