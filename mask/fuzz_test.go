package mask

import (
	"strings"
	"testing"
)

// FuzzSecrets checks that Secrets never panics, is idempotent, keeps the
// number of line breaks and grows its input by a bounded amount.
func FuzzSecrets(f *testing.F) {
	seeds := []string{
		`Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="4671A717", gssapi-data="FgMB", version=4`,
		`WWW-Authenticate: NTLM TlRMTVNTUAACAAAA==, Kerberos realm="x"`,
		`Authorization: Basic`,
		`Authorization: "unterminated`,
		`Cookie: a=1; b=; c; =d`,
		`Set-Cookie: s=v; Path=/; HttpOnly`,
		`X-MS-WebTicket:`,
		`<wsse:Password>p</wsse:Password><Password>`,
		`<saml:Assertion>a<saml:Assertion>b</saml:Assertion>`,
		`</Password><Password/>`,
		`?password=&token="x&ticket='y`,
		`{"password":"a\"b","token":"`,
		`Bearer abcdefghijklmnopqrstuvwxyz0123456789==`,
		`gssapi-data= rspauth="`,
		"Authorization: NTLM a\r\nCookie: x=y\n<Password>\r\nz</Password>",
		`SIP/2.0 200 OK Authentication-Info: NTLM opaque="1", rspauth="2" Via: x`,
		"Authorization: NTLM qop=\"auth\",\r\n opaque=\"1\",\r\n\tgssapi-data=\"x\"",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ. eyJ.x.y eyJaaaaaaaaaaaaaaaaaa.b.c.d.e",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----",
		"the password is Hunter2. Password: \"a b\" pwd is",
		"#access_token=a&code=b?ticket=c /cwt=d <Data Name=\"Password\">x</Data>",
		"<wst:RequestedSecurityToken>eyJ</wst:RequestedSecurityToken><ps:Cookies/>",
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
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Secrets(s)
		twice := Secrets(once)
		if once != twice {
			t.Fatalf("not idempotent:\n in: %q\n 1st: %q\n 2nd: %q", s, once, twice)
		}
		if strings.Count(once, "\n") != strings.Count(s, "\n") {
			t.Fatalf("line count changed: %q -> %q", s, once)
		}
		// Every masked value grows by at most len(Masked) bytes.
		if len(once) > len(s)*(1+len(Masked))+len(Masked) {
			t.Fatalf("grew too much: %d -> %d bytes", len(s), len(once))
		}
	})
}
