package egress

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// CheckURL vets a webhook URL when it is created or changed: an absolute
// http or https URL with a host and no credentials in it, whose host is not
// literally a blocked address. Names are only resolved when a request is
// made, where the dialer checks them again. Errors are *BlockedError or wrap
// ErrInvalidURL; neither repeats the URL, which may carry a token.
func CheckURL(raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: must be an absolute http or https URL", ErrInvalidURL)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: must be an absolute http or https URL", ErrInvalidURL)
	case u.Opaque != "" || u.Hostname() == "":
		return fmt.Errorf("%w: must have a host, as in https://example.com/hook", ErrInvalidURL)
	case u.User != nil:
		return fmt.Errorf("%w: must not carry user info; use the BASIC auth mode", ErrInvalidURL)
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if reason := blockReason(ip, allowPrivate); reason != "" {
			return &BlockedError{Addr: ip.WithZone("").String(), Reason: reason}
		}
		return nil
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if !allowPrivate && (name == "localhost" || strings.HasSuffix(name, ".localhost")) {
		return &BlockedError{Addr: host, Reason: "loopback"}
	}
	if numericLooking(name) {
		return fmt.Errorf("%w: host %q is neither a name nor a standard IP address", ErrInvalidURL, truncate(host, 64))
	}
	return nil
}

// numericLooking catches hosts such as "127.1", "2130706433" or
// "0x7f.0.0.1" that some resolvers read as IPv4 addresses. No top-level
// domain is numeric, so no real name is refused.
func numericLooking(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	return last != "" && strings.Trim(last, "0123456789") == "" || strings.HasPrefix(last, "0x")
}

// truncate bounds how much of a user's host an error repeats.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
