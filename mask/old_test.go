// This file was made by renaming every package-level identifier X of the
// non-test files of package mask at commit c2b86d4 (before the mask-fast
// work) to oldX.
//
// It is the oracle of the differential tests in oracle_test.go: the masking
// of c2b86d4, which the package must reproduce byte for byte, with the two
// rules added since written into it by hand the same way (colon,
// cookieHeader, ticketHeader, headerLine): a header at the start of a line
// whose name says secret (X-MS-Password) is masked whole, and the value of
// a cookie or web ticket header over its continuation lines too. Since
// then, also written in by hand: the names SecretName took later
// (credential, passphrase, passcode, the API, subscription and private keys,
// PIN)
// and their keywords, "password was X", a quoted value after a password
// word, PowerShell parameters and ConvertTo-SecureString, "pass=X", and the
// secret attributes of a secret element's start tag.
package mask

import (
	"github.com/sfblog/sfblog/event"
	"strings"
)

// isAuthHeader reports whether the header name w carries authentication
// parameters: Authorization, Proxy-Authorization, WWW-Authenticate,
// Proxy-Authenticate, Authentication-Info, Proxy-Authentication-Info, or
// any other name that ends so.
func oldIsAuthHeader(w string) bool {
	return oldHasSuffixFold(w, "authorization") || oldHasSuffixFold(w, "authenticate") ||
		oldHasSuffixFold(w, "authentication-info")
}

// isSecretAuthParam reports whether the value of the authentication
// parameter name (lower case) is masked whatever the scheme. from-PP, t
// and p carry Passport and Windows Live tickets (Passport1.4, WLID1.0).
func oldIsSecretAuthParam(name string) bool {
	switch name {
	case "gssapi-data", "opaque", "rspauth", "srand", "snum", "crand", "cnum",
		"response", "nonce", "cnonce", "signature", "from-pp", "t", "p":
		return true
	}
	return oldSecretName(name)
}

// isMaskAllScheme reports whether the parameters of scheme (lower case)
// are credentials, except the public ones.
func oldIsMaskAllScheme(scheme string) bool {
	switch scheme {
	case "basic", "bearer", "negotiate":
		return true
	}
	return false
}

// isKnownScheme reports whether scheme (lower case) is an authentication
// scheme whose bare token (token68) is always a credential.
func oldIsKnownScheme(scheme string) bool {
	switch scheme {
	case "basic", "bearer", "negotiate", "ntlm", "kerberos", "digest", "tls-dsk",
		"passport1.4", "wlid1.0", "msauth1.0", "nego2":
		return true
	}
	return false
}

// isPublicAuthParam reports whether the parameter name (lower case)
// describes a challenge rather than carries a credential; such parameters
// stay readable even for the schemes of isMaskAllScheme.
func oldIsPublicAuthParam(name string) bool {
	switch name {
	case "realm", "charset", "error", "error_description", "error_uri", "scope",
		"authorization_uri", "trusted_issuers", "client_id", "resource_id",
		"targetname", "version", "qop":
		return true
	}
	return false
}

// authHeader masks the value of an authentication header that starts at
// vs (just past the colon). The value runs to the end of the line and on
// over folded continuation lines, or stops at the next header of a
// message rendered on one line.
func (sc *oldScanner) authHeader(vs int) int {
	s := sc.s
	end := oldFoldedEnd(s, vs)
	masked, stop := oldMaskAuthValue(s[vs:end])
	sc.replace(vs, vs+stop, masked)
	return vs + stop
}

// foldedEnd returns the end of the header value that starts at i: the end
// of its line, or of the last continuation line (RFC 3261 7.3.1: a line
// that starts with a space or a tab continues the header).
func oldFoldedEnd(s string, i int) int {
	for {
		e := oldLineEnd(s, i)
		n := e
		if n < len(s) && s[n] == '\r' {
			n++
		}
		if n < len(s) && s[n] == '\n' {
			n++
		}
		if n == e || n >= len(s) || !oldIsSpace(s[n]) {
			return e
		}
		i = n
	}
}

// isTokenChar reports whether c may appear in an auth scheme, parameter
// name or token68 credential.
func oldIsTokenChar(c byte) bool {
	return oldTokenChar[c]
}

var oldTokenChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = oldIsAlnum(b) || strings.IndexByte("!#$%&'*+-.^_`|~/", b) >= 0
	}
	return t
}()

// isBlank reports whether c is white space inside a (folded) header value.
func oldIsBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// maskAuthValue masks the value of one authentication header: a list of
// challenges or credentials, each a scheme followed by a token68 or by
// comma-separated parameters. It stops at the end of v or at a token
// directly followed by ':' (the next header of a message rendered on one
// line), and returns the masked text and how much of v it covers.
func oldMaskAuthValue(v string) (string, int) {
	var b strings.Builder
	b.Grow(len(v))
	scheme := ""
	afterScheme := false // the previous token was a scheme name
	i := 0
	for i < len(v) {
		c := v[i]
		if oldIsBlank(c) {
			b.WriteByte(c)
			i++
			continue
		}
		if c == ',' {
			afterScheme = false
			b.WriteByte(c)
			i++
			continue
		}
		if !oldIsTokenChar(c) {
			if c == '"' { // a stray quoted string: copy it whole
				j := oldQuotedEnd(v, i)
				b.WriteString(v[i:j])
				i = j
			} else {
				b.WriteByte(c)
				i++
			}
			afterScheme = false
			continue
		}
		start := i
		for i < len(v) && oldIsTokenChar(v[i]) && v[i] != '=' {
			i++
		}
		tok := v[start:i]
		j := i
		for j < len(v) && oldIsSpace(v[j]) {
			j++
		}
		if j < len(v) && v[j] == ':' {
			if afterScheme && j == i && scheme == "basic" && j+1 < len(v) && !oldIsBlank(v[j+1]) {
				// A decoded Basic credential, "Basic bob:X": the user
				// stays, the password is masked.
				e := j + 1
				for e < len(v) && !oldIsBlank(v[e]) && v[e] != ',' {
					e++
				}
				b.WriteString(tok + ":" + oldMasked)
				i = e
				afterScheme = false
				continue
			}
			return b.String(), start // the next header begins here
		}
		if j < len(v) && v[j] == '=' {
			k := j
			for k < len(v) && v[k] == '=' {
				k++
			}
			if afterScheme && (k == len(v) || oldIsBlank(v[k]) || v[k] == ',') {
				// token68 with padding, e.g. "Negotiate YIIG...=="
				b.WriteString(oldMasked)
				i = k
				afterScheme = false
				continue
			}
			// name=value
			b.WriteString(v[start:j])
			b.WriteByte('=')
			k = j + 1
			for k < len(v) && oldIsSpace(v[k]) {
				b.WriteByte(v[k])
				k++
			}
			vend := k
			if k < len(v) && (v[k] == '"' || v[k] == '\'') {
				vend = oldQuotedEndBy(v, k, v[k])
			} else {
				for vend < len(v) && v[vend] != ',' && !oldIsBlank(v[vend]) {
					vend++
				}
			}
			name := strings.ToLower(tok)
			if oldIsSecretAuthParam(name) || (oldIsMaskAllScheme(scheme) && !oldIsPublicAuthParam(name)) {
				b.WriteString(oldMaskValue(v[k:vend]))
			} else {
				b.WriteString(v[k:vend])
			}
			i = vend
			afterScheme = false
			continue
		}
		if afterScheme {
			// token68 without padding, e.g. "Basic dXNlcjpwYXNz"; after
			// an unknown scheme only what looks like a credential.
			if oldIsKnownScheme(scheme) || oldLooksLikeToken(tok) {
				b.WriteString(oldMasked)
			} else {
				b.WriteString(tok)
			}
			afterScheme = false
			continue
		}
		scheme = strings.ToLower(tok)
		afterScheme = true
		b.WriteString(tok)
	}
	return b.String(), len(v)
}

// looksLikeToken reports whether tok, after an unknown scheme, looks like
// an encoded credential rather than a word of prose.
func oldLooksLikeToken(tok string) bool {
	return len(tok) >= 16 && !oldIsPlainWord(tok) && strings.IndexByte(tok, '.') < 0
}

// quotedEnd returns the index just past the quoted string that starts at
// v[i] == '"' (backslash escapes honoured), or len(v) when it is not closed.
func oldQuotedEnd(v string, i int) int { return oldQuotedEndBy(v, i, '"') }

// quotedEndBy is quotedEnd for the quote character q.
func oldQuotedEndBy(v string, i int, q byte) int {
	for j := i + 1; j < len(v); j++ {
		switch v[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(v)
}

// isSchemeWord reports whether w names an authentication scheme whose
// token is a credential wherever it appears.
func oldIsSchemeWord(w string) bool {
	return oldEqualFold(w, "bearer") || oldEqualFold(w, "basic") || oldEqualFold(w, "negotiate") ||
		oldEqualFold(w, "ntlm") || oldEqualFold(w, "kerberos")
}

// schemeToken masks a long token at k after a scheme name that ends at j,
// outside any header: "Retrying with Bearer eyJ0eXAi...".
func (sc *oldScanner) schemeToken(j, k int) int {
	s := sc.s
	e := k
	for e < len(s) && (oldIsAlnum(s[e]) || strings.IndexByte("._~+/-", s[e]) >= 0) {
		e++
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	if e-k < 16 || oldIsPlainWord(s[k:e]) || isErrorName(s[k:e]) {
		return j
	}
	if e < len(s) && !oldIsBlank(s[e]) && strings.IndexByte(",;\"'<>)", s[e]) < 0 {
		return j // part of a longer word
	}
	sc.replace(k, e, oldMasked)
	return e
}

// isPlainWord reports whether tok is made of lower-case letters and
// hyphens only, like an English word rather than an encoded credential.
func oldIsPlainWord(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}

// Character classes, looked up in class.
const (
	oldCWord  = 1 << iota // A-Z a-z 0-9 - _
	oldCAlnum             // A-Z a-z 0-9
	oldCDigit             // 0-9
)

var oldClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var v uint8
		switch {
		case b >= '0' && b <= '9':
			v = oldCWord | oldCAlnum | oldCDigit
		case b|0x20 >= 'a' && b|0x20 <= 'z':
			v = oldCWord | oldCAlnum
		case b == '-' || b == '_':
			v = oldCWord
		}
		t[c] = v
	}
	return t
}()

func oldIsWord(c byte) bool { return oldClass[c]&oldCWord != 0 }

func oldIsAlnum(c byte) bool { return oldClass[c]&oldCAlnum != 0 }

func oldIsDigit(c byte) bool { return oldClass[c]&oldCDigit != 0 }

func oldIsSpace(c byte) bool { return c == ' ' || c == '\t' }

func oldLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerInto writes s in ASCII lower case into buf, which must be long
// enough, and returns the written part.
func oldLowerInto(buf []byte, s string) []byte {
	n := copy(buf, s)
	for i := range n {
		buf[i] = oldLower(buf[i])
	}
	return buf[:n]
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func oldHasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if oldLower(s[i]) != oldLower(prefix[i]) {
			return false
		}
	}
	return true
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func oldHasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && oldHasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// equalFold reports whether s and t are equal, ignoring ASCII case.
func oldEqualFold(s, t string) bool {
	return len(s) == len(t) && oldHasPrefixFold(s, t)
}

// indexFold returns the index of the first sub in s, ignoring ASCII case,
// or -1.
func oldIndexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if oldHasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

// skipSpace returns the index of the first byte at or after i that is not
// a space or a tab.
func oldSkipSpace(s string, i int) int {
	for i < len(s) && oldIsSpace(s[i]) {
		i++
	}
	return i
}

// lineEnd returns the index of the first '\r' or '\n' at or after i, or
// len(s).
func oldLineEnd(s string, i int) int {
	if j := strings.IndexAny(s[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(s)
}

// Field returns the value of the event field name with its secrets masked.
//
// A field whose last name component says secret ([SecretName]:
// evt.data.Password, evt.data.AccessToken, evt.data.ClientSecret) is
// masked whole, unless it is empty, "-" or an event message insertion
// such as "%%1843" (never a credential). A SIP header field
// (sip.header.NAME) is masked as the value of that header, each line of a
// repeated header on its own: the second WWW-Authenticate of a message is
// masked like the first. Any other field goes through [Secrets].
func oldField(name, value string) string {
	if value == "" {
		return value
	}
	if h, ok := strings.CutPrefix(name, "sip.header."); ok {
		return oldHeaderValue(h, value)
	}
	if oldSecretName(name[strings.LastIndexByte(name, '.')+1:]) {
		return oldWholeValue(value)
	}
	return oldSecrets(value)
}

// headerValue masks the value of the header name; repeated headers are
// joined by "\n".
func oldHeaderValue(name, value string) string {
	one := oldHeaderLine(name)
	if one == nil {
		return oldSecrets(value)
	}
	return oldEachLine(one, value)
}

// headerLine returns how one line of the value of the header name is
// masked: authentication and cookie headers and web tickets. It returns
// nil for any other header, whose value goes through [Secrets] whole.
func oldHeaderLine(name string) func(string) string {
	switch {
	case oldIsAuthHeader(name):
		return oldMaskAuthValueAll
	case oldIsCookieHeader(name):
		return oldMaskCookieValue
	case oldHasSuffixFold(name, "webticket") || oldSecretName(name):
		return oldMaskTicketLine
	}
	return nil
}

// maskTicketLine masks a web ticket header's value whole, unless blank.
func oldMaskTicketLine(v string) string {
	if strings.TrimSpace(v) == "" {
		return v
	}
	return oldMasked
}

// eachLine applies one to each line of value.
func oldEachLine(one func(string) string, value string) string {
	if strings.IndexByte(value, '\n') < 0 {
		return one(value)
	}
	lines := strings.Split(value, "\n")
	for i, l := range lines {
		lines[i] = one(l)
	}
	return strings.Join(lines, "\n")
}

// maskAuthValueAll masks a whole authentication header value: unlike in
// running text, a "name:" inside it does not start another header.
func oldMaskAuthValueAll(v string) string {
	var b strings.Builder
	for len(v) > 0 {
		m, stop := oldMaskAuthValue(v)
		b.WriteString(m)
		if stop >= len(v) {
			break
		}
		// Copy the token that looked like a header name and go on.
		e := stop
		for e < len(v) && v[e] != ':' {
			e++
		}
		b.WriteString(v[stop:min(e+1, len(v))])
		v = v[min(e+1, len(v)):]
	}
	return b.String()
}

// wholeValue masks value whole, unless it cannot be a credential.
func oldWholeValue(value string) string {
	v := strings.TrimSpace(value)
	if v == "" || v == "-" || v == oldMasked || oldIsInsertion(v) || isEvidenceValue(v) {
		return value // since the red team's findings: flags and HRESULTs stay
	}
	return oldMaskKeepLines(value)
}

// isInsertion reports whether v is an event message insertion, "%%1843".
func oldIsInsertion(v string) bool {
	if len(v) < 3 || v[0] != '%' || v[1] != '%' {
		return false
	}
	for i := 2; i < len(v); i++ {
		if !oldIsDigit(v[i]) {
			return false
		}
	}
	return true
}

// Event returns a copy of e with every secret masked: each field through
// [Field], and the text and the other fields through [Secrets] and
// without the values of the fields whose names say secret (an event log
// record's text lists its data values without their names). A registry
// value whose name says secret (Winlogon DefaultPassword) has its data
// masked. e itself is not changed.
func oldEvent(e *event.Event) event.Event {
	var m event.Event
	oldEventInto(&m, e)
	return m
}

// EventInto is [Event] into dst, whose field map is reused: a caller that
// masks many events (sfblog parse) allocates one map, not one per event.
// The map is cleared first; when e.Fields is nil it is left empty (or nil,
// when dst had none). dst must not be e.
func oldEventInto(dst, e *event.Event) {
	fields := dst.Fields
	*dst = *e
	dst.Fields = fields
	clear(fields)
	if e.Fields != nil && fields == nil {
		dst.Fields = make(map[string]string, len(e.Fields))
	}
	// One pass over the fields: each is masked as Field masks it, and the
	// values of the fields whose names say secret are kept to be removed
	// from the text and the other fields (secretValues).
	var vals []string
	var memo oldSecretsMemo
	regSecret := len(e.Fields) > 0 && oldSecretName(e.Fields["reg.name"])
	for k, v := range e.Fields {
		if v == "" {
			dst.Fields[k] = v
			continue
		}
		if h, ok := strings.CutPrefix(k, "sip.header."); ok {
			if one := oldHeaderLine(h); one != nil {
				dst.Fields[k] = oldEachLine(one, v)
			} else {
				dst.Fields[k] = memo.secrets(v)
			}
			continue
		}
		var masked string
		switch {
		case oldSecretName(k[strings.LastIndexByte(k, '.')+1:]):
			masked = oldWholeValue(v)
			dst.Fields[k] = masked
		case k == "reg.data" && regSecret:
			dst.Fields[k] = oldWholeValue(oldSecrets(v))
			masked = oldWholeValue(v)
		default:
			dst.Fields[k] = memo.secrets(v)
			continue
		}
		if masked != v {
			// The removal of secret values from the text is the current
			// code's (appendValue, removeSecrets): it changed
			// after c2b86d4 to find the forms a value takes in a text
			// (XML-escaped, cut, a .reg value's data as written), and is
			// tested on its own (TestRemoveValues and the tests beside
			// it). The oracle checks the scans.
			vals = appendValue(vals, v)
		}
	}
	vals = sortValues(vals)
	dst.Text = removeSecrets(e, oldSecrets(e.Text), vals)
	if len(vals) > 0 {
		for k, v := range dst.Fields {
			dst.Fields[k] = removeValues(v, vals)
		}
	}
}

// secretsMemo remembers what [Secrets] made of the longer values of one
// event, which often come twice: an event log record's evt.data.all is
// its only data value when it has one, a SIP message's Call-ID and
// User-Agent are sip.call_id and sip.user_agent too.
type oldSecretsMemo struct {
	n       int
	in, out [16]string
}

// memoMin is the length from which a value is looked up and remembered;
// a shorter one is masked again, which costs less.
const oldMemoMin = 16

// secrets returns Secrets(v).
func (m *oldSecretsMemo) secrets(v string) string {
	if len(v) < oldMemoMin {
		return oldSecrets(v)
	}
	for i := range m.n {
		if m.in[i] == v {
			return m.out[i]
		}
	}
	masked := oldSecrets(v)
	if m.n < len(m.in) {
		m.in[m.n], m.out[m.n] = v, masked
		m.n++
	}
	return masked
}

// EventText masks s, a text rendered from e (an excerpt of e.Text):
// [Secrets], and the values of e's fields whose names say secret are
// removed.
func oldEventText(e *event.Event, s string) string {
	return removeSecrets(e, oldSecrets(s), oldSecretValues(e))
}

// secretValues returns the values of e's fields whose names say secret,
// as written and with their white space collapsed (as an event log
// record's text shows them), longest first.
func oldSecretValues(e *event.Event) []string {
	var vals []string
	for k, v := range e.Fields {
		if strings.HasPrefix(k, "sip.header.") {
			continue
		}
		secret := oldSecretName(k[strings.LastIndexByte(k, '.')+1:]) ||
			k == "reg.data" && oldSecretName(e.Fields["reg.name"])
		if !secret || oldWholeValue(v) == v {
			continue
		}
		vals = appendValue(vals, v)
	}
	return sortValues(vals)
}

// isCookieHeader reports whether w is Cookie, Set-Cookie or Set-Cookie2.
func oldIsCookieHeader(w string) bool {
	return oldEqualFold(w, "cookie") || oldEqualFold(w, "set-cookie") || oldEqualFold(w, "set-cookie2")
}

// isCookieAttribute reports whether name (lower case) is a Set-Cookie
// attribute, which is not a secret.
func oldIsCookieAttribute(name string) bool {
	switch name {
	case "path", "domain", "expires", "max-age", "samesite", "secure", "httponly",
		"version", "comment", "priority", "partitioned":
		return true
	}
	return false
}

// cookieHeader masks the value of a Cookie or Set-Cookie header that
// starts at vs.
func (sc *oldScanner) cookieHeader(vs int) int {
	end := oldFoldedEnd(sc.s, vs)
	sc.replace(vs, end, maskFoldedCookie(sc.s[vs:end]))
	return end
}

// maskCookieValue masks every "name=value" pair of a Cookie or Set-Cookie
// value except Set-Cookie attributes.
//
// The first part of a value without '=' is a value too ("Cookie: X", a
// cookie without a name) and is masked; the later ones are Set-Cookie
// attributes (Secure, HttpOnly) and stay.
func oldMaskCookieValue(v string) string {
	if strings.IndexByte(v, '=') < 0 {
		return oldMaskNamelessCookie(v)
	}
	parts := strings.Split(v, ";")
	for i, p := range parts {
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			if i == 0 {
				parts[i] = oldMaskNamelessCookie(p)
			}
			continue
		}
		name := strings.ToLower(strings.TrimSpace(p[:eq]))
		if i > 0 && oldIsCookieAttribute(name) {
			continue
		}
		val := p[eq+1:]
		lead := len(val) - len(strings.TrimLeft(val, " \t"))
		trail := len(val) - len(strings.TrimRight(val, " \t"))
		if lead == len(val) {
			continue // empty value
		}
		core := val[lead : len(val)-trail]
		parts[i] = p[:eq+1] + val[:lead] + oldMaskValue(core) + val[len(val)-trail:]
	}
	return strings.Join(parts, ";")
}

// ticketHeader masks the value after a web ticket header name
// (X-MS-WebTicket, ms-webticket) or a header name that says secret
// (X-MS-Password, X-Access-Token): the whole value, continuation lines
// included, is the secret.
func (sc *oldScanner) ticketHeader(vs int) int {
	end := oldFoldedEnd(sc.s, vs)
	if k := oldSkipSpace(sc.s, vs); k < end && !isEvidenceValue(sc.s[k:end]) {
		sc.replace(k, end, oldMaskKeepFolds(sc.s[k:end]))
	}
	return end
}

// Masked replaces every secret value.
const oldMasked = "<masked>"

// Secrets returns s with credentials masked: the value of every secret is
// replaced by [Masked] while the parameter, header or element name and the
// value's quotes stay.
//
// It masks, in any letter case:
//   - in Authorization, Proxy-Authorization, WWW-Authenticate,
//     Proxy-Authenticate and Authentication-Info headers (SIP or HTTP),
//     folded continuation lines included (a line that starts with a space
//     or a tab continues the header): the values of gssapi-data, opaque,
//     rspauth, srand, snum, crand, cnum, response, nonce, cnonce,
//     signature, from-PP, t and p; every parameter of Basic, Bearer and
//     Negotiate credentials except realm, error, scope and similar
//     descriptive ones; and the bare token (token68) after a scheme, as in
//     "NTLM TlRMTVNT..." or "Negotiate YII...". Realm, targetname, version,
//     qop, sts-uri and the other parameters stay readable;
//   - the values of Cookie and Set-Cookie headers (cookie names and
//     Set-Cookie attributes such as Path stay), and the value of web
//     ticket headers such as X-MS-WebTicket;
//   - the content of the XML elements Password, BinarySecurityToken,
//     Assertion (SAML), RequestedSecurityToken, RequestedProofToken,
//     BinarySecret, CipherValue, UserToken, WebTicket, DeviceDAToken and
//     Cookies, with any namespace prefix, and of an event log's
//     <Data Name="..."> whose name says secret (see [SecretName]);
//   - name=value pairs in URLs (query and fragment), forms, attributes and
//     connection strings whose name says secret (password, pwd,
//     access_token, id_token, refresh_token, client_secret,
//     client_assertion, assertion, SAMLResponse, wresult, cwt, webticket,
//     gssapi-data, rspauth, and any name ending in password, token, secret,
//     cookie or ticket); the generic names token, ticket and code only as
//     URL or form parameters ("?code=", "&token=", "#ticket="), since
//     <Link token="Domain"> and "ms-diagnostics: 4005" are not secrets;
//   - JSON string fields with such names;
//   - "password: X", "password is X" and "pwd: X" in prose and logs,
//     unless X is a word that describes the password ("is incorrect");
//   - JSON Web Tokens (eyJ... with three or five base64url segments)
//     anywhere, and long tokens after Bearer, Basic, Negotiate, NTLM or
//     Kerberos anywhere;
//   - the body of PEM private keys (-----BEGIN ... PRIVATE KEY-----), whose
//     BEGIN and END lines stay.
//
// Secrets reads s once, left to right. It is idempotent (masking masked
// text changes nothing), keeps line breaks (so line numbers stay valid),
// and returns s itself when there is nothing to mask.
func oldSecrets(s string) string {
	sc := oldScanner{s: s}
	sc.run()
	return sc.String()
}

// scanner masks one text in a single left-to-right pass. Every handler
// returns where the scan goes on, never before the end of what it
// replaced, so replacements come in order.
type oldScanner struct {
	s    string
	b    strings.Builder
	last int  // end of the last replaced span
	done bool // something was replaced
}

// replace writes s[last:start] and then with in place of s[start:end].
func (sc *oldScanner) replace(start, end int, with string) {
	if sc.s[start:end] == with {
		return
	}
	if !sc.done {
		sc.b.Grow(len(sc.s) + 16)
		sc.done = true
	}
	sc.b.WriteString(sc.s[sc.last:start])
	sc.b.WriteString(with)
	sc.last = end
}

// String returns the masked text, or s itself when nothing was replaced.
func (sc *oldScanner) String() string {
	if !sc.done {
		return sc.s
	}
	sc.b.WriteString(sc.s[sc.last:])
	return sc.b.String()
}

// run masks sc.s. It steps with step only from a keyword on (see
// nextKeyword): every place it skips is one where step would change
// nothing and go on to the next place it skips.
func (sc *oldScanner) run() {
	s := sc.s
	kw := -1 // the keyword the scan is at or before
	for i := 0; i < len(s); {
		if i > kw {
			if kw = oldNextKeyword(s, i); kw < 0 {
				return
			}
			i = oldResume(s, i, kw)
		}
		i = sc.step(i)
	}
}

// step handles what starts at s[i] and returns where the scan goes on.
func (sc *oldScanner) step(i int) int {
	s := sc.s
	switch c := s[i]; {
	case c == '<':
		return sc.element(i)
	case c == '-' && strings.HasPrefix(s[i:], oldPemBegin):
		return sc.pem(i)
	case oldIsWord(c):
		return sc.word(i)
	case c == jaPassword[0] && strings.HasPrefix(s[i:], jaPassword):
		if v, ok := jaLabelValue(s, i); ok {
			return sc.prose(v)
		}
	}
	return i + 1
}

// word looks at the word (letters, digits, '-', '_') starting at i and at
// what follows it, and masks the value it introduces, if any. It returns
// where the scan goes on.
func (sc *oldScanner) word(i int) int {
	s := sc.s
	j := i
	for j < len(s) && oldIsWord(s[j]) {
		j++
	}
	if j == len(s) {
		return j
	}
	var prev byte
	if i > 0 {
		prev = s[i-1]
	}
	switch s[j] {
	case '.':
		// A JSON Web Token, whatever the length of its header (an Azure AD
		// token's, with x5t and kid, is some 120 characters), also right
		// after a URL or \u escape ("%3DeyJ...", "\u0022eyJ...").
		if p := jwtInWord(s[i:j]); p >= 0 {
			return sc.jwt(i+p, j)
		}
		return j
	case ' ':
		// A private key right after an escape or a word byte:
		// "\n-----BEGIN PRIVATE KEY-----" inside a JSON string.
		if j-i > len(oldPemBegin)-1 && strings.HasSuffix(s[i:j], "-----BEGIN") {
			return sc.pem(j - (len(oldPemBegin) - 1))
		}
	}
	// A name right after a URL escape ("%26access_token%3D..."): the
	// name starts after the two hex digits and what comes before it is
	// the escaped character.
	if n, p, ok := afterURLEscape(s, i, j); ok {
		i, prev = n, p
	}
	if j-i < 2 || j-i > oldMaxName || oldIsDigit(s[i]) {
		return j
	}
	w := s[i:j]
	switch s[j] {
	case ':':
		return sc.colon(j, w, prev)
	case '=':
		return sc.param(i, j, j+1, w, prev)
	case '"':
		if prev == '"' {
			return sc.json(j, w, `"`)
		}
		return j
	case '\\':
		// A JSON string inside a JSON or log string: {\"refresh_token\":\"X\"}.
		if prev == '"' && i > 1 && s[i-2] == '\\' && j+1 < len(s) && s[j+1] == '"' {
			return sc.json(j+1, w, `\"`)
		}
		return j
	case '\'':
		// A Python or PowerShell dump: {'refresh_token': 'X'}.
		if prev == '\'' {
			return sc.json(j, w, "'")
		}
		return j
	case '%':
		// A URL-encoded parameter: "access_token%3DX".
		if j+2 < len(s) && s[j+1] == '3' && oldLower(s[j+2]) == 'd' {
			return sc.param(i, j, j+3, w, prev)
		}
		return j
	case '&':
		// An entity-escaped XML element: "&lt;wsse:Password&gt;X&lt;/...".
		return sc.escapedElement(i, j, w)
	case fullColon[0]:
		// "password：X" with a fullwidth colon.
		if strings.HasPrefix(s[j:], fullColon) && (oldIsPasswordWord(w) || oldSecretName(w)) {
			return sc.prose(oldSkipSpace(s, j+len(fullColon)))
		}
		return j
	case ' ', '\t':
	default:
		return j
	}
	// A space follows: "Name : value", "name = value", a scheme and its
	// token, "password is X", "the password for bob is X".
	k := oldSkipSpace(s, j)
	if k == len(s) {
		return j
	}
	switch s[k] {
	case ':':
		return sc.colon(k, w, prev)
	case '=':
		return sc.param(i, k, k+1, w, prev)
	}
	if w[0] == '-' {
		// A PowerShell or command-line parameter.
		if name := strings.TrimLeft(w, "-"); len(name) >= 2 && oldSecretName(name) {
			switch s[k] {
			case '$', '(', '{', '[', '@', '-':
				return k
			}
			return sc.prose(k)
		}
		return j
	}
	if strings.EqualFold(w, "ConvertTo-SecureString") {
		for k < len(s) && s[k] == '-' {
			e := k + 1
			for e < len(s) && oldIsWord(s[e]) {
				e++
			}
			if e == len(s) || !oldIsSpace(s[e]) {
				return e
			}
			k = oldSkipSpace(s, e)
		}
		if k < len(s) && (s[k] == '"' || s[k] == '\'') {
			return sc.prose(k)
		}
		return k
	}
	if c := oldLower(w[0]); len(w) <= len("negotiate") && (c == 'b' || c == 'n' || c == 'k' || c == 'p') {
		if oldIsSchemeWord(w) {
			return sc.schemeToken(j, k)
		}
		if oldIsPasswordWord(w) {
			if k+2 < len(s) && oldHasPrefixFold(s[k:], "is") && oldIsSpace(s[k+2]) {
				return sc.prose(oldSkipSpace(s, k+2))
			}
			if k+3 < len(s) && oldHasPrefixFold(s[k:], "was") && oldIsSpace(s[k+3]) {
				return sc.prose(oldSkipSpace(s, k+3))
			}
			if v := passwordForValue(s, k); v >= 0 {
				return sc.prose(v)
			}
			if q := s[k]; q == '"' || q == '\'' || q == '`' {
				end := k + 1
				for end < len(s) && s[end] != q && s[end] != '\r' && s[end] != '\n' {
					if s[end] == '\\' && end+1 < len(s) && s[end+1] != '\r' && s[end+1] != '\n' {
						end++
					}
					end++
				}
				if end == len(s) || s[end] != q {
					return k + 1
				}
				if v := s[k+1 : end]; v != "" && !oldDescribesPassword(v) {
					sc.replace(k+1, end, oldMasked)
				}
				return end + 1
			}
		}
	}
	return j
}

// maxName bounds the names the scanner looks at.
const oldMaxName = 64

// colon handles "Name:" with the colon at k: a header, or a label such as
// "Password:". A C++ scope ("CWebTicketProvider::") is neither, but the
// base64 form of an LDIF attribute ("userPassword:: U3By...", RFC 2849)
// labels a secret all the same.
func (sc *oldScanner) colon(k int, w string, prev byte) int {
	s := sc.s
	if k+1 < len(s) && s[k+1] == ':' {
		if (k+2 == len(s) || oldIsBlank(s[k+2])) && oldSecretName(w) {
			if prev == 0 || prev == '\n' || prev == '\r' {
				return sc.ticketHeader(k + 2)
			}
			return sc.prose(oldSkipSpace(s, k+2))
		}
		return k + 2
	}
	switch {
	case isURLScheme(w) && oldIsWord(s[k-1]):
		// The password of a URL's userinfo: http://bob:X@proxy:8080.
		if start, end := userinfoPassword(s, k, w); start < end {
			sc.replace(start, end, oldMasked)
			return end
		}
		return k + 1
	case oldIsAuthHeader(w):
		return sc.authHeader(k + 1)
	case oldIsCookieHeader(w):
		return sc.cookieHeader(k + 1)
	case oldHasSuffixFold(w, "webticket") && (prev == 0 || oldIsSpace(prev) || strings.IndexByte("\r\n\"'<>(;,", prev) >= 0):
		return sc.ticketHeader(k + 1)
	case oldIsPasswordWord(w) || oldIsLabelSecret(w):
		return sc.prose(afterTagEnd(s, oldSkipSpace(s, k+1)))
	case (prev == 0 || prev == '\n' || prev == '\r') && oldSecretName(w):
		// A header (or a label) at the start of a line whose name says
		// secret: X-MS-Password, X-Access-Token, Ticket.
		return sc.ticketHeader(k + 1)
	case prev != ':' && k+1 < len(s) && oldIsSpace(s[k+1]) && oldSecretName(w):
		// The same label further on in a line ("- RefreshToken: X",
		// "Access token: X", "Request header: X-MS-Password: X"): its
		// value is the next word, unless that says something about it.
		return sc.labelValue(afterTagEnd(s, oldSkipSpace(s, k+1)))
	case oldEqualFold(w, "pass") && k+1 < len(s) && oldIsSpace(s[k+1]):
		// "user: bob pass: X". A number after it is a count ("pass: 3
		// fail: 0"), and prose words stay ("pass: the test passed").
		return sc.passLabel(oldSkipSpace(s, k+1))
	}
	return k + 1
}

// SecretName reports whether a parameter, field or element name says that
// its value is a credential: written here from its description, without
// the speed-ups of SecretName, for the differential tests.
func oldSecretName(name string) bool {
	if len(name) < 2 || len(name) > oldMaxName {
		return false
	}
	var buf [oldMaxName]byte
	n := string(oldLowerInto(buf[:], name))
	switch n {
	case "samlresponse", "wresult", "cwt", "gssapi-data", "rspauth":
		return true
	}
	if oldIsAuthCookie(n) {
		return true
	}
	if oldIsPin(name) {
		return true
	}
	if base, ok := strings.CutSuffix(n, "value"); ok {
		n = strings.TrimRight(base, "_-")
	} else {
		n = strings.TrimSuffix(n, "s")
	}
	for _, suf := range oldSecretSuffixes {
		if strings.HasSuffix(n, suf) {
			return !oldAllFlagWords(n[:len(n)-len(suf)], false)
		}
	}
	return false
}

var oldSecretSuffixes = []string{
	"password", "passwd", "pwd", "token", "secret", "cookie", "ticket", "assertion", "sessionkey",
	"credential", "passphrase", "passcode", "apikey", "api_key", "api-key", "subscription-key",
	"subscription_key", "subscriptionkey", "privatekey", "private_key", "private-key",
	"accountkey", "account_key", "accesskey", "access_key", "access-key", "secretkey", "secret_key",
	"secret-key", "masterkey", "master_key", "master-key", "authkey", "auth_key", "auth-key",
}

// oldIsAuthCookie reports whether n (lower case) is a sign-in cookie's
// name: msisauth, estsauth, fedauth or aspxauth followed by nothing, a
// number, or (msisauth) enticated, (estsauth) persistent or light.
func oldIsAuthCookie(n string) bool {
	for _, p := range []string{"msisauth", "estsauth", "fedauth", "aspxauth"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			switch rest {
			case "enticated", "persistent", "light":
				return true
			}
			for _, c := range rest {
				if c < '0' || c > '9' {
					return false
				}
			}
			return true
		}
	}
	return false
}

// oldIsPin reports whether name is pin or ends in PIN as a word of its own
// (user_pin, user-pin, NewPin: a lower-case letter before an upper-case
// P), and its words before that are not all flag words (RequirePin).
func oldIsPin(name string) bool {
	if len(name) < 3 {
		return false
	}
	p, pin := name[:len(name)-3], name[len(name)-3:]
	if !strings.EqualFold(pin, "pin") {
		return false
	}
	switch {
	case p == "":
		return true
	case strings.HasSuffix(p, "_") || strings.HasSuffix(p, "-"),
		pin[0] == 'P' && p[len(p)-1] >= 'a' && p[len(p)-1] <= 'z':
		return !oldAllFlagWords(strings.ToLower(p), false)
	}
	return false
}

// oldAllFlagWords reports whether p (lower case) is one or more flag words
// (Save, AllowSave, CannotChange), any of them followed by '_', '-' or ' ',
// trying every way to split it. some says that one word was read already.
func oldAllFlagWords(p string, some bool) bool {
	p = strings.TrimLeft(p, "_- ")
	if p == "" {
		return some
	}
	for _, w := range []string{"allow", "save", "cannot", "can", "change", "remember", "require",
		"disable", "enable", "prompt", "for", "use", "show", "must", "never", "no", "is", "has"} {
		if rest, ok := strings.CutPrefix(p, w); ok && oldAllFlagWords(rest, true) {
			return true
		}
	}
	return false
}

// isURLOnlyName reports whether name is a credential only as a URL or form
// parameter: token and ticket after ?, &, ; or #, code (an OAuth
// authorization code) after ?, & or #.
func oldIsURLOnlyName(name string, prev byte) (only, ok bool) {
	switch {
	case oldEqualFold(name, "token"), oldEqualFold(name, "ticket"), oldEqualFold(name, "sig"),
		strings.HasSuffix(strings.ToLower(name), "signature"):
		return true, prev == '?' || prev == '&' || prev == ';' || prev == '#'
	case oldEqualFold(name, "code"):
		return true, prev == '?' || prev == '&' || prev == '#'
	}
	return false, false
}

// param handles "name=" (or "name%3D", URL-encoded) with the word at i,
// its '=' (or '%') at k and its value at vs: the value of a secret name in
// a URL, form, attribute list or connection string is masked. A value is
// a quoted string or runs to a separator. The value of an Authorization
// entry ("Authorization=Basic dXNl...", a PowerShell dictionary) is masked
// as the header's.
func (sc *oldScanner) param(i, k, vs int, w string, prev byte) int {
	s := sc.s
	enc := vs > k+1
	if !enc && oldIsAuthHeader(w) {
		return sc.authParam(vs)
	}
	if oldEqualFold(w, "pass") {
		start := oldSkipSpace(s, vs)
		end := paramEnd(s, start, enc)
		v := s[start:end]
		digits := true
		for i := 0; i < len(v); i++ {
			digits = digits && oldIsDigit(v[i])
		}
		if !digits {
			sc.replace(start, end, oldMaskValue(v))
		}
		return max(end, vs)
	}
	only, ok := oldIsURLOnlyName(w, urlPrev(s, i, prev))
	if !only && !oldSecretName(w) {
		return vs
	}
	start := oldSkipSpace(s, vs)
	end := paramEnd(s, start, enc)
	if only && !ok {
		// The first parameter of a form body: "code=X&grant_type=...".
		if !oldEqualFold(w, "code") || !(prev == 0 || oldIsBlank(prev)) || end == len(s) || s[end] != '&' {
			return vs
		}
	}
	if !enc && oldIsPasswordWord(w) {
		end = connStrEnd(s, start, end, prev)
	}
	sc.replace(start, end, oldMaskValue(s[start:end]))
	return max(end, vs)
}

// json handles a JSON string field: w is the key, the closing quote of the
// key at k, q the quote: `"`, `\"` (JSON inside a JSON string) or `'` (a
// Python or PowerShell dump). A secret key's string value is masked.
func (sc *oldScanner) json(k int, w string, q string) int {
	s := sc.s
	if !oldSecretName(w) {
		return k + 1
	}
	c := oldSkipSpace(s, k+1)
	if c >= len(s) || s[c] != ':' {
		return k + 1
	}
	v := oldSkipSpace(s, c+1)
	if !strings.HasPrefix(s[v:], q) {
		return k + 1
	}
	start := v + len(q)
	end := jsonValueEnd(s, start, q)
	if start < end {
		sc.replace(start, end, oldMasked)
	}
	return end
}

// isPasswordWord reports whether w is password, passwd or pwd.
func oldIsPasswordWord(w string) bool {
	return oldEqualFold(w, "password") || oldEqualFold(w, "passwd") || oldEqualFold(w, "pwd")
}

// isLabelSecret reports whether "w:" labels a credential in a log or a
// YAML-like dump: client_secret, access_token, refresh_token, id_token.
func oldIsLabelSecret(w string) bool {
	return oldEqualFold(w, "client_secret") || oldEqualFold(w, "access_token") ||
		oldEqualFold(w, "refresh_token") || oldEqualFold(w, "id_token")
}

// prose masks the password at i after "password:" or "password is": a
// quoted string, or the run of characters up to white space. A word that
// describes the password rather than being it ("is incorrect", "is
// expired") stays.
func (sc *oldScanner) prose(i int) int {
	s := sc.s
	if i >= len(s) || oldIsBlank(s[i]) {
		return i
	}
	end := i
	if s[i] == '"' || s[i] == '\'' {
		end = oldQuotedEndBy(s, i, s[i])
		if e := oldLineEnd(s, i); end > e {
			end = e
		}
	} else {
		for end < len(s) && !oldIsBlank(s[end]) {
			end++
		}
		if oldIsSchemeWord(s[i:end]) && end < len(s) && oldIsSpace(s[end]) {
			// "access_token: Bearer X": the credential is the next word.
			return sc.prose(oldSkipSpace(s, end))
		}
		if oldDescribesPassword(strings.TrimRight(s[i:end], ".,;:!?)")) {
			return end
		}
	}
	sc.replace(i, end, oldMaskValue(s[i:end]))
	return end
}

// describesPassword reports whether w is a word that says something about
// a password instead of being one, or a value that cannot be one and is
// evidence: an HRESULT ("Password: 0x80048821", "password is 8004882C
// expired") or a boolean ("Password : False").
func oldDescribesPassword(w string) bool {
	if w == "" || w == oldMasked || isHRESULT(w) {
		return true
	}
	if len(w) > 16 {
		return false
	}
	var buf [16]byte
	_, ok := oldProseWords[string(oldLowerInto(buf[:], w))]
	return ok
}

var oldProseWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`a an the not no never now too also still
		incorrect correct invalid valid wrong right expired expiring expires
		required needed mandatory optional missing empty blank null none unknown
		set unset reset changed change saved stored cached remembered hidden
		masked encrypted protected locked disabled enabled weak strong short
		long same different case-sensitive sensitive about being going and or
		for of in on to was will has have had must should can cannot could may
		be been is are incorrectly ok good bad true false`) {
		m[w] = struct{}{}
	}
	return m
}()

// maskValue masks a parameter value, keeping its quotes and line breaks.
// Empty values stay.
func oldMaskValue(val string) string {
	if val == "" {
		return val
	}
	if q := val[0]; q == '"' || q == '\'' {
		if len(val) == 1 || (len(val) == 2 && val[1] == q) {
			return val
		}
		if val[len(val)-1] == q {
			return val[:1] + oldMaskKeepFolds(val[1:len(val)-1]) + val[:1]
		}
		return val[:1] + oldMaskKeepFolds(val[1:]) // an unterminated quoted value
	}
	return oldMaskKeepFolds(val)
}

// maskKeepLines replaces content with Masked followed by the line breaks of
// content, so the line count of the text does not change. Content that is
// already masked stays.
func oldMaskKeepLines(content string) string { return oldMaskLines(content, false) }

// maskKeepFolds is maskKeepLines for a header parameter's value: the blanks
// that start a continuation line stay too.
func oldMaskKeepFolds(content string) string { return oldMaskLines(content, true) }

func oldMaskLines(content string, keepFolds bool) string {
	if !strings.ContainsAny(content, "\r\n") {
		return oldMasked
	}
	if strings.TrimSpace(content) == oldMasked {
		return content
	}
	var b strings.Builder
	b.WriteString(oldMasked)
	for i := 0; i < len(content); i++ {
		if c := content[i]; c == '\r' || c == '\n' {
			b.WriteByte(c)
			if keepFolds {
				// Keep the blanks that start the next line: a folded
				// header's continuation must stay a continuation when it
				// is masked again.
				for i+1 < len(content) && (content[i+1] == ' ' || content[i+1] == '\t') {
					i++
					b.WriteByte(content[i])
				}
			}
		}
	}
	return b.String()
}

// keywords are the 4-byte prefixes, in lower case, of the keywords of
// every form the scanner masks (see [Secrets] and the names of
// [SecretName], isSecretElement, isAuthHeader, isCookieHeader,
// isSchemeWord, isPasswordWord, isLabelSecret, isURLOnlyName):
//
//	pass    password, passwd (a name, a label, "password is")
//	toke    token and the names ending so, usertoken, devicedatoken
//	secr    secret, client_secret, binarysecret
//	cook    cookie, Set-Cookie, Cookies
//	tick    ticket, webticket, X-MS-WebTicket
//	asse    assertion, client_assertion
//	saml    SAMLResponse
//	wres    wresult
//	gssa    gssapi-data
//	auth    Authorization, WWW-Authenticate, Authentication-Info, rspauth
//	code    code (an OAuth authorization code in a URL)
//	bear basi nego ntlm kerb    the schemes that introduce a token
//	data    <Data Name="...">
//	ciph    CipherValue
//	----    -----BEGIN
//
// The three-letter keywords come with the bytes that can follow them where
// they count (keywords3).
var oldKeywords = []string{
	"pass", "toke", "secr", "cook", "tick", "asse", "saml", "wres", "gssa", "auth",
	"code", "bear", "basi", "nego", "ntlm", "kerb", "data", "ciph", "----",
	"nkey", "p://", "s://", "sip:", "ips:", jaPassword[:4],
	"apik", "api_", "api-", "n-ke", "n_ke", "cred", "tto-", "ekey", "e_ke", "e-ke",
	"tkey", "t_ke", "t-ke", "skey", "s_ke", "s-ke", "rkey", "r_ke", "r-ke", "ure=", "ure%",
}

// keywords3 are the keywords of three letters, each with the bytes that
// follow it when it counts: pwd and cwt are names, followed by the ':',
// '=', '"', space or tab that makes them a label, parameter or JSON key;
// eyJ starts a JSON Web Token, followed by more base64url.
var oldKeywords3 = []struct{ word, next string }{
	{"pwd", `:="\'%&>/sv_-` + " \t\r\n\xef"},
	{"cwt", `:="\'%&>/` + " \t\r\n\xef"},
	{"pin", `:="\'%&>/` + " \t\r\n\xef"},
	{"sig", "=%"},
	{"eyj", "abcdefghijklmnopqrstuvwxyz0123456789-_"},
}

// fold4 folds the 4 bytes of q (little endian) as the keyword table does:
// ASCII upper-case letters become lower case. Other bytes change too
// ('\r' becomes '-'), which only adds candidates.
func oldFold4(q uint32) uint32 { return q | 0x20202020 }

// hash4 maps a folded 4-byte window to an entry of keywordTable.
func oldHash4(q uint32) uint32 { return (q * 0x9e3779b1) >> (32 - oldKeywordTableLog) }

const oldKeywordTableLog = 15

// keywordTable is 1 at hash4(fold4(w)) for every 4-byte window w that
// begins a keyword occurrence; other windows hit a 1 about once in 500. It
// has bytes rather than bits: one load and no shift per window.
var oldKeywordTable = func() (t [1 << oldKeywordTableLog]uint8) {
	set := func(w string) {
		t[oldHash4(oldFold4(uint32(w[0])|uint32(w[1])<<8|uint32(w[2])<<16|uint32(w[3])<<24))] = 1
	}
	for _, w := range oldKeywords {
		set(w)
	}
	for _, k := range oldKeywords3 {
		for i := 0; i < len(k.next); i++ {
			set(k.word + k.next[i:i+1])
		}
	}
	return t
}()

// nextKeyword returns the index of the first 4-byte window of s at or
// after i that may begin a keyword, or -1. It never misses one; a few
// other windows come too. A keyword in the last 3 bytes of s is not looked
// for: none of them acts there (a name needs a byte after it, a token more
// bytes).
func oldNextKeyword(s string, i int) int {
	t := &oldKeywordTable
	for ; i+8 <= len(s); i += 5 {
		// One load gives 5 windows.
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		x |= 0x2020202020202020
		a := t[oldHash4(uint32(x))]
		b := t[oldHash4(uint32(x>>8))]
		c := t[oldHash4(uint32(x>>16))]
		d := t[oldHash4(uint32(x>>24))]
		e := t[oldHash4(uint32(x>>32))]
		if a|b|c|d|e != 0 {
			switch {
			case a != 0:
				return i
			case b != 0:
				return i + 1
			case c != 0:
				return i + 2
			case d != 0:
				return i + 3
			}
			return i + 4
		}
	}
	for ; i+4 <= len(s); i++ {
		if t[oldHash4(oldFold4(uint32(s[i])|uint32(s[i+1])<<8|uint32(s[i+2])<<16|uint32(s[i+3])<<24))] != 0 {
			return i
		}
	}
	return -1
}

// resume returns where the scan goes on for a keyword at k, when it is at
// i and nothing before k can act: the start of the word that holds the
// keyword, or the '<' of the element tag that holds it ("<wsse:Password"),
// never before i. The scanner visits that place too when it goes byte by
// byte: a word is looked at from its first byte, a '<' always.
func oldResume(s string, i, k int) int {
	w := k
	for w > i && oldIsWord(s[w-1]) {
		w--
	}
	// "x%3DeyJ": the scan goes on from x, which takes the escape for its '='.
	for w > i+1 && strings.HasPrefix(s[w-1:], "%3") && w+1 < len(s) && (s[w+1] == 'D' || s[w+1] == 'd') && oldIsWord(s[w-2]) {
		w -= 2
		for w > i && oldIsWord(s[w-1]) {
			w--
		}
	}
	e := w
	for e > i && oldIsNameByte(s[e-1]) {
		e--
	}
	if e > i && s[e-1] == '<' {
		return e - 1
	}
	return w
}

// isNameByte reports whether c may be part of an XML name as the scanner
// reads it (element).
func oldIsNameByte(c byte) bool { return oldIsAlnum(c) || c == '_' || c == '.' || c == '-' || c == ':' }

// jwt handles a word starting with "eyJ" (base64url of `{"`) that ends at
// j with a '.': a JSON Web Token, three segments (JWS) or five (JWE), each
// base64url, is masked whole. The signature of an unsecured JWT and the
// key of a direct-encryption JWE may be empty.
func (sc *oldScanner) jwt(i, j int) int {
	s := sc.s
	if j-i < 10 {
		return j
	}
	dots := 0
	e := j
	for e < len(s) && (oldIsWord(s[e]) || s[e] == '.') {
		if s[e] == '.' {
			dots++
			if dots > 2 && strings.HasPrefix(s[e+1:], "eyJ") {
				// Another token starts: this one ends at the dot, as it
				// does once that token is masked (masking twice must
				// give the same text).
				e++
				break
			}
		}
		e++
	}
	for e > j && s[e-1] == '.' && dots > 2 { // a sentence's full stop
		e--
		dots--
	}
	if dots > 2 && dots != 4 {
		// More segments than a token has: its first three are one (a
		// JWS followed by more dotted text). Leaving them would not do:
		// once a token further on is masked, they end the run and would
		// be masked the next time, and masking must give the same text
		// when run again.
		e = j
		for n := 0; n < 2; n++ {
			e++
			for e < len(s) && s[e] != '.' {
				e++
			}
		}
		dots = 2
	}
	if dots != 2 && dots != 4 || e-i < 24 {
		return j
	}
	sc.replace(i, e, oldMasked)
	return e
}

// pemBegin starts a PEM block.
const oldPemBegin = "-----BEGIN "

// pem handles "-----BEGIN " at i: the body of a private key (RSA, EC, DSA,
// OPENSSH, ENCRYPTED or PKCS #8 "PRIVATE KEY") is masked up to the END
// line, its line breaks kept; the BEGIN and END lines stay. Certificates
// are public and stay.
func (sc *oldScanner) pem(i int) int {
	s := sc.s
	k := i + len(oldPemBegin)
	e := strings.Index(s[k:min(len(s), k+64)], "-----")
	if e < 0 {
		return k
	}
	label := s[k : k+e]
	if !strings.HasSuffix(label, "PRIVATE KEY") {
		return k
	}
	body := k + e + len("-----")
	if body < len(s) && s[body] == '\r' {
		body++
	}
	if body < len(s) && s[body] == '\n' {
		body++
	}
	// Inside a JSON string the line breaks are escapes, which stay.
	escaped := false
	for strings.HasPrefix(s[body:], `\r`) || strings.HasPrefix(s[body:], `\n`) {
		body += 2
		escaped = true
	}
	end := strings.Index(s[body:], "-----END ")
	switch {
	case end < 0 && escaped:
		// A cut key inside a JSON string: its body runs to the
		// string's end.
		end = oldLineEnd(s, body)
		if q := strings.IndexByte(s[body:end], '"'); q >= 0 {
			end = body + q
		}
	case end < 0:
		end = oldBase64End(s, body)
	default:
		end += body
		for escaped && end-2 >= body && (s[end-2:end] == `\n` || s[end-2:end] == `\r`) {
			end -= 2
		}
	}
	if content := s[body:end]; strings.TrimSpace(content) != "" {
		sc.replace(body, end, oldMaskKeepLines(content))
	}
	return max(end, body)
}

// base64End returns the end of the run of lines from i that look like the
// body of a PEM block whose END line is missing (a truncated excerpt):
// base64 and the RFC 1421 headers (Proc-Type, DEK-Info).
func oldBase64End(s string, i int) int {
	for i < len(s) {
		e := oldLineEnd(s, i)
		line := strings.TrimSpace(s[i:e])
		if line != "" && !oldIsBase64Line(line) && !strings.HasPrefix(line, "Proc-Type:") && !strings.HasPrefix(line, "DEK-Info:") {
			return i
		}
		i = e
		if i < len(s) && s[i] == '\r' {
			i++
		}
		if i < len(s) && s[i] == '\n' {
			i++
		}
	}
	return len(s)
}

func oldIsBase64Line(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; !oldIsAlnum(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// isSecretElement reports whether the local name of an XML element (any
// namespace prefix) says that its content is a credential. ps:BinaryVersion
// of an IDCRL request is a version number and stays; ps:Cookies can carry
// the Passport cookies.
func oldIsSecretElement(local string) bool {
	if len(local) > len("requestedsecuritytoken") {
		return false
	}
	var buf [len("requestedsecuritytoken")]byte
	switch string(oldLowerInto(buf[:], local)) {
	case "password", "binarysecuritytoken", "assertion", "ciphervalue", "usertoken",
		"webticket", "devicedatoken", "binarysecret", "requestedprooftoken",
		"requestedsecuritytoken", "cookies":
		return true
	}
	return false
}

// element handles the '<' at i: when it opens a secret element, the
// element's content is masked (its line breaks kept) and the scan goes on
// after the closing tag.
func (sc *oldScanner) element(i int) int {
	s := sc.s
	k := i + 1
	e := k
	for e < len(s) && e-k <= oldMaxName && (oldIsAlnum(s[e]) || strings.IndexByte("_.-:", s[e]) >= 0) {
		e++
	}
	if e == k || e == len(s) {
		return i + 1
	}
	qn := s[k:e]
	local := qn[strings.LastIndexByte(qn, ':')+1:]
	secret := oldIsSecretElement(local)
	// An element whose name says secret (AccessToken, RefreshToken,
	// ClientSecret, pwd, EncryptedAssertion) is masked when it holds text
	// only: one that holds elements (UsernameToken,
	// RequestSecurityToken, RequestMultipleSecurityTokens) is a
	// container whose secret elements are masked on their own.
	leafOnly := false
	if !secret && oldSecretName(local) {
		secret, leafOnly = true, true
	}
	if !secret && !oldEqualFold(local, "data") {
		return i + 1
	}
	if c := s[e]; c != '>' && c != '/' && !oldIsBlank(c) {
		return i + 1
	}
	gt := strings.IndexAny(s[e:], "<>")
	if gt < 0 || s[e+gt] != '>' {
		return i + 1
	}
	openEnd := e + gt + 1
	if !secret && !oldSecretDataName(s[e:openEnd]) {
		return i + 1
	}
	selfClosing := s[openEnd-2] == '/'
	contentEnd, next := openEnd, openEnd
	if !selfClosing {
		contentEnd, next = oldClosingTag(s, openEnd, qn)
		if c := s[openEnd:contentEnd]; leafOnly && holdsElement(c, "<") && strings.TrimSpace(c) != Masked {
			return i + 1
		}
	}
	if end := sc.tag(i+1, openEnd); end > openEnd {
		return end
	}
	if content := s[openEnd:contentEnd]; strings.TrimSpace(content) != "" {
		sc.replace(openEnd, contentEnd, oldMaskKeepLines(content))
	}
	return next
}

// tag scans the start tag s[i:end] as the scan does, and returns where it
// stopped.
func (sc *oldScanner) tag(i, end int) int {
	for i < end {
		i = sc.step(i)
	}
	return i
}

// secretDataName reports whether the attributes of an event log's <Data>
// element hold a Name that says secret: <Data Name="Password">.
func oldSecretDataName(attrs string) bool {
	i := oldIndexFold(attrs, "name=")
	if i < 0 || (i > 0 && !oldIsBlank(attrs[i-1])) {
		return false
	}
	v := attrs[i+len("name="):]
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return false
	}
	end := strings.IndexByte(v[1:], v[0])
	return end > 0 && oldSecretName(v[1:1+end])
}

// closingTag finds "</qname>" (any case, optional spaces before '>') after
// from. It returns where the content ends and where scanning goes on. When
// the element is not closed, the content runs to the end of the line.
func oldClosingTag(s string, from int, qname string) (contentEnd, next int) {
	for i := from; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			break
		}
		k := i + j + 2
		if oldHasPrefixFold(s[k:], qname) {
			e := k + len(qname)
			for e < len(s) && oldIsSpace(s[e]) {
				e++
			}
			if e < len(s) && s[e] == '>' {
				return i + j, e + 1
			}
		}
		i = k
	}
	end := oldLineEnd(s, from)
	return end, end
}

// authParam masks the value at vs of an "Authorization=" entry, which
// runs to a ';', a '}', a '&' or the end of the line, or is quoted, as
// the value of an Authorization header.
func (sc *oldScanner) authParam(vs int) int {
	s := sc.s
	start := oldSkipSpace(s, vs)
	end := start
	if start < len(s) && (s[start] == '"' || s[start] == '\'') {
		start++
		end = start
		for end < len(s) && s[end] != s[start-1] && s[end] != '\r' && s[end] != '\n' {
			end++
		}
	} else {
		for end < len(s) && strings.IndexByte(";}&\r\n", s[end]) < 0 {
			end++
		}
	}
	oldMasked, stop := oldMaskAuthValue(s[start:end])
	sc.replace(start, start+stop, oldMasked)
	return max(start+stop, vs)
}

// labelValue masks the value at i of a label whose name says secret
// further on in a line ("Access token: X"): as prose does, but a plain
// lower-case word is prose ("the X-Access-Token: header was absent"), and
// a ',', ';' or ')' that ends the value stays ("token: X, expires 3599").
func (sc *oldScanner) labelValue(i int) int {
	s := sc.s
	if i >= len(s) || s[i] == '"' || s[i] == '\'' {
		return sc.prose(i)
	}
	end := i
	for end < len(s) && !oldIsBlank(s[end]) {
		end++
	}
	for end > i && strings.IndexByte(",;)", s[end-1]) >= 0 {
		end--
	}
	v := s[i:end]
	if oldIsSchemeWord(v) && end < len(s) && oldIsSpace(s[end]) {
		// "access_token: Bearer X": the credential is the next word.
		return sc.labelValue(oldSkipSpace(s, end))
	}
	if oldIsPlainWord(v) || oldDescribesPassword(strings.TrimRight(v, ".:!?")) {
		return max(end, i)
	}
	sc.replace(i, end, oldMaskValue(v))
	return end
}

// passLabel masks the value at i after "pass:", as prose does after
// "password:", unless it is a number: "pass: 3 fail: 0" counts tests.
func (sc *oldScanner) passLabel(i int) int {
	s := sc.s
	e := i
	for e < len(s) && oldIsDigit(s[e]) {
		e++
	}
	if e > i && (e == len(s) || oldIsBlank(s[e]) || strings.IndexByte(",;)", s[e]) >= 0) {
		return e
	}
	return sc.prose(i)
}

// escapedElement handles the word w at i, a '&' after it at j: when w is
// the local name of an entity-escaped start tag whose name says secret
// ("&lt;wsse:Password&gt;", XML inside XML or HTML), the element's
// content is masked up to its escaped end tag, or the end of the line.
func (sc *oldScanner) escapedElement(i, j int, w string) int {
	s := sc.s
	if !strings.HasPrefix(s[j:], "&gt;") || !(oldIsSecretElement(w) || oldSecretName(w)) {
		return j
	}
	q := i // the start of the qualified name
	if q > 0 && s[q-1] == ':' {
		q--
		for q > 0 && oldIsNameByte(s[q-1]) {
			q--
		}
	}
	if q < 4 || s[q-4:q] != "&lt;" {
		return j
	}
	qn := s[q:j]
	from := j + len("&gt;")
	contentEnd, next := oldLineEnd(s, from), -1
	for k := from; ; {
		p := strings.Index(s[k:contentEnd], "&lt;/")
		if p < 0 {
			break
		}
		k += p + len("&lt;/")
		if oldHasPrefixFold(s[k:], qn) && strings.HasPrefix(s[k+len(qn):], "&gt;") {
			contentEnd, next = k-len("&lt;/"), k+len(qn)+len("&gt;")
			break
		}
	}
	if next < 0 {
		next = contentEnd
	}
	content := s[from:contentEnd]
	if !oldIsSecretElement(w) && holdsElement(content, "&lt;") {
		return j // a container: its secret elements are masked on their own
	}
	if v := strings.TrimSpace(content); v == "" || v == oldMasked {
		return next
	}
	sc.replace(from, contentEnd, oldMasked)
	return next
}

// maskNamelessCookie masks the first part p of a cookie value that has no
// '=' (up to the first ';'), keeping the blanks around it. A blank part
// stays.
func oldMaskNamelessCookie(v string) string {
	p, rest, _ := strings.Cut(v, ";")
	core := strings.TrimSpace(p)
	if core == "" {
		return v
	}
	lead := strings.Index(p, core)
	oldMasked := p[:lead] + oldMaskValue(core) + p[lead+len(core):]
	if len(p) == len(v) {
		return oldMasked
	}
	return oldMasked + ";" + rest
}
