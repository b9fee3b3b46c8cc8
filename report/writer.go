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
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/internal/termesc"
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
	// Width is the terminal's width in columns for the table format: pass
	// the terminal's width when standard output is a terminal, 0 otherwise
	// (then DefaultWidth). No line of the table report is wider, measured
	// in display columns (a CJK character takes two). Widths below
	// MinWidth are taken as MinWidth.
	Width int
	// FailOn is the --fail-on threshold: "", "none", "info", "warning" or
	// "error". JUnit marks a finding at or above it as a failure; a finding
	// below it is a passing test case with its details in system-out.
	FailOn string
}

// Table widths: DefaultWidth when the caller does not know the terminal's
// width; below WideWidth the table report lays each finding out as a
// block, from WideWidth on it adds column tables; MinWidth is the
// narrowest layout.
const (
	DefaultWidth = 100
	WideWidth    = 120
	MinWidth     = 40
)

// FailOnLevels lists the values Options.FailOn accepts, as --fail-on
// documents them.
func FailOnLevels() []string { return []string{"none", "info", "warning", "error"} }

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
	if opt.FailOn != "" && !slices.Contains(FailOnLevels(), opt.FailOn) {
		return nil, fmt.Errorf("unknown --fail-on level %q (valid: %s)", opt.FailOn, strings.Join(FailOnLevels(), ", "))
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "table":
		return &TableWriter{Color: opt.Color, Lang: opt.Lang, Width: opt.Width}, nil
	case "markdown":
		return &MarkdownWriter{Lang: opt.Lang}, nil
	case "json":
		return &JSONWriter{}, nil
	case "junit":
		return &JUnitWriter{FailOn: opt.FailOn}, nil
	case "html":
		return &HTMLWriter{Lang: opt.Lang}, nil
	}
	return nil, fmt.Errorf("unknown report format %q (valid: %s)", format, strings.Join(Formats(), ", "))
}

// AtOrAbove reports whether a finding of severity sev reaches the
// --fail-on threshold failOn ("" and "none" are never reached).
func AtOrAbove(sev, failOn string) bool {
	rank := map[string]int{analyze.SeverityInfo: 1, analyze.SeverityWarning: 2, analyze.SeverityError: 3}
	t, ok := rank[failOn]
	return ok && rank[sev] >= t
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
// "Sign-in failed for bob@contoso.com: 2 findings (1 error, 1 warning)",
// "Sign-in for bob@contoso.com failed 4 times between T1 and T2, then
// succeeded at T3: 1 finding (1 error)".
func (l lang) verdict(r *analyze.Report) string {
	if len(r.Groups) > 0 {
		return l.groupsHeadline(len(r.Groups)) + l.t(": ") + l.findingsPhrase(r.Summary)
	}
	s := r.SignIn
	addr := s.Address
	if addr == "" {
		addr = r.Subject.Address
	}
	var head string
	switch s.Outcome {
	case analyze.OutcomeFailed:
		head = l.t("Sign-in failed")
		if addr != "" {
			head = l.f("Sign-in failed for %s", addr)
		}
	case analyze.OutcomeSucceeded:
		head = l.t("Sign-in succeeded")
		if addr != "" {
			head = l.f("Sign-in succeeded for %s", addr)
		}
	case analyze.OutcomeRecovered:
		head = l.recovered(s, addr)
	default:
		head = l.t("No sign-in attempt in the inputs")
	}
	return head + l.t(": ") + l.findingsPhrase(r.Summary)
}

// recovered renders the verdict of a sign-in that failed, then succeeded.
func (l lang) recovered(s analyze.SignIn, addr string) string {
	times := l.count(s.Failures, "once", "%d times")
	switch {
	case addr != "" && s.FirstFailure != "" && s.SucceededAt != "":
		return l.f("Sign-in for %[1]s failed %[2]s between %[3]s and %[4]s, then succeeded at %[5]s",
			addr, times, s.FirstFailure, orDash(s.LastFailure), s.SucceededAt)
	case s.FirstFailure != "" && s.SucceededAt != "":
		return l.f("Sign-in failed %[1]s between %[2]s and %[3]s, then succeeded at %[4]s",
			times, s.FirstFailure, orDash(s.LastFailure), s.SucceededAt)
	case addr != "":
		return l.f("Sign-in for %[1]s failed %[2]s, then succeeded", addr, times)
	}
	return l.f("Sign-in failed %s, then succeeded", times)
}

// findingsPhrase renders a summary as "2 findings (1 error, 1 warning)" or
// "no findings".
func (l lang) findingsPhrase(s analyze.Summary) string {
	if s.Findings == 0 {
		return l.t("no findings")
	}
	var parts []string
	if s.Error > 0 {
		parts = append(parts, l.count(s.Error, "%d error", "%d errors"))
	}
	if s.Warning > 0 {
		parts = append(parts, l.count(s.Warning, "%d warning", "%d warnings"))
	}
	if s.Info > 0 {
		parts = append(parts, l.count(s.Info, "%d info", "%d info"))
	}
	p := l.count(s.Findings, "%d finding", "%d findings")
	if len(parts) > 0 {
		p += l.t(" (") + strings.Join(parts, l.t(", ")) + l.t(")")
	}
	return p
}

// noFindings says that nothing known was found, and in how much.
func (l lang) noFindings(r *analyze.Report) string {
	return l.f("No known sign-in problem was found in %s (%s).",
		l.count(len(r.Inputs), "%d input", "%d inputs"), l.count(totalInputEvents(r), "%d event", "%d events"))
}

// totalInputEvents sums the events read from all inputs.
func totalInputEvents(r *analyze.Report) int {
	n := 0
	for _, in := range r.Inputs {
		n += in.Events
	}
	return n
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
func (l lang) inputProblem(in analyze.Input) string {
	if len(in.Errors) == 0 {
		return l.t("format not recognized")
	}
	return strings.Join(in.Errors, "; ")
}

// inputsHeadline renders "3 of 7 inputs could not be fully read".
func (l lang) inputsHeadline(bad, all int) string {
	if all == 1 {
		return l.f("%[1]d of %[2]d input could not be fully read", bad, all)
	}
	return l.f("%[1]d of %[2]d inputs could not be fully read", bad, all)
}

// clean makes text from the inputs safe to show: CRLF becomes LF, and
// control characters other than tab and newline (terminal escapes, NUL, a
// lone CR), the noncharacters U+FFFE and U+FFFF (invalid in XML) and the
// bidirectional overrides and isolates (termesc.Special) are shown as \xNN
// or \uNNNN instead of being passed to the reader's terminal or document. Invalid UTF-8 becomes U+FFFD.
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
		case termesc.Special(r):
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
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || termesc.Special(r) {
			return false
		}
	}
	return true
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
