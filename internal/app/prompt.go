package app

import (
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
// read as before.
func promptValue(stdin io.Reader, stderr io.Writer, name string) (string, bool, error) {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", false, nil
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "the secret"
	}
	fmt.Fprintf(stderr, "Paste the value of %s and press Enter: ", report.Neutralize(name))
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(stderr)
	if err != nil {
		return "", true, fmt.Errorf("could not read `value` from the terminal: %w", err)
	}
	return string(b), true, nil
}
