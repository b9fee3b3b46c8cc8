package mask

import "math/bits"

// The scanner of Secrets acts only on a few words: a name that says secret
// (password, AccessToken, client_secret, SAMLResponse, gssapi-data, ...),
// an authentication, cookie or web ticket header, a scheme that introduces
// a token (Bearer, Negotiate, ...), a JSON Web Token (eyJ...), a secret XML
// element or an event log's <Data>, and a PEM block (-----BEGIN). Every
// such word holds one of a few keywords, in any letter case; anything else
// it steps over without a change. So Secrets looks for the next keyword
// first, 4 bytes at a time, and runs the scanner only from the word (or
// the element tag) that holds it: on text without keywords, which is most
// of a log, it does no more than that search.

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
//	nkey    SessionKey, SubscriptionKey
//	apik api_ api- n-ke n_ke    ApiKey, api_key, X-Api-Key, Subscription-Key
//	ekey e_ke e-ke    PrivateKey, private_key, private-key
//	tkey t_ke t-ke skey s_ke s-ke rkey r_ke r-ke    AccountKey, SecretKey,
//	        SharedAccessKey, access_key, MasterKey and their spellings
//	ure= ure%    Signature= (a URL's signature); sig is in keywords3
//	cred    Credential, Credentials
//	tto-    ConvertTo-SecureString
//	p:// s://    http://, https://, ftp://, ldap://, ... (URL userinfo)
//	sip: ips:    sip:, sips: (SIP URI userinfo)
//	パス    the first 4 bytes of パスワード (password in Japanese)
//
// The three-letter keywords come with the bytes that can follow them where
// they count (keywords3).
var keywords = []string{
	"pass", "toke", "secr", "cook", "tick", "asse", "saml", "wres", "gssa", "auth",
	"code", "bear", "basi", "nego", "ntlm", "kerb", "data", "ciph", "----",
	"nkey", "p://", "s://", "sip:", "ips:", jaPassword[:4],
	"apik", "api_", "api-", "n-ke", "n_ke", "cred", "tto-", "ekey", "e_ke", "e-ke",
	"tkey", "t_ke", "t-ke", "skey", "s_ke", "s-ke", "rkey", "r_ke", "r-ke", "ure=", "ure%",
}

// keywords3 are the keywords of three letters, each with the bytes that
// follow it when it counts: pwd, cwt and pin are names, followed by the ':',
// '=', '"', space or tab that makes them a label, parameter or JSON key,
// the backslash or single quote of an escaped or single-quoted key, the
// '%' of "pwd%3D", the '&' of "pwd&gt;", the '>' of "<pwd>", the '/' or
// line break after a start tag's name ("<Cwt/0>x", "<Cwt\r>x", which
// the scan reads as start tags) or the first byte of a fullwidth colon, and pwd also by the s, v, '_' or '-' of a
// plural or a "value" compound (pwds=, pwd_value=: SecretName); sig is a
// URL's parameter, followed by its '=' or the '%' of "sig%3D"; eyJ
// starts a JSON Web Token, followed by more base64url.
var keywords3 = []struct{ word, next string }{
	{"pwd", `:="\'%&>/sv_-` + " \t\r\n\xef"},
	{"cwt", `:="\'%&>/` + " \t\r\n\xef"},
	{"pin", `:="\'%&>/` + " \t\r\n\xef"},
	{"sig", "=%"},
	{"eyj", "abcdefghijklmnopqrstuvwxyz0123456789-_"},
}

// fold4 folds the 4 bytes of q (little endian) as the keyword table does:
// ASCII upper-case letters become lower case. Other bytes change too
// ('\r' becomes '-'), which only adds candidates.
func fold4(q uint32) uint32 { return q | 0x20202020 }

// hash4 maps a folded 4-byte window to an entry of keywordTable.
func hash4(q uint32) uint32 { return (q * 0x9e3779b1) >> (32 - keywordTableLog) }

const keywordTableLog = 15

// keywordTable is 1 at hash4(fold4(w)) for every 4-byte window w that
// begins a keyword occurrence; other windows hit a 1 about once in 500. It
// has bytes rather than bits: one load and no shift per window.
var keywordTable = func() (t [1 << keywordTableLog]uint8) {
	set := func(w string) {
		t[hash4(fold4(uint32(w[0])|uint32(w[1])<<8|uint32(w[2])<<16|uint32(w[3])<<24))] = 1
	}
	for _, w := range keywords {
		set(w)
	}
	for _, k := range keywords3 {
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
func nextKeyword(s string, i int) int {
	t := &keywordTable
	for ; i+13 <= len(s); i += 10 {
		// Two loads give 10 windows, whose table bits make a mask.
		w := s[i : i+13]
		x := load64(w) | 0x2020202020202020
		y := load64(w[5:]) | 0x2020202020202020
		m := uint16(t[hash4(uint32(x))]) | uint16(t[hash4(uint32(x>>8))])<<1 |
			uint16(t[hash4(uint32(x>>16))])<<2 | uint16(t[hash4(uint32(x>>24))])<<3 |
			uint16(t[hash4(uint32(x>>32))])<<4 | uint16(t[hash4(uint32(y))])<<5 |
			uint16(t[hash4(uint32(y>>8))])<<6 | uint16(t[hash4(uint32(y>>16))])<<7 |
			uint16(t[hash4(uint32(y>>24))])<<8 | uint16(t[hash4(uint32(y>>32))])<<9
		if m != 0 {
			return i + bits.TrailingZeros16(m)
		}
	}
	for ; i+4 <= len(s); i++ {
		w := s[i : i+4]
		if t[hash4(fold4(uint32(w[0])|uint32(w[1])<<8|uint32(w[2])<<16|uint32(w[3])<<24))] != 0 {
			return i
		}
	}
	return -1
}

// load64 returns the first 8 bytes of s as a little-endian number.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// resume returns where the scan goes on for a keyword at k, when it is at
// i and nothing before k can act: the start of the word that holds the
// keyword, or the '<' of the element tag that holds it ("<wsse:Password"),
// never before i. The scanner visits that place too when it goes byte by
// byte: a word is looked at from its first byte, a '<' always.
func resume(s string, i, k int) int {
	w := k
	for w > i && isWord(s[w-1]) {
		w--
	}
	// A word that starts with the "3D" of a URL-encoded '=' after another
	// word ("x%3DeyJ...") is not visited from its first byte: the word
	// before takes the escape for its '=' (word, case '%') and the scan
	// goes on after it. It goes so from that word here too.
	for w-1 > i && s[w-1] == '%' && w+1 < len(s) && s[w] == '3' && lower(s[w+1]) == 'd' && isWord(s[w-2]) {
		w -= 2
		for w > i && isWord(s[w-1]) {
			w--
		}
	}
	e := w
	for e > i && isNameByte(s[e-1]) {
		e--
	}
	if e > i && s[e-1] == '<' {
		return e - 1
	}
	return w
}

// isNameByte reports whether c may be part of an XML name as the scanner
// reads it (element).
func isNameByte(c byte) bool { return isAlnum(c) || c == '_' || c == '.' || c == '-' || c == ':' }
