package ascii

import "testing"

func TestIsPrint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{"takes the empty string", "", true},
		{"takes letters, digits, punctuation and spaces", "ghp_AZaz09 ~!/", true},
		{"refuses a line feed", "a\nb", false},
		{"refuses a carriage return", "a\rb", false},
		{"refuses a tab", "a\tb", false},
		{"refuses DEL", "a\x7fb", false},
		{"refuses a NUL byte", "a\x00b", false},
		{"refuses a letter outside ASCII", "clé", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsPrint(tt.s); got != tt.want {
				t.Errorf("IsPrint(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"list", "list", 0}, {"lst", "list", 1}, {"list", "lst", 1},
		{"sett", "set", 1}, {"NPM_TOKNE", "NPM_TOKEN", 2}, {"", "abc", 3}, {"kitten", "sitting", 3},
	} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
