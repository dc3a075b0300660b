package app

import (
	"fmt"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

// keyFileEnv names the file that holds a GitHub App's private key on a
// workstation, where the key is never a flag.
const keyFileEnv = "GH_APP_PRIVATE_KEY_FILE"

// readKeyFile fills in the private-key input on a workstation from the file
// keyFileEnv names, unless GH_APP_PRIVATE_KEY gave it. Its error names the
// file, never its content.
func readKeyFile(raw inputs.Raw, getenv func(string) string, readFile func(string) ([]byte, error)) error {
	path := strings.TrimSpace(getenv(keyFileEnv))
	switch {
	case path == "":
		return nil
	case raw["private-key"] != "":
		return fmt.Errorf("both GH_APP_PRIVATE_KEY and %s are set: keep one of them", keyFileEnv)
	}
	b, err := readFile(path)
	if err != nil {
		return fmt.Errorf("%s: could not read the App's private key from %q: %w", keyFileEnv, path, err)
	}
	raw["private-key"] = string(b)
	return nil
}
