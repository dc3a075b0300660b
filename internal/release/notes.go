package release

import (
	"fmt"
	"strings"
)

// NotesInput is what the release notes say.
type NotesInput struct {
	Plan       Plan
	Repository string // owner/name, as GITHUB_REPOSITORY
	Commit     string // the release commit, which pins the image
	Digest     string // the image's digest, sha256:...
}

// Notes returns the release notes in Markdown: how to pin the release by
// tag or commit, the image's digest, and the commands that verify the
// image's and the binaries' provenance. It errors on a malformed digest,
// commit or repository.
func Notes(in NotesInput) (string, error) {
	if err := CheckDigest(in.Digest); err != nil {
		return "", err
	}
	if !commitRe.MatchString(in.Commit) {
		return "", fmt.Errorf("commit %q is not a full commit SHA (40 lower-case hex digits)", in.Commit)
	}
	owner, _, ok := strings.Cut(in.Repository, "/")
	if !ok || owner == "" || strings.Count(in.Repository, "/") != 1 || strings.HasSuffix(in.Repository, "/") {
		return "", fmt.Errorf("repository %q is not owner/name", in.Repository)
	}
	v := in.Plan.Version.String()
	signer := in.Repository + "/.github/workflows/release.yml"
	var b strings.Builder
	fmt.Fprintf(&b, "## Use it\n\n")
	fmt.Fprintf(&b, "```yaml\n      - uses: %s@%s # %s\n```\n\n", in.Repository, in.Commit, v)
	fmt.Fprintf(&b, "The release commit `%s` names the prebuilt image by digest in `action.yml`, "+
		"so the job pulls it and starts in seconds: no Go toolchain, no module download, no build. "+
		"Pinning that commit SHA pins the bytes that run.", in.Commit)
	if len(in.Plan.Moving) > 0 {
		fmt.Fprintf(&b, " `%s` now points here too.", strings.Join(in.Plan.Moving, "`, `"))
	}
	fmt.Fprintf(&b, "\n\n## Image\n\n`%s@%s`, tagged %s.\n\n", Image, in.Digest, "`"+strings.Join(in.Plan.Tags, "`, `")+"`")
	fmt.Fprintf(&b, "## Verify the provenance\n\n")
	fmt.Fprintf(&b, "```sh\ngh attestation verify oci://%s@%s --owner %s --signer-workflow %s\n```\n\n", Image, in.Digest, owner, signer)
	fmt.Fprintf(&b, "The binaries attached below are attested the same way, and `%s` holds their SHA-256:\n\n", ChecksumsFile)
	fmt.Fprintf(&b, "```sh\ngh release download %s --repo %s --pattern '%s' --pattern %s\n", v, in.Repository, Platforms[0].AssetName(), ChecksumsFile)
	fmt.Fprintf(&b, "sha256sum --check --ignore-missing %s\n", ChecksumsFile)
	fmt.Fprintf(&b, "gh attestation verify %s --owner %s --signer-workflow %s\n```\n", Platforms[0].AssetName(), owner, signer)
	return b.String(), nil
}
