// Package release holds the decisions of the release workflow
// (.github/workflows/release.yml) as code with tests: which tags a new
// version gets and which of them move, the rewrite of action.yml's image
// line between the Dockerfile and the published image's digest, the
// per-platform binaries and their checksums, the check of the release
// commit, and the release notes. tools/release is its command line; the
// workflow calls it and holds no logic of its own.
package release

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Version is a release version vMAJOR.MINOR.PATCH.
type Version struct {
	Major, Minor, Patch int
}

var versionRe = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// ParseVersion reads a release version such as v1.2.3. It errors on
// anything else, pre-releases and versions without the v included.
func ParseVersion(s string) (Version, error) {
	m := versionRe.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("version %q is not a release version: write vMAJOR.MINOR.PATCH, such as v1.2.3 "+
			"(no leading zeros; pre-releases are not published)", s)
	}
	var n [3]int
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %q is too large a number", s, m[i+1])
		}
		n[i] = v
	}
	return Version{Major: n[0], Minor: n[1], Patch: n[2]}, nil
}

// String returns the version as its tag: v1.2.3.
func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }

// MinorTag returns the tag that follows the highest release of v's minor
// version: v1.2.
func (v Version) MinorTag() string { return fmt.Sprintf("v%d.%d", v.Major, v.Minor) }

// MajorTag returns the tag that follows the highest release of v's major
// version: v1 (v0 for 0.x releases, by the same rule).
func (v Version) MajorTag() string { return fmt.Sprintf("v%d", v.Major) }

// Compare returns -1, 0 or +1 as v is lower than, equal to or higher than w.
func (v Version) Compare(w Version) int {
	return cmp.Or(cmp.Compare(v.Major, w.Major), cmp.Compare(v.Minor, w.Minor), cmp.Compare(v.Patch, w.Patch))
}

// Plan is what a new release does with tags.
type Plan struct {
	Version Version
	// Tags are the tags that point at the release once it is published,
	// on the repository and on the image: the version itself, then its
	// minor and major tags when they move.
	Tags []string
	// Moving are the tags of Tags that already point elsewhere (or are
	// new) and move to this release: its minor and major tags, each only
	// when this is the highest release under it.
	Moving []string
	// Latest is true when the release is higher than every earlier one, so
	// GitHub should show it as the latest release.
	Latest bool
}

// NewPlan decides the tags of release version, given the repository's
// existing tags (one a line, with or without refs/tags/; tags that are
// not release versions, such as v1 and v1.2, are ignored). A tag vX or
// vX.Y moves only when version is the highest release under it, so a
// backport (v1.0.1 after v1.1.0) does not move v1 back. It errors when
// version is not a release version or is already released.
func NewPlan(version string, existing io.Reader) (Plan, error) {
	v, err := ParseVersion(version)
	if err != nil {
		return Plan{}, err
	}
	moveMinor, moveMajor, latest := true, true, true
	sc := bufio.NewScanner(existing)
	for sc.Scan() {
		tag := strings.TrimPrefix(strings.TrimSpace(sc.Text()), "refs/tags/")
		w, err := ParseVersion(tag)
		if err != nil {
			continue // v1, v1.2 and other tags are not releases
		}
		switch c := v.Compare(w); {
		case c == 0:
			return Plan{}, fmt.Errorf("%s is already released (the tag exists); release the next version instead", v)
		case c < 0:
			latest = false
			if w.Major == v.Major {
				moveMajor = false
				if w.Minor == v.Minor {
					moveMinor = false
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return Plan{}, fmt.Errorf("reading the existing tags: %w", err)
	}
	p := Plan{Version: v, Tags: []string{v.String()}, Latest: latest}
	if moveMinor {
		p.Moving = append(p.Moving, v.MinorTag())
	}
	if moveMajor {
		p.Moving = append(p.Moving, v.MajorTag())
	}
	p.Tags = append(p.Tags, p.Moving...)
	return p, nil
}

// WriteOutputs writes the plan as name=value lines for GITHUB_OUTPUT:
// version, tags and moving-tags (space-separated, possibly empty), and
// latest (true or false).
func (p Plan) WriteOutputs(w io.Writer) error {
	_, err := fmt.Fprintf(w, "version=%s\ntags=%s\nmoving-tags=%s\nlatest=%t\n",
		p.Version, strings.Join(p.Tags, " "), strings.Join(p.Moving, " "), p.Latest)
	return err
}
