package uccapilog

import (
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
