package inputs

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDotenvReadsWhatGhReads(t *testing.T) {
	t.Parallel()
	text := "# a comment\n" +
		"\n" +
		"export PLAIN=abc\n" +
		"TRAILING=abc # dropped\n" +
		"HASH=abc#kept\n" +
		"DOUBLE=\"a\\nb \\\"q\\\" $HOME\"\n" +
		"SINGLE='a\\nb $HOME'\n" +
		"SPAN=\"line one\n" +
		"line two\"\n" +
		"SPAN_SINGLE='x\n" +
		"# not a comment\n" +
		"y'\n" +
		"  SPACED = value  \r\n" +
		"QUOTED_SPACES=\"  kept  \" # comment\n" +
		"EMPTY=\n"
	got, err := ParseDotenv(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []SecretValue{
		{"PLAIN", "abc"},
		{"TRAILING", "abc"},
		{"HASH", "abc#kept"},
		{"DOUBLE", "a\nb \"q\" $HOME"},
		{"SINGLE", `a\nb $HOME`},
		{"SPAN", "line one\nline two"},
		{"SPAN_SINGLE", "x\n# not a comment\ny"},
		{"SPACED", "value"},
		{"QUOTED_SPACES", "  kept  "},
		{"EMPTY", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseDotenvErrorsGiveLinesNotValues(t *testing.T) {
	t.Parallel()
	text := "A=1\nnot a pair " + canary + "\nB=\"" + canary + "\nbad name=1\na=2\nC='open"
	_, err := ParseDotenv(text)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Contains(msg, canary) {
		t.Errorf("an error repeats a value: %s", msg)
	}
	for _, want := range []string{"line 2: expected NAME=value", "line 3: the value's opening \" is never closed"} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in:\n%s", want, msg)
		}
	}
}

func TestParseDotenvNamesADuplicateAndABadName(t *testing.T) {
	t.Parallel()
	_, err := ParseDotenv("A=1\nbad-name=2\na=3\n")
	msg := err.Error()
	for _, want := range []string{"line 2: the name before = is not valid: a secret name may contain only", "line 3: secret A is already given on line 1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("no %q in:\n%s", want, msg)
		}
	}
}

// A value of several lines left unquoted, such as a PEM key, puts its
// lines where names go: one that holds an = (base64 padding) must not be
// repeated as a bad name.
func TestParseDotenvDoesNotRepeatABadName(t *testing.T) {
	t.Parallel()
	_, err := ParseDotenv("KEY=-----BEGIN PRIVATE KEY-----\nMIIEv+" + canary + "/x=\n-----END PRIVATE KEY-----\n")
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), canary) || !strings.Contains(err.Error(), "line 2: the name before = is not valid") {
		t.Errorf("error: %v", err)
	}
}

// Where gh's parser (joho/godotenv) loses what the file says, ParseDotenv
// keeps it, as its doc comment and the README say.
func TestParseDotenvWhereItDiffersFromGh(t *testing.T) {
	t.Parallel()
	got, err := ParseDotenv("TAB=\"a\\tb\"\nPATH_LIKE=\"C:\\dir\\q\"\nBACKSLASH=\"a\\\\\"\nCOMMENTS=abc # one # two\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []SecretValue{
		{"TAB", "a\tb"},           // gh: atb
		{"PATH_LIKE", `C:\dir\q`}, // gh: C:dirq
		{"BACKSLASH", `a\`},       // gh: reads on to the next quote
		{"COMMENTS", "abc"},       // gh: abc # one
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// The edges of the syntax, one mutant each (all survived the tests above).
func TestParseDotenvEdges(t *testing.T) {
	t.Parallel()
	text := "CRLF=\"a\r\nb\"\r\n" + // a Windows file's value of two lines
		"TABBED=abc\t# comment\n" +
		"exportED=1\n" + // a name that starts with export
		"SINGLE_BACKSLASH='a\\'\n" +
		"ESCAPES=\"\\r\\$\"\n"
	got, err := ParseDotenv(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []SecretValue{
		{"CRLF", "a\nb"},
		{"TABBED", "abc"},
		{"EXPORTED", "1"},
		{"SINGLE_BACKSLASH", `a\`},
		{"ESCAPES", "\r$"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	_, err = ParseDotenv("A=\"x\" " + canary + "\n")
	if err == nil || !strings.Contains(err.Error(), "line 1: text after the closing quote") || strings.Contains(err.Error(), canary) {
		t.Errorf("text after the closing quote: %v", err)
	}
}
