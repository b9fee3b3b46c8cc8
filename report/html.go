package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/analyze"
)

// HTMLWriter writes the report as one self-contained HTML page (inline
// CSS and SVG, no scripts, no external resources) with the content of the
// Markdown report and a picture of the sign-in timeline. All text from the
// report is escaped by html/template.
type HTMLWriter struct {
	Lang string // "" or "en": English; "ja": Japanese
}

var _ Writer = (*HTMLWriter)(nil)

//go:embed html.tmpl
var htmlSource string

// htmlTemplate returns the page template, parsed on first use and never
// executed: each Write executes a clone with the translation function of
// its language ("t").
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"t": func(s string) string { return s },
	}).Parse(htmlSource))
})

// htmlView is what the template renders: the report, already turned into
// the strings and pieces the page shows.
type htmlView struct {
	Lang          string
	Verdict       string
	VerdictClass  string
	Body          *htmlBody // nil when the report has groups
	Missing       []htmlAdvice
	InputsHead    string
	Inputs        []htmlInput
	Groups        []htmlGroup
	Tool          string
	SchemaVersion int
}

// htmlBody is one user's part of the page.
type htmlBody struct {
	Prefix     string // of anchors and ids, unique in the page
	Fields     []field
	Damaged    string
	Missing    []htmlAdvice
	NoFindings string
	Findings   []htmlFinding
	Counts     string
	SVG        *svgView
	Timeline   []htmlEntry
	RuledOut   []htmlRuledOut
}

type htmlGroup struct {
	Anchor       string
	Title        string
	Verdict      string
	VerdictClass string
	Body         *htmlBody
	Inputs       []string
}

type htmlAdvice struct {
	Name    string
	Why     string
	Command string
}

type htmlFinding struct {
	Anchor     string
	ID         string
	Title      string
	Severity   string // the class: error, warning, info
	SevName    string // translated
	Confidence string
	Total      int
	Deciding   *htmlEvidence
	DecLines   string
	Message    string
	Cause      []htmlSpan
	Collect    []htmlSpan
	Commands   string
	Remedy     [][]htmlSpan
	Links      []string
	EvHead     string
	Evidence   []htmlEvidence
	More       string
}

type htmlEvidence struct {
	Location string
	Time     string
	Count    int
	Excerpt  string
}

type htmlEntry struct {
	Number   string
	Time     string
	Outcome  string // class
	Name     string
	Servers  []string
	Auth     string
	Short    string
	Decisive string
	At       string
	Alike    string
	Findings []string
}

type htmlRuledOut struct {
	Text  string // "SFB-X ruled out by path:line: reason"
	Title string
}

type htmlInput struct {
	Path      string
	Format    string
	Events    int
	Held      string
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
	l := newLang(h.Lang)
	tmpl, err := htmlTemplate().Clone()
	if err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	tmpl.Funcs(template.FuncMap{"t": l.t})
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, newHTMLView(r, l)); err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	return flush(w, &buf, "html")
}

// verdictClass is the CSS class of a verdict.
func verdictClass(r *analyze.Report) string {
	switch r.SignIn.Outcome {
	case analyze.OutcomeFailed, analyze.OutcomeSucceeded, analyze.OutcomeRecovered:
		if len(r.Groups) == 0 {
			return r.SignIn.Outcome
		}
	}
	return "unknown"
}

// newHTMLView prepares r for the template.
func newHTMLView(r *analyze.Report, l lang) htmlView {
	v := htmlView{
		Lang:          "en",
		Verdict:       clean(l.verdict(r)),
		VerdictClass:  verdictClass(r),
		Tool:          clean(l.toolLine(r.Tool)),
		SchemaVersion: r.SchemaVersion,
	}
	if l.ja {
		v.Lang = "ja"
	}
	if len(r.Groups) == 0 {
		v.Body = newHTMLBody(r, l, "")
	} else {
		v.Missing = htmlMissing(r.Missing, l)
	}
	if bad := problemInputs(r); len(bad) > 0 {
		v.InputsHead = l.inputsHeadline(len(bad), len(r.Inputs)) + l.t(".")
	}
	for _, in := range r.Inputs {
		hi := htmlInput{
			Path:      clean(in.Path),
			Format:    clean(in.Format),
			Events:    in.Events,
			Held:      clean(l.kindsPhrase(in.Kinds)),
			FirstTime: clean(in.FirstTime),
			LastTime:  clean(in.LastTime),
			Problem:   len(in.Errors) > 0 || in.Format == "unrecognized",
		}
		for _, n := range l.inputNotes(in) {
			if hi.Held != "" {
				n = hi.Held + l.t("; ") + n
			}
			hi.Held = clean(n)
		}
		for _, e := range in.Errors {
			hi.Errors = append(hi.Errors, clean(e))
		}
		if in.Format == "unrecognized" && len(in.Errors) == 0 {
			hi.Errors = append(hi.Errors, l.inputProblem(in))
		}
		v.Inputs = append(v.Inputs, hi)
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		prefix := "u" + strconv.Itoa(i+1) + "-"
		hg := htmlGroup{
			Anchor:       "user-" + strconv.Itoa(i+1),
			Title:        clean(l.groupTitle(i, len(r.Groups), g)),
			Verdict:      clean(l.verdict(g)),
			VerdictClass: verdictClass(g),
			Body:         newHTMLBody(g, l, prefix),
		}
		for _, in := range g.Inputs {
			hg.Inputs = append(hg.Inputs, clean(in.Path))
		}
		v.Groups = append(v.Groups, hg)
	}
	return v
}

// htmlMissing prepares the missing-evidence advice.
func htmlMissing(as []analyze.Advice, l lang) []htmlAdvice {
	out := make([]htmlAdvice, 0, len(as))
	for _, a := range as {
		out = append(out, htmlAdvice{Name: l.evidenceName(clean(a.Evidence)), Why: clean(a.Why), Command: strings.TrimSpace(clean(a.Command))})
	}
	return out
}

// newHTMLBody prepares one user's part of the page.
func newHTMLBody(r *analyze.Report, l lang, prefix string) *htmlBody {
	b := &htmlBody{Prefix: prefix, Missing: htmlMissing(r.Missing, l)}
	for _, f := range l.headerFields(r) {
		f.Value = clean(f.Value)
		b.Fields = append(b.Fields, f)
	}
	if bad := problemInputs(r); len(bad) > 0 && len(r.Groups) == 0 {
		b.Damaged = l.inputsHeadline(len(bad), len(r.Inputs)) + l.t(" (see Inputs below)") + l.t(".")
	}
	if len(r.Findings) == 0 {
		b.NoFindings = l.noFindings(r)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		hf := htmlFinding{
			Anchor:     prefix + "finding-" + strconv.Itoa(i+1),
			ID:         clean(f.ID),
			Title:      clean(f.Title),
			Severity:   clean(f.Severity),
			SevName:    clean(l.severityName(f.Severity)),
			Confidence: clean(l.confidenceName(f.Confidence)),
			Total:      totalEvents(f),
			Message:    clean(f.Message),
			Cause:      codeSpans(clean(f.Cause)),
			Collect:    codeSpans(clean(f.Collect)),
			Commands:   clean(strings.Join(f.Commands, "\n")),
			EvHead:     l.f("Evidence (%s):", l.count(totalEvents(f), "%d event", "%d events")),
		}
		if more := totalEvents(f) - shownEvents(f); more > 0 {
			hf.More = l.f("… and %d more", more)
		}
		if d, ok := deciding(f); ok {
			hf.Deciding = &htmlEvidence{Location: clean(location(d)), Time: clean(d.Time), Count: d.Count}
			hf.DecLines = strings.Join(decidingLines(d.Excerpt), "\n")
		}
		for _, step := range f.Remedy {
			hf.Remedy = append(hf.Remedy, codeSpans(clean(step)))
		}
		for _, link := range f.Links {
			hf.Links = append(hf.Links, clean(link))
		}
		for _, e := range f.Evidence {
			hf.Evidence = append(hf.Evidence, htmlEvidence{
				Location: clean(location(e)),
				Time:     clean(e.Time),
				Count:    e.Count,
				Excerpt:  trimExcerpt(e.Excerpt),
			})
		}
		b.Findings = append(b.Findings, hf)
	}
	if len(r.Attempts) > 0 {
		b.Counts = clean(l.signInCounts(r.SignIn))
		b.SVG = newSVGView(r, l, prefix+"timeline")
		for _, e := range timeline(r.Attempts, " · ") {
			he := htmlEntry{
				Number:   entryNumber(e, "–"),
				Time:     clean(l.entryTime(e)),
				Outcome:  markClass(e.Outcome),
				Name:     l.outcomeName(e.Outcome),
				Auth:     clean(strings.Join(e.Auth, "; ")),
				Short:    clean(e.Short),
				Decisive: clean(e.Decisive),
			}
			for _, s := range e.Servers {
				he.Servers = append(he.Servers, clean(s))
			}
			for _, id := range e.Findings {
				he.Findings = append(he.Findings, clean(id))
			}
			if e.Path != "" {
				he.At = clean(location(analyze.Evidence{Path: e.Path, Line: e.Line}))
			}
			if e.Count() > 1 {
				he.Alike = l.f("(%d alike attempts)", e.Count())
			}
			b.Timeline = append(b.Timeline, he)
		}
	}
	for _, ro := range r.RuledOut {
		b.RuledOut = append(b.RuledOut, htmlRuledOut{Text: clean(l.ruledOutLine(ro, ruledOutWhere(ro))), Title: clean(ro.Title)})
	}
	return b
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
