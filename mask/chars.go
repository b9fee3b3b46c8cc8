package mask

import "strings"

// Character classes, looked up in class.
const (
	cWord  = 1 << iota // A-Z a-z 0-9 - _
	cAlnum             // A-Z a-z 0-9
	cDigit             // 0-9
)

var class = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var v uint8
		switch {
		case b >= '0' && b <= '9':
			v = cWord | cAlnum | cDigit
		case b|0x20 >= 'a' && b|0x20 <= 'z':
			v = cWord | cAlnum
		case b == '-' || b == '_':
			v = cWord
		}
		t[c] = v
	}
	return t
}()

func isWord(c byte) bool  { return class[c]&cWord != 0 }
func isAlnum(c byte) bool { return class[c]&cAlnum != 0 }
func isDigit(c byte) bool { return class[c]&cDigit != 0 }
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerInto writes s in ASCII lower case into buf, which must be long
// enough, and returns the written part.
func lowerInto(buf []byte, s string) []byte {
	n := copy(buf, s)
	for i := range n {
		buf[i] = lower(buf[i])
	}
	return buf[:n]
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != lower(prefix[i]) {
			return false
		}
	}
	return true
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && hasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// equalFold reports whether s and t are equal, ignoring ASCII case.
func equalFold(s, t string) bool {
	return len(s) == len(t) && hasPrefixFold(s, t)
}

// indexFold returns the index of the first sub in s, ignoring ASCII case,
// or -1.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}

// skipSpace returns the index of the first byte at or after i that is not
// a space or a tab.
func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// lineEnd returns the index of the first '\r' or '\n' at or after i, or
// len(s).
func lineEnd(s string, i int) int {
	rest := s[i:]
	n := strings.IndexByte(rest, '\n')
	if n < 0 {
		n = len(rest)
	}
	if r := strings.IndexByte(rest[:n], '\r'); r >= 0 {
		n = r
	}
	return i + n
}

// isHex reports whether c is a hexadecimal digit.
func isHex(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// unhex returns the value of the hexadecimal digit c.
func unhex(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}
