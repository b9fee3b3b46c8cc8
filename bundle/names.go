package bundle

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// entryName returns the name of an archive entry as UTF-8. A name that is
// not UTF-8 comes from a zip whose writer used the system's OEM code page
// and set no UTF-8 flag (as Windows' own "Compressed folder" long did:
// code page 932 on Japanese Windows, 437 or 850 elsewhere) or from a tar
// written in a legacy locale. It is decoded
// as Shift_JIS (code page 932) when it reads as Japanese (looksJapanese),
// else as code page 437, the zip format's own default, in which every
// byte is a character: the name then shows as its writer's system showed
// it, rather than as replacement characters.
func entryName(name string) string {
	if utf8.ValidString(name) {
		return name
	}
	if sj, err := japanese.ShiftJIS.NewDecoder().String(name); err == nil && looksJapanese(sj) {
		return sj
	}
	if s, err := charmap.CodePage437.NewDecoder().String(name); err == nil {
		return s
	}
	return strings.ToValidUTF8(name, "\uFFFD")
}

// looksJapanese reports whether s, a name decoded as Shift_JIS, reads as
// Japanese: it decoded whole (no replacement character), and each of its
// non-ASCII characters is a kana, a kanji or a CJK punctuation mark. A
// name in code page 437 or 850 with an accented letter ("Réunion", 52 82
// 75 ...) may decode as Shift_JIS too, but then as full-width Latin
// letters or half-width katakana, which Japanese names hardly use.
func looksJapanese(s string) bool {
	some := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case unicode.In(r, unicode.Hiragana, unicode.Han), r >= 0x30A0 && r <= 0x30FF, r >= 0x3000 && r <= 0x303F:
			some = true
		default:
			return false // U+FFFD, full-width Latin, half-width katakana, ...
		}
	}
	return some
}
