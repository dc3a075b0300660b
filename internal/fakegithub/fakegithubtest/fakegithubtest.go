// Package fakegithubtest is the fake GitHub of package fakegithub as tests
// use it: with a request log and injected faults (see Server and Fault),
// started for a test and held to the fake's strictness: a request that no
// endpoint matched (a URL that dropped the base path, say) and an injected
// fault that nothing used fail the test when it ends, as gh's
// httpmock.Registry.Verify does.
//
// Only tests import it, so the action's binary, which runs the fake for
// --demo, links neither the faults, nor the log, nor package testing.
package fakegithubtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// Start serves a new fake (see fakegithub.New for the options) on
// 127.0.0.1 until the test ends, and returns it with its base URL (base
// path included, e.g. http://127.0.0.1:PORT/api/v3). When the test ends,
// Verify checks the fake. Start fails the test when it cannot listen.
func Start(t testing.TB, opts ...fakegithub.Option) (*Server, string) {
	t.Helper()
	srv := New(opts...)
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
func Verify(t testing.TB, srv *Server) {
	t.Helper()
	for _, r := range srv.Unmatched() {
		t.Errorf("fake GitHub: unmatched request: %s %s", r.Method, r.Path)
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("fake GitHub: %d injected faults were never used", n)
	}
}

// Orgs is several organizations of one GitHub behind one URL (see
// fakegithub.Orgs), each served by a Server of this package.
type Orgs struct {
	*fakegithub.Orgs
	servers []*Server
}

// Server returns the Server of organization login, or nil.
func (o *Orgs) Server(login string) *Server {
	for _, s := range o.servers {
		if strings.EqualFold(s.Org(), login) {
			return s
		}
	}
	return nil
}

// Writes counts the write requests every organization's Server received.
func (o *Orgs) Writes() int {
	n := 0
	for _, s := range o.servers {
		n += s.Writes()
	}
	return n
}

// StartOrgs serves several organizations behind one URL until the test
// ends (see fakegithub.NewOrgs): one Server per login, each made with
// opts and its login, and app installed where it says (nil: no App). It
// returns them with the base URL; each Server is verified when the test
// ends.
func StartOrgs(t testing.TB, app *fakegithub.App, logins []string, opts ...fakegithub.Option) (*Orgs, string) {
	t.Helper()
	o := &Orgs{}
	fakes := make([]*fakegithub.Server, 0, len(logins))
	for _, login := range logins {
		s := New(append(slices.Clone(opts), fakegithub.WithOrg(login))...)
		o.servers = append(o.servers, s)
		fakes = append(fakes, s.Server)
	}
	o.Orgs = fakegithub.NewOrgs(app, fakes...)
	base, stop, err := o.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	t.Cleanup(func() {
		for _, s := range o.servers {
			Verify(t, s)
		}
	})
	return o, base
}
