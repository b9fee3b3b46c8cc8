package mask

import "strings"

// isAuthHeader reports whether the header name w carries authentication
// parameters: Authorization, Proxy-Authorization, WWW-Authenticate,
// Proxy-Authenticate, Authentication-Info, Proxy-Authentication-Info, or
// any other name that ends so.
func isAuthHeader(w string) bool {
	return hasSuffixFold(w, "authorization") || hasSuffixFold(w, "authenticate") ||
		hasSuffixFold(w, "authentication-info")
}

// isSecretAuthParam reports whether the value of the authentication
// parameter name (lower case) is masked whatever the scheme. from-PP, t
// and p carry Passport and Windows Live tickets (Passport1.4, WLID1.0).
func isSecretAuthParam(name string) bool {
	switch name {
	case "gssapi-data", "opaque", "rspauth", "srand", "snum", "crand", "cnum",
		"response", "nonce", "cnonce", "signature", "from-pp", "t", "p":
		return true
	}
	return SecretName(name)
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

// isKnownScheme reports whether scheme (lower case) is an authentication
// scheme whose bare token (token68) is always a credential.
func isKnownScheme(scheme string) bool {
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
func isPublicAuthParam(name string) bool {
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
// message rendered on one line. rec, when not nil, records how the value
// was masked.
func (sc *scanner) authHeader(vs int, rec *textScan) int {
	s := sc.s
	end := foldedEnd(s, vs)
	masked, stop := maskAuthValue(s[vs:end])
	if rec != nil {
		rec.authMasked(vs, end, masked, stop)
	}
	sc.replace(vs, vs+stop, masked)
	return vs + stop
}

// foldedEnd returns the end of the header value that starts at i: the end
// of its line, or of the last continuation line (RFC 3261 7.3.1: a line
// that starts with a space or a tab continues the header).
func foldedEnd(s string, i int) int {
	for {
		e := lineEnd(s, i)
		n := e
		if n < len(s) && s[n] == '\r' {
			n++
		}
		if n < len(s) && s[n] == '\n' {
			n++
		}
		if n == e || n >= len(s) || !isSpace(s[n]) {
			return e
		}
		i = n
	}
}

// isTokenChar reports whether c may appear in an auth scheme, parameter
// name or token68 credential.
func isTokenChar(c byte) bool {
	return tokenChar[c]
}

var tokenChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = isAlnum(b) || strings.IndexByte("!#$%&'*+-.^_`|~/", b) >= 0
	}
	return t
}()

// isBlank reports whether c is white space inside a (folded) header value.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// maskAuthValue masks the value of one authentication header: a list of
// challenges or credentials, each a scheme followed by a token68 or by
// comma-separated parameters. It stops at the end of v or at a token
// directly followed by ':' (the next header of a message rendered on one
// line), and returns the masked text and how much of v it covers.
func maskAuthValue(v string) (string, int) {
	var b strings.Builder
	b.Grow(len(v))
	// What isMaskAllScheme and isKnownScheme say of the scheme (lower
	// case), none at first.
	maskAll, known := false, false
	afterScheme := false // the previous token was a scheme name
	i := 0
	for i < len(v) {
		c := v[i]
		if isBlank(c) {
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
			if afterScheme && j == i && isBasic(v[:start]) && j+1 < len(v) && !isBlank(v[j+1]) {
				// A decoded Basic credential, "Basic bob:X": the user
				// stays, the password is masked.
				e := j + 1
				for e < len(v) && !isBlank(v[e]) && v[e] != ',' {
					e++
				}
				b.WriteString(tok)
				b.WriteByte(':')
				b.WriteString(Masked)
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
			if afterScheme && (k == len(v) || isBlank(v[k]) || v[k] == ',') {
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
			if k < len(v) && (v[k] == '"' || v[k] == '\'') {
				vend = quotedEndBy(v, k, v[k])
			} else {
				for vend < len(v) && v[vend] != ',' && !isBlank(v[vend]) {
					vend++
				}
			}
			if authParamSecret(tok, maskAll) {
				b.WriteString(maskValue(v[k:vend]))
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
			if known || looksLikeToken(tok) {
				b.WriteString(Masked)
			} else {
				b.WriteString(tok)
			}
			afterScheme = false
			continue
		}
		maskAll, known = schemeKind(tok)
		afterScheme = true
		b.WriteString(tok)
	}
	return b.String(), len(v)
}

// authParamSecret reports whether the value of the authentication
// parameter tok (any case) is masked after a scheme of which
// isMaskAllScheme says maskAll: isSecretAuthParam, or maskAll and not
// isPublicAuthParam, of tok in lower case.
func authParamSecret(tok string, maskAll bool) bool {
	var buf [32]byte
	if len(tok) > len(buf) {
		// Longer than any name of the lists: only SecretName can say
		// secret, and it ignores case.
		return SecretName(tok) || maskAll
	}
	name := lowerInto(buf[:], tok)
	return isSecretAuthParam(string(name)) || (maskAll && !isPublicAuthParam(string(name)))
}

// schemeKind returns what isMaskAllScheme and isKnownScheme say of the
// scheme tok (any case).
func schemeKind(tok string) (maskAll, known bool) {
	var buf [16]byte
	if len(tok) > len(buf) {
		return false, false // longer than any scheme of the lists
	}
	scheme := lowerInto(buf[:], tok)
	return isMaskAllScheme(string(scheme)), isKnownScheme(string(scheme))
}

// looksLikeToken reports whether tok, after an unknown scheme, looks like
// an encoded credential rather than a word of prose.
func looksLikeToken(tok string) bool {
	return len(tok) >= 16 && !isPlainWord(tok) && strings.IndexByte(tok, '.') < 0
}

// quotedEnd returns the index just past the quoted string that starts at
// v[i] == '"' (backslash escapes honoured), or len(v) when it is not closed.
func quotedEnd(v string, i int) int { return quotedEndBy(v, i, '"') }

// quotedEndBy is quotedEnd for the quote character q. It reads each byte
// of v at most twice: once looking for q, once for a backslash before it.
func quotedEndBy(v string, i int, q byte) int {
	if q == '\\' {
		return len(v) // a backslash escapes, never closes
	}
	for j := i + 1; j < len(v); {
		k := strings.IndexByte(v[j:], q)
		if k < 0 {
			return len(v)
		}
		end := j + k // the next q
		for {
			b := strings.IndexByte(v[j:end], '\\')
			if b < 0 {
				return end + 1
			}
			j += b + 2 // past the escaped character
			if j > end {
				break // it was that q: look for the next
			}
		}
	}
	return len(v)
}

// isSchemeWord reports whether w names an authentication scheme whose
// token is a credential wherever it appears.
func isSchemeWord(w string) bool {
	return equalFold(w, "bearer") || equalFold(w, "basic") || equalFold(w, "negotiate") ||
		equalFold(w, "ntlm") || equalFold(w, "kerberos")
}

// schemeToken masks a long token at k after a scheme name that ends at j,
// outside any header: "Retrying with Bearer eyJ0eXAi...".
func (sc *scanner) schemeToken(j, k int) int {
	s := sc.s
	e := k
	for e < len(s) && (isAlnum(s[e]) || strings.IndexByte("._~+/-", s[e]) >= 0) {
		e++
	}
	for e < len(s) && s[e] == '=' {
		e++
	}
	if e-k < 16 || isPlainWord(s[k:e]) || isErrorName(s[k:e]) {
		return j
	}
	if e < len(s) && !isBlank(s[e]) && strings.IndexByte(",;\"'<>)", s[e]) < 0 {
		return j // part of a longer word
	}
	sc.replace(k, e, Masked)
	return e
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

// isErrorName reports whether tok is an upper-case identifier with
// underscores, such as the SSPI or Kerberos error names that follow a
// scheme name in a log ("Kerberos KRB_AP_ERR_BAD_INTEGRITY", "Negotiate
// SEC_E_WRONG_PRINCIPAL"): evidence, not an encoded credential, which
// would hold lower-case letters too.
func isErrorName(tok string) bool {
	under := false
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c == '_':
			under = true
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return under
}

// isBasic reports whether the text before a token ends with the scheme
// name Basic and blanks.
func isBasic(before string) bool {
	before = strings.TrimRight(before, " \t\r\n")
	return hasSuffixFold(before, "basic") && (len(before) == 5 || !isTokenChar(before[len(before)-6]))
}
