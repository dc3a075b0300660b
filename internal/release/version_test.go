package release

import (
	"bytes"
	"strings"
	"testing"
)

func TestNewPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		version  string
		existing string // one tag a line
		tags     string // want, space-separated
		moving   string
		latest   bool
	}{
		{
			name: "the first release gets its minor and major tags", version: "v1.0.0",
			tags: "v1.0.0 v1.0 v1", moving: "v1.0 v1", latest: true,
		},
		{
			name: "a patch release moves the minor and major tags", version: "v1.0.1", existing: "v1.0.0\nv1.0\nv1\n",
			tags: "v1.0.1 v1.0 v1", moving: "v1.0 v1", latest: true,
		},
		{
			name: "a backport does not move the major tag back", version: "v1.0.1", existing: "v1.0.0\nv1.1.0\nv1\nv1.0\nv1.1\n",
			tags: "v1.0.1 v1.0", moving: "v1.0", latest: false,
		},
		{
			name: "a backport below a newer patch of its own minor moves nothing", version: "v1.0.1", existing: "v1.0.2\nv1.0.0\n",
			tags: "v1.0.1", moving: "", latest: false,
		},
		{
			name: "a fix of the previous major moves that major's tags, not latest", version: "v1.4.1", existing: "v1.4.0\nv2.0.0\n",
			tags: "v1.4.1 v1.4 v1", moving: "v1.4 v1", latest: false,
		},
		{
			name: "numbers compare as numbers, not text", version: "v1.10.0", existing: "v1.9.0\nv1.9.12\n",
			tags: "v1.10.0 v1.10 v1", moving: "v1.10 v1", latest: true,
		},
		{
			name: "v1.9.13 after v1.10.0 keeps v1 on v1.10.0", version: "v1.9.13", existing: "v1.9.12\nv1.10.0\n",
			tags: "v1.9.13 v1.9", moving: "v1.9", latest: false,
		},
		{
			name: "a 0.x release gets v0.Y and v0 by the same rule", version: "v0.3.1", existing: "v0.3.0\nv0.2.0\n",
			tags: "v0.3.1 v0.3 v0", moving: "v0.3 v0", latest: true,
		},
		{
			name: "a 0.x backport moves only its minor tag", version: "v0.2.5", existing: "v0.3.0\nv0.2.4\n",
			tags: "v0.2.5 v0.2", moving: "v0.2", latest: false,
		},
		{
			name: "the first 1.0 after 0.x is the latest", version: "v1.0.0", existing: "v0.9.9\nv0\n",
			tags: "v1.0.0 v1.0 v1", moving: "v1.0 v1", latest: true,
		},
		{
			name: "reads git's refs and ignores tags that are not releases", version: "v2.1.0",
			existing: "refs/tags/v2.0.0\n  refs/tags/v2  \nrefs/tags/v2.2.0-rc.1\nrefs/tags/nightly\n\nrefs/tags/v3.0\n",
			tags:     "v2.1.0 v2.1 v2", moving: "v2.1 v2", latest: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := NewPlan(tt.version, strings.NewReader(tt.existing))
			if err != nil {
				t.Fatalf("NewPlan(%q): %v", tt.version, err)
			}
			if got := strings.Join(p.Tags, " "); got != tt.tags {
				t.Errorf("tags = %q, want %q", got, tt.tags)
			}
			if got := strings.Join(p.Moving, " "); got != tt.moving {
				t.Errorf("moving tags = %q, want %q", got, tt.moving)
			}
			if p.Latest != tt.latest {
				t.Errorf("latest = %v, want %v", p.Latest, tt.latest)
			}
		})
	}
}

func TestNewPlanRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, version, existing, want string
	}{
		{name: "a version already released", version: "v1.2.3", existing: "v1.2.2\nrefs/tags/v1.2.3\n", want: "v1.2.3 is already released"},
		{name: "a version without the v", version: "1.2.3", want: `version "1.2.3" is not a release version: write vMAJOR.MINOR.PATCH`},
		{name: "a minor version", version: "v1.2", want: "not a release version"},
		{name: "a major version", version: "v1", want: "not a release version"},
		{name: "a pre-release", version: "v1.2.3-rc.1", want: "pre-releases are not published"},
		{name: "build metadata", version: "v1.2.3+build", want: "not a release version"},
		{name: "a leading zero", version: "v1.02.3", want: "no leading zeros"},
		{name: "an empty version", version: "", want: `version ""`},
		{name: "surrounding space", version: " v1.2.3", want: "not a release version"},
		{name: "a number too large", version: "v99999999999999999999.0.0", want: "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewPlan(tt.version, strings.NewReader(tt.existing))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewPlan(%q) = %v, want an error containing %q", tt.version, err, tt.want)
			}
		})
	}
}

func TestPlanOutputsRoundTrip(t *testing.T) {
	t.Parallel()
	p, err := NewPlan("v1.0.1", strings.NewReader("v1.1.0\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := p.WriteOutputs(&out); err != nil {
		t.Fatal(err)
	}
	const want = "version=v1.0.1\ntags=v1.0.1 v1.0\nmoving-tags=v1.0\nlatest=false\n"
	if out.String() != want {
		t.Fatalf("outputs:\n%s\nwant:\n%s", out.String(), want)
	}
	back, err := readPlan("v1.0.1", &out)
	if err != nil {
		t.Fatalf("readPlan: %v", err)
	}
	if back.Version != p.Version || strings.Join(back.Tags, " ") != "v1.0.1 v1.0" ||
		strings.Join(back.Moving, " ") != "v1.0" || back.Latest {
		t.Errorf("readPlan gave %+v, want %+v", back, p)
	}
	if _, err := readPlan("v1.0.2", strings.NewReader(want)); err == nil || !strings.Contains(err.Error(), `the plan is for "v1.0.1"`) {
		t.Errorf("readPlan of another version's plan = %v, want an error naming the plan's version", err)
	}
	if _, err := readPlan("v1.0.1", strings.NewReader("version=v1.0.1\n")); err == nil || !strings.Contains(err.Error(), "no tags= line") {
		t.Errorf("readPlan of a partial plan = %v, want an error naming the missing line", err)
	}
}
