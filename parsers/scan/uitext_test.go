package scan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUITexts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []UIText
	}{
		// KB 2541980 table (log-facts §1.2), verbatim.
		{"server unavailable, KB 2541980",
			"The server is temporarily unavailable. Or we're having trouble connecting to the server. If this continues, please contact your support team.",
			[]UIText{{UIKeyServerUnavailable, "The server is temporarily unavailable."}}},
		{"server unavailable, article table",
			"Server is temporarily unavailable",
			[]UIText{{UIKeyServerUnavailable, "Server is temporarily unavailable"}}},
		{"trouble connecting, smart apostrophe",
			"We’re having trouble connecting to the server",
			[]UIText{{UIKeyServerUnavailable, "We’re having trouble connecting to the server"}}},
		{"server not found, smart apostrophe, full text",
			"Lync couldn’t find a Lync Server for contoso.com. There might be an issue with the Domain Name System (DNS) configuration for your domain.",
			[]UIText{{UIKeyServerNotFound, "Lync couldn’t find a Lync Server for contoso.com. There might be an issue with the Domain Name System (DNS) configuration for your domain."}}},
		{"server not found, other product, first sentence only",
			"Skype for Business couldn't find a Skype for Business Server for fabrikam.co.uk.",
			[]UIText{{UIKeyServerNotFound, "Skype for Business couldn't find a Skype for Business Server for fabrikam.co.uk."}}},
		{"credentials or version, KB text",
			"You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program.",
			[]UIText{{UIKeyCredentialsVersion, "You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program."}}},
		{"credentials or version, OCS 2007 R2 wording after a prefix",
			"Cannot sign in to Communicator. You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with the version of the program",
			[]UIText{{UIKeyCredentialsVersion, "You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with the version of the program"}}},
		{"credentials or version, article fragment",
			"the error contains the authentication service may be incompatible with this version of the program",
			[]UIText{{UIKeyCredentialsVersion, "the authentication service may be incompatible with this version of the program"}}},
		{"clock, Lync 2013 with double spaces",
			"Cannot sign in to Lync because your computer clock is not set correctly.  To check your computer clock settings, open Date and Time in the Control Panel.",
			[]UIText{{UIKeyClock, "Cannot sign in to Lync because your computer clock is not set correctly."}}},
		{"clock, Microsoft Lync, into",
			"cannot sign into Microsoft Lync because your computer clock is not set correctly",
			[]UIText{{UIKeyClock, "cannot sign into Microsoft Lync because your computer clock is not set correctly"}}},
		{"personal certificate, KB text",
			"There was a problem acquiring a personal certificate required to sign in. If the problem continues, please contact your support team.",
			[]UIText{{UIKeyPersonalCert, "There was a problem acquiring a personal certificate required to sign in."}}},
		{"personal certificate, article wording",
			"Problem acquiring a personal certificate that is required to sign in",
			[]UIText{{UIKeyPersonalCert, "Problem acquiring a personal certificate that is required to sign in"}}},
		{"address not found, KB 2541980",
			"Sign-in address was not found.",
			[]UIText{{UIKeyAddressNotFound, "Sign-in address was not found."}}},
		{"address not found, title case",
			"Sign-In Address Not Found",
			[]UIText{{UIKeyAddressNotFound, "Sign-In Address Not Found"}}},
		{"address not found, KB 2705378",
			"Cannot sign in to Lync because this sign-in address was not found. Verify the sign-in address and try again.",
			[]UIText{{UIKeyAddressNotFound, "Cannot sign in to Lync because this sign-in address was not found."}}},
		{"credentials incorrect, Lync 2010",
			"The user name, password, or domain appears to be incorrect.  Ensure that you entered them correctly.",
			[]UIText{{UIKeyCredentialsWrong, "The user name, password, or domain appears to be incorrect."}}},
		{"credentials incorrect, KB 2541980",
			"The username, password or domain appears to be incorrect",
			[]UIText{{UIKeyCredentialsWrong, "The username, password or domain appears to be incorrect"}}},
		{"server certificate",
			"Cannot sign into Lync. There was a problem verifying the certificate from the server.",
			[]UIText{{UIKeyServerCertVerify, "There was a problem verifying the certificate from the server."}}},
		{"trust prompt with product",
			"Lync cannot verify that the server is trusted for your sign-in address. Connect anyway?",
			[]UIText{{UIKeyTrustPrompt, "Lync cannot verify that the server is trusted for your sign-in address. Connect anyway?"}}},
		{"trust prompt lower case, no question",
			"cannot verify that the server is trusted for your sign-in address",
			[]UIText{{UIKeyTrustPrompt, "cannot verify that the server is trusted for your sign-in address"}}},
		{"additional software",
			"To sign in, additional software is required. Download and install now?",
			[]UIText{{UIKeyAdditionalSoftware, "To sign in, additional software is required. Download and install now?"}}},
		{"server not responding, NBSP and line of a note",
			"user saw: The server is not responding or cannot\u00a0be reached. Sign-in may be delayed while we retry the connection.",
			[]UIText{{UIKeyServerNotResponding, "The server is not responding or cannot\u00a0be reached."}}},
		{"two texts on one line, in order of appearance",
			"Sign-in address not found; earlier: There was a problem verifying the certificate from the server",
			[]UIText{{UIKeyAddressNotFound, "Sign-in address not found"}, {UIKeyServerCertVerify, "There was a problem verifying the certificate from the server"}}},
		{"a SIP 404 is no UI text", "SIP/2.0 404 Not Found", nil},
		{"keyword without the text", "Sign-in address: bob@contoso.com; clock source NTP; could not resolve", nil},
		{"unknown product word", "Teams couldn't find a Teams Server for contoso.com", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, UITexts(tt.in))
		})
	}
}

// Every pattern must be reachable through its keywords: the prefilter may
// never hide a text the pattern would match.
func TestUIPatternKeywordsAreInPatterns(t *testing.T) {
	samples := map[string]string{
		UIKeyServerUnavailable:   "we are having TROUBLE connecting to the server",
		UIKeyServerNotFound:      "Communicator could not find a Communicator Server for contoso.com",
		UIKeyCredentialsVersion:  "THE AUTHENTICATION SERVICE MAY BE INCOMPATIBLE WITH THIS VERSION OF THE PROGRAM",
		UIKeyClock:               "Your Computer Clock Is Not Set Correctly",
		UIKeyPersonalCert:        "problem acquiring a personal certificate required to sign in",
		UIKeyAddressNotFound:     "sign-in address not found",
		UIKeyCredentialsWrong:    "the user name, password, or domain appears to be incorrect",
		UIKeyServerCertVerify:    "problem verifying the certificate from the server",
		UIKeyTrustPrompt:         "Skype for Business cannot verify that the server is trusted for your sign-in address.",
		UIKeyAdditionalSoftware:  "to sign in additional software is required",
		UIKeyServerNotResponding: "server is not responding or cannot be reached",
	}
	assert.Len(t, samples, len(uiPatterns))
	for _, p := range uiPatterns {
		s, ok := samples[p.key]
		if !assert.True(t, ok, p.key) {
			continue
		}
		got := UITexts(s)
		if assert.Len(t, got, 1, p.key) {
			assert.Equal(t, p.key, got[0].Key)
		}
		for _, kw := range p.keywords {
			assert.Equal(t, strings.ToLower(kw), kw, "keywords must be lower case")
		}
	}
}

func BenchmarkUITextsNoMatch(b *testing.B) {
	line := "04/16/2013|03:17:30.168 1F68:C14 INFO  :: Via: SIP/2.0/TLS 192.168.103.35:20323;branch=z9hG4bK52C66871D7B732FB7C2970EF64A1CD77-0;ms-received-port=20323;ms-received-cid=25100"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if UITexts(line) != nil {
			b.Fatal("unexpected match")
		}
	}
}

func BenchmarkHRESULTsNoMatch(b *testing.B) {
	line := "04/16/2013|03:17:30.168 1F68:C14 INFO  :: Via: SIP/2.0/TLS 192.168.103.35:20323;branch=z9hG4bK52C66871D7B732FB7C2970EF64A1CD77-0;ms-received-port=20323;ms-received-cid=25100"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if HRESULTs(line) != nil {
			b.Fatal("unexpected match")
		}
	}
}
