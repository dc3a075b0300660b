// Package repocheck holds tests that check the repository's own files rather
// than its Go code: that the Dockerfile keeps GitHub's rules for Docker
// actions (no USER, no WORKDIR, an exec-form ENTRYPOINT with an absolute
// path, base images pinned to exact versions, a static trimmed build), that
// .dockerignore never hides a file the binary embeds, and that every action
// a workflow uses is pinned to a full commit SHA with its version in a
// comment.
//
// The package has no code of its own; `go test ./...` runs its checks with
// everything else, so a change that breaks one of these rules fails CI.
package repocheck
