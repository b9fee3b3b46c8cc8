package mask

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// formCase plants secrets in realistic context: none of secrets may
// survive Secrets, every string of keep must.
type formCase struct {
	name    string
	in      string
	secrets []string
	keep    []string
}

func runFormCases(t *testing.T, cases []formCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Secrets(tc.in)
			for _, s := range tc.secrets {
				assert.NotContains(t, got, s, "secret survives")
			}
			for _, k := range tc.keep {
				assert.Contains(t, got, k, "context lost")
			}
			assert.Equal(t, strings.Count(tc.in, "\n"), strings.Count(got, "\n"), "line count")
			assert.Equal(t, got, Secrets(got), "masking twice changes nothing")
		})
	}
}

// register is a REGISTER dialog as a Lync 2013 UccApilog shows it: the
// 401 with three WWW-Authenticate headers, the NTLM Authorization folded
// over three lines, the 200 OK with Authentication-Info (shape of
// parsers/uccapilog/testdata/lync2013_register_ntlm.UccApilog).
const register = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1018 bytes:\r\n" +
	"SIP/2.0 401 Unauthorized\r\n" +
	"Date: Tue, 16 Apr 2013 07:17:30 GMT\r\n" +
	`WWW-Authenticate: NTLM opaque="85185AE4", gssapi-data="TlRMTVNTUAACAAAAAAAAADgAAADzgpji", targetname="pool01.contoso.com", realm="SIP Communications Service", version=4` + "\r\n" +
	`WWW-Authenticate: Kerberos realm="SIP Communications Service", targetname="sip/pool01.contoso.com", version=4, opaque="B1C2D3E4", gssapi-data="YIIGBwYJKoZIhvcSAQICAQBugg"` + "\r\n" +
	`WWW-Authenticate: TLS-DSK realm="SIP Communications Service", targetname="pool01.contoso.com", version=4, sts-uri="https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc"` + "\r\n" +
	"CSeq: 1 REGISTER\r\n" +
	"\r\n" +
	"04/16/2013|09:17:30.517 1F68:C14 INFO  :: Sending Packet - 10.0.0.20:443 (From Local Address: 192.168.103.35:50123) 1046 bytes:\r\n" +
	"REGISTER sip:contoso.com SIP/2.0\r\n" +
	`Authorization: NTLM qop="auth", realm="SIP Communications Service",` + "\r\n" +
	` opaque="78D29AC8", targetname="pool01.contoso.com", version=4,` + "\r\n" +
	"\t" + `gssapi-data="TlRMTVNTUAADAAAAGAAYAG4AAAAYABgAhgAAAA==", crand="5E1C9A07", cnum="11",` + "\r\n" +
	` response="0100000000000000dd31e5b5a7c0a8f2"` + "\r\n" +
	"Content-Length: 0\r\n" +
	"\r\n" +
	"04/16/2013|09:17:30.871 1F68:C14 INFO  :: Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1431 bytes:\r\n" +
	"SIP/2.0 200 OK\r\n" +
	`Authentication-Info: NTLM qop="auth", opaque="E23CD474", srand="973D56C9",` + "\r\n" +
	`  snum="1", rspauth="01000000000000008ed442d47eccd46a", targetname="pool01.contoso.com", realm="SIP Communications Service", version=4` + "\r\n" +
	`Authentication-Info: TLS-DSK qop="auth", opaque="0F0E0D0C", srand="AABBCCDD", snum="2", rspauth="ffeeddccbbaa99887766"` + "\r\n" +
	`ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="sippoolbl20a05.infra.lync.com"` + "\r\n" +
	"Content-Length: 0\r\n"

func TestSecretsSIPRegister(t *testing.T) {
	runFormCases(t, []formCase{{
		name: "folded and repeated authentication headers",
		in:   register,
		secrets: []string{
			"85185AE4", "TlRMTVNTUAACAAAAAAAAADgAAADzgpji", "B1C2D3E4", "YIIGBwYJKoZIhvcSAQICAQBugg",
			"78D29AC8", "TlRMTVNTUAADAAAAGAAYAG4AAAAYABgAhgAAAA", "5E1C9A07", `cnum="11"`,
			"0100000000000000dd31e5b5a7c0a8f2", "E23CD474", "973D56C9", `snum="1"`,
			"01000000000000008ed442d47eccd46a", "0F0E0D0C", "AABBCCDD", "ffeeddccbbaa99887766",
		},
		keep: []string{
			`realm="SIP Communications Service"`, `targetname="pool01.contoso.com"`,
			`targetname="sip/pool01.contoso.com"`, "version=4", `qop="auth"`,
			`sts-uri="https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc"`,
			`gssapi-data="<masked>"`, `opaque="<masked>"`, `rspauth="<masked>"`, `response="<masked>"`,
			"\r\n\t" + `gssapi-data="<masked>", crand="<masked>", cnum="<masked>",` + "\r\n",
			`ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist"`,
			"SIP/2.0 401 Unauthorized", "CSeq: 1 REGISTER", "Content-Length: 0",
		},
	}})
}

func TestSecretsForms(t *testing.T) {
	runFormCases(t, []formCase{
		{
			name:    "OAuth implicit grant fragment",
			in:      `04/12/2018|08:58:04.711 3E8C:3A50 INFO  :: Redirected to https://login.contoso.com/done#access_token=EwBgA8l6BAAURSN&token_type=Bearer&expires_in=3599&id_token=AAxyzQ12&state=12345`,
			secrets: []string{"EwBgA8l6BAAURSN", "AAxyzQ12"},
			keep:    []string{"#access_token=<masked>&token_type=Bearer&expires_in=3599&id_token=<masked>&state=12345"},
		},
		{
			name:    "token endpoint form body",
			in:      `POST body: grant_type=authorization_code&code=OAQABAAIAAAB0ZXN0Y29kZQ&client_id=d3590ed6-52b3-4102-aeff-aad2292ab01c&client_assertion_type=urn%3Aietf&client_assertion=abc.def.ghi&client_secret=S3cr3t~&refresh_token=0.ARoA9x`,
			secrets: []string{"OAQABAAIAAAB0ZXN0Y29kZQ", "abc.def.ghi", "S3cr3t~", "0.ARoA9x"},
			keep:    []string{"grant_type=authorization_code", "&code=<masked>", "client_id=d3590ed6-52b3-4102-aeff-aad2292ab01c", "client_assertion_type=urn%3Aietf"},
		},
		{
			name:    "authorization code in a redirect query",
			in:      `GET https://lyncweb.contoso.com/redirect?code=M.R3_BAY.c0de99&session_state=5f1b HTTP/1.1`,
			secrets: []string{"M.R3_BAY.c0de99"},
			keep:    []string{"?code=<masked>&session_state=5f1b HTTP/1.1"},
		},
		{
			name:    "WS-Federation sign-in response",
			in:      `POST https://login.microsoftonline.com/login.srf wa=wsignin1.0&wresult=%3Ct%3ARequestSecurityTokenResponse%3E&wctx=LoginOptions%3D3%26estsredirect`,
			secrets: []string{"%3Ct%3ARequestSecurityTokenResponse%3E"},
			keep:    []string{"wa=wsignin1.0", "wresult=<masked>", "wctx=LoginOptions%3D3%26estsredirect"},
		},
		{
			name:    "SAML POST binding",
			in:      `SAMLResponse=PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPQ&RelayState=ss%3Amem%3A9c5e SAMLRequest=fZJNT8MwDIbvSPyHKveu`,
			secrets: []string{"PHNhbWxwOlJlc3BvbnNlIHhtbG5zOnNhbWxwPQ"},
			keep:    []string{"SAMLResponse=<masked>", "RelayState=ss%3Amem%3A9c5e", "SAMLRequest=fZJNT8MwDIbvSPyHKveu"},
		},
		{
			name:    "Lync web ticket in a URL path",
			in:      `04/12/2018|08:58:06.100 3E8C:3A50 INFO  :: GET https://webpoolbl20a05.infra.lync.com/ucwa/v1/cwt=AAEBHAEFAAAAAAAFFQAAALtGgOI4o_RhEkWWK1MEAACBEDp8/applications HTTP/1.1`,
			secrets: []string{"AAEBHAEFAAAAAAAFFQAAALtGgOI4o_RhEkWWK1MEAACBEDp8"},
			keep:    []string{"https://webpoolbl20a05.infra.lync.com/ucwa/v1/cwt=<masked>", "HTTP/1.1"},
		},
		{
			name: "web ticket response with a bare JWT",
			in: `Response body: <wst:RequestSecurityTokenResponse><wst:TokenType>urn:ietf:params:oauth:token-type:jwt</wst:TokenType>` +
				`<wst:RequestedSecurityToken>eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3dlYiJ9.c2lnbmF0dXJlX2J5dGVz</wst:RequestedSecurityToken>` +
				`<wst:Lifetime><wsu:Expires>2018-04-12T23:58:04Z</wsu:Expires></wst:Lifetime></wst:RequestSecurityTokenResponse>`,
			secrets: []string{"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9", "c2lnbmF0dXJlX2J5dGVz"},
			keep:    []string{"<wst:RequestedSecurityToken><masked></wst:RequestedSecurityToken>", "urn:ietf:params:oauth:token-type:jwt", "2018-04-12T23:58:04Z"},
		},
		{
			name: "IDCRL request: password and Passport ticket, BinaryVersion stays",
			in: `<ps:AuthInfo xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" Id="PPAuthInfo"><ps:HostingApp>{7108E71A-9926-4FCB-BCC9-9A9D3F32E423}</ps:HostingApp>` +
				`<ps:BinaryVersion>5</ps:BinaryVersion><ps:UIVersion>1</ps:UIVersion><ps:Cookies>MSPAuth=Z8a9b</ps:Cookies></ps:AuthInfo>` +
				`<wsse:Security><wsse:UsernameToken wsu:Id="user"><wsse:Username>bob@contoso.com</wsse:Username><wsse:Password>Contoso!2017</wsse:Password></wsse:UsernameToken>` +
				`<wsse:BinarySecurityToken ValueType="urn:passport:compact" Id="Compact1">t=EwCAAq1DDAAUGdH&amp;p=</wsse:BinarySecurityToken></wsse:Security>`,
			secrets: []string{"Contoso!2017", "EwCAAq1DDAAUGdH", "Z8a9b"},
			keep:    []string{"<ps:BinaryVersion>5</ps:BinaryVersion>", "<wsse:Username>bob@contoso.com</wsse:Username>", `<wsse:Password><masked></wsse:Password>`},
		},
		{
			name:    "SAML assertion and encrypted data",
			in:      `<saml:Assertion MajorVersion="1" AssertionID="_a1"><saml:Subject>bob</saml:Subject></saml:Assertion><xenc:EncryptedData><xenc:CipherData><xenc:CipherValue>cDdvZ2xh+ZXhh</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>`,
			secrets: []string{"<saml:Subject>", "cDdvZ2xh+ZXhh"},
			keep:    []string{`AssertionID="_a1"><masked></saml:Assertion>`, "<xenc:CipherValue><masked></xenc:CipherValue>"},
		},
		{
			name:    "cert provisioning UserToken",
			in:      `<UserToken Id="5835e450" xmlns="http://schemas.microsoft.com/OCS/AuthWebServices.xsd">AAEBhxka8F7TIdTrh7Gh</UserToken>`,
			secrets: []string{"AAEBhxka8F7TIdTrh7Gh"},
			keep:    []string{`<UserToken Id="5835e450"`},
		},
		{
			name:    "JWT in a log line after token:",
			in:      `04/12/2018|08:58:04.900 3E8C:3A50 TRACE :: CMsaAuth::OnToken - token: eyJ0eXAiOiJKV1QiLCJub25jZSI6IjEyMyJ9.eyJhdWQiOiJodHRwczovL2xvZ2luIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c, expires 3599`,
			secrets: []string{"eyJ0eXAiOiJKV1QiLCJub25jZSI6IjEyMyJ9", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"},
			keep:    []string{"token: <masked>, expires 3599"},
		},
		{
			name:    "unsecured JWT with an empty signature",
			in:      `assertion: eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.`,
			secrets: []string{"eyJhbGciOiJub25lIn0", "eyJzdWIiOiJib2IifQ"},
			keep:    []string{"assertion: <masked>"},
		},
		{
			name:    "JWT followed by more dotted text",
			in:      `redirect to eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl.apps.contoso.com now`,
			secrets: []string{"eyJhbGciOiJSUzI1NiJ9", "eyJzdWIiOiJib2IifQ", "c2lnbmF0dXJl"},
			keep:    []string{"redirect to <masked>.apps.contoso.com now"},
		},
		{
			name:    "two tokens in one dotted run", // FuzzSecrets: masking twice gave more
			in:      `eyJ0000000.000000000000.eyJ0000000000000.0.0.0.0`,
			secrets: []string{"eyJ0000000.000000000000"},
			keep:    []string{"<masked>.0.0.0.0"},
		},
		{
			name:    "a JWE, then a JWT, in one dotted run", // FuzzSecrets
			in:      `eyJ0000000.0000000.0.0.0.eyJ0000000000000.0.0.0.0`,
			secrets: []string{"eyJ0000000.0000000", "eyJ0000000000000"},
			keep:    []string{"<masked>.<masked>"},
		},
		{
			name:    "two JWTs back to back",
			in:      `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl.eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnMg`,
			secrets: []string{"c2lnbmF0dXJl", "c2lnMg", "eyJzdWIiOiJhbGljZSJ9"},
			keep:    []string{"<masked>.<masked>"},
		},
		{
			name: "PEM private key",
			in: "note.txt: the key was exported by mistake\r\n-----BEGIN RSA PRIVATE KEY-----\r\n" +
				"MIIEowIBAAKCAQEAv1d2h8Hh3Q0zJ6c7Qd0Fv6dA5y\r\nq3e9pGQ0p1T1bS8Y2b3Yz1Kx4w==\r\n" +
				"-----END RSA PRIVATE KEY-----\r\nand the certificate:\r\n-----BEGIN CERTIFICATE-----\r\nMIIC0zCCAbugAwIBAgIJAKx\r\n-----END CERTIFICATE-----\r\n",
			secrets: []string{"MIIEowIBAAKCAQEAv1d2h8Hh3Q0zJ6c7Qd0Fv6dA5y", "q3e9pGQ0p1T1bS8Y2b3Yz1Kx4w"},
			keep:    []string{"-----BEGIN RSA PRIVATE KEY-----\r\n<masked>\r\n\r\n-----END RSA PRIVATE KEY-----", "MIIC0zCCAbugAwIBAgIJAKx"},
		},
		{
			name:    "PKCS #8 encrypted key cut short",
			in:      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQww\nMBwGCiqGSIb3DQEMAQMwDgQI\n(excerpt truncated)",
			secrets: []string{"MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQww", "MBwGCiqGSIb3DQEMAQMwDgQI"},
			keep:    []string{"-----BEGIN ENCRYPTED PRIVATE KEY-----\n<masked>\n\n(excerpt truncated)"},
		},
		{
			name:    "EC private key",
			in:      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n-----END EC PRIVATE KEY-----",
			secrets: []string{"MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY"},
			keep:    []string{"-----BEGIN EC PRIVATE KEY-----\n<masked>\n-----END EC PRIVATE KEY-----"},
		},
		{
			name:    "password in a note",
			in:      "Hi, I cannot sign in since Monday. My user is bob@contoso.com and the password is Hunter2, I already restarted.",
			secrets: []string{"Hunter2"},
			keep:    []string{"the password is <masked> I already restarted.", "bob@contoso.com"},
		},
		{
			name:    "Password is with a capital",
			in:      `Password is "Spring 2018!" (with the space)`,
			secrets: []string{"Spring 2018!"},
			keep:    []string{`Password is "<masked>" (with the space)`},
		},
		{
			name:    "password label, password= and pwd=",
			in:      "password: Tr0ub4dor&3\r\nServer=sql01;Database=lync;User Id=svc;Password=P@ss;\r\nconnect pwd=qwerty12 now",
			secrets: []string{"Tr0ub4dor&3", "P@ss", "qwerty12"},
			keep:    []string{"password: <masked>\r\n", "Database=lync;User Id=svc;Password=<masked>;", "pwd=<masked> now"},
		},
		{
			name:    "cookies",
			in:      "Response header: Set-Cookie: MSISAuth=AAEAAJ0t2Qx7; path=/adfs; secure; HttpOnly\r\nRequest header: Cookie: ASP.NET_SessionId=a8cef7bfe6b951f12e0476ce; buid=0.AVcA",
			secrets: []string{"AAEAAJ0t2Qx7", "a8cef7bfe6b951f12e0476ce", "0.AVcA"},
			keep:    []string{"MSISAuth=<masked>; path=/adfs; secure; HttpOnly", "ASP.NET_SessionId=<masked>; buid=<masked>"},
		},
		{
			name:    "web ticket header",
			in:      "Request header: X-MS-WebTicket: opaque=2.AQEAAAAB9rG3Xq",
			secrets: []string{"2.AQEAAAAB9rG3Xq"},
			keep:    []string{"X-MS-WebTicket: <masked>"},
		},
		{
			name:    "Negotiate, NTLM and Kerberos blobs",
			in:      "Authorization: Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHg==\r\nProxy-Authorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAO5CAAAADw==\r\nAuthorization: Kerberos YIIFyQYJKoZIhvcSAQICAQBuggW4MIIFtKADAgEF",
			secrets: []string{"YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHg", "TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAO5CAAAADw", "YIIFyQYJKoZIhvcSAQICAQBuggW4MIIFtKADAgEF"},
			keep:    []string{"Authorization: Negotiate <masked>", "Proxy-Authorization: NTLM <masked>", "Authorization: Kerberos <masked>"},
		},
		{
			name:    "Passport ticket in an Authorization header",
			in:      `Authorization: Passport1.4 from-PP='t=EwCoAq1DBAAUOXL&p=', tname=MSPAuth`,
			secrets: []string{"EwCoAq1DBAAUOXL"},
			keep:    []string{"Authorization: Passport1.4 from-PP='<masked>'"},
		},
		{
			name:    "event log data named Password",
			in:      `<EventData><Data Name="TargetUserName">bob</Data><Data Name="Password">Hunter2</Data><Data Name="TicketOptions">0x40810000</Data></EventData>`,
			secrets: []string{"Hunter2"},
			keep:    []string{`<Data Name="TargetUserName">bob</Data>`, `<Data Name="Password"><masked></Data>`, `<Data Name="TicketOptions">0x40810000</Data>`},
		},
		{
			name:    "JSON with camel-case token names",
			in:      `{"token_type":"Bearer","accessToken":"EwBgA8l6BAAU","refreshToken":"M.R3_BAY.abc","idToken":"AAxyz","secret":"s1","tokenType":"Bearer","code":"Forbidden"}`,
			secrets: []string{"EwBgA8l6BAAU", "M.R3_BAY.abc", "AAxyz", `"s1"`},
			keep:    []string{`"token_type":"Bearer"`, `"tokenType":"Bearer"`, `"code":"Forbidden"`, `"accessToken":"<masked>"`},
		},
	})
}

// TestSecretsNearMisses holds text that looks like a secret but is not:
// it must come out unchanged.
func TestSecretsNearMisses(t *testing.T) {
	for _, s := range []string{
		`ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="sippoolbl20a05.infra.lync.com"`,
		`ms-diagnostics-public: 4004;reason="Credentials provided are not for the user"`,
		`HTTP/1.1 200 OK {"code":"Success","subcode":"None"}`,
		`error code=0x80048821 returned by IDCRL`,
		`Response: 401 Unauthorized received for REGISTER`,
		`INFO  :: Response received; waiting for the next token from the server`,
		`The token was not accepted by the server. The ticket has expired.`,
		`ERROR :: The user name, password, or domain appears to be incorrect.`,
		`The password is incorrect. Your password is expired.`,
		`Password: expired`,
		`WARN  :: You may have entered your sign-in address, user name, or password incorrectly.`,
		`<Root><Link token="Domain" href="https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com" /></Root>`,
		`<wst:TokenType>urn:component:Microsoft.Rtc.WebAuthentication.2010:user-cwt-1</wst:TokenType>`,
		`<wst:RequestSecurityToken Context="ab4bb9fd"><wst:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</wst:RequestType></wst:RequestSecurityToken>`,
		`04/12/2018|08:58:04.711 3E8C:3A50 INFO  :: CWebTicketProvider::RequestTicket - Sending HTTP request: POST https://webpoolbl20a05.infra.lync.com/WebTicket/WebTicketService.svc/LiveId`,
		`Kerberos: TicketOptions=0x40810000 TicketEncryptionType=0x12 PasswordLastSet=2018-01-02`,
		`WWW-Authenticate: MsRtcOAuth href="https://webpoolbl20a05.infra.lync.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`,
		`Authorization: the request was denied by policy`,
		`Negotiate authentication selected; NTLM fallback disabled`,
		`Version: eyJ is the prefix of every JWT`,
		`-----BEGIN CERTIFICATE-----` + "\nMIIC0zCCAbugAwIBAgIJAKx\n" + `-----END CERTIFICATE-----`,
	} {
		assert.Equal(t, s, Secrets(s))
	}
}

func TestField(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"evt.data.Password", "Hunter2", Masked},
		{"evt.data.AccessToken", "EwBgA8l6BAAU", Masked},
		{"evt.data.ClientSecret", "s3cr3t", Masked},
		{"evt.data.ServiceTicket", "doIFyjCCBcag", Masked},
		{"evt.data.SessionCookie", "MSISAuth=abc", Masked},
		{"evt.data.ElevatedToken", "%%1842", "%%1842"},
		{"evt.data.SubjectUserPassword", "-", "-"},
		{"evt.data.TicketOptions", "0x40810000", "0x40810000"},
		{"evt.data.TokenElevationType", "%%1936", "%%1936"},
		{"evt.data.PasswordLastSet", "2018-01-02", "2018-01-02"},
		{"evt.data.TargetUserName", "bob", "bob"},
		{"evt.data.Message", "the password is Hunter2", "the password is " + Masked},
		{
			"sip.header.www-authenticate",
			`NTLM opaque="85185AE4", gssapi-data="TlRMTVNT", targetname="pool01.contoso.com", version=4` + "\n" +
				`Kerberos realm="SIP Communications Service", opaque="B1C2", gssapi-data="YIIGBw", version=4`,
			`NTLM opaque="<masked>", gssapi-data="<masked>", targetname="pool01.contoso.com", version=4` + "\n" +
				`Kerberos realm="SIP Communications Service", opaque="<masked>", gssapi-data="<masked>", version=4`,
		},
		{
			"sip.header.authentication-info",
			`TLS-DSK qop="auth", opaque="F755045D", srand="1D9666D9", snum="17", rspauth="3359c8ac", targetname="x.infra.lync.com"` + "\n" +
				`TLS-DSK qop="auth", opaque="0F0E0D0C", srand="AABB", snum="18", rspauth="ffee"`,
			`TLS-DSK qop="auth", opaque="<masked>", srand="<masked>", snum="<masked>", rspauth="<masked>", targetname="x.infra.lync.com"` + "\n" +
				`TLS-DSK qop="auth", opaque="<masked>", srand="<masked>", snum="<masked>", rspauth="<masked>"`,
		},
		{"sip.header.authorization", `NTLM TlRMTVNTUAADAAAAGAAYAG4AAAAYABgA`, `NTLM <masked>`},
		{"sip.header.cookie", "a=1; b=2", "a=<masked>; b=<masked>"},
		{"sip.header.x-ms-webticket", "opaque=2.AQEA", Masked},
		{"sip.header.ms-diagnostics", `4005;reason="Destination URI either not enabled for SIP"`, `4005;reason="Destination URI either not enabled for SIP"`},
		{"sip.body", `<Password>x</Password>`, `<Password><masked></Password>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Field(tt.name, tt.value)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Field(tt.name, got), "idempotent")
		})
	}
}
