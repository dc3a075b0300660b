package secret

import "strings"

// Name is a secret's name in its canonical form: upper case, as GitHub
// stores it and compares it. Names are compared, and used as map keys, in
// this form only; make one with ParseName from what a user wrote, or with
// NameOf from a name already checked (GitHub's own).
type Name string

// NameOf returns the canonical form of a name, without checking it.
func NameOf(s string) Name { return Name(strings.ToUpper(s)) }

// ParseName checks s with CheckName and returns its canonical form.
func ParseName(s string) (Name, error) {
	if err := CheckName(s); err != nil {
		return "", err
	}
	return NameOf(s), nil
}

// NameProblem is what makes a text unfit to be a secret's name.
type NameProblem int

// The problems of a name, in the order CheckName looks for them.
const (
	NameEmpty        NameProblem = iota + 1 // the name is empty
	NameLeadingDigit                        // it starts with a digit
	NameBadChar                             // it holds a character other than an ASCII letter, digit or underscore
	NameReserved                            // it starts with GITHUB_, in any case
)

// NameError is why a text cannot be a Codespaces secret's name. Its Error
// says what is wrong without repeating the name, so that a caller that
// cannot show the name (a line of the secrets input may be part of a value)
// can use it as it is; a caller that can show it words its own message from
// the fields.
type NameError struct {
	Problem NameProblem
	// Char is the first character that is not allowed, for NameBadChar.
	Char rune
	// Padded is true when the name has white space around it: then the
	// Problem is NameBadChar or NameLeadingDigit, and the space is the
	// likelier mistake.
	Padded bool
}

func (e *NameError) Error() string {
	switch {
	case e.Problem == NameEmpty:
		return "a secret name must not be empty"
	case e.Padded:
		return "a secret name must not have spaces around it"
	case e.Problem == NameLeadingDigit:
		return "a secret name must not start with a digit: start it with a letter or an underscore"
	case e.Problem == NameBadChar:
		return "a secret name may contain only ASCII letters, digits and underscores"
	}
	return "a secret name must not start with GITHUB_ (GitHub reserves the prefix): choose another name"
}

// CheckName is the one rule for a Codespaces secret's name: ASCII letters,
// digits and underscores, not starting with a digit, and not starting with
// GITHUB_ in any case. The error is a *NameError.
func CheckName(s string) error {
	if s == "" {
		return &NameError{Problem: NameEmpty}
	}
	padded := strings.TrimSpace(s) != s
	if c := s[0]; '0' <= c && c <= '9' {
		return &NameError{Problem: NameLeadingDigit, Padded: padded}
	}
	for _, r := range s {
		if !(r == '_' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			return &NameError{Problem: NameBadChar, Char: r, Padded: padded}
		}
	}
	if strings.HasPrefix(string(NameOf(s)), "GITHUB_") {
		return &NameError{Problem: NameReserved}
	}
	return nil
}
