// Command codespaces-org-secrets manages GitHub Codespaces organization
// secrets: as a Docker action in a workflow, or as a command on a
// workstation. Everything it does lives in internal/app.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/app"
)

// version is set at build time with -ldflags "-X main.version=..."; when it
// is not, app.ResolveVersion falls back to the module version that
// `go install …@version` records in the binary.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr, app.WithVersion(app.ResolveVersion(version)))
	stop()
	os.Exit(code)
}
