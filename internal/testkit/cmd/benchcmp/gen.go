package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// templates are the sample client logs the generated log repeats, in
// order, one copy per day: mostly a healthy sign-in, with a refused
// password and a clock skew among them so that the analysis has findings
// and its collectors keep events. The samples come from the case generator
// (testdata/logs/cases/_generator) and follow log-facts.md §2.2.
var templates = []string{
	"healthy-signin", "healthy-signin", "healthy-signin", "healthy-signin",
	"bad-credentials",
	"healthy-signin", "healthy-signin", "healthy-signin", "healthy-signin",
	"clock-skew",
}

// templateFile is where a case keeps its client log.
const templateFile = "bundle/Tracing/Lync-UccApi-0.UccApilog"

// firstDay is the day of the first copy.
var firstDay = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// template is one sample log cut into lines, with what must be moved in
// time in each copy.
type template struct {
	lines [][]byte   // each with its line end
	kinds []lineKind // per line
	dates []time.Time
	first time.Time // the day of its first prefixed line
}

type lineKind uint8

const (
	plainLine  lineKind = iota
	prefixLine          // starts with "MM/DD/YYYY|": the date is moved
	dateHeader          // a SIP "Date: <RFC 1123>" header: moved too
)

// dateHeaderLayout is the SIP Date header form (RFC 3261 §20.17).
const dateHeaderLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

func loadTemplate(path string) (*template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t := &template{}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		kind, when := classify(line)
		if kind == prefixLine && t.first.IsZero() {
			t.first = when
		}
		t.lines = append(t.lines, line)
		t.kinds = append(t.kinds, kind)
		t.dates = append(t.dates, when)
	}
	if t.first.IsZero() {
		return nil, fmt.Errorf("%s: no log line with a date", path)
	}
	return t, nil
}

// classify finds the date a line carries, if any.
func classify(line []byte) (lineKind, time.Time) {
	if len(line) > 10 && line[10] == '|' {
		if d, err := time.Parse("01/02/2006", string(line[:10])); err == nil {
			return prefixLine, d
		}
	}
	if v, ok := bytes.CutPrefix(line, []byte("Date: ")); ok {
		if d, err := time.Parse(dateHeaderLayout, string(bytes.TrimRight(v, "\r\n"))); err == nil {
			return dateHeader, d
		}
	}
	return plainLine, time.Time{}
}

// writeCopy writes t moved so that its first day is day. A write error
// stays in w for its Flush.
func (t *template) writeCopy(w *bufio.Writer, day time.Time) {
	shift := day.Sub(t.first)
	var prev time.Time
	var prevText [10]byte
	for i, line := range t.lines {
		switch t.kinds[i] {
		case prefixLine:
			if d := t.dates[i]; !d.Equal(prev) {
				prev = d
				copy(prevText[:], d.Add(shift).Format("01/02/2006"))
			}
			w.Write(prevText[:])
			w.Write(line[10:])
		case dateHeader:
			w.WriteString("Date: ")
			w.WriteString(t.dates[i].Add(shift).Format(dateHeaderLayout))
			w.WriteString("\r\n")
		default:
			w.Write(line)
		}
	}
}

// countingWriter counts what passes through.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// generate writes a client log of at least size bytes to w: the templates
// in turn, each copy one day after the one before. The output depends only
// on the templates and size.
func generate(w io.Writer, cases string, size int64) (int64, error) {
	loaded := map[string]*template{}
	for _, name := range templates {
		if loaded[name] != nil {
			continue
		}
		t, err := loadTemplate(filepath.Join(cases, name, templateFile))
		if err != nil {
			return 0, fmt.Errorf("template: %w", err)
		}
		loaded[name] = t
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<20)
	for k := 0; cw.n+int64(bw.Buffered()) < size; k++ {
		t := loaded[templates[k%len(templates)]]
		t.writeCopy(bw, firstDay.AddDate(0, 0, k)) // a write error stays in bw
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}
