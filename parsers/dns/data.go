package dns

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// Bounds of the Export-Csv and ConvertTo-Json forms, which are read as a
// stream: nothing but the records of the look-ups not yet emitted and
// their lines is kept.
const (
	// maxValueBytes is the largest JSON value (an object of the array) or
	// CSV row read; a DnsRecord takes well under a kilobyte. A larger
	// JSON value is skipped; a larger CSV row ends the file.
	maxValueBytes = 1 << 20
	// maxRecords is the most records held before they are grouped into
	// results and emitted: the data forms can put thousands on one line.
	maxRecords = maxRun
	// ctxBytes is how often (in bytes) the data readers check the context.
	ctxBytes = 64 << 10
)

// window keeps the lines of the records not yet emitted, for the text of
// their events.
type window struct {
	lines []numLine
	bytes int
}

// add keeps line n.
func (w *window) add(n int, s string) {
	w.lines = append(w.lines, numLine{n, s})
	w.bytes += len(s)
}

// full reports whether the window holds more than maxRun lines or
// maxRunBytes bytes: the records it belongs to must be emitted.
func (w *window) full() bool { return len(w.lines) > maxRun || w.bytes > maxRunBytes }

// dropBefore forgets the lines numbered below n.
func (w *window) dropBefore(n int) {
	i := 0
	for i < len(w.lines) && w.lines[i].n < n {
		w.bytes -= len(w.lines[i].text)
		i++
	}
	if i > 0 {
		w.lines = append(w.lines[:0:0], w.lines[i:]...)
	}
}

// dropFrom forgets the lines numbered n and above.
func (w *window) dropFrom(n int) {
	for len(w.lines) > 0 && w.lines[len(w.lines)-1].n >= n {
		w.bytes -= len(w.lines[len(w.lines)-1].text)
		w.lines = w.lines[:len(w.lines)-1]
	}
}

// dataParser holds what the Export-Csv and ConvertTo-Json readers share:
// the records not yet emitted, their lines, the problems.
type dataParser struct {
	path     string
	emit     event.Sink
	form     string // "ConvertTo-Json" or "Export-Csv", for messages
	problems event.Problems
	win      window
	recs     []record
	cutFrom  int // the first line of the records held, for the cut message
	docStart int // the first record of the current JSON document in recs
}

func (p *dataParser) problem(n int, msg string) { p.problems.Add(n, msg) }

// add holds a record for the next emit.
func (p *dataParser) add(r record) {
	if len(p.recs) == 0 {
		p.cutFrom = r.first
	}
	p.recs = append(p.recs, r)
}

// mustCut reports whether the records held must be emitted before more are
// read: too many records, or too many lines, are held.
func (p *dataParser) mustCut() bool {
	return len(p.recs) > 0 && (len(p.recs) >= maxRecords || p.win.full())
}

// cut emits the records held, in the middle of the input, at line n: a
// look-up that goes on after n is reported in parts, and a problem says
// so.
func (p *dataParser) cut(n int) error {
	p.problem(p.cutFrom, fmt.Sprintf("%s: the records from line %d go on over %d records, %d lines or %d bytes: cut at line %d, a look-up going on past it is reported in parts",
		p.form, p.cutFrom, maxRecords, maxRun, maxRunBytes, n))
	return p.flush()
}

// flush groups the records held into results and emits them.
func (p *dataParser) flush() error {
	recs := p.recs
	p.recs, p.docStart = nil, 0
	for _, r := range groupRecords(recs, prompt{}, p.problem) {
		r.text = joinLines(p.win.lines, r.first, r.last)
		if err := p.emit(r.event(p.path)); err != nil {
			return fmt.Errorf("dns: %s: emit: %w", p.path, err)
		}
	}
	return nil
}

// parseJSON reads "Resolve-DnsName ... | ConvertTo-Json": one object or an
// array of objects per document, several documents when a file was
// appended to. RecordType and Section are numbers in Windows PowerShell
// (strings with -EnumsAsStrings). A document that does not parse is
// reported, contributes nothing (but the records of it already emitted
// when more than maxRecords were held) and ends the file. A value longer
// than maxValueBytes or maxRun lines is reported and skipped. The input is
// read once, as a stream, so time is linear and memory bounded.
func parseJSON(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &dataParser{path: path, emit: emit, form: "ConvertTo-Json"}
	s := &jsonSplitter{ctx: ctx, r: bufio.NewReaderSize(r, 64<<10), p: p, line: 1}
	if err := ctx.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("dns: %s: %w", path, err)
	}
	if b, _ := s.r.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = s.r.Discard(3)
	}
	for {
		v, err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if ferr := fatal(path, s.err, err); ferr != nil {
			return p.problems.List(), ferr
		}
		switch {
		case err != nil:
			p.problem(s.errLine, "ConvertTo-Json: "+err.Error())
			p.recs = p.recs[:p.docStart]
			return p.problems.List(), p.flush()
		case v.docEnd:
			p.docStart = len(p.recs)
			continue
		case v.tooLong != "":
			p.problem(v.first, fmt.Sprintf("ConvertTo-Json: value at line %d longer than %s: skipped", v.first, v.tooLong))
			continue
		}
		rec, bad, err := jsonDecode(v.data)
		if err != nil {
			p.problem(v.errLine(err), "ConvertTo-Json: "+err.Error())
			p.recs = p.recs[:p.docStart]
			return p.problems.List(), p.flush()
		}
		rec.first, rec.last = v.first, v.last
		if bad != "" {
			p.problem(v.first, "ConvertTo-Json: "+bad)
		} else {
			p.add(rec)
		}
		if !s.inArray {
			p.docStart = len(p.recs)
		}
		if len(p.recs) >= maxRecords {
			if err := p.cut(v.last); err != nil {
				return p.problems.List(), err
			}
			p.win.dropBefore(v.last + 1)
		}
	}
	if s.err != nil {
		return p.problems.List(), s.err
	}
	s.endLine()
	if s.err != nil {
		return p.problems.List(), s.err
	}
	return p.problems.List(), p.flush()
}

// jsonDecode decodes one value into a record. An object is decoded into a
// jsonDNS, which skips the properties it does not use; anything else into
// a map, which fails as before for what is not an object.
func jsonDecode(data []byte) (record, string, error) {
	if len(data) > 0 && data[0] == '{' {
		var o jsonDNS
		if err := json.Unmarshal(data, &o); err != nil {
			return record{}, "", err
		}
		r, bad := o.record()
		return r, bad, nil
	}
	var o map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&o); err != nil {
		return record{}, "", err
	}
	r, bad := jsonRecord(o)
	return r, bad, nil
}

// jsonScalar is a property that counts when it is a string or a number,
// kept as written.
type jsonScalar struct {
	v  string
	ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (j *jsonScalar) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("dns: json string: %w", err)
		}
		*j = jsonScalar{s, true}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*j = jsonScalar{string(b), true}
	default:
		*j = jsonScalar{}
	}
	return nil
}

// jsonDNS holds the properties of a DnsRecord that jsonRecord reads;
// encoding/json matches their names without regard to case.
type jsonDNS struct {
	Name, QueryType, Type, Section, NameHost, NameTarget      jsonScalar
	IPAddress, IP4Address, IP6Address, Priority, Weight, Port jsonScalar
}

// record reads the properties as jsonRecord does.
func (o *jsonDNS) record() (record, string) {
	var r record
	if o.Name.v == "" || o.Section.v == "" || (o.Type.v == "" && o.QueryType.v == "") {
		return r, "object without the Name, Type and Section of a DNS record"
	}
	for _, f := range []struct {
		k string
		v jsonScalar
	}{{"name", o.Name}, {"querytype", o.QueryType}, {"type", o.Type}, {"section", o.Section}, {"namehost", o.NameHost},
		{"nametarget", o.NameTarget}, {"ipaddress", o.IPAddress}, {"ip4address", o.IP4Address}, {"ip6address", o.IP6Address},
		{"priority", o.Priority}, {"weight", o.Weight}, {"port", o.Port}} {
		if f.v.ok {
			r.set(f.k, f.v.v)
		}
	}
	return r, ""
}

// readError is a read error of the input, as opposed to a syntax error.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// fatal returns the error that ends the parse of path after a read that
// returned err from a stream whose sticky error (a cancellation, a budget)
// is sticky: that error, or a read error of the input wrapped; nil when
// err is nil or a fault of the file's format, which the caller reports as
// a problem.
func fatal(path string, sticky, err error) error {
	if sticky != nil {
		return sticky
	}
	var re *readError
	if errors.As(err, &re) {
		return fmt.Errorf("dns: read %s: %w", path, re.err)
	}
	return nil
}
func (e *readError) Unwrap() error { return e.err }

// jsonValue is one top-level value of ConvertTo-Json output or one element
// of a top-level array, or the end of a top-level array.
type jsonValue struct {
	data        []byte
	first, last int
	tooLong     string // what the value was longer than; data is then nil
	docEnd      bool   // the "]" closing a top-level array
}

// errLine returns the line of a decoding error of the value.
func (v *jsonValue) errLine(err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(max(int(se.Offset), 0), len(v.data))
		return v.first + bytes.Count(v.data[:off], []byte("\n"))
	}
	return v.first
}

// jsonSplitter cuts ConvertTo-Json output into its values in one pass,
// counting lines, without decoding them: the whitespace between values,
// however long, is not kept, and a value is kept only up to maxValueBytes
// and maxRun lines. It feeds the dataParser's window the lines the records
// held need, and has the records emitted when the window is full.
type jsonSplitter struct {
	ctx     context.Context
	r       *bufio.Reader
	p       *dataParser
	line    int    // the current line
	cur     []byte // the current line so far, cut at scan.DefaultMaxLine
	curCut  bool   // cur was cut
	curSkip bool   // the current line holds a value skipped as too long: not kept
	unread  bool   // the last byte is to be read again
	last    byte   // the last byte read
	read    int64  // bytes read
	inArray bool   // inside a top-level array
	inValue bool   // a value is being read and its lines are wanted
	vFirst  int    // the first line of the value being read
	lastSig int    // the line of the last byte that is not whitespace
	errLine int    // the line of a syntax error
	err     error  // a cancelled context or an emit error: reading stops
	vbuf    []byte // the buffer of the last value, for the next
	// skipping: the value being read is too long; the lines it is on are
	// not kept.
	skipping bool
}

// byte returns the next byte of the input, counting lines and keeping the
// current line for the window. The error is io.EOF, a *readError, or s.err.
func (s *jsonSplitter) byte() (byte, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.unread {
		s.unread = false
		return s.last, nil
	}
	if s.read%ctxBytes == 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = fmt.Errorf("dns: %s: %w", s.p.path, err)
			return 0, s.err
		}
	}
	c, err := s.r.ReadByte()
	if errors.Is(err, io.EOF) {
		return 0, io.EOF
	}
	if err != nil {
		return 0, &readError{err}
	}
	s.read++
	s.last = c
	if s.skipping {
		s.curSkip = true
	}
	if c == '\n' {
		s.endLine()
		s.line++
		if s.err != nil {
			return 0, s.err
		}
		return c, nil
	}
	if len(s.cur) < scan.DefaultMaxLine {
		s.cur = append(s.cur, c)
	} else {
		s.curCut = true
	}
	if !isJSONSpace(c) {
		s.lastSig = s.line
	}
	return c, nil
}

// endLine ends the current line. The window keeps it while records wait
// to be emitted or a value is being read; when the window is full, the
// records held are emitted.
func (s *jsonSplitter) endLine() {
	p := s.p
	if (len(p.recs) > 0 || s.inValue) && !s.curSkip {
		if s.curCut {
			p.problem(s.line, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		p.win.add(s.line, strings.TrimRight(string(s.cur), " \t\r"))
		if p.win.full() {
			if len(p.recs) > 0 {
				if err := p.cut(s.line); err != nil {
					s.err = err
				}
			}
			if s.inValue {
				p.win.dropBefore(s.vFirst)
			} else {
				p.win.dropBefore(s.line + 1)
			}
		}
	}
	s.cur, s.curCut, s.curSkip = s.cur[:0], false, false
	if cap(s.cur) > 64<<10 {
		s.cur = nil
	}
}

// isJSONSpace reports whether c is JSON whitespace.
func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// next returns the next value, or io.EOF at the end of the input, or a
// syntax error (with errLine set) that ends the reading.
func (s *jsonSplitter) next() (jsonValue, error) {
	for {
		c, err := s.byte()
		if errors.Is(err, io.EOF) {
			if s.inArray {
				s.errLine = s.lastSig
				return jsonValue{}, io.ErrUnexpectedEOF
			}
			return jsonValue{}, io.EOF
		}
		if err != nil {
			return jsonValue{}, err
		}
		switch {
		case isJSONSpace(c) || c == ',':
			continue
		case s.inArray && c == ']':
			s.inArray = false
			return jsonValue{docEnd: true}, nil
		case !s.inArray && c == '[':
			s.inArray = true
			continue
		}
		return s.value(c)
	}
}

// value reads the value that starts with c, up to its end: the closing
// bracket of an object or an array, the closing quote of a string, the
// last byte before a delimiter for a number, a literal or garbage.
func (s *jsonSplitter) value(c byte) (jsonValue, error) {
	v := jsonValue{first: s.line, data: s.vbuf[:0]}
	s.inValue, s.vFirst = true, s.line
	defer func() {
		if cap(v.data) <= 64<<10 {
			s.vbuf = v.data // reused: a value is decoded before the next is read
		}
	}()
	defer func() { s.inValue, s.skipping = false, false }()
	keep := func(c byte) {
		if v.tooLong != "" {
			return
		}
		switch {
		case len(v.data) >= maxValueBytes:
			v.tooLong = fmt.Sprintf("%d bytes", maxValueBytes)
		case s.line-v.first >= maxRun:
			v.tooLong = fmt.Sprintf("%d lines", maxRun)
		default:
			v.data = append(v.data, c)
			return
		}
		v.data = nil
		s.inValue = false // its lines are not wanted
		s.p.win.dropFrom(v.first)
		s.skipping = true
	}
	keep(c)
	scalar := c != '{' && c != '[' && c != '"'
	depth, inString, escaped := 0, c == '"', false
	if c == '{' || c == '[' {
		depth = 1
	}
	for depth > 0 || inString || scalar {
		b, err := s.byte()
		if errors.Is(err, io.EOF) {
			if scalar {
				break
			}
			s.errLine = s.lastSig
			return jsonValue{}, io.ErrUnexpectedEOF
		}
		if err != nil {
			return jsonValue{}, err
		}
		if scalar {
			if isJSONSpace(b) || strings.IndexByte(",]}[{\"", b) >= 0 {
				s.unread = true // the delimiter belongs to what follows
				break
			}
			keep(b)
			continue
		}
		keep(b)
		switch {
		case escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case inString:
		case b == '{' || b == '[':
			depth++
		case b == '}' || b == ']':
			depth--
		}
	}
	v.last = s.line
	if s.unread && s.last == '\n' {
		v.last-- // the delimiter ended the value's line
	}
	return v, nil
}

// jsonRecord reads the properties of one DnsRecord object.
func jsonRecord(o map[string]any) (record, string) {
	var r record
	if o == nil {
		return r, "not an object"
	}
	get := make(map[string]string, len(o))
	for k, v := range o {
		switch v := v.(type) {
		case string:
			get[strings.ToLower(k)] = v
		case json.Number:
			get[strings.ToLower(k)] = v.String()
		}
	}
	if get["name"] == "" || get["section"] == "" || (get["type"] == "" && get["querytype"] == "") {
		return r, "object without the Name, Type and Section of a DNS record"
	}
	for _, k := range []string{"name", "querytype", "type", "section", "namehost", "nametarget", "ipaddress", "ip4address", "ip6address", "priority", "weight", "port"} {
		if v, ok := get[k]; ok {
			r.set(k, v)
		}
	}
	return r, ""
}

// parseCSV reads "Resolve-DnsName ... | Export-Csv", with or without its
// "#TYPE Microsoft.DnsClient.Commands.DnsRecord_..." line. Columns are
// found by name, so any property set works as long as Name, Type (or
// QueryType) and Section are there. Export-Csv takes its columns from the
// first record: the rows of other types keep only the columns they share
// with it. At a row that does not parse, or is longer than maxValueBytes
// or maxRun lines, the rest of the file is dropped, and so is the result
// the row would have belonged to. The input is read once, as a stream.
func parseCSV(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &dataParser{path: path, emit: emit, form: "Export-Csv"}
	if err := ctx.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("dns: %s: %w", path, err)
	}
	g := &csvGuard{ctx: ctx, r: bufio.NewReaderSize(r, 64<<10), p: p, line: 1}
	if b, _ := g.r.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = g.r.Discard(3)
	}
	cr := csv.NewReader(g)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if ferr := fatal(path, g.err, err); ferr != nil {
		return p.problems.List(), ferr
	}
	if err != nil {
		p.problems.Add(csvProblem(err, g))
		return p.problems.List(), nil
	}
	cols := map[string]bool{}
	for _, h := range header {
		cols[strings.ToLower(h)] = true
	}
	if !cols["name"] || !cols["section"] || (!cols["type"] && !cols["querytype"]) {
		hl, _ := cr.FieldPos(0)
		return []event.Problem{{Line: hl, Msg: "Export-Csv: no Name, Type and Section columns: not Resolve-DnsName output"}}, nil
	}
	partial := !cols["ipaddress"] && !cols["ip4address"] && !cols["ip6address"] ||
		!cols["namehost"] && !cols["nametarget"]
	broke := false
	for i := 0; ; i++ {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.problems.List(), fmt.Errorf("dns: %s: %w", path, err)
			}
		}
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if ferr := fatal(path, g.err, err); ferr != nil {
			return p.problems.List(), ferr
		}
		if err != nil {
			p.problems.Add(csvProblem(err, g))
			broke = true
			break
		}
		n, _ := cr.FieldPos(0)
		var rec record
		for j, v := range row {
			if j < len(header) && !strings.EqualFold(header[j], "type") {
				rec.set(header[j], v)
			}
		}
		for j, v := range row {
			if j < len(header) && strings.EqualFold(header[j], "type") {
				rec.set("type", v) // Type wins over QueryType
			}
		}
		rec.first, rec.last = n, n
		rec.partial = partial
		p.add(rec)
		if p.mustCut() {
			if err := p.cut(n); err != nil {
				return p.problems.List(), err
			}
			p.win.dropBefore(n + 1)
		}
	}
	if broke {
		// The rows read so far are whole, but the last look-up may go on
		// past the broken row: keep only the look-ups before it.
		p.recs = p.recs[:lastStart(p.recs)]
	}
	return p.problems.List(), p.flush()
}

// errRowTooLong stops csv.Reader at a row longer than maxValueBytes or
// maxRun lines.
var errRowTooLong = errors.New("row too long")

// csvGuard is the reader under csv.Reader. It counts the lines and bytes of
// each row (a row ends at a line end outside quotes) and fails with
// errRowTooLong past maxValueBytes or maxRun lines, so that a quote never
// closed cannot make csv.Reader keep the rest of the file. It keeps the
// lines for the window (but for blank lines between rows, which
// csv.Reader skips) and checks the context.
type csvGuard struct {
	ctx       context.Context
	r         *bufio.Reader
	p         *dataParser
	line      int    // the current line
	cur       []byte // the current line so far, cut at scan.DefaultMaxLine
	quoted    bool   // inside a quoted field
	rowFirst  int    // the first line of the current row
	rowBytes  int    // bytes of the current row
	read      int64  // bytes read
	tooLongAt int    // the first line of the row found too long
	err       error  // a cancelled context: reading stops
}

// Read implements io.Reader.
func (g *csvGuard) Read(b []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.tooLongAt > 0 {
		return 0, errRowTooLong
	}
	if err := g.ctx.Err(); err != nil {
		g.err = fmt.Errorf("dns: %s: %w", g.p.path, err)
		return 0, g.err
	}
	n, err := g.r.Read(b[:min(len(b), ctxBytes)])
	for i, c := range b[:n] {
		if g.rowBytes == 0 {
			g.rowFirst = g.line
		}
		g.rowBytes++
		switch {
		case c == '"':
			g.quoted = !g.quoted
		case c == '\n':
			blank := len(bytes.TrimRight(g.cur, " \t\r")) == 0
			if !blank || g.quoted {
				g.add()
				if g.err != nil {
					return i, g.err
				}
			}
			g.cur = g.cur[:0]
			g.line++
			if !g.quoted {
				g.rowBytes = 0
			}
			continue
		}
		if len(g.cur) < scan.DefaultMaxLine {
			g.cur = append(g.cur, c)
		}
		if g.rowBytes > maxValueBytes || g.line-g.rowFirst >= maxRun {
			g.tooLongAt = g.rowFirst
			return i, errRowTooLong
		}
	}
	if errors.Is(err, io.EOF) && len(g.cur) > 0 {
		g.add()
		g.cur = g.cur[:0]
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = &readError{err}
	}
	return n, err
}

// add keeps the current line in the window. csv.Reader reads ahead and
// skips comment lines by itself, so a full window is dealt with here: the
// records held are emitted, then the oldest lines dropped (only a flood of
// comment or quoted lines gets there).
func (g *csvGuard) add() {
	p := g.p
	p.win.add(g.line, strings.TrimRight(string(g.cur), " \t\r"))
	if !p.win.full() || g.quoted {
		return // a quoted row is bounded by maxValueBytes and maxRun lines itself
	}
	if len(p.recs) > 0 {
		last := p.recs[len(p.recs)-1].last
		if err := p.cut(g.line); err != nil {
			g.err = err
		}
		p.win.dropBefore(last + 1)
	}
	if p.win.full() {
		p.win.dropBefore(p.win.lines[len(p.win.lines)/2].n) // half at a time: linear
	}
}

// lastStart returns the index of the first record of the last look-up: the
// last answer record that is not a CNAME target or an address of the one
// before it. It is a cautious cut: everything from there on is dropped.
func lastStart(recs []record) int {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].section != "Answer" {
			continue
		}
		prev := -1
		for j := i - 1; j >= 0; j-- {
			if recs[j].section == "Answer" {
				prev = j
				break
			}
		}
		if prev < 0 || (normName(recs[prev].target) != normName(recs[i].raw) && normName(recs[prev].raw) != normName(recs[i].raw)) {
			return i
		}
	}
	return 0
}

// csvProblem locates a CSV error.
func csvProblem(err error, g *csvGuard) (int, string) {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errRowTooLong):
		return g.tooLongAt, fmt.Sprintf("Export-Csv: row at line %d longer than %d bytes or %d lines: the rest of the file is dropped", g.tooLongAt, maxValueBytes, maxRun)
	case errors.As(err, &pe):
		return pe.StartLine, "Export-Csv: " + pe.Err.Error()
	}
	return 0, "Export-Csv: " + err.Error()
}
