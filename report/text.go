package report

import (
	"regexp"
	"strings"
	"sync"

	"github.com/clipperhouse/displaywidth"
)

// columns measures display width: wide (CJK, full-width) characters take
// two columns, combining marks none, East Asian ambiguous characters one
// (as in Windows Terminal, conhost and most terminal emulators). The
// terminal writer uses only ASCII for its own punctuation, so an
// ambiguous-wide terminal only widens text that came from the inputs.
var columns = displaywidth.Options{}

// textWidth is the number of terminal columns s takes.
func textWidth(s string) int { return columns.String(s) }

// cut shortens s to at most w columns, ending a cut string with tail.
func cut(s string, w int, tail string) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= textWidth(tail) {
		return columns.TruncateString(tail, w, "")
	}
	return strings.TrimRight(columns.TruncateString(s, w-textWidth(tail), ""), " ") + tail
}

// wrap breaks s into lines of at most w columns. Lines break at spaces; a
// run of wide (CJK) characters may break between any two of them, since
// Japanese has no spaces, except before a character that may not start a
// line (、。ー and the small kana, closing brackets); a word wider than w
// is broken where it reaches w. Runs of blanks collapse to one space.
// w < 1 is taken as 1.
func wrap(s string, w int) []string { return wrapAt(s, w, w) }

// wrapAt is wrap with a first line of first columns and the others of rest.
func wrapAt(s string, first, rest int) []string {
	first, rest = max(first, 1), max(rest, 1)
	var (
		out  []string
		line strings.Builder
		n    int    // columns in line
		last string // the last grapheme put on the line one by one, or ""
	)
	width := func() int {
		if len(out) == 0 {
			return first
		}
		return rest
	}
	flush := func() {
		out = append(out, line.String())
		line.Reset()
		n, last = 0, ""
	}
	for _, word := range strings.Fields(s) {
		ww := textWidth(word)
		if n > 0 && n+1+ww <= width() {
			line.WriteByte(' ')
			line.WriteString(word)
			n += 1 + ww
			last = ""
			continue
		}
		if ww <= width() && !hasWide(word) {
			if n > 0 {
				flush()
			}
			line.WriteString(word)
			n = ww
			continue
		}
		// Break the word into grapheme clusters: fill the current line
		// (after a space) and go on on the next ones.
		if n > 0 {
			if n+2 <= width() {
				line.WriteByte(' ')
				n++
			} else {
				flush()
			}
		}
		last = ""
		g := columns.StringGraphemes(word)
		for g.Next() {
			v, gw := g.Value(), g.Width()
			if n > 0 && n+gw > width() {
				carry := ""
				if last != "" && noLineStart(v) && line.Len() > len(last) {
					// Kinsoku: take the character before along.
					cur := line.String()
					carry = last
					line.Reset()
					line.WriteString(cur[:len(cur)-len(last)])
				}
				flush()
				if carry != "" {
					line.WriteString(carry)
					n = textWidth(carry)
				}
			}
			line.WriteString(v)
			n += gw
			last = v
		}
	}
	if n > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// noLineStart reports whether a grapheme may not start a line of Japanese
// text (JIS X 4051 line-start prohibitions, the common subset).
func noLineStart(g string) bool {
	return g != "" && strings.Contains("、。，．・：；？！ー）」』】〕〉》ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ", g)
}

// hasWide reports whether s holds a character two columns wide.
func hasWide(s string) bool {
	for _, r := range s {
		if r >= 0x1100 && columns.Rune(r) == 2 {
			return true
		}
	}
	return false
}

// padRight pads s with spaces to w columns.
func padRight(s string, w int) string {
	if d := w - textWidth(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// expandTabs replaces tabs by spaces to the next multiple of four columns,
// so that a line's width is what the terminal shows.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	n := 0
	g := columns.StringGraphemes(s)
	for g.Next() {
		v := g.Value()
		if v == "\t" {
			k := 4 - n%4
			b.WriteString(strings.Repeat(" ", k))
			n += k
			continue
		}
		b.WriteString(v)
		n += g.Width()
	}
	return b.String()
}

// logLinePrefix returns, compiled on first use, the pattern of the time
// and thread prefix of a UccApilog line ("06/15/2017|09:02:11.482
// 1F68:C14 INFO  :: "): the excerpt's time is shown apart, so the deciding
// lines are shown without it.
var logLinePrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{4}\|\d{1,2}:\d{2}:\d{2}(\.\d+)?\s+[0-9A-Fa-f]+:[0-9A-Fa-f]+\s+(?:[A-Z]+\s+::\s+)?`)
})

// decidingLines returns the lines of an excerpt that decide a finding: its
// first line (a SIP status or request line, an event's text, a log line)
// and every ms-diagnostics header after it, which carries the code and
// reason that tell causes with the same status apart. In the excerpt of a
// SIP message, sfblog's note on the clock skew it read from the Date
// header ("[sfblog: the server's Date ...]") decides too, with that
// header; elsewhere such a line came from the input. Text is cleaned.
func decidingLines(excerpt string) []string {
	var out []string
	sip, skew := false, false
	for i, line := range strings.Split(trimExcerpt(excerpt), "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if len(out) == 0 {
			out = append(out, logLinePrefix().ReplaceAllString(t, ""))
			sip = strings.HasPrefix(t, "SIP/2.0 ") || strings.HasSuffix(t, " SIP/2.0")
			skew = sip && strings.Contains(excerpt, "\n"+skewNote)
			continue
		}
		if i > 0 && (isDiagnosticsHeader(t) || skew && (strings.HasPrefix(t, skewNote) || headerNamed(t, "date"))) {
			out = append(out, t)
		}
	}
	return out
}

// skewNote starts the note analyze adds to the excerpt of a SIP message
// whose Date header says the client's clock is off.
const skewNote = "[sfblog: the server's Date"

// headerNamed reports whether line is a SIP header named name (lower
// case).
func headerNamed(line, name string) bool {
	n, _, ok := strings.Cut(line, ":")
	return ok && strings.EqualFold(strings.TrimSpace(n), name)
}

// isDiagnosticsHeader reports whether a SIP header line is ms-diagnostics
// or ms-diagnostics-public.
func isDiagnosticsHeader(line string) bool {
	name, _, ok := strings.Cut(line, ":")
	if !ok {
		return false
	}
	name = strings.ToLower(strings.TrimSpace(name))
	return name == "ms-diagnostics" || name == "ms-diagnostics-public"
}

// responsePatterns are the parts of a decisive response a label shows.
type responsePatterns struct {
	sipStatus, diagCode, eventID *regexp.Regexp
}

// responseRx returns the responsePatterns, compiled on first use.
var responseRx = sync.OnceValue(func() *responsePatterns {
	return &responsePatterns{
		sipStatus: regexp.MustCompile(`^\s*(?:SIP/2\.0\s+)?([1-6]\d\d)\b`),
		diagCode:  regexp.MustCompile(`(?i)ms-diagnostics(?:-public)?\s*:\s*(\d+)`),
		eventID:   regexp.MustCompile(`(?i)\bevent(?:\s+id)?\s*[:#]?\s*(\d+)`),
	}
})

// shortResponse names a decisive response in a few characters for a
// timeline label: "404 · 4005" for a SIP status ("SIP/2.0 404 Not Found"
// or "404 Not Found") with its ms-diagnostics code, "200", "event 1014";
// "" for a response without a code. sep separates status and code.
func shortResponse(decisive, sep string) string {
	d := clean(decisive)
	re := responseRx()
	var parts []string
	if m := re.sipStatus.FindStringSubmatch(d); m != nil {
		parts = append(parts, m[1])
	}
	if m := re.diagCode.FindStringSubmatch(d); m != nil {
		parts = append(parts, m[1])
	}
	if len(parts) > 0 {
		return strings.Join(parts, sep)
	}
	if m := re.eventID.FindStringSubmatch(d); m != nil {
		return "event " + m[1]
	}
	// A text (the error the user saw): its first words, cut, say
	// nothing the response written in full below does not.
	return ""
}

// shortPath shortens a path to at most w columns, keeping the file name:
// "logs/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog" becomes
// ".../bundle.zip!/.../Lync-UccApi-0.UccApilog" (the bundle's name and the
// file's), then ".../Lync-UccApi-0.UccApilog", then the file name cut at
// its start. A path outside a zip keeps its first folder:
// "C:/.../Lync-UccApi-0.UccApilog".
func shortPath(p string, w int) string {
	if textWidth(p) <= w {
		return p
	}
	sep := strings.LastIndexAny(p, `/\`)
	if sep < 0 {
		return "..." + cutLeft(p, w-3)
	}
	name := p[sep+1:]
	if top, _, ok := strings.Cut(p, "!/"); ok {
		// Keep the bundle's name: the zip, without its folders.
		if i := strings.LastIndexAny(top, `/\`); i >= 0 {
			top = "..." + top[i:]
		}
		if s := top + "!/.../" + name; textWidth(s) <= w {
			return s
		}
	} else if i := strings.IndexAny(p, `/\`); i >= 0 && i < sep {
		if s := p[:i+1] + ".../" + name; textWidth(s) <= w {
			return s
		}
	}
	if s := ".../" + name; textWidth(s) <= w {
		return s
	}
	return "..." + cutLeft(name, w-3)
}

// cutLeft keeps the last w columns of s.
func cutLeft(s string, w int) string {
	var gs []string
	g := columns.StringGraphemes(s)
	for g.Next() {
		gs = append(gs, g.Value())
	}
	n := 0
	i := len(gs)
	for i > 0 {
		gw := textWidth(gs[i-1])
		if n+gw > w {
			break
		}
		n += gw
		i--
	}
	return strings.Join(gs[i:], "")
}

// TextWidth is the number of terminal columns s takes, as the table
// report measures it (a CJK character takes two).
func TextWidth(s string) int { return textWidth(s) }

// Cut shortens s to at most w columns, ending a cut string with "...".
func Cut(s string, w int) string { return cut(s, w, "...") }

// ShortPath shortens the path p to at most w columns as the table report
// does, keeping the file's name and the zip's:
// ".../bundle.zip!/.../Lync-UccApi-0.UccApilog".
func ShortPath(p string, w int) string { return shortPath(p, w) }
