package netcfg

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/sfblog/sfblog/event"
)

// ipPatterns are the lines of "ipconfig /all": a heading, then "Key . . . .
// : value" lines (dot leaders of any length, keys indented) whose lists go
// on in lines indented to the value column. Japanese Windows writes the
// heading "Windows IP 構成", adapters "イーサネット アダプター X:" (and
// "Wireless LAN adapter X:", "Tunnel adapter X:" in English) and the keys in
// Japanese (jaKeys).
type ipPatterns struct {
	head, adapter, cont, key *regexp.Regexp
	// The same lines in the start of a file, for DetectIPConfig.
	detHead, detKey *regexp.Regexp
}

// ipRx returns the ipPatterns, compiled on first use.
var ipRx = sync.OnceValue(func() *ipPatterns {
	return &ipPatterns{
		head:    regexp.MustCompile(`^\s*Windows IP (?:Configuration|構成)$`),
		adapter: regexp.MustCompile(`^\s*(\S[^:]*(?:\badapter\b|アダプター)[^:]*?)\s*:$`),
		cont:    regexp.MustCompile(`^\s+(\S+)$`),
		key:     regexp.MustCompile(`^\s+([^.:\s][^.:]*?)[ .]*:(?:\s(.*))?$`),

		detHead: regexp.MustCompile(`(?m)^\s*Windows IP (?:Configuration|構成)\s*$`),
		detKey:  regexp.MustCompile(`(?m)^\s+[A-Za-z\p{Han}\p{Katakana}\p{Hiragana}][^.:\r\n]*?(?: ?\.){2,} ?:`),
	}
})

// Keys whose values ParseIPConfig reads.
const (
	dnsKey      = "DNS Servers"
	hostKey     = "Host Name"
	primaryKey  = "Primary Dns Suffix"
	suffixesKey = "DNS Suffix Search List"
)

// jaKeys are the keys ParseIPConfig reads as Japanese Windows writes them,
// by their English names: those seen in "ipconfig /all" and "ipconfig"
// outputs quoted in Japanese posts (testdata/README.md). A key not seen
// there (the temporary IPv6 address) is not guessed.
var jaKeys = map[string]string{
	"ホスト名":              hostKey,
	"プライマリ DNS サフィックス":  primaryKey,
	"DNS サフィックス検索一覧":    suffixesKey,
	"DNS サーバー":          dnsKey,
	"IPv4 アドレス":         "IPv4 Address",
	"リンクローカル IPv6 アドレス": "Link-local IPv6 Address",
	"自動構成 IPv4 アドレス":    "Autoconfiguration IPv4 Address",
}

// isAddressKey reports whether key names one of an adapter's addresses.
func isAddressKey(key string) bool {
	switch key {
	case "IPv4 Address", "IP Address", "IPv6 Address", "Temporary IPv6 Address",
		"Link-local IPv6 Address", "Autoconfiguration IPv4 Address", "Autoconfiguration IP Address":
		return true
	}
	return false
}

// DetectIPConfig reports whether head, the decoded start of a file (up to
// 8 KiB), is the output of ipconfig: the "Windows IP Configuration" line
// and a "Key . . . . : value" line with dot leaders.
func DetectIPConfig(head []byte) bool {
	re := ipRx()
	return re.detHead.Match(head) && re.detKey.Match(head)
}

// ParseIPConfig reads "ipconfig /all" (or plain "ipconfig") output and
// emits KindNetCfg events (Source "network"): one for the computer section
// under "Windows IP Configuration" when it shows a host name or DNS
// suffixes, and one per adapter section ("Ethernet adapter Ethernet:",
// "Wireless LAN adapter Wi-Fi:", ...) that has an address or a DNS server:
//
//	net.host            Host Name
//	net.primary_suffix  Primary Dns Suffix, when not empty
//	net.suffixes        DNS Suffix Search List, joined by ","
//	net.adapter         the adapter's heading without its colon
//	net.addresses       IPv4, IPv6, temporary, link-local and autoconfiguration
//	                    addresses joined by ",", without "(Preferred)" and zone
//	net.dns_servers     DNS Servers joined by ",", without zone
//
// Adapters with neither addresses nor DNS servers (media disconnected,
// idle tunnels) are skipped: they hold nothing a rule can use. A value that
// should be an address and is not one is a problem, and its section emits
// nothing.
func ParseIPConfig(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &ipParser{path: path, emit: emit}
	err := readLines(ctx, "ipconfig", path, r, p, p.problem)
	return p.problems, err
}

// ipSection is one section being read.
type ipSection struct {
	block
	adapter  string // "" for the computer section
	host     string
	primary  string
	suffixes []string
	addrs    []string
	dns      []string
	key      string // the key continuation lines add to
	prevLen  int    // the length of the line before
}

type ipParser struct {
	path     string
	emit     event.Sink
	problems []event.Problem
	err      error
	sec      *ipSection
}

func (p *ipParser) problem(n int, msg string) {
	p.problems = append(p.problems, event.Problem{Line: n, Msg: msg})
}

func (p *ipParser) failed() error { return p.err }

func (p *ipParser) line(n int, s string) {
	re := ipRx()
	if re.head.MatchString(s) {
		p.flush()
		p.sec = &ipSection{}
		p.sec.add(n, s)
		return
	}
	if m := re.adapter.FindStringSubmatch(s); m != nil && !strings.Contains(s, ". ") {
		p.flush()
		p.sec = &ipSection{adapter: m[1]}
		p.sec.add(n, s)
		return
	}
	sec := p.sec
	if sec == nil {
		return
	}
	if len(sec.lines) > maxBlock {
		p.flush()
		return
	}
	prev := sec.prevLen
	sec.prevLen = len(s)
	if s == "" {
		sec.add(n, s)
		return
	}
	if m := re.cont.FindStringSubmatch(s); m != nil && sec.key != "" && indent(s) >= contIndent {
		sec.add(n, s)
		p.value(n, sec.key, m[1])
		return
	}
	if m := re.key.FindStringSubmatch(s); m != nil {
		sec.add(n, s)
		sec.key = m[1]
		if v := strings.TrimSpace(m[2]); v != "" {
			p.value(n, m[1], v)
		}
		return
	}
	if prev >= consoleWidth-1 && !unicode.IsSpace(rune(s[0])) {
		// The rest of a value the console wrapped at its width
		// ("Description . . . : Generic Marvell Yukon 88E8055 PCI-E Gigab" /
		// "it Ethernet Controller"): part of the line before, not read.
		sec.add(n, s)
		return
	}
	p.flush() // another command's output
}

// contIndent is the least indentation of a continuation line; a key line
// is indented by 3 (8 in Windows XP), values start at column 39.
const contIndent = 20

// consoleWidth is the console width at which long values wrap: 80 columns
// in the classic console.
const consoleWidth = 80

// indent returns the width of the leading white space of s, a tab
// counting to the next multiple of 8.
func indent(s string) int {
	w := 0
	for _, c := range s {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 8 - w%8
		default:
			return w
		}
	}
	return w
}

// value reads one value of a key, from its line or a continuation line.
func (p *ipParser) value(n int, key, v string) {
	if en, ok := jaKeys[key]; ok {
		key = en
	}
	sec := p.sec
	bad := func(what string) {
		p.problem(n, fmt.Sprintf("ipconfig: %s %q is not %s", key, v, what))
		sec.bad = true
	}
	switch {
	case sec.adapter == "" && key == hostKey:
		sec.host = v
	case sec.adapter == "" && key == primaryKey:
		sec.primary = v
	case sec.adapter == "" && key == suffixesKey:
		if !isSuffix(v) {
			bad("a DNS suffix")
			return
		}
		sec.suffixes = append(sec.suffixes, v)
	case sec.adapter != "" && isAddressKey(key):
		a, ok := address(v)
		if !ok {
			bad("an IP address")
			return
		}
		sec.addrs = append(sec.addrs, a)
	case sec.adapter != "" && key == dnsKey:
		a, ok := address(v)
		if !ok {
			bad("an IP address")
			return
		}
		sec.dns = append(sec.dns, a)
	}
}

// address reads "10.0.0.5(Preferred)", "fe80::1%12(Preferred)" or
// "10.0.1.10<Preferred>" as an address without its state and zone.
func address(v string) (string, bool) {
	if i := strings.IndexAny(v, "(<"); i > 0 {
		v = v[:i]
	}
	a, err := netip.ParseAddr(strings.TrimSpace(v))
	if err != nil {
		return "", false
	}
	return a.WithZone("").String(), true
}

// isSuffix reports whether v can be a DNS suffix.
func isSuffix(v string) bool {
	for _, label := range strings.Split(strings.TrimSuffix(v, "."), ".") {
		if label == "" {
			return false
		}
		for _, c := range label {
			if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// flush emits the section being read.
func (p *ipParser) flush() {
	sec := p.sec
	p.sec = nil
	if sec == nil || sec.bad || p.err != nil {
		return
	}
	ev := sec.event(event.KindNetCfg, p.path)
	if sec.adapter == "" {
		if sec.host == "" && sec.primary == "" && len(sec.suffixes) == 0 {
			return
		}
		set(&ev, "net.host", sec.host)
		set(&ev, "net.primary_suffix", sec.primary)
		set(&ev, "net.suffixes", strings.Join(sec.suffixes, ","))
	} else {
		if len(sec.addrs) == 0 && len(sec.dns) == 0 {
			return
		}
		ev.Set("net.adapter", sec.adapter)
		set(&ev, "net.addresses", strings.Join(sec.addrs, ","))
		set(&ev, "net.dns_servers", strings.Join(sec.dns, ","))
	}
	if err := p.emit(ev); err != nil {
		p.err = fmt.Errorf("ipconfig: %s: emit: %w", p.path, err)
	}
}

// set sets a field when its value is not empty.
func set(ev *event.Event, k, v string) {
	if v != "" {
		ev.Set(k, v)
	}
}
