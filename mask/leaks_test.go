package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tokens used by the leak tests. aadJWT has the long header of an Azure
// AD token (typ, alg, x5t, kid: 130 characters); shortJWT a short one.
const (
	aadJWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Im5PbzNaRHJPRFhFSzFqS1doWHNsSFJfS1hFZyIsImtpZCI6Im5PbzNaRHJPRFhFSzFqS1doWHNsSFJfS1hFZyJ9" +
		".eyJhdWQiOiJodHRwczovL3dlYmRpci5vbmxpbmUubHluYy5jb20iLCJ1cG4iOiJib2JAY29udG9zby5jb20ifQ.SIGxQk9CU0lHTkFUVVJFX2J5dGVz"
	shortJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiIwMDAwMDAwNC0ifQ.SIGabc"
)

// TestSecretsLeaks covers the forms the red team found leaking
// (/tmp/rt-secrets/FINDINGS.md, A1 A2 A4 A6 A7 A8) and the evidence it
// found masked (C1 C3): each with the exact masked text, and with near
// misses of the same shape that must stay as they are.
func TestSecretsLeaks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		// A1: a JWT whose header is longer than the names the scanner reads.
		{"A1 AAD token with x5t and kid", "OAuth token from cache: " + aadJWT + ")", "OAuth token from cache: <masked>)"},
		{"A1 AAD token at the start", aadJWT, "<masked>"},
		{"A1 long word with dots stays", "x" + aadJWT[:80] + ".contoso.com", "x" + aadJWT[:80] + ".contoso.com"},

		// A2: a JWT right after an escape or a word byte.
		{"A2 after %3D", "redirect=%2Fcb%3Faccess_token%3D" + shortJWT + "&x=1", "redirect=%2Fcb%3Faccess_token%3D<masked>&x=1"},
		{"A2 after %20", "Authorization%3A%20Bearer%20" + shortJWT, "Authorization%3A%20Bearer%20<masked>"},
		{"A2 after \\u0022", `{"t":"\u0022` + shortJWT + `\u0022"}`, `{"t":"\u0022<masked>\u0022"}`},
		{"A2 after a word byte", "x" + aadJWT, "x<masked>"},
		{"A2 host names holding eyJ stay", "MoneyJarServer.contoso.com.au keyJunk.example.com", "MoneyJarServer.contoso.com.au keyJunk.example.com"},
		{"A2 eyJ inside a word that is not JSON stays", "abceyJzzzzzzzzzzzzzzzzzzzzzzzz.eyJzzzzzzzz.xyz", "abceyJzzzzzzzzzzzzzzzzzzzzzzzz.eyJzzzzzzzz.xyz"},

		// A6: the password of a URL's userinfo.
		{"A6 http proxy", "via proxy http://bob:Spr1ngPr0xy@proxy.contoso.com:8080", "via proxy http://bob:<masked>@proxy.contoso.com:8080"},
		{"A6 netsh", "Proxy Server(s) :  http://bob:Spr1ngProxyPw@proxy.contoso.com:8080", "Proxy Server(s) :  http://bob:<masked>@proxy.contoso.com:8080"},
		{"A6 https upper case", "HTTPS://bob:pw@proxy:443/x", "HTTPS://bob:<masked>@proxy:443/x"},
		{"A6 ftp", "ftp://u:p4ss@ftp.contoso.com/file", "ftp://u:<masked>@ftp.contoso.com/file"},
		{"A6 sip", "for sip:bob:Spr1ngS1p@contoso.com", "for sip:bob:<masked>@contoso.com"},
		{"A6 sips with parameters", "<sips:bob:pw@contoso.com;transport=tls>", "<sips:bob:<masked>@contoso.com;transport=tls>"},
		{"A6 IPv6 host", "http://bob:pw@[2001:db8::1]:443/", "http://bob:<masked>@[2001:db8::1]:443/"},
		{"A6 sip address and port stay", "sip:10.0.4.15:55861;transport=tls", "sip:10.0.4.15:55861;transport=tls"},
		{"A6 sip user stays", "From: <sip:bob@contoso.com>;tag=1 sip:bob@contoso.com:5061", "From: <sip:bob@contoso.com>;tag=1 sip:bob@contoso.com:5061"},
		{"A6 proxy and port stay", "http://proxy:8080 https://proxy.contoso.com:443/x?y=1@z", "http://proxy:8080 https://proxy.contoso.com:443/x?y=1@z"},
		{"A6 user without password stays", "http://bob@proxy:8080 http://bob:@proxy", "http://bob@proxy:8080 http://bob:@proxy"},
		{"A6 no scheme stays", "[2001:db8::1]:443 C:\\path bob@host:5061 12:34:56 mailto:bob:x@y", "[2001:db8::1]:443 C:\\path bob@host:5061 12:34:56 mailto:bob:x@y"},

		// A7: secret names in the shapes the scanner did not know.
		{"A7 RefreshToken label mid-line", "- RefreshToken: RT0secretAAAAAAAA", "- RefreshToken: <masked>"},
		{"A7 Access token label", "- Access token: RT0secretAAAAAAAA", "- Access token: <masked>"},
		{"A7 ClientSecret label", "- ClientSecret: RT0secretAAAAAAAA", "- ClientSecret: <masked>"},
		{"A7 X-Ms-Access-Token after Request header", "Request header: X-Ms-Access-Token: RT0secretAAAAAAAA", "Request header: X-Ms-Access-Token: <masked>"},
		{"A7 X-MS-Password mid-line", "Request header: X-MS-Password: Spr1ngXms", "Request header: X-MS-Password: <masked>"},
		{"A7 label keeps the comma after the value", "got token: Abc123xyz, expires 3599", "got token: <masked>, expires 3599"},
		{"A7 label followed by a scheme", "got access_token: Bearer abc123def", "got access_token: Bearer <masked>"},
		{"A7 snake_case label followed by a scheme", "refresh_token: Bearer abc123def", "refresh_token: Bearer <masked>"},
		{"A7 label with a prose word stays", "the X-Access-Token: header was absent; Access token: none; token: expired", "the X-Access-Token: header was absent; Access token: none; token: expired"},
		{"A7 label of a flag stays", "SavePassword: 1 TicketOptions: 0x40810000 TokenType: Bearer", "SavePassword: 1 TicketOptions: 0x40810000 TokenType: Bearer"},
		{"A7 escaped JSON", `(token cache entry: {\"token_type\":\"Bearer\",\"refresh_token\":\"RT0secretAAAAAAAA\",\"expires_in\":3599})`, `(token cache entry: {\"token_type\":\"Bearer\",\"refresh_token\":\"<masked>\",\"expires_in\":3599})`},
		{"A7 escaped JSON with an escaped quote inside", `{\"password\":\"a\\\"b\",\"x\":1}`, `{\"password\":\"<masked>\",\"x\":1}`},
		{"A7 escaped JSON of another name stays", `{\"token_type\":\"Bearer\"}`, `{\"token_type\":\"Bearer\"}`},
		{"A7 single-quoted JSON", "(cache: {'refresh_token': 'RT0secretAAAAAAAA', 'expires_in': 3599})", "(cache: {'refresh_token': '<masked>', 'expires_in': 3599})"},
		{"A7 single-quoted other name stays", "{'token_type': 'Bearer'}", "{'token_type': 'Bearer'}"},
		{"A7 XML elements named by SecretName", "<AccessToken>Spr1ngXmlAT</AccessToken><RefreshToken>a</RefreshToken><ClientSecret>b</ClientSecret><pwd>c</pwd>", "<AccessToken><masked></AccessToken><RefreshToken><masked></RefreshToken><ClientSecret><masked></ClientSecret><pwd><masked></pwd>"},
		{"A7 EncryptedAssertion", "<saml2:EncryptedAssertion>Spr1ngEA</saml2:EncryptedAssertion>", "<saml2:EncryptedAssertion><masked></saml2:EncryptedAssertion>"},
		{"A7 a container named so keeps its other elements", "<wsse:UsernameToken><wsse:Username>bob</wsse:Username><wsse:Password>x</wsse:Password></wsse:UsernameToken>", "<wsse:UsernameToken><wsse:Username>bob</wsse:Username><wsse:Password><masked></wsse:Password></wsse:UsernameToken>"},
		{"A7 RequestSecurityToken stays a container", "<wst:RequestSecurityToken><wsp:AppliesTo>urn:federation:MicrosoftOnline</wsp:AppliesTo></wst:RequestSecurityToken>", "<wst:RequestSecurityToken><wsp:AppliesTo>urn:federation:MicrosoftOnline</wsp:AppliesTo></wst:RequestSecurityToken>"},
		{"A7 TokenType element stays", "<wst:TokenType>urn:oasis:names:tc:SAML:1.0:assertion</wst:TokenType>", "<wst:TokenType>urn:oasis:names:tc:SAML:1.0:assertion</wst:TokenType>"},
		{"A7 entity-escaped Password", "&lt;wsse:Password&gt;Spr1ngEsc&lt;/wsse:Password&gt;", "&lt;wsse:Password&gt;<masked>&lt;/wsse:Password&gt;"},
		{"A7 entity-escaped AccessToken", "&lt;AccessToken&gt;x&lt;/AccessToken&gt;&lt;a&gt;", "&lt;AccessToken&gt;<masked>&lt;/AccessToken&gt;&lt;a&gt;"},
		{"A7 entity-escaped container and other element stay", "&lt;wsse:UsernameToken&gt;&lt;wsse:Username&gt;bob&lt;/wsse:Username&gt;", "&lt;wsse:UsernameToken&gt;&lt;wsse:Username&gt;bob&lt;/wsse:Username&gt;"},
		{"A7 form body starting with code", "Request body: code=Spr1ngCode&grant_type=authorization_code", "Request body: code=<masked>&grant_type=authorization_code"},
		{"A7 code that is not a form stays", "exit code=3 error code=0x80048821; code=5", "exit code=3 error code=0x80048821; code=5"},
		{"A7 &amp;code", `href="https://login.contoso.com/cb?state=1&amp;code=Spr1ngAmp&amp;session_state=2"`, `href="https://login.contoso.com/cb?state=1&amp;code=<masked>&amp;session_state=2"`},
		{"A7 URL-encoded access_token", "redirect_uri=https%3A%2F%2Flogin.contoso.com%2Fcb%23access_token%3DSpr1ngUrlEnc%26expires_in%3D3599", "redirect_uri=https%3A%2F%2Flogin.contoso.com%2Fcb%23access_token%3D<masked>%26expires_in%3D3599"},
		{"A7 URL-encoded code after %26", "state%3D1%26code%3DSpr1ng%26x%3D1", "state%3D1%26code%3D<masked>%26x%3D1"},
		{"A7 URL-encoded other names stay", "token_type%3DBearer%26expires_in%3D3599 error%3Dcode", "token_type%3DBearer%26expires_in%3D3599 error%3Dcode"},
		{"A7 PEM key after an escaped line break", `{"bundle":"-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqPEMKEY\n-----END PRIVATE KEY-----"}`, `{"bundle":"-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n<masked>\n-----END PRIVATE KEY-----"}`},
		{"A7 PEM key cut inside a JSON string", `{"k":"x\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nPEMKEY","n":1}`, `{"k":"x\n-----BEGIN PRIVATE KEY-----\n<masked>","n":1}`},
		{"A7 PEM certificate after an escape stays", `"\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----"`, `"\n-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----"`},
		{"A7 Authorization=Basic", "@{Authorization=Basic dXNlcjpwYXNz; Accept=*/*}", "@{Authorization=Basic <masked>; Accept=*/*}"},
		{"A7 Authorization= with a realm stays", `WWW-Authenticate=Basic realm="contoso"`, `WWW-Authenticate=Basic realm="contoso"`},
		{"A7 decoded Basic", "Authorization: Basic bob:Spr1ngBasic", "Authorization: Basic bob:<masked>"},
		{"A7 one-line message after Basic token stays readable", "Authorization: Basic dXNlcjpwYXNz Via: SIP/2.0/TLS x", "Authorization: Basic <masked> Via: SIP/2.0/TLS x"},
		{"A7 Cookie without a name", "Cookie: Spr1ngCook", "Cookie: <masked>"},
		{"A7 Set-Cookie attributes stay", "Set-Cookie: Spr1ngCook; HttpOnly; Secure", "Set-Cookie: <masked>; HttpOnly; Secure"},
		{"A7 empty Cookie stays", "Cookie: \nCookie:", "Cookie: \nCookie:"},

		// A8: the phrasings of a password.
		{"A8 password for bob is", "the password for bob is Spr1ngFor", "the password for bob is <masked>"},
		{"A8 password for user bob is", "The password for user bob is Spr1ngFor.", "The password for user bob is <masked>"},
		{"A8 password for ... is a description stays", "the password for this account is expired", "the password for this account is expired"},
		{"A8 password for without is stays", "waiting for password for bob to sync", "waiting for password for bob to sync"},
		{"A8 pass label", "user: bob pass: Spr1ngPass", "user: bob pass: <masked>"},
		{"A8 pass counts and prose stay", "pass: 3 fail: 0; pass: the test passed", "pass: 3 fail: 0; pass: the test passed"},
		{"A8 fullwidth colon", "password：Spr1ngFw", "password：<masked>"},
		{"A8 Japanese label", "パスワード: Spr1ngJa", "パスワード: <masked>"},
		{"A8 Japanese label with a fullwidth colon", "パスワード：Spr1ngJa", "パスワード：<masked>"},
		{"A8 Japanese prose stays", "パスワードが違います", "パスワードが違います"},
		{"A8 connection string value with a space", "Password=Spring Winter2018z;", "Password=<masked>;"},
		{"A8 connection string, last pair", "Server=x;Database=y;User Id=bob;Password=Spring Winter2018z", "Server=x;Database=y;User Id=bob;Password=<masked>"},
		{"A8 a quoted value ends at its quote", `Pwd="" 0; Password="a b" c;`, `Pwd="" 0; Password="<masked>" c;`},
		{"A8 password= among pairs keeps the next pair", "user=bob password=abc status=ok", "user=bob password=<masked> status=ok"},

		// A4: LDIF base64 values.
		{"A4 LDIF userPassword::", "userPassword:: U3ByMW5nTGRpZjIwMTg=\nunicodePwd:: IgBTAHAAcgAxAG4AZwBVAG4AaQAiAA==\n", "userPassword:: <masked>\nunicodePwd:: <masked>\n"},
		{"A4 LDIF folded value", "unicodePwd:: IgBTAHAAcgAxAG4A\n ZwBVAG4AaQAiAA==\ncn: x", "unicodePwd:: <masked>\n \ncn: x"},
		{"A4 C++ scopes stay", "CIdcrlAuth::OnAuthComplete CPassword::Verify CWebTicketProvider::Get", "CIdcrlAuth::OnAuthComplete CPassword::Verify CWebTicketProvider::Get"},

		// C1: error names after a scheme word are evidence.
		{"C1 SSPI error names", "(SSPI: Kerberos KRB_AP_ERR_BAD_INTEGRITY, Negotiate SEC_E_WRONG_PRINCIPAL) NTLM SEC_E_INVALID_TOKEN", "(SSPI: Kerberos KRB_AP_ERR_BAD_INTEGRITY, Negotiate SEC_E_WRONG_PRINCIPAL) NTLM SEC_E_INVALID_TOKEN"},
		{"C1 a token after a scheme is still masked", "Negotiate YIIGgwYGKwYBBQUCoIIGdzCCBnOg", "Negotiate <masked>"},

		// C3: values that are evidence after a password label.
		{"C3 HRESULT after Password:", "Password: 0x80048821", "Password: 0x80048821"},
		{"C3 HRESULT after password is", "password is 8004882C expired", "password is 8004882C expired"},
		{"C3 boolean after Password :", "Password : False\r\nPassword: true", "Password : False\r\nPassword: true"},
		{"C3 HRESULT after a secret header", "X-MS-Password: 0x80048821", "X-MS-Password: 0x80048821"},
		{"C3 flags in Get-ADUser output", "CannotChangePassword : False\nPasswordNeverExpires : True\nPasswordLastSet : 1/2/2018\nPasswordExpired : False", "CannotChangePassword : False\nPasswordNeverExpires : True\nPasswordLastSet : 1/2/2018\nPasswordExpired : False"},
		{"C3 a password that looks like a number is masked", "Password: 12345678 password: 0x8004882", "Password: <masked> password: <masked>"},
		// A Ticket: label may be a support ticket or a Kerberos ticket: it
		// stays masked.
		{"C3 Ticket label stays masked", "Ticket: SR12345678", "Ticket: <masked>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Secrets(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Secrets(got), "masking again changes nothing")
			assert.Equal(t, refSecrets(tt.in), got, "same as the byte-by-byte scan")
		})
	}
}

// TestSecretNameLeaks: plurals and compounds of the secret words say
// secret (A12); policies and flags about a password do not (C2).
func TestSecretNameLeaks(t *testing.T) {
	for _, name := range []string{
		"Cookies", "Tokens", "Tickets", "Secrets", "Passwords", "TokenValue", "PasswordValue",
		"token_value", "SessionKey", "SessionKeys", "Assertions", "refresh_tokens", "X-MS-Password",
		"DefaultPassword", "SavedPassword", "NewPassword", "UserPassword", "StoredPassword",
		"PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD", "Password", "pwd", "ClientSecret",
		"Credentials", "Credential", "StoredCredential",
	} {
		assert.True(t, SecretName(name), name)
	}
	for _, name := range []string{
		"SavePassword", "AllowSavePassword", "DisableSavePassword", "CannotChangePassword",
		"PasswordNeverExpires", "PasswordLastSet", "PasswordExpired", "TicketOptions",
		"TicketEncryptionType", "TokenType", "save_password", "Value", "s", "Address", "Process",
		"_", "TokenValues", "SaveCredentials", "CredentialType",
	} {
		assert.False(t, SecretName(name), name)
	}
	require.Equal(t, oldSecretName("_password"), SecretName("_password"))
	assert.True(t, SecretName("_password"), "a separator alone is not a flag word")
}

// TestEventLeaks: event log data named by a plural or compound secret
// name is masked in the fields (A12), and a policy value stays (C2).
func TestEventLeaks(t *testing.T) {
	for name, v := range map[string]string{
		"evt.data.Cookies":     "ESTSAUTH=Spr1ngCookies1; x-ms-gateway-slice=prod",
		"evt.data.TokenValue":  "Spr1ngTokVal",
		"evt.data.SessionKey":  "Spr1ngSessKey",
		"evt.data.Credentials": "Spr1ngCreds",
	} {
		assert.Equal(t, Masked, Field(name, v), name)
	}
	assert.Equal(t, "0", Field("reg.data.SavePassword", "0"))
	// A flag or an HRESULT says what happened, not what the secret is.
	for name, v := range map[string]string{
		"sip.request.credentials": "true", "evt.data.Credentials": "False", "evt.data.Password": "0x80048821",
	} {
		assert.Equal(t, v, Field(name, v), name)
	}
}

// TestHeaderFieldPluralSecret: a SIP header field whose name SecretName
// takes only since A12 (a plural, SessionKey) is masked whole, as its
// line in the text is. headerKindOf (event.go, not this change's) filters
// names by their last byte, which includes s and y since the red team's
// findings.
func TestHeaderFieldPluralSecret(t *testing.T) {
	assert.Equal(t, "X-MS-Tokens: <masked>", Secrets("X-MS-Tokens: Spr1ngTok"))
	if headerKindGap("X-MS-Tokens") {
		t.Skip("headerKindOf (event.go) does not take names ending in s or y for secret headers yet")
	}
	assert.Equal(t, Masked, Field("sip.header.x-ms-tokens", "Spr1ngTok"))
	assert.Equal(t, Masked, Field("sip.header.x-ms-sessionkey", "Spr1ngKey"))
}

// TestPlainURLPartsOfText: the scan of an event's text records a URL
// without a password as holding no keyword (run, plainURL), and EventInto
// then takes the parts of the text that lie there for masked already.
// Every part of a text full of URLs, plain and not, must mask as Secrets
// masks it on its own.
func TestPlainURLPartsOfText(t *testing.T) {
	for _, text := range []string{
		"To: <sip:bob@contoso.com>;tag=1\r\nContact: <sip:token@10.0.4.15:5061;transport=tls>\r\nxsip:a:b@c sftp://u:p@h sip:sip:bob:pw@x ftp://h:21/\r\n",
		`<a xmlns="http://schemas.xmlsoap.org/ws/2005/02/trust"><sip:x>http://bob:pw@proxy:8080 https://login.contoso.com/x?token=1 %sip:a@b`,
		"<sip:token>abc</sip:token> sips:bob@contoso.com;x=1 http://[2001:db8::1]:443/ http://a@b:c@d/",
	} {
		var ts textScan
		require.Equal(t, Secrets(text), ts.secrets(text))
		var memo secretsMemo
		for i := 0; i < len(text); i++ {
			for j := i + 1; j <= len(text); j++ {
				part := text[i:j]
				if got, want := ts.fieldSecrets(&memo, part), Secrets(part); got != want {
					t.Fatalf("part %d:%d %q\n got: %q\nwant: %q", i, j, part, got, want)
				}
			}
		}
	}
}

// TestTagEndAfterLabel: a '>' right after a secret label's colon ends a
// tag ("<Pwd :>X"): it stays out of the value, so that masking the result
// again changes nothing (FuzzSecrets found "<Pwd :>0" masked to
// "<Pwd :><masked>", then to "<Pwd :<masked>").
func TestTagEndAfterLabel(t *testing.T) {
	for in, want := range map[string]string{
		"<Pwd :>0":                       "<Pwd :><masked>",
		"Pwd :>0":                        "Pwd :><masked>",
		"password: > hunter2":            "password: > <masked>",
		"- RefreshToken: >RT0secretAAAA": "- RefreshToken: ><masked>",
	} {
		got := Secrets(in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, got, Secrets(got), "idempotent: %q", in)
	}
}

// TestSecretsKeysAndSignatures: the keys of connection strings, the
// signature of a shared access signature URL and sign-in cookies named
// outside a Cookie header, each beside a near miss that stays: a name
// that ends in Key but is not a credential, a signature that is not a URL
// parameter, a cookie-like word that is not a cookie.
func TestSecretsKeysAndSignatures(t *testing.T) {
	runFormCases(t, []formCase{
		{
			name:    "storage connection string",
			in:      "conn DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=q1w2e3r4t5y6u7i8o9p0AbCdEfGh==;EndpointSuffix=core.windows.net",
			secrets: []string{"q1w2e3r4t5y6u7i8o9p0AbCdEfGh"},
			keep:    []string{"AccountName=contoso;AccountKey=<masked>;EndpointSuffix=core.windows.net"},
		},
		{
			name:    "service bus connection string",
			in:      "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Ab12Cd34Ef56Gh78Ij90KlMn=",
			secrets: []string{"Ab12Cd34Ef56Gh78Ij90KlMn"},
			keep:    []string{"SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<masked>"},
		},
		{
			name:    "access and secret keys in JSON and a label",
			in:      `{"aws_access_key_id":"AKIAEXAMPLE","aws_secret_access_key":"wJalrXUtnFEMI","MasterKey":"mk1","PublicKey":"pk1","RegistryKey":"HKLM\\Software"}` + "\nSecretKey: sk1",
			secrets: []string{"wJalrXUtnFEMI", "mk1", "sk1"},
			keep:    []string{`"aws_access_key_id":"AKIAEXAMPLE"`, `"PublicKey":"pk1"`, `"RegistryKey":"HKLM\\Software"`, "SecretKey: <masked>"},
		},
		{
			name:    "shared access signature URL",
			in:      "GET https://contoso.blob.core.windows.net/logs/a.txt?sv=2019-02-02&sr=b&sp=r&sig=Zx9k2Gq1vA0dPpw%2FaBcD%3D HTTP/1.1",
			secrets: []string{"Zx9k2Gq1vA0dPpw"},
			keep:    []string{"?sv=2019-02-02&sr=b&sp=r&sig=<masked> HTTP/1.1"},
		},
		{
			name:    "presigned and redirect signatures",
			in:      "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F20261207&X-Amz-Signature=fe5f80f77d5fa3be https://adfs.contoso.com/adfs/ls/?SAMLRequest=fZJNT8Mw&SigAlg=rsa-sha256&Signature=LongSignatureValue123",
			secrets: []string{"fe5f80f77d5fa3be", "LongSignatureValue123"},
			keep:    []string{"X-Amz-Signature=<masked>", "SAMLRequest=fZJNT8Mw&SigAlg=rsa-sha256&Signature=<masked>"},
		},
		{
			name:    "sign-in cookies outside a Cookie header",
			in:      "AD FS issued MSISAuth=AAEAADRandomCookie; MSISAuth1=moreRandom; MSISAuthenticated=MTIvNy8yMDI2; ESTSAUTHPERSISTENT=0.AUEAx; FedAuth=77u/PD94bWw; .ASPXAUTH=9F3A2B",
			secrets: []string{"AAEAADRandomCookie", "moreRandom", "MTIvNy8yMDI2", "0.AUEAx", "77u/PD94bWw", "9F3A2B"},
			keep:    []string{"MSISAuth=<masked>; MSISAuth1=<masked>;", "FedAuth=<masked>; .ASPXAUTH=<masked>"},
		},
	})
	for _, s := range []string{
		"signature=verified sig=ok", // not URL parameters
		`<ds:SignatureValue>MIIC0zCCAbug</ds:SignatureValue> <SignatureMethod Algorithm="rsa-sha256"/>`,
		"MSISAuthState=1 FedAuthentication=enabled ESTSAUTHORITY=login.microsoftonline.com",
		"PublicKey=MIIBIjANBgkq PrimaryKey=42 RegistryKey=HKLM AccessKeyId=AKIAEXAMPLE KeyName=Root",
		"https://contoso.com/a?sigma=1&signatures_enabled=true",
	} {
		assert.Equal(t, s, Secrets(s))
		assert.Equal(t, oldSecrets(s), Secrets(s), s)
	}
	for _, name := range []string{"AccountKey", "SharedAccessKey", "secret_key", "aws_secret_access_key", "MasterKey", "ProxyAuthKey", "auth_key", "MSISAuth", "MSISAuth1", "ESTSAUTH", "FedAuth1"} {
		assert.True(t, SecretName(name), name)
		assert.Equal(t, oldSecretName(name), SecretName(name), name)
	}
	for _, name := range []string{"AccessKeyId", "PublicKey", "RegistryKey", "PrimaryKey", "MSISAuthState", "FedAuthentication", "Signature", "sig"} {
		assert.False(t, SecretName(name), name)
		assert.Equal(t, oldSecretName(name), SecretName(name), name)
	}
}
