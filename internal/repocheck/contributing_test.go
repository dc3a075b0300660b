package repocheck

import (
	"regexp"
	"testing"
)

// ---------------------------------------------------------------------------
// CONTRIBUTING.md: a contributor reads it from a clone of the repository,
// so it points at nothing outside it (a path on a maintainer's machine).

func TestContributingPointsAtNothingOutsideTheRepository(t *testing.T) {
	t.Parallel()
	text := readRepoFile(t, "CONTRIBUTING.md")
	for _, m := range regexp.MustCompile("(?m)(?:^|[\\s`(])(/(?:work|home|tmp|Users)/[^\\s`)]*)").FindAllStringSubmatch(text, -1) {
		t.Errorf("CONTRIBUTING.md points at %s, which is not in the repository: name the public page (GitHub's REST documentation) or a file of the repository instead", m[1])
	}
}
