package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/analyze"
)

// testCase is one report every format is rendered from, in a language.
type testCase struct {
	name   string
	report func() *analyze.Report
	lang   string
}

// testCases are the reports of the golden tests: no findings; several
// findings (grouped evidence, possible and confirmed, damaged inputs);
// hostile text (backticks, pipes, <script>, control characters,
// non-ASCII); a Lync 2013 sign-in refused with 404/4005 four times, then
// recovered, in English and in Japanese; event logs only (client logs
// missing, possible causes with commands); two users, each its own group.
var testCases = []testCase{
	{"none", reportNone, ""},
	{"several", reportSeveral, ""},
	{"special", reportSpecial, ""},
	{"sip", reportSIP, ""},
	{"sip-ja", reportSIPJa, "ja"},
	{"evtx", reportEvtx, ""},
	{"groups", reportGroups, ""},
}

func testTool() analyze.Tool { return analyze.Tool{Name: "sfblog", Version: "1.0.0-test"} }

// reportNone: the user signed in, nothing is wrong. Findings is nil and an
// input has nil Errors, as an analyzer may leave them.
func reportNone() *analyze.Report {
	return &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          testTool(),
		Inputs: []analyze.Input{
			{Path: "alice.zip!/Tracing/Lync-UccApi-0.UccApilog", Format: "uccapilog", Events: 412,
				FirstTime: "2013-04-16T03:17:30.168", LastTime: "2013-04-16T03:19:02.004"},
			{Path: "alice.zip!/EventLogs/Lync.evtx", Format: "evtx", Events: 37,
				FirstTime: "2013-04-16T01:02:03Z", LastTime: "2013-04-16T03:20:00Z", Errors: []string{}},
		},
		Summary: analyze.Summary{},
		SignIn: analyze.SignIn{Outcome: analyze.OutcomeSucceeded, Address: "alice@contoso.com",
			Attempts: 2, Failures: 1, LastTime: "2013-04-16T03:17:31.555"},
	}
}

const sip401 = "SIP/2.0 401 Unauthorized\r\n" +
	"Date: Tue, 16 Apr 2013 03:27:31 GMT\r\n" +
	"From: <sip:bob@contoso.com>;tag=1a2b3c;epid=4d5e6f\r\n" +
	"ms-diagnostics: 1000;reason=\"Final handshake failed\";source=\"sipfe.online.lync.com\"\r\n" +
	"CSeq: 2 REGISTER\r\n"

// reportSeveral: a failed sign-in with a confirmed error (grouped repeats,
// more events than shown), two possible causes of the same symptom, an
// event log with damaged records and an unrecognized file.
func reportSeveral() *analyze.Report {
	return &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          testTool(),
		Inputs: []analyze.Input{
			{Path: "bundle.zip!/EventLogs/Application.evtx", Format: "evtx", Events: 812,
				FirstTime: "2013-04-15T22:00:01Z", LastTime: "2013-04-16T03:30:00Z",
				Errors: []string{"record 7: bad record size", "offset 0x11000: chunk checksum mismatch"}},
			{Path: "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", Format: "uccapilog", Events: 1523,
				FirstTime: "2013-04-16T03:17:30.168", LastTime: "2013-04-16T03:29:59.001"},
			{Path: "bundle.zip!/Tracing/Lync-UccApi-1.UccApilog", Format: "uccapilog", Events: 200,
				FirstTime: "2013-04-16T02:00:00.000", LastTime: "2013-04-16T03:17:29.999"},
			{Path: "bundle.zip!/notes/screenshot.png", Format: "unrecognized"},
		},
		Findings: []analyze.Finding{
			{
				ID: "SFB-CLOCK-SKEW", Title: "The computer clock is not in sync with the server clock",
				Severity: analyze.SeverityError, Confidence: analyze.Confirmed,
				Message: "Cannot sign in to Lync because your computer clock is not set correctly.",
				Cause:   "The system clock differs from the server clock by more than 5 minutes, so the server rejects the sign-in.",
				Remedy: []string{
					"Make sure the domain controller syncs its time from a reliable external time source.",
					"Resync the client: `w32tm /resync`.",
				},
				Links: []string{
					"https://support.office.com/en-us/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__toc323194094",
					"http://go.microsoft.com/fwlink/?linkid=3052&kbid=816042",
				},
				Evidence: []analyze.Evidence{
					{Path: "bundle.zip!/EventLogs/Application.evtx", RecordID: 4711, Time: "2013-04-16T03:17:00Z",
						Excerpt: "Time-Service 36: The time service has not synchronized the system time for 86400 seconds"},
					{Path: "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", Line: 120, Time: "2013-04-16T03:17:31.555",
						Excerpt: sip401, Count: 3},
				},
				EvidenceTotal: 6,
			},
			{
				ID: "SFB-NOT-LICENSED", Title: "The user is not licensed for Skype for Business Online",
				Severity: analyze.SeverityWarning, Confidence: analyze.Possible,
				Message: "Sign-in address was not found.",
				Cause:   "The user has no Skype for Business Online license.",
				Remedy:  []string{"Assign the license, then have the user sign in again."},
				Links:   []string{"https://support.office.com/en-us/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__toc323194094"},
				Collect: "The user's licenses in the admin center.",
				Evidence: []analyze.Evidence{
					{Path: "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", Line: 2044, Time: "2013-04-16T03:18:00.010",
						Excerpt: "04/16/2013|03:18:00.010 1F68:C14 ERROR :: Sign-in address was not found."},
				},
				EvidenceTotal: 1,
			},
			{
				ID: "SFB-SIP-NOT-ENABLED", Title: "SIP is not enabled for the user",
				Severity: analyze.SeverityWarning, Confidence: analyze.Possible,
				Message: "Sign-in address was not found.",
				Cause:   "Active Directory still has `msRTCSIP-UserEnabled` = `FALSE` from an earlier\nLync Server deployment.",
				Remedy: []string{
					"Set `msRTCSIP-UserEnabled` to `TRUE` for every affected user.",
					"Rerun the directory synchronization (DirSync).",
				},
				Links:   []string{"https://technet.microsoft.com/en-us/library/hh967642.aspx"},
				Collect: "An AD export (LDIF or CSV) of the user's msRTCSIP-UserEnabled attribute.",
				Evidence: []analyze.Evidence{
					{Path: "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", Line: 2051,
						Excerpt: "ms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\";source=\"sipfe.online.lync.com\""},
				},
				EvidenceTotal: 1,
			},
		},
		Summary: analyze.Summary{Findings: 3, Error: 1, Warning: 2},
		SignIn: analyze.SignIn{Outcome: analyze.OutcomeFailed, Address: "bob@contoso.com",
			Attempts: 4, Failures: 4, LastTime: "2013-04-16T03:29:58.120"},
		Clock: analyze.Clock{ClientUTCOffset: "+02:00", Source: "sip-date"},
	}
}

// hostileExcerpt has backticks (a fence-length run), pipes, HTML, a
// character reference, CRLF, a terminal escape, non-ASCII text and a long
// first line.
var hostileExcerpt = "\r\n  Fehler | «Anmeldung» fehlgeschlagen ```` <script>alert(\"x\")</script> & &amp; é 日本語 — more text to be cut off\r\n" +
	"サインインできません | `code`\r\n" +
	"```\r\n" +
	"]]> \x1b[31mred\x1b[0m\uffff\r\n"

// reportSpecial: no sign-in attempt, one finding whose text and paths
// carry everything a renderer must escape.
func reportSpecial() *analyze.Report {
	path := "notes/ユーザー|メモ `1`.txt"
	return &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          analyze.Tool{Name: "sfblog", Version: "<dev>"},
		Inputs: []analyze.Input{
			{Path: path, Format: "text", Events: 3,
				Errors: []string{"line 3: invalid UTF-8 <0xff> | replaced"}},
		},
		Findings: []analyze.Finding{{
			ID: "SFB-UNRESOLVED", Title: "Sign-in failures that no signature explains | <b>bold</b>",
			Severity: analyze.SeverityInfo, Confidence: analyze.Confirmed,
			Message: "# Échec: <script>alert(1)</script> | ``` *not bold* [x](http://evil) &amp;\n1. not a list",
			Cause:   "Nothing in the catalog explains `C:\\Users\\<user>` or <user name> | * .",
			Remedy:  []string{"- Collect the client logs\nand the event logs.", "1) Contact support."},
			Links:   []string{"https://support.office.com/article/eaf6602b-95e0-4c27-869f-36017475806c", "javascript:alert(1)", "#__toc325626447"},
			Evidence: []analyze.Evidence{
				{Path: path, Line: 2, Excerpt: hostileExcerpt, Count: 2},
			},
			EvidenceTotal: 2,
		}},
		Summary: analyze.Summary{Findings: 1, Info: 1},
		SignIn:  analyze.SignIn{Outcome: analyze.OutcomeUnknown},
	}
}

// The SIP messages below follow the UccApilog excerpts of the catalog
// (signatures/catalog/sfb-sip-not-enabled.yaml, after log-facts.md 1.3:
// the Lync Server "newly created users can't sign in" article quotes
// ms-diagnostics 4005 "Destination URI either not enabled for SIP or does
// not exist"). User-Agent strings are the Lync 2013 RTM build
// (15.0.4420.1017) and Skype for Business 2016 (16.0.4849.1000) as the
// clients send them ("UCCAPI/<build> OC/<build> (<product>)",
// testdata/logs/cases/_generator/sip.go). Decisive responses and steps
// have the shape analyze/signin.go gives them.

const (
	lync2013UA = "UCCAPI/15.0.4420.1017 OC/15.0.4420.1017 (Microsoft Lync)"
	sfb2016UA  = "UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)"
	pool       = "sippoolbl20a05.infra.lync.com"
	diag4005   = `ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist";source="` + pool + `"`
	uccPath    = "bob-bundle.zip!/Users/bob/AppData/Local/Microsoft/Office/15.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
)

// sip404 is the excerpt of a REGISTER refused with 404 and 4005.
const sip404 = "SIP/2.0 404 Not Found\n" +
	"From: <sip:bob@contoso.com>;tag=1a6e4c8a2b;epid=7b3f9c2d1e\n" +
	"To: <sip:bob@contoso.com>;tag=8C1D3E2F4A5B\n" +
	"CSeq: 2 REGISTER\n" +
	diag4005 + "\n" +
	"Server: RTC/6.0"

// attempt404 is one sign-in attempt of bob's Lync 2013: autodiscover, a
// redirect from sipdir to the home pool, a TLS-DSK challenge, then the
// REGISTER with credentials refused with 404/4005.
func attempt404(n int, min, sec int, line int) analyze.Attempt {
	at := func(ds int) string { return fmt.Sprintf("2017-06-15T09:%02d:%02d.%03d", min, sec+ds/1000, ds%1000) }
	utc := func(ds int) string { return fmt.Sprintf("2017-06-15T07:%02d:%02d.%03dZ", min, sec+ds/1000, ds%1000) }
	return analyze.Attempt{
		N: n, Start: at(112), StartUTC: utc(112), End: at(482), Address: "sip:bob@contoso.com",
		Steps: []analyze.Step{
			{Time: at(112), Kind: "autodiscover", Detail: "GET https://lyncdiscover.contoso.com/?sipuri=sip:bob@contoso.com", Path: uccPath, Line: line - 40},
			{Time: at(201), Kind: "register", Server: "sipdir.online.lync.com", Detail: "REGISTER sip:contoso.com", Path: uccPath, Line: line - 30},
			{Time: at(260), Kind: "redirect", Server: "sipdir.online.lync.com", Detail: "301 Redirect request to " + pool, Path: uccPath, Line: line - 24},
			{Time: at(301), Kind: "register", Server: pool, Detail: "REGISTER sip:contoso.com", Path: uccPath, Line: line - 18},
			{Time: at(390), Kind: "auth", Server: pool, Detail: "401 Unauthorized (TLS-DSK challenge)", Path: uccPath, Line: line - 12},
			{Time: at(410), Kind: "auth", Server: pool, Detail: "REGISTER sip:contoso.com with credentials (TLS-DSK)", Path: uccPath, Line: line - 6},
			{Time: at(482), Kind: "response", Server: pool, Detail: "404 Not Found", Path: uccPath, Line: line},
		},
		Outcome:  analyze.OutcomeFailed,
		Decisive: "404 Not Found; " + diag4005,
		Path:     uccPath, Line: line,
		Findings: []string{"SFB-SIP-NOT-ENABLED"},
	}
}

// attemptOK is the attempt that succeeded once the account was fixed.
func attemptOK(n int) analyze.Attempt {
	return analyze.Attempt{
		N: n, Start: "2017-06-15T09:14:01.020", StartUTC: "2017-06-15T07:14:01.020Z", End: "2017-06-15T09:14:01.655",
		Address: "sip:bob@contoso.com",
		Steps: []analyze.Step{
			{Time: "2017-06-15T09:14:01.120", Kind: "register", Server: pool, Detail: "REGISTER sip:contoso.com", Path: uccPath, Line: 9012},
			{Time: "2017-06-15T09:14:01.300", Kind: "auth", Server: pool, Detail: "401 Unauthorized (TLS-DSK challenge)", Path: uccPath, Line: 9030},
			{Time: "2017-06-15T09:14:01.410", Kind: "auth", Server: pool, Detail: "REGISTER sip:contoso.com with credentials (TLS-DSK)", Path: uccPath, Line: 9048},
			{Time: "2017-06-15T09:14:01.655", Kind: "response", Server: pool, Detail: "200 OK", Path: uccPath, Line: 9066},
		},
		Outcome: analyze.OutcomeSucceeded, Decisive: "200 OK", Path: uccPath, Line: 9066,
	}
}

// sipFinding is SFB-SIP-NOT-ENABLED, confirmed by the 404/4005 responses,
// in the catalog's words (lang "" or "ja").
func sipFinding(lang string) analyze.Finding {
	f := analyze.Finding{
		ID:         "SFB-SIP-NOT-ENABLED",
		Title:      "The user is not enabled for SIP (msRTCSIP-UserEnabled is FALSE)",
		Severity:   analyze.SeverityError,
		Confidence: analyze.Confirmed,
		Message:    "Cannot sign in to Lync because this sign-in address was not found. Verify the sign-in address and try again. If the problem continues, please contact your support team.",
		Cause: "The organisation used Office Communications Server or Lync Server 2010 before and did not remove the users from it before retiring it, " +
			"so Active Directory still has msRTCSIP-UserEnabled = FALSE for the user, and Directory Synchronization carries that to Skype for Business Online.",
		Remedy: []string{
			"Set msRTCSIP-UserEnabled to TRUE for every affected user in the on-premises Active Directory.",
			"Rerun the Microsoft Online Services Directory Synchronization tool (DirSync) and have the user sign in again.",
		},
		Links: []string{
			"https://support.office.com/en-us/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__update_user_settings_1",
			"https://technet.microsoft.com/en-us/library/hh967642.aspx",
		},
		Deciding: &analyze.Evidence{Path: uccPath, Line: 1234, Time: "2017-06-15T09:02:10.482", Excerpt: sip404},
		Evidence: []analyze.Evidence{
			{Path: uccPath, Line: 1234, Time: "2017-06-15T09:02:10.482", Excerpt: sip404, Count: 4},
			{Path: uccPath, Line: 1262, Time: "2017-06-15T09:02:11.030",
				Excerpt: "06/15/2017|09:02:11.030 1F68:C14 ERROR :: Cannot sign in to Lync because this sign-in address was not found."},
		},
		EvidenceTotal: 5,
	}
	if lang == "ja" {
		f.Title = "ユーザーが SIP に対して有効になっていない (msRTCSIP-UserEnabled が FALSE)"
		f.Cause = "組織で以前 Office Communications Server または Lync Server 2010 を使用していて、廃止する前にユーザーをそこから削除しなかったため、" +
			"Active Directory ではそのユーザーの msRTCSIP-UserEnabled が FALSE のままになっています。ディレクトリ同期によって、この値が Skype for Business Online に反映されます。"
		f.Remedy = []string{
			"オンプレミスの Active Directory で、影響を受けるすべてのユーザーの msRTCSIP-UserEnabled を TRUE に設定します。",
			"Microsoft Online Services ディレクトリ同期ツール (DirSync) を再実行し、ユーザーにもう一度サインインしてもらいます。",
		}
		f.Links = []string{"https://support.office.com/ja-jp/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__update_user_settings_1"}
	}
	return f
}

// dnsRuledOut is SFB-SERVER-UNAVAILABLE-DNS, excluded by an nslookup
// output (nslookup prints "canonical name = " for a CNAME).
func dnsRuledOut(lang string) analyze.RuledOut {
	ro := analyze.RuledOut{
		ID: "SFB-SERVER-UNAVAILABLE-DNS", Title: "The sip DNS record of the custom domain is missing or wrong",
		Rule: "sip-cname-ok", Path: "bob-bundle.zip!/dns-sip.txt", Line: 5,
		Reason: "sip.contoso.com is a CNAME to sipdir.online.lync.com",
	}
	if lang == "ja" {
		ro.Title = "カスタム ドメインの sip DNS レコードがないか、正しくない"
		ro.Reason = "sip.contoso.com は sipdir.online.lync.com の CNAME です"
	}
	return ro
}

// reportSIP: bob's Lync 2013 was refused with 404/4005 four times, then
// signed in after the administrator fixed the account.
func reportSIP() *analyze.Report { return sipReport("") }

// reportSIPJa is reportSIP with the catalog's Japanese texts, as
// --lang ja gives them.
func reportSIPJa() *analyze.Report { return sipReport("ja") }

func sipReport(lang string) *analyze.Report {
	attempts := []analyze.Attempt{attempt404(1, 2, 10, 1234), attempt404(2, 3, 40, 2410), attempt404(3, 5, 12, 3620), attempt404(4, 7, 55, 4871), attemptOK(5)}
	r := &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          testTool(),
		Subject: analyze.Subject{
			Client: "Lync 2013", Version: "15.0.4420.1017", UserAgent: lync2013UA,
			Address: "bob@contoso.com", Computer: "pc-bob-01",
			First: "2017-06-15T09:01:58.004", Last: "2017-06-15T09:15:30.870",
			FirstUTC: "2017-06-15T07:01:58.004Z", LastUTC: "2017-06-15T07:15:30.870Z",
		},
		Inputs: []analyze.Input{
			{Path: "bob-bundle.zip!/EventLogs/Application.evtx", Format: "evtx", Events: 212,
				FirstTime: "2017-06-14T22:00:03Z", LastTime: "2017-06-15T07:20:00Z", Kinds: map[string]int{"record": 212}},
			{Path: uccPath, Format: "uccapilog", Events: 1523,
				FirstTime: "2017-06-15T09:01:58.004", LastTime: "2017-06-15T09:15:30.870",
				Kinds: map[string]int{"sip": 412, "log": 37, "hresult": 5, "uitext": 4}},
			{Path: "bob-bundle.zip!/dns-sip.txt", Format: "dns", Events: 2, Kinds: map[string]int{"dns": 2},
				RuledOut: []string{"SFB-SERVER-UNAVAILABLE-DNS"}},
		},
		Findings: []analyze.Finding{sipFinding(lang)},
		RuledOut: []analyze.RuledOut{dnsRuledOut(lang)},
		Summary:  analyze.Summary{Findings: 1, Error: 1},
		SignIn: analyze.SignIn{
			Outcome: analyze.OutcomeRecovered, Address: "sip:bob@contoso.com",
			Attempts: 5, Failures: 4, Registers: 15, Refusals: 4, Errors: 4,
			LastTime:     "2017-06-15T09:14:01.655",
			FirstFailure: "2017-06-15T09:02:10.482", LastFailure: "2017-06-15T09:07:55.482",
			SucceededAt: "2017-06-15T09:14:01.655",
		},
		Attempts: attempts,
		Clock:    analyze.Clock{ClientUTCOffset: "+02:00", Source: "sip-date"},
	}
	return r
}

// reportEvtx: only the event logs of a computer running Skype for
// Business 2016 were given: the client's error text is there, DNS-Client
// time-outs, but no client log, so the causes of "the server is
// temporarily unavailable" stay possible, each with the commands that
// decide it.
func reportEvtx() *analyze.Report {
	app := "carol-logs.zip!/Application.evtx"
	sys := "carol-logs.zip!/System.evtx"
	return &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          testTool(),
		Subject: analyze.Subject{Computer: "laptop-carol.contoso.com",
			First: "2017-06-15T06:55:00Z", Last: "2017-06-15T07:40:12Z", FirstUTC: "2017-06-15T06:55:00Z", LastUTC: "2017-06-15T07:40:12Z"},
		Inputs: []analyze.Input{
			{Path: app, Format: "evtx", Events: 96, FirstTime: "2017-06-15T06:55:00Z", LastTime: "2017-06-15T07:40:12Z", Kinds: map[string]int{"record": 96, "uitext": 1}},
			{Path: sys, Format: "evtx", Events: 1204, FirstTime: "2017-06-15T06:55:02Z", LastTime: "2017-06-15T07:39:58Z", Kinds: map[string]int{"record": 1204},
				Errors: []string{"record 311: bad record size 0x0"}},
		},
		Findings: []analyze.Finding{
			{
				ID: "SFB-SERVER-UNAVAILABLE-ADFS-CERT", Title: "The AD FS server uses a self-signed certificate",
				Severity: analyze.SeverityError, Confidence: analyze.Possible,
				Message: "The server is temporarily unavailable. If the problem continues, please contact your support team.",
				Cause:   "Single sign-on goes through AD FS, and the AD FS server uses a self-signed SSL certificate instead of one from a third-party CA.",
				Remedy:  []string{"Get an SSL certificate from a third-party CA and install it on the AD FS server with the AD FS management console."},
				Links:   []string{"https://support.office.com/en-us/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__verify_upn_and"},
				Collect: "The certificate chain of the AD FS host, and Schannel events of the client.",
				Commands: []string{
					`certutil -urlfetch -verify adfs.contoso.com.cer`,
					`wevtutil qe System /q:"*[System[Provider[@Name='Schannel']]]" /f:text`,
				},
				Evidence: []analyze.Evidence{{Path: app, RecordID: 5120, Time: "2017-06-15T07:31:44Z",
					Excerpt: "Lync 11: The server is temporarily unavailable. If the problem continues, please contact your support team."}},
				EvidenceTotal: 1,
			},
			{
				ID: "SFB-SERVER-UNAVAILABLE-DNS", Title: "The sip DNS record of the custom domain is missing or wrong",
				Severity: analyze.SeverityError, Confidence: analyze.Possible,
				Message: "The server is temporarily unavailable. If the problem continues, please contact your support team.",
				Cause:   "The organisation uses a custom domain and the required DNS record is missing or wrong.",
				Remedy:  []string{"Ask the domain registrar to add the CNAME record sip -> sipdir.online.lync.com."},
				Links:   []string{"https://support.office.com/en-us/article/cdd4801a-2fe1-4aab-bbb6-db5f95f972d1#__update_dns_service"},
				Collect: "The DNS answers for the sign-in domain.",
				Commands: []string{
					"nslookup -type=CNAME sip.contoso.com",
					"nslookup -type=SRV _sip._tls.contoso.com",
				},
				Evidence: []analyze.Evidence{
					{Path: app, RecordID: 5120, Time: "2017-06-15T07:31:44Z",
						Excerpt: "Lync 11: The server is temporarily unavailable. If the problem continues, please contact your support team."},
					{Path: sys, RecordID: 88121, Time: "2017-06-15T07:31:40Z",
						Excerpt: "Microsoft-Windows-DNS-Client 1014: Name resolution for the name sip.contoso.com timed out after none of the configured DNS servers responded.", Count: 3},
				},
				EvidenceTotal: 4,
			},
		},
		Summary: analyze.Summary{Findings: 2, Error: 2},
		SignIn:  analyze.SignIn{Outcome: analyze.OutcomeFailed, Attempts: 1, Failures: 1, Errors: 1, LastTime: "2017-06-15T07:31:44Z"},
		Attempts: []analyze.Attempt{{
			N: 1, Start: "2017-06-15T07:31:44Z", StartUTC: "2017-06-15T07:31:44Z", Steps: []analyze.Step{
				{Time: "2017-06-15T07:31:44Z", Kind: "error", Detail: "The server is temporarily unavailable.", Path: app},
			},
			Outcome: analyze.OutcomeFailed, Decisive: "The server is temporarily unavailable.", Path: app,
			Findings: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT", "SFB-SERVER-UNAVAILABLE-DNS"},
		}},
		Missing: []analyze.Advice{{
			Evidence: "client-logs",
			Why:      "the client logs show each REGISTER and the server's answer with its ms-diagnostics code: most causes are decided there",
			Command: `Skype for Business: Options > General > Logging in Skype for Business: Full; sign in again, then zip ` +
				`%LOCALAPPDATA%\Microsoft\Office\16.0\Lync\Tracing (Lync 2013: 15.0; Lync 2010 and Communicator: %USERPROFILE%\Tracing)`,
		}},
	}
}

// reportGroups: one bundle with two users: bob (Lync 2013, refused with
// 404/4005) and carol (Skype for Business 2016, signed in).
func reportGroups() *analyze.Report {
	bob := sipReport("")
	bob.SchemaVersion, bob.Tool = 0, analyze.Tool{}
	bob.Subject.Key = "bob@contoso.com"
	bob.Attempts = bob.Attempts[:4]
	bob.SignIn = analyze.SignIn{Outcome: analyze.OutcomeFailed, Address: "sip:bob@contoso.com",
		Attempts: 4, Failures: 4, Registers: 12, Refusals: 4, Errors: 4, LastTime: "2017-06-15T09:07:55.482"}
	bob.Inputs = bob.Inputs[1:]
	carolLog := "helpdesk.zip!/carol/Tracing/Lync-UccApi-0.UccApilog"
	carol := analyze.Report{
		Subject: analyze.Subject{Client: "Skype for Business 2016", Version: "16.0.4849.1000", UserAgent: sfb2016UA,
			Address: "carol@contoso.com", Key: "carol@contoso.com",
			First: "2017-06-15T10:20:00.100", Last: "2017-06-15T10:21:13.900"},
		Inputs: []analyze.Input{{Path: carolLog, Format: "uccapilog", Events: 310,
			FirstTime: "2017-06-15T10:20:00.100", LastTime: "2017-06-15T10:21:13.900", Kinds: map[string]int{"sip": 96, "log": 3}}},
		Findings: []analyze.Finding{},
		SignIn: analyze.SignIn{Outcome: analyze.OutcomeSucceeded, Address: "sip:carol@contoso.com",
			Attempts: 1, Registers: 3, LastTime: "2017-06-15T10:20:01.870"},
		Attempts: []analyze.Attempt{{
			N: 1, Start: "2017-06-15T10:20:01.020", End: "2017-06-15T10:20:01.870", Address: "sip:carol@contoso.com",
			Steps: []analyze.Step{
				{Time: "2017-06-15T10:20:01.020", Kind: "register", Server: "sippoolam41e07.infra.lync.com", Detail: "REGISTER sip:contoso.com", Path: carolLog, Line: 40},
				{Time: "2017-06-15T10:20:01.420", Kind: "auth", Server: "sippoolam41e07.infra.lync.com", Detail: "401 Unauthorized (TLS-DSK challenge)", Path: carolLog, Line: 61},
				{Time: "2017-06-15T10:20:01.870", Kind: "response", Server: "sippoolam41e07.infra.lync.com", Detail: "200 OK", Path: carolLog, Line: 102},
			},
			Outcome: analyze.OutcomeSucceeded, Decisive: "200 OK", Path: carolLog, Line: 102,
		}},
	}
	top := &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Tool:          testTool(),
		Inputs:        append(append([]analyze.Input{}, bob.Inputs...), carol.Inputs...),
		Findings:      []analyze.Finding{},
		Summary:       analyze.Summary{Findings: 1, Error: 1},
		SignIn:        analyze.SignIn{Outcome: analyze.OutcomeUnknown},
		Missing: []analyze.Advice{{
			Evidence: "event-logs",
			Why:      "the Application and System event logs hold the client's own error events, DNS-Client time-outs, Time-Service and Schannel errors",
			Command:  `wevtutil epl Application Application.evtx & wevtutil epl System System.evtx`,
		}},
		Groups: []analyze.Report{*bob, carol},
	}
	return top
}

// findCase returns the named test case's report.
func findCase(t *testing.T, name string) *analyze.Report {
	t.Helper()
	for _, c := range testCases {
		if c.name == name {
			return c.report()
		}
	}
	t.Fatalf("no test case %q", name)
	return nil
}

// findLang returns the language of the named test case.
func findLang(name string) string {
	for _, c := range testCases {
		if c.name == name {
			return c.lang
		}
	}
	return ""
}

// countUnescaped counts occurrences of c in s not preceded by a backslash.
func countUnescaped(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c && (i == 0 || s[i-1] != '\\') {
			n++
		}
	}
	return n
}

// lines splits s into lines without the final empty one.
func lines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
