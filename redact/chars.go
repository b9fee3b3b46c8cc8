package redact

import (
	"strings"
)

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// Characters.

// Character classes, looked up in charClass.
const (
	cLetter = 1 << iota // A-Z a-z
	cDigit              // 0-9
	cHex                // 0-9 A-F a-f
	cRun                // host names and version numbers: A-Z a-z 0-9 . - _
	cV6Stop             // before a hex digit or colon, makes it the middle of a word
	cLocal              // the user part of an address
	cUser               // user and computer names
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := b|0x20 >= 'a' && b|0x20 <= 'z'
		digit := b >= '0' && b <= '9'
		alnum := letter || digit
		var v uint8
		if letter {
			v |= cLetter
		}
		if digit {
			v |= cDigit
		}
		if digit || b|0x20 >= 'a' && b|0x20 <= 'f' {
			v |= cHex
		}
		if alnum || b == '.' || b == '-' || b == '_' {
			v |= cRun
		}
		if alnum || b == '_' || b == '.' || b == ':' {
			v |= cV6Stop
		}
		if alnum || b >= 0x80 || strings.IndexByte("._+'$%-", b) >= 0 {
			v |= cLocal
		}
		if alnum || b >= 0x80 || strings.IndexByte("._$-", b) >= 0 {
			v |= cUser
		}
		t[c] = v
	}
	return t
}()

func isLetter(c byte) bool   { return charClass[c]&cLetter != 0 }
func isDigit(c byte) bool    { return charClass[c]&cDigit != 0 }
func isAlnum(c byte) bool    { return charClass[c]&(cLetter|cDigit) != 0 }
func isHex(c byte) bool      { return charClass[c]&cHex != 0 }
func isRun(c byte) bool      { return charClass[c]&cRun != 0 }
func isV6Before(c byte) bool { return charClass[c]&cV6Stop != 0 }
func isLocal(c byte) bool    { return charClass[c]&cLocal != 0 }
func isUserChar(c byte) bool { return charClass[c]&cUser != 0 }

func hasLetter(t string) bool {
	for i := 0; i < len(t); i++ {
		if isLetter(t[i]) || t[i] >= 0x80 {
			return true
		}
	}
	return false
}

func hasAlnum(t string) bool {
	for i := 0; i < len(t); i++ {
		if isAlnum(t[i]) || t[i] >= 0x80 {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s begins with the lower-case ASCII
// prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// lastIndexFold returns the index of the last occurrence of the
// lower-case ASCII sub in s, ignoring case, or -1.
func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if hasPrefixFold(s[i:], sub) {
			return i
		}
	}
	return -1
}
