package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium returns the path of a headless-capable Chromium, or skips the
// test saying how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH (Debian: apt-get install chromium fonts-noto-cjk): the HTML report was not rendered")
	return ""
}

// headless runs Chromium on the file with the flags of a closed network.
func headless(t *testing.T, bin, file string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--hide-scrollbars"}
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+file)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	require.NoError(t, cmd.Run(), "chromium: %s", errb.String())
	return out.Bytes()
}

// artifacts is where the rendered screenshots are kept for a person to
// look at: $SFBLOG_ARTIFACTS, else artifacts/ at the repository root.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SFBLOG_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "artifacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	abs, err := filepath.Abs(dir)
	require.NoError(t, err)
	return abs
}

// TestHTMLInChromium renders the HTML report of a recovered sign-in (four
// refusals with 404/4005, then a success), in English and Japanese, in
// headless Chromium: the DOM it builds holds the timeline picture with one
// marker per attempt, labelled with the decisive response, and a
// screenshot is saved as a test artifact.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	for _, tc := range []struct{ name, lang string }{{"sip", "en"}, {"sip-ja", "ja"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := findCase(t, tc.name)
			w, err := New("html", Options{Lang: tc.lang})
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, w.Write(&buf, r))
			page := filepath.Join(t.TempDir(), "report.html")
			require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))

			dom := string(headless(t, bin, page, "--dump-dom"))
			require.Contains(t, dom, "<svg", "the timeline picture is in the DOM")
			svg := dom[strings.Index(dom, "<svg"):]
			svg = svg[:strings.Index(svg, "</svg>")]
			assert.Regexp(t, regexp.MustCompile(`role="img"`), svg)
			assert.Contains(t, svg, "404 · 4005", "markers are labelled with the decisive response")
			assert.GreaterOrEqual(t, strings.Count(svg, "<g>"), 2, "a marker for the failures and one for the success")
			assert.Contains(t, dom, `lang="`+tc.lang+`"`)
			if tc.lang == "ja" {
				assert.Contains(t, dom, "サインイン")
			}

			shot := filepath.Join(artifacts(t), "report-"+tc.name+".png")
			_ = os.Remove(shot)
			headless(t, bin, page, "--screenshot="+shot, "--window-size=1100,3400")
			st, err := os.Stat(shot)
			require.NoError(t, err, "the screenshot was written")
			assert.Greater(t, st.Size(), int64(10_000), "a real picture, not a blank page")
			t.Logf("screenshot: %s", shot)
		})
	}
}
