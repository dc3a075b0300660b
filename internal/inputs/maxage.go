package inputs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// maxAgeUnits are the units of the max-age input, by their letter.
var maxAgeUnits = map[byte]time.Duration{
	'h': time.Hour,
	'd': 24 * time.Hour,
	'w': 7 * 24 * time.Hour,
}

// maxMaxAge bounds max-age well inside time.Duration's range: 100 years.
const maxMaxAge = 100 * 365 * 24 * time.Hour

// ParseMaxAge reads the max-age input: a whole number of hours, days or
// weeks, such as 36h, 90d or 12w (the unit's letter in either case). It
// errors on anything else, on 0, and on more than 100 years; the error
// quotes the text and lists the units.
func ParseMaxAge(s string) (time.Duration, error) {
	const want = "give a whole number of hours, days or weeks, such as 36h, 90d or 12w"
	t := strings.ToLower(strings.TrimSpace(s))
	if len(t) < 2 {
		return 0, fmt.Errorf("%q is not an age: %s", s, want)
	}
	unit, ok := maxAgeUnits[t[len(t)-1]]
	digits := t[:len(t)-1]
	if !ok || !secret.Digits(digits) {
		return 0, fmt.Errorf("%q is not an age: %s", s, want)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	switch {
	case err != nil || n > int64(maxMaxAge/unit):
		return 0, fmt.Errorf("%q is longer than 100 years: %s", s, want)
	case n == 0:
		return 0, fmt.Errorf("%q is no age at all, so every secret would be stale: %s", s, want)
	}
	return time.Duration(n) * unit, nil
}
