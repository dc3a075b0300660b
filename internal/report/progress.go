package report

import "fmt"

// WithTerminal says that stderr is a terminal: on a workstation, Progress
// then shows a long run's progress there. It does nothing in a workflow.
func WithTerminal(isTerminal bool) Option {
	return func(rep *Reporter) { rep.terminal = isTerminal }
}

// Progress shows "secret n of total: name" on a workstation's terminal, in
// place on one line that the next line printed replaces. It prints nothing
// in a workflow, when stderr is not a terminal, or for a run of one
// secret. Names are not secret; no value ever passes here.
func (r *Reporter) Progress(n, total int, name string) {
	if r.actions || !r.terminal || total < 2 {
		return
	}
	fmt.Fprintf(r.stderr, "\r\x1b[2Ksecret %d of %d: %s", n, total, Neutralize(name))
	r.progressShown = true
}

// clearProgress erases the progress line, if one is shown, so that what is
// printed next starts on a clean line.
func (r *Reporter) clearProgress() {
	if r.progressShown {
		fmt.Fprint(r.stderr, "\r\x1b[2K")
		r.progressShown = false
	}
}
