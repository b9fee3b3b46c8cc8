package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/internal/termesc"
)

// TableWriter writes the report for a terminal: the verdict, who signed in
// with what and when, what evidence is missing, each finding with the
// line that decides it, the sign-in timeline, the causes the evidence
// ruled out and the inputs. No line is wider than Width display columns:
// below WideWidth each finding and attempt is a block of lines, from
// WideWidth on overview tables are added. Text from the inputs is
// escaped (internal/termesc): it never reaches the terminal as a control
// character.
type TableWriter struct {
	// Color enables ANSI colour (verdict, severities, ids).
	Color bool
	// Lang is "" or "en" for English, "ja" for Japanese.
	Lang string
	// Width is the terminal's width in columns; 0 means DefaultWidth.
	Width int
}

var _ Writer = (*TableWriter)(nil)

// ANSI SGR sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
)

// Limits of the terminal report; the other formats show everything.
const (
	tableMaxOther  = 3  // excerpts shown besides the deciding one
	tableMaxInputs = 20 // inputs listed
)

// tableOut renders one report into a buffer.
type tableOut struct {
	buf   bytes.Buffer
	l     lang
	w     int
	wide  bool
	color bool
}

// Write renders r as text to w.
func (t *TableWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write table report: %w", errNilReport)
	}
	width := t.Width
	if width <= 0 {
		width = DefaultWidth
	}
	width = max(width, MinWidth)
	o := &tableOut{l: newLang(t.Lang), w: width, wide: width >= WideWidth, color: t.Color}
	o.report(r)
	return flush(w, &o.buf, "table")
}

// report renders the whole report: with groups, the common part, then each
// group as its own section.
func (o *tableOut) report(r *analyze.Report) {
	l := o.l
	o.painted(verdictColor(r), termesc.Line(l.verdict(r)))
	if len(r.Groups) == 0 {
		o.body(r)
	} else {
		o.missing(r.Missing)
	}
	o.inputs(r)
	for i := range r.Groups {
		g := &r.Groups[i]
		title := l.groupTitle(i, len(r.Groups), g)
		o.buf.WriteString("\n" + strings.Repeat("=", o.w) + "\n")
		o.text("", "", title)
		o.buf.WriteString(strings.Repeat("=", o.w) + "\n")
		o.painted(verdictColor(g), termesc.Line(l.verdict(g)))
		o.body(g)
		if len(g.Inputs) > 0 {
			o.heading(l.t("Inputs of this user"))
			for _, in := range g.Inputs {
				o.text("  ", "    ", termesc.Line(in.Path))
			}
		}
	}
}

// body renders what one user's report says: header, missing evidence,
// findings, timeline, ruled-out causes.
func (o *tableOut) body(r *analyze.Report) {
	l := o.l
	o.fields(l.headerFields(r))
	if bad := problemInputs(r); len(bad) > 0 && len(r.Groups) == 0 {
		o.buf.WriteString("\n")
		o.text("", "", l.inputsHeadline(len(bad), len(r.Inputs))+l.t(" (see Inputs below)"))
	}
	o.missing(r.Missing)
	if len(r.Findings) == 0 {
		o.buf.WriteString("\n")
		o.text("", "", l.noFindings(r))
	} else {
		if o.wide {
			o.findingsTable(r.Findings)
		}
		for i := range r.Findings {
			o.finding(&r.Findings[i])
		}
	}
	o.timeline(r)
	o.ruledOut(r.RuledOut)
}

// text writes s wrapped to the width, its first line after first and the
// others after rest. Text from the inputs must be escaped before.
func (o *tableOut) text(first, rest, s string) {
	for i, line := range wrapAt(s, o.w-textWidth(stripANSI(first)), o.w-textWidth(rest)) {
		p := rest
		if i == 0 {
			p = first
		}
		o.buf.WriteString(strings.TrimRight(p+line, " ") + "\n")
	}
}

// painted writes s wrapped to the width, each line in colour.
func (o *tableOut) painted(color, s string) {
	for _, line := range wrap(s, o.w) {
		o.buf.WriteString(o.paint(color, line) + "\n")
	}
}

// fit writes painted when its plain text fits the width, else plain
// wrapped with its other lines after rest.
func (o *tableOut) fit(plain, painted, rest string) {
	if textWidth(plain) <= o.w {
		o.buf.WriteString(strings.TrimRight(painted, " ") + "\n")
		return
	}
	t := strings.TrimLeft(plain, " ")
	o.text(plain[:len(plain)-len(t)], rest, t)
}

// lines writes each line of an escaped multi-line text wrapped, first line
// after first, the others after rest, continuations indented two more.
func (o *tableOut) lines(first, rest string, text []string) {
	for i, line := range text {
		p := rest
		if i == 0 {
			p = first
		}
		o.text(p, rest+"  ", expandTabs(line))
	}
}

// heading starts a section.
func (o *tableOut) heading(s string) {
	o.buf.WriteString("\n")
	o.painted(ansiBold, s)
}

// fields writes labelled values with aligned values.
func (o *tableOut) fields(fs []field) {
	if len(fs) == 0 {
		return
	}
	lw := 0
	for _, f := range fs {
		lw = max(lw, textWidth(f.Label)+1)
	}
	lw = min(lw, o.w/3)
	o.buf.WriteString("\n")
	for _, f := range fs {
		label := f.Label + o.l.t(":")
		first := padRight(label, lw) + "  "
		if textWidth(label) > lw {
			o.text("", "", label)
			first = strings.Repeat(" ", lw+2)
		}
		o.text(first, strings.Repeat(" ", lw+2), termesc.Line(f.Value))
	}
}

// missing writes the kinds of evidence the inputs lack, why they matter
// and the command or setting that collects them.
func (o *tableOut) missing(as []analyze.Advice) {
	if len(as) == 0 {
		return
	}
	l := o.l
	o.heading(l.t("Missing evidence: collect it and run sfblog again"))
	for _, a := range as {
		s := l.evidenceName(a.Evidence)
		if a.Why != "" {
			s += l.t(": ") + a.Why
		}
		o.text("  - ", "    ", termesc.String(s))
		for _, c := range strings.Split(termesc.String(strings.TrimSpace(a.Command)), "\n") {
			if strings.TrimSpace(c) != "" {
				o.text("      ", "        ", expandTabs(c))
			}
		}
	}
}

// findingsTable writes the overview table of the wide layout.
func (o *tableOut) findingsTable(fs []analyze.Finding) {
	l := o.l
	rows := make([][]string, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		at := "-"
		if d, ok := deciding(f); ok {
			at = where(d, 40)
			if responseRx().sipStatus.MatchString(d.Excerpt) {
				at = shortResponse(d.Excerpt, "/") + "  " + at
			}
		}
		rows = append(rows, []string{
			l.severityName(f.Severity), termesc.Line(f.ID), l.confidenceName(f.Confidence),
			strconv.Itoa(totalEvents(f)), at, termesc.Line(f.Title),
		})
	}
	o.buf.WriteString("\n")
	o.columns([]string{l.t("SEVERITY"), l.t("ID"), l.t("CONFIDENCE"), l.t("EVENTS"), l.t("DECIDING EVIDENCE"), l.t("TITLE")}, rows)
}

// locSuffix is ":line" or "#record" or "".
func locSuffix(e analyze.Evidence) string {
	switch {
	case e.Line > 0:
		return ":" + strconv.Itoa(e.Line)
	case e.RecordID > 0:
		return "#" + strconv.FormatUint(e.RecordID, 10)
	}
	return ""
}

// where renders an evidence location that fits in w columns: the path
// shortened around its file name, then the line or record.
func where(e analyze.Evidence, w int) string {
	suffix := locSuffix(e)
	return shortPath(termesc.Line(e.Path), w-len(suffix)) + suffix
}

// finding writes one finding as a block: severity, id, confidence and
// count; title; the deciding line(s) with file and line; other excerpts;
// the message the user saw; cause; what to collect with the commands;
// remedy steps; links.
func (o *tableOut) finding(f *analyze.Finding) {
	l := o.l
	o.buf.WriteString("\n")
	rest := "  " + l.confidenceName(f.Confidence) + "  " + l.count(totalEvents(f), "%d event", "%d events")
	o.fit(l.severityName(f.Severity)+"  "+termesc.Line(f.ID)+rest,
		o.paint(severityColor(f.Severity), l.severityName(f.Severity))+"  "+o.paint(ansiBold, termesc.Line(f.ID))+rest, "  ")
	o.text("", "", termesc.Line(f.Title))

	if d, ok := deciding(f); ok {
		others, count := otherEvidence(f)
		pre := "  " + l.t("Evidence:") + " "
		loc := where(d, o.w-textWidth(pre))
		var when []string
		if d.Time != "" {
			when = append(when, termesc.Line(d.Time))
		}
		if count > 1 {
			when = append(when, l.f("(seen %d times)", count))
		}
		if w := strings.Join(when, "  "); w != "" && textWidth(pre+loc+"  "+w) <= o.w {
			o.buf.WriteString(pre + loc + "  " + w + "\n")
		} else {
			o.buf.WriteString(pre + loc + "\n")
			if w != "" {
				o.text("    ", "    ", w)
			}
		}
		var dl []string
		for _, line := range decidingLines(d.Excerpt) {
			dl = append(dl, termesc.Line(line))
		}
		o.lines("    ", "    ", dl)
		for i, e := range others {
			if i == tableMaxOther {
				break
			}
			line := where(e, 40)
			if fl := firstLine(termesc.String(e.Excerpt)); fl != "" {
				line += "  " + expandTabs(logLinePrefix().ReplaceAllString(fl, ""))
			}
			if e.Count > 1 {
				line = "(x" + strconv.Itoa(e.Count) + ") " + line
			}
			pre := "  " + l.t("Also:") + " "
			o.buf.WriteString(pre + cut(line, o.w-textWidth(pre), "...") + "\n")
		}
		shown := count
		for i, e := range others {
			if i < tableMaxOther {
				shown += max(e.Count, 1)
			}
		}
		if more := totalEvents(f) - shown; more > 0 {
			o.text("  ", "    ", l.f("... and %d more", more))
		}
	}
	if f.Message != "" {
		o.text("  "+l.t("The user saw:")+" ", "    ", l.f("\"%s\"", termesc.String(f.Message)))
	}
	if f.Cause != "" {
		o.text("  "+l.t("Cause:")+" ", "    ", termesc.String(f.Cause))
	}
	if f.Collect != "" || len(f.Commands) > 0 {
		o.text("  "+l.t("To decide, collect:")+" ", "    ", termesc.String(f.Collect))
		for _, c := range f.Commands {
			o.text("      ", "        ", termesc.Line(c))
		}
	}
	if len(f.Remedy) > 0 {
		o.buf.WriteString("  " + l.t("Remedy:") + "\n")
		for j, step := range f.Remedy {
			marker := strconv.Itoa(j+1) + ". "
			o.text("    "+marker, "    "+strings.Repeat(" ", len(marker)), termesc.String(step))
		}
	}
	if len(f.Links) > 0 {
		o.buf.WriteString("  " + l.t("Links:") + "\n")
		for _, link := range f.Links {
			o.text("    ", "      ", termesc.Line(link))
		}
	}
}

// timeline writes the sign-in attempts: a block per attempt (or run of
// alike attempts), or a table in the wide layout.
func (o *tableOut) timeline(r *analyze.Report) {
	if len(r.Attempts) == 0 {
		return
	}
	l := o.l
	es := timeline(r.Attempts, "/")
	o.heading(l.f("Sign-in timeline (%s):", l.count(len(r.Attempts), "%d attempt", "%d attempts")))
	if o.wide {
		rows := make([][]string, 0, len(es))
		for _, e := range es {
			resp := termesc.Line(e.Decisive)
			if e.Count() > 1 {
				resp = l.f("%d alike attempts: %s", e.Count(), resp)
			}
			rows = append(rows, []string{
				entryNumber(e, "-"), termesc.Line(l.entryTime(e)), o.paint(outcomeColor(e.Outcome), l.outcomeName(e.Outcome)),
				termesc.Line(strings.Join(e.Servers, ", ")), termesc.Line(strings.Join(e.Auth, "; ")),
				resp, termesc.Line(strings.Join(e.Findings, ", ")),
			})
		}
		o.columns([]string{"#", l.t("START"), l.t("OUTCOME"), l.t("SERVERS"), l.t("AUTHENTICATION"), l.t("DECISIVE RESPONSE"), l.t("SUPPORTS")}, rows)
		return
	}
	for i, e := range es {
		lead := "  " + entryNumber(e, "-") + ". " + termesc.Line(l.entryTime(e)) + "  "
		tail := ""
		if e.Short != "" {
			tail += "  " + termesc.Line(e.Short)
		}
		if e.Count() > 1 {
			tail += "  " + l.f("(%d alike attempts)", e.Count())
		}
		name := l.outcomeName(e.Outcome)
		o.fit(lead+name+tail, lead+o.paint(outcomeColor(e.Outcome), name)+tail, "       ")
		if i > 0 && e.Decisive != "" && sameStory(e, es[i-1]) {
			o.text("     ", "       ", l.f("Servers, authentication and response as in attempt %s.", entryNumber(es[i-1], "-")))
		} else {
			o.attemptDetails(e)
		}
		var at []string
		if e.Path != "" {
			at = append(at, l.f("at %s", where(analyze.Evidence{Path: e.Path, Line: e.Line}, o.w-12)))
		}
		if len(e.Findings) > 0 {
			at = append(at, l.f("supports %s", strings.Join(e.Findings, ", ")))
		}
		if len(at) > 0 {
			o.text("     ", "       ", termesc.Line(strings.Join(at, l.t("; "))))
		}
	}
}

// attemptDetails writes the servers, authentication steps and decisive
// response of a timeline entry.
func (o *tableOut) attemptDetails(e entry) {
	l := o.l
	if len(e.Servers) > 0 {
		o.text("     "+l.t("Servers:")+" ", "       ", termesc.Line(strings.Join(e.Servers, ", ")))
	}
	if len(e.Auth) > 0 {
		o.text("     "+l.t("Authentication:")+" ", "       ", termesc.Line(strings.Join(e.Auth, "; ")))
	}
	if e.Decisive != "" {
		o.text("     "+l.t("Response:")+" ", "       ", termesc.Line(e.Decisive))
	}
}

// ruledOut writes the causes the evidence excluded.
func (o *tableOut) ruledOut(rs []analyze.RuledOut) {
	if len(rs) == 0 {
		return
	}
	l := o.l
	o.heading(l.t("Ruled out by the evidence:"))
	for _, ro := range rs {
		o.text("  - ", "    ", termesc.Line(l.ruledOutLine(ro, where(analyze.Evidence{Path: ro.Path, Line: ro.Line}, o.w/2))))
	}
}

// inputs writes the inputs, what each held, and those that could not be
// fully read with why.
func (o *tableOut) inputs(r *analyze.Report) {
	l := o.l
	if len(r.Inputs) == 0 {
		return
	}
	o.heading(l.f("Inputs (%d):", len(r.Inputs)))
	for i, in := range r.Inputs {
		if i == tableMaxInputs {
			o.text("  ", "    ", l.f("... and %d more", len(r.Inputs)-i))
			break
		}
		o.text("  - ", "    ", shortPath(termesc.Line(in.Path), o.w-4))
		o.text("    ", "    ", termesc.Line(l.inputSummary(in)))
	}
	if bad := problemInputs(r); len(bad) > 0 {
		o.heading(l.inputsHeadline(len(bad), len(r.Inputs)) + l.t(":"))
		for _, in := range bad {
			o.text("  - ", "    ", shortPath(termesc.Line(in.Path), o.w-4)+" ("+termesc.Line(in.Format)+")")
			if len(in.Errors) == 0 {
				o.text("    ", "      ", l.inputProblem(in))
			}
			for _, e := range in.Errors {
				o.text("    ", "      ", termesc.Line(e))
			}
		}
	}
}

// columns writes an aligned table without borders: columns two spaces
// apart, the header underlined with dashes; cells wrap so that the table
// fits the width (the widest columns give way first).
func (o *tableOut) columns(header []string, rows [][]string) {
	n := len(header)
	ws := make([]int, n)
	minW := make([]int, n) // a column gives way down to this
	for i, h := range header {
		ws[i] = textWidth(h)
	}
	for _, row := range rows {
		for i, c := range row {
			ws[i] = max(ws[i], textWidth(stripANSI(c)))
		}
	}
	for i, h := range header {
		minW[i] = min(ws[i], max(textWidth(h), 6))
	}
	total := func() int {
		t := 2 * (n - 1)
		for _, w := range ws {
			t += w
		}
		return t
	}
	for total() > o.w {
		widest := -1
		for i := range ws {
			if ws[i] > minW[i] && (widest < 0 || ws[i] > ws[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		ws[widest]--
	}
	emit := func(cells []string, painted []string) {
		cols := make([][]string, n)
		height := 1
		for i, c := range cells {
			if textWidth(c) <= ws[i] {
				cols[i] = []string{c}
			} else {
				cols[i] = wrap(c, ws[i])
			}
			height = max(height, len(cols[i]))
		}
		for k := 0; k < height; k++ {
			var b strings.Builder
			for i := range cols {
				cell := ""
				if k < len(cols[i]) {
					cell = cols[i][k]
				}
				shown := cell
				if painted != nil && painted[i] != cells[i] && k == 0 && len(cols[i]) == 1 {
					shown = painted[i]
				}
				if i > 0 {
					b.WriteString("  ")
				}
				b.WriteString(shown + strings.Repeat(" ", max(ws[i]-textWidth(cell), 0)))
			}
			o.buf.WriteString(strings.TrimRight(b.String(), " ") + "\n")
		}
	}
	emit(header, nil)
	rule := make([]string, n)
	for i := range rule {
		rule[i] = strings.Repeat("-", ws[i])
	}
	emit(rule, nil)
	for _, row := range rows {
		plain := make([]string, n)
		for i, c := range row {
			plain[i] = stripANSI(c)
		}
		emit(plain, row)
	}
}

// stripANSI removes the SGR sequences this writer adds (input text never
// holds an escape: it is escaped before).
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b[") {
		return s
	}
	for _, seq := range []string{ansiReset, ansiBold, ansiRed, ansiYellow, ansiCyan, ansiGreen} {
		s = strings.ReplaceAll(s, seq, "")
	}
	return s
}

// paint wraps s in an ANSI colour when colour is on. An empty s with a
// colour returns nothing.
func (o *tableOut) paint(color, s string) string {
	if !o.color || color == "" || s == "" {
		return s
	}
	return color + s + ansiReset
}

// severityColor is the colour of a severity name.
func severityColor(sev string) string {
	switch sev {
	case analyze.SeverityError:
		return ansiRed
	case analyze.SeverityWarning:
		return ansiYellow
	case analyze.SeverityInfo:
		return ansiCyan
	}
	return ""
}

// outcomeColor is the colour of an attempt's outcome.
func outcomeColor(o string) string {
	switch o {
	case analyze.OutcomeFailed:
		return ansiRed
	case analyze.OutcomeSucceeded:
		return ansiGreen
	}
	return ""
}

// verdictColor is the colour of the verdict line.
func verdictColor(r *analyze.Report) string {
	switch r.SignIn.Outcome {
	case analyze.OutcomeFailed:
		return ansiRed
	case analyze.OutcomeSucceeded:
		return ansiGreen
	case analyze.OutcomeRecovered:
		return ansiYellow
	}
	return ansiBold
}
