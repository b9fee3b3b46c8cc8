package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

// decodeJUnit parses JUnit output strictly.
func decodeJUnit(t *testing.T, out string) junitSuites {
	t.Helper()
	require.True(t, strings.HasPrefix(out, xml.Header))
	var doc junitSuites
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = true
	require.NoError(t, dec.Decode(&doc))
	return doc
}

// renderJUnit renders a test case as JUnit with a --fail-on threshold.
func renderJUnit(t *testing.T, name, failOn string) junitSuites {
	t.Helper()
	return decodeJUnit(t, renderOpt(t, "junit", findCase(t, name), Options{FailOn: failOn}))
}

// TestJUnitFollowsFailOn: a finding at or above --fail-on is a failure,
// one below it passes with its details in system-out; --fail-on none
// fails nothing, as the exit code.
func TestJUnitFollowsFailOn(t *testing.T) {
	tests := []struct {
		failOn   string
		failures []string
	}{
		{"", nil},
		{"none", nil},
		{"error", []string{"SFB-CLOCK-SKEW"}},
		{"warning", []string{"SFB-CLOCK-SKEW", "SFB-NOT-LICENSED", "SFB-SIP-NOT-ENABLED"}},
		{"info", []string{"SFB-CLOCK-SKEW", "SFB-NOT-LICENSED", "SFB-SIP-NOT-ENABLED"}},
	}
	for _, tt := range tests {
		t.Run(tt.failOn, func(t *testing.T) {
			doc := renderJUnit(t, "several", tt.failOn)
			require.Len(t, doc.Suites, 1)
			s := doc.Suites[0]
			var failed []string
			for _, c := range s.Cases {
				if c.Failure != nil {
					failed = append(failed, c.Name)
					assert.Nil(t, c.SystemOut, "a failure carries its details in <failure>")
				} else if c.Name != "inputs" {
					require.NotNil(t, c.SystemOut, "%s passes with its details", c.Name)
					assert.Contains(t, c.SystemOut.Text, "Deciding evidence: ")
				}
			}
			assert.Equal(t, tt.failures, failed)
			assert.Equal(t, len(tt.failures), s.Failures)
			assert.Equal(t, 4, s.Tests)
			assert.Equal(t, s.Failures, doc.Failures)
			assert.Equal(t, s.Tests, doc.Tests)
		})
	}
}

func TestJUnitStructure(t *testing.T) {
	tests := []struct {
		name   string
		suites []string
		cases  []string // classname/name of the first suite
	}{
		{"none", []string{"sfblog"}, []string{"inputs/inputs"}},
		{"several", []string{"sfblog"}, []string{"error/SFB-CLOCK-SKEW", "warning/SFB-NOT-LICENSED", "warning/SFB-SIP-NOT-ENABLED", "inputs/inputs"}},
		{"special", []string{"sfblog"}, []string{"info/SFB-UNRESOLVED", "inputs/inputs"}},
		{"groups", []string{"sfblog: User 1 of 2: bob@contoso.com", "sfblog: User 2 of 2: carol@contoso.com"},
			[]string{"error/SFB-SIP-NOT-ENABLED", "inputs/inputs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderJUnit(t, tt.name, "warning")
			assert.Equal(t, "sfblog", doc.Name)
			var names []string
			for _, s := range doc.Suites {
				names = append(names, s.Name)
			}
			assert.Equal(t, tt.suites, names)
			var got []string
			for _, c := range doc.Suites[0].Cases {
				got = append(got, c.ClassName+"/"+c.Name)
			}
			assert.Equal(t, tt.cases, got)
		})
	}
}

func TestJUnitFailureText(t *testing.T) {
	doc := renderJUnit(t, "several", "error")
	f := doc.Suites[0].Cases[0].Failure
	require.NotNil(t, f)
	assert.Equal(t, "The computer clock is not in sync with the server clock", f.Message)
	assert.Equal(t, "error", f.Type)
	assert.Equal(t, "The system clock differs from the server clock by more than 5 minutes, so the server rejects the sign-in.\n\n"+
		"Deciding evidence: bundle.zip!/EventLogs/Application.evtx#4711 at 2013-04-16T03:17:00Z\n"+
		"Time-Service 36: The time service has not synchronized the system time for 86400 seconds\n\n"+
		"6 matching events in all.", f.Text)

	// A possible finding below the threshold passes, with what to collect.
	out := doc.Suites[0].Cases[1].SystemOut
	require.NotNil(t, out)
	assert.True(t, strings.HasPrefix(out.Text, "The user is not licensed for Skype for Business Online\n\n"))
	assert.Contains(t, out.Text, "\n\nTo decide, collect: The user's licenses in the admin center.")

	// Damaged inputs do not fail (the exit code does not either): the
	// "inputs" case says what could not be read.
	in := doc.Suites[0].Cases[3]
	assert.Nil(t, in.Failure)
	require.NotNil(t, in.SystemOut)
	assert.Equal(t, "2 of 4 inputs could not be fully read:\n"+
		"bundle.zip!/EventLogs/Application.evtx (evtx): record 7: bad record size; offset 0x11000: chunk checksum mismatch\n"+
		"bundle.zip!/notes/screenshot.png (unrecognized): format not recognized\n", in.SystemOut.Text)
}

// TestJUnitTimeline: the suite's properties hold the verdict and the
// sign-in counts; its system-out the header and the timeline.
func TestJUnitTimeline(t *testing.T) {
	doc := renderJUnit(t, "sip", "error")
	s := doc.Suites[0]
	props := map[string]string{}
	require.NotNil(t, s.Properties)
	for _, p := range s.Properties.Items {
		props[p.Name] = p.Value
	}
	assert.Equal(t, "recovered", props["signin.outcome"])
	assert.Equal(t, "5", props["signin.attempts"])
	assert.Equal(t, "4", props["signin.failures"])
	assert.Equal(t, "15", props["signin.registers"])
	assert.Equal(t, "4", props["signin.refusals"])
	assert.Equal(t, "2017-06-15T09:14:01.655", props["signin.succeeded_at"])
	assert.Equal(t, "Lync 2013 15.0.4420.1017", props["subject.client"])
	assert.Equal(t, "error", props["fail_on"])
	require.NotNil(t, s.SystemOut)
	assert.Contains(t, s.SystemOut.Text, "\nSign-in timeline (5 attempts):\n  1. 2017-06-15T09:02:10.112 failed 404 · 4005\n     Servers: sipdir.online.lync.com, sippoolbl20a05.infra.lync.com\n")
	assert.Contains(t, s.SystemOut.Text, "\nRuled out by the evidence:\n  SFB-SERVER-UNAVAILABLE-DNS ruled out by bob-bundle.zip!/dns-sip.txt:5: sip.contoso.com is a CNAME to sipdir.online.lync.com\n")

	ev := renderJUnit(t, "evtx", "none")
	require.NotNil(t, ev.Suites[0].SystemOut)
	assert.Contains(t, ev.Suites[0].SystemOut.Text, "\nMissing evidence: collect it and run sfblog again\n  Client logs (UccApilog): ")
}

// TestJUnitHostileText: "]]>", markup, control characters and
// noncharacters survive as valid XML and decode to the cleaned text.
func TestJUnitHostileText(t *testing.T) {
	r := findCase(t, "special")
	doc := decodeJUnit(t, renderOpt(t, "junit", r, Options{FailOn: "info"}))
	f := doc.Suites[0].Cases[0].Failure
	require.NotNil(t, f)
	assert.Equal(t, r.Findings[0].Title, f.Message)
	assert.Contains(t, f.Text, "\n]]> \\x1b[31mred\\x1b[0m\\uffff\n")
	assert.Contains(t, f.Text, `<script>alert("x")</script> & &amp;`)
	assert.Contains(t, f.Text, "Deciding evidence: notes/ユーザー|メモ `1`.txt:2 (×2)\n")
}

func TestJUnitNoInputs(t *testing.T) {
	doc := decodeJUnit(t, render(t, "junit", &analyze.Report{}))
	require.Len(t, doc.Suites[0].Cases, 1)
	assert.Equal(t, "inputs", doc.Suites[0].Cases[0].Name)
	assert.Nil(t, doc.Suites[0].Cases[0].Failure)
	assert.Nil(t, doc.Suites[0].Cases[0].SystemOut)
}

// TestWriteJUnit: the shape regress writes through the same API.
func TestWriteJUnit(t *testing.T) {
	var buf bytes.Buffer
	err := WriteJUnit(&buf, "sfblog regress", []JUnitSuite{{
		Name: "sfblog regress",
		Cases: []JUnitCase{
			{ClassName: "sfblog.regress", Name: "clock-skew"},
			{ClassName: "sfblog.regress", Name: "sip-not-enabled", Failure: &JUnitFailure{Message: "missing SFB-SIP-NOT-ENABLED\x1b[0m", Type: "regress"}},
		},
	}})
	require.NoError(t, err)
	assert.Equal(t, xml.Header+`<testsuites name="sfblog regress" tests="2" failures="1" errors="0">
  <testsuite name="sfblog regress" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="sfblog.regress" name="clock-skew"></testcase>
    <testcase classname="sfblog.regress" name="sip-not-enabled">
      <failure message="missing SFB-SIP-NOT-ENABLED\x1b[0m" type="regress"></failure>
    </testcase>
  </testsuite>
</testsuites>
`, buf.String())
	doc := decodeJUnit(t, buf.String())
	assert.Equal(t, 2, doc.Tests)

	err = WriteJUnit(failWriter{}, "x", nil)
	require.ErrorIs(t, err, errDiskFull)
}
