package report

import (
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

func TestJUnitStructure(t *testing.T) {
	tests := []struct {
		name      string
		cases     []string // classname/name
		failures  int
		inputsMsg string
	}{
		{"none", []string{"inputs/inputs"}, 0, ""},
		{"several", []string{"error/SFB-CLOCK-SKEW", "warning/SFB-NOT-LICENSED", "warning/SFB-SIP-NOT-ENABLED", "inputs/inputs"}, 4,
			"2 of 4 inputs could not be fully read"},
		{"special", []string{"info/SFB-UNRESOLVED", "inputs/inputs"}, 2, "1 of 1 input could not be fully read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := decodeJUnit(t, render(t, "junit", findCase(t, tt.name)))
			require.Len(t, doc.Suites, 1)
			s := doc.Suites[0]
			assert.Equal(t, "sfblog", s.Name)
			assert.Equal(t, len(tt.cases), s.Tests)
			assert.Equal(t, tt.failures, s.Failures)
			assert.Equal(t, s.Tests, doc.Tests)
			assert.Equal(t, s.Failures, doc.Failures)
			var got []string
			for _, c := range s.Cases {
				got = append(got, c.ClassName+"/"+c.Name)
			}
			assert.Equal(t, tt.cases, got)
			in := s.Cases[len(s.Cases)-1]
			if tt.inputsMsg == "" {
				assert.Nil(t, in.Failure, "inputs passes")
			} else {
				require.NotNil(t, in.Failure)
				assert.Equal(t, tt.inputsMsg, in.Failure.Message)
			}
		})
	}
}

func TestJUnitFailureText(t *testing.T) {
	doc := decodeJUnit(t, render(t, "junit", findCase(t, "several")))
	f := doc.Suites[0].Cases[0].Failure
	require.NotNil(t, f)
	assert.Equal(t, "The computer clock is not in sync with the server clock", f.Message)
	assert.Equal(t, "error", f.Type)
	assert.Equal(t, "The system clock differs from the server clock by more than 5 minutes, so the server rejects the sign-in.\n\n"+
		"First evidence: bundle.zip!/EventLogs/Application.evtx#4711 at 2013-04-16T03:17:00Z\n"+
		"Time-Service 36: The time service has not synchronized the system time for 86400 seconds\n\n"+
		"6 matching events in all.", f.Text)

	in := doc.Suites[0].Cases[3].Failure
	require.NotNil(t, in)
	assert.Equal(t, "bundle.zip!/EventLogs/Application.evtx (evtx): record 7: bad record size; offset 0x11000: chunk checksum mismatch\n"+
		"bundle.zip!/notes/screenshot.png (unrecognized): format not recognized\n", in.Text)
}

// TestJUnitHostileText: "]]>", markup, control characters and
// noncharacters survive as valid XML and decode to the cleaned text.
func TestJUnitHostileText(t *testing.T) {
	r := findCase(t, "special")
	doc := decodeJUnit(t, render(t, "junit", r))
	f := doc.Suites[0].Cases[0].Failure
	require.NotNil(t, f)
	assert.Equal(t, r.Findings[0].Title, f.Message)
	assert.Contains(t, f.Text, "\n]]> \\x1b[31mred\\x1b[0m\\uffff\n")
	assert.Contains(t, f.Text, `<script>alert("x")</script> & &amp;`)
	assert.Contains(t, f.Text, "First evidence: notes/ユーザー|メモ `1`.txt:2 (×2)\n")
}

func TestJUnitNoInputs(t *testing.T) {
	doc := decodeJUnit(t, render(t, "junit", &analyze.Report{}))
	require.Len(t, doc.Suites[0].Cases, 1)
	assert.Equal(t, "inputs", doc.Suites[0].Cases[0].Name)
	assert.Nil(t, doc.Suites[0].Cases[0].Failure)
}
