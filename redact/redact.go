// Package redact replaces personal data in report text (sign-in addresses,
// user, host and domain names, IP addresses, SIDs, display names, phone
// numbers) with stable, clearly fake pseudonyms. Secrets are the business
// of package mask.
package redact

import (
	"slices"
	"strings"
	"sync"
)

// Redactor replaces personal data with stable pseudonyms: the same value
// gets the same pseudonym everywhere in one report, so evidence stays
// comparable. It is safe for concurrent use: Learn and Redact hold a
// mutex. Use it in two phases: Learn from every event of the bundle
// first (in any order: what it learns is a set), then Redact the report's
// text, paths included, in a deterministic order; pseudonyms are numbered
// in the order Redact first meets the values, so the same input gives the
// same bytes.
//
// The pseudonyms keep the shape of what they replace and are clearly fake:
//
//   - user names (the user part of sign-in addresses and SIP URIs, DOMAIN\user,
//     C:\Users\name, "User=" and "Account Name:" values): user1, user2, ...
//     ("sip_bob" of a cached sign-in folder becomes "sip_user1");
//   - organisation domains: domain1.example, domain2.example, ...; NetBIOS
//     domain names share that numbering: DOMAIN3. Well-known Microsoft
//     service domains (lync.com, microsoftonline.com, microsoft.com,
//     outlook.com, office365.com, office.com, windows.net ... and their
//     subdomains), public certification authorities and standards bodies
//     stay as they are;
//   - host names: a leading well-known service label (sip, lyncdiscover,
//     lyncdiscoverinternal, sts, adfs, _sip._tls, ...) stays, the other host
//     labels become host1, host2, ...: sts.contoso.com -> sts.domain1.example,
//     WKS-0042.contoso.local -> host1.domain2.example; single-label computer
//     names in known places (Computer=, \\SERVER\share, DOMAIN\PC$) too;
//   - IPv4 addresses: 192.0.2.1 ... 192.0.2.254, then 198.51.100.x, then
//     203.0.113.x (the documentation ranges; after 762 addresses the
//     benchmarking range 198.18.0.0/15), ports kept, zero-padded
//     010.020.030.041 like 10.20.30.41; IPv6 addresses:
//     2001:db8::1, 2001:db8::2, ... (an IPv4-mapped ::ffff:a.b.c.d maps like
//     a.b.c.d);
//   - account SIDs (S-1-5-21-... and Azure AD S-1-12-1-...):
//     S-1-5-21-REDACTED-1, ...;
//   - display names (SIP "Bob Smith" <sip:...>, displayName, the name of a
//     <contact>, FederationBrandName, CN= of a directory DN): name1, name2,
//     ...; DC= components like domains (DC=domain1,DC=example);
//   - telephone numbers (tel:+14255550199, sip:+14255550199@...;user=phone,
//     +1 (425) 555-0199): +15550100001, +15550100002, ... whatever the
//     separators (the NANP area code 555 is not assigned); without '+'
//     ((425) 555-0199, 425-555-0199, 425.555.0199, and a bare 4255550199
//     after a phone word or in a file name): 15550100001, ...;
//   - MAC addresses (ipconfig's Physical Address 00-1A-2B-3C-4D-5E, or
//     with colons): 00-00-5E-00-53-01, 00-00-5E-00-53-02, ... (the
//     documentation range of RFC 9542), separators and letter case kept;
//     the all-zero and broadcast addresses stay; the MAC address at the
//     end of a DHCPv6 DUID (00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97)
//     like the address itself;
//   - paths: the profile folder of C:\Users\NAME\, /Users/NAME/, a
//     relative Users/NAME/, C:\Documents and Settings\NAME\ (Windows XP)
//     and /home/NAME/, and addresses in folder names
//     (bundle-alice@fabrikam.com/..., the client's sip_bob@contoso.com
//     folder) as above;
//   - the computer and account names that Learn found in the events
//     (evt.computer, ipconfig's host name, logon accounts, profile
//     folders, a directory user's sAMAccountName and the user part of its
//     addresses, the user part of SIP From and To, DOMAIN\user in a log
//     line), wherever they appear as a whole word: WKS0042 -> HOST1,
//     "logon as jackr" -> "logon as user1"; DOMAIN/user with a slash when
//     Learn met DOMAIN as a NetBIOS domain; and the display names it found
//     (SIP From and To, the CN of a directory user), of two words or more,
//     wherever they appear as words: "Grace Hopkins is offline" -> "name1
//     is offline". Names are never guessed from capitals;
//   - the user of URL userinfo (sip:marko:pw@..., http://bob:pw@proxy)
//     and the text of user and computer name elements
//     (<wsse:Username>ivanp</wsse:Username>, <ComputerName>).
//
// A value in all capitals gets its pseudonym in capitals (CONTOSO.LOCAL ->
// DOMAIN2.EXAMPLE). Values that already look like pseudonyms (user7,
// host2, domain1.example, anything under .example or .invalid,
// documentation addresses) are left alone, which makes Redact idempotent,
// and their numbers are not handed out to other values afterwards.
// Loopback, unspecified, multicast, link-local IPv4 and netmask addresses,
// well-known SIDs (S-1-5-18 ...), version numbers, epid, tag and Call-ID
// values are not personal and stay.
//
// The zero value is ready to use.
type Redactor struct {
	mu      sync.Mutex
	users   numbering
	hosts   numbering
	domains numbering // DNS organisation domains ("dns:" keys) and NetBIOS names ("nb:")
	people  numbering
	sids    numbering
	phones  numbering
	macs    numbering
	ip4     addrPool
	ip6     addrPool
	// known holds the single-label names learned from events (lower
	// case): computer names and account names, replaced wherever they
	// appear as a whole word.
	known map[string]kind
	// nbNames holds the NetBIOS domain names learned from events (lower
	// case), which make DOMAIN/user with a slash an account.
	nbNames map[string]bool
	// phrases holds the display names learned from events (lower case,
	// words joined by one space), replaced wherever they appear as words.
	phrases map[string]bool
	// knownWide says that a name of known has non-ASCII letters.
	knownWide bool
	// done remembers replacements: a value, once seen, always gets the
	// same text back.
	done map[doneKey]string
}

type doneKey struct {
	kind kind
	text string
}

// maxDone bounds the memory of done.
const maxDone = 1 << 16

// New returns a Redactor with no pseudonyms handed out yet.
func New() *Redactor { return &Redactor{} }

// Redact returns s with personal data replaced. It does not mask secrets
// (callers run Secrets too, preferably first). Line breaks are kept, so
// line numbers stay valid; s itself is returned when nothing is replaced.
// A nil Redactor redacts with a fresh mapping on each call.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		r = New()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.known) == 0 && len(r.phrases) == 0 && strings.IndexAny(s, ".@\\:=<%-/+(0123456789") < 0 {
		return s // every rule but the learned names needs one of these characters
	}
	spans := findSpans(s, r)
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.prio != b.prio {
			return int(a.prio) - int(b.prio)
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return int(a.kind) - int(b.kind)
	})

	var b strings.Builder
	covered, written, changed := 0, 0, false
	for _, sp := range spans {
		if sp.start < covered || sp.end <= sp.start || sp.end > len(s) {
			continue // overlaps a span already handled
		}
		covered = sp.end
		old := s[sp.start:sp.end]
		repl, ok := r.done[doneKey{sp.kind, old}]
		if !ok {
			repl = r.replace(old, sp.kind)
			if r.done == nil {
				r.done = make(map[doneKey]string)
			}
			if len(r.done) < maxDone {
				key := strings.Clone(old) // do not keep s alive
				if repl == old {
					repl = key
				}
				r.done[doneKey{sp.kind, key}] = repl
			}
		}
		if repl == old {
			continue
		}
		if !changed {
			b.Grow(len(s) + 64)
			changed = true
		}
		b.WriteString(s[written:sp.start])
		b.WriteString(repl)
		written = sp.end
	}
	if !changed {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// Replacements.

func (r *Redactor) replace(t string, k kind) string {
	if k != kindSID && isRedactedSID(t) {
		return t
	}
	switch k {
	case kindUser:
		return r.user(t)
	case kindHost:
		return r.host(t)
	case kindNetBIOS:
		return r.netbios(t)
	case kindIP:
		return r.ip(t)
	case kindSID:
		return r.sid(t)
	case kindPerson:
		return r.person(t)
	case kindDC:
		return r.dc(t)
	case kindPhone:
		return r.phone(t)
	case kindMAC:
		return r.mac(t)
	}
	return t
}

// Finding personal data.

type kind uint8

const (
	kindUser    kind = iota // a user name
	kindHost                // a host name, FQDN or single label
	kindNetBIOS             // a NetBIOS domain name
	kindIP                  // an IPv4 or IPv6 address
	kindSID                 // an account SID
	kindPerson              // a display name
	kindDC                  // DC=...,DC=... components
	kindPhone               // a telephone number
	kindMAC                 // a MAC address
)

// span is a piece of s to replace. When spans overlap, the one that
// starts first wins; at the same start the lower prio (0: SIDs and
// addresses, 1: values found by their context, 2: free-standing host
// names), then the longer.
type span struct {
	start, end int
	kind       kind
	prio       uint8
}

type finder struct {
	s       string
	known   map[string]kind // learned names; read only
	nbNames map[string]bool // learned NetBIOS domains; read only
	phrases map[string]bool // learned display names; read only
	spans   []span
}

// maxReach bounds every look-around, so the scan stays linear.
const maxReach = 512

// findSpans returns the pieces of s to replace, knowing what r learned.
func findSpans(s string, r *Redactor) []span {
	f := finder{s: s, known: r.known, nbNames: r.nbNames, phrases: r.phrases}
	if len(f.phrases) > 0 {
		f.findPhrases()
	}
	if r.knownWide {
		f.findWideNames()
	}
	for i := 0; i < len(s); {
		next := f.step(i)
		if next <= i {
			next = i + 1
		}
		i = next
	}
	return f.spans
}

func (f *finder) add(start, end int, k kind, prio uint8) {
	if start < 0 || end > len(f.s) || start >= end {
		return
	}
	f.spans = append(f.spans, span{start, end, k, prio})
}

func (f *finder) step(i int) int {
	s := f.s
	c := s[i]
	switch c {
	case '@':
		f.address(i, 1)
		return i + 1
	case '%':
		// %40 and %5C, also doubled by printf-style logging: %%5C.
		w := 3
		if i+1 < len(s) && s[i+1] == '%' {
			w = 4
		}
		if i+w-1 < len(s) {
			switch esc := s[i+w-2 : i+w]; esc {
			case "40":
				f.address(i, w)
				return i + w
			case "5C", "5c":
				f.backslash(i, w)
				return i + w
			}
		}
		return i + 1
	case '\\':
		w := 1
		if i+1 < len(s) && s[i+1] == '\\' {
			w = 2
			if i == 0 || strings.IndexByte(" \t\r\n\"'(=|,;<>", s[i-1]) >= 0 {
				f.unc(i + 2)
			}
		}
		f.backslash(i, w)
		return i + w
	case '<':
		f.sipDisplay(i)
		return i + 1
	case '(':
		return f.parenPhone(i)
	case '+':
		if i+1 < len(s) && (isDigit(s[i+1]) || s[i+1] == '(') && (i == 0 || !isAlnum(s[i-1])) {
			return f.phone(i, i+1)
		}
		return i + 1
	}
	if isHex(c) && (i == 0 || !isRun(s[i-1]) && s[i-1] != ':') {
		if isMAC(s, i) {
			f.add(i, i+len(macShape), kindMAC, 0)
			return i + len(macShape)
		}
		if m, end := duidMAC(s, i); m > 0 {
			f.add(m, end, kindMAC, 0)
			return end
		}
	}
	if (isHex(c) || c == ':') && (i == 0 || !isV6Before(s[i-1])) {
		if j, ok := f.ipv6(i); ok {
			return j
		}
	}
	if isRun(c) && (i == 0 || !isRun(s[i-1])) {
		return f.run(i)
	}
	return i + 1
}

// run handles a maximal run of host-name characters [A-Za-z0-9_.-]
// starting at i: an IPv4 address, a SID, a host name, or a keyword that
// introduces a value.
func (f *finder) run(i int) int {
	s := f.s
	j := i
	for j < len(s) && isRun(s[j]) {
		j++
	}
	a, b := trimRun(s, i, j)
	if a == b {
		return j
	}
	hasDot := strings.IndexByte(s[a:b], '.') >= 0
	if hasDot && isDigit(s[a]) && f.ipv4(a, b) {
		return j
	}
	if isDigit(s[a]) && a == i && (i == 0 || s[i-1] != '%') {
		if dashedPhone(s[a:b]) {
			f.add(a, b, kindPhone, 0)
			return j
		}
		n := a
		for n < b && isDigit(s[n]) {
			n++
		}
		// Ten or eleven digits, alone or before a file extension
		// (4255550143.txt).
		if (n-a == 10 || n-a == 11) && (n == b || s[n] == '.' && strings.IndexByte(s[n+1:b], '.') < 0) {
			if f.barePhone(a, n) {
				return j
			}
		}
	}
	pct := false
	if i > 0 && s[i-1] == '%' && j-i > 2 && isHex(s[i]) && isHex(s[i+1]) {
		// The rest of a %XX escape: %2Fsts.contoso.com, %3A10.0.0.1.
		a, b = trimRun(s, i+2, j)
		if a == b {
			return j
		}
		pct = true
		hasDot = strings.IndexByte(s[a:b], '.') >= 0
		if hasDot && isDigit(s[a]) && f.ipv4(a, b) {
			return j
		}
	}
	if c0 := s[a]; (c0 == 'S' || c0 == 's') && b-a > 8 && s[a+1] == '-' && f.sid(a, b) {
		return j
	}
	if hasDot {
		if hostLike(s, a, b, true) {
			f.add(a, b, kindHost, 2)
		}
		return j
	}
	if b < len(s) && s[b] == '/' && a == i && len(f.nbNames) > 0 {
		if k := f.slashAccount(a, b); k > b {
			return k
		}
	}
	if k, ok := f.learned(a, b); ok {
		f.add(a, b, k, 1)
		return j
	}
	if b-a == 3 && b+1 < len(s) && s[b] == ':' && isDigit(s[b+1]) && hasPrefixFold(s[a:b], "tel") {
		return f.phone(b+1, b+1) // tel:4255550199, without the +
	}
	if a == i && !pct {
		if k := f.word(a, b); k > j {
			return k
		}
	}
	return j
}

// trimRun trims dots and dashes from both ends of s[a:b].
func trimRun(s string, a, b int) (int, int) {
	for a < b && (s[a] == '.' || s[a] == '-') {
		a++
	}
	for b > a && (s[b-1] == '.' || s[b-1] == '-') {
		b--
	}
	return a, b
}
