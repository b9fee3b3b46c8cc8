package evttext

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/evtx"
)

// Event XML comes as a sequence of <Event> elements without a root
// element (wevtutil qe LOG /f:xml, Get-WinEvent ... ToXml()) or inside an
// <Events> root (Event Viewer "Save as XML", whose file is UTF-16 and
// says so in its declaration). Each <Event> is in the event schema's
// namespace and may carry a <RenderingInfo> with the rendered <Message>.
// System/TimeCreated/@SystemTime is UTC. Sources: the event schema
// (learn.microsoft.com/windows/win32/wes/eventschema-schema), the event
// XML samples of MicrosoftDocs/windows-itpro-docs auditing/event-*.md.

// eventNS is the namespace of the event schema.
const eventNS = "http://schemas.microsoft.com/win/2004/08/events/event"

const (
	// maxNodes bounds the elements of one event; maxDepth their nesting.
	maxNodes = 1 << 14
	maxDepth = 64
)

// passCharset lets the decoder read a document that declares another
// encoding (Event Viewer writes encoding="UTF-16"): the caller has
// already decoded it to UTF-8.
func passCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// isXML reports whether head starts an event XML export: the first
// element is an <Event> in the event namespace, or an <Events> root whose
// first child is one.
func isXML(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	dec := xml.NewDecoder(bytes.NewReader(head))
	dec.CharsetReader = passCharset
	inEvents := false
	for i := 0; i < 64; i++ {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case se.Name.Local == "Event" && se.Name.Space == eventNS:
			return true
		case se.Name.Local == "Events" && !inEvents:
			inEvents = true
		default:
			return false
		}
	}
	return false
}

// recorder is the decoder's byte source. It keeps the bytes read, from
// offset base on, so that each event can be cut out as written: outside
// an event the caller drops what it no longer needs before each token;
// inside one, bytes beyond maxTextLen are not kept.
type recorder struct {
	r       *bufio.Reader
	buf     []byte
	base    int64 // input offset of buf[0]
	n       int64 // bytes read in all
	inEvent bool
}

// ReadByte implements io.ByteReader, the only method encoding/xml uses
// on a reader that has it.
func (rc *recorder) ReadByte() (byte, error) {
	b, err := rc.r.ReadByte()
	if err != nil {
		return b, err
	}
	if len(rc.buf) > maxTextLen {
		if rc.inEvent {
			rc.n++
			return b, nil
		}
		rc.buf, rc.base = rc.buf[:0], rc.n
	}
	rc.buf = append(rc.buf, b)
	rc.n++
	return b, nil
}

// Read implements io.Reader, for completeness: one byte at a time.
func (rc *recorder) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := rc.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
}

// dropBefore forgets the bytes before input offset off.
func (rc *recorder) dropBefore(off int64) {
	k := off - rc.base
	switch {
	case k <= 0:
	case k >= int64(len(rc.buf)):
		rc.buf, rc.base = rc.buf[:0], rc.n
	default:
		rc.buf = append(rc.buf[:0], rc.buf[k:]...)
		rc.base += k
	}
}

// slice returns the kept bytes between input offsets from and to.
func (rc *recorder) slice(from, to int64) []byte {
	i, j := from-rc.base, to-rc.base
	i = max(i, 0)
	j = min(j, int64(len(rc.buf)))
	if i >= j {
		return nil
	}
	return rc.buf[i:j]
}

// node is an element of one event.
type node struct {
	name     string
	attrs    []xml.Attr
	text     strings.Builder
	children []*node
}

func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// xml parses the XML forms.
func (p *parser) xml(r *bufio.Reader) error {
	rc := &recorder{r: r}
	dec := xml.NewDecoder(rc)
	dec.CharsetReader = passCharset
	malformed := func(err error) error {
		line, _ := dec.InputPos()
		p.problem(line, "XML not well-formed, rest of the file skipped: %v", err)
		return nil
	}
	for {
		before := dec.InputOffset()
		rc.dropBefore(before)
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformed(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local == "Events" {
			continue // the root of Event Viewer's export: its children are events
		}
		line, _ := dec.InputPos()
		if se.Name.Local != "Event" {
			p.problem(line, "<%s> is not an event, skipped", se.Name.Local)
			if err := dec.Skip(); err != nil {
				return malformed(err)
			}
			continue
		}
		rc.inEvent = true
		root, err := p.readEvent(dec, se)
		rc.inEvent = false
		if err != nil {
			return malformed(err)
		}
		end, _ := dec.InputPos()
		ev, ok := p.xmlEvent(root, line)
		if !ok {
			continue
		}
		ev.EndLine = end
		ev.Text = string(rc.slice(before, dec.InputOffset()))
		if err := p.send(ev); err != nil {
			return err
		}
	}
}

// readEvent reads the elements of the event whose start tag is se.
func (p *parser) readEvent(dec *xml.Decoder, se xml.StartElement) (*node, error) {
	root := &node{name: se.Name.Local, attrs: se.Attr}
	stack := []*node{root}
	count := 1
	for len(stack) > 0 {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxNodes || len(stack) >= maxDepth {
				return nil, fmt.Errorf("event too large or too deeply nested")
			}
			n := &node{name: t.Name.Local, attrs: t.Attr}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if top.text.Len() < maxTextLen {
				top.text.Write(t)
			}
		}
	}
	return root, nil
}

// xmlEvent turns the tree of an <Event> into a record event, the way the
// .evtx parser reads the same XML (parsers/evtx/record.go).
func (p *parser) xmlEvent(root *node, line int) (event.Event, bool) {
	ev := event.Event{Line: line, Fields: make(map[string]string, 24)}
	sys := root.child("System")
	if sys == nil || sys.child("EventID") == nil || strings.TrimSpace(sys.child("EventID").text.String()) == "" {
		p.problem(line, "event without System/EventID, skipped")
		return ev, false
	}
	var items []evtx.DataItem
	for _, c := range root.children {
		switch c.name {
		case "System":
			p.system(c, &ev)
		case "RenderingInfo":
			if m := c.child("Message"); m != nil {
				if msg := strings.TrimSpace(m.text.String()); msg != "" {
					ev.Set("evt.message", msg)
				}
			}
		case "EventData":
			items = eventData(c, items)
		default:
			items = leaves(c, "", items)
		}
	}
	evtx.SetData(&ev, items)
	return ev, true
}

// system reads the System element into ev.
func (p *parser) system(sys *node, ev *event.Event) {
	for _, c := range sys.children {
		text := strings.TrimSpace(c.text.String())
		switch c.name {
		case "Provider":
			if v, ok := c.attr("Name"); ok {
				ev.Set("evt.provider", v)
			}
			if v, ok := c.attr("EventSourceName"); ok {
				ev.Set("evt.source", v)
			}
		case "EventID":
			ev.Set("evt.event_id", text)
			if v, ok := c.attr("Qualifiers"); ok {
				ev.Set("evt.qualifiers", v)
			}
		case "Level":
			ev.Set("evt.level", text)
		case "Task":
			ev.Set("evt.task", text)
		case "Keywords":
			ev.Set("evt.keywords", text)
		case "Channel":
			ev.Set("evt.channel", text)
		case "Computer":
			ev.Set("evt.computer", text)
		case "Security":
			if v, ok := c.attr("UserID"); ok {
				ev.Set("evt.user_sid", v)
			}
		case "EventRecordID":
			if id, err := strconv.ParseUint(text, 10, 64); err == nil {
				ev.RecordID = id
			}
		case "TimeCreated":
			if v, ok := c.attr("SystemTime"); ok {
				if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v)); err == nil {
					ev.Time = t.UTC()
				}
			}
		}
	}
}

// eventData collects the values of an EventData element: named Data
// elements by name, unnamed ones by their 1-based position among the Data
// elements, anything else by leaf name.
func eventData(ed *node, items []evtx.DataItem) []evtx.DataItem {
	pos := 0
	for _, c := range ed.children {
		if c.name != "Data" {
			items = leaves(c, "", items)
			continue
		}
		pos++
		key := strconv.Itoa(pos)
		if v, ok := c.attr("Name"); ok && v != "" {
			key = v
		}
		items = append(items, evtx.DataItem{Key: key, Path: key, Value: c.text.String(), Named: true})
		for _, cc := range c.children {
			items = leaves(cc, key, items)
		}
	}
	return items
}

// leaves appends the leaf elements and the attributes below n (n
// included), each keyed by its name and carrying its path for collisions.
func leaves(n *node, prefix string, items []evtx.DataItem) []evtx.DataItem {
	p := n.name
	if prefix != "" {
		p = prefix + "." + n.name
	}
	for _, a := range n.attrs {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		items = append(items, evtx.DataItem{Key: a.Name.Local, Path: p + "." + a.Name.Local, Value: a.Value})
	}
	if len(n.children) == 0 {
		if len(n.attrs) == 0 || n.text.Len() > 0 {
			items = append(items, evtx.DataItem{Key: n.name, Path: p, Value: n.text.String()})
		}
		return items
	}
	for _, c := range n.children {
		items = leaves(c, p, items)
	}
	return items
}
