package scan

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// hresultRE is the regular expression HRESULTs used to run, kept as the
// oracle of the scanner that replaced it.
var hresultRE = regexp.MustCompile(`(?i)\b0x(8[0-9a-f]{7})\b|\b(?:hresult|hres|hr)(?:\s*[:=]\s*|\s+)(?:0x)?([89a-f][0-9a-f]{7})\b|\((?:0x)?(8[0-9a-f]{7})\)`)

// regexHRESULTs is HRESULTs as it was written with hresultRE: the first
// non-empty group of each match, lower-cased, without repeats, named.
func regexHRESULTs(s string) []HRESULT {
	var out []HRESULT
	for _, m := range hresultRE.FindAllStringSubmatchIndex(s, -1) {
		var digits string
		for g := 1; g <= 3; g++ {
			if m[2*g] >= 0 {
				digits = s[m[2*g]:m[2*g+1]]
				break
			}
		}
		code := "0x" + strings.ToLower(digits)
		seen := false
		for _, h := range out {
			seen = seen || h.Code == code
		}
		if !seen {
			out = append(out, HRESULT{Code: code, Name: hresultName(code)})
		}
	}
	return out
}

// hresultTests is the table of TestHRESULTs, also the first seeds of
// FuzzHRESULTsSameAsRegex.
func hresultTests() []struct {
	name string
	in   string
	want []HRESULT
} {
	return []struct {
		name string
		in   string
		want []HRESULT
	}{
		{"0x literal, known IDCRL code",
			"04/16/2013|03:17:32.001 1F68:C14 ERROR :: CUccServerEndpoint::OnSignIn failed, 0x80048821",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"upper-case hex is lower-cased",
			"sign-in failed with 0X800488EE",
			[]HRESULT{{"0x800488ee", "PPCRL_REQUEST_E_PARTNER_LOGIN"}}},
		{"hr= without 0x, unknown code has no name",
			"ERROR :: GetAndPublishCert failed hr=80ee0066",
			[]HRESULT{{"0x80ee0066", ""}}},
		{"hr = 0x with spaces",
			"CertProv: hr = 0x80090016 while opening the key",
			[]HRESULT{{"0x80090016", "NTE_BAD_KEYSET"}}},
		{"HRESULT: prefix",
			"HRESULT: 80072EE7",
			[]HRESULT{{"0x80072ee7", "ERROR_INTERNET_NAME_NOT_RESOLVED"}}},
		{"parenthesised",
			"The operation failed (80048862).",
			[]HRESULT{{"0x80048862", "PPCRL_E_UNABLE_TO_RETRIEVE_SERVICE_TOKEN"}}},
		{"parenthesised with 0x",
			"error (0x8009000B)",
			[]HRESULT{{"0x8009000b", "NTE_BAD_KEY_STATE"}}},
		{"hr= accepts failure codes above 0x8",
			"hr=C00D36B4",
			[]HRESULT{{"0xc00d36b4", ""}}},
		{"repeats are dropped, order kept",
			"hr=0x80048821 retry 0x800B0109 again 0x80048821 (80048821)",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}, {"0x800b0109", "CERT_E_UNTRUSTEDROOT"}}},
		{"Windows socket and Schannel names",
			"0x8007274C 0x80090325 0x80092010",
			[]HRESULT{{"0x8007274c", "WSAETIMEDOUT"}, {"0x80090325", "SEC_E_UNTRUSTED_ROOT"}, {"0x80092010", "CRYPT_E_REVOKED"}}},
		{"GUID parts are not HRESULTs",
			"Call-ID: 80048821-1234-5678-9abc-def012345678", nil},
		{"epid and tag values are not HRESULTs",
			"From: <sip:bob@contoso.com>;tag=80048821;epid=800b0109ab", nil},
		{"more than 8 digits is no HRESULT",
			"0x800488211 and 0x8004882", nil},
		{"0x without the failure bit is not taken",
			"flags=0x00000001 ICEWarn=0x80000", nil},
		{"hr= success code is not taken",
			"hr=00000000", nil},
		{"hr inside a word is no prefix",
			"through 80048821", nil},
		{"a letter glued to 0x is no literal",
			"abc0x80048821", nil},
		{"empty", "", nil},

		// Near misses: the prefixes, separators and boundaries of the
		// regular expression at their edges.
		{"href= is no prefix",
			`<a href="80048821" href=0x70048821>`, nil},
		{"hresult= with 0x",
			"hresult=0x8007000E",
			[]HRESULT{{"0x8007000e", ""}}},
		{"hres prefix",
			"CAuthMgr hres 0x80090302",
			[]HRESULT{{"0x80090302", "SEC_E_UNSUPPORTED_FUNCTION"}}},
		{"a letter after hresult is no prefix",
			"hresultx=80048821 hresul 80048821", nil},
		{"long s folds to s in hresult",
			"HRE\u017FULT: 80048821",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"tab and upper-case 0X after HR:",
			"HR:\t0X80048821",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"form feed is white space",
			"hr\f80048821",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"vertical tab is not white space",
			"hr\v80048821 hr=\v80048821", nil},
		{"hr= with 0x and a success digit",
			"hr= 0x70048821", nil},
		{"hr= with more than 8 digits",
			"hr=800488211 hr=0x8004882", nil},
		{"hr=( is found by the parentheses",
			"hr=(80048821)",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"double parentheses",
			"((0x80048821))",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"unclosed or too long parentheses",
			"(80048821 (800488210) (0x8004882)", nil},
		{"0x glued to 0x",
			"0x0x80048821", nil},
		{"a word byte after the digits",
			"0x80048821_ 0x80048821x hr 0x80048821x 80048821", nil},
		{"a non-ASCII letter is no word byte",
			"é0x80048821é",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
		{"invalid UTF-8 around a code",
			"\xff0x80048821\xfe",
			[]HRESULT{{"0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}}},
	}
}

func TestHRESULTs(t *testing.T) {
	for _, tt := range hresultTests() {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, HRESULTs(tt.in))
			assert.Equal(t, tt.want, regexHRESULTs(tt.in), "the regular expression")
		})
	}
}

func TestHRESULTNameLookup(t *testing.T) {
	assert.Equal(t, "PPCRL_REQUEST_E_PASSWORD_LOCKED_OUT", hresultName("0x80048823"))
	assert.Equal(t, "PPCRL_REQUEST_E_PASSWORD_LOCKED_OUT", hresultName("0X80048823"))
	assert.Equal(t, "", hresultName("0x80004005"))
}

func TestHRESULTNamesAreWellFormed(t *testing.T) {
	for code, name := range hresultNames {
		got := HRESULTs(code)
		if assert.Len(t, got, 1, code) {
			assert.Equal(t, HRESULT{Code: code, Name: name}, got[0])
		}
	}
}

// FuzzHRESULTsSameAsRegex checks that the scanner finds exactly what
// hresultRE finds, in the same order.
func FuzzHRESULTsSameAsRegex(f *testing.F) {
	for _, tt := range hresultTests() {
		f.Add(tt.in)
	}
	for _, s := range []string{
		`<link rel="self" href="https://webdir.online.lync.com/Autodiscover/AutodiscoverService.svc/root"/>`,
		"href=80048821", "hr=80048821", "hr 80048821", "hr:80048821", "HR\t=\r\n0x80048821",
		"hresult 80048821", "HRESULT=0x80048821", "hres: 80048821", "hresul 80048821", "hresultx 80048821",
		"hre\u017Fult=80048821", "hre\u017F 80048821", "HRE\u017FULT: 0x80048821", "h\u017F=80048821",
		"HR:\t0X80048821", "hr:\f80048821", "hr\v80048821", "hr =\v80048821", "hr\x00 80048821",
		"(0x80048821)", "(0X80048821)", "((80048821))", "(800488210)", "(0x8004882)", "(90048821)",
		"0x80048821_", "_0x80048821", "x0x80048821", "0x80048821x", "0x80048821é", "é0x80048821",
		"0x80048821", "hr=80048821", "(80048821)", "end 0x80048821", "end hr=80048821", "end (80048821)",
		"0x800488211", "hr=800488211", "(800488211)", "0x8004882", "hr=8004882",
		"hr= 0x00048821", "hr= 0x70048821", "hr= 0x80048821", "hr=7fffffff", "hr=0x0x80048821",
		"hr=(80048821)", "0x0x80048821", "hr 0x80048821x 80048821", "hr hr=80048821", "hr=hr=80048821",
		"hr=0x80048821 0x80048821 hr=80048822", "hr=\x8080048821", "\xff0x80048821\xfe", "\xc5hr=80048821",
		"hre\xc5\xbf=80048821", "hre\xc5=80048821", "hre\xbf=80048821", "0x8004882\xff", "(0x\x80048821)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := HRESULTs(s), regexHRESULTs(s)
		if !equalHRESULTs(got, want) {
			t.Errorf("HRESULTs(%q) = %v, the regular expression finds %v", s, got, want)
		}
	})
}

// Random lines made of the three forms, whole or broken, and of the bytes
// around them reach the corners of the expression more often than the
// fuzzer's byte mutations do; the scanner must agree with the regular
// expression on each.
func TestHRESULTsSameAsRegexOnForms(t *testing.T) {
	var (
		edges    = []string{"", "_", "x", "e", "é", "\xff", "\xc5", ".", "0", "h", " ", "(", ")", "hr", "0x"}
		prefixes = []string{"hr", "HR", "hres", "HRESULT", "hre\u017fult", "HRE\u017F", "hresul", "href", "hre\xc5", "h\u017f"}
		seps     = []string{"", " ", "\t", "\f", "\v", "\r\n ", ":", "=", " = ", ":\v", "\v=", " =\t", "==", ": 0x"}
		hexes    = []string{"", "0x", "0X", "0x0x"}
		digits   = []string{"80048821", "C00D36b4", "70048821", "8004882", "800488211", "9", "(80048821)"}
		closes   = []string{")", "", "))", "_)"}
	)
	n := 200000
	if testing.Short() {
		n = 20000
	}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	var b strings.Builder
	found := 0
	for range n {
		b.Reset()
		for k := 1 + r.IntN(5); k > 0; k-- {
			switch r.IntN(4) {
			case 0:
				b.WriteString(pick(edges))
			case 1:
				b.WriteString(pick(hexes) + pick(digits))
			case 2:
				b.WriteString(pick(prefixes) + pick(seps) + pick(hexes) + pick(digits))
			case 3:
				b.WriteString("(" + pick(hexes) + pick(digits) + pick(closes))
			}
		}
		s := b.String()
		got, want := HRESULTs(s), regexHRESULTs(s)
		if !equalHRESULTs(got, want) {
			t.Fatalf("HRESULTs(%q) = %v, the regular expression finds %v", s, got, want)
		}
		found += len(want)
	}
	// The lines must hold codes often enough to test something.
	if found < n/4 {
		t.Errorf("%d lines hold only %d codes", n, found)
	}
}

// equalHRESULTs reports whether a and b hold the same codes in the same
// order; nil and empty are equal.
func equalHRESULTs(a, b []HRESULT) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The only non-ASCII fold of the letters of the expression is U+017F, an
// 's': the scanner's case folding relies on it.
func TestHRESULTFolds(t *testing.T) {
	re := regexp.MustCompile(`(?i)^(?:h|r|e|s|u|l|t|x|[0-9a-f])$`)
	var folds []rune
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r++ {
		if re.MatchString(string(r)) {
			folds = append(folds, r)
		}
	}
	assert.Equal(t, []rune{'\u017F'}, folds)
	assert.True(t, regexp.MustCompile(`(?i)^s$`).MatchString("\u017F"))
}

// BenchmarkHRESULTs runs the finder over lines of client logs.
func BenchmarkHRESULTs(b *testing.B) {
	for _, bb := range benchLines() {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(bb.line)))
			for b.Loop() {
				if len(HRESULTs(bb.line)) != bb.n {
					b.Fatal("wrong number of codes")
				}
			}
		})
	}
}

// benchLines returns the lines of BenchmarkHRESULTs and the number of
// codes in each.
func benchLines() []struct {
	name, line string
	n          int
} {
	return []struct {
		name, line string
		n          int
	}{
		// The body of an autodiscover response: "hr" starts a word at
		// every href, and there is no code.
		{"xml-href", `<AutodiscoverResponse AccessLocation="External"><Root><Link token="Domain" href="https://webdir.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com"/><Link token="User" href="https://webdir.online.lync.com/Autodiscover/AutodiscoverService.svc/root/oauth/user?originalDomain=contoso.com"/><Link token="Self" href="https://webdir.online.lync.com/Autodiscover/AutodiscoverService.svc/root?originalDomain=contoso.com"/><Link token="OS" href="https://webdir.online.lync.com/Autodiscover/AutodiscoverService.svc/root/user/os?originalDomain=contoso.com"/></Root></AutodiscoverResponse>`, 0},
		{"hr-code", "06/15/2017|09:02:11.482 1F68:C14 ERROR :: CUccCertificateManager::GetAndPublishCert - failed hr=0x80ee0066", 1},
		{"sip-none", "04/16/2013|03:17:30.168 1F68:C14 INFO  :: Via: SIP/2.0/TLS 192.168.103.35:20323;branch=z9hG4bK52C66871D7B732FB7C2970EF64A1CD77-0;ms-received-port=20323;ms-received-cid=25100", 0},
	}
}
