package event

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refSafeASCII and appendStringRef are safeASCII and appendString as they
// were before the word-at-a-time scan, kept verbatim as the oracle the
// new appendString is tested against.
var refSafeASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// appendStringRef appends s as a quoted JSON string, escaped as AppendJSON
// documents.
func appendStringRef(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if refSafeASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				// Other control characters, DEL, <, > and &.
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029' || r <= 0x9f || r == 0xfffe || r == 0xffff ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			// U+2028 and U+2029 (as encoding/json), the C1 controls,
			// the noncharacters and the bidirectional embeddings,
			// overrides and isolates (as termesc.JSON).
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hex[r>>12], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// TestSafeASCIIUnchanged: the table appendString uses for the last bytes
// of a string is the oracle's.
func TestSafeASCIIUnchanged(t *testing.T) {
	assert.Equal(t, refSafeASCII, safeASCII)
}

// pairWords calls fn with every word of 8 bytes that holds one
// background byte but at two neighbouring places, which hold every pair
// of byte values: the backgrounds are safe and unsafe bytes, so that a
// carry or borrow out of a byte into its neighbour shows.
func pairWords(fn func(w [8]byte)) {
	for _, bg := range []byte{'a', ' ', '~', '!', '^', 0x00, 0x1f, 0x7f, 0x80, 0xa0, 0xff, '"', '<', '\\'} {
		for k := range 7 {
			for a := range 256 {
				for b := range 256 {
					var w [8]byte
					for j := range w {
						w[j] = bg
					}
					w[k], w[k+1] = byte(a), byte(b)
					fn(w)
				}
			}
		}
	}
}

// TestWordBits: unsafeBytes marks the first byte that is not safeASCII,
// and blockBits the first that is not safeASCII or is ^, and none if there
// is none, in every word of pairWords.
func TestWordBits(t *testing.T) {
	tests := []struct {
		name  string
		stop  func(c byte) bool            // the bytes to mark
		marks func(x uint64) (bits uint64) // the marks of the word x
	}{
		{"unsafeBytes", func(c byte) bool { return !refSafeASCII[c] }, unsafeBytes},
		{"blockBits", func(c byte) bool { return !refSafeASCII[c] || c == '^' }, func(x uint64) uint64 {
			f, eq := blockBits(x)
			return (f | ^eq) & top
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairWords(func(w [8]byte) {
				var want uint64
				for j, c := range w {
					if tt.stop(c) {
						want = 0x80 << (8 * j)
						break
					}
				}
				x := load64(string(w[:]))
				if got := tt.marks(x); got&-got != want {
					require.Equal(t, want, got&-got, "%#016x", x)
				}
			})
		})
	}
}

// TestExactBytes: exactBytes marks every byte that is not safeASCII and
// no other, in every word of pairWords.
func TestExactBytes(t *testing.T) {
	pairWords(func(w [8]byte) {
		var want uint64
		for j, c := range w {
			if !refSafeASCII[c] {
				want |= 0x80 << (8 * j)
			}
		}
		x := load64(string(w[:]))
		if got := exactBytes(x); got != want {
			require.Equal(t, want, got, "%#016x", x)
		}
	})
}

// TestSafePrefix: safePrefix finds the first byte that is not safe at
// every place of strings of every length to 100, in each of the loops.
func TestSafePrefix(t *testing.T) {
	for n := range 100 {
		for _, c := range []byte{0x00, '\n', '"', '&', '<', '>', '\\', 0x7f, 0x80, 0xff} {
			for i := range n {
				b := []byte(strings.Repeat("a^~ ", 25)[:n])
				b[i] = c
				require.Equal(t, i, safePrefix(string(b)), "%q", b)
			}
		}
		require.Equal(t, n, safePrefix(strings.Repeat("a^~ ", 25)[:n]))
	}
}

// TestAppendString: strings whose unsafe bytes fall before, inside, across
// and after the 8-byte words of the scan, and in the last bytes tested
// one by one.
func TestAppendString(t *testing.T) {
	for _, tc := range []struct {
		name, s, want string
	}{
		{"empty", "", `""`},
		{"short", "abc", `"abc"`},
		{"one word", "abcdefgh", `"abcdefgh"`},
		{"word and tail", "abcdefghijk", `"abcdefghijk"`},
		{"escape first", "<bcdefghijk", `"\u003cbcdefghijk"`},
		{"escape last of word", "abcdefg>ijk", `"abcdefg\u003eijk"`},
		{"escape in tail", "abcdefghij&", `"abcdefghij\u0026"`},
		{"every ASCII escape", "\"\\<>&\b\f\n\r\t\x00\x1f\x7f", `"\"\\\u003c\u003e\u0026\b\f\n\r\t\u0000\u001f\u007f"`},
		{"neighbours of the escapes", "!#;=?%'[]^`{|}~ 0123456789:@ABYZ_az", `"!#;=?%'[]^` + "`" + `{|}~ 0123456789:@ABYZ_az"`},
		{"SIP", "REGISTER sip:contoso.com SIP/2.0\nFrom: <sip:bob@contoso.com>;tag=1\n", `"REGISTER sip:contoso.com SIP/2.0\nFrom: \u003csip:bob@contoso.com\u003e;tag=1\n"`},
		{"quoted", `realm="SIP Communications Service", qop="auth"`, `"realm=\"SIP Communications Service\", qop=\"auth\""`},
		{"UTF-8 written as it is", "café 日本語 𝄞 ok", `"café 日本語 𝄞 ok"`},
		{"UTF-8 across a word", "abcdefé日本語abcdefgh", `"abcdefé日本語abcdefgh"`},
		{"invalid UTF-8", "abcdefg\xffhij\xc2klmnop\xe2\x80", `"abcdefg\ufffdhij\ufffdklmnop\ufffd\ufffd"`},
		{"U+2028 and U+2029", "line\u2028sep\u2029para", `"line\u2028sep\u2029para"`},
		{"C1 controls", "a\u0080b\u0085c\u009bd\u009f", `"a\u0080b\u0085c\u009bd\u009f"`},
		{"U+00A0 written as it is", "a\u00a0b", "\"a\u00a0b\""},
		{"noncharacters", "abcdefgh\ufffe\uffff\ufffd", "\"abcdefgh\\ufffe\\uffff\ufffd\""},
		{"surrogate halves", "\xed\xa0\x80abcdefgh", `"\ufffd\ufffd\ufffdabcdefgh"`},
		{"long ASCII", strings.Repeat("0123456789abcdef", 64), `"` + strings.Repeat("0123456789abcdef", 64) + `"`},
		{"long escapes", strings.Repeat("<>", 20), `"` + strings.Repeat(`\u003c\u003e`, 20) + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, string(appendStringRef(nil, tc.s)), "the oracle")
			assert.Equal(t, tc.want, string(appendString(nil, tc.s)))
			assert.Equal(t, "prefix"+tc.want, string(appendString([]byte("prefix"), tc.s)))
		})
	}
}

// appendStringSeeds are the fuzz seeds: every byte alone and at every
// place of a 16-byte window (two words of the scan), the bytes at the
// edges of the safe set at every place of a 48-byte window, invalid
// UTF-8, the runes escaped above U+007F and their neighbours, long ASCII,
// and strings of every length from 0 to 17.
func appendStringSeeds() []string {
	var seeds []string
	const window = "0123456789abcdef"
	for c := range 256 {
		seeds = append(seeds, string([]byte{byte(c)}))
		for i := range len(window) {
			b := []byte(window)
			b[i] = byte(c)
			seeds = append(seeds, string(b))
		}
	}
	// The bytes around the edges of the safe set at every place of a
	// 48-byte window, past the first word and a 32-byte block.
	long := strings.Repeat("The quick brown fox, 0123456789. ", 2)[:48]
	for _, c := range []byte{0x00, 0x1f, ' ', '!', '"', '#', '&', '<', '=', '>', '\\', '^', '~', 0x7f, 0x80, 0xc2, 0xe2, 0xff} {
		for i := range len(long) {
			b := []byte(long)
			b[i] = c
			seeds = append(seeds, string(b))
		}
	}
	for n := range 18 {
		seeds = append(seeds, strings.Repeat("x", n), strings.Repeat("x", n)+"<")
	}
	seeds = append(seeds,
		"\xff", "\xc2", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "abcdefg\xe2\x80\xa8",
		"\u2028", "\u2029", "\u2027\u202a", "\u0085", "\u0080\u009f\u00a0", "\ufffe", "\uffff", "\ufffd", "\U0010ffff",
		strings.Repeat("REGISTER sip:contoso.com SIP/2.0 ", 40),
		strings.Repeat("a", 4096)+"\n",
		"Via: SIP/2.0/TLS 10.0.4.15:55861\nFrom: <sip:bob@contoso.com>;tag=0436e47160\nTo: \"Bob\" <sip:bob@contoso.com>\n",
	)
	return seeds
}

// FuzzAppendStringSameAsRef: appendString writes what appendStringRef
// writes, byte for byte, after any prefix.
func FuzzAppendStringSameAsRef(f *testing.F) {
	for _, s := range appendStringSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := appendStringRef(nil, s)
		if got := appendString(nil, s); string(got) != string(want) {
			require.Equal(t, string(want), string(got), "%q", s)
		}
		prefix := []byte("prefix")
		if got := appendString(prefix[:len(prefix):len(prefix)], s); string(got) != "prefix"+string(want) {
			require.Equal(t, "prefix"+string(want), string(got), "%q after a prefix", s)
		}
	})
}
