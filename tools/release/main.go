// Command release runs the steps of .github/workflows/release.yml that
// decide something: the tags of a version, the rewrite of action.yml's
// image line, the release binaries and their checksums, the checks of the
// source commit and of the release commit, and the release notes. The
// publish job's GitHub release is publish-release.sh, beside it. Everything lives in
// internal/release; run `go run ./tools/release` for its usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/release"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := release.Main(ctx, os.Args, os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
