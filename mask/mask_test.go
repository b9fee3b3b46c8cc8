package mask

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSecrets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "TLS-DSK challenge keeps realm targetname version sts-uri",
			in:   `WWW-Authenticate: TLS-DSK realm="SIP Communications Service", targetname="sippoolbl20a05.infra.lync.com", version=4, sts-uri="https://sippoolbl20a05.infra.lync.com:443/CertProv/CertProvisioningService.svc"`,
			want: `WWW-Authenticate: TLS-DSK realm="SIP Communications Service", targetname="sippoolbl20a05.infra.lync.com", version=4, sts-uri="https://sippoolbl20a05.infra.lync.com:443/CertProv/CertProvisioningService.svc"`,
		},
		{
			name: "TLS-DSK handshake leg from the client",
			in:   `Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", targetname="sippoolbl20a05.infra.lync.com", gssapi-data="FgMBAEsBAABHAwFZ2o3Lq9i8k7aT0wNf2+ZtJ8Wq", version=4`,
			want: `Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", targetname="sippoolbl20a05.infra.lync.com", gssapi-data="<masked>", version=4`,
		},
		{
			name: "TLS-DSK continuation from the server",
			in:   `WWW-Authenticate: TLS-DSK opaque="9C0A31F2", gssapi-data="FgMBAFECAABNAwFZ2o3MxK0AAAA=", targetname="sippoolbl20a05.infra.lync.com", realm="SIP Communications Service", version=4`,
			want: `WWW-Authenticate: TLS-DSK opaque="<masked>", gssapi-data="<masked>", targetname="sippoolbl20a05.infra.lync.com", realm="SIP Communications Service", version=4`,
		},
		{
			name: "signed request carries crand cnum response",
			in:   `Proxy-Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="0A9339AD", targetname="SERVER.contoso.com", crand="e8b69f85", cnum="3", response="98ccabbd2f338e344bcf43657094492c4460b932"`,
			want: `Proxy-Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="<masked>", targetname="SERVER.contoso.com", crand="<masked>", cnum="<masked>", response="<masked>"`,
		},
		{
			name: "Authentication-Info of a 200 OK",
			in:   `Authentication-Info: TLS-DSK qop="auth", opaque="F755045D", srand="1D9666D9", snum="17", rspauth="3359c8ac2e6229b2eb9738ac707dc8c3e54f65f0", targetname="PROXY.contoso.com", realm="SIP Communications Service", version=4`,
			want: `Authentication-Info: TLS-DSK qop="auth", opaque="<masked>", srand="<masked>", snum="<masked>", rspauth="<masked>", targetname="PROXY.contoso.com", realm="SIP Communications Service", version=4`,
		},
		{
			name: "NTLM challenge with gssapi-data, lower-case header name",
			in:   `www-authenticate: NTLM opaque="85185AE4", gssapi-data="TlRMTVNTUAACAAAAAAAAADgAAADzgpji+qDppPyr9XwAAAAA", targetname="lyncpool01.contoso.com", realm="SIP Communications Service", version=4`,
			want: `www-authenticate: NTLM opaque="<masked>", gssapi-data="<masked>", targetname="lyncpool01.contoso.com", realm="SIP Communications Service", version=4`,
		},
		{
			name: "Kerberos credentials",
			in:   `Authorization: Kerberos qop="auth", realm="SIP Communications Service", targetname="sip/lyncpool01.contoso.com", gssapi-data="YIIGBwYJKoZIhvcSAQICAQBuggX2MIIF8qADAgEFoQMCAQ6iBwMFACAAAACjggQA", version=4`,
			want: `Authorization: Kerberos qop="auth", realm="SIP Communications Service", targetname="sip/lyncpool01.contoso.com", gssapi-data="<masked>", version=4`,
		},
		{
			name: "HTTP NTLM token68",
			in:   `Authorization: NTLM TlRMTVNTUAADAAAAGAAYAGoAAAAYABgAggAAAAwADABAAAAA`,
			want: `Authorization: NTLM <masked>`,
		},
		{
			name: "HTTP Negotiate token68 with padding",
			in:   `WWW-Authenticate: Negotiate oYG2MIGzoAMKAQChCwYJKoZIgvcSAQICooGe==`,
			want: `WWW-Authenticate: Negotiate <masked>`,
		},
		{
			name: "HTTP Basic",
			in:   `Proxy-Authorization: Basic Ym9iQGNvbnRvc28uY29tOlBhc3N3MHJkIQ==`,
			want: `Proxy-Authorization: Basic <masked>`,
		},
		{
			name: "Bearer with a cwt parameter",
			in:   `Authorization: Bearer cwt=AAEBHAEFAAAAAAAFFQAAAMGIe1xOlsrlJd2Pwg`,
			want: `Authorization: Bearer cwt=<masked>`,
		},
		{
			name: "proxy challenge list keeps realms",
			in:   `Proxy-Authenticate: Negotiate, NTLM, Basic realm="proxy.contoso.com"`,
			want: `Proxy-Authenticate: Negotiate, NTLM, Basic realm="proxy.contoso.com"`,
		},
		{
			name: "Bearer challenge keeps its description",
			in:   `WWW-Authenticate: Bearer realm="contoso.com", error="invalid_token", error_description="The access token expired"`,
			want: `WWW-Authenticate: Bearer realm="contoso.com", error="invalid_token", error_description="The access token expired"`,
		},
		{
			name: "Digest",
			in:   `Authorization: Digest username="bob", realm="contoso.com", nonce="580e7d29", uri="sip:contoso.com", response="4c602e1b8ea1a4ce", cnonce="0a4f113b", nc=00000001, qop=auth`,
			want: `Authorization: Digest username="bob", realm="contoso.com", nonce="<masked>", uri="sip:contoso.com", response="<masked>", cnonce="<masked>", nc=00000001, qop=auth`,
		},
		{
			name: "header inside a UccApilog line",
			in:   `04/16/2013|03:17:30.168 1F68:C14 INFO  :: Authorization: NTLM qop="auth", opaque="045CCD95", gssapi-data="TlRMTVNTUAADAAAA", version=4`,
			want: `04/16/2013|03:17:30.168 1F68:C14 INFO  :: Authorization: NTLM qop="auth", opaque="<masked>", gssapi-data="<masked>", version=4`,
		},
		{
			name: "message rendered on one line stops at the next header",
			in:   `SIP/2.0 200 OK Authentication-Info: TLS-DSK qop="auth", opaque="F755045D", rspauth="3359c8ac", version=4 Via: SIP/2.0/TLS 192.0.2.14:4535;ms-received-port=4535 CSEQ: 1 INVITE`,
			want: `SIP/2.0 200 OK Authentication-Info: TLS-DSK qop="auth", opaque="<masked>", rspauth="<masked>", version=4 Via: SIP/2.0/TLS 192.0.2.14:4535;ms-received-port=4535 CSEQ: 1 INVITE`,
		},
		{
			name: "Cookie keeps names",
			in:   `Cookie: ASP.NET_SessionId=k3v1q2lmx0ayb4c5d6e7f8g9; MSISAuth=AAEAAJ0t2Q==`,
			want: `Cookie: ASP.NET_SessionId=<masked>; MSISAuth=<masked>`,
		},
		{
			name: "Set-Cookie keeps attributes",
			in:   `Set-Cookie: MSISAuth=AAEAAJ0t2Qx7; path=/adfs; HttpOnly; Secure; Expires=Wed, 21 Oct 2015 07:28:00 GMT`,
			want: `Set-Cookie: MSISAuth=<masked>; path=/adfs; HttpOnly; Secure; Expires=Wed, 21 Oct 2015 07:28:00 GMT`,
		},
		{
			name: "web ticket header",
			in:   `X-MS-WebTicket: opaque=2.AQEAAAAB9rG3Xq`,
			want: `X-MS-WebTicket: <masked>`,
		},
		{
			name: "ms-webticket header",
			in:   `ms-webticket: AAEBHAEFAAAAAAAFFQAAAMGIe1xO`,
			want: `ms-webticket: <masked>`,
		},
		{
			name: "SOAP username token",
			in:   `<wsse:Security><wsse:UsernameToken wsu:Id="user"><wsse:Username>bob@contoso.com</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">Contoso!2017</wsse:Password></wsse:UsernameToken></wsse:Security>`,
			want: `<wsse:Security><wsse:UsernameToken wsu:Id="user"><wsse:Username>bob@contoso.com</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"><masked></wsse:Password></wsse:UsernameToken></wsse:Security>`,
		},
		{
			name: "SOAP binary security token",
			in:   `<wsse:BinarySecurityToken ValueType="urn:passport:compact" Id="Compact0">t=EwBgAk6hBwAUImWRtOzZQnZ8lMl4e</wsse:BinarySecurityToken>`,
			want: `<wsse:BinarySecurityToken ValueType="urn:passport:compact" Id="Compact0"><masked></wsse:BinarySecurityToken>`,
		},
		{
			name: "unprefixed elements",
			in:   `<Password>hunter2</Password><BinarySecurityToken>QUFBQQ==</BinarySecurityToken><UserToken>abc</UserToken><WebTicket>def</WebTicket><DeviceDAToken>ghi</DeviceDAToken>`,
			want: `<Password><masked></Password><BinarySecurityToken><masked></BinarySecurityToken><UserToken><masked></UserToken><WebTicket><masked></WebTicket><DeviceDAToken><masked></DeviceDAToken>`,
		},
		{
			name: "SAML assertion masked whole",
			in:   `<saml:Assertion MajorVersion="1" AssertionID="_a1b2"><saml:Subject><saml:NameIdentifier>bob@contoso.com</saml:NameIdentifier></saml:Subject><ds:SignatureValue>kq3Zr</ds:SignatureValue></saml:Assertion><wsa:To>x</wsa:To>`,
			want: `<saml:Assertion MajorVersion="1" AssertionID="_a1b2"><masked></saml:Assertion><wsa:To>x</wsa:To>`,
		},
		{
			name: "CipherValue",
			in:   `<xenc:CipherData><xenc:CipherValue>cDdvZ2xh+ZXhhbXBsZQ==</xenc:CipherValue></xenc:CipherData>`,
			want: `<xenc:CipherData><xenc:CipherValue><masked></xenc:CipherValue></xenc:CipherData>`,
		},
		{
			name: "self-closing and empty elements stay",
			in:   `<wsse:Password/><Password></Password>`,
			want: `<wsse:Password/><Password></Password>`,
		},
		{
			name: "unclosed element masked to the end of the line",
			in:   "<wsse:Password>Contoso!2017 (truncated)\nnext line",
			want: "<wsse:Password><masked>\nnext line",
		},
		{
			name: "query string",
			in:   `GET https://login.contoso.com/token?client_id=abc&access_token=eyJ0eXAiOiJKV1Q&refresh_token=0.AAAA&id_token=eyJhbGc&ticket=T1ck3t HTTP/1.1`,
			want: `GET https://login.contoso.com/token?client_id=abc&access_token=<masked>&refresh_token=<masked>&id_token=<masked>&ticket=<masked> HTTP/1.1`,
		},
		{
			name: "token in a query string",
			in:   `GET /ucwa/v1/applications?token=AAEBHAEFAAAAAAAF&ticket=x HTTP/1.1`,
			want: `GET /ucwa/v1/applications?token=<masked>&ticket=<masked> HTTP/1.1`,
		},
		{
			name: "form body",
			in:   `grant_type=password&username=bob%40contoso.com&password=Contoso%212017&pwd=x1&passwd=y2&client_secret=zz9`,
			want: `grant_type=password&username=bob%40contoso.com&password=<masked>&pwd=<masked>&passwd=<masked>&client_secret=<masked>`,
		},
		{
			name: "attribute value",
			in:   `<credential user="bob" password="Contoso!2017"/>`,
			want: `<credential user="bob" password="<masked>"/>`,
		},
		{
			name: "JSON",
			in:   `{"username":"bob@contoso.com","password":"Contoso!2017","access_token" : "eyJ0eXAi\"OiJ9","expires_in":3599}`,
			want: `{"username":"bob@contoso.com","password":"<masked>","access_token" : "<masked>","expires_in":3599}`,
		},
		{
			name: "bearer token in free text",
			in:   `INFO  :: Retrying request with Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRw after refresh`,
			want: `INFO  :: Retrying request with Bearer <masked> after refresh`,
		},
		{
			name: "gssapi-data outside a header",
			in:   `TRACE :: CSipAuth: server continuation gssapi-data="FgMBAFECAABNAwFZ" rspauth=0f99e36e`,
			want: `TRACE :: CSipAuth: server continuation gssapi-data="<masked>" rspauth=<masked>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Secrets(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Secrets(got), "masking twice changes nothing")
		})
	}
}

func TestSecretsCleanLinesUnchanged(t *testing.T) {
	clean := []string{
		``,
		`04/16/2013|03:17:31.555 1F68:C14 INFO  :: End of Data Received -192.0.2.100:5061 (To Local Address: 10.0.3.35:20323) 1096 bytes`,
		`REGISTER sip:contoso.com SIP/2.0`,
		`Via: SIP/2.0/TLS 10.0.3.35:51515;branch=z9hG4bK8680AE1A;ms-received-port=51515;ms-received-cid=87400`,
		`From: <sip:bob@contoso.com>;tag=4a2b44d131;epid=8248ca9ebb`,
		`Contact: <sip:bob@contoso.com;opaque=user:epid:a1De4AWnzFmb-tN1kxQSMQAA;gruu>;expires=300`,
		`User-Agent: UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)`,
		`ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="sippoolbl20a05.infra.lync.com"`,
		`ERROR :: The user name, password, or domain appears to be incorrect.`,
		`WARN  :: You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program.`,
		`INFO  :: NTLM authentication selected for sip/lyncpool01.contoso.com`,
		`INFO  :: Requesting web ticket from https://webpoolbl20a05.infra.lync.com/WebTicket/WebTicketService.svc`,
		`WWW-Authenticate: MsRtcOAuth href="https://webpoolbl20a05.infra.lync.com/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,urn:microsoft.rtc:anonmeeting,password"`,
		`Supported: ms-keepalive-deregister`,
		`<wst:TokenType>urn:component:Microsoft.Rtc.WebAuthentication.2010:user-cwt-1</wst:TokenType>`,
		`<Root><Link token="Domain" href="https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com" /></Root>`,
		`04/12/2018|08:58:04.711 3E8C:3A50 INFO  :: CWebTicketProvider::RequestTicket - Sending HTTP request: POST https://webpoolbl20a05.infra.lync.com/WebTicket/WebTicketService.svc/LiveId`,
		`Allow-Events: vnd-microsoft-provisioning,vnd-microsoft-roaming-contacts,presence`,
	}
	for _, s := range clean {
		assert.Equal(t, s, Secrets(s))
	}
}

func TestSecretsSIPMessage(t *testing.T) {
	msg := strings.Join([]string{
		`10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: Sending Packet - 198.51.100.21:443 (From Local Address: 10.0.4.15:56632) 1021 bytes:`,
		`10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: REGISTER sip:contoso.com SIP/2.0`,
		`Via: SIP/2.0/TLS 10.0.4.15:56632`,
		`Max-Forwards: 70`,
		`From: <sip:bob@contoso.com>;tag=6705176eed;epid=a8716485d4`,
		`To: <sip:bob@contoso.com>`,
		`Call-ID: 112629f5c5f346b09e647523d70ea03b`,
		`CSeq: 3 REGISTER`,
		`Authorization: TLS-DSK qop="auth", realm="SIP Communications Service", opaque="4671A717", targetname="sippoolbl20a05.infra.lync.com", gssapi-data="FgMBAgALAAIcAAIZ", version=4`,
		`Content-Length: 0`,
		``,
		`10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: End of Sending Packet - 198.51.100.21:443 (From Local Address: 10.0.4.15:56632) 1021 bytes`,
	}, "\r\n") + "\r\n"
	want := strings.Replace(strings.Replace(msg, `"4671A717"`, `"<masked>"`, 1), `"FgMBAgALAAIcAAIZ"`, `"<masked>"`, 1)
	got := Secrets(msg)
	assert.Equal(t, want, got)
	assert.Equal(t, strings.Count(msg, "\n"), strings.Count(got, "\n"), "line count kept")
}

func TestSecretsMultiLineElementKeepsLineCount(t *testing.T) {
	in := "<saml:Assertion ID=\"_1\">\r\n  <saml:Subject>bob</saml:Subject>\r\n  <ds:SignatureValue>kq3Zr</ds:SignatureValue>\r\n</saml:Assertion>\r\nafter"
	want := "<saml:Assertion ID=\"_1\"><masked>\r\n\r\n\r\n</saml:Assertion>\r\nafter"
	got := Secrets(in)
	assert.Equal(t, want, got)
	assert.Equal(t, got, Secrets(got))
}

func TestSecretsReturnsInputWhenClean(t *testing.T) {
	s := strings.Repeat("04/16/2013|03:17:30.168 1F68:C14 INFO  :: End of Sending Packet - 192.0.2.100:5061 1503 bytes\r\n", 10)
	got := Secrets(s)
	assert.Equal(t, s, got)
}
