package redact

import (
	"net/netip"
	"strconv"
	"strings"
)

// Pseudonym bookkeeping.

// numbering hands out numbered pseudonyms for keys. Numbers seen in the input
// as literal pseudonyms (user7) are reserved and skipped.
type numbering struct {
	byKey    map[string]int
	reserved map[int]bool
	n        int
}

func (ns *numbering) number(key string) int {
	if n, ok := ns.byKey[key]; ok {
		return n
	}
	if ns.byKey == nil {
		ns.byKey = make(map[string]int)
	}
	ns.n++
	for ns.reserved[ns.n] {
		ns.n++
	}
	ns.byKey[key] = ns.n
	return ns.n
}

func (ns *numbering) reserve(n int) {
	if ns.reserved == nil {
		ns.reserved = make(map[int]bool)
	}
	ns.reserved[n] = true
}

// addrPool hands out documentation addresses.
type addrPool struct {
	byAddr   map[netip.Addr]netip.Addr
	reserved map[netip.Addr]bool
	n        int
}

func (as *addrPool) pseudonym(a netip.Addr, gen func(int) netip.Addr) netip.Addr {
	if p, ok := as.byAddr[a]; ok {
		return p
	}
	if as.byAddr == nil {
		as.byAddr = make(map[netip.Addr]netip.Addr)
	}
	var p netip.Addr
	for tries := 0; ; tries++ {
		as.n++
		p = gen(as.n)
		if !as.reserved[p] || tries > 1<<20 {
			break
		}
	}
	as.byAddr[a] = p
	return p
}

func (as *addrPool) reserve(a netip.Addr) {
	if as.reserved == nil {
		as.reserved = make(map[netip.Addr]bool)
	}
	as.reserved[a] = true
}

// pseudoNum reports whether lower is prefix followed by a number without
// leading zero (user12), and returns the number.
func pseudoNum(lower, prefix string) (int, bool) {
	if len(lower) <= len(prefix) || len(lower) > len(prefix)+9 || !strings.HasPrefix(lower, prefix) {
		return 0, false
	}
	d := lower[len(prefix):]
	if d[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
		n = n*10 + int(d[i]-'0')
	}
	return n, true
}

func (r *Redactor) user(t string) string {
	if len(t) > 4 && strings.EqualFold(t[:4], "sip_") {
		return t[:4] + r.user(t[4:])
	}
	key := strings.ToLower(t)
	if n, ok := pseudoNum(key, "user"); ok {
		r.users.reserve(n)
		return t
	}
	if len(t) > 1 && t[len(t)-1] == '$' && strings.IndexByte(t, '.') < 0 { // machine account
		return r.hostLabel(t[:len(t)-1]) + "$"
	}
	return "user" + strconv.Itoa(r.users.number(key))
}

func (r *Redactor) person(t string) string {
	key := strings.ToLower(strings.Join(strings.Fields(t), " "))
	if key == "" {
		return t
	}
	if n, ok := pseudoNum(key, "name"); ok {
		r.people.reserve(n)
		return t
	}
	if isPhonePseudonym(key) {
		return t // "425-555-0143" <sip:...> became "15550100001" <sip:...>
	}
	return "name" + strconv.Itoa(r.people.number(key))
}

func (r *Redactor) sid(t string) string {
	key := strings.ToUpper(t)
	n := r.sids.number(key)
	if strings.HasPrefix(key, "S-1-12-") {
		return "S-1-12-1-REDACTED-" + strconv.Itoa(n)
	}
	return "S-1-5-21-REDACTED-" + strconv.Itoa(n)
}

// isRedactedSID reports whether t is a SID pseudonym, which other rules
// must leave alone.
func isRedactedSID(t string) bool {
	return strings.HasPrefix(t, "S-1-5-21-REDACTED-") || strings.HasPrefix(t, "S-1-12-1-REDACTED-")
}

// shape returns p in capitals when t has letters and none in lower case.
func shape(t, p string) string {
	hasLetter := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 'a' && c <= 'z' {
			return p
		}
		if c >= 'A' && c <= 'Z' {
			hasLetter = true
		}
	}
	if hasLetter {
		return strings.ToUpper(p)
	}
	return p
}

// otherPseudonym reports whether the lower-case t is a pseudonym of
// another kind than kind, so that redacted text is read as before.
func otherPseudonym(t, kind string) bool {
	for _, p := range [...]string{"user", "host", "name", "domain"} {
		if p == kind {
			continue
		}
		if _, ok := pseudoNum(t, p); ok {
			return true
		}
	}
	return false
}
