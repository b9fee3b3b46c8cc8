package uccapilog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// threeFieldsRef is threeFields as strings.Fields defines it.
func threeFieldsRef(s string) (a, b, c string, ok bool) {
	f := strings.Fields(s)
	if len(f) != 3 {
		return "", "", "", false
	}
	return f[0], f[1], f[2], true
}

func TestThreeFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "REGISTER sip:contoso.com SIP/2.0", "  INVITE\tsip:a@b  SIP/2.0 \r",
		"SIP/2.0 200 OK", "SIP/2.0 401 Unauthorized now", "a b", "a b c d",
		"a\u00a0b c",    // NBSP splits: a, b, c
		"a b c\u00a0d",  // a fourth field after Unicode space
		"a b c d\u00e9", // non-ASCII after the fourth field
		"caf\u00e9 sip:x SIP/2.0", "a\u2003b\u2003c", "\u00e9",
		"a b \xff", "a\vb\fc",
	} {
		a, b, c, ok := threeFields(s)
		ra, rb, rc, rok := threeFieldsRef(s)
		assert.Equal(t, []any{ra, rb, rc, rok}, []any{a, b, c, ok}, "%q", s)
		ba, bb, bc, bok := threeFields([]byte(s))
		assert.Equal(t, []any{ra, rb, rc, rok}, []any{string(ba), string(bb), string(bc), bok}, "%q as bytes", s)
	}
}

func FuzzThreeFields(f *testing.F) {
	for _, s := range []string{"REGISTER sip:contoso.com SIP/2.0", "a\u00a0b c", "a b c d\u00e9", "x\u2003y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b, c, ok := threeFields(s)
		ra, rb, rc, rok := threeFieldsRef(s)
		if a != ra || b != rb || c != rc || ok != rok {
			t.Fatalf("threeFields(%q) = %q %q %q %v, want %q %q %q %v", s, a, b, c, ok, ra, rb, rc, rok)
		}
	})
}

// fieldsEnds splits as bytes.Fields does, and its fields are parts of the
// text with its capacity (the reader records them as offsets).
func TestFieldsEnds(t *testing.T) {
	for _, s := range []string{"", " ", "3E8C:3A50 INFO ", "a", " a\tb  c ", "\xff", "a\u00a0b", "\u3000a\u2003b\u0085c ", "a \xffb\xc2"} {
		first, last, n := fieldsEnds([]byte(s))
		want := bytes.Fields([]byte(s))
		assert.Equal(t, len(want), n, "%q", s)
		if n > 0 {
			assert.Equal(t, string(want[0]), string(first), "%q", s)
			assert.Equal(t, string(want[n-1]), string(last), "%q", s)
		}
	}
}

func FuzzFieldsEnds(f *testing.F) {
	for _, s := range []string{"3E8C:3A50 INFO ", "\xff", "a\u00a0b", "\u3000a\u2003b\u0085c "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		first, last, n := fieldsEnds(b)
		want := bytes.Fields(b)
		if n != len(want) || n > 0 && (!bytes.Equal(first, want[0]) || !bytes.Equal(last, want[n-1])) {
			t.Fatalf("fieldsEnds(%q) = %q, %q, %d; bytes.Fields gives %q", b, first, last, n, want)
		}
		if n > 0 {
			spanOf(b, first) // panics unless first is a part of b with its capacity
			spanOf(b, last)
		}
	})
}

// trimBlanks is bytes.TrimLeft(s, " \t"), except that it returns the
// empty end of s rather than nil: a part of s (spanOf needs it).
func TestTrimBlanks(t *testing.T) {
	for _, s := range []string{"", " ", "\t", " \t x", "x ", "\u00a0x", "\r\nx", "\v x", "  \t\t:: msg"} {
		b := []byte(s)
		got := trimBlanks(b)
		assert.Equal(t, string(bytes.TrimLeft(b, " \t")), string(got), "%q", s)
		assert.Equal(t, cap(b)-(len(b)-len(got)), cap(got), "%q: a part of s", s)
	}
}

// FuzzHasPrefixFold checks hasPrefixFold's ASCII comparison against
// bytes.EqualFold, for the markers it is called with.
func FuzzHasPrefixFold(f *testing.F) {
	for _, s := range []string{"Sending Packet - x", "sENDING pACKET", "\u017fending Packet", "Data Received", "End of Data Received", "\u212a", "E", "End\x00of Data Received", "Data@Received", "Data\x7fReceived"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		for _, m := range []string{markSent, markReceived, markEndSent, markEndReceived} {
			want := len(s) >= len(m) && bytes.EqualFold(s[:len(m)], []byte(m))
			if got := hasPrefixFold(s, m); got != want {
				t.Fatalf("hasPrefixFold(%q, %q) = %v, EqualFold says %v", s, m, got, want)
			}
		}
	})
}

func TestIsProblemLevel(t *testing.T) {
	for _, tt := range []struct {
		level string
		want  bool
	}{
		{"ERROR", true}, {"error", true}, {"Warn", true}, {"WARNING", true}, {"fatal", true}, {"CRITICAL", true},
		{"INFO", false}, {"TRACE", false}, {"VERBOSE", false}, {"", false},
		{"ERR0R", false}, {"ERRORS", false}, {"WARN ", false}, {"CRITICA1", false},
		{"warn\u0131ng", true}, // U+0131 upper-cases to I
		{"\u0131nfo", false},
	} {
		assert.Equal(t, tt.want, isProblemLevel([]byte(tt.level)), "%q", tt.level)
	}
}

// usualHead reads its lines as head does, and takes the usual ones.
func TestUsualHead(t *testing.T) {
	for _, tt := range []struct {
		rest  string
		usual bool
	}{
		{" 1F68:C14 INFO  :: Sending Packet - x", true},
		{"\t3E8C:3A50 ERROR\t::", true},
		{" 3E8C:3A50 ERROR ::  ", true},
		{" 1F68:C14 INFO:: x", false},   // no blank before ::
		{" 1F68::C14 INFO :: x", false}, // :: in the thread
		{" INFO :: x", false},           // one field
		{" a b c :: x", false},          // three fields
		{" 1F68:C14 INFO x", false},     // no ::
		{" 1F68:C14 ÉRROR :: x", false}, // not ASCII
		{" 1F68:C14\u00a0INFO :: x", false},
		{" 1F68:C14 INFO\r:: x", false},
		{"", false},
		{" ", false},
		{" 1F68:C14 INFO :", false},
	} {
		t.Run(tt.rest, func(t *testing.T) {
			var fast, slow prefix
			ok := fast.usualHead([]byte(tt.rest))
			assert.Equal(t, tt.usual, ok)
			if ok {
				slow.head([]byte(tt.rest))
				assert.Equal(t, slow, fast)
			}
		})
	}
}

// FuzzUsualHead checks usualHead against head: the same parts of the line,
// whenever it takes the line.
func FuzzUsualHead(f *testing.F) {
	for _, s := range []string{" 1F68:C14 INFO  :: Sending Packet - x", " 1F68::C14 INFO :: x", " a:: b :: c", "\t1\t2\t::\t"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, rest []byte) {
		var fast, slow prefix
		if !fast.usualHead(rest) {
			return
		}
		slow.head(rest)
		same := func(a, b []byte) bool {
			return bytes.Equal(a, b) && cap(a) == cap(b) // the same part of rest
		}
		if !same(fast.thread, slow.thread) || !same(fast.level, slow.level) || !same(fast.msg, slow.msg) || fast.sep != slow.sep {
			t.Fatalf("usualHead(%q) = %q %q %q %v, head: %q %q %q %v", rest, fast.thread, fast.level, fast.msg, fast.sep, slow.thread, slow.level, slow.msg, slow.sep)
		}
	})
}
