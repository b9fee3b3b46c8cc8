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
// newline escaped: C0 controls and DEL as \xNN (\r as \r), C1 controls and
// the noncharacters U+FFFE/U+FFFF as \uNNNN. CRLF becomes LF. Invalid
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
		case isC1OrNonchar(r):
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
		if (r < 0x20 && r != '\t' && (r != '\n' || !keepNewline)) || r == 0x7f || isC1OrNonchar(r) {
			return false
		}
	}
	return true
}

// isC1OrNonchar reports whether r is a C1 control or U+FFFE/U+FFFF.
func isC1OrNonchar(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == 0xfffe || r == 0xffff
}

// JSON rewrites, in encoded JSON, the characters encoding/json leaves raw
// although a terminal acts on them (DEL, the C1 controls U+0080-U+009F such
// as the CSI U+009B, and U+FFFE/U+FFFF) as \uNNNN escapes. The decoded
// values are unchanged. b is returned as it is when it holds none.
func JSON(b []byte) []byte {
	clean := true
	for _, c := range b {
		if c == 0x7f || c == 0xc2 || c == 0xef {
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
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0xfffe || r == 0xffff {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
