package termesc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, str, line string
	}{
		{"clean ascii", "Lync-UccApi-0.UccApilog", "Lync-UccApi-0.UccApilog", "Lync-UccApi-0.UccApilog"},
		{"japanese", "サインイン アドレスが見つかりませんでした", "サインイン アドレスが見つかりませんでした", "サインイン アドレスが見つかりませんでした"},
		{"tab kept", "a\tb", "a\tb", "a\tb"},
		{"newline", "a\nsfblog: forged", "a\nsfblog: forged", `a\nsfblog: forged`},
		{"crlf", "a\r\nb", "a\nb", `a\r\nb`},
		{"lone cr", "ok\rEVIL", `ok\rEVIL`, `ok\rEVIL`},
		{"csi", "\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`, `\x1b[2J\x1b[31mred`},
		{"osc title", "\x1b]0;pwned\x07x", `\x1b]0;pwned\x07x`, `\x1b]0;pwned\x07x`},
		{"nul and del", "a\x00b\x7f", `a\x00b\x7f`, `a\x00b\x7f`},
		{"c1 csi", "a\u009b31m", `a\u009b31m`, `a\u009b31m`},
		{"invalid utf8", "a\xffb", `a\xffb`, `a\xffb`},
		{"nonchar", "a\uffffb", `a\uffffb`, `a\uffffb`},
		{"bidi override", "a\u202egol.txt", `a\u202egol.txt`, `a\u202egol.txt`},
		{"bidi isolates", "\u2066x\u2069\u202a\u202d", `\u2066x\u2069\u202a\u202d`, `\u2066x\u2069\u202a\u202d`},
		{"direction marks kept", "\u200eThursday, \u200fx\u061c", "\u200eThursday, \u200fx\u061c", "\u200eThursday, \u200fx\u061c"},
		{"separators", "a\u2028b\u2029", `a\u2028b\u2029`, `a\u2028b\u2029`},
		{"neighbours kept", "\u061b\u061d\u200d\u2027\u202f\u2065\u206a\u00a0", "\u061b\u061d\u200d\u2027\u202f\u2065\u206a\u00a0", "\u061b\u061d\u200d\u2027\u202f\u2065\u206a\u00a0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.str, String(tt.in))
			assert.Equal(t, tt.line, Line(tt.in))
		})
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\x1b[0m", "\r\n", "日本\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		for i := 0; i < len(out); i++ {
			c := out[i]
			if (c < 0x20 && c != '\t') || c == 0x7f {
				t.Fatalf("control byte %#x left in %q", c, out)
			}
		}
		assert.Equal(t, out, Line(out), "escaping is idempotent on its output's control-free text")
	})
}

func TestJSON(t *testing.T) {
	in := []byte(`{"a":"x` + "\x7f\u009b31m\uffff\u202e\u2066" + `日本\u2028"}`)
	assert.Equal(t, `{"a":"x\u007f\u009b31m\uffff\u202e\u2066日本\u2028"}`, string(JSON(in)))
	clean := []byte(`{"a":"plain é"}`)
	assert.Equal(t, string(clean), string(JSON(clean)))
}
