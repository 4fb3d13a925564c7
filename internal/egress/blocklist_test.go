package egress

import (
	"net/netip"
	"testing"
)

func TestBlockReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr    string
		reason  string // with allowPrivate false; "" = allowed
		private bool   // still blocked when allowPrivate is true
	}{
		// Public addresses pass.
		{"8.8.8.8", "", false},
		{"1.1.1.1", "", false},
		{"93.184.216.34", "", false},
		{"2606:4700::1", "", false},
		{"2001:4860:4860::8888", "", false},
		{"::ffff:8.8.8.8", "", false},
		{"64:ff9b::808:808", "", false}, // NAT64 of 8.8.8.8
		{"2002:808:808::1", "", false},  // 6to4 of 8.8.8.8
		{"100.63.255.255", "", false},   // just below CGNAT
		{"100.128.0.0", "", false},      // just above CGNAT
		{"172.15.255.255", "", false},   // just below 172.16/12
		{"172.32.0.0", "", false},       // just above
		{"198.17.255.255", "", false},   // just below benchmarking
		{"198.20.0.0", "", false},       // just above
		{"223.255.255.255", "", false},  // just below multicast
		{"169.253.255.255", "", false},  // just below link-local
		{"192.0.1.1", "", false},        // between 192.0.0/24 and 192.0.2/24
		{"2001:4860::1", "", false},

		// IPv4 special ranges.
		{"127.0.0.1", "loopback", false},
		{"127.255.255.254", "loopback", false},
		{"10.0.0.1", "private", false},
		{"10.255.255.255", "private", false},
		{"172.16.0.1", "private", false},
		{"172.31.255.255", "private", false},
		{"192.168.1.1", "private", false},
		{"169.254.0.1", "link-local", false},
		{"169.254.169.254", "cloud metadata", true},
		{"100.64.0.1", "carrier-grade NAT", false},
		{"100.127.255.255", "carrier-grade NAT", false},
		{"100.100.100.200", "cloud metadata", true},
		{"0.0.0.0", "unspecified", false},
		{"0.1.2.3", "reserved: this network", false},
		{"192.0.0.1", "reserved: IETF protocol assignments", false},
		{"192.0.2.1", "documentation", false},
		{"198.51.100.1", "documentation", false},
		{"203.0.113.1", "documentation", false},
		{"192.88.99.1", "reserved: 6to4 relay", false},
		{"198.18.0.1", "reserved: benchmarking", false},
		{"198.19.255.255", "reserved: benchmarking", false},
		{"224.0.0.1", "multicast", false},
		{"239.255.255.250", "multicast", false},
		{"240.0.0.1", "reserved", false},
		{"255.255.255.255", "broadcast", false},

		// IPv6 special ranges.
		{"::", "unspecified", false},
		{"::1", "loopback", false},
		{"fe80::1", "link-local", false},
		{"fe80::1%eth0", "link-local", false},
		{"febf::1", "link-local", false},
		{"fec0::1", "site-local", false},
		{"fc00::1", "unique-local", false},
		{"fd12:3456::1", "unique-local", false},
		{"fd00:ec2::254", "cloud metadata", true},
		{"ff02::1", "multicast", false},
		{"ff05::fb", "multicast", false},
		{"100::1", "reserved: discard-only", false},
		{"2001:db8::1", "documentation", false},
		{"3fff::1", "documentation", false},
		{"2001::1", "reserved: Teredo", false},
		{"2001:2::1", "reserved: benchmarking", false},
		{"64:ff9b:1::1", "reserved: local-use NAT64", false},
		{"fe7f::1", "reserved", false},      // unassigned, outside 2000::/3
		{"4000::1", "reserved", false},      // just above 2000::/3
		{"1fff:ffff::1", "reserved", false}, // just below
		{"fbff:ffff::1", "reserved", false}, // below fc00::/7, still outside 2000::/3
		{"2000::1", "", false},
		{"3ffe::1", "", false},

		// IPv4 in IPv6 clothing is judged by the IPv4 address.
		{"::ffff:127.0.0.1", "loopback", false},
		{"::ffff:10.1.2.3", "private", false},
		{"::ffff:169.254.169.254", "cloud metadata", true},
		{"::ffff:0.0.0.0", "unspecified", false},
		{"::127.0.0.1", "loopback", false},  // IPv4-compatible
		{"::192.168.0.1", "private", false}, // IPv4-compatible
		{"::8.8.8.8", "reserved: IPv4-compatible", false},
		{"::ffff:0:127.0.0.1", "loopback", false}, // IPv4-translated
		{"64:ff9b::127.0.0.1", "loopback", false}, // NAT64
		{"64:ff9b::10.0.0.1", "private", false},
		{"64:ff9b::a9fe:a9fe", "cloud metadata", true},
		{"64:ff9b::100.100.100.200", "cloud metadata", true},
		{"2002:7f00:1::", "loopback", false}, // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", "private", false},
		{"2002:a9fe:a9fe::1", "cloud metadata", true},
		{"2002:e000:1::", "multicast", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			t.Parallel()
			ip := netip.MustParseAddr(tt.addr)
			if got := blockReason(ip, false); got != tt.reason {
				t.Fatalf("blockReason(%s) = %q, want %q", tt.addr, got, tt.reason)
			}
			wantAllowed := ""
			if tt.private {
				wantAllowed = tt.reason
			}
			if got := blockReason(ip, true); got != wantAllowed {
				t.Fatalf("blockReason(%s, allowPrivate) = %q, want %q", tt.addr, got, wantAllowed)
			}
		})
	}
	if got := blockReason(netip.Addr{}, true); got != "invalid address" {
		t.Fatalf("blockReason(zero) = %q", got)
	}
}
