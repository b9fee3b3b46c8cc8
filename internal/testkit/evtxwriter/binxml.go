package evtxwriter

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
)

// encoder serializes one record into a scratch buffer that will be copied
// to chunk offset base. Names and templates it defines are recorded so that
// the record can be taken back when it does not fit the chunk.
type encoder struct {
	c        *chunk
	b        []byte
	base     int
	newNames []string
	newTpls  []string
	savedN   [nameBuckets]uint32
	savedT   [templateBuckets]uint32
	dataKey  []byte // scratch for the EventData template key
	sysKey   []byte // scratch for the System template key
	sid      []byte // scratch for the SID value
	tplGUIDs map[string][16]byte
}

func (e *encoder) begin(c *chunk) {
	e.c = c
	e.b = e.b[:0]
	e.base = c.free
	e.newNames = e.newNames[:0]
	e.newTpls = e.newTpls[:0]
	e.savedN = c.nameHeads
	e.savedT = c.tplHeads
}

// rollback undoes the name and template definitions of the current record.
func (e *encoder) rollback() {
	for _, n := range e.newNames {
		delete(e.c.names, n)
	}
	for _, t := range e.newTpls {
		delete(e.c.templates, t)
	}
	e.c.nameHeads = e.savedN
	e.c.tplHeads = e.savedT
}

// off returns the chunk offset of the next byte written.
func (e *encoder) off() uint32 { return uint32(e.base + len(e.b)) }

func (e *encoder) u8(v byte)    { e.b = append(e.b, v) }
func (e *encoder) u16(v uint16) { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }

// patch32 stores the number of bytes written after position pos+4 at pos.
func (e *encoder) patch32(pos int) {
	binary.LittleEndian.PutUint32(e.b[pos:], uint32(len(e.b)-pos-4))
}

// name writes a name reference: the offset of the name, followed by the
// name itself when this is its first use in the chunk.
func (e *encoder) name(s string) error {
	if off, ok := e.c.names[s]; ok {
		e.u32(off)
		return nil
	}
	n := utf16Len(s)
	if n > 0xffff {
		return fmt.Errorf("name of %d characters is too long", n)
	}
	off := e.off() + 4
	e.u32(off)
	h := nameHash(s)
	bucket := h % nameBuckets
	e.u32(e.c.nameHeads[bucket]) // next name in the same bucket
	e.u16(h)
	e.u16(uint16(n))
	e.b = appendUTF16(e.b, s)
	e.u16(0)
	e.c.nameHeads[bucket] = off
	e.c.names[s] = off
	e.newNames = append(e.newNames, s)
	return nil
}

// Binary XML tokens. parsers/evtx has its own copy on purpose: the writer
// is the independent oracle its tests check the reader against, so the two
// share no code.
const (
	tokEOF         = 0x00
	tokOpenStart   = 0x01
	tokCloseStart  = 0x02
	tokCloseEmpty  = 0x03
	tokEnd         = 0x04
	tokValue       = 0x05
	tokAttribute   = 0x06
	tokTemplate    = 0x0c
	tokNormalSub   = 0x0d
	tokOptionalSub = 0x0e
	tokFragment    = 0x0f
	flagMore       = 0x40 // "has attributes" / "another attribute follows"
	noDependency   = 0xffff
)

// attr is one attribute of an element in a template definition: a literal
// text value (sub < 0) or a substitution.
type attr struct {
	name string
	text string
	sub  int
	typ  byte
}

// openElement writes an element start with its attributes. It returns the
// position of the element's data size, to be patched by endElement or
// emptyElement.
func (e *encoder) openElement(name string, dep uint16, attrs ...attr) (int, error) {
	tok := byte(tokOpenStart)
	if len(attrs) > 0 {
		tok |= flagMore
	}
	e.u8(tok)
	e.u16(dep)
	sizePos := len(e.b)
	e.u32(0)
	if err := e.name(name); err != nil {
		return 0, err
	}
	if len(attrs) > 0 {
		listPos := len(e.b)
		e.u32(0)
		for i, a := range attrs {
			tok := byte(tokAttribute)
			if i < len(attrs)-1 {
				tok |= flagMore
			}
			e.u8(tok)
			if err := e.name(a.name); err != nil {
				return 0, err
			}
			if a.sub >= 0 {
				e.substitution(tokOptionalSub, a.sub, a.typ)
			} else if err := e.text(a.text); err != nil {
				return 0, err
			}
		}
		e.patch32(listPos)
	}
	return sizePos, nil
}

// emptyElement closes an element without content (<Name .../>).
func (e *encoder) emptyElement(sizePos int) {
	e.u8(tokCloseEmpty)
	e.patch32(sizePos)
}

// endElement closes an element whose content was written after startContent.
func (e *encoder) endElement(sizePos int) {
	e.u8(tokEnd)
	e.patch32(sizePos)
}

func (e *encoder) startContent() { e.u8(tokCloseStart) }

// text writes a literal string value token.
func (e *encoder) text(s string) error {
	n := utf16Len(s)
	if n > 0xffff {
		return fmt.Errorf("text of %d characters is too long", n)
	}
	e.u8(tokValue)
	e.u8(typeString)
	e.u16(uint16(n))
	e.b = appendUTF16(e.b, s)
	return nil
}

func (e *encoder) substitution(tok byte, id int, typ byte) {
	e.u8(tok)
	e.u16(uint16(id))
	e.u8(typ)
}

// textElement writes <name>text</name>, or <name></name> for empty text.
func (e *encoder) textElement(name, text string) error {
	pos, err := e.openElement(name, noDependency)
	if err != nil {
		return err
	}
	e.startContent()
	if text != "" {
		if err := e.text(text); err != nil {
			return err
		}
	}
	e.endElement(pos)
	return nil
}

// subElement writes <name>%sub</name> with an optional substitution the
// element depends on.
func (e *encoder) subElement(name string, sub int, typ byte, attrs ...attr) error {
	pos, err := e.openElement(name, uint16(sub), attrs...)
	if err != nil {
		return err
	}
	e.startContent()
	e.substitution(tokOptionalSub, sub, typ)
	e.endElement(pos)
	return nil
}

// templateGUID derives a stable template identifier from the template key.
// Windows' own identifiers are hashes too; readers only compare them.
func (e *encoder) templateGUID(key []byte) [16]byte {
	if g, ok := e.tplGUIDs[string(key)]; ok {
		return g
	}
	sum := sha1.Sum(key)
	var g [16]byte
	copy(g[:], sum[:16])
	if e.tplGUIDs == nil {
		e.tplGUIDs = make(map[string][16]byte)
	}
	e.tplGUIDs[string(key)] = g
	return g
}

// templateInstance writes a template instance token for the template key:
// a reference when the chunk already holds its definition, otherwise the
// definition inline (fragment header, element tree written by body, end of
// file token), registered in the template pointer table.
func (e *encoder) templateInstance(key []byte, body func() error) error {
	e.u8(tokTemplate)
	e.u8(1)
	g := e.templateGUID(key)
	e.b = append(e.b, g[:4]...) // template id: first 32 bits of the GUID
	if off, ok := e.c.templates[string(key)]; ok {
		e.u32(off)
		return nil
	}
	off := e.off() + 4
	e.u32(off)
	bucket := binary.LittleEndian.Uint32(g[:4]) % templateBuckets
	e.u32(e.c.tplHeads[bucket]) // next definition in the same bucket
	e.b = append(e.b, g[:]...)
	sizePos := len(e.b)
	e.u32(0)
	e.b = append(e.b, tokFragment, 1, 1, 0)
	if err := body(); err != nil {
		return err
	}
	e.u8(tokEOF)
	e.patch32(sizePos)
	k := string(key)
	e.c.tplHeads[bucket] = off
	e.c.templates[k] = off
	e.newTpls = append(e.newTpls, k)
	return nil
}

// Substitution indexes of the System template, as in the templates
// Windows 7 writes to System.evtx and Application.evtx (sample corpus:
// python-evtx/system.evtx, DeepBlueCLI many-events-application.evtx).
const (
	subLevel = iota
	subOpcode
	subTask
	subEventID
	subQualifiers
	subKeywords
	subTimeCreated
	subActivityID
	subProcessID
	subThreadID
	subRecordID
	subVersion
	subUserID
	_ // 13..17: unused, written as null values
	_
	_
	_
	_
	subRelatedActivityID
	subEventData
	systemValues // number of values of the System template
)

const eventNamespace = "http://schemas.microsoft.com/win/2004/08/events/event"

// systemBody writes the Event/System element tree of r's template. The
// provider, channel and computer are literal text of the template, so
// records of another provider or computer use another template.
func (e *encoder) systemBody(r *Record, guid string) error {
	ev, err := e.openElement("Event", subEventData, attr{name: "xmlns", text: eventNamespace, sub: -1})
	if err != nil {
		return err
	}
	e.startContent()
	sys, err := e.openElement("System", noDependency)
	if err != nil {
		return err
	}
	e.startContent()
	pattrs := []attr{{name: "Name", text: r.Provider, sub: -1}}
	if guid != "" {
		pattrs = append(pattrs, attr{name: "Guid", text: guid, sub: -1})
	}
	if r.EventSourceName != "" {
		pattrs = append(pattrs, attr{name: "EventSourceName", text: r.EventSourceName, sub: -1})
	}
	p, err := e.openElement("Provider", noDependency, pattrs...)
	if err != nil {
		return err
	}
	e.emptyElement(p)
	steps := []func() error{
		func() error {
			return e.subElement("EventID", subEventID, typeUInt16,
				attr{name: "Qualifiers", sub: subQualifiers, typ: typeUInt16})
		},
		func() error { return e.subElement("Version", subVersion, typeUInt8) },
		func() error { return e.subElement("Level", subLevel, typeUInt8) },
		func() error { return e.subElement("Task", subTask, typeUInt16) },
		func() error { return e.subElement("Opcode", subOpcode, typeUInt8) },
		func() error { return e.subElement("Keywords", subKeywords, typeHexInt64) },
		func() error {
			return e.emptyWith("TimeCreated", attr{name: "SystemTime", sub: subTimeCreated, typ: typeFileTime})
		},
		func() error { return e.subElement("EventRecordID", subRecordID, typeUInt64) },
		func() error {
			return e.emptyWith("Correlation",
				attr{name: "ActivityID", sub: subActivityID, typ: typeGUID},
				attr{name: "RelatedActivityID", sub: subRelatedActivityID, typ: typeGUID})
		},
		func() error {
			return e.emptyWith("Execution",
				attr{name: "ProcessID", sub: subProcessID, typ: typeUInt32},
				attr{name: "ThreadID", sub: subThreadID, typ: typeUInt32})
		},
		func() error { return e.textElement("Channel", r.Channel) },
		func() error { return e.textElement("Computer", r.Computer) },
		func() error {
			return e.emptyWith("Security", attr{name: "UserID", sub: subUserID, typ: typeSID})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	e.endElement(sys)
	e.substitution(tokOptionalSub, subEventData, typeBinXML)
	e.endElement(ev)
	return nil
}

// emptyWith writes <name attrs.../>.
func (e *encoder) emptyWith(name string, attrs ...attr) error {
	pos, err := e.openElement(name, noDependency, attrs...)
	if err != nil {
		return err
	}
	e.emptyElement(pos)
	return nil
}

// dataBody writes the EventData element tree: named values as
// <Data Name="N">%n</Data> with a normal substitution, unnamed ones as
// <Data>%n</Data> with an optional substitution the element depends on,
// the shapes Windows uses for manifest and classic events.
func (e *encoder) dataBody(data []Data, types []byte) error {
	ed, err := e.openElement("EventData", noDependency)
	if err != nil {
		return err
	}
	e.startContent()
	for i, d := range data {
		if d.Name == "" {
			if err := e.subElement("Data", i, types[i]); err != nil {
				return err
			}
			continue
		}
		pos, err := e.openElement("Data", noDependency, attr{name: "Name", text: d.Name, sub: -1})
		if err != nil {
			return err
		}
		e.startContent()
		e.substitution(tokNormalSub, i, types[i])
		e.endElement(pos)
	}
	e.endElement(ed)
	return nil
}
