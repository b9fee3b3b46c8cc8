package textenc

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// uccLines is the start of a client log in the shape of
// testdata/logs/cases/signin-address-format/bundle/Tracing/Lync-UccApi-0.UccApilog.
const uccLines = "05/15/2018|09:20:07.056 4C1C:4AF0 INFO  :: CUccPlatform::Initialize - UCCAPI/16.0.4717.1000 platform initialized\r\n" +
	"05/15/2018|09:20:07.070 4C1C:4AF0 INFO  :: CUccPlatform::Initialize - Tracing level FULL, client Skype for Business 16.0.4717.1000\r\n" +
	"05/15/2018|09:20:07.135 4C1C:4AF0 INFO  :: CUccServerEndpoint::Enable - Starting sign-in for sip:bob@contoso.com\r\n" +
	"05/15/2018|09:20:07.413 4C1C:4AF0 ERROR :: CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb\r\n"

// crashedLog is a client log whose writer crashed: a run of NULs where the
// unflushed part of the file was, then the next session's lines.
func crashedLog(nulRunLen int) []byte {
	return cat([]byte(uccLines), bytes.Repeat([]byte{0}, nulRunLen), []byte(uccLines), []byte(uccLines))
}

// japaneseNote is a note a Japanese user types in Notepad, with the error
// text the Japanese client shows.
const japaneseNote = "サインインできません。\r\n" +
	"エラー メッセージ: 「サインイン アドレスが見つかりませんでした」\r\n" +
	"昨日から発生しています。PC を再起動しても同じです。\r\n" +
	"ユーザー: bob@contoso.com\r\n"

func sjis(t testing.TB, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestIsTextNULRuns(t *testing.T) {
	evtx, err := os.ReadFile("../../testdata/evtx/evtx-attack-samples/Defense_Evasion_DE_104_system_log_cleared.evtx")
	require.NoError(t, err)
	utf16Crashed, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(crashedLog(0))
	require.NoError(t, err)
	utf16Crashed = cat(utf16Crashed[:300], make([]byte, 512), utf16Crashed[300:])

	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"log with a NUL run in the first KiB", crashedLog(700), true},
		{"log with a NUL run to the end of the head", crashedLog(8192), true},
		{"log that starts with a NUL run", cat(make([]byte, 1000), []byte(uccLines)), true},
		{"utf-16le log with a NUL run", utf16Crashed, true},
		{"only NULs", make([]byte, 4096), false},
		{"stray NULs between the words", []byte(strings.Repeat("sign\x00in\x00failed ", 50)), false},
		{"one NUL", []byte("text\x00text"), false},
		{"real evtx", evtx, false},
		{"windows executable header", cat([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"), make([]byte, 40), []byte("\x80\x00\x00\x00\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"), make([]byte, 64)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsText(tc.head))
		})
	}
}

func TestNewReaderNULRunPassesThrough(t *testing.T) {
	in := crashedLog(700)
	r, enc, err := NewReader(bytes.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, UTF8, enc)
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, in, out)
}

func TestShiftJIS(t *testing.T) {
	note := sjis(t, japaneseNote)
	require.False(t, bytes.Equal(note, []byte(japaneseNote)))
	long := sjis(t, strings.Repeat(japaneseNote, 200)) // longer than the sniffed head
	// Japanese text cut in the middle of a double-byte character.
	cut := sjis(t, strings.Repeat("サ", 3000))[:4095]
	// A client log line with the Japanese error text, as a copy and paste
	// into a Shift_JIS note leaves it.
	logAndNote := sjis(t, uccLines+"05/15/2018|09:20:07.413 4C1C:4AF0 ERROR :: サインイン アドレスが見つかりませんでした\r\n")

	tests := []struct {
		name    string
		in      []byte
		wantEnc string
		want    string // decoded text
		isText  bool
		isSJIS  bool
	}{
		{"cp932 note", note, ShiftJIS, japaneseNote, true, true},
		{"cp932 note longer than the head", long, ShiftJIS, strings.Repeat(japaneseNote, 200), true, true},
		{"cp932 log lines", logAndNote, ShiftJIS, uccLines + "05/15/2018|09:20:07.413 4C1C:4AF0 ERROR :: サインイン アドレスが見つかりませんでした\r\n", true, true},
		{"cp932 cut mid character", cut, ShiftJIS, strings.Repeat("サ", 2047) + "\uFFFD", true, true},
		{"utf-8 japanese without bom stays utf-8", []byte(japaneseNote), UTF8, japaneseNote, true, false},
		{"utf-8 japanese with bom", cat(bomUTF8, []byte(japaneseNote)), UTF8BOM, japaneseNote, true, false},
		{"ascii", []byte(uccLines), UTF8, uccLines, true, false},
		{"cp1252 german stays as it is", []byte("Anmeldung fehlgeschlagen, Gr\xfc\xdfe aus der Stra\xdfe.\r\n"), UTF8, "Anmeldung fehlgeschlagen, Gr\xfc\xdfe aus der Stra\xdfe.\r\n", true, false},
		{"cp1252 french stays as it is", []byte("L'adresse de connexion est introuvable. R\xe9essayez plus tard, s'il vous pla\xeet.\r\n"), UTF8, "L'adresse de connexion est introuvable. R\xe9essayez plus tard, s'il vous pla\xeet.\r\n", true, false},
		// CP1252 ± and ° decode as Shift_JIS half-width katakana.
		{"cp1252 symbols stay as they are", []byte("Uhrzeit \xb1 5 Minuten, Raum 20\xb0C, Toleranz \xb1 2\xb0.\r\n"), UTF8, "Uhrzeit \xb1 5 Minuten, Raum 20\xb0C, Toleranz \xb1 2\xb0.\r\n", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.isSJIS, IsShiftJIS(tc.in), "IsShiftJIS")
			assert.Equal(t, tc.isText, IsText(tc.in), "IsText")
			r, enc, err := NewReader(bytes.NewReader(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.wantEnc, enc)
			if tc.name == "cp932 cut mid character" {
				return // the head alone: the stream ends at the cut
			}
			out, err := io.ReadAll(r)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
}
