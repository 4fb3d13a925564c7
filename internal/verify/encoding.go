package verify

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
)

// algorithm is the hash under an HMAC.
type algorithm uint8

const (
	algSHA256 algorithm = iota
	algSHA1
	algSHA512
)

func (a algorithm) new() hash.Hash {
	switch a {
	case algSHA1:
		return sha1.New()
	case algSHA512:
		return sha512.New()
	}
	return sha256.New()
}

func (a algorithm) String() string {
	return [...]string{algSHA256: "SHA256", algSHA1: "SHA1", algSHA512: "SHA512"}[a]
}

// parseAlgorithm reads "SHA256", "sha-256" and the like.
func parseAlgorithm(s string) (algorithm, bool) {
	switch strings.ToUpper(strings.ReplaceAll(s, "-", "")) {
	case "SHA1":
		return algSHA1, true
	case "SHA256":
		return algSHA256, true
	case "SHA512":
		return algSHA512, true
	}
	return 0, false
}

// encoding is how a MAC is written in a header.
type encoding uint8

const (
	encHex encoding = iota
	encBase64
)

func (e encoding) String() string {
	return [...]string{encHex: "HEX", encBase64: "BASE64"}[e]
}

func parseEncoding(s string) (encoding, bool) {
	switch strings.ToUpper(s) {
	case "HEX":
		return encHex, true
	case "BASE64":
		return encBase64, true
	}
	return 0, false
}

// decode turns a signature back into MAC bytes. Comparing bytes rather than
// text makes hex case-insensitive and base64 padding optional.
func (e encoding) decode(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	if e == encHex {
		b, err := hex.DecodeString(s)
		return b, err == nil && len(b) > 0
	}
	return decodeBase64(s)
}

// decodeBase64 accepts padded and unpadded standard base64. The decoders
// skip CR and LF, so text of nothing but those decodes to no bytes: refused.
func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	return b, err == nil && len(b) > 0
}

// trimPrefix removes prefix (e.g. "sha256=") when present, ignoring case.
// Senders disagree on sending it (Mollie) and the MAC decides anyway.
func trimPrefix(s, prefix string) string {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):]
	}
	return s
}

// keyDecoding turns a configured secret into HMAC key bytes.
type keyDecoding uint8

const (
	keyRaw   keyDecoding = iota // the secret's UTF-8 bytes (Stripe's whsec_ too)
	keyWhsec                    // Standard Webhooks: strip whsec_, base64-decode
)

func (k keyDecoding) key(secret string) ([]byte, bool) {
	if k == keyRaw {
		return []byte(secret), secret != ""
	}
	b, ok := decodeBase64(strings.TrimPrefix(secret, "whsec_"))
	return b, ok && len(b) > 0
}
