package parsers

import (
	"bytes"
	"path"
	"strings"
)

// binaryKind is a kind of file that support bundles hold besides logs,
// known by its first bytes, or by its name when it has no magic (ext).
type binaryKind struct {
	magic, ext string
	what       string
}

// binaryKinds are the files a support bundle often holds that sfblog does
// not read: screenshots, documents and e-mails, the client's media traces
// (.etl, beside its UccApilog in the Tracing folder), crash dumps and
// network captures.
var binaryKinds = []binaryKind{
	{magic: "\x89PNG\r\n\x1a\n", what: "a PNG image; a screenshot's text is read when typed or pasted into a note"},
	{magic: "\xff\xd8\xff", what: "a JPEG image; a screenshot's text is read when typed or pasted into a note"},
	{magic: "GIF8", what: "a GIF image"},
	{magic: "II*\x00", what: "a TIFF image"},
	{magic: "MM\x00*", what: "a TIFF image"},
	{magic: "%PDF-", what: "a PDF document"},
	{magic: "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", what: "an Office document or Outlook message (.doc, .xls, .msg); save its text as a note"},
	{magic: "MDMP", what: "a Windows crash dump"},
	{magic: "MZ", what: "a Windows program or library"},
	{magic: "\xd4\xc3\xb2\xa1", what: "a network capture (pcap); open it in Wireshark"},
	{magic: "\xa1\xb2\xc3\xd4", what: "a network capture (pcap); open it in Wireshark"},
	{magic: "\x0a\x0d\x0d\x0a", what: "a network capture (pcapng); open it in Wireshark"},
	{magic: "GMBU", what: "a Network Monitor capture"},
	{ext: ".etl", what: "an ETL trace (the client's media log, or a Windows event trace), which needs tracerpt or Snooper; the sign-in is in the UccApilog"},
}

// Describe names a file that Sniff did not recognise, from its first
// bytes or its name, when it is a kind that support bundles often hold
// (an image, a document, an ETL trace, a crash dump, a network capture),
// with what to do with it; else it returns "".
func Describe(name string, head []byte) string {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	for _, k := range binaryKinds {
		if k.magic != "" && bytes.HasPrefix(head, []byte(k.magic)) || k.ext != "" && ext == k.ext {
			return k.what
		}
	}
	return ""
}

// Sidecar names a file that goes with an exported event log and holds no
// evidence of its own, from its name alone; else it returns "". Such a
// file is not read, whatever its content: today that is the locale
// metadata that Event Viewer's "Save All Events As" (with display
// information) and wevtutil archive-log write beside an .evtx, as
// LocaleMetaData\NAME_LCID.MTA ([MS-EVEN6] 3.1.1.7: the publishers'
// message strings, the message templates of every event they define
// among them). Read as text, those templates would pass for events that
// never happened.
func Sidecar(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if !strings.EqualFold(path.Ext(name), ".mta") {
		return ""
	}
	dir, base := path.Split(name)
	if !strings.EqualFold(path.Base(dir), "LocaleMetaData") && !lcidSuffix(strings.TrimSuffix(base, path.Ext(base))) {
		return ""
	}
	return "the message texts of an exported event log (Event Viewer's LocaleMetaData); sfblog reads the events of the .evtx itself"
}

// lcidSuffix reports whether name ends in _ and a locale id (1033, 1041).
func lcidSuffix(name string) bool {
	i := strings.LastIndexByte(name, '_')
	if i < 0 || len(name)-i-1 < 3 || len(name)-i-1 > 5 {
		return false
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
