package report

import (
	"strings"
	"testing"

	"github.com/sfblog/sfblog/analyze"
)

// testCase is one report every format is rendered from.
type testCase struct {
	name   string
	report func() *analyze.Report
}

// testCases are the reports of the golden tests: no findings; several
// findings (grouped evidence, possible and confirmed, damaged inputs);
// hostile text (backticks, pipes, <script>, control characters,
// non-ASCII).
var testCases = []testCase{
	{"none", reportNone},
	{"several", reportSeveral},
	{"special", reportSpecial},
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
