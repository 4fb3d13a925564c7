package verify

import (
	"strconv"
	"time"
)

// unit is how a timestamp is written.
type unit uint8

const (
	unitSeconds unit = iota
	unitMillis
	unitAuto    // seconds, or milliseconds from 13 digits on (Zoom, generic HMAC)
	unitRFC3339 // Twitch
	unitLoose   // signed as text; checked only when it reads as a time (Zendesk)
)

// maxUnixSeconds keeps parsed times far from int64 overflow in time.Unix
// (about year 36800); no provider sends anything near it.
const maxUnixSeconds = 1 << 40

// autoMillis is the smallest value unitAuto reads as milliseconds: as seconds
// it would be the year 33658.
const autoMillis = 1_000_000_000_000

// tsSource says where a scheme's timestamp is.
type tsSource struct {
	headers []string // first present header
	inSig   bool     // inside the signature header ("t=", "ts=", Recurly's first element)
	json    string   // dotted path of a body field (Linear webhookTimestamp)
	unit    unit
}

func (s tsSource) none() bool { return len(s.headers) == 0 && !s.inSig && s.json == "" }

// lookup returns the timestamp text exactly as sent: it is signed verbatim.
func (s tsSource) lookup(r Request, sig signatures) (string, bool) {
	switch {
	case s.inSig:
		return sig.ts, sig.hasTS
	case s.json != "":
		v, ok := jsonField(r.Body, s.json)
		return v, ok && v != ""
	case len(s.headers) > 0:
		v := headerValue(r.Header, s.headers...)
		return v, v != ""
	}
	return "", false
}

// check applies the replay window in both directions; a zero tolerance turns
// it off.
func (s tsSource) check(raw string, now time.Time, tol time.Duration) error {
	if tol <= 0 {
		return nil
	}
	t, err := parseTime(raw, s.unit)
	if err != nil {
		if s.unit == unitLoose {
			return nil
		}
		return err
	}
	return within(t, now, tol)
}

func within(t, now time.Time, tol time.Duration) error {
	// Sub saturates, and comparing both bounds avoids negating MinInt64.
	if d := now.Sub(t); d > tol || d < -tol {
		return ErrTimestampOutsideTolerance
	}
	return nil
}

func parseTime(raw string, u unit) (time.Time, error) {
	if u == unitRFC3339 || u == unitLoose {
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err == nil {
			return t, nil
		}
		if u == unitRFC3339 {
			return time.Time{}, ErrMalformedTimestamp
		}
		u = unitAuto
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, ErrMalformedTimestamp
	}
	if u == unitMillis || (u == unitAuto && n >= autoMillis) {
		if n/1000 > maxUnixSeconds {
			return time.Time{}, ErrMalformedTimestamp
		}
		return time.UnixMilli(n), nil
	}
	if n > maxUnixSeconds {
		return time.Time{}, ErrMalformedTimestamp
	}
	return time.Unix(n, 0), nil
}
