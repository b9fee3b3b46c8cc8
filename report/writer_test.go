package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

var update = flag.Bool("update", false, "update golden files")

// goldenExt is the golden file extension of each format.
var goldenExt = map[string]string{
	"table": "txt", "markdown": "md", "json": "json", "junit": "xml", "html": "html",
}

// render renders r in format with default options.
func render(t *testing.T, format string, r *analyze.Report) string {
	t.Helper()
	return renderOpt(t, format, r, Options{})
}

// renderOpt renders r in format with opt.
func renderOpt(t *testing.T, format string, r *analyze.Report, opt Options) string {
	t.Helper()
	w, err := New(format, opt)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, w.Write(&buf, r))
	return buf.String()
}

// goldenWidths are the terminal widths of the table goldens: a narrow
// terminal and a wide one.
var goldenWidths = []int{80, 160}

// golden is one golden file: a case rendered in a format (at a width).
type golden struct {
	name   string // file name
	tc     testCase
	format string
	opt    Options
}

func goldens() []golden {
	var out []golden
	for _, tc := range testCases {
		for _, format := range Formats() {
			opt := Options{Lang: tc.lang, FailOn: "warning"}
			if format != "table" {
				out = append(out, golden{tc.name + "." + goldenExt[format] + ".golden", tc, format, opt})
				continue
			}
			for _, w := range goldenWidths {
				opt.Width = w
				out = append(out, golden{fmt.Sprintf("%s.%d.%s.golden", tc.name, w, goldenExt[format]), tc, format, opt})
			}
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			got := renderOpt(t, g.format, g.tc.report(), g.opt)
			path := filepath.Join("testdata", "golden", g.name)
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

	w, err := New("table", Options{Color: true, Width: 132})
	require.NoError(t, err)
	assert.Equal(t, &TableWriter{Color: true, Width: 132}, w)

	w, err = New("junit", Options{FailOn: "warning"})
	require.NoError(t, err)
	assert.Equal(t, &JUnitWriter{FailOn: "warning"}, w)

	_, err = New("junit", Options{FailOn: "fatal"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "none, info, warning, error")
	_, err = New("table", Options{Lang: "fr"})
	require.Error(t, err)

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
		{"recovered", analyze.SignIn{Outcome: analyze.OutcomeRecovered, Address: "bob@contoso.com", Failures: 4,
			FirstFailure: "T1", LastFailure: "T2", SucceededAt: "T3"},
			analyze.Summary{Findings: 1, Error: 1},
			"Sign-in for bob@contoso.com failed 4 times between T1 and T2, then succeeded at T3: 1 finding (1 error)"},
		{"recovered once, no address", analyze.SignIn{Outcome: analyze.OutcomeRecovered, Failures: 1,
			FirstFailure: "T1", LastFailure: "T1", SucceededAt: "T3"},
			analyze.Summary{}, "Sign-in failed once between T1 and T1, then succeeded at T3: no findings"},
		{"recovered without times", analyze.SignIn{Outcome: analyze.OutcomeRecovered, Address: "a@b.c", Failures: 2},
			analyze.Summary{}, "Sign-in for a@b.c failed 2 times, then succeeded: no findings"},
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

func TestVerdictJapanese(t *testing.T) {
	ja := newLang("ja")
	r := &analyze.Report{
		SignIn: analyze.SignIn{Outcome: analyze.OutcomeRecovered, Address: "bob@contoso.com", Failures: 4,
			FirstFailure: "T1", LastFailure: "T2", SucceededAt: "T3"},
		Summary: analyze.Summary{Findings: 3, Error: 1, Warning: 2},
	}
	assert.Equal(t, "bob@contoso.com のサインインは T1 から T2 までに 4 回失敗し、その後 T3 に成功しました: 3 件の検出結果 (エラー 1 件、警告 2 件)", ja.verdict(r))
	// The damaged-inputs headline keeps "bad of all" the right way round.
	assert.Equal(t, "4 個中 3 個の入力ファイルを完全には読み取れませんでした", ja.inputsHeadline(3, 4))
	assert.Equal(t, "3 of 4 inputs could not be fully read", lang{}.inputsHeadline(3, 4))
	assert.Equal(t, "1 of 1 input could not be fully read", lang{}.inputsHeadline(1, 1))
}

func TestAtOrAbove(t *testing.T) {
	tests := []struct {
		sev, failOn string
		want        bool
	}{
		{"error", "", false}, {"error", "none", false},
		{"info", "info", true}, {"warning", "info", true}, {"error", "info", true},
		{"info", "warning", false}, {"warning", "warning", true}, {"error", "warning", true},
		{"warning", "error", false}, {"error", "error", true},
		{"fatal", "info", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, AtOrAbove(tt.sev, tt.failOn), "%s at --fail-on %s", tt.sev, tt.failOn)
	}
}

func TestFirstLine(t *testing.T) {
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
	for _, g := range goldens() {
		want[g.name] = true
	}
	for _, e := range entries {
		assert.True(t, want[e.Name()], "stale golden file %s", e.Name())
		delete(want, e.Name())
	}
	assert.Empty(t, want, "missing golden files")
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short title", 40, "short title"},
		{"The computer clock is not in sync with the server clock", 20,
			"The computer clock\nis not in sync with\nthe server clock"},
		{"averyveryverylongword and more", 10, "averyveryv\nerylongwor\nd and more"},
		{"ab averyveryverylongword", 10, "ab averyve\nryverylong\nword"},
		{"  spaces   collapse ", 40, "spaces collapse"},
		{"", 10, ""},
		{"日本語のテキスト", 6, "日本語\nのテキ\nスト"},
		{"a 日本", 4, "a 日\n本"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, strings.Join(wrap(tt.in, tt.width), "\n"), tt.in)
		for _, line := range wrap(tt.in, tt.width) {
			assert.LessOrEqual(t, textWidth(line), tt.width, "%q", line)
		}
	}
}

func TestCutAndShortPath(t *testing.T) {
	assert.Equal(t, "abc", cut("abc", 3, "..."))
	assert.Equal(t, "ab...", cut("abcdefg", 5, "..."))
	assert.Equal(t, "日...", cut("日本語です", 6, "..."), "cut by display width, not characters")
	assert.Equal(t, "a...", cut("a  bcdefg", 6, "..."), "no blank before the tail")

	p := "bob-bundle.zip!/Users/bob/AppData/Local/Microsoft/Office/15.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
	assert.Equal(t, p, shortPath(p, 200))
	assert.Equal(t, "bob-bundle.zip!/.../Lync-UccApi-0.UccApilog", shortPath(p, 60))
	assert.Equal(t, ".../Lync-UccApi-0.UccApilog", shortPath(p, 30))
	assert.Equal(t, "...Api-0.UccApilog", shortPath(p, 18))
	assert.Equal(t, ".../sip-not-enabled.zip!/.../Lync-UccApi-0.UccApilog", shortPath("testdata/logs/sip-not-enabled.zip!/Tracing/Lync-UccApi-0.UccApilog", 60))
	assert.Equal(t, "C:/.../Lync-UccApi-0.UccApilog", shortPath("C:/Users/bob/AppData/Local/Microsoft/Office/Lync-UccApi-0.UccApilog", 32))
	assert.Equal(t, "...のログ.txt", shortPath("ユーザー/サインインのログ.txt", 14))
}

func TestDecidingLines(t *testing.T) {
	assert.Equal(t, []string{"SIP/2.0 404 Not Found", diag4005}, decidingLines(sip404))
	assert.Equal(t, []string{"Cannot sign in."}, decidingLines("06/15/2017|09:02:11.030 1F68:C14 ERROR :: Cannot sign in.\nmore"))
	assert.Equal(t, []string{"Time-Service 36: no sync"}, decidingLines("\r\n Time-Service 36: no sync\r\n"))
	assert.Empty(t, decidingLines(" \n"))

	const note = "[sfblog: the server's Date and the client's clock differ by +360 s beyond whole quarter hours (the log's time zone is unknown)]"
	skewed := "SIP/2.0 401 Unauthorized\nDate: Tue, 18 Feb 2014 07:28:45 GMT\nCSeq: 2 REGISTER\n" + note
	assert.Equal(t, []string{"SIP/2.0 401 Unauthorized", "Date: Tue, 18 Feb 2014 07:28:45 GMT", note}, decidingLines(skewed))
	request := "REGISTER sip:contoso.com SIP/2.0\nDate: Tue, 18 Feb 2014 07:28:45 GMT\n" + note
	assert.Equal(t, []string{"REGISTER sip:contoso.com SIP/2.0", "Date: Tue, 18 Feb 2014 07:28:45 GMT", note}, decidingLines(request))
	// Near misses: a Date without the note, and the note's words in a
	// log line's text, which the input wrote.
	assert.Equal(t, []string{"SIP/2.0 401 Unauthorized"}, decidingLines("SIP/2.0 401 Unauthorized\nDate: Tue, 18 Feb 2014 07:28:45 GMT"))
	assert.Equal(t, []string{"Cannot sign in."}, decidingLines("06/15/2017|09:02:11.030 1F68:C14 ERROR :: Cannot sign in.\nDate: x\n"+note))
}

func TestShortResponse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"404 Not Found; " + diag4005, "404 · 4005"},
		{"SIP/2.0 404 Not Found\n" + diag4005, "404 · 4005"},
		{"200 OK", "200"},
		{"403 Forbidden; ms-diagnostics-public: 1000;reason=\"x\"", "403 · 1000"},
		{"Lync event 1014 in System", "event 1014"},
		{"The server is temporarily unavailable.", ""},
		{"There was a problem acquiring a personal certificate required to sign in.", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, shortResponse(tt.in, " · "), tt.in)
	}
}

// TestCleanBidi: the bidirectional formatting characters of an input
// (a file named "a\u202egol.txt" would show as "atxt.log") are shown as
// escapes in every format's text.
func TestCleanBidi(t *testing.T) {
	for in, want := range map[string]string{
		"a\u202egol.txt":             `a\u202egol.txt`,
		"\u2066x\u2069 \u200f\u061c": `\u2066x\u2069 ` + "\u200f\u061c",
		"plain é 日本":                 "plain é 日本",
	} {
		assert.Equal(t, want, clean(in), "%q", in)
	}
}

// TestInputCopyOf: an input that is a copy of another says so in every
// format, in both languages, and an input that is none says nothing of it.
func TestInputCopyOf(t *testing.T) {
	const orig = "alice.zip!/Tracing/Lync-UccApi-0.UccApilog"
	r := reportNone()
	r.Inputs = append(r.Inputs, analyze.Input{Path: orig + ".bak", Format: "uccapilog", Events: 40, CopyOf: orig})
	for _, tc := range []struct{ format, lang, want string }{
		{"table", "en", "a copy of (part of)"},
		{"markdown", "en", "a copy of (part of) " + orig + ": its events are counted once, there"},
		{"html", "en", "a copy of (part of) " + orig + ": its events are counted once, there"},
		{"table", "ja", "の写し"},
		{"json", "en", `"copy_of": "` + orig + `"`},
	} {
		out := renderOpt(t, tc.format, r, Options{Lang: tc.lang, Width: 200})
		assert.Contains(t, out, tc.want, tc.format+" "+tc.lang)
		assert.Equal(t, 1, strings.Count(out, tc.want), "only the copy says it: %s %s", tc.format, tc.lang)
	}
}
