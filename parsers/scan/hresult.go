package scan

import (
	"regexp"
	"strings"
	"sync"
)

// HRESULT is one HRESULT code found in a line.
type HRESULT struct {
	Code string // "0x80048821": lower-case hex, 8 digits
	Name string // symbolic name when known, else ""
}

// hresultRE finds the three accepted forms, leftmost first:
//
//  1. a word-bounded 0x8XXXXXXX literal;
//  2. a failure code (high bit set) after a prefix that names it an HRESULT:
//     "hr=80ee0066", "hr = 0x80ee0066", "HRESULT: 80048821", "hres=...";
//  3. a parenthesised "(80048821)" or "(0x80048821)".
//
// A bare 8-digit hex number (a GUID part, an epid, a tag) is never taken.
// It is compiled on first use, not at start-up.
var hresultRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b0x(8[0-9a-f]{7})\b|\b(?:hresult|hres|hr)(?:\s*[:=]\s*|\s+)(?:0x)?([89a-f][0-9a-f]{7})\b|\((?:0x)?(8[0-9a-f]{7})\)`)
})

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
// without repeats. It recognises 0x8XXXXXXX literals and codes written
// after an HRESULT prefix (hr=, hr =, HRESULT:, hres=) or inside
// parentheses; see hresultRE.
func HRESULTs(s string) []HRESULT {
	if !mayHoldHRESULT(s) {
		return nil
	}
	matches := hresultRE().FindAllStringSubmatchIndex(s, -1)
	if len(matches) == 0 {
		return nil
	}
	out := make([]HRESULT, 0, len(matches))
	for _, m := range matches {
		var digits string
		for g := 1; g <= 3; g++ {
			if m[2*g] >= 0 {
				digits = s[m[2*g]:m[2*g+1]]
				break
			}
		}
		code := "0x" + strings.ToLower(digits)
		if containsCode(out, code) {
			continue
		}
		out = append(out, HRESULT{Code: code, Name: hresultName(code)})
	}
	return out
}

func containsCode(hs []HRESULT, code string) bool {
	for _, h := range hs {
		if h.Code == code {
			return true
		}
	}
	return false
}

// mayHoldHRESULT is the prefilter: one pass over the bytes looking for
// "0x", an "hr" that starts a word, or "(8" / "(0x".
func mayHoldHRESULT(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		c, d := s[i], s[i+1]|0x20
		switch {
		case c == '0' && d == 'x':
			return true
		case c|0x20 == 'h' && d == 'r' && (i == 0 || !isWordByte(s[i-1])):
			return true
		case c == '(' && (s[i+1] == '8' || s[i+1] == '0'):
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}
