package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/analyze"
)

// JUnitWriter writes the report as JUnit XML for CI systems: a test suite
// "sfblog" (one per user when the inputs hold several) with a test case
// per finding (class name = the severity, name = the finding id) and a
// test case "inputs". A finding at or above FailOn is a failure; one
// below it passes, with its details in system-out, so that the JUnit
// result agrees with the exit code of --fail-on. Damaged inputs never
// fail (the exit code does not either): the "inputs" case lists them in
// its system-out. The suite's properties hold the verdict and the sign-in
// counts, its system-out the header and the sign-in timeline.
type JUnitWriter struct {
	// FailOn is the --fail-on threshold: "", "none", "info", "warning" or
	// "error"; "" and "none" fail nothing.
	FailOn string
}

var _ Writer = (*JUnitWriter)(nil)

// JUnitSuite is one test suite of a JUnit report.
type JUnitSuite struct {
	Name       string
	Properties []JUnitProperty
	Cases      []JUnitCase
	// SystemOut is the suite's own output (written as <system-out>).
	SystemOut string
}

// JUnitProperty is a name/value property of a test suite.
type JUnitProperty struct {
	Name, Value string
}

// JUnitCase is one test case; it passed when Failure is nil.
type JUnitCase struct {
	ClassName string
	Name      string
	Failure   *JUnitFailure
	// SystemOut is the case's output: the details of a passing case.
	SystemOut string
}

// JUnitFailure says why a test case failed.
type JUnitFailure struct {
	Message string // one line
	Type    string
	Text    string // the details
}

// The XML shape: <testsuites name tests failures errors> holding one
// <testsuite name tests failures errors skipped> per suite, each with
// <properties>, <testcase classname name> (with <failure message type>
// and <system-out>) and its own <system-out>. This is the shape of the
// JUnit XML that Jenkins, GitLab and GitHub test reporters read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
	SystemOut  *junitText       `xml:"system-out,omitempty"`
}

type junitProperties struct {
	Items []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// text returns s cleaned as a <system-out>, or nil when s is empty.
func text(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{Text: clean(s)}
}

// WriteJUnit writes suites as one JUnit XML document named name. All text
// is cleaned of control characters, which XML cannot hold. The
// document is written in one call to w.
func WriteJUnit(w io.Writer, name string, suites []JUnitSuite) error {
	doc := junitSuites{Name: clean(name)}
	for _, s := range suites {
		js := junitSuite{Name: clean(s.Name), SystemOut: text(s.SystemOut)}
		if len(s.Properties) > 0 {
			js.Properties = &junitProperties{}
			for _, p := range s.Properties {
				js.Properties.Items = append(js.Properties.Items, junitProperty{Name: clean(p.Name), Value: clean(p.Value)})
			}
		}
		for _, c := range s.Cases {
			jc := junitCase{ClassName: clean(c.ClassName), Name: clean(c.Name), SystemOut: text(c.SystemOut)}
			if c.Failure != nil {
				jc.Failure = &junitFailure{Message: clean(c.Failure.Message), Type: clean(c.Failure.Type), Text: clean(c.Failure.Text)}
				js.Failures++
			}
			js.Cases = append(js.Cases, jc)
			js.Tests++
		}
		doc.Tests += js.Tests
		doc.Failures += js.Failures
		doc.Suites = append(doc.Suites, js)
	}
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

// Write renders r as JUnit XML to w.
func (j *JUnitWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write junit report: %w", errNilReport)
	}
	var suites []JUnitSuite
	if len(r.Groups) == 0 {
		suites = append(suites, j.suite("sfblog", r, r))
	} else {
		l := lang{}
		for i := range r.Groups {
			g := &r.Groups[i]
			suites = append(suites, j.suite("sfblog: "+l.groupTitle(i, len(r.Groups), g), r, g))
		}
	}
	return WriteJUnit(w, "sfblog", suites)
}

// suite renders one user's part of the report (g; r itself without
// groups) as a test suite; top holds the inputs and the tool.
func (j *JUnitWriter) suite(name string, top, g *analyze.Report) JUnitSuite {
	l := lang{} // CI tools read JUnit: always English
	s := JUnitSuite{
		Name: name,
		Properties: []JUnitProperty{
			{Name: "tool", Value: l.toolLine(top.Tool)},
			{Name: "verdict", Value: l.verdict(g)},
			{Name: "signin.outcome", Value: g.SignIn.Outcome},
			{Name: "signin.attempts", Value: strconv.Itoa(g.SignIn.Attempts)},
			{Name: "signin.failures", Value: strconv.Itoa(g.SignIn.Failures)},
			{Name: "signin.registers", Value: strconv.Itoa(g.SignIn.Registers)},
			{Name: "signin.refusals", Value: strconv.Itoa(g.SignIn.Refusals)},
			{Name: "signin.errors", Value: strconv.Itoa(g.SignIn.Errors)},
			{Name: "fail_on", Value: orDash(j.FailOn)},
		},
		SystemOut: junitSuiteText(top, g),
	}
	for _, p := range []struct{ name, value string }{
		{"signin.first_failure", g.SignIn.FirstFailure},
		{"signin.last_failure", g.SignIn.LastFailure},
		{"signin.succeeded_at", g.SignIn.SucceededAt},
		{"subject.client", strings.TrimSpace(g.Subject.Client + " " + g.Subject.Version)},
		{"subject.address", g.Subject.Address},
		{"subject.computer", g.Subject.Computer},
	} {
		if p.value != "" {
			s.Properties = append(s.Properties, JUnitProperty{Name: p.name, Value: p.value})
		}
	}
	for i := range g.Findings {
		f := &g.Findings[i]
		c := JUnitCase{ClassName: f.Severity, Name: f.ID}
		if AtOrAbove(f.Severity, j.FailOn) {
			c.Failure = &JUnitFailure{Message: f.Title, Type: f.Severity, Text: junitFindingText(f)}
		} else {
			c.SystemOut = f.Title + "\n\n" + junitFindingText(f)
		}
		s.Cases = append(s.Cases, c)
	}
	inputs := JUnitCase{ClassName: "inputs", Name: "inputs"}
	if bad := problemInputs(top); len(bad) > 0 {
		var t strings.Builder
		t.WriteString(l.inputsHeadline(len(bad), len(top.Inputs)) + ":\n")
		for _, in := range bad {
			fmt.Fprintf(&t, "%s (%s): %s\n", in.Path, in.Format, l.inputProblem(in))
		}
		inputs.SystemOut = t.String()
	}
	s.Cases = append(s.Cases, inputs)
	return s
}

// junitSuiteText is a suite's system-out: verdict, header, missing
// evidence, timeline and ruled-out causes, in plain English.
func junitSuiteText(top, g *analyze.Report) string {
	l := lang{}
	var b strings.Builder
	b.WriteString(l.verdict(g) + "\n")
	for _, f := range l.headerFields(g) {
		b.WriteString(f.Label + ": " + f.Value + "\n")
	}
	if len(top.Inputs) > 0 {
		b.WriteString("\nInputs:\n")
		for _, in := range top.Inputs {
			b.WriteString("  " + in.Path + ": " + l.inputSummary(in) + "\n")
		}
	}
	missing := g.Missing
	if g != top {
		missing = append(append([]analyze.Advice(nil), top.Missing...), g.Missing...)
	}
	if len(missing) > 0 {
		b.WriteString("\n" + l.t("Missing evidence: collect it and run sfblog again") + "\n")
		for _, a := range missing {
			b.WriteString("  " + l.evidenceName(a.Evidence) + ": " + a.Why + "\n")
			if a.Command != "" {
				b.WriteString("    " + strings.ReplaceAll(strings.TrimSpace(a.Command), "\n", "\n    ") + "\n")
			}
		}
	}
	if len(g.Attempts) > 0 {
		b.WriteString("\n" + l.f("Sign-in timeline (%s):", l.count(len(g.Attempts), "%d attempt", "%d attempts")) + "\n")
		for _, e := range timeline(g.Attempts, " · ") {
			line := "  " + entryNumber(e, "-") + ". " + l.entryTime(e) + " " + e.Outcome
			if e.Short != "" {
				line += " " + e.Short
			}
			if e.Count() > 1 {
				line += " " + l.f("(%d alike attempts)", e.Count())
			}
			b.WriteString(line + "\n")
			if len(e.Servers) > 0 {
				b.WriteString("     Servers: " + strings.Join(e.Servers, ", ") + "\n")
			}
			if len(e.Auth) > 0 {
				b.WriteString("     Authentication: " + strings.Join(e.Auth, "; ") + "\n")
			}
			if e.Decisive != "" {
				b.WriteString("     Response: " + e.Decisive + "\n")
			}
			if len(e.Findings) > 0 {
				b.WriteString("     " + l.f("supports %s", strings.Join(e.Findings, ", ")) + "\n")
			}
		}
	}
	if len(g.RuledOut) > 0 {
		b.WriteString("\nRuled out by the evidence:\n")
		for _, ro := range g.RuledOut {
			b.WriteString("  " + l.ruledOutLine(ro, ruledOutWhere(ro)) + "\n")
		}
	}
	return b.String()
}

// junitFindingText is a finding's details: the cause, the deciding
// evidence with its location and excerpt, what to collect and the
// commands, and how many events matched.
func junitFindingText(f *analyze.Finding) string {
	var b strings.Builder
	b.WriteString(f.Cause)
	if d, ok := deciding(f); ok {
		b.WriteString("\n\nDeciding evidence: " + location(d))
		if d.Time != "" {
			b.WriteString(" at " + d.Time)
		}
		if d.Count > 1 {
			fmt.Fprintf(&b, " (×%d)", d.Count)
		}
		b.WriteString("\n" + trimExcerpt(d.Excerpt))
	}
	if f.Collect != "" || len(f.Commands) > 0 {
		b.WriteString("\n\nTo decide, collect: " + f.Collect)
		for _, c := range f.Commands {
			b.WriteString("\n  " + c)
		}
	}
	if n := totalEvents(f); n > 1 {
		fmt.Fprintf(&b, "\n\n%s in all.", lang{}.count(n, "%d matching event", "%d matching events"))
	}
	return b.String()
}
