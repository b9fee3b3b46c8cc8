package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/analyze"
)

// MarkdownWriter writes the report as GitHub-flavoured Markdown, ready to
// paste into a ticket: verdict, header (client, address, computer, time
// span, sign-in counts), missing evidence with the commands that collect
// it, summary table, one section per finding with its deciding lines and
// evidence in fenced code blocks, the sign-in timeline, the causes ruled
// out, the inputs, and the tool version at the bottom. Several users are
// one section each.
type MarkdownWriter struct {
	Lang string // "" or "en": English; "ja": Japanese
}

var _ Writer = (*MarkdownWriter)(nil)

// Write renders r as Markdown to w.
func (m *MarkdownWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write markdown report: %w", errNilReport)
	}
	md := &mdOut{l: newLang(m.Lang)}
	l := md.l
	b := &md.b
	b.WriteString(l.t("# sfblog report") + "\n\n")
	b.WriteString("**" + mdInline(l.verdict(r)) + "**\n\n")
	if len(r.Groups) == 0 {
		md.body(r, 2)
	} else {
		md.missing(r.Missing, 2)
	}
	md.inputs(r, 2)
	for i := range r.Groups {
		g := &r.Groups[i]
		b.WriteString("## " + mdInline(l.groupTitle(i, len(r.Groups), g)) + "\n\n")
		b.WriteString("**" + mdInline(l.verdict(g)) + "**\n\n")
		md.body(g, 3)
		if len(g.Inputs) > 0 {
			b.WriteString("### " + l.t("Inputs of this user") + "\n\n")
			for _, in := range g.Inputs {
				b.WriteString("- " + codeSpan(clean(in.Path)) + "\n")
			}
			b.WriteString("\n")
		}
	}

	b.WriteString("---\n\n")
	b.WriteString("_" + mdInline(l.toolLine(r.Tool)) + "_\n")
	return flush(w, b, "markdown")
}

// mdOut renders one Markdown report.
type mdOut struct {
	b bytes.Buffer
	l lang
}

// heading writes a heading of level h.
func (m *mdOut) heading(h int, text string) {
	m.b.WriteString(strings.Repeat("#", h) + " " + text + "\n\n")
}

// body renders one user's part: header, missing evidence, findings,
// timeline, ruled-out causes; h is the level of its section headings.
func (m *mdOut) body(r *analyze.Report, h int) {
	l, b := m.l, &m.b
	if fs := l.headerFields(r); len(fs) > 0 {
		for _, f := range fs {
			v := mdInline(f.Value)
			if f.Code {
				v = codeSpan(clean(f.Value))
			}
			b.WriteString("- **" + mdInline(f.Label) + l.t(":") + "** " + v + "\n")
		}
		b.WriteString("\n")
	}
	if bad := problemInputs(r); len(bad) > 0 && len(r.Groups) == 0 {
		b.WriteString(mdInline(l.inputsHeadline(len(bad), len(r.Inputs))+l.t(" (see Inputs below)")) + l.t(".") + "\n\n")
	}
	m.missing(r.Missing, h)

	if len(r.Findings) == 0 {
		b.WriteString(mdInline(l.noFindings(r)) + "\n\n")
	} else {
		b.WriteString(l.t("| Severity | ID | Confidence | Title | Deciding evidence | Events |") + "\n")
		b.WriteString("|---|---|---|---|---|---:|\n")
		for i := range r.Findings {
			f := &r.Findings[i]
			at := ""
			if d, ok := deciding(f); ok {
				at = codeSpan(clean(location(d)))
			}
			mdRow(b, mdInline(l.severityName(f.Severity)), mdInline(f.ID), mdInline(l.confidenceName(f.Confidence)),
				mdInline(f.Title), at, strconv.Itoa(totalEvents(f)))
		}
		b.WriteString("\n")
	}
	for i := range r.Findings {
		m.finding(&r.Findings[i], h)
	}
	m.timeline(r, h)
	if len(r.RuledOut) > 0 {
		m.heading(h, l.t("Ruled out by the evidence"))
		for _, ro := range r.RuledOut {
			s := l.f("%s ruled out by %s", codeSpan(clean(ro.ID)), codeSpan(clean(ruledOutWhere(ro))))
			if ro.Title != "" {
				s += " (" + mdInline(ro.Title) + ")"
			}
			if ro.Reason != "" {
				s += l.t(": ") + mdInline(ro.Reason)
			}
			b.WriteString("- " + s + "\n")
		}
		b.WriteString("\n")
	}
}

// missing renders the evidence the inputs lack, with the commands that
// collect it in code blocks.
func (m *mdOut) missing(as []analyze.Advice, h int) {
	if len(as) == 0 {
		return
	}
	l, b := m.l, &m.b
	m.heading(h, l.t("Missing evidence: collect it and run sfblog again"))
	for _, a := range as {
		s := "- **" + mdInline(l.evidenceName(a.Evidence)) + "**"
		if a.Why != "" {
			s += l.t(": ") + mdInline(a.Why)
		}
		b.WriteString(s + "\n")
		if c := strings.TrimSpace(clean(a.Command)); c != "" {
			b.WriteString("\n")
			mdFence(b, c, "  ")
		}
	}
	b.WriteString("\n")
}

// mdFence writes text in a fenced code block whose fence is longer than
// any backtick run inside, every line after indent.
func mdFence(b *bytes.Buffer, text, indent string) {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	b.WriteString(indent + fence + "text\n")
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(indent + line + "\n")
	}
	b.WriteString(indent + fence + "\n")
}

// finding renders one finding's section.
func (m *mdOut) finding(f *analyze.Finding, h int) {
	l, b := m.l, &m.b
	m.heading(h, mdInline(f.ID)+" — "+mdInline(f.Title))
	b.WriteString(l.f("**Severity:** %s · **Confidence:** %s", mdInline(l.severityName(f.Severity)), mdInline(l.confidenceName(f.Confidence))) + "\n\n")
	if d, ok := deciding(f); ok {
		head := l.t("**Deciding evidence:**") + " " + codeSpan(clean(location(d)))
		if d.Time != "" {
			head += " · " + mdInline(d.Time)
		}
		b.WriteString(head + "\n\n")
		if dl := decidingLines(d.Excerpt); len(dl) > 0 {
			mdFence(b, strings.Join(dl, "\n"), "")
			b.WriteString("\n")
		}
	}
	if f.Message != "" {
		b.WriteString(l.t("The user saw:") + "\n\n")
		for line := range strings.SplitSeq(clean(f.Message), "\n") {
			b.WriteString(strings.TrimRight("> "+mdLine(line), " ") + "\n")
		}
		b.WriteString("\n")
	}
	if f.Cause != "" {
		b.WriteString(l.t("**Cause:**") + " " + mdBlock(f.Cause) + "\n\n")
	}
	if f.Collect != "" || len(f.Commands) > 0 {
		b.WriteString(l.t("**What to collect to decide:**") + " " + mdBlock(f.Collect) + "\n\n")
		if len(f.Commands) > 0 {
			mdFence(b, clean(strings.Join(f.Commands, "\n")), "")
			b.WriteString("\n")
		}
	}
	if len(f.Remedy) > 0 {
		b.WriteString(l.t("**Remedy:**") + "\n\n")
		for i, step := range f.Remedy {
			marker := strconv.Itoa(i+1) + ". "
			indent := strings.Repeat(" ", len(marker))
			b.WriteString(marker + strings.ReplaceAll(mdBlock(step), "\n", "\n"+indent) + "\n")
		}
		b.WriteString("\n")
	}
	if len(f.Links) > 0 {
		b.WriteString(l.t("**Links:**") + "\n\n")
		for _, link := range f.Links {
			b.WriteString("- " + mdLink(link) + "\n")
		}
		b.WriteString("\n")
	}
	m.evidence(f)
}

// evidence renders a finding's excerpts, each preceded by where and when
// it was seen, and says how many matching events are not shown.
func (m *mdOut) evidence(f *analyze.Finding) {
	l, b := m.l, &m.b
	total := totalEvents(f)
	if len(f.Evidence) == 0 {
		return
	}
	b.WriteString(l.f("**Evidence** (%s):", l.count(total, "%d event", "%d events")) + "\n\n")
	for _, e := range f.Evidence {
		head := codeSpan(clean(location(e)))
		if e.Time != "" {
			head += " · " + mdInline(e.Time)
		}
		if e.Count > 1 {
			head += " · (×" + strconv.Itoa(e.Count) + ")"
		}
		b.WriteString(head + "\n\n")
		mdFence(b, trimExcerpt(e.Excerpt), "")
		b.WriteString("\n")
	}
	if more := total - shownEvents(f); more > 0 {
		b.WriteString(l.f("… and %d more", more) + "\n\n")
	}
}

// timeline renders the sign-in attempts as a table.
func (m *mdOut) timeline(r *analyze.Report, h int) {
	if len(r.Attempts) == 0 {
		return
	}
	l, b := m.l, &m.b
	m.heading(h, l.t("Sign-in timeline"))
	b.WriteString(l.t("| # | Start | Outcome | Servers | Authentication | Decisive response | Supports |") + "\n")
	b.WriteString("|---:|---|---|---|---|---|---|\n")
	for _, e := range timeline(r.Attempts, " · ") {
		resp := ""
		if e.Decisive != "" {
			resp = codeSpan(clean(e.Decisive))
			if e.Short != "" {
				resp = "**" + mdInline(e.Short) + "** " + resp
			}
		}
		if e.Path != "" {
			resp += " " + l.f("at %s", codeSpan(clean(location(analyze.Evidence{Path: e.Path, Line: e.Line}))))
		}
		if e.Count() > 1 {
			resp = mdInline(l.f("%d alike attempts: ", e.Count())) + resp
		}
		servers := make([]string, 0, len(e.Servers))
		for _, s := range e.Servers {
			servers = append(servers, codeSpan(clean(s)))
		}
		ids := make([]string, 0, len(e.Findings))
		for _, id := range e.Findings {
			ids = append(ids, mdInline(id))
		}
		mdRow(b, entryNumber(e, "–"), mdInline(l.entryTime(e)), mdInline(l.outcomeName(e.Outcome)),
			strings.Join(servers, ", "), mdInline(strings.Join(e.Auth, "; ")), resp, strings.Join(ids, ", "))
	}
	b.WriteString("\n")
}

// inputs renders the inputs table, what each held and errors included.
func (m *mdOut) inputs(r *analyze.Report, h int) {
	l, b := m.l, &m.b
	m.heading(h, l.t("Inputs"))
	if len(r.Inputs) == 0 {
		b.WriteString(l.t("No inputs.") + "\n\n")
		return
	}
	if bad := problemInputs(r); len(bad) > 0 {
		b.WriteString(mdInline(l.inputsHeadline(len(bad), len(r.Inputs))) + l.t(".") + "\n\n")
	}
	b.WriteString(l.t("| Path | Format | Events | Held | First | Last | Errors |") + "\n")
	b.WriteString("|---|---|---:|---|---|---|---|\n")
	for _, in := range r.Inputs {
		errs := make([]string, 0, len(in.Errors))
		for _, e := range in.Errors {
			errs = append(errs, mdInline(e))
		}
		if in.Format == "unrecognized" && len(in.Errors) == 0 {
			errs = append(errs, mdInline(l.inputProblem(in)))
		}
		held := l.kindsPhrase(in.Kinds)
		for _, n := range l.inputNotes(in) {
			held = strings.TrimPrefix(held+l.t("; ")+n, l.t("; "))
		}
		mdRow(b, codeSpan(clean(in.Path)), mdInline(in.Format), strconv.Itoa(in.Events), mdInline(held),
			mdInline(in.FirstTime), mdInline(in.LastTime), strings.Join(errs, "<br>"))
	}
	b.WriteString("\n")
}

// mdRow writes one table row. Cells arrive as Markdown; a pipe would end
// the cell, even inside a code span, so it is escaped here, and line
// breaks become spaces.
func mdRow(b *bytes.Buffer, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		c = strings.ReplaceAll(c, "|", `\|`)
		c = strings.ReplaceAll(c, "\n", " ")
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

// mdInline renders text as inline Markdown that shows the text as written:
// characters that would start HTML, links, emphasis or code are escaped
// and line breaks become spaces.
func mdInline(s string) string {
	return strings.ReplaceAll(mdEscape(clean(s)), "\n", " ")
}

// mdBlock renders catalog text (cause, remedy step, what to collect) for a
// paragraph. The catalog may mark code with backticks, so code spans are
// kept; everything else is escaped as in mdInline and every line is
// protected from starting a block (heading, list, quote).
func mdBlock(s string) string {
	lines := strings.Split(strings.TrimRight(clean(s), "\n"), "\n")
	for i, line := range lines {
		lines[i] = mdLineStart(mdEscapeKeepCode(line))
	}
	return strings.Join(lines, "\n")
}

// mdLine renders one line of untrusted text so that it stays one plain
// line inside a block quote.
func mdLine(s string) string {
	return mdLineStart(mdEscape(s))
}

// mdSpecial are the characters mdEscape escapes. "_" and "~" are left
// alone: they are common in addresses and identifiers, harmless inside
// words, and escaping them breaks the autolinking of web addresses.
const mdSpecial = "\\`*[]<>"

// mdEntity returns, compiled on first use, the pattern of an HTML
// character reference, which Markdown would otherwise show as the
// character it names.
var mdEntity = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
})

// mdEscape backslash-escapes the characters that would let text become
// markup: HTML (<, >), links ([, ]), code (`), emphasis (*), character
// references (&amp;) and the backslash itself.
func mdEscape(s string) string {
	if strings.ContainsAny(s, mdSpecial) {
		var b strings.Builder
		for _, r := range s {
			if strings.ContainsRune(mdSpecial, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if strings.Contains(s, "&") {
		s = mdEntity().ReplaceAllString(s, `\$0`)
	}
	return s
}

// mdEscapeKeepCode escapes s like mdEscape except inside well-formed code
// spans (a run of n backticks closed by a run of exactly n backticks),
// which are copied as written.
func mdEscapeKeepCode(s string) string {
	var b strings.Builder
	for {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			b.WriteString(mdEscape(s))
			return b.String()
		}
		n := runAt(s, start)
		end := closingRun(s, start+n, n)
		if end < 0 {
			// An unclosed backtick run is literal text.
			b.WriteString(mdEscape(s[:start+n]))
			s = s[start+n:]
			continue
		}
		b.WriteString(mdEscape(s[:start]))
		b.WriteString(s[start : end+n])
		s = s[end+n:]
	}
}

// runAt returns the length of the backtick run starting at s[i].
func runAt(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}

// closingRun returns the index of the first run of exactly n backticks in
// s at or after from, or -1.
func closingRun(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := runAt(s, i)
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// mdLineStart escapes a character at the start of a line that would turn
// the line into a heading, list item, quote, rule or setext underline.
func mdLineStart(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '#', '-', '+', '=', '>':
		return s[:len(s)-len(t)] + `\` + t
	}
	// "1. " and "1) " start an ordered list.
	digits := 0
	for digits < len(t) && digits < 9 && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(t) && (t[digits] == '.' || t[digits] == ')') {
		return s[:len(s)-len(t)] + t[:digits] + `\` + t[digits:]
	}
	return s
}

// mdLink renders a link for a bullet list: an autolink for a plain web
// address, escaped text for anything else.
func mdLink(l string) string {
	l = clean(l)
	if (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) &&
		!strings.ContainsAny(l, " \t\n<>") {
		return "<" + l + ">"
	}
	return mdInline(l)
}

// codeSpan renders s as an inline code span whose delimiter is longer than
// any backtick run inside s.
func codeSpan(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// toolLine renders "Generated by sfblog 1.2.3".
func (l lang) toolLine(t analyze.Tool) string {
	name := t.Name
	if name == "" {
		name = "sfblog"
	}
	if t.Version != "" {
		name += " " + t.Version
	}
	return l.f("Generated by %s", name)
}
