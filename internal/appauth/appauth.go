// Package appauth signs the JSON Web Token a GitHub App authenticates with
// (RS256 over the App's private key), and says which permissions an
// installation token needs for a run. It uses the standard library only.
//
// GitHub: https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
package appauth

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Drift is how far in the past a JWT's iat is put, so that a server whose
// clock is a little behind ours still accepts it (GitHub's advice).
const Drift = 60 * time.Second

// Lifetime is how long after its iat a JWT expires: GitHub refuses one
// whose exp is more than 10 minutes after iat.
const Lifetime = 10 * time.Minute

// ParsePrivateKey reads an App's private key: an RSA key in a PEM block,
// PKCS#1 ("RSA PRIVATE KEY", as GitHub downloads it) or PKCS#8 ("PRIVATE
// KEY"). Its errors say what is wrong without repeating any of the key.
func ParsePrivateKey(text string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil {
		return nil, errors.New("it is not a PEM block: give the whole .pem file GitHub downloaded, from -----BEGIN to -----END (the key is not shown)")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("its RSA PRIVATE KEY block is damaged: download a new private key from the App's settings (the key is not shown)")
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("its PRIVATE KEY block is damaged: download a new private key from the App's settings (the key is not shown)")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("it is not an RSA key: a GitHub App's private key is RSA (the key is not shown)")
		}
		return rk, nil
	}
	return nil, fmt.Errorf("it is a PEM block of type %q, not a private key: give the App's private key (RSA PRIVATE KEY or PRIVATE KEY)", block.Type)
}

// JWT returns the App's token for now: RS256, iss the App's id or client
// id (GitHub takes either), iat Drift before now, exp Lifetime after iat.
// The token is a credential: never print it.
func JWT(iss string, key *rsa.PrivateKey, now time.Time) (string, error) {
	iat := now.Add(-Drift).Unix()
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, err := json.Marshal(map[string]any{
		"iat": iat,
		"exp": iat + int64(Lifetime/time.Second),
		"iss": iss,
	})
	if err != nil {
		return "", fmt.Errorf("could not encode the JWT's claims: %w", err)
	}
	signed := header + "." + base64.RawURLEncoding.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("could not sign the App's JWT with its private key: %w", err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// Access is the level of a permission an installation token asks for.
type Access string

// The levels of a permission.
const (
	Read  Access = "read"
	Write Access = "write"
)

// Permissions is what an installation token asks for: only what the run
// needs. An empty Metadata leaves the permission out.
type Permissions struct {
	// Secrets is "Organization codespaces secrets":
	// organization_codespaces_secrets.
	Secrets Access
	// Metadata is the repositories' "Metadata" permission, needed only to
	// look repository names up.
	Metadata Access
}

// Needed returns the permissions of a run: codespaces secrets read for a
// read or a dry run, write otherwise, and metadata read only when names of
// repositories are looked up.
func Needed(writes, lookups bool) Permissions {
	p := Permissions{Secrets: Read}
	if writes {
		p.Secrets = Write
	}
	if lookups {
		p.Metadata = Read
	}
	return p
}
