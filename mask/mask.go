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
func (sc *scanner) run(t *textScan, off int) {
	s := sc.s
	rec := t
	if off >= 0 {
		rec = nil
	}
	kw := -1 // the keyword the scan is at or before
	for i := 0; i < len(s); {
		if i > kw {
			switch {
			case t == nil:
				kw = nextKeyword(s, i)
			case off < 0:
				kw = nextKeyword(s, i)
				t.noKeyword(i, kw)
			default:
				kw = t.nextKeyword(s, off, i)
			}
			if kw < 0 {
				return
			}
			i = resume(s, i, kw)
		}
		i = sc.step(i, rec)
	}
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
	}
	return i + 1
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
	if j-i < 2 || j-i > maxName || isDigit(s[i]) {
		return j
	}
	w := s[i:j]
	if j == len(s) {
		return j
	}
	var prev byte
	if i > 0 {
		prev = s[i-1]
	}
	switch s[j] {
	case '.':
		if strings.HasPrefix(w, "eyJ") {
			return sc.jwt(i, j)
		}
		return j
	case ':':
		return sc.colon(j, w, prev, rec)
	case '=':
		return sc.param(j, w, prev)
	case '"':
		if prev == '"' {
			return sc.json(j, w)
		}
		return j
	case ' ', '\t':
	default:
		return j
	}
	// A space follows: "Name : value", "name = value", a scheme and its
	// token, "password is X".
	k := skipSpace(s, j)
	if k == len(s) {
		return j
	}
	switch s[k] {
	case ':':
		return sc.colon(k, w, prev, rec)
	case '=':
		return sc.param(k, w, prev)
	}
	if c := lower(w[0]); len(w) <= len("negotiate") && (c == 'b' || c == 'n' || c == 'k' || c == 'p') {
		if isSchemeWord(w) {
			return sc.schemeToken(j, k)
		}
		if isPasswordWord(w) && k+2 < len(s) && hasPrefixFold(s[k:], "is") && isSpace(s[k+2]) {
			return sc.prose(skipSpace(s, k+2))
		}
	}
	return j
}

// maxName bounds the names the scanner looks at.
const maxName = 64

// colon handles "Name:" with the colon at k: a header, or a label such as
// "Password:". A C++ scope ("CWebTicketProvider::") is neither.
func (sc *scanner) colon(k int, w string, prev byte, rec *textScan) int {
	s := sc.s
	if k+1 < len(s) && s[k+1] == ':' {
		return k + 2
	}
	switch {
	case isAuthHeader(w):
		return sc.authHeader(k+1, rec)
	case isCookieHeader(w):
		return sc.cookieHeader(k + 1)
	case hasSuffixFold(w, "webticket") && (prev == 0 || isSpace(prev) || strings.IndexByte("\r\n\"'<>(;,", prev) >= 0):
		return sc.ticketHeader(k + 1)
	case isPasswordWord(w) || isLabelSecret(w):
		return sc.prose(skipSpace(s, k+1))
	case (prev == 0 || prev == '\n' || prev == '\r') && SecretName(w):
		// A header (or a label) at the start of a line whose name says
		// secret: X-MS-Password, X-Access-Token, Ticket.
		return sc.ticketHeader(k + 1)
	}
	return k + 1
}
