package mask

import "strings"

// SecretName reports whether a parameter, field or element name says that
// its value is a credential, in any letter case: password, passwd, pwd,
// secret, assertion, SAMLResponse, wresult, cwt, gssapi-data, rspauth,
// pin, the sign-in cookies of AD FS, Azure AD and SharePoint (see
// isAuthCookieName), and any name ending in password, passwd, pwd,
// passphrase, passcode, token, secret, cookie, ticket, assertion,
// credential, sessionkey, apikey, api_key, api-key, subscription-key,
// privatekey, accountkey, accesskey, secretkey, masterkey or authkey (DefaultPassword,
// AccessToken, client_secret, client_assertion, X-MS-WebTicket,
// SessionKey, X-Api-Key, Ocp-Apim-Subscription-Key, the AccountKey and
// SharedAccessKey of an Azure connection string), or in PIN as a word
// of its own (NewPin, user_pin: not Spin), also in the plural or followed
// by "value" (Cookies, Tokens, TokenValue, PasswordValue). TokenType,
// TicketOptions, PasswordLastSet, AccessKeyId, PublicKey and RegistryKey
// do not end so and stay readable, and
// so do the names of policies and flags about a password, whose words
// before the secret one all say what may be done with it (SavePassword,
// AllowSavePassword, CannotChangePassword: see isFlagName). Credential
// and Credentials are taken: a field whose value says what happened
// rather than what the secret is (sip.request.credentials "false", an
// HRESULT) keeps it (wholeValue).
func SecretName(name string) bool {
	if len(name) < 2 || len(name) > maxName {
		return false
	}
	// An exact name first, then the name without a plural "s" or a
	// "value" after the secret word.
	switch lower(name[len(name)-1]) {
	case 't':
		if equalFold(name, "cwt") || equalFold(name, "wresult") {
			return true
		}
	case 'e':
		if equalFold(name, "samlresponse") {
			return true
		}
	case 'a':
		return equalFold(name, "gssapi-data")
	case 'h':
		if equalFold(name, "rspauth") {
			return true
		}
	case 'n':
		if isPinName(name) && !isFlagName(name[:len(name)-len("pin")]) {
			return true
		}
	}
	if c := lower(name[0]); (c == 'm' || c == 'e' || c == 'f' || c == 'a') && isAuthCookieName(name) {
		return true
	}
	base := name
	if hasSuffixFold(base, "value") {
		base = strings.TrimRight(base[:len(base)-len("value")], "_-")
	} else if lower(base[len(base)-1]) == 's' {
		base = base[:len(base)-1]
	}
	n := secretSuffix(base)
	return n > 0 && !isFlagName(base[:len(base)-n])
}

// secretSuffix returns the length of the secret word that name ends with
// (password, token, ...), or 0. The last letter picks the few words to
// compare.
func secretSuffix(name string) int {
	if len(name) < 2 {
		return 0
	}
	var sufs []string
	switch lower(name[len(name)-1]) {
	case 'd':
		sufs = []string{"password", "passwd", "pwd"}
	case 'n':
		sufs = []string{"token", "assertion"}
	case 't':
		sufs = []string{"secret", "ticket"}
	case 'e':
		sufs = []string{"cookie", "passphrase", "passcode"}
	case 'y':
		sufs = []string{"sessionkey", "apikey", "api_key", "api-key", "subscription-key", "subscription_key", "subscriptionkey",
			"privatekey", "private_key", "private-key", "accountkey", "account_key", "accesskey", "access_key",
			"access-key", "secretkey", "secret_key", "secret-key", "masterkey", "master_key", "master-key",
			"authkey", "auth_key", "auth-key"}
	case 'l':
		sufs = []string{"credential"}
	default:
		return 0
	}
	for _, suf := range sufs {
		if hasSuffixFold(name, suf) {
			return len(suf)
		}
	}
	return 0
}

// isAuthCookieName reports whether name is a sign-in cookie that a log or
// trace may show outside a Cookie header ("MSISAuth=AAEAA..."): AD FS's
// MSISAuth, MSISAuth1 (and further numbers) and MSISAuthenticated, Azure
// AD's ESTSAUTH, ESTSAUTHPERSISTENT and ESTSAUTHLIGHT, SharePoint's
// FedAuth and FedAuth1, and ASP.NET's .ASPXAUTH (read without its dot).
// MSISAuthState or FedAuthentication are not.
func isAuthCookieName(name string) bool {
	for _, p := range [...]string{"msisauth", "estsauth", "fedauth", "aspxauth"} {
		if !hasPrefixFold(name, p) {
			continue
		}
		rest := name[len(p):]
		return strings.Trim(rest, "0123456789") == "" || equalFold(rest, "enticated") ||
			equalFold(rest, "persistent") || equalFold(rest, "light")
	}
	return false
}

// isPinName reports whether name is a PIN (a phone's sign-in PIN,
// Set-CsClientPin -Pin): pin, or a name that ends in PIN as a word of its
// own: after '_' or '-' (user_pin), or in camel case after a lower-case
// letter (NewPin, ClientPIN). Spin and Hairpin do not.
func isPinName(name string) bool {
	if !hasSuffixFold(name, "pin") {
		return false
	}
	n := len(name) - len("pin")
	if n == 0 {
		return true
	}
	c := name[n-1]
	return c == '_' || c == '-' || name[n] == 'P' && c >= 'a' && c <= 'z'
}

// isFlagName reports whether prefix, the part of a name before its secret
// word, is made only of words that make the name a policy or a flag about
// the secret rather than the secret itself: Save, AllowSave, CannotChange,
// Remember, Prompt (SavePassword, AllowSavePassword, CannotChangePassword,
// DisableSavePassword). An empty prefix is not one: Password is a secret.
// Saved, Stored, New, Old, Default stay secret (SavedPassword is one).
func isFlagName(prefix string) bool {
	for some := false; ; some = true {
		prefix = strings.TrimLeft(prefix, "_- ")
		if prefix == "" {
			return some
		}
		ok := false
		for _, w := range flagWords {
			if hasPrefixFold(prefix, w) {
				prefix, ok = prefix[len(w):], true
				break
			}
		}
		if !ok {
			return false
		}
	}
}

// flagWords are the words of isFlagName, longest first where one begins
// another (cannot before can).
var flagWords = []string{
	"allow", "save", "cannot", "can", "change", "remember", "require", "disable",
	"enable", "prompt", "for", "use", "show", "must", "never", "no", "is", "has",
}

// isURLOnlyName reports whether name is a credential only as a URL or form
// parameter: token and ticket after ?, &, ; or #, code (an OAuth
// authorization code) after ?, & or #, and sig or a name ending in
// signature after ?, & or ; (the signature of an Azure shared access
// signature URL, "&sig=", or of a presigned one, "X-Amz-Signature=",
// which lets whoever has the URL in).
func isURLOnlyName(name string, prev byte) (only, ok bool) {
	switch {
	case equalFold(name, "token"), equalFold(name, "ticket"), equalFold(name, "sig"), hasSuffixFold(name, "signature"):
		return true, prev == '?' || prev == '&' || prev == ';' || prev == '#'
	case equalFold(name, "code"):
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
func (sc *scanner) param(i, k, vs int, w string, prev byte) int {
	s := sc.s
	enc := vs > k+1
	if !enc && isAuthHeader(w) {
		return sc.authParam(vs)
	}
	if equalFold(w, "pass") {
		// "user=bob pass=X"; a number is a count ("pass=3 fail=0"), as
		// after "pass:" (passLabel).
		start := skipSpace(s, vs)
		end := paramEnd(s, start, enc)
		if v := s[start:end]; v == "" || strings.Trim(v, "0123456789") == "" {
			return max(end, vs)
		}
		sc.replace(start, end, maskValue(s[start:end]))
		return max(end, vs)
	}
	only, ok := isURLOnlyName(w, urlPrev(s, i, prev))
	if !only && !SecretName(w) {
		return vs
	}
	start := skipSpace(s, vs)
	end := paramEnd(s, start, enc)
	if only && !ok {
		// The first parameter of a form body: "code=X&grant_type=...".
		if !equalFold(w, "code") || !(prev == 0 || isBlank(prev)) || end == len(s) || s[end] != '&' {
			return vs
		}
	}
	if !enc && isPasswordWord(w) {
		end = connStrEnd(s, start, end, prev)
	}
	sc.replace(start, end, maskValue(s[start:end]))
	return max(end, vs)
}

// urlPrev returns the character before the name at i as a URL sees it:
// '&' for the "&amp;" of an HTML- or XML-encoded URL, else prev.
func urlPrev(s string, i int, prev byte) byte {
	if prev == ';' && i >= 5 && s[i-5:i] == "&amp;" {
		return '&'
	}
	return prev
}

// paramEnd returns the end of the parameter value that starts at start: a
// quoted string, or the run to a separator. In a URL-encoded parameter
// (enc), an escaped separator ("%26", "%23", "%3B", "%20") ends it too.
func paramEnd(s string, start int, enc bool) int {
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
		return end
	}
	for end < len(s) && strings.IndexByte("&;,\"'<> \t\r\n", s[end]) < 0 {
		if enc && s[end] == '%' && end+2 < len(s) && isHex(s[end+1]) && isHex(s[end+2]) &&
			strings.IndexByte("&#; ", unhex(s[end+1])<<4|unhex(s[end+2])) >= 0 {
			break
		}
		end++
	}
	return end
}

// connStrEnd returns where the unquoted password value from start to end
// really ends: in a connection string ("Server=x;Password=Spring
// Winter2018z;") the value runs to the ';', spaces included. It does so
// when the words after the space reach a ';' on the line with no '=' or
// other separator in between, or, after a ';' (prev), reach the end of
// the line.
func connStrEnd(s string, start, end int, prev byte) int {
	if end == start || end == len(s) || !isSpace(s[end]) || s[start] == '"' || s[start] == '\'' {
		return end // a quoted value ends at its quote
	}
	e := end
	for e < len(s) && strings.IndexByte("&;,=\"'<>\r\n", s[e]) < 0 {
		e++
	}
	if e < len(s) && s[e] == ';' || prev == ';' && (e == len(s) || s[e] == '\r' || s[e] == '\n') {
		for e > end && isSpace(s[e-1]) {
			e--
		}
		return e
	}
	return end
}

// authParam masks the value at vs of an "Authorization=" entry, which
// runs to a ';', a '}', a '&' or the end of the line, or is quoted, as
// the value of an Authorization header.
func (sc *scanner) authParam(vs int) int {
	s := sc.s
	start := skipSpace(s, vs)
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
	masked, stop := maskAuthValue(s[start:end])
	sc.replace(start, start+stop, masked)
	return max(start+stop, vs)
}

// json handles a JSON string field: w is the key, the closing quote of the
// key at k, q the quote: `"`, `\"` (JSON inside a JSON string) or `'` (a
// Python or PowerShell dump). A secret key's string value is masked.
func (sc *scanner) json(k int, w string, q string) int {
	s := sc.s
	if !SecretName(w) {
		return k + 1
	}
	c := skipSpace(s, k+1)
	if c >= len(s) || s[c] != ':' {
		return k + 1
	}
	v := skipSpace(s, c+1)
	if !strings.HasPrefix(s[v:], q) {
		return k + 1
	}
	start := v + len(q)
	end := jsonValueEnd(s, start, q)
	if start < end {
		sc.replace(start, end, Masked)
	}
	return end
}

// jsonValueEnd returns the end of the JSON string value that starts at
// start and is closed by q (not included). A line break ends it all the
// same. Inside `\"`, the text is escaped twice: `\\` is one escaping
// backslash, which escapes the (escaped) character after it.
func jsonValueEnd(s string, start int, q string) int {
	end := start
	for end < len(s) && s[end] != '\r' && s[end] != '\n' {
		c := s[end]
		if q == `\"` {
			if c == '\\' && end+1 < len(s) {
				switch s[end+1] {
				case '"':
					return end
				case '\\':
					// An escape of the inner string: it escapes the
					// next (outer-escaped) character.
					end += 2
					if end+1 < len(s) && s[end] == '\\' && s[end+1] != '\r' && s[end+1] != '\n' {
						end += 2
					} else if end < len(s) && s[end] != '\r' && s[end] != '\n' {
						end++
					}
					continue
				}
			}
		} else {
			if c == q[0] {
				return end
			}
			if c == '\\' && end+1 < len(s) && s[end+1] != '\r' && s[end+1] != '\n' {
				end++ // an escaped character; a line break ends the value all the same
			}
		}
		end++
	}
	return min(end, len(s))
}

// isPasswordWord reports whether w is password, passwd or pwd.
func isPasswordWord(w string) bool {
	return equalFold(w, "password") || equalFold(w, "passwd") || equalFold(w, "pwd")
}

// isLabelSecret reports whether "w:" labels a credential in a log or a
// YAML-like dump: client_secret, access_token, refresh_token, id_token.
func isLabelSecret(w string) bool {
	return equalFold(w, "client_secret") || equalFold(w, "access_token") ||
		equalFold(w, "refresh_token") || equalFold(w, "id_token")
}

// prose masks the password at i after "password:" or "password is": a
// quoted string, or the run of characters up to white space. A word that
// describes the password rather than being it ("is incorrect", "is
// expired") stays.
func (sc *scanner) prose(i int) int {
	s := sc.s
	if i >= len(s) || isBlank(s[i]) {
		return i
	}
	end := i
	if s[i] == '"' || s[i] == '\'' {
		end = quotedEndBy(s, i, s[i])
		if e := lineEnd(s, i); end > e {
			end = e
		}
	} else {
		for end < len(s) && !isBlank(s[end]) {
			end++
		}
		if isSchemeWord(s[i:end]) && end < len(s) && isSpace(s[end]) {
			// "access_token: Bearer X": the credential is the next word.
			return sc.prose(skipSpace(s, end))
		}
		if describesPassword(strings.TrimRight(s[i:end], ".,;:!?)")) {
			return end
		}
	}
	sc.replace(i, end, maskValue(s[i:end]))
	return end
}

// describesPassword reports whether w is a word that says something about
// a password instead of being one, or a value that cannot be one and is
// evidence: an HRESULT ("Password: 0x80048821", "password is 8004882C
// expired") or a boolean ("Password : False").
func describesPassword(w string) bool {
	if w == "" || w == Masked || isHRESULT(w) {
		return true
	}
	if len(w) > 16 {
		return false
	}
	var buf [16]byte
	_, ok := proseWords[string(lowerInto(buf[:], w))]
	return ok
}

var proseWords = func() map[string]struct{} {
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
func maskValue(val string) string {
	if val == "" {
		return val
	}
	if q := val[0]; q == '"' || q == '\'' {
		if len(val) == 1 || (len(val) == 2 && val[1] == q) {
			return val
		}
		if val[len(val)-1] == q {
			inner := val[1 : len(val)-1]
			if !hasLineBreak(inner) {
				// maskKeepFolds(inner) is Masked: no need to build
				// the quoted string.
				if q == '"' {
					return `"` + Masked + `"`
				}
				return `'` + Masked + `'`
			}
			return val[:1] + maskKeepFolds(inner) + val[:1]
		}
		return val[:1] + maskKeepFolds(val[1:]) // an unterminated quoted value
	}
	return maskKeepFolds(val)
}

// hasLineBreak reports whether s holds a '\r' or a '\n'.
func hasLineBreak(s string) bool {
	return strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0
}

// maskKeepLines replaces content with Masked followed by the line breaks of
// content, so the line count of the text does not change. Content that is
// already masked stays.
func maskKeepLines(content string) string { return maskLines(content, false) }

// maskKeepFolds is maskKeepLines for a header parameter's value: the blanks
// that start a continuation line stay too.
func maskKeepFolds(content string) string { return maskLines(content, true) }

func maskLines(content string, keepFolds bool) string {
	if !hasLineBreak(content) {
		return Masked
	}
	if strings.TrimSpace(content) == Masked {
		return content
	}
	var b strings.Builder
	b.WriteString(Masked)
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

// isHRESULT reports whether w is an HRESULT: 0x and eight hex digits, or
// eight hex digits that start with 8 or C (a failure code, "8004882C").
func isHRESULT(w string) bool {
	if len(w) == 10 && w[0] == '0' && w[1]|0x20 == 'x' {
		w = w[2:]
	} else if len(w) != 8 || (w[0] != '8' && w[0]|0x20 != 'c') {
		return false
	}
	if len(w) != 8 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isHex(w[i]) {
			return false
		}
	}
	return true
}

// passLabel masks the value at i after "pass:", as prose does after
// "password:", unless it is a number: "pass: 3 fail: 0" counts tests.
func (sc *scanner) passLabel(i int) int {
	s := sc.s
	e := i
	for e < len(s) && isDigit(s[e]) {
		e++
	}
	if e > i && (e == len(s) || isBlank(s[e]) || strings.IndexByte(",;)", s[e]) >= 0) {
		return e
	}
	return sc.prose(i)
}

// labelValue masks the value at i of a label whose name says secret
// further on in a line ("Access token: X"): as prose does, but a plain
// lower-case word is prose ("the X-Access-Token: header was absent"), and
// a ',', ';' or ')' that ends the value stays ("token: X, expires 3599").
func (sc *scanner) labelValue(i int) int {
	s := sc.s
	if i >= len(s) || s[i] == '"' || s[i] == '\'' {
		return sc.prose(i)
	}
	end := i
	for end < len(s) && !isBlank(s[end]) {
		end++
	}
	for end > i && strings.IndexByte(",;)", s[end-1]) >= 0 {
		end--
	}
	v := s[i:end]
	if isSchemeWord(v) && end < len(s) && isSpace(s[end]) {
		// "access_token: Bearer X": the credential is the next word.
		return sc.labelValue(skipSpace(s, end))
	}
	if isPlainWord(v) || describesPassword(strings.TrimRight(v, ".:!?")) {
		return max(end, i)
	}
	sc.replace(i, end, maskValue(v))
	return end
}
