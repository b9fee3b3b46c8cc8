package uccapilog

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// parseKeep parses s with Options.Keep set to keep, returning the events,
// the problems and the views Keep was asked about.
func parseKeep(t *testing.T, s string, keep func(BlockView) bool) ([]event.Event, []event.Problem, []BlockView) {
	t.Helper()
	var evs []event.Event
	var views []BlockView
	opt := Options{Keep: func(v BlockView) bool {
		views = append(views, v)
		return keep(v)
	}}
	problems, err := opt.Parse(context.Background(), "test.UccApilog", strings.NewReader(s), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems, views
}

// logs returns the client logs of the fixtures and of the sample cases.
func logs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pattern := range []string{"testdata/*.*", "../../testdata/logs/cases/*/*/*/*.UccApilog*", "../../testdata/logs/cases/*/*/*.UccApilog*"} {
		paths, err := filepath.Glob(pattern)
		require.NoError(t, err)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			if Detect(b) {
				out[p] = string(b)
			}
		}
	}
	require.Greater(t, len(out), 10)
	return out
}

// The view of every block is what its event says, in every client log of
// the repository.
func TestViewIsTheEvent(t *testing.T) {
	for path, s := range logs(t) {
		checkViews(t, path, s, true)
	}
}

// FuzzViewIsTheEvent: on any input, the view of every block is what its
// event says, but that it may report a Date or ms-diagnostics header its
// event has no value of (an empty "Date:"; the view does not read folded
// values, so it cannot tell), and refused blocks lose their event,
// nothing else.
func FuzzViewIsTheEvent(f *testing.F) {
	for _, s := range []string{
		sipBlock("sent", "REGISTER sip:contoso.com SIP/2.0", "CSeq: 1 REGISTER", "Content-Length: 0"),
		sipBlock("received", "SIP/2.0 401 Unauthorized", "CSeq: 1 REGISTER", "Date: Mon, 01 Jan 2024 08:58:04 GMT", "ms-diagnostics: 4005;reason=\"x\""),
		keepPrefix + "Sending Packet - 1.2.3.4:443 (From Local Address: 10.0.0.1:5) 1 bytes:\n" + keepPrefix + "  INVITE  sip:a@b  SIP/2.0 \nCSeq : 2 INVITE\n CSeq: 3 BYE\n" + keepPrefix + "End of Sending Packet - 1.2.3.4:443\n",
		keepPrefix + "Data Received - 1.2.3.4:443 (To Local Address: 10.0.0.1:5) 1 bytes: NOTIFY sip:a SIP/2.0\n\u00a0CSeq:\t4 NOTIFY\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkViews(t, "fuzz", s, false)
	})
}

// checkViews checks that the view of every block of the client log s is
// what its event says, and that refused blocks lose their event, nothing
// else. Unless exact, a view may report a Date or ms-diagnostics header
// that its event has no value of: keeping a block for nothing is harmless,
// refusing one that counts is not.
func checkViews(t *testing.T, path, s string, exact bool) {
	t.Helper()
	evs, problems, views := parseKeep(t, s, func(BlockView) bool { return true })
	all, allProblems := parseString(t, s)
	assert.Equal(t, all, evs, path)
	assert.Equal(t, allProblems, problems, path)
	byLine := map[int]event.Event{}
	for _, ev := range ofKind(evs, event.KindSIP) {
		byLine[ev.Line] = ev
	}
	for _, v := range views {
		ev, ok := byLine[v.Line]
		require.True(t, ok, "%s: a view without its event at line %d", path, v.Line)
		assert.Equal(t, ev.Time, v.Time, path)
		assert.Equal(t, ev.Get("sip.direction"), v.Direction, path)
		assert.Equal(t, ev.Get("sip.method"), v.Method, "%s:%d", path, v.Line)
		assert.Equal(t, ev.Get("sip.status"), v.Status, "%s:%d", path, v.Line)
		assert.Equal(t, ev.Get("sip.cseq.method"), v.CSeqMethod, "%s:%d", path, v.Line)
		date, diag := ev.Get("sip.header.date") != "", ev.Get("diag.header") != ""
		if exact {
			assert.Equal(t, date, v.Date, "%s:%d", path, v.Line)
			assert.Equal(t, diag, v.Diagnostics, "%s:%d", path, v.Line)
		} else {
			assert.True(t, v.Date || !date, "%s:%d: a Date header the view missed", path, v.Line)
			assert.True(t, v.Diagnostics || !diag, "%s:%d: an ms-diagnostics header the view missed", path, v.Line)
		}
	}
	// Refused blocks lose their event, nothing else.
	evs, problems, _ = parseKeep(t, s, func(BlockView) bool { return false })
	assert.Equal(t, allProblems, problems, path)
	var want []event.Event
	for _, ev := range all {
		if ev.Kind != event.KindSIP || !containsLine(views, ev.Line) {
			want = append(want, ev)
		}
	}
	assert.Equal(t, want, evs, path)
}

func containsLine(views []BlockView, line int) bool {
	for _, v := range views {
		if v.Line == line {
			return true
		}
	}
	return false
}

const keepPrefix = "06/15/2017|09:02:11.482 1F68:C14 INFO  :: "

func sipBlock(dir string, lines ...string) string {
	start, end := "Data Received - 52.112.66.8:443 (To Local Address: 10.0.0.25:50123) 470 bytes:", "End of Data Received - 52.112.66.8:443"
	if dir == "sent" {
		start, end = "Sending Packet - 52.112.66.8:443 (From Local Address: 10.0.0.25:50123) 470 bytes:", "End of Sending Packet - 52.112.66.8:443"
	}
	return keepPrefix + start + "\n" + strings.Join(lines, "\n") + "\n" + keepPrefix + end + "\n"
}

func TestKeep(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		asked bool
		want  BlockView
	}{
		{"a response", sipBlock("received", "SIP/2.0 401 Unauthorized", "Date: Thu, 15 Jun 2017 09:02:11 GMT", "CSeq: 2 REGISTER", "ms-diagnostics: 4005;reason=\"x\"", "Content-Length: 0", ""),
			true, BlockView{Direction: "received", Status: "401", CSeqMethod: "REGISTER", Date: true, Diagnostics: true}},
		{"a request", sipBlock("sent", "INVITE sip:alice@contoso.com SIP/2.0", "cseq :  7   INVITE", "Content-Length: 0"),
			true, BlockView{Direction: "sent", Method: "INVITE", CSeqMethod: "INVITE"}},
		{"the first CSeq counts", sipBlock("received", "BENOTIFY sip:10.0.0.25:50123 SIP/2.0", "CSeq: 3 BENOTIFY", "CSeq: 4 REGISTER"),
			true, BlockView{Direction: "received", Method: "BENOTIFY", CSeqMethod: "BENOTIFY"}},
		{"headers end at the body", sipBlock("received", "NOTIFY sip:10.0.0.25:50123 SIP/2.0", "Content-Length: 30", "", "CSeq: 1 REGISTER", "Date: x"),
			true, BlockView{Direction: "received", Method: "NOTIFY"}},
		{"a public diagnostics header", sipBlock("received", "SIP/2.0 404 Not Found", "ms-diagnostics-public: 4005"),
			true, BlockView{Direction: "received", Status: "404", Diagnostics: true}},
		{"not a token", sipBlock("received", "SIP/2.0 200 OK", "C\u017feq: 1 REGISTER"),
			true, BlockView{Direction: "received", Status: "200"}},
		{"a folded CSeq is the parser's", sipBlock("received", "SIP/2.0 200 OK", "CSeq: 1", " REGISTER"), false, BlockView{}},
		{"a CSeq after white space is the parser's", sipBlock("received", "SIP/2.0 200 OK", "Via: x", " CSeq: 1 REGISTER"), false, BlockView{}},
		{"no start line", sipBlock("received", "CSeq: 1 REGISTER"), false, BlockView{}},
		{"a bad status", sipBlock("received", "SIP/2.0 2000 OK", "CSeq: 1 REGISTER"), false, BlockView{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, _, views := parseKeep(t, tt.in, func(BlockView) bool { return false })
			if !tt.asked {
				assert.Empty(t, views)
				assert.Len(t, ofKind(evs, event.KindSIP), 1, "kept without asking")
				return
			}
			require.Len(t, views, 1)
			v := views[0]
			assert.Equal(t, 1, v.Line)
			assert.False(t, v.Time.IsZero())
			v.Line, v.Time = 0, tt.want.Time
			assert.Equal(t, tt.want, v)
			assert.Empty(t, ofKind(evs, event.KindSIP))
			// Kept, its event has the values of the view.
			evs, _, _ = parseKeep(t, tt.in, func(BlockView) bool { return true })
			sip := ofKind(evs, event.KindSIP)
			require.Len(t, sip, 1)
			assert.Equal(t, tt.want.CSeqMethod, sip[0].Get("sip.cseq.method"))
		})
	}
}

// A refused block's HRESULTs and texts are still found.
func TestKeepRefusedBlockDerived(t *testing.T) {
	in := sipBlock("received", "SIP/2.0 200 OK", "CSeq: 9 SERVICE", "ms-client-diagnostics: 52001; reason=\"Client side general processing error.\";hr=0x80048821", "")
	evs, _, views := parseKeep(t, in, func(BlockView) bool { return false })
	require.Len(t, views, 1)
	assert.Empty(t, ofKind(evs, event.KindSIP))
	h := ofKind(evs, event.KindHRESULT)
	require.Len(t, h, 1)
	assert.Equal(t, "0x80048821", h[0].Get("hresult"))
	assert.Equal(t, 4, h[0].Line)
}
