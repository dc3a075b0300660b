# The image GitHub runs for this Docker action, and the one the release
# workflow publishes as ghcr.io/codespaces-org-secrets/codespaces-org-secrets.
#
# GitHub's rules for Docker actions apply: the container must run as the
# default (root) user, so there is no USER; GitHub sets the working directory
# to the workspace itself, so there is no WORKDIR (absolute paths instead);
# and the ENTRYPOINT is exec form with an absolute path.
# internal/repocheck tests these rules.

# The build stage runs on the builder's own platform and cross-compiles, so a
# multi-platform build needs no emulation. Pinned to an exact Go release;
# Dependabot proposes updates.
FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm AS build

# Modules first, in their own layer: a source change does not download again.
COPY go.mod go.sum /src/
RUN cd /src && go mod download && go mod verify

COPY . /src/

# Set by BuildKit for each platform being built; empty means the builder's own.
ARG TARGETOS
ARG TARGETARCH
# The release workflow passes the tag (v1.2.3); local builds report "dev".
ARG VERSION=dev

# Static, reproducible binary: no cgo, no local paths, no symbol table.
RUN cd /src && \
    CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH" \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" \
      -o /out/codespaces-org-secrets .

# The final image holds the binary and the CA certificates it needs to talk
# to the GitHub API over https. Nothing else: no shell, no package manager.
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/codespaces-org-secrets /codespaces-org-secrets
ENTRYPOINT ["/codespaces-org-secrets"]
