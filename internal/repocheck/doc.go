// Package repocheck holds tests that check the repository's own files
// rather than its Go code, for the rules that are this project's (generic
// workflow lint is actionlint's, which CI runs):
//
//   - action.yml on main builds the Dockerfile; only a release commit pins
//     the published image (tools/release does the rewrite);
//   - the Dockerfile keeps GitHub's rules for Docker actions (no USER, no
//     WORKDIR, an exec-form ENTRYPOINT with an absolute path), pins every
//     FROM by digest, builds a static trimmed binary, and downloads only the
//     modules the binary imports;
//   - .dockerignore never hides a file the build reads or embeds;
//   - every action a workflow uses is pinned to a full commit SHA with its
//     version in a comment;
//   - the release publishes only after a job of its own has run the tests
//     and go vet, and no job that may write to the repository builds while
//     a write credential is within reach;
//   - CI runs the action from the checkout only as a dry run, and plans a
//     write in one of them;
//   - every check of the generated code also fails on files go generate
//     newly creates;
//   - the release proves an anonymous pull of its image before any tag
//     moves, runs the published release as users do in a job of its own
//     (opening an issue when that fails), downloads its artifacts by run
//     id so re-runs find them, and sets up Go without caches;
//   - go.mod's toolchain line and the Dockerfile's golang image are one Go
//     version, whose Dependabot updates come in one pull request;
//   - RELEASING.md lists the maintainers' one-time steps in order, each
//     with what breaks without it, and every action the release uses; the
//     README says that the Dockerfile needs BuildKit;
//   - every function of the project's own Go code (not tests, not gen/)
//     spans fewer than 80 lines;
//   - CONTRIBUTING.md's package map has a row for every package, naming
//     everything it imports, and the guide points at nothing outside the
//     repository.
//
// The package has no code of its own; `go test ./...` runs its checks with
// everything else, so a change that breaks one of these rules fails CI.
package repocheck
