package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestWordingAppliesToAWorkstationsMessagesOnly(t *testing.T) {
	upper := WithWording(strings.ToUpper)
	var stdout, stderr bytes.Buffer
	r := New(false, func(string) string { return "" }, &stdout, &stderr, upper)
	r.Errorf("e `x`")
	r.Warnf("w")
	r.Infof("i")
	r.Summary("", "summary `x`\n")
	if got, want := stderr.String(), "error: E `X`\nwarning: W\nI\nsummary `x`\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	stdout.Reset()
	a := New(true, func(string) string { return "" }, &stdout, &stderr, upper)
	a.Errorf("e `x`")
	a.Warnf("w `x`")
	a.Infof("i `x`") // a log line: the one that goes through word
	if got := stdout.String(); got != "::error::e `x`\n::warning::w `x`\ni `x`\n" {
		t.Errorf("a workflow's message was reworded: %q", got)
	}
}
