package uccapilog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// parseString parses s and returns the events and problems; it fails the
// test on an error.
func parseString(t *testing.T, s string) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "test.UccApilog", strings.NewReader(s), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

func parseFile(t *testing.T, path string) ([]event.Event, []event.Problem) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return parseString(t, string(b))
}

func ofKind(evs []event.Event, kind string) []event.Event {
	var out []event.Event
	for _, ev := range evs {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// assertFields checks that ev has every field of want (and, for a value of
// "-", that the field is absent).
func assertFields(t *testing.T, want map[string]string, ev event.Event) {
	t.Helper()
	for k, v := range want {
		if v == "-" {
			_, ok := ev.Fields[k]
			assert.False(t, ok, "field %s should be absent (line %d)", k, ev.Line)
			continue
		}
		assert.Equal(t, v, ev.Get(k), "field %s (line %d)", k, ev.Line)
	}
}

// crlf turns LF line ends into CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

type wantEvent struct {
	kind    string
	line    int
	endLine int
	fields  map[string]string
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file     string
		counts   map[string]int
		want     []wantEvent
		problems []string
	}{
		{
			file:   "testdata/lync2013_register_ntlm.UccApilog",
			counts: map[string]int{event.KindSIP: 4, event.KindLog: 1, event.KindHRESULT: 1},
			want: []wantEvent{
				{event.KindLog, 2, 0, map[string]string{"log.level": "WARN", "log.thread": "1F68:C14",
					"log.message": "CUccDnsQuery::OnComplete - SRV query _sipinternaltls._tcp.contoso.com failed, hr=0x8007232B"}},
				{event.KindHRESULT, 2, 0, map[string]string{"hresult": "0x8007232b", "hresult.name": "-"}},
				{event.KindSIP, 3, 21, map[string]string{
					"sip.direction": "sent", "sip.remote": "10.0.0.20:443", "sip.local": "192.168.103.35:50123",
					"sip.type": "request", "sip.method": "REGISTER", "sip.uri": "sip:contoso.com",
					"sip.cseq.number": "1", "sip.cseq.method": "REGISTER",
					"sip.call_id":  "9d1a51f1b2c44c2a8d7a3f0e6b5c4d3e",
					"sip.from.uri": "sip:bob@contoso.com", "sip.to.uri": "sip:bob@contoso.com",
					"sip.user_agent":       "UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)",
					"sip.header.supported": "gruu-10, adhoclist, msrtc-event-categories\nms-forking\nms-cluster-failover\nms-userservices-state-notification",
					"sip.status":           "-", "sip.date_offset": "-", "sip.body": "-", "diag.code": "-",
				}},
				{event.KindSIP, 22, 36, map[string]string{
					"sip.direction": "received", "sip.type": "response", "sip.status": "401", "sip.reason": "Unauthorized",
					"sip.cseq.method": "REGISTER", "sip.server": "RTC/5.0",
					"sip.header.www-authenticate": `NTLM realm="SIP Communications Service", targetname="pool01.contoso.com", version=4` + "\n" +
						`Kerberos realm="SIP Communications Service", targetname="sip/pool01.contoso.com", version=4` + "\n" +
						`TLS-DSK realm="SIP Communications Service", targetname="pool01.contoso.com", version=4, sts-uri="https://pool01.contoso.com:443/CertProv/CertProvisioningService.svc"`,
					"sip.date_offset": "-7200", "sip.clock_skew": "0",
				}},
				{event.KindSIP, 37, 58, map[string]string{
					"sip.method": "REGISTER", "sip.cseq.number": "2",
					// Folded over three lines (SP and HT continuations).
					"sip.header.authorization": `NTLM qop="auth", realm="SIP Communications Service", opaque="78D29AC8", targetname="pool01.contoso.com", version=4, gssapi-data="TlRMTVNTUAADAAAAGAAYAG4AAAAYABgAhgAAAA=="`,
				}},
				{event.KindSIP, 59, 80, map[string]string{
					"sip.status": "200", "sip.reason": "OK", "sip.cseq.number": "2",
					"sip.header.authentication-info": `NTLM qop="auth", opaque="E23CD474", srand="973D56C9", snum="1", rspauth="01000000000000008ed442d47eccd46a", targetname="pool01.contoso.com", realm="SIP Communications Service", version=4`,
					"sip.header.supported":           "adhoclist\nmsrtc-event-categories\nms-keepalive-deregistration\nms-userservices-state-notification",
					"sip.date_offset":                "-7201", "sip.clock_skew": "-1",
				}},
			},
		},
		{
			file:   "testdata/communicator_404_4005.uccapilog",
			counts: map[string]int{event.KindSIP: 2, event.KindLog: 2, event.KindHRESULT: 2},
			want: []wantEvent{
				// Start line on its own prefixed line.
				{event.KindSIP, 1, 16, map[string]string{"sip.type": "request", "sip.method": "REGISTER",
					"sip.uri": "sip:fabrikam.com", "sip.from.uri": "sip:newuser@fabrikam.com"}},
				// "Data Received -10.1.1.5:5061" without a space, no colon.
				{event.KindSIP, 17, 28, map[string]string{
					"sip.direction": "received", "sip.remote": "10.1.1.5:5061", "sip.local": "10.1.2.30:49512",
					"sip.status": "404", "sip.reason": "Not Found",
					"diag.header": "ms-diagnostics", "diag.code": "4005", "diag.subcode": "-",
					"diag.reason":     "Destination URI either not enabled for SIP or does not exist",
					"diag.source":     "Lyncpool.domainname.com",
					"sip.date_offset": "-",
				}},
				{event.KindLog, 29, 0, map[string]string{"log.level": "ERROR", "log.thread": "0A3C:1B2C"}},
				{event.KindHRESULT, 29, 0, map[string]string{"hresult": "0x80ee0066"}},
				// A multi-line error message.
				{event.KindLog, 30, 32, map[string]string{"log.level": "ERROR",
					"log.message": "CUccSession::Fail - SIP/2.0 404 Not Found\n  status detail: ms-diagnostics 4005\n  hr=80ee0066"}},
				{event.KindHRESULT, 32, 0, map[string]string{"hresult": "0x80ee0066"}},
			},
		},
		{
			file:   "testdata/sfb2016_403_public.UccApilog",
			counts: map[string]int{event.KindSIP: 2, event.KindLog: 1, event.KindHRESULT: 1},
			want: []wantEvent{
				// Start line on the marker line after "bytes:".
				{event.KindSIP, 1, 15, map[string]string{"sip.method": "REGISTER", "sip.uri": "sip:contoso.onmicrosoft.com",
					"sip.from.uri": "sip:alice@contoso.onmicrosoft.com",
					// The bare To form.
					"sip.to.uri": "sip:alice@contoso.onmicrosoft.com"}},
				{event.KindSIP, 16, 27, map[string]string{
					"sip.status": "403", "sip.reason": "Forbidden",
					"diag.header": "ms-diagnostics-public", "diag.code": "4004",
					"diag.reason":  "Credentials provided are not authorized to act as specified from URI",
					"diag.appname": "InboundRouting", "diag.source": "-",
					// Local zone UTC+9, clock 7 minutes behind the server.
					"sip.date_offset": "-31981", "sip.clock_skew": "419",
				}},
				{event.KindHRESULT, 28, 0, map[string]string{"hresult": "0x80048821", "hresult.name": "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD"}},
			},
		},
		{
			file:   "testdata/truncated_block.UccApilog",
			counts: map[string]int{event.KindSIP: 2},
			want: []wantEvent{
				{event.KindSIP, 12, 21, map[string]string{"sip.status": "200", "sip.cseq.method": "SUBSCRIBE",
					"sip.body": `<provisionGroupList xmlns="http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification"><provisionGroup name="ServerConfiguration"><propertyEntryList><property name="`}},
			},
			problems: []string{"line 12: SIP block started at line 12 not terminated"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parseFile(t, tt.file)
			counts := map[string]int{}
			for _, ev := range evs {
				counts[ev.Kind]++
				assert.Equal(t, event.SourceUccApilog, ev.Source)
				assert.Equal(t, "test.UccApilog", ev.Path)
				assert.True(t, ev.Local)
				assert.False(t, ev.Time.IsZero())
			}
			assert.Equal(t, tt.counts, counts)
			for _, w := range tt.want {
				found := false
				for _, ev := range evs {
					if ev.Kind != w.kind || ev.Line != w.line {
						continue
					}
					found = true
					assert.Equal(t, w.endLine, ev.EndLine, "end line of %s at %d", w.kind, w.line)
					assertFields(t, w.fields, ev)
				}
				assert.True(t, found, "no %s event at line %d", w.kind, w.line)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			assert.Equal(t, tt.problems, got)
		})
	}
}

// The same log with CRLF or LF line ends gives the same events.
func TestParseLineEndings(t *testing.T) {
	b, err := os.ReadFile("testdata/lync2013_register_ntlm.UccApilog")
	require.NoError(t, err)
	require.Contains(t, string(b), "\r\n")
	withCRLF, p1 := parseString(t, string(b))
	withLF, p2 := parseString(t, strings.ReplaceAll(string(b), "\r\n", "\n"))
	assert.Equal(t, withCRLF, withLF)
	assert.Equal(t, p1, p2)
	for _, ev := range withLF {
		assert.NotContains(t, ev.Text, "\r")
	}
}

const register401 = `SIP/2.0 401 Unauthorized
Date: Tue, 16 Apr 2013 07:17:30 GMT
WWW-Authenticate: NTLM realm="SIP Communications Service", targetname="pool01.contoso.com", version=4
From: <sip:bob@contoso.com>;tag=2f7c6e8a41;epid=5a2b7d19e0
To: <sip:bob@contoso.com>;tag=A1B2C3D4E5F60718293A4B5C6D7E8F90
Call-ID: 9d1a51f1b2c44c2a8d7a3f0e6b5c4d3e
CSeq: 1 REGISTER
Content-Length: 0
`

// The start line may follow the marker, sit on its own prefixed line or sit
// on the marker line; the level may be padded or not; the marker may lack
// its colon. All give the same SIP event.
func TestParseStartLinePlacement(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 "
	const mark = "Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 512 bytes"
	const end = pre + "INFO  :: End of Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 512 bytes\n"
	rest := register401[strings.IndexByte(register401, '\n')+1:]
	tests := []struct {
		name string
		in   string
	}{
		{"next line, padded level", pre + "INFO  :: " + mark + ":\n" + register401 + "\n" + end},
		{"next line, unpadded level, no colon", pre + "INFO :: " + mark + "\n" + register401 + "\n" + end},
		{"own prefixed line", pre + "INFO  :: " + mark + ":\n" + pre + "INFO  :: SIP/2.0 401 Unauthorized\n" + rest + "\n" + end},
		{"on the marker line", pre + "INFO  :: " + mark + ": SIP/2.0 401 Unauthorized\n" + rest + "\n" + end},
		{"blank line before the start line, CRLF", crlf(pre + "INFO  :: " + mark + ":\n\n" + register401 + "\n" + end)},
		{"tab separated prefix", "04/16/2013|09:17:30.402\t1F68:C14\tINFO\t::\t" + mark + ":\n" + register401 + "\n" + end},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems := parseString(t, tt.in)
			assert.Empty(t, problems)
			sips := ofKind(evs, event.KindSIP)
			require.Len(t, sips, 1)
			ev := sips[0]
			assert.Equal(t, 1, ev.Line)
			assert.Equal(t, time.Date(2013, 4, 16, 9, 17, 30, 402e6, time.UTC), ev.Time)
			assert.True(t, strings.HasPrefix(ev.Text, "SIP/2.0 401 Unauthorized\nDate: "), ev.Text)
			assert.True(t, strings.HasSuffix(ev.Text, "Content-Length: 0"), ev.Text)
			assertFields(t, map[string]string{
				"sip.direction": "received", "sip.remote": "10.0.0.20:443", "sip.local": "192.168.103.35:50123",
				"sip.type": "response", "sip.status": "401", "sip.reason": "Unauthorized",
				"sip.cseq.number": "1", "sip.cseq.method": "REGISTER", "sip.from.uri": "sip:bob@contoso.com",
				"sip.date_offset": "-7200", "sip.clock_skew": "0",
			}, ev)
			assert.Equal(t, strings.Count(tt.in, "\n"), ev.EndLine)
		})
	}
}

func TestParseLogLevels(t *testing.T) {
	tests := []struct {
		line  string
		level string // "" when no KindLog event is expected
		msg   string
	}{
		{"01/02/2015|10:00:00.000 1A:2B INFO  :: fine", "", ""},
		{"01/02/2015|10:00:00.000 1A:2B TRACE :: fine", "", ""},
		{"01/02/2015|10:00:00.000 1A:2B ERROR :: bad", "ERROR", "bad"},
		{"01/02/2015|10:00:00.000 1A:2B WARN  :: so-so ", "WARN", "so-so "},
		{"01/02/2015|10:00:00.000 1A:2B Warning :: so :: so", "Warning", "so :: so"},
		{"01/02/2015|10:00:00.000 1A:2B fatal :: dead", "fatal", "dead"},
		{"01/02/2015|10:00:00.000 1A:2B CRITICAL::dead", "CRITICAL", "dead"},
		{"01/02/2015|10:00:00 1A:2B ERROR :: no milliseconds", "ERROR", "no milliseconds"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			evs, problems := parseString(t, tt.line+"\n")
			assert.Empty(t, problems)
			logs := ofKind(evs, event.KindLog)
			if tt.level == "" {
				assert.Empty(t, logs)
				return
			}
			require.Len(t, logs, 1)
			assert.Equal(t, tt.level, logs[0].Get("log.level"))
			assert.Equal(t, "1A:2B", logs[0].Get("log.thread"))
			assert.Equal(t, tt.line, logs[0].Text)
			assert.Equal(t, tt.msg, logs[0].Get("log.message"))
		})
	}
}

func TestParseMultiLineMessageIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("01/02/2015|10:00:00.000 1A:2B ERROR :: dump follows\n")
	for i := 0; i < 100; i++ {
		b.WriteString("  frame\n")
	}
	b.WriteString("  last 0x80048821\n")
	b.WriteString("01/02/2015|10:00:01.000 1A:2B INFO :: next\n")
	evs, problems := parseString(t, b.String())
	assert.Empty(t, problems)
	logs := ofKind(evs, event.KindLog)
	require.Len(t, logs, 1)
	assert.Equal(t, 1+maxContinuation, strings.Count(logs[0].Text, "\n")+1)
	assert.Equal(t, 1+maxContinuation, logs[0].EndLine)
	// Lines past the bound are still scanned, with the record's time.
	hr := ofKind(evs, event.KindHRESULT)
	require.Len(t, hr, 1)
	assert.Equal(t, 102, hr[0].Line)
	assert.Equal(t, logs[0].Time, hr[0].Time)
	assert.Equal(t, "  last 0x80048821", hr[0].Text)
}

func TestParseUIText(t *testing.T) {
	in := "01/02/2015|10:00:00.000 1A:2B ERROR :: ShowError: Cannot sign in to Lync because your computer clock is not set correctly.\n"
	evs, _ := parseString(t, in)
	ui := ofKind(evs, event.KindUIText)
	require.Len(t, ui, 1)
	assert.Equal(t, "clock", ui[0].Get("ui.key"))
	assert.Equal(t, "Cannot sign in to Lync because your computer clock is not set correctly.", ui[0].Get("ui.text"))
	assert.Equal(t, strings.TrimSuffix(in, "\n"), ui[0].Text)
	assert.Equal(t, 1, ui[0].Line)
	assert.True(t, ui[0].Local)
}

func TestParseBlockEdgeCases(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: "
	const mark = pre + "Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 512 bytes:\n"
	const send = pre + "Sending Packet - 10.0.0.20:443 (From Local Address: 192.168.103.35:50123) 100 bytes:\n"
	const end = pre + "End of Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 512 bytes\n"

	t.Run("new marker before the end marker", func(t *testing.T) {
		in := mark + "SIP/2.0 401 Unauthorized\nCSeq: 1 REGISTER\n" + send + "REGISTER sip:contoso.com SIP/2.0\nCSeq: 2 REGISTER\n\n" +
			pre + "End of Sending Packet - 10.0.0.20:443 (From Local Address: 192.168.103.35:50123) 100 bytes\n"
		evs, problems := parseString(t, in)
		sips := ofKind(evs, event.KindSIP)
		require.Len(t, sips, 2)
		assert.Equal(t, []int{1, 4}, []int{sips[0].Line, sips[1].Line})
		assert.Equal(t, []int{3, 8}, []int{sips[0].EndLine, sips[1].EndLine})
		assert.Equal(t, "401", sips[0].Get("sip.status"))
		assert.Equal(t, "REGISTER", sips[1].Get("sip.method"))
		assert.Equal(t, []event.Problem{{Line: 1, Msg: "SIP block started at line 1 not terminated"}}, problems)
	})
	t.Run("log line between the markers", func(t *testing.T) {
		in := mark + "SIP/2.0 401 Unauthorized\n" +
			"04/16/2013|09:17:30.403 0AA0:0BB0 ERROR :: other thread failed hr=0x80048823\n" +
			"CSeq: 1 REGISTER\n\n" + end
		evs, problems := parseString(t, in)
		assert.Empty(t, problems)
		require.Len(t, evs, 3)
		assert.Equal(t, event.KindSIP, evs[0].Kind)
		assert.Equal(t, "SIP/2.0 401 Unauthorized\nCSeq: 1 REGISTER", evs[0].Text)
		assert.Equal(t, "REGISTER", evs[0].Get("sip.cseq.method"))
		assert.Equal(t, event.KindLog, evs[1].Kind)
		assert.Equal(t, 3, evs[1].Line)
		assert.Equal(t, "0AA0:0BB0", evs[1].Get("log.thread"))
		assert.Equal(t, event.KindHRESULT, evs[2].Kind)
		assert.Equal(t, "PPCRL_REQUEST_E_PASSWORD_LOCKED_OUT", evs[2].Get("hresult.name"))
	})
	t.Run("HRESULT inside a block has the block's time", func(t *testing.T) {
		in := mark + "SIP/2.0 500 Server Internal Error\nms-diagnostics: 1000;reason=\"Final handshake failed\";HRESULT=\"0x80090326(SEC_E_ILLEGAL_MESSAGE)\"\n\n" + end
		evs, _ := parseString(t, in)
		require.Len(t, evs, 2)
		assert.Equal(t, event.KindSIP, evs[0].Kind)
		assert.Equal(t, "1000", evs[0].Get("diag.code"))
		assert.Equal(t, "0x80090326(SEC_E_ILLEGAL_MESSAGE)", evs[0].Get("diag.hresult"))
		assert.Equal(t, event.KindHRESULT, evs[1].Kind)
		assert.Equal(t, 3, evs[1].Line)
		assert.Equal(t, evs[0].Time, evs[1].Time)
		assert.Equal(t, "SEC_E_ILLEGAL_MESSAGE", evs[1].Get("hresult.name"))
	})
	t.Run("empty block", func(t *testing.T) {
		evs, problems := parseString(t, mark+end)
		require.Len(t, evs, 1)
		assert.Equal(t, "received", evs[0].Get("sip.direction"))
		assert.Equal(t, "", evs[0].Text)
		assert.Equal(t, []event.Problem{{Line: 1, Msg: "SIP block at line 1 has no SIP start line"}}, problems)
	})
	t.Run("orphan end marker and a marker look-alike", func(t *testing.T) {
		in := end + pre + "Sending Packets queued: 3\n" + pre + "Data Received from the cache\n"
		evs, problems := parseString(t, in)
		assert.Empty(t, evs)
		assert.Empty(t, problems)
	})
	t.Run("compact headers and body bounded by Content-Length", func(t *testing.T) {
		in := mark + "SIP/2.0 200 OK\nf: \"Bob\" <sip:bob@contoso.com>;tag=1\nt: sip:alice@contoso.com;tag=2\ni: abc@host\nm: <sip:bob@10.0.0.1>\nv: SIP/2.0/TLS 10.0.0.1\nk: ms-forking\ns: hello\nc: text/plain\nCSeq: 7 MESSAGE\nl: 14\n\nline one\nline two\nnot body\n" + end
		evs, problems := parseString(t, in)
		assert.Empty(t, problems)
		require.Len(t, evs, 1)
		assertFields(t, map[string]string{
			"sip.from.uri": "sip:bob@contoso.com", "sip.to.uri": "sip:alice@contoso.com", "sip.call_id": "abc@host",
			"sip.header.from": "\"Bob\" <sip:bob@contoso.com>;tag=1", "sip.header.contact": "<sip:bob@10.0.0.1>",
			"sip.header.via": "SIP/2.0/TLS 10.0.0.1", "sip.header.supported": "ms-forking", "sip.header.subject": "hello",
			"sip.header.content-type": "text/plain", "sip.header.content-length": "14",
			"sip.cseq.number": "7", "sip.cseq.method": "MESSAGE",
			"sip.body": "line one\nline", "sip.header.f": "-",
		}, evs[0])
	})
}

func TestParseGarbage(t *testing.T) {
	const ok = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: fine\n"
	tests := []struct {
		name     string
		in       string
		problems []event.Problem
	}{
		{"a handful of lines before the first prefix pass", "a\nb\nc\nd\ne\n" + ok, nil},
		{"more than a handful give one problem", "x\n\ny\nz\nw\nv\nu\n" + ok,
			[]event.Problem{{Line: 1, Msg: "6 lines not in UccApilog syntax, first at line 1"}}},
		{"NUL-filled lines are garbage even after a log line", ok + strings.Repeat("\x00\x00\x00\n", 7),
			[]event.Problem{{Line: 2, Msg: "7 lines not in UccApilog syntax, first at line 2"}}},
		{"continuation lines are not garbage", ok + strings.Repeat("more text\n", 20), nil},
		{"a bad date is not a prefix", "13/45/2013|09:17:30.402 1F68:C14 INFO  :: x\n02/29/2013|09:17:30.402 1F68:C14 INFO  :: x\n" +
			"1/1/2013|09:17:30.402 x\n99/99/9999|99:99:99.999 x\n04/16/2013|24:00:00.000 x\n04/16/2013|09:17:30. x\n",
			[]event.Problem{{Line: 1, Msg: "6 lines not in UccApilog syntax, first at line 1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := parseString(t, tt.in)
			assert.Equal(t, tt.problems, problems)
		})
	}
}

func TestParseLongLine(t *testing.T) {
	in := "04/16/2013|09:17:30.402 1F68:C14 ERROR :: " + strings.Repeat("A", maxLine+100) + "\n" +
		"04/16/2013|09:17:30.403 1F68:C14 ERROR :: after hr=0x80048821\n"
	evs, problems := parseString(t, in)
	assert.Equal(t, []event.Problem{{Line: 1, Msg: "line longer than 1048576 bytes, cut"}}, problems)
	logs := ofKind(evs, event.KindLog)
	require.Len(t, logs, 2)
	assert.Len(t, logs[0].Text, maxLine)
	assert.Equal(t, 2, logs[1].Line)
	assert.Len(t, ofKind(evs, event.KindHRESULT), 1)
}

func TestParseErrors(t *testing.T) {
	b, err := os.ReadFile("testdata/lync2013_register_ntlm.UccApilog")
	require.NoError(t, err)

	t.Run("emit error stops the parse", func(t *testing.T) {
		boom := errors.New("sink full")
		calls := 0
		_, err := Parse(context.Background(), "x", strings.NewReader(string(b)), func(event.Event) error {
			calls++
			return boom
		})
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, 1, calls)
	})
	t.Run("read error is returned after the events read so far", func(t *testing.T) {
		boom := errors.New("disk on fire")
		r := io.MultiReader(strings.NewReader(string(b[:400])), iotest.ErrReader(boom))
		var evs []event.Event
		_, err := Parse(context.Background(), "x", r, func(ev event.Event) error {
			evs = append(evs, ev)
			return nil
		})
		assert.ErrorIs(t, err, boom)
		assert.Len(t, ofKind(evs, event.KindLog), 1)
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		big := strings.Repeat(string(b), ctxEvery/80+1)
		_, err := Parse(ctx, "x", strings.NewReader(big), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"Lync 2013", "04/16/2013|03:17:30.168 1F68:C14 INFO  :: End of Sending Packet - 192.168.100.100:5061 (From Local Address: 192.168.103.35:20323) 1503 bytes\r\n", true},
		{"unpadded, BOM", "\uFEFF04/16/2013|03:17:31.555 1F68:C14 INFO :: End of Data Received -192.168.100.100:5061 (To Local Address: 192.168.103.35:20323) 1096 bytes\n", true},
		{"starts inside a SIP block", "CSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n04/16/2013|03:17:31.555 1F68:C14 INFO  :: End of Data Received - 1.2.3.4:443 (To Local Address: 5.6.7.8:1) 1 bytes\r\n", true},
		{"cut last line still counts", "04/16/2013|03:17:31.555 1F68:C14 ERROR :: Something", true},
		{"plain text", "The server is temporarily unavailable.\n", false},
		{"other timestamp format", "2013-04-16 03:17:31.555 INFO :: x\n", false},
		{"timestamp without level and separator", "04/16/2013|03:17:31.555 hello\n", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect([]byte(tt.head)))
		})
	}
	for _, f := range []string{"testdata/lync2013_register_ntlm.UccApilog", "testdata/communicator_404_4005.uccapilog"} {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.True(t, Detect(b[:min(len(b), 4096)]), f)
	}
}

// countingReader counts the bytes handed out (to the parser's reading
// goroutine, while the test's sink reads the count).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// Events of long multi-line records are emitted while the input is still
// being read, so memory does not grow with the record.
func TestParseStreamsLongRecords(t *testing.T) {
	for _, level := range []string{"INFO", "ERROR"} {
		t.Run(level, func(t *testing.T) {
			// The parser reads ahead a few batches of batchBytes: the
			// input is ten times that.
			const frame = "  frame hr=0x80048821\n"
			frames := 10 * batches * batchBytes / len(frame)
			in := "01/02/2015|10:00:00.000 1A:2B " + level + " :: dump\n" + strings.Repeat(frame, frames)
			require.Greater(t, len(in), 8*batches*batchBytes)
			cr := &countingReader{r: strings.NewReader(in)}
			readAtFirst := int64(-1)
			events := 0
			_, err := Parse(context.Background(), "x", cr, func(ev event.Event) error {
				if readAtFirst < 0 {
					readAtFirst = cr.n.Load()
				}
				events++
				return nil
			})
			require.NoError(t, err)
			assert.Less(t, readAtFirst, int64(len(in)/2), "first event only after reading %d of %d bytes", readAtFirst, len(in))
			wantEvents := frames
			if level == "ERROR" {
				wantEvents++
			}
			assert.Equal(t, wantEvents, events)
		})
	}
}

func TestParseBlockTooLong(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: "
	body := strings.Repeat(strings.Repeat("b", 1000)+"\n", maxBlockBytes/1000+10)
	in := pre + "Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1 bytes:\nSIP/2.0 200 OK\nContent-Length: 99999999\n\n" + body +
		pre + "End of Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1 bytes\n"
	evs, problems := parseString(t, in)
	sips := ofKind(evs, event.KindSIP)
	require.Len(t, sips, 1)
	assert.Equal(t, "200", sips[0].Get("sip.status"))
	assert.LessOrEqual(t, len(sips[0].Text), maxBlockBytes)
	cut := sips[0].EndLine
	require.Len(t, problems, 2)
	assert.Equal(t, event.Problem{Line: 1, Msg: fmt.Sprintf("SIP block started at line 1 not terminated within %d bytes, cut at line %d", maxBlockBytes, cut)}, problems[0])
	// The rest of the body has no log line before it: garbage.
	rest := strings.Count(in, "\n") - 1 - cut
	assert.Equal(t, event.Problem{Line: cut + 1, Msg: fmt.Sprintf("%d lines not in UccApilog syntax, first at line %d", rest, cut+1)}, problems[1])
}
