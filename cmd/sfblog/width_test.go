package main

import (
	"encoding/json"
	"path/filepath"
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
