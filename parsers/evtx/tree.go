package evtx

import (
	"errors"
	"fmt"
	"time"
)

// element is one XML element of a decoded record. Elements are stored in
// document order; the tree is kept as parent/child/sibling indices.
type element struct {
	name        string
	text        string
	parent      int32
	firstChild  int32
	lastChild   int32
	nextSibling int32
	attrLo      int32 // attributes are attrs[attrLo:attrHi]
	attrHi      int32
}

// attribute is one attribute of an element. time is set when the value
// came from a FILETIME or SYSTEMTIME substitution.
type attribute struct {
	name    string
	value   string
	time    time.Time
	dropped bool // an optional substitution without value: not written
}

// tree is the decoded XML of one record. It is reused from record to
// record to keep allocations down.
type tree struct {
	elems []element
	attrs []attribute
	stack []int32
	// attr is the attribute being filled, or -1 once the start tag is
	// closed.
	attr int32
	vals [maxNesting + 1][]value
	ops  []op
}

func (t *tree) reset() {
	t.elems = t.elems[:0]
	t.attrs = t.attrs[:0]
	t.stack = t.stack[:0]
	t.attr = -1
}

func (t *tree) open(name string) error {
	if len(t.elems) >= maxElements {
		return errors.New("too many elements")
	}
	parent := int32(-1)
	if n := len(t.stack); n > 0 {
		parent = t.stack[n-1]
	}
	i := int32(len(t.elems))
	t.elems = append(t.elems, element{
		name: name, parent: parent, firstChild: -1, lastChild: -1, nextSibling: -1,
		attrLo: int32(len(t.attrs)), attrHi: int32(len(t.attrs)),
	})
	if parent >= 0 {
		p := &t.elems[parent]
		if p.lastChild >= 0 {
			t.elems[p.lastChild].nextSibling = i
		} else {
			p.firstChild = i
		}
		p.lastChild = i
	}
	t.stack = append(t.stack, i)
	t.attr = -1
	return nil
}

func (t *tree) close() {
	if n := len(t.stack); n > 0 {
		t.stack = t.stack[:n-1]
	}
	t.attr = -1
}

// text appends s to the attribute being filled or to the open element.
func (t *tree) text(s string) {
	if t.attr >= 0 {
		a := &t.attrs[t.attr]
		a.value += s
		return
	}
	if n := len(t.stack); n > 0 {
		e := &t.elems[t.stack[n-1]]
		e.text += s
	}
}

// maxWork bounds the tokens executed and parsed for one record. Real
// records need hundreds; without a bound, a damaged record whose binary
// XML values refer to themselves would take exponential time.
const maxWork = 1 << 20

var errTooComplex = errors.New("binary XML too complex (self-referencing values?)")

// decoder decodes the records of one chunk into trees.
type decoder struct {
	c    *chunk
	t    tree
	work int // tokens left for the current record
}

// spend charges n units of work to the current record.
func (d *decoder) spend(n int) error {
	d.work -= n
	if d.work < 0 {
		return errTooComplex
	}
	return nil
}

// decodeRecord decodes the binary XML of the record whose data (after the
// 24-byte record header) spans [pos, end).
func (d *decoder) decodeRecord(pos, end int) error {
	d.t.reset()
	d.work = maxWork
	ops, _, eof, err := d.c.parseTokens(d.t.ops[:0], pos, end, false)
	d.t.ops = ops[:0]
	if err != nil {
		return err
	}
	if !eof {
		// libevtx and the evtx crate reject such records too: their end
		// was overwritten.
		return errors.New("no end-of-stream token within the record")
	}
	if err := d.run(ops, nil, 0); err != nil {
		return err
	}
	if n := len(d.t.stack); n > 0 {
		return fmt.Errorf("element <%s> not closed", d.t.elems[d.t.stack[n-1]].name)
	}
	if len(d.t.elems) == 0 {
		return errors.New("record has no XML element")
	}
	return nil
}

// run executes decoded tokens, taking substitution values from vals.
func (d *decoder) run(ops []op, vals []value, depth int) error {
	t := &d.t
	if err := d.spend(len(ops)); err != nil {
		return err
	}
	for i := 0; i < len(ops); i++ {
		o := &ops[i]
		switch o.kind {
		case opOpen:
			if n, ok := soleSubst(ops, i); ok {
				// Like libevtx, an element whose only content is an
				// optional substitution without value is not written,
				// and an element whose only content is an array is
				// written once per item (an EventData <Data> per
				// insertion string).
				idx := int(ops[n].index)
				if idx >= len(vals) || isNull(vals[idx]) {
					if ops[n].optional {
						i = n + 1
						continue
					}
				} else if vals[idx].typ&typeArray != 0 {
					if err := d.expandArray(ops, i, n, vals, depth); err != nil {
						return err
					}
					i = n + 1
					continue
				}
			}
			if err := t.open(o.s); err != nil {
				return err
			}
		case opAttr:
			n := len(t.stack)
			if n == 0 {
				return errors.New("attribute outside an element")
			}
			t.attrs = append(t.attrs, attribute{name: o.s})
			t.elems[t.stack[n-1]].attrHi = int32(len(t.attrs))
			t.attr = int32(len(t.attrs) - 1)
		case opCloseStart:
			t.attr = -1
		case opCloseEmpty, opEnd:
			t.close()
		case opText:
			t.text(o.s)
		case opSubst:
			if err := d.substitute(o, vals, depth); err != nil {
				return err
			}
		case opInstance:
			if err := d.instance(int(o.pos), depth); err != nil {
				return err
			}
		}
	}
	return nil
}

// instance decodes the template instance at pos into the tree.
func (d *decoder) instance(pos, depth int) error {
	if depth >= maxNesting {
		return errors.New("binary XML nested too deeply")
	}
	in, err := d.c.readInstance(pos)
	if err != nil {
		return err
	}
	ops, err := d.c.template(in.defOffset)
	if err != nil {
		return err
	}
	d.t.vals[depth] = d.c.values(in, d.t.vals[depth])
	if err := d.spend(len(d.t.vals[depth])); err != nil {
		return err
	}
	return d.run(ops, d.t.vals[depth], depth+1)
}

// substitute writes substitution value o into the tree.
func (d *decoder) substitute(o *op, vals []value, depth int) error {
	t := &d.t
	if int(o.index) >= len(vals) {
		// A template referring past the instance values: nothing to write,
		// as libevtx and the evtx crate do for missing optional values.
		if t.attr >= 0 && o.optional {
			t.attrs[t.attr].dropped = true
		}
		return nil
	}
	v := vals[o.index]
	if isNull(v) {
		if t.attr >= 0 && o.optional {
			t.attrs[t.attr].dropped = true
		}
		return nil
	}
	if v.typ == typeBinXML {
		if t.attr >= 0 {
			return nil
		}
		return d.nested(v, depth)
	}
	s, err := d.c.format(v)
	if err != nil {
		return err
	}
	if t.attr >= 0 {
		a := &t.attrs[t.attr]
		switch v.typ {
		case typeFileTime, typeSysTime:
			a.time, _ = d.c.timeValue(v)
		}
	}
	t.text(s)
	return nil
}

// nested decodes a binary XML substitution value (type 0x21) as children
// of the open element.
func (d *decoder) nested(v value, depth int) error {
	if depth >= maxNesting {
		return errors.New("binary XML nested too deeply")
	}
	start := int(v.pos)
	ops, _, err := d.c.parseOps(nil, start, start+int(v.size), false)
	if err != nil {
		return fmt.Errorf("binary XML value at %#x: %w", start, err)
	}
	return d.run(ops, nil, depth+1)
}

// soleSubst reports whether the element opened at ops[i] has a single
// substitution as its whole content, and returns the index of that op.
func soleSubst(ops []op, i int) (int, bool) {
	j := i + 1
	for j < len(ops) && (ops[j].kind == opAttr || ops[j].kind == opText || ops[j].kind == opSubst) {
		j++
	}
	if j+2 >= len(ops) || ops[j].kind != opCloseStart || ops[j+1].kind != opSubst || ops[j+2].kind != opEnd {
		return 0, false
	}
	return j + 1, true
}

// isNull reports whether v carries no value.
func isNull(v value) bool {
	return v.typ == typeNull || (v.size == 0 && v.typ != typeString)
}

// expandArray writes the element opened at ops[i] once per item of the
// array value substituted at ops[n].
func (d *decoder) expandArray(ops []op, i, n int, vals []value, depth int) error {
	items, err := d.c.arrayItems(vals[ops[n].index])
	if err != nil {
		return err
	}
	if err := d.spend(len(items)); err != nil {
		return err
	}
	for _, item := range items {
		// The start tag (element and attributes) ends at ops[n-1], the
		// CloseStart token.
		if err := d.run(ops[i:n-1], vals, depth); err != nil {
			return err
		}
		d.t.attr = -1
		d.t.text(item)
		d.t.close()
	}
	return nil
}
