package sealedbox

import (
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/nacl/box"
)

// Open decrypts a sealed box in standard base64, made by Seal or crypto_box_seal for publicKey, with the
// matching private key. It fails when the input is not base64, or
// when the box was sealed for another key or was altered.
func Open(sealedB64 string, publicKey, privateKey *[32]byte) ([]byte, error) {
	sealed, err := base64.StdEncoding.DecodeString(sealedB64)
	if err != nil {
		return nil, fmt.Errorf("sealed box is not valid base64: %w", err)
	}
	if len(sealed) < box.AnonymousOverhead {
		return nil, fmt.Errorf("sealed box is %d bytes, want at least %d", len(sealed), box.AnonymousOverhead)
	}
	value, ok := box.OpenAnonymous(nil, sealed, publicKey, privateKey)
	if !ok {
		return nil, errors.New("cannot open sealed box: it was sealed for another key pair or was altered")
	}
	if value == nil {
		value = []byte{}
	}
	return value, nil
}
