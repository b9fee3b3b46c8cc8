package mask

import "strings"

// isCookieHeader reports whether w is Cookie, Set-Cookie or Set-Cookie2.
func isCookieHeader(w string) bool {
	return equalFold(w, "cookie") || equalFold(w, "set-cookie") || equalFold(w, "set-cookie2")
}

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

// cookieHeader masks the value of a Cookie or Set-Cookie header that
// starts at vs, continuation lines included.
func (sc *scanner) cookieHeader(vs int) int {
	end := foldedEnd(sc.s, vs)
	sc.replace(vs, end, maskFoldedCookie(sc.s[vs:end]))
	return end
}

// maskFoldedCookie masks a Cookie or Set-Cookie value that may go on over
// continuation lines (RFC 3261 7.3.1, as a header's text shows it): its
// first line as maskCookieValue masks a value, and each continuation line
// either as one too, when it holds a "name=", or whole, as the rest of a
// value. Line breaks and the blanks that start a continuation line stay.
func maskFoldedCookie(v string) string {
	first, rest, folded := strings.Cut(v, "\n")
	if !folded {
		return maskCookieValue(v)
	}
	var b strings.Builder
	b.Grow(len(v))
	b.WriteString(keepCR(first, maskCookieValue))
	for folded {
		var l string
		l, rest, folded = strings.Cut(rest, "\n")
		b.WriteByte('\n')
		b.WriteString(keepCR(l, maskCookieContinuation))
	}
	return b.String()
}

// maskCookieContinuation masks a continuation line of a cookie header
// (without its line ending).
func maskCookieContinuation(l string) string {
	body := strings.TrimLeft(l, " \t")
	switch {
	case strings.TrimSpace(body) == "":
		return l
	case strings.IndexByte(body, '=') >= 0:
		return l[:len(l)-len(body)] + maskCookieValue(body)
	}
	return l[:len(l)-len(body)] + Masked
}

// keepCR applies one to l without the '\r' that ends it, if any, and puts
// the '\r' back.
func keepCR(l string, one func(string) string) string {
	if body, ok := strings.CutSuffix(l, "\r"); ok {
		return one(body) + "\r"
	}
	return one(l)
}

// maskCookieValue masks every "name=value" pair of a Cookie or Set-Cookie
// value except Set-Cookie attributes.
//
// The first part of a value without '=' is a value too ("Cookie: X", a
// cookie without a name) and is masked; the later ones are Set-Cookie
// attributes (Secure, HttpOnly) and stay.
func maskCookieValue(v string) string {
	if strings.IndexByte(v, '=') < 0 {
		return maskNamelessCookie(v)
	}
	parts := strings.Split(v, ";")
	for i, p := range parts {
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			if i == 0 {
				parts[i] = maskNamelessCookie(p)
			}
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

// maskNamelessCookie masks the first part (up to the first ';') of a
// cookie value v that has no '=', keeping the blanks around it. A blank
// part stays.
func maskNamelessCookie(v string) string {
	p, rest, _ := strings.Cut(v, ";")
	core := strings.TrimSpace(p)
	if core == "" {
		return v
	}
	lead := strings.Index(p, core)
	masked := p[:lead] + maskValue(core) + p[lead+len(core):]
	if len(p) == len(v) {
		return masked
	}
	return masked + ";" + rest
}

// ticketHeader masks the value after a web ticket header name
// (X-MS-WebTicket, ms-webticket) or a header name that says secret
// (X-MS-Password, X-Access-Token): the whole value, continuation lines
// included, is the secret.
func (sc *scanner) ticketHeader(vs int) int {
	end := foldedEnd(sc.s, vs)
	if k := skipSpace(sc.s, vs); k < end && !isEvidenceValue(sc.s[k:end]) {
		sc.replace(k, end, maskKeepFolds(sc.s[k:end]))
	}
	return end
}

// isEvidenceValue reports whether the whole value v of a header or label
// whose name says secret cannot be a secret and is evidence: an HRESULT
// or a boolean ("X-MS-Password: 0x80048821", "Ticket: False").
func isEvidenceValue(v string) bool {
	v = strings.TrimSpace(v)
	return isHRESULT(v) || equalFold(v, "true") || equalFold(v, "false")
}
