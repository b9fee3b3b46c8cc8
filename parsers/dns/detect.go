package dns

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// detPatterns are markers of the look-up outputs, each a whole line.
type detPatterns struct {
	nsStrong, nsHeader, nsAnswer, nsOther *regexp.Regexp
	rdTable, rdError, rdList, jsonKey     *regexp.Regexp
}

// detRx returns the detPatterns, compiled on first use.
var detRx = sync.OnceValue(func() *detPatterns {
	return &detPatterns{
		// Lines only nslookup writes.
		nsStrong: regexp.MustCompile(`(?m)^(?:\S+\s+SRV service location:` +
			`|\S+\s+canonical name\s*=\s*\S+` +
			`|\*\*\*\s*.*(?:can't find \S+|が \S+ を見つけられません):\s*(?:Non-existent domain|Server failed|Query refused|No response from server)` +
			`|\*\*\*\s*No internal type for both IPv4 and IPv6 Addresses` +
			`|\*\*\*\s*Request to .+ timed-out` +
			`|Non-authoritative answer:|権限のない回答\s*:)\s*$`),
		// The server header: "Server:" and, on the next line, its address.
		nsHeader: regexp.MustCompile(`(?m)^(?:Server|サーバー):[ \t]*\S.*\r?\nAddress:[ \t]*[0-9A-Fa-f:.]+(?:#\d+)?[ \t]*\r?$`),
		// A header followed by an answer: "Name:" and, on the next line, an
		// address, at most a few blank or "Non-authoritative answer:" lines
		// after the header.
		nsAnswer: regexp.MustCompile(`(?m)^(?:Server|サーバー):[ \t]*\S.*\r?\nAddress:[ \t]*[0-9A-Fa-f:.]+(?:#\d+)?[ \t]*\r?\n` +
			`(?:[ \t]*\r?\n|(?:Non-authoritative answer|権限のない回答)[ \t]*:[ \t]*\r?\n){0,3}` +
			`(?:Name|名前):[ \t]*\S+[ \t]*\r?\nAddress(?:es)?:[ \t]*[0-9A-Fa-f:.]+[ \t]*\r?$`),
		nsOther: regexp.MustCompile(`(?m)^(?:\s*primary name server\s*=|DNS request timed out\.?\s*$|.*>\s?nslookup(?:\.exe)?(?:\s|$))`),
		// Resolve-DnsName: a table header and its dashes, an error record, a
		// Format-List entry of a record.
		rdTable: regexp.MustCompile(`(?m)^\s*Name\s+Type\s+TTL\s+Section\b.*\r?\n\s*----\s+----\s+---\s+-------`),
		rdError: regexp.MustCompile(`(?mi)^resolve-dnsname\s*:\s*\S+\s*:\s*\S|FullyQualifiedErrorId\s*:\s*\w+,Microsoft\.DnsClient\.Commands\.ResolveDnsName`),
		rdList:  regexp.MustCompile(`(?m)^Name +: ?\S+\s*\r?\n(?:Type|QueryType) +: ?\w+\s*\r?\nTTL +: ?\d+\s*\r?\nSection +: ?(?:Answer|Authority|Additional)\s*$`),
		// The JSON and CSV forms carry the base properties of every DnsRecord.
		jsonKey: regexp.MustCompile(`"(?:Section|CharacterSet|DataLength|QueryType)"\s*:`),
	}
})

// Detect reports whether head, the decoded start of a file (up to 8 KiB),
// is the output of nslookup or Resolve-DnsName in one of the forms Parse
// reads. It wants lines only those tools write — an SRV or CNAME answer
// line, a "***" failure, "Non-authoritative answer:", a Resolve-DnsName
// table header or error record — or nslookup's "Server:"/"Address:" header
// together with an answer, a prompt line or a time-out. A note that merely
// quotes "Name:" or "Address:" lines is not taken.
func Detect(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	switch sniffData(head) {
	case formJSON:
		return detectJSON(head)
	case formCSV:
		return detectCSV(head)
	}
	re := detRx()
	if re.nsStrong.Match(head) || re.rdTable.Match(head) || re.rdError.Match(head) || re.rdList.Match(head) {
		return true
	}
	return re.nsAnswer.Match(head) || re.nsHeader.Match(head) && re.nsOther.Match(head)
}

// detectJSON wants the DnsRecord base properties in the first object.
func detectJSON(head []byte) bool {
	keys := map[string]bool{}
	for _, m := range detRx().jsonKey.FindAll(head, -1) {
		k, _, _ := strings.Cut(string(m[1:]), `"`)
		keys[k] = true
	}
	return bytes.Contains(head, []byte(`"Name"`)) && keys["Section"] && (keys["CharacterSet"] || keys["DataLength"] || keys["QueryType"])
}

// detectCSV wants the "#TYPE" line of a DnsClient record, or a header with
// Name, Type and Section and one more property of a DnsRecord.
func detectCSV(head []byte) bool {
	lines := strings.SplitN(string(head), "\n", 3)
	first := strings.TrimSpace(lines[0])
	if strings.HasPrefix(first, "#TYPE ") {
		if !strings.HasPrefix(first, "#TYPE Microsoft.DnsClient.Commands.DnsRecord") && !strings.HasPrefix(first, "#TYPE Deserialized.Microsoft.DnsClient.Commands.DnsRecord") {
			return false
		}
		if len(lines) < 2 {
			return true
		}
		first = strings.TrimSpace(lines[1])
	}
	cols := map[string]bool{}
	for _, c := range strings.Split(first, ",") {
		cols[strings.ToLower(strings.Trim(c, `"`))] = true
	}
	return cols["name"] && cols["section"] && (cols["type"] || cols["querytype"]) &&
		(cols["ttl"] || cols["datalength"] || cols["characterset"])
}
