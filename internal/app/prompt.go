package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// promptValue reads --value - from a terminal: it prompts on stderr and
// reads one line without echo, so the value never shows on the screen. It
// returns false when stdin is not a terminal (a pipe, a file), which is
// read as before. An interrupt (Ctrl-C, which main turns into ctx's end)
// gives the terminal its echo back and stops the run.
func promptValue(ctx context.Context, stdin io.Reader, stderr io.Writer, name string) (string, bool, error) {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", true, fmt.Errorf("could not read `value` from the terminal: %w", err)
	}
	defer func() { _ = term.Restore(fd, state) }()
	if err := echoOff(fd); err != nil {
		return "", true, fmt.Errorf("could not turn the terminal's echo off to read `value`: %w", err)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "the secret"
	}
	type line struct {
		b   []byte
		err error
	}
	fmt.Fprintf(stderr, "Paste the value of %s and press Enter: ", report.Neutralize(name))
	read := make(chan line, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		read <- line{b, err}
	}()
	select {
	case l := <-read:
		fmt.Fprintln(stderr)
		if l.err != nil {
			return "", true, fmt.Errorf("could not read `value` from the terminal: %w", l.err)
		}
		return string(l.b), true, nil
	case <-ctx.Done():
		fmt.Fprintln(stderr)
		return "", true, errors.New("interrupted at the prompt: nothing was sent")
	}
}
