package mask

import "strings"

// jwt handles a word starting with "eyJ" (base64url of `{"`) that ends at
// j with a '.': a JSON Web Token, three segments (JWS) or five (JWE), each
// base64url, is masked whole. The signature of an unsecured JWT and the
// key of a direct-encryption JWE may be empty.
func (sc *scanner) jwt(i, j int) int {
	s := sc.s
	if j-i < 10 {
		return j
	}
	dots := 0
	e := j
	for e < len(s) && (isWord(s[e]) || s[e] == '.') {
		if s[e] == '.' {
			dots++
			if dots > 2 && strings.HasPrefix(s[e+1:], "eyJ") {
				// Another token starts: this one ends at the dot, as it
				// does once that token is masked (masking twice must
				// give the same text).
				e++
				break
			}
		}
		e++
	}
	for e > j && s[e-1] == '.' && dots > 2 { // a sentence's full stop
		e--
		dots--
	}
	if dots > 2 && dots != 4 {
		// More segments than a token has: its first three are one (a
		// JWS followed by more dotted text). Leaving them would not do:
		// once a token further on is masked, they end the run and would
		// be masked the next time, and masking must give the same text
		// when run again.
		e = j
		for n := 0; n < 2; n++ {
			e++
			for e < len(s) && s[e] != '.' {
				e++
			}
		}
		dots = 2
	}
	if dots != 2 && dots != 4 || e-i < 24 {
		return j
	}
	sc.replace(i, e, Masked)
	return e
}

// pemBegin starts a PEM block.
const pemBegin = "-----BEGIN "

// pem handles "-----BEGIN " at i: the body of a private key (RSA, EC, DSA,
// OPENSSH, ENCRYPTED or PKCS #8 "PRIVATE KEY") is masked up to the END
// line, its line breaks kept; the BEGIN and END lines stay. Certificates
// are public and stay.
func (sc *scanner) pem(i int) int {
	s := sc.s
	k := i + len(pemBegin)
	e := strings.Index(s[k:min(len(s), k+64)], "-----")
	if e < 0 {
		return k
	}
	label := s[k : k+e]
	if !strings.HasSuffix(label, "PRIVATE KEY") {
		return k
	}
	body := k + e + len("-----")
	if body < len(s) && s[body] == '\r' {
		body++
	}
	if body < len(s) && s[body] == '\n' {
		body++
	}
	// Inside a JSON string the line breaks are escapes, which stay.
	escaped := false
	for strings.HasPrefix(s[body:], `\r`) || strings.HasPrefix(s[body:], `\n`) {
		body += 2
		escaped = true
	}
	end := strings.Index(s[body:], "-----END ")
	switch {
	case end < 0 && escaped:
		// A cut key inside a JSON string: its body runs to the
		// string's end.
		end = lineEnd(s, body)
		if q := strings.IndexByte(s[body:end], '"'); q >= 0 {
			end = body + q
		}
	case end < 0:
		end = base64End(s, body)
	default:
		end += body
		for escaped && end-2 >= body && (s[end-2:end] == `\n` || s[end-2:end] == `\r`) {
			end -= 2
		}
	}
	if content := s[body:end]; strings.TrimSpace(content) != "" {
		sc.replace(body, end, maskKeepLines(content))
	}
	return max(end, body)
}

// base64End returns the end of the run of lines from i that look like the
// body of a PEM block whose END line is missing (a truncated excerpt):
// base64 and the RFC 1421 headers (Proc-Type, DEK-Info).
func base64End(s string, i int) int {
	for i < len(s) {
		e := lineEnd(s, i)
		line := strings.TrimSpace(s[i:e])
		if line != "" && !isBase64Line(line) && !strings.HasPrefix(line, "Proc-Type:") && !strings.HasPrefix(line, "DEK-Info:") {
			return i
		}
		i = e
		if i < len(s) && s[i] == '\r' {
			i++
		}
		if i < len(s) && s[i] == '\n' {
			i++
		}
	}
	return len(s)
}

func isBase64Line(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; !isAlnum(c) && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}
