package analyze

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/signatures"
)

func sip(fields ...string) *event.Event {
	e := &event.Event{Kind: event.KindSIP, Path: "log", Local: true}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Set(fields[i], fields[i+1])
	}
	return e
}

func TestTrackerClassifiesRegisterResponses(t *testing.T) {
	req := func(cseq, authz, expires string) *event.Event {
		return sip("sip.type", "request", "sip.method", "REGISTER", "sip.direction", "sent",
			"sip.call_id", "c1", "sip.cseq.number", cseq, "sip.from.uri", "sip:bob@contoso.com",
			"sip.header.authorization", authz, "sip.header.expires", expires)
	}
	resp := func(cseq, status, challenge string) *event.Event {
		return sip("sip.type", "response", "sip.status", status, "sip.direction", "received",
			"sip.call_id", "c1", "sip.cseq.number", cseq, "sip.cseq.method", "REGISTER",
			"sip.header.www-authenticate", challenge)
	}
	for _, tc := range []struct {
		name           string
		request        *event.Event
		response       *event.Event
		result, hasCrd string
	}{
		{"first challenge", req("1", "", ""), resp("1", "401", `TLS-DSK realm="SIP Communications Service"`), "challenge", "false"},
		{"handshake continues", req("2", `TLS-DSK qop="auth", gssapi-data="FgMBAEw..."`, ""), resp("2", "401", `TLS-DSK gssapi-data="FgMBAEw...", opaque="A1"`), "challenge", "true"},
		{"credentials refused", req("3", `NTLM qop="auth", gssapi-data="TlRMTVNT", response="0100"`, ""), resp("3", "401", `NTLM realm="SIP Communications Service"`), "failure", "true"},
		{"registered", req("4", `TLS-DSK response="0a1b", crand="1", cnum="2"`, ""), resp("4", "200", ""), "success", "true"},
		{"signed out", req("5", `TLS-DSK response="0a1b"`, "0"), resp("5", "200", ""), "unregister", "true"},
		{"redirect to the home pool", req("6", "", ""), resp("6", "301", ""), "redirect", "false"},
		{"refused", req("7", "", ""), resp("7", "404", ""), "failure", "false"},
		{"empty gssapi-data is no credential", req("8", `TLS-DSK gssapi-data=""`, ""), resp("8", "401", `TLS-DSK realm="x"`), "challenge", "false"},
		{"handshake continues, upper case", req("9", `NTLM gssapi-data="TlRMTVNT"`, ""), resp("9", "401", `NTLM GSSAPI-DATA="TlRMTVNT"`), "challenge", "true"},
		{"handshake continues, non-ASCII challenge", req("10", `NTLM gssapi-data="TlRMTVNT"`, ""), resp("10", "401", `NTLM realm="Bürokommunikation", Gssapi-Data="TlRMTVNT"`), "challenge", "true"},
		{"refused, gssapi-data only as a word of the realm", req("11", `NTLM gssapi-data="TlRMTVNT"`, ""), resp("11", "401", `NTLM realm="gssapi data"`), "failure", "true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTracker()
			tr.annotate(tc.request)
			tr.annotate(tc.response)
			assert.Equal(t, tc.result, tc.response.Get(FieldResult))
			assert.Equal(t, tc.hasCrd, tc.response.Get(FieldCredentials))
			assert.Equal(t, "contoso.com", tc.request.Get("sip.from.domain"))
		})
	}
}

// dialog builds the client-log events of one REGISTER transaction: the
// request and its response, on consecutive lines from line.
func dialog(callID string, cseq, line int, sec int, status, creds string, extra ...string) []*event.Event {
	at := time.Date(2017, 6, 15, 9, 0, sec, 0, time.UTC)
	req := sip("sip.type", "request", "sip.method", "REGISTER", "sip.direction", "sent", "sip.uri", "sip:contoso.com",
		"sip.call_id", callID, "sip.cseq.number", strconv.Itoa(cseq), "sip.from.uri", "sip:bob@contoso.com",
		"sip.remote", "198.51.100.10:443", "sip.header.authorization", creds,
		"sip.user_agent", "UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)")
	req.Line, req.Time, req.Source = line, at, event.SourceUccApilog
	resp := sip(append([]string{"sip.type", "response", "sip.status", status, "sip.direction", "received",
		"sip.call_id", callID, "sip.cseq.number", strconv.Itoa(cseq), "sip.cseq.method", "REGISTER",
		"sip.remote", "198.51.100.10:443"}, extra...)...)
	resp.Line, resp.Time, resp.Source = line+10, at.Add(200*time.Millisecond), event.SourceUccApilog
	return []*event.Event{req, resp}
}

func track(events ...[]*event.Event) *tracker {
	tr := newTracker()
	for _, es := range events {
		for _, e := range es {
			tr.annotate(e)
		}
	}
	return tr
}

func TestSignInAttempts(t *testing.T) {
	const creds = `TLS-DSK qop="auth", response="0a1b", crand="1"`
	refused := func(callID string, line, sec int) []*event.Event {
		return dialog(callID, 1, line, sec, "404", "", "sip.reason", "Not Found", "diag.code", "4005", "diag.reason", "User is not SIP enabled")
	}
	note := &event.Event{Kind: event.KindUIText, Source: event.SourceText, Path: "note.txt", Line: 1,
		Fields: map[string]string{"ui.key": "signin-address-not-found", "ui.text": "Sign-in address not found"}}
	// shown is the client's error dialog, and discover an autodiscover
	// failure, at line, sec seconds past 09:00.
	shown := func(line, sec int) []*event.Event {
		return []*event.Event{{Kind: event.KindUIText, Source: event.SourceUccApilog, Path: "log", Line: line, Local: true,
			Time:   time.Date(2017, 6, 15, 9, 0, sec, 0, time.UTC),
			Fields: map[string]string{"ui.key": "server-unavailable", "ui.text": "The server is temporarily unavailable."}}}
	}
	discover := func(line, sec int) []*event.Event {
		return []*event.Event{{Kind: event.KindLog, Source: event.SourceUccApilog, Path: "log", Line: line, Local: true,
			Time:   time.Date(2017, 6, 15, 9, 0, sec, 0, time.UTC),
			Fields: map[string]string{"log.level": "ERROR", "log.message": "CAutoDiscovery::OnComplete - GET https://lyncdiscover.contoso.com/ failed, hr=0x80072ee7"}}}
	}
	tests := []struct {
		name                                  string
		tr                                    *tracker
		outcome                               string
		attempts, failures, registers, refuse int
		decisive                              string
	}{
		{"nothing", track(), OutcomeUnknown, 0, 0, 0, 0, ""},
		{"challenge then success is one attempt",
			track(dialog("c1", 1, 10, 1, "401", "", "sip.header.www-authenticate", `TLS-DSK realm="SIP Communications Service"`),
				dialog("c1", 2, 30, 2, "200", creds, "sip.reason", "OK")),
			OutcomeSucceeded, 1, 0, 2, 0, "SIP/2.0 200 OK"},
		{"redirect then refusal is one failed attempt",
			track(dialog("c1", 1, 10, 1, "301", "", "sip.reason", "Redirect Request", "sip.header.contact", "<sip:sippoolbl20a05.infra.lync.com:443;transport=tls>"),
				refused("c1", 30, 2)),
			OutcomeFailed, 1, 1, 2, 1, `SIP/2.0 404 Not Found; ms-diagnostics: 4005;reason="User is not SIP enabled"`},
		{"four refusals, then the administrator's fix",
			track(refused("c1", 10, 1), refused("c2", 30, 10), refused("c3", 50, 20), refused("c4", 70, 30),
				dialog("c5", 1, 90, 40, "200", creds, "sip.reason", "OK")),
			OutcomeRecovered, 5, 4, 5, 4, "SIP/2.0 200 OK"},
		{"a refresh of the registration is no new attempt",
			track(dialog("c1", 1, 10, 1, "200", creds, "sip.reason", "OK"), dialog("c1", 2, 30, 50, "200", creds, "sip.reason", "OK")),
			OutcomeSucceeded, 1, 0, 2, 0, "SIP/2.0 200 OK"},
		{"success then failure", track(dialog("c1", 1, 10, 1, "200", creds, "sip.reason", "OK"), refused("c2", 30, 20)),
			OutcomeFailed, 2, 1, 2, 1, `SIP/2.0 404 Not Found; ms-diagnostics: 4005;reason="User is not SIP enabled"`},
		{"a pasted failure text alone", track([]*event.Event{note}), OutcomeFailed, 0, 0, 0, 0, ""},
		{"a refusal and the dialog that shows it are one attempt", track(refused("c1", 10, 1), shown(25, 2)),
			OutcomeFailed, 1, 1, 1, 1, `SIP/2.0 404 Not Found; ms-diagnostics: 4005;reason="User is not SIP enabled"`},
		{"the dialog shown again a moment later is the same attempt", track(discover(5, 0), shown(10, 1), shown(12, 2)),
			OutcomeFailed, 1, 1, 0, 0, "The server is temporarily unavailable."},
		{"a retry a minute later, its autodiscovery logged again, is another attempt",
			track(discover(5, 0), shown(10, 1), discover(20, 60), shown(30, 61)),
			OutcomeFailed, 2, 2, 0, 0, "The server is temporarily unavailable."},
		{"a text a minute after a refusal is another attempt", track(refused("c1", 10, 1), shown(25, 70)),
			OutcomeFailed, 2, 2, 1, 1, "The server is temporarily unavailable."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, all := signIn([]*tracker{tt.tr}, signatures.Order{})
			assert.Equal(t, tt.outcome, s.Outcome)
			assert.Equal(t, tt.attempts, s.Attempts, "attempts")
			assert.Equal(t, tt.failures, s.Failures, "failures")
			assert.Equal(t, tt.registers, s.Registers, "REGISTER requests")
			assert.Equal(t, tt.refuse, s.Refusals, "refusals")
			if tt.decisive != "" {
				assert.Equal(t, tt.decisive, all[len(all)-1].Decisive)
			}
			for i, a := range all {
				assert.Equal(t, i+1, a.N)
				assert.NotEmpty(t, a.Steps)
			}
		})
	}
}

func TestRecoveredVerdictBounds(t *testing.T) {
	refused := func(callID string, line, sec int) []*event.Event {
		return dialog(callID, 1, line, sec, "403", "", "sip.reason", "Forbidden")
	}
	tr := track(refused("c1", 10, 1), refused("c2", 30, 10), dialog("c3", 1, 90, 40, "200", `NTLM response="01"`, "sip.reason", "OK"))
	s, _ := signIn([]*tracker{tr}, signatures.Order{})
	assert.Equal(t, OutcomeRecovered, s.Outcome)
	assert.Equal(t, "2017-06-15T09:00:01.000", s.FirstFailure)
	assert.Equal(t, "2017-06-15T09:00:10.200", s.LastFailure)
	assert.Equal(t, "2017-06-15T09:00:40.200", s.SucceededAt)
}

func TestTrackerMemoryIsBounded(t *testing.T) {
	tr := newTracker()
	for i := 0; i < 5000; i++ {
		// Requests whose responses never come, and refused attempts.
		for _, e := range dialog("c"+strconv.Itoa(i), 1, i*20, i%60, "404", "") {
			if i%2 == 0 && e.Get("sip.type") == "response" {
				continue
			}
			tr.annotate(e)
		}
	}
	assert.LessOrEqual(t, len(tr.pending), maxPending)
	assert.LessOrEqual(t, len(tr.order), 2*maxPending+1)
	assert.LessOrEqual(t, len(tr.attempts), maxAttempts)
	s, _ := signIn([]*tracker{tr}, signatures.Order{})
	assert.Equal(t, 5000, s.Registers)
	assert.Equal(t, 2500, s.Refusals)
	assert.Greater(t, s.Attempts, maxAttempts, "attempts past the cap are still counted")
}

func TestZoneVotes(t *testing.T) {
	var z zoneVotes
	for _, off := range []string{"-7200", "-7195", "-7210", "-3600"} {
		z.add(sip("sip.date_offset", off))
	}
	o := z.order()
	assert.True(t, o.HasZone)
	assert.Equal(t, 2*time.Hour, o.Zone, "Date two hours behind the log: the client is at UTC+2")
	var none zoneVotes
	assert.False(t, none.order().HasZone)
	z = nil
	z.add(sip("sip.date_offset", "20700")) // UTC-5:45
	assert.Equal(t, -(5*time.Hour + 45*time.Minute), z.order().Zone)
}

func TestOffsets(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"+02:00", 2 * time.Hour, "+02:00"},
		{"-0545", -(5*time.Hour + 45*time.Minute), "-05:45"},
		{"+05:30", 5*time.Hour + 30*time.Minute, "+05:30"},
		{"Z", 0, "+00:00"},
		{"+14", 14 * time.Hour, "+14:00"},
	} {
		got, err := ParseOffset(tc.in)
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.out, FormatOffset(got))
	}
	for _, bad := range []string{"", "2", "+25:00", "CET", "-13:00"} {
		_, err := ParseOffset(bad)
		assert.Error(t, err, bad)
	}
}

func TestWindow(t *testing.T) {
	since := time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)
	local := &event.Event{Time: time.Date(2017, 6, 15, 10, 30, 0, 0, time.UTC), Local: true} // 10:30 on the client's wall clock
	utc := &event.Event{Time: time.Date(2017, 6, 15, 8, 59, 0, 0, time.UTC)}
	untimed := &event.Event{}
	a := New(nil, Options{Since: since})
	assert.True(t, a.inWindow(local), "10:30 wall clock is after 09:00")
	assert.False(t, a.inWindow(utc))
	assert.True(t, a.inWindow(untimed))
	plus2 := 2 * time.Hour
	a = New(nil, Options{Since: since, ClientOffset: &plus2})
	assert.False(t, a.inWindow(local), "10:30 at UTC+2 is 08:30Z, before 09:00Z")
}

func TestHasCredentials(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{`NTLM qop="auth", realm="SIP Communications Service", targetname="pool.contoso.com", version=4`, false},
		{`TLS-DSK qop="auth", realm="SIP Communications Service", targetname="pool.contoso.com", gssapi-data="FgMDAHc/0Uw7", version=4`, true},
		{`TLS-DSK GSSAPI-DATA="FgMDAHc/0Uw7", version=4`, true},
		{`Kerberos qop="auth", gssapi-data="", version=4`, false}, // an empty token: the first leg
		{`Digest username="bob", Response="6629fae49393a05397450978507c4ef1"`, true},
		{`Digest username="bob", response=""`, false},
		{`gssapi-data=`, false},
		{``, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, hasCredentials(tt.header), tt.header)
	}
}

// TestTimelineStepsOnce: over every sample bundle, a sign-in step says
// what its line says once, and a client log's step shows the line's
// message, not its time stamp, thread and level. A line with two
// HRESULTs, or an error line (its log event and its HRESULT's), made the
// same step two times, with the whole line in one of them; the
// duplicates crowded out the DNS SRV failures of server-unavailable-dns.
func TestTimelineStepsOnce(t *testing.T) {
	paths, err := filepath.Glob("../testdata/logs/*.zip")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	prefixed := regexp.MustCompile(`^\d\d/\d\d/\d{4}\|`)
	a := New(defaultMatcher(t), Options{})
	steps := 0
	for _, path := range paths {
		r, err := a.Run(context.Background(), []string{path})
		if errors.Is(err, ErrNoInput) {
			continue
		}
		require.NoError(t, err, path)
		for _, at := range r.Attempts {
			seen := map[Step]bool{}
			for _, s := range at.Steps {
				steps++
				key := Step{Kind: s.Kind, Detail: s.Detail, Path: s.Path, Line: s.Line}
				assert.False(t, seen[key] && s.Line > 0, "%s: attempt %d: step twice: %+v", path, at.N, s)
				seen[key] = true
				assert.False(t, prefixed.MatchString(s.Detail), "%s: attempt %d: a whole log line: %q", path, at.N, s.Detail)
			}
		}
	}
	require.Greater(t, steps, 100, "the samples have sign-in steps")

	r, err := a.Run(context.Background(), []string{"../testdata/logs/server-unavailable-dns.zip"})
	require.NoError(t, err)
	require.NotEmpty(t, r.Attempts)
	var dns []string
	for _, s := range r.Attempts[0].Steps {
		if s.Kind == "dns" {
			dns = append(dns, s.Detail)
		}
	}
	assert.Equal(t, []string{
		"CUccDnsQuery::OnComplete - SRV query _sipinternaltls._tcp.contoso.com failed, hr=0x8007232b",
		"CUccDnsQuery::OnComplete - SRV query _sip._tls.contoso.com failed, hr=0x8007232b",
	}, dns)
}

// TestRepeats: a step repeats one of the steps before it from the same
// line with the same kind and detail; the same text from another line or
// another file, or another text from the same line, is a step of its own.
func TestRepeats(t *testing.T) {
	before := []Step{
		{Kind: "dns", Detail: "SRV query failed", Path: "a.log", Line: 9},
		{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 10},
		{Kind: "auth", Detail: "0x80041034 LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 10},
	}
	for _, tc := range []struct {
		name string
		s    Step
		want bool
	}{
		{"same line, same text", Step{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 10}, true},
		{"an earlier step of the line", Step{Kind: "auth", Detail: "0x80041034 LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 10}, true},
		{"same text, next line", Step{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 11}, false},
		{"same text, other file", Step{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x80048821", Path: "b.log", Line: 10}, false},
		{"same line, other text", Step{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x800488eb", Path: "a.log", Line: 10}, false},
		{"same line, other kind", Step{Kind: "error", Detail: "LogonIdentityEx failed, hr=0x80048821", Path: "a.log", Line: 10}, false},
		{"not from a line", Step{Kind: "auth", Detail: "LogonIdentityEx failed, hr=0x80048821"}, false},
		{"a line before the last", Step{Kind: "dns", Detail: "SRV query failed", Path: "a.log", Line: 9}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, repeats(before, tc.s))
		})
	}
}
