// Package fakegithubtest starts the fake GitHub of package fakegithub for
// a test, and holds the test to the fake's strictness: a request that no
// endpoint matched (a URL that dropped the base path, say) and an injected
// fault that nothing used fail the test when it ends, as gh's
// httpmock.Registry.Verify does.
//
// It is the only place that joins the fake to package testing, so the
// action's binary, which runs the fake for --demo, links no test code.
package fakegithubtest

import (
	"slices"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// Start serves a new fake (see fakegithub.New for the options) on
// 127.0.0.1 until the test ends, and returns it with its base URL (base
// path included, e.g. http://127.0.0.1:PORT/api/v3). When the test ends,
// Verify checks the fake. Start fails the test when it cannot listen.
func Start(t testing.TB, opts ...fakegithub.Option) (*fakegithub.Server, string) {
	t.Helper()
	srv := fakegithub.New(opts...)
	base, stop, err := srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	t.Cleanup(func() { Verify(t, srv) }) // cleanups run last first: before stop
	return srv, base
}

// Verify fails t for every request srv received that no endpoint matched,
// and when faults injected into srv were never used. Start registers it;
// call it for a fake served some other way.
func Verify(t testing.TB, srv *fakegithub.Server) {
	t.Helper()
	for _, r := range srv.Unmatched() {
		t.Errorf("fake GitHub: unmatched request: %s %s", r.Method, r.Path)
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("fake GitHub: %d injected faults were never used", n)
	}
}

// StartOrgs serves several organizations behind one URL until the test
// ends (see fakegithub.NewOrgs): one Server per login, each made with
// opts and its login, and app installed where it says (nil: no App). It
// returns them with the base URL; each Server is verified when the test
// ends.
func StartOrgs(t testing.TB, app *fakegithub.App, logins []string, opts ...fakegithub.Option) (*fakegithub.Orgs, string) {
	t.Helper()
	servers := make([]*fakegithub.Server, 0, len(logins))
	for _, login := range logins {
		servers = append(servers, fakegithub.New(append(slices.Clone(opts), fakegithub.WithOrg(login))...))
	}
	orgs := fakegithub.NewOrgs(app, servers...)
	base, stop, err := orgs.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	t.Cleanup(func() {
		for _, s := range servers {
			Verify(t, s)
		}
	})
	return orgs, base
}
