// Package report renders an analysis report (analyze.Report) in the formats
// the command line offers: a terminal table, Markdown for tickets, the JSON
// contract, JUnit XML for CI and a self-contained HTML page.
//
// Writers only render. Filtering, sorting, grouping and masking of secrets
// happen in the analyzer; a Writer shows the report it is given, in the
// order it is given, and produces the same bytes for the same report.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfblog/sfblog/analyze"
)

// Writer renders a report.
type Writer interface {
	Write(w io.Writer, r *analyze.Report) error
}

// Options tune the writers. The zero value is plain output.
type Options struct {
	// Color enables ANSI colour in table output. The caller decides: only
	// when standard output is a terminal and NO_COLOR/--no-color are unset.
	Color bool
	// Lang is the language of the writers' own words: "" or "en", or one
	// of Languages. JSON and JUnit are always English.
	Lang string
}

// Formats lists the format names New accepts, in help order: table,
// markdown, json, junit, html.
func Formats() []string {
	return []string{"table", "markdown", "json", "junit", "html"}
}

// New returns the Writer for a format name; an unknown name is an error
// listing the valid ones. Names are matched without regard to case.
func New(format string, opt Options) (Writer, error) {
	if !validLang(opt.Lang) {
		return nil, fmt.Errorf("unknown language %q (valid: en, %s)", opt.Lang, strings.Join(Languages, ", "))
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "table":
		return &TableWriter{Color: opt.Color, Lang: opt.Lang}, nil
	case "markdown":
		return &MarkdownWriter{Lang: opt.Lang}, nil
	case "json":
		return &JSONWriter{}, nil
	case "junit":
		return &JUnitWriter{}, nil
	case "html":
		return &HTMLWriter{Lang: opt.Lang}, nil
	}
	return nil, fmt.Errorf("unknown report format %q (valid: %s)", format, strings.Join(Formats(), ", "))
}

// errNilReport is returned by every writer given a nil report.
var errNilReport = errors.New("nil report")

// flush writes a fully rendered report to w in one call, so that a writer
// never leaves half a report behind because of its own rendering error.
func flush(w io.Writer, buf *bytes.Buffer, format string) error {
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// verdict is the one-line answer to "did the user sign in, and why not":
// "Sign-in failed for bob@contoso.com: 2 findings (1 error, 1 warning)".
func (l lang) verdict(r *analyze.Report) string {
	var head string
	switch r.SignIn.Outcome {
	case analyze.OutcomeFailed:
		head = l.t("Sign-in failed")
	case analyze.OutcomeSucceeded:
		head = l.t("Sign-in succeeded")
	default:
		return l.t("No sign-in attempt in the inputs") + l.t(": ") + l.findingsPhrase(r.Summary)
	}
	if r.SignIn.Address != "" {
		head = l.f("%s for %s", head, r.SignIn.Address)
	}
	return head + l.t(": ") + l.findingsPhrase(r.Summary)
}

// findingsPhrase renders a summary as "2 findings (1 error, 1 warning)" or
// "no findings".
func (l lang) findingsPhrase(s analyze.Summary) string {
	if s.Findings == 0 {
		return l.t("no findings")
	}
	var parts []string
	for _, c := range []struct {
		n    int
		word string
	}{{s.Error, "error"}, {s.Warning, "warning"}, {s.Info, "info"}} {
		if c.n > 0 {
			parts = append(parts, l.plural(c.n, c.word))
		}
	}
	p := l.plural(s.Findings, "finding")
	if len(parts) > 0 {
		p += l.t(" (") + strings.Join(parts, l.t(", ")) + l.t(")")
	}
	return p
}

// plural renders "1 error", "2 errors"; "info" has no plural.
func (l lang) plural(n int, word string) string {
	if l.ja {
		return strconv.Itoa(n) + " " + l.t(word)
	}
	if n != 1 && word != "info" {
		word += "s"
	}
	return strconv.Itoa(n) + " " + word
}

// signInDetails renders the sign-in counters and the client's UTC offset
// as sentences, or "" when the inputs show neither.
func (l lang) signInDetails(r *analyze.Report) string {
	s := r.SignIn
	var d string
	if s.Attempts != 0 || s.Failures != 0 || s.LastTime != "" {
		d = l.f("REGISTER requests: %d, failures: %d", s.Attempts, s.Failures)
		if s.LastTime != "" {
			d += l.f(", deciding event at %s", s.LastTime)
		}
		d += l.t(".")
	}
	if c := r.Clock; c.ClientUTCOffset != "" {
		how := l.t("from the server Date headers")
		if c.Source == "flag" {
			how = l.t("as given")
		}
		if d != "" && !l.ja {
			d += " "
		}
		d += l.f("Client log times are local, UTC%s (%s).", c.ClientUTCOffset, how)
	}
	return d
}

// location renders where an excerpt comes from: "path:line" for text
// inputs, "path#record" for event logs, or the bare path.
func location(e analyze.Evidence) string {
	switch {
	case e.Line > 0:
		return e.Path + ":" + strconv.Itoa(e.Line)
	case e.RecordID > 0:
		return e.Path + "#" + strconv.FormatUint(e.RecordID, 10)
	}
	return e.Path
}

// shownEvents counts the events the evidence list stands for: a grouped
// excerpt stands for Count events.
func shownEvents(f *analyze.Finding) int {
	n := 0
	for _, e := range f.Evidence {
		n += max(e.Count, 1)
	}
	return n
}

// totalEvents is the number of matching events of a finding: EvidenceTotal,
// or what the evidence list stands for when that is larger.
func totalEvents(f *analyze.Finding) int {
	return max(f.EvidenceTotal, shownEvents(f))
}

// problemInputs returns the inputs that could not be fully read: those with
// errors and those whose format was not recognized, in report order.
func problemInputs(r *analyze.Report) []analyze.Input {
	var out []analyze.Input
	for _, in := range r.Inputs {
		if len(in.Errors) > 0 || in.Format == "unrecognized" {
			out = append(out, in)
		}
	}
	return out
}

// inputProblem describes what went wrong with an input in one string.
func inputProblem(in analyze.Input) string {
	if len(in.Errors) == 0 {
		return "format not recognized"
	}
	return strings.Join(in.Errors, "; ")
}

// inputsHeadline renders "3 of 7 inputs could not be fully read".
func (l lang) inputsHeadline(bad, all int) string {
	if l.ja {
		return l.f("%d of %d inputs could not be fully read", bad, all)
	}
	verb := "inputs could"
	if all == 1 {
		verb = "input could"
	}
	return fmt.Sprintf("%d of %d %s not be fully read", bad, all, verb)
}

// clean makes text from the inputs safe to show: CRLF becomes LF, and
// control characters other than tab and newline (terminal escapes, NUL, a
// lone CR) and the noncharacters U+FFFE and U+FFFF (invalid in XML) are
// shown as \xNN or \uNNNN instead of being passed to the reader's
// terminal or document. Invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isC1OrNonchar(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r) // invalid bytes arrive as utf8.RuneError
		}
	}
	return b.String()
}

// isClean reports whether clean would return s unchanged.
func isClean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || isC1OrNonchar(r) {
			return false
		}
	}
	return true
}

// isC1OrNonchar reports whether r is a C1 control or U+FFFE/U+FFFF.
func isC1OrNonchar(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == 0xfffe || r == 0xffff
}

// trimExcerpt cleans an excerpt and drops its leading and trailing line
// breaks; indentation is kept.
func trimExcerpt(s string) string {
	return strings.Trim(clean(s), "\n")
}

// firstLine returns the first non-blank line of s, without surrounding
// blanks.
func firstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}

// shorten cuts s to at most n runes, ending a cut string with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}
