// Package sealedbox encrypts secret values the way GitHub's secrets API expects: a libsodium sealed box
// (crypto_box_seal) for the organization's Curve25519 public key, encoded as standard base64.
//
// See https://docs.github.com/en/rest/guides/encrypting-secrets-for-the-rest-api.
package sealedbox

import (
	cryptorand "crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/box"
)

// keySize is the length in bytes of a Curve25519 public key.
const keySize = 32

// ErrInvalidKey is wrapped by the errors of ParsePublicKey and Seal when the public key is not
// standard padded base64 of exactly 32 bytes. Test for it with errors.Is.
var ErrInvalidKey = errors.New("invalid public key")

// keyError describes what is wrong with a public key; it matches ErrInvalidKey with errors.Is.
type keyError struct {
	msg   string
	cause error
}

func (e *keyError) Error() string { return e.msg }

func (e *keyError) Unwrap() error { return e.cause }

func (e *keyError) Is(target error) bool { return target == ErrInvalidKey }

// ParsePublicKey decodes publicKeyB64, standard padded base64 as GitHub returns it in the "key" field of
// GET /orgs/{org}/codespaces/secrets/public-key. It returns an error wrapping ErrInvalidKey for anything
// that is not valid base64 or does not decode to exactly 32 bytes.
func ParsePublicKey(publicKeyB64 string) (*[32]byte, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(publicKeyB64)
	if err != nil {
		return nil, &keyError{
			msg: fmt.Sprintf("public key is not valid base64: %v: want standard padded base64 as GitHub returns it; "+
				"ask GitHub for the organization public key again", err),
			cause: err,
		}
	}
	if len(raw) != keySize {
		return nil, &keyError{msg: fmt.Sprintf(
			"public key is %d bytes, want %d: ask GitHub for the organization public key again", len(raw), keySize)}
	}
	key := new([32]byte)
	copy(key[:], raw)
	return key, nil
}

// Seal encrypts value for the recipient's public key (standard padded base64) with an anonymous sealed box,
// compatible with libsodium's crypto_box_seal, and returns the box as standard base64. rand supplies the
// ephemeral key; nil means crypto/rand.Reader. The error wraps ErrInvalidKey when the key is bad; no error
// ever contains the value.
func Seal(publicKeyB64 string, value []byte, rand io.Reader) (string, error) {
	key, err := ParsePublicKey(publicKeyB64)
	if err != nil {
		return "", err
	}
	if rand == nil {
		rand = cryptorand.Reader
	}
	sealed, err := box.SealAnonymous(nil, value, key, rand)
	if err != nil {
		return "", fmt.Errorf("failed to make an ephemeral key for the sealed box: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sealed), nil
}
