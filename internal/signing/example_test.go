package signing_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/wexio/webhooks/internal/signing"
)

// The Standard Webhooks spec's published test vector (providers.md §4).
const (
	specSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specMsgID  = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specBody   = `{"test": 2432232314}`
	specSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var specTS = time.Unix(1614265330, 0)

// Signing the spec's example message with its secret gives the spec's
// signature: what a receiver using any Standard Webhooks library checks.
func ExampleSign() {
	sig, err := signing.Sign([]string{specSecret}, specMsgID, specTS, []byte(specBody))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sig)
	fmt.Println("matches the spec:", sig == specSig)
	// Output:
	// v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
	// matches the spec: true
}

// During a rotation's grace period a message is signed with the new secret
// and the previous one, the new one first; a receiver still holding the
// previous secret finds its signature second. (The new secret's signature
// was checked against openssl dgst -sha256 -mac HMAC.)
func ExampleSign_rotation() {
	current := "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=" // bytes 1 to 32
	previous := specSecret
	header, err := signing.Sign([]string{current, previous}, specMsgID, specTS, []byte(specBody))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, sig := range strings.Fields(header) {
		fmt.Println(sig)
	}
	// Output:
	// v1,frM35V2Z51bxs4v81I6TpLnscXkhXtKLP/7WPYVyj3A=
	// v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// CheckSecret vets a secret a user supplies; its problems are written for
// that user.
func ExampleCheckSecret() {
	for _, s := range []string{specSecret, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!", "whsec_AQID"} {
		fmt.Println(signing.CheckSecret(s))
	}
	// Output:
	// <nil>
	// must start with "whsec_"
	// must be whsec_ followed by base64
	// must encode 24 to 64 bytes
}
