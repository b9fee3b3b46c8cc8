package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

// tarOfZip writes the files of the zip at p, in its order, as a tar.
func tarOfZip(t *testing.T, p string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(p)
	require.NoError(t, err)
	defer zr.Close()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: "./" + f.Name, Mode: 0o644, Size: int64(len(data)), ModTime: f.Modified}))
		_, err = tw.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// TestTarBundles: a sample bundle packed as a tar or a tar.gz (what a Mac or
// Linux user sends) gives the report of its zip, the paths aside. Before,
// a tar whose first file was an event log was "unrecognized", and one
// whose first file was a client log was read as one log, tar headers and
// event logs included.
func TestTarBundles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"evtx-with-client-logs", "bad-credentials", "damaged-bundle", "two-users"} {
		zipPath := filepath.Join(logs, name+".zip")
		tarred := tarOfZip(t, zipPath)
		code, want, stderr := sfblog(t, "", "analyze", "-f", "json", zipPath)
		require.NotEqual(t, exitUsage, code, stderr)
		for _, c := range []struct{ file, inner string }{
			{name + ".tar", ""},
			{name + ".tar.gz", name + ".tar!/"},
		} {
			t.Run(c.file, func(t *testing.T) {
				data := tarred
				if strings.HasSuffix(c.file, ".gz") {
					data = gzipBytes(t, tarred)
				}
				p := filepath.Join(dir, c.file)
				require.NoError(t, os.WriteFile(p, data, 0o644))
				gotCode, got, stderr := sfblog(t, "", "analyze", "-f", "json", p)
				assert.Equal(t, code, gotCode, stderr)
				got = strings.ReplaceAll(got, jsonPath(t, p+"!/"+c.inner), jsonPath(t, zipPath+"!/"))
				assert.JSONEq(t, want, got)
			})
		}
	}
}

// jsonPath is p as a JSON string holds it, without its quotes.
func jsonPath(t *testing.T, p string) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(p))
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
}

// TestCutShortArchive: a client log whose gzip or tar is cut short inside
// the first 8 KiB is read as far as it goes, and the report says where it
// ends; before, it was "unrecognized" with no event. The whole archive is
// the near miss: no error.
func TestCutShortArchive(t *testing.T) {
	logPath := filepath.Join(logs, "cases", "bad-credentials", "bundle", "Tracing", "Lync-UccApi-0.UccApilog")
	log, err := os.ReadFile(logPath)
	require.NoError(t, err)
	require.Greater(t, len(log), 8<<10)
	log = log[:7<<10] // a log under the size of the format sniffing
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "Lync-UccApi-0.UccApilog", Mode: 0o644, Size: int64(len(log))}))
	_, err = tw.Write(log)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	gz := gzipBytes(t, log)
	dir := t.TempDir()
	for _, c := range []struct {
		file  string
		data  []byte
		inner string
		err   string
	}{
		{"whole.UccApilog.gz", gz, "whole.UccApilog", ""},
		{"cut.UccApilog.gz", gz[:len(gz)*2/3], "cut.UccApilog", "unexpected EOF"},
		{"whole.tar", tb.Bytes(), "Lync-UccApi-0.UccApilog", ""},
		{"cut.tar", tb.Bytes()[:512+5000], "Lync-UccApi-0.UccApilog", "cut short: the archive ends 5000 bytes into the 7168 this entry declares"},
	} {
		t.Run(c.file, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			require.NoError(t, os.WriteFile(p, c.data, 0o644))
			code, out, stderr := sfblog(t, "", "analyze", "-f", "json", p)
			require.Contains(t, []int{exitOK, exitFindings}, code, stderr)
			r := decodeReport(t, out)
			require.Len(t, r.Inputs, 1)
			in := r.Inputs[0]
			assert.Equal(t, p+"!/"+c.inner, in.Path)
			assert.Equal(t, "uccapilog", string(in.Format))
			assert.Positive(t, in.Events, "events read before the end")
			if c.err == "" {
				assert.Empty(t, in.Errors)
				return
			}
			require.NotEmpty(t, in.Errors)
			assert.Contains(t, in.Errors[0], c.err)
			assert.Equal(t, 1, strings.Count(in.Errors[0], in.Path), "the path once: %s", in.Errors[0])
		})
	}
}

// TestSameLogTwice: a log given twice on the command line (itself, and in
// its folder), or held twice by a tar appended to, is one sign-in attempt,
// as the log alone. Before, both counted: 2 and 3 attempts.
func TestSameLogTwice(t *testing.T) {
	logDir := filepath.Join(logs, "cases", "bad-credentials", "bundle", "Tracing")
	logPath := filepath.Join(logDir, "Lync-UccApi-0.UccApilog")
	log, err := os.ReadFile(logPath)
	require.NoError(t, err)
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for range 2 {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: "Tracing/Lync-UccApi-0.UccApilog", Mode: 0o644, Size: int64(len(log))}))
		_, err = tw.Write(log)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	twice := filepath.Join(t.TempDir(), "twice.tar")
	require.NoError(t, os.WriteFile(twice, tb.Bytes(), 0o644))

	code0, want, stderr0 := sfblog(t, "", "analyze", "-f", "json", logPath)
	require.Equal(t, exitOK, code0, stderr0)
	alone := decodeReport(t, want)
	require.Equal(t, 1, alone.SignIn.Attempts)
	for _, args := range [][]string{
		{logPath, logDir, "./" + filepath.ToSlash(logPath)},
		{twice},
	} {
		code, out, stderr := sfblog(t, "", append([]string{"analyze", "-f", "json"}, args...)...)
		require.Equal(t, exitOK, code, stderr)
		r := decodeReport(t, out)
		assert.Equal(t, alone.SignIn.Attempts, r.SignIn.Attempts, "%v", args)
		assert.Equal(t, alone.SignIn.Registers, r.SignIn.Registers, "%v", args)
		require.Len(t, r.Findings, len(alone.Findings))
		for i, f := range r.Findings {
			assert.Equal(t, alone.Findings[i].ID, f.ID)
			assert.Equal(t, alone.Findings[i].EvidenceTotal, f.EvidenceTotal, f.ID)
		}
	}
}

// TestFilesBesideLogs: a screenshot, a media trace and an e-mail in a
// bundle are listed as not read, each named with what it is; an unknown
// binary file stays "format not recognized" (no error text).
func TestFilesBesideLogs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"error.png":   "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00",
		"Lync-0.etl":  "\x00\x00\x01\x00\x02\x00\x00\xc0\x14\x00",
		"mail.msg":    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
		"unknown.bin": "\x00\x01\x02\x03\xff\xfe",
		// As text, a message template of the locale metadata would be
		// the error text of two findings.
		"LocaleMetaData/Application_1033.MTA": utf16LE("Communicator\r\nCannot sign in because the server is temporarily unavailable. If the problem continues, please contact your support team.\r\n"),
	}
	for name, data := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644))
	}
	log := filepath.Join(logs, "cases", "bad-credentials", "bundle", "Tracing", "Lync-UccApi-0.UccApilog")
	code, out, stderr := sfblog(t, "", "analyze", "-f", "json", dir, log)
	require.Equal(t, exitOK, code, stderr)
	r := decodeReport(t, out)
	want := map[string]string{
		"error.png":            "not read: a PNG image",
		"Lync-0.etl":           "not read: an ETL trace",
		"mail.msg":             "not read: an Office document or Outlook message",
		"unknown.bin":          "",
		"Application_1033.MTA": "not read: the message texts of an exported event log (Event Viewer's LocaleMetaData)",
	}
	seen := 0
	for _, in := range r.Inputs {
		w, ok := want[filepath.Base(in.Path)]
		if !ok {
			continue
		}
		seen++
		assert.Equal(t, "unrecognized", string(in.Format), in.Path)
		if w == "" {
			assert.Empty(t, in.Errors, in.Path)
			continue
		}
		if assert.Len(t, in.Errors, 1, in.Path) {
			assert.Contains(t, in.Errors[0], w)
		}
	}
	assert.Equal(t, len(want), seen)
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"SFB-BAD-CREDENTIALS"}, ids)
}

// utf16LE is s in UTF-16LE with its byte order mark, as Windows writes
// text (s is ASCII).
func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return string(b)
}

// TestOwnOutputNotRead: the reports and parse output of earlier runs,
// left in a folder with the bundle (or zipped with it for a ticket), are
// named and not read: their excerpts counted again as pasted evidence (a
// markdown report even read as a client log: 2 sign-in attempts and 11
// errors where the bundle holds 1 and 1). The report the run is writing
// into that folder, and its temporary file, are not inputs at all.
func TestOwnOutputNotRead(t *testing.T) {
	zip := filepath.Join(logs, "clock-skew.zip")
	code, alone, stderr := sfblog(t, "", "analyze", "-f", "json", zip)
	require.Equal(t, exitOK, code, stderr)

	dir := t.TempDir()
	data, err := os.ReadFile(zip)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bundle.zip"), data, 0o644))
	for name, args := range map[string][]string{
		"old.json":     {"analyze", "-f", "json", zip},
		"old.md":       {"analyze", "-f", "markdown", zip},
		"old-ja.md":    {"analyze", "-f", "markdown", "--lang", "ja", zip},
		"old.html":     {"analyze", "-f", "html", zip},
		"old.xml":      {"analyze", "-f", "junit", zip},
		"events.jsonl": {"parse", zip},
	} {
		code, out, stderr := sfblog(t, "", args...)
		require.Equal(t, exitOK, code, stderr)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(out), 0o644))
	}
	out := filepath.Join(dir, "report.json")
	for run := range 2 { // the second run finds the first one's report.json
		code, _, stderr = sfblog(t, "", "analyze", "-o", out, dir)
		require.Equal(t, exitOK, code, stderr)
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		r := decodeReport(t, string(data))
		want := decodeReport(t, alone)
		assert.Equal(t, want.Findings[0].Evidence, trimPaths(r.Findings[0].Evidence, dir), "run %d", run)
		assert.Equal(t, want.SignIn, r.SignIn, "run %d", run)
		notRead := map[string]string{}
		for _, in := range r.Inputs {
			if in.Format == "unrecognized" {
				require.Len(t, in.Errors, 1, in.Path)
				notRead[filepath.Base(in.Path)] = in.Errors[0]
			}
		}
		assert.Equal(t, map[string]string{
			"events.jsonl": "not read: the events printed by sfblog parse; give sfblog the logs they were read from",
			"old-ja.md":    "not read: a markdown report written by sfblog; its excerpts are not evidence again",
			"old.html":     "not read: an HTML report written by sfblog; its excerpts are not evidence again",
			"old.json":     "not read: a JSON report written by sfblog; render it with sfblog report, or give sfblog the bundle it was made from",
			"old.md":       "not read: a markdown report written by sfblog; its excerpts are not evidence again",
			"old.xml":      "not read: a JUnit report written by sfblog",
		}, notRead, "run %d: report.json and its temporary file are no inputs", run)
	}
}

// trimPaths gives the evidence the paths of the bundle given alone.
func trimPaths(ev []analyze.Evidence, dir string) []analyze.Evidence {
	out := slices.Clone(ev)
	for i := range out {
		out[i].Path = strings.Replace(out[i].Path, filepath.Join(dir, "bundle.zip"), filepath.Join(logs, "clock-skew.zip"), 1)
	}
	return out
}

// TestOutputIsInput: -o naming an input is refused before any work, and
// the input stays as it was.
func TestOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(logs, "clock-skew.zip"))
	require.NoError(t, err)
	zip := filepath.Join(dir, "bundle.zip")
	require.NoError(t, os.WriteFile(zip, data, 0o644))
	require.NoError(t, os.Symlink(zip, filepath.Join(dir, "link.zip")))
	for _, o := range []string{zip, filepath.Join(dir, "link.zip"), filepath.Join(dir, ".", "bundle.zip")} {
		code, out, stderr := sfblog(t, "", "analyze", "-o", o, filepath.Join(dir, "x.log"), zip)
		assert.Equal(t, exitUsage, code)
		assert.Empty(t, out)
		assert.Equal(t, "sfblog: -o "+o+": it is an input; the report would replace it\n", stderr)
		got, err := os.ReadFile(zip)
		require.NoError(t, err)
		assert.Equal(t, data, got)
	}
}

// TestStdoutFileNotInput: standard output redirected into the folder being
// read ("sfblog analyze Tracing/ > Tracing/report.json") is not an input:
// it was an empty file that could not be read, or parse's own events.
func TestStdoutFileNotInput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(logs, "clock-skew.zip"))
	require.NoError(t, err)
	for _, args := range [][]string{{"analyze", "-f", "json"}, {"parse"}} {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "bundle.zip"), data, 0o644))
			name := filepath.Join(dir, args[0]+".out")
			f, err := os.Create(name)
			require.NoError(t, err)
			var stderr bytes.Buffer
			code := run(context.Background(), append(args, dir), strings.NewReader(""), f, &stderr)
			require.NoError(t, f.Close())
			require.Equal(t, exitOK, code, stderr.String())
			assert.Empty(t, stderr.String())
			out, err := os.ReadFile(name)
			require.NoError(t, err)
			assert.NotContains(t, string(out), ".out\"", "the output file is no input")
			if args[0] == "analyze" {
				assert.Len(t, decodeReport(t, string(out)).Inputs, 1)
			}
		})
	}
}
