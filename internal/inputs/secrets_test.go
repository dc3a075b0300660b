package inputs

import (
	"strings"
	"testing"
)

func TestParseSecretsReads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []SecretValue
	}{
		{"nothing gives no secrets", "", nil},
		{"blank lines give no secrets", "\n  \n\t\r\n", nil},
		{"one NAME=value line", "A=1", []SecretValue{{"A", "1"}}},
		{"several lines, in order", "B=2\nA=1\n", []SecretValue{{"B", "2"}, {"A", "1"}}},
		{"a value keeps its spaces", "A=  spaced out  ", []SecretValue{{"A", "  spaced out  "}}},
		{"the value is everything after the first =", "A=b=c==", []SecretValue{{"A", "b=c=="}}},
		{"<< after = is part of the value", "A=x<<EOF", []SecretValue{{"A", "x<<EOF"}}},
		{"an empty value after =", "A=", []SecretValue{{"A", ""}}},
		{"blank lines between secrets are skipped", "A=1\n\n   \nB=2", []SecretValue{{"A", "1"}, {"B", "2"}}},
		{"a heredoc block gives a multi-line value", "K<<EOF\nline 1\nline 2\nEOF", []SecretValue{{"K", "line 1\nline 2"}}},
		{"a heredoc block keeps blank lines and spaces", "K<<EOF\n\n  a  \n\nEOF\n", []SecretValue{{"K", "\n  a  \n"}}},
		{"an empty heredoc block gives an empty value", "K<<EOF\nEOF", []SecretValue{{"K", ""}}},
		{"a line that only contains the delimiter does not end the block", "K<<EOF\nnot EOF\nEOFX\n EOF\nEOF", []SecretValue{{"K", "not EOF\nEOFX\n EOF"}}},
		{"any delimiter works", "K<<__END__\nx=1\nY<<Z\n__END__\nA=1", []SecretValue{{"K", "x=1\nY<<Z"}, {"A", "1"}}},
		{"= after << belongs to the delimiter", "K<<E=F\nv\nE=F", []SecretValue{{"K", "v"}}},
		{"a PEM key in a block", "KEY<<EOF\n-----BEGIN KEY-----\nabc=\n-----END KEY-----\nEOF", []SecretValue{{"KEY", "-----BEGIN KEY-----\nabc=\n-----END KEY-----"}}},
		{"CRLF line endings are tolerated", "A=1\r\nK<<EOF\r\nx\r\ny\r\nEOF\r\nB=2\r\n", []SecretValue{{"A", "1"}, {"K", "x\ny"}, {"B", "2"}}},
		{"only one CR is dropped per line", "A=1\r\r\n", []SecretValue{{"A", "1\r"}}},
		{"a lone CR is not a line break", "A=1\rB=2", []SecretValue{{"A", "1\rB=2"}}},
		{"names take their canonical form", "npm_Token=x", []SecretValue{{"NPM_TOKEN", "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSecrets(tt.in)
			if err != nil {
				t.Fatalf("ParseSecrets: %v", err)
			}
			wantEqual(t, got, tt.want)
		})
	}
}

func TestParseSecretsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"a block that is never ended", "A=1\nK<<EOF\nx\ny", []string{"line 2: the NAME<<DELIMITER block that starts here is never ended"}},
		{"a block whose end has a trailing space", "K<<EOF\nx\nEOF ", []string{"line 1:", "never ended", "no spaces"}},
		{"a missing delimiter", "K<<\nx", []string{"line 1: the delimiter after << is missing"}},
		{"a line without = or <<", "A=1\nsecond line of A", []string{"line 2: expected NAME=value or NAME<<DELIMITER", "NAME<<DELIMITER block"}},
		{"a missing name before =", "=x", []string{"line 1: the secret name before = is missing"}},
		{"a missing name before <<", "<<EOF\nx\nEOF", []string{"line 1: the secret name before << is missing"}},
		{"a name with a space before =", "A =1", []string{"line 1: the name before = is not valid", "spaces around it"}},
		{"a name starting with a digit", "1A=1", []string{"line 1:", "must not start with a digit"}},
		{"a name starting with GITHUB_", "github_x=1", []string{"line 1:", "must not start with GITHUB_"}},
		{"a name with a dash", "MY-KEY<<EOF\nx\nEOF", []string{"line 1: the name before << is not valid", "letters, digits and underscores"}},
		{"names equal ignoring case", "Abc=1\n\nABC=2", []string{"line 3: the secret on line 1 has the same name"}},
		{"every bad line is reported", "1A=1\nB=2\nplain\n-x=3", []string{"line 1:", "line 3:", "line 4:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSecrets(tt.in)
			wantMessages(t, err, tt.want...)
			if got != nil {
				t.Errorf("secrets returned with an error: %q", got)
			}
		})
	}
}

func TestParseSecretsErrorsNeverQuoteALine(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		canary,
		"A=1\n" + canary,
		canary + "=1",
		"A " + canary + "=1",
		"A<<EOF\n" + canary,
		"A<<" + canary + "\nx",
		canary + "<<EOF\nx\nEOF",
		"A=" + canary + "\na=" + canary,
		"GITHUB_" + canary + "=1",
	} {
		_, err := ParseSecrets(in)
		if err == nil {
			t.Errorf("ParseSecrets(%q): no error", in)
			continue
		}
		if strings.Contains(err.Error(), "c4n4ry") {
			t.Errorf("ParseSecrets(%q) quotes the input: %v", in, err)
		}
	}
}

func TestFormatSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []SecretValue
		want string
	}{
		{"nothing gives nothing", nil, ""},
		{"a one-line value is NAME=value", []SecretValue{{"A", "1"}, {"B", ""}}, "A=1\nB=\n"},
		{"a multi-line value is a block", []SecretValue{{"K", "x\ny"}}, "K<<EOF\nx\ny\nEOF\n"},
		{"a final newline gives a blank last line", []SecretValue{{"K", "x\n"}}, "K<<EOF\nx\n\nEOF\n"},
		{"a delimiter in the value is avoided", []SecretValue{{"K", "EOF\nEOF_1\n"}}, "K<<EOF_2\nEOF\nEOF_1\n\nEOF_2\n"},
		{"a line ending in CR gets another CR", []SecretValue{{"A", "x\r"}}, "A=x\r\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := FormatSecrets(tt.in)
			wantEqual(t, got, tt.want)
			back, err := ParseSecrets(got)
			if err != nil {
				t.Fatalf("ParseSecrets(FormatSecrets): %v", err)
			}
			wantEqual(t, back, tt.in)
		})
	}
}

func TestValueProblemIsTheOneValueRule(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", MaxValueBytes+1)
	tests := []struct {
		name, value string
		allowEmpty  bool
		want        string
	}{
		{"a value is good", "v", false, ""},
		{"an empty value is refused", "", false, "is empty (or only whitespace)"},
		{"a value of white space is refused", " \n\t", false, "is empty (or only whitespace)"},
		{"allow-empty lets it be empty", "", true, ""},
		{"a value of 48 KB is good", big[1:], false, ""},
		{"a value over 48 KB is refused, with its size", big, true, "is 49153 bytes, over GitHub's limit of 49152 bytes (48 KB): store a smaller value"},
	}
	for _, tt := range tests {
		if got := ValueProblem(tt.value, tt.allowEmpty); got != tt.want {
			t.Errorf("%s: ValueProblem = %q, want %q", tt.name, got, tt.want)
		}
	}
	// The value and secrets inputs word it alike.
	_, errValue := Parse(validRaw("name", "A", "value", big))
	_, errSecrets := Parse(validRaw("secrets", "A="+big))
	for input, err := range map[string]error{"value": errValue, "secrets": errSecrets} {
		want := "`" + input + "`: the value of secret \"A\" is 49153 bytes, " + OverValueLimit
		if err == nil || err.Error() != want {
			t.Errorf("%s over the limit: error %v, want %q", input, err, want)
		}
	}
}
