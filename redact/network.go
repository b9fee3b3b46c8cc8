package redact

import (
	"net/netip"
	"strings"
)

// v4Pseudonym returns the n-th (1-based) IPv4 pseudonym: 192.0.2.1-254,
// 198.51.100.1-254, 203.0.113.1-254, then 198.18.0.0/15 (the benchmarking
// range), wrapping around after that.
func v4Pseudonym(n int) netip.Addr {
	n--
	switch {
	case n < 254:
		return netip.AddrFrom4([4]byte{192, 0, 2, byte(n + 1)})
	case n < 508:
		return netip.AddrFrom4([4]byte{198, 51, 100, byte(n - 254 + 1)})
	case n < 762:
		return netip.AddrFrom4([4]byte{203, 0, 113, byte(n - 508 + 1)})
	}
	k := (n - 762) % (512 * 254)
	third := k / 254
	return netip.AddrFrom4([4]byte{198, byte(18 + third/256), byte(third % 256), byte(k%254 + 1)})
}

// v6Pseudonym returns 2001:db8::n.
func v6Pseudonym(n int) netip.Addr {
	b := [16]byte{0x20, 0x01, 0x0d, 0xb8}
	u := uint64(n)
	for i := 15; i >= 8; i-- {
		b[i] = byte(u)
		u >>= 8
	}
	return netip.AddrFrom16(b)
}

func (r *Redactor) ip(t string) string {
	a, err := netip.ParseAddr(unpad(t))
	if err != nil || a.Zone() != "" {
		return t
	}
	if a.Is4In6() {
		v4 := a.Unmap()
		if out := r.ip4Addr(v4); out != v4 {
			return "::ffff:" + out.String()
		}
		return t
	}
	if a.Is4() {
		if out := r.ip4Addr(a); out != a {
			return out.String()
		}
		return t
	}
	if keepV6(a) {
		return t
	}
	if docV6(a) {
		r.ip6.reserve(a)
		return t
	}
	return r.ip6.pseudonym(a, v6Pseudonym).String()
}

func (r *Redactor) ip4Addr(a netip.Addr) netip.Addr {
	if keepV4(a) {
		return a
	}
	if docV4(a) {
		r.ip4.reserve(a)
		return a
	}
	return r.ip4.pseudonym(a, v4Pseudonym)
}

func keepV4(a netip.Addr) bool {
	b := a.As4()
	if a.IsUnspecified() || a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() || b[0] == 0 {
		return true
	}
	if b[0] == 255 { // broadcast and netmasks
		m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		inv := ^m
		return inv&(inv+1) == 0
	}
	return false
}

func docV4(a netip.Addr) bool {
	b := a.As4()
	switch {
	case b[0] == 192 && b[1] == 0 && b[2] == 2,
		b[0] == 198 && b[1] == 51 && b[2] == 100,
		b[0] == 203 && b[1] == 0 && b[2] == 113,
		b[0] == 198 && (b[1] == 18 || b[1] == 19):
		return true
	}
	return false
}

func keepV6(a netip.Addr) bool {
	return a.IsUnspecified() || a.IsLoopback() || a.IsMulticast()
}

func docV6(a netip.Addr) bool {
	b := a.As16()
	return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8
}

// ipv4 adds s[a:b] when it is an IPv4 address in its context: not part of
// a version number like UCCAPI/15.0.4569.1503 or version="16.0.0.0".
func (f *finder) ipv4(a, b int) bool {
	s := f.s
	if !isIPv4(s[a:b]) {
		if !isPaddedIPv4(s[a:b]) {
			return false
		}
		if a > 1 && s[a-1] == ':' && (isHex(s[a-2]) || s[a-2] == ':') {
			return false // the tail of an IPv6 address, which netip refuses padded
		}
	}
	if a > 0 && !(a > 2 && s[a-3] == '%' && isHex(s[a-2]) && isHex(s[a-1])) {
		p := s[a-1]
		switch {
		case isLetter(p), p == '.', p == '_':
			return false
		case p == '/':
			if a < 2 || s[a-2] != '/' { // OC/4.0.7577.4051, but not http://10.0.0.1/
				return false
			}
		}
	}
	if afterVersionWord(s, a) {
		return false
	}
	f.add(a, b, kindIP, 0)
	return true
}

// isIPv4 reports whether t is exactly four decimal octets, each at most
// 255 and without leading zeros.
func isIPv4(t string) bool {
	parts := 0
	for i := 0; i < len(t); {
		j := i
		v := 0
		for j < len(t) && t[j] >= '0' && t[j] <= '9' && j-i < 4 {
			v = v*10 + int(t[j]-'0')
			j++
		}
		if j == i || j-i > 3 || v > 255 || (j-i > 1 && t[i] == '0') {
			return false
		}
		parts++
		if j == len(t) {
			return parts == 4
		}
		if t[j] != '.' || parts == 4 {
			return false
		}
		i = j + 1
		if i == len(t) {
			return false
		}
	}
	return false
}

// isPaddedIPv4 reports whether t is an IPv4 address written with every
// octet in three digits, zero-padded (010.020.030.041), as some devices
// and tools print them. Only the fully padded form counts: a mixed
// 1.02.003.4 is more likely a version.
func isPaddedIPv4(t string) bool {
	if len(t) != 15 {
		return false
	}
	for g := 0; g < 4; g++ {
		o := t[g*4 : g*4+3]
		if !isDigit(o[0]) || !isDigit(o[1]) || !isDigit(o[2]) || o > "255" {
			return false
		}
		if g < 3 && t[g*4+3] != '.' {
			return false
		}
	}
	return true
}

// unpad returns a zero-padded IPv4 address without its padding
// (010.020.030.041 -> 10.20.30.41, read as decimal, not octal), so that
// it gets the pseudonym of its usual spelling; anything else as it is.
func unpad(t string) string {
	if !isPaddedIPv4(t) {
		return t
	}
	var b strings.Builder
	for g := 0; g < 4; g++ {
		o := strings.TrimLeft(t[g*4:g*4+3], "0")
		if o == "" {
			o = "0"
		}
		if g > 0 {
			b.WriteByte('.')
		}
		b.WriteString(o)
	}
	return b.String()
}

// afterVersionWord reports whether the number at a follows a word such
// as "version" (version="16.0.0.0", "Definition 1.245.100.0").
func afterVersionWord(s string, a int) bool {
	k := a
	for n := 0; k > 0 && n < 4; n++ {
		c := s[k-1]
		if c != ' ' && c != '\t' && c != '"' && c != '\'' && c != '=' && c != ':' && c != '\\' {
			break
		}
		k--
	}
	e := k
	for k > 0 && e-k < 24 && isLetter(s[k-1]) {
		k--
	}
	if k == e {
		return false
	}
	w := strings.ToLower(s[k:e])
	switch w {
	case "v", "ver", "build", "definition", "revision", "rev", "release", "fileversion", "productversion":
		return true
	}
	return strings.HasSuffix(w, "version")
}

// ipv6 adds an IPv6 address starting at i and returns the index after it.
func (f *finder) ipv6(i int) (int, bool) {
	s := f.s
	j, colons, digit := i, 0, false
	for j < len(s) && j-i <= 46 && (isHex(s[j]) || s[j] == ':' || s[j] == '.') {
		switch {
		case s[j] == ':':
			colons++
		case s[j] >= '0' && s[j] <= '9':
			digit = true
		}
		j++
	}
	if colons < 2 || !digit || j-i > 45 {
		return i, false
	}
	// Eight groups or "::": 09:44:13.311 and 1B58:1C24 are not addresses,
	// and skipping them here saves netip its error.
	if colons < 7 && !strings.Contains(s[i:j], "::") {
		return i, false
	}
	if j < len(s) && (isAlnum(s[j]) || s[j] == '_') {
		return i, false
	}
	e := j
	for e > i && s[e-1] == '.' {
		e--
	}
	if e-i > 2 && s[e-1] == ':' && s[e-2] != ':' {
		e--
	}
	a, err := netip.ParseAddr(s[i:e])
	if err != nil || !a.Is6() {
		return i, false
	}
	f.add(i, e, kindIP, 0)
	return e, true
}
