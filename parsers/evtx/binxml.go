package evtx

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Binary XML tokens (MS-EVEN6 2.2.12; libevtx "Windows XML Event Log
// (EVTX)" documentation). Bit 0x40 on the element, value, attribute,
// CDATA, character and entity reference tokens means "more data follows"
// and is masked off before dispatch.
const (
	tokEOF        = 0x00
	tokOpenStart  = 0x01
	tokCloseStart = 0x02
	tokCloseEmpty = 0x03
	tokEnd        = 0x04
	tokValue      = 0x05
	tokAttribute  = 0x06
	tokCDATA      = 0x07
	tokCharRef    = 0x08
	tokEntityRef  = 0x09
	tokPITarget   = 0x0a
	tokPIData     = 0x0b
	tokTemplate   = 0x0c
	tokSubst      = 0x0d
	tokOptSubst   = 0x0e
	tokFragment   = 0x0f
	tokMoreFlag   = 0x40
)

const (
	// maxNesting bounds recursion through nested binary XML values
	// (substitution type 0x21) and template instances inside fragments.
	maxNesting = 8
	// maxElements bounds the elements decoded for one record, so that a
	// corrupted template cannot make a record explode in memory.
	maxElements = 1 << 16
)

var errTruncated = errors.New("binary XML runs past the end of the chunk")

// opKind is the kind of one decoded binary XML token.
type opKind uint8

const (
	opOpen       opKind = iota // start of an element; s = name
	opAttr                     // attribute; s = name, value tokens follow
	opCloseStart               // end of the start tag, content follows
	opCloseEmpty               // end of an element without content
	opEnd                      // end of an element
	opText                     // literal text; s = text
	opSubst                    // substitution; index, vtype, optional
	opInstance                 // template instance at chunk offset pos
)

// op is one token of a template definition or of a fragment, with names
// and literal texts already resolved to strings.
type op struct {
	kind     opKind
	optional bool
	vtype    uint8
	index    uint16
	pos      int32
	s        string
}

// template is a parsed template definition, cached per chunk by its offset.
type template struct {
	ops []op
	err error
}

// value is one substitution value of a template instance: its type and
// where its bytes are in the chunk.
type value struct {
	typ  uint8
	pos  int32
	size uint16
}

// chunk is one 64 KiB chunk being decoded, with its caches.
type chunk struct {
	index     int
	offset    int64
	data      []byte
	names     map[uint32]string
	templates map[uint32]*template
}

func newChunk(index int, offset int64, data []byte) *chunk {
	return &chunk{
		index:     index,
		offset:    offset,
		data:      data,
		names:     make(map[uint32]string, 64),
		templates: make(map[uint32]*template, 16),
	}
}

func (c *chunk) u8(pos int) (uint8, error) {
	if pos < 0 || pos >= len(c.data) {
		return 0, errTruncated
	}
	return c.data[pos], nil
}

func (c *chunk) u16(pos int) (uint16, error) {
	if pos < 0 || pos+2 > len(c.data) {
		return 0, errTruncated
	}
	return binary.LittleEndian.Uint16(c.data[pos:]), nil
}

func (c *chunk) u32(pos int) (uint32, error) {
	if pos < 0 || pos+4 > len(c.data) {
		return 0, errTruncated
	}
	return binary.LittleEndian.Uint32(c.data[pos:]), nil
}

// bytes returns n bytes at pos.
func (c *chunk) bytes(pos, n int) ([]byte, error) {
	if pos < 0 || n < 0 || pos+n > len(c.data) {
		return nil, errTruncated
	}
	return c.data[pos : pos+n], nil
}

// name returns the name structure stored at off: u32 next offset, u16
// hash, u16 character count, UTF-16LE characters and a NUL.
func (c *chunk) name(off uint32) (string, error) {
	if s, ok := c.names[off]; ok {
		return s, nil
	}
	n, err := c.u16(int(off) + 6)
	if err != nil {
		return "", fmt.Errorf("name at %#x: %w", off, err)
	}
	b, err := c.bytes(int(off)+8, 2*int(n))
	if err != nil {
		return "", fmt.Errorf("name at %#x: %w", off, err)
	}
	s := utf16String(b)
	c.names[off] = s
	return s, nil
}

// nameRef reads a name reference at pos and returns the name and the
// position after the reference, skipping the name itself when it is
// stored inline (its offset is the position right after the reference).
func (c *chunk) nameRef(pos int) (string, int, error) {
	off, err := c.u32(pos)
	if err != nil {
		return "", 0, err
	}
	pos += 4
	s, err := c.name(off)
	if err != nil {
		return "", 0, err
	}
	if int(off) == pos {
		n, _ := c.u16(pos + 6)
		pos += 8 + 2*int(n) + 2
	}
	return s, pos, nil
}

// lenString reads a u16 character count and that many UTF-16LE characters.
func (c *chunk) lenString(pos int) (string, int, error) {
	n, err := c.u16(pos)
	if err != nil {
		return "", 0, err
	}
	b, err := c.bytes(pos+2, 2*int(n))
	if err != nil {
		return "", 0, err
	}
	return utf16String(b), pos + 2 + 2*int(n), nil
}

// parseOps decodes the tokens from pos until an end-of-stream token or
// end (the size of the record, value or template), appending them to ops.
// depID tells whether element starts carry a dependency identifier: they
// do inside template definitions and do not in record fragments or nested
// binary XML values.
func (c *chunk) parseOps(ops []op, pos, end int, depID bool) ([]op, int, error) {
	ops, pos, eof, err := c.parseTokens(ops, pos, end, depID)
	if err == nil && !eof && end > len(c.data) {
		err = errTruncated
	}
	return ops, pos, err
}

// parseTokens is parseOps that also tells whether it stopped at an
// end-of-stream token rather than at end.
func (c *chunk) parseTokens(ops []op, pos, end int, depID bool) ([]op, int, bool, error) {
	if end > len(c.data) {
		end = len(c.data)
	}
	for pos < end {
		tok := c.data[pos]
		switch tok &^ tokMoreFlag {
		case tokEOF:
			if tok != tokEOF {
				return ops, pos, false, fmt.Errorf("unknown token %#x at %#x", tok, pos)
			}
			return ops, pos + 1, true, nil
		case tokFragment:
			pos += 4
		case tokOpenStart:
			p := pos + 1
			if depID {
				p += 2
			}
			p += 4 // data size
			name, p, err := c.nameRef(p)
			if err != nil {
				return ops, pos, false, err
			}
			if tok&tokMoreFlag != 0 {
				p += 4 // attribute list size
			}
			ops = append(ops, op{kind: opOpen, s: name})
			pos = p
		case tokAttribute:
			name, p, err := c.nameRef(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opAttr, s: name})
			pos = p
		case tokCloseStart:
			ops = append(ops, op{kind: opCloseStart})
			pos++
		case tokCloseEmpty:
			ops = append(ops, op{kind: opCloseEmpty})
			pos++
		case tokEnd:
			ops = append(ops, op{kind: opEnd})
			pos++
		case tokValue:
			typ, err := c.u8(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			if typ != typeString {
				return ops, pos, false, fmt.Errorf("value token of type %#x at %#x", typ, pos)
			}
			s, p, err := c.lenString(pos + 2)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opText, s: s})
			pos = p
		case tokCDATA:
			s, p, err := c.lenString(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opText, s: s})
			pos = p
		case tokCharRef:
			v, err := c.u16(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opText, s: string(rune(v))})
			pos += 3
		case tokEntityRef:
			name, p, err := c.nameRef(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opText, s: entity(name)})
			pos = p
		case tokPITarget:
			_, p, err := c.nameRef(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			pos = p
		case tokPIData:
			_, p, err := c.lenString(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			pos = p
		case tokTemplate:
			p, err := c.skipInstance(pos)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opInstance, pos: int32(pos)})
			pos = p
		case tokSubst, tokOptSubst:
			if tok&tokMoreFlag != 0 {
				return ops, pos, false, fmt.Errorf("unknown token %#x at %#x", tok, pos)
			}
			idx, err := c.u16(pos + 1)
			if err != nil {
				return ops, pos, false, err
			}
			vt, err := c.u8(pos + 3)
			if err != nil {
				return ops, pos, false, err
			}
			ops = append(ops, op{kind: opSubst, index: idx, vtype: vt, optional: tok == tokOptSubst})
			pos += 4
		default:
			return ops, pos, false, fmt.Errorf("unknown token %#x at %#x", tok, pos)
		}
	}
	// The size is used up without an end-of-stream token: like the evtx
	// crate, nested values and templates take the size as the end.
	return ops, pos, false, nil
}

// entity resolves the predefined XML entities; others are kept as written.
func entity(name string) string {
	switch name {
	case "amp":
		return "&"
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "quot":
		return `"`
	case "apos":
		return "'"
	}
	return "&" + name + ";"
}

// instance is a decoded template instance header.
type instance struct {
	defOffset uint32
	valuesPos int // the u32 value count
	end       int // first byte after the values
}

// readInstance reads the template instance at pos: token, u8 (1), u32
// template id, u32 definition offset, the definition itself when it is
// stored inline, then u32 count, count value descriptors and the values.
func (c *chunk) readInstance(pos int) (instance, error) {
	def, err := c.u32(pos + 6)
	if err != nil {
		return instance{}, err
	}
	p := pos + 10
	if int(def) == p {
		size, err := c.u32(p + 20)
		if err != nil {
			return instance{}, err
		}
		p += 24 + int(size)
	}
	count, err := c.u32(p)
	if err != nil {
		return instance{}, err
	}
	if uint64(count)*4 > uint64(len(c.data)) {
		return instance{}, fmt.Errorf("template instance at %#x: %d values cannot fit in a chunk", pos, count)
	}
	end := p + 4 + 4*int(count)
	if end > len(c.data) {
		return instance{}, errTruncated
	}
	for i := 0; i < int(count); i++ {
		end += int(binary.LittleEndian.Uint16(c.data[p+4+4*i:]))
	}
	if end > len(c.data) {
		return instance{}, errTruncated
	}
	return instance{defOffset: def, valuesPos: p, end: end}, nil
}

func (c *chunk) skipInstance(pos int) (int, error) {
	in, err := c.readInstance(pos)
	return in.end, err
}

// values returns the substitution values of an instance, reusing buf.
func (c *chunk) values(in instance, buf []value) []value {
	count := int(binary.LittleEndian.Uint32(c.data[in.valuesPos:]))
	buf = buf[:0]
	desc := in.valuesPos + 4
	pos := desc + 4*count
	for i := 0; i < count; i++ {
		d := c.data[desc+4*i:]
		size := binary.LittleEndian.Uint16(d)
		buf = append(buf, value{typ: d[2], pos: int32(pos), size: size})
		pos += int(size)
	}
	return buf
}

// template returns the parsed template definition at off: u32 next
// offset, 16-byte GUID, u32 data size, then a fragment of data size bytes.
func (c *chunk) template(off uint32) ([]op, error) {
	if t, ok := c.templates[off]; ok {
		return t.ops, t.err
	}
	t := &template{}
	size, err := c.u32(int(off) + 20)
	if err != nil {
		t.err = fmt.Errorf("template at %#x: %w", off, err)
	} else {
		start := int(off) + 24
		t.ops, _, err = c.parseOps(nil, start, start+int(size), true)
		if err != nil {
			t.err = fmt.Errorf("template at %#x: %w", off, err)
		}
	}
	c.templates[off] = t
	return t.ops, t.err
}
