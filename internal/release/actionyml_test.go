package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var testDigest = "sha256:" + strings.Repeat("0123456789abcdef", 4)

const smallAction = `name: x
runs:
  using: docker
  image: Dockerfile
`

func TestPinImageGivesExactlyTheExpectedFile(t *testing.T) {
	t.Parallel()
	got, err := PinImage([]byte(smallAction), testDigest)
	if err != nil {
		t.Fatalf("PinImage: %v", err)
	}
	want := "name: x\nruns:\n  using: docker\n  image: docker://ghcr.io/codespaces-org-secrets/codespaces-org-secrets@" + testDigest + "\n"
	if string(got) != want {
		t.Fatalf("PinImage gave\n%s\nwant\n%s", got, want)
	}
	back, err := UnpinImage(got)
	if err != nil {
		t.Fatalf("UnpinImage: %v", err)
	}
	if string(back) != smallAction {
		t.Fatalf("UnpinImage gave\n%s\nwant the original\n%s", back, smallAction)
	}
}

// TestPinImageOfTheRealActionYML rewrites the repository's action.yml as
// the release does: one line changes, the result is an action that runs
// the image by digest, and unpinning gives back main's file byte for byte.
func TestPinImageOfTheRealActionYML(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatalf("reading action.yml: %v", err)
	}
	pinned, err := PinImage(orig, testDigest)
	if err != nil {
		t.Fatalf("PinImage(action.yml): %v", err)
	}
	before, after := strings.Split(string(orig), "\n"), strings.Split(string(pinned), "\n")
	if len(before) != len(after) {
		t.Fatalf("pinning changed the number of lines from %d to %d", len(before), len(after))
	}
	var changed []string
	for i := range before {
		if before[i] != after[i] {
			changed = append(changed, before[i]+" -> "+after[i])
		}
	}
	if want := "  image: Dockerfile ->   image: docker://" + Image + "@" + testDigest; len(changed) != 1 || changed[0] != want {
		t.Fatalf("pinning changed %q, want exactly %q", changed, want)
	}
	var action struct {
		Runs map[string]string `yaml:"runs"`
	}
	if err := yaml.Unmarshal(pinned, &action); err != nil {
		t.Fatalf("the pinned action.yml is not YAML: %v", err)
	}
	if action.Runs["using"] != "docker" || action.Runs["image"] != PinnedImage(testDigest) {
		t.Errorf("the pinned action.yml runs %v, want a docker action with image %s", action.Runs, PinnedImage(testDigest))
	}
	back, err := UnpinImage(pinned)
	if err != nil {
		t.Fatalf("UnpinImage: %v", err)
	}
	if string(back) != string(orig) {
		t.Errorf("unpinning did not give back action.yml byte for byte")
	}
}

func TestPinImageRefusesWhatIsNotADigest(t *testing.T) {
	t.Parallel()
	hex64 := strings.Repeat("ab", 32)
	for _, digest := range []string{
		"",
		"sha256:",
		"sha256:" + hex64[:63],
		"sha256:" + hex64 + "a",
		"sha256:" + strings.ToUpper(hex64),
		"sha512:" + hex64,
		hex64,
		"sha256:" + hex64[:62] + "zz",
		" sha256:" + hex64,
		"sha256:" + hex64 + "\n",
		Image + "@sha256:" + hex64,
		"sha256:" + hex64 + "\n  using: node24",
	} {
		got, err := PinImage([]byte(smallAction), digest)
		if err == nil || !strings.Contains(err.Error(), "want sha256: followed by 64 lower-case hex digits") {
			t.Errorf("PinImage(%q) = %q, %v; want it refused as not a digest", digest, got, err)
		}
	}
}

func TestPinImageRefusesAnUnexpectedActionYML(t *testing.T) {
	t.Parallel()
	pinned := strings.Replace(smallAction, "Dockerfile", PinnedImage(testDigest), 1)
	tests := []struct {
		name   string
		text   string
		unpin  bool
		wanted string
	}{
		{name: "pins only the Dockerfile form", text: pinned, wanted: `the image line is "docker://`},
		{name: "pins no other image", text: strings.Replace(smallAction, "Dockerfile", "docker://alpine:3", 1), wanted: `"docker://alpine:3", want "Dockerfile"`},
		{name: "needs an image line", text: "runs:\n  using: node24\n  main: index.js\n", wanted: "has 0 image lines"},
		{name: "refuses two image lines", text: smallAction + "  image: Dockerfile\n", wanted: "has 2 image lines"},
		{name: "unpins only the published image", text: strings.Replace(pinned, Image, "ghcr.io/someone/else", 1), unpin: true, wanted: "want docker://" + Image},
		{name: "unpins only a digest", text: strings.Replace(smallAction, "Dockerfile", "docker://"+Image+":v1", 1), unpin: true, wanted: "sha256:<64 hex digits>"},
		{name: "does not unpin the source form", text: smallAction, unpin: true, wanted: `the image line is "Dockerfile"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.unpin {
				_, err = UnpinImage([]byte(tt.text))
			} else {
				_, err = PinImage([]byte(tt.text), testDigest)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wanted) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wanted)
			}
		})
	}
}
