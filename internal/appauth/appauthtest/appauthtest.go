// Package appauthtest gives tests a GitHub App private key: one RSA key
// per test process, generated on first use, with its PEM forms.
package appauthtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"sync"
)

var (
	once sync.Once
	key  *rsa.PrivateKey
)

// Key returns the process's test key (2048 bits, as GitHub's are). It
// panics if the key cannot be generated.
func Key() *rsa.PrivateKey {
	once.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic("appauthtest: generating an RSA key: " + err.Error())
		}
		key = k
	})
	return key
}

// PKCS1 returns Key as GitHub downloads it: an "RSA PRIVATE KEY" PEM block.
func PKCS1() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(Key())}))
}

// PKCS8 returns Key as a "PRIVATE KEY" PEM block.
func PKCS8() string {
	b, err := x509.MarshalPKCS8PrivateKey(Key())
	if err != nil {
		panic("appauthtest: encoding the key as PKCS#8: " + err.Error())
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
}
