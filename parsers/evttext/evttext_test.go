package evttext

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
	"github.com/sfblog/sfblog/parsers/internal/parsertest"
)

var update = flag.Bool("update", false, "update golden files")

// exports are the fixtures that are event logs saved as text, with their
// form.
var exports = map[string]string{
	"system-wevtutil.txt":       FormWevtutil,
	"application-wevtutil.txt":  FormWevtutil,
	"security-wevtutil.txt":     FormWevtutil,
	"system-wevtutil.xml":       FormXML,
	"application-viewer.xml":    FormXML,
	"system-viewer.csv":         FormViewerCSV,
	"system-viewer.utf16.csv":   FormViewerCSV,
	"system-viewer.txt":         FormViewerText,
	"empty-viewer.csv":          FormViewerCSV,
	"security-viewer.csv":       FormViewerCSV,
	"application-viewer.ja.csv": FormViewerCSV,
}

// decode returns the content of a fixture as UTF-8, the way the caller
// hands it over (textenc.NewReader).
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

func parseFixture(t testing.TB, name string) ([]event.Event, []event.Problem) {
	t.Helper()
	evs, problems, err := parse(t, name, fixture(t, name))
	require.NoError(t, err)
	return evs, problems
}

func TestFormat(t *testing.T) {
	tests := map[string]string{
		// Near misses: pasted evidence and other files are not exports.
		"generic.csv":              "",
		"note-event-id.txt":        "",
		"viewer-details-paste.txt": "",
		"other.xml":                "",
	}
	for name, form := range exports {
		tests[name] = form
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			head := fixture(t, name)
			if len(head) > HeadSize {
				head = head[:HeadSize]
			}
			assert.Equal(t, want, Format(head))
			assert.Equal(t, want != "", Detect(head))
		})
	}
}

func TestFormatInline(t *testing.T) {
	tests := []struct {
		name, head, want string
	}{
		{"wevtutil without description yet", "Event[0]:\n  Log Name: System\n  Source: x\n  Event ID: 7\n", FormWevtutil},
		{"wevtutil block without Log Name", "Event[0]:\n  Source: x\n  Event ID: 7\n", ""},
		{"Event[0] in a sentence", "see Event[0]: Log Name: System Event ID: 3\n", ""},
		{"bare Event element", "<Event xmlns='" + eventNS + "'><System><EventID>1</EventID></System></Event>", FormXML},
		{"Event in another namespace", "<Event xmlns='urn:x'><System/></Event>", ""},
		{"Events root then other element", "<Events><Item/></Events>", ""},
		{"empty Events root", "<Events>\r\n</Events>", ""},
		{"not XML", "Level: Error\n", ""},
		{"viewer header quoted", "\"Level\",\"Date and Time\",\"Source\",\"Event ID\",\"Task Category\"\r\n", FormViewerCSV},
		{"viewer header other columns", "Level,Date and Time,Source,Event,Task\r\n", ""},
		{"viewer header with BOM", "\uFEFFLevel\tDate and Time\tSource\tEvent ID\tTask Category\r\n", FormViewerText},
		{"Security log header", "Keywords,Date and Time,Source,Event ID,Task Category\r\n", FormViewerCSV},
		{"Japanese header", "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n", FormViewerCSV},
		{"Japanese Security log header", "\uFEFFキーワード\t日付と時刻\tソース\tイベント ID\tタスクのカテゴリ\r\n", FormViewerText},
		{"Japanese and English mixed", "レベル,Date and Time,Source,Event ID,Task Category\r\n", ""},
		{"Japanese other columns", "レベル,日付と時刻,ソース,イベントID,カテゴリ\r\n", ""},
		{"Keywords other columns", "Keywords,Date,Source,Event ID,Task Category\r\n", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Format([]byte(tt.head)))
		})
	}
}

// goldenOutput renders the events (one JSON object per line) and the
// problems of a parse.
func goldenOutput(t *testing.T, name string) []byte {
	t.Helper()
	evs, problems := parseFixture(t, name)
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

// TestRecordFields checks, for one record of each form, every field the
// event-log signatures read.
func TestRecordFields(t *testing.T) {
	local := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05.000", s)
		require.NoError(t, err)
		return tm
	}
	tests := []struct {
		file      string
		index     int
		line, end int
		recordID  uint64
		time      time.Time
		local     bool
		fields    map[string]string
		absent    []string
		textStart string
	}{
		{
			file: "system-wevtutil.txt", index: 1, line: 16, end: 29,
			time: local("2017-06-15 09:02:05.311"), local: true,
			fields: map[string]string{
				"evt.provider": "Microsoft-Windows-DNS-Client", "evt.source": "Microsoft-Windows-DNS-Client",
				"evt.event_id": "1014", "evt.level": "3", "evt.channel": "System", "evt.computer": "PC01.contoso.com",
				"evt.user_sid": "S-1-5-20", "evt.keywords": "0x10000000",
				"evt.data.QueryName": "lyncdiscover.contoso.com",
				"evt.message":        "Name resolution for the name lyncdiscover.contoso.com timed out after none of the configured DNS servers responded.",
				"evt.data.all":       "lyncdiscover.contoso.com\nName resolution for the name lyncdiscover.contoso.com timed out after none of the configured DNS servers responded.",
			},
			absent:    []string{"evt.task", "evt.qualifiers"},
			textStart: "Event[1]:\n  Log Name: System\n",
		},
		{
			file: "system-wevtutil.txt", index: 4, line: 61, end: 78,
			time: local("2017-06-15 09:02:12.020"), local: true,
			fields: map[string]string{
				"evt.provider": "Schannel", "evt.event_id": "36888", "evt.level": "2", "evt.task": "0",
				"evt.data.AlertDesc": "46", "evt.data.TargetName": "sts.contoso.com",
			},
		},
		{
			file: "system-wevtutil.xml", index: 1, line: 2, recordID: 9120,
			time: time.Date(2017, 6, 15, 7, 2, 5, 311e6, time.UTC),
			fields: map[string]string{
				"evt.provider": "Microsoft-Windows-DNS-Client", "evt.event_id": "1014", "evt.level": "3",
				"evt.task": "1014", "evt.keywords": "0x4000000010000000", "evt.channel": "System",
				"evt.computer": "PC01.contoso.com", "evt.user_sid": "S-1-5-20",
				"evt.data.QueryName": "lyncdiscover.contoso.com", "evt.data.AddressLength": "0", "evt.data.Address": "",
				"evt.data.all": "lyncdiscover.contoso.com\n0\n",
			},
			absent:    []string{"evt.message", "evt.source"},
			textStart: "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-DNS-Client'",
		},
		{
			file: "application-viewer.xml", index: 2, line: 5, recordID: 413,
			time: time.Date(2017, 6, 15, 7, 2, 5, 420e6, time.UTC),
			fields: map[string]string{
				"evt.provider": "Communicator", "evt.event_id": "3", "evt.qualifiers": "49152", "evt.level": "2",
				"evt.channel": "Application", "evt.data.1": "sip.contoso.com", "evt.data.all": "sip.contoso.com",
				"evt.message": "Communicator was unable to resolve the DNS hostname of the login server sip.contoso.com.",
			},
			absent: []string{"evt.user_sid"},
		},
		{
			file: "system-viewer.csv", index: 0, line: 2, end: 6,
			time: local("2017-06-15 09:02:12.000"), local: true,
			fields: map[string]string{
				"evt.provider": "Schannel", "evt.event_id": "36888", "evt.level": "2", "evt.task": "0",
				"evt.data.AlertDesc": "46", "evt.data.TargetName": "sts.contoso.com",
				"evt.message": "A fatal alert was generated and sent to the remote endpoint. This may result in termination of the connection. The TLS protocol defined fatal alert code is 46.\n\n   Target name: sts.contoso.com\n\nThe TLS alert registry can be found at http://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-6",
			},
			absent:    []string{"evt.computer", "evt.channel", "evt.user_sid"},
			textStart: "Error,6/15/2017 9:02:12 AM,Schannel,36888,None,\"A fatal alert",
		},
		{
			file: "system-viewer.txt", index: 3, line: 9,
			time: local("2017-06-15 09:02:05.000"), local: true,
			fields: map[string]string{
				"evt.provider": "Microsoft-Windows-DNS-Client", "evt.event_id": "1014", "evt.level": "3", "evt.task": "1014",
				"evt.data.QueryName": "lyncdiscover.contoso.com",
			},
			textStart: "Warning\t6/15/2017 9:02:05 AM\tMicrosoft-Windows-DNS-Client\t1014\t(1014)\tName resolution",
		},
		{
			file: "security-wevtutil.txt", index: 0, line: 1, end: 30,
			time: local("2017-06-15 09:01:58.214"), local: true,
			fields: map[string]string{
				"evt.provider": "Microsoft-Windows-Security-Auditing", "evt.event_id": "4771", "evt.level": "4",
				"evt.task": "Kerberos Authentication Service", "evt.keywords": "0x8010000000000000",
				"evt.computer": "DC01.contoso.local", "evt.data.Status": "0x25",
			},
		},
		{
			// The Security log's CSV: Keywords, not Level, first.
			file: "security-viewer.csv", index: 1, line: 12, end: 28,
			time: local("2017-06-15 09:01:58.000"), local: true,
			fields: map[string]string{
				"evt.provider": "Microsoft-Windows-Security-Auditing", "evt.event_id": "4771",
				"evt.task": "Kerberos Authentication Service", "evt.keywords": "0x8010000000000000",
				"evt.data.Status": "0x25",
			},
			absent:    []string{"evt.level"},
			textStart: "Audit Failure,6/15/2017 9:01:58 AM,Microsoft-Windows-Security-Auditing,4771,",
		},
		{
			file: "security-viewer.csv", index: 0, line: 2, end: 11,
			time: local("2017-06-15 09:01:57.000"), local: true,
			fields: map[string]string{"evt.event_id": "4624", "evt.keywords": "0x8020000000000000"},
			absent: []string{"evt.level", "evt.data.Status"},
		},
		{
			// Japanese Windows: its column, level and task names, its
			// year-first dates; the client's own message in English.
			file: "application-viewer.ja.csv", index: 2, line: 4,
			time: local("2017-06-15 09:02:05.000"), local: true,
			fields: map[string]string{
				"evt.provider": "Communicator", "evt.event_id": "3", "evt.level": "2", "evt.task": "0",
				"evt.data.all": "Communicator was unable to resolve the DNS hostname of the login server sip.contoso.com.",
			},
			absent:    []string{"evt.keywords"},
			textStart: "エラー,2017/06/15 9:02:05,Communicator,3,なし,",
		},
		{
			file: "application-viewer.ja.csv", index: 3, line: 5, end: 6,
			time: local("2017-06-15 09:02:06.000"), local: true,
			fields: map[string]string{"evt.provider": "Microsoft-Windows-Security-SPP", "evt.event_id": "8198", "evt.level": "3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parseFixture(t, tt.file)
			assert.Empty(t, problems)
			require.Greater(t, len(evs), tt.index)
			ev := evs[tt.index]
			assert.Equal(t, event.SourceEvtText, ev.Source)
			assert.Equal(t, event.KindRecord, ev.Kind)
			assert.Equal(t, tt.file, ev.Path)
			assert.Equal(t, tt.line, ev.Line)
			assert.Equal(t, tt.end, ev.EndLine)
			assert.Equal(t, tt.recordID, ev.RecordID)
			assert.True(t, tt.time.Equal(ev.Time), "time %v, want %v", ev.Time, tt.time)
			assert.Equal(t, tt.local, ev.Local)
			for k, v := range tt.fields {
				assert.Equal(t, v, ev.Get(k), k)
			}
			for _, k := range tt.absent {
				assert.NotContains(t, ev.Fields, k)
			}
			assert.True(t, strings.HasPrefix(ev.Text, tt.textStart), "text %q", ev.Text)
		})
	}
}

// The expressions below are copied from signatures/catalog (the evidence
// that reads evt.data.all); the test proves that the text forms give each
// of them what an .evtx record gives.
var catalogData = map[string]*regexp.Regexp{
	"dns-client-timeout":     regexp.MustCompile(`(?im)^(lyncdiscover|sip|_sip\._tls|_sipfederationtls\._tcp)\.[a-z0-9-]+\.`),
	"schannel-alert":         regexp.MustCompile(`(?m)^(48|42|43|45|46)$`),
	"schannel-adfs-host":     regexp.MustCompile(`(?i)/adfs/|(^|[^a-z0-9.-])(sts|adfs|fs|federation)[0-9-]*\.[a-z0-9-]+\.[a-z]`),
	"client-sip-host":        regexp.MustCompile(`(?i)(^|[^a-z0-9.-])sip\.[a-z0-9-]+\.`),
	"security-kerberos-skew": regexp.MustCompile(`(?im)^0x25$`),
}

func TestCatalogDataExpressions(t *testing.T) {
	tests := []struct {
		file, provider, id, expr string
	}{
		{"system-wevtutil.txt", "Microsoft-Windows-DNS-Client", "1014", "dns-client-timeout"},
		{"system-viewer.csv", "Microsoft-Windows-DNS-Client", "1014", "dns-client-timeout"},
		{"system-viewer.txt", "Microsoft-Windows-DNS-Client", "1014", "dns-client-timeout"},
		{"system-wevtutil.xml", "Microsoft-Windows-DNS-Client", "1014", "dns-client-timeout"},
		{"system-wevtutil.txt", "Schannel", "36887", "schannel-alert"},
		{"system-wevtutil.txt", "Schannel", "36888", "schannel-alert"},
		{"system-viewer.csv", "Schannel", "36887", "schannel-alert"},
		{"system-wevtutil.xml", "Schannel", "36887", "schannel-alert"},
		{"system-wevtutil.txt", "Schannel", "36884", "schannel-adfs-host"},
		{"system-viewer.txt", "Schannel", "36884", "schannel-adfs-host"},
		{"system-wevtutil.xml", "Schannel", "36884", "schannel-adfs-host"},
		{"application-wevtutil.txt", "Communicator", "3", "client-sip-host"},
		{"application-viewer.xml", "Communicator", "3", "client-sip-host"},
		{"security-wevtutil.txt", "Microsoft-Windows-Security-Auditing", "4771", "security-kerberos-skew"},
		{"security-viewer.csv", "Microsoft-Windows-Security-Auditing", "4771", "security-kerberos-skew"},
		{"application-viewer.ja.csv", "Communicator", "3", "client-sip-host"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.id+"/"+tt.expr, func(t *testing.T) {
			evs, _ := parseFixture(t, tt.file)
			var found bool
			for _, ev := range evs {
				if ev.Get("evt.provider") == tt.provider && ev.Get("evt.event_id") == tt.id {
					found = true
					assert.Regexp(t, catalogData[tt.expr], ev.Get("evt.data.all"))
				}
			}
			assert.True(t, found, "no %s %s event", tt.provider, tt.id)
		})
	}
}

// TestTextAndXMLAgree parses the same events written as text and as XML:
// provider, event id, level and computer must be the same.
func TestTextAndXMLAgree(t *testing.T) {
	pairs := [][2]string{
		{"system-wevtutil.txt", "system-wevtutil.xml"},
		{"application-wevtutil.txt", "application-viewer.xml"},
	}
	keys := []string{"evt.provider", "evt.event_id", "evt.level", "evt.computer", "evt.channel"}
	for _, pair := range pairs {
		t.Run(pair[0], func(t *testing.T) {
			text, _ := parseFixture(t, pair[0])
			xml, _ := parseFixture(t, pair[1])
			require.Len(t, text, len(xml))
			for i := range text {
				for _, k := range keys {
					assert.Equal(t, xml[i].Get(k), text[i].Get(k), "event %d %s", i, k)
				}
				// The text form's local time and the XML's UTC time are
				// two hours apart in these fixtures (UTC+2).
				assert.Equal(t, 2*time.Hour, text[i].Time.Sub(xml[i].Time), "event %d", i)
			}
		})
	}
}

// TestEncodingsAndLineEnds checks that a UTF-16LE copy with BOM, and the
// same text with LF instead of CRLF, give the same events.
func TestEncodingsAndLineEnds(t *testing.T) {
	strip := func(evs []event.Event) []event.Event {
		for i := range evs {
			evs[i].Path = ""
		}
		return evs
	}
	csv := fixture(t, "system-viewer.csv")
	want, _, err := parse(t, "", csv)
	require.NoError(t, err)
	require.Len(t, want, 5)

	utf16, _, err := parse(t, "", fixture(t, "system-viewer.utf16.csv"))
	require.NoError(t, err)
	assert.Equal(t, strip(want), strip(utf16))

	lf, _, err := parse(t, "", bytes.ReplaceAll(csv, []byte("\r\n"), []byte("\n")))
	require.NoError(t, err)
	assert.Equal(t, want, lf)

	for _, name := range []string{"system-wevtutil.txt", "system-wevtutil.xml"} {
		crlf, _ := parseFixture(t, name)
		lf, _, err := parse(t, name, bytes.ReplaceAll(fixture(t, name), []byte("\r\n"), []byte("\n")))
		require.NoError(t, err)
		require.Len(t, lf, len(crlf))
		for i := range crlf {
			assert.Equal(t, crlf[i].Fields, lf[i].Fields, name)
			assert.Equal(t, crlf[i].Line, lf[i].Line, name)
			assert.Equal(t, crlf[i].EndLine, lf[i].EndLine, name)
		}
	}

	// The tab-delimited form, saved by Event Viewer as UTF-16LE, gives the
	// same fields as the CSV form.
	txt, _ := parseFixture(t, "system-viewer.txt")
	require.Len(t, txt, len(want))
	for i := range txt {
		assert.Equal(t, want[i].Fields, txt[i].Fields)
		assert.Equal(t, want[i].Time, txt[i].Time)
	}
}

func TestEmptyExport(t *testing.T) {
	evs, problems := parseFixture(t, "empty-viewer.csv")
	assert.Empty(t, evs)
	assert.Empty(t, problems)
}

func TestViewerDates(t *testing.T) {
	const header = "Level,Date and Time,Source,Event ID,Task Category\r\n"
	row := func(date string) string { return "Error," + date + ",Schannel,36887,None,x\r\n" }
	at := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		name     string
		dates    []string
		want     []time.Time
		problems []string
	}{
		{"en-US, order seen later", []string{"6/5/2017 9:02:11 AM", "6/15/2017 1:02:11 PM"},
			[]time.Time{at(2017, 6, 5, 9, 2, 11), at(2017, 6, 15, 13, 2, 11)}, nil},
		{"en-GB", []string{"05/06/2017 09:02:11", "15/06/2017 21:02:11"},
			[]time.Time{at(2017, 6, 5, 9, 2, 11), at(2017, 6, 15, 21, 2, 11)}, nil},
		{"de-DE dots", []string{"05.06.2017 09:02:11"}, []time.Time{at(2017, 6, 5, 9, 2, 11)}, nil},
		{"ISO and ja-JP", []string{"2017-06-05 09:02:11", "2017/06/05 9:02:11"},
			[]time.Time{at(2017, 6, 5, 9, 2, 11), at(2017, 6, 5, 9, 2, 11)}, nil},
		{"12 AM and 12 PM", []string{"6/15/2017 12:00:01 AM", "6/15/2017 12:00:01 PM"},
			[]time.Time{at(2017, 6, 15, 0, 0, 1), at(2017, 6, 15, 12, 0, 1)}, nil},
		{"ambiguous with AM/PM: en-US assumed", []string{"6/5/2017 9:02:11 AM"},
			[]time.Time{at(2017, 6, 5, 9, 2, 11)}, []string{"line 2: dates are ambiguous (day and month both 12 or less): read as month/day/year, the en-US order of the AM/PM clock"}},
		{"ambiguous 24-hour: left out", []string{"05/06/2017 09:02:11"},
			[]time.Time{{}}, []string{"line 2: dates are ambiguous (day and month both 12 or less): times left out"}},
		{"not a date", []string{"yesterday"}, []time.Time{{}}, []string{`line 2: date "yesterday" not understood`}},
		{"no such day", []string{"2/30/2017 9:02:11 AM", "6/15/2017 9:02:11 AM"},
			[]time.Time{{}, at(2017, 6, 15, 9, 2, 11)}, []string{`line 2: date "2/30/2017 9:02:11 AM" not understood`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := header
			for _, d := range tt.dates {
				in += row(d)
			}
			evs, problems, err := parse(t, "x.csv", []byte(in))
			require.NoError(t, err)
			require.Len(t, evs, len(tt.want))
			for i, ev := range evs {
				assert.Equal(t, tt.want[i], ev.Time, "row %d", i)
				assert.Equal(t, !tt.want[i].IsZero(), ev.Local, "row %d", i)
			}
			var msgs []string
			for _, p := range problems {
				msgs = append(msgs, p.String())
			}
			assert.Equal(t, tt.problems, msgs)
		})
	}
}

func TestWevtutilDate(t *testing.T) {
	tm, local, err := parseWevtutilDate("2017-06-15T07:02:11.4820000Z")
	require.NoError(t, err)
	assert.False(t, local)
	assert.Equal(t, time.Date(2017, 6, 15, 7, 2, 11, 482e6, time.UTC), tm)

	tm, local, err = parseWevtutilDate("2017-06-15T09:02:11.482")
	require.NoError(t, err)
	assert.True(t, local)
	assert.Equal(t, time.Date(2017, 6, 15, 9, 2, 11, 482e6, time.UTC), tm)

	_, _, err = parseWevtutilDate("15/06/2017")
	assert.Error(t, err)
}

func TestDamagedInput(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		events   int
		problems []string
	}{
		{
			name:     "wevtutil block without an Event ID",
			in:       "Event[0]:\n  Log Name: System\n  Event ID: 7\n  Description:\nok\n\nEvent[1]:\n  Log Name: System\n  Source: x\n  Description:\nno id\n",
			events:   1,
			problems: []string{"line 7: event block without a numeric Event ID, skipped"},
		},
		{
			name:     "wevtutil with a stray header line and a bad date",
			in:       "Event[0]:\n  Log Name: System\n  Event ID: 7\nstray\n  Date: yesterday\n  Description:\nok\n",
			events:   1,
			problems: []string{"line 4: unexpected line in the header of the event at line 1", `line 1: date "yesterday" not understood`},
		},
		{
			name:     "XML cut in the middle",
			in:       "<Event xmlns='" + eventNS + "'><System><EventID>1</EventID></System></Event>\n<Event xmlns='" + eventNS + "'><System><EventID>2</Event",
			events:   1,
			problems: []string{"line 2: XML not well-formed, rest of the file skipped: XML syntax error on line 2: unexpected EOF"},
		},
		{
			name:     "XML event without EventID and a foreign element",
			in:       "<Events><Event xmlns='" + eventNS + "'><System><EventID>1</EventID></System></Event>\n<Event xmlns='" + eventNS + "'><System/></Event>\n<Note>x</Note></Events>",
			events:   1,
			problems: []string{"line 2: event without System/EventID, skipped", "line 3: <Note> is not an event, skipped"},
		},
		{
			name:     "CSV quote never closed",
			in:       "Level,Date and Time,Source,Event ID,Task Category\nError,6/15/2017 9:02:11 AM,Schannel,36887,None,\"open\nstill open\n",
			events:   1,
			problems: []string{"line 2: quoted field not closed at the end of the input"},
		},
		{
			name:     "CSV row without an event id",
			in:       "Level,Date and Time,Source,Event ID,Task Category\nError,6/15/2017 9:02:11 AM,Schannel,x,None,y\n\nError,6/15/2017 9:02:11 AM,Schannel,36887,None,y\n",
			events:   1,
			problems: []string{"line 2: row without a numeric Event ID, skipped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems, err := parse(t, "x", []byte(tt.in))
			require.NoError(t, err)
			assert.Len(t, evs, tt.events)
			var msgs []string
			for _, p := range problems {
				msgs = append(msgs, p.String())
			}
			assert.Equal(t, tt.problems, msgs)
		})
	}
}

func TestNotAnExport(t *testing.T) {
	_, _, err := parse(t, "note.txt", fixture(t, "note-event-id.txt"))
	assert.ErrorContains(t, err, "not an event log saved as text")
}

func TestEmitErrorStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := Parse(context.Background(), "x", bytes.NewReader(fixture(t, "system-wevtutil.txt")), func(event.Event) error {
		n++
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)
}

func TestCancelled(t *testing.T) {
	var in strings.Builder
	in.WriteString("Level,Date and Time,Source,Event ID,Task Category\n")
	for i := 0; i < 3*ctxEvery; i++ {
		in.WriteString("Error,6/15/2017 9:02:11 AM,Schannel,36887,None,x\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Parse(ctx, "x", strings.NewReader(in.String()), func(event.Event) error { return nil })
	assert.ErrorIs(t, err, context.Canceled)
}

// A header row that a stray quote runs on into the next lines is a problem
// of the file, not an error of the run (FuzzParse found it).
func TestViewerDamagedHeader(t *testing.T) {
	in := []byte("Level\tDate and Time\tSource\t\"Event ID\tTask Category\n" +
		"Error\t5/7/2018 9:12:02 AM\tSchannel\t36887\tNone\tA fatal alert was received.\n")
	require.True(t, Detect(in))
	evs, problems, err := parse(t, "viewer.txt", in)
	require.NoError(t, err)
	assert.Empty(t, evs)
	require.Len(t, problems, 2)
	assert.Equal(t, 1, problems[0].Line)
	assert.Contains(t, problems[0].Msg, "quoted field not closed")
	assert.Contains(t, problems[1].Msg, "header row damaged")
}
