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
// starts at vs.
func (sc *scanner) cookieHeader(vs int) int {
	end := lineEnd(sc.s, vs)
	sc.replace(vs, end, maskCookieValue(sc.s[vs:end]))
	return end
}

// maskCookieValue masks every "name=value" pair of a Cookie or Set-Cookie
// value except Set-Cookie attributes.
func maskCookieValue(v string) string {
	if strings.IndexByte(v, '=') < 0 {
		return v
	}
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

// ticketHeader masks the rest of the line after a web ticket header name
// (X-MS-WebTicket, ms-webticket): the whole value is the ticket.
func (sc *scanner) ticketHeader(vs int) int {
	end := lineEnd(sc.s, vs)
	if k := skipSpace(sc.s, vs); k < end {
		sc.replace(k, end, Masked)
	}
	return end
}
