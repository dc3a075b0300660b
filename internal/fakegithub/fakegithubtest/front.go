package fakegithubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// ServeFront answers a request with the first queued fault that matches
// it, or passes it on to the fake. The fake calls it for every request
// within the base path, before it checks the credentials.
func (s *Server) ServeFront(w http.ResponseWriter, r *http.Request, rec fakegithub.Request, rel string) {
	f, ok := s.takeFault(r.Method, rel)
	if !ok {
		s.Answer(w, r, rec, rel)
		return
	}
	if f.Before != nil {
		f.Before()
	}
	switch {
	case f.Stall:
		rec.Fault = true
		s.append(rec)        // logged at once: nothing will be answered
		<-r.Context().Done() // until the client gives up
	case f.PassThrough:
		s.passThrough(w, r, rec, rel, f)
	case f.Reset:
		rec.Fault = true
		s.append(rec) // Status 0: nothing was answered
		resetConnection(w)
	default:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		s.AnswerInstead(w, r, rec, status, f.Header, f.Body)
	}
}

// append logs a request the fake never answered.
func (s *Server) append(rec fakegithub.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, rec)
}

// passThrough lets the fake answer, then alters its answer as the fault
// says.
func (s *Server) passThrough(w http.ResponseWriter, r *http.Request, rec fakegithub.Request, rel string, f Fault) {
	c := &captured{header: http.Header{}}
	s.Answer(c, r.WithContext(context.WithValue(r.Context(), throughKey{}, &f)), rec, rel)
	f.alter(c)
	if f.StallBody {
		stallBody(w, r, c)
		return
	}
	c.writeTo(w)
}

// throughKey keys the pass-through fault in a request's context, for the
// log to record the status the client gets.
type throughKey struct{}

// throughFault returns the pass-through fault of a request, or nil.
func throughFault(r *http.Request) *Fault {
	f, _ := r.Context().Value(throughKey{}).(*Fault)
	return f
}

// captured is the fake's answer, held to be altered before it is sent.
type captured struct {
	status int
	header http.Header
	body   []byte // nil: no body
}

// Header returns the answer's header.
func (c *captured) Header() http.Header { return c.header }

// WriteHeader keeps the status.
func (c *captured) WriteHeader(status int) { c.status = status }

// Write keeps the body.
func (c *captured) Write(b []byte) (int, error) {
	if c.body == nil {
		c.body = []byte{}
	}
	c.body = append(c.body, b...)
	return len(b), nil
}

// writeTo sends the answer as altered.
func (c *captured) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	h.Del("Content-Length")
	if c.body != nil {
		h.Set("Content-Length", strconv.Itoa(len(c.body)))
	}
	w.WriteHeader(c.status)
	if c.body != nil {
		_, _ = w.Write(c.body)
	}
}

// alter applies the pass-through changes to the fake's own answer.
func (f *Fault) alter(resp *captured) {
	if f.AnswerStatus != 0 {
		resp.status = f.AnswerStatus
		switch {
		case f.AnswerStatus == http.StatusCreated && len(resp.body) == 0:
			resp.body = []byte("{}")
			resp.header.Set("Content-Type", "application/json; charset=utf-8")
		case !fakegithub.BodyAllowed(f.AnswerStatus):
			resp.body = nil
			resp.header.Del("Content-Type")
		}
	}
	if f.DropLink {
		resp.header.Del("Link")
	}
	if f.TotalCountDelta != 0 && resp.body != nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(resp.body, &m) == nil && m["total_count"] != nil {
			var n int
			if json.Unmarshal(m["total_count"], &n) == nil {
				// Keep GitHub's member order: total_count comes first.
				old := fmt.Sprintf(`{"total_count":%d,`, n)
				if rest, ok := bytes.CutPrefix(resp.body, []byte(old)); ok {
					resp.body = append(fmt.Appendf(nil, `{"total_count":%d,`, n+f.TotalCountDelta), rest...)
				}
			}
		}
	}
}

// stallBody writes the status, the headers and half of the body, then
// waits until the client goes away.
func stallBody(w http.ResponseWriter, r *http.Request, resp *captured) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body[:len(resp.body)/2])
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	<-r.Context().Done()
}

// segments splits a relative escaped path into unescaped segments, as the
// fake routes it; a bad escape leaves the segments as they are.
func segments(rel string) []string {
	parts := strings.Split(strings.TrimPrefix(rel, "/"), "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return strings.Split(strings.TrimPrefix(rel, "/"), "/")
		}
		parts[i] = u
	}
	return parts
}
