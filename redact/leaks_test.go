package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// Personal data that survived --redact (red team findings B1-B5): each
// form that is now replaced, with the exact output, and the near misses
// that must stay as they are.

// TestLeakXPProfilePaths: B1, the Windows XP profile root where
// Communicator 2007 R2 and Lync 2010 keep their logs, and Linux homes.
func TestLeakXPProfilePaths(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "XP profile path in log text",
			in:   `(cache C:\Documents and Settings\carolx\Local Settings\Application Data\Microsoft\Communicator)`,
			want: `(cache C:\Documents and Settings\user1\Local Settings\Application Data\Microsoft\Communicator)`,
		},
		{
			name: "XP profile path with forward slashes",
			in:   `C:/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
			want: `C:/Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog`,
		},
		{
			name: "XP profile path of a zip entry",
			in:   `/tmp/cases/bundle.zip!/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog:106`,
			want: `/tmp/cases/bundle.zip!/Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog:106`,
		},
		{
			name: "relative XP profile path",
			in:   `Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
			want: `Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog`,
		},
		{
			name: "JSON-escaped XP profile path",
			in:   `{"path": "C:\\Documents and Settings\\carolx\\Tracing"}`,
			want: `{"path": "C:\\Documents and Settings\\user1\\Tracing"}`,
		},
		{
			name: "XP profile with a space in its name",
			in:   `C:\Documents and Settings\Carol X\Tracing`,
			want: `C:\Documents and Settings\user1\Tracing`,
		},
		{
			name: "same user in an XP and a Vista profile path",
			in:   `C:\Documents and Settings\carolx\x and C:\Users\carolx\y`,
			want: `C:\Documents and Settings\user1\x and C:\Users\user1\y`,
		},
		{
			name: "profile folder with non-ASCII letters, the folder after it stays",
			in:   `C:\Users\Jürgen\Desktop\notes.txt and C:\Documents and Settings\Jürgen\Desktop`,
			want: `C:\Users\user1\Desktop\notes.txt and C:\Documents and Settings\user1\Desktop`,
		},
		{
			name: "XP shared profiles stay",
			in:   `C:\Documents and Settings\All Users\Application Data and C:\Documents and Settings\Default User\NTUSER.DAT`,
			want: `C:\Documents and Settings\All Users\Application Data and C:\Documents and Settings\Default User\NTUSER.DAT`,
		},
		{
			name: "Local Settings and prose about settings stay",
			in:   `Local Settings\Application Data; Documents and settings are kept; My Documents and Settings/ is empty`,
			want: `Local Settings\Application Data; Documents and settings are kept; My Documents and Settings/ is empty`,
		},
		{
			name: "Linux home folder in an input path",
			in:   `/home/jdoe/cases/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog and file:///home/jdoe/x`,
			want: `/home/user1/cases/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog and file:///home/user1/x`,
		},
		{
			name: "home in a URL or deeper in a path stays",
			in:   `https://portal.office.com/home/index and /var/lib/home/data/ and /home/ and /home/jdoe`,
			want: `https://portal.office.com/home/index and /var/lib/home/data/ and /home/ and /home/jdoe`,
		},
	})
}

// TestLeakLearnsXPProfile: the profile folder of an XP path is learned from
// the event's path and replaced wherever it appears.
func TestLeakLearnsXPProfile(t *testing.T) {
	for _, path := range []string{
		`bundle.zip!/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
		`C:\Documents and Settings\carolx\Tracing\Communicator-uccapi-0.uccapilog`,
		`/home/carolx/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog`,
	} {
		t.Run(path, func(t *testing.T) {
			r := New()
			r.Learn(&event.Event{Path: path})
			assert.Equal(t, "signed in as user1 on HOST", r.Redact("signed in as carolx on HOST"))
		})
	}
	assert.Equal(t, "", profileName(`/var/home/carolx/x`))
	assert.Equal(t, "", profileName(`C:\Program Files\Documents and Settings.txt`))
}

// TestLeakPhonesWithoutPlus: B2, North American numbers written without
// '+', and bare 10-digit numbers where the text says phone or in a file
// name.
func TestLeakPhonesWithoutPlus(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "(NNN) NNN-NNNN",
			in:   `(call to (425) 555-0143 failed)`,
			want: `(call to 15550100001 failed)`,
		},
		{
			name: "(NNN)NNN-NNNN and 1 (NNN) NNN NNNN",
			in:   `(425)555-0143 or 1 (425) 555 0144`,
			want: `15550100001 or 15550100002`,
		},
		{
			name: "dashes and dots, one pseudonym for one number",
			in:   `425-555-0143, 425.555.0143, 1-425-555-0143 and +1 425 555 0143.`,
			want: `15550100001, 15550100001, 15550100001 and +15550100001.`,
		},
		{
			name: "bare ten digits after a phone word",
			in:   `call to 4255550143; Phone: 4255550144; mobile number 14255550145; dialing 4255550146`,
			want: `call to 15550100001; Phone: 15550100002; mobile number 15550100003; dialing 15550100004`,
		},
		{
			name: "bare ten digits in a file or folder name",
			in:   `C:\Users\Public\notes for 4255550143.txt:12 and bundle.zip!/calls/Jane 4255550144/Tracing/x.log`,
			want: `C:\Users\Public\notes for 15550100001.txt:12 and bundle.zip!/calls/Jane 15550100002/Tracing/x.log`,
		},
		{
			name: "bare ten digits in a file name",
			in:   `bundle.zip!/C/Users/davidq/notes for 4255550143 alice.jones@fabrikam.com.bin: not a format sfblog reads (skipped)`,
			want: `bundle.zip!/C/Users/user1/notes for 15550100001 user2@host1.domain1.example: not a format sfblog reads (skipped)`,
		},
		{
			name: "a number as a SIP display name",
			in:   `From: "425-555-0143" <sip:+14255550143@contoso.com;user=phone>`,
			want: `From: "15550100001" <sip:+15550100001@domain1.example;user=phone>`,
		},
		{
			name: "not phones: HRESULTs, ids, CSeq, ports, times, versions, GUIDs",
			in: "hr=0x80048821 80048821 ms-diagnostics: 4005;reason=\"x\" CSeq: 4255550143 REGISTER 10.0.4.15:5061 " +
				"2018-04-12 08:58:03 02/06/2018 2018.04.12 16.0.4717.1000 2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC",
			want: "hr=0x80048821 80048821 ms-diagnostics: 4005;reason=\"x\" CSeq: 4255550143 REGISTER 192.0.2.1:5061 " +
				"2018-04-12 08:58:03 02/06/2018 2018.04.12 16.0.4717.1000 2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC",
		},
		{
			name: "not phones: bare ten digits without a phone context",
			in: "Call-ID: 4255550143 | EventRecordID 4255550143 | RecordId=4255550143 | took 4255550143 ms | 4255550143 bytes | " +
				"call 2 took 4255550143 ms | callid=4255550143 | 02/06/2018 4255550143 | GET /users/4255550143/profile | " +
				"TCP/IP reset after 2147483648 bytes. Retrying | total calls 4255550143 | Logs/run 4255550143:12",
			want: "Call-ID: 4255550143 | EventRecordID 4255550143 | RecordId=4255550143 | took 4255550143 ms | 4255550143 bytes | " +
				"call 2 took 4255550143 ms | callid=4255550143 | 02/06/2018 4255550143 | GET /users/4255550143/profile | " +
				"TCP/IP reset after 2147483648 bytes. Retrying | total calls 4255550143 | Logs/run 4255550143:12",
		},
		{
			name: "not phones: invalid NANP numbers, Unix times, longer runs",
			in:   `call 1523523483; phone 0255550143; (123) 456-7890; 123-456-7890; 425-155-0143; call 42555501430; x-425-555-0143; 425-555-0143-7; f(425) 555-0143`,
			want: `call 1523523483; phone 0255550143; (123) 456-7890; 123-456-7890; 425-155-0143; call 42555501430; x-425-555-0143; 425-555-0143-7; f(425) 555-0143`,
		},
	})
}

// TestLeakUserElements: B3, user and computer names as the text of an XML
// element (WS-Security's UsernameToken and the like).
func TestLeakUserElements(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "WS-Security user name",
			in:   `<wsse:UsernameToken><wsse:Username>ivanp</wsse:Username><wsse:Password>x</wsse:Password></wsse:UsernameToken>`,
			want: `<wsse:UsernameToken><wsse:Username>user1</wsse:Username><wsse:Password>x</wsse:Password></wsse:UsernameToken>`,
		},
		{
			name: "Username, UserName, user, Account",
			in:   `<Username>ivanp</Username> <UserName>IvanP</UserName> <user>marko</user> <Account>jackr</Account>`,
			want: `<Username>user1</Username> <UserName>user1</UserName> <user>user2</user> <Account>user3</Account>`,
		},
		{
			name: "entity-escaped element",
			in:   `&lt;wsse:Username&gt;ivanp&lt;/wsse:Username&gt;`,
			want: `&lt;wsse:Username&gt;user1&lt;/wsse:Username&gt;`,
		},
		{
			name: "computer name element and a name in words",
			in:   `<ComputerName>WKS0042</ComputerName><UserName> Grace Hopkins </UserName>`,
			want: `<ComputerName>HOST1</ComputerName><UserName> name1 </UserName>`,
		},
		{
			name: "address and DOMAIN\\user elements keep their own rules",
			in:   `<Username>bob@contoso.com</Username><UserName>CONTOSO\bob</UserName>`,
			want: `<Username>user1@domain1.example</Username><UserName>DOMAIN2\user1</UserName>`,
		},
		{
			name: "not user names: empty, built-in, closing tags, other elements, FQDN hosts, multi-line",
			in: "<Username></Username><UserName>anonymous</UserName></Username> prose <b>x</b><UserNameFormat>upn</UserNameFormat>" +
				"<wsse:Nonce>abc</wsse:Nonce><HostName>sip.fabrikam.com</HostName><Username>a\nb</Username>",
			want: "<Username></Username><UserName>anonymous</UserName></Username> prose <b>x</b><UserNameFormat>upn</UserNameFormat>" +
				"<wsse:Nonce>abc</wsse:Nonce><HostName>sip.domain1.example</HostName><Username>a\nb</Username>",
		},
	})
}

// TestLeakURLUserinfo: B3, the user of user:password@host in a SIP or
// HTTP URL.
func TestLeakURLUserinfo(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "SIP URI with a password",
			in:   `(sip:marko:pw@fabrikam.com)`,
			want: `(sip:user1:user2@domain1.example)`,
		},
		{
			name: "proxy URL with credentials",
			in:   `Proxy Server(s) :  http://bob:Spr1ng@proxy.contoso.com:8080`,
			want: `Proxy Server(s) :  http://user1:user2@host1.domain1.example:8080`,
		},
		{
			name: "password already masked",
			in:   `sips:marko:<masked>@fabrikam.com and http://bob:<masked>@proxy.contoso.com`,
			want: `sips:user1:<masked>@domain1.example and http://user2:<masked>@host1.domain2.example`,
		},
		{
			name: "not userinfo: a time or parameters before an address",
			in:   `12:30:bob@contoso.com opaque=user:epid:x@contoso.com <masked>@contoso.com`,
			want: `12:30:user1@domain1.example opaque=user:epid:user2@domain1.example <masked>@domain1.example`,
		},
	})
}

// TestLeakLearnedAccounts: B3, account names and NetBIOS domains learned
// from the bundle, replaced where no rule would find them: a bare name in
// prose and DOMAIN/user with a slash.
func TestLeakLearnedAccounts(t *testing.T) {
	tests := []struct {
		name string
		evs  []*event.Event
		in   string
		want string
	}{
		{
			name: "sAMAccountName of a directory user",
			evs:  []*event.Event{{Fields: map[string]string{"ad.sam": "jackr", "ad.dn": "CN=jackr,OU=Users,DC=contoso,DC=com"}}},
			in:   `(logon as jackr) (logon as JACKR)`,
			want: `(logon as user1) (logon as user1)`,
		},
		{
			name: "user part of a UPN, mail and proxy addresses",
			evs: []*event.Event{{Fields: map[string]string{
				"ad.upn": "jackr@contoso.com", "ad.proxy_addresses": "SMTP:jack.r@contoso.com\nsip:jrusso@contoso.com",
			}}},
			in:   `logon as jackr, then jrusso`,
			want: `logon as user1, then user2`,
		},
		{
			name: "user part of SIP From and To",
			evs:  []*event.Event{{Fields: map[string]string{"sip.from.uri": "sip:jackr@contoso.com", "sip.to.uri": "sip:lync@contoso.com"}}},
			in:   `logon as jackr in Microsoft Lync`,
			want: `logon as user1 in Microsoft Lync`,
		},
		{
			name: "DOMAIN\\user and UPN in account fields",
			evs: []*event.Event{{Fields: map[string]string{
				"evt.data.TargetUserName": "CONTOSO\\jackr", "evt.data.SubjectUserName": "kated@contoso.com",
			}}},
			in:   `jackr and kated (logon CONTOSO/kated)`,
			want: `user1 and user2 (logon DOMAIN1/user2)`,
		},
		{
			name: "DOMAIN\\user in a log line teaches the domain and the account",
			evs:  []*event.Event{{Text: `trying NTLM with the credentials the user entered (CONTOSO\bob)`}},
			in:   `LogonIdentityEx failed (logon CONTOSO/kated) as bob`,
			want: `LogonIdentityEx failed (logon DOMAIN1/user1) as user2`,
		},
		{
			name: "NetBIOS name taken from the organisation's DNS domain",
			evs: []*event.Event{
				{Fields: map[string]string{"sip.from.uri": "sip:bob@contoso.com;user=phone"}},
				{Fields: map[string]string{"evt.computer": "WKS-0042.fabrikam.co.uk", "ad.upn": "x@tailspin.onmicrosoft.com"}},
				{Fields: map[string]string{"evt.data.SubjectDomainName": "NORTHWIND.LOCAL", "sip.to.uri": "sip:y@microsoft.com"}},
			},
			in:   `CONTOSO/kated FABRIKAM/kated TAILSPIN/kated NORTHWIND/kated MICROSOFT/kated`,
			want: `DOMAIN1/user1 DOMAIN2/user1 DOMAIN3/user1 DOMAIN4/user1 MICROSOFT/kated`,
		},
		{
			name: "NetBIOS domain of a logon event",
			evs:  []*event.Event{{Fields: map[string]string{"evt.data.TargetDomainName": "CONTOSO"}}},
			in:   `logon CONTOSO/kated, "CONTOSO/kated"`,
			want: `logon DOMAIN1/user1, "DOMAIN1/user1"`,
		},
		{
			name: "a profile folder with non-ASCII letters",
			evs:  []*event.Event{{Path: `C:\Users\Jürgen\AppData\Local\Microsoft\Office\16.0\Lync\Tracing\Lync-UccApi-0.UccApilog`}},
			in:   `logon as Jürgen (JüRGEN) from C:\Users\Jürgen\Desktop, not Jürgens or Jürgen2`,
			want: `logon as user1 (user1) from C:\Users\user1\Desktop, not Jürgens or Jürgen2`,
		},
		{
			name: "not accounts: unknown or lower-case domains, paths, URLs, files, longer words",
			evs: []*event.Event{{Fields: map[string]string{"evt.data.TargetDomainName": "CONTOSO", "ad.sam": "jackr"},
				Text: `line\nnext C:\Windows\system32 NT AUTHORITY\SYSTEM`}},
			in:   `FABRIKAM/kated contoso/kated Contoso/kated https://x.fabrikam.com/CONTOSO/kated CONTOSO/kated/x CONTOSO/kated.txt jackrabbit nnext`,
			want: `FABRIKAM/kated contoso/kated Contoso/kated https://host1.domain1.example/CONTOSO/kated CONTOSO/kated/x CONTOSO/kated.txt jackrabbit nnext`,
		},
		{
			name: "common words are not learned as accounts",
			evs: []*event.Event{{Fields: map[string]string{
				"sip.from.uri": "sip:meet@contoso.com", "sip.to.uri": "sip:voicemail@contoso.com", "ad.sam": "Test",
			}, Text: `see DOMAIN\user`}},
			in:   `meet now, voicemail, test, user`,
			want: `meet now, voicemail, test, user`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := redactLearned(tc.evs, tc.in, tc.want)
			assert.Equal(t, tc.want, out[0])
			assert.Equal(t, tc.want, out[1], "redacting the output again changes it")
		})
	}
}

// TestLeakLearnedDisplayNames: B4, display names learned from the bundle
// (SIP From and To, the CN of a directory user) replaced in prose. Names
// are never guessed from capitals.
func TestLeakLearnedDisplayNames(t *testing.T) {
	sipEvent := &event.Event{Fields: map[string]string{
		"sip.header.from": `"Grace Hopkins" <sip:grace@contoso.com>;tag=dec6c0e676;epid=7174c2dba5`,
		"sip.header.to":   `Mario Rossi <sip:mario.rossi@fabrikam.com>`,
	}}
	dirEvent := &event.Event{Fields: map[string]string{"ad.dn": `CN=Hopkins\, Grace,OU=Users,DC=contoso,DC=com`}}
	tests := []struct {
		name string
		evs  []*event.Event
		in   string
		want string
	}{
		{
			name: "display name of a SIP From, in prose and in a header",
			evs:  []*event.Event{sipEvent},
			in:   `contact: Grace Hopkins is offline; From: "Grace Hopkins" <sip:grace@contoso.com>`,
			want: `contact: name1 is offline; From: "name1" <sip:user1@domain1.example>`,
		},
		{
			name: "any case, spacing and quotes",
			evs:  []*event.Event{sipEvent},
			in:   `GRACE HOPKINS, 'Grace  Hopkins' and (mario rossi)`,
			want: `name1, 'name1' and (name2)`,
		},
		{
			name: "CN of a directory user, last name first",
			evs:  []*event.Event{dirEvent},
			in:   `Hopkins, Grace is away`,
			want: `name1 is away`,
		},
		{
			name: "not display names: parts, longer words, unlearned names, single words, containers",
			evs: []*event.Event{sipEvent, {Fields: map[string]string{
				"ad.dn": `CN=Reception,OU=Rooms,DC=contoso,DC=com`, "sip.header.to": `"Domain Users" <sip:x@contoso.com>`,
				"sip.header.referred-by": `"Help Desk" <sip:helpdesk@contoso.com>`,
			}}},
			in:   `Grace is here, Hopkins too; Grace Hopkinsville; Bob Jones is offline; Reception desk; Domain Users; call the help desk`,
			want: `Grace is here, Hopkins too; Grace Hopkinsville; Bob Jones is offline; Reception desk; Domain Users; call the help desk`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := redactLearned(tc.evs, tc.in, tc.want)
			assert.Equal(t, tc.want, out[0])
			assert.Equal(t, tc.want, out[1], "redacting the output again changes it")
		})
	}
}

// TestLeakPaddedIPv4: B5, IPv4 addresses with every octet zero-padded to
// three digits.
func TestLeakPaddedIPv4(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "padded address, same pseudonym as its usual spelling",
			in:   `(peer 010.020.030.041) 10.20.30.41:5061 bob@010.020.030.041 via 192.168.001.100`,
			want: `(peer 192.0.2.1) 192.0.2.1:5061 user1@192.0.2.1 via 192.0.2.2`,
		},
		{
			name: "not addresses: mixed padding, octets over 255, versions, kept ranges",
			in:   `1.02.003.4 010.020.030.256 1010.020.030.041 version 010.020.030.041 127.000.000.001 255.255.255.000 000.000.000.000 001.002.003`,
			want: `1.02.003.4 010.020.030.256 1010.020.030.041 version 010.020.030.041 127.000.000.001 255.255.255.000 000.000.000.000 001.002.003`,
		},
	})
}

// TestLeakRulesStayLinear runs the new rules over 1 MB lines built to make
// them look around as much as they can: a rule that backtracked or
// rescanned would make this test time out. No timing is asserted.
func TestLeakRulesStayLinear(t *testing.T) {
	evs := []*event.Event{{
		Path: `C:\Users\Jürgen\Tracing\Lync-UccApi-0.UccApilog`,
		Fields: map[string]string{
			"evt.data.TargetDomainName": "CONTOSO", "ad.sam": "jackr",
			"sip.header.from": `"Grace Hopkins Anne Marie Smith" <sip:grace@contoso.com>`,
		},
		Text: strings.Repeat(`CONTOSO\\`, 1<<12),
	}}
	const size = 1 << 20
	pieces := []string{
		"(425) 555-014",
		"call to 425555014 ",
		"4255550143",
		"a/notes for 425555014",
		"Documents and Settings/",
		"/home/",
		"<Username>",
		"&lt;wsse:Username&gt;x",
		"sip:a:",
		":b@",
		"CONTOSO/",
		"Grace Hopkins Anne Marie ",
		"010.020.030.04",
		"jackr ",
		"Jürgen ",
		"ü",
		"x",
	}
	for _, p := range pieces {
		t.Run(p, func(t *testing.T) {
			line := strings.Repeat(p, size/len(p)+1)[:size]
			out := redactLearned(evs, line)[0]
			assert.NotEmpty(t, out)
			assert.Equal(t, 0, strings.Count(out, "\n"))
		})
	}
	mixed := strings.Repeat(strings.Join(pieces, ""), size/200)
	assert.NotEmpty(t, redactLearned(evs, mixed)[0])
}

// redactLearned redacts each input in turn with one Redactor that first
// learned evs.
func redactLearned(evs []*event.Event, in ...string) []string {
	r := New()
	for _, e := range evs {
		r.Learn(e)
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = r.Redact(s)
	}
	return out
}

var _ = strings.Repeat

// TestMaskedUserinfoCut: the user of sip:user:<masked>@ is replaced even
// when a summary cut the domain after the '@'.
func TestMaskedUserinfoCut(t *testing.T) {
	for in, want := range map[string]string{
		"(sip:marko:<masked>@fabrikam.com)": "(sip:user1:<masked>@domain1.example)",
		"(sip:marko:<masked>@fabrika…":      "(sip:user1:<masked>@fabrika…",
		"x sip:marko:<masked>@":             "x sip:user1:<masked>@",
		"12:30:<masked>@x":                  "12:30:<masked>@x",
	} {
		assert.Equal(t, want, New().Redact(in), in)
	}
}
