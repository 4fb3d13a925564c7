package verify

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"
)

// vector is one golden case of testdata/vectors.json.
type vector struct {
	Name            string              `json:"name"`
	Source          string              `json:"source"`
	Mode            Mode                `json:"mode"`
	Preset          string              `json:"preset"`
	HMAC            *HMACParams         `json:"hmac"`
	Secret          string              `json:"secret"`
	Other           string              `json:"other"` // a well-formed wrong secret, for rotation
	Method          string              `json:"method"`
	URL             string              `json:"url"`
	Headers         map[string]string   `json:"headers"`
	Body            string              `json:"body"`
	Now             int64               `json:"now"`
	Tolerance       *int                `json:"tolerance"`
	Timestamped     bool                `json:"timestamped"`
	SignatureHeader string              `json:"signatureHeader"`
	Multi           map[string][]string `json:"multi"` // header lines carrying several signatures
	NoTamper        bool                `json:"noTamper"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	raw, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Vectors []vector }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Vectors
}

func (v vector) config(secrets ...string) Config {
	tol := 300 * time.Second
	if v.Tolerance != nil {
		tol = time.Duration(*v.Tolerance) * time.Second
	}
	return Config{Mode: v.Mode, Preset: v.Preset, HMAC: v.HMAC, Secrets: secrets, Tolerance: tol}
}

func (v vector) request() Request {
	h := http.Header{}
	for k, val := range v.Headers {
		h.Set(k, val)
	}
	return Request{Method: cmpOr(v.Method, "POST"), URL: cmpOr(v.URL, "https://example.com/in/tok"), Header: h, Body: []byte(v.Body)}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (v vector) now() time.Time { return time.Unix(v.Now, 0) }

func TestGoldenVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			runVector(t, v)
		})
	}
}

func runVector(t *testing.T, v vector) {
	if err := ValidateConfig(v.config(v.Secret)); err != nil {
		t.Fatalf("ValidateConfig: %v", err)
	}
	expect(t, "valid", mustNew(t, v.config(v.Secret)).Verify(v.request(), v.now()), nil)
	expect(t, "rotated", mustNew(t, v.config(cmpOr(v.Other, "not-the-secret"), v.Secret)).Verify(v.request(), v.now()), nil)
	expect(t, "wrong secret", mustNew(t, v.config(cmpOr(v.Other, "not-the-secret"))).Verify(v.request(), v.now()), ErrInvalidSignature)
	grace := v.config(cmpOr(v.Other, "not-the-secret"))
	grace.Expiring = []ExpiringSecret{{Secret: v.Secret, Until: v.now().Add(time.Second)}}
	rotated := mustNew(t, grace)
	expect(t, "rotated, in its grace", rotated.Verify(v.request(), v.now()), nil)
	expect(t, "rotated, its grace over", rotated.Verify(v.request(), v.now().Add(time.Second)), ErrInvalidSignature)
	if !v.NoTamper {
		r := v.request()
		r.Body = append(r.Body, ' ')
		expect(t, "tampered", mustNew(t, v.config(v.Secret)).Verify(r, v.now()), ErrInvalidSignature)
	}
	if v.Timestamped {
		tol := v.config().Tolerance
		expect(t, "stale", mustNew(t, v.config(v.Secret)).Verify(v.request(), v.now().Add(tol+time.Second)), ErrTimestampOutsideTolerance)
		expect(t, "future", mustNew(t, v.config(v.Secret)).Verify(v.request(), v.now().Add(-tol-time.Second)), ErrTimestampOutsideTolerance)
		off := v.config(v.Secret)
		off.Tolerance = 0
		expect(t, "tolerance off", mustNew(t, off).Verify(v.request(), v.now().Add(365*24*time.Hour)), nil)
	}
	if v.SignatureHeader != "" {
		r := v.request()
		r.Header.Del(v.SignatureHeader)
		expect(t, "missing", mustNew(t, v.config(v.Secret)).Verify(r, v.now()), ErrMissingSignature)
	}
	if len(v.Multi) > 0 {
		r := v.request()
		for k, lines := range v.Multi {
			r.Header[http.CanonicalHeaderKey(k)] = lines
		}
		expect(t, "several signatures", mustNew(t, v.config(v.Secret)).Verify(r, v.now()), nil)
	}
}

func expect(t *testing.T, what string, got, want error) {
	t.Helper()
	if want == nil && got != nil || want != nil && !errors.Is(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
	var e *Error
	if got != nil && !errors.As(got, &e) {
		t.Errorf("%s: %T is not an *Error", what, got)
	}
}

// TestEveryPresetHasAVector keeps the golden table complete as presets grow.
func TestEveryPresetHasAVector(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, v := range loadVectors(t) {
		covered[v.Preset] = true
		covered[string(v.Mode)] = true
	}
	for _, p := range Presets() {
		if !covered[p.Key] && !covered[string(p.Mode)] {
			t.Errorf("preset %q has no golden vector", p.Key)
		}
	}
}
