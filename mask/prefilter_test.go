package mask

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refSecrets is Secrets without the keyword search: the scanner steps over
// every byte, as it did before nextKeyword. Secrets must give the same
// result on every text.
func refSecrets(s string) string {
	sc := scanner{s: s}
	for i := 0; i < len(s); {
		i = sc.step(i, nil)
	}
	return sc.String()
}

// FuzzSecretsSameAsRef: Secrets with the keyword search masks every text
// as the byte-by-byte scan does.
func FuzzSecretsSameAsRef(f *testing.F) {
	for _, s := range []string{
		register,
		cleanLog[:2000],
		`<wsse:Password>p</wsse:Password> <a.b:BinarySecret>x</a.b:BinarySecret>`,
		`<Data Name="ClientSecret">s</Data><EventData><Data Name='x'>1</Data>`,
		"x-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\nAB",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ. EYJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.",
		`pwd=x PWD: y "cwt":"z" cwt =w pwd is q xpwd="v" ?code=1&Token=2#ticket=3`,
		"Retrying with Bearer abcdefghijklmnopqrstuvwxyz0123456789== NTLM TlRMTVNTUAACAAAA",
		"Proxy-Authorization: Negotiate YIIG==\r\nSet-Cookie: a=b\r\nX-MS-WebTicket: t",
		"auth:: code:: <sip:bob@contoso.com>;tag=x;epid=y, password  is  open",
		// The shapes of the red team's findings (leaks_test.go).
		"OAuth token from cache: " + aadJWT + ") x%3D" + shortJWT + " \\u0022" + shortJWT,
		"via http://bob:Spr1ng@proxy:8080 sip:bob:pw@contoso.com;transport=tls sip:10.0.4.15:55861 sips:a:b@c",
		"- RefreshToken: RT0 Request header: X-MS-Password: Spr1ng pass: x the password for bob is y",
		`{\"refresh_token\":\"RT0\\\"x\"} {'refresh_token': 'RT0'} &lt;wsse:Password&gt;x&lt;/wsse:Password&gt;`,
		"<AccessToken>x</AccessToken><wsse:UsernameToken><pwd>y</pwd></wsse:UsernameToken>",
		"code=x&grant_type=y ?a=1&amp;code=z access_token%3Dx%26y %26code%3Dq",
		`{"k":"\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"}`,
		"@{Authorization=Basic dXNlcjpwYXNz; A=b} Authorization: Basic bob:pw\nCookie: Spr1ng",
		"password：x パスワード：y パスワード: z Password=Spring Winter;",
		"Kerberos KRB_AP_ERR_BAD_INTEGRITY Password: 0x80048821 Password : False",
		"userPassword:: U3By\n ZGlm\nCPassword::Verify",
		// Notes and pasted commands (notes_test.go).
		"Tried password 'Spr1ng!' and password \"a\\\"b\" pwd `c` password was X passphrase: p my passcode=1 api_key=k {\"apiKey\":\"k\"} X-Api-Key: k Ocp-Apim-Subscription-Key: k PIN: 1 <NewPin>2</NewPin> spin: 3 user=bob pass=x pass=3 credential: c",
		"Set-CsClientPin -Pin 383042 -NewPassword \"x\" --password y -Credential $cred $p = ConvertTo-SecureString 'x' -AsPlainText -Force (ConvertTo-SecureString -AsPlainText -String \"y\") ConvertTo-SecureString -",
		"<AccessToken user=\"bob\" password=\"x\"/><Token type='t' secret='s'>abc</Token><credential a:password=\"p\" b=c x='>",
		// Keys, signatures and sign-in cookies (leaks_test.go).
		"AccountKey=q1==;SharedAccessKey=a= ?sv=1&sig=Zx%3D&X-Amz-Signature=f sig%3Dx MSISAuth=A; ESTSAUTH=b .ASPXAUTH=c signature=ok",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Secrets(s), refSecrets(s); got != want {
			t.Fatalf("Secrets(%q)\n got: %q\nwant: %q", s, got, want)
		}
	})
}

// TestSecretsSameAsRefOnSamples compares Secrets with the byte-by-byte scan
// on every sample client log and on each of them cut at every keyword.
func TestSecretsSameAsRefOnSamples(t *testing.T) {
	logs := sampleLogs(t)
	require.NotEmpty(t, logs)
	for name, s := range logs {
		assert.Equal(t, refSecrets(s), Secrets(s), name)
		for i := 0; i < len(s); {
			k := nextKeyword(s, i)
			if k < 0 {
				break
			}
			for _, part := range []string{s[k:min(len(s), k+300)], s[max(0, k-5):min(len(s), k+40)]} {
				if got, want := Secrets(part), refSecrets(part); got != want {
					t.Fatalf("%s at %d: Secrets(%q)\n got: %q\nwant: %q", name, k, part, got, want)
				}
			}
			i = k + 1
		}
	}
}

// TestNextKeywordFindsEveryKeyword: every keyword, in any letter case and
// at any offset, is found where it starts.
func TestNextKeywordFindsEveryKeyword(t *testing.T) {
	var words []string
	for _, w := range keywords {
		words = append(words, w)
	}
	for _, k := range keywords3 {
		for i := 0; i < len(k.next); i++ {
			words = append(words, k.word+k.next[i:i+1])
		}
	}
	words = append(words, "-----BEGIN ", "eyJ_", "PWD\t", "Cwt=")
	for _, w := range words {
		for _, v := range []string{w, asciiCase(w, 'a', 'z', 'A'-'a'), asciiCase(w, 'A', 'Z', 'a'-'A')} {
			for pad := 0; pad < 12; pad++ {
				s := strings.Repeat(" ", pad) + v + " "
				assert.Equal(t, pad, nextKeyword(s, 0), "%q", s)
			}
		}
	}
	assert.Equal(t, -1, nextKeyword(strings.Repeat("10/09/2017|14:14:27.866 INFO  :: ", 4), 0))
	assert.Equal(t, -1, nextKeyword("pwd", 0), "too short to act")
}

// sampleLogs returns the text of every file of the sample bundles, by
// path.
func sampleLogs(t *testing.T) map[string]string {
	t.Helper()
	logs := map[string]string{}
	err := filepath.WalkDir(casesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(filepath.ToSlash(p), "/bundle/") {
			logs[p] = readText(t, p)
		}
		return nil
	})
	require.NoError(t, err)
	return logs
}

// asciiCase adds d to every byte of s from lo to hi: it changes the case
// of ASCII letters only, where strings.ToUpper would replace the bytes of
// a keyword that is part of a UTF-8 character (パスワード).
func asciiCase(s string, lo, hi byte, d int) string {
	b := []byte(s)
	for i, c := range b {
		if c >= lo && c <= hi {
			b[i] = byte(int(c) + d)
		}
	}
	return string(b)
}
