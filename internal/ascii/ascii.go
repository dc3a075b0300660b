// Package ascii holds the one test for text that can be printed or sent
// in a header as it is, shared by the inputs (the token) and the API layer
// (the User-Agent, a documentation URL from GitHub). The standard library
// keeps the same helper in net/http/internal/ascii.
package ascii

// IsPrint reports whether every byte of s is printable ASCII: a space or a
// visible character (0x20 to 0x7e). It is false for a line break, a tab,
// another control character and anything outside ASCII; true for "".
func IsPrint(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
