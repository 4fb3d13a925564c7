package egress

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlockedAddress is matched (errors.Is) by every *BlockedError. Its
// text, and BlockedError's, keep the "outbound:" they had before this
// package existed: delivery history rows and API errors show it, and the
// dispatcher's classification table checks it.
var ErrBlockedAddress = errors.New("outbound: blocked address")

// ErrInvalidURL is wrapped by CheckURL's errors for URLs that are not
// absolute http(s) URLs with a usable host.
var ErrInvalidURL = errors.New("egress: invalid URL")

// BlockedError names an address outbound requests may not reach and why.
type BlockedError struct {
	Addr   string // the IP address, or the host name for "localhost"
	Reason string // "loopback", "private", "cloud metadata", ...
}

func (e *BlockedError) Error() string {
	return "outbound: blocked address " + e.Addr + " (" + e.Reason + ")"
}

// Is makes errors.Is(err, ErrBlockedAddress) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlockedAddress }

// GuardedDialer returns a dialer that refuses blocked addresses. The check
// runs in Control, on the address actually being connected to after name
// resolution, so neither DNS rebinding nor a name that resolves to a
// private address gets past it. Cloud metadata addresses are refused even
// when allowPrivate is true.
func GuardedDialer(allowPrivate bool, timeout time.Duration) *net.Dialer {
	return &net.Dialer{
		Timeout:   timeout,
		KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &BlockedError{Addr: address, Reason: "not an IP address"}
			}
			if reason := blockReason(ap.Addr(), allowPrivate); reason != "" {
				return &BlockedError{Addr: ap.Addr().WithZone("").String(), Reason: reason}
			}
			return nil
		},
	}
}

// NewHTTPClient returns the client for delivery attempts: guarded dialer,
// no proxy from the environment (a proxy would connect on our behalf and
// bypass the guard), redirects returned rather than followed (a 3xx is a
// failed attempt), and timeout bounding each attempt from connect to last
// byte.
func NewHTTPClient(allowPrivate bool, timeout time.Duration) *http.Client {
	transport := &http.Transport{
		Proxy:             nil,
		DialContext:       GuardedDialer(allowPrivate, timeout).DialContext,
		ForceAttemptHTTP2: true,
		// As many kept-alive connections to one receiver as the dispatcher
		// has workers (256 by default), or a busy receiver's connections
		// are closed and dialled again between attempts.
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(10*time.Second, timeout),
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
