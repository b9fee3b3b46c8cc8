package uccapilog

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

func TestDiagFields(t *testing.T) {
	tests := []struct {
		name   string
		header string
		value  string
		want   map[string]string
	}{
		{"KB text, reason then source", "ms-diagnostics",
			`4005;reason="Destination URI either not enabled for SIP or does not exist";source="Lyncpool.domainname.com"`,
			map[string]string{"diag.header": "ms-diagnostics", "diag.code": "4005",
				"diag.reason": "Destination URI either not enabled for SIP or does not exist", "diag.source": "Lyncpool.domainname.com"}},
		{"source first, subcode, spaces after ;", "ms-diagnostics",
			`1008.2 ; source="sip.contoso.com"; reason="Unable to resolve DNS SRV record"`,
			map[string]string{"diag.code": "1008", "diag.subcode": "2", "diag.source": "sip.contoso.com", "diag.reason": "Unable to resolve DNS SRV record"}},
		{"smart quotes and extra params", "ms-diagnostics",
			"1047;reason=\u201cFailed to complete TLS negotiation with a federated peer server\u201d;WinsockFailureCode=\u201c10060(WSAETIMEDOUT)\u201d;source=\u201csip.fabrikam.com\u201d",
			map[string]string{"diag.code": "1047", "diag.reason": "Failed to complete TLS negotiation with a federated peer server",
				"diag.winsockfailurecode": "10060(WSAETIMEDOUT)", "diag.source": "sip.fabrikam.com"}},
		{"unquoted values, quoted ';' kept", "ms-diagnostics-public",
			`4004;reason=Credentials provided are not authorized to act as specified from URI;summary="a;b";appName=InboundRouting`,
			map[string]string{"diag.header": "ms-diagnostics-public", "diag.code": "4004",
				"diag.reason": "Credentials provided are not authorized to act as specified from URI", "diag.summary": "a;b", "diag.appname": "InboundRouting"}},
		{"unterminated quote takes the rest", "ms-diagnostics", `1000;reason="Final handshake failed`,
			map[string]string{"diag.code": "1000", "diag.reason": "Final handshake failed"}},
		{"reserved and invalid names are skipped", "ms-diagnostics", `5000;code=1;sub code=2;flag;reason="x"`,
			map[string]string{"diag.code": "5000", "diag.reason": "x", "diag.flag": "", "diag.sub code": "-"}},
		{"code only", "ms-diagnostics", " 17002 ",
			map[string]string{"diag.code": "17002", "diag.subcode": "-", "diag.reason": "-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev event.Event
			setDiagFields(&ev, tt.header, tt.value)
			assertFields(t, tt.want, ev)
		})
	}
}

func TestClockFields(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse("2006-01-02 15:04:05.000", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name    string
		date    string
		logTime time.Time
		offset  string // "-" when absent
		skew    string
	}{
		{"same zone, in sync", "Tue, 16 Apr 2013 07:17:30 GMT", at("2013-04-16 07:17:30.200"), "0", "0"},
		{"UTC+2, in sync", "Tue, 16 Apr 2013 07:17:30 GMT", at("2013-04-16 09:17:30.402"), "-7200", "0"},
		{"UTC+9, client 7 min behind", "Tue, 08 Nov 2016 07:49:03 GMT", at("2016-11-08 16:42:03.511"), "-31981", "419"},
		{"UTC-5, client 6 min ahead", "Mon, 04 Jan 2016 15:00:00 GMT", at("2016-01-04 10:06:00.000"), "17640", "-360"},
		{"UTC+5:45, 2 min behind", "Mon, 04 Jan 2016 12:00:00 GMT", at("2016-01-04 17:43:00.000"), "-20580", "120"},
		{"UTC+14 exactly", "Mon, 04 Jan 2016 00:00:00 GMT", at("2016-01-04 14:00:00.000"), "-50400", "0"},
		{"beyond any zone: no skew", "Mon, 04 Jan 2016 00:00:00 GMT", at("2016-01-05 00:00:00.000"), "-86400", "-"},
		{"one-digit day, UTC name", "Mon, 4 Jan 2016 00:00:00 UTC", at("2016-01-04 00:04:00.000"), "-240", "-240"},
		{"numeric zone", "Mon, 04 Jan 2016 01:00:00 +0100", at("2016-01-04 00:00:00.000"), "0", "0"},
		{"unknown zone name is ignored", "Mon, 04 Jan 2016 00:00:00 PST", at("2016-01-04 00:00:00.000"), "-", "-"},
		{"not a date", "yesterday", at("2016-01-04 00:00:00.000"), "-", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev event.Event
			setClockFields(&ev, tt.date, tt.logTime)
			assertFields(t, map[string]string{"sip.date_offset": tt.offset, "sip.clock_skew": tt.skew}, ev)
		})
	}
}

func TestBoundBody(t *testing.T) {
	lines := []string{"v=0", "o=- 0 1 IN IP4 10.0.0.1", ""}
	tests := []struct {
		name string
		cl   string
		want string
	}{
		{"no Content-Length: all, trailing blank lines dropped", "", "v=0\no=- 0 1 IN IP4 10.0.0.1"},
		{"exact with final CRLF", "30", "v=0\no=- 0 1 IN IP4 10.0.0.1"},
		{"zero", "0", ""},
		{"cut inside the second line", "10", "v=0\no=- 0"},
		{"cut at a line end", "5", "v=0"},
		{"longer than the text", "9999", "v=0\no=- 0 1 IN IP4 10.0.0.1"},
		{"not a number", "abc", "v=0\no=- 0 1 IN IP4 10.0.0.1"},
		{"negative", "-3", "v=0\no=- 0 1 IN IP4 10.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			join := func(i, j int) string { return strings.Join(lines[i:j], "\n") }
			assert.Equal(t, tt.want, boundBody(lines, tt.cl, join))
		})
	}
}

func TestHeaderURI(t *testing.T) {
	tests := map[string]string{
		`<sip:bob@contoso.com>;tag=1;epid=2`:           "sip:bob@contoso.com",
		`"Bob Kelly" <sip:bob@contoso.com>`:            "sip:bob@contoso.com",
		`"Alice"<sip:alice@contoso.com;transport=tls>`: "sip:alice@contoso.com;transport=tls",
		` sip:alice@contoso.com ;tag=9`:                "sip:alice@contoso.com",
		`sip:alice@contoso.com`:                        "sip:alice@contoso.com",
		`<sip:unterminated@contoso.com`:                "sip:unterminated@contoso.com",
		``:                                             "",
	}
	for in, want := range tests {
		assert.Equal(t, want, headerURI(in), in)
	}
}

// wantMarker is a marker with strings for its parts.
type wantMarker struct{ direction, remote, local, rest string }

func TestParseMarker(t *testing.T) {
	tests := []struct {
		msg  string
		ok   bool
		want wantMarker
	}{
		{"Sending Packet - 192.168.100.100:5061 (From Local Address: 192.168.103.35:20323) 1503 bytes:", true,
			wantMarker{"sent", "192.168.100.100:5061", "192.168.103.35:20323", ""}},
		{"Data Received -192.168.100.100:5061 (To Local Address: 192.168.103.35:20323) 1096 bytes", true,
			wantMarker{"received", "192.168.100.100:5061", "192.168.103.35:20323", ""}},
		{"Data Received - 10.0.0.1:443 (To Local Address: 10.0.0.2:5000) 12 bytes: SIP/2.0 200 OK", true,
			wantMarker{"received", "10.0.0.1:443", "10.0.0.2:5000", "SIP/2.0 200 OK"}},
		{"Data Received - [2001:db8::1]:443 12 bytes:", true, wantMarker{"received", "[2001:db8::1]:443", "", ""}},
		{"Sending Packet -", true, wantMarker{"sent", "", "", ""}},
		{"Sending Packets are queued", false, wantMarker{}},
		{"End of Sending Packet - 1.2.3.4:5", false, wantMarker{}},
		{"sending packet - 1.2.3.4:5 1 bytes:", true, wantMarker{"sent", "1.2.3.4:5", "", ""}},
		{"DATA RECEIVED - 1.2.3.4:5 1 bytes:", true, wantMarker{"received", "1.2.3.4:5", "", ""}},
		{"\u017fending Packet - 1.2.3.4:5", false, wantMarker{}},
		{"3ending Packet - 1.2.3.4:5", false, wantMarker{}},
		{"", false, wantMarker{}},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			got, ok := parseMarker([]byte(tt.msg))
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want, wantMarker{got.direction, string(got.remote), string(got.local), string(got.rest)})
			}
		})
	}
}

// wantPrefix is a prefix with strings for its parts.
type wantPrefix struct {
	time               time.Time
	thread, level, msg string
	sep                bool
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
		want wantPrefix
	}{
		{"04/16/2013|03:17:30.168 1F68:C14 INFO  :: End of Sending Packet", true,
			wantPrefix{time.Date(2013, 4, 16, 3, 17, 30, 168e6, time.UTC), "1F68:C14", "INFO", "End of Sending Packet", true}},
		{"02/29/2016|23:59:59.1234567 1:2 ERROR::x", true,
			wantPrefix{time.Date(2016, 2, 29, 23, 59, 59, 123456700, time.UTC), "1:2", "ERROR", "x", true}},
		{"04/16/2013|03:17:30.168 :: no thread", true,
			wantPrefix{time.Date(2013, 4, 16, 3, 17, 30, 168e6, time.UTC), "", "", "no thread", true}},
		{"04/16/2013|03:17:30.168 1F68:C14 :: no level", true,
			wantPrefix{time.Date(2013, 4, 16, 3, 17, 30, 168e6, time.UTC), "1F68:C14", "", "no level", true}},
		{"04/16/2013|03:17:30.168\u00a01F68:C14 WARN :: NBSP right after the time", false, wantPrefix{}},
		{"04/16/2013|03:17:30.168 \u00a01F68:C14\u00a0WARN\u2003:: Unicode spaces", true,
			wantPrefix{time.Date(2013, 4, 16, 3, 17, 30, 168e6, time.UTC), "1F68:C14", "WARN", "Unicode spaces", true}},
		{"04/16/2013|03:17:30.168", true, wantPrefix{time: time.Date(2013, 4, 16, 3, 17, 30, 168e6, time.UTC)}},
		{"04/16/2013|03:17:30.168X", false, wantPrefix{}},
		{"02/29/2013|03:17:30.168 a", false, wantPrefix{}},
		{"04/31/2013|03:17:30.168 a", false, wantPrefix{}},
		{"04/16/2013 03:17:30.168 a", false, wantPrefix{}},
		{"SIP/2.0 200 OK", false, wantPrefix{}},
	}
	var c clock // shared: the remembered second must not leak between lines
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			var got prefix
			ok := c.parsePrefix([]byte(tt.line), &got)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want, wantPrefix{got.time, string(got.thread), string(got.level), string(got.msg), got.sep})
			}
		})
	}
}
