package fakegithubtest

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// Server is a fake GitHub as tests use it: the fake of package fakegithub
// with a request log, and a front that answers with the faults a test
// injects (see Fault). It is safe for concurrent use.
type Server struct {
	*fakegithub.Server

	mu     sync.Mutex
	log    []fakegithub.Request
	faults []*pendingFault
}

// New returns a fake GitHub (see fakegithub.New for the options) with a
// request log and no faults queued; serve it with Listen, or use Start.
func New(opts ...fakegithub.Option) *Server {
	s := &Server{}
	s.Server = fakegithub.New(append(slices.Clone(opts), fakegithub.WithFront(s), fakegithub.WithRecorder(s.record))...)
	return s
}

// record logs a request; the fake calls it under its own lock, in the
// order it finished the requests.
func (s *Server) record(r *http.Request, rec fakegithub.Request) {
	if f := throughFault(r); f != nil && f.AnswerStatus != 0 {
		rec.Status = f.AnswerStatus // what the client gets
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, rec)
}

// Requests returns a copy of the request log, in the order the fake
// finished the requests.
func (s *Server) Requests() []fakegithub.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Count returns how many logged requests used the method ("" counts all),
// faulted and unmatched ones included.
func (s *Server) Count(method string) int {
	return s.countWhere(func(r fakegithub.Request) bool { return method == "" || strings.EqualFold(r.Method, method) })
}

// Writes returns how many logged requests were PUT, POST, PATCH or
// DELETE, whatever their answer.
func (s *Server) Writes() int {
	return s.countWhere(fakegithub.Request.IsWrite)
}

// countWhere counts the logged requests that match.
func (s *Server) countWhere(match func(fakegithub.Request) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if match(r) {
			n++
		}
	}
	return n
}

// Unmatched returns the logged requests that matched no endpoint, such as
// a URL without the base path. A strict test expects none.
func (s *Server) Unmatched() []fakegithub.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []fakegithub.Request
	for _, r := range s.log {
		if r.Unmatched {
			out = append(out, r)
		}
	}
	return out
}
