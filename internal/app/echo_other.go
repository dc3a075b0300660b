//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package app

// echoOff does nothing where the terminal's settings are not termios (such
// as Windows): term.ReadPassword turns the echo off when the read starts.
func echoOff(int) error { return nil }
