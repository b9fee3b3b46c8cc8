// Package textenc turns the text files found in a support bundle into UTF-8.
//
// Windows tools write text as UTF-8 (with or without a byte order mark) or as
// UTF-16 (usually little-endian with a BOM, sometimes without one); Notepad
// on Japanese Windows long saved notes as Shift_JIS (code page 932).
// NewReader sniffs the first bytes of a stream and returns a reader that
// yields UTF-8; IsText tells text from binary data by looking at the head of
// a file.
package textenc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Encoding names returned by NewReader.
const (
	UTF8    = "utf-8"     // UTF-8 without a BOM, or any text that is not UTF-16
	UTF8BOM = "utf-8-bom" // UTF-8 that started with EF BB BF (stripped)
	UTF16LE = "utf-16le"  // little-endian UTF-16, with or without a BOM
	UTF16BE = "utf-16be"  // big-endian UTF-16, with or without a BOM
	// ShiftJIS is Shift_JIS as Windows writes it (code page 932,
	// Windows-31J), recognised only when the bytes are not UTF-8.
	ShiftJIS = "shift_jis"
)

// sniffLen is how many leading bytes NewReader looks at to recognise UTF-16
// without a byte order mark.
const sniffLen = 512

// sjisSniffLen is how many leading bytes NewReader looks at to recognise
// Shift_JIS.
const sjisSniffLen = 8192

// bufSize is the size of the raw input buffer of the UTF-16 decoder.
const bufSize = 4096

// NewReader sniffs the start of r and returns a reader that yields UTF-8,
// together with the name of the encoding it found (UTF8, UTF8BOM, UTF16LE,
// UTF16BE or ShiftJIS).
//
// A UTF-8 BOM is stripped. UTF-16 with a BOM, and UTF-16 without one whose
// first 512 bytes look like ASCII text (NUL in every other byte), is decoded
// as a stream: unpaired surrogates and an odd trailing byte become U+FFFD.
// Shift_JIS is decoded when the first 8 KiB are not UTF-8 but decode as
// Shift_JIS (code page 932) without error and their non-ASCII characters
// are mostly Japanese (see IsShiftJIS). Anything else is passed through
// unchanged, invalid UTF-8 included. Line endings are not touched. The error
// is non-nil only when reading the first bytes of r fails.
func NewReader(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sjisSniffLen)
	head, err := br.Peek(sjisSniffLen)
	var src io.Reader = br
	switch {
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, bufio.ErrBufferFull):
	case len(head) == 0:
		return nil, "", fmt.Errorf("textenc: sniff encoding: %w", err)
	default:
		// The source failed after the head: the error comes after it.
		src = io.MultiReader(bytes.NewReader(bytes.Clone(head)), errReader{err})
	}
	enc, bom := detect(head)
	if _, err := io.CopyN(io.Discard, src, int64(bom)); err != nil {
		return nil, "", fmt.Errorf("textenc: skip byte order mark: %w", err)
	}
	switch enc {
	case UTF16LE:
		return newUTF16Reader(src, false), enc, nil
	case UTF16BE:
		return newUTF16Reader(src, true), enc, nil
	case ShiftJIS:
		return transform.NewReader(src, japanese.ShiftJIS.NewDecoder()), enc, nil
	}
	return src, enc, nil
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// detect names the encoding of a stream that starts with head, and the
// length of its byte order mark.
func detect(head []byte) (enc string, bomLen int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8BOM, 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE, 2
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE, 2
	}
	if enc := guessUTF16(head); enc != UTF8 {
		return enc, 0
	}
	if IsShiftJIS(head) {
		return ShiftJIS, 0
	}
	return UTF8, 0
}

// IsShiftJIS reports whether head, the first bytes of a file, is Shift_JIS
// text as Windows writes it (code page 932) rather than UTF-8 or a
// single-byte code page: it is not valid UTF-8, it decodes as Shift_JIS
// without a single invalid or unassigned sequence, and of its non-ASCII
// characters at least 80% are Japanese (kana, kanji, CJK punctuation,
// full-width forms) with at least two full-width kana: accented letters of
// a single-byte code page (CP1252 "Ré", "î") may decode as kanji, and
// symbols such as ± and ° as half-width katakana, but hardly ever as
// hiragana or full-width katakana, which Japanese sentences are full of. A
// character
// cut off at the end of head is not held against it. UTF-8 text, with or
// without a BOM, is never Shift_JIS.
func IsShiftJIS(head []byte) bool {
	if validUTF8Head(head) {
		return false
	}
	dec := japanese.ShiftJIS.NewDecoder()
	out := make([]byte, 0, 2*len(head))
	buf := make([]byte, 4096)
	src := head
	for len(src) > 0 {
		nDst, nSrc, err := dec.Transform(buf, src, false)
		out = append(out, buf[:nDst]...)
		src = src[nSrc:]
		if errors.Is(err, transform.ErrShortSrc) {
			break // a lead byte cut off by the end of head
		}
		if err != nil && !errors.Is(err, transform.ErrShortDst) {
			return false
		}
	}
	var nonASCII, japaneseRunes, kana int
	for _, r := range string(out) {
		switch {
		case r == utf8.RuneError:
			return false
		case r < utf8.RuneSelf:
			continue
		}
		nonASCII++
		if isJapanese(r) {
			japaneseRunes++
		}
		if r >= 0x3041 && r <= 0x30FF { // full-width hiragana and katakana
			kana++
		}
	}
	return kana >= 2 && japaneseRunes*10 >= nonASCII*8
}

// isJapanese reports whether r is a character of Japanese text: kana, kanji,
// CJK symbols and punctuation, or full-width and half-width forms.
func isJapanese(r rune) bool {
	switch {
	case unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han):
		return true
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // full-width and half-width forms
		return true
	}
	return false
}

// validUTF8Head reports whether head is valid UTF-8, but for a character
// cut off at its end.
func validUTF8Head(head []byte) bool {
	for i := 0; i < utf8.UTFMax && i < len(head); i++ {
		if utf8.Valid(head[:len(head)-i]) {
			return i == 0 || !utf8.FullRune(head[len(head)-i:])
		}
	}
	return false
}

// guessUTF16 recognises UTF-16 without a BOM in its common form: mostly
// ASCII text, so that one byte of nearly every code unit is NUL. It looks at
// the first sniffLen bytes and returns UTF8 when the pattern is not there.
func guessUTF16(head []byte) string {
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	units := len(head) / 2
	if units == 0 {
		return UTF8
	}
	var evenNUL, oddNUL int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			evenNUL++
		}
		if head[i+1] == 0 {
			oddNUL++
		}
	}
	// At least 60% of the code units have the NUL on one side and at most
	// 10% on the other: ASCII text, not binary data full of zeros.
	switch {
	case oddNUL*10 >= units*6 && evenNUL*10 <= units:
		return UTF16LE
	case evenNUL*10 >= units*6 && oddNUL*10 <= units:
		return UTF16BE
	}
	return UTF8
}

// maxEmptyReads is how many reads in a row that return neither data nor an
// error make the source count as broken: bufio.Reader's limit.
const maxEmptyReads = 100

// utf16Reader decodes a UTF-16 stream into UTF-8 as it is read.
type utf16Reader struct {
	src  io.Reader
	be   bool
	buf  []byte // raw bytes: buf[r:w] are not decoded yet
	r, w int
	out  [utf8.UTFMax]byte // an encoded rune that did not fit the caller's buffer
	outR int
	outW int
	high rune  // a high surrogate waiting for its low half; 0 when none
	err  error // sticky error of src (io.EOF at the end)
}

func newUTF16Reader(src io.Reader, bigEndian bool) *utf16Reader {
	return &utf16Reader{src: src, be: bigEndian, buf: make([]byte, bufSize)}
}

// Read implements io.Reader.
func (d *utf16Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := 0
	for n < len(p) {
		if d.outR < d.outW {
			c := copy(p[n:], d.out[d.outR:d.outW])
			d.outR += c
			n += c
			continue
		}
		if d.w-d.r < 2 {
			if d.err != nil {
				if r, ok := d.tail(); ok {
					n += d.emit(p[n:], r)
					continue
				}
				if n > 0 {
					return n, nil
				}
				return 0, d.err
			}
			if n > 0 {
				// Hand over what is decoded rather than block for more.
				return n, nil
			}
			d.fill()
			continue
		}
		u := d.unit()
		var r rune
		switch {
		case d.high != 0:
			if u >= 0xDC00 && u < 0xE000 {
				r = utf16.DecodeRune(d.high, rune(u))
				d.r += 2
			} else {
				// Unpaired high surrogate: replace it, then decode u anew.
				r = utf8.RuneError
			}
			d.high = 0
		case u >= 0xD800 && u < 0xDC00:
			d.high = rune(u)
			d.r += 2
			continue
		case u >= 0xDC00 && u < 0xE000:
			r = utf8.RuneError // unpaired low surrogate
			d.r += 2
		case u&0xff == 0 && d.misaligned():
			// A byte lost or added shifted every unit by one: skip one
			// byte to decode the rest aligned, and mark the place.
			r = utf8.RuneError
			d.r++
		default:
			r = rune(u)
			d.r += 2
		}
		n += d.emit(p[n:], r)
	}
	return n, nil
}

// realign is the number of units, from the one being decoded, that say
// the text lost its alignment when each holds an ASCII character in its
// high byte and 0 in its low byte: ASCII text read one byte off. (Real
// text of eight characters U+XX00 in a row, such as U+4E00 and U+5000,
// is not met in a log.)
const realign = 8

// misaligned reports whether the next realign units are ASCII characters
// shifted by one byte. It reads them into the buffer first, so that the
// answer depends on the input, not on how its reads were cut.
func (d *utf16Reader) misaligned() bool {
	for d.w-d.r < 2*realign && d.err == nil {
		d.fill()
	}
	if d.w-d.r < 2*realign {
		return false
	}
	for i := 0; i < realign; i++ {
		lo, hi := d.buf[d.r+2*i], d.buf[d.r+2*i+1]
		if d.be {
			lo, hi = hi, lo
		}
		if lo != 0 || !(hi >= 0x20 && hi < 0x7f || hi == '\t' || hi == '\n' || hi == '\r') {
			return false
		}
	}
	return true
}

// unit returns the code unit at buf[r:r+2].
func (d *utf16Reader) unit() uint16 {
	b0, b1 := d.buf[d.r], d.buf[d.r+1]
	if d.be {
		return uint16(b0)<<8 | uint16(b1)
	}
	return uint16(b1)<<8 | uint16(b0)
}

// emit writes r to p, or into d.out when p is too short; it returns the
// number of bytes written to p.
func (d *utf16Reader) emit(p []byte, r rune) int {
	if utf8.RuneLen(r) <= len(p) {
		return utf8.EncodeRune(p, r)
	}
	d.outR, d.outW = 0, utf8.EncodeRune(d.out[:], r)
	c := copy(p, d.out[:d.outW])
	d.outR = c
	return c
}

// tail returns the replacement for what is left at the end of the input: a
// pending high surrogate or an odd trailing byte.
func (d *utf16Reader) tail() (rune, bool) {
	switch {
	case d.high != 0:
		d.high = 0
		return utf8.RuneError, true
	case d.w-d.r == 1:
		d.r++
		return utf8.RuneError, true
	}
	return 0, false
}

// fill reads more raw bytes, keeping the undecoded rest of the buffer.
func (d *utf16Reader) fill() {
	if d.r > 0 {
		d.w = copy(d.buf, d.buf[d.r:d.w])
		d.r = 0
	}
	for range maxEmptyReads {
		n, err := d.src.Read(d.buf[d.w:])
		d.w += n
		if err != nil {
			d.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	d.err = io.ErrNoProgress
}

// headLen is the most of a file's head that IsText looks at.
const headLen = 4096

// nulRun is the shortest run of NUL characters that IsText skips as a hole
// in the text rather than counts as control characters.
const nulRun = 8

// IsText reports whether head, the first bytes of a file (up to 4 KiB are
// used), looks like text in UTF-8, UTF-16 or Shift_JIS: once decoded, runs
// of 8 or more NUL characters aside, it has at least one character, at most
// 2% control characters other than tab, CR, LF, FF and ESC (shorter NUL runs
// count as control characters), and at most 10% invalid UTF-8 or unpaired
// surrogates. An empty head is text. A character cut off at the end of head
// is not held against it.
//
// NUL runs are tolerated because a client that crashed, or a disk that
// lost power, leaves them in the middle of an otherwise healthy log;
// binary data stays binary because its other bytes are mostly control
// characters and invalid UTF-8.
func IsText(head []byte) bool {
	if len(head) == 0 {
		return true
	}
	if len(head) > headLen {
		head = head[:headLen]
	}
	enc, bom := detect(head)
	head = head[bom:]
	var runes, controls, invalid, nuls int
	count := func(r rune, bad bool) {
		if r == 0 {
			nuls++
			return
		}
		if nuls > 0 && nuls < nulRun {
			runes += nuls
			controls += nuls
		}
		nuls = 0
		runes++
		switch {
		case bad:
			invalid++
		case isControl(r):
			controls++
		}
	}
	switch enc {
	case UTF16LE, UTF16BE:
		units := make([]uint16, len(head)/2)
		for i := range units {
			b0, b1 := head[2*i], head[2*i+1]
			if enc == UTF16BE {
				b0, b1 = b1, b0
			}
			units[i] = uint16(b1)<<8 | uint16(b0)
		}
		if n := len(units); n > 0 && units[n-1] >= 0xD800 && units[n-1] < 0xDC00 {
			units = units[:n-1] // a surrogate pair cut by the end of head
		}
		for _, r := range utf16.Decode(units) {
			count(r, r == utf8.RuneError)
		}
	case ShiftJIS:
		// detect has checked that head decodes without error.
		out, _, _ := transform.Bytes(japanese.ShiftJIS.NewDecoder(), head)
		for _, r := range string(out) {
			count(r, false)
		}
	default:
		for len(head) > 0 {
			if !utf8.FullRune(head) {
				break // cut off by the end of head
			}
			r, size := utf8.DecodeRune(head)
			head = head[size:]
			count(r, r == utf8.RuneError && size == 1)
		}
	}
	count(' ', false) // ends a NUL run at the end of head
	runes--
	return runes > 0 && controls*50 <= runes && invalid*10 <= runes
}

// isControl reports whether r is a control character that text rarely holds.
func isControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r', '\f', 0x1B: // ESC starts the colour codes of terminal captures
		return false
	}
	return r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0)
}
