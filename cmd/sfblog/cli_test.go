package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/mask"
)

// sfblogCtx is sfblog with a context of the caller's.
func sfblogCtx(t *testing.T, ctx context.Context, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestNewBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	tests := []struct {
		name   string
		ldflag string
		bi     *debug.BuildInfo
		want   buildInfo
	}{
		{"nothing known", "", nil, buildInfo{Version: "dev", Go: runtime.Version()}},
		{"go test", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			buildInfo{Version: "dev", Go: "go1.26.8"}},
		{"go install module@version", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}},
			buildInfo{Version: "v1.4.0", Go: "go1.26.8"}},
		{"go build in a checkout", "", &debug.BuildInfo{GoVersion: "go1.26.8",
			Main: debug.Module{Version: "v0.0.0-20260102030405-0123456789ab+dirty"}, Settings: vcs},
			buildInfo{Version: "v0.0.0-20260102030405-0123456789ab+dirty", Revision: "0123456789abcdef0123456789abcdef01234567",
				Time: "2026-01-02T03:04:05Z", Modified: true, Go: "go1.26.8"}},
		{"ldflags win", "v2.0.0-3-gabcdef", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: vcs[:2]},
			buildInfo{Version: "v2.0.0-3-gabcdef", Revision: "0123456789abcdef0123456789abcdef01234567", Go: "go1.26.8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, newBuildInfo(tt.ldflag, tt.bi))
		})
	}
	b := newBuildInfo("v1.4.0", &debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs})
	assert.Equal(t, "sfblog v1.4.0\n"+
		"commit: 0123456789abcdef0123456789abcdef01234567 (modified)\n"+
		"date:   2026-01-02T03:04:05Z\n"+
		"go:     go1.26.8 "+runtime.GOOS+"/"+runtime.GOARCH+"\n", b.String())
}

// TestVersionEverywhere checks that "version", "--version" and the JSON
// report's tool.version say the same.
func TestVersionEverywhere(t *testing.T) {
	want := readBuildInfo()
	code, v1, _ := sfblog(t, "", "version")
	require.Equal(t, 0, code)
	code, v2, _ := sfblog(t, "", "--version")
	require.Equal(t, 0, code)
	assert.Equal(t, want.String(), v1)
	assert.Equal(t, v1, v2)
	code, out, _ := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "healthy-signin.zip"))
	require.Equal(t, 0, code)
	assert.Equal(t, want.Version, decodeReport(t, out).Tool.Version)
}

func TestFormatAliases(t *testing.T) {
	zip := filepath.Join(logs, "sip-not-enabled.zip")
	_, markdown, _ := sfblog(t, "", "analyze", "-f", "markdown", zip)
	_, junit, _ := sfblog(t, "", "analyze", "-f", "junit", zip)
	_, html, _ := sfblog(t, "", "analyze", "-f", "html", zip)
	_, table, _ := sfblog(t, "", "analyze", "-f", "table", zip)
	for _, tc := range []struct{ alias, want string }{
		{"md", markdown}, {"MD", markdown}, {"Markdown", markdown},
		{"xml", junit}, {"htm", html}, {"txt", table}, {"text", table},
	} {
		t.Run(tc.alias, func(t *testing.T) {
			code, out, stderr := sfblog(t, "", "analyze", "-f", tc.alias, zip)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, tc.want, out)
		})
	}
	code, _, stderr := sfblog(t, "", "analyze", "-f", "mdx", zip)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `unknown report format "mdx"`)
}

// TestNamedInputs: a path named on the command line that cannot be read
// is told on stderr (even with --quiet) and listed in the report, the
// report of the other inputs is still written, and the exit code is 2.
func TestNamedInputs(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "System.evtx")
	zip := filepath.Join(logs, "sip-not-enabled.zip")
	for _, quiet := range []bool{false, true} {
		args := []string{"analyze", "-f", "json", "--fail-on", "error", zip, missing}
		if quiet {
			args = append(args, "--quiet")
		}
		code, out, stderr := sfblog(t, "", args...)
		assert.Equal(t, exitUsage, code, "a missing named path wins over --fail-on")
		r := decodeReport(t, out)
		assert.Equal(t, "SFB-SIP-NOT-ENABLED", r.Findings[0].ID, "the other inputs are analysed")
		var listed bool
		for _, in := range r.Inputs {
			listed = listed || (in.Path == missing && len(in.Errors) > 0)
		}
		assert.True(t, listed, "the report lists %s with its error", missing)
		assert.Contains(t, stderr, "sfblog: "+missing+": ")
		assert.Contains(t, stderr, "sfblog: "+missing+" could not be read; the report covers the other inputs\n")
	}
	// Nothing at all readable: exit 2, as before.
	code, _, stderr := sfblog(t, "", "analyze", missing)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "no input could be read")
	// parse follows the same rule.
	code, out, stderr := sfblog(t, "", "parse", zip, missing)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, out, `"kind"`)
	assert.Contains(t, stderr, missing+" could not be read")
}

// failWriter fails every write with err.
type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteErrors(t *testing.T) {
	zip := filepath.Join(logs, "sip-not-enabled.zip")
	enospc := &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
	for _, args := range [][]string{
		{"analyze", "-f", "json", zip},
		{"analyze", "-f", "table", zip},
		{"parse", zip},
		{"parse", "-f", "table", zip},
		{"version"},
		{"signatures", "test"},
		{"signatures", "list"},
		{"signatures", "list", "-f", "json"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var errb bytes.Buffer
			code := run(context.Background(), args, strings.NewReader(""), failWriter{enospc}, &errb)
			assert.Equal(t, exitInternal, code)
			assert.Equal(t, "sfblog: write standard output: no space left on device\n", errb.String())
		})
	}
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	code, _, stderr := sfblog(t, "", "analyze", "-o", "/dev/full", "-f", "json", zip)
	assert.Equal(t, exitInternal, code)
	assert.Equal(t, "sfblog: write /dev/full: no space left on device\n", stderr)
	junit := filepath.Join(t.TempDir(), "regress.xml")
	require.NoError(t, os.Symlink("/dev/full", junit))
	code, _, stderr = sfblog(t, "", "regress", "--junit", junit, regressDir(t))
	assert.Equal(t, exitInternal, code)
	assert.Equal(t, "sfblog: write "+junit+": no space left on device\n", stderr)
}

// TestFailedRunLeavesNoOutputFile: the -o file made before the work is
// removed when no report could be written.
func TestFailedRunLeavesNoOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{syscall.SIGINT})
	code, _, _ := sfblogCtx(t, ctx, "", "analyze", "-o", out, filepath.Join(logs, "sip-not-enabled.zip"))
	assert.Equal(t, 130, code)
	assert.NoFileExists(t, out)
}

func TestQuiet(t *testing.T) {
	damaged := filepath.Join(logs, "damaged-bundle.zip")
	code, _, stderr := sfblog(t, "", "analyze", damaged)
	require.Equal(t, 0, code)
	assert.Contains(t, stderr, "garbage.dat")
	code, _, stderr = sfblog(t, "", "analyze", "-q", damaged)
	require.Equal(t, 0, code)
	assert.Empty(t, stderr, "--quiet: no notes")
	code, _, stderr = sfblog(t, "", "--quiet", "analyze", "-f", "pdf", damaged)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "unknown report format", "--quiet: errors are still printed")
}

func TestInterrupted(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		for _, args := range [][]string{
			{"analyze", filepath.Join(logs, "sip-not-enabled.zip")},
			{"parse", filepath.Join(logs, "sip-not-enabled.zip")},
			{"regress", regressDir(t)},
			{"signatures", "test"},
		} {
			t.Run(tc.sig.String()+" "+args[0], func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(context.Background())
				cancel(interrupted{tc.sig})
				code, _, stderr := sfblogCtx(t, ctx, "", args...)
				assert.Equal(t, tc.code, code)
				assert.Equal(t, "sfblog: interrupted\n", stderr)
			})
		}
	}
}

// TestInterruptBlockedStdin: a signal stops "analyze -" while standard
// input sends nothing.
func TestInterruptBlockedStdin(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan int)
	var errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"analyze", "-"}, pr, io.Discard, &errb)
	}()
	_, err := pw.Write([]byte("PK")) // the read has begun
	require.NoError(t, err)
	cancel(interrupted{syscall.SIGTERM})
	select {
	case code := <-done:
		assert.Equal(t, 143, code)
		assert.Equal(t, "sfblog: interrupted\n", errb.String())
	case <-time.After(10 * time.Second):
		t.Fatal("analyze - did not stop on the signal")
	}
}

func TestStdinReader(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newStdin(ctx, io.MultiReader(strings.NewReader("hello "), strings.NewReader("world")))
	data, err := io.ReadAll(s)
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(data))
	assert.Equal(t, int64(11), s.bytesRead())

	pr, pw := io.Pipe()
	defer pw.Close()
	s = newStdin(ctx, pr)
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err = s.Read(make([]byte, 10))
	assert.ErrorIs(t, err, context.Canceled)
	_, err = s.Read(make([]byte, 10))
	assert.ErrorIs(t, err, context.Canceled, "the error stays")
}

func TestCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"analyze", "--format", ""}, []string{"table", "markdown", "json", "junit", "html"}},
		{[]string{"analyze", "--fail-on", ""}, []string{"none", "info", "warning", "error"}},
		{[]string{"analyze", "--lang", ""}, []string{"en", "ja"}},
		{[]string{"report", "-f", ""}, []string{"markdown", "html"}},
		{[]string{"report", "--lang", ""}, []string{"en", "ja"}},
		{[]string{"parse", "-f", ""}, []string{"jsonl", "table"}},
		{[]string{"signatures", "list", "-f", ""}, []string{"table", "json"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, stderr := sfblog(t, "", append([]string{"__complete"}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				v, _, _ := strings.Cut(l, "\t")
				got = append(got, v)
			}
			assert.Subset(t, got, tc.want)
			assert.Equal(t, ":4", got[len(got)-1], "no file names for a value list")
		})
	}
	// Paths complete as files; regress DIR as folders only.
	for args, directive := range map[string]string{"analyze": ":0", "parse": ":0", "regress": ":16", "report": ":8"} {
		code, out, _ := sfblog(t, "", "__complete", args, "")
		require.Equal(t, 0, code)
		assert.True(t, strings.HasSuffix(strings.TrimSpace(out), directive), "%s: %q", args, out)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, stderr := sfblog(t, "", "completion", shell)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, out, "sfblog", shell)
	}
}

// controls are the terminal attacks planted in file names and log text.
var controls = map[string]string{
	"csi":       "\x1b[2J\x1b[31m",
	"osc title": "\x1b]0;pwned\x07",
	"bel":       "\x07",
	"cr":        "ok\rEVIL",
	"forged":    "x\nsfblog: forged line",
	"nul":       "a\x00b",
	"c1 csi":    "\u009b31m",
	"del":       "a\x7fb",
	"bidi":      "a\u202egol.txt",
}

// hostileZip writes a zip whose entry names and log lines carry every
// control sequence: a client log per sequence, named after it, and a
// garbage file per sequence (stderr names it as unrecognised).
func hostileZip(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, c := range controls {
		w, err := zw.Create("Tracing/" + c + "Lync-UccApi-0.UccApilog")
		require.NoError(t, err)
		// The shape of the sip-not-enabled sample's client log.
		_, err = io.WriteString(w, "06/03/2014|09:44:12.205 1B58:1C24 INFO  :: CUccPlatform::Initialize - UCCAPI/15.0.4569.1503 platform initialized "+c+"\n"+
			"06/03/2014|09:44:13.324 1B58:1C24 ERROR :: CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: "+c+" ("+name+")\n")
		require.NoError(t, err)
		w, err = zw.Create(c + ".dat")
		require.NoError(t, err)
		_, err = w.Write([]byte{0xde, 0xad, 0xbe, 0xef, 0x1b, '[', '2', 'J'})
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	path := filepath.Join(t.TempDir(), "hostile.zip")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return path
}

// rawControl returns the first control character of s other than the
// newlines and tabs that allowed says, or "".
func rawControl(s string, allowed string) string {
	for _, r := range s {
		if strings.ContainsRune(allowed, r) {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e {
			return string(r)
		}
	}
	return ""
}

// TestNoRawControlCharacters plants escape sequences, BEL, CR, NUL, a
// newline that forges an "sfblog:" line, DEL and a C1 CSI in zip entry
// names and in log lines: none reaches stderr raw, nor the stdout of parse.
func TestNoRawControlCharacters(t *testing.T) {
	zip := hostileZip(t)
	for _, args := range [][]string{
		{"parse", zip},
		{"parse", "-f", "table", zip},
		{"analyze", "-f", "json", zip},
		{"analyze", "-f", "json", zip, zip + "\x1b]0;missing\x07"},
	} {
		// The stdout of analyze is the report package's (its writers
		// escape); here only stderr is checked for it.
		checkStdout := args[0] == "parse"
		t.Run(strings.Join(args[:len(args)-1], " "), func(t *testing.T) {
			code, out, stderr := sfblog(t, "", args...)
			require.Contains(t, []int{0, 1, 2}, code, stderr)
			assert.Empty(t, rawControl(stderr, "\n"), "stderr: %q", stderr)
			for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
				assert.True(t, strings.HasPrefix(l, "sfblog: "), "every stderr line is sfblog's own: %q", l)
				assert.False(t, strings.HasPrefix(l, "sfblog: forged"), l)
			}
			assert.Contains(t, stderr, `\x1b[2J`, "the escaped name is still shown")
			if checkStdout {
				assert.Empty(t, rawControl(out, "\n\t"), "stdout: %q", out)
			}
		})
	}
	// The JSON lines decode to the log's text, control characters included.
	_, out, _ := sfblog(t, "", "parse", zip)
	var found bool
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct {
			Text string `json:"text"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		found = found || strings.Contains(e.Text, "\u009b31m (c1 csi)")
	}
	assert.True(t, found, "jsonSafe keeps the value")
}

func TestJSONSafe(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"plain"}`:         `{"a":"plain"}`,
		`{"a":"日本語"}`:           `{"a":"日本語"}`,
		"{\"a\":\"x\x7fy\"}":    `{"a":"x\u007fy"}`,
		"{\"a\":\"\u009b31m\"}": `{"a":"\u009b31m"}`,
		"{\"a\":\"\u0085\"}":    `{"a":"\u0085"}`,
		"{\"a\":\"\uffff\"}":    `{"a":"\uffff"}`,
		"{\"a\":\"é\"}":         "{\"a\":\"é\"}",
	} {
		got := jsonSafe([]byte(in))
		assert.Equal(t, want, string(got))
		var a, b any
		require.NoError(t, json.Unmarshal([]byte(in), &a))
		require.NoError(t, json.Unmarshal(got, &b))
		assert.Equal(t, a, b, "same JSON value")
	}
}

// TestReportMasksSecrets: a saved report that carries a credential (an
// older sfblog, an edited file) does not leak it through "sfblog report".
func TestReportMasksSecrets(t *testing.T) {
	const secret = "TlRMTVNTUAADAAAAGAAYAHAAAADeAd4BiAAAAAAAAABYAAAAEAAQAFgAAAAIAAgAaAAAABAAEABmAgAAFYKI4gYBsR0AAAAP"
	line := `Authorization: NTLM qop="auth", realm="SIP Communications Service", targetname="sip/sipdir.online.lync.com", gssapi-data="` + secret + `", version=4`
	require.NotContains(t, mask.Secrets(line), secret, "the mask API masks this line")
	code, out, stderr := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "sip-not-enabled.zip"))
	require.Equal(t, 0, code, stderr)
	r := decodeReport(t, out)
	r.Findings[0].Message = line
	r.Findings[0].Evidence[0].Excerpt = line
	r.Inputs[0].Errors = []string{line}
	r.Attempts = append(r.Attempts, analyze.Attempt{N: 99, Outcome: "failed", Decisive: line,
		Steps: []analyze.Step{{Kind: "auth", Detail: line}}})
	r.Groups = []analyze.Report{{Findings: []analyze.Finding{{ID: "SFB-X", Message: line, Evidence: []analyze.Evidence{{Excerpt: line}}}}}}
	// A path saved with a secret in a file name (an older sfblog).
	const named = "callback?code=SplxlOBeZQQYbYS6WxSbIA"
	r.Inputs[0].Path = "bundle.zip!/" + named + ".html"
	r.Inputs[0].CopyOf = named
	r.Findings[0].Evidence[0].Path = named
	r.Attempts[len(r.Attempts)-1].Path = named
	saved, err := json.Marshal(r)
	require.NoError(t, err)
	for _, f := range []string{"json", "markdown", "table", "html", "junit"} {
		code, out, stderr := sfblog(t, string(saved), "report", "-f", f, "-")
		require.Equal(t, 0, code, stderr)
		assert.NotContains(t, out, secret, f)
		assert.NotContains(t, out, "SplxlOBeZQQYbYS6WxSbIA", f)
	}
	// Every text that carries log content is masked, in groups too.
	maskReport(&r)
	masked := mask.Secrets(line)
	assert.Equal(t, masked, r.Findings[0].Message)
	assert.Equal(t, masked, r.Findings[0].Evidence[0].Excerpt)
	assert.Equal(t, []string{masked}, r.Inputs[0].Errors)
	last := r.Attempts[len(r.Attempts)-1]
	assert.Equal(t, masked, last.Decisive)
	assert.Equal(t, masked, last.Steps[0].Detail)
	assert.Equal(t, masked, r.Groups[0].Findings[0].Message)
	assert.Equal(t, masked, r.Groups[0].Findings[0].Evidence[0].Excerpt)
}

// junitShape is the element structure of a JUnit document: element names
// and attribute names, children in order, without values.
func junitShape(t *testing.T, data []byte) []string {
	t.Helper()
	var shape []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	path := []string{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			var attrs []string
			for _, a := range tok.Attr {
				attrs = append(attrs, a.Name.Local)
			}
			s := strings.Join(path, ">") + "[" + strings.Join(attrs, ",") + "]"
			if len(shape) == 0 || shape[len(shape)-1] != s {
				shape = append(shape, s)
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
	return shape
}

// TestRegressJUnitShape: regress --junit writes the shape of analyze -f
// junit (report.WriteJUnit): testsuites > testsuite > testcase, with a
// failure per failed case.
func TestRegressJUnitShape(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "regress.xml")
	code, out, stderr := sfblog(t, "", "regress", "--junit", junit, regressDir(t))
	require.Equal(t, exitFindings, code, out+stderr)
	assert.Contains(t, out, "FAIL wrong-expectation: missing SFB-CLOCK-SKEW")
	assert.Contains(t, out, "FAIL not-confirmed: SFB-SIP-NOT-ENABLED confirmed, want possible")
	assert.True(t, strings.HasSuffix(out, "1 passed, 2 failed\n"), out)
	regress, err := os.ReadFile(junit)
	require.NoError(t, err)
	// The elements analyze writes, a finding failing (--fail-on error) and
	// passing with its details in system-out (--fail-on none).
	var want []string
	for _, failOn := range []string{"error", "none"} {
		_, analyzed, _ := sfblog(t, "", "analyze", "-f", "junit", "--fail-on", failOn, filepath.Join(logs, "sip-not-enabled.zip"))
		want = append(want, junitShape(t, []byte(analyzed))...)
	}
	for _, e := range []string{
		"testsuites[name,tests,failures,errors]",
		"testsuites>testsuite[name,tests,failures,errors,skipped]",
		"testsuites>testsuite>testcase[classname,name]",
		"testsuites>testsuite>testcase>failure[message,type]",
	} {
		assert.Contains(t, want, e)
	}
	assert.Subset(t, want, junitShape(t, regress))
	assert.Contains(t, string(regress), `<testsuites name="sfblog regress" tests="3" failures="2" errors="0">`)
}

// TestJUnitFollowsFailOn: a finding fails its JUnit test case only at or
// above --fail-on, as the exit code does.
func TestJUnitFollowsFailOn(t *testing.T) {
	zip := filepath.Join(logs, "sip-not-enabled.zip") // one error finding
	for _, tc := range []struct {
		failOn   string
		code     int
		failures string
	}{{"none", 0, `failures="0"`}, {"error", 1, `failures="1"`}, {"info", 1, `failures="1"`}} {
		t.Run(tc.failOn, func(t *testing.T) {
			code, out, stderr := sfblog(t, "", "analyze", "-f", "junit", "--fail-on", tc.failOn, zip)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, out, "<testsuites name=\"sfblog\" tests=")
			assert.Contains(t, strings.SplitN(out, "\n", 3)[1], tc.failures)
		})
	}
}

// TestProgress draws the progress display on a buffer: bytes read, and
// the line cleared at the end.
func TestProgress(t *testing.T) {
	var buf syncBuffer
	var n int64
	var mu sync.Mutex
	read := func() int64 { mu.Lock(); defer mu.Unlock(); n += 5 << 20; return n }
	p := newProgress(&buf, func() int64 { return 200 << 20 }, read, 0)
	time.Sleep(3 * progressTick)
	p.stop()
	out := buf.String()
	assert.Contains(t, out, "reading")
	assert.Contains(t, out, "/210 MB", "bytes read of the total")
	last := out[strings.LastIndex(strings.TrimSuffix(out, "\r"), "\r")+1:]
	assert.Equal(t, "", strings.TrimSpace(last), "the line is cleared: %q", last)

	// Not a terminal, or --quiet: nothing.
	s := &streams{in: newStdin(context.Background(), strings.NewReader("")), err: &buf}
	assert.Nil(t, startProgress(s, []string{logs}))
	startProgress(s, nil).stop() // a nil progress stops
	if f, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer f.Close()
		assert.Nil(t, startProgress(&streams{err: f, quiet: true}, nil))
	}
	// A short run draws nothing.
	var quiet syncBuffer
	newProgress(&quiet, func() int64 { return 100 }, func() int64 { return 1 }, time.Hour).stop()
	assert.Empty(t, quiet.String())
}

func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), make([]byte, 10), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "b"), make([]byte, 5), 0o644))
	assert.Equal(t, int64(15), inputSize([]string{dir}))
	assert.Equal(t, int64(25), inputSize([]string{dir, filepath.Join(dir, "a")}))
	assert.Equal(t, int64(-1), inputSize([]string{dir, "-"}), "standard input: unknown")
	assert.Equal(t, int64(-1), inputSize([]string{filepath.Join(dir, "nope")}))
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// binDir holds the binary buildSfblog builds; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	if binDir, err = os.MkdirTemp("", "sfblog-test"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// buildSfblog builds the command once per test run, with -X main.version.
var buildSfblog = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "sfblog")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// -buildvcs=auto: stamp the commit even when GOFLAGS says otherwise;
	// auto leaves it out when git is missing.
	out, err := exec.Command("go", "build", "-buildvcs=auto", "-ldflags", "-X main.version=v9.9.9-test", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	bin, err := buildSfblog()
	require.NoError(t, err)
	return bin
}

// TestBinaryVersion: -X main.version wins over the module version, and
// the commit comes from the build information Go records.
func TestBinaryVersion(t *testing.T) {
	bin := binary(t)
	out, err := exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(out), "sfblog v9.9.9-test\n"), string(out))
	if exec.Command("git", "rev-parse", "HEAD").Run() == nil {
		// Built in a git checkout: the commit is one git knows.
		m := regexp.MustCompile(`(?m)^commit: ([0-9a-f]{40})( \(modified\))?$`).FindStringSubmatch(string(out))
		require.NotNil(t, m, string(out))
		assert.NoError(t, exec.Command("git", "cat-file", "-e", m[1]+"^{commit}").Run(), m[1])
	}
	out, err = exec.Command(bin, "analyze", "-f", "json", filepath.Join(logs, "healthy-signin.zip")).Output()
	require.NoError(t, err)
	assert.Equal(t, "v9.9.9-test", decodeReport(t, string(out)).Tool.Version)
}

// TestBinarySignals sends SIGINT and SIGTERM to "sfblog analyze -o FILE -"
// while it waits for standard input: one line, exit 130/143, no FILE left.
func TestBinarySignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	bin := binary(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.json")
			cmd := exec.Command(bin, "analyze", "-o", out, "-")
			stdin, err := cmd.StdinPipe()
			require.NoError(t, err)
			defer stdin.Close()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			// Wait until it has made the output file: the work has begun.
			for i := 0; i < 500; i++ {
				if _, err := os.Stat(out); err == nil {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond) // the signal handler is installed before
			require.NoError(t, cmd.Process.Signal(tc.sig))
			err = cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, tc.code, ee.ExitCode())
			assert.Equal(t, "sfblog: interrupted\n", stderr.String())
			assert.NoFileExists(t, out)
		})
	}
}

// regressDir makes a regression folder of three cases on the
// sip-not-enabled sample: one that passes, one that expects a finding the
// sample does not have, one that wants its confirmed finding possible.
func regressDir(t *testing.T) string {
	t.Helper()
	zip, err := os.ReadFile(filepath.Join(logs, "sip-not-enabled.zip"))
	require.NoError(t, err)
	root := t.TempDir()
	for name, expected := range map[string]string{
		"passes":            `{"findings": ["SFB-SIP-NOT-ENABLED"], "confirmed": ["SFB-SIP-NOT-ENABLED"], "exact": true}`,
		"wrong-expectation": `{"findings": ["SFB-CLOCK-SKEW"]}`,
		"not-confirmed":     `{"findings": ["SFB-SIP-NOT-ENABLED"], "possible": ["SFB-SIP-NOT-ENABLED"]}`,
	} {
		dir := filepath.Join(root, name)
		require.NoError(t, os.Mkdir(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "bundle.zip"), zip, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "expected.json"), []byte(expected), 0o644))
	}
	return root
}
