package evtxwriter

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/0xrawsec/golang-evtx/evtx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file reads the writer's output back with three independent
// readers and checks that every field and value is what was written:
// golang-evtx v1.2.9 (the library sfblog uses), libevtx (evtxexport,
// evtxinfo) and python-evtx (evtx_dump.py). Each reader renders values its
// own way (python-evtx: "True", base64, lower-case GUIDs, microseconds;
// libevtx and golang-evtx: "true", hex, upper-case GUIDs, 100 ns), so the
// expected text is rendered per reader from the typed value.

// sysView holds the System fields of a record as text.
type sysView struct {
	Provider, GUID, ESN               string
	EventID, Qualifiers               string
	Version, Level, Task, Opcode      string
	Keywords                          uint64
	Time                              string
	RecordID, ProcessID, ThreadID     string
	Channel, Computer, UserSID        string
	HeaderTime                        string // record header written time (golang-evtx only)
	GolangProviderKey, GolangProvider string // see golangView
}

// kv is one rendered EventData <Data> element.
type kv struct{ Name, Value string }

// reader says how a reader renders values.
type reader struct {
	boolText   func(bool) string
	binary     func([]byte) string
	guid       func([16]byte) string
	time       func(time.Time) string
	emptyArray bool // an empty string array shows as one empty <Data>
	// timeSlack > 0: the reader computes times through floating point
	// (python-evtx: float(filetime) * 1e-7 - 11644473600, whose precision
	// near 1.3e10 s is about 2 µs), so its microseconds may be off by a few;
	// parseTime reads its rendering back.
	timeSlack time.Duration
	parseTime func(string) (time.Time, error)
}

func guidText(g [16]byte) string {
	h := hex.EncodeToString(g[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

var (
	libevtxReader = reader{
		boolText:   strconv.FormatBool,
		binary:     func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) },
		guid:       func(g [16]byte) string { return "{" + strings.ToUpper(guidText(g)) + "}" },
		time:       func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") },
		emptyArray: true,
	}
	pythonReader = reader{
		boolText: func(b bool) string { return map[bool]string{true: "True", false: "False"}[b] },
		binary:   base64.StdEncoding.EncodeToString,
		guid:     func(g [16]byte) string { return "{" + guidText(g) + "}" },
		time: func(t time.Time) string { // Python's datetime str(): microseconds, only when not zero
			t = t.UTC().Truncate(time.Microsecond)
			if t.Nanosecond() == 0 {
				return t.Format("2006-01-02 15:04:05")
			}
			return t.Format("2006-01-02 15:04:05.000000")
		},
		emptyArray: true,
		timeSlack:  5 * time.Microsecond,
		parseTime: func(s string) (time.Time, error) {
			return time.Parse("2006-01-02 15:04:05.999999", s)
		},
	}
	golangReader = reader{
		boolText: strconv.FormatBool,
		binary:   func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) },
		guid:     func(g [16]byte) string { return strings.ToUpper(guidText(g)) },
		time:     func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) },
	}
)

// render returns the texts a reader shows for an EventData value: one per
// <Data> element.
func (rd reader) render(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		if len(x) == 0 && rd.emptyArray {
			return []string{""}
		}
		return x
	case bool:
		return []string{rd.boolText(x)}
	case []byte:
		return []string{rd.binary(x)}
	case [16]byte:
		return []string{rd.guid(x)}
	case time.Time:
		return []string{rd.time(x)}
	}
	return []string{fmt.Sprint(v)}
}

func (rd reader) wantSys(r Record, id uint64) sysView {
	v := sysView{
		Provider: r.Provider, GUID: r.ProviderGUID, ESN: r.EventSourceName,
		EventID: fmt.Sprint(r.EventID), Version: fmt.Sprint(r.Version), Level: fmt.Sprint(r.Level),
		Task: fmt.Sprint(r.Task), Opcode: fmt.Sprint(r.Opcode), Keywords: r.Keywords,
		Time: rd.time(r.Time), RecordID: fmt.Sprint(id), ProcessID: fmt.Sprint(r.ProcessID),
		ThreadID: fmt.Sprint(r.ThreadID), Channel: r.Channel, Computer: r.Computer, UserSID: r.UserSID,
	}
	if r.Qualifiers != nil {
		v.Qualifiers = fmt.Sprint(*r.Qualifiers)
	}
	return v
}

// wantData returns the <Data> elements a reader shows, in order, and the
// value each one comes from.
func (rd reader) wantData(r Record) ([]kv, []any) {
	var out []kv
	var src []any
	for _, d := range r.Data {
		for _, s := range rd.render(d.Value) {
			out = append(out, kv{d.Name, s})
			src = append(src, d.Value)
		}
	}
	return out, src
}

// fixTime replaces got by the expected rendering of want when the reader
// rendered a time within its slack of want.
func (rd reader) fixTime(got *string, want time.Time) {
	if rd.timeSlack == 0 {
		return
	}
	g, err := rd.parseTime(*got)
	if err != nil {
		return
	}
	if d := g.Sub(want.UTC().Truncate(time.Microsecond)); d >= -rd.timeSlack && d <= rd.timeSlack {
		*got = rd.time(want)
	}
}

// xmlEvent is an <Event> as evtxexport and evtx_dump.py print it.
type xmlEvent struct {
	System struct {
		Provider struct {
			Name            string `xml:"Name,attr"`
			GUID            string `xml:"Guid,attr"`
			EventSourceName string `xml:"EventSourceName,attr"`
		}
		EventID struct {
			Qualifiers string `xml:"Qualifiers,attr"`
			Value      string `xml:",chardata"`
		}
		Version, Level, Task, Opcode, Keywords string
		TimeCreated                            struct {
			SystemTime string `xml:"SystemTime,attr"`
		}
		EventRecordID string
		Execution     struct {
			ProcessID string `xml:"ProcessID,attr"`
			ThreadID  string `xml:"ThreadID,attr"`
		}
		Channel, Computer string
		Security          struct {
			UserID string `xml:"UserID,attr"`
		}
	}
	EventData *struct {
		Data []struct {
			Name  string `xml:"Name,attr"`
			Value string `xml:",chardata"`
		}
	}
}

func (x *xmlEvent) sys(t *testing.T) sysView {
	s := x.System
	kw, err := strconv.ParseUint(strings.TrimSpace(s.Keywords), 0, 64)
	require.NoError(t, err, "Keywords %q", s.Keywords)
	return sysView{
		Provider: s.Provider.Name, GUID: s.Provider.GUID, ESN: s.Provider.EventSourceName,
		EventID: s.EventID.Value, Qualifiers: s.EventID.Qualifiers, Version: s.Version, Level: s.Level,
		Task: s.Task, Opcode: s.Opcode, Keywords: kw, Time: s.TimeCreated.SystemTime,
		RecordID: s.EventRecordID, ProcessID: s.Execution.ProcessID, ThreadID: s.Execution.ThreadID,
		Channel: s.Channel, Computer: s.Computer, UserSID: s.Security.UserID,
	}
}

var pyArrayItem = regexp.MustCompile(`(?s)<string>(.*?)</string>`)

// data returns the <Data> elements; python-evtx prints a string array as
// one <Data> holding "<string>v</string>" items, which are split here.
func (x *xmlEvent) data(splitPython bool) []kv {
	var out []kv
	if x.EventData == nil {
		return nil
	}
	for _, d := range x.EventData.Data {
		if splitPython && strings.HasPrefix(d.Value, "<string>") {
			for _, m := range pyArrayItem.FindAllStringSubmatch(d.Value, -1) {
				out = append(out, kv{d.Name, m[1]})
			}
			continue
		}
		out = append(out, kv{d.Name, d.Value})
	}
	return out
}

// decodeEvents decodes the <Event> elements of a reader's output.
func decodeEvents(t *testing.T, out []byte) []xmlEvent {
	t.Helper()
	// python-evtx declares XML 1.1, which encoding/xml refuses.
	out = regexp.MustCompile(`<\?xml[^>]*\?>`).ReplaceAll(out, nil)
	d := xml.NewDecoder(bytes.NewReader(out))
	var evs []xmlEvent
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Event" {
			continue
		}
		var ev xmlEvent
		require.NoError(t, d.DecodeElement(&ev, &se))
		evs = append(evs, ev)
	}
	return evs
}

func writeFile(t *testing.T, recs []Record) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.evtx")
	require.NoError(t, os.WriteFile(path, writeBytes(t, recs), 0o644))
	return path
}

func run(t *testing.T, name string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	require.NoError(t, cmd.Run(), "%s %v: %s", name, args, e.String())
	return o.String(), e.String()
}

// compareXML checks the events a reader printed against recs.
func compareXML(t *testing.T, rd reader, evs []xmlEvent, recs []Record, splitPython bool) {
	t.Helper()
	require.Len(t, evs, len(recs))
	ids := expectedIDs(recs)
	for i, r := range recs {
		gotSys := evs[i].sys(t)
		rd.fixTime(&gotSys.Time, r.Time)
		assert.Equal(t, rd.wantSys(r, ids[i]), gotSys, "record %d System", i)
		require.NotNil(t, evs[i].EventData, "record %d has an EventData element", i)
		want, src := rd.wantData(r)
		got := evs[i].data(splitPython)
		if len(got) == len(want) {
			for j := range got {
				if tm, ok := src[j].(time.Time); ok {
					rd.fixTime(&got[j].Value, tm)
				}
			}
		}
		assert.Equal(t, want, got, "record %d EventData", i)
	}
}

func TestReadBackLibevtx(t *testing.T) {
	for _, tool := range []string{"evtxexport", "evtxinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian package libevtx-utils): %v", tool, err)
		}
	}
	recs := variedRecords(t)
	path := writeFile(t, recs)

	info, _ := run(t, "evtxinfo", path)
	assert.Regexp(t, fmt.Sprintf(`Number of records\s*:\s*%d\n`, len(recs)), info)
	assert.Regexp(t, `Number of recovered records\s*:\s*0\n`, info)
	assert.NotContains(t, info, "Is corrupted")
	assert.NotContains(t, info, "Is dirty")

	out, errOut := run(t, "evtxexport", "-f", "xml", path)
	assert.Empty(t, errOut, "evtxexport reports nothing (no unsupported types)")
	compareXML(t, libevtxReader, decodeEvents(t, []byte(out)), recs, false)

	// A file without records is sound too.
	info, _ = run(t, "evtxinfo", writeFile(t, nil))
	assert.Regexp(t, `Number of records\s*:\s*0\n`, info)
	assert.NotContains(t, info, "Is corrupted")
}

// pythonEvtx returns the interpreter that sees Debian's python3-evtx, or
// skips the test.
func pythonEvtx(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if _, err := os.Stat("/usr/bin/evtx_dump.py"); err != nil {
		t.Skipf("python-evtx not installed (Debian package python3-evtx): %v", err)
	}
	if err := exec.Command(py, "-c", "import Evtx.Evtx").Run(); err != nil {
		t.Skipf("%s cannot import Evtx (Debian package python3-evtx): %v", py, err)
	}
	return py
}

func TestReadBackPythonEvtx(t *testing.T) {
	py := pythonEvtx(t)
	recs := variedRecords(t)
	path := writeFile(t, recs)

	info, _ := run(t, py, "/usr/bin/evtx_info.py", path)
	assert.Regexp(t, `File is\s*:\s*clean`, info)
	assert.Regexp(t, `Check sum\s*:\s*pass`, info)
	chunkLines := regexp.MustCompile(`(?m)^[ *>]\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+(\w+)\s+(\w+)$`).FindAllStringSubmatch(info, -1)
	require.NotEmpty(t, chunkLines, info)
	for _, m := range chunkLines {
		assert.Equal(t, []string{"pass", "pass"}, m[1:], "chunk header and data checksums: %s", m[0])
	}

	out, _ := run(t, py, "/usr/bin/evtx_dump.py", path)
	compareXML(t, pythonReader, decodeEvents(t, []byte(out)), recs, true)

	out, _ = run(t, py, "/usr/bin/evtx_dump.py", writeFile(t, nil))
	assert.Empty(t, decodeEvents(t, []byte(out)), "a file without records")
}

// golangView reads one golang-evtx map the way compareGolang needs it.
func golangSys(t *testing.T, m evtx.GoEvtxMap, header evtx.EventHeader) (sysView, map[string][]string) {
	t.Helper()
	ev := m["Event"].(evtx.GoEvtxMap)
	sys := ev["System"].(evtx.GoEvtxMap)
	str := func(v any) string {
		s, _ := v.(string)
		return s
	}
	sub := func(k string) evtx.GoEvtxMap {
		mm, _ := sys[k].(evtx.GoEvtxMap)
		return mm
	}
	var v sysView
	if p := sub("Provider"); p != nil {
		v.Provider, v.GUID, v.ESN = str(p["Name"]), str(p["Guid"]), str(p["EventSourceName"])
	}
	// golang-evtx turns <Provider Name="X"/> into System["X"] = "".
	known := map[string]bool{"Provider": true, "EventID": true, "Version": true, "Level": true, "Task": true,
		"Opcode": true, "Keywords": true, "TimeCreated": true, "EventRecordID": true, "Correlation": true,
		"Execution": true, "Channel": true, "Computer": true, "Security": true}
	for k, val := range sys {
		if !known[k] {
			v.GolangProviderKey, v.GolangProvider = k, str(val)
		}
	}
	switch id := sys["EventID"].(type) {
	case string:
		v.EventID = id
	case evtx.GoEvtxMap:
		v.EventID, v.Qualifiers = str(id["Value"]), str(id["Qualifiers"])
	}
	v.Version, v.Level, v.Task, v.Opcode = str(sys["Version"]), str(sys["Level"]), str(sys["Task"]), str(sys["Opcode"])
	kw, err := strconv.ParseUint(str(sys["Keywords"]), 0, 64)
	require.NoError(t, err)
	v.Keywords = kw
	if tc, ok := sub("TimeCreated")["SystemTime"].(evtx.UTCTime); ok {
		v.Time = golangReader.time(time.Time(tc))
	}
	v.HeaderTime = golangReader.time(time.Time(header.Timestamp.Time()))
	v.RecordID = str(sys["EventRecordID"])
	v.ProcessID, v.ThreadID = str(sub("Execution")["ProcessID"]), str(sub("Execution")["ThreadID"])
	v.Channel, v.Computer = str(sys["Channel"]), str(sys["Computer"])
	v.UserSID = str(sub("Security")["UserID"])

	data := map[string][]string{}
	ed, _ := ev["EventData"].(evtx.GoEvtxMap)
	for k, val := range ed {
		switch x := val.(type) {
		case string:
			data[k] = []string{x}
		case []string:
			data[k] = append([]string{}, x...)
		case evtx.UTCTime:
			data[k] = []string{golangReader.time(time.Time(x))}
		case nil:
			data[k] = []string{}
		default:
			t.Errorf("EventData[%q]: unexpected %T", k, val)
		}
	}
	return v, data
}

// wantGolang is what golang-evtx v1.2.9 shows for r, including two of its
// documented defects (research: shared/reference/evtx-facts.md §1.3):
// empty strings of a string array are dropped, and a <Provider> with only
// a Name attribute becomes System[Name] = "" (the name is kept as a key).
func wantGolang(r Record, id uint64) (sysView, map[string][]string) {
	v := golangReader.wantSys(r, id)
	v.HeaderTime = v.Time
	if r.ProviderGUID == "" && r.EventSourceName == "" {
		v.GolangProviderKey, v.Provider = r.Provider, ""
	}
	data := map[string][]string{}
	for i, d := range r.Data {
		key := d.Name
		if key == "" { // unnamed: "Data", then "Data<child index>"
			key = "Data"
			if _, dup := data[key]; dup {
				key = fmt.Sprintf("Data%d", i)
			}
		}
		vals := []string{}
		for _, s := range golangReader.render(d.Value) {
			if _, isArray := d.Value.([]string); isArray && s == "" {
				continue
			}
			vals = append(vals, s)
		}
		data[key] = vals
	}
	return v, data
}

// readGolang reads every record with golang-evtx's chunk API, recovering
// from the library's panics so that a bad record fails the test instead of
// killing it.
func readGolang(t *testing.T, path string) (maps []evtx.GoEvtxMap, headers []evtx.EventHeader) {
	t.Helper()
	f, err := evtx.Open(path) // refuses dirty files and bad magic
	require.NoError(t, err)
	defer f.Close()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.EqualValues(t, (fi.Size()-fileHeaderSize)/chunkSize, f.Header.ChunkCount)
	for off := int64(fileHeaderSize); off < fi.Size(); off += chunkSize {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("chunk at %#x: golang-evtx panicked: %v", off, p)
				}
			}()
			c, err := f.FetchChunk(off)
			require.NoError(t, err)
			for _, eo := range c.EventOffsets {
				if eo > c.Header.OffsetLastRec {
					continue // the library also lists the free space offset
				}
				ev := c.ParseEvent(int64(eo))
				m, err := ev.GoEvtxMap(&c)
				require.NoError(t, err, "record at chunk %#x offset %#x", off, eo)
				maps = append(maps, *m)
				headers = append(headers, ev.Header)
			}
		}()
	}
	return maps, headers
}

func compareGolang(t *testing.T, recs []Record) {
	t.Helper()
	path := writeFile(t, recs)
	maps, headers := readGolang(t, path)
	require.Len(t, maps, len(recs))
	ids := expectedIDs(recs)
	for i, r := range recs {
		wantSys, wantData := wantGolang(r, ids[i])
		gotSys, gotData := golangSys(t, maps[i], headers[i])
		assert.Equal(t, wantSys, gotSys, "record %d System", i)
		assert.Equal(t, wantData, gotData, "record %d EventData", i)
	}

	// The iterator the library documents returns the same records in order.
	f, err := evtx.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var n int
	for m := range f.FastEvents() {
		assert.EqualValues(t, ids[n], m.EventRecordID(), "FastEvents record %d", n)
		n++
	}
	assert.Equal(t, len(recs), n)
}

func TestReadBackGolangEvtx(t *testing.T) {
	compareGolang(t, variedRecords(t))
	compareGolang(t, nil)
}

// readerEdgeRecords holds values that golang-evtx and python-evtx render
// faithfully but libevtx 20181227 does not: negative signed integers (it
// prints -5 stored as 0xfb as "-123") and characters outside the Basic
// Multilingual Plane (it decodes the surrogate pair of U+1F600 as U+1F201).
func readerEdgeRecords() []Record {
	at := time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)
	return []Record{{
		Provider: "Lync", EventID: 2, Time: at, Channel: "Application", Computer: "PC",
		Data: []Data{{"i8", int8(-5)}, {"i16", int16(-300)}, {"i32", int32(-70000)},
			{"i64", int64(-5000000000)}, {"emoji", "sign-in 😀 failed"}, {"bin", []byte{}}},
	}}
}

func TestReadBackEdgeValues(t *testing.T) {
	recs := readerEdgeRecords()
	t.Run("golang-evtx", func(t *testing.T) { compareGolang(t, recs) })
	t.Run("python-evtx", func(t *testing.T) {
		py := pythonEvtx(t)
		out, _ := run(t, py, "/usr/bin/evtx_dump.py", writeFile(t, recs))
		compareXML(t, pythonReader, decodeEvents(t, []byte(out)), recs, true)
	})
}

func TestReadBackLibevtxFullChunk(t *testing.T) {
	if _, err := exec.LookPath("evtxinfo"); err != nil {
		t.Skipf("evtxinfo not installed (Debian package libevtx-utils): %v", err)
	}
	fits, _ := fullChunkRecords(t)
	info, _ := run(t, "evtxinfo", writeFile(t, fits))
	assert.Regexp(t, `Number of records\s*:\s*2\n`, info, "libevtx reads a chunk filled to the writer's limit")
}
