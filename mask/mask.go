// Package mask removes credentials from text before a person sees it.
//
// Client logs and HTTP traces carry authentication material: the
// gssapi-data and signatures of SIP authentication headers ([MS-SIPAE]
// NTLM, Kerberos and TLS-DSK), bearer and basic credentials, cookies, web
// tickets, and passwords or security tokens inside SOAP, form and JSON
// bodies. Secrets replaces every such value with [Masked] and keeps the
// name of the parameter, header or element, so a reader still sees what
// was there.
package mask

import (
	"regexp"
	"strings"
)

// Masked replaces every secret value.
const Masked = "***"

// Keyword families: each masking rule runs only when the cheap keyword scan
// found one of its keywords, so clean text costs one pass over its bytes.
const (
	famAuthHeader  = 1 << iota // Authorization, WWW-Authenticate, Authentication-Info ...
	famAuthParam               // gssapi-data, rspauth outside a header
	famCookie                  // Cookie, Set-Cookie
	famTicketHdr               // X-MS-WebTicket and similar headers
	famXML                     // <Password>, <BinarySecurityToken>, <saml:Assertion> ...
	famForm                    // password=, access_token=, ticket= ...
	famJSON                    // "password":"..." ...
	famSchemeToken             // Bearer/Basic/Negotiate/NTLM followed by a token
)

// keyword is a lower-case literal whose presence enables the rule families
// in fam.
type keyword struct {
	lit string
	fam int
}

// keywords lists the literals of the prefilter. Text that a rule masks
// always holds one of the literals of the rule's family.
var keywords = []keyword{
	{"auth", famAuthHeader | famAuthParam}, // authorization, authenticate, rspauth
	{"gssapi", famAuthParam},
	{"cookie", famCookie},
	{"ticket", famTicketHdr | famXML | famForm | famJSON},
	{"passw", famXML | famForm | famJSON},
	{"pwd", famForm | famJSON},
	{"token", famXML | famForm | famJSON},
	{"assertion", famXML | famForm | famJSON},
	{"ciphervalue", famXML},
	{"secret", famXML | famForm | famJSON},
	{"cwt", famForm | famJSON},
	{"bearer", famSchemeToken},
	{"basic", famSchemeToken},
	{"negotiate", famSchemeToken},
	{"ntlm", famSchemeToken},
}

// allFamilies has every family bit set.
const allFamilies = famAuthHeader | famAuthParam | famCookie | famTicketHdr |
	famXML | famForm | famJSON | famSchemeToken

// byFirst indexes keywords by their first byte, in both cases. It is built
// once and only read afterwards.
var byFirst = func() (t [256][]keyword) {
	for _, k := range keywords {
		c := k.lit[0]
		t[c] = append(t[c], k)
		if u := c - 'a' + 'A'; c >= 'a' && c <= 'z' {
			t[u] = append(t[u], k)
		}
	}
	return t
}()

// families returns the rule families whose keywords occur in s, ASCII
// case-insensitively.
func families(s string) int {
	fam := 0
	for i := 0; i < len(s); i++ {
		for _, k := range byFirst[s[i]] {
			if fam&k.fam != k.fam && hasPrefixFold(s[i:], k.lit) {
				fam |= k.fam
				if fam == allFamilies {
					return fam
				}
			}
		}
	}
	return fam
}

// hasPrefixFold reports whether s begins with the lower-case ASCII prefix,
// ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Secrets returns s with credentials masked: the value of every secret is
// replaced by [Masked] while the parameter, header or element name stays.
//
// It masks, in any letter case:
//   - in Authorization, Proxy-Authorization, WWW-Authenticate,
//     Proxy-Authenticate and Authentication-Info headers (SIP or HTTP): the
//     values of gssapi-data, opaque, rspauth, srand, snum, crand, cnum,
//     response, nonce, cnonce and signature; every parameter of Basic,
//     Bearer and Negotiate credentials except realm, error, scope and
//     similar descriptive ones; and any bare token (token68) after a
//     scheme, as in "NTLM TlRMTVNT...". Realm, targetname, version, qop,
//     sts-uri and the other parameters stay readable;
//   - the values of Cookie and Set-Cookie headers (cookie names and
//     Set-Cookie attributes such as Path stay), and the value of web
//     ticket headers such as X-MS-WebTicket;
//   - the content of the XML elements Password, BinarySecurityToken,
//     Assertion (SAML), CipherValue, UserToken, WebTicket, DeviceDAToken,
//     BinarySecret and RequestedProofToken, with any namespace prefix;
//   - password, passwd, pwd, access_token, refresh_token, id_token,
//     client_secret, webticket, assertion and cwt values in query strings,
//     forms and attributes (name=value); token and ticket values in query
//     strings and forms ("?token=", "&ticket="); all these names, and
//     "secret", as JSON string fields;
//   - long tokens after Bearer, Basic, Negotiate or NTLM anywhere;
//   - gssapi-data and rspauth parameters anywhere.
//
// Secrets is idempotent, keeps line breaks (so line numbers stay valid),
// grows a masked value by at most two bytes, and returns s itself when a
// keyword scan finds nothing to mask.
func Secrets(s string) string {
	fam := families(s)
	if fam == 0 {
		return s
	}
	if fam&famXML != 0 {
		s = maskXML(s) // elements may span lines
	}
	if fam&^famXML == 0 {
		return s
	}
	// The other rules work within a line: run them on the lines that hold
	// one of their keywords only.
	var b strings.Builder
	changed := false
	for start := 0; start < len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		line := s[start:end]
		out := maskLine(line)
		if out != line && !changed {
			b.Grow(len(s))
			b.WriteString(s[:start])
			changed = true
		}
		if changed {
			b.WriteString(out)
			if end < len(s) {
				b.WriteByte('\n')
			}
		}
		start = end + 1
	}
	if !changed {
		return s
	}
	return b.String()
}

// maskLine applies the single-line rules whose keywords occur in line.
func maskLine(line string) string {
	fam := families(line)
	if fam&famAuthHeader != 0 {
		line = maskAuthHeaders(line)
	}
	if fam&famCookie != 0 {
		line = maskCookies(line)
	}
	if fam&famTicketHdr != 0 {
		line = maskTicketHeaders(line)
	}
	if fam&famForm != 0 {
		line = maskParams(line, findForm)
	}
	if fam&famJSON != 0 {
		line = maskJSON(line)
	}
	if fam&famSchemeToken != 0 {
		line = maskSchemeTokens(line)
	}
	if fam&famAuthParam != 0 {
		line = maskParams(line, findAuthParam)
	}
	return line
}

// lineEnd returns the index of the first '\r' or '\n' at or after i, or
// len(s).
func lineEnd(s string, i int) int {
	if j := strings.IndexAny(s[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(s)
}

// ---------------------------------------------------------------------------
// Authentication headers.

// authHeaderNames are the endings of authentication header names:
// Authorization, Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate,
// Authentication-Info and any other name that ends so.
var authHeaderNames = []string{"authorization", "authenticate", "authentication-info"}

// findAuthHeader returns the index just past the colon of the first
// authentication header name in s, or -1. It is a hand-written form of
// `(?i)\b[a-z0-9-]*(authorization|authenticate|authentication-info)[ \t]*:`,
// several times faster than the regular expression.
func findAuthHeader(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if c := s[i]; c != 'a' && c != 'A' {
			continue
		}
		if !hasPrefixFold(s[i:], "auth") {
			continue
		}
		// The name may start earlier (WWW-, Proxy-), at a word boundary.
		start := i
		for start > 0 && (isAlnum(s[start-1]) || s[start-1] == '-') {
			start--
		}
		if start > 0 && s[start-1] == '_' {
			continue
		}
		for _, n := range authHeaderNames {
			if !hasPrefixFold(s[i:], n) {
				continue
			}
			j := i + len(n)
			if j < len(s) && (isAlnum(s[j]) || s[j] == '-') && n != "authentication-info" {
				continue // a longer word, e.g. "authentication-info" vs "authenticate"
			}
			for j < len(s) && isSpace(s[j]) {
				j++
			}
			if j < len(s) && s[j] == ':' {
				return j + 1
			}
		}
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isSecretAuthParam reports whether the value of the authentication
// parameter name (lower case) is masked whatever the scheme.
func isSecretAuthParam(name string) bool {
	switch name {
	case "gssapi-data", "opaque", "rspauth", "srand", "snum", "crand", "cnum",
		"response", "nonce", "cnonce", "signature":
		return true
	}
	return false
}

// isMaskAllScheme reports whether the parameters of scheme (lower case)
// are credentials, except the public ones.
func isMaskAllScheme(scheme string) bool {
	switch scheme {
	case "basic", "bearer", "negotiate":
		return true
	}
	return false
}

// isPublicAuthParam reports whether the parameter name (lower case)
// describes a challenge rather than carries a credential; such parameters
// stay readable even for the schemes of isMaskAllScheme.
func isPublicAuthParam(name string) bool {
	switch name {
	case "realm", "charset", "error", "error_description", "error_uri", "scope",
		"authorization_uri", "trusted_issuers", "client_id", "resource_id",
		"targetname", "version", "qop":
		return true
	}
	return false
}

func maskAuthHeaders(s string) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		k := findAuthHeader(s[pos:])
		if k < 0 {
			break
		}
		start := pos + k
		end := lineEnd(s, start)
		masked, stop := maskAuthValue(s[start:end])
		if masked != s[start:start+stop] {
			sp.replace(start, start+stop, masked)
		}
		pos = start + stop
	}
	return sp.String()
}

// isTokenChar reports whether c may appear in an auth scheme, parameter
// name or token68 credential.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~/", c) >= 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// maskAuthValue masks the value of one authentication header: a list of
// challenges or credentials, each a scheme followed by a token68 or by
// comma-separated parameters. It stops at the end of v or at a token
// directly followed by ':' (the next header of a message rendered on one
// line), and returns the masked text and how much of v it covers.
func maskAuthValue(v string) (string, int) {
	var b strings.Builder
	scheme := ""
	afterScheme := false // the previous token was a scheme name
	i := 0
	for i < len(v) {
		c := v[i]
		if isSpace(c) {
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
		if !isTokenChar(c) {
			if c == '"' { // a stray quoted string: copy it whole
				j := quotedEnd(v, i)
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
		for i < len(v) && isTokenChar(v[i]) && v[i] != '=' {
			i++
		}
		tok := v[start:i]
		j := i
		for j < len(v) && isSpace(v[j]) {
			j++
		}
		if j < len(v) && v[j] == ':' {
			return b.String(), start // the next header begins here
		}
		if j < len(v) && v[j] == '=' {
			k := j
			for k < len(v) && v[k] == '=' {
				k++
			}
			if afterScheme && (k == len(v) || isSpace(v[k]) || v[k] == ',') {
				// token68 with padding, e.g. "Negotiate YIIG...=="
				b.WriteString(Masked)
				i = k
				afterScheme = false
				continue
			}
			// name=value
			b.WriteString(v[start:j])
			b.WriteByte('=')
			k = j + 1
			for k < len(v) && isSpace(v[k]) {
				b.WriteByte(v[k])
				k++
			}
			vend := k
			if k < len(v) && v[k] == '"' {
				vend = quotedEnd(v, k)
			} else {
				for vend < len(v) && v[vend] != ',' && !isSpace(v[vend]) {
					vend++
				}
			}
			name := strings.ToLower(tok)
			if isSecretAuthParam(name) || (isMaskAllScheme(scheme) && !isPublicAuthParam(name)) {
				b.WriteString(maskValue(v[k:vend]))
			} else {
				b.WriteString(v[k:vend])
			}
			i = vend
			afterScheme = false
			continue
		}
		if afterScheme {
			// token68 without padding, e.g. "Basic dXNlcjpwYXNz"
			b.WriteString(Masked)
			afterScheme = false
			continue
		}
		scheme = strings.ToLower(tok)
		afterScheme = true
		b.WriteString(tok)
	}
	return b.String(), len(v)
}

// quotedEnd returns the index just past the quoted string that starts at
// v[i] == '"' (backslash escapes honoured), or len(v) when it is not closed.
func quotedEnd(v string, i int) int {
	for j := i + 1; j < len(v); j++ {
		switch v[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(v)
}

// maskValue masks a parameter value, keeping its quotes. Empty values stay.
func maskValue(val string) string {
	if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
		if len(val) == 2 {
			return val
		}
		return val[:1] + Masked + val[:1]
	}
	if len(val) > 0 && (val[0] == '"' || val[0] == '\'') {
		// an unterminated quoted value
		if len(val) == 1 {
			return val
		}
		return val[:1] + Masked
	}
	if val == "" {
		return val
	}
	return Masked
}

// ---------------------------------------------------------------------------
// Cookies and web ticket headers.

var cookieHeaderRE = regexp.MustCompile(`(?i)\b(?:set-cookie2?|cookie)[ \t]*:`)

// isCookieAttribute reports whether name (lower case) is a Set-Cookie
// attribute, which is not a secret.
func isCookieAttribute(name string) bool {
	switch name {
	case "path", "domain", "expires", "max-age", "samesite", "secure", "httponly",
		"version", "comment", "priority", "partitioned":
		return true
	}
	return false
}

func maskCookies(s string) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		loc := cookieHeaderRE.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start := pos + loc[1]
		end := lineEnd(s, start)
		masked := maskCookieValue(s[start:end])
		if masked != s[start:end] {
			sp.replace(start, end, masked)
		}
		pos = end
	}
	return sp.String()
}

// maskCookieValue masks every "name=value" pair of a Cookie or Set-Cookie
// value except Set-Cookie attributes.
func maskCookieValue(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			continue
		}
		name := strings.ToLower(strings.TrimSpace(p[:eq]))
		if i > 0 && isCookieAttribute(name) {
			continue
		}
		val := p[eq+1:]
		lead := len(val) - len(strings.TrimLeft(val, " \t"))
		trail := len(val) - len(strings.TrimRight(val, " \t"))
		if lead == len(val) {
			continue // empty value
		}
		core := val[lead : len(val)-trail]
		parts[i] = p[:eq+1] + val[:lead] + maskValue(core) + val[len(val)-trail:]
	}
	return strings.Join(parts, ";")
}

// findTicketHeader returns the index just past the colon of the first web
// ticket header (a header name ending in "webticket", such as
// X-MS-WebTicket or ms-webticket) in s, or -1. A name followed by "::" is
// a C++ scope in a log line, not a header.
func findTicketHeader(s string) int {
	const name = "webticket"
	for i := 0; i+len(name) <= len(s); i++ {
		if c := s[i] | 0x20; c != 'w' || !hasPrefixFold(s[i:], name) {
			continue
		}
		start := i
		for start > 0 && (isAlnum(s[start-1]) || s[start-1] == '-') {
			start--
		}
		if start > 0 && !isSpace(s[start-1]) && strings.IndexByte("\"'<>(;,", s[start-1]) < 0 {
			continue
		}
		j := i + len(name)
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j < len(s) && s[j] == ':' && (j+1 == len(s) || s[j+1] != ':') {
			return j + 1
		}
	}
	return -1
}

// maskTicketHeaders masks the rest of the line after each web ticket
// header name.
func maskTicketHeaders(s string) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		k := findTicketHeader(s[pos:])
		if k < 0 {
			break
		}
		start := pos + k
		end := lineEnd(s, start)
		val := s[start:end]
		lead := len(val) - len(strings.TrimLeft(val, " \t"))
		if lead < len(val) && val[lead:] != Masked {
			sp.replace(start+lead, end, Masked)
		}
		pos = end
	}
	return sp.String()
}

// ---------------------------------------------------------------------------
// XML elements.

// secretElements are the local names (any namespace prefix) of the XML
// elements whose content is secret.
var secretElements = []string{
	"password", "binarysecuritytoken", "assertion", "ciphervalue", "usertoken",
	"webticket", "devicedatoken", "binarysecret", "requestedprooftoken",
}

// findSecretElement finds the first start tag of a secret element at or
// after from. It returns the tag's end (just past '>') and its qualified
// name; ok is false when there is none. A hand-written form of
// `(?i)<((?:[a-z0-9_.-]+:)?(?:password|...))\b[^<>]*>`.
func findSecretElement(s string, from int) (openEnd int, qname string, ok bool) {
	for i := from; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return 0, "", false
		}
		k := i + j + 1
		e := k
		for e < len(s) && (isAlnum(s[e]) || strings.IndexByte("_.-:", s[e]) >= 0) {
			e++
		}
		i = k
		qn := s[k:e]
		local := qn[strings.LastIndexByte(qn, ':')+1:]
		if !isSecretElement(local) || e == len(s) {
			continue
		}
		gt := strings.IndexAny(s[e:], "<>")
		if gt < 0 || s[e+gt] != '>' {
			continue
		}
		if c := s[e]; c != '>' && c != '/' && !isSpace(c) && c != '\r' && c != '\n' {
			continue
		}
		return e + gt + 1, qn, true
	}
	return 0, "", false
}

func isSecretElement(local string) bool {
	for _, n := range secretElements {
		if len(local) == len(n) && hasPrefixFold(local, n) {
			return true
		}
	}
	return false
}

func maskXML(s string) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		openEnd, qname, ok := findSecretElement(s, pos)
		if !ok {
			break
		}
		if s[openEnd-2] == '/' { // <Password/>
			pos = openEnd
			continue
		}
		contentEnd, next := closingTag(s, openEnd, qname)
		content := s[openEnd:contentEnd]
		if strings.TrimSpace(content) != "" {
			if masked := maskKeepLines(content); masked != content {
				sp.replace(openEnd, contentEnd, masked)
			}
		}
		pos = next
	}
	return sp.String()
}

// closingTag finds "</qname>" (any case, optional spaces before '>') after
// from. It returns where the content ends and where scanning goes on. When
// the element is not closed, the content runs to the end of the line.
func closingTag(s string, from int, qname string) (contentEnd, next int) {
	for i := from; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			break
		}
		k := i + j + 2
		if hasPrefixFold(s[k:], strings.ToLower(qname)) {
			e := k + len(qname)
			for e < len(s) && isSpace(s[e]) {
				e++
			}
			if e < len(s) && s[e] == '>' {
				return i + j, e + 1
			}
		}
		i = k
	}
	end := lineEnd(s, from)
	return end, end
}

// maskKeepLines replaces content with Masked followed by the line breaks of
// content, so the line count of the text does not change.
func maskKeepLines(content string) string {
	if !strings.ContainsAny(content, "\r\n") {
		return Masked
	}
	var b strings.Builder
	b.WriteString(Masked)
	for i := 0; i < len(content); i++ {
		if c := content[i]; c == '\r' || c == '\n' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// name=value pairs in URLs, forms, attributes; JSON fields; bare tokens.

// secretNames are the field names, in forms, attributes and JSON, whose
// values are credentials.
const secretNames = `password|passwd|pwd|access_token|refresh_token|id_token|client_secret|webticket|assertion|cwt`

// urlSecretNames are generic names that are credentials only as query or
// form parameters ("?token=...", "&ticket=..."), not as attributes such as
// <Link token="User">.
const urlSecretNames = `token|ticket`

// formRE finds "name=" of a secret field in a query string, form body,
// attribute list or log text.
var formRE = regexp.MustCompile(`(?i)(?:(?:^|[?&;,\s"'{(])(?:` + secretNames + `)|[?&;](?:` + urlSecretNames + `))[ \t]*=[ \t]*`)

// authParams are authentication parameters that are secret wherever they
// appear.
var authParams = []string{"gssapi-data", "rspauth"}

// findAuthParam returns the index just past "name=" (and spaces) of the
// first authParams name in s that starts a word, or -1. It is a
// hand-written form of `(?i)\b(gssapi-data|rspauth)[ \t]*=[ \t]*`, which
// the regexp package runs slowly.
func findAuthParam(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c != 'g' && c != 'r' {
			continue
		}
		if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '_') {
			continue
		}
		for _, n := range authParams {
			if !hasPrefixFold(s[i:], n) {
				continue
			}
			j := i + len(n)
			for j < len(s) && isSpace(s[j]) {
				j++
			}
			if j < len(s) && s[j] == '=' {
				j++
				for j < len(s) && isSpace(s[j]) {
					j++
				}
				return j
			}
		}
	}
	return -1
}

// maskParams masks the value that follows each place find reports (the
// index just past "name="): a quoted string, or a run of characters up to
// a separator.
func maskParams(s string, find func(string) int) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		k := find(s[pos:])
		if k < 0 {
			break
		}
		start := pos + k
		end := start
		if start < len(s) && (s[start] == '"' || s[start] == '\'') {
			q := s[start]
			end = start + 1
			for end < len(s) && s[end] != q && s[end] != '\r' && s[end] != '\n' {
				end++
			}
			if end < len(s) && s[end] == q {
				end++
			}
		} else {
			for end < len(s) && strings.IndexByte("&;,\"'<> \t\r\n", s[end]) < 0 {
				end++
			}
		}
		val := s[start:end]
		if masked := maskValue(val); masked != val {
			sp.replace(start, end, masked)
		}
		pos = end
	}
	return sp.String()
}

// findForm returns the index just past the first match of formRE in s, or
// -1.
func findForm(s string) int {
	if loc := formRE.FindStringIndex(s); loc != nil {
		return loc[1]
	}
	return -1
}

// jsonRE finds a JSON string field with a secret name, up to the opening
// quote of its value.
var jsonRE = regexp.MustCompile(`(?i)"(?:` + secretNames + `|` + urlSecretNames + `|secret)"[ \t]*:[ \t]*"`)

func maskJSON(s string) string {
	sp := splicer{s: s}
	pos := 0
	for pos < len(s) {
		loc := jsonRE.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		start := pos + loc[1] // just after the opening quote
		end := start
		for end < len(s) && s[end] != '"' && s[end] != '\r' && s[end] != '\n' {
			if s[end] == '\\' && end+1 < len(s) {
				end++
			}
			end++
		}
		if val := s[start:end]; val != "" && val != Masked {
			sp.replace(start, end, Masked)
		}
		pos = end
	}
	return sp.String()
}

// schemeTokenRE finds a long token after an authentication scheme name
// outside any header. Group 1 is the token.
var schemeTokenRE = regexp.MustCompile(`(?i)\b(?:bearer|basic|negotiate|ntlm)[ \t]+([a-z0-9._~+/-]{16,}=*)`)

func maskSchemeTokens(s string) string {
	sp := splicer{s: s}
	for _, m := range schemeTokenRE.FindAllStringSubmatchIndex(s, -1) {
		tok := s[m[2]:m[3]]
		if end := m[3]; end < len(s) && !isSpace(s[end]) && strings.IndexByte(",;\"'<>\r\n)", s[end]) < 0 {
			continue // part of a longer word
		}
		if isPlainWord(tok) {
			continue
		}
		sp.replace(m[2], m[3], Masked)
	}
	return sp.String()
}

// isPlainWord reports whether tok is made of lower-case letters and
// hyphens only, like an English word rather than an encoded credential.
func isPlainWord(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; (c < 'a' || c > 'z') && c != '-' {
			return false
		}
	}
	return true
}

// splicer rebuilds a string from its unchanged parts and replacements,
// allocating only when something is replaced.
type splicer struct {
	s    string
	b    strings.Builder
	last int // end of the last replaced span
}

// replace writes s[last:start] and then with in place of s[start:end].
func (p *splicer) replace(start, end int, with string) {
	p.b.WriteString(p.s[p.last:start])
	p.b.WriteString(with)
	p.last = end
}

// String returns the rebuilt string, or s itself when nothing was replaced.
func (p *splicer) String() string {
	if p.last == 0 {
		return p.s
	}
	p.b.WriteString(p.s[p.last:])
	return p.b.String()
}
