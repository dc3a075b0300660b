package sealedbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
)

// The test key pair, the same one testdata/make_vectors.py uses. Test key only.
const (
	testPrivateKeyB64 = "Mvsf05JfoanvJYDD22tK+/TWOw5BaoVQDc+Wul8buBQ="
	testPublicKeyB64  = "51WD/g6kf7w/qkZY6DgvLxFaz2SNTdBVvAsQ2A5semY="
)

// python is where Debian's python3-nacl lives; CI installs it with apt-get.
const python = "/usr/bin/python3"

const installHint = "install real libsodium for this test with: apt-get install python3-nacl"

// testKeyPair decodes the test key pair and checks that the public key belongs to the private key.
func testKeyPair(t testing.TB) (publicKey, privateKey *[32]byte) {
	t.Helper()
	publicKey, err := ParsePublicKey(testPublicKeyB64)
	if err != nil {
		t.Fatalf("ParsePublicKey(test key): %v", err)
	}
	priv, err := base64.StdEncoding.DecodeString(testPrivateKeyB64)
	if err != nil || len(priv) != 32 {
		t.Fatalf("test private key: %d bytes, err %v", len(priv), err)
	}
	derived, err := curve25519.X25519(priv, curve25519.Basepoint)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(derived, publicKey[:]) {
		t.Fatal("the test public key does not belong to the test private key")
	}
	return publicKey, (*[32]byte)(priv)
}

// testKey is the test public key, decoded.
func testKey(t testing.TB) *[32]byte {
	t.Helper()
	publicKey, _ := testKeyPair(t)
	return publicKey
}

// fixedRandom is a random source that yields the same byte forever, for known-answer vectors.
type fixedRandom byte

func (r fixedRandom) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

type failingRandom struct{}

func (failingRandom) Read([]byte) (int, error) { return 0, errors.New("entropy source is closed") }

func TestSealMatchesKnownVector(t *testing.T) {
	t.Parallel()
	// Made once by this code with the ephemeral private key 32 bytes of 0x2a, and checked against libsodium:
	// crypto_box_seal_open opens it, and crypto_box with the same ephemeral key and the BLAKE2b nonce
	// reproduces it byte for byte.
	const want = "B6r/Pp/BZydVRPTDpqF82Dfy7G54zYpXsePfs8wDWnbL2dJVFU5bqTy1p+jgJaFcdqa0Ex3PdIAh32Pk"
	got, err := Seal(testKey(t), []byte("known answer"), fixedRandom(0x2a))
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if got != want {
		t.Errorf("Seal with a fixed random source = %q, want %q", got, want)
	}
}

func TestSealRoundTrip(t *testing.T) {
	t.Parallel()
	publicKey, privateKey := testKeyPair(t)
	tests := []struct {
		name  string
		value []byte
	}{
		{"seals an empty value", []byte{}},
		{"seals a single byte", []byte("x")},
		{"seals a multi-line value with percent signs and workflow commands", []byte("a%25b\n::add-mask::x\r\n100%\n")},
		{"seals a 48 KiB value", bytes.Repeat([]byte("0123456789abcdef"), 48*1024/16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sealedB64, err := Seal(testKey(t), tt.value, nil)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			sealed, err := base64.StdEncoding.Strict().DecodeString(sealedB64)
			if err != nil {
				t.Fatalf("Seal returned invalid standard base64: %v", err)
			}
			if got, want := len(sealed), len(tt.value)+48; got != want {
				t.Errorf("sealed box is %d bytes, want value length + 48 = %d", got, want)
			}
			opened, ok := box.OpenAnonymous(nil, sealed, publicKey, privateKey)
			if !ok || !bytes.Equal(opened, tt.value) {
				t.Errorf("box.OpenAnonymous did not return the value (ok=%v)", ok)
			}
			opened, err = Open(sealedB64, publicKey, privateKey)
			if err != nil || !bytes.Equal(opened, tt.value) {
				t.Errorf("Open did not return the value (err=%v)", err)
			}
		})
	}
}

func TestSealUsesAFreshEphemeralKeyEachTime(t *testing.T) {
	t.Parallel()
	first, err1 := Seal(testKey(t), []byte("same"), nil)
	second, err2 := Seal(testKey(t), []byte("same"), nil)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if first == second {
		t.Error("sealing the same value twice with crypto/rand gave the same box")
	}
}

func TestParsePublicKeyReturnsTheDecodedKey(t *testing.T) {
	t.Parallel()
	key, err := ParsePublicKey(testPublicKeyB64)
	if err != nil {
		t.Fatalf("ParsePublicKey: %v", err)
	}
	if got := base64.StdEncoding.EncodeToString(key[:]); got != testPublicKeyB64 {
		t.Errorf("ParsePublicKey decoded to %q, want %q", got, testPublicKeyB64)
	}
}

func TestParsePublicKeyRejectsInvalidKeys(t *testing.T) {
	t.Parallel()
	publicKey, _ := testKeyPair(t)
	urlSafe := base64.URLEncoding.EncodeToString(publicKey[:])
	if urlSafe == testPublicKeyB64 {
		t.Fatal("the test key must contain + or / so that its URL-safe form differs")
	}
	keyOfLength := func(n int) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, n)) }
	lengthMsg := func(n string) string {
		return "public key is " + n + " bytes, want 32: ask GitHub for the organization public key again"
	}
	const notBase64 = "public key is not valid base64: "
	tests := []struct {
		name    string
		key     string
		wantMsg string
	}{
		{"rejects an empty key", keyOfLength(0), lengthMsg("0")},
		{"rejects a 31-byte key", keyOfLength(31), lengthMsg("31")},
		{"rejects a 33-byte key", keyOfLength(33), lengthMsg("33")},
		{"rejects a 64-byte key", keyOfLength(64), lengthMsg("64")},
		{"rejects text that is not base64", "not a key!", notBase64},
		{"rejects URL-safe base64", urlSafe, notBase64},
		{"rejects base64 without padding", base64.RawStdEncoding.EncodeToString(publicKey[:]), notBase64},
		{"rejects a key with a line break", testPublicKeyB64[:20] + "\n" + testPublicKeyB64[20:], notBase64 + "it contains a line break"},
		{"rejects a key with a CRLF line break", testPublicKeyB64[:20] + "\r\n" + testPublicKeyB64[20:], notBase64 + "it contains a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key, err := ParsePublicKey(tt.key)
			if key != nil {
				t.Errorf("ParsePublicKey returned %v along with its error", key)
			}
			if !errors.Is(err, ErrInvalidKey) {
				t.Fatalf("ParsePublicKey error %v does not wrap ErrInvalidKey", err)
			}
			if !strings.HasPrefix(err.Error(), tt.wantMsg) {
				t.Errorf("ParsePublicKey error = %q, want it to start with %q", err, tt.wantMsg)
			}
		})
	}
}

func TestSealRefusesNoKey(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-value-that-must-not-leak"
	sealed, err := Seal(nil, []byte(value), fixedRandom(1))
	if sealed != "" || !errors.Is(err, ErrNoKey) {
		t.Fatalf("Seal(nil) = %q, %v; want ErrNoKey", sealed, err)
	}
	if strings.Contains(err.Error(), value) {
		t.Errorf("Seal error contains the secret value: %q", err)
	}
}

func TestSealReportsAFailingRandomSource(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-value-that-must-not-leak"
	_, err := Seal(testKey(t), []byte(value), failingRandom{})
	if err == nil || !strings.Contains(err.Error(), "entropy source is closed") {
		t.Fatalf("Seal error = %v, want the random source's error", err)
	}
	if errors.Is(err, ErrInvalidKey) || strings.Contains(err.Error(), value) {
		t.Errorf("Seal error %q blames the key or contains the value", err)
	}
}

func TestOpenRejectsBadBoxes(t *testing.T) {
	t.Parallel()
	publicKey, privateKey := testKeyPair(t)
	otherPublic, otherPrivate, err := box.GenerateKey(fixedRandom(9))
	if err != nil {
		t.Fatal(err)
	}
	sealedB64, err := Seal(testKey(t), []byte("value"), fixedRandom(3))
	if err != nil {
		t.Fatal(err)
	}
	altered, _ := base64.StdEncoding.DecodeString(sealedB64)
	altered[len(altered)-1] ^= 1
	tests := []struct {
		name       string
		sealed     string
		pub, priv  *[32]byte
		wantPrefix string
	}{
		{"refuses a box sealed for another key pair", sealedB64, otherPublic, otherPrivate, "cannot open sealed box"},
		{"refuses an altered box", base64.StdEncoding.EncodeToString(altered), publicKey, privateKey, "cannot open sealed box"},
		{"refuses text that is not base64", "not base64!", publicKey, privateKey, "sealed box is not valid base64"},
		{"refuses a box shorter than its overhead", base64.StdEncoding.EncodeToString(make([]byte, 47)), publicKey, privateKey, "sealed box is 47 bytes, want at least 48"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Open(tt.sealed, tt.pub, tt.priv)
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantPrefix) {
				t.Fatalf("Open = %q, %v; want an error starting with %q", got, err, tt.wantPrefix)
			}
		})
	}
}

// TestLibsodiumOpensGoBoxes seals with Go and opens with real libsodium (python3-nacl).
func TestLibsodiumOpensGoBoxes(t *testing.T) {
	t.Parallel()
	values := [][]byte{
		{},
		[]byte("x"),
		[]byte("pässwörd — 秘密 🔑"),
		[]byte("line one\nline two: 100%\r\n::add-mask::x\n"),
		bytes.Repeat([]byte("long value "), 1000),
	}
	var request struct {
		PrivateKey string   `json:"private_key"`
		Boxes      []string `json:"boxes"`
	}
	request.PrivateKey = testPrivateKeyB64
	for _, v := range values {
		sealed, err := Seal(testKey(t), v, nil)
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		request.Boxes = append(request.Boxes, sealed)
	}
	stdin, err := json.Marshal(request)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := os.Stat(python); err != nil {
		t.Fatalf("%s is needed to check interoperability with libsodium (%v); %s", python, err, installHint)
	}
	cmd := exec.CommandContext(t.Context(), python, "testdata/open.py")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("testdata/open.py failed: %v\n%s\nif nacl is missing, %s", err, stderr.String(), installHint)
	}
	var response struct {
		Plaintexts [][]byte `json:"plaintexts"`
	}
	if err := json.Unmarshal(stdout, &response); err != nil {
		t.Fatalf("testdata/open.py printed invalid JSON: %v", err)
	}
	if len(response.Plaintexts) != len(values) {
		t.Fatalf("libsodium opened %d boxes, want %d", len(response.Plaintexts), len(values))
	}
	for i, want := range values {
		if !bytes.Equal(response.Plaintexts[i], want) {
			t.Errorf("libsodium opened box %d to %q, want %q", i, response.Plaintexts[i], want)
		}
	}
}

// TestGoOpensLibsodiumBoxes opens boxes that libsodium's crypto_box_seal made (testdata/make_vectors.py).
func TestGoOpensLibsodiumBoxes(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/libsodium_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		PrivateKey string `json:"private_key"`
		PublicKey  string `json:"public_key"`
		Vectors    []struct {
			Name      string `json:"name"`
			Plaintext []byte `json:"plaintext"`
			Sealed    string `json:"sealed"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("testdata/libsodium_vectors.json: %v", err)
	}
	if file.PrivateKey != testPrivateKeyB64 || file.PublicKey != testPublicKeyB64 {
		t.Fatal("testdata/libsodium_vectors.json uses another key pair than the test; regenerate it")
	}
	if len(file.Vectors) < 7 {
		t.Fatalf("testdata/libsodium_vectors.json has %d vectors, want at least 7", len(file.Vectors))
	}
	publicKey, privateKey := testKeyPair(t)
	for _, v := range file.Vectors {
		t.Run("opens "+v.Name, func(t *testing.T) {
			t.Parallel()
			got, err := Open(v.Sealed, publicKey, privateKey)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, v.Plaintext) {
				t.Errorf("Open = %q, want %q", got, v.Plaintext)
			}
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	value := bytes.Repeat([]byte{'v'}, 1024)
	b.SetBytes(int64(len(value)))
	key := testKey(b)
	for b.Loop() {
		if _, err := Seal(key, value, nil); err != nil {
			b.Fatal(err)
		}
	}
}
