package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the size of the key: AES-256.
const KeySize = 32

// ErrOpen is returned when a sealed value cannot be opened: wrong key,
// tampered bytes, or a value sealed for another record.
var ErrOpen = errors.New("secretbox: cannot open sealed value")

// Box seals and opens values. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secretbox: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("creating cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("creating GCM: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to context (for example the owning row's
// id), so a sealed value copied onto another row does not open there.
// The output is nonce || ciphertext || tag.
func (b *Box) Seal(plaintext, context string) []byte {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+ panics
		// itself); keep the invariant explicit.
		panic(fmt.Sprintf("secretbox: reading random nonce: %v", err))
	}
	return b.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
}

// Open decrypts a value sealed with the same context.
func (b *Box) Open(sealed []byte, context string) (string, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return "", ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], []byte(context))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}
