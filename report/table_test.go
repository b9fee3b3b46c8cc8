package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

func renderTableOpt(t *testing.T, r *analyze.Report, color bool) string {
	t.Helper()
	w, err := New("table", Options{Color: color})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf, r))
	return buf.String()
}

func TestTableColor(t *testing.T) {
	r := findCase(t, "several")
	plain := renderTableOpt(t, r, false)
	assert.NotContains(t, plain, "\x1b")

	colored := renderTableOpt(t, r, true)
	assert.Contains(t, colored, ansiRed+"error"+ansiReset)
	assert.Contains(t, colored, ansiYellow+"warning"+ansiReset)
	assert.True(t, strings.HasPrefix(colored, ansiRed+"Sign-in failed for bob@contoso.com"))

	// Colour changes nothing but the escape sequences, and the table's
	// borders stay aligned because widths ignore them.
	stripped := twwidth.Filter().ReplaceAllString(colored, "")
	assert.Equal(t, plain, stripped)

	info := renderTableOpt(t, findCase(t, "special"), true)
	assert.Contains(t, info, ansiCyan+"info"+ansiReset)
	assert.True(t, strings.HasPrefix(info, ansiBold+"No sign-in attempt"))

	ok := renderTableOpt(t, findCase(t, "none"), true)
	assert.True(t, strings.HasPrefix(ok, ansiGreen+"Sign-in succeeded"))
}

// TestTableAligned checks that every line of each drawn table has the same
// display width, with wide (CJK) and escaped control characters in cells.
func TestTableAligned(t *testing.T) {
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			width := 0
			for _, line := range lines(renderTableOpt(t, tc.report(), true)) {
				if !strings.ContainsAny(line[:min(len(line), 3)], "┌│├└") {
					width = 0
					continue
				}
				w := twwidth.Width(line)
				if width == 0 {
					width = w
				}
				assert.Equal(t, width, w, "%q", line)
			}
		})
	}
}

func TestTableContent(t *testing.T) {
	out := renderTableOpt(t, findCase(t, "several"), false)
	ls := lines(out)
	assert.Equal(t, "Sign-in failed for bob@contoso.com: 3 findings (1 error, 2 warnings)", ls[0])
	for _, col := range []string{"SEVERITY", "ID", "CONFIDENCE", "TITLE", "EVIDENCE", "FIRST EVIDENCE"} {
		assert.Contains(t, ls[4], " "+col+" ")
	}
	assert.Contains(t, out, "bundle.zip!/EventLogs/Application.evtx#4711")
	assert.Contains(t, out, "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog:2044")
	assert.Contains(t, out, "Time-Service 36: The time service has not synchronized the…")
	assert.Contains(t, out, "│ 6        │", "EVIDENCE counts every matching event")
	assert.Contains(t, out, "\n2 of 4 inputs could not be fully read:\n")
	assert.Contains(t, out, "format not recognized")
	assert.NotContains(t, out, "Lync-UccApi-1.UccApilog", "inputs read without problems are not listed")
	// Under the table, each finding's message, cause, what to collect,
	// numbered remedy steps and links.
	assert.Contains(t, out, "\nSFB-CLOCK-SKEW (error, confirmed) The computer clock is not in sync with the server clock\n")
	assert.Contains(t, out, "\n  The user saw: \u201cCannot sign in to Lync because your computer clock is not set correctly.\u201d\n")
	assert.Contains(t, out, "\n  Remedy:\n    1. Make sure the domain controller")
	assert.Contains(t, out, "\n  To decide, collect: The user's licenses in the admin center.\n")
	assert.Contains(t, out, "\n  Links:\n    https://support.office.com/")
	assert.Contains(t, out, "\n    http://go.microsoft.com/fwlink/?linkid=3052&kbid=816042\n")
}

func TestTableNoFindings(t *testing.T) {
	out := renderTableOpt(t, findCase(t, "none"), false)
	assert.Equal(t, "Sign-in succeeded for alice@contoso.com: no findings\n"+
		"REGISTER requests: 2, failures: 1, deciding event at 2013-04-16T03:17:31.555.\n\n"+
		"No known sign-in problem was found in 2 inputs (449 events).\n", out)

	empty := renderTableOpt(t, &analyze.Report{}, false)
	assert.Equal(t, "No sign-in attempt in the inputs: no findings\n\n"+
		"No known sign-in problem was found in 0 inputs (0 events).\n", empty)
}

func TestTableEvidenceWithoutExcerpt(t *testing.T) {
	r := &analyze.Report{
		Findings: []analyze.Finding{
			{ID: "SFB-A", Severity: analyze.SeverityError, Confidence: analyze.Confirmed},
			{ID: "SFB-B", Severity: analyze.SeverityError, Confidence: analyze.Confirmed,
				Evidence: []analyze.Evidence{{Path: "x.evtx", RecordID: 9}}},
		},
		Summary: analyze.Summary{Findings: 2, Error: 2},
	}
	out := renderTableOpt(t, r, false)
	assert.Contains(t, out, "│ -              │", "no evidence: a dash")
	assert.Contains(t, out, "│ x.evtx#9       │")
	assert.NotContains(t, out, "Links:", "no links, no links list")
}

func TestTableWrapsLongInputErrors(t *testing.T) {
	long := "record 12: " + strings.Repeat("damaged ", 20) + "end"
	r := &analyze.Report{Inputs: []analyze.Input{{Path: "a.evtx", Format: "evtx", Errors: []string{long, "second"}}}}
	out := renderTableOpt(t, r, false)
	assert.Contains(t, out, "\n1 of 1 input could not be fully read:\n")
	for _, line := range lines(out) {
		assert.LessOrEqual(t, twwidth.Width(line), 90, "%q", line) // unwrapped it would be ~190
	}
	assert.Contains(t, out, "│ record 12: damaged")
	assert.Contains(t, out, "damaged end")
	assert.Contains(t, out, "│ second")
}

func TestWrapWordsBreaksJapanese(t *testing.T) {
	text := "組織で以前 Office Communications Server または Lync Server 2010 を使用していて、廃止する前にユーザーをそこから削除しなかったため、msRTCSIP-UserEnabled が FALSE のままです。"
	out := wrapWords(text, 40)
	lines := strings.Split(out, "\n")
	assert.Greater(t, len(lines), 2)
	for _, l := range lines {
		assert.LessOrEqual(t, displayWidth(l), 40, l)
	}
	assert.Equal(t, strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(strings.ReplaceAll(out, "\n", ""), " ", ""), "nothing lost")
	assert.Equal(t, "a b\nc", wrapWords("a b c", 3), "latin text still breaks at spaces")
}
