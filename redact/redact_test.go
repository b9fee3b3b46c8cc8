package redact

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redactCase is one input and its redaction by a fresh Redactor.
type redactCase struct {
	name string
	in   string
	want string
}

func runRedactCases(t *testing.T, cases []redactCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := New()
			got := r.Redact(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, r.Redact(got), "redacting the output again changes it")
		})
	}
}

func TestRedactSIPHeaders(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "From with tag and epid",
			in:   `From: <sip:bob@contoso.com>;tag=dec6c0e676;epid=7174c2dba5`,
			want: `From: <sip:user1@domain1.example>;tag=dec6c0e676;epid=7174c2dba5`,
		},
		{
			name: "To with a server tag",
			in:   `To: <sip:bob@contoso.com>;tag=B5CE617065B78304BD18024B6716EDE2`,
			want: `To: <sip:user1@domain1.example>;tag=B5CE617065B78304BD18024B6716EDE2`,
		},
		{
			name: "quoted display name",
			in:   `From: "Bob Smith" <sip:bob@contoso.com>;tag=a3a13f38c7;epid=6797839478`,
			want: `From: "name1" <sip:user1@domain1.example>;tag=a3a13f38c7;epid=6797839478`,
		},
		{
			name: "unquoted display name",
			in:   `To: Bob Smith <sip:bob@contoso.com>`,
			want: `To: name1 <sip:user1@domain1.example>`,
		},
		{
			name: "Via with received address and ms-received-port",
			in:   `Via: SIP/2.0/TLS 10.0.4.15:57049;branch=z9hG4bK8680AE1A;received=85.10.20.30;ms-received-port=57049;ms-received-cid=2B3600`,
			want: `Via: SIP/2.0/TLS 192.0.2.1:57049;branch=z9hG4bK8680AE1A;received=192.0.2.2;ms-received-port=57049;ms-received-cid=2B3600`,
		},
		{
			name: "Contact with IP and port, GRUU instance untouched",
			in:   `Contact: <sip:10.0.4.15:57049;transport=tls;ms-opaque=1d9f027c2d>;methods="INVITE, MESSAGE";proxy=replace;+sip.instance="<urn:uuid:2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC>"`,
			want: `Contact: <sip:192.0.2.1:57049;transport=tls;ms-opaque=1d9f027c2d>;methods="INVITE, MESSAGE";proxy=replace;+sip.instance="<urn:uuid:2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC>"`,
		},
		{
			name: "GRUU contact keeps the epid",
			in:   `Contact: <sip:bob@contoso.com;opaque=user:epid:D1YvZ0AnU7KF71JtGlymyAAA;gruu>`,
			want: `Contact: <sip:user1@domain1.example;opaque=user:epid:D1YvZ0AnU7KF71JtGlymyAAA;gruu>`,
		},
		{
			name: "User-Agent versions survive",
			in:   `User-Agent: UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)`,
			want: `User-Agent: UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)`,
		},
		{
			name: "Lync 2010 User-Agent with octets below 256",
			in:   `User-Agent: UCCAPI/4.0.7577.4051 OC/4.0.7577.4051 (Microsoft Lync 2010)`,
			want: `User-Agent: UCCAPI/4.0.7577.4051 OC/4.0.7577.4051 (Microsoft Lync 2010)`,
		},
		{
			name: "Call-ID and CSeq untouched",
			in:   "Call-ID: 0ddf71558ebc1a655b412b74430ef8c4\r\nCSeq: 1 REGISTER",
			want: "Call-ID: 0ddf71558ebc1a655b412b74430ef8c4\r\nCSeq: 1 REGISTER",
		},
		{
			name: "request line with a domain",
			in:   `REGISTER sip:contoso.com SIP/2.0`,
			want: `REGISTER sip:domain1.example SIP/2.0`,
		},
		{
			name: "DOMAIN%5Cuser sign-in address",
			in:   `REGISTER sip:CONTOSO%5Cbob SIP/2.0`,
			want: `REGISTER sip:DOMAIN1%5Cuser1 SIP/2.0`,
		},
		{
			name: "telephone number as user part",
			in:   `To: <sip:+14255550100@contoso.com;user=phone>`,
			want: `To: <sip:+15550100001@domain1.example;user=phone>`,
		},
		{
			name: "ms-diagnostics source in Office 365 stays",
			in:   `ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="sippoolbl20a05.infra.lync.com"`,
			want: `ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="sippoolbl20a05.infra.lync.com"`,
		},
		{
			name: "federation diagnostics",
			in:   `ms-diagnostics-public: 1034;reason="Previous hop federated peer did not report diagnostic information";Domain="fabrikam.com";PeerServer="sipfed.fabrikam.com"`,
			want: `ms-diagnostics-public: 1034;reason="Previous hop federated peer did not report diagnostic information";Domain="domain1.example";PeerServer="sipfed.domain1.example"`,
		},
		{
			name: "authentication targetname and Kerberos SPN",
			in:   `WWW-Authenticate: Kerberos realm="SIP Communications Service", targetname="sip/lyncpool01.contoso.com", version=4`,
			want: `WWW-Authenticate: Kerberos realm="SIP Communications Service", targetname="sip/host1.domain1.example", version=4`,
		},
		{
			name: "IPv6 Via with brackets and port",
			in:   `Via: SIP/2.0/TLS [2a01:111:f400:7e00::25]:5061;received=2a01:111:f400:7e00::26`,
			want: `Via: SIP/2.0/TLS [2001:db8::1]:5061;received=2001:db8::2`,
		},
		{
			name: "log line framing a packet",
			in:   `06/03/2014|09:44:13.005 1B58:1C24 INFO  :: End of Data Received -198.51.100.10:443 (To Local Address: 10.0.4.15:57049) 487 bytes`,
			want: `06/03/2014|09:44:13.005 1B58:1C24 INFO  :: End of Data Received -198.51.100.10:443 (To Local Address: 192.0.2.1:57049) 487 bytes`,
		},
		{
			name: "dash before a public address",
			in:   `End of Data Received -52.112.64.10:443`,
			want: `End of Data Received -192.0.2.1:443`,
		},
		{
			name: "contact card XML",
			in:   `<contactCard><identity><name><displayName>Bob Smith</displayName></name><email>bob@contoso.com</email></identity></contactCard>`,
			want: `<contactCard><identity><name><displayName>name1</displayName></name><email>user1@domain1.example</email></identity></contactCard>`,
		},
		{
			name: "contact list entry",
			in:   `<contact uri="mario.rossi@fabrikam.com" name="Mario Rossi" groups="1 2" subscribed="true" externalURI="" />`,
			want: `<contact uri="user1@domain1.example" name="name1" groups="1 2" subscribed="true" externalURI="" />`,
		},
	})
}

func TestRedactHTTPLines(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "autodiscover request",
			in:   `Sending HTTP request: GET https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com`,
			want: `Sending HTTP request: GET https://lyncdiscover.domain1.example/?sipuri=user1@domain1.example`,
		},
		{
			name: "internal autodiscover name resolution",
			in:   `GET https://lyncdiscoverinternal.contoso.com/?sipuri=bob@contoso.com failed: lyncdiscoverinternal.contoso.com could not be resolved, hr=0x80072ee7`,
			want: `GET https://lyncdiscoverinternal.domain1.example/?sipuri=user1@domain1.example failed: lyncdiscoverinternal.domain1.example could not be resolved, hr=0x80072ee7`,
		},
		{
			name: "Office 365 web directory keeps its host, redacts the query",
			in:   `GET https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com`,
			want: `GET https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=domain1.example`,
		},
		{
			name: "URL-encoded address",
			in:   `GET /Autodiscover/AutodiscoverService.svc/root/user?originalDomain=contoso.com&sipuri=bob%40contoso.com&xml=1`,
			want: `GET /Autodiscover/AutodiscoverService.svc/root/user?originalDomain=domain1.example&sipuri=user1%40domain1.example&xml=1`,
		},
		{
			name: "URL-encoded STS address",
			in:   `wreply=https%3A%2F%2Fsts.contoso.com%2Fadfs%2Fls%2F`,
			want: `wreply=https%3A%2F%2Fsts.domain1.example%2Fadfs%2Fls%2F`,
		},
		{
			name: "Host header and proxy",
			in:   "Host: lyncdiscoverinternal.contoso.com\r\nVia: 1.1 proxy.contoso.com:8080",
			want: "Host: lyncdiscoverinternal.domain1.example\r\nVia: 1.1 host1.domain1.example:8080",
		},
		{
			name: "URL with an address as host",
			in:   `POST http://10.1.2.3/CertProv/CertProvisioningService.svc HTTP/1.1`,
			want: `POST http://192.0.2.1/CertProv/CertProvisioningService.svc HTTP/1.1`,
		},
		{
			name: "federated realm discovery",
			in:   `<RealmInfo Success="true"><Login>bob@contoso.com</Login><NameSpaceType>Federated</NameSpaceType><DomainName>contoso.com</DomainName><AuthURL>https://sts.contoso.com/adfs/ls/</AuthURL></RealmInfo>`,
			want: `<RealmInfo Success="true"><Login>user1@domain1.example</Login><NameSpaceType>Federated</NameSpaceType><DomainName>domain1.example</DomainName><AuthURL>https://sts.domain1.example/adfs/ls/</AuthURL></RealmInfo>`,
		},
		{
			name: "tenant domain",
			in:   `https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token`,
			want: `https://login.microsoftonline.com/domain1.example/oauth2/token`,
		},
	})
}

func TestRedactEventLogExcerpts(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "computer name and STS host",
			in:   `System/Schannel 36888 Level=2 Computer=WKS-0042.contoso.local: 48 | 552 | sts.contoso.com`,
			want: `System/Schannel 36888 Level=2 Computer=host1.domain1.example: 48 | 552 | sts.domain2.example`,
		},
		{
			name: "single-label computer name",
			in:   `Application/Communicator 1 Level=2 Computer=WKS-0042: contoso.com`,
			want: `Application/Communicator 1 Level=2 Computer=HOST1: domain1.example`,
		},
		{
			name: "user SID redacted, well-known SIDs kept",
			in:   `System/Microsoft-Windows-Winlogon 7001 Level=4 Computer=WKS-0042.contoso.local: 1 | S-1-5-21-1004336348-1177238915-682003330-1108 | S-1-5-18 | S-1-5-19 | S-1-5-20 | S-1-5-32-544`,
			want: `System/Microsoft-Windows-Winlogon 7001 Level=4 Computer=host1.domain1.example: 1 | S-1-5-21-REDACTED-1 | S-1-5-18 | S-1-5-19 | S-1-5-20 | S-1-5-32-544`,
		},
		{
			name: "Kerberos pre-authentication",
			in:   `System/Microsoft-Windows-Security-Kerberos 3 Level=2 Computer=WKS-0156.contoso.local: CONTOSO.LOCAL\bob | 0x25 | KRB_AP_ERR_SKEW | CONTOSO.LOCAL | krbtgt/CONTOSO.LOCAL | krbtgt/CONTOSO.LOCAL@CONTOSO.LOCAL | onecore\ds\security\protocols\kerberos\client2\logonapi.cxx | e3b`,
			want: `System/Microsoft-Windows-Security-Kerberos 3 Level=2 Computer=host1.domain1.example: DOMAIN1.EXAMPLE\user1 | 0x25 | KRB_AP_ERR_SKEW | DOMAIN1.EXAMPLE | krbtgt/DOMAIN1.EXAMPLE | krbtgt/DOMAIN1.EXAMPLE@DOMAIN1.EXAMPLE | onecore\ds\security\protocols\kerberos\client2\logonapi.cxx | e3b`,
		},
		{
			name: "service principal with a host before the realm",
			in:   `cifs/FS01.contoso.local@CONTOSO.LOCAL HTTP/FS02@CONTOSO.LOCAL`,
			want: `cifs/host1.domain1.example@DOMAIN1.EXAMPLE HTTP/HOST2@DOMAIN1.EXAMPLE`,
		},
		{
			name: "NetBIOS domain and user",
			in:   `trying NTLM with the credentials the user entered (CONTOSO\bob)`,
			want: `trying NTLM with the credentials the user entered (DOMAIN1\user1)`,
		},
		{
			name: "built-in principals stay",
			in:   `NT AUTHORITY\SYSTEM | NT AUTHORITY\NETWORK SERVICE | BUILTIN\Administrators | HKLM\SOFTWARE`,
			want: `NT AUTHORITY\SYSTEM | NT AUTHORITY\NETWORK SERVICE | BUILTIN\Administrators | HKLM\SOFTWARE`,
		},
		{
			name: "profile path",
			in:   `System/Microsoft-Windows-Kernel-General 16 Level=4 Computer=WKS-0388.contoso.local: 27 | \??\C:\Users\bob\ntuser.dat | 1902 | 818`,
			want: `System/Microsoft-Windows-Kernel-General 16 Level=4 Computer=host1.domain1.example: 27 | \??\C:\Users\user1\ntuser.dat | 1902 | 818`,
		},
		{
			name: "system paths stay",
			in:   `35 | \SystemRoot\System32\Config\DEFAULT | C:\Users\Public\Documents | %LOCALAPPDATA%\Microsoft\Office\16.0\Lync`,
			want: `35 | \SystemRoot\System32\Config\DEFAULT | C:\Users\Public\Documents | %LOCALAPPDATA%\Microsoft\Office\16.0\Lync`,
		},
		{
			name: "cached sign-in folder",
			in:   `Cached sign-in data in %LOCALAPPDATA%\Microsoft\Office\16.0\Lync\sip_bob@contoso.com holds a certificate for sip:bob@contoso.com`,
			want: `Cached sign-in data in %LOCALAPPDATA%\Microsoft\Office\16.0\Lync\sip_user1@domain1.example holds a certificate for sip:user1@domain1.example`,
		},
		{
			name: "time service peer",
			in:   `System/Microsoft-Windows-Time-Service 37 Level=4 Computer=WKS-0072.contoso.local: DC01.contoso.local (ntp.d|0.0.0.0:123->10.0.0.10:123)`,
			want: `System/Microsoft-Windows-Time-Service 37 Level=4 Computer=host1.domain1.example: host2.domain1.example (ntp.d|0.0.0.0:123->192.0.2.1:123)`,
		},
		{
			name: "Microsoft time server stays, its address does not",
			in:   `time.windows.com,0x9 (ntp.m|0x9|0.0.0.0:123->52.179.17.38:123)`,
			want: `time.windows.com,0x9 (ntp.m|0x9|0.0.0.0:123->192.0.2.1:123)`,
		},
		{
			name: "assembly and OS versions stay",
			in:   `UccApi,processorArchitecture="AMD64",type="win32",version="16.0.0.0" | 10.0.14393.1198 | Definition Update for Windows Defender - KB2267602 (Definition 1.245.100.0)`,
			want: `UccApi,processorArchitecture="AMD64",type="win32",version="16.0.0.0" | 10.0.14393.1198 | Definition Update for Windows Defender - KB2267602 (Definition 1.245.100.0)`,
		},
		{
			name: "group policy UNC path",
			in:   `1 | 4213 | \\DC01\SYSVOL | \\DC02.contoso.local\NETLOGON`,
			want: `1 | 4213 | \\HOST1\SYSVOL | \\host2.domain1.example\NETLOGON`,
		},
		{
			name: "security log account fields",
			in:   "Account Name:\t\tbob\nAccount Domain:\t\tCONTOSO\nWorkstation Name:\tWKS-0042\nSource Network Address:\t10.0.9.8",
			want: "Account Name:\t\tuser1\nAccount Domain:\t\tCONTOSO\nWorkstation Name:\tHOST1\nSource Network Address:\t192.0.2.1",
		},
		{
			name: "directory DN",
			in:   `CN=Bob Smith,OU=Sales,DC=contoso,DC=local`,
			want: `CN=name1,OU=Sales,DC=domain1,DC=example`,
		},
		{
			name: "machine account",
			in:   `CONTOSO\WKS-0042$`,
			want: `DOMAIN1\HOST1$`,
		},
	})
}

func TestRedactKeyedValues(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "JSON fields",
			in:   `{"user": "bob", "computer": "WKS-0042", "ip": "10.1.2.3"}`,
			want: `{"user": "user1", "computer": "HOST1", "ip": "192.0.2.1"}`,
		},
		{
			name: "query string",
			in:   `GET /abs/handler?user=bob&x=1`,
			want: `GET /abs/handler?user=user1&x=1`,
		},
		{
			name: "key=value list",
			in:   `User=bob Level=2 UserName=alice`,
			want: `User=user1 Level=2 UserName=user2`,
		},
		{
			name: "prose after a colon is not a value",
			in:   `Sign-in failed, showing error to the user: There was a problem`,
			want: `Sign-in failed, showing error to the user: There was a problem`,
		},
		{
			name: "SIP URI parameter user=phone",
			in:   `sip:+14255550100@contoso.com;user=phone`,
			want: `sip:+15550100001@domain1.example;user=phone`,
		},
		{
			name: "printf-doubled escape",
			in:   `REGISTER for sip:CONTOSO%%5Cbob failed: 403 Forbidden`,
			want: `REGISTER for sip:DOMAIN1%%5Cuser1 failed: 403 Forbidden`,
		},
		{
			name: "JSON-escaped paths",
			in:   `{"HiveName": "\\??\\C:\\Users\\bob\\ntuser.dat", "Root": "\\SystemRoot\\System32\\Config\\DEFAULT"}`,
			want: `{"HiveName": "\\??\\C:\\Users\\user1\\ntuser.dat", "Root": "\\SystemRoot\\System32\\Config\\DEFAULT"}`,
		},
		{
			name: "profile of a second domain account",
			in:   `C:\Users\bob.CONTOSO\AppData and C:\Users\bob\AppData`,
			want: `C:\Users\user1.DOMAIN1\AppData and C:\Users\user1\AppData`,
		},
	})
}

func TestRedactLeavesNonPersonalText(t *testing.T) {
	for _, s := range []string{
		`06/03/2014|09:44:12.205 1B58:1C24 INFO  :: CUccPlatform::Initialize - UCCAPI/15.0.4569.1503 platform initialized`,
		`06/03/2014|09:44:12.219 1B58:1C24 INFO  :: CUccPlatform::Initialize - Tracing level FULL, client Lync 15.0.4569.1503`,
		`User-Agent: UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)`,
		`Supported: gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence`,
		`Content-Type: application/vnd.microsoft.rtc.autodiscover+xml; v=1`,
		`Server: Microsoft-IIS/8.5`,
		`Server: RTC/5.0`,
		`ms-user-logon-data: RemoteUser`,
		`ERROR :: CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: There was a problem verifying the certificate from the server.`,
		`The user name, password, or domain appears to be incorrect.`,
		`System.Net.WebException: The remote name could not be resolved`,
		`c:\program files (x86)\microsoft office\root\Office16\lync.exe.Manifest | UccApi.DLL | ntuser.dat | Windows.edb`,
		`ASP.NET_SessionId=abc; sip.instance; ms-received-cid=2B3600`,
		`loopback 127.0.0.1, ::1, unspecified 0.0.0.0 and ::, mask 255.255.255.0, APIPA 169.254.10.20, multicast 224.0.0.251 ff02::1`,
		`documentation addresses 192.0.2.44, 198.51.100.21, 203.0.113.7, 2001:db8::5`,
		`hr=0x800b0109 (CERT_E_UNTRUSTEDROOT) 2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC {D4E8B1A7-3C6F-4B52-9A1D-7E2C5F8B0A96}`,
		`already redacted: sip:user1@domain1.example, host2.domain3.example, DOMAIN1\user1, S-1-5-21-REDACTED-1, "name1" <sip:user2@domain1.example>`,
		"",
		"no special characters at all",
	} {
		assert.Equal(t, s, New().Redact(s))
	}
}

func TestRedactKeepsMicrosoftServiceDomains(t *testing.T) {
	for _, s := range []string{
		`sipdir.online.lync.com:443`,
		`Contact: <sip:sippoolbl20a05.infra.lync.com:443;transport=tls>`,
		`https://webdir0b.online.lync.com/Autodiscover/AutodiscoverService.svc/root`,
		`server login.microsoftonline.com`,
		`https://login.windows.net/common/oauth2/authorize`,
		`https://outlook.office365.com/EWS/Exchange.asmx`,
		`autodiscover-s.outlook.com portal.office.com www.microsoft.com`,
		`http://schemas.microsoft.com/2006/09/sip/categories http://www.w3.org/2001/XMLSchema-instance`,
		`CN=sipdir.online.lync.com, issuer CN=DigiCert SHA2 Secure Server CA, OCSP http://ocsp.digicert.com`,
		`SIPDIR.ONLINE.LYNC.COM`,
	} {
		assert.Equal(t, s, New().Redact(s))
	}
	// The user part of an address at a Microsoft domain is still personal.
	assert.Equal(t, "sip:user1@microsoft.com", New().Redact("sip:bob@microsoft.com"))
}

func TestRedactConsistentAcrossCalls(t *testing.T) {
	r := New()
	first := r.Redact(`From: <sip:bob@contoso.com>;tag=1;epid=2 Via: SIP/2.0/TLS 10.0.4.15:50123`)
	second := r.Redact(`REGISTER for sip:alice@contoso.com; then sip:Bob@Contoso.com from 10.0.4.15:50999 and 10.0.4.16`)
	third := r.Redact(`Computer=WKS-0042.contoso.local CONTOSO\bob C:\Users\bob sts.contoso.com`)

	assert.Equal(t, `From: <sip:user1@domain1.example>;tag=1;epid=2 Via: SIP/2.0/TLS 192.0.2.1:50123`, first)
	assert.Equal(t, `REGISTER for sip:user2@domain1.example; then sip:user1@domain1.example from 192.0.2.1:50999 and 192.0.2.2`, second)
	assert.Equal(t, `Computer=host1.domain2.example DOMAIN3\user1 C:\Users\user1 sts.domain1.example`, third)
}

func TestRedactDeterministic(t *testing.T) {
	inputs := []string{
		`sip:carol@fabrikam.com 10.9.8.7 WKS-7.fabrikam.local`,
		`sip:bob@contoso.com 10.0.0.1 S-1-5-21-1-2-3-500`,
		`sip:carol@fabrikam.com 10.0.0.1 [fe80::1c2b:3a4d:5e6f:7a8b]`,
	}
	a, b := New(), New()
	for _, in := range inputs {
		assert.Equal(t, a.Redact(in), b.Redact(in))
	}
	// fabrikam.com, fabrikam.local, contoso.com: in order of appearance.
	assert.Equal(t, "sip:user2@domain3.example 192.0.2.2 S-1-5-21-REDACTED-1", b.Redact(inputs[1]))
}

func TestRedactConcurrentUse(t *testing.T) {
	r := New()
	lines := make([]string, 50)
	for i := range lines {
		lines[i] = fmt.Sprintf("sip:person%d@contoso.com from 10.0.%d.%d", i%7, i%3, i%11+1)
	}
	results := make([][]string, 8)
	var wg sync.WaitGroup
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, l := range lines {
				results[g] = append(results[g], r.Redact(l))
			}
		}()
	}
	wg.Wait()
	for g := 1; g < len(results); g++ {
		assert.Equal(t, results[0], results[g], "goroutines saw different pseudonyms")
	}
	users := map[string]bool{}
	for _, out := range results[0] {
		users[strings.Fields(out)[0]] = true
	}
	assert.Len(t, users, 7, "seven distinct users get seven pseudonyms")
}

func TestRedactPseudonymSequences(t *testing.T) {
	r := New()
	var b strings.Builder
	for i := 1; i <= 256; i++ {
		fmt.Fprintf(&b, "10.1.%d.%d ", i/256, i%256)
	}
	out := strings.Fields(r.Redact(b.String()))
	require.Len(t, out, 256)
	assert.Equal(t, "192.0.2.1", out[0])
	assert.Equal(t, "192.0.2.254", out[253])
	assert.Equal(t, "198.51.100.1", out[254])
	assert.Equal(t, "198.51.100.2", out[255])

	// A documentation address or pseudonym seen in the input is never
	// handed out to another value.
	r = New()
	assert.Equal(t, "192.0.2.1 pc.domain2.example user1@domain1.example 192.0.2.2 user2@domain1.example User=user3",
		r.Redact("192.0.2.1 pc.domain2.example user1@contoso.com 10.0.0.1 alice@contoso.com User=carol"))
	assert.Equal(t, "host1.domain3.example", r.Redact("WKS-1.fabrikam.com"))

	r = New()
	assert.Equal(t, "2001:db8::1 2001:db8::2 2001:db8::1", r.Redact("2a01:111:f400::1 fe80::aa:bbff:fecc:ddee 2a01:111:f400:0::1"))
	assert.Equal(t, "::ffff:192.0.2.1", New().Redact("::ffff:10.0.0.1"))
}

func TestRedactShapes(t *testing.T) {
	r := New()
	assert.Equal(t, "HOST1.DOMAIN1.EXAMPLE host1.domain1.example SIP.DOMAIN1.EXAMPLE _sip._tls.domain1.example",
		r.Redact("WKS-0042.CONTOSO.COM wks-0042.contoso.com SIP.CONTOSO.COM _sip._tls.contoso.com"))
	assert.Equal(t, "sip.domain2.example lyncdiscover.domain2.example host2.domain2.example domain2.example",
		r.Redact("sip.contoso.co.uk lyncdiscover.contoso.co.uk pool01.eu.contoso.co.uk contoso.co.uk"))
}

// TestRedactFixtureLogs redacts every sample client log as a whole and
// checks that no planted personal value survives, that line numbers stay
// valid and that the client versions stay readable.
func TestRedactFixtureLogs(t *testing.T) {
	dir := filepath.Join("..", "testdata", "logs", "cases")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(strings.ToLower(p), ".uccapilog") {
			files = append(files, p)
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, files)
	personal := []string{"contoso", "fabrikam", "bob@", `\bob`, "10.0.4.15", "rossi", "WKS-0"}
	for _, p := range files {
		t.Run(filepath.Base(filepath.Dir(filepath.Dir(p)))+"/"+filepath.Base(p), func(t *testing.T) {
			in := readText(t, p)
			r := New()
			out := r.Redact(in)
			lowerOut := strings.ToLower(out)
			for _, v := range personal {
				if i := strings.Index(lowerOut, strings.ToLower(v)); i >= 0 {
					t.Errorf("%q survives: ...%s...", v, out[max(0, i-80):min(len(out), i+40)])
				}
			}
			assert.Equal(t, strings.Count(in, "\n"), strings.Count(out, "\n"), "line count")
			assert.Equal(t, strings.Count(in, "UCCAPI/"), strings.Count(out, "UCCAPI/"))
			for _, v := range []string{"15.0.4569.1503", "16.0.4717.1000", "4.0.7577.4051", "infra.lync.com"} {
				assert.Equal(t, strings.Count(in, v), strings.Count(out, v), v)
			}
			assert.Equal(t, out, r.Redact(out), "idempotent")
		})
	}
}

func TestRedactNilAndZeroValue(t *testing.T) {
	var nilR *Redactor
	assert.Equal(t, "sip:user1@domain1.example", nilR.Redact("sip:bob@contoso.com"))
	var zero Redactor
	assert.Equal(t, "sip:user1@domain1.example", zero.Redact("sip:bob@contoso.com"))
}

// fuzzTokens are pieces of real log text; assemble strings them
// together as the fuzzer's bytes choose.
var fuzzTokens = []string{
	"sip:bob@contoso.com", "<sip:alice.jones@fabrikam.com>", `"Bob Smith" <sip:bob@contoso.com>`,
	"10.0.4.15:50123", "85.10.20.30", "192.0.2.44", "[2a01:111:f400::25]:5061", "fe80::1%12", "::", "::1",
	"UCCAPI/16.0.4717.1000", "OC/4.0.7577.4051", `version="16.0.0.0"`, "10.0.14393.1198",
	`CONTOSO\bob`, "CONTOSO%5Cbob", "CONTOSO.LOCAL", `CONTOSO.LOCAL\bob`, "krbtgt/CONTOSO.LOCAL@CONTOSO.LOCAL",
	"WKS-0042.contoso.local", "Computer=WKS-0042", `\\FS01\share`, `C:\Users\bob\ntuser.dat`,
	"S-1-5-21-1004336348-1177238915-682003330-1108", "S-1-5-18", "sts.contoso.com", "lyncdiscover.contoso.com",
	"_sip._tls.contoso.com", "sippoolbl20a05.infra.lync.com", "login.microsoftonline.com", "bob%40contoso.com",
	"DC=contoso,DC=local", "CN=Bob Smith,OU=Sales,DC=contoso,DC=local", "<displayName>Bob Smith</displayName>",
	"tag=dec6c0e676;epid=7174c2dba5", "Account Name:\tbob", "User=alice", "user1@domain1.example",
	"host2.domain1.example", "1B58:1C24", "CUccPlatform::Initialize", "hr=0x800b0109", "ntuser.dat",
	"https://", "From: ", "To: ", "Via: SIP/2.0/TLS ", "Contact: ", "sip:", "@", `\`, "%",
	"tel:+14255550199", "+1 (425) 555-0199", "sip:+14255550199@contoso.com;user=phone", "+15550100001",
	"Users/jdoe/AppData", "sip_bob@contoso.com\\Tracing", "+",
	"(425) 555-0143", "425-555-0143", "call to 4255550143", `C:\Documents and Settings\carolx\x`,
	"Documents and Settings/carolx/", "/home/jdoe/", "<wsse:Username>ivanp</wsse:Username>",
	"sip:marko:pw@fabrikam.com", "010.020.030.041", "notes for 4255550143",
}

var fuzzSeparators = []string{" ", " ", ";", "\r\n", ",", " | ", "/", "=", "<", ">", `"`, ":", "(", ")", "\t"}

// assemble builds log-like text from the bytes of s.
func assemble(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := int(s[i])
		b.WriteString(fuzzTokens[c%len(fuzzTokens)])
		if i%8 == 7 {
			b.WriteString("\r\n") // log lines are short
			continue
		}
		b.WriteString(fuzzSeparators[(c/len(fuzzTokens)+i)%len(fuzzSeparators)])
	}
	return b.String()
}

// FuzzRedact checks that Redact never panics on any input, keeps its line
// breaks and valid UTF-8, and grows text by a bounded factor; and that on
// log-like text assembled from real pieces it is idempotent, for the same
// Redactor and for a fresh one.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		`From: "Bob Smith" <sip:bob@contoso.com>;tag=dec6c0e676;epid=7174c2dba5`,
		`Via: SIP/2.0/TLS 10.0.4.15:57049;received=85.10.20.30;ms-received-port=57049`,
		`User-Agent: UCCAPI/15.0.4569.1503 OC/4.0.7577.4051`,
		`GET https://lyncdiscover.contoso.com/?sipuri=bob%40contoso.com`,
		`Computer=WKS-0042.contoso.local: CONTOSO.LOCAL\bob | S-1-5-21-1-2-3-1108 | \\FS01\share`,
		`krbtgt/CONTOSO.LOCAL@CONTOSO.LOCAL sip:CONTOSO%%5Cbob C:\Users\bob.CONTOSO\x`,
		`[2001:db8::1]:5061 fe80::1%12 ::ffff:10.0.0.1 1B58:1C24 ::`,
		`CN=Smith\, Bob,OU=x,DC=contoso,DC=local <displayName>Bob</displayName>`,
		"Account Name:\tbob\nUser=alice Level=2",
		"@@@ %40 %5C \\\\ \\ < <sip: \"\" DC= CN= user: S-1-5-21-",
		"jürgen@münchen.de ユーザーbob@contoso.com",
		"\x00\x01\x02\x10\x20\x33\x40\x7f\x80\xff",
		"Physical Address. . . : 00-1A-2B-3C-4D-5E 00:1a:2b:3c:4d:5e 00-00-5E-00-53-01 00-00-5E-10-01-00 FF-FF-FF-FF-FF-FF",
		`C:\Users\asmith\AppData \\fs01\home$\asmith /home/jdoe/x`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := New()
		once := r.Redact(s)
		if strings.Count(once, "\n") != strings.Count(s, "\n") {
			t.Fatalf("line count changed: %q -> %q", s, once)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Fatalf("invalid UTF-8: %q -> %q", s, once)
		}
		if len(once) > 4*len(s)+64 {
			t.Fatalf("grew too much: %d -> %d bytes", len(s), len(once))
		}
		r.Redact(once)

		text := assemble(s)
		once = r.Redact(text)
		if twice := r.Redact(once); twice != once {
			t.Fatalf("not idempotent:\n in: %q\n 1st: %q\n 2nd: %q", text, once, twice)
		}
		if fresh := New().Redact(once); fresh != once {
			t.Fatalf("a fresh Redactor changes redacted text:\n in: %q\n 1st: %q\n 2nd: %q", text, once, fresh)
		}
	})
}

// benchLog is UccApilog-like text with personal data in every block.
var benchLog = strings.Repeat(
	"10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: End of Data Received -198.51.100.21:443 (To Local Address: 10.0.4.15:56632) 1096 bytes\r\n"+
		"Via: SIP/2.0/TLS 10.0.4.15:56632;branch=z9hG4bK8680AE1A;ms-received-port=56632;ms-received-cid=87400\r\n"+
		"From: <sip:bob@contoso.com>;tag=6705176eed;epid=a8716485d4\r\n"+
		"User-Agent: UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)\r\n"+
		"Call-ID: 112629f5c5f346b09e647523d70ea03b\r\n"+
		"10/09/2017|14:14:27.870 3E8C:3A50 ERROR :: CIdcrlAuth::OnAuthComplete - TLS to https://sts.contoso.com/adfs/services/trust/2005/usernamemixed failed, hr=0x800b0109\r\n", 256)

func BenchmarkRedactLog(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(benchLog)))
	b.ReportAllocs()
	for b.Loop() {
		r.Redact(benchLog)
	}
}

func BenchmarkRedactCleanLine(b *testing.B) {
	r := New()
	line := "10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: CUccPlatform::Initialize - Tracing level FULL, client Lync 15.0.4569.1503"
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if r.Redact(line) != line {
			b.Fatal("clean line changed")
		}
	}
}

func ExampleRedactor_Redact() {
	r := New()
	fmt.Println(r.Redact(`From: "Bob Smith" <sip:bob@contoso.com>;tag=dec6c0e676;epid=7174c2dba5`))
	fmt.Println(r.Redact(`Via: SIP/2.0/TLS 10.0.4.15:57049;ms-received-port=57049`))
	fmt.Println(r.Redact(`User-Agent: UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)`))
	fmt.Println(r.Redact(`GET https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com`))
	fmt.Println(r.Redact(`Computer=WKS-0042.contoso.local: CONTOSO\bob | S-1-5-21-1004336348-1177238915-682003330-1108`))
	fmt.Println(r.Redact(`sipdir.online.lync.com (198.51.100.10:443)`))
	// Output:
	// From: "name1" <sip:user1@domain1.example>;tag=dec6c0e676;epid=7174c2dba5
	// Via: SIP/2.0/TLS 192.0.2.1:57049;ms-received-port=57049
	// User-Agent: UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)
	// GET https://lyncdiscover.domain1.example/?sipuri=user1@domain1.example
	// Computer=host1.domain2.example: DOMAIN3\user1 | S-1-5-21-REDACTED-1
	// sipdir.online.lync.com (198.51.100.10:443)
}
