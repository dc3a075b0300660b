package release

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// ReleaseFile is where the release commit records the native binaries'
// SHA-256, beside the native entry point (native/action.yml).
const ReleaseFile = "native/release.json"

// releaseCommitFiles are the only files the release commit may change:
// the image line of action.yml (modified), and the native entry point's
// release file with the binaries' checksums (added or modified).
var releaseCommitFiles = []string{"action.yml", ReleaseFile}

// CommitInput is what CheckReleaseCommit compares the release commit R
// with: what R changes, and what the release built from the source
// commit S.
type CommitInput struct {
	NameStatus    io.Reader // git diff --name-status S R
	SourceAction  []byte    // action.yml of S
	ReleaseAction []byte    // action.yml of R
	Digest        string    // the pushed image's digest, sha256:...
	ReleaseFile   []byte    // native/release.json of R
	Checksums     []byte    // checksums.txt of the binaries the release attaches
	Version       string    // the version released, vX.Y.Z
	Repository    string    // owner/name, as GITHUB_REPOSITORY
}

// CheckReleaseCommit errors, listing every problem, unless the release
// commit R changes exactly action.yml and native/release.json; R's
// action.yml is byte for byte S's with its image pinned to the pushed
// digest (PinImage); and R's release file is the one the native entry
// point reads (repository, version, download, sha256), naming this
// release and holding exactly the SHA-256 of checksums.txt. So a release
// never ships code, inputs or binaries that the checks did not see.
func CheckReleaseCommit(in CommitInput) error {
	var problems []error
	if err := checkChangedFiles(in.NameStatus); err != nil {
		problems = append(problems, err)
	}
	if want, err := PinImage(in.SourceAction, in.Digest); err != nil {
		problems = append(problems, fmt.Errorf("pinning the source commit's action.yml: %w", err))
	} else if !bytes.Equal(want, in.ReleaseAction) {
		problems = append(problems, fmt.Errorf("the release commit's action.yml is not the source's with only its image pinned to %s: %s",
			in.Digest, firstDifference(want, in.ReleaseAction)))
	}
	if err := checkReleaseFile(in); err != nil {
		problems = append(problems, err)
	}
	return errors.Join(problems...)
}

// checkChangedFiles reads `git diff --name-status` and errors unless it
// changes exactly releaseCommitFiles, action.yml only modified.
func checkChangedFiles(nameStatus io.Reader) error {
	var changed []string
	sc := bufio.NewScanner(nameStatus)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		changed = append(changed, fields[len(fields)-1])
		ok := len(fields) == 2 && slices.Contains(releaseCommitFiles, fields[1]) &&
			(fields[0] == "M" || (fields[0] == "A" && fields[1] != "action.yml"))
		if !ok {
			return fmt.Errorf("the release commit changes %q; it may change only %s", sc.Text(), strings.Join(releaseCommitFiles, " and "))
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading the release commit's changes: %w", err)
	}
	slices.Sort(changed)
	if !slices.Equal(changed, releaseCommitFiles) {
		return fmt.Errorf("the release commit changes %v; it must change exactly %s", changed, strings.Join(releaseCommitFiles, " and "))
	}
	return nil
}

// firstDifference describes the first line where got differs from want.
func firstDifference(want, got []byte) string {
	w, g := strings.SplitAfter(string(want), "\n"), strings.SplitAfter(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d is %q, want %q", i+1, gl, wl)
		}
	}
	return "they differ"
}

// nativeRelease is native/release.json, as native/release-file.js defines
// it (and native/release/write-release-file.mjs writes it).
type nativeRelease struct {
	Repository string            `json:"repository"`
	Version    string            `json:"version"`
	Download   string            `json:"download"`
	SHA256     map[string]string `json:"sha256"`
}

// checkReleaseFile errors unless in.ReleaseFile is a release file of
// in.Version of in.Repository whose sha256 is exactly in.Checksums'.
func checkReleaseFile(in CommitInput) error {
	var r nativeRelease
	dec := json.NewDecoder(bytes.NewReader(in.ReleaseFile))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return fmt.Errorf("%s is not a release file (repository, version, download, sha256): %w", ReleaseFile, err)
	}
	if dec.More() {
		return fmt.Errorf("%s holds more than one JSON value", ReleaseFile)
	}
	sums, err := ParseChecksums(in.Checksums)
	if err != nil {
		return err
	}
	var problems []error
	download := "https://github.com/" + in.Repository + "/releases/download/" + in.Version
	for _, f := range []struct{ name, got, want string }{
		{"repository", r.Repository, in.Repository},
		{"version", r.Version, in.Version},
		{"download", r.Download, download},
	} {
		if f.got != f.want {
			problems = append(problems, fmt.Errorf("%s: %s is %q, want %q", ReleaseFile, f.name, f.got, f.want))
		}
	}
	for _, asset := range slices.Sorted(maps.Keys(sums)) {
		if got, ok := r.SHA256[asset]; !ok {
			problems = append(problems, fmt.Errorf("%s has no sha256 for %s", ReleaseFile, asset))
		} else if got != sums[asset] {
			problems = append(problems, fmt.Errorf("%s: the sha256 of %s is %q, but %s says %q", ReleaseFile, asset, got, ChecksumsFile, sums[asset]))
		}
	}
	for _, asset := range slices.Sorted(maps.Keys(r.SHA256)) {
		if _, ok := sums[asset]; !ok {
			problems = append(problems, fmt.Errorf("%s has a sha256 for %q, which %s does not list", ReleaseFile, asset, ChecksumsFile))
		}
	}
	return errors.Join(problems...)
}
