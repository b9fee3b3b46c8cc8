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

// node is an element of one event.
type node struct {
	name     string // local name
	raw      string // name as written, prefix included
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

// xml parses the XML forms. It reads with the lexer of xmllex.go, so
// that what it keeps is bounded: an element that is not an event is
// skipped by counting its depth, an event keeps at most maxNodes elements
// nested maxDepth deep and maxEventText bytes of text and attribute
// values, and each cut is reported as a problem of the event's line.
func (p *parser) xml(r *bufio.Reader) error {
	lx := newLexer(p.ctx, r)
	fail := func(err error) error {
		if cerr := p.ctx.Err(); cerr != nil {
			return fmt.Errorf("evttext: %s: %w", p.path, cerr)
		}
		var serr *xml.SyntaxError
		if !errors.As(err, &serr) {
			return fmt.Errorf("evttext: read %s: %w", p.path, err)
		}
		p.problem(lx.line, "XML not well-formed, rest of the file skipped: %v", err)
		return nil
	}
	for {
		lx.resetRaw()
		tok, err := lx.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		if tok.kind != tokStart {
			continue
		}
		name := local(tok.name)
		if name == "Events" {
			continue // the root of Event Viewer's export: its children are events
		}
		line := lx.line
		if name != "Event" {
			p.problem(line, "<%s> is not an event, skipped", name)
			if !tok.empty {
				if err := skipElement(lx, 1); err != nil {
					return fail(err)
				}
			}
			continue
		}
		root, err := p.readEvent(lx, tok, line)
		if err != nil {
			return fail(err)
		}
		if root == nil {
			continue // too large: skipped and reported
		}
		ev, ok := p.xmlEvent(root, line)
		if !ok {
			continue
		}
		ev.EndLine = lx.line
		ev.Text = string(lx.raw)
		if err := p.send(ev); err != nil {
			return err
		}
	}
}

// skipElement reads up to the end of depth open elements, keeping
// nothing but the count.
func skipElement(lx *lexer, depth int) error {
	lx.keepAttrs = false
	for depth > 0 {
		tok, err := lx.next()
		if errors.Is(err, io.EOF) {
			return lx.syntax("unexpected EOF")
		}
		if err != nil {
			return err
		}
		switch {
		case tok.kind == tokStart && !tok.empty:
			depth++
		case tok.kind == tokEnd:
			depth--
		}
	}
	return nil
}

// maxEventText bounds the text and attribute values kept for one event:
// far above any real event (a few KiB), and what keeps maxNodes elements
// of maxTextLen each from holding a GiB.
const maxEventText = 1 << 20

// readEvent reads the elements of the event whose start tag is se, at
// line. An event over maxNodes elements or maxDepth levels is skipped to
// its end and reported (root is nil); text and attribute values past
// maxEventText bytes are dropped and reported.
func (p *parser) readEvent(lx *lexer, se token, line int) (*node, error) {
	root := &node{name: local(se.name), raw: string(se.name)}
	if se.empty {
		return root, nil
	}
	lx.keepAttrs = true
	defer func() { lx.keepAttrs = false }()
	stack := []*node{root}
	count, kept, cut := 1, 0, false
	for len(stack) > 0 {
		tok, err := lx.next()
		if errors.Is(err, io.EOF) {
			return nil, lx.syntax("unexpected EOF")
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch tok.kind {
		case tokStart:
			count++
			if count > maxNodes || len(stack) >= maxDepth {
				depth := len(stack)
				if !tok.empty {
					depth++
				}
				if err := skipElement(lx, depth); err != nil {
					return nil, err
				}
				p.problem(line, "event with more than %d elements or nested deeper than %d levels, skipped (it ends at line %d)", maxNodes, maxDepth, lx.line)
				return nil, nil
			}
			n := &node{name: local(tok.name), raw: string(tok.name)}
			cut = cut || tok.cut
			for _, a := range tok.attrs {
				if kept+len(a.Value) > maxEventText {
					cut = true
					break
				}
				kept += len(a.Value)
				n.attrs = append(n.attrs, a)
			}
			top.children = append(top.children, n)
			if !tok.empty {
				stack = append(stack, n)
			}
		case tokEnd:
			if string(tok.name) != top.raw {
				return nil, lx.syntax("element <%s> closed by </%s>", top.name, local(tok.name))
			}
			stack = stack[:len(stack)-1]
		case tokText:
			cut = cut || tok.cut
			if top.text.Len() < maxTextLen {
				if kept+len(tok.text) > maxEventText {
					cut = true
					continue
				}
				kept += len(tok.text)
				top.text.Write(tok.text)
			}
		}
	}
	if cut {
		p.problem(line, "event text or attribute values longer than kept (%d bytes a value, %d an event), cut", maxTextLen, maxEventText)
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
