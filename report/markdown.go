package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/analyze"
)

// MarkdownWriter writes the report as GitHub-flavoured Markdown, ready to
// paste into a ticket: verdict, summary table, one section per finding
// with its evidence in fenced code blocks, the inputs, and the tool
// version at the bottom.
type MarkdownWriter struct {
	Lang string // "" or "en": English; "ja": Japanese
}

var _ Writer = (*MarkdownWriter)(nil)

// Write renders r as Markdown to w.
func (m *MarkdownWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write markdown report: %w", errNilReport)
	}
	l := newLang(m.Lang)
	var b bytes.Buffer
	b.WriteString(l.t("# sfblog report") + "\n\n")
	b.WriteString("**" + mdInline(l.verdict(r)) + "**\n\n")
	if d := l.signInDetails(r); d != "" {
		b.WriteString(mdInline(d) + "\n\n")
	}

	if len(r.Findings) == 0 {
		b.WriteString(l.f("No known sign-in problem was found in %s (%s).",
			l.plural(len(r.Inputs), "input"), l.plural(totalInputEvents(r), "event")) + "\n\n")
	} else {
		b.WriteString(l.t("| Severity | ID | Confidence | Title | Evidence |") + "\n")
		b.WriteString("|---|---|---|---|---:|\n")
		for i := range r.Findings {
			f := &r.Findings[i]
			mdRow(&b, f.Severity, f.ID, f.Confidence, mdInline(f.Title), strconv.Itoa(totalEvents(f)))
		}
		b.WriteString("\n")
	}

	for i := range r.Findings {
		mdFinding(&b, &r.Findings[i], l)
	}

	mdInputs(&b, r, l)

	b.WriteString("---\n\n")
	b.WriteString("_" + mdInline(toolLine(r.Tool)) + "_\n")
	return flush(w, &b, "markdown")
}

// mdFinding renders one finding's section.
func mdFinding(b *bytes.Buffer, f *analyze.Finding, l lang) {
	fmt.Fprintf(b, "## %s — %s\n\n", mdInline(f.ID), mdInline(f.Title))
	b.WriteString(l.f("**Severity:** %s · **Confidence:** %s", mdInline(f.Severity), mdInline(f.Confidence)) + "\n\n")
	if f.Message != "" {
		b.WriteString(l.t("The user saw:") + "\n\n")
		for line := range strings.SplitSeq(clean(f.Message), "\n") {
			b.WriteString(strings.TrimRight("> "+mdLine(line), " ") + "\n")
		}
		b.WriteString("\n")
	}
	if f.Cause != "" {
		b.WriteString(l.t("**Cause:** ") + mdBlock(f.Cause) + "\n\n")
	}
	if f.Collect != "" {
		b.WriteString(l.t("**What to collect to decide:** ") + mdBlock(f.Collect) + "\n\n")
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
		for _, l := range f.Links {
			b.WriteString("- " + mdLink(l) + "\n")
		}
		b.WriteString("\n")
	}
	mdEvidence(b, f, l)
}

// mdEvidence renders a finding's excerpts, each preceded by where and when
// it was seen, and says how many matching events are not shown.
func mdEvidence(b *bytes.Buffer, f *analyze.Finding, l lang) {
	total := totalEvents(f)
	if len(f.Evidence) == 0 {
		return
	}
	b.WriteString(l.f("**Evidence** (%s):", l.plural(total, "event")) + "\n\n")
	for _, e := range f.Evidence {
		head := codeSpan(clean(location(e)))
		if e.Time != "" {
			head += " · " + mdInline(e.Time)
		}
		if e.Count > 1 {
			head += " · (×" + strconv.Itoa(e.Count) + ")"
		}
		b.WriteString(head + "\n\n")
		text := trimExcerpt(e.Excerpt)
		fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
		b.WriteString(fence + "text\n" + text + "\n" + fence + "\n\n")
	}
	if more := total - shownEvents(f); more > 0 {
		b.WriteString(l.f("… and %d more", more) + "\n\n")
	}
}

// mdInputs renders the inputs table, errors included.
func mdInputs(b *bytes.Buffer, r *analyze.Report, l lang) {
	b.WriteString(l.t("## Inputs") + "\n\n")
	if len(r.Inputs) == 0 {
		b.WriteString(l.t("No inputs.") + "\n\n")
		return
	}
	if bad := problemInputs(r); len(bad) > 0 {
		b.WriteString(l.inputsHeadline(len(bad), len(r.Inputs)) + l.t(".") + "\n\n")
	}
	b.WriteString(l.t("| Path | Format | Events | First | Last | Errors |") + "\n")
	b.WriteString("|---|---|---:|---|---|---|\n")
	for _, in := range r.Inputs {
		errs := make([]string, 0, len(in.Errors))
		for _, e := range in.Errors {
			errs = append(errs, mdInline(e))
		}
		mdRow(b, codeSpan(clean(in.Path)), mdInline(in.Format), strconv.Itoa(in.Events),
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

// mdEntity matches an HTML character reference, which Markdown would
// otherwise show as the character it names.
var mdEntity = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

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
		s = mdEntity.ReplaceAllString(s, `\$0`)
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
func toolLine(t analyze.Tool) string {
	s := "Generated by " + t.Name
	if t.Name == "" {
		s = "Generated by sfblog"
	}
	if t.Version != "" {
		s += " " + t.Version
	}
	return s
}
