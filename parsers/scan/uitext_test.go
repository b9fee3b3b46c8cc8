package scan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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
		{"Japanese Communicator 2007 R2 credentials-or-version text",
			"「入力したサインイン アドレス、ユーザー名、またはパスワードが正しくないか、認証サービスがこのバージョンのプログラムと互換性がないため、Communicator にサインインできません。」と表示されます。",
			[]UIText{{UIKeyCredentialsVersion, "入力したサインイン アドレス、ユーザー名、またはパスワードが正しくないか、認証サービスがこのバージョンのプログラムと互換性がないため、Communicator にサインインできません。"}}},
		{"its clause alone, retyped without spaces",
			"認証サービスがこのバージョンのプログラムと互換性がないため、サインインできないようです",
			[]UIText{{UIKeyCredentialsVersion, "認証サービスがこのバージョンのプログラムと互換性がないため"}}},
		{"Japanese text without the error", "サーバーからの証明書を確認しました。問題はありません。", nil},
		{"compatibility said of another program", "このバージョンのプログラムと互換性がないアドインです。", nil},
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

// withoutWords returns a copy of t that runs every candidate's expression,
// as UITexts did before the required words: the reference of
// FuzzUITextsSameAsRef for lines the anchors decide.
func withoutWords(t *table) *table {
	u := *t
	u.pats = slices.Clone(t.pats)
	for i := range u.pats {
		u.pats[i].words = func() []string { return nil }
		u.pats[i].branches = func() [][]string { return nil }
	}
	return &u
}

// refFind is UITexts without any prefilter: every en expression runs on s
// and every ja expression on s width-folded; per key the first match is
// kept (the longer of two at one place), and the texts are ordered by
// where they start, ties in the order of the keys' first matches.
func refFind(t *table, s string) []UIText {
	type hit struct{ at, end, first int }
	hits := map[string]*hit{}
	var keys []string
	add := func(key string, at, end int) {
		h, ok := hits[key]
		if !ok {
			hits[key] = &hit{at, end, len(keys)}
			keys = append(keys, key)
			return
		}
		if at < h.at || at == h.at && end > h.end {
			h.at, h.end = at, end
		}
	}
	norm, at := foldWidth(s)
	for _, ja := range []bool{false, true} {
		for _, p := range t.pats {
			if p.ja != ja {
				continue
			}
			if !ja {
				if m := p.re().FindStringIndex(s); m != nil {
					add(p.key, m[0], m[1])
				}
			} else if m := p.re().FindStringIndex(norm); m != nil {
				add(p.key, at(m[0]), at(m[1]))
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := hits[a].at - hits[b].at; c != 0 {
			return c
		}
		return hits[a].first - hits[b].first
	})
	out := make([]UIText, len(keys))
	for i, k := range keys {
		out[i] = UIText{Key: k, Text: s[hits[k].at:hits[k].end]}
	}
	return out
}

// foldsToASCII returns the non-ASCII runes that Unicode simple folding
// makes equal to an ASCII letter, as (?i) does: the Kelvin sign and the
// long s.
func foldsToASCII() string {
	var b strings.Builder
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				b.WriteRune(r)
				break
			}
		}
	}
	return b.String()
}

func TestFoldsToASCII(t *testing.T) {
	assert.Equal(t, "\u017F\u212A", foldsToASCII())
}

// FuzzUITextsSameAsRef checks that the required words change nothing:
// UITexts equals UITexts without them on every line, and equals running
// every expression on every line (refFind) unless the line holds a Kelvin
// sign or long s, which the ASCII anchors of the prefilter do not see (a
// limit older than the required words). Every expression that matches an
// ASCII line must find all its required words in it, and containsFold
// must agree with a plain search.
func FuzzUITextsSameAsRef(f *testing.F) {
	tb := theTable()
	for i, k := range tb.known {
		text := k.Text
		f.Add(text)
		f.Add(strings.ToUpper(text))
		f.Add(strings.ReplaceAll(text, " ", "  \t"))
		f.Add(strings.ReplaceAll(text, " ", "\u00a0"))
		f.Add(strings.ReplaceAll(text, " ", "\r\n"))
		f.Add(strings.NewReplacer("'", "’", "’", "'").Replace(text))
		f.Add(strings.ReplaceAll(text, "'", "`"))
		f.Add("x " + text + " " + text)
		f.Add(toHalfWidth(text))
		for _, w := range tb.pats[i].words() {
			if j := indexFold(text, w); j >= 0 {
				f.Add(text[:j] + text[j+len(w):])
				f.Add(strings.ToUpper(text[:j] + "X" + text[j+1:]))
			}
		}
		for _, r := range []struct{ ascii, wide string }{{"k", "\u212A"}, {"K", "\u212A"}, {"s", "\u017F"}, {"S", "\u017F"}} {
			if strings.Contains(text, r.ascii) {
				f.Add(strings.Replace(text, r.ascii, r.wide, 1))
				f.Add(strings.ReplaceAll(text, r.ascii, r.wide))
			}
		}
	}
	for _, s := range []string{"", "version", "sign-in", "Sign-in address bob@contoso.com, server discovery automatic", "cloc\u212A", "You didn't get \u017Figned in"} {
		f.Add(s)
	}
	unchecked := withoutWords(tb)
	special := foldsToASCII()
	f.Fuzz(func(t *testing.T, s string) {
		got := UITexts(s)
		if want := unchecked.find(s); !slices.Equal(got, want) {
			t.Fatalf("UITexts(%q) = %q, without the required words %q", s, got, want)
		}
		if !strings.ContainsAny(s, special) {
			if want := refFind(tb, s); !slices.Equal(got, want) {
				t.Fatalf("UITexts(%q) = %q, every expression finds %q", s, got, want)
			}
		}
		for i, p := range tb.pats {
			for _, w := range p.words() {
				if containsFold(s, w) != (indexFold(s, w) >= 0) {
					t.Fatalf("containsFold(%q, %q) = %v", s, w, containsFold(s, w))
				}
			}
			if isASCII(s) && !p.ja && p.re().MatchString(s) && !hasAll(s, p.words()) {
				t.Fatalf("text %d (%s) matches %q, which lacks one of its words %q", i, p.key, s, p.words())
			}
			if isASCII(s) && !p.ja && p.re().MatchString(s) && !hasBranch(s, p.branches()) {
				t.Fatalf("text %d (%s) matches %q, which lacks a word of each branch %q", i, p.key, s, p.branches())
			}
		}
	})
}

// indexFold returns the index of the first w in s, ignoring ASCII case,
// or -1: the plain loop that containsFold is checked against.
func indexFold(s, w string) int {
	for i := 0; i+len(w) <= len(s); i++ {
		if hasPrefixFold(s[i:], w) {
			return i
		}
	}
	return -1
}

func TestRequiredWords(t *testing.T) {
	tests := []struct {
		name    string
		pattern string // phrase notation
		anchors []string
		want    []string
	}{
		{"phrase words, the short ones left out", "you can't sign in with this version of {P}\\.?", []string{"version"},
			[]string{"sign", "this", "with", "can", "you", "version"}},
		{"optional parts and the product left out", "{P} could(?:n't| not) find an? {P} server for {D}(?:\\.? there might be)?\\.?", []string{"could"},
			[]string{"server", "find", "for", "could"}},
		{"the common prefix of an alternation is required", "(?:cannot|can't|can not) sign in", nil,
			[]string{"sign", "can"}},
		{"nothing under a top-level alternation", "server is temporarily unavailable|we(?:'re| are) having trouble", []string{"unavailable", "trouble"},
			nil},
		{"repetitions", "(?:abc)+ (?:def){2,} (?:ghi){0,3} (?:jkl)* (mno) (?:pqr)?", nil,
			[]string{"abc", "def", "mno"}},
		{"duplicates once", "the cat saw the dog", nil,
			[]string{"cat", "dog", "saw", "the"}},
		{"case-sensitive part lower-cased", "(?-i:Sign) OUT", nil,
			[]string{"sign", "out"}},
		{"non-ASCII words left out", "café crème brûlée today", nil,
			[]string{"today"}},
		{"the Kelvin sign folds to K", "\u212Aelvin", nil,
			[]string{"kelvin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := requiredWords(expandPhrase(tt.pattern, false), tt.anchors)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := requiredWords("(?i)a(b", nil)
	assert.Error(t, err)

	// The shipped patterns.
	tb := theTable()
	words := func(key, sub string) []string {
		for i, k := range tb.known {
			if k.Key == key && strings.Contains(k.Pattern, sub) {
				return tb.pats[i].words()
			}
		}
		t.Fatalf("no pattern of %s holds %q", key, sub)
		return nil
	}
	assert.Equal(t, []string{"sign", "this", "with", "can", "you", "version"}, words(UIKeyVersionNotSupported, "version"))
	assert.Equal(t, []string{"server", "find", "for", "could"}, words(UIKeyServerNotFound, "could"))
	assert.Equal(t, []string{"address", "because", "found", "sign", "this", "can", "not", "was", "sign-in"}, words(UIKeyAddressNotFound, "because"))
	assert.Equal(t, []string{"address", "found", "not", "sign-in"}, words(UIKeyAddressNotFound, "sign-in address (?:was )?"))
	assert.Empty(t, words(UIKeyServerUnavailable, "unavailable"))
	assert.Empty(t, words(UIKeyAddressOrCredentials, "didn"))
	for i, k := range tb.known {
		if k.Lang == "ja" {
			assert.Empty(t, tb.pats[i].words(), k.Text)
		} else {
			assert.True(t, hasAll(k.Text, tb.pats[i].words()), "%q lacks a word of %q", k.Text, tb.pats[i].words())
			assert.True(t, hasBranch(k.Text, tb.pats[i].branches()), "%q lacks a word of each branch %q", k.Text, tb.pats[i].branches())
		}
	}
}

// An expression that is an alternation requires, branch by branch, the
// words of that branch; a branch without any makes the whole nil. Near
// misses: a line with the anchor and all but one word of each branch.
func TestBranchWords(t *testing.T) {
	tests := []struct {
		name, src string
		want      [][]string
	}{
		{"two branches", "you didn't get signed in|it might be your sign-in address",
			[][]string{{"didn", "get", "you", "signed"}, {"address", "sign-in", "might", "your"}}},
		{"in a group", "(foo bar|baz qux)", [][]string{{"bar", "foo"}, {"baz", "qux"}}},
		{"a branch without words", "you didn't get signed in|it", nil},
		{"not an alternation", "please verify your logon credentials", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, branchWords(expandPhrase(tt.src, false), []string{"signed"}))
		})
	}
	for _, line := range []string{
		"it might be your address or logon credentials", // branch 2 without sign-in; no "didn"
		"you did not get signed in, credentials",        // branch 1 without "didn"
		"<wsse:Security><Credentials>signed</Credentials></wsse:Security>",
	} {
		assert.Empty(t, UITexts(line), line)
	}
	assert.NotEmpty(t, UITexts("It might be your sign-in address or logon credentials."))
}

// A line with the anchor and all but one required word of a pattern gives
// nothing, and the expression is not run on it.
func TestUITextsNearMisses(t *testing.T) {
	tests := []struct {
		key, sub string // the pattern: its key and a part of it
		line     string
		missing  string
	}{
		{UIKeyVersionNotSupported, "version", "You can't sign in with that version of Lync.", "this"},
		{UIKeyServerNotFound, "could", "Lync couldn't locate a Lync Server for contoso.com.", "find"},
		{UIKeyAddressNotFound, "sign-in address (?:was )?", "CUccEndpointConfiguration::Load - Sign-in address bob@contoso.com was not set", "found"},
		{UIKeyAddressNotFound, "because", "Cannot sign in to Lync because this sign-in address was not known.", "found"},
		{UIKeyCredentialsWrong, "appears", "The user name, password, or domain appears to be wrong.", "incorrect"},
		{UIKeyTrustPrompt, "we can", "We can't verify if the server could be trusted.", "should"},
		{UIKeyServerCertVerify, "can't verify the certificate", "Can't verify the certificate of the server.", "from"},
		{UIKeyClock, "digital", "Either date and time settings are incorrect, or the digital certificate file is not valid or installed on this computer.", "your"},
	}
	tb := theTable()
	for _, tt := range tests {
		t.Run(tt.key+"/"+tt.missing, func(t *testing.T) {
			i := slices.IndexFunc(tb.known, func(k KnownText) bool {
				return k.Key == tt.key && strings.Contains(k.Pattern, tt.sub)
			})
			require.GreaterOrEqual(t, i, 0)
			p := tb.pats[i]
			set, wide := tb.candidates(tt.line)
			assert.False(t, wide)
			assert.NotZero(t, set&(1<<i), "not a candidate")
			var missing []string
			for _, w := range p.words() {
				if !containsFold(tt.line, w) {
					missing = append(missing, w)
				}
			}
			assert.Equal(t, []string{tt.missing}, missing)
			assert.False(t, p.re().MatchString(tt.line))
			assert.Empty(t, UITexts(tt.line))
		})
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		s, w string
		want bool
	}{
		{"", "abc", false},
		{"abc", "abc", true},
		{"xABC", "abc", true},
		{"ab", "abc", false},
		{"aBaBaBc", "abc", true},
		{"AAAAAAAAab", "abc", false},
		{"aaaaaaaAAAAAAAAAAbc", "abc", true},
		{"ABABABABABAb", "abc", false},
		{"sign_in SIGN-IN", "sign-in", true},
		{"-in -IN", "-in", true},
		{"version\u212A", "versionk", false},
		{"\u017Fign", "sign", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, containsFold(tt.s, tt.w), "%q in %q", tt.w, tt.s)
		assert.Equal(t, tt.want, indexFold(tt.s, tt.w) >= 0, "%q in %q", tt.w, tt.s)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { containsFold("CUccEndpointConfiguration::Load - Sign-in address", "found") }))
}

// BenchmarkUITexts runs UITexts on lines that hold an anchor (so that the
// prefilter lets them through) but no text, and on one that holds a text.
func BenchmarkUITexts(b *testing.B) {
	for _, bb := range []struct {
		name, line string
		match      bool
	}{
		{"signin-address", "05/20/2014|08:26:33.510 1488:15D0 INFO  :: CUccEndpointConfiguration::Load - Sign-in address bob@contoso.com, server discovery automatic", false},
		{"starting-signin", "05/20/2014|08:26:33.543 1488:15D0 INFO  :: CUccServerEndpoint::Enable - Starting sign-in for sip:bob@contoso.com", false},
		{"autodiscover-xml", `06/19/2018|08:55:30.389 1D74:1DE0 TRACE :: CAutoDiscovery::SendRequest - Response body: <?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Root><Link token="Domain" href="https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com" /><Link token="User" href="https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=contoso.com" /><Link token="Self" href="https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root?originalDomain=contoso.com" /></Root></AutodiscoverResponse>`, false},
		{"could-not-resolve", "12/03/2018|09:12:00.818 1308:13A4 ERROR :: CAutoDiscovery::OnComplete - GET https://lyncdiscoverinternal.contoso.com/?sipuri=bob@contoso.com failed: lyncdiscoverinternal.contoso.com could not be resolved, hr=0x80072ee7 (ERROR_INTERNET_NAME_NOT_RESOLVED)", false},
		{"match", "06/03/2014|09:44:50.102 1B58:1C24 ERROR :: CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: Sign-in address was not found.", true},
	} {
		b.Run(bb.name, func(b *testing.B) {
			if set, _ := theTable().candidates(bb.line); set == 0 {
				b.Fatal("the line holds no anchor")
			}
			b.SetBytes(int64(len(bb.line)))
			b.ReportAllocs()
			for b.Loop() {
				if got := UITexts(bb.line); (got != nil) != bb.match {
					b.Fatalf("UITexts = %q", got)
				}
			}
		})
	}
}

// The required words are looked for in any line but one holding the
// Kelvin sign or the long s, which (?i) matches with k and s: non-ASCII
// text elsewhere in a line (a script block, a translated message) does not
// make every candidate expression run, and a folded letter in a required
// word still matches.
func TestUITextsRequiredWordsNonASCII(t *testing.T) {
	const text = "the authentication service may be incompatible with this version of the program."
	tests := []struct {
		name, in string
		want     bool
	}{
		{"ASCII", text, true},
		{"other non-ASCII text", "Café — " + text + " — 日本語", true},
		{"a required word missing, non-ASCII text", "Café: the authentication may be incompatible with this version", false},
		{"long s in a required word", strings.Replace(text, "service", "\u017Fervice", 1), true},
		{"Kelvin sign elsewhere, long s in a required word", "\u212A " + strings.Replace(text, "service", "\u017Fervice", 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := UITexts(tt.in)
			keys := make([]string, 0, len(got))
			for _, u := range got {
				keys = append(keys, u.Key)
			}
			if tt.want {
				assert.Contains(t, keys, "credentials-or-version")
			} else {
				assert.NotContains(t, keys, "credentials-or-version")
			}
			ref := refFind(theTable(), tt.in)
			assert.Equal(t, ref, got, "the same as every expression run")
		})
	}
}
