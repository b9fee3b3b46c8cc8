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

// levels maps the level names Windows renders to the numbers of the
// System/Level element (the standard levels of winmeta.xml: 1 critical,
// 2 error, 3 warning, 4 informational, 5 verbose).
var levels = map[string]string{
	"critical":    "1",
	"error":       "2",
	"warning":     "3",
	"information": "4",
	"verbose":     "5",
}

// keywordNames maps the keyword names wevtutil renders for the keywords
// every classic and security event carries to the hex form of
// System/Keywords: EventLogClassic (0x80000000000000), AuditSuccess
// (0x20000000000000) and AuditFailure (0x10000000000000), the last two
// with the classic bit as the Security log writes them.
var keywordNames = map[string]string{
	"classic":       "0x80000000000000",
	"audit success": "0x8020000000000000",
	"audit failure": "0x8010000000000000",
}

// providerAliases maps the display names Event Viewer can show in its
// Source column to the provider names of the .evtx records, for the
// providers the signature catalog reads.
var providerAliases = map[string]string{
	"dns client events":                    "Microsoft-Windows-DNS-Client",
	"dns-client":                           "Microsoft-Windows-DNS-Client",
	"time-service":                         "Microsoft-Windows-Time-Service",
	"security-kerberos":                    "Microsoft-Windows-Security-Kerberos",
	"microsoft windows security auditing.": "Microsoft-Windows-Security-Auditing",
	"security-auditing":                    "Microsoft-Windows-Security-Auditing",
}

// notApplicable reports whether a rendered value says "nothing".
func notApplicable(v string) bool {
	switch strings.ToLower(v) {
	case "", "n/a", "-":
		return true
	}
	return false
}

// provider returns the provider name for a Source as written.
func provider(source string) string {
	if p, ok := providerAliases[strings.ToLower(source)]; ok {
		return p
	}
	return source
}

// level returns the number for a rendered level name, or the name as
// written when it is not one of the standard levels (a localized export).
func level(name string) string {
	if n, ok := levels[strings.ToLower(name)]; ok {
		return n
	}
	return name
}

// task returns the task as an .evtx record holds it where that is known:
// "None" (the category of a classic event without one) is task 0,
// "(1014)" (a task without a name) is 1014, "N/A" is left out. A task
// name is kept as written.
func task(name string) string {
	switch {
	case strings.EqualFold(name, "none"):
		return "0"
	case notApplicable(name):
		return ""
	case len(name) > 2 && name[0] == '(' && name[len(name)-1] == ')' && isDigits(name[1:len(name)-1]):
		return name[1 : len(name)-1]
	}
	return name
}

// keywords returns the keywords in the hex form of System/Keywords where
// the rendering allows: a name of keywordNames, or "(268435456)", the
// decimal value Event Viewer shows for keywords without a name. "N/A" is
// left out; anything else is kept as written.
func keywords(name string) string {
	if notApplicable(name) {
		return ""
	}
	if k, ok := keywordNames[strings.ToLower(name)]; ok {
		return k
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
