package redact

import (
	"strings"

	"github.com/sfblog/sfblog/event"
)

// Fields that name the computer or the account an event is about. A
// name learned from them is replaced wherever it appears as a whole word,
// also where no rule would recognise it (a bare "WKS0042" in a log line).
var (
	computerFields = []string{
		"evt.computer", "net.host", "evt.data.WorkstationName", "evt.data.Workstation",
		"evt.data.ComputerName", "evt.data.MachineName",
	}
	// accountFields hold an account: jdoe, CONTOSO\jdoe or jdoe@contoso.com.
	accountFields = []string{
		"evt.data.TargetUserName", "evt.data.SubjectUserName", "evt.data.UserName",
		"evt.data.AccountName", "ad.sam",
	}
	// addressFields hold addresses whose user part is an account name
	// (the UPN's is usually the sAMAccountName): jackr@contoso.com lets a
	// bare "logon as jackr" be replaced.
	addressFields = []string{
		"ad.upn", "ad.mail", "ad.sip_address", "ad.proxy_addresses", "sip.from.uri", "sip.to.uri",
	}
	// domainFields hold a NetBIOS domain name.
	domainFields = []string{
		"evt.data.TargetDomainName", "evt.data.SubjectDomainName", "evt.data.DomainName",
		"evt.data.AccountDomain",
	}
	// displayFields hold a SIP header whose display name is a person's:
	// "Grace Hopkins" <sip:grace@contoso.com>.
	displayFields = []string{
		"sip.header.from", "sip.header.to", "sip.header.referred-by", "sip.header.p-asserted-identity",
	}
)

// commonNames are words that a learned account name must not be: they
// are everywhere in logs, and a learned name is replaced wherever it
// appears as a word (a service address meet@ or lync@ must not turn
// every "Lync" into user3).
var commonNames = set(
	"user", "users", "username", "account", "accounts", "name", "names", "domain",
	"host", "computer", "machine", "client", "server", "service", "services",
	"admin", "admins", "root", "test", "tests", "info", "support", "help",
	"helpdesk", "sip", "sips", "tel", "lync", "skype", "meet", "meeting",
	"conference", "conf", "focus", "dialin", "voicemail", "voice", "phone",
	"room", "rooms", "office", "mail", "email", "noreply", "no-reply",
	"postmaster", "webmaster", "sales", "team", "system", "local", "public",
	"default", "contact", "contacts", "presence", "external", "internal",
	"federation", "edge", "pool", "front", "sign-in", "signin", "login",
	"logon", "auth", "token", "update", "error", "warning", "debug",
	"trace", "true", "false", "null", "none", "unknown",
	// words of sfblog's own findings, which are redacted too, and of the
	// services they name
	"proxy", "dns", "adfs", "sts", "exchange", "outlook", "teams", "cert",
	"certificate", "time", "clock", "ntp", "ldap", "kerberos", "ntlm", "web",
	"www", "discover", "autodiscover", "lyncdiscover", "directory", "network",
	"remote", "address", "status", "access", "guest", "visitor", "operator",
	"reception", "desk", "attendant", "bot", "queue", "group", "line", "sfblog",
	"signature", "windows", "microsoft", "communicator", "business", "tracing",
	"healthy", "failed", "fail", "pass", "online", "offline", "away", "busy",
	"available",
)

// maxLearned bounds the length of a learned name.
const maxLearned = 63

// learning collects what Learn finds in one event, to be added under the
// lock in one go.
type learning struct {
	names   []string
	kinds   []kind
	netbios []string
	phrases []string
}

func (l *learning) name(v string, k kind) {
	if learnable(v) {
		l.names, l.kinds = append(l.names, v), append(l.kinds, k)
	}
}

// account learns an account field's value: a name, a machine account
// (WKS-0042$), DOMAIN\name or name@domain.
func (l *learning) account(v string) {
	if b := strings.LastIndexByte(v, '\\'); b > 0 {
		if d := v[:b]; netBIOSLike(d) {
			l.netbios = append(l.netbios, d)
		}
		v = v[b+1:]
	}
	if at := strings.IndexByte(v, '@'); at > 0 {
		v = v[:at]
	}
	if strings.HasSuffix(v, "$") { // a machine account: WKS-0042$
		l.name(v[:len(v)-1], kindHost)
		return
	}
	if !commonNames[strings.ToLower(v)] {
		l.name(v, kindUser)
	}
}

// address learns the user part of each address in v ("sip:jackr@contoso.com",
// "SMTP:jackr@contoso.com", one per line).
func (l *learning) address(v string) {
	for n := 0; v != "" && n < 64; n++ {
		line := v
		if e := strings.IndexByte(v, '\n'); e >= 0 {
			line, v = v[:e], v[e+1:]
		} else {
			v = ""
		}
		at := strings.IndexByte(line, '@')
		if at <= 0 {
			continue
		}
		u := line[:at]
		if c := strings.LastIndexByte(u, ':'); c >= 0 { // sip:, SMTP:
			u = u[c+1:]
		}
		if !commonNames[strings.ToLower(u)] {
			l.name(u, kindUser)
		}
		l.orgDomain(line[at+1:])
	}
}

// orgDomain learns the NetBIOS name an organisation's DNS domain most
// likely has: the first label of its organisation domain, in capitals
// (bob@contoso.com, WKS-0042.contoso.local: CONTOSO). It is only used for
// DOMAIN/user with a slash, in capitals, where it can hardly be anything
// else than an account; Microsoft and documentation domains teach nothing.
func (l *learning) orgDomain(host string) {
	if e := strings.IndexAny(host, ";>?:/ "); e >= 0 {
		host = host[:e] // sip:bob@contoso.com;user=phone
	}
	host = strings.ToLower(strings.Trim(host, "."))
	if strings.IndexByte(host, '.') < 0 || len(host) > 253 || keepDomain(host) {
		return
	}
	labels := strings.Split(host, ".")
	if fakeTLD(labels[len(labels)-1]) {
		return
	}
	org := labels[len(labels)-orgLabels(labels)]
	if netBIOSLike(org) {
		l.netbios = append(l.netbios, org)
	}
}

// Learn records the single-label computer and account names that e names
// (evt.computer, ipconfig's net.host, the account of a logon event, a
// directory user's sAMAccountName and the user part of its addresses, the
// user part of SIP From and To, DOMAIN\user in e's text, the profile folder
// of e's path), so that Redact replaces them wherever they appear as a
// word; NetBIOS domain names (logon events, DOMAIN\user, and the first
// label of the organisation's DNS domains), so that Redact knows
// DOMAIN/user written with a slash; and display names (SIP From and To, the CN of a directory
// user), so that Redact replaces them in prose. Call Learn for every
// event before the first Redact: what is learned is a set, so the order
// of the calls, and concurrent calls, do not change the result.
func (r *Redactor) Learn(e *event.Event) {
	if r == nil || e == nil {
		return
	}
	var l learning
	for _, k := range computerFields {
		v := e.Get(k)
		if d := strings.IndexByte(v, '.'); d >= 0 {
			l.orgDomain(v[d+1:])
			v = v[:d] // WKS-0042.contoso.local
		}
		l.name(v, kindHost)
	}
	for _, k := range accountFields {
		if v := e.Get(k); v != "" {
			l.account(v)
		}
	}
	for _, k := range addressFields {
		if v := e.Get(k); v != "" {
			l.address(v)
		}
	}
	for _, k := range domainFields {
		if v := e.Get(k); netBIOSLike(v) {
			l.netbios = append(l.netbios, v)
		} else if strings.IndexByte(v, '.') > 0 {
			l.orgDomain(v) // CONTOSO.LOCAL
		}
	}
	if u := profileName(e.Path); u != "" {
		l.name(u, kindUser)
	}
	l.text(e.Text)
	for _, k := range displayFields {
		if v := e.Get(k); v != "" {
			l.phrase(sipDisplayName(v))
		}
	}
	if dn := e.Get("ad.dn"); dn != "" {
		l.phrase(firstCN(dn))
	}
	if len(l.names) == 0 && len(l.netbios) == 0 && len(l.phrases) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(l.names) > 0 && r.known == nil {
		r.known = make(map[string]kind)
	}
	for i, n := range l.names {
		key := strings.ToLower(n)
		if !r.knownWide && hasNonASCII(key) {
			r.knownWide = true
		}
		if old, ok := r.known[key]; ok && old == kindHost {
			continue // a computer name wins over an account of that name
		}
		r.known[key] = l.kinds[i]
	}
	for _, n := range l.netbios {
		if r.nbNames == nil {
			r.nbNames = make(map[string]bool)
		}
		r.nbNames[strings.ToLower(n)] = true
	}
	for _, p := range l.phrases {
		if r.phrases == nil {
			r.phrases = make(map[string]bool)
		}
		r.phrases[p] = true
	}
}

// maxTextSlashes bounds how many backslashes of an event's text Learn
// looks at.
const maxTextSlashes = 32

// text learns DOMAIN\user written in an event's text (a log line's
// "trying NTLM with the credentials the user entered (CONTOSO\bob)"): the
// account and its domain. Only a domain in capitals counts here, as
// Windows writes them: "line\nnext" is an escape, not an account.
func (l *learning) text(s string) {
	l.profiles(s)
	if strings.IndexByte(s, '\\') < 0 {
		return
	}
	f := finder{s: s}
	for i, n := 0, 0; i < len(s) && n < maxTextSlashes; n++ {
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			break
		}
		i += j
		w := 1
		if i+1 < len(s) && s[i+1] == '\\' {
			w = 2
		}
		f.spans = f.spans[:0]
		f.backslash(i, w)
		if len(f.spans) == 2 && f.spans[1].kind == kindUser {
			d, u := f.spans[0], f.spans[1]
			dom := s[d.start:d.end]
			if strings.ToUpper(dom) == dom {
				if d.kind == kindNetBIOS {
					l.netbios = append(l.netbios, dom)
				}
				l.account(s[u.start:u.end])
			}
		}
		i += w
	}
}

// profiles learns the user profile folders named in an event's text, as
// the profile folder of an event's path is learned (a log line's
// "C:\Users\asmith\AppData\..."): Redact then replaces the name wherever
// it appears as a word, not only in that path (\\fs01\home$\asmith). At
// most maxTextSlashes folders are learned from one text; learnable
// leaves out the shared ones (Public, Default) and pseudonyms.
func (l *learning) profiles(s string) {
	if strings.IndexByte(s, '\\') < 0 && strings.IndexByte(s, '/') < 0 {
		return
	}
	for i, n := 0, 0; n < maxTextSlashes; n++ {
		u, next := nextProfile(s, i)
		if next < 0 {
			return
		}
		l.name(u, kindUser)
		i = next
	}
}

// learnable reports whether v can be learned: a single word of name
// characters with a letter, not a built-in account or a value that says
// nothing ("-", "SYSTEM", "DWM-1"), not already a pseudonym.
func learnable(v string) bool {
	if len(v) < 3 || len(v) > maxLearned || !hasLetter(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !isAlnum(c) && c != '-' && c != '_' && c < 0x80 {
			return false
		}
	}
	l := strings.ToLower(v)
	if keepValues[l] || keepProfiles[l] || l == "localhost" {
		return false
	}
	for _, p := range [...]string{"dwm-", "umfd-"} { // Window Manager and font driver accounts
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	for _, p := range [...]string{"user", "host", "name", "domain"} {
		if _, ok := pseudoNum(l, p); ok {
			return false
		}
	}
	return true
}

// profileName returns the user profile folder named in path
// (C:\Users\jdoe\..., bundle.zip!/Users/jdoe/..., C:\Documents and
// Settings\jdoe\..., /home/jdoe/...), or "".
func profileName(path string) string {
	name, _ := nextProfile(path, 0)
	return name
}

// nextProfile returns the first user profile folder named in path at or
// after i, as profileName, and the index after its name; "" and -1 when
// there is none.
func nextProfile(path string, i int) (string, int) {
	for ; i+6 < len(path); i++ {
		var k int
		switch {
		case i > 0 && path[i-1] != '/' && path[i-1] != '\\':
			continue
		case hasPrefixFold(path[i:], "users"):
			k = i + len("users")
		case hasPrefixFold(path[i:], "documents and settings"):
			k = i + len("documents and settings")
		case i > 0 && path[i-1] == '/' && strings.HasPrefix(path[i:], "home/") && (i == 1 || !isRun(path[i-2])):
			k = i + len("home")
		default:
			continue
		}
		if k >= len(path) || (path[k] != '/' && path[k] != '\\') {
			continue
		}
		rest := path[k+1:]
		if e := strings.IndexAny(rest, `/\`); e > 0 {
			return rest[:e], k + 1 + e
		}
	}
	return "", -1
}

// learned reports whether the word s[a:b] is a learned name, and its kind.
func (f *finder) learned(a, b int) (kind, bool) {
	if len(f.known) == 0 || b-a > maxLearned {
		return 0, false
	}
	var buf [maxLearned]byte
	n := copy(buf[:], f.s[a:b])
	for i := range n {
		if c := buf[i]; c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	k, ok := f.known[string(buf[:n])]
	return k, ok
}

// hasNonASCII reports whether t has a byte outside ASCII.
func hasNonASCII(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] >= 0x80 {
			return true
		}
	}
	return false
}

// isNameChar reports whether c can be part of a learned name: what
// learnable accepts.
func isNameChar(c byte) bool { return isAlnum(c) || c >= 0x80 || c == '-' || c == '_' }

// findWideNames adds the learned names with non-ASCII letters (Jürgen,
// from C:\Users\Jürgen): the run scan reads ASCII words only and would
// never see them whole. ASCII letters match in any case, the others as
// learned.
func (f *finder) findWideNames() {
	s := f.s
	for i := 0; i < len(s); {
		if !isNameChar(s[i]) {
			i++
			continue
		}
		j, wide := i, false
		for j < len(s) && isNameChar(s[j]) {
			wide = wide || s[j] >= 0x80
			j++
		}
		a, b := trimRun(s, i, j)
		if wide && a < b {
			if k, ok := f.learned(a, b); ok {
				f.add(a, b, k, 1)
			}
		}
		i = j
	}
}
