package netcfg

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

// decoded returns a fixture decoded to UTF-8 by internal/textenc, as the
// caller hands it over.
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

type got struct {
	Line, EndLine int
	Fields        map[string]string
}

type parseFunc func(context.Context, string, io.Reader, event.Sink) ([]event.Problem, error)

func run(t *testing.T, parse parseFunc, in []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := parse(context.Background(), "bundle.zip!/net.txt", bytes.NewReader(in), func(ev event.Event) error {
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

func kv(pairs ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

// checkEvents checks what every event of a fixture shares.
func checkEvents(t *testing.T, in []byte, kind string, evs []event.Event) {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(string(in), "\r\n", "\n"), "\n")
	for _, ev := range evs {
		assert.Equal(t, event.SourceNetwork, ev.Source)
		assert.Equal(t, kind, ev.Kind)
		assert.Equal(t, "bundle.zip!/net.txt", ev.Path)
		var want []string
		for _, l := range lines[ev.Line-1 : max(ev.Line, ev.EndLine)] {
			want = append(want, strings.TrimRight(l, " \t"))
		}
		assert.Equal(t, strings.Join(want, "\n"), ev.Text, "Text is the block as written")
	}
}

func TestParseProxy(t *testing.T) {
	direct := kv("proxy.scope", "winhttp", "proxy.direct", "true")
	tests := []struct {
		file     string
		want     []got
		problems []event.Problem
	}{
		{"proxy_direct.txt", []got{{3, 5, direct}}, nil},
		{"proxy_server.txt", []got{{1, 4, kv("proxy.scope", "winhttp", "proxy.direct", "false",
			"proxy.server", "proxy.contoso.com:8080", "proxy.bypass", "<local>;*.contoso.com")}}, nil},
		{"proxy_server_utf16le.txt", []got{{1, 4, kv("proxy.scope", "winhttp", "proxy.direct", "false",
			"proxy.server", "proxy.contoso.com:8080", "proxy.bypass", "<local>;*.contoso.com")}}, nil},
		{"proxy_many.txt", []got{
			{3, 6, kv("proxy.scope", "winhttp", "proxy.direct", "false", "proxy.server", "proxy.contoso.com:8080")},
			{10, 12, direct},
			{16, 19, kv("proxy.scope", "winhttp", "proxy.direct", "false",
				"proxy.server", "http=proxy.contoso.com:80;https=proxy.contoso.com:443", "proxy.bypass", "<local>")},
		}, nil},
		{"proxy_ja_sjis.txt", []got{
			{3, 6, kv("proxy.scope", "winhttp", "proxy.direct", "false", "proxy.server", "proxy.contoso.com:8080", "proxy.bypass", "<local>;*.contoso.com")},
			{11, 13, direct},
			{18, 21, kv("proxy.scope", "winhttp", "proxy.direct", "false", "proxy.server", "proxy.contoso.com:8080")},
		}, nil},
		{"proxy_malformed.txt", nil, []event.Problem{
			{Line: 1, Msg: "netsh winhttp: no proxy setting after the heading"},
			{Line: 5, Msg: "netsh winhttp: empty Proxy Server(s) value"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := decoded(t, tt.file)
			if tt.want != nil {
				assert.True(t, DetectProxy(in))
			}
			evs, problems := run(t, ParseProxy, in)
			assert.Equal(t, tt.want, gots(evs))
			assert.Equal(t, tt.problems, problems)
			checkEvents(t, in, event.KindProxy, evs)
			lf, _ := run(t, ParseProxy, bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n")))
			assert.Equal(t, evs, lf, "LF gives the same events as CRLF")
		})
	}
	t.Run("both direct and a server", func(t *testing.T) {
		evs, problems := run(t, ParseProxy, []byte("Current WinHTTP proxy settings:\n    Direct access (no proxy server).\n    Proxy Server(s) :  p:80\n"))
		assert.Empty(t, evs)
		assert.Equal(t, []event.Problem{{Line: 1, Msg: "netsh winhttp: both direct access and a proxy server"}}, problems)
	})
	t.Run("empty", func(t *testing.T) {
		evs, problems := run(t, ParseProxy, nil)
		assert.Empty(t, evs)
		assert.Empty(t, problems)
	})
}

func TestParseIPConfig(t *testing.T) {
	pc01 := kv("net.host", "PC01", "net.primary_suffix", "corp.contoso.com", "net.suffixes", "corp.contoso.com,contoso.com")
	eth := kv("net.adapter", "Ethernet adapter Ethernet", "net.addresses", "2001:db8:10::5,fe80::f92a:1d8f:7338:34b4,10.0.0.5",
		"net.dns_servers", "10.0.0.10,10.0.0.11")
	vpn := kv("net.adapter", "PPP adapter Contoso VPN", "net.addresses", "172.16.5.20", "net.dns_servers", "172.16.0.53")
	tests := []struct {
		file     string
		want     []got
		problems []event.Problem
	}{
		{"ipconfig_all.txt", []got{{1, 9, pc01}, {11, 31, eth}, {51, 62, vpn}}, nil},
		{"ipconfig_all_utf16le.txt", []got{{1, 9, pc01}, {11, 31, eth}, {51, 62, vpn}}, nil},
		{"ipconfig_xp_wrapped.txt", []got{
			{3, 10, kv("net.host", "OLDPC", "net.suffixes", "contoso.com")},
			{12, 27, kv("net.adapter", "Ethernet adapter Local Area Connection", "net.addresses", "10.1.1.2", "net.dns_servers", "10.1.1.1")},
		}, nil},
		{"ipconfig_plain.txt", []got{
			{4, 10, kv("net.adapter", "Ethernet adapter Ethernet", "net.addresses", "fe80::f92a:1d8f:7338:34b4,169.254.169.33")},
		}, nil},
		{"ipconfig_all_ja_sjis.txt", []got{
			{3, 11, kv("net.host", "PC01", "net.primary_suffix", "contoso.local", "net.suffixes", "contoso.local,contoso.com")},
			{13, 30, kv("net.adapter", "イーサネット アダプター ローカル エリア接続", "net.addresses", "fe80::80ec:a40c:c4aa:24d4,10.0.4.15",
				"net.dns_servers", "10.0.0.2,10.0.0.3")},
		}, nil},
		{"ipconfig_malformed.txt", []got{
			{12, 15, kv("net.adapter", "Ethernet adapter Ethernet 2", "net.addresses", "10.0.1.5", "net.dns_servers", "10.0.0.10")},
		}, []event.Problem{
			{Line: 5, Msg: `ipconfig: DNS Suffix Search List "bad..suffix" is not a DNS suffix`},
			{Line: 9, Msg: `ipconfig: IPv4 Address "10.0.0.999(Preferred)" is not an IP address`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := decoded(t, tt.file)
			assert.True(t, DetectIPConfig(in))
			evs, problems := run(t, ParseIPConfig, in)
			assert.Equal(t, tt.want, gots(evs))
			assert.Equal(t, tt.problems, problems)
			checkEvents(t, in, event.KindNetCfg, evs)
			lf, _ := run(t, ParseIPConfig, bytes.ReplaceAll(in, []byte("\r\n"), []byte("\n")))
			assert.Equal(t, evs, lf, "LF gives the same events as CRLF")
		})
	}
	t.Run("tab-indented transcript", func(t *testing.T) {
		in := "\tWindows IP Configuration\n\n\t   Host Name . . . . . . . . . . . . : minint-03nlk09\n\n\tEthernet adapter Ethernet:\n\n" +
			"\t   Autoconfiguration IPv4 Address. . : 169.254.169.33(Preferred)\n" +
			"\t   DNS Servers . . . . . . . . . . . : fec0:0:0:ffff::1%1\n\t\t\t\t\t\t\t\t\t\t   fec0:0:0:ffff::2%1\n"
		evs, problems := run(t, ParseIPConfig, []byte(in))
		assert.Empty(t, problems)
		assert.Equal(t, []got{
			{1, 3, kv("net.host", "minint-03nlk09")},
			{5, 9, kv("net.adapter", "Ethernet adapter Ethernet", "net.addresses", "169.254.169.33", "net.dns_servers", "fec0:0:0:ffff::1,fec0:0:0:ffff::2")},
		}, gots(evs))
	})
	t.Run("another command ends the section", func(t *testing.T) {
		in := "Windows IP Configuration\n\nEthernet adapter Ethernet:\n\n   IPv4 Address. . . . . . . . . . . : 10.0.0.5\n" +
			"C:\\>ping 10.0.0.1\n   DNS Servers . . . . . . . . . . . : 10.0.0.10\n"
		evs, _ := run(t, ParseIPConfig, []byte(in))
		assert.Equal(t, []got{{3, 5, kv("net.adapter", "Ethernet adapter Ethernet", "net.addresses", "10.0.0.5")}}, gots(evs))
	})
	t.Run("empty", func(t *testing.T) {
		evs, problems := run(t, ParseIPConfig, []byte("\r\n\r\n"))
		assert.Empty(t, evs)
		assert.Empty(t, problems)
	})
}

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		file          string
		proxy, ipconf bool
	}{
		{"proxy_direct.txt", true, false},
		{"proxy_server.txt", true, false},
		{"proxy_server_utf16le.txt", true, false},
		{"proxy_many.txt", true, false},
		{"proxy_malformed.txt", true, false},
		{"proxy_ja_sjis.txt", true, false},
		{"ipconfig_all.txt", false, true},
		{"ipconfig_all_utf16le.txt", false, true},
		{"ipconfig_xp_wrapped.txt", false, true},
		{"ipconfig_plain.txt", false, true},
		{"ipconfig_all_ja_sjis.txt", false, true},
		{"near_note.txt", false, false},
		{"near_other_command.txt", false, false},
	} {
		t.Run(tt.file, func(t *testing.T) {
			in := decoded(t, tt.file)
			assert.Equal(t, tt.proxy, DetectProxy(in), "DetectProxy")
			assert.Equal(t, tt.ipconf, DetectIPConfig(in), "DetectIPConfig")
		})
	}
	assert.False(t, DetectProxy([]byte("Current WinHTTP proxy settings:\n")), "heading alone")
	assert.False(t, DetectIPConfig([]byte("Windows IP Configuration\n")), "heading alone")
	assert.False(t, DetectIPConfig([]byte("Host Name . . . . : PC01\n")), "key line without heading")
}

func TestParseErrors(t *testing.T) {
	for name, tt := range map[string]struct {
		parse parseFunc
		file  string
	}{"proxy": {ParseProxy, "proxy_many.txt"}, "ipconfig": {ParseIPConfig, "ipconfig_all.txt"}} {
		in := decoded(t, tt.file)
		t.Run(name+" emit error", func(t *testing.T) {
			boom := errors.New("sink full")
			calls := 0
			_, err := tt.parse(context.Background(), "x", bytes.NewReader(in), func(event.Event) error { calls++; return boom })
			assert.ErrorIs(t, err, boom)
			assert.Equal(t, 1, calls)
		})
		t.Run(name+" read error", func(t *testing.T) {
			boom := errors.New("disk on fire")
			_, err := tt.parse(context.Background(), "x", io.MultiReader(bytes.NewReader(in), iotest.ErrReader(boom)), func(event.Event) error { return nil })
			assert.ErrorIs(t, err, boom)
		})
		t.Run(name+" cancelled context", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := tt.parse(ctx, "x", strings.NewReader(strings.Repeat("\n", 2*ctxEvery)), func(event.Event) error { return nil })
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
}
