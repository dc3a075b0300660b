package inputs

import (
	"strconv"
	"strings"
)

// FormatSecrets writes secrets in the syntax ParseSecrets reads: a
// NAME=value line for a value without "\n", otherwise a NAME<<DELIMITER
// block whose delimiter (EOF, EOF_1, ...) does not occur in the value. A
// line whose content ends with "\r" is written with "\r\n", so that
// ParseSecrets, which drops one "\r" per line, gives the value back.
// Names are written as they are: they should pass [secret.CheckName].
func FormatSecrets(secrets []SecretValue) string {
	var b strings.Builder
	writeLine := func(l string) {
		b.WriteString(l)
		if strings.HasSuffix(l, "\r") {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	for _, s := range secrets {
		if !strings.Contains(s.Value, "\n") {
			writeLine(string(s.Name) + "=" + s.Value)
			continue
		}
		delim := "EOF"
		for i := 1; strings.Contains(s.Value, delim); i++ {
			delim = "EOF_" + strconv.Itoa(i)
		}
		b.WriteString(string(s.Name) + "<<" + delim + "\n")
		for _, l := range strings.Split(s.Value, "\n") {
			writeLine(l)
		}
		b.WriteString(delim + "\n")
	}
	return b.String()
}
