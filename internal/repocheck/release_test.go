package repocheck

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// What the first release needs beyond its own wiring (checkReleaseWiring):
// an image anyone can pull before a tag moves, a run of the published
// release as users run it, re-runs that find the artifacts, clean builds.

// TestReleaseCannotHalfFail checks release.yml against checkPublicFirst,
// checkVerifyAfterPublish, checkDownloadsByRunID and
// checkSetupGoWithoutCache.
func TestReleaseCannotHalfFail(t *testing.T) {
	t.Parallel()
	const rel = ".github/workflows/release.yml"
	wf := parseWorkflow(t, rel, readRepoFile(t, rel))
	for _, check := range []func(string, workflowFile) []string{checkPublicFirst, checkVerifyAfterPublish, checkDownloadsByRunID, checkSetupGoWithoutCache} {
		for _, p := range check(rel, wf) {
			t.Error(p)
		}
	}
}

var (
	checkPublicRe = regexp.MustCompile(`(?m)^[^#\n]*\bbash tools/release/check-public-image\.sh\b`)
	verifyRe      = regexp.MustCompile(`(?m)^[^#\n]*\bbash tools/release/verify-release\.sh\b`)
	issueRe       = regexp.MustCompile(`(?m)^[^#\n]*\bgh issue create\b`)
	// writesRe finds what makes a release visible: a tag pushed or moved,
	// the GitHub release, the image's tags.
	writesRe = regexp.MustCompile(`(?m)^[^#\n]*(\bgit push\b|\bgit tag -f\b|\bbash tools/release/publish-release\.sh\b|\bdocker buildx imagetools create\b)`)
)

const imageDigest = "${{ needs.image.outputs.digest }}"

// publishingJobs returns the jobs of wf that publish the GitHub release
// (publish-release.sh), sorted.
func publishingJobs(wf workflowFile) []string {
	var jobs []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for _, s := range wf.Jobs[job].Steps {
			if publishRe.MatchString(s.Run) {
				jobs = append(jobs, job)
				break
			}
		}
	}
	return jobs
}

// checkPublicFirst returns a problem unless each job that publishes
// proves, with tools/release/check-public-image.sh on the pushed digest
// (which logs out and pulls anonymously, as the runner does), that anyone
// can pull the image before any step of it pushes a tag, publishes the
// release or tags the image, and before any registry login in the job.
// So a private package stops the release before anything is visible, and
// a re-run after the fix finishes it.
func checkPublicFirst(name string, wf workflowFile) []string {
	var problems []string
	for _, job := range publishingJobs(wf) {
		checked := false
		for i, s := range wf.Jobs[job].Steps {
			where := fmt.Sprintf("%s: job %q, %s", name, job, stepLabel(i, s))
			switch {
			case checkPublicRe.MatchString(s.Run):
				checked = true
				if s.Env["DIGEST"] != imageDigest {
					problems = append(problems, where+" checks a DIGEST that is not the pushed image's ("+imageDigest+")")
				}
			case checked:
			case strings.HasPrefix(s.Uses, "docker/login-action@"):
				problems = append(problems, where+" logs in to the registry before the anonymous pull; "+
					"run bash tools/release/check-public-image.sh first, so the check cannot pass on this job's credentials")
			case writesRe.MatchString(s.Run):
				problems = append(problems, where+" makes the release visible before anyone is known to be able to pull the image; "+
					"run bash tools/release/check-public-image.sh before it, so a private package stops the release before any tag exists")
			}
		}
		if !checked {
			problems = append(problems, fmt.Sprintf("%s: job %q publishes without bash tools/release/check-public-image.sh, "+
				"so a private package fails every user's job at \"Set up job\"", name, job))
		}
	}
	return problems
}

// checkVerifyAfterPublish returns a problem unless a job that needs each
// publishing job checks out the release tag without credentials, runs
// tools/release/verify-release.sh on the pushed digest, and then, if: failure(),
// opens an issue: a published release cannot be undone, so its failure
// must be seen.
func checkVerifyAfterPublish(name string, wf workflowFile) []string {
	publishers := publishingJobs(wf)
	var problems []string
	verifiers := 0
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		j := wf.Jobs[job]
		verifies, tag, issue := false, false, false
		for i, s := range j.Steps {
			where := fmt.Sprintf("%s: job %q, %s", name, job, stepLabel(i, s))
			if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["ref"] == "refs/tags/${{ inputs.version }}" {
				tag = true
			}
			if verifyRe.MatchString(s.Run) {
				verifies = true
				if s.Env["DIGEST"] != imageDigest {
					problems = append(problems, where+" verifies a DIGEST that is not the pushed image's ("+imageDigest+")")
				}
			}
			if verifies && issueRe.MatchString(s.Run) && strings.Contains(s.If, "failure()") {
				issue = true
			}
		}
		if !verifies {
			continue
		}
		verifiers++
		for _, p := range publishers {
			if !slices.Contains(j.Needs, p) {
				problems = append(problems, fmt.Sprintf("%s: job %q verifies the release without needs: %s, so it may run before the release is published", name, job, p))
			}
		}
		if !tag {
			problems = append(problems, fmt.Sprintf("%s: job %q does not check out the release tag (ref: refs/tags/${{ inputs.version }}), so it runs the source, not what users get", name, job))
		}
		if !issue {
			problems = append(problems, fmt.Sprintf("%s: job %q has no step after the check that opens an issue (if: failure(), gh issue create)", name, job))
		}
	}
	if verifiers == 0 {
		problems = append(problems, fmt.Sprintf("%s: no job runs bash tools/release/verify-release.sh after publishing, so nothing runs the release as users do", name))
	}
	return problems
}

// checkDownloadsByRunID returns a problem for each actions/download-artifact
// step that does not name this run (run-id: ${{ github.run_id }}, with a
// github-token), or whose job cannot read actions: without them the
// download depends on the attempt, and "Re-run failed jobs" may not find
// the first attempt's artifacts (actions/download-artifact#486).
func checkDownloadsByRunID(name string, wf workflowFile) []string {
	var problems []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		j := wf.Jobs[job]
		for i, s := range j.Steps {
			if !strings.HasPrefix(s.Uses, "actions/download-artifact@") {
				continue
			}
			where := fmt.Sprintf("%s: job %q, %s", name, job, stepLabel(i, s))
			if s.With["run-id"] != "${{ github.run_id }}" || !tokenRe.MatchString(s.With["github-token"]) {
				problems = append(problems, where+" downloads without run-id: ${{ github.run_id }} and github-token: ${{ github.token }}, "+
					"so a re-run may not find the artifacts")
			}
			if j.Permissions == nil || (j.Permissions.scopes["actions"] != "read" && j.Permissions.scopes["actions"] != "write") {
				problems = append(problems, where+" downloads by run id, but its job lacks permissions: actions: read")
			}
		}
	}
	return problems
}

// checkSetupGoWithoutCache returns a problem for each actions/setup-go step
// without cache: false: its default restores module and build caches that
// runs of other branches saved, and a release builds from clean ones.
func checkSetupGoWithoutCache(name string, wf workflowFile) []string {
	var problems []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for i, s := range wf.Jobs[job].Steps {
			if strings.HasPrefix(s.Uses, "actions/setup-go@") && s.With["cache"] != "false" {
				problems = append(problems, fmt.Sprintf("%s: job %q, %s sets up Go with its cache; give it cache: false, "+
					"so the release does not build from caches other branches saved", name, job, stepLabel(i, s)))
			}
		}
	}
	return problems
}

func TestReleaseCannotHalfFailCheckers(t *testing.T) {
	t.Parallel()
	const (
		checkout = "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1\n        with:\n          persist-credentials: false\n"
		public   = "      - run: bash tools/release/check-public-image.sh\n        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n"
		download = "      - uses: actions/download-artifact@0123456789abcdef0123456789abcdef01234567 # v8.0.1\n        with:\n" +
			"          run-id: ${{ github.run_id }}\n          github-token: ${{ github.token }}\n          name: binaries\n"
		push    = "      - run: git push -q origin \"refs/tags/$VERSION\"\n"
		publish = "      - run: bash tools/release/publish-release.sh notes.md dist/*\n"
		login   = "      - uses: docker/login-action@0123456789abcdef0123456789abcdef01234567 # v4.1.0\n"
		tag     = "      - run: docker buildx imagetools create --tag \"$IMAGE:v1\" \"$IMAGE@$DIGEST\"\n"
		goSetup = "      - uses: actions/setup-go@0123456789abcdef0123456789abcdef01234567 # v7.0.0\n        with:\n          go-version-file: go.mod\n          cache: false\n"
		tagOut  = "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1\n        with:\n" +
			"          ref: refs/tags/${{ inputs.version }}\n          persist-credentials: false\n"
		verify = "      - run: bash tools/release/verify-release.sh\n        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n"
		issue  = "      - if: failure()\n        run: gh issue create --title \"Release $VERSION does not run\" --body x\n"
	)
	wf := func(publishSteps, verifyNeeds, verifySteps string) string {
		return "jobs:\n  image:\n    steps:\n" + checkout + goSetup +
			"  publish:\n    needs: image\n    permissions:\n      contents: write\n      actions: read\n    steps:\n" + publishSteps +
			"  verify:\n    needs: " + verifyNeeds + "\n    steps:\n" + verifySteps
	}
	goodPublish := checkout + public + download + push + publish + login + tag
	goodVerify := tagOut + verify + issue
	good := wf(goodPublish, "[image, publish]", goodVerify)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "accepts the release as it should be", text: good},
		{name: "rejects a publish job without the anonymous pull", text: wf(checkout+download+push+publish+login+tag, "[image, publish]", goodVerify),
			want: []string{`job "publish" publishes without bash tools/release/check-public-image.sh`,
				`step 3 makes the release visible before`, `step 4 makes the release visible before`, `step 5 logs in to the registry before the anonymous pull`,
				`step 6 makes the release visible before`}},
		{name: "rejects the anonymous pull after the tag push", text: wf(checkout+download+push+public+publish+login+tag, "[image, publish]", goodVerify),
			want: []string{`job "publish", step 3 makes the release visible before anyone is known to be able to pull the image`}},
		{name: "rejects a registry login before the anonymous pull", text: wf(checkout+login+public+download+push+publish+tag, "[image, publish]", goodVerify),
			want: []string{`step 2 logs in to the registry before the anonymous pull`}},
		{name: "rejects an anonymous pull of another digest",
			text: strings.Replace(good, public, strings.Replace(public, imageDigest, "${{ inputs.digest }}", 1), 1),
			want: []string{"checks a DIGEST that is not the pushed image's"}},
		{name: "rejects a release nothing runs after publishing", text: wf(goodPublish, "[image, publish]", tagOut),
			want: []string{"no job runs bash tools/release/verify-release.sh after publishing"}},
		{name: "rejects a verify job that may run before the release is published", text: wf(goodPublish, "[image]", goodVerify),
			want: []string{`job "verify" verifies the release without needs: publish`}},
		{name: "rejects a verify job that runs the source instead of the tag", text: wf(goodPublish, "[image, publish]", checkout+verify+issue),
			want: []string{`job "verify" does not check out the release tag`}},
		{name: "rejects a failure nobody is told about", text: wf(goodPublish, "[image, publish]", tagOut+verify),
			want: []string{`job "verify" has no step after the check that opens an issue`}},
		{name: "rejects an issue step before the check, which its failure never reaches", text: wf(goodPublish, "[image, publish]", tagOut+issue+verify),
			want: []string{`job "verify" has no step after the check that opens an issue`}},
		{name: "rejects an issue opened on success too",
			text: strings.Replace(good, "      - if: failure()\n        run: gh", "      - run: gh", 1),
			want: []string{"has no step after the check that opens an issue"}},
		{name: "rejects a verification of another digest",
			text: strings.Replace(good, verify, strings.Replace(verify, imageDigest, "${{ inputs.digest }}", 1), 1),
			want: []string{"verifies a DIGEST that is not the pushed image's"}},
		{name: "rejects a download that depends on the attempt",
			text: strings.Replace(good, "          run-id: ${{ github.run_id }}\n", "", 1),
			want: []string{`job "publish", step 3 downloads without run-id`}},
		{name: "rejects a download by run id without a token",
			text: strings.Replace(good, "          github-token: ${{ github.token }}\n", "", 1),
			want: []string{"downloads without run-id: ${{ github.run_id }} and github-token"}},
		{name: "rejects a download by run id in a job that cannot read actions",
			text: strings.Replace(good, "      actions: read\n", "", 1),
			want: []string{"its job lacks permissions: actions: read"}},
		{name: "rejects setup-go with its default cache",
			text: strings.Replace(good, "          cache: false\n", "", 1),
			want: []string{`job "image", step 2 sets up Go with its cache`}},
		{name: "rejects setup-go with cache: true",
			text: strings.Replace(good, "          cache: false\n", "          cache: true\n", 1),
			want: []string{"sets up Go with its cache"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wf := parseWorkflow(t, "release.yml", tt.text)
			var got []string
			for _, check := range []func(string, workflowFile) []string{checkPublicFirst, checkVerifyAfterPublish, checkDownloadsByRunID, checkSetupGoWithoutCache} {
				got = append(got, check("release.yml", wf)...)
			}
			assertProblems(t, got, tt.want)
		})
	}
}
