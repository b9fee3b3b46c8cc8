package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/analyze"
)

// HTMLWriter writes the report as one self-contained HTML page (inline
// CSS, no scripts, no external resources) with the content of the
// Markdown report. All text from the report is escaped by html/template.
type HTMLWriter struct {
	Lang string // "" or "en": English; "ja": Japanese
}

var _ Writer = (*HTMLWriter)(nil)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate is parsed once; a parsed template is safe for concurrent
// use and is never changed after parsing.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// htmlView is what the template renders: the report, already turned into
// the strings and pieces the page shows.
type htmlView struct {
	Verdict       string
	VerdictClass  string
	Details       string
	NoFindings    string
	Findings      []htmlFinding
	InputsHead    string
	Inputs        []htmlInput
	Tool          string
	SchemaVersion int
}

type htmlFinding struct {
	Anchor     string
	ID         string
	Title      string
	Severity   string
	Confidence string
	Total      int
	Message    string
	Cause      []htmlSpan
	Collect    []htmlSpan
	Remedy     [][]htmlSpan
	Links      []string
	Evidence   []htmlEvidence
	More       int
}

type htmlEvidence struct {
	Location string
	Time     string
	Count    int
	Excerpt  string
}

type htmlInput struct {
	Path      string
	Format    string
	Events    int
	FirstTime string
	LastTime  string
	Errors    []string
	Problem   bool
}

// htmlSpan is a piece of catalog text: code (marked with backticks in the
// catalog) or plain text.
type htmlSpan struct {
	Code bool
	Text string
}

// Write renders r as an HTML page to w.
func (h *HTMLWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write html report: %w", errNilReport)
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, newHTMLView(r, newLang(h.Lang))); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	return flush(w, &buf, "html")
}

// newHTMLView prepares r for the template.
func newHTMLView(r *analyze.Report, l lang) htmlView {
	v := htmlView{
		Verdict:       clean(l.verdict(r)),
		VerdictClass:  "unknown",
		Details:       clean(l.signInDetails(r)),
		Tool:          clean(toolLine(r.Tool)),
		SchemaVersion: r.SchemaVersion,
	}
	switch r.SignIn.Outcome {
	case analyze.OutcomeFailed, analyze.OutcomeSucceeded:
		v.VerdictClass = r.SignIn.Outcome
	}
	if len(r.Findings) == 0 {
		v.NoFindings = l.f("No known sign-in problem was found in %s (%s).",
			l.plural(len(r.Inputs), "input"), l.plural(totalInputEvents(r), "event"))
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		hf := htmlFinding{
			Anchor:     "finding-" + strconv.Itoa(i+1),
			ID:         clean(f.ID),
			Title:      clean(f.Title),
			Severity:   clean(f.Severity),
			Confidence: clean(f.Confidence),
			Total:      totalEvents(f),
			Message:    clean(f.Message),
			Cause:      codeSpans(clean(f.Cause)),
			Collect:    codeSpans(clean(f.Collect)),
			More:       totalEvents(f) - shownEvents(f),
		}
		for _, step := range f.Remedy {
			hf.Remedy = append(hf.Remedy, codeSpans(clean(step)))
		}
		for _, l := range f.Links {
			hf.Links = append(hf.Links, clean(l))
		}
		for _, e := range f.Evidence {
			hf.Evidence = append(hf.Evidence, htmlEvidence{
				Location: clean(location(e)),
				Time:     clean(e.Time),
				Count:    e.Count,
				Excerpt:  trimExcerpt(e.Excerpt),
			})
		}
		v.Findings = append(v.Findings, hf)
	}
	if bad := problemInputs(r); len(bad) > 0 {
		v.InputsHead = l.inputsHeadline(len(bad), len(r.Inputs)) + "."
	}
	for _, in := range r.Inputs {
		hi := htmlInput{
			Path:      clean(in.Path),
			Format:    clean(in.Format),
			Events:    in.Events,
			FirstTime: clean(in.FirstTime),
			LastTime:  clean(in.LastTime),
			Problem:   len(in.Errors) > 0 || in.Format == "unrecognized",
		}
		for _, e := range in.Errors {
			hi.Errors = append(hi.Errors, clean(e))
		}
		v.Inputs = append(v.Inputs, hi)
	}
	return v
}

// codeSpans splits catalog text into plain text and code spans (a run of
// n backticks closed by a run of exactly n backticks, as in Markdown).
// Unclosed backticks stay plain text.
func codeSpans(s string) []htmlSpan {
	var out []htmlSpan
	plain := func(t string) {
		if t == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && !out[k].Code {
			out[k].Text += t
			return
		}
		out = append(out, htmlSpan{Text: t})
	}
	for s != "" {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			plain(s)
			break
		}
		n := runAt(s, start)
		end := closingRun(s, start+n, n)
		if end < 0 {
			plain(s[:start+n])
			s = s[start+n:]
			continue
		}
		plain(s[:start])
		code := s[start+n : end]
		if len(code) > 1 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
			code = code[1 : len(code)-1]
		}
		out = append(out, htmlSpan{Code: true, Text: code})
		s = s[end+n:]
	}
	return out
}
