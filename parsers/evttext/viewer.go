package evttext

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/internal/delimited"
	"github.com/sfblog/sfblog/parsers/scan"
)

// Event Viewer's "Save All Events As..." Text (tab-delimited .txt) and CSV
// write a header row naming five columns,
//
//	Level,Date and Time,Source,Event ID,Task Category
//
// and then one row per event with a sixth, unnamed column: the
// description, in double quotes when it holds the delimiter, a quote or a
// line break (it then spans lines). Dates are the viewer's local time in
// the user's locale ("10/7/2016 06:38:24 PM"). Sources: a Security.csv
// export shown in the sscsv/qsv READMEs, a tab-delimited Sysmon export
// quoted in a public detection write-up ("Information\t4/16/2020 3:47:36
// PM\tMicrosoft-Windows-Sysmon\t1\tProcess Create (rule:
// ProcessCreate)\t\"Process Create:...").
//
// The Security log's export names its first column Keywords, and its rows
// start "Audit Success" or "Audit Failure" (a Security.csv a user uploaded,
// quoted in a public issue, and a labelled dataset's
// windows-securityevents.csv). Japanese Windows writes the names in
// Japanese, "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ" (キーワード for
// the Security log), its levels 重大, エラー, 警告, 情報, 詳細, its keywords
// クラシック, 成功の監査, 失敗の監査, and its dates year first
// ("2017/06/15 9:02:11"): the column and level names of Microsoft's
// Japanese Event Viewer help, the header rows and rows of the Windows
// event CSV tests of a public Japanese project (Intellectual-Chasen/
// Oraculum), 重大 and クラシック as Japanese guides to the viewer show them.

// viewerHeaders are the header rows Event Viewer writes: English and
// Japanese, with Level first, or Keywords for the Security log.
var viewerHeaders = []struct {
	cols     []string
	keywords bool // the first column is Keywords, not Level
}{
	{[]string{"Level", "Date and Time", "Source", "Event ID", "Task Category"}, false},
	{[]string{"Keywords", "Date and Time", "Source", "Event ID", "Task Category"}, true},
	{[]string{"レベル", "日付と時刻", "ソース", "イベント ID", "タスクのカテゴリ"}, false},
	{[]string{"キーワード", "日付と時刻", "ソース", "イベント ID", "タスクのカテゴリ"}, true},
}

// viewerColumns is the number of columns a header row names.
const viewerColumns = 5

// isViewer reports whether the first line of head is Event Viewer's header
// row with delim between the columns.
func isViewer(head []byte, delim byte) bool {
	lines := splitLines(head)
	if len(lines) == 0 {
		return false
	}
	_, ok := viewerHeader(strings.Split(lines[0], string(delim)))
	return ok
}

// viewerHeader reports whether cols, the columns of a row, are a header
// row: the five column names (each possibly quoted), then at most
// further columns; keywords is whether the first column is the Keywords
// one.
func viewerHeader(cols []string) (keywords, ok bool) {
	if len(cols) < viewerColumns {
		return false, false
	}
	name := func(i int) string {
		c := cols[i]
		if i == 0 {
			c = strings.TrimPrefix(c, "\ufeff")
		}
		return strings.Trim(strings.TrimSpace(c), `"`)
	}
next:
	for _, h := range viewerHeaders {
		for i, want := range h.cols {
			if name(i) != want {
				continue next
			}
		}
		return h.keywords, true
	}
	return false, false
}

// maxRecordLines bounds how many lines one row may span: a quote that is
// never closed must not swallow the rest of the file. The reader also
// cuts a row at delimited.DefaultMaxBytes.
const maxRecordLines = 4096

// viewerRow is one row waiting for its date order to be known.
type viewerRow struct {
	ev   event.Event
	date string
	// ambiguous: a numeric date whose day and month could be swapped.
	ambiguous bool
}

// viewer parses the Event Viewer .txt (delim '\t') and .csv (delim ',')
// forms.
func (p *parser) viewer(r io.Reader, delim byte) error {
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	rows := delimited.NewReader(lines, delim, maxRecordLines)
	dates := &dateOrder{}
	var pending []viewerRow
	flush := func() error {
		for _, row := range pending {
			if row.date != "" {
				t, err := dates.parse(row.date)
				if err != nil {
					p.problem(row.ev.Line, "date %q not understood", row.date)
				} else if !t.IsZero() {
					row.ev.Time, row.ev.Local = t, true
				}
			}
			if err := p.send(row.ev); err != nil {
				return err
			}
		}
		pending = pending[:0]
		return nil
	}
	var bad lineRun
	header := true
	keywordsFirst := false // the Security log's export: Keywords, not Level
	for count := 1; ; count++ {
		if count%ctxEvery == 0 {
			if err := p.ctx.Err(); err != nil {
				return fmt.Errorf("evttext: %s: %w", p.path, err)
			}
		}
		rec, ok := rows.Next()
		if !ok {
			break
		}
		if len(rec.Problems) > 0 {
			flushBadRows(&bad, p)
		}
		for _, pr := range rec.Problems {
			p.problem(pr.Line, "%s", pr.Msg)
		}
		if header {
			header = false
			var ok bool
			if keywordsFirst, ok = viewerHeader(rec.Fields); !ok {
				// The head looked like the header (Detect) but the row
				// does not split into its columns (a stray quote runs on):
				// nothing below can be mapped to fields.
				p.problem(rec.Line, "Event Viewer header row damaged (%d columns, want %d): records not read", len(rec.Fields), viewerColumns)
				return nil
			}
			continue
		}
		if len(rec.Fields) == 1 && strings.TrimSpace(rec.Fields[0]) == "" {
			continue // a blank line
		}
		if len(rec.Fields) < 4 || !isDigits(strings.TrimSpace(rec.Fields[3])) {
			bad.add(rec.Line)
			continue
		}
		flushBadRows(&bad, p)
		f := func(i int) string {
			if i < len(rec.Fields) {
				return rec.Fields[i]
			}
			return ""
		}
		desc := f(5)
		if len(rec.Fields) > 6 {
			// An unquoted description holding the delimiter.
			desc = strings.Join(rec.Fields[5:], string(delim))
		}
		if len(desc) > maxMessageLen {
			p.problem(rec.Line, "description of the event at line %d longer than %d bytes, cut (the event runs to line %d)", rec.Line, maxMessageLen, rec.EndLine)
			desc = truncate(desc, maxMessageLen)
		}
		tr := textRecord{
			source:  f(2),
			eventID: strings.TrimSpace(f(3)),
			task:    f(4),
			message: desc,
		}
		if keywordsFirst {
			tr.keywords = f(0)
		} else {
			tr.level = f(0)
		}
		ev := event.Event{Line: rec.Line, EndLine: rec.EndLine, Text: rec.Text}
		tr.set(&ev)
		date := strings.TrimSpace(f(1))
		if dates.observe(date) {
			p.problem(rec.Line, "dates in both day/month orders: read in the order learnt first")
		}
		pending = append(pending, viewerRow{ev: ev, date: date, ambiguous: ambiguous(date)})
		if dates.known() || len(pending) >= maxPending {
			if !dates.known() && anyAmbiguous(pending) {
				dates.decideLate(p, rec.Line)
			}
			if err := flush(); err != nil {
				return err
			}
		}
	}
	flushBadRows(&bad, p)
	if err := lines.Err(); err != nil {
		return fmt.Errorf("evttext: read %s: %w", p.path, err)
	}
	if header {
		return fmt.Errorf("evttext: %s: empty input", p.path)
	}
	for _, row := range pending {
		if row.ambiguous && !dates.known() {
			dates.decideLate(p, row.ev.Line)
		}
	}
	return flush()
}

// flushBadRows reports the rows counted in bad, consecutive rows without
// a numeric Event ID (after a row cut at its byte or line budget, or a
// file of junk).
func flushBadRows(bad *lineRun, p *parser) {
	bad.flush(p, "row without a numeric Event ID, skipped", "rows without a numeric Event ID, skipped")
}

// ambiguous reports whether s is a numeric date whose day and month could
// be swapped: "6/5/2017", not "6/15/2017", "05.06.2017" or "2017-06-05".
func ambiguous(s string) bool {
	a, b, _, sep, ok := dateParts(s)
	return ok && sep != '.' && a >= 1 && a <= 12 && b >= 1 && b <= 12
}

func anyAmbiguous(rows []viewerRow) bool {
	for _, r := range rows {
		if r.ambiguous {
			return true
		}
	}
	return false
}

// maxPending bounds the rows held back while the day/month order of the
// file's dates is unknown.
const maxPending = 4096

// Day/month orders of numeric dates.
const (
	orderUnknown = iota
	orderMDY     // 6/15/2017 (en-US)
	orderDMY     // 15/06/2017, 15.06.2017
	orderNone    // undecidable: dates are left out
)

// dateOrder learns from a file's dates whether they are month/day/year or
// day/month/year: a date whose first or second number is above 12 says
// which. Dotted dates (15.06.2017) and year-first dates are unambiguous.
type dateOrder struct {
	order    int
	assumed  bool // MDY taken from the AM/PM designator, not seen
	sawAMPM  bool // a time with an AM/PM designator was seen
	conflict bool // dates in both orders were seen
}

func (d *dateOrder) known() bool { return d.order != orderUnknown }

// observe learns the order from one date, if it tells. It returns true
// the first time a date contradicts the order learnt before.
func (d *dateOrder) observe(s string) bool {
	if f := strings.Fields(s); len(f) > 2 {
		switch strings.ToUpper(f[2]) {
		case "AM", "PM":
			d.sawAMPM = true
		}
	}
	a, b, _, sep, ok := dateParts(s)
	if !ok || sep == '.' || a > 31 {
		return false
	}
	var o int
	switch {
	case a > 12 && b <= 12:
		o = orderDMY
	case b > 12 && a <= 12:
		o = orderMDY
	default:
		return false
	}
	switch {
	case d.order == orderUnknown || d.assumed || d.order == orderNone:
		d.order, d.assumed = o, false
	case d.order != o && !d.conflict:
		d.conflict = true
		return true
	}
	return false
}

// decideLate settles an order that no date told: a 12-hour clock (AM/PM)
// is taken as the en-US month/day order, which is Windows' default locale,
// and said so; otherwise the dates are left out.
func (d *dateOrder) decideLate(p *parser, line int) {
	if d.known() {
		return
	}
	if d.sawAMPM {
		d.order, d.assumed = orderMDY, true
		p.problem(line, "dates are ambiguous (day and month both 12 or less): read as month/day/year, the en-US order of the AM/PM clock")
		return
	}
	d.order = orderNone
	p.problem(line, "dates are ambiguous (day and month both 12 or less): times left out")
}

// parse reads a date and time in the learnt order. It returns the zero
// time and no error for a numeric date whose order is undecidable.
func (d *dateOrder) parse(s string) (time.Time, error) {
	a, b, y, sep, ok := dateParts(s)
	if !ok {
		return time.Time{}, fmt.Errorf("no date")
	}
	clock, err := parseClock(s)
	if err != nil {
		return time.Time{}, err
	}
	var year, month, day int
	switch {
	case a > 31: // 2017-06-15, 2017/06/15
		year, month, day = a, b, y
	case sep == '.':
		day, month, year = a, b, y
	case d.order == orderMDY:
		month, day, year = a, b, y
	case d.order == orderDMY:
		day, month, year = a, b, y
	default:
		return time.Time{}, nil
	}
	if year < 100 {
		year += 2000
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, fmt.Errorf("no such date")
	}
	t := time.Date(year, time.Month(month), day, clock.h, clock.m, clock.s, clock.ns, time.UTC)
	if t.Day() != day {
		return time.Time{}, fmt.Errorf("no such date")
	}
	return t, nil
}

// dateParts splits the date in front of s ("6/15/2017 9:02:11 AM") into
// its three numbers and their separator.
func dateParts(s string) (a, b, c int, sep byte, ok bool) {
	date, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	for _, c := range "/.-" {
		if strings.ContainsRune(date, c) {
			sep = byte(c)
			break
		}
	}
	if sep == 0 {
		return 0, 0, 0, 0, false
	}
	parts := strings.Split(strings.TrimSuffix(date, "."), string(sep))
	if len(parts) != 3 {
		return 0, 0, 0, 0, false
	}
	var nums [3]int
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return 0, 0, 0, 0, false
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2], sep, true
}

type clockTime struct{ h, m, s, ns int }

// parseClock reads the time after the date: "9:02:11 AM", "21:02:11",
// "09:02:11.482 PM".
func parseClock(s string) (clockTime, error) {
	_, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return clockTime{}, nil
	}
	hms := strings.Split(fields[0], ":")
	if len(hms) < 2 || len(hms) > 3 {
		return clockTime{}, fmt.Errorf("no time")
	}
	var c clockTime
	var err error
	if c.h, err = strconv.Atoi(hms[0]); err != nil {
		return c, err
	}
	if c.m, err = strconv.Atoi(hms[1]); err != nil {
		return c, err
	}
	if len(hms) == 3 {
		sec, frac, _ := strings.Cut(hms[2], ".")
		if c.s, err = strconv.Atoi(sec); err != nil {
			return c, err
		}
		if frac != "" {
			if len(frac) > 9 {
				frac = frac[:9]
			}
			f, err := strconv.Atoi(frac)
			if err != nil {
				return c, err
			}
			for i := len(frac); i < 9; i++ {
				f *= 10
			}
			c.ns = f
		}
	}
	if len(fields) > 1 {
		switch strings.ToUpper(fields[1]) {
		case "AM":
			if c.h == 12 {
				c.h = 0
			}
		case "PM":
			if c.h < 12 {
				c.h += 12
			}
		}
	}
	if c.h > 23 || c.m > 59 || c.s > 60 {
		return c, fmt.Errorf("no such time")
	}
	return c, nil
}
