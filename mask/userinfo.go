package mask

import "strings"

// isURLScheme reports whether w is the scheme of a URL that may carry a
// password in its userinfo: http, https, ftp, ftps, sftp, ldap, ldaps,
// ws, wss (scheme://user:password@host), sip and sips
// (sip:user:password@host, RFC 3261 19.1.1). Every one ends in p or s, so
// that the keywords "p://", "s://", "sip:" and "ips:" find them all.
func isURLScheme(w string) bool {
	if len(w) > len("ldaps") {
		return false
	}
	switch lower(w[len(w)-1]) {
	case 'p':
		return equalFold(w, "http") || equalFold(w, "ftp") || equalFold(w, "sftp") ||
			equalFold(w, "ldap") || equalFold(w, "sip")
	case 's':
		return equalFold(w, "https") || equalFold(w, "ftps") || equalFold(w, "ldaps") ||
			equalFold(w, "ws") || equalFold(w, "wss") || equalFold(w, "sips")
	}
	return false
}

// userinfoPassword returns the span of the password in the userinfo of
// the URL whose scheme w ends with the colon at k, or an empty span when
// it has none: "http://bob:X@proxy.contoso.com:8080", "sip:bob:X@contoso.com".
// The userinfo ends at the last '@' before the end of the authority (a
// '/', '?', '#', a blank, a quote or a bracket; and a ';', which starts
// the parameters of a SIP URI); the password is what follows its first
// colon. "http://proxy:8080", "sip:10.0.4.15:55861;transport=tls" and
// "sip:bob@contoso.com" have none.
func userinfoPassword(s string, k int, w string) (start, end int) {
	i := k + 1
	if !equalFold(w, "sip") && !equalFold(w, "sips") {
		if !strings.HasPrefix(s[i:], "//") {
			return 0, 0
		}
		i += 2
	}
	colon, at := -1, -1
	for e := i; e < len(s) && !authorityEnd[s[e]]; e++ {
		switch s[e] {
		case ':':
			if colon < 0 {
				colon = e
			}
		case '@':
			at = e
		}
	}
	if colon < 0 || at < colon+2 || colon == i {
		return 0, 0
	}
	return colon + 1, at
}

// authorityEnd holds the bytes that end the userinfo and host of a URL
// as userinfoPassword reads them.
var authorityEnd = func() (t [256]bool) {
	for _, c := range []byte("/?#;<>\"'[] \t\r\n") {
		t[c] = true
	}
	return t
}()
