package adexport

import (
	"bytes"
	"context"
	"errors"
	"flag"
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

// exports are the fixtures that are directory exports, with their form.
var exports = map[string]string{
	"users.ldf":             FormLDIF,
	"users-csvde.csv":       FormCSVDE,
	"users-csvde.utf16.csv": FormCSVDE,
	"empty-csvde.csv":       FormCSVDE,
	"users-ps51.csv":        FormExportCSV,
	"users-ps7.csv":         FormExportCSV,
	"users-list.txt":        FormFormatList,
}

// decode returns data as UTF-8, the way the caller hands it over.
func decode(t testing.TB, b []byte) []byte {
	t.Helper()
	r, _, err := textenc.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return out
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return decode(t, b)
}

func parse(t testing.TB, path string, data []byte) ([]event.Event, []event.Problem, error) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), path, bytes.NewReader(data), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	return evs, problems, err
}

func problemStrings(ps []event.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestFormat(t *testing.T) {
	tests := map[string]string{
		"generic.csv":  "",
		"contacts.csv": "",
		"note-dn.txt":  "",
	}
	for name, form := range exports {
		tests[name] = form
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			head := fixture(t, name)
			assert.Equal(t, want, Format(head))
			assert.Equal(t, want != "", Detect(head))
		})
	}
}

func TestFormatInline(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"LDIF with version and comment", "version: 1\n# users\ndn: CN=x,DC=y\n", FormLDIF},
		{"LDIF dn in upper case", "DN: CN=x,DC=y\nchangetype: add\n", FormLDIF},
		{"csvde lower-case header", "dn,userprincipalname\n", FormCSVDE},
		{"Export-Csv PowerShell 7", "\"DistinguishedName\",\"proxyAddresses\"\n", FormExportCSV},
		{"#TYPE line alone", "#TYPE Microsoft.ActiveDirectory.Management.ADUser\n", ""},
		{"#TYPE of another object", "#TYPE System.Diagnostics.Process\n\"Name\",\"Id\"\n", ""},
		{"CSV with only a DN column", "DN,description\n", ""},
		{"CSV with UPN but no DN", "Name,UserPrincipalName\n", ""},
		{"Format-List without the SIP attributes", "DistinguishedName : CN=x\nName : x\n", ""},
		{"Format-List", "\r\n\r\nDistinguishedName    : CN=x\r\nmsRTCSIP-UserEnabled : False\r\n", FormFormatList},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Format([]byte(tt.head)))
		})
	}
}

func goldenOutput(t *testing.T, name string) []byte {
	t.Helper()
	evs, problems, err := parse(t, name, fixture(t, name))
	require.NoError(t, err)
	return parsertest.Render(t, evs, problems)
}

func TestGolden(t *testing.T) {
	for name := range exports {
		t.Run(name, func(t *testing.T) {
			got := goldenOutput(t, name)
			parsertest.Golden(t, name, got, *update)
		})
	}
}

// bob is what every form says about Bob, the SIP-enabled user.
var bob = map[string]string{
	"ad.dn":          "CN=Bob Smith,OU=Users,DC=contoso,DC=com",
	"ad.upn":         "bob@contoso.com",
	"ad.sam":         "bob",
	"ad.sip_enabled": "true",
	"ad.sip_address": "sip:bob@contoso.com",
}

func TestUsers(t *testing.T) {
	const proxies = "SIP:bob@contoso.com\nsmtp:bob@contoso.mail.onmicrosoft.com\nSMTP:bob@contoso.com"
	tests := []struct {
		file     string
		users    int
		bobLine  int
		bobEnd   int
		proxies  string // Bob's ad.proxy_addresses; "" when not exported
		alice    map[string]string
		absent   []string // fields absent on the last user
		problems []string
	}{
		{
			file: "users.ldf", users: 3, bobLine: 2, bobEnd: 14, proxies: proxies,
			alice:  map[string]string{"ad.sip_enabled": "false", "ad.proxy_addresses": "SMTP:alice@contoso.com"},
			absent: []string{"ad.sip_enabled", "ad.sip_address", "ad.proxy_addresses"},
		},
		{
			file: "users-csvde.csv", users: 3, bobLine: 2, proxies: proxies,
			alice:  map[string]string{"ad.sip_enabled": "false", "ad.proxy_addresses": "SMTP:alice@contoso.com"},
			absent: []string{"ad.sip_enabled", "ad.sip_address", "ad.proxy_addresses"},
		},
		{
			file: "users-ps51.csv", users: 3, bobLine: 3,
			alice:  map[string]string{"ad.sip_enabled": "false"},
			absent: []string{"ad.sip_enabled", "ad.sip_address", "ad.proxy_addresses"},
			problems: []string{
				`line 3: proxyAddresses holds the .NET type name "Microsoft.ActiveDirectory.Management.ADPropertyValueCollection", not its values: the export did not include them (expand the property, for example -join ';', before Export-Csv)`,
			},
		},
		{
			file: "users-ps7.csv", users: 2, bobLine: 2, proxies: proxies,
			alice: map[string]string{"ad.sip_enabled": "false", "ad.proxy_addresses": "SMTP:alice@contoso.com"},
		},
		{
			file: "users-list.txt", users: 2, bobLine: 3, bobEnd: 15, proxies: proxies,
			alice: map[string]string{"ad.sip_enabled": "false",
				"ad.proxy_addresses": "SMTP:alice@contoso.com\nsmtp:alice@contoso.mail.onmicrosoft.com\nsmtp:alice.jones@contoso.com\nsmtp:ajones@contoso.com"},
			absent: []string{"ad.sip_address"},
			problems: []string{
				"line 25: proxyAddresses lists only the first values (cut by $FormatEnumerationLimit): set $FormatEnumerationLimit = -1 before Format-List to see them all",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems, err := parse(t, tt.file, fixture(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.problems, problemStrings(problems))
			require.Len(t, evs, tt.users)
			for _, ev := range evs {
				assert.Equal(t, event.SourceDirectory, ev.Source)
				assert.Equal(t, event.KindDirectory, ev.Kind)
				assert.Equal(t, tt.file, ev.Path)
				assert.Equal(t, exports[tt.file], ev.Get("ad.tool"))
				assert.NotEmpty(t, ev.Text)
			}
			b := evs[0]
			for k, v := range bob {
				assert.Equal(t, v, b.Get(k), k)
			}
			assert.Equal(t, tt.proxies, b.Get("ad.proxy_addresses"))
			assert.Equal(t, tt.bobLine, b.Line)
			assert.Equal(t, tt.bobEnd, b.EndLine)
			for k, v := range tt.alice {
				assert.Equal(t, v, evs[1].Get(k), k)
			}
			assert.Equal(t, "CN=Alice Jones,OU=Users,DC=contoso,DC=com", evs[1].Get("ad.dn"))
			last := evs[len(evs)-1]
			for _, k := range tt.absent {
				assert.NotContains(t, last.Fields, k)
			}
		})
	}
}

func TestNonASCIIAndEscapedDN(t *testing.T) {
	evs, _, err := parse(t, "users.ldf", fixture(t, "users.ldf"))
	require.NoError(t, err)
	assert.Equal(t, "CN=Zoë Martin,OU=Users,DC=contoso,DC=com", evs[2].Get("ad.dn"))

	evs, _, err = parse(t, "users-csvde.csv", fixture(t, "users-csvde.csv"))
	require.NoError(t, err)
	assert.Equal(t, `CN=Smith\, Carol,OU=Users,DC=contoso,DC=com`, evs[2].Get("ad.dn"))
}

// TestEncodingsAndLineEnds: the UTF-16LE copy and an LF copy of the csvde
// export give the same events.
func TestEncodingsAndLineEnds(t *testing.T) {
	want, _, err := parse(t, "x", fixture(t, "users-csvde.csv"))
	require.NoError(t, err)
	utf16, _, err := parse(t, "x", fixture(t, "users-csvde.utf16.csv"))
	require.NoError(t, err)
	assert.Equal(t, want, utf16)

	lf, _, err := parse(t, "x", bytes.ReplaceAll(fixture(t, "users-csvde.csv"), []byte("\r\n"), []byte("\n")))
	require.NoError(t, err)
	assert.Equal(t, want, lf)

	ldf, _, err := parse(t, "x", fixture(t, "users.ldf"))
	require.NoError(t, err)
	ldfLF, _, err := parse(t, "x", bytes.ReplaceAll(fixture(t, "users.ldf"), []byte("\r\n"), []byte("\n")))
	require.NoError(t, err)
	assert.Equal(t, ldf, ldfLF)
}

func TestEmptyExport(t *testing.T) {
	evs, problems, err := parse(t, "empty-csvde.csv", fixture(t, "empty-csvde.csv"))
	require.NoError(t, err)
	assert.Empty(t, evs)
	assert.Empty(t, problems)
}

func TestLDIF(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []map[string]string
		problems []string
	}{
		{
			name: "folded lines, comments, version, options",
			in: "version: 1\n# exported users\ndn: CN=Bob Smith,OU=Us\n ers,DC=contoso,DC=com\nchangetype: add\n# a comment\n  that is folded\n" +
				"proxyAddresses: SMTP:bob@con\n toso.com\nmsRTCSIP-PrimaryUserAddress;lang-en: sip:bob@contoso.com\nmsRTCSIP-UserEnabled:TRUE\n",
			want: []map[string]string{{
				"ad.dn": "CN=Bob Smith,OU=Users,DC=contoso,DC=com", "ad.proxy_addresses": "SMTP:bob@contoso.com",
				"ad.sip_address": "sip:bob@contoso.com", "ad.sip_enabled": "true",
			}},
		},
		{
			name: "base64 values",
			in:   "dn: CN=Bob,DC=contoso,DC=com\nuserPrincipalName:: Ym9iQGNvbnRvc28uY29t\nmail:: !!!\n",
			want: []map[string]string{{"ad.dn": "CN=Bob,DC=contoso,DC=com", "ad.upn": "bob@contoso.com"}},
			problems: []string{
				"line 3: mail: value is not valid base64, ignored",
			},
		},
		{
			name:     "change records are not exported objects",
			in:       "dn: CN=Bob,DC=contoso,DC=com\nchangetype: modify\nreplace: msRTCSIP-UserEnabled\nmsRTCSIP-UserEnabled: TRUE\n-\n\ndn: CN=Al,DC=contoso,DC=com\nmsRTCSIP-UserEnabled: FALSE\n",
			want:     []map[string]string{{"ad.dn": "CN=Al,DC=contoso,DC=com", "ad.sip_enabled": "false"}},
			problems: []string{"line 1: change record (changetype: modify), not an exported object: skipped"},
		},
		{
			name:     "a value by reference and a bad boolean",
			in:       "dn: CN=Bob,DC=contoso,DC=com\njpegPhoto:< file:///c:/bob.jpg\nmsRTCSIP-UserEnabled: yes\n",
			want:     []map[string]string{{"ad.dn": "CN=Bob,DC=contoso,DC=com"}},
			problems: []string{"line 2: jpegPhoto: value given by reference (file:///c:/bob.jpg), not read", `line 3: msRTCSIP-UserEnabled is "yes", not TRUE or FALSE`},
		},
		{
			name:     "garbage line inside an entry",
			in:       "dn: CN=Bob,DC=contoso,DC=com\nthis is not ldif\nuserPrincipalName: bob@contoso.com\n",
			want:     []map[string]string{{"ad.dn": "CN=Bob,DC=contoso,DC=com", "ad.upn": "bob@contoso.com"}},
			problems: []string{"line 2: not an LDIF attribute line, ignored"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems, err := parse(t, "x.ldf", []byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.problems, problemStrings(problems))
			require.Len(t, evs, len(tt.want))
			for i, want := range tt.want {
				want["ad.tool"] = FormLDIF
				assert.Equal(t, want, evs[i].Fields)
			}
		})
	}
}

func TestCSVDamage(t *testing.T) {
	in := "DN,userPrincipalName,msRTCSIP-UserEnabled\n\"CN=Bob,DC=contoso,DC=com\",bob@contoso.com\n,nobody@contoso.com,TRUE\n\"CN=Al,DC=c\",\"al@contoso.com,FALSE\n"
	evs, problems, err := parse(t, "x.csv", []byte(in))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "bob@contoso.com", evs[0].Get("ad.upn"))
	assert.NotContains(t, evs[0].Fields, "ad.sip_enabled")
	assert.Equal(t, []string{
		"line 2: row has 2 values for 3 columns",
		"line 3: object without a distinguished name, skipped",
		"line 4: quoted field not closed at the end of the input",
		"line 4: damaged row skipped",
	}, problemStrings(problems))
}

func TestNotAnExport(t *testing.T) {
	_, _, err := parse(t, "generic.csv", fixture(t, "generic.csv"))
	assert.ErrorContains(t, err, "not a directory export")
}

func TestEmitErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := Parse(context.Background(), "x", bytes.NewReader(fixture(t, "users.ldf")), func(event.Event) error {
		n++
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)
}

func TestCancelled(t *testing.T) {
	var in strings.Builder
	in.WriteString("DN,userPrincipalName\n")
	for i := 0; i < 3*ctxEvery; i++ {
		in.WriteString("\"CN=u,DC=c\",u@c\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Parse(ctx, "x", strings.NewReader(in.String()), func(event.Event) error { return nil })
	assert.ErrorIs(t, err, context.Canceled)
}
