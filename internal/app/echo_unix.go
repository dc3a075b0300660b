//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package app

import "golang.org/x/sys/unix"

// echoOff turns the terminal's echo off before the prompt shows, so that
// nothing typed once it shows is echoed, however late the read starts. The
// caller restores the terminal's state.
func echoOff(fd int) error {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return err
	}
	t.Lflag &^= unix.ECHO
	return unix.IoctlSetTermios(fd, ioctlSetTermios, t)
}
