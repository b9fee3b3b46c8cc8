package dns

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// FuzzParse checks that Parse never panics and that what it emits is well
// formed, whatever the input.
func FuzzParse(f *testing.F) {
	fixtures, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		if strings.HasSuffix(path, ".md") || strings.Contains(path, "utf16") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("Name  Type TTL Section NameHost\n---- ---- --- ------- --------\nx... CNAME 1 Answer y\nz\n"))
	f.Add([]byte("> set type=srv\n> a\n_a SRV service location:\n\tport = 99999999\n"))
	// The hostile shapes of the bounds tests, small: tiny ConvertTo-Json
	// objects, a newline flood in and after an array, a value never
	// closed, an Export-Csv quote never closed, blank-line floods in
	// Resolve-DnsName table and list output and in an nslookup block, a
	// wrapped name and a Format-List value continued over many lines, a
	// CNAME chain in reverse order.
	rec := `{"Name":"sip.contoso.com","Type":5,"CharacterSet":1,"Section":1,"DataLength":8,"TTL":3600,"NameHost":"sipdir.online.lync.com","QueryType":5}`
	f.Add([]byte("[\r\n" + rec + strings.Repeat(`,{"Name":"a","Section":1,"DataLength":4}`, 50) + "]\r\n"))
	f.Add([]byte("[\r\n" + rec + "]" + strings.Repeat("\n", 200)))
	f.Add([]byte("[\r\n" + rec + strings.Repeat("\n", 200) + "]"))
	f.Add([]byte("[" + rec + `,{"Name":"` + strings.Repeat("x\\\"", 50)))
	f.Add([]byte("[" + rec + ",xyz" + strings.Repeat("x", 100) + "]"))
	f.Add([]byte("\"Name\",\"Type\",\"Section\",\"TTL\"\n\"a.contoso.com\",\"A\",\"Answer\",\"60\"\n\"b\",\"" + strings.Repeat("x\n", 100)))
	f.Add([]byte("\"Name\",\"Type\",\"Section\",\"TTL\"\n" + strings.Repeat("\r\n#c\r\n", 100) + "\"a.contoso.com\",\"A\",\"Answer\",\"60\"\n"))
	table := "Name                              Type   TTL   Section    NameHost\r\n----                              ----   ---   -------    --------\r\nsip.contoso.com                   CNAME  3600  Answer     sipdir.online.lync.com\r\n"
	f.Add([]byte(table + strings.Repeat("\r\n", 300) + table))
	f.Add([]byte(table + strings.Repeat("verylongnamepart\r\n", 100)))
	f.Add([]byte("Name      : sip.contoso.com\nType      : CNAME\nTTL       : 3600\nSection   : Answer\nNameHost  : sipdir\n" + strings.Repeat("            .online\n", 100)))
	f.Add([]byte("Server:  dc01\r\nAddress:  10.0.0.1\r\n" + strings.Repeat("\r\n", 300) + "Name:    sip.contoso.com\r\nAddress:  10.1.1.1\r\n"))
	var chain strings.Builder
	chain.WriteString("Server:  dc01\nAddress:  10.0.0.10\n\na0.c canonical name = a1.c\n")
	for i := 30; i >= 1; i-- {
		fmt.Fprintf(&chain, "a%d.c canonical name = a%d.c\n", i, i+1)
	}
	f.Add([]byte(chain.String()))

	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		problems, err := Parse(context.Background(), "fuzz", bytes.NewReader(data), func(ev event.Event) error {
			if ev.Source != event.SourceDNS || ev.Kind != event.KindDNS || ev.Path != "fuzz" {
				t.Errorf("bad event header: %+v", ev)
			}
			if ev.Line < 1 || ev.Line > lines || (ev.EndLine != 0 && (ev.EndLine <= ev.Line || ev.EndLine > lines)) {
				t.Errorf("bad lines %d-%d of %d", ev.Line, ev.EndLine, lines)
			}
			switch ev.Get("dns.status") {
			case StatusOK, StatusNXDomain, StatusNoAnswer, StatusTimeout, StatusServFail, StatusRefused, StatusError:
			default:
				t.Errorf("bad status %q", ev.Get("dns.status"))
			}
			return nil
		})
		if err != nil {
			t.Errorf("error on an in-memory input: %v", err)
		}
		for _, p := range problems {
			if p.Line < 0 || p.Line > lines || p.Msg == "" {
				t.Errorf("bad problem %+v", p)
			}
		}
		Detect(data)
	})
}
