// Package scan holds the line-level scanners that several parsers share: a
// bounded line reader, an HRESULT finder and a finder for the client's
// user-visible error texts.
//
// The finders are pure functions of one line. HRESULTs is a hand-written
// scanner; UITexts runs a cheap byte-level prefilter first (the anchors,
// then the words every match holds), so that the lines of a large log that
// cannot hold a text never reach a regular expression. MayMatch is a
// prefilter for both finders at once, for parsers that read many lines.
package scan

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MayMatch reports whether line may hold an HRESULT or a known client error
// text. When it returns false, HRESULTs and UITexts find nothing in line;
// when it returns true they may or may not. It reads line eight bytes at a
// time, looks up every other pair of bytes in a table, and allocates
// nothing.
func MayMatch(line []byte) bool {
	prefilter.once.Do(func() { prefilter.f = newFilter(KnownTexts()) })
	return prefilter.f.match(line)
}

// prefilter is built from the HRESULT forms and texts.yaml on first use
// (about a millisecond), not at start-up: a run that reads no text does
// not pay for it. It is a sync.Once rather than a sync.OnceValue because
// MayMatch runs for every line of a log: the Once's check is inlined, the
// call of a OnceValue's function is not.
var prefilter struct {
	once sync.Once
	f    *filter
}

// The filter looks for forms: the shapes of what the finders need, each a
// sequence of places that allow a set of bytes. They are the three HRESULT
// forms of HRESULTs as far as they are fixed ("0x8" and seven hex digits
// after a byte that is not a word byte; "(8", seven hex digits and ')';
// "hr" after a non-word byte and before 'e', white space, ':' or '='), and
// the ASCII anchors of the texts in either case: UITexts matches an en
// text only on a line that holds one of its anchors so (table.candidates),
// followed by white space where every match has it so (spacedAnchor).
// The first place of a form is the byte before it: a non-word byte, or any
// byte.
//
// The bytes at q and q+1 of a line make the pair at q, and the filter
// samples the pairs at even q only: four in each group of eight bytes. A
// form that occurs at p holds at p+d, for each offset d from 0 to its
// length less two, a pair of bytes that its places at d and d+1 allow,
// and at p-1, when p > 0, a pair of the byte before it and its first
// byte. Each form has two probes: one picks an even d, sampled where p is
// even, and the other an odd d or -1, sampled where p is odd (and so
// p > 0), each where such pairs are rarest in client logs (see
// pairCoster). The table maps every pair of bytes that the picked places
// allow to the probe. A line that holds a form thus holds, at a sampled
// place, a pair whose probe looks for the form where it is: the filter
// cannot miss one. A probe compares the fixed bytes among the first eight
// of the form at once, then checks the whole form (confirm).
//
// A Japanese text is matched after width folding: any byte that starts a
// rune of its anchor, or a full-width or half-width form folded into one,
// makes a line a candidate alone. So does a non-ASCII rune that (?i) folds
// onto a letter of a spaced anchor ("verſion"), since a match need not
// hold that anchor in ASCII followed by white space then. Every pair that
// holds such a lead byte has the lead probe: each byte of a group of eight
// is in one of its sampled pairs. Only a lone last byte of a line is in
// none, and it starts no rune of more than one byte.
//
// Most pairs of a log are in no entry of the table, and a group of eight
// bytes without one costs four look-ups and no call.
type filter struct {
	// pairs maps a pair of bytes, b0 | b1<<8, to the index in lists of the
	// probes to run where it is sampled, or to 0 for none.
	pairs [1 << 16]uint8
	// lists holds the index in probes of the first probe of each list.
	// probes[0] is none, and ends each list.
	lists  [1 << 8]uint16
	probes []probe
	forms  []form
	// lead flags the bytes that make a line a candidate, alone or when the
	// line holds one of folds.
	lead  [256]uint8
	folds []rune
}

// Flags of filter.lead.
const (
	leadAlone = 1 << iota
	leadFold
)

// form is a form the finders need.
type form struct {
	kind   formKind
	places [][]byte // the byte before the form, then the form's
	word   string   // the anchor, lower case
	spaced bool     // the anchor is followed by white space
}

type formKind uint8

const (
	formAnchor formKind = iota
	formHex             // \b0x8 and seven hex digits
	formParen           // "(8", seven hex digits and ')'
	formHR              // \bhr, then 'e' (hres, hresult), white space, ':' or '='
	formLead            // a pair of bytes with a lead byte
)

// probe looks for a form where a pair it picked is sampled, at offset at
// from the start of the form.
type probe struct {
	// The eight bytes at the start of the form, ORed with fold (making its
	// letters lower case) and ANDed with mask (its fixed bytes), are sig.
	sig, mask, fold uint64
	form            *form
	at              int
	next            uint16 // the next probe of the list, or 0
}

func newFilter(known []KnownText) *filter {
	f := &filter{}
	f.addForms(known)
	f.addProbes()
	return f
}

// addForms sets the forms of the HRESULTs and of the known texts, and the
// lead bytes.
func (f *filter) addForms(known []KnownText) {
	var (
		all     = byteRange(0, 255)
		hex     = slices.Concat(byteRange('0', '9'), byteRange('a', 'f'), byteRange('A', 'F'))
		space   = []byte("\t\n\f\r ")
		nonWord []byte
	)
	for _, c := range all {
		if !isWordByte(c) {
			nonWord = append(nonWord, c)
		}
	}
	// places returns the places of a form of the bytes of s (letters in
	// either case) after the byte before, then the sets more.
	places := func(before []byte, s string, more ...[]byte) [][]byte {
		p := [][]byte{before}
		for i := 0; i < len(s); i++ {
			p = append(p, bothCases(s[i]))
		}
		return append(p, more...)
	}
	hex7 := slices.Repeat([][]byte{hex}, 7)
	f.forms = []form{
		{kind: formHex, places: places(nonWord, "0x8", hex7...)},
		{kind: formParen, places: places(all, "(8", slices.Concat(hex7, [][]byte{{')'}})...)},
		{kind: formHR, places: places(nonWord, "hr", slices.Concat(bothCases('e'), space, []byte(":=")))},
	}

	// The ASCII anchors, and whether each is spaced in every text that
	// has it.
	var words []string
	spaced := map[string]bool{}
	for _, k := range known {
		anchors := k.Anchors
		a, ok := spacedAnchorOf(k)
		if ok {
			// Every match holds it: the other anchors add nothing.
			anchors = []string{a}
		}
		for _, w := range anchors {
			if !isASCIIWord(w) {
				// A Japanese anchor: any byte that starts one of its runes,
				// a full-width or half-width form (U+FFxx) or the
				// ideographic space (U+3000).
				for _, r := range w {
					if r >= utf8.RuneSelf {
						f.lead[string(r)[0]] |= leadAlone
					}
				}
				f.lead[0xEF] |= leadAlone
				f.lead[0xE3] |= leadAlone
				continue
			}
			if s, seen := spaced[w]; !seen {
				words = append(words, w)
				spaced[w] = ok
			} else {
				spaced[w] = s && ok
			}
		}
	}
	for _, w := range words {
		fm := form{kind: formAnchor, places: places(all, w), word: w, spaced: spaced[w]}
		if fm.spaced {
			// White space, or the first byte of a no-break space.
			fm.places = append(fm.places, append(slices.Clone(space), 0xC2))
			for _, c := range []byte(w) {
				for r := unicode.SimpleFold(rune(c)); r != rune(c); r = unicode.SimpleFold(r) {
					if r >= utf8.RuneSelf && !slices.Contains(f.folds, r) {
						f.folds = append(f.folds, r)
						f.lead[string(r)[0]] |= leadFold
					}
				}
			}
		}
		f.forms = append(f.forms, fm)
	}
}

// addProbes sets the probes and the table. A pair gets the lead probe when
// it holds a lead byte, and the probe of each form that picked it. Pairs
// with the same probes share a list; should there be more than 255 lists,
// the last one has every probe.
func (f *filter) addProbes() {
	probes := []probe{{form: &form{kind: formLead}}}
	lists := [][]uint16{nil}
	// next maps a list and a probe to the list with the probe added.
	next := map[[2]uint16]uint8{}
	full := uint8(len(f.lists) - 1)
	// last is the step of next taken last: most pairs in a row take the
	// same one (every pair with a lead byte goes from none to the lead
	// probe), and a map look-up for each took most of the time.
	var last struct {
		key [2]uint16
		to  uint8
		ok  bool
	}
	add := func(p, i uint16) {
		id := f.pairs[p]
		if id == full || slices.Contains(lists[id], i) {
			return
		}
		key := [2]uint16{uint16(id), i}
		if last.ok && last.key == key {
			f.pairs[p] = last.to
			return
		}
		to, ok := next[key]
		if !ok {
			to = min(uint8(len(lists)), full)
			if to < full {
				lists = append(lists, append(slices.Clip(lists[id]), i))
			}
			next[key] = to
		}
		last.key, last.to, last.ok = key, to, true
		f.pairs[p] = to
	}
	for c, flags := range f.lead {
		if flags == 0 {
			continue
		}
		for d := range 256 {
			add(uint16(c)|uint16(d)<<8, 0)
			add(uint16(d)|uint16(c)<<8, 0)
		}
	}
	cost := pairCoster()
	for i := range f.forms {
		fm := &f.forms[i]
		pr := probe{form: fm}
		for j, set := range fm.places[1:min(9, len(fm.places))] {
			switch {
			case len(set) == 1:
				pr.sig |= uint64(set[0]) << (8 * j)
				pr.mask |= 0xFF << (8 * j)
			case len(set) == 2 && set[0] == set[1]|0x20:
				pr.sig |= uint64(set[0]) << (8 * j)
				pr.mask |= 0xFF << (8 * j)
				pr.fold |= 0x20 << (8 * j)
			}
		}
		for parity := range 2 {
			k := pickPair(fm, parity, cost)
			pr.at = k - 1
			probes = append(probes, pr)
			for _, b0 := range fm.places[k] {
				for _, b1 := range fm.places[k+1] {
					add(uint16(b0)|uint16(b1)<<8, uint16(len(probes)-1))
				}
			}
		}
	}
	if len(lists) == int(full) {
		lists = append(lists, nil)
		for i := range probes {
			lists[full] = append(lists[full], uint16(i))
		}
	}
	// Each list is a chain of probes.
	f.probes = make([]probe, 1)
	for id, list := range lists[1:] {
		f.lists[id+1] = uint16(len(f.probes))
		for j, i := range list {
			pr := probes[i]
			if j+1 < len(list) {
				pr.next = uint16(len(f.probes) + 1)
			}
			f.probes = append(f.probes, pr)
		}
	}
}

// pickPair returns the place k of fm where the pairs of places k and k+1
// cost least, among those whose offset k-1 from the start of the form has
// the given parity.
func pickPair(fm *form, parity int, cost func(s0, s1 []byte) float64) int {
	best, least := 0, math.Inf(1)
	for k := 0; k+1 < len(fm.places); k++ {
		if (k-1)&1 != parity {
			continue
		}
		if c := cost(fm.places[k], fm.places[k+1]); c < least {
			best, least = k, c
		}
	}
	return best
}

// match is MayMatch.
func (f *filter) match(line []byte) bool {
	t := &f.pairs
	i := 0
	for {
		// Skip the groups of eight bytes whose sampled pairs are not in
		// the table, without a call: most of them.
		for ; i < len(line)-7; i += 8 {
			x := binary.LittleEndian.Uint64(line[i:])
			if t[uint16(x)]|t[uint16(x>>16)]|t[uint16(x>>32)]|t[x>>48] != 0 {
				break
			}
		}
		if i >= len(line)-7 {
			break
		}
		if f.group(line, i, binary.LittleEndian.Uint64(line[i:])) {
			return true
		}
		i += 8
	}
	// Less than eight bytes are left. With less than two, there is no pair
	// to sample. Else the last pairs are in the eight bytes that end at the
	// end of line, or one byte before it when its length is odd, or in a
	// short line padded with zeros.
	if len(line)-i < 2 {
		return false
	}
	var x uint64
	if i = (len(line) - 8) &^ 1; i >= 0 {
		x = binary.LittleEndian.Uint64(line[i:])
	} else {
		i = 0
		var b [8]byte
		copy(b[:], line)
		x = binary.LittleEndian.Uint64(b[:])
	}
	return t[uint16(x)]|t[uint16(x>>16)]|t[uint16(x>>32)]|t[x>>48] != 0 && f.group(line, i, x)
}

// group runs the probes of the sampled pairs of the eight bytes x at
// line[i:], some of which may be past the end of a short line.
func (f *filter) group(line []byte, i int, x uint64) bool {
	// The lists of the four pairs, a byte each.
	ids := uint32(f.pairs[uint16(x)]) | uint32(f.pairs[uint16(x>>16)])<<8 |
		uint32(f.pairs[uint16(x>>32)])<<16 | uint32(f.pairs[x>>48])<<24
	for ids != 0 {
		k := bits.TrailingZeros32(ids) / 8
		id := uint8(ids >> (8 * k))
		ids &^= 0xFF << (8 * k)
		for j := f.lists[id]; j != 0; {
			pr := &f.probes[j]
			j = pr.next
			s := i + 2*k - pr.at
			if s >= 0 && s <= len(line)-8 && (binary.LittleEndian.Uint64(line[s:])|pr.fold)&pr.mask != pr.sig {
				continue
			}
			if f.confirm(pr.form, line, s) {
				return true
			}
		}
	}
	return false
}

// confirm reports whether line holds fm at s.
func (f *filter) confirm(fm *form, line []byte, s int) bool {
	if s < 0 || s >= len(line) {
		return false
	}
	b := line[s:]
	switch fm.kind {
	case formAnchor:
		return hasPrefixFold(b, fm.word) && (!fm.spaced || spaceAfter(line, s+len(fm.word)))
	case formHex:
		return (s == 0 || !isWordByte(line[s-1])) && len(b) >= 10 &&
			b[0] == '0' && b[1]|0x20 == 'x' && b[2] == '8' && isHex7(b[3:10])
	case formParen:
		return len(b) >= 10 && b[0] == '(' && b[1] == '8' && isHex7(b[2:9]) && b[9] == ')'
	case formHR:
		if s > 0 && isWordByte(line[s-1]) || len(b) < 3 || b[0]|0x20 != 'h' || b[1]|0x20 != 'r' {
			return false
		}
		c := b[2]
		return c|0x20 == 'e' || c == ':' || c == '=' || isSpaceByte(c)
	case formLead:
		var flags uint8
		for _, c := range b[:min(2, len(b))] {
			flags |= f.lead[c]
		}
		if flags&leadAlone != 0 {
			return true
		}
		if flags&leadFold != 0 {
			for _, r := range f.folds {
				if bytes.ContainsRune(line, r) {
					return true
				}
			}
		}
	}
	return false
}

// byteRange returns the bytes from lo to hi.
func byteRange(lo, hi byte) []byte {
	var b []byte
	for c := int(lo); c <= int(hi); c++ {
		b = append(b, byte(c))
	}
	return b
}

// bothCases returns c and, for a letter, its other case.
func bothCases(c byte) []byte {
	if 'a' <= c|0x20 && c|0x20 <= 'z' {
		return []byte{c | 0x20, c &^ 0x20}
	}
	return []byte{c}
}

// logBytes are the bytes of a client log (letters folded to lower case),
// most frequent first: the first makes about 6% of a log, the 17th about
// 2%, the 50th about 0.1%; any other byte about 0.001%.
const logBytes = "eat scoi0n:1r.2md/45p\"l83b=69f-g7<>huyvx;,wqk@|()zj+?_"

// logPairs are the pairs of letters of a client log (SIP messages, XML and
// English), most frequent first: the first makes about 1% of the pairs of
// a log, the 55th about 0.4%, the 110th about 0.15%.
const logPairs = "ca ta te co at ip on in en om ti nt es si re or to st fo ce " +
	"nc ma so th ns an me go ic li ls am ve he ac io ar er ty cr " +
	"ml os eg pa ri na au qu se ob sc id il ra mi xm fr tt of al " +
	"ht ng vi sp ed ln iv ry em ro pe nd la ms is ai it tc pi tp " +
	"oc pl ss ub ir ec ad ct ab da ev yn le op nf dd rd fa di eq " +
	"lo ge bl ch ie sh cs po dr et yt su tr by ll gr ei sk um rs " +
	"rt va ur ot de no ap ft bi av as if sr ea rv ww pp rg ds tl us " +
	"hg rw sn bs fy ni xp be mm yp ly lm ke un ut ol im pu tn ay oo"

// pairCoster returns a function that estimates how often, in pairs per
// million, a client log holds a pair of bytes from s0 then s1, letters
// folded: from the rank of a listed pair of letters, or else as if its
// bytes were independent (an eighth of that for letters: the frequent
// pairs of letters are listed).
func pairCoster() func(s0, s1 []byte) float64 {
	// listed holds the frequency of a listed pair of letters, 0 for an
	// unlisted one, at 26*a+b.
	var listed [26 * 26]float64
	for i, p := range strings.Fields(logPairs) {
		listed[int(p[0]-'a')*26+int(p[1]-'a')] = 10000 * math.Exp(-float64(i)/55)
	}
	var freq [256]float64 // bytes per thousand
	for c := range freq {
		freq[c] = 0.01
		if i := strings.IndexByte(logBytes, byte(c)); i >= 0 {
			freq[c] = 60 * math.Exp(-float64(i)/17)
		}
	}
	return func(s0, s1 []byte) float64 {
		var sum float64
		s0, s1 = foldSet(s0), foldSet(s1)
		for _, a := range s0 {
			for _, b := range s1 {
				switch {
				case !isLetter(a) || !isLetter(b):
					sum += freq[a] * freq[b]
				case listed[int(a-'a')*26+int(b-'a')] > 0:
					sum += listed[int(a-'a')*26+int(b-'a')]
				default:
					sum += freq[a] * freq[b] / 8
				}
			}
		}
		return sum
	}
}

// foldSet returns the bytes of s with letters folded to lower case, once
// each.
func foldSet(s []byte) []byte {
	var in [256]bool
	var out []byte
	for _, c := range s {
		if c = foldByte(c); !in[c] {
			in[c] = true
			out = append(out, c)
		}
	}
	return out
}

// isLetter reports whether c is a lower-case ASCII letter.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' }

// foldByte maps an upper-case ASCII letter to lower case.
func foldByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// spacedAnchorOf is spacedAnchor, looked up for a shipped text: parsing
// the expressions took half the time of building the filter, which a run
// pays before it reads its first line. TestSpacedGen keeps the table
// (spaced_gen.go) equal to spacedAnchor of the shipped texts.
func spacedAnchorOf(k KnownText) (string, bool) {
	for _, s := range shippedSpaced {
		if s.pattern == k.Pattern && s.lang == k.Lang && slices.Equal(s.anchors, k.Anchors) {
			return s.spaced, s.spaced != ""
		}
	}
	return spacedAnchor(k)
}

// spacedText is a shipped text's spaced anchor ("" for none).
type spacedText struct {
	lang, pattern string
	anchors       []string
	spaced        string
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
