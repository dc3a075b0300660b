package release

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Image is where the release workflow publishes the action's image.
const Image = "ghcr.io/codespaces-org-secrets/codespaces-org-secrets"

// SourceImage is the image line's value on main: the runner builds the
// Dockerfile of the checkout, so uses: ./, @main and forks run their own
// source.
const SourceImage = "Dockerfile"

var (
	commitRe = regexp.MustCompile(`^[0-9a-f]{40}$`)
	digestRe = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// imageLineRe finds action.yml's image lines: indentation, then the value.
	imageLineRe = regexp.MustCompile(`(?m)^([ \t]+image:[ \t]*)(.*?)[ \t]*$`)
	pinnedRe    = regexp.MustCompile(`^docker://` + regexp.QuoteMeta(Image) + `@(sha256:[0-9a-f]{64})$`)
)

// CheckDigest errors unless digest is an image digest: sha256: and 64
// lower-case hex digits.
func CheckDigest(digest string) error {
	if !digestRe.MatchString(digest) {
		return fmt.Errorf("digest %q is not an image digest: want sha256: followed by 64 lower-case hex digits, "+
			"as docker/build-push-action's digest output gives", digest)
	}
	return nil
}

// PinnedImage returns the image line's value that runs the published
// image with digest: docker://IMAGE@sha256:....
func PinnedImage(digest string) string { return "docker://" + Image + "@" + digest }

// PinImage returns action.yml with its one image line changed from
// Dockerfile to the published image pinned by digest, and nothing else
// changed. It errors when the digest is malformed, or when action.yml has
// no image line, more than one, or one that is not Dockerfile.
func PinImage(actionYML []byte, digest string) ([]byte, error) {
	if err := CheckDigest(digest); err != nil {
		return nil, err
	}
	return rewriteImage(actionYML, func(value string) (string, error) {
		if value != SourceImage {
			return "", fmt.Errorf("the image line is %q, want %q: pin only a checkout of main, whose action.yml builds the Dockerfile", value, SourceImage)
		}
		return PinnedImage(digest), nil
	})
}

// UnpinImage is the inverse of PinImage: it returns action.yml with its
// image line back to Dockerfile. It errors unless that line holds the
// published image pinned by a digest.
func UnpinImage(actionYML []byte) ([]byte, error) {
	return rewriteImage(actionYML, func(value string) (string, error) {
		if !pinnedRe.MatchString(value) {
			return "", fmt.Errorf("the image line is %q, want docker://%s@sha256:<64 hex digits>", value, Image)
		}
		return SourceImage, nil
	})
}

// rewriteImage replaces the value of action.yml's only image line with
// what change returns for it.
func rewriteImage(actionYML []byte, change func(value string) (string, error)) ([]byte, error) {
	locs := imageLineRe.FindAllSubmatchIndex(actionYML, -1)
	if len(locs) != 1 {
		return nil, fmt.Errorf("action.yml has %d image lines under runs:, want exactly one (image: %s on main)", len(locs), SourceImage)
	}
	loc := locs[0]
	value, err := change(string(actionYML[loc[4]:loc[5]]))
	if err != nil {
		return nil, fmt.Errorf("action.yml: %w", err)
	}
	var out bytes.Buffer
	out.Write(actionYML[:loc[4]])
	out.WriteString(value)
	out.Write(actionYML[loc[5]:])
	return out.Bytes(), nil
}

// CheckSource errors when the commit the release is run on is not a
// source commit: its action.yml must build the Dockerfile and it must have
// no native/release.json, which only a release commit has. A branch made
// off a release tag has both, and would otherwise fail only after its
// image was built and pushed. ref is the ref the release runs on
// (GITHUB_REF): main, or a release-* branch for a backport.
func CheckSource(actionYML []byte, hasReleaseFile bool, ref string) error {
	var problems []error
	if ref != "refs/heads/main" && !strings.HasPrefix(ref, "refs/heads/release-") {
		problems = append(problems, fmt.Errorf("the release runs on %q: run it on main, or on a release-* branch for a backport", ref))
	}
	locs := imageLineRe.FindAllSubmatch(actionYML, -1)
	image := ""
	if len(locs) == 1 {
		image = string(locs[0][2])
	}
	if image != SourceImage || hasReleaseFile {
		problems = append(problems, fmt.Errorf("this is a release commit, not a source commit (action.yml runs %q, want %q; %s %s): "+
			"a branch made off a release tag starts from one. Make the branch from the tag's source commit instead "+
			"(git switch -c release-1.0 v1.0.0^), or undo the release commit on this branch: "+
			"go run ./tools/release unpin-image && git rm %s, then commit",
			image, SourceImage, ReleaseFile, map[bool]string{true: "exists", false: "is absent"}[hasReleaseFile], ReleaseFile))
	}
	return errors.Join(problems...)
}
