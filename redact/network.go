package redact

import (
	"fmt"
	"net/netip"
	"strconv"
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

// macShape is the shape of a MAC address as Windows and Linux write it:
// six pairs of hex digits, separated by '-' (ipconfig's Physical Address)
// or ':'.
const macShape = "hh-hh-hh-hh-hh-hh"

// isMAC reports whether s[i:] starts with a MAC address: six pairs of hex
// digits with the same separator, '-' or ':' (hexPairs).
func isMAC(s string, i int) bool {
	if i+2 >= len(s) || s[i+2] != '-' && s[i+2] != ':' {
		return false
	}
	return hexPairs(s, i, 6, s[i+2])
}

// duidMAC returns where the Ethernet address ends a DHCPv6 DUID written
// at s[i:] as ipconfig writes it, dash-separated pairs (hexPairs): a
// DUID-LLT (00-01, hardware type 00-01, a 4-byte time, the address: 14
// pairs) or a DUID-LL (00-03, 00-01, the address: 10 pairs). It returns
// 0, 0 when s[i:] is not one.
func duidMAC(s string, i int) (start, end int) {
	var pairs int
	switch {
	case strings.HasPrefix(s[i:], "00-01-00-01-"):
		pairs = 14
	case strings.HasPrefix(s[i:], "00-03-00-01-"):
		pairs = 10
	default:
		return 0, 0
	}
	if !hexPairs(s, i, pairs, '-') {
		return 0, 0
	}
	end = i + 3*pairs - 1
	return end - len(macShape), end
}

// hexPairs reports whether s[i:] is n pairs of hex digits separated by
// sep and then not followed by another hex digit, separator or host-name
// character: a longer run is something else (a GUID's groups are longer,
// an IPv6 address has more of them).
func hexPairs(s string, i, n int, sep byte) bool {
	end := i + 3*n - 1
	if end > len(s) || end < len(s) && (isRun(s[end]) || s[end] == ':') {
		return false
	}
	for k := i; k < end; k++ {
		if (k-i)%3 == 2 {
			if s[k] != sep {
				return false
			}
		} else if !isHex(s[k]) {
			return false
		}
	}
	return true
}

// mac returns the pseudonym of the MAC address t: 00-00-5E-00-53-NN for
// the first 255, then 00-00-5E-10-HH-LL, with t's separator and letter
// case. The all-zero and broadcast addresses, and the documentation
// addresses themselves (whose numbers are reserved), stay.
func (r *Redactor) mac(t string) string {
	sep := t[2]
	key := strings.ToUpper(strings.ReplaceAll(t, string(sep), ""))
	switch {
	case key == "000000000000" || key == "FFFFFFFFFFFF":
		return t
	case strings.HasPrefix(key, "00005E0053"):
		if n, err := strconv.ParseUint(key[10:], 16, 8); err == nil && n > 0 {
			r.macs.reserve(int(n))
		}
		return t
	case strings.HasPrefix(key, "00005E10"):
		if n, err := strconv.ParseUint(key[8:], 16, 16); err == nil && n > 255 {
			r.macs.reserve(int(n))
		}
		return t
	}
	n := r.macs.number(key)
	p := fmt.Sprintf("00%[2]c00%[2]c5E%[2]c00%[2]c53%[2]c%02[1]X", n, sep)
	if n > 255 {
		p = fmt.Sprintf("00%[3]c00%[3]c5E%[3]c10%[3]c%02[1]X%[3]c%02[2]X", (n>>8)&0xff, n&0xff, sep)
	}
	if strings.ToLower(t) == t {
		p = strings.ToLower(p)
	}
	return p
}
