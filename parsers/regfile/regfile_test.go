package regfile

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
	"github.com/sfblog/sfblog/parsers/internal/parsertest"
)

var update = flag.Bool("update", false, "update golden files")

// decoded reads a fixture the way the caller does: through textenc, which
// turns UTF-16LE with a BOM (regedit, reg export) into UTF-8.
func decoded(t *testing.T, name string) ([]byte, string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	r, enc, err := textenc.NewReader(f)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b, enc
}

func parseBytes(t *testing.T, name string, b []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), name, bytes.NewReader(b), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

// value is what a test checks of one event.
type value struct {
	Line, EndLine int
	Key, Hive     string
	Path, Name    string
	Type, Data    string
	Deleted       bool
}

func values(evs []event.Event) []value {
	var out []value
	for _, ev := range evs {
		out = append(out, value{Line: ev.Line, EndLine: ev.EndLine, Key: ev.Get("reg.key"),
			Hive: ev.Get("reg.hive"), Path: ev.Get("reg.path"), Name: ev.Get("reg.name"),
			Type: ev.Get("reg.type"), Data: ev.Get("reg.data"), Deleted: ev.Get("reg.deleted") == "true"})
	}
	return out
}

// find returns the values named name.
func find(vals []value, name string) []value {
	var out []value
	for _, v := range vals {
		if v.Name == name {
			out = append(out, v)
		}
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		file string
		enc  string
		want bool
	}{
		{"communicator_policy.reg", textenc.UTF16LE, true}, // regedit: UTF-16LE with BOM, CRLF
		{"internet_settings.reg", textenc.UTF8, true},
		{"msoidentitycrl.reg", textenc.UTF8, true}, // CRLF
		{"types.reg", textenc.UTF8, true},
		{"regedit4.reg", textenc.UTF8, true},
		{"broken.reg", textenc.UTF8, true},
		{"settings.ini", textenc.UTF8, false}, // an .ini with a registry-looking section
		{"note.txt", textenc.UTF8, false},     // quotes the header, not on line 1
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, enc := decoded(t, tt.file)
			assert.Equal(t, tt.enc, enc)
			assert.Equal(t, tt.want, Detect(b))
		})
	}
	assert.True(t, Detect([]byte("\uFEFFREGEDIT4\r\n")), "a BOM the caller left")
	assert.True(t, Detect([]byte("Windows Registry Editor Version 5.00")), "header alone, no newline")
	assert.False(t, Detect([]byte("\nWindows Registry Editor Version 5.00\n")), "blank first line")
	assert.False(t, Detect([]byte("windows registry editor version 5.00\n")))
	assert.False(t, Detect([]byte("Windows Registry Editor Version 4.00\n")))
	assert.False(t, Detect(nil))
}

func TestCommunicatorPolicyUTF16(t *testing.T) {
	b, _ := decoded(t, "communicator_policy.reg")
	evs, problems := parseBytes(t, "bundle.zip!/policy.reg", b)
	assert.Empty(t, problems)
	vals := values(evs)
	require.Len(t, vals, 8)

	trust := find(vals, "TrustModelData")
	require.Len(t, trust, 1)
	assert.Equal(t, value{Line: 4, Key: `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Communicator`, Hive: "HKLM",
		Path: `software\policies\microsoft\communicator`, Name: "TrustModelData", Type: "REG_SZ",
		Data: "contoso.com, fabrikam.com,lync.contoso.com"}, trust[0])

	tracing := find(vals, "EnableTracing")
	require.Len(t, tracing, 2)
	assert.Equal(t, "HKLM", tracing[0].Hive)
	assert.Equal(t, "REG_DWORD", tracing[0].Type)
	assert.Equal(t, "1", tracing[0].Data)
	assert.Equal(t, `software\microsoft\office\16.0\lync`, tracing[1].Path)
	assert.Equal(t, "HKCU", tracing[1].Hive)

	logging := find(vals, "EnableEventLogging")
	require.Len(t, logging, 1)
	assert.Equal(t, "1", logging[0].Data)

	proxy := find(vals, "HttpProxyControlFlags")
	require.Len(t, proxy, 1)
	assert.Equal(t, `software\policies\microsoft\office\16.0\lync`, proxy[0].Path)
	assert.Equal(t, "1", proxy[0].Data)

	for _, ev := range evs {
		assert.Equal(t, event.SourceRegistry, ev.Source)
		assert.Equal(t, event.KindRegistry, ev.Kind)
		assert.Equal(t, "bundle.zip!/policy.reg", ev.Path)
		assert.NotContains(t, ev.Text, "\r", "CRLF is not kept in Text")
		assert.True(t, ev.Time.IsZero())
	}
}

func TestInternetSettings(t *testing.T) {
	b, _ := decoded(t, "internet_settings.reg")
	evs, problems := parseBytes(t, "ie.reg", b)
	assert.Empty(t, problems)
	vals := values(evs)
	const ie = `software\microsoft\windows\currentversion\internet settings`
	tests := []struct{ name, typ, data string }{
		{"ProxyEnable", "REG_DWORD", "1"},
		{"ProxyServer", "REG_SZ", "proxy.contoso.com:8080"},
		{"ProxyOverride", "REG_SZ", "*.contoso.com;<local>"},
		{"AutoConfigURL", "REG_SZ", "http://wpad.contoso.com/wpad.dat"},
		{"SecureProtocols", "REG_DWORD", "2688"},
		{"ZonesSecurityUpgrade", "REG_BINARY", "a15e3dba6cb6d201"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(vals, tt.name)
			require.Len(t, got, 1)
			assert.Equal(t, "HKCU", got[0].Hive)
			assert.Equal(t, ie, got[0].Path)
			assert.Equal(t, tt.typ, got[0].Type)
			assert.Equal(t, tt.data, got[0].Data)
			assert.Zero(t, got[0].EndLine)
		})
	}
	dcs := find(vals, "DefaultConnectionSettings")
	require.Len(t, dcs, 1)
	assert.Equal(t, ie+`\connections`, dcs[0].Path)
	assert.Equal(t, 20, dcs[0].Line)
	assert.Equal(t, 25, dcs[0].EndLine, "six lines joined by trailing backslashes")
	assert.True(t, strings.HasPrefix(dcs[0].Data, "460000000a0000000f00000016000000"+"70726f78792e636f6e746f736f2e636f6d3a38303830"))
	assert.Len(t, dcs[0].Data, 2*(16+22+4+21+4+32+32))
}

func TestMSOIdentityCRLClockSkew(t *testing.T) {
	b, _ := decoded(t, "msoidentitycrl.reg")
	evs, problems := parseBytes(t, "sia.reg", b)
	assert.Empty(t, problems)
	vals := values(evs)
	skew := find(vals, "ClockSkew")
	require.Len(t, skew, 2)
	// KB 2581291: a ClockSkew DWORD of 300 is a 5-minute difference.
	assert.Equal(t, value{Line: 4, Key: `HKEY_USERS\.DEFAULT\Software\Microsoft\MSOIdentityCRL`, Hive: "HKU",
		Path: `.default\software\microsoft\msoidentitycrl`, Name: "ClockSkew", Type: "REG_DWORD", Data: "300"}, skew[0])
	assert.Equal(t, "HKCU", skew[1].Hive)
	assert.Equal(t, `software\microsoft\msoidentitycrl`, skew[1].Path)
	assert.Equal(t, "600", skew[1].Data)

	folder := find(vals, "Folder")
	require.Len(t, folder, 1)
	assert.Equal(t, `C:\MSOTraceLite`, folder[0].Data)
	size := find(vals, "maxsize")
	require.Len(t, size, 1)
	assert.Equal(t, "273176416", size[0].Data, "dword:10485760 is hex")
}

func TestDataForms(t *testing.T) {
	b, _ := decoded(t, "types.reg")
	evs, problems := parseBytes(t, "types.reg", b)
	assert.Empty(t, problems)
	vals := values(evs)
	tests := []struct {
		name, typ, data string
		line, endLine   int
		deleted         bool
	}{
		{name: "", typ: "REG_SZ", data: "the default value", line: 5},
		{name: "Quoted", typ: "REG_SZ", data: `string with "escapes" and \\server\share backslashes`, line: 6},
		{name: "Empty", typ: "REG_SZ", data: "", line: 7},
		{name: "Expand", typ: "REG_EXPAND_SZ", data: `%SystemRoot%\Tracing\Lync-UccApi-0.UccApilog`, line: 8, endLine: 11},
		{name: "Multi", typ: "REG_MULTI_SZ", data: "sipdir.online.lync.com\nwebdir.online.lync.com", line: 12, endLine: 15},
		{name: "Qword", typ: "REG_QWORD", data: "131368303791529633", line: 16},
		{name: "None", typ: "REG_NONE", data: "", line: 17},
		{name: "LittleDword", typ: "REG_DWORD", data: "300", line: 18},
		{name: "Resource", typ: "REG_RESOURCE_LIST", data: "010203", line: 19},
		{name: "Binary", typ: "REG_BINARY", data: "00ff10", line: 20},
		{name: "Gone", line: 21, deleted: true},
		{name: "Spaced", typ: "REG_DWORD", data: "255", line: 23},
		{name: "V", typ: "REG_SZ", data: "short hive name", line: 28},
	}
	require.Len(t, vals, len(tests), "the deleted key emits nothing")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := vals[i]
			assert.Equal(t, tt.name, got.Name)
			assert.Equal(t, tt.typ, got.Type)
			assert.Equal(t, tt.data, got.Data)
			assert.Equal(t, tt.line, got.Line)
			assert.Equal(t, tt.endLine, got.EndLine)
			assert.Equal(t, tt.deleted, got.Deleted)
		})
	}
	assert.Equal(t, `HKEY_CURRENT_USER\Software\Contoso\Short`, vals[len(vals)-1].Key, "HKCU is spelled out")
	assert.True(t, strings.HasPrefix(evs[3].Text, "\"Expand\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,\\\n  74,00,25,00,"),
		"Text keeps the lines as written: %q", evs[3].Text)
}

func TestRegedit4(t *testing.T) {
	b, _ := decoded(t, "regedit4.reg")
	evs, problems := parseBytes(t, "old.reg", b)
	assert.Empty(t, problems)
	vals := values(evs)
	require.Len(t, vals, 3)
	assert.Equal(t, "contoso.com", vals[0].Data)
	assert.Equal(t, `%USERPROFILE%\Tracing`, vals[1].Data, "ANSI bytes, not UTF-16")
	assert.Equal(t, 5, vals[1].Line)
	assert.Equal(t, 6, vals[1].EndLine)
	assert.Equal(t, "café\nlync.com", vals[2].Data, "code page bytes read as Latin-1")
}

func TestProblems(t *testing.T) {
	b, _ := decoded(t, "broken.reg")
	evs, problems := parseBytes(t, "broken.reg", b)
	vals := values(evs)
	require.Len(t, vals, 1, "only the good value is evidence")
	assert.Equal(t, "Good", vals[0].Name)

	want := map[int]string{
		3:  "value outside a key",
		6:  "string without its closing quote",
		7:  "bad hex",
		8:  "1 to 8 hex digits",
		9:  "odd length",
		10: "not a byte",
		11: "REG_QWORD needs 8 bytes",
		13: "not a key, a value or a comment",
		15: "unknown hive",
		16: "value outside a key",
		18: "closing bracket",
		19: "value outside a key",
	}
	got := map[int]string{}
	for _, p := range problems {
		got[p.Line] = p.Msg
	}
	require.Len(t, got, len(want), "problems: %v", problems)
	for line, msg := range want {
		assert.Contains(t, got[line], msg, "line %d", line)
	}
}

func TestNotARegFile(t *testing.T) {
	for _, name := range []string{"settings.ini", "note.txt"} {
		t.Run(name, func(t *testing.T) {
			b, _ := decoded(t, name)
			evs, problems := parseBytes(t, name, b)
			assert.Empty(t, evs, "garbage is never half-parsed into evidence")
			require.Len(t, problems, 1)
			assert.Equal(t, 1, problems[0].Line)
		})
	}
}

func TestLineEndings(t *testing.T) {
	lf := "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\A]\n\"X\"=hex:01,\\\n  02\n\"Y\"=\"y\"\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a, pa := parseBytes(t, "lf", []byte(lf))
	b, pb := parseBytes(t, "crlf", []byte(crlf))
	assert.Empty(t, pa)
	assert.Empty(t, pb)
	assert.Equal(t, values(a), values(b))
	assert.Equal(t, "0102", values(a)[0].Data)
	assert.Equal(t, "y", values(a)[1].Data)
}

func TestEmitErrorStops(t *testing.T) {
	b, _ := decoded(t, "types.reg")
	stop := errors.New("stop")
	calls := 0
	_, err := Parse(context.Background(), "types.reg", bytes.NewReader(b), func(event.Event) error {
		calls++
		return stop
	})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := "Windows Registry Editor Version 5.00\n" + strings.Repeat("; comment\n", 2*ctxEvery)
	_, err := Parse(ctx, "big.reg", strings.NewReader(big), func(event.Event) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/*.reg")
	require.NoError(t, err)
	require.NotEmpty(t, fixtures)
	for _, fixture := range fixtures {
		name := filepath.Base(fixture)
		t.Run(name, func(t *testing.T) {
			b, _ := decoded(t, name)
			evs, problems := parseBytes(t, name, b)
			parsertest.Golden(t, name, parsertest.Render(t, evs, problems), *update)
		})
	}
}

func TestProblemCap(t *testing.T) {
	garbage := "Windows Registry Editor Version 5.00\n" + strings.Repeat("garbage\n", 3*event.DefaultMaxProblems)
	evs, problems := parseBytes(t, "garbage.reg", []byte(garbage))
	assert.Empty(t, evs)
	require.Len(t, problems, event.DefaultMaxProblems+1)
	last := problems[event.DefaultMaxProblems]
	assert.Equal(t, fmt.Sprintf("%d more problems not listed", 2*event.DefaultMaxProblems), last.Msg)
	assert.Equal(t, 3*event.DefaultMaxProblems+1, last.Line)
}
