// Package repocheck holds tests that check the repository's own files rather
// than its Go code: that the Dockerfile keeps GitHub's rules for Docker
// actions (no USER, no WORKDIR, an exec-form ENTRYPOINT with an absolute
// path, base images pinned to exact versions, a static trimmed build), that
// .dockerignore never hides a file the binary embeds, that every action
// a workflow uses is pinned to a full commit SHA with its version in a
// comment, that the release workflow publishes only after a job of its own
// has run the tests and go vet, that CI runs the action from the checkout
// only as a dry run and plans a write in one of them, and that every check
// of the generated code also fails on files go generate newly creates.
//
// The package has no code of its own; `go test ./...` runs its checks with
// everything else, so a change that breaks one of these rules fails CI.
package repocheck
