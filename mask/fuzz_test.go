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
