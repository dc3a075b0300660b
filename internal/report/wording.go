package report

// WithWording sets how a workstation's messages are reworded before they
// are printed: log lines, warnings and errors. The summary is not: it is
// data, and may show a file as it would be written (export's dry run). A
// workflow's messages are never reworded. nil keeps them as they are.
func WithWording(f func(string) string) Option {
	return func(rep *Reporter) { rep.wording = f }
}

// word rewords msg for a workstation, when a wording is set.
func (r *Reporter) word(msg string) string {
	if r.actions || r.wording == nil {
		return msg
	}
	return r.wording(msg)
}
