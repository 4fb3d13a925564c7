package egress

import (
	"net/netip"
)

// blockedRange is one range that outbound requests may not reach, with the
// word the error uses for it.
type blockedRange struct {
	prefix netip.Prefix
	reason string
}

func r(prefix, reason string) blockedRange {
	return blockedRange{prefix: netip.MustParsePrefix(prefix), reason: reason}
}

// metadataAddrs are the cloud instance-metadata endpoints (AWS, GCP, Azure,
// OpenStack at 169.254.169.254; AWS over IPv6; Alibaba). They hand out
// credentials to whoever asks, so they stay blocked even when private
// networks are allowed: no development setup needs a webhook to reach them.
var metadataAddrs = [...]netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("fd00:ec2::254"),
	netip.MustParseAddr("100.100.100.200"),
}

// blockedV4 lists IPv4 special-purpose ranges (RFC 6890 and the IANA
// registry) that are not globally reachable; the first match names the
// reason, so more specific ranges come first.
var blockedV4 = [...]blockedRange{
	r("0.0.0.0/32", "unspecified"),
	r("0.0.0.0/8", "reserved: this network"),
	r("10.0.0.0/8", "private"),
	r("100.64.0.0/10", "carrier-grade NAT"),
	r("127.0.0.0/8", "loopback"),
	r("169.254.0.0/16", "link-local"),
	r("172.16.0.0/12", "private"),
	r("192.0.0.0/24", "reserved: IETF protocol assignments"),
	r("192.0.2.0/24", "documentation"),
	r("192.88.99.0/24", "reserved: 6to4 relay"),
	r("192.168.0.0/16", "private"),
	r("198.18.0.0/15", "reserved: benchmarking"),
	r("198.51.100.0/24", "documentation"),
	r("203.0.113.0/24", "documentation"),
	r("224.0.0.0/4", "multicast"),
	r("255.255.255.255/32", "broadcast"),
	r("240.0.0.0/4", "reserved"),
}

// blockedV6 is the IPv6 counterpart. Ranges that embed an IPv4 address
// (IPv4-compatible, NAT64, 6to4) are first judged by that address in
// embeddedV4; ::/96 stays listed because those forms are deprecated.
var blockedV6 = [...]blockedRange{
	r("::/128", "unspecified"),
	r("::1/128", "loopback"),
	r("::/96", "reserved: IPv4-compatible"),
	r("64:ff9b:1::/48", "reserved: local-use NAT64"),
	r("100::/64", "reserved: discard-only"),
	r("2001::/32", "reserved: Teredo"),
	r("2001:2::/48", "reserved: benchmarking"),
	r("2001:db8::/32", "documentation"),
	r("3fff::/20", "documentation"),
	r("fc00::/7", "unique-local"),
	r("fe80::/10", "link-local"),
	r("fec0::/10", "site-local"),
	r("ff00::/8", "multicast"),
}

// Prefixes whose addresses carry an IPv4 address; a request to them ends up
// at that IPv4 address (through a translator or tunnel), so it is judged.
var (
	globalUnicast    = netip.MustParsePrefix("2000::/3")
	nat64Prefix      = netip.MustParsePrefix("64:ff9b::/96")
	sixToFourPrefix  = netip.MustParsePrefix("2002::/16")
	v4CompatPrefix   = netip.MustParsePrefix("::/96")
	v4TranslatedPref = netip.MustParsePrefix("::ffff:0:0:0/96")
)

// blockReason returns why ip may not be reached, or "" if it may.
func blockReason(ip netip.Addr, allowPrivate bool) string {
	if !ip.IsValid() {
		return "invalid address"
	}
	ip = ip.WithZone("").Unmap()
	for _, m := range metadataAddrs {
		if ip == m {
			return "cloud metadata"
		}
	}
	if v4, ok := embeddedV4(ip); ok {
		if reason := blockReason(v4, allowPrivate); reason != "" {
			return reason
		}
	}
	if allowPrivate {
		return ""
	}
	table := blockedV6[:]
	if ip.Is4() {
		table = blockedV4[:]
	}
	for _, b := range table {
		if b.prefix.Contains(ip) {
			return b.reason
		}
	}
	// IANA hands out IPv6 unicast only from 2000::/3; the rest is not
	// reachable on the internet. NAT64 is the exception: its IPv4 address
	// was judged above.
	if ip.Is6() && !globalUnicast.Contains(ip) && !nat64Prefix.Contains(ip) {
		return "reserved"
	}
	return ""
}

// embeddedV4 extracts the IPv4 address carried by a NAT64, 6to4,
// IPv4-compatible or IPv4-translated IPv6 address. :: and ::1 are left out:
// they are IPv6's own unspecified and loopback addresses.
func embeddedV4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case nat64Prefix.Contains(ip), v4TranslatedPref.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFourPrefix.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	case v4CompatPrefix.Contains(ip) && ip != netip.IPv6Unspecified() && ip != netip.IPv6Loopback():
		return netip.AddrFrom4([4]byte(b[12:16])), true
	}
	return netip.Addr{}, false
}
