package verify

import (
	"errors"
	"testing"
	"time"
)

func TestParseSignatureLists(t *testing.T) {
	t.Parallel()
	hex32 := "0101010101010101010101010101010101010101010101010101010101010101"
	cases := []struct {
		name   string
		list   sigList
		enc    encoding
		header string
		ts     string
		macs   int
		err    error
	}{
		{"stripe", stripeScheme.list, encHex, "t=1,v1=" + hex32 + ",v1=" + hex32 + ",v0=" + hex32, "1", 2, nil},
		{"stripe spaces and trailing comma", stripeScheme.list, encHex, " t=1 , v1=" + hex32 + ",", "1", 1, nil},
		{"stripe unknown keys ignored", stripeScheme.list, encHex, "t=1,v2=" + hex32 + ",x=y", "1", 0, nil},
		{"stripe undecodable v1 skipped", stripeScheme.list, encHex, "t=1,v1=zz,v1=" + hex32, "1", 1, nil},
		{"stripe pair without =", stripeScheme.list, encHex, "t=1,v1", "", 0, ErrMalformedSignature},
		{"stripe first t wins", stripeScheme.list, encHex, "t=1,t=2,v1=" + hex32, "1", 1, nil},
		{"stripe no t", stripeScheme.list, encHex, "v1=" + hex32, "", 1, nil},
		{"paddle", paddleScheme.list, encHex, "ts=5;h1=" + hex32 + ";h1=" + hex32, "5", 2, nil},
		{"paddle garbage", paddleScheme.list, encHex, "garbage", "", 0, ErrMalformedSignature},
		{"revolut", revolutScheme.list, encHex, "v1=" + hex32 + ",v1=" + hex32, "", 2, nil},
		{"revolut other version", revolutScheme.list, encHex, "v2=" + hex32 + ",v1=" + hex32, "", 1, nil},
		{"revolut garbage", revolutScheme.list, encHex, "garbage", "", 0, ErrMalformedSignature},
		{"svix", svixScheme.list, encBase64, "v1,AQID v1a,AQID  v1,AQIDBA==", "", 2, nil},
		{"svix garbage", svixScheme.list, encBase64, "AQID", "", 0, ErrMalformedSignature},
		{"recurly", recurlyScheme.list, encHex, "1700000000000," + hex32 + "," + hex32, "1700000000000", 2, nil},
		{"recurly no signatures", recurlyScheme.list, encHex, "1700000000000", "", 0, ErrMalformedSignature},
		{"single with prefix", sigList{}, encHex, "SHA256=" + hex32, "", 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			prefix := ""
			if c.list.format == listSingle {
				prefix = "sha256="
			}
			s, err := c.list.parse([]string{c.header}, c.enc, prefix)
			if !errors.Is(err, c.err) && (err != nil || c.err != nil) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if s.ts != c.ts || len(s.macs) != c.macs {
				t.Fatalf("got ts %q and %d macs, want %q and %d", s.ts, len(s.macs), c.ts, c.macs)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw  string
		unit unit
		want int64 // unix ms; -1 for an error
	}{
		{"1700000000", unitSeconds, 1700000000000},
		{"1700000000000", unitMillis, 1700000000000},
		{"1700000000", unitAuto, 1700000000000},
		{"1700000000123", unitAuto, 1700000000123},
		{"2023-11-14T22:13:20Z", unitRFC3339, 1700000000000},
		{"2023-11-14T22:13:20.5+00:00", unitRFC3339, 1700000000500},
		{"2023-11-14T22:13:20Z", unitLoose, 1700000000000},
		{"1700000000", unitLoose, 1700000000000},
		{"1700000000", unitRFC3339, -1},
		{"-5", unitSeconds, -1},
		{"1.5", unitSeconds, -1},
		{"", unitSeconds, -1},
		{"9223372036854775807", unitSeconds, -1},
		{"9223372036854775807", unitMillis, -1},
		{"1099511627777", unitSeconds, -1},
	}
	for _, c := range cases {
		got, err := parseTime(c.raw, c.unit)
		if c.want < 0 {
			if err == nil {
				t.Errorf("parseTime(%q, %d) = %v, want an error", c.raw, c.unit, got)
			}
			continue
		}
		if err != nil || got.UnixMilli() != c.want {
			t.Errorf("parseTime(%q, %d) = %v, %v, want %d ms", c.raw, c.unit, got.UnixMilli(), err, c.want)
		}
	}
}

func TestToleranceBothWays(t *testing.T) {
	t.Parallel()
	now := time.Unix(1700000000, 0)
	src := tsSource{unit: unitSeconds}
	for raw, want := range map[string]error{
		"1700000000": nil, "1699999700": nil, "1700000300": nil,
		"1699999699": ErrTimestampOutsideTolerance, "1700000301": ErrTimestampOutsideTolerance,
		"0": ErrTimestampOutsideTolerance, "1099511627776": ErrTimestampOutsideTolerance,
		"soon": ErrMalformedTimestamp,
	} {
		if err := src.check(raw, now, 300*time.Second); !errors.Is(err, want) && (err != nil || want != nil) {
			t.Errorf("check(%s) = %v, want %v", raw, err, want)
		}
	}
	if err := src.check("soon", now, 0); err != nil {
		t.Errorf("a zero tolerance still checked: %v", err)
	}
	if err := (tsSource{unit: unitLoose}).check("Tuesday", now, time.Second); err != nil {
		t.Errorf("an unreadable loose timestamp was rejected: %v", err)
	}
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"{body}", "{timestamp}.{body}", "v0:{timestamp}:{body}", "{method}{url}{body}{timestamp}", "a{id}b", ""} {
		tmpl, err := parseTemplate(s)
		if err != nil || tmpl.String() != s {
			t.Errorf("parseTemplate(%q) = %q, %v", s, tmpl.String(), err)
		}
	}
	for _, s := range []string{"{", "}", "{body", "body}", "{bod}", "{{body}}", "{Body}"} {
		if _, err := parseTemplate(s); !errors.Is(err, ErrInvalidTemplate) {
			t.Errorf("parseTemplate(%q) err = %v", s, err)
		}
	}
}

func TestLegacyQueryAndURLCandidates(t *testing.T) {
	t.Parallel()
	if got := legacyQuery("https://x.test/p?b=1&a=%27x%27&b=2&c=a+b"); got != "https://x.test/p?b=1&b=2&a='x'&c=a%20b" {
		t.Errorf("legacyQuery = %s", got)
	}
	if got := hubspotURLs("https://x.test/a%3Ab"); len(got) != 2 || got[1] != "https://x.test/a:b" {
		t.Errorf("hubspotURLs = %v", got)
	}
}
