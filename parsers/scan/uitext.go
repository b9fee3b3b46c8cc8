package scan

import (
	_ "embed"
	"fmt"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// UIText is one user-visible error text of the client found in a line.
type UIText struct {
	Key  string // stable key, one of the UIKey* constants
	Text string // the matched text as written in the input
}

// Stable keys of the client's error texts (signin-errors.md, the table "The
// client's own error texts", and texts.yaml).
const (
	UIKeyServerUnavailable   = "server-unavailable"
	UIKeyServerNotFound      = "server-not-found"
	UIKeyCredentialsVersion  = "credentials-or-version"
	UIKeyClock               = "clock"
	UIKeyPersonalCert        = "personal-cert"
	UIKeyAddressNotFound     = "address-not-found"
	UIKeyCredentialsWrong    = "credentials-incorrect"
	UIKeyServerCertVerify    = "server-cert-verify"
	UIKeyTrustPrompt         = "trust-prompt"
	UIKeyAdditionalSoftware  = "additional-software"
	UIKeyServerNotResponding = "server-not-responding"
	// UIKeyAddressOrCredentials is "You didn't get signed in. It might be
	// your sign-in address or logon credentials" (Skype for Business) and
	// "Please verify your logon credentials" (Lync for Mac 2011).
	UIKeyAddressOrCredentials = "signin-address-or-credentials"
	// UIKeyVersionNotSupported is "You can't sign in with this version of
	// Lync" of the mobile clients.
	UIKeyVersionNotSupported = "version-not-supported"
)

// KnownText is one documented client text of texts.yaml.
type KnownText struct {
	Key     string   `yaml:"key"`
	Lang    string   `yaml:"lang"`
	Clients []string `yaml:"clients"`
	Text    string   `yaml:"text"`    // verbatim, as the source prints it
	Pattern string   `yaml:"pattern"` // phrase notation, see texts.yaml
	Anchors []string `yaml:"anchors"` // prefilter words
	Source  string   `yaml:"source"`  // URL or repo@commit:path
}

//go:embed texts.yaml
var textsYAML []byte

//go:generate go run ./internal/gentexts -o texts_gen.go
//go:generate go test -run TestSpacedGen -update .

// theTable is the compiled table, built on first use rather than at
// start-up, and never changed. It is built from shippedTexts, texts.yaml
// as Go values (texts_gen.go, which TestGeneratedTexts keeps equal to it):
// decoding the YAML took longer than reading a small event log.
var theTable = sync.OnceValue(func() *table {
	t, err := buildTable(shippedTexts, false)
	if err != nil {
		panic(fmt.Sprintf("scan: texts.yaml: %v", err))
	}
	return t
})

// KnownTexts returns a copy of the documented client texts UITexts finds.
func KnownTexts() []KnownText {
	out := make([]KnownText, len(theTable().known))
	for i, k := range theTable().known {
		k.Clients = slices.Clone(k.Clients)
		k.Anchors = slices.Clone(k.Anchors)
		out[i] = k
	}
	return out
}

// UIKeys returns the distinct keys of the known texts, sorted.
func UIKeys() []string {
	var keys []string
	for _, k := range theTable().known {
		keys = append(keys, k.Key)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// maxPatterns bounds the table: the prefilter keeps one bit per pattern.
const maxPatterns = 64

// table is the compiled form of texts.yaml.
type table struct {
	known []KnownText
	pats  []pattern
	// ascii maps a folded ASCII letter pair (the first two letters of an
	// anchor) to the bit set of patterns with an anchor starting so.
	ascii [26 * 26]uint64
	// wide is the bit set of patterns with non-ASCII (ja) anchors.
	wide uint64
}

type pattern struct {
	key string
	ja  bool // matched on the width-folded line
	// re is the pattern's expression, compiled the first time a line
	// holds one of its anchors: most runs need few of them, or none.
	re      func() *regexp.Regexp
	anchors []string
	// words returns the lower-case ASCII words of at least three bytes
	// that every match holds (see requiredWords), longest first and the
	// anchors last: an ASCII line that lacks one of them, ignoring ASCII
	// case, cannot match. Like re, they are found on first use. They are
	// nil for ja patterns.
	words func() []string
	// branches returns, when the expression is an alternation whose every
	// branch requires words, those words branch by branch: an ASCII line
	// that lacks a word of each branch cannot match. It is nil otherwise.
	branches func() [][]string
}

// DecodeTexts decodes a texts.yaml document: its texts, in order.
func DecodeTexts(data []byte) ([]KnownText, error) {
	var doc struct {
		Texts []KnownText `yaml:"texts"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc.Texts, nil
}

// compileTexts parses and checks a texts.yaml document and builds the
// table, compiling every expression.
func compileTexts(data []byte, eager bool) (*table, error) {
	texts, err := DecodeTexts(data)
	if err != nil {
		return nil, err
	}
	return buildTable(texts, eager)
}

// buildTable checks the texts and builds the table and its prefilters.
// Unless eager, each expression is compiled, and its required words found,
// on first use instead (and a bad expression panics then): the shipped
// texts are read so, and a test reads them eagerly.
func buildTable(texts []KnownText, eager bool) (*table, error) {
	doc := struct{ Texts []KnownText }{texts}
	if len(doc.Texts) > maxPatterns {
		return nil, fmt.Errorf("%d texts, at most %d", len(doc.Texts), maxPatterns)
	}
	t := &table{known: doc.Texts}
	for i, k := range doc.Texts {
		if k.Key == "" || k.Text == "" || k.Pattern == "" || k.Source == "" || len(k.Anchors) == 0 {
			return nil, fmt.Errorf("text %d (%q): key, text, pattern, anchors and source are required", i, k.Text)
		}
		if k.Lang != "en" && k.Lang != "ja" {
			return nil, fmt.Errorf("text %d (%q): lang %q, want en or ja", i, k.Text, k.Lang)
		}
		src := expandPhrase(k.Pattern, k.Lang == "ja")
		p := pattern{key: k.Key, ja: k.Lang == "ja", words: func() []string { return nil }, branches: func() [][]string { return nil }}
		switch {
		case p.ja:
		case eager:
			w, err := requiredWords(src, k.Anchors)
			if err != nil {
				return nil, fmt.Errorf("text %d (%q): %w", i, k.Text, err)
			}
			b := branchWords(src, k.Anchors)
			p.words = func() []string { return w }
			p.branches = func() [][]string { return b }
		default:
			// An expression that does not parse has no words: it panics
			// when compiled.
			anchors := k.Anchors
			p.words = sync.OnceValue(func() []string {
				w, _ := requiredWords(src, anchors)
				return w
			})
			p.branches = sync.OnceValue(func() [][]string { return branchWords(src, anchors) })
		}
		if eager {
			re, err := regexp.Compile(src)
			if err != nil {
				return nil, fmt.Errorf("text %d (%q): %w", i, k.Text, err)
			}
			p.re = func() *regexp.Regexp { return re }
		} else {
			p.re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(src) })
		}
		for _, a := range k.Anchors {
			switch {
			case isASCIIWord(a):
				t.ascii[int(a[0]-'a')*26+int(a[1]-'a')] |= 1 << i
			case k.Lang == "ja" && utf8.ValidString(a) && !strings.ContainsAny(a, " '"):
				t.wide |= 1 << i
			default:
				return nil, fmt.Errorf("text %d (%q): anchor %q must be a lower-case word starting with two letters", i, k.Text, a)
			}
			p.anchors = append(p.anchors, foldString(a))
		}
		t.pats = append(t.pats, p)
	}
	return t, nil
}

// requiredWords returns the words every match of the expression src holds:
// the ASCII literals of at least three bytes that the expression requires
// (parts of a required sequence, group or repetition of at least one, but
// nothing under an alternation, an optional part or a repetition that may
// be empty), lower-cased and without duplicates. They are ordered longest
// first, except that the pattern's anchors come last: the prefilter has
// usually seen those already.
//
// The parser factors alternations: in "can(?:not|'t)" the common prefix
// "can" is a literal of the sequence and rightly required. Phrase spaces
// are character classes, so the words of a phrase are separate literals.
// Under (?i) the parser folds each letter to the smallest rune of its
// case orbit, so a literal holding K or S may also match the Kelvin sign
// or the long s: the words are only to be looked for in ASCII lines.
func requiredWords(src string, anchors []string) ([]string, error) {
	tree, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return wordsOf(tree, anchors), nil
}

// branchWords returns the required words of each branch of the expression
// src when it is an alternation ("a|b", in a group or not) and every branch
// requires one; else nil. A match matches one branch, so it holds all the
// words of one of them.
func branchWords(src string, anchors []string) [][]string {
	tree, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	for tree.Op == syntax.OpCapture {
		tree = tree.Sub[0]
	}
	if tree.Op != syntax.OpAlternate {
		return nil
	}
	var out [][]string
	for _, sub := range tree.Sub {
		w := wordsOf(sub, anchors)
		if len(w) == 0 {
			return nil
		}
		out = append(out, w)
	}
	return out
}

// wordsOf returns the words every match of tree holds (see requiredWords).
func wordsOf(tree *syntax.Regexp, anchors []string) []string {
	var words []string
	var walk func(re *syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		switch re.Op {
		case syntax.OpLiteral:
			w := string(re.Rune)
			if len(w) >= 3 && isASCII(w) {
				words = append(words, strings.ToLower(w))
			}
		case syntax.OpConcat:
			for _, sub := range re.Sub {
				walk(sub)
			}
		case syntax.OpCapture, syntax.OpPlus:
			walk(re.Sub[0])
		case syntax.OpRepeat:
			if re.Min >= 1 {
				walk(re.Sub[0])
			}
		}
	}
	walk(tree)
	slices.Sort(words)
	words = slices.Compact(words)
	rank := func(w string) int {
		if slices.Contains(anchors, w) {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(words, func(a, b string) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return len(b) - len(a)
	})
	return words
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isASCIIWord reports whether a is a lower-case ASCII anchor: two letters,
// then letters, digits or hyphens.
func isASCIIWord(a string) bool {
	if len(a) < 2 {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i >= 2 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}

const (
	phraseSpace   = `[\s\x{00A0}]+`
	phraseSpaceJa = `[\s\x{00A0}]*`
	phraseApos    = "['\u2019\u2018\u00B4`]"
	phraseProduct = `(?:(?:microsoft|office)(?: office)? )?(?:communicator|lync|skype for business)`
	phraseDomain  = `[a-z0-9_-]+(?:\.[a-z0-9_-]+)*`
)

// expandPhrase turns the phrase notation described in texts.yaml into
// the source of a regular expression.
func expandPhrase(p string, ja bool) string {
	r := phraseReplacers()
	// Placeholders first: their expansions contain spaces of their own.
	p = r.holders.Replace(p)
	if ja {
		p = r.ja.Replace(p)
	} else {
		p = r.en.Replace(p)
	}
	return "(?i)" + p
}

// phraseReplacers are the replacers of expandPhrase, made once: making
// one costs more than a replacement, and the filter of MayMatch expands
// every text before a client log's first line is read.
var phraseReplacers = sync.OnceValue(func() (r struct{ holders, en, ja *strings.Replacer }) {
	r.holders = strings.NewReplacer("{P}", phraseProduct, "{D}", phraseDomain)
	r.en = strings.NewReplacer(" ", phraseSpace, "'", phraseApos)
	r.ja = strings.NewReplacer(" ", phraseSpaceJa, "'", phraseApos, "、", `(?:[、,]`+phraseSpaceJa+`)`)
	return r
})

// candidates is the prefilter: one pass over s that returns the bit set of
// patterns one of whose ASCII anchors occurs in s, ignoring ASCII case, and
// whether s holds a non-ASCII byte.
func (t *table) candidates(s string) (found uint64, wide bool) {
	for i := 0; i+1 < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			wide = true
			continue
		}
		a, b := s[i]|0x20-'a', s[i+1]|0x20-'a'
		if a >= 26 || b >= 26 {
			continue
		}
		set := t.ascii[int(a)*26+int(b)] &^ found
		for set != 0 {
			j := bits.TrailingZeros64(set)
			set &^= 1 << j
			for _, kw := range t.pats[j].anchors {
				if hasPrefixFold(s[i:], kw) {
					found |= 1 << j
					break
				}
			}
		}
	}
	if n := len(s); n > 0 && s[n-1] >= utf8.RuneSelf {
		wide = true
	}
	return found, wide
}

// containsFold reports whether s holds the lower-case ASCII word w,
// ignoring ASCII case. It finds the places of either case of w's first
// byte with strings.IndexByte, reading each byte of s at most twice, and
// allocates nothing.
func containsFold(s, w string) bool {
	if len(w) == 0 {
		return true
	}
	end := len(s) - len(w) + 1 // the last place w can start, plus one
	lo, up := w[0], w[0]
	if lo >= 'a' && lo <= 'z' {
		up -= 'a' - 'A'
	}
	// nextLo and nextUp are the next places of lo and up at or after i,
	// or end when there is none.
	nextLo, nextUp := -1, -1
	for i := 0; i < end; i++ {
		if nextLo < i {
			nextLo = indexByteFrom(s[:end], i, lo)
		}
		if nextUp < i {
			nextUp = nextLo
			if up != lo {
				nextUp = indexByteFrom(s[:end], i, up)
			}
		}
		i = min(nextLo, nextUp)
		if i < end && hasPrefixFold(s[i:], w) {
			return true
		}
	}
	return false
}

// indexByteFrom returns the index of the first c in s at or after i, or
// len(s) when there is none.
func indexByteFrom(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return len(s)
}

// hasPrefixFold reports whether s starts with the lower-case ASCII kw,
// ignoring ASCII case.
func hasPrefixFold[T string | []byte](s T, kw string) bool {
	if len(s) < len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// UITexts returns the known user-visible error texts in s, one per key (the
// first occurrence), in order of appearance. The product word may be
// Communicator, Lync, Skype for Business or Microsoft Lync; case, runs of
// white space and line breaks, straight or typographic apostrophes and a
// missing final period do not matter, and Japanese texts are found in
// full-width or half-width forms alike.
func UITexts(s string) []UIText {
	return theTable().find(s)
}

// find is UITexts on the table t.
func (t *table) find(s string) []UIText {
	set, wide := t.candidates(s)
	if set == 0 && !wide {
		return nil
	}
	type hit struct {
		at, end int
		key     string
	}
	var hits []hit
	// Under (?i), an expression's k and s also match the Kelvin sign
	// U+212A and the long s U+017F, the only non-ASCII runes that fold
	// onto ASCII letters: in a line holding neither, a match holds its
	// required words in ASCII, whatever other non-ASCII text is there.
	folds := wide && (strings.Contains(s, "\u212A") || strings.Contains(s, "\u017F"))
	add := func(key string, at, end int) {
		for i, h := range hits {
			if h.key != key {
				continue
			}
			if at < h.at || at == h.at && end > h.end {
				hits[i] = hit{at, end, key}
			}
			return
		}
		hits = append(hits, hit{at, end, key})
	}
	for i, p := range t.pats {
		// A pattern cannot match a line that lacks one of its required
		// words, unless (?i) matches one of their letters with a rune of
		// folds: then the expression runs.
		if set&(1<<i) == 0 || p.ja || !folds && !(hasAll(s, p.words()) && hasBranch(s, p.branches())) {
			continue
		}
		if m := p.re().FindStringIndex(s); m != nil {
			add(p.key, m[0], m[1])
		}
	}
	if wide && t.wide != 0 {
		norm, at := foldWidth(s)
		for i, p := range t.pats {
			if t.wide&(1<<i) == 0 || !containsAny(norm, p.anchors) {
				continue
			}
			if m := p.re().FindStringIndex(norm); m != nil {
				add(p.key, at(m[0]), at(m[1]))
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]UIText, len(hits))
	for i, h := range hits {
		out[i] = UIText{Key: h.key, Text: s[h.at:h.end]}
	}
	return out
}

// hasAll reports whether s holds each of the lower-case ASCII words,
// ignoring ASCII case only: it is not for lines holding the Kelvin sign
// U+212A or the long s U+017F, which (?i) matches with k and s.
// hasBranch reports whether s holds all the words of one of branches, or
// branches is nil (see hasAll for the comparison).
func hasBranch(s string, branches [][]string) bool {
	if branches == nil {
		return true
	}
	for _, words := range branches {
		if hasAll(s, words) {
			return true
		}
	}
	return false
}

func hasAll(s string, words []string) bool {
	for _, w := range words {
		if !containsFold(s, w) {
			return false
		}
	}
	return true
}

// containsAny reports whether s holds one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Width folding of Japanese text: full-width ASCII (U+FF01-U+FF5E) becomes
// ASCII, the ideographic space U+3000 a space, and half-width katakana and
// punctuation (U+FF61-U+FF9F) their full-width forms, with a following
// half-width voiced or semi-voiced sound mark composed into the kana.
var (
	halfKana = []rune("｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ")
	fullKana = []rune("。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
)

const (
	halfVoiced     = '\uFF9E' // ﾞ
	halfSemiVoiced = '\uFF9F' // ﾟ
)

// foldRune returns the folded form of r, and whether it differs.
func foldRune(r rune) (rune, bool) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0, true
	case r == 0x3000:
		return ' ', true
	case r >= 0xFF61 && r <= 0xFF9D:
		return fullKana[r-0xFF61], true
	case r == halfVoiced:
		return '\u309B', true
	case r == halfSemiVoiced:
		return '\u309C', true
	}
	return r, false
}

// compose joins a full-width kana and a half-width sound mark: ka+ﾞ is ga,
// ha+ﾟ is pa, u+ﾞ is vu.
func compose(base, mark rune) (rune, bool) {
	voicable := base >= 'カ' && base <= 'ト' && (base <= 'ヂ' && (base-'カ')%2 == 0 || base >= 'ツ' && (base-'ツ')%2 == 0)
	row := base >= 'ハ' && base <= 'ホ' && (base-'ハ')%3 == 0
	switch {
	case mark == halfVoiced && (voicable || row):
		return base + 1, true
	case mark == halfSemiVoiced && row:
		return base + 2, true
	case mark == halfVoiced && base == 'ウ':
		return 'ヴ', true
	}
	return base, false
}

// foldString folds s (used for anchors).
func foldString(s string) string {
	f, _ := foldWidth(s)
	return f
}

// foldWidth folds s and returns it with a function that maps a byte offset
// of the folded string (at a rune boundary) to the offset in s.
func foldWidth(s string) (string, func(int) int) {
	ident := func(i int) int { return i }
	first := -1
	for i, r := range s {
		if _, ok := foldRune(r); ok {
			first = i
			break
		}
	}
	if first < 0 {
		return s, ident
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:first])
	// starts[k] is the offset in s of the k-th rune written after first;
	// offs[k] its offset in the folded string.
	var offs, starts []int
	var last rune
	lastAt := -1
	for i := first; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == halfVoiced || r == halfSemiVoiced) && lastAt >= 0 {
			if c, ok := compose(last, r); ok {
				// Rewrite the kana just written as its voiced form.
				str := b.String()[:lastAt]
				b.Reset()
				b.WriteString(str)
				b.WriteRune(c)
				last, i = c, i+n
				continue
			}
		}
		f, _ := foldRune(r)
		offs = append(offs, b.Len())
		starts = append(starts, i)
		lastAt, last = b.Len(), f
		if f < 0x3000 || f > 0x30FF {
			lastAt = -1
		}
		b.WriteRune(f)
		i += n
	}
	norm := b.String()
	at := func(j int) int {
		if j <= first {
			return j
		}
		if j >= len(norm) {
			return len(s)
		}
		k := sort.SearchInts(offs, j)
		if k < len(offs) && offs[k] == j {
			return starts[k]
		}
		return len(s)
	}
	return norm, at
}
