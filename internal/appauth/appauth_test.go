package appauth

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
)

func key(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	return appauthtest.Key()
}

func TestParsePrivateKeyReadsPKCS1AndPKCS8(t *testing.T) {
	k := key(t)
	for name, text := range map[string]string{
		"PKCS#1, as GitHub downloads it": appauthtest.PKCS1(),
		"PKCS#8":                         appauthtest.PKCS8(),
		"with surrounding blank lines":   "\n\n" + appauthtest.PKCS1() + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParsePrivateKey(text)
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if !got.Equal(k) {
				t.Error("the parsed key differs")
			}
		})
	}
}

func TestParsePrivateKeyRefusesWithoutEchoingTheKey(t *testing.T) {
	body := x509.MarshalPKCS1PrivateKey(key(t))
	damaged := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: body[:len(body)/2]}))
	for name, text := range map[string]string{
		"not PEM":         "MIIEowIBAAKCAQEAsecretsecretsecret",
		"damaged":         damaged,
		"a public key":    string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("secretsecretsecret")})),
		"empty":           "",
		"a token instead": "ghs_secretsecretsecret",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePrivateKey(text)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, line := range strings.Split(text, "\n") {
				if len(line) > 8 && !strings.HasPrefix(line, "-----") && strings.Contains(msg, line) {
					t.Errorf("the error %q repeats a line of the key", msg)
				}
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("the error %q repeats the input", msg)
			}
		})
	}
}

func TestJWTIsRS256WithGitHubsClaims(t *testing.T) {
	k := key(t)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tok, err := JWT("12345", k, now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("a JWT has 3 parts, got %d", len(parts))
	}
	var header map[string]string
	decode(t, parts[0], &header)
	if header["alg"] != "RS256" || header["typ"] != "JWT" {
		t.Errorf("header = %v", header)
	}
	var claims struct {
		Iat, Exp int64
		Iss      string
	}
	decode(t, parts[1], &claims)
	if claims.Iat != now.Add(-60*time.Second).Unix() {
		t.Errorf("iat = %d, want 60 seconds before now", claims.Iat)
	}
	if claims.Exp-claims.Iat != 600 {
		t.Errorf("exp - iat = %d, want 600 (GitHub's 10-minute limit)", claims.Exp-claims.Iat)
	}
	if claims.Iss != "12345" {
		t.Errorf("iss = %q", claims.Iss)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("the signature does not verify with the App's public key: %v", err)
	}
}

func TestNeededAsksForLeastPrivilege(t *testing.T) {
	tests := []struct {
		name            string
		writes, lookups bool
		want            Permissions
	}{
		{"a read or a dry run reads secrets", false, false, Permissions{Secrets: Read}},
		{"a write writes secrets", true, false, Permissions{Secrets: Write}},
		{"metadata only when names are looked up", true, true, Permissions{Secrets: Write, Metadata: Read}},
	}
	for _, tt := range tests {
		if got := Needed(tt.writes, tt.lookups); got != tt.want {
			t.Errorf("%s: Needed = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func decode(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
