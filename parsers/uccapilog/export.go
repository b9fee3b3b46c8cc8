package uccapilog

import "github.com/sfblog/sfblog/event"

// SIPFields sets on ev the KindSIP fields of the SIP message in lines
// (start line first, then headers, a blank line and the body), exactly as
// the client-log parser does: sip.*, sip.header.*, diag.*. It reports
// whether the first line is a request or status line; the header fields
// are set either way, so that headers pasted without their start line (a
// lone ms-diagnostics line) are read too.
func SIPFields(ev *event.Event, lines []string) bool {
	var r sipReader
	return setSIPFields(ev, r.parse(lines, nil))
}
