package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/analyze"
)

// JUnitWriter writes the report as JUnit XML for CI systems: one test
// suite "sfblog" with a failing test case per finding (class name = the
// severity, name = the finding id) and a test case "inputs" that fails
// when some input could not be fully read.
type JUnitWriter struct{}

var _ Writer = (*JUnitWriter)(nil)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// Write renders r as JUnit XML to w.
func (*JUnitWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write junit report: %w", errNilReport)
	}
	l := lang{} // CI tools read JUnit: always English
	suite := junitSuite{
		Name: "sfblog",
		Properties: []junitProperty{
			{Name: "tool", Value: clean(toolLine(r.Tool))},
			{Name: "verdict", Value: clean(l.verdict(r))},
			{Name: "signin.outcome", Value: clean(r.SignIn.Outcome)},
		},
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		suite.Cases = append(suite.Cases, junitCase{
			ClassName: clean(f.Severity),
			Name:      clean(f.ID),
			Failure: &junitFailure{
				Message: clean(f.Title),
				Type:    clean(f.Severity),
				Text:    junitFindingText(f),
			},
		})
	}
	inputs := junitCase{ClassName: "inputs", Name: "inputs"}
	if bad := problemInputs(r); len(bad) > 0 {
		var text strings.Builder
		for _, in := range bad {
			fmt.Fprintf(&text, "%s (%s): %s\n", in.Path, in.Format, inputProblem(in))
		}
		inputs.Failure = &junitFailure{
			Message: l.inputsHeadline(len(bad), len(r.Inputs)),
			Type:    "inputs",
			Text:    clean(text.String()),
		}
	}
	suite.Cases = append(suite.Cases, inputs)
	for _, c := range suite.Cases {
		suite.Tests++
		if c.Failure != nil {
			suite.Failures++
		}
	}

	doc := junitSuites{Name: "sfblog", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit report: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode junit report: %w", err)
	}
	buf.WriteString("\n")
	return flush(w, &buf, "junit")
}

// junitFindingText is a finding's failure text: the cause, then where the
// first evidence was seen and its excerpt.
func junitFindingText(f *analyze.Finding) string {
	var b strings.Builder
	b.WriteString(f.Cause)
	if len(f.Evidence) > 0 {
		e := f.Evidence[0]
		b.WriteString("\n\nFirst evidence: " + location(e))
		if e.Time != "" {
			b.WriteString(" at " + e.Time)
		}
		if e.Count > 1 {
			fmt.Fprintf(&b, " (×%d)", e.Count)
		}
		b.WriteString("\n" + trimExcerpt(e.Excerpt))
	}
	if n := totalEvents(f); n > 1 {
		fmt.Fprintf(&b, "\n\n%s in all.", lang{}.plural(n, "matching event"))
	}
	return clean(b.String())
}
