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

// Message returns the message of a client log line: the text after its
// time stamp, thread and level ("02/06/2018|08:12:42.395 1F30:1E0C ERROR
// :: CIdcrlAuth::OnAuthComplete ..." gives "CIdcrlAuth::OnAuthComplete
// ..."), as the parser sets log.message, or line itself when it does not
// start with a time stamp (a line of a SIP message).
func Message(line string) string {
	var c clock
	var p prefix
	if !c.parsePrefix([]byte(line), &p) {
		return line
	}
	return line[len(line)-len(p.msg):]
}
