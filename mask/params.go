package mask

import "strings"

// SecretName reports whether a parameter, field or element name says that
// its value is a credential, in any letter case: password, passwd, pwd,
// secret, assertion, SAMLResponse, wresult, cwt, gssapi-data, rspauth,
// and any name ending in password, passwd, pwd, token, secret, cookie,
// ticket or assertion (DefaultPassword, AccessToken, client_secret,
// client_assertion, X-MS-WebTicket). TokenType, TicketOptions and
// PasswordLastSet do not end so and stay readable.
func SecretName(name string) bool {
	if len(name) < 2 || len(name) > maxName {
		return false
	}
	// Every such name ends in d, n, t, e, a or h: the last letter picks
	// the few names and endings to compare.
	switch lower(name[len(name)-1]) {
	case 'd':
		return hasSuffixFold(name, "pwd") || hasSuffixFold(name, "passwd") || hasSuffixFold(name, "password")
	case 'n':
		return hasSuffixFold(name, "token") || hasSuffixFold(name, "assertion")
	case 't':
		return hasSuffixFold(name, "secret") || hasSuffixFold(name, "ticket") ||
			equalFold(name, "cwt") || equalFold(name, "wresult")
	case 'e':
		return hasSuffixFold(name, "cookie") || equalFold(name, "samlresponse")
	case 'a':
		return equalFold(name, "gssapi-data")
	case 'h':
		return equalFold(name, "rspauth")
	}
	return false
}

// isURLOnlyName reports whether name is a credential only as a URL or form
// parameter: token and ticket after ?, &, ; or #, code (an OAuth
// authorization code) after ?, & or #.
func isURLOnlyName(name string, prev byte) (only, ok bool) {
	switch {
	case equalFold(name, "token"), equalFold(name, "ticket"):
		return true, prev == '?' || prev == '&' || prev == ';' || prev == '#'
	case equalFold(name, "code"):
		return true, prev == '?' || prev == '&' || prev == '#'
	}
	return false, false
}

// param handles "name=" with the '=' at k: the value of a secret name in a
// URL, form, attribute list or connection string is masked. A value is a
// quoted string or runs to a separator.
func (sc *scanner) param(k int, w string, prev byte) int {
	if only, ok := isURLOnlyName(w, prev); only {
		if !ok {
			return k + 1
		}
	} else if !SecretName(w) {
		return k + 1
	}
	s := sc.s
	start := skipSpace(s, k+1)
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
	sc.replace(start, end, maskValue(s[start:end]))
	return max(end, k+1)
}

// json handles a JSON string field: w is the key, the closing quote of the
// key at k. A secret key's string value is masked.
func (sc *scanner) json(k int, w string) int {
	s := sc.s
	if !SecretName(w) {
		return k + 1
	}
	c := skipSpace(s, k+1)
	if c >= len(s) || s[c] != ':' {
		return k + 1
	}
	q := skipSpace(s, c+1)
	if q >= len(s) || s[q] != '"' {
		return k + 1
	}
	start := q + 1
	end := start
	for end < len(s) && s[end] != '"' && s[end] != '\r' && s[end] != '\n' {
		if s[end] == '\\' && end+1 < len(s) && s[end+1] != '\r' && s[end+1] != '\n' {
			end++ // an escaped character; a line break ends the value all the same
		}
		end++
	}
	end = min(end, len(s))
	if start < end {
		sc.replace(start, end, Masked)
	}
	return end
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
		if describesPassword(strings.TrimRight(s[i:end], ".,;:!?)")) {
			return end
		}
	}
	sc.replace(i, end, maskValue(s[i:end]))
	return end
}

// describesPassword reports whether w is a word that says something about
// a password instead of being one.
func describesPassword(w string) bool {
	if w == "" || w == Masked {
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
		be been is are incorrectly ok good bad`) {
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
