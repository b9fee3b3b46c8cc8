package dns

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
)

// decoded returns a fixture as the caller hands it over: decoded to UTF-8
// by internal/textenc.
func decoded(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	r, _, err := textenc.NewReader(f)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

// got is what a test compares of an event.
type got struct {
	Line, EndLine int
	Fields        map[string]string
}

func parse(t *testing.T, path string, in []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), path, bytes.NewReader(in), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

func gots(evs []event.Event) []got {
	var out []got
	for _, ev := range evs {
		out = append(out, got{ev.Line, ev.EndLine, ev.Fields})
	}
	return out
}

// f builds a field map from pairs, "dns." prefixed.
func f(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m["dns."+kv[i]] = kv[i+1]
	}
	return m
}

func srv(target, port, prio, weight string) []string {
	return []string{"srv.target", target, "srv.port", port, "srv.priority", prio, "srv.weight", weight}
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var (
	ns = []string{"tool", ToolNslookup}
	rd = []string{"tool", ToolResolve}
)

func TestParseFixtures(t *testing.T) {
	sipSRV := srv("sipdir.online.lync.com", "443", "100", "1")
	tests := []struct {
		file     string
		want     []got
		problems []event.Problem
	}{
		{"nslookup_srv.txt", []got{{1, 12, f(join(ns, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok",
			"server", "192.168.1.1", "authoritative", "false", "addresses", "52.112.196.46"})...)}}, nil},
		{"nslookup_srv_utf16le.txt", []got{{1, 12, f(join(ns, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok",
			"server", "192.168.1.1", "authoritative", "false", "addresses", "52.112.196.46"})...)}}, nil},
		{"nslookup_aliases.txt", []got{{1, 9, f(join(ns, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "server", "10.0.0.10",
			"authoritative", "false", "cname", "sipdir.online.lync.com", "addresses", "2603:1027::e,52.112.196.46,52.112.196.45"})...)}}, nil},
		{"nslookup_cname.txt", []got{{1, 6, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "type", "CNAME", "status", "ok",
			"server", "10.0.0.10", "authoritative", "false", "cname", "webdir.online.lync.com"})...)}}, nil},
		{"nslookup_nxdomain.txt", []got{{1, 3, f(join(ns, []string{"query", "sip.contoso.com", "status", "nxdomain", "server", "192.168.1.1"})...)}}, nil},
		{"nslookup_timeout.txt", []got{{1, 9, f(join(ns, []string{"query", "sip.contoso.com", "status", "timeout", "server", "10.0.0.53"})...)}}, nil},
		{"nslookup_server_ptr_timeout.txt", []got{{1, 8, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok",
			"server", "10.1.1.1", "authoritative", "false", "addresses", "52.112.196.20"})...)}}, nil},
		{"nslookup_stdout_only.txt", []got{{1, 3, f(join(ns, []string{"query", "sip.fabrikam.com", "status", "error", "server", "10.0.0.10"})...)}}, nil},
		{"nslookup_many.txt", []got{
			{1, 10, f(join(ns, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok", "server", "10.0.0.10", "authoritative", "false"})...)},
			{12, 23, f(join(ns, []string{"query", "_sipfederationtls._tcp.contoso.com", "type", "SRV", "status", "noanswer", "server", "10.0.0.10"})...)},
			{25, 33, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok", "server", "10.0.0.10", "authoritative", "false",
				"cname", "webdir.online.lync.com", "addresses", "52.113.64.141"})...)},
			{35, 38, f(join(ns, []string{"query", "sipinternal.contoso.com", "type", "A", "status", "noanswer", "server", "10.0.0.10"})...)},
			{40, 44, f(join(ns, []string{"query", "_sipinternaltls._tcp.contoso.com", "type", "SRV", "status", "servfail", "server", "10.0.0.10"})...)},
			{51, 55, f(join(ns, []string{"query", "_sip._tls.fabrikam.com", "type", "SRV", "status", "nxdomain", "server", "10.0.0.10"})...)},
			{57, 62, f(join(ns, []string{"query", "sip.fabrikam.com", "type", "CNAME", "status", "ok", "server", "10.0.0.10", "authoritative", "false",
				"cname", "sipdir.online.lync.com"})...)},
		}, nil},
		{"nslookup_appended.txt", []got{
			{1, 7, f(join(ns, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "server", "192.168.1.1", "authoritative", "false",
				"cname", "sipdir.online.lync.com", "addresses", "52.112.196.46"})...)},
			{9, 11, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "status", "nxdomain", "server", "192.168.1.1"})...)},
			{13, 21, f(join(ns, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok", "server", "192.168.1.1", "authoritative", "false"})...)},
		}, nil},
		{"nslookup_ja.txt", []got{
			{1, 5, f(join(ns, []string{"query", "sip.contoso.com", "type", "CNAME", "status", "nxdomain", "server", "192.168.11.254"})...)},
			{7, 16, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok", "server", "10.0.0.2", "authoritative", "false",
				"cname", "webdir.online.lync.com", "addresses", "52.112.196.46,52.112.196.45"})...)},
			{23, 32, f(join(ns, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok", "server", "10.0.0.2", "authoritative", "false"})...)},
		}, nil},
		{"resolve_errors_localized.txt", []got{
			{1, 7, f(join(rd, []string{"query", "sip.contoso.com", "status", "nxdomain"})...)},
			{9, 15, f(join(rd, []string{"query", "lyncdiscover.contoso.com", "status", "nxdomain"})...)},
		}, nil},
		{"nslookup_malformed.txt", []got{
			{20, 25, f(join(ns, []string{"query", "webdir.online.lync.com", "type", "A", "status", "ok", "server", "10.0.0.10", "addresses", "52.113.64.141"})...)},
		}, []event.Problem{
			{Line: 8, Msg: `nslookup: SRV port "four-four-three" is not a number from 0 to 65535`},
			{Line: 17, Msg: `nslookup: "52.112.999.45" is not an IP address`},
		}},
		{"resolve_cname_table.txt", []got{
			{1, 18, f(join(rd, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "cname", "sipdir.online.lync.com",
				"addresses", "52.112.196.46,52.112.196.45"})...)},
			{21, 46, f(join(rd, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok", "cname", "webdir.online.lync.com",
				"addresses", "52.113.64.141"})...)},
		}, nil},
		{"resolve_cname_table_utf16le.txt", []got{
			{1, 18, f(join(rd, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "cname", "sipdir.online.lync.com",
				"addresses", "52.112.196.46,52.112.196.45"})...)},
			{21, 46, f(join(rd, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok", "cname", "webdir.online.lync.com",
				"addresses", "52.113.64.141"})...)},
		}, nil},
		{"resolve_srv_table.txt", []got{
			{1, 11, f(join(rd, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok", "addresses", "52.112.196.46"})...)},
			{14, 18, f(join(rd, []string{"query", "_sipfederationtls._tcp.contoso.com", "type", "SRV", "status", "noanswer"})...)},
		}, nil},
		{"resolve_a_table.txt", []got{{1, 6, f(join(rd, []string{"query", "sipexternal.contoso-international-holdings.com", "type", "A", "status", "ok",
			"addresses", "2603:1027:1:e::7,131.253.33.200"})...)}}, nil},
		{"resolve_errors.txt", []got{
			{1, 7, f(join(rd, []string{"query", "sip.contoso.com", "status", "nxdomain"})...)},
			{9, 15, f(join(rd, []string{"query", "lyncdiscover.contoso.com", "status", "timeout", "server", "10.0.0.53"})...)},
			{17, 18, f(join(rd, []string{"query", "_sip._tls.fabrikam.com", "type", "SRV", "status", "servfail"})...)},
		}, nil},
		{"resolve_format_list.txt", []got{{1, 13, f(join(rd, []string{"query", "sip.contoso.com", "type", "A", "status", "ok",
			"cname", "sipdir.online.lync.com", "addresses", "52.112.196.46"})...)}}, nil},
		{"resolve_a.csv", []got{{3, 4, f(join(rd, []string{"query", "sipdir.online.lync.com", "type", "A", "status", "ok",
			"addresses", "52.112.196.46,52.112.196.45"})...)}}, nil},
		{"resolve_cname.csv", []got{{2, 3, f(join(rd, []string{"query", "sip.contoso.com", "type", "CNAME", "status", "ok",
			"cname", "sipdir.online.lync.com"})...)}}, nil},
		{"resolve_srv.json", []got{{2, 25, f(join(rd, sipSRV, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "ok",
			"addresses", "52.112.196.46"})...)}}, nil},
		{"resolve_cname.json", []got{{2, 22, f(join(rd, []string{"query", "sip.contoso.com", "type", "A", "status", "ok",
			"cname", "sipdir.online.lync.com", "addresses", "52.112.196.46"})...)}}, nil},
		{"resolve_single.json", []got{{1, 12, f(join(rd, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok",
			"addresses", "52.113.64.141"})...)}}, nil},
		{"resolve_broken.json", nil, []event.Problem{{Line: 15, Msg: "ConvertTo-Json: unexpected EOF"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := decoded(t, tt.file)
			require.True(t, Detect(in), "Detect")
			evs, problems := parse(t, "bundle.zip!/"+tt.file, in)
			assert.Equal(t, tt.want, gots(evs))
			assert.Equal(t, tt.problems, problems)
			lines := strings.Split(strings.ReplaceAll(string(in), "\r\n", "\n"), "\n")
			for _, ev := range evs {
				assert.Equal(t, event.SourceDNS, ev.Source)
				assert.Equal(t, event.KindDNS, ev.Kind)
				assert.Equal(t, "bundle.zip!/"+tt.file, ev.Path)
				assert.True(t, ev.Time.IsZero())
				last := max(ev.Line, ev.EndLine)
				var want []string
				for _, l := range lines[ev.Line-1 : last] {
					want = append(want, strings.TrimRight(l, " \t"))
				}
				assert.Equal(t, strings.Join(want, "\n"), ev.Text, "Text is the block as written")
			}
		})
	}
}

// TestParseLineEndings checks that CRLF, LF and UTF-16LE inputs give the
// same events.
func TestParseLineEndings(t *testing.T) {
	for _, name := range []string{"nslookup_many.txt", "resolve_cname_table.txt", "resolve_errors.txt", "resolve_srv.json"} {
		t.Run(name, func(t *testing.T) {
			crlf := decoded(t, name)
			require.Contains(t, string(crlf), "\r\n")
			lf := bytes.ReplaceAll(crlf, []byte("\r\n"), []byte("\n"))
			a, _ := parse(t, "x", crlf)
			b, _ := parse(t, "x", lf)
			require.NotEmpty(t, a)
			assert.Equal(t, a, b)
		})
	}
	a, _ := parse(t, "x", decoded(t, "nslookup_srv.txt"))
	b, _ := parse(t, "x", decoded(t, "nslookup_srv_utf16le.txt"))
	assert.Equal(t, a, b)
}

func TestParseText(t *testing.T) {
	evs, _ := parse(t, "x", decoded(t, "nslookup_srv.txt"))
	require.Len(t, evs, 1)
	assert.Equal(t, "C:\\Users\\bob>nslookup -type=srv _sip._tls.contoso.com\nServer:  UnKnown\nAddress:  192.168.1.1\n\n"+
		"Non-authoritative answer:\n_sip._tls.contoso.com\tSRV service location:\n\t  priority       = 100\n\t  weight         = 1\n"+
		"\t  port           = 443\n\t  svr hostname   = sipdir.online.lync.com\n\nsipdir.online.lync.com\tinternet address = 52.112.196.46", evs[0].Text)
}

// TestParseCases covers forms and edge cases too small for a fixture.
func TestParseCases(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []got
		problems []event.Problem
	}{
		{"empty", "", nil, nil},
		{"blank lines", "\r\n\n  \n", nil, nil},
		{"header only, no prompt: nothing to say", "Server:  dc01\nAddress:  10.0.0.10\n\n", nil, nil},
		{"several SRV records joined in order", "Server:  dc01\nAddress:  10.0.0.10\n\n" +
			"_sip._tls.contoso.com\tSRV service location:\n\t  priority       = 10\n\t  weight         = 1\n\t  port           = 443\n\t  svr hostname   = a.contoso.com\n" +
			"_sip._tls.contoso.com\tSRV service location:\n\t  priority       = 20\n\t  weight         = 5\n\t  port           = 5061\n\t  svr hostname   = b.contoso.com\n",
			[]got{{1, 13, f(join(ns, srv("a.contoso.com,b.contoso.com", "443,5061", "10,20", "1,5"), []string{"query", "_sip._tls.contoso.com", "type", "SRV",
				"status", "ok", "server", "10.0.0.10"})...)}}, nil},
		{"SRV record cut short", "Server:  dc01\nAddress:  10.0.0.10\n\n_sip._tls.contoso.com\tSRV service location:\n\t  priority       = 10\n",
			nil, []event.Problem{{Line: 4, Msg: "nslookup: SRV record without its priority, weight, port and svr hostname"}}},
		{"Name: without an address", "Server:  dc01\nAddress:  10.0.0.10\n\nName:    sip.contoso.com\n",
			nil, []event.Problem{{Line: 4, Msg: "nslookup: Name: without an address"}}},
		{"Aliases: before Name:", "Server:  dc01\nAddress:  10.0.0.10\n\nAliases:  sip.contoso.com\n",
			nil, []event.Problem{{Line: 4, Msg: "nslookup: Aliases: before any Name:"}}},
		{"query refused", "C:\\>nslookup sip.contoso.com\nServer:  dc01\nAddress:  10.0.0.10\n\n*** dc01 can't find sip.contoso.com: Query refused\n",
			[]got{{1, 5, f(join(ns, []string{"query", "sip.contoso.com", "status", "refused", "server", "10.0.0.10"})...)}}, nil},
		{"no response from server", "*** dc01 can't find sip.contoso.com: No response from server\n",
			[]got{{1, 0, f(join(ns, []string{"query", "sip.contoso.com", "status", "timeout"})...)}}, nil},
		{"CNAME then SOA: the target has no SRV", "C:\\>nslookup -type=srv _sip._tls.contoso.com\nServer:  dc01\nAddress:  10.0.0.10\n\n" +
			"_sip._tls.contoso.com\tcanonical name = sip.fabrikam.com\nfabrikam.com\n\tprimary name server = ns1.fabrikam.com\n",
			[]got{{1, 7, f(join(ns, []string{"query", "_sip._tls.contoso.com", "type", "SRV", "status", "noanswer", "server", "10.0.0.10",
				"cname", "sip.fabrikam.com"})...)}}, nil},
		{"SOA asked for is an answer", "C:\\>nslookup -type=SOA contoso.com\nServer: ns1-04.azure-dns.com\nAddress: 208.76.47.4\n\ncontoso.com\nprimary name server = ns1-04.azure-dns.com\nserial = 1\n",
			[]got{{1, 7, f(join(ns, []string{"query", "contoso.com", "type", "SOA", "status", "ok", "server", "208.76.47.4"})...)}}, nil},
		{"PowerShell prompt, explicit server, CNAME chain in Aliases", "PS C:\\> nslookup lyncdiscover.contoso.com 8.8.8.8\nServer:  dns.google\nAddress:  8.8.8.8\n\n" +
			"Name:    webdir0e.online.lync.com\nAddress:  52.113.64.141\nAliases:  lyncdiscover.contoso.com\n          webdir.online.lync.com\n",
			[]got{{1, 8, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "type", "A", "status", "ok", "server", "8.8.8.8",
				"cname", "webdir.online.lync.com", "addresses", "52.113.64.141"})...)}}, nil},
		{"input piped from a file: output follows the prompt", "Default Server:  dc01\nAddress:  10.0.0.10\n\n> Server:  dc01\nAddress:  10.0.0.10\n\n" +
			"Name:    sip.contoso.com\nAddress:  10.1.1.1\n\n> *** dc01 can't find lyncdiscover.contoso.com: Non-existent domain\n> > ",
			[]got{
				{4, 8, f(join(ns, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "server", "10.0.0.10", "addresses", "10.1.1.1"})...)},
				{10, 0, f(join(ns, []string{"query", "lyncdiscover.contoso.com", "status", "nxdomain"})...)},
			}, nil},
		{"IPv6 only", "Server:  dc01\nAddress:  10.0.0.10\n\nName:    sip.contoso.com\nAddress:  2603:1027::e\n",
			[]got{{1, 5, f(join(ns, []string{"query", "sip.contoso.com", "type", "AAAA", "status", "ok", "server", "10.0.0.10", "addresses", "2603:1027::e"})...)}}, nil},
		{"other command output ends a look-up", "C:\\>nslookup sip.contoso.com\nServer:  dc01\nAddress:  10.0.0.10\n\nName:    sip.contoso.com\nAddress:  10.1.1.1\n" +
			"Pinging sip.contoso.com [10.1.1.1] with 32 bytes of data:\n",
			[]got{{1, 6, f(join(ns, []string{"query", "sip.contoso.com", "type", "A", "status", "ok", "server", "10.0.0.10", "addresses", "10.1.1.1"})...)}}, nil},
		{"table name cut and not completable", "Name                     Type   TTL   Section    IPAddress\n----                     ----   ---   -------    ---------\n" +
			"sipexternal.contoso.co... A      300   Answer     131.253.33.200\n",
			nil, []event.Problem{{Line: 1, Msg: `Resolve-DnsName: name "sipexternal.contoso.co..." was cut by the table width and cannot be completed`}}},
		{"table row with a bad address", "Name                     Type   TTL   Section    IPAddress\n----                     ----   ---   -------    ---------\n" +
			"sip.contoso.com          A      300   Answer     131.253.33\n",
			nil, []event.Problem{{Line: 1, Msg: `Resolve-DnsName: A record of sip.contoso.com: "131.253.33" is not an IP address`}}},
		{"error record without FullyQualifiedErrorId", "Resolve-DnsName : sip.contoso.com : DNS operation refused\n",
			[]got{{1, 0, f(join(rd, []string{"query", "sip.contoso.com", "status", "refused"})...)}}, nil},
		{"unknown error text", "Resolve-DnsName : sip.contoso.com : Something else happened\n",
			[]got{{1, 0, f(join(rd, []string{"query", "sip.contoso.com", "status", "error"})...)}}, nil},
		{"json of something else", `[{"Name": "x", "Section": "y"}]`, nil,
			[]event.Problem{{Line: 1, Msg: "ConvertTo-Json: object without the Name, Type and Section of a DNS record"}}},
		{"json not objects", `[1, 2]`, nil, []event.Problem{{Line: 1, Msg: "ConvertTo-Json: json: cannot unmarshal number into Go value of type map[string]interface {}"}}},
		{"two appended json documents", `{"Name":"a.contoso.com","Type":1,"Section":1,"IPAddress":"10.0.0.1","CharacterSet":1}` + "\n" +
			`{"Name":"b.contoso.com","Type":1,"Section":1,"IPAddress":"10.0.0.2","CharacterSet":1}` + "\n",
			[]got{
				{1, 0, f(join(rd, []string{"query", "a.contoso.com", "type", "A", "status", "ok", "addresses", "10.0.0.1"})...)},
				{2, 0, f(join(rd, []string{"query", "b.contoso.com", "type", "A", "status", "ok", "addresses", "10.0.0.2"})...)},
			}, nil},
		{"csv header only", "#TYPE Microsoft.DnsClient.Commands.DnsRecord_A\n\"IP4Address\",\"Name\",\"Type\",\"Section\",\"TTL\"\n", nil, nil},
		{"csv broken row drops the look-up it is in", "\"Name\",\"Type\",\"Section\",\"TTL\",\"IPAddress\"\n" +
			"\"a.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.0.1\"\n\"b.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.0.2\"\n\"b.contoso.com\",\"A\",\"Answer\",\"60\",\"10.0.\"0.3\"\n",
			[]got{{2, 0, f(join(rd, []string{"query", "a.contoso.com", "type", "A", "status", "ok", "addresses", "10.0.0.1"})...)}},
			[]event.Problem{{Line: 4, Msg: "Export-Csv: extraneous or missing \" in quoted-field"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems := parse(t, "x", []byte(tt.in))
			assert.Equal(t, tt.want, gots(evs))
			assert.Equal(t, tt.problems, problems)
		})
	}
}

func TestDetect(t *testing.T) {
	for _, name := range []string{
		"nslookup_srv.txt", "nslookup_srv_utf16le.txt", "nslookup_aliases.txt", "nslookup_cname.txt", "nslookup_nxdomain.txt",
		"nslookup_timeout.txt", "nslookup_server_ptr_timeout.txt", "nslookup_stdout_only.txt", "nslookup_many.txt", "nslookup_appended.txt", "nslookup_ja.txt",
		"resolve_cname_table.txt", "resolve_cname_table_utf16le.txt", "resolve_srv_table.txt", "resolve_a_table.txt", "resolve_errors.txt",
		"resolve_format_list.txt", "resolve_a.csv", "resolve_cname.csv", "resolve_srv.json", "resolve_cname.json", "resolve_single.json",
		"resolve_errors_localized.txt",
	} {
		t.Run(name, func(t *testing.T) {
			in := decoded(t, name)
			assert.True(t, Detect(in))
			lf := bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n"))
			assert.True(t, Detect(lf), "with LF line ends")
		})
	}
	for _, name := range []string{"near_note_address.txt", "near_other.csv", "near_other.json", "near_garbage_dns.txt"} {
		t.Run(name, func(t *testing.T) {
			assert.False(t, Detect(decoded(t, name)))
		})
	}
	for _, tt := range []struct {
		name string
		in   string
		want bool
	}{
		{"empty", "", false},
		{"header alone", "Server:  dc01.contoso.com\nAddress:  10.0.0.10\n", false},
		{"header and prompt", "C:\\>nslookup sip.contoso.com\nServer:  dc01.contoso.com\nAddress:  10.0.0.10\n", true},
		{"header and answer with extra spacing", "Server:\t\tdc01\nAddress:\t 10.0.0.10\n\nName:\t sip.contoso.com\nAddress:\t10.1.1.1\n", true},
		{"answer without header", "Name:    sip.contoso.com\nAddress:  10.1.1.1\n", false},
		{"prose mentioning nslookup", "I ran nslookup and it said Non-authoritative answer: yes\n", false},
		{"one failure line", "*** UnKnown can't find sip.contoso.com: Non-existent domain\n", true},
		{"failure with another reason is not enough", "*** UnKnown can't find my keys: Lost\n", false},
		{"Japanese failure line", "*** UnKnown が sip.contoso.com を見つけられません: Non-existent domain\n", true},
		{"Japanese header and answer", "サーバー:  UnKnown\nAddress:  192.168.11.1\n\n権限のない回答:\n名前:    sip.contoso.com\nAddress:  52.112.196.46\n", true},
		{"Japanese header alone", "サーバー:  UnKnown\nAddress:  192.168.11.1\n", false},
		{"Japanese prose about a missing name", "サーバーが sip.contoso.com を見つけられません: 名前が違うようです\n", false},
		{"Format-List of a record", "Name      : sip.contoso.com\nType      : CNAME\nTTL       : 3600\nSection   : Answer\nNameHost  : sipdir.online.lync.com\n", true},
		{"Format-List of something else", "Name      : chrome\nType      : Process\nTTL       : 3\nSection   : Main\n", false},
		{"table of something else", "Name   Type   Size\n----   ----   ----\na.txt  File   12\n", false},
		{"csv of another #TYPE", "#TYPE System.IO.FileInfo\n\"Name\",\"Type\",\"Section\",\"TTL\"\n", false},
		{"json of another object", `{"Name": "x", "Section": "y", "Type": 1}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect([]byte(tt.in)))
		})
	}
}

func TestParseErrors(t *testing.T) {
	in := decoded(t, "nslookup_many.txt")
	t.Run("emit error stops the parse", func(t *testing.T) {
		boom := errors.New("sink full")
		calls := 0
		_, err := Parse(context.Background(), "x", bytes.NewReader(in), func(event.Event) error { calls++; return boom })
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, 1, calls)
	})
	t.Run("emit error from data forms", func(t *testing.T) {
		boom := errors.New("sink full")
		for _, name := range []string{"resolve_srv.json", "resolve_a.csv"} {
			_, err := Parse(context.Background(), "x", bytes.NewReader(decoded(t, name)), func(event.Event) error { return boom })
			assert.ErrorIs(t, err, boom, name)
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("disk on fire")
		_, err := Parse(context.Background(), "x", io.MultiReader(bytes.NewReader(in), iotest.ErrReader(boom)), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, boom)
		_, err = Parse(context.Background(), "x", io.MultiReader(strings.NewReader("[{"), iotest.ErrReader(boom)), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, boom)
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Parse(ctx, "x", strings.NewReader(strings.Repeat("Server:  dc01\nAddress:  10.0.0.10\n", ctxEvery)), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
		_, err = Parse(ctx, "x", bytes.NewReader(decoded(t, "resolve_srv.json")), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
}
