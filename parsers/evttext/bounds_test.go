package evttext

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// The hostile inputs of these tests are generated while they are read
// (repeatReader), so that a flood of hundreds of MiB costs no memory in
// the test and what the parser keeps is what the assertions measure:
// events, problems, and the lengths of what each event holds.

// repeatReader streams head, then body n times, then tail.
type repeatReader struct {
	head, body, tail []byte
	n                int
	read             int64 // bytes handed out
	// onRead, if set, is called with the bytes handed out so far.
	onRead func(int64)
	part   int // 0 head, 1 body, 2 tail, 3 done
	off    int
}

func repeat(head, body, tail string, n int) *repeatReader {
	return &repeatReader{head: []byte(head), body: []byte(body), tail: []byte(tail), n: n}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 && r.part < 3 {
		cur := [][]byte{r.head, r.body, r.tail}[r.part]
		if r.part == 1 && r.n <= 0 {
			r.part, r.off = 2, 0
			continue
		}
		k := copy(p, cur[r.off:])
		p, r.off, total = p[k:], r.off+k, total+k
		if r.off == len(cur) {
			r.off = 0
			if r.part == 1 {
				r.n--
				if r.n > 0 {
					continue
				}
			}
			r.part++
		}
	}
	r.read += int64(total)
	if r.onRead != nil {
		r.onRead(r.read)
	}
	if total == 0 && r.part >= 3 {
		return 0, io.EOF
	}
	return total, nil
}

// parseStream parses r and returns the events and the problems as
// "line N: msg" strings.
func parseStream(t *testing.T, r io.Reader) ([]event.Event, []string) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "x", r, func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.String())
	}
	return evs, msgs
}

const (
	wevtBlock = "Event[0]:\r\n  Log Name: System\r\n  Source: Schannel\r\n  Date: 2017-06-15T09:02:11.482\r\n  Event ID: 36887\r\n  Task: None\r\n  Level: Error\r\n  Description:\r\nA fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 46.\r\n"
	wevtLast  = "Event[1]:\r\n  Log Name: System\r\n  Source: X\r\n  Date: 2017-06-15T09:02:12.000\r\n  Event ID: 36\r\n  Description:\r\nend\r\n"
	xmlEvent  = "<Event xmlns='" + eventNS + "'><System><Provider Name='Schannel'/><EventID>36887</EventID><TimeCreated SystemTime='2017-06-15T07:02:11.482Z'/></System><EventData><Data Name='AlertDesc'>46</Data></EventData></Event>\n"
	csvHeader = "Level,Date and Time,Source,Event ID,Task Category\r\n"
	csvRow    = "Error,6/15/2017 9:02:11 AM,Schannel,36887,None,A fatal alert was received. The TLS protocol defined fatal alert code is 46.\r\n"
)

// TestWevtutilFlood: a block followed by a flood of blank or text lines
// keeps its text and description within their budgets, and the events
// around the flood are read as without it.
func TestWevtutilFlood(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		n        int
		problems []string
		message  int // length of the first event's message, -1: not checked
	}{
		{name: "blank lines", body: "\r\n", n: 1 << 20, message: 101},
		{name: "white space lines", body: "  \t\r\n", n: 1 << 20, message: 101},
		{
			name: "description of 64 MiB", body: strings.Repeat("x", 78) + "\r\n", n: 800_000,
			problems: []string{"line 1: description of the event at line 1 longer than 65536 bytes, cut (the event runs to line 800009)"},
			message:  maxMessageLen + len("…"),
		},
		{
			name: "description of blank and text lines", body: "\r\n\r\nx\r\n", n: 100_000,
			problems: []string{"line 1: description of the event at line 1 longer than 65536 bytes, cut (the event runs to line 300009)"},
			message:  maxMessageLen + len("…"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems := parseStream(t, repeat(wevtBlock, tt.body, wevtLast, tt.n))
			require.Len(t, evs, 2)
			assert.Equal(t, tt.problems, problems)
			assert.Equal(t, "36887", evs[0].Get("evt.event_id"))
			assert.Equal(t, "46", evs[0].Get("evt.data.AlertDesc"))
			assert.Equal(t, tt.message, len(evs[0].Get("evt.message")))
			assert.LessOrEqual(t, len(evs[0].Text), maxTextLen+len("…"))
			assert.True(t, utf8.ValidString(evs[0].Text))
			assert.Equal(t, "36", evs[1].Get("evt.event_id"))
			assert.Equal(t, "end", evs[1].Get("evt.message"))
			if tt.problems == nil {
				// Nothing was cut: the event is the one without the flood.
				assert.Equal(t, strings.TrimSuffix(strings.ReplaceAll(wevtBlock, "\r\n", "\n"), "\n"), evs[0].Text)
			}
		})
	}
}

// TestWevtutilBlankLinesKept: blank lines inside a block, white space
// included, are kept as written; trailing ones are not.
func TestWevtutilBlankLinesKept(t *testing.T) {
	in := "Event[0]:\n  Log Name: System\n  Event ID: 7\n  Description:\nfirst\n  \n\nsecond\n\n \n\nEvent[1]:\n  Log Name: System\n  Event ID: 8\n  Description: inline\n"
	evs, problems := parseStream(t, strings.NewReader(in))
	assert.Empty(t, problems)
	require.Len(t, evs, 2)
	assert.Equal(t, "Event[0]:\n  Log Name: System\n  Event ID: 7\n  Description:\nfirst\n  \n\nsecond", evs[0].Text)
	assert.Equal(t, "first\n  \n\nsecond", evs[0].Get("evt.message"))
	assert.Equal(t, 8, evs[0].EndLine)
	assert.Equal(t, "inline", evs[1].Get("evt.message"))
}

// TestWevtutilJunkLines: lines in a header that are not fields make one
// problem.
func TestWevtutilJunkLines(t *testing.T) {
	evs, problems := parseStream(t, repeat("Event[0]:\r\n  Log Name: System\r\n  Event ID: 7\r\n", "junk\r\n", "  Description:\r\nok\r\n", 100_000))
	assert.Equal(t, []string{
		"line 4: 100000 unexpected lines in the header of the event at line 1 (lines 4-100003)",
	}, problems)
	require.Len(t, evs, 1)
	assert.Equal(t, "ok", evs[0].Get("evt.message"))
	assert.LessOrEqual(t, len(evs[0].Text), maxTextLen+len("…"))
}

// TestViewerUnclosedQuoteFlood: an Event Viewer CSV row whose quote never
// closes is cut at delimited's byte budget, its description at
// maxMessageLen, and the lines after the cut make one problem.
func TestViewerUnclosedQuoteFlood(t *testing.T) {
	line := strings.Repeat("A", 1<<20-10) + "\r\n"
	evs, problems := parseStream(t, repeat(csvHeader+"Error,6/15/2017 9:02:12 AM,Schannel,36888,None,\"A fatal alert was generated.\r\n", line, csvRow, 64))
	assert.Equal(t, []string{
		"line 2: quoted field not closed within 4194304 bytes (lines 2-5), cut",
		"line 2: description of the event at line 2 longer than 65536 bytes, cut (the event runs to line 5)",
		"line 6: 61 rows without a numeric Event ID, skipped (lines 6-66)",
	}, problems)
	require.Len(t, evs, 2)
	assert.Equal(t, maxMessageLen+len("…"), len(evs[0].Get("evt.message")))
	assert.LessOrEqual(t, len(evs[0].Text), maxTextLen+len("…"))
	assert.Equal(t, "46", evs[1].Get("evt.data.AlertDesc"))
	assert.Equal(t, 67, evs[1].Line)
}

// TestViewerBlankFlood: blank lines between rows cost nothing and are no
// problem.
func TestViewerBlankFlood(t *testing.T) {
	evs, problems := parseStream(t, repeat(csvHeader+csvRow, "\r\n", csvRow, 1<<20))
	assert.Empty(t, problems)
	assert.Len(t, evs, 2)
}

// TestXMLHostile: what lies outside an event is skipped keeping a count
// only, and what an event holds is cut at its budgets; the events around
// are read.
func TestXMLHostile(t *testing.T) {
	big := func(n int) string { return strings.Repeat("x", n) }
	withData := func(data string) string {
		return "<Event xmlns='" + eventNS + "'><System><EventID>1</EventID></System><EventData>" + data + "</EventData></Event>\n"
	}
	tests := []struct {
		name     string
		in       io.Reader
		events   int
		problems []string
		check    func(t *testing.T, evs []event.Event)
	}{
		{
			name:     "nesting outside an event",
			in:       io.MultiReader(strings.NewReader(xmlEvent), repeat("", "<a>", "", 1<<20), repeat("", "</a>", "\n"+xmlEvent, 1<<20)),
			events:   2,
			problems: []string{"line 2: <a> is not an event, skipped"},
		},
		{
			name:     "nesting outside an event, never closed",
			in:       io.MultiReader(strings.NewReader(xmlEvent), repeat("", "<a>", "", 1<<20)),
			events:   1,
			problems: []string{"line 2: <a> is not an event, skipped", "line 2: XML not well-formed, rest of the file skipped: XML syntax error on line 2: unexpected EOF"},
		},
		{
			name:     "text node of 16 MiB",
			in:       repeat(xmlEvent+"<Event xmlns='"+eventNS+"'><System><EventID>2</EventID></System><EventData><Data Name='Big'>", "xxxxxxxxxxxxxxxx", "</Data></EventData></Event>\n"+xmlEvent, 1<<20),
			events:   3,
			problems: []string{"line 2: event text or attribute values longer than kept (65536 bytes a value, 1048576 an event), cut"},
			check: func(t *testing.T, evs []event.Event) {
				assert.Equal(t, maxTextLen, len(evs[1].Get("evt.data.Big")))
				assert.LessOrEqual(t, len(evs[1].Text), maxTextLen+len("…"))
			},
		},
		{
			name:     "attribute of 16 MiB",
			in:       repeat(xmlEvent+"<Event xmlns='"+eventNS+"'><System><EventID>2</EventID></System><EventData><Data Name='", "xxxxxxxxxxxxxxxx", "'>1</Data></EventData></Event>\n"+xmlEvent, 1<<20),
			events:   3,
			problems: []string{"line 2: event text or attribute values longer than kept (65536 bytes a value, 1048576 an event), cut"},
		},
		{
			name:   "comment of 16 MiB",
			in:     repeat(xmlEvent+"<!--", "x-x--x->", "-->\n"+xmlEvent, 2<<20),
			events: 2,
		},
		{
			name:   "CDATA of 8 MiB",
			in:     repeat(xmlEvent+"<Event xmlns='"+eventNS+"'><System><EventID>2</EventID></System><EventData><Data><![CDATA[", "x]]x]>x]", "]]></Data></EventData></Event>\n", 1<<20),
			events: 2,
			problems: []string{
				"line 2: event text or attribute values longer than kept (65536 bytes a value, 1048576 an event), cut",
			},
		},
		{
			name:     "event over the text budget",
			in:       strings.NewReader(xmlEvent + withData(strings.Repeat("<Data>"+big(60_000)+"</Data>", 40)) + xmlEvent),
			events:   3,
			problems: []string{"line 2: event text or attribute values longer than kept (65536 bytes a value, 1048576 an event), cut"},
			check: func(t *testing.T, evs []event.Event) {
				kept := 0
				for k, v := range evs[1].Fields {
					if strings.HasPrefix(k, "evt.data.") && k != "evt.data.all" {
						kept += len(v)
					}
				}
				assert.LessOrEqual(t, kept, maxEventText)
				assert.Greater(t, kept, maxEventText-60_000)
			},
		},
		{
			name:     "event nested too deep",
			in:       strings.NewReader(xmlEvent + withData(strings.Repeat("<b>", 1000)+strings.Repeat("</b>", 1000)) + xmlEvent),
			events:   2,
			problems: []string{"line 2: event with more than 16384 elements or nested deeper than 64 levels, skipped (it ends at line 2)"},
		},
		{
			name:     "event with too many elements",
			in:       strings.NewReader(xmlEvent + withData(strings.Repeat("<b/>", maxNodes)) + xmlEvent),
			events:   2,
			problems: []string{"line 2: event with more than 16384 elements or nested deeper than 64 levels, skipped (it ends at line 2)"},
		},
		{
			name:     "too many attributes",
			in:       strings.NewReader(xmlEvent + withData("<Data"+strings.Repeat(" a='1'", 1000)+">x</Data>") + xmlEvent),
			events:   3,
			problems: []string{"line 2: event text or attribute values longer than kept (65536 bytes a value, 1048576 an event), cut"},
		},
		{
			name:     "name too long",
			in:       strings.NewReader(xmlEvent + "<" + big(2000) + "/>\n" + xmlEvent),
			events:   1,
			problems: []string{"line 2: XML not well-formed, rest of the file skipped: XML syntax error on line 2: name longer than 1024 bytes"},
		},
		{
			name:     "blank lines",
			in:       repeat(xmlEvent, "\r\n", xmlEvent, 1<<20),
			events:   2,
			problems: nil,
			check: func(t *testing.T, evs []event.Event) {
				assert.Equal(t, 2+1<<20, evs[1].Line)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems := parseStream(t, tt.in)
			assert.Equal(t, tt.problems, problems)
			require.Len(t, evs, tt.events)
			assert.Equal(t, "36887", evs[0].Get("evt.event_id"))
			assert.Equal(t, "46", evs[0].Get("evt.data.AlertDesc"))
			if tt.check != nil {
				tt.check(t, evs)
			}
		})
	}
}

// TestLexerAgreesWithEncodingXML: on well-formed documents the lexer
// returns the elements, attributes and text encoding/xml's RawToken does
// (entities, character references, CDATA, CR LF, comments, processing
// instructions and a DOCTYPE).
func TestLexerAgreesWithEncodingXML(t *testing.T) {
	docs := []string{
		"<?xml version='1.0' encoding='UTF-16'?>\r\n<Events><Event xmlns='" + eventNS + "'><System><EventID Qualifiers=\"0\">1</EventID></System></Event></Events>",
		"<a b='x &amp; &lt;y&gt; &quot;&apos;' c=\"&#65;&#x42;\r\nz\">t &#233; &#x1F600;\r\nu\rv<![CDATA[ <raw> ]] ]]]></a>",
		"<!DOCTYPE a [ <!ENTITY x 'y'> ]><!-- c - x --><?pi x ?? ?><a><b/><c d = 'e' /></a>",
		"<e:Event xmlns:e='" + eventNS + "'><e:System>x</e:System></e:Event>",
		"text <a>]] ]></a>\n",
	}
	for _, doc := range docs {
		t.Run(doc[:min(len(doc), 30)], func(t *testing.T) {
			want := xmlTokens(t, doc)
			lx := newLexer(context.Background(), bufioReader(doc))
			lx.keepAttrs = true
			var got []string
			for {
				tok, err := lx.next()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				got = append(got, tokenString(tok)...)
			}
			assert.Equal(t, want, mergeText(got))
		})
	}
}

// xmlTokens returns the tokens of doc as encoding/xml reads them.
func xmlTokens(t *testing.T, doc string) []string {
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.CharsetReader = passCharset
	dec.Strict = true
	var out []string
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return mergeText(out)
		}
		require.NoError(t, err)
		switch tt := tok.(type) {
		case xml.StartElement:
			out = append(out, startString(tt.Name, tt.Attr))
		case xml.EndElement:
			out = append(out, "</"+prefixed(tt.Name)+">")
		case xml.CharData:
			out = append(out, "text:"+string(tt))
		}
	}
}

func prefixed(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func startString(name xml.Name, attrs []xml.Attr) string {
	var b strings.Builder
	b.WriteString("<" + prefixed(name))
	for _, a := range attrs {
		b.WriteString(" " + prefixed(a.Name) + "=" + a.Value)
	}
	return b.String() + ">"
}

// tokenString returns tok the way xmlTokens writes encoding/xml's: an
// empty element as a start and an end.
func tokenString(tok token) []string {
	switch tok.kind {
	case tokStart:
		n := string(tok.name)
		s := startString(xml.Name{Local: n}, tok.attrs)
		if tok.empty {
			return []string{s, "</" + n + ">"}
		}
		return []string{s}
	case tokEnd:
		return []string{"</" + string(tok.name) + ">"}
	case tokText:
		return []string{"text:" + string(tok.text)}
	}
	return nil
}

// mergeText joins adjacent texts (encoding/xml returns a CDATA section as
// its own token, like the lexer, but may split differently).
func mergeText(toks []string) []string {
	var out []string
	for _, s := range toks {
		if n := len(out); n > 0 && strings.HasPrefix(s, "text:") && strings.HasPrefix(out[n-1], "text:") {
			out[n-1] += strings.TrimPrefix(s, "text:")
			continue
		}
		out = append(out, s)
	}
	return out
}

// TestCancelledMidInput: a cancellation during an endless input of each
// form stops Parse within a bounded number of bytes read.
func TestCancelledMidInput(t *testing.T) {
	const cancelAt, slack = 4 << 20, 2 << 20
	tests := []struct {
		name string
		in   *repeatReader
	}{
		{"wevtutil blank lines", repeat(wevtBlock, "\r\n", "", 1<<30)},
		{"wevtutil description", repeat(wevtBlock, "x\r\n", "", 1<<30)},
		{"wevtutil text outside blocks", repeat(wevtBlock+"Event[1]:\r\n  Log Name: S\r\n  Event ID: 1\r\n\r\n", "junk\r\n", "", 1<<30)},
		{"viewer rows without an id", repeat(csvHeader, "Error,6/15/2017 9:02:11 AM,Schannel,x,None,y\r\n", "", 1<<30)},
		{"viewer blank lines", repeat(csvHeader, "\r\n", "", 1<<30)},
		{"XML nesting", repeat(xmlEvent, "<a>", "", 1<<30)},
		{"XML text", repeat(xmlEvent+"<Event xmlns='"+eventNS+"'><System><EventID>1</EventID></System><EventData><Data>", "xxxxxxxx", "", 1<<30)},
		{"XML comment", repeat(xmlEvent+"<!--", "xxxxxxxx", "", 1<<30)},
		{"XML blank", repeat(xmlEvent, "\n", "", 1<<30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tt.in.onRead = func(n int64) {
				if n >= cancelAt {
					cancel()
				}
			}
			_, err := Parse(ctx, "x", tt.in, func(event.Event) error { return nil })
			require.ErrorIs(t, err, context.Canceled)
			assert.Less(t, tt.in.read, int64(cancelAt+slack), "bytes read before stopping")
		})
	}
}

func bufioReader(s string) *bufio.Reader { return newBufio(strings.NewReader(s)) }

func newBufio(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }

// TestLexerDoesNotGrow: the lexer's buffers stay within their budgets
// over a document of large tokens.
func TestLexerDoesNotGrow(t *testing.T) {
	lx := newLexer(context.Background(), newBufio(repeat("", "<a b='"+strings.Repeat("v", 100_000)+"'>"+strings.Repeat("t", 100_000)+"<!--"+strings.Repeat("c", 100_000)+"--></a>", "", 200)))
	lx.keepAttrs = true
	for {
		lx.resetRaw()
		tok, err := lx.next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		for _, a := range tok.attrs {
			assert.LessOrEqual(t, len(a.Value), maxTextLen)
		}
		assert.LessOrEqual(t, len(tok.text), maxTextLen)
		assert.LessOrEqual(t, len(lx.raw), maxTextLen+1)
	}
	assert.LessOrEqual(t, cap(lx.text), 2*maxTextLen+64)
	assert.LessOrEqual(t, cap(lx.val), 2*maxTextLen+64)
	assert.LessOrEqual(t, cap(lx.raw), 2*maxTextLen+64)
}
