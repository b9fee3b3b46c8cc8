package scan

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		// Later and other clients (texts.yaml).
		{"Skype for Business 2016, You didn't get signed in",
			"Can't sign in to Skype for Business. You didn't get signed in. It might be your sign-in address or logon credentials, so try those again. If that doesn't work, contact your support team.",
			[]UIText{{UIKeyAddressOrCredentials, "You didn't get signed in. It might be your sign-in address or logon credentials, so try those again."}}},
		{"Skype for Business 2016, second sentence alone, smart apostrophe",
			"it might be your sign-in address or logon credentials, so try those again",
			[]UIText{{UIKeyAddressOrCredentials, "it might be your sign-in address or logon credentials, so try those again"}}},
		{"Skype for Business trust dialog, newer wording",
			"Your sign in request is being redirected to the following server: Outlook.de We can’t verify if the server should be trusted. Do you want to continue signing in?",
			[]UIText{{UIKeyTrustPrompt, "We can’t verify if the server should be trusted. Do you want to continue signing in?"}}},
		{"Lync for Mac 2011 clock text",
			"Either date and time settings are incorrect, or the digital certificate file is not valid or installed on your computer.  If date and time are correct, see your network administrator",
			[]UIText{{UIKeyClock, "Either date and time settings are incorrect, or the digital certificate file is not valid or installed on your computer."}}},
		{"Lync for Mac 2011 logon credentials",
			"Lync was unable to sign in. Please verify your logon credentials and try again.",
			[]UIText{{UIKeyAddressOrCredentials, "Lync was unable to sign in. Please verify your logon credentials and try again."}}},
		{"Lync for Mac 2011 service not available",
			"The service might not be available, or you might not be connected to the Internet. Make sure the server is available.",
			[]UIText{{UIKeyServerNotFound, "The service might not be available, or you might not be connected to the Internet."}}},
		{"Lync 2010 mobile",
			"Cannot connect to the server. It might be unavailable. Also please check the network connection, sign-in address and server addresses.",
			[]UIText{{UIKeyServerNotFound, "Cannot connect to the server. It might be unavailable. Also please check the network connection, sign-in address and server addresses."}}},
		{"Lync Mobile 2013 certificate, as its log maps it",
			"INFO UI CMUIUtil.mm/1722:Mapped error message is 'We can't verify the certificate from the server. Please contact your support team.",
			[]UIText{{UIKeyServerCertVerify, "We can't verify the certificate from the server."}}},
		{"Lync Mobile 2013 version",
			"You can't sign in with this version of Lync. Install Lync 2010.",
			[]UIText{{UIKeyVersionNotSupported, "You can't sign in with this version of Lync."}}},
		{"a dialog pasted over two lines",
			"There was a problem verifying the\r\ncertificate from the server.",
			[]UIText{{UIKeyServerCertVerify, "There was a problem verifying the\r\ncertificate from the server."}}},
		{"Japanese personal certificate text in quotes",
			"“サインインに必要な個人証明書を取得するときに問題が発生しました。問題が解決しない場合は、サポート チームに問い合わせてください。\"",
			[]UIText{{UIKeyPersonalCert, "サインインに必要な個人証明書を取得するときに問題が発生しました。"}}},
		{"Japanese certificate verification text, full-width product, ideographic space",
			"Ｌｙｎｃ　にサインインできません。サーバーからの証明書を確認する際、問題が発生しました。",
			[]UIText{{UIKeyServerCertVerify, "サーバーからの証明書を確認する際、問題が発生しました。"}}},
		{"Japanese text in half-width katakana",
			"ｻｰﾊﾞｰからの証明書を確認する際､問題が発生しました｡",
			[]UIText{{UIKeyServerCertVerify, "ｻｰﾊﾞｰからの証明書を確認する際､問題が発生しました｡"}}},
		{"Japanese text wrapped after the comma",
			"サーバーからの証明書を確認する際、\n問題が発生しました。",
			[]UIText{{UIKeyServerCertVerify, "サーバーからの証明書を確認する際、\n問題が発生しました。"}}},
		{"English and Japanese on one line",
			"同じ Lync 2010: Sign-in address was not found. / 個人証明書を取得するときに問題が発生しました",
			[]UIText{{UIKeyAddressNotFound, "Sign-in address was not found."}, {UIKeyPersonalCert, "個人証明書を取得するときに問題が発生しました"}}},
		{"Japanese text without the error", "サーバーからの証明書を確認しました。問題はありません。", nil},
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

// Every documented text must be found under its key, also as users paste
// it: wrapped over lines, with typographic apostrophes, with another
// product name, and Japanese texts in half-width katakana and punctuation.
func TestKnownTextsAreFound(t *testing.T) {
	known := KnownTexts()
	require.NotEmpty(t, known)
	for i, k := range known {
		variants := map[string]string{"verbatim": k.Text}
		if k.Lang == "en" {
			variants["wrapped"] = strings.ReplaceAll(k.Text, ". ", ".\r\n")
			variants["smart quotes"] = strings.NewReplacer("'", "’", "’", "'").Replace(k.Text)
			variants["collapsed spaces"] = strings.ReplaceAll(k.Text, "  ", " ")
			variants["other product"] = strings.ReplaceAll(k.Text, "Lync", "Skype for Business")
			variants["upper case"] = strings.ToUpper(k.Text)
		} else {
			variants["half-width"] = toHalfWidth(k.Text)
			variants["wrapped"] = strings.ReplaceAll(k.Text, "。", "。\r\n")
		}
		for name, text := range variants {
			t.Run(fmt.Sprintf("%02d-%s-%s/%s", i, k.Key, k.Lang, name), func(t *testing.T) {
				keys := []string{}
				for _, u := range UITexts(text) {
					keys = append(keys, u.Key)
				}
				assert.Contains(t, keys, k.Key, "%q", text)
			})
		}
	}
}

var sourcePattern = regexp.MustCompile(`^(https?://\S+|[A-Za-z0-9-]+/[A-Za-z0-9._-]+@[0-9a-f]{40}:\S+\.md)( \(.+\))?$`)

// Every text names where Microsoft prints it, and every key is one of the
// exported constants.
func TestKnownTextsHaveSourcesAndKeys(t *testing.T) {
	consts := []string{UIKeyServerUnavailable, UIKeyServerNotFound, UIKeyCredentialsVersion, UIKeyClock,
		UIKeyPersonalCert, UIKeyAddressNotFound, UIKeyCredentialsWrong, UIKeyServerCertVerify, UIKeyTrustPrompt,
		UIKeyAdditionalSoftware, UIKeyServerNotResponding, UIKeyAddressOrCredentials, UIKeyVersionNotSupported}
	assert.ElementsMatch(t, consts, UIKeys())
	langs := map[string]int{}
	for _, k := range KnownTexts() {
		langs[k.Lang]++
		assert.Regexp(t, sourcePattern, k.Source, k.Text)
		assert.NotEmpty(t, k.Clients, k.Text)
		for _, a := range k.Anchors {
			assert.Contains(t, strings.ToLower(foldString(k.Text)), a, "anchor of %q", k.Text)
		}
	}
	assert.Positive(t, langs["ja"])
}

func TestCompileTextsRejects(t *testing.T) {
	ok := "texts:\n  - {key: clock, lang: en, clients: [Lync], text: clock wrong, pattern: clock wrong, anchors: [clock], source: 'https://example.com/kb'}\n"
	_, err := compileTexts([]byte(ok), true)
	require.NoError(t, err)
	for name, doc := range map[string]string{
		"no source":         strings.Replace(ok, ", source: 'https://example.com/kb'", "", 1),
		"unknown field":     strings.Replace(ok, "key: clock", "key: clock, weight: 2", 1),
		"anchor with space": strings.Replace(ok, "anchors: [clock]", "anchors: [clock wrong]", 1),
		"bad language":      strings.Replace(ok, "lang: en", "lang: de", 1),
		"bad pattern":       strings.Replace(ok, "pattern: clock wrong", "pattern: 'clock (wrong'", 1),
		"not yaml":          "texts: [",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := compileTexts([]byte(doc), true)
			assert.Error(t, err)
		})
	}
	var many strings.Builder
	many.WriteString("texts:\n")
	for range maxPatterns + 1 {
		many.WriteString(ok[len("texts:\n"):])
	}
	_, err = compileTexts([]byte(many.String()), true)
	assert.ErrorContains(t, err, "at most")
}

func TestFoldWidth(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ASCII", "plain ASCII"},
		{"Ｌｙｎｃ　にサインイン", "Lync にサインイン"},
		{"ｻｰﾊﾞｰ ﾊﾟｽﾜｰﾄﾞ ｳﾞ ﾞ", "サーバー パスワード ヴ ゛"},
		{"｢ｻｲﾝｲﾝ｣､｡", "「サインイン」、。"},
	}
	for _, tt := range tests {
		got, at := foldWidth(tt.in)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, len(tt.in), at(len(got)), tt.in)
		assert.Equal(t, 0, at(0))
	}
	// Offsets map back to rune starts of the input.
	in := "xｻｰﾊﾞｰy"
	got, at := foldWidth(in)
	i := strings.Index(got, "y")
	assert.Equal(t, "y", in[at(i):])
}

// toHalfWidth writes Japanese text the way some pastes do: half-width
// katakana with separate sound marks, half-width punctuation.
func toHalfWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		done := false
		for i, f := range fullKana {
			if f == r {
				b.WriteRune(halfKana[i])
				done = true
				break
			}
			if f+1 == r || f+2 == r {
				if c, ok := compose(f, halfVoiced); ok && c == r {
					b.WriteRune(halfKana[i])
					b.WriteRune(halfVoiced)
					done = true
					break
				}
				if c, ok := compose(f, halfSemiVoiced); ok && c == r {
					b.WriteRune(halfKana[i])
					b.WriteRune(halfSemiVoiced)
					done = true
					break
				}
			}
		}
		if !done {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func BenchmarkUITextsJapaneseNoMatch(b *testing.B) {
	line := "06/15/2017|09:02:11.482 1F68:C14 INFO  :: 連絡先リストを更新しました (contacts=42, グループ=5) Via: SIP/2.0/TLS 192.168.103.35:20323"
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if UITexts(line) != nil {
			b.Fatal("unexpected match")
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

// The shipped table compiles its expressions on first use: each of them
// must compile, and the lazy table must find what the eager one finds.
func TestShippedTextsCompile(t *testing.T) {
	eager, err := compileTexts(textsYAML, true)
	require.NoError(t, err)
	lazy, err := compileTexts(textsYAML, false)
	require.NoError(t, err)
	require.Len(t, lazy.pats, len(eager.pats))
	for i, k := range eager.known {
		assert.Equal(t, eager.pats[i].re().String(), lazy.pats[i].re().String(), k.Key)
		assert.True(t, lazy.pats[i].re().MatchString(k.Text), k.Key)
	}
}

// texts_gen.go is texts.yaml as Go values: after editing texts.yaml, run
// go generate in parsers/scan.
func TestGeneratedTexts(t *testing.T) {
	texts, err := DecodeTexts(textsYAML)
	require.NoError(t, err)
	assert.Equal(t, texts, shippedTexts, "texts_gen.go is out of date: run go generate ./parsers/scan")
}
