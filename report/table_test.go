package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

func renderTableOpt(t *testing.T, r *analyze.Report, color bool) string {
	t.Helper()
	return renderOpt(t, "table", r, Options{Color: color})
}

// renderWidth renders the table report of a test case at a width.
func renderWidth(t *testing.T, name string, width int) string {
	t.Helper()
	return renderOpt(t, "table", findCase(t, name), Options{Width: width, Lang: findLang(name)})
}

func TestTableColor(t *testing.T) {
	r := findCase(t, "several")
	plain := renderTableOpt(t, r, false)
	assert.NotContains(t, plain, "\x1b")

	colored := renderTableOpt(t, r, true)
	assert.Contains(t, colored, ansiRed+"error"+ansiReset)
	assert.Contains(t, colored, ansiYellow+"warning"+ansiReset)
	assert.True(t, strings.HasPrefix(colored, ansiRed+"Sign-in failed for bob@contoso.com"))

	// Colour changes nothing but the escape sequences.
	assert.Equal(t, plain, stripANSI(colored))

	info := renderTableOpt(t, findCase(t, "special"), true)
	assert.Contains(t, info, ansiCyan+"info"+ansiReset)
	assert.True(t, strings.HasPrefix(info, ansiBold+"No sign-in attempt"))

	ok := renderTableOpt(t, findCase(t, "none"), true)
	assert.True(t, strings.HasPrefix(ok, ansiGreen+"Sign-in succeeded"))

	rec := renderTableOpt(t, findCase(t, "sip"), true)
	assert.True(t, strings.HasPrefix(rec, ansiYellow+"Sign-in for sip:bob@contoso.com failed 4 times"))
	assert.Equal(t, renderTableOpt(t, findCase(t, "sip"), false), stripANSI(rec))
}

// TestTableFitsWidth: no line of any report, in any language, is wider
// than the width it was given, measured in display columns (a CJK
// character takes two), with or without colour.
func TestTableFitsWidth(t *testing.T) {
	for _, tc := range testCases {
		for _, w := range []int{40, 60, 80, 100, 119, 120, 160} {
			for _, color := range []bool{false, true} {
				out := renderOpt(t, "table", tc.report(), Options{Width: w, Lang: tc.lang, Color: color})
				for _, line := range lines(stripANSI(out)) {
					assert.LessOrEqual(t, textWidth(line), w, "%s at %d: %q", tc.name, w, line)
				}
			}
		}
	}
	// Width 0 is the default width; below the minimum is the minimum.
	assert.Equal(t, renderWidth(t, "sip", DefaultWidth), renderWidth(t, "sip", 0))
	assert.Equal(t, renderWidth(t, "sip", MinWidth), renderWidth(t, "sip", 10))
}

// TestTable80 checks what a tester reads at an 80-column terminal: the
// deciding lines (status and ms-diagnostics with code and reason) with
// file and line, the header, the timeline and the ruled-out cause.
func TestTable80(t *testing.T) {
	out := renderWidth(t, "sip", 80)
	ls := lines(out)
	assert.Equal(t, "Sign-in for sip:bob@contoso.com failed 4 times between 2017-06-15T09:02:10.482", ls[0])
	assert.Equal(t, "and 2017-06-15T09:07:55.482, then succeeded at 2017-06-15T09:14:01.655: 1", ls[1])
	assert.Contains(t, out, "\nClient:               Lync 2013 15.0.4420.1017\n")
	assert.Contains(t, out, "\nUser agent:           UCCAPI/15.0.4420.1017 OC/15.0.4420.1017 (Microsoft Lync)\n")
	assert.Contains(t, out, "\nComputer:             pc-bob-01\n")
	assert.Contains(t, out, "\nEvidence from (UTC):  2017-06-15T07:01:58.004Z to 2017-06-15T07:15:30.870Z\n")
	assert.Contains(t, out, "\nSign-in:              5 attempts (4 failed), 15 REGISTER requests, 4 refusals by\n"+
		"                      the server, 4 errors shown to the user; deciding event at\n")

	// The finding block: no wide table at 80 columns.
	assert.NotContains(t, out, "DECIDING EVIDENCE")
	assert.Contains(t, out, "\nerror  SFB-SIP-NOT-ENABLED  confirmed  5 events\n"+
		"The user is not enabled for SIP (msRTCSIP-UserEnabled is FALSE)\n"+
		"  Evidence: bob-bundle.zip!/.../Lync-UccApi-0.UccApilog:1234\n"+
		"    2017-06-15T09:02:10.482 (seen 4 times)\n"+
		"    SIP/2.0 404 Not Found\n"+
		"    ms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or\n"+
		"      does not exist\";source=\"sippoolbl20a05.infra.lync.com\"\n")
	assert.Contains(t, out, "\n  Also: .../Lync-UccApi-0.UccApilog:1262  Cannot sign in to Lync because this...\n")
	assert.NotContains(t, out, "more", "the deciding excerpt stands for 4 events, the other for 1: all 5 are shown")

	// The timeline, attempt by attempt.
	assert.Contains(t, out, "\nSign-in timeline (5 attempts):\n"+
		"  1. 2017-06-15T09:02:10.112  failed  404/4005\n"+
		"     Servers: sipdir.online.lync.com, sippoolbl20a05.infra.lync.com\n"+
		"     Authentication: 401 Unauthorized (TLS-DSK challenge); REGISTER\n")
	assert.Contains(t, out, "\n  5. 2017-06-15T09:14:01.020  succeeded  200\n")
	assert.Contains(t, out, "\n     at bob-bundle.zip!/.../Lync-UccApi-0.UccApilog:1234; supports\n       SFB-SIP-NOT-ENABLED\n")
	assert.Contains(t, out, "\n  2. 2017-06-15T09:03:40.112  failed  404/4005\n"+
		"     Servers, authentication and response as in attempt 1.\n")

	assert.Contains(t, out, "\nRuled out by the evidence:\n"+
		"  - SFB-SERVER-UNAVAILABLE-DNS ruled out by bob-bundle.zip!/dns-sip.txt:5:\n"+
		"    sip.contoso.com is a CNAME to sipdir.online.lync.com\n")
	assert.Contains(t, out, "\n    dns, 2 events: 2 DNS look-ups; rules out SFB-SERVER-UNAVAILABLE-DNS\n")
	assert.Contains(t, out, "\n    uccapilog, 1523 events: 412 SIP messages, 4 error texts shown to the user,\n"+
		"    37 log warnings and errors, 5 HRESULT codes\n")
}

// TestTable160 checks the wide layout: overview tables that fit.
func TestTable160(t *testing.T) {
	out := renderWidth(t, "sip", 160)
	assert.Contains(t, out, "\nSEVERITY  ID                   CONFIDENCE  EVENTS  DECIDING EVIDENCE")
	assert.Contains(t, out, "error     SFB-SIP-NOT-ENABLED  confirmed   5       404/4005  ")
	assert.Contains(t, out, "\n#  START                    OUTCOME    SERVERS")
	// The blocks are there too, with the deciding lines unbroken.
	assert.Contains(t, out, "\n    "+diag4005+"\n")
}

// TestTableEvtxOnly: event logs only: the advice to collect the client
// logs, with the exact setting and folder, comes right after the header;
// possible causes show the commands that decide them.
func TestTableEvtxOnly(t *testing.T) {
	out := renderWidth(t, "evtx", 80)
	assert.Contains(t, out, "\nMissing evidence: collect it and run sfblog again\n"+
		"  - Client logs (UccApilog): the client logs show each REGISTER and the server's\n")
	assert.Contains(t, out, "\n      Skype for Business: Options > General > Logging in Skype for Business:\n"+
		"        Full; sign in again, then zip\n")
	assert.Less(t, strings.Index(out, "Missing evidence"), strings.Index(out, "SFB-SERVER-UNAVAILABLE-ADFS-CERT"))
	assert.Contains(t, out, "\n  To decide, collect: The DNS answers for the sign-in domain.\n"+
		"      nslookup -type=CNAME sip.contoso.com\n"+
		"      nslookup -type=SRV _sip._tls.contoso.com\n")
	assert.Contains(t, out, "\n1 of 2 inputs could not be fully read (see Inputs below)\n")
	assert.Contains(t, out, "\n1 of 2 inputs could not be fully read:\n  - carol-logs.zip!/System.evtx (evtx)\n    record 311: bad record size 0x0\n")
	assert.Contains(t, out, "\n  Also: (x3) carol-logs.zip!/System.evtx#88121  Microsoft-Windows-DNS-Client...\n")
}

func TestTableGroups(t *testing.T) {
	out := renderWidth(t, "groups", 80)
	assert.True(t, strings.HasPrefix(out, "2 users in these inputs: each is analysed on its own: 1 finding (1 error)\n"))
	rule := strings.Repeat("=", 80)
	assert.Contains(t, out, "\n"+rule+"\nUser 1 of 2: bob@contoso.com\n"+rule+"\nSign-in failed for sip:bob@contoso.com: 1 finding (1 error)\n")
	assert.Contains(t, out, "\n"+rule+"\nUser 2 of 2: carol@contoso.com\n"+rule+"\nSign-in succeeded for sip:carol@contoso.com: no findings\n")
	assert.Contains(t, out, "\nClient:           Skype for Business 2016 16.0.4849.1000\n")
	assert.Equal(t, 2, strings.Count(out, "Sign-in timeline ("))
	assert.Less(t, strings.Index(out, "Missing evidence"), strings.Index(out, "User 1 of 2"))
}

func TestTableJapanese(t *testing.T) {
	out := renderWidth(t, "sip-ja", 80)
	assert.True(t, strings.HasPrefix(out, "sip:bob@contoso.com のサインインは 2017-06-15T09:02:10.482 から"))
	assert.Contains(t, out, "\nエラー  SFB-SIP-NOT-ENABLED  確定  5 件のイベント\n")
	assert.Contains(t, out, "\n  証拠: bob-bundle.zip!/.../Lync-UccApi-0.UccApilog:1234\n    2017-06-15T09:02:10.482 (4 回出現)\n")
	assert.Contains(t, out, "\n    SIP/2.0 404 Not Found\n")
	assert.Contains(t, out, "解決方法:\n    1. オンプレミスの Active Directory で、")
	assert.Contains(t, out, "\nサインインのタイムライン (試行 5 回):\n")
	assert.Contains(t, out, "\n  2. 2017-06-15T09:03:40.112  失敗  404/4005\n     サーバー、認証、応答は試行 1 と同じです。\n")
}

func TestTableNoFindings(t *testing.T) {
	out := renderTableOpt(t, findCase(t, "none"), false)
	assert.Equal(t, "Sign-in succeeded for alice@contoso.com: no findings\n\n"+
		"Sign-in address:  alice@contoso.com\n"+
		"Sign-in:          2 attempts (1 failed), 0 REGISTER requests, 0 refusals by the server, 0 errors\n"+
		"                  shown to the user; deciding event at 2013-04-16T03:17:31.555\n\n"+
		"No known sign-in problem was found in 2 inputs (449 events).\n\n"+
		"Inputs (2):\n"+
		"  - alice.zip!/Tracing/Lync-UccApi-0.UccApilog\n"+
		"    uccapilog, 412 events\n"+
		"  - alice.zip!/EventLogs/Lync.evtx\n"+
		"    evtx, 37 events\n", out)

	empty := renderTableOpt(t, &analyze.Report{}, false)
	assert.Equal(t, "No sign-in attempt in the inputs: no findings\n\n"+
		"No known sign-in problem was found in 0 inputs (0 events).\n", empty)
}

func TestTableEvidenceWithoutExcerpt(t *testing.T) {
	r := &analyze.Report{
		Findings: []analyze.Finding{
			{ID: "SFB-A", Severity: analyze.SeverityError, Confidence: analyze.Confirmed},
			{ID: "SFB-B", Severity: analyze.SeverityError, Confidence: analyze.Confirmed,
				Evidence: []analyze.Evidence{{Path: "x.evtx", RecordID: 9}}},
		},
		Summary: analyze.Summary{Findings: 2, Error: 2},
	}
	for _, w := range []int{80, 160} {
		out := renderOpt(t, "table", r, Options{Width: w})
		assert.Contains(t, out, "\nerror  SFB-A  confirmed  0 events\n\n")
		assert.Contains(t, out, "\n  Evidence: x.evtx#9\n")
		assert.NotContains(t, out, "Links:", "no links, no links list")
	}
}

func TestTableWrapsLongInputErrors(t *testing.T) {
	long := "record 12: " + strings.Repeat("damaged ", 20) + "end"
	r := &analyze.Report{Inputs: []analyze.Input{{Path: "a.evtx", Format: "evtx", Errors: []string{long, "second"}}}}
	out := renderOpt(t, "table", r, Options{Width: 80})
	assert.Contains(t, out, "\n1 of 1 input could not be fully read:\n")
	for _, line := range lines(out) {
		assert.LessOrEqual(t, textWidth(line), 80, "%q", line)
	}
	assert.Contains(t, out, "\n    record 12: damaged")
	assert.Contains(t, out, "damaged end\n")
	assert.Contains(t, out, "\n    second\n")
}

// TestTableEscapesInput: text from the inputs never reaches the terminal
// as a control character, in any place the table writer shows it.
func TestTableEscapesInput(t *testing.T) {
	evil := "x\x1b]0;pwned\x07\r\x1b[2Jy\u009b31m"
	r := findCase(t, "sip")
	r.Subject.Computer = evil
	r.Subject.UserAgent = evil
	r.Inputs[0].Path = evil
	r.Inputs[0].Errors = []string{evil}
	r.Findings[0].Title = evil
	r.Findings[0].Deciding.Excerpt = evil + "\n" + "ms-diagnostics: " + evil
	r.Findings[0].Commands = []string{evil}
	r.Attempts[0].Decisive = evil
	r.Attempts[0].Steps[1].Server = evil
	r.RuledOut[0].Reason = evil
	r.Missing = []analyze.Advice{{Evidence: evil, Why: evil, Command: evil}}
	r.Groups = nil
	for _, w := range []int{80, 160} {
		out := renderOpt(t, "table", r, Options{Width: w})
		for i := 0; i < len(out); i++ {
			c := out[i]
			require.False(t, (c < 0x20 && c != '\n') || c == 0x7f, "control byte %#x at %d", c, i)
		}
		assert.NotContains(t, out, "\u009b")
		assert.Contains(t, out, `x\x1b]0;pwned\x07\r\x1b[2Jy\u009b31m`)
	}
}

// TestTableLongTimeline: a long run of alike attempts collapses into one
// entry; the listing stays short.
func TestTableLongTimeline(t *testing.T) {
	r := reportLong()
	out := renderOpt(t, "table", r, Options{Width: 80})
	assert.Contains(t, out, "\nSign-in timeline (40 attempts):\n")
	assert.Contains(t, out, "\n  1-39. 2017-06-15T08:00:10.112 to 2017-06-15T09:08:10.112 failed 404/4005 (39\n"+
		"       alike attempts)\n")
	assert.Contains(t, out, "  40. 2017-06-15T09:14:01.020  succeeded  200\n")
	assert.Less(t, strings.Count(out, "\n"), 80)
}

// reportLong is reportSIP with 39 refused attempts before the success.
func reportLong() *analyze.Report {
	r := reportSIP()
	var as []analyze.Attempt
	for i := range 39 {
		a := attempt404(i+1, 0, 10, 1000+100*i)
		m := i * 70 / 39 // 08:00 to 09:08
		a.Start = strings.Replace(a.Start, "09:00:", fmtClock(8+m/60, m%60), 1)
		a.StartUTC = strings.Replace(a.StartUTC, "07:00:", fmtClock(6+m/60, m%60), 1)
		a.End = a.Start
		as = append(as, a)
	}
	ok := attemptOK(40)
	as = append(as, ok)
	r.Attempts = as
	r.SignIn.Attempts, r.SignIn.Failures = 40, 39
	return r
}

func fmtClock(h, m int) string {
	return string([]byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10), ':'})
}

// TestAlikeTextResponses: attempts decided by a text the user saw have
// no short label; they are alike only when the texts are the same, and a
// run of them collapses as a run of refusals does.
func TestAlikeTextResponses(t *testing.T) {
	unavailable := entry{Outcome: "failed", Decisive: "The server is temporarily unavailable."}
	cert := entry{Outcome: "failed", Decisive: "There was a problem verifying the certificate from the server."}
	assert.True(t, alike(unavailable, unavailable))
	assert.False(t, alike(unavailable, cert), "other texts")
	refused := entry{Outcome: "failed", Decisive: "SIP/2.0 404 Not Found", Short: "404"}
	assert.True(t, alike(refused, entry{Outcome: "failed", Decisive: "404 Not Found", Short: "404"}), "the same code")
	assert.False(t, alike(refused, unavailable))

	var as []analyze.Attempt
	for i := range 30 {
		a := analyze.Attempt{N: i + 1, Start: "2017-06-15T08:00:10.112", Outcome: "failed", Decisive: "The server is temporarily unavailable."}
		if i >= 20 {
			a.Decisive = "There was a problem verifying the certificate from the server."
		}
		as = append(as, a)
	}
	es := timeline(as, "/")
	require.Len(t, es, 2)
	assert.Equal(t, []int{1, 20}, []int{es[0].First, es[0].Last})
	assert.Equal(t, []int{21, 30}, []int{es[1].First, es[1].Last})
	assert.Empty(t, es[0].Short)
}

// TestSignInCountsCopies: the attempts a copy of a log held again are
// said, in both languages, and only when there are some.
func TestSignInCountsCopies(t *testing.T) {
	s := analyze.SignIn{Attempts: 2, Failures: 2, Registers: 4, Refusals: 2, Errors: 2, LastTime: "2014-06-03T09:44:48.877"}
	for _, tc := range []struct {
		lang   string
		copies int
		want   string
	}{
		{"en", 0, "2 errors shown to the user; deciding event at"},
		{"en", 1, "2 errors shown to the user; 1 attempt found again in a copy of a log (counted once); deciding event at"},
		{"en", 3, "; 3 attempts found again in a copy of a log (counted once);"},
		{"ja", 1, "。ログの写しにあった同じ試行 1 件は重複として数えない。判定に用いたイベント"},
	} {
		s.Copies = tc.copies
		got := newLang(tc.lang).signInCounts(s)
		assert.Contains(t, got, tc.want)
		if tc.copies == 0 {
			assert.NotContains(t, got, "copy")
		}
	}
}
