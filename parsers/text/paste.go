package text

import (
	"regexp"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/uccapilog"
)

// Pasted evidence: a ticket note or an e-mail in which someone pasted the
// lines of a SIP message or an event's details becomes the same events a
// client log or an event log gives, marked with the field "pasted" and with
// "paste.context": "full" when the paste holds the context a rule needs (a
// CSeq naming the method; an event's provider), else "partial" (a lone
// ms-diagnostics line is evidence of the code, not of a REGISTER).
const (
	FieldPasted  = "pasted"
	FieldContext = "paste.context"
	maxPasteRows = 60 // lines one pasted block may hold
)

// pastePatterns are the lines pasted evidence is recognised by.
type pastePatterns struct {
	// A status or request line, possibly quoted ("> ") in an e-mail.
	statusLine, requestLine, headerLine, diagLine *regexp.Regexp
	// The labels of an event's details as Event Viewer copies them
	// ("Copy details as text") and as people retype them.
	eventLabel *regexp.Regexp
}

// patterns returns the pastePatterns, compiled on first use.
var patterns = sync.OnceValue(func() *pastePatterns {
	return &pastePatterns{
		statusLine:  regexp.MustCompile(`^SIP/2\.0\s+\d{3}(\s|$)`),
		requestLine: regexp.MustCompile(`^[A-Z]+\s+sips?:\S+\s+SIP/2\.0$`),
		headerLine:  regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*\s*:`),
		diagLine:    regexp.MustCompile(`(?i)^ms-diagnostics(-public)?\s*:\s*\d`),
		eventLabel:  regexp.MustCompile(`(?i)^(log name|source|date|event id|task category|level|keywords|user|computer|description|opcode|ログの名前|ソース|日付|イベント ?ID|タスクのカテゴリ|レベル|キーワード|ユーザー|コンピューター|説明)\s*[:：]\s*(.*)$`),
	}
})

// jaLabels are the labels of an event's details on Japanese Windows, as
// Microsoft Japan's support blogs paste them ("ログの名前: Application",
// "ソース: VSS", "イベント ID: 8229", "タスクのカテゴリ: なし", "レベル: 警告",
// "キーワード: クラシック", "説明:"), by their English label.
var jaLabels = map[string]string{
	"ログの名前":    "log name",
	"ソース":      "source",
	"日付":       "date",
	"イベント id":  "event id",
	"イベントid":   "event id",
	"タスクのカテゴリ": "task category",
	"レベル":      "level",
	"キーワード":    "keywords",
	"ユーザー":     "user",
	"コンピューター":  "computer",
	"説明":       "description",
}

// label returns the English label, in lower case, of a matched label.
func label(m string) string {
	l := strings.ToLower(m)
	if en, ok := jaLabels[l]; ok {
		return en
	}
	return l
}

// level returns the number an .evtx gives the Event Viewer level name
// (in lower case), English or Japanese.
func level(name string) (string, bool) {
	switch name {
	case "critical", "重大":
		return "1", true
	case "error", "エラー":
		return "2", true
	case "warning", "警告":
		return "3", true
	case "information", "情報":
		return "4", true
	case "verbose", "詳細":
		return "5", true
	}
	return "", false
}

// paste collects pasted blocks line by line.
type paste struct {
	path  string
	kind  string // event.KindSIP or event.KindRecord while a block is open
	start int
	rows  []string
	desc  bool // inside an event's Description
}

// unquote removes an e-mail quote marker and surrounding blanks, and
// collapses runs of spaces (a paste through a chat window).
func unquote(line string) string {
	l := strings.TrimSpace(line)
	for strings.HasPrefix(l, ">") {
		l = strings.TrimSpace(l[1:])
	}
	if singleSpaced(l) {
		return l // what Fields and Join would make again, without allocating
	}
	return strings.Join(strings.Fields(l), " ")
}

// singleSpaced reports whether the trimmed l has no white space but single
// ASCII spaces: no other ASCII space, no two spaces in a row and no byte
// of a non-ASCII character (which may be a Unicode space).
func singleSpaced(l string) bool {
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && i+1 < len(l) && l[i+1] == ' ':
			return false
		}
	}
	return true
}

// line feeds one line; it returns the events of a block the line ends.
func (p *paste) line(n int, raw string) []event.Event {
	re := patterns()
	l := unquote(raw)
	switch p.kind {
	case event.KindSIP:
		if l != "" && re.headerLine.MatchString(l) && len(p.rows) < maxPasteRows {
			p.rows = append(p.rows, l)
			return nil
		}
		out := p.flush(n - 1)
		return append(out, p.line(n, raw)...)
	case event.KindRecord:
		if m := re.eventLabel.FindStringSubmatch(l); m != nil && len(p.rows) < maxPasteRows {
			p.rows = append(p.rows, l)
			p.desc = label(m[1]) == "description"
			return nil
		}
		if p.desc && l != "" && !strings.EqualFold(l, "Event Xml:") && len(p.rows) < maxPasteRows {
			p.rows = append(p.rows, l)
			return nil
		}
		out := p.flush(n - 1)
		return append(out, p.line(n, raw)...)
	}
	switch {
	case re.statusLine.MatchString(l) || re.requestLine.MatchString(l) || re.diagLine.MatchString(l):
		p.kind, p.start, p.rows = event.KindSIP, n, append(p.rows[:0], l)
	case re.eventLabel.MatchString(l):
		p.kind, p.start, p.rows, p.desc = event.KindRecord, n, append(p.rows[:0], l), false
		if m := re.eventLabel.FindStringSubmatch(l); label(m[1]) == "description" {
			p.desc = true
		}
	}
	return nil
}

// flush ends the open block at line end and returns its event, if it
// holds evidence.
func (p *paste) flush(end int) []event.Event {
	kind, rows := p.kind, p.rows
	p.kind, p.rows, p.desc = "", p.rows[:0], false
	if len(rows) == 0 {
		return nil
	}
	ev := event.Event{Source: event.SourceText, Kind: kind, Path: p.path, Line: p.start, Text: strings.Join(rows, "\n")}
	if end > p.start {
		ev.EndLine = end
	}
	ev.Set(FieldPasted, "true")
	re := patterns()
	switch kind {
	case event.KindSIP:
		lines := rows
		if re.headerLine.MatchString(rows[0]) && !re.statusLine.MatchString(rows[0]) {
			lines = append([]string{""}, rows...) // headers without a start line
		}
		ok := uccapilog.SIPFields(&ev, lines)
		if !ok && ev.Get("diag.code") == "" {
			return nil
		}
		switch ev.Get("sip.type") {
		case "response":
			ev.Set("sip.direction", "received")
		case "request":
			ev.Set("sip.direction", "sent")
		}
		ev.Set(FieldContext, contextOf(ok && ev.Get("sip.cseq.method") != ""))
		return []event.Event{ev}
	case event.KindRecord:
		var desc []string
		inDesc := false
		for _, r := range rows {
			m := re.eventLabel.FindStringSubmatch(r)
			if m == nil || inDesc && !isLabel(m[1]) {
				desc = append(desc, r)
				continue
			}
			name, value := label(m[1]), strings.TrimSpace(m[2])
			inDesc = name == "description"
			switch name {
			case "source":
				ev.Set("evt.provider", value)
				ev.Set("evt.source", value)
			case "event id":
				ev.Set("evt.event_id", strings.TrimSpace(value))
			case "level":
				if v, ok := level(strings.ToLower(value)); ok {
					ev.Set("evt.level", v)
				}
			case "computer":
				ev.Set("evt.computer", value)
			case "log name":
				ev.Set("evt.channel", value)
			case "description":
				if value != "" {
					desc = append(desc, value)
				}
			}
		}
		if !isDigits(ev.Get("evt.event_id")) {
			return nil
		}
		if len(desc) > 0 {
			msg := strings.Join(desc, "\n")
			ev.Set("evt.message", msg)
			ev.Set("evt.data.all", msg)
		}
		ev.Set(FieldContext, contextOf(ev.Get("evt.provider") != ""))
		return []event.Event{ev}
	}
	return nil
}

// isLabel reports whether a matched label is a field label rather than a
// word that starts a description line ("Source: ..." inside a message is
// rare; "Description" never ends a description).
func isLabel(m string) bool { return label(m) != "description" }

func contextOf(full bool) string {
	if full {
		return "full"
	}
	return "partial"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
