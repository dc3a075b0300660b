// Package report is the only writer of what a run shows: log lines, masks,
// step outputs and the job summary. In a workflow it speaks the runner's
// workflow commands (through go-githubactions) and files; on a workstation
// it prints the result on stdout and everything else on stderr.
//
// Two rules hold for everything that passes through it: values are masked
// before anything else is printed, and no line it prints can start a
// workflow command unless it means to.
package report

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sethvargo/go-githubactions"
)

// Reporter writes a run's logs, outputs and summary.
type Reporter struct {
	actions bool
	gha     *githubactions.Action
	stdout  io.Writer
	stderr  io.Writer
	getenv  func(string) string
	rand    io.Reader
	logs    io.Writer // where log lines and workflow commands go

	terminal      bool                // stderr is a terminal (see WithTerminal)
	progressShown bool                // a progress line is on stderr, to be cleared
	wording       func(string) string // see WithWording
}

// Option configures a Reporter.
type Option func(*Reporter)

// WithRand sets the source of output delimiters; nil keeps crypto/rand.
func WithRand(r io.Reader) Option {
	return func(rep *Reporter) {
		if r != nil {
			rep.rand = r
		}
	}
}

// New returns a Reporter. With actions true it writes workflow commands to
// stdout and the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY (read
// through getenv); otherwise it writes plain text, logs to stderr.
func New(actions bool, getenv func(string) string, stdout, stderr io.Writer, opts ...Option) *Reporter {
	r := &Reporter{actions: actions, getenv: getenv, stdout: stdout, stderr: stderr, rand: rand.Reader}
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	logs := stderr
	if actions {
		logs = stdout
	}
	r.logs = logs
	r.gha = githubactions.New(githubactions.WithWriter(logs), githubactions.WithGetenv(getenv))
	return r
}

// Actions reports whether the Reporter speaks to the Actions runner.
func (r *Reporter) Actions() bool { return r.actions }

// Mask registers values with the runner so that it hides them in the log:
// each value whole and each of its lines. It does nothing on a
// workstation, where nothing masks, so nothing may print a value at all.
func (r *Reporter) Mask(values ...string) {
	if !r.actions {
		return
	}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		r.gha.AddMask(v)
		if strings.ContainsAny(v, "\r\n") {
			for _, line := range strings.FieldsFunc(v, func(c rune) bool { return c == '\n' || c == '\r' }) {
				if strings.TrimSpace(line) != "" {
					r.gha.AddMask(line)
				}
			}
		}
	}
}

// Infof prints a log line. Every line of it is made safe first, so text
// from GitHub or from inputs cannot start a workflow command.
func (r *Reporter) Infof(format string, args ...any) {
	r.clearProgress()
	r.gha.Infof("%s", Neutralize(r.word(fmt.Sprintf(format, args...))))
}

// Replay prints, as it is, what another Reporter of the same kind logged
// into a buffer (see New): the lines were made safe when they were logged.
// It lets parts of a run that work side by side log in a fixed order.
func (r *Reporter) Replay(logged string) {
	r.clearProgress()
	logs := r.stderr
	if r.actions {
		logs = r.stdout
	}
	_, _ = io.WriteString(logs, logged)
}

// Warnf prints a warning: an annotation in a workflow, "warning: " on a
// workstation.
func (r *Reporter) Warnf(format string, args ...any) {
	r.clearProgress()
	msg := fmt.Sprintf(format, args...)
	if r.actions {
		r.gha.Warningf("%s", breakOldCommands(msg))
		return
	}
	fmt.Fprintln(r.stderr, "warning: "+Neutralize(r.word(msg)))
}

// Errorf prints an error: an `::error::` annotation (its text escaped, so it
// stays one command) in a workflow, "error: " on a workstation.
func (r *Reporter) Errorf(format string, args ...any) {
	r.clearProgress()
	msg := fmt.Sprintf(format, args...)
	if r.actions {
		r.gha.Errorf("%s", breakOldCommands(msg))
		return
	}
	fmt.Fprintln(r.stderr, "error: "+Neutralize(r.word(msg)))
}

// ErrOutputDelimiter is returned when an output value contains the random
// delimiter chosen to end it.
var ErrOutputDelimiter = errors.New("output value contains its delimiter")

// SetOutputs writes step outputs, in order. In a workflow each goes to the
// GITHUB_OUTPUT file as a heredoc with a fresh random delimiter, and a value
// that contains its delimiter is refused. On a workstation outputs are not
// written: the caller prints the result itself.
func (r *Reporter) SetOutputs(outputs [][2]string) error {
	if !r.actions {
		return nil
	}
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return errors.New("GITHUB_OUTPUT is not set, so the step's outputs cannot be written: run the action on a GitHub Actions runner, or run the binary outside Actions (GITHUB_ACTIONS unset) to get the result on stdout")
	}
	var b strings.Builder
	for _, kv := range outputs {
		delim, err := r.delimiter()
		if err != nil {
			return err
		}
		if strings.Contains(kv[1], delim) {
			return fmt.Errorf("output %q: %w", kv[0], ErrOutputDelimiter)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", kv[0], delim, kv[1], delim)
	}
	return appendFile(path, b.String())
}

// Summary adds a job summary: Markdown to the GITHUB_STEP_SUMMARY file in a
// workflow, or the plain text to stderr on a workstation. A workflow without
// a summary file gets a warning, not a failure.
func (r *Reporter) Summary(markdown, text string) {
	r.clearProgress()
	if !r.actions {
		fmt.Fprint(r.stderr, text)
		return
	}
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		r.Warnf("GITHUB_STEP_SUMMARY is not set, so no job summary was written")
		return
	}
	if err := appendFile(path, markdown); err != nil {
		r.Warnf("could not write the job summary: %v", err)
	}
}

// Result prints the result JSON on stdout on a workstation; in a workflow
// the result is an output and this does nothing.
func (r *Reporter) Result(json string) {
	r.clearProgress()
	if !r.actions {
		fmt.Fprintln(r.stdout, json)
	}
}

func (r *Reporter) delimiter() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r.rand, b[:]); err != nil {
		return "", fmt.Errorf("could not make an output delimiter: %w", err)
	}
	return "ghadelimiter_" + hex.EncodeToString(b[:]), nil
}

func appendFile(path, text string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("could not open %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("could not close %s: %w", path, cerr)
		}
	}()
	if _, err := f.WriteString(text); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	return nil
}

// breakOldCommands breaks up the runner's older "##[command]" form, which it
// finds anywhere in a line, as "# #[".
func breakOldCommands(s string) string { return strings.ReplaceAll(s, "##[", "# #[") }

// Neutralize makes text safe to print as log lines: any line that would
// start a workflow command ("::" after optional white space) gets a visible
// "› " in front, the runner's older "##[command]" form, which it finds
// anywhere in a line, is broken up as "# #[", and carriage returns become
// line breaks so a line cannot hide another.
func Neutralize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = breakOldCommands(l)
		if strings.HasPrefix(strings.TrimSpace(l), "::") {
			l = "› " + l
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
