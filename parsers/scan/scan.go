// Package scan holds the line-level scanners that several parsers share: a
// bounded line reader, an HRESULT finder and a finder for the client's
// user-visible error texts.
//
// The finders are pure functions of one line. They run a cheap byte-level
// prefilter first, so that the lines of a large log that cannot hold a match
// never reach a regular expression. MayMatch is that prefilter for both
// finders at once, for parsers that read many lines.
package scan

import (
	"encoding/binary"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// MayMatch reports whether line may hold an HRESULT or a known client error
// text. When it returns false, HRESULTs and UITexts find nothing in line;
// when it returns true they may or may not. It reads each byte once, with a
// table look-up, allocates nothing, and is a few times faster than either
// finder's own prefilter.
func MayMatch(line []byte) bool { return theFilter().match(line) }

// theFilter is built from the HRESULT forms and texts.yaml on first use
// (about a millisecond), not at start-up: a run that reads no text does
// not pay for it.
var theFilter = sync.OnceValue(func() *filter { return newFilter(KnownTexts()) })

// The filter slides a window of the last four bytes over the line, each byte
// reduced to a 5-bit class, and tests the 20-bit window against a hashed
// bit set of the four-byte beginnings of everything the finders look for:
// the ASCII anchors of the texts (letters folded; a match is confirmed by
// comparing the whole anchor) and the HRESULT forms (taken as they are: a
// few false positives are cheap). Any byte that can start a rune of a
// Japanese anchor, or a full-width or half-width form folded into one, also
// counts, since UITexts matches Japanese texts after width folding.
const (
	classOther = 0  // not a word byte: space, punctuation, any byte >= 0x80
	classZero  = 27 // '0'
	classEight = 28 // '8'
	classDigit = 29 // the other digits and '_': word bytes
	classParen = 31 // '('
	// classLetter+i is the letter 'a'+i in either case.
	classLetter = 1

	windowBits = 20
	windowMask = 1<<windowBits - 1
	hashBits   = 16
	// leadFlag marks, in the class table, a byte that alone makes a line a
	// candidate.
	leadFlag = 0x80
)

// filter is the compiled prefilter.
type filter struct {
	class [256]uint8                 // class of each byte, leadFlag for lead bytes
	set   [1 << hashBits / 64]uint64 // hashed windows that start a candidate
	// direct holds the windows that are candidates as they are; anchors
	// the windows whose anchors must be confirmed at the window's start.
	direct  map[uint32]bool
	anchors map[uint32][]anchor
}

// anchor is a word to confirm. When spaced, the word must be followed by
// white space: every match of its pattern has it so (see spacedAnchor).
type anchor struct {
	word   string
	spaced bool
}

func hashWindow(w uint32) uint32 { return (w * 0x9E3779B1) >> (32 - hashBits) }

func newFilter(known []KnownText) *filter {
	f := &filter{direct: map[uint32]bool{}, anchors: map[uint32][]anchor{}}
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z':
			f.class[c] = classLetter + uint8(c-'a')
		case c >= 'A' && c <= 'Z':
			f.class[c] = classLetter + uint8(c-'A')
		case c == '0':
			f.class[c] = classZero
		case c == '8':
			f.class[c] = classEight
		case c >= '1' && c <= '9', c == '_':
			f.class[c] = classDigit
		case c == '(':
			f.class[c] = classParen
		}
	}
	letter := func(c byte) []uint8 { return []uint8{f.class[c]} }
	anyClass := make([]uint8, 32)
	for i := range anyClass {
		anyClass[i] = uint8(i)
	}
	hex := []uint8{classZero, classEight, classDigit}
	for c := byte('a'); c <= 'f'; c++ {
		hex = append(hex, f.class[c])
	}
	// The HRESULT forms of hresultRE: "0x8" and a hex digit; "(8" and two
	// hex digits ("(0x8" holds "0x8"); "hr" at the start of a word, then
	// "e" (hres, hresult) or a separator (white space, ':' or '=').
	f.add([][]uint8{{classZero}, letter('x'), {classEight}, hex}, anchor{})
	f.add([][]uint8{{classParen}, {classEight}, hex, hex}, anchor{})
	f.add([][]uint8{{classOther, classParen}, letter('h'), letter('r'), {f.class['e'], classOther}}, anchor{})

	for _, k := range known {
		anchors := make([]anchor, 0, len(k.Anchors))
		for _, a := range k.Anchors {
			anchors = append(anchors, anchor{word: a})
		}
		if a, ok := spacedAnchor(k); ok {
			// Every match holds it: the other anchors add nothing.
			anchors = []anchor{{word: a, spaced: true}}
		}
		for _, an := range anchors {
			a := an.word
			if !isASCIIWord(a) {
				// A Japanese anchor: any byte that starts one of its runes,
				// a full-width or half-width form (U+FFxx) or the
				// ideographic space (U+3000).
				for _, r := range a {
					if r >= utf8.RuneSelf {
						var b [utf8.UTFMax]byte
						utf8.EncodeRune(b[:], r)
						f.class[b[0]] |= leadFlag
					}
				}
				f.class[0xEF] |= leadFlag
				f.class[0xE3] |= leadFlag
				continue
			}
			places := make([][]uint8, 4)
			for i := range places {
				places[i] = anyClass // past a short anchor's end
				if i < len(a) {
					places[i] = []uint8{f.class[a[i]]}
				}
			}
			f.add(places, an)
		}
	}
	return f
}

// spacedAnchor returns an anchor of k that every match of its pattern
// holds followed by white space: the pattern is a sequence whose parts
// include the anchor as a literal word (or the end of one) followed by a
// run of phrase space. "version" in "you can't sign in with this version of
// {P}" is one: a line holding "version=4" cannot match.
func spacedAnchor(k KnownText) (string, bool) {
	if k.Lang != "en" {
		return "", false
	}
	tree, err := syntax.Parse(expandPhrase(k.Pattern, false), syntax.Perl)
	if err != nil {
		return "", false
	}
	for tree.Op == syntax.OpCapture {
		tree = tree.Sub[0]
	}
	if tree.Op != syntax.OpConcat {
		return "", false
	}
	for i, sub := range tree.Sub[:len(tree.Sub)-1] {
		if sub.Op != syntax.OpLiteral || !isPhraseSpace(tree.Sub[i+1]) {
			continue
		}
		lit := strings.ToLower(string(sub.Rune))
		for _, a := range k.Anchors {
			if isASCIIWord(a) && strings.HasSuffix(lit, a) {
				return a, true
			}
		}
	}
	return "", false
}

// isPhraseSpace reports whether re is a run of the white space spaceAfter
// accepts.
func isPhraseSpace(re *syntax.Regexp) bool {
	if re.Op != syntax.OpPlus || re.Sub[0].Op != syntax.OpCharClass {
		return false
	}
	r := re.Sub[0].Rune
	for i := 0; i+1 < len(r); i += 2 {
		for c := r[i]; c <= r[i+1]; c++ {
			if c != 0xA0 && (c >= utf8.RuneSelf || !isSpaceByte(byte(c))) {
				return false
			}
		}
	}
	return true
}

// isSpaceByte is the ASCII white space of \s.
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// spaceAfter reports whether line has white space (or a no-break space) at i.
func spaceAfter(line []byte, i int) bool {
	if i >= len(line) {
		return false
	}
	return isSpaceByte(line[i]) || line[i] == 0xC2 && i+1 < len(line) && line[i+1] == 0xA0
}

// add marks every window made of the classes at its four places, to be
// confirmed by a at its start (a zero anchor for a direct candidate).
func (f *filter) add(places [][]uint8, a anchor) {
	var walk func(i int, w uint32)
	walk = func(i int, w uint32) {
		if i == len(places) {
			h := hashWindow(w)
			f.set[h/64] |= 1 << (h % 64)
			if a.word == "" {
				f.direct[w] = true
			} else {
				f.anchors[w] = append(f.anchors[w], a)
			}
			return
		}
		for _, c := range places[i] {
			walk(i+1, w<<8|uint32(c&^leadFlag))
		}
	}
	walk(0, 0)
}

// match is MayMatch.
func (f *filter) match(line []byte) bool {
	if f.hasLead(line) {
		return true
	}
	set, class := &f.set, &f.class
	var w uint32
	for i, b := range line {
		w = w<<8 | uint32(class[b])
		if h := hashWindow(w); set[h/64]&(1<<(h%64)) != 0 && f.confirm(line, i-3, w) {
			return true
		}
	}
	// Three bytes past the end, of class other: anchors shorter than the
	// window end there.
	for i := len(line); i < len(line)+3; i++ {
		w <<= 8
		if h := hashWindow(w); set[h/64]&(1<<(h%64)) != 0 && f.confirm(line, i-3, w) {
			return true
		}
	}
	return false
}

// hasLead reports whether line holds a byte flagged leadFlag. Such bytes
// are all >= 0x80: eight bytes at a time, most lines are ASCII.
func (f *filter) hasLead(line []byte) bool {
	for len(line) >= 8 {
		if binary.LittleEndian.Uint64(line)&0x8080808080808080 != 0 {
			break
		}
		line = line[8:]
	}
	for _, b := range line {
		if f.class[b]&leadFlag != 0 {
			return true
		}
	}
	return false
}

// confirm checks a window that passed the bit set: a direct candidate, or
// one of its anchors whole at start.
func (f *filter) confirm(line []byte, start int, w uint32) bool {
	if f.direct[w] {
		return true
	}
	if start < 0 {
		return false
	}
	for _, a := range f.anchors[w] {
		if hasPrefixFoldBytes(line[start:], a.word) && (!a.spaced || spaceAfter(line, start+len(a.word))) {
			return true
		}
	}
	return false
}

// hasPrefixFoldBytes reports whether b starts with the lower-case ASCII kw,
// ignoring ASCII case.
func hasPrefixFoldBytes(b []byte, kw string) bool {
	if len(b) < len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}
