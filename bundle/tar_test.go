package bundle

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tent is one entry of a tar made by mktar: a regular file unless typ says
// otherwise.
type tent struct {
	name string
	data []byte
	typ  byte
	link string
	size int64 // declared size when not 0 (a header that lies)
}

// mktar builds a tar archive in memory, in the PAX format when a name is
// longer than the old header holds.
func mktar(t testing.TB, ents ...tent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Typeflag: typ, Linkname: e.link, Mode: 0o644, ModTime: modTime}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.data))
		}
		require.NoError(t, tw.WriteHeader(h))
		if len(e.data) > 0 {
			_, err := tw.Write(e.data)
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// TestWalkTar: tar archives, plain, gzipped (.tar.gz, .tgz), inside zips and
// holding zips, read in place like zips: folders skipped, links named and
// not followed, an archive cut short read as far as it goes, its limits
// those of zips.
func TestWalkTar(t *testing.T) {
	logText := "01/15/2024|10:02:03.123 1F68:C14 ERROR :: sign-in failed\r\n"
	big := strings.Repeat("0123456789abcdef", 10_000)
	long := strings.Repeat("d/", 60) + "Lync-UccApi-0.UccApilog" // past the 100 bytes of an old header
	plain := mktar(t,
		tent{name: "./Tracing/", typ: tar.TypeDir},
		tent{name: "./Tracing/Lync-UccApi-0.UccApilog", data: b(logText)},
		tent{name: "./EventLogs/System.evtx", data: b(big)},
		tent{name: "./empty.txt"},
		tent{name: "./latest.log", typ: tar.TypeSymlink, link: "Tracing/Lync-UccApi-0.UccApilog"},
		tent{name: long, data: b("x")},
	)
	plainWant := func(top string) []want {
		return []want{
			{path: top + "!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
			{path: top + "!/EventLogs/System.evtx", content: big},
			{path: top + "!/empty.txt", content: ""},
			{path: top + "!/latest.log", err: `link to "Tracing/Lync-UccApi-0.UccApilog", not followed`},
			{path: top + "!/" + long, content: "x"},
		}
	}
	gzWant := func(top, inner string) []want {
		w := plainWant(top + "!/" + inner)
		return w
	}
	cut := plain[:1024+512+10_000] // the archive ends inside the second file
	zipInTar := mktar(t, tent{name: "bundle.zip", data: mkzip(t, zent{name: "a.log", data: b(logText)})}, tent{name: "b.log", data: b("b")})
	tarInZip := mkzip(t, zent{name: "logs.tar", data: plain, stored: true}, zent{name: "logs.tar.gz", data: mkgz(t, "", plain)})
	many := make([]tent, 5)
	for i := range many {
		many[i] = tent{name: string(rune('a'+i)) + ".log", data: b("x")}
	}
	tests := []struct {
		name  string
		files map[string][]byte
		paths []string
		opt   Options
		want  []want
	}{
		{name: "plain tar", files: map[string][]byte{"b.tar": plain}, paths: []string{"b.tar"}, want: plainWant("b.tar")},
		{name: "tar known by its content, not its name", files: map[string][]byte{"bundle": plain}, paths: []string{"bundle"}, want: plainWant("bundle")},
		{name: "tar.gz", files: map[string][]byte{"b.tar.gz": mkgz(t, "", plain)}, paths: []string{"b.tar.gz"}, want: gzWant("b.tar.gz", "b.tar")},
		{name: "tgz", files: map[string][]byte{"b.tgz": mkgz(t, "", plain)}, paths: []string{"b.tgz"}, want: gzWant("b.tgz", "b.tar")},
		{
			name: "tar in a zip, stored and gzipped", files: map[string][]byte{"z.zip": tarInZip}, paths: []string{"z.zip"},
			want: append(plainWant("z.zip!/logs.tar"), gzWant("z.zip!/logs.tar.gz", "logs.tar")...),
		},
		{
			name: "zip in a tar", files: map[string][]byte{"t.tar": zipInTar}, paths: []string{"t.tar"},
			want: []want{{path: "t.tar!/bundle.zip!/a.log", content: logText}, {path: "t.tar!/b.log", content: "b"}},
		},
		{
			name: "cut short: read as far as it goes, then the reading fails naming the entry", files: map[string][]byte{"cut.tar": cut}, paths: []string{"cut.tar"},
			want: []want{
				{path: "cut.tar!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "cut.tar!/EventLogs/System.evtx", readErr: "cut short: the archive ends 9488 bytes into the 160000 this entry declares"},
			},
		},
		{
			name: "named .tar but not one", files: map[string][]byte{"x.tar": bytes.Repeat([]byte("not a tar "), 100)}, paths: []string{"x.tar"},
			want: []want{{path: "x.tar", err: "not a readable tar after 0 entries"}},
		},
		{
			name: "too many entries", files: map[string][]byte{"m.tar": mktar(t, many...)}, paths: []string{"m.tar"}, opt: Options{MaxEntries: 3},
			want: []want{
				{path: "m.tar!/a.log", content: "x"}, {path: "m.tar!/b.log", content: "x"}, {path: "m.tar!/c.log", content: "x"},
				{path: "m.tar", err: "the limit of 3 entries per run is reached; its entries from the 4th on not read"},
			},
		},
		{
			name: "entry over the size limit", files: map[string][]byte{"s.tar": plain}, paths: []string{"s.tar"}, opt: Options{MaxEntrySize: 1000},
			want: []want{
				{path: "s.tar!/Tracing/Lync-UccApi-0.UccApilog", content: logText},
				{path: "s.tar!/EventLogs/System.evtx", err: "declared size of 160000 bytes exceeds the size limit of 1000 bytes"},
				{path: "s.tar!/empty.txt", content: ""},
				{path: "s.tar!/latest.log", err: "not followed"},
				{path: "s.tar!/" + long, content: "x"},
			},
		},
		{
			name: "tar.gz nested past the depth limit", files: map[string][]byte{"d.tar.gz": mkgz(t, "", mktar(t, tent{name: "in.tar.gz", data: mkgz(t, "", plain)}))},
			paths: []string{"d.tar.gz"}, opt: Options{MaxDepth: 2},
			want: []want{{path: "d.tar.gz!/d.tar!/in.tar.gz!/in.tar", err: "archive nested too deep"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inTree(t, tc.files)
			check(t, tc.want, collect(t, tc.paths, tc.opt))
		})
	}
}

// TestTarInPlace: an uncompressed tar's entries are read in place, with
// random access, and their reading counts against the run's budget.
func TestTarInPlace(t *testing.T) {
	evtx := append([]byte("ElfFile\x00"), bytes.Repeat([]byte{7}, 70_000)...)
	inTree(t, map[string][]byte{"e.tar": mktar(t, tent{name: "System.evtx", data: evtx}, tent{name: "b.log", data: b("b")})})
	var paths []string
	err := Walk(context.Background(), []string{"e.tar"}, Options{MaxBytes: 80_000}, func(e *Entry) error {
		paths = append(paths, e.Path)
		if e.Err != nil {
			return nil
		}
		rs, err := e.OpenSeeker()
		require.NoError(t, err)
		defer rs.Close()
		_, isSection := rs.(nopSeekCloser)
		assert.True(t, isSection, "read in place")
		if e.Path == "e.tar!/System.evtx" {
			_, err = rs.Seek(-int64(len(evtx)-8), io.SeekEnd)
			require.NoError(t, err)
			var seven [1]byte
			_, err = io.ReadFull(rs, seven[:])
			require.NoError(t, err)
			assert.Equal(t, byte(7), seven[0])
		}
		rc, err := e.Open()
		require.NoError(t, err)
		defer rc.Close()
		_, err = io.Copy(io.Discard, rc)
		if e.Path == "e.tar!/System.evtx" {
			require.NoError(t, err)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"e.tar!/System.evtx", "e.tar!/b.log"}, paths)

	// A budget smaller than the first entry stops its reading.
	err = Walk(context.Background(), []string{"e.tar"}, Options{MaxBytes: 1000}, func(e *Entry) error {
		if e.Err != nil || e.Path != "e.tar!/System.evtx" {
			return nil
		}
		rc, err := e.Open()
		require.NoError(t, err)
		defer rc.Close()
		_, err = io.Copy(io.Discard, rc)
		assert.True(t, errors.Is(err, ErrBudget), "%v", err)
		return nil
	})
	require.NoError(t, err)
}

// TestTarBomb: a tar.gz whose content passes the compression ratio is read
// up to the limit: the files before the bomb whole; the bomb is refused,
// as a zip's entry would be; the archive is listed with the reason, and
// the files beside it are read.
func TestTarBomb(t *testing.T) {
	zeros := make([]byte, 8<<20)
	note := "Sign-in fails since this morning.\r\n"
	bomb := mkgz(t, "", mktar(t, tent{name: "note.txt", data: b(note)}, tent{name: "a.log", data: zeros}, tent{name: "b.log", data: zeros}))
	require.Less(t, len(bomb), 40<<10)
	inTree(t, map[string][]byte{"bomb.tar.gz": bomb, "z.log": b("z")})
	gots := collect(t, []string{"bomb.tar.gz", "z.log"}, Options{})
	check(t, []want{
		{path: "bomb.tar.gz!/bomb.tar!/note.txt", content: note},
		{path: "bomb.tar.gz!/bomb.tar!/a.log", err: "declared size of 8388608 bytes passes the 4192768 bytes the archive may still expand to"},
		{path: "bomb.tar.gz!/bomb.tar", err: "not a readable tar after 2 entries"},
		{path: "z.log", content: "z"},
	}, gots)
	assert.ErrorIs(t, gots[1].err, ErrRatio)
	assert.ErrorIs(t, gots[2].err, ErrRatio)
}

// TestTarGzCutShort: a .tar.gz cut short gives the files before the cut,
// the file it cuts as far as it goes, and says where the gzip ends.
func TestTarGzCutShort(t *testing.T) {
	logText := strings.Repeat("01/15/2024|10:02:03.123 1F68:C14 ERROR :: sign-in failed\r\n", 2000)
	var noise bytes.Buffer
	for i := 0; noise.Len() < 200_000; i++ {
		noise.WriteString(strings.Repeat(string(rune('a'+i%26)), i%97+1) + "\n")
	}
	gz := mkgz(t, "", mktar(t, tent{name: "a.log", data: b(logText)}, tent{name: "b.txt", data: noise.Bytes()}, tent{name: "c.log", data: b(logText)}))
	inTree(t, map[string][]byte{"cut.tar.gz": gz[:len(gz)*2/3]})
	gots := collect(t, []string{"cut.tar.gz"}, Options{})
	check(t, []want{
		{path: "cut.tar.gz!/cut.tar!/a.log", content: logText},
		{path: "cut.tar.gz!/cut.tar!/b.txt", readErr: "cut short"},
		{path: "cut.tar.gz!/cut.tar", err: "unexpected EOF"},
	}, gots)
	assert.True(t, strings.HasPrefix(noise.String(), gots[1].content))
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th"} {
		assert.Equal(t, want, ordinal(n))
	}
}

// TestOtherArchives: archives and compressed files that sfblog does not open
// are named, with how to extract them, instead of "format not recognized";
// a text that begins like one is a near miss and stays a file.
func TestOtherArchives(t *testing.T) {
	files := map[string][]byte{
		"a.cab":   b("MSCF\x00\x00\x00\x00\x9a\x12\x00\x00"),
		"b.7z":    b("7z\xbc\xaf\x27\x1c\x00\x04"),
		"c.rar":   b("Rar!\x1a\x07\x01\x00"),
		"d.xz":    b("\xfd7zXZ\x00\x00\x04"),
		"e.zst":   b("\x28\xb5\x2f\xfd\x24\x00"),
		"f.bz2":   b("BZh91AY&SY"),
		"g.txt":   b("BZh is how bzip2 files begin"),
		"h.cab":   b("MSCF is the magic of a cabinet file"),
		"in.zip":  mkzip(t, zent{name: "logs.cab", data: b("MSCF\x00\x00\x00\x00x")}),
		"j.7z.gz": mkgz(t, "", b("7z\xbc\xaf\x27\x1c\x00\x04")),
	}
	inTree(t, files)
	check(t, []want{
		{path: "a.cab", err: "archive format not supported: a CAB archive, which sfblog does not open: extract it (expand -F:* FILE.cab FOLDER)"},
		{path: "b.7z", err: "a 7-Zip archive"},
		{path: "c.rar", err: "a RAR archive"},
		{path: "d.xz", err: "an xz-compressed file, which sfblog does not open: decompress it (xz -d)"},
		{path: "e.zst", err: "a Zstandard-compressed file"},
		{path: "f.bz2", err: "a bzip2-compressed file"},
		{path: "g.txt", content: "BZh is how bzip2 files begin"},
		{path: "h.cab", content: "MSCF is the magic of a cabinet file"},
		{path: "in.zip!/logs.cab", err: "a CAB archive"},
		{path: "j.7z.gz!/j.7z", err: "a 7-Zip archive"},
	}, collect(t, []string{"a.cab", "b.7z", "c.rar", "d.xz", "e.zst", "f.bz2", "g.txt", "h.cab", "in.zip", "j.7z.gz"}, Options{}))
	for _, g := range collect(t, []string{"b.7z"}, Options{}) {
		assert.ErrorIs(t, g.err, ErrUnsupportedArchive)
	}
}

// TestDuplicatePaths: a name an archive holds twice gets " (2)", so that
// the analysis tells the two apart; a file the paths give twice is walked
// once, under its first path. Near misses: two names that differ, the same
// name in two archives.
func TestDuplicatePaths(t *testing.T) {
	inTree(t, map[string][]byte{
		"z.zip":   mkzip(t, zent{name: "a.log", data: b("1")}, zent{name: "a.log", data: b("2")}, zent{name: "a.log (2)", data: b("3")}, zent{name: "A.log", data: b("4")}),
		"t.tar":   mktar(t, tent{name: "a.log", data: b("1")}, tent{name: "./a.log", data: b("2")}),
		"u.tar":   mktar(t, tent{name: "a.log", data: b("5")}),
		"d/b.log": b("b"),
	})
	check(t, []want{
		{path: "z.zip!/a.log", content: "1"},
		{path: "z.zip!/a.log (2)", content: "2"},
		{path: "z.zip!/a.log (2) (2)", content: "3"},
		{path: "z.zip!/A.log", content: "4"},
		{path: "t.tar!/a.log", content: "1"},
		{path: "t.tar!/a.log (2)", content: "2"},
		{path: "u.tar!/a.log", content: "5"},
		{path: "d/b.log", content: "b"},
	}, collect(t, []string{"z.zip", "t.tar", "u.tar", "d/b.log", "./d/b.log", "d", absPath(t, "d/b.log"), "z.zip"}, Options{}))
}

// absPath is p from the working directory, made absolute.
func absPath(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	require.NoError(t, err)
	return a
}

// TestSecretsInPaths: a secret in a file or entry name (a saved page named
// after its URL) is masked in Entry.Path, in folders, zips, tars and gzip
// names; a name about secrets that holds none stays.
func TestSecretsInPaths(t *testing.T) {
	inTree(t, map[string][]byte{
		"d/password=Hunter2.log":         b("1"),
		"d/Passwords/notes.log":          b("2"),
		"z.zip":                          mkzip(t, zent{name: "callback?code=SplxlOBeZQQYbYS6WxSbIA.html", data: b("3")}),
		"t.tar":                          mktar(t, tent{name: "x/access_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJib2IifQ.sig", data: b("4")}),
		"refresh_token=s3cr3tTok.log.gz": mkgz(t, "", b("5")),
		"Lync-UccApi-0.UccApilog":        b("6"),
	})
	check(t, []want{
		{path: "d/Passwords/notes.log", content: "2"},
		{path: "d/password=<masked>", content: "1"},
		{path: "z.zip!/callback?code=<masked>", content: "3"},
		{path: "t.tar!/x/access_token=<masked>", content: "4"},
		{path: "refresh_token=<masked>!/refresh_token=<masked>", content: "5", unknownSize: true},
		{path: "Lync-UccApi-0.UccApilog", content: "6"},
	}, collect(t, []string{"d", "z.zip", "t.tar", "refresh_token=s3cr3tTok.log.gz", "Lync-UccApi-0.UccApilog"}, Options{}))
}

// TestTarStream: the entries of a .tar.gz are read as the gzip streams, one
// at a time: a 48 MiB entry is read with little memory (the heap's peak,
// against the size of the entry); an entry can be opened again from its
// start after its first bytes were read (the format sniffing, then the
// parser, then an event log's random access), not after more; the walk
// moves on only once the caller is done with an entry (Settle).
func TestTarStream(t *testing.T) {
	evtx := append([]byte("ElfFile\x00"), bytes.Repeat([]byte{7}, 100_000)...)
	var lines bytes.Buffer
	for i := uint64(1); lines.Len() < 48<<20; i++ {
		fmt.Fprintf(&lines, "01/15/2024|10:02:03.123 1F68:C14 INFO  :: line %d of a long client log %x\r\n", i, i*0x9e3779b97f4a7c15)
	}
	big := lines.Bytes()
	gz := mkgz(t, "", mktar(t, tent{name: "System.evtx", data: evtx}, tent{name: "big.log", data: big}, tent{name: "z.log", data: b("z")}))
	inTree(t, map[string][]byte{"s.tar.gz": gz})
	var (
		paths   []string
		settled int
	)
	stop := heapPeak()
	err := Walk(context.Background(), []string{"s.tar.gz"}, Options{Settle: func() { settled++ }}, func(e *Entry) error {
		paths = append(paths, e.Path)
		require.NoError(t, e.Err)
		head := make([]byte, 8)
		rc, err := e.Open()
		require.NoError(t, err)
		_, err = io.ReadAtLeast(rc, head, 1)
		require.NoError(t, err)
		switch e.Path {
		case "s.tar.gz!/s.tar!/System.evtx":
			// Sniffed, then read with random access from the start.
			rs, err := e.OpenSeeker()
			require.NoError(t, err)
			defer rs.Close()
			_, err = rs.Seek(int64(len(evtx)-1), io.SeekStart)
			require.NoError(t, err)
			data, err := io.ReadAll(rs)
			require.NoError(t, err)
			assert.Equal(t, []byte{7}, data)
		case "s.tar.gz!/s.tar!/big.log":
			rc2, err := e.Open() // the parser, after the sniffing
			require.NoError(t, err)
			n, err := io.Copy(io.Discard, rc2)
			require.NoError(t, err)
			assert.Equal(t, int64(len(big)), n)
			_, err = e.Open()
			assert.ErrorContains(t, err, "opened again after")
			// The first reader, at byte 8, still has the kept bytes, not more.
			n, err = io.Copy(io.Discard, rc)
			assert.Equal(t, int64(maxReplay-8), n)
			assert.ErrorContains(t, err, "read again past the 65536 bytes kept")
		}
		return nil
	})
	peak, _ := stop()
	require.NoError(t, err)
	assert.Equal(t, []string{"s.tar.gz!/s.tar!/System.evtx", "s.tar.gz!/s.tar!/big.log", "s.tar.gz!/s.tar!/z.log"}, paths)
	assert.GreaterOrEqual(t, settled, 3, "settled after each entry")
	assert.Less(t, peak, uint64(len(big)/4), "heap peak while a %d-byte entry streams", len(big))
}

// TestArchivePanic: a panic while an archive is walked (here, of the
// caller's function on one entry, standing for a library's on an input it
// did not expect) ends that archive with an entry that says so; the inputs
// after it are walked.
func TestArchivePanic(t *testing.T) {
	inTree(t, map[string][]byte{
		"z.zip": mkzip(t, zent{name: "a.log", data: b("a")}, zent{name: "boom.log", data: b("x")}, zent{name: "c.log", data: b("c")}),
		"t.tar": mktar(t, tent{name: "boom.log", data: b("x")}),
		"b.log": b("b"),
	})
	var paths, errs []string
	err := Walk(context.Background(), []string{"z.zip", "t.tar", "b.log"}, Options{}, func(e *Entry) error {
		if strings.HasSuffix(e.Path, "boom.log") {
			panic("boom")
		}
		paths = append(paths, e.Path)
		if e.Err != nil {
			errs = append(errs, e.Err.Error())
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"z.zip!/a.log", "z.zip", "t.tar", "b.log"}, paths)
	assert.Equal(t, []string{
		"internal error while reading the archive; the rest of it is not read: boom",
		"internal error while reading the archive; the rest of it is not read: boom",
	}, errs)
}

// TestMacMetadata: the AppleDouble files and .DS_Store that the macOS
// Finder puts in a zip are skipped, in zips, tars and folders; files so
// named that hold something else are read.
func TestMacMetadata(t *testing.T) {
	appleDouble := b("\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02")
	dsStore := b("\x00\x00\x00\x01Bud1\x00\x00\x10\x00")
	inTree(t, map[string][]byte{
		"m.zip": mkzip(t,
			zent{name: "bundle/Tracing/Lync-UccApi-0.UccApilog", data: b("log")},
			zent{name: "bundle/.DS_Store", data: dsStore},
			zent{name: "__MACOSX/bundle/Tracing/._Lync-UccApi-0.UccApilog", data: appleDouble},
			zent{name: "bundle/._notes.txt", data: b("a note named so")},
		),
		"m.tar":       mktar(t, tent{name: "._a.log", data: appleDouble}, tent{name: "a.log", data: b("a")}),
		"d/.DS_Store": dsStore,
		"d/._b.log":   appleDouble,
		"d/b.log":     b("b"),
		"e/.DS_Store": b("not a Finder file"),
	})
	check(t, []want{
		{path: "m.zip!/bundle/Tracing/Lync-UccApi-0.UccApilog", content: "log"},
		{path: "m.zip!/bundle/._notes.txt", content: "a note named so"},
		{path: "m.tar!/a.log", content: "a"},
		{path: "d/b.log", content: "b"},
		{path: "e/.DS_Store", content: "not a Finder file"},
	}, collect(t, []string{"m.zip", "m.tar", "d", "e"}, Options{}))
}

// TestSkip: the files of Options.Skip (the report a run writes into a
// folder it reads, and its temporary file) are left out wherever the walk
// meets them, given as a folder's files or by name; the same file by
// another name (a hard link) too.
func TestSkip(t *testing.T) {
	inTree(t, map[string][]byte{
		"d/a.log":              b("a"),
		"d/report.json":        b("{}"),
		"d/.report.json.x.tmp": b(""),
		"d/sub/b.log":          b("b"),
	})
	require.NoError(t, os.Link("d/report.json", "d/sub/hardlink.json"))
	got := collect(t, []string{"d", "d/report.json"}, Options{Skip: []string{"d/report.json", absPath(t, "d/.report.json.x.tmp"), "d/not-yet.md"}})
	check(t, []want{
		{path: "d/a.log", content: "a"},
		{path: "d/sub/b.log", content: "b"},
	}, got)

	// By its info alone: the file standard output goes to.
	info, err := os.Stat("d/sub/b.log")
	require.NoError(t, err)
	got = collect(t, []string{"d/sub"}, Options{SkipFiles: []os.FileInfo{info, nil}})
	check(t, []want{{path: "d/sub/hardlink.json", content: "{}"}}, got)
}
