package redact

import (
	"strconv"
	"strings"
)

func (r *Redactor) netbios(t string) string {
	lower := strings.ToLower(t)
	if n, ok := pseudoNum(lower, "domain"); ok {
		r.domains.reserve(n)
		return t
	}
	if keepNetBIOS(lower) {
		return t
	}
	return shape(t, "domain"+strconv.Itoa(r.domains.number("nb:"+lower)))
}

// hostLabel redacts a single-label computer name.
func (r *Redactor) hostLabel(t string) string {
	lower := strings.ToLower(t)
	if n, ok := pseudoNum(lower, "host"); ok {
		r.hosts.reserve(n)
		return t
	}
	if lower == "localhost" || lower == "" {
		return t
	}
	return shape(t, "host"+strconv.Itoa(r.hosts.number(lower)))
}

// host redacts a host name, fully qualified or not.
func (r *Redactor) host(t string) string {
	if strings.IndexByte(t, '.') < 0 {
		return r.hostLabel(t)
	}
	lower := strings.ToLower(t)
	if keepDomain(lower) {
		return t
	}
	labels := strings.Split(lower, ".")
	for _, l := range labels {
		if l == "" {
			return t
		}
	}
	if fakeTLD(labels[len(labels)-1]) {
		// Already a pseudonym (or a documentation name): keep it and
		// never hand out its numbers.
		for _, l := range labels {
			if n, ok := pseudoNum(l, "host"); ok {
				r.hosts.reserve(n)
			} else if n, ok := pseudoNum(l, "domain"); ok {
				r.domains.reserve(n)
			}
		}
		return t
	}
	org := orgLabels(labels)
	dn := r.domains.number("dns:" + strings.Join(labels[len(labels)-org:], "."))
	pre := labels[:len(labels)-org]
	keep := 0
	for keep < len(pre) && serviceLabel(pre[keep]) {
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
		if n, ok := pseudoNum(hl, "host"); ok {
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
	return shape(t, b.String())
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

// What is not personal.

// keptDomains are domains that, with their subdomains, stay readable:
// Microsoft services, public certification authorities, standards bodies
// and the documentation domains.
var keptDomains = set(
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

// keepDomain reports whether the lower-case host is or is under a kept
// domain.
func keepDomain(lower string) bool {
	for i := 0; ; {
		if keptDomains[lower[i:]] {
			return true
		}
		j := strings.IndexByte(lower[i:], '.')
		if j < 0 {
			return false
		}
		i += j + 1
	}
}

// fakeTLD reports whether tld is reserved for documentation and tests
// (RFC 2606, RFC 6761): names under it are already fake.
func fakeTLD(tld string) bool {
	switch tld {
	case "example", "invalid", "test", "localhost":
		return true
	}
	return false
}

// serviceLabels are first labels that name a published service rather
// than a machine of the customer; they stay in the pseudonym.
var serviceLabels = set(
	"sip", "sipinternal", "sipexternal", "sipfed", "sipdir", "lyncdiscover",
	"lyncdiscoverinternal", "autodiscover", "meet", "dialin", "scheduler",
	"webext", "webint", "webconf", "av", "access", "sts", "adfs", "fs", "sso",
	"www", "mail", "owa", "smtp", "wpad", "isatap", "enterpriseregistration",
	"enterpriseenrollment", "login", "ntp", "time", "ldap", "kerberos",
)

func serviceLabel(l string) bool {
	return serviceLabels[l] || len(l) > 1 && l[0] == '_'
}

// secondLevel are second-level labels under a country code under which
// organisations register (contoso.co.uk).
var secondLevel = set(
	"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go", "gob",
	"mil", "ltd", "plc", "nhs", "sch", "gv", "ad", "lg", "ed", "gr", "nom",
)

// orgLabels returns how many trailing labels make the organisation
// domain: contoso.com, contoso.co.uk, contoso.onmicrosoft.com.
func orgLabels(labels []string) int {
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
	case len(tld) == 2 && secondLevel[sl]:
		return 3
	}
	return 2
}

// netBIOSKeep are the "domains" of built-in Windows principals and
// registry roots, which look like DOMAIN\user but are not personal.
var netBIOSKeep = set(
	"builtin", "authority", "service", "apppool",
	"nt", "manager", "host", "hklm", "hkcu", "hkcr", "hku", "hkcc", "system",
	"software", "workgroup", "localhost", "driver", "window", "font",
)

func keepNetBIOS(lower string) bool { return netBIOSKeep[lower] }

// unc handles the server of \\SERVER\share, starting at k.
func (f *finder) unc(k int) {
	s := f.s
	e := k
	for e < len(s) && e-k < 64 && (isAlnum(s[e]) || s[e] == '-' || s[e] == '_') {
		e++
	}
	if e == k || e < len(s) && s[e] == '.' || !hasLetter(s[k:e]) {
		return // FQDNs and addresses are found by the run scan
	}
	if e < len(s) && s[e] != '\\' && s[e] != ' ' && s[e] != '\t' && s[e] != '\r' && s[e] != '\n' {
		return
	}
	if e+1 < len(s) && s[e] == '\\' && s[e+1] == '\\' {
		return // JSON-escaped text, "\\SystemRoot\\System32": not a share
	}
	f.add(k, e, kindHost, 1)
}

// dcRun handles DC=contoso,DC=local starting at a (the D). It returns the
// index after the run.
func (f *finder) dcRun(a, b int) int {
	s := f.s
	k := b + 1
	end := -1
	for n := 0; n < 16; n++ {
		vs := k
		for k < len(s) && k-vs < 64 && (isAlnum(s[k]) || s[k] == '-' || s[k] == '_') {
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
		if m+3 > len(s) || !hasPrefixFold(s[m:], "dc=") {
			break
		}
		k = m + 3
	}
	if end < 0 {
		return b
	}
	f.add(a, end, kindDC, 1)
	return end
}

// Host names.

// tlds are the top-level domains a dotted word must end in to be taken
// for a host name outside an address: the generic ones, country codes, and
// the names of private Active Directory forests. A short list keeps file
// names (ntuser.dat, lync.exe, Service.svc) out.
var tlds = set(
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

// fileTLDs are country codes that are also common file extensions or
// words (main.cc, run.sh, setup.in, README.md): a name ending in one is
// taken for a host only with three or more labels (sip.contoso.pl).
var fileTLDs = set(
	"ac", "ai", "am", "as", "at", "be", "cc", "do", "id", "im", "in", "is", "it",
	"mc", "md", "me", "mk", "ml", "mm", "ms", "my", "no", "pl", "pm", "ps", "py",
	"rs", "sh", "so", "to", "tv", "us",
)

// notHosts are dotted product names that end in a top-level domain.
var notHosts = set("asp.net", "vb.net", "ado.net")

// hostLike reports whether s[a:b] is a host name. Outside an address
// (strict) its top-level domain must be a known one in lower case or, for
// a name in capitals, in capitals: System.Net is a namespace, not a host.
func hostLike(s string, a, b int, strict bool) bool {
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
	if !tlds[string(lt)] {
		return false
	}
	if labels < 3 && fileTLDs[string(lt)] {
		return false
	}
	if labels == 2 && notHosts[strings.ToLower(t)] {
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

// netBIOSLike reports whether t can be a NetBIOS domain name: up to 15
// characters with a letter, all in capitals or all in lower case (Microsoft\
// Office is a path), not a built-in principal's domain.
func netBIOSLike(t string) bool {
	if len(t) < 2 || len(t) > 15 || !isLetter(t[0]) {
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
	if otherPseudonym(l, "domain") {
		return false // user1 after a redaction is not a domain
	}
	return !keepNetBIOS(l)
}
