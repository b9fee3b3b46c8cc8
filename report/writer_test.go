package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

var update = flag.Bool("update", false, "update golden files")

func TestMain(m *testing.M) {
	// tablewriter measures ambiguous-width characters (…, ×, box lines)
	// by the terminal's locale; fix narrow widths so goldens do not
	// depend on the environment the tests run in.
	twwidth.SetEastAsian(false)
	os.Exit(m.Run())
}

// goldenExt is the golden file extension of each format.
var goldenExt = map[string]string{
	"table": "txt", "markdown": "md", "json": "json", "junit": "xml", "html": "html",
}

// render renders r in format with default options.
func render(t *testing.T, format string, r *analyze.Report) string {
	t.Helper()
	w, err := New(format, Options{})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf, r))
	return buf.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range testCases {
		for _, format := range Formats() {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				got := render(t, format, tc.report())
				path := filepath.Join("testdata", "golden", tc.name+"."+goldenExt[format]+".golden")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./report -update to create the golden files")
				assert.Equal(t, string(want), got)
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range testCases {
		for _, format := range Formats() {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				t.Parallel() // also lets -race see writers running side by side
				first := render(t, format, tc.report())
				second := render(t, format, tc.report())
				assert.Equal(t, []byte(first), []byte(second))
			})
		}
	}
}

func TestWritersDoNotChangeReport(t *testing.T) {
	for _, tc := range testCases {
		for _, format := range Formats() {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				r := tc.report()
				render(t, format, r)
				assert.Equal(t, tc.report(), r)
			})
		}
	}
}

func TestFormats(t *testing.T) {
	assert.Equal(t, []string{"table", "markdown", "json", "junit", "html"}, Formats())
	f := Formats()
	f[0] = "changed"
	assert.Equal(t, "table", Formats()[0], "Formats must return a copy")
}

func TestNew(t *testing.T) {
	tests := []struct {
		format string
		want   Writer
	}{
		{"table", &TableWriter{}},
		{"markdown", &MarkdownWriter{}},
		{"json", &JSONWriter{}},
		{"junit", &JUnitWriter{}},
		{"html", &HTMLWriter{}},
		{" JSON ", &JSONWriter{}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			w, err := New(tt.format, Options{})
			require.NoError(t, err)
			assert.IsType(t, tt.want, w)
		})
	}

	w, err := New("table", Options{Color: true})
	require.NoError(t, err)
	assert.Equal(t, &TableWriter{Color: true}, w)

	for _, bad := range []string{"", "xml", "sarif", "md"} {
		_, err := New(bad, Options{})
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "table, markdown, json, junit, html")
		assert.Contains(t, err.Error(), `"`+bad+`"`)
	}
}

func TestNilReport(t *testing.T) {
	for _, format := range Formats() {
		w, err := New(format, Options{})
		require.NoError(t, err)
		var buf bytes.Buffer
		err = w.Write(&buf, nil)
		require.ErrorIs(t, err, errNilReport, format)
		assert.Empty(t, buf.String(), format)
	}
}

// failWriter fails every write.
type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteError(t *testing.T) {
	for _, format := range Formats() {
		w, err := New(format, Options{})
		require.NoError(t, err)
		err = w.Write(failWriter{}, findCase(t, "several"))
		require.ErrorIs(t, err, errDiskFull, format)
		assert.Contains(t, err.Error(), format, "the error names the format")
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		name    string
		signin  analyze.SignIn
		summary analyze.Summary
		want    string
	}{
		{"failed", analyze.SignIn{Outcome: analyze.OutcomeFailed, Address: "bob@contoso.com"},
			analyze.Summary{Findings: 2, Error: 1, Warning: 1},
			"Sign-in failed for bob@contoso.com: 2 findings (1 error, 1 warning)"},
		{"failed without address", analyze.SignIn{Outcome: analyze.OutcomeFailed},
			analyze.Summary{Findings: 3, Error: 2, Info: 1},
			"Sign-in failed: 3 findings (2 errors, 1 info)"},
		{"succeeded", analyze.SignIn{Outcome: analyze.OutcomeSucceeded, Address: "a@b.c"},
			analyze.Summary{}, "Sign-in succeeded for a@b.c: no findings"},
		{"succeeded with a warning", analyze.SignIn{Outcome: analyze.OutcomeSucceeded, Address: "a@b.c"},
			analyze.Summary{Findings: 1, Warning: 1}, "Sign-in succeeded for a@b.c: 1 finding (1 warning)"},
		{"unknown", analyze.SignIn{Outcome: analyze.OutcomeUnknown},
			analyze.Summary{}, "No sign-in attempt in the inputs: no findings"},
		{"empty outcome", analyze.SignIn{},
			analyze.Summary{Findings: 2, Warning: 2}, "No sign-in attempt in the inputs: 2 findings (2 warnings)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, lang{}.verdict(&analyze.Report{SignIn: tt.signin, Summary: tt.summary}))
		})
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		e    analyze.Evidence
		want string
	}{
		{analyze.Evidence{Path: "a.zip!/x.UccApilog", Line: 12}, "a.zip!/x.UccApilog:12"},
		{analyze.Evidence{Path: "System.evtx", RecordID: 4711}, "System.evtx#4711"},
		{analyze.Evidence{Path: "note.txt"}, "note.txt"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, location(tt.e))
	}
}

func TestEvidenceCounts(t *testing.T) {
	f := &analyze.Finding{Evidence: []analyze.Evidence{{Count: 3}, {}, {Count: 1}}, EvidenceTotal: 9}
	assert.Equal(t, 5, shownEvents(f))
	assert.Equal(t, 9, totalEvents(f))
	f.EvidenceTotal = 0 // an analyzer that left it unset
	assert.Equal(t, 5, totalEvents(f))
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext\n", "plain\ttext\n"},
		{"a\r\nb", "a\nb"},
		{"lone\rcr", `lone\x0dcr`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"nul\x00del\x7f", `nul\x00del\x7f`},
		{"c1\u0085", `c1\u0085`},
		{"non\uffffchar", `non\uffffchar`},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"日本語 «é»", "日本語 «é»"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, clean(tt.in), "%q", tt.in)
	}
}

func TestShortenAndFirstLine(t *testing.T) {
	assert.Equal(t, "abc", shorten("abc", 3))
	assert.Equal(t, "ab…", shorten("abcd", 3))
	assert.Equal(t, "日本…", shorten("日本語です", 3))
	assert.Equal(t, "a…", shorten("a  bcd", 3), "no blank before the ellipsis")
	assert.Equal(t, "second", firstLine("\n  \n  second \nthird"))
	assert.Equal(t, "", firstLine(" \n"))
}

func TestNoRawControlCharacters(t *testing.T) {
	r := findCase(t, "special")
	for _, format := range Formats() {
		out := render(t, format, r)
		assert.NotContains(t, out, "\x1b", format)
		assert.NotContains(t, out, "\r", format)
		if format == "json" {
			assert.Contains(t, out, `\u001b[31m`, "json keeps the data, escaped")
		}
	}
}

func TestGoldenFilesAreOnlyTheExpectedOnes(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	require.NoError(t, err)
	want := map[string]bool{}
	for _, tc := range testCases {
		for _, format := range Formats() {
			want[tc.name+"."+goldenExt[format]+".golden"] = true
		}
	}
	for _, e := range entries {
		assert.True(t, want[e.Name()], "stale golden file %s", e.Name())
		delete(want, e.Name())
	}
	assert.Empty(t, want, "missing golden files")
}

func TestWrapWords(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short title", 40, "short title"},
		{"The computer clock is not in sync with the server clock", 20,
			"The computer clock\nis not in sync with\nthe server clock"},
		{"averyveryverylongword and more", 10, "averyveryverylongword\nand more"},
		{"  spaces   collapse ", 40, "spaces collapse"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, wrapWords(tt.in, tt.width), tt.in)
	}
}
