#!/usr/bin/env bash
# check-public-image.sh proves that anyone can pull the release's image,
# as the runner pulls a Docker action's image: without credentials
# (actions/runner pulls with no login). A private package would fail every
# user's job at "Set up job", so the publish job runs this before it pushes
# the release tag: when it fails, nothing has been tagged or published, and
# the fix plus "Re-run failed jobs" finishes the same release.
#
#   IMAGE=ghcr.io/owner/name DIGEST=sha256:... bash tools/release/check-public-image.sh
#
# It logs out of the image's registry and pulls with an empty Docker
# configuration, so no stored credential or credential helper can make the
# pull work for this job alone. verify-release.sh runs it after publishing,
# with RELEASE_PUBLISHED=true, and the failure then says so.
set -euo pipefail

: "${IMAGE:?set IMAGE to the image, ghcr.io/OWNER/NAME}"
: "${DIGEST:?set DIGEST to the image digest, sha256:...}"
registry="${IMAGE%%/*}"
path="${IMAGE#*/}"
owner="${path%%/*}"
package="${path#*/}"

docker logout "$registry" >/dev/null 2>&1 || true
DOCKER_CONFIG="$(mktemp -d)"
export DOCKER_CONFIG
trap 'rm -rf "$DOCKER_CONFIG"' EXIT

if [ "${RELEASE_PUBLISHED:-}" = true ]; then
  then_what="The release is already published, so every user's job fails until then; then use \"Re-run failed jobs\" to check again."
else
  then_what="Nothing has been tagged or published yet: then use \"Re-run failed jobs\"."
fi
if ! docker pull --quiet "$IMAGE@$DIGEST"; then
  echo "::error::$IMAGE@$DIGEST cannot be pulled without credentials, so every workflow that uses this release would fail at \"Set up job\"." \
    "If the pull was refused (denied, unauthorized), make the package public: https://github.com/orgs/$owner/packages/container/package/$package," \
    "Package settings, Change visibility, Public (the organization must allow public packages: its Settings, Packages)." \
    "$then_what" >&2
  exit 1
fi
echo "$IMAGE@$DIGEST can be pulled without credentials."
