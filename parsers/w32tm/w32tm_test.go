package w32tm

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
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
	"github.com/sfblog/sfblog/parsers/internal/parsertest"
)

var update = flag.Bool("update", false, "update golden files")

func read(t *testing.T, name string) []byte {
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

func parse(t *testing.T, b []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "w32tm.txt", bytes.NewReader(b), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

// want is what a test checks of one event.
type want struct {
	Line, EndLine int
	Time          string // event.FormatTime
	Fields        map[string]string
}

func got(evs []event.Event) []want {
	var out []want
	for _, ev := range evs {
		out = append(out, want{Line: ev.Line, EndLine: ev.EndLine, Time: event.FormatTime(ev.Time, ev.Local), Fields: ev.Fields})
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		file string
		want bool
	}{
		{"status_synced.txt", true},
		{"status_cmos.txt", true},
		{"status_ja_sjis.txt", true},
		{"status_verbose_domain.txt", true},
		{"stripchart_dataonly.txt", true},
		{"stripchart_chart.txt", true},
		{"stripchart_en-AU.txt", true},
		{"stripchart_rdtsc.txt", true},
		{"config_ntp.txt", true},
		{"config_nt5ds.txt", true},
		{"all_commands.txt", true},
		{"note.txt", false},     // quotes "Source:" and "Stratum:" and a time of day
		{"settings.ini", false}, // an .ini with a [Configuration] section
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(read(t, tt.file)))
		})
	}
	// Samples pasted without the header, as a localized Windows prints them.
	assert.True(t, Detect([]byte("10:37:19, +01.0620337s\r\n10:37:21, +01.0619870s\r\n")))
	assert.False(t, Detect([]byte("10:37:19, +01.0620337s\r\n")), "one sample line is too little")
	assert.False(t, Detect([]byte("Source: Local CMOS Clock\n")))
	assert.False(t, Detect(nil))
}

func TestStatus(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"status_synced.txt", []want{{Line: 1, EndLine: 9, Fields: map[string]string{
			"clock.tool": "w32tm-status", "clock.leap": "0", "clock.unsynced": "false",
			"clock.source": "time.windows.com,0x9", "clock.peer": "time.windows.com",
			"clock.last_sync": "30/05/2023 20:21:27"}}}},
		{"status_cmos.txt", []want{{Line: 2, EndLine: 10, Fields: map[string]string{
			"clock.tool": "w32tm-status", "clock.leap": "3", "clock.unsynced": "true",
			"clock.source": "Local CMOS Clock", "clock.last_sync": "unspecified"}}}},
		{"status_ja_sjis.txt", []want{
			{Line: 2, EndLine: 10, Fields: map[string]string{
				"clock.tool": "w32tm-status", "clock.leap": "0", "clock.unsynced": "false",
				"clock.source": "10.30.0.3,8", "clock.peer": "10.30.0.3", "clock.last_sync": "2022/01/10 1:45:54"}},
			{Line: 13, EndLine: 25, Fields: map[string]string{
				"clock.tool": "w32tm-status", "clock.leap": "3", "clock.unsynced": "true",
				"clock.source": "Local CMOS Clock", "clock.last_sync": "unspecified"}},
		}},
		{"status_verbose_domain.txt", []want{{Line: 2, EndLine: 18, Fields: map[string]string{
			"clock.tool": "w32tm-status", "clock.leap": "0", "clock.unsynced": "false",
			"clock.source": "DC01.contoso.com", "clock.peer": "DC01.contoso.com",
			"clock.last_sync": "6/15/2017 9:01:02 AM"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parse(t, read(t, tt.file))
			assert.Empty(t, problems)
			assert.Equal(t, tt.want, got(evs))
		})
	}
}

func TestStatusSpacingAndFreeRunning(t *testing.T) {
	// Localized-looking spacing: blanks before the colon, tabs, no blank
	// between "0" and its text; Windows 10's free-running clock.
	in := "Leap Indicator : 0 (no warning)\r\nStratum :\t1 (primary reference - syncd by radio clock)\r\n" +
		"Last Successful Sync Time :  15/06/2017 09:01:02\r\nSource : Free-running System Clock\r\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, problems)
	assert.Equal(t, []want{{Line: 1, EndLine: 4, Fields: map[string]string{
		"clock.tool": "w32tm-status", "clock.leap": "0", "clock.unsynced": "true",
		"clock.source": "Free-running System Clock", "clock.last_sync": "15/06/2017 09:01:02"}}}, got(evs))
}

func TestStripchart(t *testing.T) {
	peer := func(p, offset string) map[string]string {
		m := map[string]string{"clock.tool": "w32tm-stripchart", "clock.peer": p}
		if offset != "" {
			m["clock.offset"] = offset
		}
		return m
	}
	tests := []struct {
		file string
		want []want
	}{
		// o: is the reference minus the computer; clock.offset the opposite.
		{"stripchart_dataonly.txt", []want{
			{Line: 4, Time: "2017-06-15T09:02:11.000", Fields: peer("time.windows.com", "-0.0123512")},
			{Line: 5, Time: "2017-06-15T09:02:13.000", Fields: peer("time.windows.com", "")}, // error: 0x800705B4
			{Line: 6, Time: "2017-06-15T09:02:15.000", Fields: peer("time.windows.com", "-0.0119875")},
		}},
		{"stripchart_chart.txt", []want{
			{Line: 5, Time: "2017-06-15T23:59:58.000", Fields: peer("time.windows.com", "462.13")},
			{Line: 6, Time: "2017-06-16T00:00:00.000", Fields: peer("time.windows.com", "462.129875")},
			{Line: 7, Time: "2017-06-16T00:00:02.000", Fields: peer("time.windows.com", "-0.0001461")},
		}},
		// en-AU: day first with AM/PM; the reference runs 12 hours behind.
		{"stripchart_en-AU.txt", []want{
			{Line: 5, Time: "2021-05-28T06:39:15.000", Fields: peer("172.30.60.1", "43149.7350583")},
			{Line: 6, Time: "2021-05-28T06:39:17.000", Fields: peer("172.30.60.1", "43149.7349657")},
			{Line: 7, Time: "2021-05-28T06:39:19.000", Fields: peer("172.30.60.1", "43149.7347674")},
			{Line: 8, Time: "2021-05-28T06:39:21.000", Fields: peer("172.30.60.1", "43149.7346532")},
		}},
		// /rdtsc: the FILETIME column is UTC (the user's clock read 09:08:17,
		// UTC+1 in February).
		{"stripchart_rdtsc.txt", []want{
			{Line: 6, Time: "2019-02-20T08:08:17.5542534Z", Fields: peer("ntp0.as34288.net", "0.011194")},
			{Line: 7, Time: "2019-02-20T08:08:18.578951Z", Fields: peer("ntp0.as34288.net", "0.012907")},
			{Line: 8, Time: "2019-02-20T08:08:29.8903116Z", Fields: peer("ntp0.as34288.net", "")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parse(t, read(t, tt.file))
			assert.Empty(t, problems)
			assert.Equal(t, tt.want, got(evs))
			for _, ev := range evs {
				assert.Zero(t, ev.EndLine)
				assert.Contains(t, string(read(t, tt.file)), ev.Text)
			}
		})
	}
}

func TestStripchartWithoutHeader(t *testing.T) {
	// Pasted samples: no peer, no date, so no time.
	evs, problems := parse(t, []byte("10:37:19, +01.0620337s\n10:37:21, -00:07:42.13s\n"))
	assert.Empty(t, problems)
	assert.Equal(t, []want{
		{Line: 1, Fields: map[string]string{"clock.tool": "w32tm-stripchart", "clock.offset": "-1.0620337"}},
		{Line: 2, Fields: map[string]string{"clock.tool": "w32tm-stripchart", "clock.offset": "462.13"}},
	}, got(evs))
	assert.False(t, evs[0].Local)
}

func TestStripchartAmbiguousDate(t *testing.T) {
	// 7/1/2021 reads as 1 July or 7 January: no date is guessed.
	in := "Tracking dc01 [10.0.0.1:123].\nCollecting 1 samples.\nThe current time is 7/1/2021 9:44:00 AM.\n09:44:00, +00.0000000s\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, problems)
	require.Len(t, evs, 1)
	assert.True(t, evs[0].Time.IsZero())
	assert.Equal(t, "0", evs[0].Get("clock.offset"))
}

func TestConfig(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"config_ntp.txt", []want{{Line: 1, EndLine: 38, Fields: map[string]string{
			"clock.tool": "w32tm-config", "clock.type": "NTP", "clock.peer": "time.windows.com"}}}},
		{"config_nt5ds.txt", []want{{Line: 1, EndLine: 45, Fields: map[string]string{
			"clock.tool": "w32tm-config", "clock.type": "NT5DS"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parse(t, read(t, tt.file))
			assert.Empty(t, problems)
			assert.Equal(t, tt.want, got(evs))
		})
	}
	in := "[TimeProviders]\nNtpClient (Policy)\nType: NTP (Policy)\nNtpServer: ntp1.contoso.com,0x9 ntp2.contoso.com,0x8 (Policy)\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, problems)
	assert.Equal(t, []want{{Line: 1, EndLine: 4, Fields: map[string]string{
		"clock.tool": "w32tm-config", "clock.type": "NTP", "clock.peer": "ntp1.contoso.com,ntp2.contoso.com"}}}, got(evs))
}

func TestAllCommandsInOneFile(t *testing.T) {
	evs, problems := parse(t, read(t, "all_commands.txt"))
	assert.Empty(t, problems)
	var tools []string
	for _, ev := range evs {
		tools = append(tools, ev.Get("clock.tool"))
	}
	assert.Equal(t, []string{"w32tm-status", "w32tm-config", "w32tm-stripchart", "w32tm-stripchart", "w32tm-stripchart"}, tools)
	assert.Equal(t, 2, evs[0].Line)
	assert.Equal(t, 10, evs[0].EndLine)
	assert.Equal(t, 13, evs[1].Line)
	assert.Equal(t, "NT5DS", evs[1].Get("clock.type"))
	assert.NotContains(t, evs[1].Text, "w32tm /stripchart", "the prompt ends the configuration")
	assert.Equal(t, "-0.0123512", evs[2].Get("clock.offset"))
	for _, ev := range evs {
		assert.Equal(t, event.SourceTime, ev.Source)
		assert.Equal(t, event.KindClock, ev.Kind)
		assert.NotContains(t, ev.Text, "\r")
	}
}

func TestLineEndings(t *testing.T) {
	lf := read(t, "status_cmos.txt")
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	a, _ := parse(t, lf)
	b, _ := parse(t, crlf)
	assert.Equal(t, got(a), got(b))
	assert.Equal(t, a[0].Text, b[0].Text)
}

func TestProblems(t *testing.T) {
	in := "Leap Indicator: x(no warning)\nStratum: 0 (unspecified)\n\n" +
		"C:\\>w32tm /query /source\nPoll Interval: 10 (1024s)\n\n" +
		"[TimeProviders]\nNtpClient (Local)\nEnabled: 1 (Local)\n\n" +
		"Tracking time.windows.com [40.119.6.228:123].\n09:02:11, +0x12s\n" +
		"C:\\>\nSource: the manager\nStratum: not relevant\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, evs, "damaged outputs are not evidence")
	want := map[int]string{
		1:  "leap indicator is not well formed",
		5:  "with 1 of its 9 fields",
		7:  "without the NtpClient Type or NtpServer",
		12: "sample without an offset",
		15: "stratum is not well formed",
	}
	require.Len(t, problems, len(want), "%v", problems)
	for _, p := range problems {
		assert.Contains(t, p.Msg, want[p.Line], "line %d", p.Line)
	}
}

func TestNearMissesEmitNothing(t *testing.T) {
	for _, name := range []string{"note.txt", "settings.ini"} {
		evs, _ := parse(t, read(t, name))
		assert.Empty(t, evs, name)
	}
}

func TestParseOffset(t *testing.T) {
	tests := []struct {
		in   string
		unit bool
		ns   int64
		ok   bool
	}{
		{"+00.0123512s", true, 12351200, true},
		{"-462.1300000s", true, -462130000000, true},
		{"-00:07:42.13s", true, -462130000000, true},
		{"+01:00:00.5s", true, 3600500000000, true},
		{"-00.0111940", false, -11194000, true},
		{"-00.0111940", true, 0, false},
		{"+00:75:00s", true, 0, false},
		{"12", true, 0, false},
		{"s", true, 0, false},
		{"+99999999999.0s", true, 0, false},
	}
	for _, tt := range tests {
		ns, ok := parseOffset(tt.in, tt.unit)
		assert.Equal(t, tt.ok, ok, tt.in)
		assert.Equal(t, tt.ns, ns, tt.in)
	}
	assert.Equal(t, "0", negate(0))
	assert.Equal(t, "-1", negate(int64(time.Second)))
	assert.Equal(t, "0.5", negate(-int64(time.Second)/2))
}

func TestEmitErrorAndCancel(t *testing.T) {
	stop := errors.New("stop")
	_, err := Parse(context.Background(), "x", bytes.NewReader(read(t, "all_commands.txt")), func(event.Event) error { return stop })
	require.ErrorIs(t, err, stop)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Parse(ctx, "x", strings.NewReader(strings.Repeat("\n", 2*ctxEvery)), func(event.Event) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, fixtures)
	for _, fixture := range fixtures {
		name := filepath.Base(fixture)
		t.Run(name, func(t *testing.T) {
			evs, problems := parse(t, read(t, name))
			parsertest.Golden(t, name, parsertest.Render(t, evs, problems), *update)
		})
	}
}

// With several malformed status fields, the problem names the first one
// in the output, every time (it once depended on map order).
func TestProblemsDeterministic(t *testing.T) {
	in := []byte("Leap Indicator: 0(no warning)\nStratum: many\nPrecision: often\nRoot Delay: x\nSource: time.windows.com\n")
	for range 20 {
		_, problems := parse(t, in)
		require.Len(t, problems, 1)
		assert.Equal(t, 2, problems[0].Line)
		assert.Contains(t, problems[0].Msg, "stratum is not well formed")
	}
}
