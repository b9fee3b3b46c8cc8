package bundle

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var modTime = time.Date(2024, 1, 15, 10, 2, 3, 0, time.UTC)

// zent is one entry of a zip made by mkzip.
type zent struct {
	name   string
	data   []byte
	stored bool
}

// mkzip builds a zip archive in memory.
func mkzip(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		method := zip.Deflate
		if e.stored {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method, Modified: modTime})
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// mkgz gzips data; name goes into the gzip header when not empty.
func mkgz(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = name
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func b(s string) []byte { return []byte(s) }

// writeTree writes files (relative path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
}

// inTree writes files (relative path -> content) under a new temporary
// folder and makes it the working directory of the test.
func inTree(t *testing.T, files map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	writeTree(t, dir, files)
}

// want is one expected entry: its content, or a substring of its Err.
type want struct {
	path        string
	content     string
	err         string // substring of Entry.Err; "" means no error
	readErr     string // substring of the error of reading the content
	unknownSize bool   // Size is -1 (gzip content)
}

// got is what the tests record of one yielded entry.
type got struct {
	path    string
	size    int64
	content string
	err     error
	readErr error
}

// collect walks paths and reads every readable entry inside fn.
func collect(t *testing.T, paths []string, opt Options) []got {
	t.Helper()
	var out []got
	err := Walk(context.Background(), paths, opt, func(e *Entry) error {
		g := got{path: e.Path, size: e.Size, err: e.Err}
		if e.Err == nil {
			rc, err := e.Open()
			require.NoError(t, err)
			data, err := io.ReadAll(rc)
			require.NoError(t, rc.Close())
			g.content, g.readErr = string(data), err
		} else {
			_, openErr := e.Open()
			assert.Equal(t, e.Err, openErr, "Open of an entry with Err returns Err")
		}
		out = append(out, g)
		return nil
	})
	require.NoError(t, err)
	return out
}

func check(t *testing.T, wants []want, gots []got) {
	t.Helper()
	var wantPaths, gotPaths []string
	for _, w := range wants {
		wantPaths = append(wantPaths, w.path)
	}
	for _, g := range gots {
		gotPaths = append(gotPaths, g.path)
	}
	require.Equal(t, wantPaths, gotPaths)
	for i, w := range wants {
		g := gots[i]
		if w.err != "" {
			assert.ErrorContains(t, g.err, w.err, g.path)
			continue
		}
		require.NoError(t, g.err, g.path)
		if w.readErr != "" {
			assert.ErrorContains(t, g.readErr, w.readErr, g.path)
			assert.ErrorContains(t, g.readErr, g.path, "read error names the entry")
			continue
		}
		require.NoError(t, g.readErr, g.path)
		assert.Equal(t, w.content, g.content, g.path)
		if w.unknownSize {
			assert.Equal(t, int64(-1), g.size, g.path)
		} else {
			assert.Equal(t, int64(len(w.content)), g.size, g.path)
		}
	}
}

// corruptCRC changes the CRC-32 of the first central-directory record.
func corruptCRC(t *testing.T, z []byte) []byte {
	t.Helper()
	z = bytes.Clone(z)
	i := bytes.Index(z, []byte("PK\x01\x02"))
	require.GreaterOrEqual(t, i, 0)
	z[i+16] ^= 0xFF
	return z
}

// corruptFirstData makes the compressed data of the first entry start with
// a deflate block of the reserved type, so decompression fails at once.
func corruptFirstData(t *testing.T, z []byte) []byte {
	t.Helper()
	z = bytes.Clone(z)
	require.True(t, bytes.HasPrefix(z, []byte("PK\x03\x04")))
	off := 30 + int(binary.LittleEndian.Uint16(z[26:])) + int(binary.LittleEndian.Uint16(z[28:]))
	z[off] = 0xFF
	return z
}

// rawzip builds a zip whose one entry has the given method and flags and
// raw (already "compressed") data.
func rawzip(t *testing.T, name string, method, flags uint16, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: method, Flags: flags, Modified: modTime,
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data)),
	})
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestWalk(t *testing.T) {
	logText := "01/15/2024|10:02:03.123 1F68:C14 ERROR :: sign-in failed\r\n"
	inner := mkzip(t,
		zent{name: "Tracing/", data: nil},
		zent{name: "Tracing/Lync-UccApi-0.UccApilog", data: b(logText)},
	)
	outer := mkzip(t,
		zent{name: "notes.txt", data: b("user says hello"), stored: true},
		zent{name: "inner.zip", data: inner},
		zent{name: "stored-inner.zip", data: inner, stored: true},
		zent{name: "z.log", data: b("last")},
	)
	big := strings.Repeat("0123456789abcdef", 10_000)

	tests := []struct {
		name  string
		files map[string][]byte
		paths []string
		opt   Options
		want  []want
	}{
		{
			name:  "plain file",
			files: map[string][]byte{"a.log": b(logText)},
			paths: []string{"a.log"},
			want:  []want{{path: "a.log", content: logText}},
		},
		{
			name:  "empty file",
			files: map[string][]byte{"empty.log": nil},
			paths: []string{"empty.log"},
			want:  []want{{path: "empty.log", content: ""}},
		},
		{
			name: "stored and deflated entries, folders skipped, backslashes converted",
			files: map[string][]byte{"b.zip": mkzip(t,
				zent{name: "Tracing/"},
				zent{name: "Tracing/stored.UccApilog", data: b(logText), stored: true},
				zent{name: "Tracing/deflated.UccApilog", data: b(big)},
				zent{name: `Windows\System.evtx`, data: b("ElfFile\x00")},
				zent{name: "empty.txt"},
			)},
			paths: []string{"b.zip"},
			want: []want{
				{path: "b.zip!/Tracing/stored.UccApilog", content: logText},
				{path: "b.zip!/Tracing/deflated.UccApilog", content: big},
				{path: "b.zip!/Windows/System.evtx", content: "ElfFile\x00"},
				{path: "b.zip!/empty.txt", content: ""},
			},
		},
		{
			name:  "nested zips, deflated and stored, expanded in place",
			files: map[string][]byte{"bundle.zip": outer},
			paths: []string{"bundle.zip"},
			want: []want{
				{path: "bundle.zip!/notes.txt", content: "user says hello"},
				{path: "bundle.zip!/inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.zip!/stored-inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.zip!/z.log", content: "last"},
			},
		},
		{
			name: "nested zip inside a folder inside a zip, recognised by content",
			files: map[string][]byte{"bundle.zip": mkzip(t,
				zent{name: "logs/"},
				zent{name: "logs/client/collected.bin", data: inner},
				zent{name: "logs/client/after.txt", data: b("after")},
			)},
			paths: []string{"bundle.zip"},
			want: []want{
				{path: "bundle.zip!/logs/client/collected.bin!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.zip!/logs/client/after.txt", content: "after"},
			},
		},
		{
			name:  "zip recognised by content without a .zip name",
			files: map[string][]byte{"bundle.dat": outer},
			paths: []string{"bundle.dat"},
			want: []want{
				{path: "bundle.dat!/notes.txt", content: "user says hello"},
				{path: "bundle.dat!/inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.dat!/stored-inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.dat!/z.log", content: "last"},
			},
		},
		{
			name:  "truncated zip",
			files: map[string][]byte{"cut.zip": outer[:len(outer)/2], "next.log": b("next")},
			paths: []string{"cut.zip", "next.log"},
			want: []want{
				{path: "cut.zip", err: "not a readable zip: zip: not a valid zip file"},
				{path: "next.log", content: "next"},
			},
		},
		{
			name:  "non-zip file named .zip",
			files: map[string][]byte{"fake.zip": b("this is not a zip\n")},
			paths: []string{"fake.zip"},
			want:  []want{{path: "fake.zip", err: "not a readable zip"}},
		},
		{
			name:  "empty file named .zip",
			files: map[string][]byte{"empty.zip": nil},
			paths: []string{"empty.zip"},
			want:  []want{{path: "empty.zip", err: "not a readable zip"}},
		},
		{
			name:  "empty zip archive yields nothing",
			files: map[string][]byte{"none.zip": mkzip(t)},
			paths: []string{"none.zip"},
			want:  nil,
		},
		{
			name:  "damaged zip nested in a zip",
			files: map[string][]byte{"b.zip": mkzip(t, zent{name: "bad.zip", data: outer[:100]}, zent{name: "ok.txt", data: b("ok")})},
			paths: []string{"b.zip"},
			want: []want{
				{path: "b.zip!/bad.zip", err: "not a readable zip"},
				{path: "b.zip!/ok.txt", content: "ok"},
			},
		},
		{
			name: "folder tree with a nested zip, lexical order",
			files: map[string][]byte{
				"in/z.log":           b("z"),
				"in/a.log":           b("a"),
				"in/sub/logs.zip":    inner,
				"in/sub/B.txt":       b("B"),
				"in/Tracing/x.log":   b("x"),
				"in/sub/deeper/c.gz": mkgz(t, "", b("gz content")),
			},
			paths: []string{"in"},
			want: []want{
				{path: filepath.FromSlash("in/Tracing/x.log"), content: "x"},
				{path: filepath.FromSlash("in/a.log"), content: "a"},
				{path: filepath.FromSlash("in/sub/B.txt"), content: "B"},
				{path: filepath.FromSlash("in/sub/deeper/c.gz") + "!/c", content: "gz content", unknownSize: true},
				{path: filepath.FromSlash("in/sub/logs.zip") + "!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: filepath.FromSlash("in/z.log"), content: "z"},
			},
		},
		{
			name:  "paths in the order given, missing path does not stop the walk",
			files: map[string][]byte{"a.log": b("a"), "b.log": b("b")},
			paths: []string{"b.log", "missing.log", "a.log"},
			want: []want{
				{path: "b.log", content: "b"},
				{path: "missing.log", err: "no such file or directory"},
				{path: "a.log", content: "a"},
			},
		},
		{
			name: "gzip files, in zips and around zips",
			files: map[string][]byte{
				"Lync-UccApi-0.UccApilog.gz": mkgz(t, "", b(logText)),
				"headername":                 mkgz(t, "from-header.log", b("h")),
				"b.zip":                      mkzip(t, zent{name: "logs/x.log.GZ", data: mkgz(t, "", b("in zip")), stored: true}),
				"bundle.zip.gz":              mkgz(t, "", inner),
			},
			paths: []string{"Lync-UccApi-0.UccApilog.gz", "headername", "b.zip", "bundle.zip.gz"},
			want: []want{
				{path: "Lync-UccApi-0.UccApilog.gz!/Lync-UccApi-0.UccApilog", content: logText, unknownSize: true},
				{path: "headername!/from-header.log", content: "h", unknownSize: true},
				{path: "b.zip!/logs/x.log.GZ!/x.log", content: "in zip", unknownSize: true},
				{path: "bundle.zip.gz!/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
			},
		},
		{
			name:  "truncated gzip fails on read, naming the entry",
			files: map[string][]byte{"cut.log.gz": mkgz(t, "", b(big))[:200]},
			paths: []string{"cut.log.gz"},
			want:  []want{{path: "cut.log.gz!/cut.log", readErr: "unexpected EOF"}},
		},
		{
			name: "CRC mismatch fails on read, naming the entry",
			files: map[string][]byte{
				"stored.zip":   corruptCRC(t, mkzip(t, zent{name: "Tracing/a.UccApilog", data: b(logText), stored: true})),
				"deflated.zip": corruptCRC(t, mkzip(t, zent{name: "Tracing/b.UccApilog", data: b(big)})),
			},
			paths: []string{"stored.zip", "deflated.zip"},
			want: []want{
				{path: "stored.zip!/Tracing/a.UccApilog", readErr: "zip: checksum error"},
				{path: "deflated.zip!/Tracing/b.UccApilog", readErr: "zip: checksum error"},
			},
		},
		{
			name:  "corrupt deflate data is reported at listing, naming the entry",
			files: map[string][]byte{"b.zip": corruptFirstData(t, mkzip(t, zent{name: "bad.log", data: b(big)}, zent{name: "ok.log", data: b("ok")}))},
			paths: []string{"b.zip"},
			want: []want{
				{path: "b.zip!/bad.log", err: "b.zip!/bad.log: flate: corrupt input"},
				{path: "b.zip!/ok.log", content: "ok"},
			},
		},
		{
			name: "encrypted entry and unknown compression method",
			files: map[string][]byte{
				"enc.zip":   rawzip(t, "secret.log", zip.Store, 0x1, b("xxxxxxxxxxxxxxxx")),
				"lzma.zip":  rawzip(t, "a.log", 14, 0, b("xxxx")),
				"plain.zip": rawzip(t, "raw.log", zip.Store, 0, b("raw")),
			},
			paths: []string{"enc.zip", "lzma.zip", "plain.zip"},
			want: []want{
				{path: "enc.zip!/secret.log", err: "encrypted zip entry, not supported"},
				{path: "lzma.zip!/a.log", err: "zip compression method 14 not supported"},
				{path: "plain.zip!/raw.log", content: "raw"}, // CRC 0: archive/zip skips the check
			},
		},
		{
			name:  "gzip magic with a damaged header",
			files: map[string][]byte{"bad.gz": b("\x1f\x8b\x08\x00\x00")},
			paths: []string{"bad.gz"},
			want:  []want{{path: "bad.gz", err: "not a readable gzip file"}},
		},
		{
			name:  "gzip deeper than MaxDepth",
			files: map[string][]byte{"l0.zip": mkzip(t, zent{name: "l1.zip", data: mkzip(t, zent{name: "x.gz", data: mkgz(t, "", b("x"))})})},
			paths: []string{"l0.zip"},
			opt:   Options{MaxDepth: 1},
			want:  []want{{path: "l0.zip!/l1.zip!/x.gz", err: "archive nested too deep (depth limit 1), not opened"}},
		},
		{
			name:  "nesting deeper than MaxDepth",
			files: map[string][]byte{"l0.zip": mkzip(t, zent{name: "l1.zip", data: mkzip(t, zent{name: "l2.zip", data: inner})})},
			paths: []string{"l0.zip"},
			opt:   Options{MaxDepth: 1},
			want:  []want{{path: "l0.zip!/l1.zip!/l2.zip", err: "archive nested too deep (depth limit 1), not opened"}},
		},
		{
			name:  "nesting within MaxDepth",
			files: map[string][]byte{"l0.zip": mkzip(t, zent{name: "l1.zip", data: mkzip(t, zent{name: "l2.zip", data: inner})})},
			paths: []string{"l0.zip"},
			opt:   Options{MaxDepth: 2},
			want:  []want{{path: "l0.zip!/l1.zip!/l2.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText}},
		},
		{
			name:  "declared size over MaxEntrySize",
			files: map[string][]byte{"b.zip": mkzip(t, zent{name: "big.log", data: b(big)}, zent{name: "small.log", data: b("small")})},
			paths: []string{"b.zip"},
			opt:   Options{MaxEntrySize: 1000},
			want: []want{
				{path: "b.zip!/big.log", err: "declared size of 160000 bytes exceeds the size limit of 1000 bytes"},
				{path: "b.zip!/small.log", content: "small"},
			},
		},
		{
			name:  "actual gzip size over MaxEntrySize",
			files: map[string][]byte{"big.log.gz": mkgz(t, "", b(big))},
			paths: []string{"big.log.gz"},
			opt:   Options{MaxEntrySize: 1000},
			want:  []want{{path: "big.log.gz!/big.log", readErr: "exceeds the size limit of 1000 bytes"}},
		},
		{
			name:  "nested zip through a temporary file",
			files: map[string][]byte{"bundle.zip": outer},
			paths: []string{"bundle.zip"},
			opt:   Options{MaxMemory: 16},
			want: []want{
				{path: "bundle.zip!/notes.txt", content: "user says hello"},
				{path: "bundle.zip!/inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.zip!/stored-inner.zip!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "bundle.zip!/z.log", content: "last"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tc.files)
			t.Chdir(dir)
			tmp := t.TempDir()
			tc.opt.TempDir = tmp
			check(t, tc.want, collect(t, tc.paths, tc.opt))
			left, err := os.ReadDir(tmp)
			require.NoError(t, err)
			assert.Empty(t, left, "temporary files are removed")
		})
	}
}

func TestWalkLinksAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{"real/a.log": b("a")})
	require.NoError(t, os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "link-dir")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real", "a.log"), filepath.Join(dir, "link.log")))
	t.Chdir(dir)

	t.Run("links inside a folder are not followed", func(t *testing.T) {
		check(t, []want{
			{path: "link-dir", err: "symbolic link, not followed"},
			{path: "link.log", err: "symbolic link, not followed"},
			{path: filepath.FromSlash("real/a.log"), content: "a"},
		}, collect(t, []string{"."}, Options{}))
	})
	t.Run("a link given as a path is followed", func(t *testing.T) {
		check(t, []want{
			{path: "link.log", content: "a"},
			{path: filepath.FromSlash("link-dir/a.log"), content: "a"},
		}, collect(t, []string{"link.log", "link-dir"}, Options{}))
	})
}

func TestWalkStdin(t *testing.T) {
	logText := "line one\r\nline two\r\n"
	tests := []struct {
		name  string
		stdin []byte
		opt   Options
		want  []want
	}{
		{"text", b(logText), Options{}, []want{{path: "-", content: logText}}},
		{"empty", nil, Options{}, []want{{path: "-", content: ""}}},
		{"zip", mkzip(t, zent{name: "Tracing/a.log", data: b(logText)}, zent{name: "b.log", data: b("b")}), Options{}, []want{
			{path: "-!/Tracing/a.log", content: logText},
			{path: "-!/b.log", content: "b"},
		}},
		{"zip through a temporary file", mkzip(t, zent{name: "a.log", data: b(logText)}), Options{MaxMemory: 10}, []want{
			{path: "-!/a.log", content: logText},
		}},
		{"gzip", mkgz(t, "", b(logText)), Options{}, []want{{path: "-!/-", content: logText, unknownSize: true}}},
		{"over MaxEntrySize", b(strings.Repeat("x", 100)), Options{MaxEntrySize: 10}, []want{{path: "-", err: "exceeds the size limit of 10 bytes"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			tc.opt.TempDir = tmp
			tc.opt.Stdin = bytes.NewReader(tc.stdin)
			check(t, tc.want, collect(t, []string{"-"}, tc.opt))
			left, err := os.ReadDir(tmp)
			require.NoError(t, err)
			assert.Empty(t, left, "temporary files are removed")
		})
	}
}

// TestOpenSeeker seeks and reads every kind of entry, from memory and
// through temporary files.
func TestOpenSeeker(t *testing.T) {
	content := strings.Repeat("0123456789", 1000) + "END"
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"plain.log": b(content),
		"b.zip": mkzip(t,
			zent{name: "stored.log", data: b(content), stored: true},
			zent{name: "deflated.log", data: b(content)},
			zent{name: "nested.zip", data: mkzip(t, zent{name: "deep.log", data: b(content)})},
		),
		"c.log.gz": mkgz(t, "", b(content)),
	})
	t.Chdir(dir)
	wantTemp := map[string]bool{ // with a tiny MaxMemory, which entries use a temporary file
		"b.zip!/deflated.log":         true,
		"b.zip!/nested.zip!/deep.log": true,
		"c.log.gz!/c.log":             true,
		"plain.log":                   false,
		"b.zip!/stored.log":           false,
		"-":                           false,
	}
	for _, maxMem := range []int64{0, 100} {
		tmp := t.TempDir()
		temps := new(Temps)
		opt := Options{MaxMemory: maxMem, TempDir: tmp, Temps: temps, Stdin: strings.NewReader(content)}
		var seen []string
		err := Walk(context.Background(), []string{"plain.log", "b.zip", "c.log.gz", "-"}, opt, func(e *Entry) error {
			seen = append(seen, e.Path)
			require.NoError(t, e.Err)
			madeBefore, before := temps.made.Load(), temps.count() // a nested zip may be in a temporary file
			rs, err := e.OpenSeeker()
			require.NoError(t, err)
			assert.Equal(t, maxMem > 0 && wantTemp[e.Path], temps.made.Load() == madeBefore+1, "%s: temporary file (MaxMemory %d)", e.Path, maxMem)
			assert.Equal(t, temps.made.Load()-madeBefore, int64(temps.count()-before), "%s: open temporary files", e.Path)

			for _, c := range []struct {
				off    int64
				whence int
				want   string
			}{
				{5000, io.SeekStart, "0123456789"},
				{-3, io.SeekEnd, "END"},
				{7, io.SeekStart, "789"},
				{-5, io.SeekCurrent, "5678901234"}, // after reading 7..10
			} {
				_, err := rs.Seek(c.off, c.whence)
				require.NoError(t, err)
				buf := make([]byte, len(c.want))
				_, err = io.ReadFull(rs, buf)
				require.NoError(t, err, e.Path)
				assert.Equal(t, c.want, string(buf), "%s: seek %d/%d", e.Path, c.off, c.whence)
			}
			end, err := rs.Seek(0, io.SeekEnd)
			require.NoError(t, err)
			assert.Equal(t, int64(len(content)), end, e.Path)

			require.NoError(t, rs.Close())
			assert.Equal(t, before, temps.count(), "%s: temporary file closed on Close", e.Path)
			return nil
		})
		require.NoError(t, err)
		assert.Zero(t, temps.count(), "temporary files closed after Walk")
		assert.Zero(t, countTempFiles(t, tmp), "temporary files removed after Walk")
		assert.Equal(t, []string{"plain.log", "b.zip!/stored.log", "b.zip!/deflated.log", "b.zip!/nested.zip!/deep.log", "c.log.gz!/c.log", "-"}, seen)
	}
}

func countTempFiles(t *testing.T, dir string) int {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	return len(des)
}

func TestWalkStops(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"a.log": b("a"),
		"b.zip": mkzip(t, zent{name: "1.log", data: b("1")}, zent{name: "2.log", data: b("2")}, zent{name: "3.log", data: b("3")}),
		"c.log": b("c"),
	})
	t.Chdir(dir)
	paths := []string{"a.log", "b.zip", "c.log"}
	errStop := errors.New("stop here")

	tests := []struct {
		name    string
		stopAt  int  // the entry (0-based) at which fn acts
		cancel  bool // cancel the context there, else return errStop
		early   bool // cancel before Walk starts
		wantErr error
		want    []string
	}{
		{name: "fn error inside a zip", stopAt: 2, wantErr: errStop, want: []string{"a.log", "b.zip!/1.log", "b.zip!/2.log"}},
		{name: "fn error at first", stopAt: 0, wantErr: errStop, want: []string{"a.log"}},
		{name: "cancel inside a zip", stopAt: 1, cancel: true, wantErr: context.Canceled, want: []string{"a.log", "b.zip!/1.log"}},
		{name: "cancelled before", early: true, wantErr: context.Canceled, want: nil},
		{name: "no stop", stopAt: -1, want: []string{"a.log", "b.zip!/1.log", "b.zip!/2.log", "b.zip!/3.log", "c.log"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.early {
				cancel()
			}
			var seen []string
			err := Walk(ctx, paths, Options{}, func(e *Entry) error {
				seen = append(seen, e.Path)
				if len(seen)-1 == tc.stopAt {
					if tc.cancel {
						cancel()
						return nil
					}
					return errStop
				}
				return nil
			})
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.wantErr)
				if tc.wantErr == errStop {
					assert.Same(t, errStop, err, "fn's error is returned unchanged")
				}
			}
			assert.Equal(t, tc.want, seen)
		})
	}
}

// cancellingReader cancels a context when it is first read, or when its
// source reaches the end if atEOF is set.
type cancellingReader struct {
	cancel context.CancelFunc
	r      io.Reader
	atEOF  bool
}

func (c cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if !c.atEOF || err != nil {
		c.cancel()
	}
	return n, err
}

// TestWalkCancelDuringCopy cancels while Walk copies standard input, or
// right after: Walk stops with the context's error, yields nothing and
// leaves no temporary file.
func TestWalkCancelDuringCopy(t *testing.T) {
	payload := strings.Repeat("x", 1<<20)
	nested := mkzip(t, zent{name: "n.zip", data: mkzip(t, zent{name: "a", data: b(payload)})})
	tests := []struct {
		name  string
		stdin []byte
		atEOF bool
	}{
		{"while copying text", b(payload), false},
		{"while copying a zip", nested, false},
		{"after copying a zip", nested, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tmp := t.TempDir()
			calls := 0
			stdin := cancellingReader{cancel: cancel, r: bytes.NewReader(tc.stdin), atEOF: tc.atEOF}
			err := Walk(ctx, []string{"-"}, Options{MaxMemory: 1024, TempDir: tmp, Stdin: stdin},
				func(*Entry) error { calls++; return nil })
			require.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, calls)
			assert.Zero(t, countTempFiles(t, tmp))
		})
	}
}

func TestWalkDeterministic(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for _, n := range []string{"q", "b", "x", "a", "m", "c", "Z", "_"} {
		files["t/"+n+".log"] = b(n)
		files["t/"+n+"/in.log"] = b(n)
	}
	files["t/m/bundle.zip"] = mkzip(t, zent{name: "z"}, zent{name: "a"}, zent{name: "m/n"})
	writeTree(t, dir, files)
	t.Chdir(dir)
	run := func() []string {
		var paths []string
		require.NoError(t, Walk(context.Background(), []string{"t"}, Options{}, func(e *Entry) error {
			paths = append(paths, filepath.ToSlash(e.Path))
			return nil
		}))
		return paths
	}
	first := run()
	for range 3 {
		require.Equal(t, first, run())
	}
	assert.Equal(t, []string{
		"t/Z/in.log", "t/Z.log", "t/_/in.log", "t/_.log", "t/a/in.log", "t/a.log",
		"t/b/in.log", "t/b.log", "t/c/in.log", "t/c.log",
		"t/m/bundle.zip!/z", "t/m/bundle.zip!/a", "t/m/bundle.zip!/m/n", "t/m/in.log", "t/m.log",
		"t/q/in.log", "t/q.log", "t/x/in.log", "t/x.log",
	}, first)
}

// TestEntryAfterWalk checks that entries of archives cannot be opened once
// Walk has left the archive, while plain files still can.
func TestEntryAfterWalk(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"a.log": b("a"),
		"b.zip": mkzip(t, zent{name: "x.log", data: b("x")}),
	})
	t.Chdir(dir)
	var entries []*Entry
	require.NoError(t, Walk(context.Background(), []string{"a.log", "b.zip", "-"}, Options{Stdin: strings.NewReader("in")}, func(e *Entry) error {
		entries = append(entries, e)
		return nil
	}))
	require.Len(t, entries, 3)

	rc, err := entries[0].Open()
	require.NoError(t, err)
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, "a", string(data))

	for _, e := range entries[1:] {
		_, err := e.Open()
		require.ErrorIs(t, err, errReleased, e.Path)
		assert.ErrorContains(t, err, e.Path)
		_, err = e.OpenSeeker()
		require.ErrorIs(t, err, errReleased, e.Path)
	}

	var zero Entry
	_, err = zero.Open()
	require.Error(t, err)
	_, err = zero.OpenSeeker()
	require.Error(t, err)
}

func TestGzipInnerName(t *testing.T) {
	tests := []struct{ name, header, want string }{
		{"Lync-UccApi-0.UccApilog.gz", "", "Lync-UccApi-0.UccApilog"},
		{"x.LOG.GZ", "other", "x.LOG"},
		{"logs.tgz", "", "logs.tar"},
		{"noext", `C:\Users\u\Tracing\a.log`, "a.log"},
		{"noext", "", "noext"},
		{".gz", "", ".gz"},
		{"-", "", "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+tc.header, func(t *testing.T) {
			assert.Equal(t, tc.want, gzipInnerName(tc.name, tc.header))
		})
	}
}

// TestSettle reads every entry in another goroutine after fn returned: the
// walk waits in Settle before it leaves an archive, so all reads succeed.
func TestSettle(t *testing.T) {
	inner := mkzip(t, zent{name: "in/c.log", data: b("c")})
	dir := t.TempDir()
	writeTree(t, dir, map[string][]byte{
		"b.zip": mkzip(t, zent{name: "a.log", data: b("a")}, zent{name: "inner.zip", data: inner, stored: true}, zent{name: "d.log", data: b("d")}),
	})
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		read = map[string]string{}
		errs []error
	)
	opt := Options{Settle: wg.Wait}
	require.NoError(t, Walk(context.Background(), []string{filepath.Join(dir, "b.zip")}, opt, func(e *Entry) error {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(10 * time.Millisecond) // read well after fn returned
			rc, err := e.Open()
			if err == nil {
				var data []byte
				data, err = io.ReadAll(rc)
				rc.Close()
				mu.Lock()
				read[filepath.Base(e.Path)] = string(data)
				mu.Unlock()
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
		return nil
	}))
	wg.Wait()
	assert.Empty(t, errs)
	assert.Equal(t, map[string]string{"a.log": "a", "c.log": "c", "d.log": "d"}, read)
}
