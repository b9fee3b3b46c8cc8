// Package termesc makes text that came from an input safe to print on a
// terminal or in a log line: control characters, which could move the
// cursor, retitle the window, forge an extra output line or hide text,
// are shown as escapes (\x1b, \r, \x00, \u009b) instead of being written.
package termesc

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// String returns s with every control character other than tab and
// newline escaped: C0 controls and DEL as \xNN (\r as \r), the characters
// [Special] says as \uNNNN. CRLF becomes LF. Invalid
// UTF-8 bytes are shown as \xNN. s is returned unchanged when it is clean.
func String(s string) string {
	return escape(s, true)
}

// Line is String for one line of a message: a newline is escaped too, so
// that input text can never start a new line (forge a "sfblog:" message).
func Line(s string) string {
	return escape(s, false)
}

func escape(s string, keepNewline bool) string {
	if clean(s, keepNewline) {
		return s
	}
	if keepNewline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || (r == '\n' && keepNewline):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case Special(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean reports whether escape would return s unchanged.
func clean(s string, keepNewline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return cleanSlow(s[i:], keepNewline)
		}
		if (c < 0x20 && c != '\t' && (c != '\n' || !keepNewline)) || c == 0x7f {
			return false
		}
	}
	return true
}

func cleanSlow(s string, keepNewline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && (r != '\n' || !keepNewline)) || r == 0x7f || Special(r) {
			return false
		}
	}
	return true
}

// Special reports whether the character r, above ASCII, is shown as an
// escape: a C1 control (U+0080-U+009F, the CSI U+009B among them), a
// noncharacter U+FFFE or U+FFFF, a line or paragraph separator (U+2028,
// U+2029) or a bidirectional embedding, override or isolate (U+202A-U+202E,
// U+2066-U+2069), which reorders what is shown around it: a file named
// "a\u202egol.txt" shows as "atxt.log", an evidence line can be made to
// read backwards. The direction marks U+200E, U+200F and U+061C are left
// as they are: they move no text on their own, and Windows writes them
// in real event text ("\u200eThursday, \u200eMarch \u200e15").
func Special(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case r <= 0x9f:
		return true
	case r < 0x2028:
		return false
	}
	switch r {
	case 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069, 0xfffe, 0xffff:
		return true
	}
	return false
}

// JSON rewrites, in encoded JSON, the characters encoding/json leaves raw
// although a terminal acts on them (DEL and the characters [Special]
// says, other than U+2028 and U+2029, which encoding/json escapes) as
// \uNNNN escapes. The decoded values are unchanged. b is returned as it
// is when it holds none.
func JSON(b []byte) []byte {
	clean := true
	for _, c := range b {
		// The first byte of DEL, of U+0080-U+00BF, U+2xxx (e2) and
		// U+Fxxx (ef).
		if c == 0x7f || c == 0xc2 || c == 0xe2 || c == 0xef {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (size > 1 && Special(r)) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
