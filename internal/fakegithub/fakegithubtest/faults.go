package fakegithubtest

import (
	"net"
	"net/http"
	"strings"
)

// Fault is a one-shot misbehaviour for reliability tests. Injected faults
// wait in a queue; each request takes the first fault that matches it,
// before the fake checks credentials or state (see Server.ServeFront).
type Fault struct {
	// Method matches the request method, case-insensitively; "" matches
	// any.
	Method string
	// Path matches the path relative to the base path, without the query,
	// e.g. "/orgs/acme/codespaces/secrets/FOO". A "*" segment matches any
	// one segment; other segments match exactly (case-sensitively, after
	// unescaping). "" matches any path.
	Path string
	// Status is the status to answer; 0 means 500.
	Status int
	// Header is set on the answer after the fake's own headers (such as
	// the x-ratelimit-* ones), so it can override them; an empty value
	// removes a header.
	Header map[string]string
	// Body is the answer's body as is; when it is not empty and Header
	// sets no Content-Type, it is sent as JSON.
	Body string
	// Reset closes the connection without any answer, as a network
	// failure would. Status, Header and Body are then unused.
	Reset bool
	// Times is how many matching requests the fault answers; 0 means 1.
	Times int
	// Before runs before the fault is served (e.g. fakegithub.Server.RotateKey),
	// outside the fake's lock, once per matching request.
	Before func()
	// PassThrough runs Before and then lets the fake answer normally,
	// altered by TotalCountDelta, DropLink, StallBody and AnswerStatus.
	PassThrough bool
	// AnswerStatus, with PassThrough, replaces the status of the fake's
	// answer after the fake applied the request, as a proxy or GitHub
	// itself might (an update answered 201 Created). A 201 gets GitHub's
	// body for it, {}; a 204 none.
	AnswerStatus int

	// TotalCountDelta, with PassThrough, adds to the total_count of a
	// list's answer, so the pages no longer add up to it.
	TotalCountDelta int
	// DropLink, with PassThrough, removes the Link header from the
	// answer: a page of a longer list that links no next page.
	DropLink bool
	// Stall never answers: the request is logged (with Status 0) and
	// waits, with nothing applied, until the client gives up on it (a
	// time-out, a cancelled context) or the server stops. Before still
	// runs first.
	Stall bool
	// StallBody, with PassThrough, lets the fake apply the request, sends
	// the status, the headers and the first half of the body, then waits
	// like Stall: a response that stops in the middle.
	StallBody bool
}

// pendingFault is a queued Fault and how many more requests it answers.
type pendingFault struct {
	Fault
	left int
}

// Inject queues a fault.
func (s *Server) Inject(f Fault) {
	left := f.Times
	if left < 1 {
		left = 1
	}
	if f.Header != nil { // the caller may reuse its map
		h := make(map[string]string, len(f.Header))
		for k, v := range f.Header {
			h[k] = v
		}
		f.Header = h
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &pendingFault{Fault: f, left: left})
}

// PendingFaults returns how many more requests the queued faults would
// answer: 0 once every injected fault has been used up.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.left
	}
	return n
}

// takeFault removes one use of the first fault that matches the request.
func (s *Server) takeFault(method, rel string) (Fault, bool) {
	segs := segments(rel)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !f.matches(method, segs) {
			continue
		}
		f.left--
		if f.left == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// matches reports whether the fault applies to a request.
func (f *Fault) matches(method string, segs []string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	want := strings.Split(strings.TrimPrefix(f.Path, "/"), "/")
	if len(want) != len(segs) {
		return false
	}
	for i, w := range want {
		if w != "*" && w != segs[i] {
			return false
		}
	}
	return true
}

// resetConnection closes the client's connection without an answer: it
// hijacks it and closes it with SO_LINGER 0, so the client sees a reset.
// Where the connection cannot be hijacked (HTTP/2, a ResponseRecorder), it
// aborts the handler, which also drops the answer.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
