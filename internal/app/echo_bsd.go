//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package app

import "golang.org/x/sys/unix"

// The ioctls that read and write a terminal's settings (as golang.org/x/term
// uses them on macOS and the BSDs).
const ioctlGetTermios, ioctlSetTermios = unix.TIOCGETA, unix.TIOCSETA
