package app

import "golang.org/x/sys/unix"

// The ioctls that read and write a terminal's settings (as golang.org/x/term
// uses them on Linux).
const ioctlGetTermios, ioctlSetTermios = unix.TCGETS, unix.TCSETS
