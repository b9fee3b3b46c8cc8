package analyze

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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

func TestOutcome(t *testing.T) {
	at := func(line int, result string) *event.Event {
		e := sip(FieldResult, result)
		e.Line = line
		e.Time = time.Date(2017, 6, 15, 9, 0, line, 0, time.UTC)
		return e
	}
	note := &event.Event{Kind: event.KindUIText, Path: "note.txt", Line: 1, Fields: map[string]string{FieldResult: "failure"}}
	for _, tc := range []struct {
		name    string
		results []*event.Event
		want    string
	}{
		{"nothing", nil, OutcomeUnknown},
		{"success", []*event.Event{at(1, "success")}, OutcomeSucceeded},
		{"failure then success", []*event.Event{at(1, "failure"), at(2, "success")}, OutcomeSucceeded},
		{"success then failure", []*event.Event{at(1, "success"), at(2, "failure")}, OutcomeFailed},
		{"a pasted failure text", []*event.Event{at(1, "success"), note}, OutcomeFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, outcome(tc.results, signatures.Order{}).Outcome)
		})
	}
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
