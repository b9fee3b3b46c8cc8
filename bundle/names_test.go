package bundle

import (
	"archive/zip"
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

func sjisName(t *testing.T, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().String(s)
	require.NoError(t, err)
	return b
}

func cp437Name(t *testing.T, s string) string {
	t.Helper()
	b, err := charmap.CodePage437.NewEncoder().String(s)
	require.NoError(t, err)
	return b
}

// TestEntryName: names that are not UTF-8 read as their writer's system
// showed them: Shift_JIS when they read as Japanese (a zip made on
// Japanese Windows), else code page 437. Near misses: code page 437 names
// whose bytes also decode as Shift_JIS, into full-width Latin letters.
func TestEntryName(t *testing.T) {
	for _, want := range []string{
		"ログ/山田/Lync-UccApi-0.UccApilog",
		"表示/ソフト.txt", // trail bytes 0x5C, a backslash in ASCII
		"サインイン できない.txt",
	} {
		assert.Equal(t, want, entryName(sjisName(t, want)))
	}
	for _, want := range []string{"Réunion.log", "café.log", "Mañana/niño.txt", "Ünïcödé"} {
		assert.Equal(t, want, entryName(cp437Name(t, want)), "%q", cp437Name(t, want))
	}
	for _, s := range []string{"Tracing/Lync-UccApi-0.UccApilog", "ログ/a.log", "Réunion.log"} {
		assert.Equal(t, s, entryName(s), "UTF-8 stays")
	}
}

// TestEntryNameInZip: a zip written without the UTF-8 flag, as Windows'
// own zip writes it on a Japanese system, gives its names decoded, its
// folder separators where they are.
func TestEntryNameInZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{sjisName(t, `山田\表示\Lync-UccApi-0.UccApilog`), cp437Name(t, "Réunion.txt")} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, NonUTF8: true, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write([]byte("x"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	inTree(t, map[string][]byte{"j.zip": buf.Bytes()})
	check(t, []want{
		{path: "j.zip!/山田/表示/Lync-UccApi-0.UccApilog", content: "x"},
		{path: "j.zip!/Réunion.txt", content: "x"},
	}, collect(t, []string{"j.zip"}, Options{}))
}

// FuzzEntryName: any name comes out as valid UTF-8, a UTF-8 name
// unchanged.
func FuzzEntryName(f *testing.F) {
	f.Add("Tracing/Lync-UccApi-0.UccApilog")
	f.Add("\x8e\x52\x93\x63/\x95\x5c\x8e\xa6")
	f.Add("R\x82union.log")
	f.Add("\xff\xfe\x00")
	f.Fuzz(func(t *testing.T, name string) {
		got := entryName(name)
		if !utf8.ValidString(got) {
			t.Fatalf("entryName(%q) = %q, not UTF-8", name, got)
		}
		if utf8.ValidString(name) && got != name {
			t.Fatalf("entryName(%q) = %q, want it unchanged", name, got)
		}
	})
}
