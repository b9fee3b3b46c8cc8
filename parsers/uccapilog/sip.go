package uccapilog

import (
	"math"
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
	start   string              // the start line
	names   []string            // lower-case header names in order of first appearance
	headers map[string][]string // lower-case name -> values in order
	body    string              // bounded by Content-Length, "\n" line ends
}

func (m *sipMessage) header(name string) string {
	if v := m.headers[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseSIPMessage parses the lines of a SIP message (start line first,
// leading blank lines already removed). Folded header lines are joined to
// the header they continue with one space.
func parseSIPMessage(lines []string) *sipMessage {
	m := &sipMessage{headers: make(map[string][]string)}
	if len(lines) == 0 {
		return m
	}
	m.start = strings.TrimSpace(lines[0])
	i := 1
	last := "" // name of the previous header, for folded lines
	for ; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			i++
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vals := m.headers[last]
			vals[len(vals)-1] = strings.TrimSpace(vals[len(vals)-1] + " " + strings.TrimSpace(line))
			continue
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 {
			last = ""
			continue
		}
		name := strings.TrimSpace(line[:colon])
		if !isToken(name) {
			last = ""
			continue
		}
		if len(name) == 1 {
			if full, ok := compactHeaders[strings.ToLower(name)]; ok {
				name = full
			}
		}
		name = strings.ToLower(name)
		if _, seen := m.headers[name]; !seen {
			m.names = append(m.names, name)
		}
		m.headers[name] = append(m.headers[name], strings.TrimSpace(line[colon+1:]))
		last = name
	}
	m.body = boundBody(lines[min(i, len(lines)):], m.header("content-length"))
	return m
}

// boundBody joins the body lines, keeping at most Content-Length bytes when
// the header holds a number. The log keeps the message's CRLF line ends
// only as line breaks, so each line end counts as the two bytes it was on
// the wire.
func boundBody(lines []string, contentLength string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	limit, err := strconv.Atoi(strings.TrimSpace(contentLength))
	if err != nil || limit < 0 {
		return strings.Join(lines, "\n")
	}
	var b strings.Builder
	n := 0
	for k, line := range lines {
		if n >= limit {
			break
		}
		if k > 0 {
			b.WriteByte('\n')
			n += 2
			if n >= limit {
				break
			}
		}
		if room := limit - n; len(line) > room {
			line = line[:room]
		}
		b.WriteString(line)
		n += len(line)
	}
	return strings.TrimRight(b.String(), "\n")
}

// isToken reports whether s is a SIP header name token (RFC 3261 §25.1).
func isToken(s string) bool {
	if s == "" {
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
		// SIP/2.0 401 Unauthorized
		parts := strings.SplitN(m.start, " ", 3)
		if len(parts) >= 2 && len(parts[1]) == 3 && isDigitsOnly(parts[1]) {
			ev.Set("sip.type", "response")
			ev.Set("sip.status", parts[1])
			if len(parts) == 3 {
				ev.Set("sip.reason", strings.TrimSpace(parts[2]))
			}
			ok = true
		}
	default:
		// REGISTER sip:contoso.com SIP/2.0
		parts := strings.Fields(m.start)
		if len(parts) == 3 && strings.HasPrefix(parts[2], "SIP/") && isToken(parts[0]) {
			ev.Set("sip.type", "request")
			ev.Set("sip.method", parts[0])
			ev.Set("sip.uri", parts[1])
			ok = true
		}
	}

	for _, name := range m.names {
		ev.Set("sip.header."+name, strings.Join(m.headers[name], "\n"))
	}
	if v := m.header("cseq"); v != "" {
		parts := strings.Fields(v)
		if len(parts) >= 1 {
			ev.Set("sip.cseq.number", parts[0])
		}
		if len(parts) >= 2 {
			ev.Set("sip.cseq.method", parts[1])
		}
	}
	setIf(ev, "sip.call_id", m.header("call-id"))
	setIf(ev, "sip.from.uri", headerURI(m.header("from")))
	setIf(ev, "sip.to.uri", headerURI(m.header("to")))
	setIf(ev, "sip.user_agent", m.header("user-agent"))
	setIf(ev, "sip.server", m.header("server"))
	setIf(ev, "sip.body", m.body)

	for _, name := range m.names {
		if name == "ms-diagnostics" || name == "ms-diagnostics-public" {
			setDiagFields(ev, name, m.header(name))
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
		ev.Set("diag."+name, val)
	}
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
