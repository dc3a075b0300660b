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

// KeySize is the length in bytes of a Curve25519 public key.
const KeySize = 32

// ErrInvalidKey is wrapped by the errors of ParsePublicKey when the public key is not standard padded
// base64 of exactly 32 bytes. Test for it with errors.Is.
var ErrInvalidKey = errors.New("invalid public key")

// KeyError is the error of ParsePublicKey for a public key that is not standard padded base64 of
// exactly KeySize bytes. It matches ErrInvalidKey with errors.Is; get it with errors.As to word the
// problem for another context.
type KeyError struct {
	// Len is the length in bytes the key decodes to, or -1 when the key is not standard padded base64.
	Len   int
	cause error // why the key is not base64
}

func (e *KeyError) Error() string {
	if e.Len < 0 {
		return fmt.Sprintf("public key is not valid base64: %v: want standard padded base64 as GitHub returns it; "+
			"ask GitHub for the organization public key again", e.cause)
	}
	return fmt.Sprintf("public key is %d bytes, want %d: ask GitHub for the organization public key again", e.Len, KeySize)
}

func (e *KeyError) Unwrap() error { return e.cause }

// Is makes errors.Is(err, ErrInvalidKey) true for every *KeyError.
func (e *KeyError) Is(target error) bool { return target == ErrInvalidKey }

// ParsePublicKey decodes publicKeyB64, standard padded base64 as GitHub returns it in the "key" field of
// GET /orgs/{org}/codespaces/secrets/public-key, into the key Seal takes. It is the one check and the one
// decoding of a public key. It returns a *KeyError
// for anything that is not canonical base64 (a line break inside is refused too) or does not decode to
// exactly 32 bytes.
func ParsePublicKey(publicKeyB64 string) (*[KeySize]byte, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(publicKeyB64)
	if err == nil && base64.StdEncoding.EncodeToString(raw) != publicKeyB64 {
		// The decoder skips line breaks, even in strict mode.
		err = errors.New("it contains a line break")
	}
	if err != nil {
		return nil, &KeyError{Len: -1, cause: err}
	}
	if len(raw) != KeySize {
		return nil, &KeyError{Len: len(raw)}
	}
	key := new([KeySize]byte)
	copy(key[:], raw)
	return key, nil
}

// ErrNoKey is the error of Seal when it is given no key.
var ErrNoKey = errors.New("there is no public key to seal the value for: fetch the organization's public key first")

// Seal encrypts value for key, a Curve25519 public key as ParsePublicKey decodes it, with an anonymous sealed
// box, compatible with libsodium's crypto_box_seal, and returns the box as standard base64. rand supplies the
// ephemeral key; nil means crypto/rand.Reader. A nil key is ErrNoKey; no error ever contains the value.
func Seal(key *[KeySize]byte, value []byte, rand io.Reader) (string, error) {
	if key == nil {
		return "", ErrNoKey
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
