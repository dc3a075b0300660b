package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Platform is one operating system and architecture a binary is built for.
type Platform struct{ GOOS, GOARCH string }

// Platforms are the platforms of the release binaries that the native
// entry point (native/) downloads: Linux, macOS and Windows on amd64 and
// arm64.
var Platforms = []Platform{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// BinaryName is the prefix of every release binary's asset name.
const BinaryName = "codespaces-org-secrets"

// ChecksumsFile is the name of the release asset that lists the SHA-256 of
// every binary, in sha256sum's format.
const ChecksumsFile = "checksums.txt"

// AssetName returns the release asset name of p's binary:
// codespaces-org-secrets_<goos>_<goarch>, with .exe on Windows.
func (p Platform) AssetName() string {
	name := BinaryName + "_" + p.GOOS + "_" + p.GOARCH
	if p.GOOS == "windows" {
		name += ".exe"
	}
	return name
}

// GoBuild runs `go` with args and env added to the environment; the
// default runs the real go command.
type GoBuild func(ctx context.Context, env, args []string) error

// BuildBinaries builds the binary of pkg for every platform into outDir,
// static and reproducible (CGO_ENABLED=0, -trimpath, -s -w) with
// main.version set to version, then writes outDir/checksums.txt. It
// returns the asset names it wrote, checksums.txt last. It errors when
// version is not a release version or a build fails.
func BuildBinaries(ctx context.Context, build GoBuild, version, pkg, outDir string) ([]string, error) {
	if _, err := ParseVersion(version); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s for the binaries: %w", outDir, err)
	}
	var names []string
	for _, p := range Platforms {
		name := p.AssetName()
		env := []string{"CGO_ENABLED=0", "GOOS=" + p.GOOS, "GOARCH=" + p.GOARCH}
		args := []string{"build", "-trimpath", "-ldflags=-s -w -X main.version=" + version,
			"-o", filepath.Join(outDir, name), pkg}
		if err := build(ctx, env, args); err != nil {
			return nil, fmt.Errorf("building %s for %s/%s: %w", name, p.GOOS, p.GOARCH, err)
		}
		names = append(names, name)
	}
	if err := WriteChecksums(outDir, names); err != nil {
		return nil, err
	}
	return append(names, ChecksumsFile), nil
}

// WriteChecksums writes dir/checksums.txt with one "<sha256 hex>  <name>"
// line for each of names (files in dir), sorted by name: the format of
// sha256sum, so `sha256sum -c checksums.txt` checks a download.
func WriteChecksums(dir string, names []string) error {
	var b strings.Builder
	for _, name := range slices.Sorted(slices.Values(names)) {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	if err := os.WriteFile(filepath.Join(dir, ChecksumsFile), []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", ChecksumsFile, err)
	}
	return nil
}

// fileSHA256 returns the hex SHA-256 of the file at path.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading a binary to checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s to checksum: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ParseChecksums reads checksums.txt as WriteChecksums writes it and
// returns each asset's SHA-256 (lower-case hex). It errors on a line that
// is not "<64 hex digits>  <asset>", an asset that is not a release
// binary or is listed twice, and a binary that is missing.
func ParseChecksums(text []byte) (map[string]string, error) {
	want := map[string]bool{}
	for _, p := range Platforms {
		want[p.AssetName()] = true
	}
	sums := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(text), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		switch {
		case !ok || !sha256HexRe.MatchString(sum):
			return nil, fmt.Errorf("%s line %d: %q is not \"<sha256>  <asset>\" as sha256sum prints it", ChecksumsFile, i+1, line)
		case !want[name]:
			return nil, fmt.Errorf("%s line %d: %q is not a release binary", ChecksumsFile, i+1, name)
		case sums[name] != "":
			return nil, fmt.Errorf("%s line %d: %s is listed twice", ChecksumsFile, i+1, name)
		}
		sums[name] = sum
	}
	for _, p := range Platforms {
		if sums[p.AssetName()] == "" {
			return nil, fmt.Errorf("%s has no line for %s", ChecksumsFile, p.AssetName())
		}
	}
	return sums, nil
}

var sha256HexRe = regexp.MustCompile(`^[0-9a-f]{64}$`)
