// Package event defines the normalized evidence that every parser emits and
// every signature reads: inputs -> parsers -> events -> signatures -> findings.
//
// An Event is deliberately flat: a few typed location fields and a map of
// string fields whose names follow the conventions documented below. Rules
// in the signature catalog address events only through those field names.
package event

import (
	"encoding/json"
	"fmt"
	"time"
)

// Sources: the parser that produced an event.
const (
	SourceUccApilog = "uccapilog" // client UccApi text logs
	SourceEvtx      = "evtx"      // exported Windows event logs
	SourceText      = "text"      // free text: notes, pasted error messages
	SourceDNS       = "dns"       // nslookup and Resolve-DnsName output
	SourceTime      = "time"      // w32tm output
	SourceRegistry  = "registry"  // regedit / reg export files (.reg)
	SourceNetwork   = "network"   // netsh winhttp show proxy, ipconfig /all
	SourceCert      = "cert"      // certutil -store, -verify, -urlfetch output
	SourceDirectory = "directory" // ldifde, csvde, Get-ADUser | Export-Csv
	SourceEvtText   = "evttext"   // event logs saved as text: wevtutil /f:text, Event Viewer .txt/.csv, XML
)

// Kinds: what an event describes.
const (
	KindSIP       = "sip"       // one SIP message sent or received by the client
	KindLog       = "log"       // a client log line at warning or error level
	KindHRESULT   = "hresult"   // an HRESULT code found on any line
	KindUIText    = "uitext"    // a user-visible error text of the client
	KindRecord    = "record"    // one Windows event log record
	KindDNS       = "dns"       // one DNS look-up and its answer (or failure)
	KindClock     = "clock"     // the computer clock's state or offset (w32tm)
	KindRegistry  = "registry"  // one registry value from an export
	KindProxy     = "proxy"     // proxy settings (netsh winhttp, Internet Settings)
	KindNetCfg    = "netcfg"    // IP configuration of the computer or one adapter
	KindCert      = "cert"      // one certificate, or one chain verification result
	KindDirectory = "directory" // one directory (AD) user object
	KindCheck     = "check"     // a derived check the analyzer made over other evidence
)

// Event is one normalized piece of evidence.
//
// Field names (all values are strings):
//
//	SIP (Kind "sip"):
//	  sip.direction      "sent" or "received"
//	  sip.remote         remote address "ip:port" as logged
//	  sip.local          local address "ip:port" as logged
//	  sip.type           "request" or "response"
//	  sip.method         request method (REGISTER, INVITE, ...)
//	  sip.uri            request URI
//	  sip.status         response status code ("401")
//	  sip.reason         response reason phrase ("Unauthorized")
//	  sip.cseq.method    method named in CSeq (so responses can be tied to REGISTER)
//	  sip.cseq.number    sequence number named in CSeq
//	  sip.call_id        Call-ID header
//	  sip.from.uri       URI in From (the sign-in address on REGISTER)
//	  sip.to.uri         URI in To
//	  sip.user_agent     User-Agent header
//	  sip.server         Server header
//	  sip.header.NAME    every header, NAME lower-cased; repeated headers joined with "\n"
//	  sip.body           the message body
//	  diag.header        "ms-diagnostics" or "ms-diagnostics-public" (first one found)
//	  diag.code          ErrorId ("4005"); diag.subcode when "4005.1"
//	  diag.reason        reason parameter; diag.source, and diag.PARAM (lower-cased) for any other
//	  sip.date_offset    received messages with a Date header: Date (GMT) minus the log time, seconds
//	  sip.clock_skew     sip.date_offset less the nearest whole quarter hour (the log's unknown zone)
//	Added by the analyzer before signatures match (package analyze):
//	  sip.from.domain    the domain of sip.from.uri
//	  sip.request.credentials  "true" on a REGISTER response whose request offered credentials
//	  signin.result      success, failure, challenge or unregister on REGISTER responses;
//	                     failure on user-visible failure texts
//	Log line (Kind "log"):
//	  log.level          ERROR, WARN, ... as written
//	  log.thread         "1F68:C14" (process:thread, hex)
//	  log.message        text after "::"
//	HRESULT (Kind "hresult"):
//	  hresult            "0x80048821" (lower-case hex, 8 digits)
//	  hresult.name       symbolic name when known
//	User-visible text (Kind "uitext"):
//	  ui.key             stable key of the known text (see parsers/scan)
//	  ui.text            the text as it appears in the input
//	  ui.context         in a note, the two lines before the text (a dialog names its server there)
//	Event log record (Kind "record"):
//	  evt.provider, evt.source (legacy event source), evt.event_id, evt.qualifiers,
//	  evt.level, evt.channel, evt.computer, evt.user_sid, evt.task, evt.keywords,
//	  evt.data.NAME for named EventData/UserData values, evt.data.N (1-based) for
//	  unnamed Data elements, evt.data.all: every value joined by "\n";
//	  evt.message: the rendered description, when the export carries it (text exports).
//	  Event logs saved as text (Source "evttext") give the same fields.
//	DNS look-up (Kind "dns"):
//	  dns.tool           "nslookup" or "resolve-dnsname"
//	  dns.query          the name asked for, lower-case, no trailing dot
//	  dns.type           the record type asked for or answered: A (also the default query), AAAA, CNAME, SRV, ...
//	  dns.status         ok, nxdomain, timeout, servfail, refused, noanswer or error
//	  dns.server         the DNS server that answered, when shown
//	  dns.authoritative  "false" for "Non-authoritative answer"; never "true" (the line goes to
//	                     stderr, often not captured, so its absence proves nothing)
//	  dns.cname          the queried name's own CNAME target (the first hop of a chain), lower-case
//	  dns.addresses      the A/AAAA addresses, joined by ","
//	  dns.srv.target, dns.srv.port, dns.srv.priority, dns.srv.weight   SRV answers; several
//	                     records are joined by "," in answer order, the Nth values together
//	Clock (Kind "clock"):
//	  clock.tool         w32tm-status, w32tm-stripchart, w32tm-config
//	  clock.offset       the computer clock minus the reference, seconds ("-462.13");
//	                     absent on a stripchart sample that failed (error: 0x800705B4)
//	  clock.peer         the reference (stripchart /computer:, status Source)
//	  clock.source       the time source named by w32tm /query /status
//	  clock.last_sync    Last Successful Sync Time as written
//	  clock.leap         the Leap Indicator number (3: not synchronized)
//	  clock.unsynced     "true" when the source is the Local CMOS Clock or leap is 3
//	  clock.type         NT5DS, NTP, ... from /configuration
//	Registry value (Kind "registry"):
//	  reg.key            the key as written, hive spelled out (HKEY_CURRENT_USER\...)
//	  reg.hive           HKLM, HKCU, HKU, HKCR, HKCC
//	  reg.path           the key below the hive, lower-case (software\policies\microsoft\communicator)
//	  reg.name           the value name; "" for the default value (@)
//	  reg.type           REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD, REG_BINARY, REG_NONE,
//	                     other Windows type names (REG_LINK, ...) or hex(N); none on a deleted value
//	  reg.data           the data: strings as text, MULTI_SZ joined by "\n", DWORD/QWORD in decimal,
//	                     binary as lower-case hex; reg.deleted "true" for a "-" value
//	Proxy (Kind "proxy"):
//	  proxy.scope        winhttp or wininet
//	  proxy.direct       "true" for direct access (no proxy server), "false" when a server is set
//	  proxy.server       the proxy server(s) as written
//	  proxy.bypass       the bypass list as written; absent for "(none)"
//	Network configuration (Kind "netcfg"):
//	  net.host           host name; net.primary_suffix; net.suffixes (DNS suffix search list, ",")
//	  net.adapter        the adapter's heading; net.dns_servers (","); net.addresses (IPv4/IPv6, ",")
//	Certificate (Kind "cert"):
//	  cert.tool          certutil-store, certutil-verify, certutil-urlfetch
//	  cert.subject, cert.issuer, cert.serial, cert.thumbprint (lower-case hex, no spaces)
//	  cert.not_before, cert.not_after   the computer's local time as certutil prints it, in
//	                     RFC 3339 form when parseable (the Z is nominal: the zone is unknown), else as written
//	  cert.self_signed   "true" when subject equals issuer
//	  cert.store         the store name (My, Root, ...)
//	  cert.host          a host name the verification is about (a URL or CN)
//	  cert.error         the chain or revocation error code ("0x800b010a") on a failed verification
//	  cert.error.text    its text (CERT_E_CHAINING, "A certificate chain could not be built ...")
//	  cert.result        ok or error, on verification results
//	Directory user (Kind "directory"):
//	  ad.tool            ldifde, csvde, export-csv, format-list
//	  ad.dn, ad.upn, ad.sam, ad.mail
//	  ad.sip_enabled     msRTCSIP-UserEnabled lower-case ("true", "false"); absent when not exported
//	  ad.sip_address     msRTCSIP-PrimaryUserAddress ("sip:bob@contoso.com")
//	  ad.proxy_addresses proxyAddresses joined by "\n"
//	  ad.attr.NAME       an attribute whose name says secret (userPassword, unicodePwd, a Password
//	                     column), as written (LDIF base64 not decoded): masked in every output
//	Pasted evidence (any kind, from Source "text"): pasted "true", and
//	  paste.context "full" when the paste holds the context a rule needs (CSeq, provider), else "partial".
//	Derived check (Kind "check", added by the analyzer):
//	  check.name         what was checked (dns.sip, dns.lyncdiscover, dns.sip_tls, clock.offset,
//	                     trust.domain, ad.sip_enabled, proxy.signin, cert.adfs)
//	  check.result       pass or fail
//	  check.subject      the name, domain, user or host checked
//	  check.detail       what was found, for a person
type Event struct {
	Source   string            // SourceUccApilog, SourceEvtx, SourceText
	Kind     string            // KindSIP, KindLog, ...
	Path     string            // input path, "bundle.zip!/dir/file" inside zips
	Line     int               // 1-based line of the first line, text inputs
	EndLine  int               // last line of a multi-line event (a SIP block), 0 if single
	RecordID uint64            // EventRecordID, event logs
	Time     time.Time         // when it happened; see Local
	Local    bool              // Time is a wall-clock time without zone (client logs)
	Text     string            // raw excerpt as written (secrets are masked by reporters)
	Fields   map[string]string // see above
}

// Get returns a field value, or "" when it is absent.
func (e *Event) Get(name string) string { return e.Fields[name] }

// Set sets a field, allocating the map on first use.
func (e *Event) Set(name, value string) {
	if e.Fields == nil {
		e.Fields = make(map[string]string)
	}
	e.Fields[name] = value
}

// Field is one field of an event, its name and its value.
type Field struct{ Name, Value string }

// LocalLayout formats times that carry no zone.
const LocalLayout = "2006-01-02T15:04:05.000"

// FormatTime renders t as RFC 3339 in UTC, or without a zone when local is
// true (a client log's wall-clock time). It returns "" for the zero time.
func FormatTime(t time.Time, local bool) string {
	if t.IsZero() {
		return ""
	}
	if local {
		return t.Format(LocalLayout)
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// FormatUTCMillis renders t in UTC as RFC 3339 with milliseconds, always
// three digits ("2014-06-03T07:44:48.890Z"): the UTC time of a client log
// time, which has milliseconds, written as the log writes them rather
// than with RFC 3339's trailing zeros cut ("07:44:48.89Z").
func FormatUTCMillis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(utcMillisLayout)
}

// utcMillisLayout is FormatUTCMillis's layout.
const utcMillisLayout = "2006-01-02T15:04:05.000Z07:00"

// MarshalJSON writes the event as one JSON object with a stable key order
// (encoding/json sorts the keys of Fields).
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Path      string            `json:"path"`
		Line      int               `json:"line,omitempty"`
		EndLine   int               `json:"end_line,omitempty"`
		RecordID  uint64            `json:"record_id,omitempty"`
		Time      string            `json:"time,omitempty"`
		LocalTime bool              `json:"local_time,omitempty"`
		Source    string            `json:"source"`
		Kind      string            `json:"kind"`
		Fields    map[string]string `json:"fields,omitempty"`
		Text      string            `json:"text,omitempty"`
	}{e.Path, e.Line, e.EndLine, e.RecordID, FormatTime(e.Time, e.Local), e.Local, e.Source, e.Kind, e.Fields, e.Text})
}

// Sink receives the events of a parse one at a time. An error returned by a
// Sink stops the parse and is returned by the parser.
type Sink func(Event) error

// A Problem is a part of an input that could not be read: a damaged line,
// record or chunk. Parsers report problems and go on with the rest; an error
// return is kept for inputs that cannot be read at all.
type Problem struct {
	Line   int    // 1-based line, text inputs
	Record uint64 // record id, event logs (0 when unknown)
	Offset int64  // byte offset, when more useful than a line
	Msg    string // what is wrong, for a person
}

// String renders the problem as "line 12: msg", "record 7: msg",
// "offset 0x11000: msg" or just msg.
func (p Problem) String() string {
	switch {
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	case p.Record > 0:
		return fmt.Sprintf("record %d: %s", p.Record, p.Msg)
	case p.Offset > 0:
		return fmt.Sprintf("offset %#x: %s", p.Offset, p.Msg)
	}
	return p.Msg
}
