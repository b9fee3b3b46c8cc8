package dns

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// repeatReader streams head, then body n times, then tail, without holding
// the whole input: the hostile inputs of these tests are tens of megabytes.
type repeatReader struct {
	parts []string
	reps  []int
	off   int
	read  int64 // bytes handed out
}

// repeated returns a reader of head, body n times, tail.
func repeated(head, body string, n int, tail string) *repeatReader {
	return &repeatReader{parts: []string{head, body, tail}, reps: []int{1, n, 1}}
}

// Read implements io.Reader.
func (r *repeatReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 && len(r.parts) > 0 {
		if r.reps[0] == 0 || r.parts[0] == "" {
			r.parts, r.reps, r.off = r.parts[1:], r.reps[1:], 0
			continue
		}
		n := copy(p, r.parts[0][r.off:])
		p, r.off, total = p[n:], r.off+n, total+n
		if r.off == len(r.parts[0]) {
			r.off = 0
			r.reps[0]--
		}
	}
	r.read += int64(total)
	if total == 0 {
		return 0, io.EOF
	}
	return total, nil
}

// size returns the length of the whole input.
func (r *repeatReader) size() int64 {
	var n int64
	for i, p := range r.parts {
		n += int64(len(p)) * int64(r.reps[i])
	}
	return n
}

// collect parses r and returns the events and the problems.
func collect(t *testing.T, r io.Reader) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "x", r, func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

const (
	jsonRecordCNAME = `{"Name":"sip.contoso.com","Type":5,"CharacterSet":1,"Section":1,"DataLength":8,"TTL":3600,"NameHost":"sipdir.online.lync.com","QueryType":5}`
	jsonTiny        = `,{"Name":"a","Section":1,"DataLength":4}`
)

// The red team's ConvertTo-Json shapes (F2), small: one record then
// thousands of tiny objects in one array, or then a flood of newlines. The
// splitter reads every byte once and holds at most maxRun lines, whatever
// the input; the legitimate record is still reported.
func TestJSONSplitterLinear(t *testing.T) {
	tests := []struct {
		name     string
		in       *repeatReader
		values   int
		problems int
	}{
		{"tiny objects on one line", repeated("[\r\n"+jsonRecordCNAME, jsonTiny, 50_000, "]\r\n"), 50_001, 50_000},
		{"tiny objects on their own lines", repeated("[\r\n"+jsonRecordCNAME, jsonTiny+"\r\n", 50_000, "]\r\n"), 50_001, 50_000},
		{"newlines after the record", repeated("[\r\n"+jsonRecordCNAME+"]", "\n", 3*maxRun, ""), 1, 0},
		{"newlines inside the array", repeated("[\r\n"+jsonRecordCNAME, "\n", 3*maxRun, "]"), 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.in.size()
			var emitted []event.Event
			p := &dataParser{path: "x", form: "ConvertTo-Json", emit: func(ev event.Event) error {
				emitted = append(emitted, ev)
				return nil
			}}
			s := &jsonSplitter{ctx: context.Background(), r: bufio.NewReader(tt.in), p: p, line: 1}
			values, problems, maxLines, maxBytes := 0, 0, 0, 0
			for {
				v, err := s.next()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				maxLines, maxBytes = max(maxLines, len(p.win.lines)), max(maxBytes, p.win.bytes)
				if v.docEnd {
					continue
				}
				values++
				rec, bad, err := jsonDecode(v.data)
				require.NoError(t, err)
				if bad != "" {
					problems++
					continue
				}
				rec.first, rec.last = v.first, v.last
				p.add(rec)
			}
			assert.Equal(t, size, s.read, "every byte read once")
			assert.Equal(t, tt.values, values)
			assert.Equal(t, tt.problems, problems)
			assert.LessOrEqual(t, maxLines, maxRun+1, "lines kept")
			assert.LessOrEqual(t, maxBytes, maxRunBytes+scanMaxLine(), "bytes kept")
		})
	}
}

// scanMaxLine is the longest line a window may take past maxRunBytes.
func scanMaxLine() int { return 1 << 20 }

// Through Parse: the record is reported; the tiny objects are problems,
// kept to 100 and a count; a newline flood after the records cuts them once.
func TestJSONHostileShapes(t *testing.T) {
	t.Run("tiny objects", func(t *testing.T) {
		evs, problems := collect(t, repeated("[\r\n"+jsonRecordCNAME, jsonTiny, 50_000, "]\r\n"))
		require.Len(t, evs, 1)
		assert.Equal(t, "sip.contoso.com", evs[0].Get("dns.query"))
		assert.Equal(t, "sipdir.online.lync.com", evs[0].Get("dns.cname"))
		// 50,000 objects without a type, and line 2 (2 MB) cut in the
		// event's text.
		require.Len(t, problems, event.DefaultMaxProblems+1)
		assert.Equal(t, event.Problem{Line: 2, Msg: "ConvertTo-Json: object without the Name, Type and Section of a DNS record"}, problems[0])
		assert.Equal(t, fmt.Sprintf("%d more problems not listed", 50_001-event.DefaultMaxProblems), problems[event.DefaultMaxProblems].Msg)
		assert.Len(t, evs[0].Text, 1<<20)
	})
	t.Run("newline flood after the record", func(t *testing.T) {
		evs, problems := collect(t, repeated("[\r\n"+jsonRecordCNAME+"]", "\n", 3*maxRun, ""))
		require.Len(t, evs, 1)
		assert.Equal(t, 2, evs[0].Line)
		assert.Equal(t, jsonRecordCNAME+"]", evs[0].Text)
		require.Len(t, problems, 1)
		assert.Equal(t, fmt.Sprintf("ConvertTo-Json: the records from line 2 go on over %d records, %d lines or %d bytes: cut at line %d, a look-up going on past it is reported in parts",
			maxRecords, maxRun, maxRunBytes, maxRun+2), problems[0].Msg)
	})
	t.Run("records past maxRecords", func(t *testing.T) {
		rec := `,{"Name":"a%d.contoso.com","Type":1,"Section":1,"IPAddress":"10.0.0.1"}`
		var b strings.Builder
		b.WriteString("[" + jsonRecordCNAME)
		for i := range maxRecords + 10 {
			fmt.Fprintf(&b, rec, i)
		}
		b.WriteString("]")
		evs, problems := collect(t, strings.NewReader(b.String()))
		assert.Len(t, evs, maxRecords+11, "every record reported")
		require.Len(t, problems, 2)
		assert.Contains(t, problems[0].Msg, "cut at line 1")
		assert.Equal(t, event.Problem{Line: 1, Msg: "line longer than 1048576 bytes, cut"}, problems[1])
		for _, ev := range evs[:3] {
			assert.LessOrEqual(t, len(ev.Text), maxRunBytes)
		}
	})
	t.Run("a value too long is skipped", func(t *testing.T) {
		in := io.MultiReader(strings.NewReader("[\n"+jsonRecordCNAME+",\n"+`{"Name":"`), repeated("", "x", maxValueBytes+10, `"},`+"\n"),
			strings.NewReader(`{"Name":"b.contoso.com","Type":1,"Section":1,"IPAddress":"10.0.0.2"}]`))
		evs, problems := collect(t, in)
		require.Len(t, evs, 2)
		assert.Equal(t, "b.contoso.com", evs[1].Get("dns.query"))
		assert.Equal(t, 4, evs[1].Line)
		assert.Equal(t, []event.Problem{{Line: 3, Msg: fmt.Sprintf("ConvertTo-Json: value at line 3 longer than %d bytes: skipped", maxValueBytes)}}, problems)
	})
	t.Run("garbage without delimiters", func(t *testing.T) {
		evs, problems := collect(t, repeated("["+jsonRecordCNAME+",", "x", 4*maxValueBytes, "]"))
		assert.Len(t, evs, 1)
		require.Len(t, problems, 1)
		assert.Contains(t, problems[0].Msg, "skipped")
	})
}

// Export-Csv: a quote never closed stops at maxValueBytes instead of taking
// the rest of the file; the look-ups before it are kept. A blank-line flood
// costs no memory.
func TestCSVHostileShapes(t *testing.T) {
	head := "\"Name\",\"Type\",\"Section\",\"TTL\",\"IPAddress\"\n" +
		"\"a.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.0.1\"\n"
	t.Run("quote never closed", func(t *testing.T) {
		in := repeated(head+"\"b.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.0.2\"\n\"c.contoso.com\",\"A\",\"Answer\",\"60\",\"", "xxxxxxx\n", 3*maxRun, "")
		evs, problems := collect(t, in)
		require.Len(t, evs, 1)
		assert.Equal(t, "a.contoso.com", evs[0].Get("dns.query"))
		require.Len(t, problems, 1)
		assert.Equal(t, fmt.Sprintf("Export-Csv: row at line 4 longer than %d bytes or %d lines: the rest of the file is dropped", maxValueBytes, maxRun), problems[0].Msg)
		assert.Less(t, in.read, int64(2*maxValueBytes), "stopped early")
	})
	t.Run("blank lines and comments", func(t *testing.T) {
		for _, flood := range []string{"\r\n", "#x\r\n"} {
			in := repeated(head, flood, 3*maxRun, "\"b.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.0.2\"\n")
			evs, _ := collect(t, in)
			require.Len(t, evs, 2, "%q", flood)
			assert.Equal(t, "b.contoso.com", evs[1].Get("dns.query"))
			assert.Equal(t, 3*maxRun+3, evs[1].Line)
		}
	})
}

// F3: a blank-line flood in Resolve-DnsName table or list output, or in an
// nslookup block, is cut at maxRun lines: the lines kept stay under the cap,
// a problem says where, and the look-ups on both sides are reported.
func TestTextFloodBounded(t *testing.T) {
	table := string(decoded(t, "resolve_cname_table.txt"))
	list := string(decoded(t, "resolve_format_list.txt"))
	nsl := string(decoded(t, "nslookup_srv.txt"))
	tests := []struct {
		name, sample, flood string
		events              int
		problem             string
	}{
		{"table, blank lines", table, "\r\n", 4, "Resolve-DnsName output from line 21"},
		{"list, blank lines", list, "\r\n", 2, "Resolve-DnsName output from line 1 "},
		{"table, spaces", table, "      \r\n", 4, "Resolve-DnsName output from line 21"},
		{"nslookup, blank lines", "Server:  dc01.contoso.com\r\nAddress:  10.0.0.1\r\n\r\nName:    sip.contoso.com\r\nAddress:  10.1.1.1\r\n", "\r\n", 2, "nslookup output from line 1 "},
		// The sample's block is over at its last line: the blank lines
		// after it are not kept at all, and nothing is cut.
		{"nslookup sample, blank lines", nsl, "\r\n", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const floodLines = 5 * maxRun
			p := &textParser{path: "x", emit: func(event.Event) error { return nil }}
			p.ns.p, p.rd.p = p, p
			var evs []event.Event
			p.emit = func(ev event.Event) error { evs = append(evs, ev); return nil }
			in := repeated(tt.sample, tt.flood, floodLines, "\r\n"+tt.sample)
			sc := bufio.NewScanner(in)
			n, maxLines, maxBytes := 0, 0, 0
			for sc.Scan() {
				n++
				p.line(n, strings.TrimRight(sc.Text(), " \t\r"))
				maxLines = max(maxLines, len(p.rd.lines))
				maxBytes = max(maxBytes, p.rd.bytes)
				if p.ns.b != nil {
					maxLines = max(maxLines, len(p.ns.b.lines))
					maxBytes = max(maxBytes, p.ns.b.bytes)
				}
			}
			p.ns.flush()
			p.rd.flush()
			assert.LessOrEqual(t, maxLines, maxRun+1, "lines kept")
			assert.LessOrEqual(t, maxBytes, maxRunBytes, "bytes kept")
			assert.Len(t, evs, tt.events)
			problems := p.problems.List()
			if tt.problem == "" {
				assert.Empty(t, problems)
				return
			}
			require.Len(t, problems, 1)
			assert.Contains(t, problems[0].Msg, tt.problem)
			assert.Contains(t, problems[0].Msg, fmt.Sprintf("goes on over %d lines or %d bytes: cut at line", maxRun, maxRunBytes))
		})
	}
}

// Lines of a megabyte each are cut by bytes, not only by count.
func TestTextRunBytesBounded(t *testing.T) {
	row := "sip.contoso.com A 60 Answer 10.0.0.1 " + strings.Repeat("x", 200<<10) + "\n"
	in := repeated("Name  Type TTL Section IPAddress Other\n----  ---- --- ------- --------- -----\n", row, 20, "")
	evs, problems := collect(t, in)
	assert.NotEmpty(t, evs)
	require.NotEmpty(t, problems)
	assert.Contains(t, problems[0].Msg, "Resolve-DnsName output from line 1 goes on over")
	for _, ev := range evs {
		assert.LessOrEqual(t, len(ev.Text), maxRunBytes+len(row))
	}
}

// nslookup's CNAME chain in the worst order for a fixed-point loop: each
// pass would add one name. The chain is followed in one pass, and the
// query's CNAME is its own first one.
func TestNslookupChainAnyOrder(t *testing.T) {
	const hops = 5000
	var b strings.Builder
	b.WriteString("Server:  dc01\nAddress:  10.0.0.10\n\n")
	b.WriteString("a0.contoso.com canonical name = a1.contoso.com\n")
	for i := hops - 1; i >= 1; i-- {
		fmt.Fprintf(&b, "a%d.contoso.com canonical name = a%d.contoso.com\n", i, i+1)
	}
	fmt.Fprintf(&b, "a%d.contoso.com internet address = 10.9.9.9\n", hops)
	evs, problems := collect(t, strings.NewReader(b.String()))
	assert.Empty(t, problems)
	require.Len(t, evs, 1)
	assert.Equal(t, "a0.contoso.com", evs[0].Get("dns.query"))
	assert.Equal(t, "a1.contoso.com", evs[0].Get("dns.cname"))
	assert.Equal(t, "10.9.9.9", evs[0].Get("dns.addresses"), "the end of the chain was reached")
}

// A cancelled context stops every form within a bounded amount of input,
// with context.Canceled wrapped, even in one endless JSON array, one
// endless whitespace run, or an endless stream of blank lines.
func TestCancelStopsPromptly(t *testing.T) {
	const endless = 1 << 40
	tests := []struct {
		name string
		in   *repeatReader
	}{
		{"json objects", repeated("[\r\n"+jsonRecordCNAME, jsonTiny, endless, "]")},
		{"json whitespace", repeated("[\r\n"+jsonRecordCNAME, "\n", endless, "]")},
		{"csv blank lines", repeated("\"Name\",\"Type\",\"Section\",\"TTL\"\n\"a.contoso.com\",\"A\",\"Answer\",\"60\"\n", "\n", endless, "")},
		{"table blank lines", repeated("Name  Type TTL Section IPAddress\n----  ---- --- ------- ---------\n", "\n", endless, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancelAt := int64(1 << 20)
			cr := &cancelReader{r: tt.in, at: cancelAt, cancel: cancel}
			_, err := Parse(ctx, "x", cr, func(event.Event) error { return nil })
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Contains(t, err.Error(), "dns: x: ")
			assert.Less(t, tt.in.read, cancelAt+1<<20, "read after the cancel")
		})
	}
}

// cancelReader cancels a context once at bytes have been read.
type cancelReader struct {
	r      *repeatReader
	at     int64
	cancel func()
}

// Read implements io.Reader.
func (c *cancelReader) Read(p []byte) (int, error) {
	if c.r.read >= c.at {
		c.cancel()
	}
	return c.r.Read(p)
}
