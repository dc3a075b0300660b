//go:build unix

package manifest

import (
	"os"
	"syscall"
)

// sameOwner gives path the owner of the file or directory like, when this
// process may (as root in the action's container). It is best effort: a
// process that may not change owners keeps its own.
func sameOwner(path, like string) {
	fi, err := os.Stat(like)
	if err != nil {
		return
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Getuid() && int(st.Gid) == os.Getgid() {
		return
	}
	_ = os.Chown(path, int(st.Uid), int(st.Gid))
}
