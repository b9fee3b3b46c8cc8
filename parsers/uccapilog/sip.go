package uccapilog

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
)

// compactHeaders maps SIP compact header forms (RFC 3261 §7.3.3 and the
// RFCs that define the others) to their full names.
var compactHeaders = map[string]string{
	"f": "From",
	"t": "To",
	"i": "Call-ID",
	"m": "Contact",
	"v": "Via",
	"l": "Content-Length",
	"c": "Content-Type",
	"k": "Supported",
	"s": "Subject",
	"e": "Content-Encoding",
	"o": "Event",
	"r": "Refer-To",
	"u": "Allow-Events",
	"b": "Referred-By",
	"x": "Session-Expires",
}

// sipMessage is one SIP message as read from a block.
type sipMessage struct {
	start string      // the start line
	hdrs  []sipHeader // one per name, in order of first appearance
	body  string      // bounded by Content-Length, "\n" line ends
}

// sipHeader is one header name with its values.
type sipHeader struct {
	name  headerName
	first string // the first value
	all   string // every value, joined with "\n"
	n     int    // how many values
	off   int    // while grouping: where its values start in sipReader.order
	seen  int    // while grouping: values placed
}

// headerName is a header name as the fields spell it.
type headerName struct {
	lower string // lower-case full name ("content-length" for "l")
	field string // "sip.header." + lower
}

func (m *sipMessage) header(name string) string {
	for i := range m.hdrs {
		if m.hdrs[i].name.lower == name {
			return m.hdrs[i].first
		}
	}
	return ""
}

// sipReader parses SIP messages. It keeps its scratch space and the header
// names it has seen between messages, so that reading a message allocates
// only the values it joins.
type sipReader struct {
	lines  []string              // the lines of the block being read
	names  map[string]headerName // header name as written -> its spellings
	index  map[string]int        // lower-case name -> index in hdrs, for many headers
	vals   []sipValue
	pieces []string
	order  []string
	msg    sipMessage // the message read last, reused
}

// sipValue is one header line (with its continuation lines) of a message.
type sipValue struct {
	hdr   int // index in sipMessage.hdrs
	value string
}

// maxNames bounds the names a sipReader remembers; manyHeaders is the
// count of names from which a map finds them.
const (
	maxNames    = 1024
	manyHeaders = 32
)

// name returns the spellings of the header name raw (as written, trimmed).
func (r *sipReader) name(raw string) headerName {
	if n, ok := r.names[raw]; ok {
		return n
	}
	full := raw
	if len(raw) == 1 {
		if f, ok := compactHeaders[strings.ToLower(raw)]; ok {
			full = f
		}
	}
	lower := strings.ToLower(full)
	n := headerName{lower: lower, field: "sip.header." + lower}
	if r.names == nil || len(r.names) >= maxNames {
		r.names = make(map[string]headerName)
	}
	r.names[strings.Clone(raw)] = n
	return n
}

// parse parses the lines of a SIP message (start line first,
// leading blank lines already removed). Folded header lines are joined to
// the header they continue with one space. joined returns lines[i:j]
// joined with "\n"; nil joins them. The message is valid until the next
// call.
func (r *sipReader) parse(lines []string, joined func(i, j int) string) *sipMessage {
	clear(r.msg.hdrs)
	r.msg = sipMessage{hdrs: r.msg.hdrs[:0]}
	m := &r.msg
	if len(lines) == 0 {
		return m
	}
	m.start = strings.TrimSpace(lines[0])
	r.vals = r.vals[:0]
	r.pieces = r.pieces[:0]
	if len(r.index) > 0 {
		if len(r.index) > manyHeaders*4 {
			r.index = nil
		} else {
			clear(r.index)
		}
	}
	folding := false // the last value has continuation lines in pieces
	endFold := func() {
		if folding {
			v := &r.vals[len(r.vals)-1]
			v.value = strings.TrimSpace(strings.Join(r.pieces, " "))
			r.pieces = r.pieces[:0]
			folding = false
		}
	}
	i := 1
	last := false // the previous line was a header, for folded lines
	for ; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			i++
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && last {
			if !folding {
				r.pieces = append(r.pieces, r.vals[len(r.vals)-1].value)
				folding = true
			}
			r.pieces = append(r.pieces, strings.TrimSpace(line))
			continue
		}
		endFold()
		colon := strings.IndexByte(line, ':')
		if colon <= 0 {
			last = false
			continue
		}
		raw := strings.TrimSpace(line[:colon])
		if !isToken(raw) {
			last = false
			continue
		}
		name := r.name(raw)
		h := m.find(r, name.lower)
		if h < 0 {
			h = len(m.hdrs)
			m.hdrs = append(m.hdrs, sipHeader{name: name})
			if h >= manyHeaders {
				if r.index == nil {
					r.index = make(map[string]int)
				}
				if h == manyHeaders {
					for k, hd := range m.hdrs[:h] {
						r.index[hd.name.lower] = k
					}
				}
				r.index[name.lower] = h
			}
		}
		m.hdrs[h].n++
		r.vals = append(r.vals, sipValue{hdr: h, value: strings.TrimSpace(line[colon+1:])})
		last = true
	}
	endFold()
	r.group(m)
	rest := lines[min(i, len(lines)):]
	if joined == nil {
		joined = func(i, j int) string { return strings.Join(rest[i:j], "\n") }
	} else {
		off, outer := min(i, len(lines)), joined
		joined = func(i, j int) string { return outer(off+i, off+j) }
	}
	m.body = boundBody(rest, m.header("content-length"), joined)
	return m
}

// find returns the index of the header named lower in m, or -1.
func (m *sipMessage) find(r *sipReader, lower string) int {
	if len(m.hdrs) > manyHeaders {
		if h, ok := r.index[lower]; ok {
			return h
		}
		return -1
	}
	for k := range m.hdrs {
		if m.hdrs[k].name.lower == lower {
			return k
		}
	}
	return -1
}

// group sets the first and joined values of every header: a name with one
// value costs nothing, one with several one string.
func (r *sipReader) group(m *sipMessage) {
	total := 0
	for k := range m.hdrs {
		if h := &m.hdrs[k]; h.n > 1 {
			h.off = total
			total += h.n
		}
	}
	if total > 0 {
		r.order = append(r.order[:0], make([]string, total)...)
	}
	for _, v := range r.vals {
		h := &m.hdrs[v.hdr]
		if h.seen == 0 {
			h.first = v.value
		}
		if h.n > 1 {
			r.order[h.off+h.seen] = v.value
		}
		h.seen++
	}
	for k := range m.hdrs {
		h := &m.hdrs[k]
		if h.n == 1 {
			h.all = h.first
		} else {
			h.all = strings.Join(r.order[h.off:h.off+h.n], "\n")
		}
	}
	clear(r.order)
}

// boundBody joins the body lines, keeping at most Content-Length bytes when
// the header holds a number. The log keeps the message's CRLF line ends
// only as line breaks, so each line end counts as the two bytes it was on
// the wire. joined returns lines[i:j] joined with "\n".
func boundBody(lines []string, contentLength string, joined func(i, j int) string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	all := joined(0, len(lines))
	limit, err := strconv.Atoi(strings.TrimSpace(contentLength))
	if err != nil || limit < 0 {
		return all
	}
	// n counts wire bytes, w the bytes of the joined text kept.
	n, w := 0, 0
	for k, line := range lines {
		if n >= limit {
			break
		}
		if k > 0 {
			w++
			n += 2
			if n >= limit {
				break
			}
		}
		if room := limit - n; len(line) > room {
			line = line[:room]
		}
		w += len(line)
		n += len(line)
	}
	return strings.TrimRight(all[:w], "\n")
}

// isToken reports whether s is a SIP header name token (RFC 3261 §25.1).
func isToken[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-.!%*_+`'~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// setSIPFields fills the KindSIP fields of ev from m. ok is false when the
// start line is neither a request line nor a status line.
func setSIPFields(ev *event.Event, m *sipMessage) (ok bool) {
	switch {
	case strings.HasPrefix(m.start, "SIP/"):
		// SIP/2.0 401 Unauthorized: split at the first two spaces.
		_, rest, _ := strings.Cut(m.start, " ")
		status, reason, hasReason := strings.Cut(rest, " ")
		if len(status) == 3 && isDigitsOnly(status) {
			ev.Set("sip.type", "response")
			ev.Set("sip.status", status)
			if hasReason {
				ev.Set("sip.reason", strings.TrimSpace(reason))
			}
			ok = true
		}
	default:
		// REGISTER sip:contoso.com SIP/2.0
		method, uri, version, three := threeFields(m.start)
		if three && strings.HasPrefix(version, "SIP/") && isToken(method) {
			ev.Set("sip.type", "request")
			ev.Set("sip.method", method)
			ev.Set("sip.uri", uri)
			ok = true
		}
	}

	for _, h := range m.hdrs {
		ev.Set(h.name.field, h.all)
	}
	if v := m.header("cseq"); v != "" {
		number, method, n := firstTwoFields(v)
		if n >= 1 {
			ev.Set("sip.cseq.number", number)
		}
		if n >= 2 {
			ev.Set("sip.cseq.method", method)
		}
	}
	setIf(ev, "sip.call_id", m.header("call-id"))
	setIf(ev, "sip.from.uri", headerURI(m.header("from")))
	setIf(ev, "sip.to.uri", headerURI(m.header("to")))
	setIf(ev, "sip.user_agent", m.header("user-agent"))
	setIf(ev, "sip.server", m.header("server"))
	setIf(ev, "sip.body", m.body)

	for _, h := range m.hdrs {
		if h.name.lower == "ms-diagnostics" || h.name.lower == "ms-diagnostics-public" {
			setDiagFields(ev, h.name.lower, h.first)
			break
		}
	}
	return ok
}

func setIf(ev *event.Event, name, value string) {
	if value != "" {
		ev.Set(name, value)
	}
}

func isDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// headerURI returns the URI of a From/To/Contact value: the part inside
// <...>, or in the bare form the value up to its first parameter.
func headerURI(v string) string {
	if i := strings.IndexByte(v, '<'); i >= 0 {
		rest := v[i+1:]
		if j := strings.IndexByte(rest, '>'); j >= 0 {
			rest = rest[:j]
		}
		return strings.TrimSpace(rest)
	}
	if k := strings.IndexByte(v, ';'); k >= 0 {
		v = v[:k]
	}
	return strings.TrimSpace(v)
}

// Diagnostic parameters that would clash with the fixed diag.* fields.
var reservedDiag = map[string]bool{"code": true, "subcode": true, "header": true}

// setDiagFields parses an ms-diagnostics or ms-diagnostics-public value,
//
//	ErrorId[.Sub];reason="...";source="...";param=value...
//
// (log-facts.md §3) with parameters in any order, quoted or not, straight
// or typographic quotes, and spaces after ';'. Parameter names are
// lower-cased: diag.reason, diag.source, diag.winsockfailurecode, ...
func setDiagFields(ev *event.Event, header, value string) {
	ev.Set("diag.header", header)
	code, params, _ := strings.Cut(value, ";")
	code = strings.TrimSpace(code)
	if id, sub, found := strings.Cut(code, "."); found {
		setIf(ev, "diag.code", strings.TrimSpace(id))
		setIf(ev, "diag.subcode", strings.TrimSpace(sub))
	} else {
		setIf(ev, "diag.code", code)
	}
	for params != "" {
		var name, val string
		name, val, params = nextDiagParam(params)
		name = strings.ToLower(name)
		if name == "" || !isToken(name) || reservedDiag[name] {
			continue
		}
		ev.Set(diagField(name), val)
	}
}

// diagFields spells the usual diagnostic parameters without a
// concatenation.
var diagFields = map[string]string{
	"reason": "diag.reason", "source": "diag.source", "appname": "diag.appname",
	"hresult": "diag.hresult", "winsockfailurecode": "diag.winsockfailurecode",
	"winsockfailuredescription": "diag.winsockfailuredescription", "peer": "diag.peer",
	"pid": "diag.pid", "ms-diagnostics-public": "diag.ms-diagnostics-public",
}

func diagField(name string) string {
	if f, ok := diagFields[name]; ok {
		return f
	}
	return "diag." + name
}

// firstTwoFields returns the first two white-space separated fields of s,
// as strings.Fields would split them, and how many fields s has (at most
// 2 counted).
func firstTwoFields[T string | []byte](s T) (a, b T, n int) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			f := strings.Fields(string(s))
			switch len(f) {
			case 0:
				return a, b, 0
			case 1:
				return T(f[0]), b, 1
			}
			return T(f[0]), T(f[1]), 2
		}
	}
	i := 0
	for n < 2 {
		for i < len(s) && asciiSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) && !asciiSpace(s[i]) {
			i++
		}
		if n == 0 {
			a = s[start:i]
		} else {
			b = s[start:i]
		}
		n++
	}
	return a, b, n
}

// Quote characters accepted around diagnostic parameter values.
const (
	openQuotes  = "\"\u201C\u201D\u201E"
	closeQuotes = "\"\u201D\u201C"
)

// nextDiagParam reads one name[=value] parameter from s and returns the
// remaining text after its ';'. A quoted value may contain ';'.
func nextDiagParam(s string) (name, value, rest string) {
	s = strings.TrimLeft(s, " \t")
	eq := strings.IndexAny(s, "=;")
	if eq < 0 {
		return strings.TrimSpace(s), "", ""
	}
	if s[eq] == ';' {
		return strings.TrimSpace(s[:eq]), "", s[eq+1:]
	}
	name = strings.TrimSpace(s[:eq])
	s = strings.TrimLeft(s[eq+1:], " \t")
	for _, q := range openQuotes {
		if !strings.HasPrefix(s, string(q)) {
			continue
		}
		s = s[len(string(q)):]
		end := strings.IndexAny(s, closeQuotes)
		if end < 0 {
			return name, s, ""
		}
		value = s[:end]
		s = s[end:]
		_, size := firstRune(s)
		s = s[size:]
		if semi := strings.IndexByte(s, ';'); semi >= 0 {
			return name, value, s[semi+1:]
		}
		return name, value, ""
	}
	if semi := strings.IndexByte(s, ';'); semi >= 0 {
		return name, strings.TrimSpace(s[:semi]), s[semi+1:]
	}
	return name, strings.TrimSpace(s), ""
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// maxZoneOffset is the largest distance of a time zone from UTC (UTC+14).
const maxZoneOffset = 14 * 3600

// quarterHour is the granularity of time zone offsets.
const quarterHour = 15 * 60

// setClockFields derives clock evidence from the Date header of a received
// message. logTime is the log's wall-clock time of the message.
//
// The client log's time zone is unknown: its times are local wall-clock
// times with no offset. So Date (GMT) minus the log time is the zone offset
// plus any clock error. Every zone offset in use is a whole number of
// quarter hours (UTC+5:45 is the finest), so the residual left after
// removing the nearest whole quarter hour is the clock error, as long as
// that error is under 7.5 minutes. Kerberos, and so sign-in, fails when
// client and server clocks are more than 5 minutes apart: a residual beyond
// ±300 s is that failure. sip.clock_skew is only set when the whole offset
// could be a zone offset at all (|offset| <= 14 h).
func setClockFields(ev *event.Event, date string, logTime time.Time) {
	t, ok := parseHTTPDate(date)
	if !ok {
		return
	}
	offset := int64(math.Round(t.Sub(logTime).Seconds()))
	ev.Set("sip.date_offset", strconv.FormatInt(offset, 10))
	if offset > maxZoneOffset || offset < -maxZoneOffset {
		return
	}
	zone := int64(math.Round(float64(offset)/quarterHour)) * quarterHour
	ev.Set("sip.clock_skew", strconv.FormatInt(offset-zone, 10))
}

// parseRFC1123GMT parses the form every server writes, "Thu, 12 Apr 2018
// 15:58:04 GMT", without time.Parse, which took a fifth of the time of
// building a received SIP event. It accepts exactly what time.Parse with
// time.RFC1123 accepts of that shape (names in any case, the day within
// its month, no leap second); anything else is left to time.Parse.
func parseRFC1123GMT(v string) (time.Time, bool) {
	const n = len("Mon, 02 Jan 2006 15:04:05 GMT")
	if len(v) != n || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
		v[19] != ':' || v[22] != ':' || v[25] != ' ' || v[26:] != "GMT" {
		return time.Time{}, false
	}
	if !slices.ContainsFunc(weekdays, func(d string) bool { return strings.EqualFold(d, v[:3]) }) {
		return time.Time{}, false
	}
	month := slices.IndexFunc(months, func(m string) bool { return strings.EqualFold(m, v[8:11]) }) + 1
	day, ok1 := atoiFixed(v[5:7])
	year, ok2 := atoiFixed(v[12:16])
	hour, ok3 := atoiFixed(v[17:19])
	minute, ok4 := atoiFixed(v[20:22])
	sec, ok5 := atoiFixed(v[23:25])
	if month == 0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || hour > 23 || minute > 59 || sec > 59 ||
		day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

var (
	weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	months   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// dateLayouts are the RFC 1123 forms of the SIP Date header (RFC 3261
// §20.17), plus forms with a one-digit day or without the weekday.
var dateLayouts = []string{
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"02 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 MST",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// parseHTTPDate parses a Date header value. Only GMT/UTC (or a numeric
// offset) is accepted: any other zone name has an unknown offset.
func parseHTTPDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, ok := parseRFC1123GMT(v); ok {
		return t, true
	}
	return parseHTTPDateLayouts(v)
}

// parseHTTPDateLayouts is parseHTTPDate with time.Parse alone.
func parseHTTPDateLayouts(v string) (time.Time, bool) {
	for _, layout := range dateLayouts {
		t, err := time.ParseInLocation(layout, v, time.UTC)
		if err != nil {
			continue
		}
		if strings.HasSuffix(layout, "MST") {
			switch name, _ := t.Zone(); name {
			case "GMT", "UTC", "UT", "Z":
			default:
				return time.Time{}, false
			}
		}
		return t.UTC(), true
	}
	return time.Time{}, false
}
