package scan

import (
	"math/bits"
	"strings"
)

// HRESULT is one HRESULT code found in a line.
type HRESULT struct {
	Code string // "0x80048821": lower-case hex, 8 digits
	Name string // symbolic name when known, else ""
}

// hresultNames holds the codes of log-facts.md §4.1 (IDCRL, the Sign-in
// Assistant) and §4.2 (Windows). Nothing else is named.
var hresultNames = map[string]string{
	// §4.1 IDCRL / MSOIDCRL.
	"0x80048800": "PPCRL_AUTHSTATE_E_UNAUTHENTICATED",
	"0x80048801": "PPCRL_AUTHSTATE_E_EXPIRED",
	"0x80048810": "PPCRL_AUTHREQUIRED_E_PASSWORD",
	"0x80048820": "PPCRL_REQUEST_E_AUTH_SERVER_ERROR",
	"0x80048821": "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD",
	"0x80048823": "PPCRL_REQUEST_E_PASSWORD_LOCKED_OUT",
	"0x80048824": "PPCRL_REQUEST_E_PASSWORD_LOCKED_OUT_BAD_PASSWORD_OR_HIP",
	"0x80048825": "PPCRL_REQUEST_E_TOU_CONSENT_REQUIRED",
	"0x80048826": "PPCRL_REQUEST_E_FORCE_RENAME_REQUIRED",
	"0x80048827": "PPCRL_REQUEST_E_FORCE_CHANGE_PASSWORD_REQUIRED",
	"0x8004882a": "PPCRL_REQUEST_E_PARTNER_NOT_FOUND",
	"0x8004882b": "PPCRL_REQUEST_E_PARTNER_HAS_NO_ASYMMETRIC_KEY",
	"0x8004882c": "PPCRL_REQUEST_E_INVALID_POLICY",
	"0x8004882d": "PPCRL_REQUEST_E_INVALID_MEMBER_NAME",
	"0x8004882e": "PPCRL_REQUEST_E_MISSING_PRIMARY_CREDENTIAL",
	"0x8004882f": "PPCRL_REQUEST_E_PENDING_NETWORK_REQUEST",
	"0x80048831": "PPCRL_REQUEST_E_PASSWORD_EXPIRED",
	"0x80048848": "PPCRL_REQUEST_E_NO_NETWORK",
	"0x80048862": "PPCRL_E_UNABLE_TO_RETRIEVE_SERVICE_TOKEN",
	"0x80048869": "PPCRL_E_AUTH_SERVICE_UNAVAILABLE",
	"0x800488eb": "PPCRL_REQUEST_E_SCHANNEL_ERROR",
	"0x800488ec": "PPCRL_REQUEST_E_CERT_PARSE_ERROR",
	"0x800488ee": "PPCRL_REQUEST_E_PARTNER_LOGIN",

	// §4.2 Windows (winerror.h names).
	"0x800b0109": "CERT_E_UNTRUSTEDROOT",
	"0x8009000b": "NTE_BAD_KEY_STATE",
	"0x80090016": "NTE_BAD_KEYSET",
	"0x80090302": "SEC_E_UNSUPPORTED_FUNCTION",
	"0x80090325": "SEC_E_UNTRUSTED_ROOT",
	"0x80090326": "SEC_E_ILLEGAL_MESSAGE",
	"0x80090327": "SEC_E_CERT_UNKNOWN",
	"0x80090328": "SEC_E_CERT_EXPIRED",
	"0x80092010": "CRYPT_E_REVOKED",
	"0x80072ee7": "ERROR_INTERNET_NAME_NOT_RESOLVED",
	"0x80072efd": "ERROR_WINHTTP_CANNOT_CONNECT",
	"0x80072f7d": "ERROR_WINHTTP_SECURE_CHANNEL_ERROR",
	"0x8007274c": "WSAETIMEDOUT",
}

// hresultName returns the symbolic name of code ("0x80048821", any case), or
// "" when the code is not one of the known sign-in codes.
func hresultName(code string) string {
	return hresultNames[strings.ToLower(code)]
}

// HRESULTs returns the HRESULT codes in s, in order of appearance and
// without repeats. It recognises three forms:
//
//  1. a word-bounded 0x8XXXXXXX literal;
//  2. a failure code (high bit set) after a prefix that names it an HRESULT:
//     "hr=80ee0066", "hr = 0x80ee0066", "HRESULT: 80048821", "hres=...";
//  3. a parenthesised "(80048821)" or "(0x80048821)".
//
// A bare 8-digit hex number (a GUID part, an epid, a tag) is never taken.
//
// The result is exactly what the leftmost-first, non-overlapping matches of
// this regular expression give, its first non-empty group being the code:
//
//	(?i)\b0x(8[0-9a-f]{7})\b|\b(?:hresult|hres|hr)(?:\s*[:=]\s*|\s+)(?:0x)?([89a-f][0-9a-f]{7})\b|\((?:0x)?(8[0-9a-f]{7})\)
//
// (the tests hold it and compare). HRESULTs reads each byte about once and
// allocates only for the codes it returns.
func HRESULTs(s string) []HRESULT {
	var out []HRESULT
	for i := nextStart(s, 0); i < len(s); i = nextStart(s, i) {
		end, d := hresultAt(s, i)
		if end < 0 {
			i++
			continue
		}
		out = addCode(out, s[d:d+8])
		i = end
	}
	return out
}

// nextStart returns the index of the first byte at or after i that can
// start a match, '0', '(', 'h' or 'H', or len(s) if there is none. It tests
// eight bytes at a time.
func nextStart(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		v := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		m := zeroBytes(v^(lsb*'0')) | zeroBytes(v^(lsb*'(')) | zeroBytes((v|lsb*0x20)^(lsb*'h'))
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '0' || c == '(' || c|0x20 == 'h' {
			break
		}
	}
	return i
}

// lsb has the lowest bit of each of the eight bytes of a uint64 set:
// lsb*c repeats the byte c eight times.
const lsb = 0x0101010101010101

// zeroBytes returns x with the high bit set in its lowest zero byte, and
// possibly in higher bytes too; 0 when no byte of x is zero. The lowest
// set bit is exact, so bits.TrailingZeros64(m)/8 is the index of the first
// zero byte (bytes in little-endian order).
func zeroBytes(x uint64) uint64 {
	return (x - lsb) &^ x & (lsb * 0x80)
}

// hresultAt matches the three forms of HRESULTs at s[i]. It returns the end
// of the match and the index of its 8 hex digits, or -1, -1 when no form
// starts at i.
func hresultAt(s string, i int) (end, digits int) {
	switch s[i] {
	case '0':
		// \b0x(8[0-9a-f]{7})\b
		if wordBefore(s, i) || !has0x(s, i) {
			break
		}
		if d := i + 2; d+8 <= len(s) && s[d] == '8' && isHex7(s[d+1:d+8]) && !wordAt(s, d+8) {
			return d + 8, d
		}
	case '(':
		// \((?:0x)?(8[0-9a-f]{7})\)
		d := i + 1
		if has0x(s, d) {
			d += 2
		}
		if d+9 <= len(s) && s[d] == '8' && isHex7(s[d+1:d+8]) && s[d+8] == ')' {
			return d + 9, d
		}
	default:
		// \b(?:hresult|hres|hr) and the rest, the prefixes tried in this
		// order as the regular expression does.
		if wordBefore(s, i) {
			break
		}
		for _, p := range [...]string{"hresult", "hres", "hr"} {
			if k := prefixFold(s, i, p); k >= 0 {
				if d := prefixedCode(s, k); d >= 0 {
					return d + 8, d
				}
			}
		}
	}
	return -1, -1
}

// prefixedCode matches, at s[k], what follows an HRESULT prefix:
//
//	(?:\s*[:=]\s*|\s+)(?:0x)?([89a-f][0-9a-f]{7})\b
//
// It returns the index of the 8 hex digits, or -1. None of the choices
// needs a second try: a white-space run is followed by a byte that is not
// white space, so a shorter run would leave white space where [:=], "0x" or
// a digit must be; a ':' or '=' after the run rules out \s+ for the same
// reason; and "0x" cannot be read as digits, since a code without it starts
// with [89a-f], not '0'.
func prefixedCode(s string, k int) int {
	j := skipSpace(s, k)
	if j < len(s) && (s[j] == ':' || s[j] == '=') {
		j = skipSpace(s, j+1)
	} else if j == k {
		return -1
	}
	if has0x(s, j) {
		j += 2
	}
	if j+8 > len(s) || !isFailureHex(s[j]) || !isHex7(s[j+1:j+8]) || wordAt(s, j+8) {
		return -1
	}
	return j
}

// prefixFold returns the index after word at s[i], or -1 if s does not hold
// word there. word is lower-case ASCII; the match ignores case as (?i) does,
// by Unicode simple folding: an 's' also matches U+017F LATIN SMALL LETTER
// LONG S, the only non-ASCII fold of the letters of the HRESULT prefixes.
func prefixFold(s string, i int, word string) int {
	for j := 0; j < len(word); j++ {
		switch {
		case i < len(s) && s[i]|0x20 == word[j]:
			i++
		case word[j] == 's' && strings.HasPrefix(s[i:], "\u017f"):
			i += len("\u017f")
		default:
			return -1
		}
	}
	return i
}

// addCode appends to hs the code "0x"+digits, lower-cased and named, unless
// hs already holds it. It allocates only for a new code.
func addCode(hs []HRESULT, digits string) []HRESULT {
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for j := 0; j < 8; j++ {
		b[2+j] = digits[j] | 0x20 // lower-cases A-F, keeps 0-9
	}
	for _, h := range hs {
		if h.Code == string(b[:]) {
			return hs
		}
	}
	code := string(b[:])
	return append(hs, HRESULT{Code: code, Name: hresultNames[code]})
}

// has0x reports whether s holds "0x" or "0X" at i.
func has0x(s string, i int) bool {
	return i+1 < len(s) && s[i] == '0' && s[i+1]|0x20 == 'x'
}

// skipSpace returns the index of the first byte at or after i that is not
// the white space of \s ([\t\n\f\r ]).
func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}

// wordBefore reports whether s[i-1] is a word byte: the \b before a word
// byte at s[i] does not hold then. A byte >= 0x80 is never a word byte, and
// an ASCII byte is never part of a longer rune, so bytes give the answer
// the runes that \b looks at give, in invalid UTF-8 too.
func wordBefore(s string, i int) bool {
	return i > 0 && isWordByte(s[i-1])
}

// wordAt reports whether s[i] is a word byte: the \b after a word byte at
// s[i-1] does not hold then.
func wordAt(s string, i int) bool {
	return i < len(s) && isWordByte(s[i])
}

// isHex7 reports whether s, 7 bytes, holds hex digits only.
func isHex7[T string | []byte](s T) bool {
	for j := 0; j < 7; j++ {
		if !isHex(s[j]) {
			return false
		}
	}
	return true
}

// isHex reports whether c is a hex digit of either case.
func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// isFailureHex reports whether c is a hex digit of 8 or more, the first
// digit of a failure code ([89a-f]).
func isFailureHex(c byte) bool {
	return c == '8' || c == '9' || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// isWordByte reports whether c is a byte of \w, [0-9A-Za-z_].
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}
