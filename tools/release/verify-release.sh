#!/usr/bin/env bash
# verify-release.sh runs a published release as a user's workflow would,
# on a fresh runner, from a checkout of the release tag:
#   - the Docker action: action.yml at the tag names IMAGE@DIGEST, the
#     image can be pulled without credentials, and its --version is the
#     release's;
#   - the native action: node native/main.js downloads the release's
#     binary for this runner, checks it against native/release.json and
#     runs it, and its --version is the release's.
# It runs every check and lists each failure; a failure cannot undo the
# release, so the workflow opens an issue for it.
#
#   IMAGE=ghcr.io/owner/name DIGEST=sha256:... VERSION=v1.2.3 bash tools/release/verify-release.sh
set -euo pipefail

: "${IMAGE:?set IMAGE to the image, ghcr.io/OWNER/NAME}"
: "${DIGEST:?set DIGEST to the image digest, sha256:...}"
: "${VERSION:?set VERSION to the release tag, vX.Y.Z}"
want="codespaces-org-secrets $VERSION"
failed=0
fail() {
  echo "::error::$*" >&2
  failed=1
}

if ! grep -qxF "  image: docker://$IMAGE@$DIGEST" action.yml; then
  fail "action.yml at $VERSION does not run docker://$IMAGE@$DIGEST: $(grep -m1 '^  image:' action.yml || echo 'it has no image line')"
fi

if RELEASE_PUBLISHED=true bash "$(dirname "$0")/check-public-image.sh"; then
  got="$(docker run --rm "$IMAGE@$DIGEST" --version)" || got="(docker run failed)"
  [ "$got" = "$want" ] || fail "the image $IMAGE@$DIGEST prints \"$got\" for --version, want \"$want\""
else
  failed=1
fi

# The binary reads flags (and so --version) only outside a workflow. The
# shim reports on stdout where the binary came from (downloaded and
# verified, or the tool cache) before it runs it, so the binary's own
# output is the last line.
out="$(env -u GITHUB_ACTIONS node native/main.js --version)" || out="(node native/main.js failed)"
printf '%s\n' "$out"
got="${out##*$'\n'}"
[ "$got" = "$want" ] || fail "the native action at $VERSION prints \"$got\" for --version, want \"$want\""

if [ "$failed" -ne 0 ]; then
  echo "The release $VERSION is published, but does not run as users run it (above)." >&2
  exit 1
fi
echo "The release $VERSION runs as users run it: the image and the native binary both print \"$want\"."
