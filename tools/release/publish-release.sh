#!/usr/bin/env bash
# publish-release.sh publishes the GitHub release of the tag $VERSION,
# which the release workflow has pushed: the release is created as a draft
# with its notes and assets, then published, so immutable releases can be
# enabled. It is safe to run again after a partial failure ("Re-run failed
# jobs"):
#   - a release already published is left alone (an immutable release
#     could not change anyway), and the script succeeds;
#   - a draft left by an earlier attempt gets its assets replaced
#     (gh release upload --clobber) and its title and notes set, instead of
#     a second draft being created; then it is published.
#
#   VERSION=v1.2.3 LATEST=true GH_REPO=owner/name GH_TOKEN=... \
#     bash tools/release/publish-release.sh NOTES.md ASSET...
#
# LATEST is true or false, as tools/release plan decided: a backport is
# not marked latest.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: VERSION=vX.Y.Z LATEST=true|false $0 NOTES.md ASSET..." >&2
  exit 2
fi
: "${VERSION:?set VERSION to the release tag, vX.Y.Z}"
: "${LATEST:?set LATEST to true or false (tools/release plan prints it)}"
notes="$1"
shift

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
if state="$(gh release view "$VERSION" --json isDraft -q .isDraft 2>"$errors")"; then
  :
elif grep -q 'release not found' "$errors"; then
  state=none
else
  cat "$errors" >&2
  echo "::error::could not tell whether the release $VERSION exists (gh release view failed); run the job again" >&2
  exit 1
fi

case "$state" in
  false)
    echo "The release $VERSION is already published; nothing to do."
    exit 0
    ;;
  true)
    echo "A draft of $VERSION exists (an earlier attempt): replacing its assets and notes."
    gh release upload "$VERSION" --clobber "$@"
    gh release edit "$VERSION" --title "$VERSION" --notes-file "$notes"
    ;;
  none)
    # --verify-tag: never let gh create the tag; it must be the release
    # commit's, pushed by the step before.
    gh release create "$VERSION" --draft --verify-tag --title "$VERSION" \
      --notes-file "$notes" --latest="$LATEST" "$@"
    ;;
  *)
    echo "::error::gh release view $VERSION printed isDraft=$state, want true or false" >&2
    exit 1
    ;;
esac
gh release edit "$VERSION" --draft=false --latest="$LATEST"
echo "Published the release $VERSION."
