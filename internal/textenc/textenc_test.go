package textenc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encode16 returns s as UTF-16 code units in the given byte order.
func encode16(s string, bigEndian bool) []byte {
	units := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			b = binary.BigEndian.AppendUint16(b, u)
		} else {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var (
	bomLE   = []byte{0xFF, 0xFE}
	bomBE   = []byte{0xFE, 0xFF}
	bomUTF8 = []byte{0xEF, 0xBB, 0xBF}
)

// A line as the Lync client writes it, with smart quotes, an emoji (a
// surrogate pair in UTF-16) and CRLF.
const sample = "01/15/2024|10:02:03.123 1F68:C14 ERROR :: “Can’t sign in” 😀 — Ünïcode\r\nnext line\r\n"

type decodeCase struct {
	name    string
	in      []byte
	wantEnc string
	want    string
}

func decodeCases() []decodeCase {
	return []decodeCase{
		{"empty", nil, UTF8, ""},
		{"ascii crlf", []byte("a\r\nb\r\n"), UTF8, "a\r\nb\r\n"},
		{"utf-8 no bom", []byte(sample), UTF8, sample},
		{"utf-8 bom stripped", cat(bomUTF8, []byte(sample)), UTF8BOM, sample},
		{"utf-8 bom only", bomUTF8, UTF8BOM, ""},
		{"invalid utf-8 passed through", []byte("Gr\xfc\xdfe \xff\xfe? x"), UTF8, "Gr\xfc\xdfe \xff\xfe? x"},
		{"utf-16le bom", cat(bomLE, encode16(sample, false)), UTF16LE, sample},
		{"utf-16be bom", cat(bomBE, encode16(sample, true)), UTF16BE, sample},
		{"utf-16le bom only", bomLE, UTF16LE, ""},
		{"utf-16le no bom", encode16("Lync-UccApi log line\r\nsecond line “q”\r\n", false), UTF16LE, "Lync-UccApi log line\r\nsecond line “q”\r\n"},
		{"utf-16be no bom", encode16("Lync-UccApi log line\r\n", true), UTF16BE, "Lync-UccApi log line\r\n"},
		{"utf-16le single char no bom", encode16("a", false), UTF16LE, "a"},
		{"utf-16le odd trailing byte", cat(bomLE, encode16("ab", false), []byte{'c'}), UTF16LE, "ab\uFFFD"},
		{"utf-16le unpaired high surrogate then ascii", cat(bomLE, []byte{0x3D, 0xD8, 'A', 0}), UTF16LE, "\uFFFDA"},
		{"utf-16le two high surrogates then pair", cat(bomLE, []byte{0x3D, 0xD8}, encode16("😀", false)), UTF16LE, "\uFFFD😀"},
		{"utf-16le high surrogate at end", cat(bomLE, []byte{'x', 0, 0x3D, 0xD8}), UTF16LE, "x\uFFFD"},
		{"utf-16le high surrogate then odd byte", cat(bomLE, []byte{0x3D, 0xD8, 'z'}), UTF16LE, "\uFFFD\uFFFD"},
		{"utf-16le unpaired low surrogate", cat(bomLE, []byte{0x00, 0xDE, 'B', 0}), UTF16LE, "\uFFFDB"},
		{"utf-16be surrogate pair", cat(bomBE, encode16("x😀y", true)), UTF16BE, "x😀y"},
		{"binary zeros on both sides stays utf-8", []byte{0, 0, 0, 0, 1, 0, 0, 2}, UTF8, "\x00\x00\x00\x00\x01\x00\x00\x02"},
	}
}

// readers gives the ways a decoded stream is read in the tests: one read
// of everything, tiny caller buffers, and sources that return one byte or
// half of what was asked at a time (so chunk boundaries fall inside code
// units and surrogate pairs).
var readers = []struct {
	name string
	src  func(io.Reader) io.Reader
	buf  int // caller buffer size; 0 means io.ReadAll
}{
	{"readall", func(r io.Reader) io.Reader { return r }, 0},
	{"buf1", func(r io.Reader) io.Reader { return r }, 1},
	{"buf2", func(r io.Reader) io.Reader { return r }, 2},
	{"buf3", func(r io.Reader) io.Reader { return r }, 3},
	{"buf7", func(r io.Reader) io.Reader { return r }, 7},
	{"onebyte source", iotest.OneByteReader, 0},
	{"half source buf5", iotest.HalfReader, 5},
	{"data+eof source", iotest.DataErrReader, 0},
}

func readWith(t *testing.T, r io.Reader, size int) string {
	t.Helper()
	if size == 0 {
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		return string(b)
	}
	var out []byte
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		require.LessOrEqual(t, n, size)
		out = append(out, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return string(out)
		}
		require.NoError(t, err)
	}
}

func TestNewReader(t *testing.T) {
	for _, tc := range decodeCases() {
		for _, rd := range readers {
			t.Run(tc.name+"/"+rd.name, func(t *testing.T) {
				r, enc, err := NewReader(rd.src(bytes.NewReader(tc.in)))
				require.NoError(t, err)
				assert.Equal(t, tc.wantEnc, enc)
				assert.Equal(t, tc.want, readWith(t, r, rd.buf))
			})
		}
	}
}

// TestNewReaderIOTest runs the standard library's reader conformance checks.
func TestNewReaderIOTest(t *testing.T) {
	for _, tc := range decodeCases() {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := NewReader(bytes.NewReader(tc.in))
			require.NoError(t, err)
			require.NoError(t, iotest.TestReader(r, []byte(tc.want)))
		})
	}
}

// TestNewReaderLargeUTF16 decodes a file several times the decoder's buffer
// whose size is no multiple of it, with a surrogate pair placed across the
// first buffer boundary.
func TestNewReaderLargeUTF16(t *testing.T) {
	// The BOM takes 2 bytes; 2046 ASCII code units bring the emoji's high
	// surrogate to bytes 4094-4095 and its low one to 4096-4097.
	var sb strings.Builder
	sb.WriteString(strings.Repeat("a", 2046))
	sb.WriteString("😀")
	for i := 0; sb.Len() < 40_000; i++ {
		sb.WriteString("line “quoted” ’ 😀\r\n")
	}
	want := sb.String()
	for _, bigEndian := range []bool{false, true} {
		bom, wantEnc := bomLE, UTF16LE
		if bigEndian {
			bom, wantEnc = bomBE, UTF16BE
		}
		in := cat(bom, encode16(want, bigEndian))
		require.NotZero(t, len(in)%bufSize, "input size must not be a multiple of the buffer")
		for _, rd := range readers {
			t.Run(wantEnc+"/"+rd.name, func(t *testing.T) {
				r, enc, err := NewReader(rd.src(bytes.NewReader(in)))
				require.NoError(t, err)
				assert.Equal(t, wantEnc, enc)
				got := readWith(t, r, rd.buf)
				assert.Equal(t, len(want), len(got))
				assert.True(t, got == want, "decoded text differs")
			})
		}
	}
}

// TestNewReaderSourceError checks that an error of the source reaches the
// caller after the data decoded before it.
func TestNewReaderSourceError(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		in      []byte
		wantOut string
	}{
		{"utf-16le", cat(bomLE, encode16(strings.Repeat("x", 600), false)), strings.Repeat("x", 600)},
		{"utf-8", []byte(strings.Repeat("y", 700)), strings.Repeat("y", 700)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := NewReader(io.MultiReader(bytes.NewReader(tc.in), iotest.ErrReader(errBoom)))
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.ErrorIs(t, err, errBoom)
			assert.Equal(t, tc.wantOut, string(got))
		})
	}
	t.Run("fails at sniff", func(t *testing.T) {
		_, _, err := NewReader(iotest.ErrReader(errBoom))
		require.ErrorIs(t, err, errBoom)
		assert.Contains(t, err.Error(), "sniff encoding")
	})
}

func TestIsText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	evtx, err := os.ReadFile("../../testdata/evtx/evtx-attack-samples/Defense_Evasion_DE_104_system_log_cleared.evtx")
	require.NoError(t, err)
	notEvtx, err := os.ReadFile("../../testdata/evtx/derived/not_evtx.evtx")
	require.NoError(t, err)
	// A long UTF-8 text cut in the middle of a 3-byte character at 4096.
	cut := []byte(strings.Repeat("a", 4095) + "“rest")
	// Text for 4 KiB, binary after it: only the head counts.
	textThenBinary := cat([]byte(strings.Repeat("text line\n", 410)), random)
	// UTF-16LE cut between the halves of a surrogate pair.
	cut16 := cat(bomLE, encode16(strings.Repeat("b", 2046)+"😀", false))[:4096]
	controls := []byte(strings.Repeat("abc\x01\x02\x03defgh ", 50))

	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"empty", nil, true},
		{"ascii", []byte("Sign-in failed\r\n"), true},
		{"utf-8 smart quotes", []byte(sample), true},
		{"utf-8 bom", cat(bomUTF8, []byte(sample)), true},
		{"utf-16le bom", cat(bomLE, encode16(sample, false)), true},
		{"utf-16be bom", cat(bomBE, encode16(sample, true)), true},
		{"utf-16le no bom", encode16("Lync-UccApi log line\r\n", false), true},
		{"cp1252 bytes mostly ascii", []byte("Anmeldung fehlgeschlagen, Gr\xfc\xdfe aus der Stra\xdfe, bitte erneut versuchen.\r\n"), true},
		{"ansi colours", []byte("\x1b[31mERROR\x1b[0m sign-in failed\n"), true},
		{"cut mid character", cut, true},
		{"utf-16 cut mid surrogate pair", cut16, true},
		{"only first 4 KiB counts", textThenBinary, true},
		{"real text file from corpus", notEvtx, true},
		{"one NUL", []byte("text\x00text"), false},
		{"random bytes", random, false},
		{"real evtx", evtx, false},
		{"zip header", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00abc"), false},
		{"png header", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), false},
		{"many controls", controls, false},
		{"mostly invalid utf-8", []byte("\xc0\xc1\xf8\xf9\xfa abc \xfb\xfc\xfd\xfe\xff"), false},
		{"utf-16le bom with binary", cat(bomLE, []byte{1, 2, 3, 4, 5, 6, 7, 8, 0, 0}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsText(tc.head))
		})
	}
}

func BenchmarkNewReaderUTF16(b *testing.B) {
	in := cat(bomLE, encode16(strings.Repeat(sample, 20_000), false))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r, _, err := NewReader(bytes.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestUTF16Realigns: a byte lost or added in the middle of a UTF-16 log
// (a damaged copy) shifted every unit after it; the reader finds ASCII
// read one byte off, skips a byte, marks the place with U+FFFD and reads
// the rest as written. Real text whose characters end in a 0 byte (U+4E00)
// is left as it is.
func TestUTF16Realigns(t *testing.T) {
	const log = "06/03/2014|09:44:13.324 1B58:1C24 ERROR :: Sign-in failed\r\nSIP/2.0 404 Not Found\r\nms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\"\r\n"
	le := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	be := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	half := len(le(log)) / 2 // an even offset: a unit's first byte
	for _, tc := range []struct {
		name string
		raw  []byte
		want []string // in the decoded text
		not  string
	}{
		{"a byte added (LE)", append(append(append([]byte{0xff, 0xfe}, le(log)[:half]...), 'X'), le(log)[half:]...),
			[]string{"SIP/2.0 404 Not Found", "reason=\"Destination URI either not enabled for SIP or does not exist\""}, ""},
		{"a byte lost (LE)", append(append([]byte{0xff, 0xfe}, le(log)[:half]...), le(log)[half+1:]...),
			[]string{"not enabled for SIP or does not exist\""}, ""},
		{"a byte added (BE)", append(append(append([]byte{0xfe, 0xff}, be(log)[:half]...), 'X'), be(log)[half:]...),
			[]string{"not enabled for SIP or does not exist\""}, ""},
		{"near miss: characters ending in a 0 byte", append([]byte{0xff, 0xfe}, le("一丁七丈三上下 Not Found\r\n"+log)...),
			[]string{"一丁七丈三上下 Not Found", log}, "\ufffd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _, err := NewReader(bytes.NewReader(tc.raw))
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			for _, w := range tc.want {
				assert.Contains(t, string(got), w)
			}
			if tc.not != "" {
				assert.NotContains(t, string(got), tc.not)
			} else {
				assert.Equal(t, 1, strings.Count(string(got), "\ufffd"), "one mark: %q", got)
			}
		})
	}
}

// FuzzUTF16ReadsAgree: a UTF-16 input decodes to the same text however
// its reads are cut (one byte at a time, half of each read, whole), and
// the text is valid UTF-8.
func FuzzUTF16ReadsAgree(f *testing.F) {
	for _, s := range []string{"A\x00B\x00C\x00", "\x00A\x00B\x00C\x00D\x00E\x00F\x00G\x00H\x00I", "A\x00X\x00B\x00C\x00D\x00E\x00F\x00G\x00H\x00I\x00J\x00", "\x00\xd8\x00\xdc"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, bigEndian bool) {
		bom := "\xff\xfe"
		if bigEndian {
			bom = "\xfe\xff"
		}
		read := func(wrap func(io.Reader) io.Reader) string {
			r, _, err := NewReader(wrap(strings.NewReader(bom + s)))
			require.NoError(t, err)
			b, err := io.ReadAll(r)
			require.NoError(t, err)
			return string(b)
		}
		whole := read(func(r io.Reader) io.Reader { return r })
		require.True(t, utf8.ValidString(whole))
		require.Equal(t, whole, read(iotest.OneByteReader), "one byte at a time")
		require.Equal(t, whole, read(iotest.HalfReader), "half reads")
	})
}

// emptyReads returns nothing n times, then src's data.
type emptyReads struct {
	n   int
	src io.Reader
}

func (e *emptyReads) Read(p []byte) (int, error) {
	if e.n > 0 {
		e.n--
		return 0, nil
	}
	return e.src.Read(p)
}

// A source that returns nothing 100 times in a row counts as broken, as
// bufio.Reader has it; 99 times is allowed.
func TestUTF16EmptyReads(t *testing.T) {
	text := encode16(strings.Repeat("z", 40), false)
	for _, tc := range []struct {
		empties int
		err     error
	}{{0, nil}, {maxEmptyReads - 1, nil}, {maxEmptyReads, io.ErrNoProgress}} {
		d := newUTF16Reader(&emptyReads{n: tc.empties, src: bytes.NewReader(text)}, false)
		got, err := io.ReadAll(d)
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, "%d empty reads", tc.empties)
			continue
		}
		require.NoError(t, err, "%d empty reads", tc.empties)
		assert.Equal(t, strings.Repeat("z", 40), string(got))
	}
}
