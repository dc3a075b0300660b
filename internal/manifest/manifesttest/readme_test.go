package manifesttest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
)

// TestREADMEManifestExamplesAreValid checks every manifest example in the
// README (a yaml block whose first line that is not a comment is
// `secrets:`) against the published JSON Schema and the parser.
func TestREADMEManifestExamplesAreValid(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	found := 0
	for _, b := range blocks {
		doc := b[1]
		if firstLine(doc) != "secrets:" {
			continue
		}
		found++
		if err := ValidateAgainstSchema("../../../schema/codespaces-secrets.schema.json", []byte(doc)); err != nil {
			t.Errorf("a README example fails the schema: %v\n%s", err, doc)
		}
		if _, err := manifest.Parse("README.md", []byte(doc)); err != nil {
			t.Errorf("a README example does not parse: %v\n%s", err, doc)
		}
	}
	if found == 0 {
		t.Fatal("the README has no manifest example")
	}
}

func firstLine(doc string) string {
	for _, l := range strings.Split(doc, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return ""
}
