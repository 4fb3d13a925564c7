package egress

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestClientRefusesLoopback(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	tests := []struct {
		name, url    string
		allowPrivate bool
		wantAddr     string // "" = reached
	}{
		{"loopback refused", srv.URL, false, "127.0.0.1"},
		{"loopback allowed", srv.URL, true, ""},
		// The name resolves to loopback; only the dial-time check sees that.
		{"localhost refused", "http://localhost:" + port, false, "loopback"},
		{"mapped loopback refused", "http://[::ffff:127.0.0.1]:" + port, false, "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := NewHTTPClient(tt.allowPrivate, 5*time.Second)
			resp, err := client.Post(tt.url, "application/json", strings.NewReader("{}"))
			if tt.wantAddr == "" {
				if err != nil {
					t.Fatalf("Post: %v", err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusNoContent {
					t.Fatalf("status %d", resp.StatusCode)
				}
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatal("Post reached a blocked address")
			}
			var be *BlockedError
			if !errors.Is(err, ErrBlockedAddress) || !errors.As(err, &be) {
				t.Fatalf("Post error %v is not a *BlockedError", err)
			}
			if !strings.Contains(err.Error(), "outbound: blocked address ") || !strings.Contains(err.Error(), tt.wantAddr) {
				t.Fatalf("error %q does not name %s", err, tt.wantAddr)
			}
		})
	}
}

func TestGuardedDialerMessage(t *testing.T) {
	t.Parallel()
	d := GuardedDialer(false, time.Second)
	if d.Timeout != time.Second || d.Control == nil {
		t.Fatalf("dialer = %+v", d)
	}
	tests := []struct{ address, want string }{
		{"127.0.0.1:80", "outbound: blocked address 127.0.0.1 (loopback)"},
		{"[fe80::1%eth0]:443", "outbound: blocked address fe80::1 (link-local)"},
		{"169.254.169.254:80", "outbound: blocked address 169.254.169.254 (cloud metadata)"},
		{"example.com:80", "outbound: blocked address example.com:80 (not an IP address)"},
	}
	for _, tt := range tests {
		if err := d.Control("tcp", tt.address, nil); err == nil || err.Error() != tt.want {
			t.Errorf("Control(%s) = %v, want %s", tt.address, err, tt.want)
		}
	}
	if err := d.Control("tcp4", "8.8.8.8:443", nil); err != nil {
		t.Errorf("Control(8.8.8.8) = %v", err)
	}
	allowed := GuardedDialer(true, time.Second)
	if err := allowed.Control("tcp", "10.0.0.1:80", nil); err != nil {
		t.Errorf("allowPrivate Control(10.0.0.1) = %v", err)
	}
	if err := allowed.Control("tcp", "169.254.169.254:80", nil); err == nil {
		t.Error("allowPrivate reached cloud metadata")
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var followed bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed = true
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	resp, err := NewHTTPClient(true, 5*time.Second).Post(srv.URL+"/hook", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/elsewhere" || followed {
		t.Fatalf("status %d, followed %v: want the 302 itself", resp.StatusCode, followed)
	}
}

func TestNewHTTPClientSettings(t *testing.T) {
	t.Parallel()
	c := NewHTTPClient(false, 15*time.Second)
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("Transport is %T", c.Transport)
	}
	if c.Timeout != 15*time.Second || tr.Proxy != nil || tr.MaxIdleConnsPerHost != 256 || tr.DialContext == nil {
		t.Fatalf("client = %+v, transport = %+v", c, tr)
	}
	if tr.TLSHandshakeTimeout != 10*time.Second {
		t.Fatalf("TLSHandshakeTimeout = %v", tr.TLSHandshakeTimeout)
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url          string
		allowPrivate bool
		blocked      string // BlockedError text
		invalid      string // ErrInvalidURL detail
	}{
		{url: "https://example.com/hook"},
		{url: "http://example.com:8080/hook?x=1"},
		{url: "HTTPS://Example.COM/hook"},
		{url: "https://8.8.8.8/hook"},
		{url: "https://[2606:4700::1]/hook"},
		{url: "https://my-host.internal/hook"}, // names are judged when dialled
		{url: "http://127.0.0.1:9000/hook", blocked: "outbound: blocked address 127.0.0.1 (loopback)"},
		{url: "http://127.0.0.1:9000/hook", allowPrivate: true},
		{url: "http://[::1]/hook", blocked: "outbound: blocked address ::1 (loopback)"},
		{url: "http://[::ffff:10.0.0.1]/", blocked: "outbound: blocked address ::ffff:10.0.0.1 (private)"},
		{url: "http://[fe80::1%25eth0]/", blocked: "outbound: blocked address fe80::1 (link-local)"},
		{url: "http://169.254.169.254/latest/meta-data", allowPrivate: true, blocked: "outbound: blocked address 169.254.169.254 (cloud metadata)"},
		{url: "http://192.168.1.10/", blocked: "outbound: blocked address 192.168.1.10 (private)"},
		{url: "http://0.0.0.0/", blocked: "outbound: blocked address 0.0.0.0 (unspecified)"},
		{url: "http://localhost:8080/", blocked: "outbound: blocked address localhost (loopback)"},
		{url: "http://LOCALHOST./", blocked: "outbound: blocked address LOCALHOST. (loopback)"},
		{url: "http://api.localhost/", blocked: "outbound: blocked address api.localhost (loopback)"},
		{url: "http://localhost:8080/", allowPrivate: true},
		{url: "http://127.1/", invalid: `host "127.1" is neither a name nor a standard IP address`},
		{url: "http://2130706433/", invalid: "neither a name nor a standard IP address"},
		{url: "http://0x7f000001/", invalid: "neither a name nor a standard IP address"},
		{url: "ftp://example.com/", invalid: "must be an absolute http or https URL"},
		{url: "example.com/hook", invalid: "must be an absolute http or https URL"},
		{url: "/hook", invalid: "must be an absolute http or https URL"},
		{url: "", invalid: "must be an absolute http or https URL"},
		{url: "http://", invalid: "must have a host"},
		{url: "http:example.com", invalid: "must have a host"},
		{url: "https://:443/", invalid: "must have a host"},
		{url: "https://user:s3cret@example.com/", invalid: "must not carry user info"},
		{url: "http://exa mple.com/", invalid: "must be an absolute http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			err := CheckURL(tt.url, tt.allowPrivate)
			switch {
			case tt.blocked != "":
				if !errors.Is(err, ErrBlockedAddress) || err.Error() != tt.blocked {
					t.Fatalf("CheckURL = %v, want %s", err, tt.blocked)
				}
			case tt.invalid != "":
				if !errors.Is(err, ErrInvalidURL) || !strings.Contains(err.Error(), tt.invalid) {
					t.Fatalf("CheckURL = %v, want %s", err, tt.invalid)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Fatalf("CheckURL error %q leaks the password", err)
				}
			default:
				if err != nil {
					t.Fatalf("CheckURL = %v, want nil", err)
				}
			}
		})
	}
}

func TestCheckURLNeverEchoesQuery(t *testing.T) {
	t.Parallel()
	raw := "ftp://example.com/?token=" + url.QueryEscape("s3cret")
	if err := CheckURL(raw, false); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("CheckURL = %v", err)
	}
}
