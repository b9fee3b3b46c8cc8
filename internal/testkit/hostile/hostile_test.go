package hostile

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"
)

func TestCRCCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 1000, 70000} {
		a, b := make([]byte, 333), make([]byte, n)
		for i := range a {
			a[i] = byte(rng.IntN(256))
		}
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		want := crc32.ChecksumIEEE(append(bytes.Clone(a), b...))
		assert.Equal(t, want, crcCombine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(n)), "len %d", n)
	}
	unit := []byte("0123456789")
	for _, reps := range []int64{0, 1, 2, 3, 13, 64} {
		assert.Equal(t, crc32.ChecksumIEEE(bytes.Repeat(unit, int(reps))), crcRepeat(crc32.ChecksumIEEE(unit), 10, reps), "reps %d", reps)
	}
}

// readAll reads every entry of a zip with archive/zip, which checks each
// entry's CRC-32 and size, and returns name -> content.
func readAll(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err, f.Name)
		b, err := io.ReadAll(rc)
		require.NoError(t, err, f.Name)
		require.NoError(t, rc.Close())
		out[f.Name] = b
	}
	return out
}

func TestErrorTextBomb(t *testing.T) {
	data := ErrorTextBomb(3 << 20)
	assert.Equal(t, data, ErrorTextBomb(3<<20), "deterministic")
	files := readAll(t, data)
	log := files["Tracing/Lync-UccApi-0.UccApilog"]
	assert.Equal(t, 3*len(textUnit()), len(log))
	assert.Equal(t, strings.Repeat(ErrorText, len(log)/len(ErrorText)), string(log))
	assert.Contains(t, files, "after.txt")

	big := ErrorTextBomb(200 << 20)
	assert.Less(t, len(big), 1<<20, "200 MiB in less than 1 MiB")
}

func TestOverlapBomb(t *testing.T) {
	data := OverlapBomb(5, 2<<20)
	assert.Equal(t, data, OverlapBomb(5, 2<<20), "deterministic")
	files := readAll(t, data) // checks the CRC-32 and size of every entry
	require.Len(t, files, 5)
	kernel := strings.Repeat("a", 2<<20)
	last := files["0004.UccApilog"]
	assert.Equal(t, kernel, string(last))
	first := files["0000.UccApilog"]
	assert.True(t, strings.HasSuffix(string(first), kernel))
	assert.Greater(t, len(first), len(last), "each entry quotes the local headers after it")

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
	}
	assert.Greater(t, declared, uint64(5*len(kernel)))
}

// pages counts the leaves of a nested zip and checks their content.
func pages(t *testing.T, data []byte) int {
	t.Helper()
	n := 0
	for name, b := range readAll(t, data) {
		if strings.HasSuffix(name, ".zip") {
			n += pages(t, b)
			continue
		}
		assert.Equal(t, ErrorText, string(b), name)
		n++
	}
	return n
}

func TestNestedBomb(t *testing.T) {
	for _, overlap := range []bool{true, false} {
		data := NestedBomb(4, 3, overlap)
		assert.Equal(t, data, NestedBomb(4, 3, overlap), "deterministic")
		assert.Equal(t, 64, pages(t, data), "overlap %v", overlap)
	}
	assert.Less(t, len(NestedBomb(16, 5, true)), 10_000)
	assert.Less(t, len(NestedBomb(16, 5, false)), 100_000)
}

func TestManyEntriesAndDeepNesting(t *testing.T) {
	data := ManyEntries(70_000) // past 65,535: a zip64 end record
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	assert.Len(t, zr.File, 70_000)

	deep := DeepNesting(5)
	for level := range 5 {
		files := readAll(t, deep)
		assert.Contains(t, files, "level-"+string(rune('0'+level))+".txt")
		deep = files["inner.zip"]
	}
	assert.Equal(t, ErrorText, string(readAll(t, deep)["Tracing/Lync-UccApi-0.UccApilog"]))
}

func TestLogs(t *testing.T) {
	folded := string(FoldedHeaders(1000))
	assert.Equal(t, 1000, strings.Count(folded, ",\r\n p"))
	assert.Equal(t, folded, string(FoldedHeaders(1000)))

	open := string(UnterminatedBlocks(100))
	assert.Equal(t, 100, strings.Count(open, "Data Received - "))
	assert.NotContains(t, open, "End of Data Received")

	blank := string(BlankLines(1000))
	assert.Equal(t, 2+1000+1, strings.Count(blank, "\r\n"), "two header lines, 1000 blank ones, the error line")
	assert.Contains(t, blank, ":: CUccServerEndpoint::Enable - Starting sign-in for sip:bob@contoso.com\r\n\r\n\r\n")
	assert.True(t, strings.HasSuffix(blank, "hr=0x8004c1fb\r\n"))

	crashed := CrashedLog(5000)
	assert.Contains(t, string(crashed), strings.Repeat("\x00", 5000))

	note, err := japanese.ShiftJIS.NewDecoder().Bytes(ShiftJISNote())
	require.NoError(t, err)
	assert.Equal(t, JapaneseNoteText, string(note))

	names := readAll(t, ControlChars())
	for _, n := range ControlNames {
		assert.Equal(t, ControlContent(), names[n], "%q", n)
	}
}

func TestSecrets(t *testing.T) {
	log, planted := Secrets()
	log2, planted2 := Secrets()
	assert.Equal(t, log, log2, "deterministic")
	assert.Equal(t, planted, planted2)
	require.Len(t, planted, 25)
	for _, s := range planted {
		assert.Contains(t, string(log), s)
		assert.GreaterOrEqual(t, len(s), 4, "%q", s)
	}
	for _, marker := range []string{"#access_token=", "client_assertion=", "?code=", "SAMLResponse=", "wresult=", "/cwt=",
		"<wst:RequestedSecurityToken>", "-----BEGIN PRIVATE KEY-----", "token: eyJ", "password: ", "\r\n srand=", "\r\n\tcnum=", "\r\nX-MS-Password: ", ";\r\n MSISAuth1=",
		"password '", `password="`, "PIN: "} {
		assert.Contains(t, string(log), marker)
	}
	assert.Equal(t, 3, strings.Count(string(log), "WWW-Authenticate:"))
}

func TestAll(t *testing.T) {
	if testing.Short() {
		t.Skip("generates about 57 MB")
	}
	seen := map[string]bool{}
	for _, f := range All() {
		assert.False(t, seen[f.Name], f.Name)
		seen[f.Name] = true
		assert.NotEmpty(t, f.Data, f.Name)
		assert.NotEmpty(t, f.About, f.Name)
	}
}

func mkgzip(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestTarShapes(t *testing.T) {
	read := func(data []byte) (names []string, sizes []int64) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		tr := tar.NewReader(zr)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				return names, sizes
			}
			require.NoError(t, err)
			names, sizes = append(names, h.Name), append(sizes, h.Size)
		}
	}
	bomb := TarBomb(8 << 20)
	assert.Equal(t, bomb, TarBomb(8<<20), "deterministic")
	names, sizes := read(bomb)
	assert.Equal(t, []string{"notes.txt", "Tracing/Lync-UccApi-0.UccApilog", "after.txt"}, names)
	assert.Greater(t, sizes[1], int64(7<<20))
	assert.Less(t, len(bomb), int(sizes[1]/200), "compressed over 200 times")
	many := ManyTarEntries(1000)
	assert.Len(t, many, 1000*1024+1024)
	names, _ = read(mkgzip(t, many))
	assert.Len(t, names, 1000)
}
