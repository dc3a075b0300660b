package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressOnlyOnAWorkstationsTerminal(t *testing.T) {
	for _, tt := range []struct {
		name              string
		actions, terminal bool
		total             int
		want              string
	}{
		{"a terminal", false, true, 3, "\r\x1b[2Ksecret 2 of 3: A\r\x1b[2Kerror: x\n"},
		{"one secret is not worth it", false, true, 1, "error: x\n"},
		{"not a terminal", false, false, 3, "error: x\n"},
		{"in Actions", true, true, 3, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			r := New(tt.actions, func(string) string { return "" }, &stdout, &stderr, WithTerminal(tt.terminal))
			r.Progress(2, tt.total, "A")
			r.Errorf("x")
			if stderr.String() != tt.want {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.want)
			}
			if strings.Contains(stdout.String(), "secret 2") {
				t.Errorf("stdout %q", stdout.String())
			}
		})
	}
}

func TestTheSummaryShowsRemarksWarningsAndCode(t *testing.T) {
	tbl := Table{
		Title:   "t",
		Rows:    []Row{{Name: "A", Action: "listed", Warning: "stale: old"}, {Name: "B", Action: "listed", Error: "boom", Warning: "stale"}},
		Remarks: []string{"a remark | with a pipe"},
		Code:    "x: \"```\"\n",
	}
	md := tbl.Markdown()
	for _, want := range []string{"| `A` | listed | — | — | ⚠️ stale: old |", "| `B` | listed | — | — | failed: boom |", "\na remark \\| with a pipe\n", "\n````yaml\nx: \"```\"\n````\n"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	text := tbl.Text()
	for _, want := range []string{"listed                WARNING: stale: old", "listed                FAILED: boom", "a remark | with a pipe\n", "\nx: \"```\"\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}
