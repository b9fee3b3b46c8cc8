// Package regfile parses registry export files (.reg), as regedit's Export
// and "reg export" write them, into one KindRegistry event per value.
//
// The format (Microsoft, "How to add, modify, or delete registry subkeys and
// values by using a .reg file", KB 310516) is line based:
//
//	Windows Registry Editor Version 5.00      (or REGEDIT4 for the ANSI form)
//
//	[HKEY_LOCAL_MACHINE\Software\Policies\Microsoft\Communicator]
//	"TrustModelData"="contoso.com, fabrikam.com"
//	"EnableTracing"=dword:00000001
//	@="default value"
//	"Path"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\
//	  74,00,25,00,00,00
//	"Old"=-
//	[-HKEY_CURRENT_USER\Software\Obsolete]
//
// Version 5.00 files are UTF-16LE with a byte order mark when regedit or
// reg.exe writes them; the caller decodes them (internal/textenc) before
// Detect and Parse see them. In a version 5.00 file the string types written
// as hex (hex(1), hex(2), hex(7)) hold UTF-16LE; in a REGEDIT4 file they hold
// the bytes of the ANSI code page, read here as Latin-1.
package regfile

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// The header lines a .reg file starts with.
const (
	header5 = "Windows Registry Editor Version 5.00"
	header4 = "REGEDIT4"
)

const (
	// ctxEvery is how often (in lines) the context is checked.
	ctxEvery = 4096
	// maxValueLines bounds the continuation lines of one value: regedit
	// wraps hex data at 80 columns, so 64 KiB of data take about 2,800.
	maxValueLines = 1 << 16
)

// hives maps the hive names a .reg file may use, upper-case, to the spelled
// out name and the short name of reg.hive.
var hives = map[string][2]string{
	"HKEY_LOCAL_MACHINE":  {"HKEY_LOCAL_MACHINE", "HKLM"},
	"HKLM":                {"HKEY_LOCAL_MACHINE", "HKLM"},
	"HKEY_CURRENT_USER":   {"HKEY_CURRENT_USER", "HKCU"},
	"HKCU":                {"HKEY_CURRENT_USER", "HKCU"},
	"HKEY_USERS":          {"HKEY_USERS", "HKU"},
	"HKU":                 {"HKEY_USERS", "HKU"},
	"HKEY_CLASSES_ROOT":   {"HKEY_CLASSES_ROOT", "HKCR"},
	"HKCR":                {"HKEY_CLASSES_ROOT", "HKCR"},
	"HKEY_CURRENT_CONFIG": {"HKEY_CURRENT_CONFIG", "HKCC"},
	"HKCC":                {"HKEY_CURRENT_CONFIG", "HKCC"},
}

// Detect reports whether head (the first few KiB of a file, decoded to
// UTF-8) is a registry export: its first line is exactly one of the two
// headers regedit writes. A byte order mark left in front is ignored;
// anything else, blank lines included, means it is not a .reg file.
func Detect(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	_, ok := version(string(line))
	return ok
}

// version returns the format version of a header line (4 or 5).
func version(line string) (int, bool) {
	switch strings.TrimRight(line, " \t\r") {
	case header5:
		return 5, true
	case header4:
		return 4, true
	}
	return 0, false
}

// Parse reads a registry export (UTF-8, CRLF or LF) and emits one
// KindRegistry event (Source "registry") per value line, in file order,
// with Line set to the value's first line, EndLine to its last line when
// the data continues over several lines, and Text holding those lines as
// written. Deleted keys ("[-HKEY_...]") emit nothing; a deleted value
// ("Name"=-) emits an event with reg.deleted "true" and no type or data.
//
// A file whose first line is not a .reg header yields one problem and no
// events. Lines that cannot be read (an unknown hive, a value outside a
// key, bad hex, a string without its closing quote) are reported as
// problems with their line number and skipped. err is for I/O errors, an
// emit error and a cancelled context. Parse never panics.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &parser{path: path, emit: emit}
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.problems.List(), fmt.Errorf("regfile: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			p.problems.Add(n, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		if err := p.line(n, lines.Text()); err != nil {
			return p.problems.List(), err
		}
		if p.notReg {
			return p.problems.List(), nil
		}
	}
	if err := p.flush(); err != nil {
		return p.problems.List(), err
	}
	if err := lines.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("regfile: read %s: %w", path, err)
	}
	return p.problems.List(), nil
}

// parser is the state of one Parse.
type parser struct {
	path     string
	emit     event.Sink
	problems event.Problems
	notReg   bool // line 1 is not a header: stop

	version int  // 4 or 5, from the last header line
	key     *key // the current key; nil before the first or after a bad one

	val *pending // a value whose data continues on the next line
}

// key is the key a value belongs to.
type key struct {
	written string // spelled out: HKEY_CURRENT_USER\Software\...
	hive    string // HKCU
	path    string // below the hive, lower-case
	deleted bool   // [-HKEY_...]
}

// pending is a value line being joined with its continuation lines.
type pending struct {
	line  int
	end   int
	text  []string // the lines as written
	value string   // the logical line: continuations joined
}

// line handles one physical line.
func (p *parser) line(n int, s string) error {
	if n == 1 {
		s = strings.TrimPrefix(s, "\uFEFF")
		v, ok := version(s)
		if !ok {
			p.problems.Add(1, "not a registry export: the first line is not \""+header5+"\" or \""+header4+"\"")
			p.notReg = true
			return nil
		}
		p.version = v
		return nil
	}
	if p.val != nil {
		// A continuation: leading blanks are indentation.
		t := strings.TrimLeft(s, " \t")
		p.val.text = append(p.val.text, s)
		p.val.end = n
		p.val.value += t
		if continues(t) && len(p.val.text) < maxValueLines {
			p.val.value = strings.TrimSuffix(strings.TrimRight(p.val.value, " \t"), `\`)
			return nil
		}
		if continues(t) {
			p.problems.Add(p.val.line, fmt.Sprintf("value continues over more than %d lines, cut", maxValueLines))
		}
		return p.flush()
	}

	t := strings.TrimSpace(s)
	switch {
	case t == "" || strings.HasPrefix(t, ";"):
		return nil
	case t[0] == '[':
		p.keyLine(n, t)
		return nil
	case t[0] == '"' || t[0] == '@':
		p.val = &pending{line: n, end: n, text: []string{s}, value: t}
		if isHex(t) && continues(t) {
			p.val.value = strings.TrimSuffix(strings.TrimRight(t, " \t"), `\`)
			return nil
		}
		return p.flush()
	}
	if v, ok := version(t); ok {
		// Exports appended to one another: a header starts a new file.
		p.version, p.key = v, nil
		return nil
	}
	p.problems.Add(n, "not a key, a value or a comment: "+clip(t))
	return nil
}

// continues reports whether a hex data line goes on to the next line.
func continues(s string) bool {
	return strings.HasSuffix(strings.TrimRight(s, " \t"), `\`)
}

// isHex reports whether a value line's data is hex (the only data that
// regedit wraps over several lines).
func isHex(s string) bool {
	_, data, ok := splitValue(s)
	return ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(data)), "hex")
}

// keyLine reads "[KEY]" or "[-KEY]".
func (p *parser) keyLine(n int, t string) {
	p.key = nil
	end := strings.LastIndexByte(t, ']')
	if end < 0 {
		p.problems.Add(n, "key without its closing bracket: "+clip(t))
		return
	}
	if rest := strings.TrimSpace(t[end+1:]); rest != "" && !strings.HasPrefix(rest, ";") {
		p.problems.Add(n, "text after a key: "+clip(rest))
		return
	}
	name := t[1:end]
	k := &key{}
	if strings.HasPrefix(name, "-") {
		k.deleted = true
		name = name[1:]
	}
	name = strings.TrimSpace(name)
	hiveName, below, _ := strings.Cut(name, `\`)
	h, ok := hives[strings.ToUpper(hiveName)]
	if !ok {
		p.problems.Add(n, "unknown hive in key: "+clip(name))
		return
	}
	k.written = h[0]
	if below != "" {
		k.written += `\` + below
	}
	k.hive = h[1]
	k.path = strings.ToLower(strings.Trim(below, `\`))
	p.key = k
}

// flush turns the pending value into an event.
func (p *parser) flush() error {
	v := p.val
	p.val = nil
	if v == nil {
		return nil
	}
	if p.key == nil {
		p.problems.Add(v.line, "value outside a key (or under a key that could not be read)")
		return nil
	}
	if p.key.deleted {
		p.problems.Add(v.line, "value under a deleted key")
		return nil
	}
	name, data, ok := splitValue(v.value)
	if !ok {
		p.problems.Add(v.line, "not a value: "+clip(v.value))
		return nil
	}
	ev := event.Event{Source: event.SourceRegistry, Kind: event.KindRegistry, Path: p.path,
		Line: v.line, Text: strings.Join(v.text, "\n")}
	if v.end > v.line {
		ev.EndLine = v.end
	}
	ev.Set("reg.key", p.key.written)
	ev.Set("reg.hive", p.key.hive)
	ev.Set("reg.path", p.key.path)
	ev.Set("reg.name", name)
	typ, value, deleted, err := p.decode(strings.TrimSpace(data))
	if err != nil {
		p.problems.Add(v.line, fmt.Sprintf("value %q: %v", name, err))
		return nil
	}
	if deleted {
		ev.Set("reg.deleted", "true")
	} else {
		ev.Set("reg.type", typ)
		ev.Set("reg.data", value)
	}
	if err := p.emit(ev); err != nil {
		return fmt.Errorf("regfile: %s: emit: %w", p.path, err)
	}
	return nil
}

// splitValue splits a value line into its name ("" for @) and its data
// (after the "="). Names are quoted with \" and \\ escaped.
func splitValue(s string) (name, data string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "@"):
		rest = s[1:]
	case strings.HasPrefix(s, `"`):
		var n int
		name, n, ok = unquote(s)
		if !ok {
			return "", "", false
		}
		rest = s[n:]
	default:
		return "", "", false
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "=") {
		return "", "", false
	}
	return name, rest[1:], true
}

// unquote reads the quoted string at the start of s, resolving \" and \\,
// and returns it with the length of s it took. A backslash before any other
// character is kept as written, as regedit does.
func unquote(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), i + 1, true
		case '\\':
			if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				b.WriteByte(s[i+1])
				i++
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// Registry value types, as numbered in hex(N) (winnt.h REG_*).
var typeNames = map[uint64]string{
	0x0: "REG_NONE",
	0x1: "REG_SZ",
	0x2: "REG_EXPAND_SZ",
	0x3: "REG_BINARY",
	0x4: "REG_DWORD",
	0x5: "REG_DWORD_BIG_ENDIAN",
	0x6: "REG_LINK",
	0x7: "REG_MULTI_SZ",
	0x8: "REG_RESOURCE_LIST",
	0x9: "REG_FULL_RESOURCE_DESCRIPTOR",
	0xa: "REG_RESOURCE_REQUIREMENTS_LIST",
	0xb: "REG_QWORD",
}

// decode reads the data after "=": its type, its value as event.go
// describes reg.data, and whether it is a deletion ("-").
func (p *parser) decode(data string) (typ, value string, deleted bool, err error) {
	// ASCII only: the indexes found in lower must be those of data, which
	// strings.ToLower does not keep for invalid UTF-8.
	lower := asciiLower(data)
	switch {
	case data == "-":
		return "", "", true, nil
	case strings.HasPrefix(data, `"`):
		s, n, ok := unquote(data)
		if !ok {
			return "", "", false, fmt.Errorf("string without its closing quote")
		}
		if rest := strings.TrimSpace(data[n:]); rest != "" && !strings.HasPrefix(rest, ";") {
			return "", "", false, fmt.Errorf("text after the string: %s", clip(rest))
		}
		return "REG_SZ", s, false, nil
	case strings.HasPrefix(lower, "dword:"):
		digits := strings.TrimSpace(data[len("dword:"):])
		if len(digits) == 0 || len(digits) > 8 {
			return "", "", false, fmt.Errorf("dword needs 1 to 8 hex digits, got %q", clip(digits))
		}
		v, err := strconv.ParseUint(digits, 16, 32)
		if err != nil {
			return "", "", false, fmt.Errorf("dword: bad hex %q", clip(digits))
		}
		return "REG_DWORD", strconv.FormatUint(v, 10), false, nil
	case strings.HasPrefix(lower, "hex:"):
		b, err := hexBytes(data[len("hex:"):])
		if err != nil {
			return "", "", false, err
		}
		return "REG_BINARY", hex.EncodeToString(b), false, nil
	case strings.HasPrefix(lower, "hex("):
		end := strings.Index(lower, "):")
		if end < 0 {
			return "", "", false, fmt.Errorf("hex type without \"):\": %s", clip(data))
		}
		n, err := strconv.ParseUint(lower[len("hex("):end], 16, 32)
		if err != nil {
			return "", "", false, fmt.Errorf("bad hex type %q", clip(data[:end+1]))
		}
		b, err := hexBytes(data[end+2:])
		if err != nil {
			return "", "", false, err
		}
		return p.typed(n, b)
	}
	return "", "", false, fmt.Errorf("unknown data form: %s", clip(data))
}

// typed decodes the bytes of a hex(N) value.
func (p *parser) typed(n uint64, b []byte) (typ, value string, deleted bool, err error) {
	typ, known := typeNames[n]
	if !known {
		typ = fmt.Sprintf("hex(%x)", n)
	}
	switch n {
	case 0x1, 0x2:
		s, err := p.text(b)
		if err != nil {
			return "", "", false, err
		}
		s, _, _ = strings.Cut(s, "\x00")
		return typ, s, false, nil
	case 0x7:
		s, err := p.text(b)
		if err != nil {
			return "", "", false, err
		}
		var parts []string
		for _, part := range strings.Split(s, "\x00") {
			if part == "" {
				break // the double NUL that ends the list
			}
			parts = append(parts, part)
		}
		return typ, strings.Join(parts, "\n"), false, nil
	case 0x4, 0x5:
		if len(b) != 4 {
			return "", "", false, fmt.Errorf("%s needs 4 bytes, got %d", typ, len(b))
		}
		v := binary.LittleEndian.Uint32(b)
		if n == 0x5 {
			v = binary.BigEndian.Uint32(b)
		}
		return typ, strconv.FormatUint(uint64(v), 10), false, nil
	case 0xb:
		if len(b) != 8 {
			return "", "", false, fmt.Errorf("REG_QWORD needs 8 bytes, got %d", len(b))
		}
		return typ, strconv.FormatUint(binary.LittleEndian.Uint64(b), 10), false, nil
	}
	return typ, hex.EncodeToString(b), false, nil
}

// text decodes the bytes of a string type: UTF-16LE in a version 5.00
// file, single bytes (read as Latin-1) in a REGEDIT4 file.
func (p *parser) text(b []byte) (string, error) {
	if p.version == 4 {
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), nil
	}
	if len(b)%2 != 0 {
		return "", fmt.Errorf("UTF-16 string data has an odd length (%d bytes)", len(b))
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// hexBytes reads a comma-separated list of two-digit hex bytes, as regedit
// writes it ("01,ab,ff"); blanks around the commas are allowed, and a
// trailing comma (before a continuation) is tolerated.
func hexBytes(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]byte, 0, len(parts))
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" && i == len(parts)-1 {
			break
		}
		if len(part) != 2 {
			return nil, fmt.Errorf("hex data: %q is not a byte (two hex digits)", clip(part))
		}
		v, err := strconv.ParseUint(part, 16, 8)
		if err != nil {
			return nil, fmt.Errorf("hex data: %q is not a byte (two hex digits)", clip(part))
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// clip shortens s for a problem message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return s[:i] + "..."
		}
	}
	return s[:max] + "..."
}

// asciiLower lower-cases the ASCII letters of s, leaving every other byte
// as it is, so that offsets in the result are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
