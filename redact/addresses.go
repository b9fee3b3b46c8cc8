package redact

import (
	"strings"
)

func (f *finder) sid(a, b int) bool {
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
	f.add(a, b, kindSID, 0)
	return true
}

// address handles user@domain around the '@' (or "%40", w == 3) at i.
func (f *finder) address(i, w int) {
	s := f.s
	ls := i
	for ls > 0 && i-ls < maxReach && isLocal(s[ls-1]) {
		ls--
	}
	if ls > 0 && isLocal(s[ls-1]) {
		return // too long for the user part of an address
	}
	// DOMAIN%5Cuser@... and escapes such as sip%3Abob@...
	nbs, nbe := -1, -1
	if p := lastIndexFold(s[ls:i], "%5c"); p >= 0 {
		nbe = ls + p
		if nbe > ls && s[nbe-1] == '%' { // %%5C
			nbe--
		}
		nbs = afterEscapes(s, ls, nbe)
		ls += p + 3
	} else {
		ls = afterEscapes(s, ls, i)
	}
	for ls < i && (s[ls] == '.' || s[ls] == '-' || s[ls] == '\'') {
		ls++
	}
	// sip:marko:<masked>@fabrikam.com: the password of URL userinfo as
	// package mask leaves it; the user before it is still personal.
	masked := w == 1 && ls == i && strings.HasSuffix(s[:i], ":"+maskedValue)
	if !masked && (ls >= i || !hasAlnum(s[ls:i])) {
		return
	}
	ds := i + w
	de := ds
	for de < len(s) && de-ds < maxReach && isRun(s[de]) {
		de++
	}
	if de < len(s) && isRun(s[de]) {
		f.userOnly(masked, i)
		return
	}
	for de > ds && (s[de-1] == '.' || s[de-1] == '-') {
		de--
	}
	if de == ds {
		f.userOnly(masked, i)
		return
	}
	dom := s[ds:de]
	switch {
	case strings.IndexByte(dom, '.') >= 0:
		if isIPv4(dom) || isPaddedIPv4(dom) {
			break // the run scan finds the address itself
		}
		if !hostLike(s, ds, de, false) {
			f.userOnly(masked, i)
			return
		}
		f.add(ds, de, kindHost, 1)
	case netBIOSLike(dom) && hasLetter(s[ls:i]):
		f.add(ds, de, kindNetBIOS, 1)
	default:
		f.userOnly(masked, i)
		return
	}
	if nbs >= 0 {
		f.domainPart(nbs, nbe, true)
	}
	// A Kerberos service principal, HTTP/FS01.contoso.local@CONTOSO.LOCAL:
	// the part before '@' is a host.
	if ls > 1 && s[ls-1] == '/' && isLetter(s[ls-2]) {
		if strings.IndexByte(s[ls:i], '.') < 0 || hostLike(s, ls, i, false) {
			f.add(ls, i, kindHost, 1)
		}
		return
	}
	if masked {
		f.userinfo(i - len(maskedValue))
		return
	}
	f.add(ls, i, kindUser, 1)
	f.userinfo(ls)
}

// userOnly adds the user of sip:user:<masked>@ when masked, for an '@' at
// i whose domain is not one (a summary cut it: "sip:marko:<masked>@fabrika…").
func (f *finder) userOnly(masked bool, i int) {
	if masked {
		f.userinfo(i - len(maskedValue))
	}
}

// maskedValue is what package mask writes in place of a secret.
const maskedValue = "<masked>"

// userinfo adds the user of URL userinfo, user:password@host, when the
// password starts at p: sip:marko:pw@fabrikam.com, http://bob:pw@proxy.
// Only after a scheme, so that the time in "12:30:bob@..." is left alone.
func (f *finder) userinfo(p int) {
	s := f.s
	if p < 2 || s[p-1] != ':' {
		return
	}
	ue := p - 1
	us := ue
	for us > 0 && ue-us < 64 && isLocal(s[us-1]) && s[us-1] != '%' {
		us--
	}
	if us == ue || !hasLetter(s[us:ue]) {
		return
	}
	pre := s[:us]
	if !strings.HasSuffix(pre, "//") && !hasSuffixFold(pre, "sip:") && !hasSuffixFold(pre, "sips:") {
		return
	}
	f.add(us, ue, kindUser, 1)
}

// hasSuffixFold reports whether s ends with the lower-case ASCII suffix,
// ignoring case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && hasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// afterEscapes returns the index after the last %XX escape in s[from:to],
// or from.
func afterEscapes(s string, from, to int) int {
	p := strings.LastIndexByte(s[from:to], '%')
	if p < 0 {
		return from
	}
	k := from + p + 1
	if k+1 < to && isHex(s[k]) && isHex(s[k+1]) {
		k += 2
	}
	return k
}

// domainPart adds the domain of DOMAIN\user (s[ds:de]) and reports whether
// it is one.
func (f *finder) domainPart(ds, de int, add bool) bool {
	s := f.s
	for ds < de && (s[ds] == '.' || s[ds] == '-') {
		ds++
	}
	if de-ds < 2 {
		return false
	}
	if strings.IndexByte(s[ds:de], '.') >= 0 {
		if !hostLike(s, ds, de, false) {
			return false
		}
		if add {
			f.add(ds, de, kindHost, 1)
		}
		return true
	}
	if !netBIOSLike(s[ds:de]) {
		return false
	}
	if add {
		f.add(ds, de, kindNetBIOS, 1)
	}
	return true
}

// backslash handles DOMAIN\user around the separator at i of width w
// (\, \\ or %5C).
func (f *finder) backslash(i, w int) {
	s := f.s
	ds := i
	for ds > 0 && i-ds < maxReach && (isAlnum(s[ds-1]) || s[ds-1] == '.' || s[ds-1] == '_' || s[ds-1] == '-') {
		ds--
	}
	if ds > 0 && (isRun(s[ds-1]) || s[ds-1] >= 0x80 || strings.IndexByte(`\/%$@`, s[ds-1]) >= 0) {
		// Too long, a path, %VAR%\..., C$\..., sip_bob@contoso.com\..., or
		// the end of a non-ASCII folder name (C:\Users\Jürgen\Desktop is
		// not the account "Desktop" of a domain "rgen").
		return
	}
	us := i + w
	ue := us
	for ue < len(s) && ue-us < maxReach && isUserChar(s[ue]) {
		ue++
	}
	if ue < len(s) && isUserChar(s[ue]) {
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
		case s[ue] == '%' && ue+2 < len(s) && (hasPrefixFold(s[ue:], "%5c") || hasPrefixFold(s[ue:], "%2f")):
			return
		case s[ue] == '@':
			return // DOMAIN\user@domain is left to the address rule
		}
	}
	user := s[us:ue]
	if !hasLetter(user) || fileLike(user) {
		return
	}
	if !f.domainPart(ds, i, false) {
		return
	}
	f.domainPart(ds, i, true)
	f.add(us, ue, kindUser, 1)
}

// sipDisplay handles the display name before "<sip:", "<sips:" or "<tel:"
// at i: "Bob Smith" <sip:...> or, at the start of a header line,
// From: Bob Smith <sip:...>.
func (f *finder) sipDisplay(i int) {
	s := f.s
	rest := s[i+1:]
	if !hasPrefixFold(rest, "sip:") && !hasPrefixFold(rest, "sips:") && !hasPrefixFold(rest, "tel:") {
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
		for m := end - 1; m >= 0 && end-m <= maxReach; m-- {
			c := s[m]
			if strings.IndexByte("\r\n\t<>=|;:\\", c) >= 0 {
				return // not a display name
			}
			if c == '"' {
				if v := s[m+1 : end]; strings.TrimSpace(v) != "" && strings.IndexByte(v, '@') < 0 {
					f.add(m+1, end, kindPerson, 1)
				}
				return
			}
		}
		return
	}
	// Unquoted: the line must be "Header-Name: display <sip:".
	ls := k
	for ls > 0 && k-ls < maxReach && s[ls-1] != '\n' && s[ls-1] != '\r' {
		ls--
	}
	if ls > 0 && s[ls-1] != '\n' && s[ls-1] != '\r' {
		return
	}
	h := ls
	for h < k && (isAlnum(s[h]) || s[h] == '-') {
		h++
	}
	if h == ls || !isLetter(s[ls]) || h >= k || s[h] != ':' {
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
		if !(isAlnum(c) || c >= 0x80 || strings.IndexByte(" .,'-_()", c) >= 0) {
			return
		}
	}
	if hasLetter(s[d:k]) {
		f.add(d, k, kindPerson, 1)
	}
}
