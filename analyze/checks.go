package analyze

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
)

// Values of check.result.
const (
	CheckPass = "pass"
	CheckFail = "fail"
)

// Online DNS targets of the records a Skype for Business Online domain
// needs (KB 2566790; signin-errors.md). The older sipdir.online.microsoft.com
// is accepted in evidence.
var (
	sipTargets          = []string{"sipdir.online.lync.com", "sipdir.online.microsoft.com"}
	lyncdiscoverTargets = []string{"webdir.online.lync.com"}
	// defaultTrusted are Microsoft's own Online domains, which need no
	// TrustModelData entry.
	defaultTrusted = []string{"lync.com", "microsoftonline.com"}
)

// maxFacts bounds what one input keeps for the derived checks.
const maxFacts = 256

// facts is what the derived checks need of the evidence, kept small: the
// DNS answers, the clock offsets, the registry values and directory users
// that decide or rule out a cause, each with the event that shows it.
type facts struct {
	dns      map[string]*event.Event // by query name and type
	clock    *event.Event            // the clock sample with the largest offset
	clockAbs float64
	// tolerance is the clock skew the Sign-in Assistant accepts, from the
	// MSOIdentityCRL ClockSkew value (seconds, KB 2581291), when exported.
	tolerance *event.Event
	trust     []*event.Event // TrustModelData values
	policyKey *event.Event   // any value under the Communicator policies key
	proxies   []*event.Event // proxy settings in effect
	users     []*event.Event // directory users
	certs     []*event.Event // certificate verification results and certificates
	login     *event.Event   // a failure toward the online login endpoints
	trustText []*event.Event // trust dialog texts
}

func newFacts() *facts { return &facts{dns: map[string]*event.Event{}} }

// reLoginFailure finds a failure code next to the online login endpoints.
// Every match holds one of loginWords and one of loginCodes or 407.
var reLoginFailure = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(login\.microsoftonline\.com|login\.windows\.net|msoidsvc|idcrl).*(0x80072efd|0x80072ee2|0x80048848|0x8004886c|\b407\b)|(0x80072efd|0x80072ee2|0x80048848|0x8004886c|\b407\b).*(login\.microsoftonline\.com|login\.windows\.net|msoidsvc|idcrl)`)
})

// The words of reLoginFailure: a login endpoint, and a failure code (and
// 407 as a whole word).
var (
	loginWords = [...]string{"login.microsoftonline.com", "login.windows.net", "msoidsvc", "idcrl"}
	loginCodes = []string{"0x80072efd", "0x80072ee2", "0x80048848", "0x8004886c"}
)

// isLoginFailure is reLoginFailure().MatchString(text) without the
// expression, which backtracks for long on a long line. The expression
// matches within a line (its dots do not match a line break) that holds a
// login word and a code in either order, which cannot overlap (the words
// hold no digit, the codes share no prefix with their suffixes): so it
// matches where a line holds both. Non-ASCII text goes to the expression,
// since (?i) folds some non-ASCII letters to ASCII ones (ſ to s).
func isLoginFailure(text string) bool {
	if !isASCII(text) {
		return reLoginFailure().MatchString(text)
	}
	// next[k] is where loginWords[k] is next found at or after the line
	// being looked at, -1 when nowhere: each word's search moves forward
	// only, so a text of many lines holding one word is read once per
	// word, not once per line.
	var next [len(loginWords)]int
	for k := range next {
		next[k] = -2 // not searched yet
	}
	for from := 0; from < len(text); {
		at := -1
		for k, w := range loginWords {
			if next[k] != -1 && next[k] < from {
				if i := indexFoldASCII(text[from:], w); i >= 0 {
					next[k] = from + i
				} else {
					next[k] = -1
				}
			}
			if next[k] >= 0 && (at < 0 || next[k] < at) {
				at = next[k]
			}
		}
		if at < 0 {
			return false
		}
		start := strings.LastIndexByte(text[:at], '\n') + 1
		end := strings.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		if hasLoginCode(text[start:end]) {
			return true
		}
		from = end + 1
	}
	return false
}

// hasLoginCode reports whether the ASCII line holds one of loginCodes,
// ignoring case, or 407 between non-word bytes (\b407\b).
func hasLoginCode(line string) bool {
	for _, c := range loginCodes {
		if containsFoldASCII(line, c) {
			return true
		}
	}
	for i := 0; ; {
		j := strings.Index(line[i:], "407")
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || !isWordByte(line[j-1])) && (j+3 == len(line) || !isWordByte(line[j+3])) {
			return true
		}
		i = j + 1
	}
}

// isWordByte reports whether c is an ASCII word byte (\w).
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// observe keeps what e contributes to the checks.
func (f *facts) observe(e *event.Event) {
	switch e.Kind {
	case event.KindDNS:
		q := e.Get("dns.query")
		if q == "" {
			return
		}
		key := q + "\x00" + e.Get("dns.type")
		old, seen := f.dns[key]
		// A conclusive answer beats a time-out; a later conclusive answer
		// beats an earlier one.
		if !seen && len(f.dns) >= maxFacts {
			return
		}
		if !seen || conclusive(e) || !conclusive(old) {
			f.dns[key] = e
		}
	case event.KindClock:
		v, err := strconv.ParseFloat(e.Get("clock.offset"), 64)
		if err != nil || math.IsNaN(v) {
			return
		}
		if f.clock == nil || math.Abs(v) > f.clockAbs {
			f.clock, f.clockAbs = e, math.Abs(v)
		}
	case event.KindRegistry:
		path := strings.ToLower(e.Get("reg.path"))
		name := strings.ToLower(e.Get("reg.name"))
		if strings.HasPrefix(path, `software\policies\microsoft\communicator`) {
			if f.policyKey == nil {
				f.policyKey = e
			}
			if name == "trustmodeldata" && e.Get("reg.deleted") != "true" && len(f.trust) < maxFacts {
				f.trust = append(f.trust, e)
			}
		}
		// The Sign-in Assistant writes the skew it measured against the
		// Online service as the ClockSkew DWORD, in seconds; present, it
		// is "most likely the cause" (KB 2581291; 300 is 5 minutes).
		if strings.HasSuffix(path, `\msoidentitycrl`) && name == "clockskew" && e.Get("reg.type") == "REG_DWORD" {
			if v, err := strconv.ParseFloat(e.Get("reg.data"), 64); err == nil && (f.clock == nil || v > f.clockAbs) {
				f.clock, f.clockAbs = e, v
			}
		}
		if strings.HasSuffix(path, `\internet settings`) && (name == "proxyserver" || name == "proxyenable") && len(f.proxies) < maxFacts {
			f.proxies = append(f.proxies, e)
		}
	case event.KindProxy:
		if e.Get("proxy.direct") != "true" && e.Get("proxy.server") != "" && len(f.proxies) < maxFacts {
			f.proxies = append(f.proxies, e)
		}
	case event.KindDirectory:
		if len(f.users) < maxFacts {
			f.users = append(f.users, e)
		}
	case event.KindCert:
		if len(f.certs) < maxFacts && (e.Get("cert.result") != "" || e.Get("cert.self_signed") == "true") {
			f.certs = append(f.certs, e)
		}
	case event.KindHRESULT, event.KindLog:
		if f.login == nil && e.Source == event.SourceUccApilog && isLoginFailure(e.Text) {
			f.login = e
		}
	case event.KindUIText:
		if e.Get("ui.key") == "trust-prompt" && len(f.trustText) < maxFacts {
			f.trustText = append(f.trustText, e)
		}
	}
}

// merge adds the facts of another input.
func (f *facts) merge(o *facts) {
	for _, k := range sortedKeys(o.dns) {
		e := o.dns[k]
		if old, ok := f.dns[k]; !ok || conclusive(e) || !conclusive(old) {
			f.dns[k] = e
		}
	}
	if o.clock != nil && (f.clock == nil || o.clockAbs > f.clockAbs) {
		f.clock, f.clockAbs = o.clock, o.clockAbs
	}
	if f.policyKey == nil {
		f.policyKey = o.policyKey
	}
	if f.login == nil {
		f.login = o.login
	}
	f.trust = append(f.trust, o.trust...)
	f.proxies = append(f.proxies, o.proxies...)
	f.users = append(f.users, o.users...)
	f.certs = append(f.certs, o.certs...)
	f.trustText = append(f.trustText, o.trustText...)
}

// conclusive reports whether a DNS result says something about the
// records (an answer, or that the name does not exist), unlike a time-out
// or a server failure.
func conclusive(e *event.Event) bool {
	switch e.Get("dns.status") {
	case "ok", "nxdomain", "noanswer":
		return true
	}
	return false
}

// checks derives the check events: DNS records of the user's domain, the
// clock offset, TrustModelData, the user's directory object, a proxy on the
// Sign-in Assistant's path and the AD FS certificate.
func (f *facts) checks(address string) []*event.Event {
	var out []*event.Event
	for _, d := range f.domains(address) {
		out = append(out, f.dnsChecks(d)...)
	}
	if c := f.clockCheck(); c != nil {
		out = append(out, c)
	}
	out = append(out, f.trustChecks(address)...)
	if c := f.userCheck(address); c != nil {
		out = append(out, c)
	}
	if c := f.proxyCheck(); c != nil {
		out = append(out, c)
	}
	out = append(out, f.certChecks()...)
	return out
}

// check builds a check event located at the evidence that decided it.
func check(at *event.Event, name, result, subject, detail string) *event.Event {
	e := &event.Event{Source: at.Source, Kind: event.KindCheck, Path: at.Path, Line: at.Line, EndLine: at.EndLine,
		RecordID: at.RecordID, Time: at.Time, Local: at.Local,
		Text: "[sfblog check " + name + ": " + result + "] " + detail + "\n" + at.Text}
	e.Set("check.name", name)
	e.Set("check.result", result)
	e.Set("check.subject", subject)
	e.Set("check.detail", detail)
	// The text holds at's: its secret values go with it, so that they are
	// masked in it (an AD export's userPassword).
	for k, v := range at.Fields {
		if mask.SecretField(at, k) {
			e.Set(k, v)
			if k == "reg.data" {
				e.Set("reg.name", at.Get("reg.name"))
			}
		}
	}
	return e
}

// domains are the user's domains to check: the sign-in address's, else
// every domain the DNS look-ups were about.
func (f *facts) domains(address string) []string {
	if d := domainOf(address); d != "" {
		return []string{d}
	}
	seen := map[string]bool{}
	for _, k := range sortedKeys(f.dns) {
		q, _, _ := strings.Cut(k, "\x00")
		for _, p := range []string{"sip.", "lyncdiscover.", "_sip._tls."} {
			if d, ok := strings.CutPrefix(q, p); ok && strings.Contains(d, ".") {
				seen[d] = true
			}
		}
	}
	return sortedKeys(seen)
}

// domainOf returns the domain of "sip:bob@contoso.com", lower-case.
func domainOf(address string) string {
	_, d, ok := strings.Cut(address, "@")
	if !ok {
		return ""
	}
	d, _, _ = strings.Cut(d, ";")
	d, _, _ = strings.Cut(d, ">")
	return strings.ToLower(strings.TrimSpace(d))
}

// lookup returns the most telling result for name: an answer of one of
// the types wanted, else a non-existent name, else nil.
func (f *facts) lookup(name string, types ...string) *event.Event {
	var nx *event.Event
	for _, k := range sortedKeys(f.dns) {
		q, _, _ := strings.Cut(k, "\x00")
		if q != name {
			continue
		}
		e := f.dns[k]
		switch e.Get("dns.status") {
		case "nxdomain":
			nx = e
		case "ok", "noanswer":
			t := strings.ToUpper(e.Get("dns.type"))
			for _, w := range types {
				if t == w || (e.Get("dns.cname") != "" && w == "CNAME") {
					return e
				}
			}
		}
	}
	return nx
}

// dnsChecks checks sip.D, lyncdiscover.D and _sip._tls.D, and says when all
// three are right.
func (f *facts) dnsChecks(d string) []*event.Event {
	var out []*event.Event
	passed := 0
	cname := func(name, checkName string, targets []string) {
		e := f.lookup(name, "CNAME", "A", "AAAA")
		if e == nil {
			return
		}
		got := strings.TrimSuffix(strings.ToLower(e.Get("dns.cname")), ".")
		switch {
		case e.Get("dns.status") == "nxdomain":
			out = append(out, check(e, checkName, CheckFail, name, name+" does not exist in DNS"))
		case e.Get("dns.status") == "noanswer" && got == "":
			out = append(out, check(e, checkName, CheckFail, name, name+" has no record"))
		case contains(targets, got):
			passed++
			out = append(out, check(e, checkName, CheckPass, name, name+" is a CNAME to "+got))
		case got == "":
			out = append(out, check(e, checkName, CheckFail, name, name+" is not a CNAME to "+targets[0]+" (it resolves to "+orNone(e.Get("dns.addresses"))+")"))
		default:
			out = append(out, check(e, checkName, CheckFail, name, name+" is a CNAME to "+got+", not to "+targets[0]))
		}
	}
	cname("sip."+d, "dns.sip", sipTargets)
	cname("lyncdiscover."+d, "dns.lyncdiscover", lyncdiscoverTargets)
	name := "_sip._tls." + d
	if e := f.lookup(name, "SRV"); e != nil {
		// Several records come joined by ",": the first (answer order)
		// is the one the client tries first.
		target, _, _ := strings.Cut(e.Get("dns.srv.target"), ",")
		target = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(target)), ".")
		port, _, _ := strings.Cut(e.Get("dns.srv.port"), ",")
		port = strings.TrimSpace(port)
		switch {
		case e.Get("dns.status") == "nxdomain" || (e.Get("dns.status") == "noanswer" && target == ""):
			out = append(out, check(e, "dns.sip_tls", CheckFail, name, name+" has no SRV record"))
		case contains(sipTargets, target) && port == "443":
			passed++
			out = append(out, check(e, "dns.sip_tls", CheckPass, name, name+" is an SRV record to "+target+":443"))
		default:
			out = append(out, check(e, "dns.sip_tls", CheckFail, name, fmt.Sprintf("%s points at %s:%s, not at %s:443", name, orNone(target), orNone(port), sipTargets[0])))
		}
	}
	if passed == 3 {
		last := out[len(out)-1]
		out = append(out, check(last, "dns.all", CheckPass, d, "sip, lyncdiscover and _sip._tls records of "+d+" point at Skype for Business Online"))
	}
	return out
}

// clockCheck compares the largest clock offset measured (w32tm) or
// recorded by the Sign-in Assistant (MSOIdentityCRL ClockSkew) with the
// 5-minute tolerance of Kerberos and the Online sign-in service.
func (f *facts) clockCheck() *event.Event {
	e := f.clock
	if e == nil {
		return nil
	}
	if e.Kind == event.KindRegistry {
		const peer = "the Microsoft Online sign-in service"
		detail := "the Sign-in Assistant recorded a clock skew of " + e.Get("reg.data") + " s (MSOIdentityCRL ClockSkew)"
		if f.clockAbs >= 300 {
			return check(e, "clock.offset", CheckFail, peer, detail+", 5 minutes or more")
		}
		return nil // a smaller recorded skew neither decides nor rules out
	}
	peer := e.Get("clock.peer")
	if peer == "" {
		peer = "the time source"
	}
	off, _ := strconv.ParseFloat(e.Get("clock.offset"), 64)
	detail := fmt.Sprintf("the computer clock differs from %s by %s", peer, formatSeconds(off))
	if f.clockAbs > 300 {
		return check(e, "clock.offset", CheckFail, peer, detail+", more than 5 minutes")
	}
	return check(e, "clock.offset", CheckPass, peer, detail+", within 5 minutes")
}

// formatSeconds renders an offset as "-7 min 42 s" or "+0.012 s".
func formatSeconds(s float64) string {
	sign := "+"
	if s < 0 {
		sign, s = "-", -s
	}
	if s < 60 {
		return fmt.Sprintf("%s%.3g s", sign, s)
	}
	m := int(s) / 60
	return fmt.Sprintf("%s%d min %d s", sign, m, int(s)%60)
}

// trustChecks checks that the user's domain and the servers named in the
// trust dialog are in TrustModelData, when the Communicator policies were
// exported.
func (f *facts) trustChecks(address string) []*event.Event {
	if f.policyKey == nil {
		return nil
	}
	want := map[string]bool{}
	if d := domainOf(address); d != "" {
		want[d] = true
	}
	for _, e := range f.trustText {
		// The dialog names the server ("Lync is attempting to connect to:
		// <FQDN>", KB 2531068); the log line around the text may too.
		for _, h := range reHost().FindAllString(e.Get("ui.context")+"\n"+e.Text, -1) {
			h = strings.ToLower(h)
			if tld := h[strings.LastIndexByte(h, '.')+1:]; len(tld) > 6 {
				continue // a file name (Lync-UccApi-0.UccApilog), not a host
			}
			want[registrable(h)] = true
		}
	}
	listed := map[string]bool{}
	var at *event.Event = f.policyKey
	for _, e := range f.trust {
		at = e
		for _, d := range strings.FieldsFunc(strings.ToLower(e.Get("reg.data")), func(r rune) bool {
			return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t'
		}) {
			listed[strings.Trim(d, ".*")] = true
		}
	}
	var out []*event.Event
	for _, d := range sortedKeys(want) {
		if d == "" || contains(defaultTrusted, d) {
			continue
		}
		switch {
		case len(f.trust) == 0:
			out = append(out, check(at, "trust.domain", CheckFail, d, "the Communicator policies hold no TrustModelData value, so "+d+" is not trusted"))
		case trusted(listed, d):
			out = append(out, check(at, "trust.domain", CheckPass, d, d+" is in TrustModelData"))
		default:
			out = append(out, check(at, "trust.domain", CheckFail, d, d+" is missing from TrustModelData ("+orNone(at.Get("reg.data"))+")"))
		}
	}
	return out
}

var reHost = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b`) })

// trusted reports whether d or a parent domain of d is listed.
func trusted(listed map[string]bool, d string) bool {
	for d != "" {
		if listed[d] {
			return true
		}
		_, rest, ok := strings.Cut(d, ".")
		if !ok || !strings.Contains(rest, ".") {
			return false
		}
		d = rest
	}
	return false
}

// registrable returns the last two labels of a host name.
func registrable(h string) string {
	labels := strings.Split(strings.TrimSuffix(h, "."), ".")
	if len(labels) <= 2 {
		return h
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// userCheck checks the user's directory object: msRTCSIP-UserEnabled and
// a SIP address.
func (f *facts) userCheck(address string) *event.Event {
	u := f.user(address)
	if u == nil {
		return nil
	}
	name := firstNonEmpty(u.Get("ad.upn"), u.Get("ad.sip_address"), u.Get("ad.dn"))
	switch enabled := u.Get("ad.sip_enabled"); {
	case enabled == "false":
		return check(u, "ad.sip_enabled", CheckFail, name, "msRTCSIP-UserEnabled is FALSE for "+name)
	case enabled == "true" && u.Get("ad.sip_address") != "":
		return check(u, "ad.sip_enabled", CheckPass, name, "msRTCSIP-UserEnabled is TRUE and the SIP address is "+u.Get("ad.sip_address"))
	case enabled == "true":
		return check(u, "ad.sip_enabled", CheckFail, name, name+" has no msRTCSIP-PrimaryUserAddress")
	}
	return nil
}

// user finds the directory object of the sign-in address, or the only one
// exported when the address is unknown.
func (f *facts) user(address string) *event.Event {
	addr := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(address, "sip:"), "SIP:"))
	if addr == "" {
		if len(f.users) == 1 {
			return f.users[0]
		}
		return nil
	}
	for _, u := range f.users {
		for _, v := range []string{u.Get("ad.sip_address"), u.Get("ad.upn"), u.Get("ad.mail")} {
			if strings.EqualFold(strings.TrimPrefix(strings.ToLower(v), "sip:"), addr) {
				return u
			}
		}
		for _, p := range strings.Split(u.Get("ad.proxy_addresses"), "\n") {
			if strings.EqualFold(strings.TrimSpace(p), "sip:"+addr) {
				return u
			}
		}
	}
	return nil
}

// proxyCheck reports a proxy on the Sign-in Assistant's path when the
// client log shows failures toward the online login endpoints.
func (f *facts) proxyCheck() *event.Event {
	if f.login == nil {
		return nil
	}
	for _, p := range f.proxies {
		if p.Kind == event.KindRegistry {
			if strings.EqualFold(p.Get("reg.name"), "ProxyEnable") && p.Get("reg.data") == "1" {
				return check(p, "proxy.signin", CheckFail, "Internet Settings", "a proxy is enabled for the user (ProxyEnable=1) and the Sign-in Assistant failed toward the online login endpoints")
			}
			continue
		}
		return check(p, "proxy.signin", CheckFail, p.Get("proxy.server"), "WinHTTP sends the Sign-in Assistant's requests through "+p.Get("proxy.server")+" and they failed toward the online login endpoints")
	}
	return nil
}

// certChecks checks the certificates of AD FS hosts: self-signed or not
// chaining to a trusted root fails.
func (f *facts) certChecks() []*event.Event {
	var out []*event.Event
	done := map[string]bool{}
	for _, c := range f.certs {
		host := strings.ToLower(firstNonEmpty(c.Get("cert.host"), cnOf(c.Get("cert.subject"))))
		if !isADFSHost(host) || done[host] {
			continue
		}
		done[host] = true
		switch {
		case c.Get("cert.self_signed") == "true":
			out = append(out, check(c, "cert.adfs", CheckFail, host, "the certificate of "+host+" is self-signed"))
		case c.Get("cert.result") == "error":
			out = append(out, check(c, "cert.adfs", CheckFail, host, "the certificate of "+host+" does not verify: "+firstNonEmpty(c.Get("cert.error.text"), c.Get("cert.error"))))
		case c.Get("cert.result") == "ok":
			out = append(out, check(c, "cert.adfs", CheckPass, host, "the certificate of "+host+" chains to a trusted root"))
		}
	}
	return out
}

var reADFS = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)(^|[.-])(adfs|sts|fs)\d*[.-]|federation`) })

// isADFSHost reports whether a host name looks like an AD FS endpoint
// (adfs.contoso.com, sts.contoso.com, fs.contoso.com).
func isADFSHost(h string) bool { return h != "" && reADFS().MatchString(h) }

// cnOf returns the CN of a distinguished name.
func cnOf(dn string) string {
	for _, part := range strings.Split(dn, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "CN="); ok {
			return v
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
