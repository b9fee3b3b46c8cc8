package mask

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Redactor replaces personal data with stable pseudonyms: the same value
// gets the same pseudonym everywhere in one report, so evidence stays
// comparable. It is safe for concurrent use: Redact holds a mutex while it
// hands out pseudonyms. Pseudonyms follow the order in which values are
// first seen, so a report is deterministic when its excerpts are redacted
// in a deterministic order.
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
//     benchmarking range 198.18.0.0/15), ports kept; IPv6 addresses:
//     2001:db8::1, 2001:db8::2, ... (an IPv4-mapped ::ffff:a.b.c.d maps like
//     a.b.c.d);
//   - account SIDs (S-1-5-21-... and Azure AD S-1-12-1-...):
//     S-1-5-21-REDACTED-1, ...;
//   - display names (SIP "Bob Smith" <sip:...>, displayName, the name of a
//     <contact>, FederationBrandName, CN= of a directory DN): name1, name2,
//     ...; DC= components like domains (DC=domain1,DC=example).
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
	users   rdNames
	hosts   rdNames
	domains rdNames // DNS organisation domains ("dns:" keys) and NetBIOS names ("nb:")
	people  rdNames
	sids    rdNames
	ip4     rdAddrs
	ip6     rdAddrs
	// done remembers replacements: a value, once seen, always gets the
	// same text back.
	done map[rdDoneKey]string
}

type rdDoneKey struct {
	kind rdKind
	text string
}

// rdMaxDone bounds the memory of done.
const rdMaxDone = 1 << 16

// NewRedactor returns a Redactor with no pseudonyms handed out yet.
func NewRedactor() *Redactor { return &Redactor{} }

// Redact returns s with personal data replaced. It does not mask secrets
// (callers run Secrets too, preferably first). Line breaks are kept, so
// line numbers stay valid; s itself is returned when nothing is replaced.
// A nil Redactor redacts with a fresh mapping on each call.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		r = NewRedactor()
	}
	if strings.IndexAny(s, ".@\\:=<%-/") < 0 {
		return s // every rule needs one of these characters
	}
	spans := rdFind(s)
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b rdSpan) int {
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

	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	covered, written, changed := 0, 0, false
	for _, sp := range spans {
		if sp.start < covered || sp.end <= sp.start || sp.end > len(s) {
			continue // overlaps a span already handled
		}
		covered = sp.end
		old := s[sp.start:sp.end]
		repl, ok := r.done[rdDoneKey{sp.kind, old}]
		if !ok {
			repl = r.replace(old, sp.kind)
			if r.done == nil {
				r.done = make(map[rdDoneKey]string)
			}
			if len(r.done) < rdMaxDone {
				key := strings.Clone(old) // do not keep s alive
				if repl == old {
					repl = key
				}
				r.done[rdDoneKey{sp.kind, key}] = repl
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

// ---------------------------------------------------------------------------
// Pseudonym bookkeeping.

// rdNames hands out numbered pseudonyms for keys. Numbers seen in the input
// as literal pseudonyms (user7) are reserved and skipped.
type rdNames struct {
	byKey    map[string]int
	reserved map[int]bool
	n        int
}

func (ns *rdNames) number(key string) int {
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

func (ns *rdNames) reserve(n int) {
	if ns.reserved == nil {
		ns.reserved = make(map[int]bool)
	}
	ns.reserved[n] = true
}

// rdAddrs hands out documentation addresses.
type rdAddrs struct {
	byAddr   map[netip.Addr]netip.Addr
	reserved map[netip.Addr]bool
	n        int
}

func (as *rdAddrs) pseudonym(a netip.Addr, gen func(int) netip.Addr) netip.Addr {
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

func (as *rdAddrs) reserve(a netip.Addr) {
	if as.reserved == nil {
		as.reserved = make(map[netip.Addr]bool)
	}
	as.reserved[a] = true
}

// rdV4Pseudonym returns the n-th (1-based) IPv4 pseudonym: 192.0.2.1-254,
// 198.51.100.1-254, 203.0.113.1-254, then 198.18.0.0/15 (the benchmarking
// range), wrapping around after that.
func rdV4Pseudonym(n int) netip.Addr {
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

// rdV6Pseudonym returns 2001:db8::n.
func rdV6Pseudonym(n int) netip.Addr {
	b := [16]byte{0x20, 0x01, 0x0d, 0xb8}
	u := uint64(n)
	for i := 15; i >= 8; i-- {
		b[i] = byte(u)
		u >>= 8
	}
	return netip.AddrFrom16(b)
}

// rdPseudoNum reports whether lower is prefix followed by a number without
// leading zero (user12), and returns the number.
func rdPseudoNum(lower, prefix string) (int, bool) {
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

// ---------------------------------------------------------------------------
// Replacements.

func (r *Redactor) replace(t string, k rdKind) string {
	if k != rdSID && rdIsRedactedSID(t) {
		return t
	}
	switch k {
	case rdUser:
		return r.user(t)
	case rdHost:
		return r.host(t)
	case rdNetBIOS:
		return r.netbios(t)
	case rdIP:
		return r.ip(t)
	case rdSID:
		return r.sid(t)
	case rdPerson:
		return r.person(t)
	case rdDC:
		return r.dc(t)
	}
	return t
}

func (r *Redactor) user(t string) string {
	if len(t) > 4 && strings.EqualFold(t[:4], "sip_") {
		return t[:4] + r.user(t[4:])
	}
	key := strings.ToLower(t)
	if n, ok := rdPseudoNum(key, "user"); ok {
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
	if n, ok := rdPseudoNum(key, "name"); ok {
		r.people.reserve(n)
		return t
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

func (r *Redactor) netbios(t string) string {
	lower := strings.ToLower(t)
	if n, ok := rdPseudoNum(lower, "domain"); ok {
		r.domains.reserve(n)
		return t
	}
	if rdKeepNetBIOS(lower) {
		return t
	}
	return rdShape(t, "domain"+strconv.Itoa(r.domains.number("nb:"+lower)))
}

// hostLabel redacts a single-label computer name.
func (r *Redactor) hostLabel(t string) string {
	lower := strings.ToLower(t)
	if n, ok := rdPseudoNum(lower, "host"); ok {
		r.hosts.reserve(n)
		return t
	}
	if lower == "localhost" || lower == "" {
		return t
	}
	return rdShape(t, "host"+strconv.Itoa(r.hosts.number(lower)))
}

// host redacts a host name, fully qualified or not.
func (r *Redactor) host(t string) string {
	if strings.IndexByte(t, '.') < 0 {
		return r.hostLabel(t)
	}
	lower := strings.ToLower(t)
	if rdKeepDomain(lower) {
		return t
	}
	labels := strings.Split(lower, ".")
	for _, l := range labels {
		if l == "" {
			return t
		}
	}
	if rdFakeTLD(labels[len(labels)-1]) {
		// Already a pseudonym (or a documentation name): keep it and
		// never hand out its numbers.
		for _, l := range labels {
			if n, ok := rdPseudoNum(l, "host"); ok {
				r.hosts.reserve(n)
			} else if n, ok := rdPseudoNum(l, "domain"); ok {
				r.domains.reserve(n)
			}
		}
		return t
	}
	org := rdOrgLabels(labels)
	dn := r.domains.number("dns:" + strings.Join(labels[len(labels)-org:], "."))
	pre := labels[:len(labels)-org]
	keep := 0
	for keep < len(pre) && rdServiceLabel(pre[keep]) {
		keep++
	}
	var b strings.Builder
	orig := strings.Split(t, ".")
	for _, l := range orig[:keep] {
		b.WriteString(l)
		b.WriteByte('.')
	}
	if rest := pre[keep:]; len(rest) > 0 {
		hl := strings.Join(rest, ".")
		if n, ok := rdPseudoNum(hl, "host"); ok {
			r.hosts.reserve(n)
			b.WriteString(hl)
		} else {
			b.WriteString("host")
			b.WriteString(strconv.Itoa(r.hosts.number(hl)))
		}
		b.WriteByte('.')
	}
	b.WriteString("domain")
	b.WriteString(strconv.Itoa(dn))
	b.WriteString(".example")
	return rdShape(t, b.String())
}

// dc redacts a run of DC= components, "DC=contoso,DC=local".
func (r *Redactor) dc(t string) string {
	parts := strings.Split(t, ",")
	labels := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) < 4 || !strings.EqualFold(p[:3], "dc=") {
			return t
		}
		labels = append(labels, strings.TrimSpace(p[3:]))
	}
	var out string
	if len(labels) == 1 {
		out = r.netbios(labels[0])
	} else {
		out = r.host(strings.Join(labels, "."))
	}
	joined := strings.Join(labels, ".")
	if out == joined {
		return t
	}
	sep := ","
	if c := strings.IndexByte(t, ','); c >= 0 {
		e := c + 1
		for e < len(t) && t[e] == ' ' {
			e++
		}
		sep = t[c:e]
	}
	prefix := t[:3] // DC= in its original case
	var b strings.Builder
	for i, l := range strings.Split(out, ".") {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(prefix)
		b.WriteString(l)
	}
	return b.String()
}

func (r *Redactor) ip(t string) string {
	a, err := netip.ParseAddr(t)
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
	if rdKeepV6(a) {
		return t
	}
	if rdDocV6(a) {
		r.ip6.reserve(a)
		return t
	}
	return r.ip6.pseudonym(a, rdV6Pseudonym).String()
}

func (r *Redactor) ip4Addr(a netip.Addr) netip.Addr {
	if rdKeepV4(a) {
		return a
	}
	if rdDocV4(a) {
		r.ip4.reserve(a)
		return a
	}
	return r.ip4.pseudonym(a, rdV4Pseudonym)
}

// rdIsRedactedSID reports whether t is a SID pseudonym, which other rules
// must leave alone.
func rdIsRedactedSID(t string) bool {
	return strings.HasPrefix(t, "S-1-5-21-REDACTED-") || strings.HasPrefix(t, "S-1-12-1-REDACTED-")
}

// rdShape returns p in capitals when t has letters and none in lower case.
func rdShape(t, p string) string {
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

// ---------------------------------------------------------------------------
// What is not personal.

// rdKeptDomains are domains that, with their subdomains, stay readable:
// Microsoft services, public certification authorities, standards bodies
// and the documentation domains.
var rdKeptDomains = rdSet(
	// Microsoft services
	"lync.com", "microsoftonline.com", "microsoftonline-p.com", "microsoft.com",
	"outlook.com", "office365.com", "office.com", "office.net", "windows.net",
	"windows.com", "windowsupdate.com", "live.com", "live.net", "skype.com",
	"skypeforbusiness.com", "msocsp.com", "msauth.net", "msftauth.net",
	"msftncsi.com", "msedge.net", "msecnd.net", "msn.com", "bing.com",
	"azure.com", "azure.net", "azureedge.net", "sfbassets.com", "aka.ms",
	"microsoftazuread-sso.com", "msappproxy.net",
	// certification authorities
	"digicert.com", "verisign.com", "verisign.net", "symcb.com", "symcd.com",
	"thawte.com", "geotrust.com", "globalsign.com", "globalsign.net",
	"entrust.net", "sectigo.com", "comodoca.com", "usertrust.com",
	"godaddy.com", "letsencrypt.org", "lencr.org", "identrust.com",
	// standards
	"w3.org", "xmlsoap.org", "oasis-open.org", "ietf.org", "openxmlformats.org",
	"purl.org", "xml.org",
	// documentation names (RFC 2606)
	"example.com", "example.net", "example.org",
)

// rdKeepDomain reports whether the lower-case host is or is under a kept
// domain.
func rdKeepDomain(lower string) bool {
	for i := 0; ; {
		if rdKeptDomains[lower[i:]] {
			return true
		}
		j := strings.IndexByte(lower[i:], '.')
		if j < 0 {
			return false
		}
		i += j + 1
	}
}

// rdFakeTLD reports whether tld is reserved for documentation and tests
// (RFC 2606, RFC 6761): names under it are already fake.
func rdFakeTLD(tld string) bool {
	switch tld {
	case "example", "invalid", "test", "localhost":
		return true
	}
	return false
}

// rdServiceLabels are first labels that name a published service rather
// than a machine of the customer; they stay in the pseudonym.
var rdServiceLabels = rdSet(
	"sip", "sipinternal", "sipexternal", "sipfed", "sipdir", "lyncdiscover",
	"lyncdiscoverinternal", "autodiscover", "meet", "dialin", "scheduler",
	"webext", "webint", "webconf", "av", "access", "sts", "adfs", "fs", "sso",
	"www", "mail", "owa", "smtp", "wpad", "isatap", "enterpriseregistration",
	"enterpriseenrollment", "login", "ntp", "time", "ldap", "kerberos",
)

func rdServiceLabel(l string) bool {
	return rdServiceLabels[l] || len(l) > 1 && l[0] == '_'
}

// rdSecondLevel are second-level labels under a country code under which
// organisations register (contoso.co.uk).
var rdSecondLevel = rdSet(
	"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob",
	"mil", "ltd", "plc", "nhs", "sch", "gv", "ad", "lg", "ed", "gr", "nom",
)

// rdOrgLabels returns how many trailing labels make the organisation
// domain: contoso.com, contoso.co.uk, contoso.onmicrosoft.com.
func rdOrgLabels(labels []string) int {
	n := len(labels)
	if n < 3 {
		return n
	}
	sl, tld := labels[n-2], labels[n-1]
	switch {
	case n >= 4 && tld == "com" && sl == "onmicrosoft" && labels[n-3] == "mail":
		return 4
	case tld == "com" && (sl == "onmicrosoft" || sl == "sharepoint"):
		return 3
	case len(tld) == 2 && rdSecondLevel[sl]:
		return 3
	}
	return 2
}

// rdNetBIOSKeep are the "domains" of built-in Windows principals and
// registry roots, which look like DOMAIN\user but are not personal.
var rdNetBIOSKeep = rdSet(
	"builtin", "authority", "service", "apppool",
	"nt", "manager", "host", "hklm", "hkcu", "hkcr", "hku", "hkcc", "system",
	"software", "workgroup", "localhost", "driver", "window", "font",
)

func rdKeepNetBIOS(lower string) bool { return rdNetBIOSKeep[lower] }

func rdKeepV4(a netip.Addr) bool {
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

func rdDocV4(a netip.Addr) bool {
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

func rdKeepV6(a netip.Addr) bool {
	return a.IsUnspecified() || a.IsLoopback() || a.IsMulticast()
}

func rdDocV6(a netip.Addr) bool {
	b := a.As16()
	return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8
}

func rdSet(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// ---------------------------------------------------------------------------
// Finding personal data.

type rdKind uint8

const (
	rdUser    rdKind = iota // a user name
	rdHost                  // a host name, FQDN or single label
	rdNetBIOS               // a NetBIOS domain name
	rdIP                    // an IPv4 or IPv6 address
	rdSID                   // an account SID
	rdPerson                // a display name
	rdDC                    // DC=...,DC=... components
)

// rdSpan is a piece of s to replace. When spans overlap, the one that
// starts first wins; at the same start the lower prio (0: SIDs and
// addresses, 1: values found by their context, 2: free-standing host
// names), then the longer.
type rdSpan struct {
	start, end int
	kind       rdKind
	prio       uint8
}

type rdFinder struct {
	s     string
	spans []rdSpan
}

// rdMaxReach bounds every look-around, so the scan stays linear.
const rdMaxReach = 512

func rdFind(s string) []rdSpan {
	f := rdFinder{s: s}
	for i := 0; i < len(s); {
		next := f.step(i)
		if next <= i {
			next = i + 1
		}
		i = next
	}
	return f.spans
}

func (f *rdFinder) add(start, end int, k rdKind, prio uint8) {
	if start < 0 || end > len(f.s) || start >= end {
		return
	}
	f.spans = append(f.spans, rdSpan{start, end, k, prio})
}

func (f *rdFinder) step(i int) int {
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
	}
	if (rdIsHex(c) || c == ':') && (i == 0 || !rdIsV6Before(s[i-1])) {
		if j, ok := f.ipv6(i); ok {
			return j
		}
	}
	if rdIsRun(c) && (i == 0 || !rdIsRun(s[i-1])) {
		return f.run(i)
	}
	return i + 1
}

// run handles a maximal run of host-name characters [A-Za-z0-9_.-]
// starting at i: an IPv4 address, a SID, a host name, or a keyword that
// introduces a value.
func (f *rdFinder) run(i int) int {
	s := f.s
	j := i
	for j < len(s) && rdIsRun(s[j]) {
		j++
	}
	a, b := rdTrimRun(s, i, j)
	if a == b {
		return j
	}
	hasDot := strings.IndexByte(s[a:b], '.') >= 0
	if hasDot && rdIsDigit(s[a]) && f.ipv4(a, b) {
		return j
	}
	pct := false
	if i > 0 && s[i-1] == '%' && j-i > 2 && rdIsHex(s[i]) && rdIsHex(s[i+1]) {
		// The rest of a %XX escape: %2Fsts.contoso.com, %3A10.0.0.1.
		a, b = rdTrimRun(s, i+2, j)
		if a == b {
			return j
		}
		pct = true
		hasDot = strings.IndexByte(s[a:b], '.') >= 0
		if hasDot && rdIsDigit(s[a]) && f.ipv4(a, b) {
			return j
		}
	}
	if c0 := s[a]; (c0 == 'S' || c0 == 's') && b-a > 8 && s[a+1] == '-' && f.sid(a, b) {
		return j
	}
	if hasDot {
		if rdHostLike(s, a, b, true) {
			f.add(a, b, rdHost, 2)
		}
		return j
	}
	if a == i && !pct {
		if k := f.word(a, b); k > j {
			return k
		}
	}
	return j
}

// rdTrimRun trims dots and dashes from both ends of s[a:b].
func rdTrimRun(s string, a, b int) (int, int) {
	for a < b && (s[a] == '.' || s[a] == '-') {
		a++
	}
	for b > a && (s[b-1] == '.' || s[b-1] == '-') {
		b--
	}
	return a, b
}

// ipv4 adds s[a:b] when it is an IPv4 address in its context: not part of
// a version number like UCCAPI/15.0.4569.1503 or version="16.0.0.0".
func (f *rdFinder) ipv4(a, b int) bool {
	s := f.s
	if !rdIsIPv4(s[a:b]) {
		return false
	}
	if a > 0 && !(a > 2 && s[a-3] == '%' && rdIsHex(s[a-2]) && rdIsHex(s[a-1])) {
		p := s[a-1]
		switch {
		case rdIsLetter(p), p == '.', p == '_':
			return false
		case p == '/':
			if a < 2 || s[a-2] != '/' { // OC/4.0.7577.4051, but not http://10.0.0.1/
				return false
			}
		}
	}
	if rdAfterVersionWord(s, a) {
		return false
	}
	f.add(a, b, rdIP, 0)
	return true
}

// rdIsIPv4 reports whether t is exactly four decimal octets, each at most
// 255 and without leading zeros.
func rdIsIPv4(t string) bool {
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

// rdAfterVersionWord reports whether the number at a follows a word such
// as "version" (version="16.0.0.0", "Definition 1.245.100.0").
func rdAfterVersionWord(s string, a int) bool {
	k := a
	for n := 0; k > 0 && n < 4; n++ {
		c := s[k-1]
		if c != ' ' && c != '\t' && c != '"' && c != '\'' && c != '=' && c != ':' && c != '\\' {
			break
		}
		k--
	}
	e := k
	for k > 0 && e-k < 24 && rdIsLetter(s[k-1]) {
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

func (f *rdFinder) sid(a, b int) bool {
	s := f.s
	t := s[a:b]
	var rest string
	switch {
	case len(t) > 9 && strings.EqualFold(t[:9], "s-1-5-21-"):
		rest = t[9:]
	case len(t) > 9 && strings.EqualFold(t[:9], "s-1-12-1-"):
		rest = t[9:]
	default:
		return false
	}
	digits := 0
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 10 {
				return false
			}
		case c == '-' && digits > 0 && i < len(rest)-1:
			digits = 0
		default:
			return false
		}
	}
	f.add(a, b, rdSID, 0)
	return true
}

// ipv6 adds an IPv6 address starting at i and returns the index after it.
func (f *rdFinder) ipv6(i int) (int, bool) {
	s := f.s
	j, colons, digit := i, 0, false
	for j < len(s) && j-i <= 46 && (rdIsHex(s[j]) || s[j] == ':' || s[j] == '.') {
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
	if j < len(s) && (rdIsAlnum(s[j]) || s[j] == '_') {
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
	f.add(i, e, rdIP, 0)
	return e, true
}

// address handles user@domain around the '@' (or "%40", w == 3) at i.
func (f *rdFinder) address(i, w int) {
	s := f.s
	ls := i
	for ls > 0 && i-ls < rdMaxReach && rdIsLocal(s[ls-1]) {
		ls--
	}
	if ls > 0 && rdIsLocal(s[ls-1]) {
		return // too long for the user part of an address
	}
	// DOMAIN%5Cuser@... and escapes such as sip%3Abob@...
	nbs, nbe := -1, -1
	if p := rdLastIndexFold(s[ls:i], "%5c"); p >= 0 {
		nbe = ls + p
		if nbe > ls && s[nbe-1] == '%' { // %%5C
			nbe--
		}
		nbs = rdAfterEscapes(s, ls, nbe)
		ls += p + 3
	} else {
		ls = rdAfterEscapes(s, ls, i)
	}
	for ls < i && (s[ls] == '.' || s[ls] == '-' || s[ls] == '\'') {
		ls++
	}
	if ls >= i || !rdHasAlnum(s[ls:i]) {
		return
	}
	ds := i + w
	de := ds
	for de < len(s) && de-ds < rdMaxReach && rdIsRun(s[de]) {
		de++
	}
	if de < len(s) && rdIsRun(s[de]) {
		return
	}
	for de > ds && (s[de-1] == '.' || s[de-1] == '-') {
		de--
	}
	if de == ds {
		return
	}
	dom := s[ds:de]
	switch {
	case strings.IndexByte(dom, '.') >= 0:
		if rdIsIPv4(dom) {
			break // the run scan finds the address itself
		}
		if !rdHostLike(s, ds, de, false) {
			return
		}
		f.add(ds, de, rdHost, 1)
	case rdNetBIOSLike(dom) && rdHasLetter(s[ls:i]):
		f.add(ds, de, rdNetBIOS, 1)
	default:
		return
	}
	if nbs >= 0 {
		f.domainPart(nbs, nbe, true)
	}
	// A Kerberos service principal, HTTP/FS01.contoso.local@CONTOSO.LOCAL:
	// the part before '@' is a host.
	if ls > 1 && s[ls-1] == '/' && rdIsLetter(s[ls-2]) {
		if strings.IndexByte(s[ls:i], '.') < 0 || rdHostLike(s, ls, i, false) {
			f.add(ls, i, rdHost, 1)
		}
		return
	}
	f.add(ls, i, rdUser, 1)
}

// rdAfterEscapes returns the index after the last %XX escape in s[from:to],
// or from.
func rdAfterEscapes(s string, from, to int) int {
	p := strings.LastIndexByte(s[from:to], '%')
	if p < 0 {
		return from
	}
	k := from + p + 1
	if k+1 < to && rdIsHex(s[k]) && rdIsHex(s[k+1]) {
		k += 2
	}
	return k
}

// domainPart adds the domain of DOMAIN\user (s[ds:de]) and reports whether
// it is one.
func (f *rdFinder) domainPart(ds, de int, add bool) bool {
	s := f.s
	for ds < de && (s[ds] == '.' || s[ds] == '-') {
		ds++
	}
	if de-ds < 2 {
		return false
	}
	if strings.IndexByte(s[ds:de], '.') >= 0 {
		if !rdHostLike(s, ds, de, false) {
			return false
		}
		if add {
			f.add(ds, de, rdHost, 1)
		}
		return true
	}
	if !rdNetBIOSLike(s[ds:de]) {
		return false
	}
	if add {
		f.add(ds, de, rdNetBIOS, 1)
	}
	return true
}

// backslash handles DOMAIN\user around the separator at i of width w
// (\, \\ or %5C).
func (f *rdFinder) backslash(i, w int) {
	s := f.s
	ds := i
	for ds > 0 && i-ds < rdMaxReach && (rdIsAlnum(s[ds-1]) || s[ds-1] == '.' || s[ds-1] == '_' || s[ds-1] == '-') {
		ds--
	}
	if ds > 0 && (rdIsRun(s[ds-1]) || strings.IndexByte(`\/%$`, s[ds-1]) >= 0) {
		return // too long, a path, %VAR%\..., or C$\...
	}
	us := i + w
	ue := us
	for ue < len(s) && ue-us < rdMaxReach && rdIsUserChar(s[ue]) {
		ue++
	}
	if ue < len(s) && rdIsUserChar(s[ue]) {
		return
	}
	for ue > us && (s[ue-1] == '.' || s[ue-1] == '-') {
		ue--
	}
	if ue == us {
		return
	}
	if ue < len(s) {
		switch {
		case s[ue] == '\\' || s[ue] == '/':
			return // a path goes on
		case s[ue] == '%' && ue+2 < len(s) && (rdHasPrefixFold(s[ue:], "%5c") || rdHasPrefixFold(s[ue:], "%2f")):
			return
		case s[ue] == '@':
			return // DOMAIN\user@domain is left to the address rule
		}
	}
	user := s[us:ue]
	if !rdHasLetter(user) || rdFileLike(user) {
		return
	}
	if !f.domainPart(ds, i, false) {
		return
	}
	f.domainPart(ds, i, true)
	f.add(us, ue, rdUser, 1)
}

// unc handles the server of \\SERVER\share, starting at k.
func (f *rdFinder) unc(k int) {
	s := f.s
	e := k
	for e < len(s) && e-k < 64 && (rdIsAlnum(s[e]) || s[e] == '-' || s[e] == '_') {
		e++
	}
	if e == k || e < len(s) && s[e] == '.' || !rdHasLetter(s[k:e]) {
		return // FQDNs and addresses are found by the run scan
	}
	if e < len(s) && s[e] != '\\' && s[e] != ' ' && s[e] != '\t' && s[e] != '\r' && s[e] != '\n' {
		return
	}
	if e+1 < len(s) && s[e] == '\\' && s[e+1] == '\\' {
		return // JSON-escaped text, "\\SystemRoot\\System32": not a share
	}
	f.add(k, e, rdHost, 1)
}

// sipDisplay handles the display name before "<sip:", "<sips:" or "<tel:"
// at i: "Bob Smith" <sip:...> or, at the start of a header line,
// From: Bob Smith <sip:...>.
func (f *rdFinder) sipDisplay(i int) {
	s := f.s
	rest := s[i+1:]
	if !rdHasPrefixFold(rest, "sip:") && !rdHasPrefixFold(rest, "sips:") && !rdHasPrefixFold(rest, "tel:") {
		return
	}
	k := i
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	if k == 0 {
		return
	}
	if s[k-1] == '"' {
		end := k - 1
		for m := end - 1; m >= 0 && end-m <= rdMaxReach; m-- {
			c := s[m]
			if strings.IndexByte("\r\n\t<>=|;:\\", c) >= 0 {
				return // not a display name
			}
			if c == '"' {
				if v := s[m+1 : end]; strings.TrimSpace(v) != "" && strings.IndexByte(v, '@') < 0 {
					f.add(m+1, end, rdPerson, 1)
				}
				return
			}
		}
		return
	}
	// Unquoted: the line must be "Header-Name: display <sip:".
	ls := k
	for ls > 0 && k-ls < rdMaxReach && s[ls-1] != '\n' && s[ls-1] != '\r' {
		ls--
	}
	if ls > 0 && s[ls-1] != '\n' && s[ls-1] != '\r' {
		return
	}
	h := ls
	for h < k && (rdIsAlnum(s[h]) || s[h] == '-') {
		h++
	}
	if h == ls || !rdIsLetter(s[ls]) || h >= k || s[h] != ':' {
		return
	}
	d := h + 1
	for d < k && (s[d] == ' ' || s[d] == '\t') {
		d++
	}
	if d >= k {
		return
	}
	for m := d; m < k; m++ {
		c := s[m]
		if !(rdIsAlnum(c) || c >= 0x80 || strings.IndexByte(" .,'-_()", c) >= 0) {
			return
		}
	}
	if rdHasLetter(s[d:k]) {
		f.add(d, k, rdPerson, 1)
	}
}

// Keys whose value is a user name or a computer name.
var (
	rdUserKeys = []string{
		"user", "username", "userid", "account", "accountname", "samaccountname",
		"targetusername", "subjectusername", "targetuser", "logonuser",
	}
	rdHostKeys = []string{
		"computer", "computername", "workstation", "workstationname",
		"machinename", "hostname", "host", "dnshostname", "netbiosname",
		"clientname", "sourcehost",
	}
	rdTwoWordKeys = []struct {
		w1, w2 string
		kind   rdKind
	}{
		{"user", "name", rdUser}, {"account", "name", rdUser}, {"user", "id", rdUser},
		{"logon", "account", rdUser}, {"computer", "name", rdHost},
		{"workstation", "name", rdHost}, {"machine", "name", rdHost},
		{"host", "name", rdHost}, {"client", "name", rdHost},
		{"source", "workstation", rdHost},
	}
	rdFirstWords = []string{
		"user", "account", "logon", "computer", "workstation", "machine", "host",
		"client", "source",
	}
	// rdKeepValues are values of those keys that are not personal.
	rdKeepValues = rdSet(
		"-", "system", "local service", "localservice", "network service",
		"networkservice", "anonymous logon", "anonymous", "n/a", "null", "(null)",
		"none", "unknown", "localhost", "phone", "ip", "dialstring", "true",
		"false", "yes", "no", "administrator", "guest", "defaultaccount",
	)
	// rdKeepProfiles are profile folders that are not a person's.
	rdKeepProfiles = rdSet(
		"public", "default", "default user", "all users", "defaultuser0",
		"defaultapppool", "localservice", "networkservice", "administrator",
	)
	// rdKeepCN are CN values of directory DNs that are containers, not people.
	rdKeepCN = rdSet(
		"users", "computers", "builtin", "system", "configuration", "services",
		"schema", "partitions", "sites", "public key services", "aia", "cdp",
		"enrollment services", "certification authorities", "ntauthcertificates",
		"rtc service", "microsoft", "foreignsecurityprincipals",
		"managed service accounts", "program data", "domain users", "domain admins",
		"domain computers", "administrator", "krbtgt", "global settings", "pools",
		"trusted services", "rtc", "policies", "templates", "lostandfound",
	)
)

// word looks at the word s[a:b] (no dot, starting a run) for a key that
// introduces personal data. It returns where scanning may resume.
func (f *rdFinder) word(a, b int) int {
	s := f.s
	if b-a > 24 {
		return b
	}
	prev := byte(' ')
	if a > 0 {
		prev = s[a-1]
	}
	next := b
	if next < len(s) && (s[next] == '"' || s[next] == '\'') && s[next] == prev {
		next++ // a quoted key: {"user": "bob"}
	}
	for next < len(s) && next-b < 8 && (s[next] == ' ' || s[next] == '\t') {
		next++
	}
	var nc byte
	if next < len(s) {
		nc = s[next]
	}
	w := s[a:b]
	switch {
	case len(w) < 2:
		return b
	case (prev == '\\' || prev == '/') && b < len(s) && (s[b] == '\\' || s[b] == '/'):
		if strings.EqualFold(w, "users") {
			f.profile(b + 1)
		} else if strings.EqualFold(w, "settings") && a >= 15 && strings.EqualFold(s[a-14:a], "documents and ") {
			f.profile(b + 1)
		}
		return b
	case nc == '=' && next == b && len(w) == 2:
		if strings.EqualFold(w, "dc") {
			return f.dcRun(a, b)
		}
		if strings.EqualFold(w, "cn") {
			f.cn(b + 1)
		}
		return b
	case (nc == '>' || nc == '=') && (strings.EqualFold(w, "displayname") || strings.EqualFold(w, "federationbrandname")):
		f.displayName(a, b, next)
		return b
	case nc == '=' && next == b && len(w) == 4 && strings.EqualFold(w, "name"):
		f.contactName(a, b)
		return b
	}
	if !rdKeyBoundary(prev) {
		return b
	}
	if nc == ':' || nc == '=' {
		if rdKeyIn(w, rdUserKeys) {
			f.keyed(next, rdUser)
		} else if rdKeyIn(w, rdHostKeys) {
			f.keyed(next, rdHost)
		}
		return b
	}
	if rdIsLetter(nc) && next > b && rdKeyIn(w, rdFirstWords) {
		e := next
		for e < len(s) && e-next < 12 && rdIsLetter(s[e]) {
			e++
		}
		k := e
		for k < len(s) && k-e < 8 && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k >= len(s) || (s[k] != ':' && s[k] != '=') {
			return b
		}
		w2 := s[next:e]
		for _, tk := range rdTwoWordKeys {
			if strings.EqualFold(w, tk.w1) && strings.EqualFold(w2, tk.w2) {
				f.keyed(k, tk.kind)
				break
			}
		}
	}
	return b
}

func rdKeyIn(w string, keys []string) bool {
	for _, k := range keys {
		if len(k) == len(w) && strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

// rdKeyBoundary reports whether a key may follow c: a key starts a field,
// not the middle of "opaque=user:epid:..." or "ms-user-logon-data".
func rdKeyBoundary(c byte) bool {
	return strings.IndexByte(" \t\r\n|(,;\"'?&{[<", c) >= 0
}

// keyed adds the value after the ':' or '=' at k when it is a bare user or
// computer name that ends a field.
func (f *rdFinder) keyed(k int, kind rdKind) {
	s := f.s
	if k+1 < len(s) && (s[k+1] == ':' || s[k+1] == '=') {
		return
	}
	k++
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	var q byte
	if k < len(s) && (s[k] == '"' || s[k] == '\'') {
		q = s[k]
		k++
	}
	vs := k
	for k < len(s) && k-vs < 128 && (rdIsUserChar(s[k]) && (kind == rdUser || s[k] < 0x80)) {
		k++
	}
	ve := k
	for ve > vs && s[ve-1] == '.' {
		ve--
	}
	if ve == vs {
		return
	}
	v := s[vs:ve]
	if !rdHasLetter(v) || rdKeepValues[strings.ToLower(v)] {
		return
	}
	if ve < len(s) && (s[ve] == '@' || s[ve] == '\\' || s[ve] == '%') {
		return // an address or DOMAIN\user: their own rules apply
	}
	if kind == rdHost && strings.IndexByte(v, '.') >= 0 {
		return // an FQDN or address: the run scan finds it
	}
	if q != 0 {
		if ve >= len(s) || s[ve] != q {
			return
		}
	} else if !rdValueEnds(s, ve) {
		return
	}
	f.add(vs, ve, kind, 1)
}

// rdValueEnds reports whether a value ends a field at k: at the end of the
// line or of a list item, or before another key=value. "to the user: There
// was a problem" is prose, not a field.
func rdValueEnds(s string, k int) bool {
	if k >= len(s) {
		return true
	}
	switch s[k] {
	case '\r', '\n', ',', ';', '|', ')', ']', '}', '"', '\'', '&', '<', '>', '\t':
		return true
	case ':':
		return k+1 >= len(s) || s[k+1] == ' ' || s[k+1] == '\t' || s[k+1] == '\r' || s[k+1] == '\n'
	case ' ':
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) {
			return true
		}
		switch s[k] {
		case '\r', '\n', '|', ',', ';', ')', ']', '}', '\t':
			return true
		}
		// Another key: a word directly followed by '=' or ':'.
		e := k
		for e < len(s) && e-k < 64 && rdIsRun(s[e]) {
			e++
		}
		return e > k && e < len(s) && (s[e] == '=' || s[e] == ':')
	}
	return false
}

// profile handles the folder name after \Users\ at k.
func (f *rdFinder) profile(k int) {
	s := f.s
	if k < len(s) && s[k] == '\\' { // an escaped separator: C:\\Users\\bob
		k++
	}
	e := k
	for e < len(s) && e-k < 64 && strings.IndexByte("\\/|\"<>:*?\r\n\t,;", s[e]) < 0 {
		e++
	}
	ve := e
	if e < len(s) && (s[e] == '\\' || s[e] == '/') {
		for ve > k && s[ve-1] == ' ' {
			ve--
		}
	} else {
		ve = k
		for ve < len(s) && ve-k < 64 && rdIsUserChar(s[ve]) {
			ve++
		}
		if ve < len(s) && rdIsUserChar(s[ve]) {
			return
		}
		for ve > k && s[ve-1] == '.' {
			ve--
		}
	}
	name := s[k:ve]
	if name == "" || !rdHasLetter(name) || rdKeepProfiles[strings.ToLower(name)] {
		return
	}
	// bob.CONTOSO: a profile created for a second domain account.
	if d := strings.LastIndexByte(name, '.'); d > 0 && d < len(name)-1 {
		if suf := name[d+1:]; rdNetBIOSLike(suf) && strings.ToUpper(suf) == suf {
			f.add(k, k+d, rdUser, 1)
			f.add(k+d+1, ve, rdNetBIOS, 1)
			return
		}
	}
	f.add(k, ve, rdUser, 1)
}

// dcRun handles DC=contoso,DC=local starting at a (the D). It returns the
// index after the run.
func (f *rdFinder) dcRun(a, b int) int {
	s := f.s
	k := b + 1
	end := -1
	for n := 0; n < 16; n++ {
		vs := k
		for k < len(s) && k-vs < 64 && (rdIsAlnum(s[k]) || s[k] == '-' || s[k] == '_') {
			k++
		}
		if k == vs {
			break
		}
		if k < len(s) && strings.IndexByte(",;\"' \t\r\n/+<>)|", s[k]) < 0 {
			return b // not a DNS label ending a DN component
		}
		end = k
		m := k
		if m >= len(s) || s[m] != ',' {
			break
		}
		m++
		for m < len(s) && s[m] == ' ' {
			m++
		}
		if m+3 > len(s) || !rdHasPrefixFold(s[m:], "dc=") {
			break
		}
		k = m + 3
	}
	if end < 0 {
		return b
	}
	f.add(a, end, rdDC, 1)
	return end
}

// cn handles the value of CN= at k when it names an object of a directory
// DN (one with DC= components): CN=Bob Smith,OU=Sales,DC=contoso,DC=local.
func (f *rdFinder) cn(k int) {
	s := f.s
	for k < len(s) && s[k] == ' ' {
		k++
	}
	vs, e := k, k
	for e < len(s) && e-vs < 128 {
		c := s[e]
		if c == '\\' && e+1 < len(s) && s[e+1] != '\n' && s[e+1] != '\r' {
			e += 2
			continue
		}
		if strings.IndexByte(",;\"|<>+/\r\n", c) >= 0 {
			break
		}
		e++
	}
	if e-vs >= 128 {
		return
	}
	ve := e
	for ve > vs && s[ve-1] == ' ' {
		ve--
	}
	v := s[vs:ve]
	if v == "" || strings.ContainsAny(v, "@.") || rdKeepCN[strings.ToLower(v)] || !rdHasLetter(v) {
		return
	}
	// The DN must go on to DC= components.
	for m := e; m < len(s) && m-e < 2*rdMaxReach; m++ {
		c := s[m]
		if c == '\n' || c == '\r' || c == '"' || c == '|' || c == '>' {
			return
		}
		if c == ',' {
			n := m + 1
			for n < len(s) && s[n] == ' ' {
				n++
			}
			if rdHasPrefixFold(s[n:], "dc=") {
				f.add(vs, ve, rdPerson, 1)
				return
			}
		}
	}
}

// displayName handles displayName="..." and <displayName>...</displayName>,
// and the organisation's name in <FederationBrandName>.
func (f *rdFinder) displayName(a, b, next int) {
	s := f.s
	if next >= len(s) {
		return
	}
	var vs, ve int
	switch s[next] {
	case '>':
		if a == 0 || (s[a-1] != '<' && s[a-1] != ':') {
			return
		}
		vs = next + 1
		ve = vs
		for ve < len(s) && ve-vs < rdMaxReach && s[ve] != '<' && s[ve] != '\n' && s[ve] != '\r' {
			ve++
		}
		if ve >= len(s) || s[ve] != '<' {
			return
		}
	case '=':
		q := next + 1
		for q < len(s) && s[q] == ' ' {
			q++
		}
		if q >= len(s) || (s[q] != '"' && s[q] != '\'') {
			return
		}
		vs = q + 1
		ve = vs
		for ve < len(s) && ve-vs < rdMaxReach && s[ve] != s[q] && s[ve] != '\n' && s[ve] != '\r' {
			ve++
		}
		if ve >= len(s) || s[ve] != s[q] {
			return
		}
	default:
		return
	}
	for vs < ve && s[vs] == ' ' {
		vs++
	}
	for ve > vs && s[ve-1] == ' ' {
		ve--
	}
	if v := s[vs:ve]; v != "" && rdHasLetter(v) && strings.IndexByte(v, '@') < 0 {
		f.add(vs, ve, rdPerson, 1)
	}
}

// contactName handles name="..." of a <contact> element of a contact list.
func (f *rdFinder) contactName(a, b int) {
	s := f.s
	if a == 0 || s[a-1] != ' ' || b+1 >= len(s) || (s[b+1] != '"' && s[b+1] != '\'') {
		return
	}
	lt := -1
	for m := a - 1; m >= 0 && a-m < 2*rdMaxReach; m-- {
		if s[m] == '>' || s[m] == '\n' {
			return
		}
		if s[m] == '<' {
			lt = m
			break
		}
	}
	if lt < 0 || !rdHasPrefixFold(s[lt+1:], "contact ") {
		return
	}
	q := s[b+1]
	vs := b + 2
	ve := vs
	for ve < len(s) && ve-vs < rdMaxReach && s[ve] != q && s[ve] != '\n' && s[ve] != '\r' {
		ve++
	}
	if ve >= len(s) || s[ve] != q {
		return
	}
	if v := s[vs:ve]; strings.TrimSpace(v) != "" && rdHasLetter(v) && strings.IndexByte(v, '@') < 0 {
		f.add(vs, ve, rdPerson, 1)
	}
}

// ---------------------------------------------------------------------------
// Host names.

// rdTLDs are the top-level domains a dotted word must end in to be taken
// for a host name outside an address: the generic ones, country codes, and
// the names of private Active Directory forests. A short list keeps file
// names (ntuser.dat, lync.exe, Service.svc) out.
var rdTLDs = rdSet(
	"com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "aero",
	"coop", "museum", "mobi", "asia", "tel", "travel", "jobs", "cat",
	"cloud", "online", "site", "tech", "store", "shop", "xyz", "top", "club",
	"global", "company", "solutions", "systems", "digital", "agency",
	"consulting", "africa", "london", "berlin", "tokyo", "nyc", "paris",
	"amsterdam", "swiss", "bayern", "wien", "hamburg", "koeln", "cologne",
	"brussels", "barcelona", "madrid", "moscow", "quebec", "scot", "wales",
	"local", "lan", "corp", "internal", "intranet", "intra", "home",
	"localdomain", "private", "priv", "loc", "lab", "ms",
	"example", "invalid", // pseudonyms: found so that their numbers are reserved
	"ac", "ad", "ae", "af", "ag", "ai", "al", "am", "ao", "aq", "ar", "as", "at",
	"au", "aw", "ax", "az", "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj",
	"bm", "bn", "bo", "bq", "br", "bs", "bt", "bw", "by", "bz", "ca", "cc", "cd",
	"cf", "cg", "ch", "ci", "ck", "cl", "cm", "cn", "co", "cr", "cu", "cv", "cw",
	"cx", "cy", "cz", "de", "dj", "dk", "dm", "do", "dz", "ec", "ee", "eg", "er",
	"es", "et", "eu", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gb", "gd", "ge",
	"gf", "gg", "gh", "gi", "gl", "gm", "gn", "gp", "gq", "gr", "gs", "gt", "gu",
	"gw", "gy", "hk", "hm", "hn", "hr", "ht", "hu", "id", "ie", "il", "im", "in",
	"io", "iq", "ir", "is", "it", "je", "jm", "jo", "jp", "ke", "kg", "kh", "ki",
	"km", "kn", "kp", "kr", "kw", "ky", "kz", "la", "lb", "lc", "li", "lk", "lr",
	"ls", "lt", "lu", "lv", "ly", "ma", "mc", "md", "me", "mg", "mh", "mk", "ml",
	"mm", "mn", "mo", "mp", "mq", "mr", "mt", "mu", "mv", "mw", "mx", "my",
	"mz", "na", "nc", "ne", "nf", "ng", "ni", "nl", "no", "np", "nr", "nu", "nz",
	"om", "pa", "pe", "pf", "pg", "ph", "pk", "pl", "pm", "pn", "pr", "ps", "pt",
	"pw", "py", "qa", "re", "ro", "rs", "ru", "rw", "sa", "sb", "sc", "sd", "se",
	"sg", "sh", "si", "sk", "sl", "sm", "sn", "so", "sr", "ss", "st", "su", "sv",
	"sx", "sy", "sz", "tc", "td", "tf", "tg", "th", "tj", "tk", "tl", "tm", "tn",
	"to", "tr", "tt", "tv", "tw", "tz", "ua", "ug", "uk", "us", "uy", "uz", "va",
	"vc", "ve", "vg", "vi", "vn", "vu", "wf", "ws", "ye", "yt", "za", "zm", "zw",
)

// rdFileTLDs are country codes that are also common file extensions or
// words (main.cc, run.sh, setup.in, README.md): a name ending in one is
// taken for a host only with three or more labels (sip.contoso.pl).
var rdFileTLDs = rdSet(
	"ac", "ai", "am", "as", "at", "be", "cc", "do", "id", "im", "in", "is", "it",
	"mc", "md", "me", "mk", "ml", "mm", "ms", "my", "no", "pl", "pm", "ps", "py",
	"rs", "sh", "so", "to", "tv", "us",
)

// rdNotHosts are dotted product names that end in a top-level domain.
var rdNotHosts = rdSet("asp.net", "vb.net", "ado.net")

// rdHostLike reports whether s[a:b] is a host name. Outside an address
// (strict) its top-level domain must be a known one in lower case or, for
// a name in capitals, in capitals: System.Net is a namespace, not a host.
func rdHostLike(s string, a, b int, strict bool) bool {
	if b-a > 253 || b-a < 3 {
		return false
	}
	t := s[a:b]
	labels, lower := 0, false
	start := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i] != '.' {
			c := t[i]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			default:
				return false
			}
			continue
		}
		l := t[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	tld := t[strings.LastIndexByte(t, '.')+1:]
	if len(tld) < 2 || len(tld) > 24 {
		return false
	}
	tl, tu := false, false
	for i := 0; i < len(tld); i++ {
		c := tld[i]
		switch {
		case c >= 'a' && c <= 'z':
			tl = true
		case c >= 'A' && c <= 'Z':
			tu = true
		default:
			return false
		}
	}
	if !strict {
		return true
	}
	if tl && tu || tu && lower {
		return false
	}
	var buf [24]byte
	for i := 0; i < len(tld); i++ {
		buf[i] = tld[i] | 0x20
	}
	lt := buf[:len(tld)]
	if !rdTLDs[string(lt)] {
		return false
	}
	if labels < 3 && rdFileTLDs[string(lt)] {
		return false
	}
	if labels == 2 && rdNotHosts[strings.ToLower(t)] {
		return false
	}
	if labels >= 3 { // reversed names: com.microsoft.msrtc.presence
		first := t[:strings.IndexByte(t, '.')]
		switch strings.ToLower(first) {
		case "com", "org", "net", "edu", "io":
			return false
		}
	}
	if b < len(s) && s[b] == '(' {
		return false // obj.method(
	}
	return true
}

// rdNetBIOSLike reports whether t can be a NetBIOS domain name: up to 15
// characters with a letter, all in capitals or all in lower case (Microsoft\
// Office is a path), not a built-in principal's domain.
func rdNetBIOSLike(t string) bool {
	if len(t) < 2 || len(t) > 15 || !rdIsLetter(t[0]) {
		return false
	}
	lower, upper := false, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	if lower == upper { // mixed case, or no letter
		return false
	}
	l := strings.ToLower(t)
	if rdOtherPseudonym(l, "domain") {
		return false // user1 after a redaction is not a domain
	}
	return !rdKeepNetBIOS(l)
}

// rdOtherPseudonym reports whether the lower-case t is a pseudonym of
// another kind than kind, so that redacted text is read as before.
func rdOtherPseudonym(t, kind string) bool {
	for _, p := range [...]string{"user", "host", "name", "domain"} {
		if p == kind {
			continue
		}
		if _, ok := rdPseudoNum(t, p); ok {
			return true
		}
	}
	return false
}

// rdFileLike reports whether a DOMAIN\user candidate's user part is a file
// name (logs\sfblog.txt).
func rdFileLike(u string) bool {
	d := strings.LastIndexByte(u, '.')
	if d < 0 {
		return false
	}
	switch strings.ToLower(u[d+1:]) {
	case "exe", "dll", "sys", "log", "txt", "xml", "json", "etl", "evtx", "cab",
		"zip", "ini", "cfg", "config", "dat", "uccapilog", "cer", "crt", "pfx",
		"manifest", "msi", "msp", "ps1", "bat", "cmd", "csv", "htm", "html", "svc",
		"aspx", "asmx", "tmp", "bak", "db", "edb", "pst", "ost":
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Characters.

// Character classes, looked up in rdClass.
const (
	rdcLetter = 1 << iota // A-Z a-z
	rdcDigit              // 0-9
	rdcHex                // 0-9 A-F a-f
	rdcRun                // host names and version numbers: A-Z a-z 0-9 . - _
	rdcV6Stop             // before a hex digit or colon, makes it the middle of a word
	rdcLocal              // the user part of an address
	rdcUser               // user and computer names
)

var rdClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := b|0x20 >= 'a' && b|0x20 <= 'z'
		digit := b >= '0' && b <= '9'
		alnum := letter || digit
		var v uint8
		if letter {
			v |= rdcLetter
		}
		if digit {
			v |= rdcDigit
		}
		if digit || b|0x20 >= 'a' && b|0x20 <= 'f' {
			v |= rdcHex
		}
		if alnum || b == '.' || b == '-' || b == '_' {
			v |= rdcRun
		}
		if alnum || b == '_' || b == '.' || b == ':' {
			v |= rdcV6Stop
		}
		if alnum || b >= 0x80 || strings.IndexByte("._+'$%-", b) >= 0 {
			v |= rdcLocal
		}
		if alnum || b >= 0x80 || strings.IndexByte("._$-", b) >= 0 {
			v |= rdcUser
		}
		t[c] = v
	}
	return t
}()

func rdIsLetter(c byte) bool   { return rdClass[c]&rdcLetter != 0 }
func rdIsDigit(c byte) bool    { return rdClass[c]&rdcDigit != 0 }
func rdIsAlnum(c byte) bool    { return rdClass[c]&(rdcLetter|rdcDigit) != 0 }
func rdIsHex(c byte) bool      { return rdClass[c]&rdcHex != 0 }
func rdIsRun(c byte) bool      { return rdClass[c]&rdcRun != 0 }
func rdIsV6Before(c byte) bool { return rdClass[c]&rdcV6Stop != 0 }
func rdIsLocal(c byte) bool    { return rdClass[c]&rdcLocal != 0 }
func rdIsUserChar(c byte) bool { return rdClass[c]&rdcUser != 0 }

func rdHasLetter(t string) bool {
	for i := 0; i < len(t); i++ {
		if rdIsLetter(t[i]) || t[i] >= 0x80 {
			return true
		}
	}
	return false
}

func rdHasAlnum(t string) bool {
	for i := 0; i < len(t); i++ {
		if rdIsAlnum(t[i]) || t[i] >= 0x80 {
			return true
		}
	}
	return false
}

// rdHasPrefixFold reports whether s begins with the lower-case ASCII
// prefix, ignoring case.
func rdHasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// rdLastIndexFold returns the index of the last occurrence of the
// lower-case ASCII sub in s, ignoring case, or -1.
func rdLastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if rdHasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}
