package mask

import (
	"slices"
	"strings"
	"unsafe"

	"github.com/sfblog/sfblog/event"
)

// Field returns the value of the event field name with its secrets masked.
//
// A field whose last name component says secret ([SecretName]:
// evt.data.Password, evt.data.AccessToken, evt.data.ClientSecret) is
// masked whole, unless it is empty, "-" or an event message insertion
// such as "%%1843" (never a credential). A SIP header field
// (sip.header.NAME) is masked as the value of that header, each line of a
// repeated header on its own: the second WWW-Authenticate of a message is
// masked like the first. Any other field goes through [Secrets].
func Field(name, value string) string {
	if value == "" {
		return value
	}
	if h, ok := strings.CutPrefix(name, "sip.header."); ok {
		return headerValue(h, value)
	}
	if SecretName(name[strings.LastIndexByte(name, '.')+1:]) {
		return wholeValue(value)
	}
	return Secrets(value)
}

// headerValue masks the value of the header name; repeated headers are
// joined by "\n".
func headerValue(name, value string) string {
	one := headerLine(name)
	if one == nil {
		return Secrets(value)
	}
	return eachLine(one, value)
}

// headerLine returns how one line of the value of the header name is
// masked: authentication and cookie headers and web tickets. It returns
// nil for any other header, whose value goes through [Secrets] whole.
func headerLine(name string) func(string) string {
	switch headerKindOf(name) {
	case authHeaderKind:
		return maskAuthValueAll
	case cookieHeaderKind:
		return maskCookieValue
	case ticketHeaderKind:
		return maskTicketLine
	}
	return nil
}

// headerKind says how the value of a header is masked (headerLine).
type headerKind uint8

const (
	plainHeaderKind  headerKind = iota // through Secrets
	authHeaderKind                     // each line through maskAuthValueAll
	cookieHeaderKind                   // each line through maskCookieValue
	ticketHeaderKind                   // each line through maskTicketLine: web tickets and secret names
)

// headerKindOf returns the kind of the header name: authentication
// (isAuthHeader), cookie (isCookieHeader), web ticket (a name that ends
// in webticket, or that [SecretName] says secret: X-MS-Password,
// X-Access-Token) or plain. Every name of the first three kinds ends in
// n, e, o, 2, t, d, a, h, s, y or l, in any case: the last byte rules out
// most other names.
func headerKindOf(name string) headerKind {
	if name == "" {
		return plainHeaderKind
	}
	switch lower(name[len(name)-1]) {
	case 'n', 'e', 'o', '2', 't', 'd', 'a', 'h', 's', 'y', 'l':
		// s, y and l: the plurals and compounds SecretName takes
		// (X-MS-Tokens, X-Session-Key, X-Credential).
	default:
		return plainHeaderKind
	}
	switch {
	case isAuthHeader(name):
		return authHeaderKind
	case isCookieHeader(name):
		return cookieHeaderKind
	case hasSuffixFold(name, "webticket") || SecretName(name):
		return ticketHeaderKind
	}
	return plainHeaderKind
}

// maskTicketLine masks a web ticket header's value whole, unless blank.
func maskTicketLine(v string) string {
	if strings.TrimSpace(v) == "" {
		return v
	}
	return Masked
}

// eachLine applies one to each line of value.
func eachLine(one func(string) string, value string) string {
	if strings.IndexByte(value, '\n') < 0 {
		return one(value)
	}
	lines := strings.Split(value, "\n")
	for i, l := range lines {
		lines[i] = one(l)
	}
	return strings.Join(lines, "\n")
}

// maskAuthValueAll masks a whole authentication header value: unlike in
// running text, a "name:" inside it does not start another header.
func maskAuthValueAll(v string) string {
	var b strings.Builder
	for len(v) > 0 {
		m, stop := maskAuthValue(v)
		b.WriteString(m)
		if stop >= len(v) {
			break
		}
		// Copy the token that looked like a header name and go on.
		e := stop
		for e < len(v) && v[e] != ':' {
			e++
		}
		b.WriteString(v[stop:min(e+1, len(v))])
		v = v[min(e+1, len(v)):]
	}
	return b.String()
}

// wholeValue masks value whole, unless it cannot be a credential.
func wholeValue(value string) string {
	v := strings.TrimSpace(value)
	if v == "" || v == "-" || v == Masked || isInsertion(v) || isEvidenceValue(v) {
		// true, false or an HRESULT says what happened, not what the
		// secret is (sip.request.credentials, a PasswordExpired flag).
		return value
	}
	return maskKeepLines(value)
}

// isInsertion reports whether v is an event message insertion, "%%1843".
func isInsertion(v string) bool {
	if len(v) < 3 || v[0] != '%' || v[1] != '%' {
		return false
	}
	for i := 2; i < len(v); i++ {
		if !isDigit(v[i]) {
			return false
		}
	}
	return true
}

// Event returns a copy of e with every secret masked: each field through
// [Field], and the text and the other fields through [Secrets] and
// without the values of the fields whose names say secret (an event log
// record's text lists its data values without their names). A registry
// value whose name says secret (Winlogon DefaultPassword) has its data
// masked. e itself is not changed.
func Event(e *event.Event) event.Event {
	var m event.Event
	EventInto(&m, e)
	return m
}

// EventInto is [Event] into dst, whose field map is reused: a caller that
// masks many events allocates one map, not one per event. The map is
// cleared first; when e.Fields is nil it is left empty (or nil, when dst
// had none). dst must not be e.
func EventInto(dst, e *event.Event) {
	fields := dst.Fields
	*dst = *e
	dst.Fields = fields
	clear(fields)
	if e.Fields != nil && fields == nil {
		dst.Fields = make(map[string]string, len(e.Fields))
	}
	var fs []event.Field
	if n := len(e.Fields); n <= maxStack {
		var stack [maxStack]event.Field
		fs = stack[:0]
	}
	dst.Text, fs = EventFields(fs, e)
	for _, f := range fs {
		dst.Fields[f.Name] = f.Value
	}
}

// maxStack is the most fields EventInto masks into an array on its stack.
const maxStack = 64

// EventFields masks e as [Event] does, and returns its masked text and
// its masked fields, appended to fields in no particular order. It is
// EventInto without a map: sfblog parse masks each event into a slice
// that it reuses and writes as JSON (with an [event.Encoder]).
func EventFields(fields []event.Field, e *event.Event) (string, []event.Field) {
	return (*Masker)(nil).EventFields(fields, e)
}

// Masker masks events one after another as [EventFields] does, and
// remembers how it masks each field name it meets (up to maxKinds of
// them): the events of one log have the same names again and again, and
// telling a name's kind (a SIP header that carries credentials, a name
// that says secret) costs more than finding it again.
//
// The zero Masker is ready to use; a nil *Masker remembers nothing. A
// Masker is not safe for concurrent use. It keeps copies of the names,
// never the caller's strings.
type Masker struct {
	kinds map[string]knownName
	// recent maps the address and length of a name's bytes to its
	// kind, in a table indexed by a hash of the address: a parser's
	// events share their names' strings, found here without hashing
	// their bytes. name is the copy kept in kinds, compared with the
	// name found before the kind is trusted (the collector reuses
	// memory).
	recent [recentKinds]struct {
		addr uintptr
		name string
		kind fieldKind
	}
}

const (
	// maxKinds bounds the names a Masker remembers.
	maxKinds = 4096
	// recentKinds is the size of Masker.recent, a power of two.
	recentKinds = 256
)

// EventFields is [EventFields], with the kinds of the names remembered.
func (mk *Masker) EventFields(fields []event.Field, e *event.Event) (string, []event.Field) {
	// The text first: most values of a client log's SIP event are parts of
	// it, and what its scan learns spares masking them again (textScan).
	var ts textScan
	text := ts.secrets(e.Text)
	// One pass over the fields: each is masked as Field masks it, and the
	// values of the fields whose names say secret are kept to be removed
	// from the text and the other fields (secretValues).
	var vals []string
	var memo secretsMemo
	first := len(fields)
	for k, v := range e.Fields {
		fields = append(fields, event.Field{Name: k, Value: maskField(&ts, &memo, e, mk.kind(k), v, &vals)})
	}
	vals = sortValues(vals)
	text = removeSecrets(e, text, vals)
	if len(vals) > 0 {
		for i := first; i < len(fields); i++ {
			fields[i].Value = removeValues(fields[i].Value, vals)
		}
	}
	return text, fields
}

// kind returns fieldKindOf(name), remembered.
func (mk *Masker) kind(name string) fieldKind {
	if mk == nil || name == "" {
		return fieldKindOf(name)
	}
	addr := uintptr(unsafe.Pointer(unsafe.StringData(name)))
	r := &mk.recent[(addr>>3)*0x9E3779B97F4A7C15>>(64-8)] // recentKinds = 1<<8
	if r.addr == addr && r.name == name {
		return r.kind
	}
	known, ok := mk.kinds[name]
	if !ok {
		known = knownName{strings.Clone(name), fieldKindOf(name)}
		if len(mk.kinds) >= maxKinds {
			return known.kind
		}
		if mk.kinds == nil {
			mk.kinds = make(map[string]knownName)
		}
		mk.kinds[known.name] = known
	}
	r.addr, r.name, r.kind = addr, known.name, known.kind
	return known.kind
}

// knownName is a name a Masker remembers: a copy, and its kind.
type knownName struct {
	name string
	kind fieldKind
}

// removeSecrets removes from text, e's text or a part of it, the secret
// values vals of e's fields (secretValues), and the data of a registry
// value whose name says secret as written in it.
func removeSecrets(e *event.Event, text string, vals []string) string {
	if e.Kind == event.KindRegistry && e.Fields["reg.data"] != "" && SecretName(e.Fields["reg.name"]) {
		text = regData(text)
	}
	return removeValues(text, vals)
}

// regData masks the data of the registry value written in text, the
// value's line(s) of a .reg file: "Name"=data. The data is masked as
// written, whatever its form (a string with its escapes, hex(2): bytes
// over several lines), where the decoded reg.data would not be found.
func regData(text string) string {
	if !strings.HasPrefix(text, `"`) {
		return text
	}
	// The name is a quoted string in which \ and \" are escapes.
	i := 1
	for i < len(text) && text[i] != '"' {
		if text[i] == '\\' {
			i++
		}
		i++
	}
	if i+1 >= len(text) || text[i+1] != '=' {
		return text
	}
	head, data := text[:i+2], text[i+2:]
	if d := strings.TrimSpace(data); d == "" || d == Masked || d == `"`+Masked+`"` {
		return text
	}
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		// A string: its quotes stay, as Secrets keeps a value's quotes.
		return head + `"` + maskKeepLines(data[1:len(data)-1]) + `"`
	}
	return head + maskKeepLines(data)
}

// fieldKind says how a field is masked, by its name alone (maskField).
type fieldKind uint8

const (
	plainField   fieldKind = iota // through Secrets
	plainHeader                   // sip.header.NAME of a plainHeaderKind header
	authHeader                    // of an authHeaderKind header
	cookieHeader                  // of a cookieHeaderKind header
	ticketHeader                  // of a ticketHeaderKind header
	secretField                   // its last name component says secret: masked whole
	regDataField                  // reg.data: masked whole when reg.name says secret
)

// fieldKindOf returns the kind of the field name.
func fieldKindOf(name string) fieldKind {
	if h, ok := strings.CutPrefix(name, "sip.header."); ok {
		switch headerKindOf(h) {
		case authHeaderKind:
			return authHeader
		case cookieHeaderKind:
			return cookieHeader
		case ticketHeaderKind:
			return ticketHeader
		}
		return plainHeader
	}
	switch {
	case SecretName(name[strings.LastIndexByte(name, '.')+1:]):
		return secretField
	case name == "reg.data":
		return regDataField
	}
	return plainField
}

// maskField returns the value v of a field of e, of the kind kind,
// masked as EventFields masks it with the text scan ts. A value masked
// because the field's name says secret is appended to vals, to be
// removed from the text and the other fields.
func maskField(ts *textScan, memo *secretsMemo, e *event.Event, kind fieldKind, v string, vals *[]string) string {
	if v == "" {
		return v
	}
	var field, masked string
	switch kind {
	case plainField, plainHeader:
		return ts.fieldSecrets(memo, v)
	case authHeader:
		if m, ok := ts.authValueAll(v); ok {
			return m
		}
		return eachLine(maskAuthValueAll, v)
	case cookieHeader:
		return eachLine(maskCookieValue, v)
	case ticketHeader:
		return eachLine(maskTicketLine, v)
	case secretField:
		masked = wholeValue(v)
		field = masked
	case regDataField:
		if !SecretName(e.Fields["reg.name"]) {
			return ts.fieldSecrets(memo, v)
		}
		field = wholeValue(Secrets(v))
		masked = wholeValue(v)
	}
	if masked != v {
		*vals = appendValue(*vals, v)
	}
	return field
}

// secretsMemo remembers what [Secrets] made of the longer values of one
// event, which often come twice: an event log record's evt.data.all is
// its only data value when it has one, a SIP message's Call-ID and
// User-Agent are sip.call_id and sip.user_agent too.
type secretsMemo struct {
	n       int
	in, out [16]string
}

// memoMin is the length from which a value is looked up and remembered;
// a shorter one is masked again, which costs less.
const memoMin = 16

// secrets returns Secrets(v).
func (m *secretsMemo) secrets(v string) string {
	if len(v) < memoMin {
		return Secrets(v)
	}
	for i := range m.n {
		if m.in[i] == v {
			return m.out[i]
		}
	}
	masked := Secrets(v)
	if m.n < len(m.in) {
		m.in[m.n], m.out[m.n] = v, masked
		m.n++
	}
	return masked
}

// EventText masks s, a text rendered from e (an excerpt of e.Text):
// [Secrets], and the values of e's fields whose names say secret are
// removed.
func EventText(e *event.Event, s string) string {
	return removeSecrets(e, Secrets(s), secretValues(e))
}

// SecretField reports whether the field name of e holds a secret as a
// whole: its last name component says secret ([SecretName]:
// evt.data.Password, ad.attr.userPassword), or it is the data of a
// registry value whose name says secret. A SIP header field is not: its
// value is masked as the header's (Field).
func SecretField(e *event.Event, name string) bool {
	if strings.HasPrefix(name, "sip.header.") {
		return false
	}
	return SecretName(name[strings.LastIndexByte(name, '.')+1:]) ||
		name == "reg.data" && SecretName(e.Fields["reg.name"])
}

// secretValues returns the values of e's fields whose names say secret,
// as written and with their white space collapsed (as an event log
// record's text shows them), longest first.
func secretValues(e *event.Event) []string {
	var vals []string
	for k, v := range e.Fields {
		if !SecretField(e, k) || wholeValue(v) == v {
			continue
		}
		vals = appendValue(vals, v)
	}
	return sortValues(vals)
}

// appendValue appends the secret value v as written (trimmed) and, when
// different, with its white space collapsed.
//
// It also appends the forms the value takes in an XML text (an event log
// saved as XML holds Spr1ng&amp;Xml where the field holds Spr1ng&Xml), and
// each line of a value of several lines (a multi-valued attribute), when
// it is not too short to be told from other words.
func appendValue(vals []string, v string) []string {
	t := strings.TrimSpace(v)
	vals = append(vals, t)
	if one := strings.Join(strings.Fields(v), " "); one != t {
		vals = append(vals, one)
	}
	if x := xmlEscaper.Replace(t); x != t {
		vals = append(vals, x)
	}
	if x := xmlQuoteEscaper.Replace(t); x != t {
		vals = append(vals, x)
	}
	if strings.Contains(t, "\n") {
		for l := range strings.Lines(t) {
			// A line of a few bytes could be any word of the text.
			if l = strings.TrimSpace(l); len(l) >= minLineValue {
				vals = append(vals, l)
			}
		}
	}
	return vals
}

// minLineValue is the shortest line of a secret value of several lines
// that is removed from the text on its own.
const minLineValue = 4

// xmlEscaper writes a value as XML text; xmlQuoteEscaper as an XML
// attribute value, quotes escaped too.
var (
	xmlEscaper      = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	xmlQuoteEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
)

// sortValues sorts vals longest first (then in byte order) and drops
// duplicates: a value inside a longer one is removed after it.
func sortValues(vals []string) []string {
	if len(vals) < 2 {
		return vals
	}
	slices.SortFunc(vals, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(vals)
}

// removeValues replaces every occurrence of the values in s that is not
// part of a longer word with Masked. A text cut by its parser (it ends
// in "…") may end inside a value: a value's beginning that runs to the
// cut is masked too.
func removeValues(s string, vals []string) string {
	for _, v := range vals {
		if v == "" {
			continue
		}
		if strings.Contains(s, v) {
			s = removeValue(s, v)
		}
		s = removeCutValue(s, v)
	}
	return s
}

// removeValue replaces every occurrence of v in s that is not part of a
// longer word with Masked (with v's line breaks kept).
func removeValue(s, v string) string {
	var b strings.Builder
	last := 0 // s[:last] is written
	for from := 0; ; {
		i := strings.Index(s[from:], v)
		if i < 0 {
			break
		}
		i += from
		end := i + len(v)
		if (i > 0 && isAlnum(s[i-1]) && isAlnum(v[0])) || (end < len(s) && isAlnum(s[end]) && isAlnum(v[len(v)-1])) {
			from = i + 1 // inside a longer word: look further
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(maskKeepLines(v))
		last, from = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// cutMark ends a text its parser cut (parsers/evtx, evttext, adexport).
const cutMark = "…"

// removeCutValue masks the beginning of v that s ends with before its
// cutMark, when it starts a word: the text was cut inside the value.
func removeCutValue(s, v string) string {
	body, ok := strings.CutSuffix(s, cutMark)
	if !ok {
		return s
	}
	// The longest beginning of v that body ends with, shorter than v
	// (v whole was removed before).
	for k := min(len(v)-1, len(body)); k > 0; k-- {
		start := len(body) - k
		if body[start:] != v[:k] {
			continue
		}
		if start > 0 && isAlnum(body[start-1]) && isAlnum(v[0]) {
			continue
		}
		return body[:start] + maskKeepLines(v[:k]) + cutMark
	}
	return s
}
