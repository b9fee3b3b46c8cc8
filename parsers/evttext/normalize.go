package evttext

import (
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/event"
)

// textRecord is what a text form (wevtutil /f:text, Event Viewer .txt or
// .csv) says about one record, as written.
type textRecord struct {
	channel  string // Log Name
	source   string // Source
	eventID  string // Event ID
	level    string // Level: Error, Warning, ...
	task     string // Task / Task Category
	keywords string // Keyword
	user     string // User: a SID or N/A
	computer string // Computer
	message  string // Description
}

// notApplicable reports whether a rendered value says "nothing".
func notApplicable(v string) bool {
	switch strings.ToLower(v) {
	case "", "n/a", "-":
		return true
	}
	return false
}

// provider returns the provider name for a Source as written: the display
// names Event Viewer can show in its Source column are mapped to the
// provider names of the .evtx records, for the providers the signature
// catalog reads.
func provider(source string) string {
	switch strings.ToLower(source) {
	case "dns client events", "dns-client":
		return "Microsoft-Windows-DNS-Client"
	case "time-service":
		return "Microsoft-Windows-Time-Service"
	case "security-kerberos":
		return "Microsoft-Windows-Security-Kerberos"
	case "microsoft windows security auditing.", "security-auditing":
		return "Microsoft-Windows-Security-Auditing"
	}
	return source
}

// level returns the number of the System/Level element for a rendered
// level name, English or Japanese (the standard levels of winmeta.xml:
// 1 critical, 2 error, 3 warning, 4 informational, 5 verbose), or the name
// as written when it is not one of them (an export in another language).
func level(name string) string {
	switch strings.ToLower(name) {
	case "critical", "重大":
		return "1"
	case "error", "エラー":
		return "2"
	case "warning", "警告":
		return "3"
	case "information", "情報":
		return "4"
	case "verbose", "詳細":
		return "5"
	}
	return name
}

// task returns the task as an .evtx record holds it where that is known:
// "None" (the category of a classic event without one; "なし" in Japanese,
// as the Event Viewer details in Microsoft Japan's support blogs show it)
// is task 0,
// "(1014)" (a task without a name) is 1014, "N/A" is left out. A task
// name is kept as written.
func task(name string) string {
	switch {
	case strings.EqualFold(name, "none"), name == "なし":
		return "0"
	case notApplicable(name):
		return ""
	case len(name) > 2 && name[0] == '(' && name[len(name)-1] == ')' && isDigits(name[1:len(name)-1]):
		return name[1 : len(name)-1]
	}
	return name
}

// keywords returns the keywords in the hex form of System/Keywords where
// the rendering allows: a name wevtutil renders for the keywords every
// classic and security event carries, EventLogClassic (0x80000000000000),
// AuditSuccess (0x20000000000000) and AuditFailure (0x10000000000000), the
// last two with the classic bit as the Security log writes them; or
// "(268435456)", the decimal value Event Viewer shows for keywords without
// a name. "N/A" is left out; anything else is kept as written.
func keywords(name string) string {
	if notApplicable(name) {
		return ""
	}
	switch strings.ToLower(name) {
	case "classic", "クラシック":
		return "0x80000000000000"
	case "audit success", "成功の監査":
		return "0x8020000000000000"
	case "audit failure", "失敗の監査":
		return "0x8010000000000000"
	}
	if len(name) > 2 && name[0] == '(' && name[len(name)-1] == ')' {
		if v, err := strconv.ParseUint(name[1:len(name)-1], 10, 64); err == nil {
			return "0x" + strconv.FormatUint(v, 16)
		}
	}
	return name
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isSID reports whether s is written like a security identifier.
func isSID(s string) bool {
	return len(s) > 4 && (strings.HasPrefix(s, "S-1-") || strings.HasPrefix(s, "s-1-"))
}

// set fills ev with the fields of r the way the .evtx parser names them,
// and the message with the values recovered from it.
func (r textRecord) set(ev *event.Event) {
	if ev.Fields == nil {
		ev.Fields = make(map[string]string, 16)
	}
	put := func(name, value string) {
		if value = strings.TrimSpace(value); value != "" {
			ev.Set(name, value)
		}
	}
	put("evt.channel", r.channel)
	if src := strings.TrimSpace(r.source); src != "" {
		ev.Set("evt.provider", provider(src))
		ev.Set("evt.source", src)
	}
	put("evt.event_id", r.eventID)
	if !notApplicable(strings.TrimSpace(r.level)) {
		put("evt.level", level(strings.TrimSpace(r.level)))
	}
	if t := strings.TrimSpace(r.task); t != "" {
		put("evt.task", task(t))
	}
	put("evt.keywords", keywords(strings.TrimSpace(r.keywords)))
	if u := strings.TrimSpace(r.user); isSID(u) {
		ev.Set("evt.user_sid", u)
	}
	if !notApplicable(strings.TrimSpace(r.computer)) {
		put("evt.computer", r.computer)
	}
	msg := strings.TrimSpace(r.message)
	if notApplicable(msg) {
		msg = ""
	}
	if msg != "" {
		ev.Set("evt.message", msg)
	}
	values := extract(ev.Get("evt.provider"), ev.Get("evt.event_id"), msg)
	var all strings.Builder
	for _, v := range values {
		ev.Set("evt.data."+v.name, v.value)
		all.WriteString(v.value)
		all.WriteByte('\n')
	}
	all.WriteString(msg)
	if s := strings.TrimSuffix(all.String(), "\n"); s != "" {
		ev.Set("evt.data.all", s)
	}
}
