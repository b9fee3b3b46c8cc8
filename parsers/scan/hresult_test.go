package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHRESULTs(t *testing.T) {
	tests := []struct {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, HRESULTs(tt.in))
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
