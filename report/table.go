package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/sfblog/sfblog/analyze"
)

// TableWriter writes the report for a terminal: a verdict line, a table of
// findings, the inputs that could not be fully read and each finding's
// remedy links.
type TableWriter struct {
	// Color enables ANSI colour (severity and verdict).
	Color bool
	// Lang is "" or "en" for English, "ja" for Japanese.
	Lang string
}

var _ Writer = (*TableWriter)(nil)

// Column widths: how many characters of an excerpt's first line the
// findings table shows, and where titles and input errors are wrapped.
const (
	excerptWidth = 60
	titleWidth   = 40
	errorWidth   = 60
)

// ANSI SGR sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
)

// Write renders r as text tables to w.
func (t *TableWriter) Write(w io.Writer, r *analyze.Report) error {
	l := newLang(t.Lang)
	if r == nil {
		return fmt.Errorf("write table report: %w", errNilReport)
	}
	var buf bytes.Buffer
	buf.WriteString(t.paint(verdictColor(r), clean(l.verdict(r))) + "\n")
	if d := l.signInDetails(r); d != "" {
		buf.WriteString(clean(d) + "\n")
	}
	buf.WriteString("\n")

	if len(r.Findings) == 0 {
		buf.WriteString(l.f("No known sign-in problem was found in %s (%s).\n",
			l.plural(len(r.Inputs), "input"), l.plural(totalInputEvents(r), "event")))
	} else if err := t.findings(&buf, r.Findings); err != nil {
		return err
	}

	if bad := problemInputs(r); len(bad) > 0 {
		buf.WriteString("\n" + l.inputsHeadline(len(bad), len(r.Inputs)) + ":\n")
		if err := t.inputs(&buf, bad); err != nil {
			return err
		}
	}

	t.details(&buf, r.Findings, l)
	return flush(w, &buf, "table")
}

// findings renders the findings table.
func (t *TableWriter) findings(buf *bytes.Buffer, fs []analyze.Finding) error {
	rows := make([][]string, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		first := "-"
		if len(f.Evidence) > 0 {
			e := f.Evidence[0]
			first = clean(location(e))
			if line := shorten(firstLine(clean(e.Excerpt)), excerptWidth); line != "" {
				first += "\n" + line
			}
		}
		rows = append(rows, []string{
			t.paint(severityColor(f.Severity), f.Severity),
			f.ID,
			f.Confidence,
			wrapWords(clean(f.Title), titleWidth),
			strconv.Itoa(totalEvents(f)),
			first,
		})
	}
	return renderTable(buf, []string{"SEVERITY", "ID", "CONFIDENCE", "TITLE", "EVIDENCE", "FIRST EVIDENCE"}, rows)
}

// inputs renders the table of inputs that could not be fully read.
func (t *TableWriter) inputs(buf *bytes.Buffer, ins []analyze.Input) error {
	rows := make([][]string, 0, len(ins))
	for _, in := range ins {
		problem := "format not recognized"
		if len(in.Errors) > 0 {
			msgs := make([]string, 0, len(in.Errors))
			for _, e := range in.Errors {
				msgs = append(msgs, wrapWords(clean(e), errorWidth))
			}
			problem = strings.Join(msgs, "\n")
		}
		rows = append(rows, []string{clean(in.Path), clean(in.Format), problem})
	}
	return renderTable(buf, []string{"PATH", "FORMAT", "ERROR"}, rows)
}

// detailWidth is where the per-finding details below the table wrap.
const detailWidth = 96

// details renders, under the table, what each finding means and what to do:
// the message the user saw, the cause, what to collect when the cause is
// only possible, the numbered remedy steps and the links.
func (t *TableWriter) details(buf *bytes.Buffer, fs []analyze.Finding, l lang) {
	for i := range fs {
		f := &fs[i]
		buf.WriteString("\n" + t.paint(ansiBold, f.ID) + " (" + t.paint(severityColor(f.Severity), f.Severity) + ", " + f.Confidence + ") " + clean(f.Title) + "\n")
		para := func(label, text string) {
			if text == "" {
				return
			}
			indentWrapped(buf, l.t(label)+" "+clean(text), "  ", "    ")
		}
		if f.Message != "" {
			para("The user saw:", "\u201c"+f.Message+"\u201d")
		}
		para("Cause:", f.Cause)
		para("To decide, collect:", f.Collect)
		if len(f.Remedy) > 0 {
			buf.WriteString("  " + l.t("Remedy:") + "\n")
			for j, step := range f.Remedy {
				marker := strconv.Itoa(j+1) + ". "
				indentWrapped(buf, marker+clean(step), "    ", "    "+strings.Repeat(" ", len(marker)))
			}
		}
		if len(f.Links) > 0 {
			buf.WriteString("  " + l.t("Links:") + "\n")
			for _, link := range f.Links {
				buf.WriteString("    " + clean(link) + "\n")
			}
		}
	}
}

// indentWrapped writes text wrapped at detailWidth, its first line after
// first and the others after rest.
func indentWrapped(buf *bytes.Buffer, text, first, rest string) {
	for i, line := range strings.Split(wrapWords(text, detailWidth-len(rest)), "\n") {
		if i == 0 {
			buf.WriteString(first + line + "\n")
		} else {
			buf.WriteString(rest + line + "\n")
		}
	}
}

// renderTable draws one table with the package's fixed style. Cells are
// shown as given: no header reformatting, no trimming, no wrapping.
func renderTable(buf *bytes.Buffer, header []string, rows [][]string) error {
	tbl := tablewriter.NewTable(buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Settings: tw.Settings{Separators: tw.Separators{BetweenRows: tw.On}},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithTrimSpace(tw.Off),
	)
	tbl.Header(header)
	if err := tbl.Bulk(rows); err != nil {
		return fmt.Errorf("build table: %w", err)
	}
	if err := tbl.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
	}
	return nil
}

// wrapWords breaks s into lines of at most width runes at spaces; a word
// longer than width gets a line of its own.
func wrapWords(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		// A word with wide (CJK) characters may break between any two of
		// them: Japanese text has no spaces to break at.
		pieces := []string{word}
		if hasWide(word) {
			pieces = pieces[:0]
			for _, r := range word {
				pieces = append(pieces, string(r))
			}
		}
		for i, p := range pieces {
			w := displayWidth(p)
			space := 0
			if i == 0 && n > 0 {
				space = 1
			}
			switch {
			case n == 0:
			case n+space+w > width:
				b.WriteByte('\n')
				n, space = 0, 0
			}
			if space == 1 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(p)
			n += w
		}
	}
	return b.String()
}

// isWide reports whether r takes two columns on a terminal (CJK and
// full-width forms).
func isWide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
		(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6))
}

func hasWide(s string) bool {
	for _, r := range s {
		if isWide(r) {
			return true
		}
	}
	return false
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if isWide(r) {
			w++
		}
	}
	return w
}

// paint wraps s in an ANSI colour when colour is on.
func (t *TableWriter) paint(color, s string) string {
	if !t.Color || color == "" || s == "" {
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

// verdictColor is the colour of the verdict line.
func verdictColor(r *analyze.Report) string {
	switch r.SignIn.Outcome {
	case analyze.OutcomeFailed:
		return ansiRed
	case analyze.OutcomeSucceeded:
		return ansiGreen
	}
	return ansiBold
}

// totalInputEvents sums the events read from all inputs.
func totalInputEvents(r *analyze.Report) int {
	n := 0
	for _, in := range r.Inputs {
		n += in.Events
	}
	return n
}
