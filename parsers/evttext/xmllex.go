package evttext

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The lexer below reads event XML in place of encoding/xml's Decoder,
// whose memory grows with the input: Decoder.Token keeps a stack entry per
// open element (a file of nested <a> outside any event took 848 MB and
// minutes), and both Token and RawToken return a text node, attribute or
// comment whole (a 64 MiB <Data> took 276 MB). The lexer keeps no stack
// (the caller counts the depth), keeps at most maxTextLen bytes of a text
// or attribute value and maxAttrs attributes of an element, never keeps a
// comment, processing instruction or DOCTYPE, and checks the context every
// lexCtxEvery bytes, so that memory stays flat and cancellation prompt
// whatever the input. It decodes what encoding/xml decodes for these
// exports: the five predefined entities, character references, CDATA
// sections, and CR LF or a lone CR read as LF in text and attribute values.
// Unlike encoding/xml it does not check that names and characters are
// allowed by the XML grammar, nor, outside an event, that end tags match
// their start tags: such a document is read rather than cut short.

const (
	// maxNameLen bounds an element or attribute name; a longer one makes
	// the document malformed (event XML names are a few dozen bytes).
	maxNameLen = 1024
	// maxAttrs bounds the attributes kept for one element; the rest are
	// read and dropped.
	maxAttrs = 256
	// lexCtxEvery is how often, in bytes read, the lexer checks the
	// context.
	lexCtxEvery = 1 << 20
)

// tokKind is the kind of a token of the lexer.
type tokKind uint8

const (
	tokOther tokKind = iota // comment, processing instruction, DOCTYPE
	tokStart                // <name attr='v'> or <name/>
	tokEnd                  // </name>
	tokText                 // character data or a CDATA section
)

// token is one token of the lexer. name and text are only valid until the
// next call of next.
type token struct {
	kind  tokKind
	name  []byte     // the element name as written, prefix included
	attrs []xml.Attr // Name.Space is the prefix as written; nil when discarded
	empty bool       // <name/>: no end tag follows
	text  []byte     // character data, decoded, cut at maxTextLen
	cut   bool       // the text, an attribute value or the attributes were cut
}

// local returns the part of an element or attribute name after its
// prefix.
func local(name []byte) string {
	for i, c := range name {
		if c == ':' {
			return string(name[i+1:])
		}
	}
	return string(name)
}

// lexer reads the tokens of an XML document from r.
type lexer struct {
	ctx  context.Context
	r    *bufio.Reader
	line int   // the line of the next byte, 1-based
	n    int64 // bytes read
	// raw holds the bytes read since resetRaw, up to maxTextLen+1 of
	// them: the record as written for Event.Text.
	raw     []byte
	lastRaw bool // the last byte read went to raw
	// keepAttrs: start tags return their attributes; else they are read
	// and dropped.
	keepAttrs bool
	name      []byte
	aname     []byte
	text      []byte
	val       []byte
}

func newLexer(ctx context.Context, r *bufio.Reader) *lexer {
	return &lexer{ctx: ctx, r: r, line: 1}
}

// resetRaw starts recording the bytes as written anew.
func (l *lexer) resetRaw() { l.raw = l.raw[:0] }

// syntax returns a syntax error at the current line, worded like
// encoding/xml's.
func (l *lexer) syntax(format string, args ...any) error {
	return &xml.SyntaxError{Msg: fmt.Sprintf(format, args...), Line: l.line}
}

// getc returns the next byte: io.EOF at the end of the input, the
// context's error once it is done.
func (l *lexer) getc() (byte, error) {
	b, err := l.r.ReadByte()
	if err != nil {
		return 0, err
	}
	l.n++
	if l.n%lexCtxEvery == 0 {
		if err := l.ctx.Err(); err != nil {
			return 0, err
		}
	}
	if b == '\n' {
		l.line++
	}
	l.lastRaw = len(l.raw) <= maxTextLen
	if l.lastRaw {
		l.raw = append(l.raw, b)
	}
	return b, nil
}

// Stop sets of span: the bytes that end a run of plain characters.
var (
	stopText    = stopSet("<&\r")
	stopDouble  = stopSet("\"<&\r")
	stopSingle  = stopSet("'<&\r")
	stopComment = stopSet("->")
	stopPI      = stopSet("?>")
)

func stopSet(bs string) *[256]bool {
	var set [256]bool
	for i := 0; i < len(bs); i++ {
		set[bs[i]] = true
	}
	return &set
}

// span consumes, from what the reader holds already, the run of bytes up
// to the first one in stop, doing for them what getc does for one, and
// appends them to buf while it is shorter than limit (cut: some were not);
// with keep false they are dropped. It returns how many bytes it
// consumed. After span, ungetc needs a getc first.
func (l *lexer) span(stop *[256]bool, keep bool, buf []byte, limit int, cut bool) ([]byte, bool, int, error) {
	total := 0
	for {
		avail := l.r.Buffered()
		if avail == 0 {
			return buf, cut, total, nil // getc refills
		}
		chunk, _ := l.r.Peek(avail)
		i := 0
		for i < len(chunk) && !stop[chunk[i]] {
			i++
		}
		if i == 0 {
			return buf, cut, total, nil
		}
		run := chunk[:i]
		if (l.n+int64(i))/lexCtxEvery != l.n/lexCtxEvery {
			if err := l.ctx.Err(); err != nil {
				return buf, cut, total, err
			}
		}
		l.n += int64(i)
		l.line += bytes.Count(run, []byte{'\n'})
		if room := maxTextLen + 1 - len(l.raw); room > 0 {
			l.raw = append(l.raw, run[:min(room, i)]...)
		}
		if keep {
			room := limit - len(buf)
			if room < i {
				cut = true
			}
			buf = append(buf, run[:min(max(room, 0), i)]...)
		}
		_, _ = l.r.Discard(i)
		total += i
		if i < len(chunk) {
			return buf, cut, total, nil
		}
	}
}

// mustc is getc inside a token, where the end of the input is an error.
func (l *lexer) mustc() (byte, error) {
	b, err := l.getc()
	if err != nil && errors.Is(err, io.EOF) {
		return 0, l.syntax("unexpected EOF")
	}
	return b, err
}

// ungetc puts back the byte b just read by getc.
func (l *lexer) ungetc(b byte) {
	_ = l.r.UnreadByte()
	l.n--
	if b == '\n' {
		l.line--
	}
	if l.lastRaw {
		l.raw = l.raw[:len(l.raw)-1]
	}
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// next returns the next token; io.EOF at the end of the input between
// tokens.
func (l *lexer) next() (token, error) {
	b, err := l.getc()
	if err != nil {
		return token{}, err
	}
	if b != '<' {
		return l.readText(b)
	}
	if b, err = l.mustc(); err != nil {
		return token{}, err
	}
	switch b {
	case '/':
		return l.readEnd()
	case '?':
		return token{kind: tokOther}, l.skipTo("?>")
	case '!':
		return l.readBang()
	}
	return l.readStart(b)
}

// readName reads into dst a name starting with b, up to the byte after
// it, which is returned.
func (l *lexer) readName(b byte, dst []byte) ([]byte, byte, error) {
	dst = dst[:0]
	var err error
	for !isSpace(b) && b != '>' && b != '/' && b != '=' && b != '<' && b != '"' && b != '\'' {
		if len(dst) == maxNameLen {
			return nil, 0, l.syntax("name longer than %d bytes", maxNameLen)
		}
		dst = append(dst, b)
		if b, err = l.mustc(); err != nil {
			return nil, 0, err
		}
	}
	if len(dst) == 0 {
		return nil, 0, l.syntax("expected name, found %q", b)
	}
	return dst, b, nil
}

// skipSpace returns the first byte from b on that is not white space.
func (l *lexer) skipSpace(b byte) (byte, error) {
	var err error
	for isSpace(b) {
		if b, err = l.mustc(); err != nil {
			return 0, err
		}
	}
	return b, nil
}

// readStart reads a start tag whose name starts with b.
func (l *lexer) readStart(b byte) (token, error) {
	name, b, err := l.readName(b, l.name)
	if err != nil {
		return token{}, err
	}
	l.name = name
	tok := token{kind: tokStart, name: name}
	for {
		if b, err = l.skipSpace(b); err != nil {
			return token{}, err
		}
		switch b {
		case '>':
			return tok, nil
		case '/':
			if b, err = l.mustc(); err != nil {
				return token{}, err
			}
			if b != '>' {
				return token{}, l.syntax("expected /> in element")
			}
			tok.empty = true
			return tok, nil
		}
		an, c, err := l.readName(b, l.aname)
		if err != nil {
			return token{}, err
		}
		l.aname = an
		var attr xml.Name
		keep := l.keepAttrs && len(tok.attrs) < maxAttrs
		if keep {
			attr = xml.Name{Local: string(an)}
			for i, c := range an {
				if c == ':' {
					attr = xml.Name{Space: string(an[:i]), Local: string(an[i+1:])}
					break
				}
			}
		} else if l.keepAttrs {
			tok.cut = true
		}
		if c, err = l.skipSpace(c); err != nil {
			return token{}, err
		}
		if c != '=' {
			return token{}, l.syntax("attribute name without = in element")
		}
		if c, err = l.mustc(); err != nil {
			return token{}, err
		}
		if c, err = l.skipSpace(c); err != nil {
			return token{}, err
		}
		if c != '"' && c != '\'' {
			return token{}, l.syntax("unquoted or missing attribute value in element")
		}
		val, cut, err := l.readChars(c, maxTextLen, l.val[:0])
		if err != nil {
			return token{}, err
		}
		l.val = val
		if keep {
			tok.attrs = append(tok.attrs, xml.Attr{Name: attr, Value: string(val)})
			tok.cut = tok.cut || cut
		}
		if b, err = l.mustc(); err != nil {
			return token{}, err
		}
		if !isSpace(b) && b != '>' && b != '/' {
			return token{}, l.syntax("expected white space after an attribute value")
		}
	}
}

// readEnd reads an end tag after its "</".
func (l *lexer) readEnd() (token, error) {
	b, err := l.mustc()
	if err != nil {
		return token{}, err
	}
	name, b, err := l.readName(b, l.name)
	if err != nil {
		return token{}, err
	}
	l.name = name
	if b, err = l.skipSpace(b); err != nil {
		return token{}, err
	}
	if b != '>' {
		return token{}, l.syntax("invalid characters between </%s and >", name)
	}
	return token{kind: tokEnd, name: name}, nil
}

// readBang reads what starts with "<!": a comment, a CDATA section or a
// DOCTYPE.
func (l *lexer) readBang() (token, error) {
	b, err := l.mustc()
	if err != nil {
		return token{}, err
	}
	switch b {
	case '-':
		if b, err = l.mustc(); err != nil {
			return token{}, err
		}
		if b != '-' {
			return token{}, l.syntax("invalid sequence <!- not part of <!--")
		}
		return token{kind: tokOther}, l.skipTo("-->")
	case '[':
		for i := 0; i < len("CDATA["); i++ {
			if b, err = l.mustc(); err != nil {
				return token{}, err
			}
			if b != "CDATA["[i] {
				return token{}, l.syntax("invalid <![ sequence")
			}
		}
		return l.readCDATA()
	}
	// <!DOCTYPE ...>, with a possible internal subset: skip to the '>'
	// that balances the '<', outside quotes.
	depth, quote := 1, byte(0)
	for {
		switch {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '<':
			depth++
		case b == '>':
			depth--
			if depth == 0 {
				return token{kind: tokOther}, nil
			}
		}
		if b, err = l.mustc(); err != nil {
			return token{}, err
		}
	}
}

// skipTo reads up to and including end, keeping nothing. end is a run
// of one byte then '>': "-->" or "?>".
func (l *lexer) skipTo(end string) error {
	c, need := end[0], len(end)-1
	run := 0 // consecutive c just read
	stop := stopComment
	if c == '?' {
		stop = stopPI
	}
	for {
		_, _, n, err := l.span(stop, false, nil, 0, false)
		if err != nil {
			return err
		}
		if n > 0 {
			run = 0
		}
		b, err := l.mustc()
		if err != nil {
			return err
		}
		switch {
		case b == c:
			run++
		case b == '>' && run >= need:
			return nil
		default:
			run = 0
		}
	}
}

// readCDATA reads a CDATA section after its "<![CDATA[".
func (l *lexer) readCDATA() (token, error) {
	tok := token{kind: tokText}
	buf := l.text[:0]
	brackets := 0 // consecutive ']' just read, not yet kept
	for {
		b, err := l.mustc()
		if err != nil {
			return token{}, err
		}
		if b == ']' {
			brackets++
			continue
		}
		if b == '>' && brackets >= 2 {
			for ; brackets > 2; brackets-- {
				buf, tok.cut = keepByte(buf, ']', tok.cut)
			}
			l.text, tok.text = buf, buf
			return tok, nil
		}
		for ; brackets > 0; brackets-- {
			buf, tok.cut = keepByte(buf, ']', tok.cut)
		}
		if b == '\r' {
			b = l.crlf()
		}
		buf, tok.cut = keepByte(buf, b, tok.cut)
	}
}

// keepByte appends b to buf unless buf holds maxTextLen bytes already.
func keepByte(buf []byte, b byte, cut bool) ([]byte, bool) {
	if len(buf) >= maxTextLen {
		return buf, true
	}
	return append(buf, b), cut
}

// crlf is called after a CR: it reads the LF of a CR LF, and returns the
// LF both stand for.
func (l *lexer) crlf() byte {
	c, err := l.getc()
	if err == nil && c != '\n' {
		l.ungetc(c)
	}
	return '\n'
}

// readText reads character data starting with b, up to the next '<' or
// the end of the input.
func (l *lexer) readText(b byte) (token, error) {
	tok := token{kind: tokText}
	l.ungetc(b)
	text, cut, err := l.readChars('<', maxTextLen, l.text[:0])
	l.text = text
	if err != nil {
		return token{}, err
	}
	tok.text, tok.cut = text, cut
	return tok, nil
}

// readChars appends to buf the characters up to end (a quote, or '<' for
// text, which is put back; for text the end of the input ends it too),
// decoding entities and line ends, keeping at most limit bytes.
func (l *lexer) readChars(end byte, limit int, buf []byte) ([]byte, bool, error) {
	cut := false
	stop := stopText
	switch end {
	case '"':
		stop = stopDouble
	case '\'':
		stop = stopSingle
	}
	for {
		var err error
		if buf, cut, _, err = l.span(stop, true, buf, limit, cut); err != nil {
			return nil, false, err
		}
		b, err := l.getc()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if end == '<' {
					return buf, cut, nil
				}
				return nil, false, l.syntax("unexpected EOF")
			}
			return nil, false, err
		}
		switch {
		case b == end:
			if end == '<' {
				l.ungetc(b)
			}
			return buf, cut, nil
		case b == '<':
			return nil, false, l.syntax("unescaped < inside quoted string")
		case b == '&':
			r, err := l.readEntity()
			if err != nil {
				return nil, false, err
			}
			if len(buf)+utf8.RuneLen(r) > limit {
				cut = true
				continue
			}
			buf = utf8.AppendRune(buf, r)
			continue
		case b == '\r':
			b = l.crlf()
		}
		if len(buf) >= limit {
			cut = true
			continue
		}
		buf = append(buf, b)
	}
}

// readEntity reads an entity or character reference after its '&'.
func (l *lexer) readEntity() (rune, error) {
	var name [16]byte
	n := 0
	for {
		b, err := l.mustc()
		if err != nil {
			return 0, err
		}
		if b == ';' {
			break
		}
		if n == len(name) {
			return 0, l.syntax("invalid character entity &%s (no semicolon)", name[:n])
		}
		name[n] = b
		n++
	}
	s := string(name[:n])
	switch s {
	case "lt":
		return '<', nil
	case "gt":
		return '>', nil
	case "amp":
		return '&', nil
	case "apos":
		return '\'', nil
	case "quot":
		return '"', nil
	}
	if len(s) > 1 && s[0] == '#' {
		var v uint64
		var err error
		if s[1] == 'x' {
			v, err = strconv.ParseUint(s[2:], 16, 32)
		} else {
			v, err = strconv.ParseUint(s[1:], 10, 32)
		}
		if err == nil && utf8.ValidRune(rune(v)) {
			return rune(v), nil
		}
	}
	return 0, l.syntax("invalid character entity &%s;", s)
}
