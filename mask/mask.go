// Package mask removes credentials from text before a person sees it.
//
// Client logs and HTTP traces carry authentication material: the
// gssapi-data and signatures of SIP authentication headers ([MS-SIPAE]
// NTLM, Kerberos and TLS-DSK), bearer and basic credentials, cookies, web
// tickets, JSON Web Tokens, private keys, and passwords or security tokens
// inside SOAP, form and JSON bodies. Secrets replaces every such value with
// [Masked] and keeps the name of the parameter, header or element and its
// quotes, so a reader still sees what was there. Field and Event do the
// same for the fields of a normalized event, where a field's name can say
// that its whole value is secret.
//
// Personal data (addresses, names) is the business of package redact.
package mask

import "strings"

// Masked replaces every secret value.
const Masked = "<masked>"

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
//     Set-Cookie attributes such as Path stay; a value without a name is
//     masked whole), and the value of web ticket headers such as
//     X-MS-WebTicket, and of a header or label whose name says secret:
//     at the start of a line the rest of the line, further on in a line
//     ("Request header: X-MS-Password: X", "Access token: X") the next
//     word unless it is prose;
//   - the content of the XML elements Password, BinarySecurityToken,
//     Assertion (SAML), RequestedSecurityToken, RequestedProofToken,
//     BinarySecret, CipherValue, UserToken, WebTicket, DeviceDAToken and
//     Cookies, with any namespace prefix, of any other element whose
//     name says secret (AccessToken, EncryptedAssertion) when it holds
//     text only, also entity-escaped (&lt;wsse:Password&gt;), and of an
//     event log's <Data Name="..."> whose name says secret (see
//     [SecretName]), and the values of such an element's attributes whose
//     names say secret (<credential user="bob" password="X"/>);
//   - name=value pairs in URLs (query and fragment), forms, attributes and
//     connection strings whose name says secret (password, pwd,
//     access_token, id_token, refresh_token, client_secret,
//     client_assertion, assertion, SAMLResponse, wresult, cwt, webticket,
//     gssapi-data, rspauth, and any name ending in password, token, secret,
//     cookie or ticket), URL-encoded too ("%26access_token%3DX"); the
//     generic names token, ticket and code only as URL or form parameters
//     ("?code=", "&token=", "&amp;code=", a form body's first "code=X&"),
//     since <Link token="Domain"> and "ms-diagnostics: 4005" are not
//     secrets; a password with spaces in a connection string, up to the
//     ';'; the value of "Authorization=" as an Authorization header's;
//   - the password of a URL's userinfo: http://bob:X@proxy:8080,
//     sip:bob:X@contoso.com (the user and host stay);
//   - JSON string fields with such names, with escaped quotes
//     ({\"refresh_token\":\"X\"}) or single quotes too;
//   - "password: X", "password：X", "パスワード: X", "password is X",
//     "password was X", "password 'X'" (or "X" or `X`), "the password
//     for bob is X", "pwd: X", "pass: X", "pass=X" and LDIF
//     "userPassword:: X" in prose and logs, unless X is a word that
//     describes the password ("is incorrect"), an HRESULT or a boolean
//     (evidence, not a password);
//   - JSON Web Tokens (eyJ... with three or five base64url segments)
//     anywhere, also inside a word (after "%3D" or "\u0022"), and long
//     tokens after Bearer, Basic, Negotiate, NTLM or Kerberos anywhere,
//     except upper-case error names (KRB_AP_ERR_BAD_INTEGRITY);
//   - the value of a PowerShell or command-line parameter whose name
//     says secret ("-NewPassword 'X'", "-Pin 383042", "--password X";
//     not a variable such as $cred), and the literal of
//     "ConvertTo-SecureString 'X' -AsPlainText";
//   - the body of PEM private keys (-----BEGIN ... PRIVATE KEY-----), whose
//     BEGIN and END lines stay, also after an escaped line break.
//
// Secrets reads s once, left to right. It is idempotent (masking masked
// text changes nothing), keeps line breaks (so line numbers stay valid),
// and returns s itself when there is nothing to mask.
func Secrets(s string) string {
	sc := scanner{s: s}
	sc.run(nil, 0)
	return sc.String()
}

// scanner masks one text in a single left-to-right pass. Every handler
// returns where the scan goes on, never before the end of what it
// replaced, so replacements come in order.
type scanner struct {
	s    string
	b    strings.Builder
	last int  // end of the last replaced span
	done bool // something was replaced
}

// replace writes s[last:start] and then with in place of s[start:end].
func (sc *scanner) replace(start, end int, with string) {
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
func (sc *scanner) String() string {
	if !sc.done {
		return sc.s
	}
	sc.b.WriteString(sc.s[sc.last:])
	return sc.b.String()
}

// run masks sc.s. It steps with step only from a keyword on (see
// nextKeyword): every place it skips is one where step would change
// nothing and go on to the next place it skips.
//
// t, when not nil, is the scan of an event's text (EventInto). When off
// < 0, sc.s is that text, and run records in t where it found no keyword
// and how it masked authentication headers. Otherwise sc.s is the part
// t.text[off:off+len(sc.s)], whose keywords run finds faster with what t
// recorded. t is a parameter rather than a field of the scanner so that
// it can stay on its caller's stack.
//
// A keyword that starts a URL with no password (plainURL) is recorded as
// no keyword: no part of the text that holds it masks differently (a
// part of the URL holds no password either), and a SIP message's URIs
// (sip.from.uri, sip.header.contact) are fields that then cost nothing.
func (sc *scanner) run(t *textScan, off int) {
	s := sc.s
	rec := t
	if off >= 0 {
		rec = nil
	}
	kw := -1   // the keyword the scan is at or before
	clean := 0 // where the windows without a keyword start (rec)
	for i := 0; i < len(s); {
		if i > kw {
			switch {
			case t == nil || off < 0:
				kw = nextKeyword(s, i)
			default:
				kw = t.nextKeyword(s, off, i)
			}
			if kw < 0 {
				if rec != nil {
					rec.noKeyword(clean, kw)
				}
				return
			}
			i = resume(s, i, kw)
			if n := plainURL(s, i, kw); n > 0 {
				// Where step goes on, with less work: a SIP log holds
				// a URI every few lines.
				i = n
				continue
			}
			if rec != nil {
				rec.noKeyword(clean, kw)
			}
		}
		i = sc.step(i, rec)
		clean = i
	}
}

// plainURL returns where step goes on from i, the place resume gives for
// the keyword at kw, when the keyword is the scheme of a URL whose
// userinfo holds no password ("<sip:bob@contoso.com>",
// xmlns="http://schemas..."), so that step changes nothing up to there;
// else 0, and step does its work. At a '<', step's element does nothing
// when the tag name ("sip:bob") is not followed by '>', '/' or a blank.
func plainURL(s string, i, kw int) int {
	j := kw + 3 // the colon of "sip:" and "ips:"
	if s[j] != ':' {
		j = kw + 1 // the colon of "p://" and "s://"
		if s[j] != ':' {
			return 0
		}
	}
	ws := i // the start of the scheme
	if s[i] == '<' {
		ws++
		e := ws
		for e < len(s) && e-ws <= maxName && isNameByte(s[e]) {
			e++
		}
		if e == len(s) || s[e] == '>' || s[e] == '/' || isBlank(s[e]) {
			return 0
		}
	} else if i > 0 && s[i-1] == '%' {
		return 0
	}
	if j-ws < 2 || j+1 >= len(s) || s[j+1] == ':' {
		return 0
	}
	for k := ws; k < j; k++ {
		if !isAlnum(s[k]) {
			return 0
		}
	}
	w := s[ws:j]
	if !isURLScheme(w) {
		return 0
	}
	if start, end := userinfoPassword(s, j, w); start < end {
		return 0
	}
	return j + 1
}

// step handles what starts at s[i] and returns where the scan goes on.
func (sc *scanner) step(i int, rec *textScan) int {
	s := sc.s
	switch c := s[i]; {
	case c == '<':
		return sc.element(i)
	case c == '-' && strings.HasPrefix(s[i:], pemBegin):
		return sc.pem(i)
	case isWord(c):
		return sc.word(i, rec)
	case c == jaPassword[0] && strings.HasPrefix(s[i:], jaPassword):
		if v, ok := jaLabelValue(s, i); ok {
			return sc.prose(v)
		}
	}
	return i + 1
}

// jaPassword is "password" in Japanese (katakana): "パスワード: X" and
// "パスワード：X" (with a fullwidth colon, as a Japanese input method types
// it) label a password in a Japanese note.
const jaPassword = "パスワード"

// fullColon is the fullwidth colon U+FF1A.
const fullColon = "："

// jaLabelValue returns where the value starts after the label jaPassword
// at i followed by a colon, ASCII or fullwidth, and whether it is one.
func jaLabelValue(s string, i int) (int, bool) {
	k := skipSpace(s, i+len(jaPassword))
	switch {
	case k < len(s) && s[k] == ':':
		k++
	case strings.HasPrefix(s[k:], fullColon):
		k += len(fullColon)
	default:
		return 0, false
	}
	return skipSpace(s, k), true
}

// word looks at the word (letters, digits, '-', '_') starting at i and at
// what follows it, and masks the value it introduces, if any. It returns
// where the scan goes on.
func (sc *scanner) word(i int, rec *textScan) int {
	s := sc.s
	j := i
	for j < len(s) && isWord(s[j]) {
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
		if j-i > len(pemBegin)-1 && strings.HasSuffix(s[i:j], "-----BEGIN") {
			return sc.pem(j - (len(pemBegin) - 1))
		}
	}
	// A name right after a URL escape ("%26access_token%3D..."): the
	// name starts after the two hex digits and what comes before it is
	// the escaped character.
	if n, p, ok := afterURLEscape(s, i, j); ok {
		i, prev = n, p
	}
	if j-i < 2 || j-i > maxName || isDigit(s[i]) {
		return j
	}
	w := s[i:j]
	switch s[j] {
	case ':':
		return sc.colon(j, w, prev, rec)
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
		if j+2 < len(s) && s[j+1] == '3' && lower(s[j+2]) == 'd' {
			return sc.param(i, j, j+3, w, prev)
		}
		return j
	case '&':
		// An entity-escaped XML element: "&lt;wsse:Password&gt;X&lt;/...".
		return sc.escapedElement(i, j, w)
	case fullColon[0]:
		// "password：X" with a fullwidth colon.
		if strings.HasPrefix(s[j:], fullColon) && (isPasswordWord(w) || SecretName(w)) {
			return sc.prose(skipSpace(s, j+len(fullColon)))
		}
		return j
	case ' ', '\t':
	default:
		return j
	}
	// A space follows: "Name : value", "name = value", a scheme and its
	// token, "password is X", "the password for bob is X".
	k := skipSpace(s, j)
	if k == len(s) {
		return j
	}
	switch s[k] {
	case ':':
		return sc.colon(k, w, prev, rec)
	case '=':
		return sc.param(i, k, k+1, w, prev)
	}
	if w[0] == '-' {
		// A PowerShell or command-line parameter: "-NewPassword 'X'",
		// "-Pin 383042", "--password X".
		if name := strings.TrimLeft(w, "-"); len(name) >= 2 && SecretName(name) {
			return sc.commandArg(k)
		}
		return j
	}
	if len(w) == len("convertto-securestring") && equalFold(w, "convertto-securestring") {
		return sc.secureString(k)
	}
	if c := lower(w[0]); len(w) <= len("negotiate") && (c == 'b' || c == 'n' || c == 'k' || c == 'p') {
		if isSchemeWord(w) {
			return sc.schemeToken(j, k)
		}
		if isPasswordWord(w) {
			if v := isOrWas(s, k); v >= 0 {
				return sc.prose(v)
			}
			if v := passwordForValue(s, k); v >= 0 {
				return sc.prose(v)
			}
			if s[k] == '"' || s[k] == '\'' || s[k] == '`' {
				// "tried password 'X'": a quoted value right after the
				// word, unless it says something about the password
				// (password "expired").
				return sc.quotedPassword(k)
			}
		}
	}
	return j
}

// isOrWas returns where the value starts after "is " or "was " at k
// ("password is X", "his password was X"), or -1.
func isOrWas(s string, k int) int {
	for _, v := range [...]string{"is", "was"} {
		if n := k + len(v); n < len(s) && hasPrefixFold(s[k:], v) && isSpace(s[n]) {
			return skipSpace(s, n)
		}
	}
	return -1
}

// quotedPassword masks the quoted password at k, after a password word
// and a space, unless it is a word that says something about the password
// instead or an HRESULT (describesPassword). The quotes stay. A backslash
// escapes the byte after it, as in a JSON string (jsonValueEnd); a value
// not closed on its line is not one.
func (sc *scanner) quotedPassword(k int) int {
	s := sc.s
	end := jsonValueEnd(s, k+1, s[k:k+1])
	if end == len(s) || s[end] != s[k] {
		return k + 1
	}
	if v := s[k+1 : end]; v != "" && !describesPassword(v) {
		sc.replace(k+1, end, Masked)
	}
	return end + 1
}

// commandArg masks the argument at k of a PowerShell or command-line
// parameter whose name says secret: a quoted string or a word, as prose
// does after "password:". A variable ($cred), a subexpression or script
// block (which the scan goes on into: "(ConvertTo-SecureString ...)"),
// another parameter, and a boolean or HRESULT stay.
func (sc *scanner) commandArg(k int) int {
	switch sc.s[k] {
	case '$', '(', '{', '[', '@', '-':
		return k
	}
	return sc.prose(k)
}

// secureString masks the literal of "ConvertTo-SecureString 'X'
// -AsPlainText -Force", k at what follows the cmdlet's name: its first
// argument that is not a switch, when it is a quoted string
// ("-AsPlainText -String 'X'" too). A variable ($pw) stays.
func (sc *scanner) secureString(k int) int {
	s := sc.s
	i := k
	for i < len(s) && s[i] == '-' {
		// A switch or the name of -String: -AsPlainText, -Force.
		e := i + 1
		for e < len(s) && isWord(s[e]) {
			e++
		}
		if e == len(s) || !isSpace(s[e]) {
			return e
		}
		i = skipSpace(s, e)
	}
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		return sc.prose(i)
	}
	return i
}

// passwordForValue returns where the password starts in "password for
// bob is X" or "password for user bob is X", with k at "for", or -1 when
// the text does not go so. At most three words may name the account.
func passwordForValue(s string, k int) int {
	if k+3 >= len(s) || !hasPrefixFold(s[k:], "for") || !isSpace(s[k+3]) {
		return -1
	}
	m := skipSpace(s, k+3)
	for range 3 {
		e := m
		for e < len(s) && !isBlank(s[e]) && e-m <= maxName {
			e++
		}
		if e == m || e-m > maxName {
			return -1
		}
		m = skipSpace(s, e)
		if m+2 < len(s) && hasPrefixFold(s[m:], "is") && isSpace(s[m+2]) {
			return skipSpace(s, m+2)
		}
	}
	return -1
}

// afterURLEscape reports whether the word s[i:j] starts with the two hex
// digits of a URL escape ("%26access_token", "%3Fcode"): then the name
// starts at n and p is the escaped character, which comes before it.
func afterURLEscape(s string, i, j int) (n int, p byte, ok bool) {
	if i == 0 || s[i-1] != '%' || j-i < 4 || !isHex(s[i]) || !isHex(s[i+1]) {
		return 0, 0, false
	}
	return i + 2, unhex(s[i])<<4 | unhex(s[i+1]), true
}

// jwtInWord returns where a JSON Web Token starts in the word w that a
// '.' ends (its first segment), or -1. A word that starts with "eyJ"
// (base64url of `{"`) is taken as before; one that holds "eyJ" further on
// only when that part decodes to a JSON object (`{"...}`), so that
// "MoneyJar.contoso.com" stays.
func jwtInWord(w string) int {
	if len(w) < 10 {
		return -1
	}
	if strings.HasPrefix(w, "eyJ") {
		return 0
	}
	for off := 1; off+10 <= len(w); {
		p := strings.Index(w[off:], "eyJ")
		if p < 0 {
			return -1
		}
		off += p
		if isJSONSegment(w[off:]) {
			return off
		}
		off++
	}
	return -1
}

// isJSONSegment reports whether seg, base64url without padding, decodes
// to a JSON object: `{"` ... `}` (white space after the brace allowed).
func isJSONSegment(seg string) bool {
	var buf [3]byte
	n := len(seg) &^ 3 // whole quads
	if n == 0 {
		return false
	}
	// The last byte of the object is in the last quad or in the one
	// before it (when the rest is one or two characters).
	last := -1
	for q := max(0, n-8); q < len(seg); q += 4 {
		m := decodeQuad(seg[q:min(q+4, len(seg))], &buf)
		if m < 0 {
			return false
		}
		for b := range m {
			if c := buf[b]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
				last = int(c)
			}
		}
	}
	return last == '}'
}

// decodeQuad decodes up to 4 base64url characters into buf and returns how
// many bytes they give, or -1 when one is not base64url.
func decodeQuad(q string, buf *[3]byte) int {
	var v uint32
	for i := 0; i < len(q); i++ {
		d := b64url(q[i])
		if d < 0 {
			return -1
		}
		v = v<<6 | uint32(d)
	}
	switch len(q) {
	case 4:
		buf[0], buf[1], buf[2] = byte(v>>16), byte(v>>8), byte(v)
		return 3
	case 3:
		buf[0], buf[1] = byte(v>>10), byte(v>>2)
		return 2
	case 2:
		buf[0] = byte(v >> 4)
		return 1
	}
	return 0
}

// b64url returns the value of the base64url digit c, or -1.
func b64url(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 26
	case c >= '0' && c <= '9':
		return int(c-'0') + 52
	case c == '-':
		return 62
	case c == '_':
		return 63
	}
	return -1
}

// maxName bounds the names the scanner looks at.
const maxName = 64

// colon handles "Name:" with the colon at k: a header, or a label such as
// "Password:". A C++ scope ("CWebTicketProvider::") is neither, but the
// base64 form of an LDIF attribute ("userPassword:: U3By...", RFC 2849)
// labels a secret all the same.
// afterTagEnd returns the place after the '>' at i, if any, and the
// blanks after it: "<Pwd :>X" is a tag whose text X follows its end. The
// '>' stays out of the value, so that masking the text again finds the
// value <masked> and leaves it (masking twice gives the same text).
func afterTagEnd(s string, i int) int {
	if i < len(s) && s[i] == '>' {
		return skipSpace(s, i+1)
	}
	return i
}

func (sc *scanner) colon(k int, w string, prev byte, rec *textScan) int {
	s := sc.s
	if k+1 < len(s) && s[k+1] == ':' {
		if (k+2 == len(s) || isBlank(s[k+2])) && SecretName(w) {
			if prev == 0 || prev == '\n' || prev == '\r' {
				return sc.ticketHeader(k + 2)
			}
			return sc.prose(skipSpace(s, k+2))
		}
		return k + 2
	}
	switch {
	case isURLScheme(w) && isWord(s[k-1]):
		// The password of a URL's userinfo: http://bob:X@proxy:8080.
		if start, end := userinfoPassword(s, k, w); start < end {
			sc.replace(start, end, Masked)
			return end
		}
		return k + 1
	case isAuthHeader(w):
		return sc.authHeader(k+1, rec)
	case isCookieHeader(w):
		return sc.cookieHeader(k + 1)
	case hasSuffixFold(w, "webticket") && (prev == 0 || isSpace(prev) || strings.IndexByte("\r\n\"'<>(;,", prev) >= 0):
		return sc.ticketHeader(k + 1)
	case isPasswordWord(w) || isLabelSecret(w):
		return sc.prose(afterTagEnd(s, skipSpace(s, k+1)))
	case (prev == 0 || prev == '\n' || prev == '\r') && SecretName(w):
		// A header (or a label) at the start of a line whose name says
		// secret: X-MS-Password, X-Access-Token, Ticket.
		return sc.ticketHeader(k + 1)
	case prev != ':' && k+1 < len(s) && isSpace(s[k+1]) && SecretName(w):
		// The same label further on in a line ("- RefreshToken: X",
		// "Access token: X", "Request header: X-MS-Password: X"): its
		// value is the next word, unless that says something about it.
		return sc.labelValue(afterTagEnd(s, skipSpace(s, k+1)))
	case equalFold(w, "pass") && k+1 < len(s) && isSpace(s[k+1]):
		// "user: bob pass: X". A number after it is a count ("pass: 3
		// fail: 0"), and prose words stay ("pass: the test passed").
		return sc.passLabel(skipSpace(s, k+1))
	}
	return k + 1
}
