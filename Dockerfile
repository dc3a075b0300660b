# The image GitHub builds for `uses: ./`, `@main` and forks (action.yml on
# main says image: Dockerfile), and the one the release workflow publishes
# as ghcr.io/codespaces-org-secrets/codespaces-org-secrets and pins by
# digest in each release commit.
#
# GitHub's rules for Docker actions apply: the container must run as the
# default (root) user, so there is no USER; GitHub sets the working directory
# to the workspace itself, so there is no WORKDIR (absolute paths instead);
# and the ENTRYPOINT is exec form with an absolute path.
# internal/repocheck tests these rules, and that every FROM is pinned by
# digest.

# The build stage runs on the builder's own platform and cross-compiles, so a
# multi-platform build needs no emulation. $BUILDPLATFORM needs BuildKit: the
# classic builder fails here (README, "Building needs BuildKit"). The official image of an exact Go
# release, pinned by its index digest (docker-library/repo-info,
# repos/golang/remote/1.26.8-alpine.md); Dependabot proposes updates. Its Go
# is go.mod's toolchain line: the image sets GOTOOLCHAIN=local, so the two
# move together (internal/repocheck's TestGoVersionsAgree, and one
# Dependabot group for both).
FROM --platform=$BUILDPLATFORM golang:1.26.8-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628 AS build

COPY . /src/

# Set by BuildKit for each platform being built; empty means the builder's own.
ARG TARGETOS
ARG TARGETARCH
# The release workflow passes the tag (v1.2.3); local builds report "dev".
ARG VERSION=dev

# Static, reproducible binary: no cgo, no local paths, no symbol table.
# go build downloads only the modules the binary imports (7 of go.mod's 24,
# 4.8 MB of 23 MB), checked against go.sum; there is deliberately no
# `go mod download`, which would fetch the code generator's modules too.
# internal/repocheck tests that.
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
