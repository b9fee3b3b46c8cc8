package main

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/japanese"
)

// cases are every sample case: the client-log cases, then those in which
// the files a user collected decide the cause (issue 7), and the timeline
// cases (issue 8).
func cases() []caseSpec {
	return append(append(clientLogCases(), decideCases()...), timelineCases()...)
}

// Tool output the decide cases use. The shapes follow the fixtures of the
// parsers (parsers/dns, w32tm, regfile, certutil, adexport, netcfg), each of
// which names the public source of its format in its testdata/README.md.
const (
	noteUnavailable = "Hi,\r\n\r\nBob (bob@contoso.com) cannot sign in to Skype for Business since this morning. The client shows:\r\n\r\n" +
		"    Server is temporarily unavailable\r\n\r\nI attached what the troubleshooting guide asked for.\r\n"
	noteAddressNotFound = "Bob cannot sign in. The error is \"Sign-in address was not found.\"\r\n" +
		"Attached the export of his account from our AD.\r\n"
	noteCredentials = "User reports on Lync 2010: \"The user name, password, or domain appears to be incorrect.\"\r\n" +
		"He is sure the password is right (he can log on to Windows with it). w32tm output attached.\r\n"
	noteTrust = "Every morning Skype for Business asks:\r\n\r\n" +
		"Skype for Business is attempting to connect to:\r\nlyncweb.contoso.com\r\n" +
		"Skype for Business cannot verify that the server is trusted for your sign-in address. Connect anyway?\r\n\r\n" +
		"The policy key is exported below.\r\n"

	dnsSipMissing = "C:\\Users\\bob>nslookup -type=CNAME sip.contoso.com\r\nServer:  dc01.contoso.local\r\nAddress:  10.0.0.2\r\n\r\n" +
		"*** dc01.contoso.local can't find sip.contoso.com: Non-existent domain\r\n"
	dnsAllRight = "C:\\Users\\bob>nslookup -type=CNAME sip.contoso.com\r\nServer:  dc01.contoso.local\r\nAddress:  10.0.0.2\r\n\r\n" +
		"Non-authoritative answer:\r\nsip.contoso.com\tcanonical name = sipdir.online.lync.com\r\n\r\n" +
		"C:\\Users\\bob>nslookup -type=CNAME lyncdiscover.contoso.com\r\nServer:  dc01.contoso.local\r\nAddress:  10.0.0.2\r\n\r\n" +
		"Non-authoritative answer:\r\nlyncdiscover.contoso.com\tcanonical name = webdir.online.lync.com\r\n\r\n" +
		"C:\\Users\\bob>nslookup -type=srv _sip._tls.contoso.com\r\nServer:  dc01.contoso.local\r\nAddress:  10.0.0.2\r\n\r\n" +
		"Non-authoritative answer:\r\n_sip._tls.contoso.com\tSRV service location:\r\n\t  priority       = 100\r\n\t  weight         = 1\r\n" +
		"\t  port           = 443\r\n\t  svr hostname   = sipdir.online.lync.com\r\n\r\nsipdir.online.lync.com\tinternet address = 52.112.196.46\r\n\r\n" +
		"C:\\Users\\bob>\r\n"
	adfsSelfSigned = "C:\\Users\\admin>certutil -verify adfs.cer\r\nIssuer:\r\n    CN=adfs.contoso.com\r\nSubject:\r\n    CN=adfs.contoso.com\r\n" +
		"Cert Serial Number: 1c7a3f5e9d2b4a6c\r\n\r\n-------- CERT_CHAIN_CONTEXT --------\r\n" +
		"ChainContext.dwErrorStatus = CERT_TRUST_IS_UNTRUSTED_ROOT (0x20)\r\nChainContext.dwInfoStatus = CERT_TRUST_HAS_PREFERRED_ISSUER (0x100)\r\n\r\n" +
		"CertContext[0][0]: dwInfoStatus=10c dwErrorStatus=20\r\n  Issuer: CN=adfs.contoso.com\r\n  NotBefore: 6/14/2017 9:00 AM\r\n" +
		"  NotAfter: 6/14/2018 9:00 AM\r\n  Subject: CN=adfs.contoso.com\r\n  Serial: 1c7a3f5e9d2b4a6c\r\n  SubjectAltName: DNS Name=adfs.contoso.com\r\n" +
		"  Cert: 4f2e8a1b3c5d7e9f0a1b2c3d4e5f60718293a4b5\r\n  Element.dwInfoStatus = CERT_TRUST_HAS_NAME_MATCH_ISSUER (0x4)\r\n" +
		"  Element.dwInfoStatus = CERT_TRUST_IS_SELF_SIGNED (0x8)\r\n  Element.dwErrorStatus = CERT_TRUST_IS_UNTRUSTED_ROOT (0x20)\r\n\r\n" +
		"Exclude leaf cert:\r\n  Chain: da39a3ee5e6b4b0d3255bfef95601890afd80709\r\nFull chain:\r\n  Chain: 4f2e8a1b3c5d7e9f0a1b2c3d4e5f60718293a4b5\r\n" +
		"  Issuer: CN=adfs.contoso.com\r\n  Subject: CN=adfs.contoso.com\r\n" +
		"A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. 0x800b0109 (-2146762487 CERT_E_UNTRUSTEDROOT)\r\n" +
		"------------------------------------\r\nVerified Issuance Policies: None\r\nVerified Application Policies: All\r\n" +
		"Cannot check leaf certificate revocation status\r\nCertUtil: -verify command completed successfully.\r\n"
	ldifUser = "dn: CN=Bob Smith,OU=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: person\r\n" +
		"objectClass: organizationalPerson\r\nobjectClass: user\r\nsAMAccountName: bob\r\nuserPrincipalName: bob@contoso.com\r\n" +
		"proxyAddresses: SMTP:bob@contoso.com\r\nmsRTCSIP-PrimaryUserAddress: sip:bob@contoso.com\r\nmsRTCSIP-UserEnabled: %s\r\n\r\n"
	w32Skewed = "C:\\>w32tm /stripchart /computer:time.windows.com /samples:3\r\nTracking time.windows.com [40.119.6.228:123].\r\n" +
		"Collecting 3 samples.\r\nThe current time is 6/15/2017 9:02:11 AM.\r\n" +
		"09:02:11, d:+00.0312500s o:+462.1300000s  [                           |                          *]\r\n" +
		"09:02:13, d:+00.0312451s o:+462.1298750s  [                           |                          *]\r\n" +
		"09:02:15, d:+00.0312500s o:+462.1301461s  [                           |                          *]\r\n"
	w32InSync = "Tracking time.windows.com [40.119.6.228:123].\r\nCollecting 3 samples.\r\nThe current time is 6/15/2017 9:02:11 AM.\r\n" +
		"09:02:11, +00.0123512s\r\n09:02:13, +00.0119875s\r\n09:02:15, +00.0121002s\r\n"
	regClockSkew = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_USERS\\.DEFAULT\\Software\\Microsoft\\MSOIdentityCRL]\r\n" +
		"\"ClockSkew\"=dword:000001ce\r\n\r\n"
	regTrust = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Communicator]\r\n" +
		"\"TrustModelData\"=\"fabrikam.com, lync.fabrikam.com\"\r\n\"EnableTracing\"=dword:00000001\r\n\r\n"
	// The Application log as Event Viewer on Japanese Windows saves it
	// ("Save All Events As", CSV, UTF-8 with a byte order mark): Japanese
	// column, level and task names and year-first dates (the sources are
	// named in parsers/evttext/testdata/README.md), the Lync 2010 client's
	// own events in its language, English, as the evtx-client-dns case
	// holds them.
	viewerCSVJapanese = "\ufeffレベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n" +
		"情報,2017/06/15 9:01:50,Communicator,1020,なし,Communicator has enabled event logging. Information about failed calls will be sent to the Windows event log.\r\n" +
		"エラー,2017/06/15 9:02:05,Communicator,1,なし,\"Communicator was unable to locate the login server.  No DNS SRV records exist for domain contoso.com, so Communicator was unable to login.\"\r\n" +
		"エラー,2017/06/15 9:02:05,Communicator,3,なし,Communicator was unable to resolve the DNS hostname of the login server sipinternal.contoso.com.\r\n" +
		"エラー,2017/06/15 9:02:05,Communicator,3,なし,Communicator was unable to resolve the DNS hostname of the login server sip.contoso.com.\r\n" +
		"エラー,2017/06/15 9:02:06,Communicator,3,なし,Communicator was unable to resolve the DNS hostname of the login server sipexternal.contoso.com.\r\n"
	// A ticket from Japan: the note and nslookup's output in Shift_JIS, as
	// Notepad and cmd's ">" write them on Japanese Windows; nslookup's
	// labels and failure line in Japanese (parsers/dns/testdata/README.md).
	noteUnavailableJa = "お世話になっております。\r\nbob@contoso.com のユーザーが今朝から Skype for Business にサインインできません。" +
		"英語版のクライアントに次のように表示されます:\r\n\r\n    Server is temporarily unavailable\r\n\r\nnslookup の結果を添付します。\r\n"
	dnsSipMissingJa = "C:\\Users\\bob>nslookup -type=CNAME sip.contoso.com\r\nサーバー:  UnKnown\r\nAddress:  192.168.11.254\r\n\r\n" +
		"*** UnKnown が sip.contoso.com を見つけられません: Non-existent domain\r\n"
	winhttpProxy = "Current WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.contoso.com:8080\r\n    Bypass List     :  <local>;*.contoso.com\r\n\r\n"
)

// shiftJIS is s in Shift_JIS (code page 932), as Notepad and cmd's ">"
// write text on Japanese Windows.
func shiftJIS(s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// utf16le is s as Windows PowerShell 5.1's ">" and regedit write it:
// UTF-16LE with a byte order mark.
func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 2, 2+2*len(u))
	out[0], out[1] = 0xFF, 0xFE
	for _, c := range u {
		out = binary.LittleEndian.AppendUint16(out, c)
	}
	return out
}

// files builds a case's bundle from fixed files.
func files(fs ...file) func(*gen) ([]file, []file) {
	return func(*gen) ([]file, []file) { return fs, nil }
}

func decideCases() []caseSpec {
	const shared = " The tool output follows the real formats (see each parser's testdata/README.md for the source of its shape)."
	return []caseSpec{
		{
			id: "decide-unavailable-dns", client: "(note and tool output)",
			expected: []string{"SFB-SERVER-UNAVAILABLE-DNS"}, confirmed: []string{"SFB-SERVER-UNAVAILABLE-DNS"},
			shows: "the server-unavailable text, and nslookup finds no sip.contoso.com",
			readme: "A ticket note quoting \"Server is temporarily unavailable\" (two documented causes: a missing or wrong DNS " +
				"record, or a self-signed AD FS certificate) and `nslookup -type=CNAME sip.contoso.com` answered " +
				"`Non-existent domain`. The DNS cause is confirmed and the AD FS cause, which shares the symptom, is left out." + shared,
			build: files(file{"note.txt", []byte(noteUnavailable)}, file{"dns-sip.txt", []byte(dnsSipMissing)}),
		},
		{
			id: "decide-unavailable-adfs", client: "(note and tool output)",
			expected: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT"}, confirmed: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT"},
			shows: "the server-unavailable text, all three DNS records right (UTF-16), certutil -verify: self-signed AD FS certificate",
			readme: "The same note, the three DNS look-ups the article asks for (sip and lyncdiscover CNAMEs, the _sip._tls SRV " +
				"record), all pointing at Skype for Business Online and saved by PowerShell 5.1 as UTF-16LE, and " +
				"`certutil -verify` of adfs.contoso.com's certificate: self-signed, CERT_E_UNTRUSTEDROOT. The AD FS cause is " +
				"confirmed and the DNS cause is ruled out by dns-records.txt." + shared,
			build: files(file{"note.txt", []byte(noteUnavailable)}, file{"dns-records.txt", utf16le(dnsAllRight)},
				file{"adfs-verify.txt", []byte(adfsSelfSigned)}),
		},
		{
			id: "ruled-out-unavailable-dns", client: "(note and tool output)",
			expected: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT"}, possible: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT"},
			shows: "the server-unavailable text and all three DNS records right: DNS ruled out, AD FS possible",
			readme: "The note and the DNS look-ups of decide-unavailable-adfs, without the certificate: the DNS cause is ruled " +
				"out, the AD FS cause stays possible and the report names the certutil command that decides it." + shared,
			build: files(file{"note.txt", []byte(noteUnavailable)}, file{"dns-records.txt", utf16le(dnsAllRight)}),
		},
		{
			id: "decide-address-not-found-ad", client: "(note and ldifde export)",
			expected: []string{"SFB-SIP-NOT-ENABLED"}, confirmed: []string{"SFB-SIP-NOT-ENABLED"},
			shows: "\"Sign-in address was not found.\" and an ldifde export with msRTCSIP-UserEnabled: FALSE",
			readme: "The text has three documented causes (no licence, msRTCSIP-UserEnabled FALSE, the Sign-in Assistant " +
				"blocked by a proxy). The ldifde export of the user shows msRTCSIP-UserEnabled: FALSE: SFB-SIP-NOT-ENABLED is " +
				"confirmed and the causes that share the text are left out." + shared,
			build: files(file{"note.txt", []byte(noteAddressNotFound)}, file{"user.ldf", []byte(strings.Replace(ldifUser, "%s", "FALSE", 1))}),
		},
		{
			id: "ruled-out-address-not-found-ad", client: "(note and ldifde export)",
			expected: []string{"SFB-NOT-LICENSED", "SFB-SIGNIN-ADDRESS-NOT-FOUND"},
			possible: []string{"SFB-NOT-LICENSED", "SFB-SIGNIN-ADDRESS-NOT-FOUND"},
			shows:    "\"Sign-in address was not found.\" and msRTCSIP-UserEnabled: TRUE: SIP cause ruled out",
			readme: "The same note; the export shows the user enabled with a SIP address, so SFB-SIP-NOT-ENABLED is ruled out " +
				"and the two other causes stay possible, each with the command that decides it." + shared,
			build: files(file{"note.txt", []byte(noteAddressNotFound)}, file{"user.ldf", []byte(strings.Replace(ldifUser, "%s", "TRUE", 1))}),
		},
		{
			id: "decide-address-not-found-proxy", client: "Lync 2013 (with netsh output)",
			expected: []string{"SFB-SIGNIN-ADDRESS-NOT-FOUND"}, confirmed: []string{"SFB-SIGNIN-ADDRESS-NOT-FOUND"},
			shows: "the signin-address-not-found client log and `netsh winhttp show proxy` naming proxy.contoso.com:8080",
			readme: "The client log of signin-address-not-found (the Sign-in Assistant's requests to login.microsoftonline.com " +
				"fail through proxy.contoso.com with 407 and 0x80072efd) and the WinHTTP proxy the Sign-in Assistant uses. " +
				"The proxy cause is confirmed." + shared,
			build: func(g *gen) ([]file, []file) {
				logs, _ := buildAddressNotFound(g)
				return append(logs, file{"winhttp-proxy.txt", []byte(winhttpProxy)}), nil
			},
		},
		{
			id: "decide-credentials-clock", client: "(note and w32tm output)",
			expected: []string{"SFB-CLOCK-SKEW"}, confirmed: []string{"SFB-CLOCK-SKEW"},
			shows: "the Lync 2010 user-name/password text and w32tm /stripchart 7 min 42 s off",
			readme: "Lync 2010 shows \"The user name, password, or domain appears to be incorrect.\" for wrong credentials and " +
				"for a skewed clock (KB 2581291). w32tm /stripchart shows the computer 462 s ahead of time.windows.com: " +
				"SFB-CLOCK-SKEW is confirmed and the credentials cause is left out." + shared,
			build: files(file{"note.txt", []byte(noteCredentials)}, file{"w32tm.txt", []byte(w32Skewed)}),
		},
		{
			id: "ruled-out-credentials-clock", client: "(note and w32tm output)",
			expected: []string{"SFB-BAD-CREDENTIALS"}, possible: []string{"SFB-BAD-CREDENTIALS"},
			shows: "the same text and w32tm in sync: clock skew ruled out, credentials possible",
			readme: "The same note; w32tm /stripchart /dataonly shows the clock within 13 ms: SFB-CLOCK-SKEW is ruled out and " +
				"SFB-BAD-CREDENTIALS stays possible." + shared,
			build: files(file{"note.txt", []byte(noteCredentials)}, file{"w32tm.txt", []byte(w32InSync)}),
		},
		{
			id: "decide-clock-files-only", client: "(w32tm output and .reg)",
			expected: []string{"SFB-CLOCK-SKEW"}, confirmed: []string{"SFB-CLOCK-SKEW"},
			shows: "w32tm /stripchart 7 min 42 s off and the MSOIdentityCRL ClockSkew value (UTF-16 .reg), no text",
			readme: "No error text at all: the w32tm output shows the clock 7 minutes 42 seconds off, and the registry export " +
				"(UTF-16LE, as regedit writes it) holds the ClockSkew DWORD the Sign-in Assistant records (KB 2581291). " +
				"SFB-CLOCK-SKEW is confirmed." + shared,
			build: files(file{"w32tm.txt", []byte(w32Skewed)}, file{"msoidentitycrl.reg", utf16le(regClockSkew)}),
		},
		{
			id: "decide-unavailable-events-ja", client: "Lync 2010 (Event Viewer CSV, Japanese Windows)",
			expected: []string{"SFB-SERVER-UNAVAILABLE-DNS"}, confirmed: []string{"SFB-SERVER-UNAVAILABLE-DNS"},
			shows: "the Application log saved as CSV by a Japanese Event Viewer: Communicator events 1 and 3 for contoso.com",
			readme: "The client's own events of evtx-client-dns (source `Communicator`, event 1: no DNS SRV records for " +
				"contoso.com; event 3: sip.contoso.com not resolved), saved by Event Viewer on Japanese Windows as CSV: the " +
				"header row `レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ`, levels `エラー` and `情報`, task `なし`, " +
				"dates `2017/06/15 9:02:05`. SFB-SERVER-UNAVAILABLE-DNS is confirmed, as from the .evtx." + shared,
			build: files(file{"Application.csv", []byte(viewerCSVJapanese)}),
		},
		{
			id: "decide-unavailable-dns-ja", client: "(note and nslookup, Japanese Windows)",
			expected: []string{"SFB-SERVER-UNAVAILABLE-DNS"}, confirmed: []string{"SFB-SERVER-UNAVAILABLE-DNS"},
			shows: "decide-unavailable-dns from Japan: a Shift_JIS note, and nslookup's Japanese output (Shift_JIS)",
			readme: "The ticket of decide-unavailable-dns as a Japanese administrator sends it: a note in Japanese quoting the " +
				"English client's \"Server is temporarily unavailable\", and `nslookup -type=CNAME sip.contoso.com` run on " +
				"Japanese Windows (`サーバー:`, `*** UnKnown が sip.contoso.com を見つけられません: Non-existent domain`), both in " +
				"Shift_JIS as Notepad and cmd's `>` write them. The DNS cause is confirmed, as from the English files." + shared,
			build: files(file{"note.txt", shiftJIS(noteUnavailableJa)}, file{"dns-sip.txt", shiftJIS(dnsSipMissingJa)}),
		},
		{
			id: "decide-trust-prompt", client: "(note and .reg)",
			expected: []string{"SFB-TRUST-PROMPT"}, confirmed: []string{"SFB-TRUST-PROMPT"},
			shows: "the trust dialog naming lyncweb.contoso.com, and TrustModelData without contoso.com (UTF-16 .reg)",
			readme: "The user quotes the trust dialog, which names lyncweb.contoso.com; the export of " +
				"HKLM\\Software\\Policies\\Microsoft\\Communicator lists only fabrikam.com in TrustModelData. SFB-TRUST-PROMPT is " +
				"confirmed; the first-sign-in variant, which shares the text, is left out." + shared,
			build: files(file{"note.txt", []byte(noteTrust)}, file{"communicator-policy.reg", utf16le(regTrust)}),
		},
	}
}

func timelineCases() []caseSpec {
	return []caseSpec{
		{
			id: "recovered-after-fix", client: "Lync 2013",
			expected: []string{"SFB-SIP-NOT-ENABLED"}, confirmed: []string{"SFB-SIP-NOT-ENABLED"}, outcome: "recovered",
			shows: "four REGISTERs refused with ms-diagnostics 4005, then, an hour later, a successful sign-in",
			readme: "The most common ticket: it failed this morning, it works now, why? Four sign-in attempts are refused " +
				"`404 Not Found` with `ms-diagnostics: 4005`; the administrator sets msRTCSIP-UserEnabled and an hour later " +
				"the client signs in (TLS-DSK, 200 OK). The failures are still reported (SFB-SIP-NOT-ENABLED, confirmed) " +
				"with the verdict: failed 4 times, then signed in.",
			build: func(g *gen) ([]file, []file) {
				return []file{{pathSfB, sipNotEnabledLog(g, "bob@contoso.com", 4, true)}}, nil
			},
		},
		{
			id: "two-users", client: "Lync 2013 + Skype for Business 2016",
			expected: []string{"SFB-SIP-NOT-ENABLED"}, confirmed: []string{"SFB-SIP-NOT-ENABLED"}, groups: 2,
			shows: "alice's failing Lync 2013 log (4005) and bob's healthy SfB 2016 log in one bundle",
			readme: "Two users' Tracing folders in one bundle: alice@contoso.com is refused with ms-diagnostics 4005, " +
				"bob@contoso.com signs in. The report analyses each user on its own (two groups, each with its verdict); " +
				"it never merges them into one verdict.",
			build: func(g *gen) ([]file, []file) {
				healthy, _ := buildHealthy(g)
				return []file{
					{"alice/" + pathSfB, sipNotEnabledLog(g, "alice@contoso.com", 2, false)},
					{"bob/" + healthy[0].path, healthy[0].data},
				}, nil
			},
		},
	}
}
