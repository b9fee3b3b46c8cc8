package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clipperhouse/displaywidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

// TestSamplesAt80Columns renders every sample's default report as an
// engineer at an 80-column terminal sees it (in English and Japanese): no
// line is wider than the terminal, and each finding's deciding line is
// there.
func TestSamplesAt80Columns(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			zip := filepath.Join(logs, name+".zip")
			code, js, stderr := sfblog(t, "", "analyze", "-f", "json", zip)
			require.Equal(t, 0, code, stderr)
			var r analyze.Report
			require.NoError(t, json.Unmarshal([]byte(js), &r))
			for _, lang := range []string{"en", "ja"} {
				code, out, stderr := sfblog(t, "", "analyze", "--lang", lang, zip)
				require.Equal(t, 0, code, stderr)
				for i, line := range strings.Split(out, "\n") {
					assert.LessOrEqual(t, displaywidth.String(line), 80, "%s line %d: %q", lang, i+1, line)
				}
				for _, f := range allFindings(&r) {
					if f.Deciding == nil {
						continue
					}
					first, _, _ := strings.Cut(strings.TrimSpace(f.Deciding.Excerpt), "\n")
					if _, msg, ok := strings.Cut(first, " :: "); ok {
						first = msg // the table shows a log line without its time and thread
					}
					if len(first) > 40 {
						first = first[:40]
					}
					// Wrapped at 80 columns: compare without the line breaks.
					squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
					assert.Contains(t, squeeze(out), squeeze(first), "%s: the deciding line of %s", lang, f.ID)
				}
			}
		})
	}
}

// TestParseTableFits: "parse -f table" at a terminal of 80, 100 or 160
// columns is no wider than it, and each row keeps its file's name (when
// the width allows) and its line or record; with no width known (a pipe,
// no COLUMNS) the rows stay whole.
func TestParseTableFits(t *testing.T) {
	for _, tc := range []struct {
		zip   string
		width int
		name  bool // the file's name is kept whole
	}{
		{"bad-credentials", 80, false},
		{"bad-credentials", 100, true},
		{"bad-credentials", 160, true},
		{"evtx-client-dns", 100, true},
		{"two-users", 120, true},
	} {
		t.Run(fmt.Sprintf("%s-%d", tc.zip, tc.width), func(t *testing.T) {
			t.Setenv("COLUMNS", strconv.Itoa(tc.width))
			code, out, stderr := sfblog(t, "", "parse", "-f", "table", filepath.Join(logs, tc.zip+".zip"))
			require.Equal(t, 0, code, stderr)
			t.Setenv("COLUMNS", "")
			code, whole, stderr := sfblog(t, "", "parse", "-f", "table", filepath.Join(logs, tc.zip+".zip"))
			require.Equal(t, 0, code, stderr)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			wholeLines := strings.Split(strings.TrimSpace(whole), "\n")
			require.Len(t, lines, len(wholeLines), "the same rows")
			place := regexp.MustCompile(`([^ /│]+)([:#]\d+) │`)
			rows := 0
			for i, line := range lines {
				assert.LessOrEqual(t, displaywidth.String(line), tc.width, "line %d: %q", i+1, line)
				w := place.FindStringSubmatch(wholeLines[i])
				if w == nil {
					continue
				}
				rows++
				assert.Regexp(t, regexp.QuoteMeta(w[2])+` +│`, line, "line %d keeps its line or record", i+1)
				if tc.name {
					assert.Regexp(t, regexp.QuoteMeta(w[1]+w[2])+` +│`, line, "line %d keeps the file's name", i+1)
				}
			}
			require.Greater(t, rows, 3)
		})
	}
}

// TestParseTableStreams: a table of more than maxTableRows rows is
// written as it comes, with the columns laid out from its first rows: it
// has every row, all its lines are as wide (no cell wraps), it fits the
// terminal, and a later row's larger line number is kept whole.
func TestParseTableStreams(t *testing.T) {
	one, err := os.ReadFile(filepath.Join(logs, "cases", "healthy-signin", "bundle", "Tracing", "Lync-UccApi-0.UccApilog"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "Lync-UccApi-0.UccApilog")
	require.NoError(t, os.WriteFile(path, bytes.Repeat(one, 40), 0o644))
	code, jsonl, stderr := sfblog(t, "", "parse", path)
	require.Equal(t, 0, code, stderr)
	events := strings.Count(jsonl, "\n")
	require.Greater(t, events, maxTableRows+1000)
	lastLine := regexp.MustCompile(`"line":(\d+),`).FindAllStringSubmatch(jsonl, -1)
	last := lastLine[len(lastLine)-1][1]
	require.Greater(t, len(last), len(strconv.Itoa(maxTableRows)), "later rows have longer line numbers")

	for _, width := range []int{0, 100} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			t.Setenv("COLUMNS", strconv.Itoa(width))
			code, out, stderr := sfblog(t, "", "parse", "-f", "table", path)
			require.Equal(t, 0, code, stderr)
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			require.Len(t, lines, events+4, "top rule, header, rule, a line per row, bottom rule")
			w := displaywidth.String(lines[0])
			for i, line := range lines {
				require.Equal(t, w, displaywidth.String(line), "line %d: %q", i+1, line)
			}
			if width > 0 {
				assert.LessOrEqual(t, w, width)
			}
			assert.Regexp(t, `:`+last+` +│`, lines[len(lines)-2], "the last row's line number")
		})
	}
}

// TestTableStreamBounded: a tableStream keeps fewer than maxTableRows
// rows at any time, and writes rows before it is closed once it has seen
// that many; a later, longer place or summary is shortened to its column.
func TestTableStreamBounded(t *testing.T) {
	var buf bytes.Buffer
	ts := &tableStream{out: &buf}
	for n := 0; n < 3*maxTableRows; n += 256 {
		rows := make([][]string, 256)
		for i := range rows {
			rows[i] = []string{"2018-02-06T08:12:41.521", fmt.Sprintf("a/b.log:%d", n+i+1), "log", "ERROR x"}
		}
		if n >= 2*maxTableRows {
			rows[0][1] = "a/" + strings.Repeat("d", 80) + "/b.log:1"
			rows[0][3] = strings.Repeat("y", 300)
		}
		require.NoError(t, ts.add(rows))
		assert.Less(t, len(ts.rows), maxTableRows)
		if n+256 >= maxTableRows {
			assert.NotZero(t, buf.Len(), "rows are written as they come")
		}
	}
	require.NoError(t, ts.close())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 3*maxTableRows+4)
	for i, line := range lines {
		require.Equal(t, displaywidth.String(lines[0]), displaywidth.String(line), "line %d", i+1)
	}
	assert.Contains(t, buf.String(), ".../b.log:1 ")
	assert.Contains(t, buf.String(), strings.Repeat("y", 97)+"...")
}
