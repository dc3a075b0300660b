// Package ascii holds the one test for text that can be printed or sent
// in a header as it is, shared by the inputs (the token) and the API layer
// (the User-Agent, a documentation URL from GitHub), and the one edit
// distance behind every "did you mean" (operations, flags, secret names).
// The standard library keeps the same IsPrint in net/http/internal/ascii.
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

// EditDistance is the Levenshtein distance between a and b, in bytes: the
// fewest insertions, deletions and substitutions that turn a into b. The
// names it compares (operations, flags, secret names) are ASCII.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
