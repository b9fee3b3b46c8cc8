package evtx

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math/rand"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"magic", []byte("ElfFile\x00\x01\x02"), true},
		{"magic only", []byte("ElfFile\x00"), true},
		{"no NUL", []byte("ElfFile1"), false},
		{"short", []byte("ElfFil"), false},
		{"empty", nil, false},
		{"chunk magic", []byte("ElfChnk\x00"), false},
		{"text", []byte("2024-01-01 INFO ..."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(tt.head))
		})
	}
}

// TestProviderName checks golang-evtx defect (b): <Provider Name="X"/>
// with Name as its only attribute. The library turns it into
// System["X"]="" and loses the name; classic (non-manifest) providers
// always look like that.
func TestProviderName(t *testing.T) {
	tests := []struct {
		file     string
		record   uint64
		provider string
		eventID  string
		qual     string
	}{
		// evtxexport: <Provider Name="EventLog"/> <EventID Qualifiers="32768">6009</EventID>
		{"omerbenamram-evtx/system.evtx", 1, "EventLog", "6009", "32768"},
		{"omerbenamram-evtx/system.evtx", 70, "e1iexpress", "", "24580"},
		// <Provider Name="USER32"/> <EventID Qualifiers="32768">1074</EventID>
		{"python-evtx/system.evtx", 12135, "USER32", "1074", "32768"},
		{"hayabusa-sample-evtx/DeepBlueCLI_many-events-application.evtx", 153, "Windows Error Reporting", "", "0"},
		{"omerbenamram-evtx/MSExchange_Management_wec.evtx", 3229, "MSExchange CmdletLogs", "", "16384"},
		// A manifest provider with Name and Guid keeps working.
		{"omerbenamram-evtx/system.evtx", 3, "Microsoft-Windows-Kernel-General", "12", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file+"#"+strconvU(tt.record), func(t *testing.T) {
			res := parseCorpus(t, tt.file)
			e, ok := res.byRecord(tt.record)
			require.True(t, ok, "record %d not read", tt.record)
			assert.Equal(t, tt.provider, e.Get("evt.provider"))
			if tt.eventID != "" {
				assert.Equal(t, tt.eventID, e.Get("evt.event_id"))
			}
			assert.Equal(t, tt.qual, e.Get("evt.qualifiers"))
		})
	}
}

// TestInsertionStringPositions checks golang-evtx defect (a): empty strings
// in a string array substitution are dropped, which shifts every later
// insertion string. Expected values are evtxexport's <Data> elements.
func TestInsertionStringPositions(t *testing.T) {
	tests := []struct {
		file   string
		record uint64
		want   map[string]string
		count  int // number of evt.data.N fields
	}{
		{"omerbenamram-evtx/system.evtx", 1, map[string]string{
			"1": "10.00.", "2": "15063", "3": "", "4": "Multiprocessor Free", "5": "0",
		}, 5},
		{"omerbenamram-evtx/system.evtx", 70, map[string]string{
			"1": "", "2": "Intel(R) 82574L Gigabit Network Connection",
		}, 0},
		{"python-evtx/system.evtx", 12135, map[string]string{
			"1": `C:\Windows\system32\svchost.exe (WKS-WIN764BITB)`, "2": "WKS-WIN764BITB",
			"3": "Operating System: Recovery (Planned)", "4": "0x80020002", "5": "restart",
			"6": "", "7": `NT AUTHORITY\SYSTEM`,
			"Binary": "02000280000000000000000000000000000000000000000000000000000000000000000000000000",
		}, 7},
		{"hayabusa-sample-evtx/DeepBlueCLI_many-events-application.evtx", 153, map[string]string{
			"1": "", "2": "0", "3": "WindowsUpdateFailure", "4": "Not available", "5": "0",
			"6": "7.3.7600.16385", "7": "8024001f", "12": "",
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file+"#"+strconvU(tt.record), func(t *testing.T) {
			res := parseCorpus(t, tt.file)
			e, ok := res.byRecord(tt.record)
			require.True(t, ok, "record %d not read", tt.record)
			for k, v := range tt.want {
				got, ok := e.Fields["evt.data."+k]
				assert.True(t, ok, "evt.data.%s missing", k)
				assert.Equal(t, v, got, "evt.data.%s", k)
			}
			if tt.count > 0 {
				n := 0
				for k := range e.Fields {
					if isDigits(strings.TrimPrefix(k, "evt.data.")) {
						n++
					}
				}
				assert.Equal(t, tt.count, n, "positional data fields")
				assert.Equal(t, tt.count-1, strings.Count(strings.TrimSuffix(e.Get("evt.data.all"), "\n"+e.Get("evt.data.Binary")), "\n"))
			}
		})
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func strconvU(v uint64) string { return strconv.FormatUint(v, 10) }

// TestFields checks the documented field set on real records of the
// three data shapes: System + named EventData, UserData, classic.
func TestFields(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		record uint64
		want   map[string]string
		text   string
		time   string
	}{
		{
			name: "security 4624 named data", file: "omerbenamram-evtx/Security_with_size_t.evtx", record: 2,
			want: map[string]string{
				"evt.provider": "Microsoft-Windows-Security-Auditing", "evt.event_id": "4624", "evt.level": "0",
				"evt.task": "12544", "evt.keywords": "0x8020000000000000", "evt.channel": "Security",
				"evt.computer": "26L2233B1-02", "evt.data.TargetUserName": "SYSTEM",
				"evt.data.TargetLogonId": "0x3e7", "evt.data.LogonGuid": "{00000000-0000-0000-0000-000000000000}",
				"evt.data.ProcessName": "", "evt.data.TargetUserSid": "S-1-5-18",
			},
			text: "Security/Microsoft-Windows-Security-Auditing 4624 Level=0 Computer=26L2233B1-02: S-1-0-0 | - | - | 0x0 | S-1-5-18 | SYSTEM | NT AUTHORITY | 0x3e7",
			time: "2015-08-24T06:51:38.4375Z",
		},
		{
			name: "log cleared 104 user data", file: "evtx-attack-samples/Defense_Evasion_DE_104_system_log_cleared.evtx", record: 27736,
			want: map[string]string{
				"evt.provider": "Microsoft-Windows-Eventlog", "evt.event_id": "104", "evt.channel": "System",
				"evt.user_sid":             "S-1-5-21-1587066498-1489273250-1035260531-1106",
				"evt.data.SubjectUserName": "user01", "evt.data.SubjectDomainName": "EXAMPLE",
				"evt.data.Channel": "System", "evt.data.BackupPath": "",
				"evt.data.all": "user01\nEXAMPLE\nSystem\n",
			},
			text: "System/Microsoft-Windows-Eventlog 104 Level=4 Computer=PC01.example.corp: user01 | EXAMPLE | System",
			time: "2019-03-19T23:34:25.8943413Z",
		},
		{
			name: "classic 6005 binary", file: "omerbenamram-evtx/system.evtx", record: 2,
			want: map[string]string{
				"evt.provider": "EventLog", "evt.event_id": "6005", "evt.qualifiers": "32768",
				"evt.keywords": "0x80000000000000", "evt.level": "4",
				"evt.data.Binary": "E107070003000C00110010001C00D6000000000000000000",
			},
			time: "2017-07-12T17:16:28.2141616Z",
		},
		{
			name: "CAPI2 binary XML values", file: "omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", record: 1,
			want: map[string]string{
				"evt.provider": "Microsoft-Windows-CAPI2", "evt.event_id": "80",
				"evt.channel":          "Microsoft-Windows-CAPI2/Operational",
				"evt.data.ProcessName": "Setup.exe", "evt.data.TaskId": "{1CB1FE4B-D685-48FC-A3FA-42893E4C1717}",
				"evt.data.SeqNumber": "1",
			},
			time: "2017-05-19T02:02:36Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseCorpus(t, tt.file)
			e, ok := res.byRecord(tt.record)
			require.True(t, ok, "record %d not read", tt.record)
			for k, v := range tt.want {
				got, ok := e.Fields[k]
				assert.True(t, ok, "%s missing", k)
				assert.Equal(t, v, got, k)
			}
			if tt.text != "" {
				assert.True(t, strings.HasPrefix(e.Text, tt.text), "Text = %q", e.Text)
			}
			assert.NotContains(t, e.Text, "\n")
			assert.Equal(t, tt.time, e.Time.Format(time.RFC3339Nano))
			assert.False(t, e.Local)
		})
	}
}

// TestSynthetic decodes a file written by the test itself: template-less
// binary XML (as written by xml2evtx), chunks out of record-id order, a
// repeated chunk and an all-zero unused slot.
func TestSynthetic(t *testing.T) {
	rec := func(id uint64, data ...[2]string) testRecord {
		return testRecord{id: id, provider: "Schannel", eventID: "36882", time: "2024-05-06T07:08:09.1234567Z", data: data}
	}
	c0 := buildChunk([]testRecord{rec(3, [2]string{"", "a&b"}, [2]string{"", ""}, [2]string{"", "c"}), rec(4)})
	c1 := buildChunk([]testRecord{rec(1, [2]string{"Status", "0x80090325"}), rec(2)})
	file := buildFile(c0, c1, c1, make([]byte, chunkSize))

	res := parseBytes(t, "bundle.zip!/logs/System.evtx", file)
	require.NoError(t, res.err)
	var ids []uint64
	for _, e := range res.events {
		ids = append(ids, e.RecordID)
	}
	assert.Equal(t, []uint64{1, 2, 3, 4}, ids)
	require.Len(t, res.problems, 2, res.problemTexts())
	assert.Contains(t, res.problems[0].String(), "file header lists 4 chunks, 3 found")
	assert.Contains(t, res.problems[1].String(), "chunk 2: 2 records repeat record ids")

	e := res.events[2]
	assert.Equal(t, "bundle.zip!/logs/System.evtx", e.Path)
	assert.Equal(t, map[string]string{
		"evt.provider": "Schannel", "evt.event_id": "36882", "evt.level": "2",
		"evt.channel": "Application", "evt.computer": "PC1",
		"evt.data.1": "a&b", "evt.data.2": "", "evt.data.3": "c", "evt.data.all": "a&b\n\nc",
	}, e.Fields)
	assert.Equal(t, "Application/Schannel 36882 Level=2 Computer=PC1: a&b | c", e.Text)
	assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 9, 123456700, time.UTC), e.Time)
	assert.Equal(t, "0x80090325", res.events[0].Get("evt.data.Status"))

	// A file cut inside its only chunk keeps the complete records (the
	// fuzz seed).
	small := smallFile()
	res = parseBytes(t, "small", small)
	require.NoError(t, res.err)
	assert.Equal(t, 2, len(res.events))
	assert.Equal(t, []string{"chunk 0: truncated: " + strconv.Itoa(len(small)-fileHeaderSize) + " of 65536 bytes present"}, msgs(res.problems))
}

func msgs(ps []event.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Msg)
	}
	return out
}

// TestChecksum: a chunk whose records CRC does not match is still read.
func TestChecksum(t *testing.T) {
	res := parseCorpus(t, "derived/security_chunk2_crc_mismatch.evtx")
	require.NoError(t, res.err)
	assert.Equal(t, 2261, len(res.events))
	require.Len(t, res.problems, 1)
	assert.Contains(t, res.problems[0].Msg, "chunk 2: checksum mismatch (records CRC32")
	assert.Equal(t, int64(4096+2*65536), res.problems[0].Offset)

	// Format 3.2 files flagged "no CRC32" keep no checksums to verify.
	res = parseCorpus(t, "omerbenamram-evtx/Application_no_crc32.evtx")
	require.NoError(t, res.err)
	assert.Equal(t, 17, len(res.events))
	assert.Empty(t, res.problems)
}

// chunkRange returns the first and last record id in the header of chunk i.
func chunkRange(b []byte, i int) (uint64, uint64) {
	off := slotOffset(i)
	return binary.LittleEndian.Uint64(b[off+24:]), binary.LittleEndian.Uint64(b[off+32:])
}

// TestDamaged feeds real damaged files and byte-mutated copies of
// security.evtx (2261 records in 26 chunks).
func TestDamaged(t *testing.T) {
	sec := readCorpus(t, "omerbenamram-evtx/security.evtx")
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(sec)) }
	first3, last3 := chunkRange(sec, 3)
	first1, last1 := chunkRange(sec, 1)
	first5, last5 := chunkRange(sec, 5)
	garbage := make([]byte, 200_000)
	rand.New(rand.NewSource(1)).Read(garbage)

	tests := []struct {
		name     string
		file     string // corpus file, or
		data     []byte // in-memory input
		wantErr  error
		events   int
		problems []string // substrings, one problem each, in order
	}{
		{name: "empty", file: "derived/empty.evtx", wantErr: ErrNotEVTX,
			problems: []string{"no EVTX signature"}},
		{name: "text", file: "derived/not_evtx.evtx", wantErr: ErrNotEVTX,
			problems: []string{"no EVTX signature"}},
		{name: "random garbage", data: garbage, wantErr: ErrNotEVTX,
			problems: []string{"no EVTX signature"}},
		{name: "header only", file: "derived/security_header_only.evtx",
			problems: []string{"file header lists 26 chunks, 0 found"}},
		{name: "truncated mid chunk", file: "derived/security_truncated_mid_chunk.evtx", events: 477,
			problems: []string{"lists 26 chunks, 6 found", "chunk 5: truncated: 30000 of 65536", "record 478 cut by the end of the file"}},
		{name: "truncated in a chunk header", data: sec[:fileHeaderSize+100],
			problems: []string{"lists 26 chunks, 1 found", "chunk 0: chunk header cut at 100 bytes"}},
		{name: "short file header", data: sec[:100], wantErr: ErrNotEVTX,
			problems: []string{"file header cut at 100 bytes"}},
		{name: "bad chunk magic (real)", file: "omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx", events: 270},
		{name: "bad chunk magic", events: 2261 - int(last3-first3+1),
			data:     mutate(func(b []byte) []byte { copy(b[slotOffset(3):], "XXXXXXXX"); return b }),
			problems: []string{"lists 26 chunks, 25 found", "chunk 3: no chunk signature"}},
		{name: "bad file magic", events: 2261,
			data:     mutate(func(b []byte) []byte { copy(b, "XXXXXXXX"); return b }),
			problems: []string{"file header: no EVTX signature"}},
		{name: "repeated chunk", events: 2261 - int(last5-first5+1),
			data: mutate(func(b []byte) []byte {
				copy(b[slotOffset(5):slotOffset(6)], b[slotOffset(1):slotOffset(2)])
				return b
			}),
			problems: []string{"chunk 5: " + strconvU(last1-first1+1)}},
		{name: "swapped chunks", events: 2261,
			data: mutate(func(b []byte) []byte {
				c0 := bytes.Clone(b[slotOffset(0):slotOffset(1)])
				copy(b[slotOffset(0):], b[slotOffset(2):slotOffset(3)])
				copy(b[slotOffset(2):], c0)
				return b
			})},
		{name: "zeroed records", events: 2261 - int(last1-first1+1),
			data: mutate(func(b []byte) []byte {
				clear(b[slotOffset(1)+chunkHeaderSize : slotOffset(2)])
				return b
			}),
			problems: []string{"chunk 1: checksum mismatch", "chunk 1: invalid record header"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res result
			if tt.file != "" {
				res = parseCorpus(t, tt.file)
			} else {
				res = parseBytes(t, tt.name, tt.data)
			}
			if tt.wantErr != nil {
				assert.ErrorIs(t, res.err, tt.wantErr)
			} else {
				assert.NoError(t, res.err)
			}
			assert.Equal(t, tt.events, len(res.events))
			assertSorted(t, res.events)
			if tt.problems != nil {
				texts := res.problemTexts()
				require.Len(t, texts, len(tt.problems), texts)
				for i, want := range tt.problems {
					assert.Contains(t, texts[i], want)
				}
			}
		})
	}
}

// assertSorted checks that events come in increasing, unique record ids
// (true for every input of TestDamaged, whose XML and header ids agree).
func assertSorted(t *testing.T, evs []event.Event) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		if evs[i].RecordID <= evs[i-1].RecordID {
			t.Fatalf("record %d after record %d", evs[i].RecordID, evs[i-1].RecordID)
		}
	}
}

// TestMutations flips bytes all over a small real file: every input must
// parse without panic, problems must name a chunk or the file header, and
// records must stay ordered.
func TestMutations(t *testing.T) {
	orig := readCorpus(t, "evtx-attack-samples/Defense_Evasion_DE_1102_security_log_cleared.evtx")
	rng := rand.New(rand.NewSource(42))
	for i := 0; i < 200; i++ {
		b := bytes.Clone(orig)
		for j := 0; j < 1+rng.Intn(20); j++ {
			// Mostly hit the first chunk's header and records.
			k := fileHeaderSize + rng.Intn(8192)
			if rng.Intn(4) == 0 {
				k = rng.Intn(len(b))
			}
			b[k] ^= byte(1 + rng.Intn(255))
		}
		res := parseBytes(t, "mutated", b)
		require.NoError(t, res.err)
		for _, p := range res.problems {
			assert.True(t, strings.Contains(p.Msg, "chunk ") || strings.Contains(p.Msg, "file header"), p.String())
		}
	}
}

func TestContextCanceled(t *testing.T) {
	b := readCorpus(t, "omerbenamram-evtx/security.evtx")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 0
	_, err := Parse(ctx, "x", bytes.NewReader(b), int64(len(b)), func(event.Event) error { n++; return nil })
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, n)
}

func TestSinkError(t *testing.T) {
	b := readCorpus(t, "omerbenamram-evtx/security.evtx")
	stop := errors.New("enough")
	n := 0
	_, err := Parse(context.Background(), "x", bytes.NewReader(b), int64(len(b)), func(event.Event) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 10, n)
}

// TestAllZero checks allZero against a byte-by-byte loop: every length
// up to 100 with one non-zero byte at each place, the word and tail parts
// included, and a chunk-sized slot.
func TestAllZero(t *testing.T) {
	slow := func(b []byte) bool { return bytes.Count(b, []byte{0}) == len(b) }
	for n := 0; n <= 100; n++ {
		b := make([]byte, n)
		require.True(t, allZero(b), "zeros, length %d", n)
		for i := range n {
			for _, c := range []byte{1, 0x80, 0xff} {
				b[i] = c
				require.Equal(t, slow(b), allZero(b), "length %d, byte %#x at %d", n, c, i)
				require.False(t, allZero(b))
				// A shorter view that leaves the byte out is zero.
				require.True(t, allZero(b[:i]), "length %d, before %d", n, i)
				b[i] = 0
			}
		}
	}
	slot := make([]byte, chunkSize)
	assert.True(t, allZero(slot))
	slot[chunkSize-1] = 1
	assert.False(t, allZero(slot), "the last byte of a slot")
}

// The chunks are decoded on worker goroutines: when the sink fails or the
// context is canceled part way, Parse returns without leaving one behind,
// and emits nothing after the failing event.
func TestDecodeWorkersStop(t *testing.T) {
	b := readCorpus(t, "omerbenamram-evtx/security.evtx")
	for _, cancelAt := range []bool{false, true} {
		base := runtime.NumGoroutine()
		ctx, cancel := context.WithCancel(context.Background())
		stop := errors.New("enough")
		n := 0
		_, err := Parse(ctx, "x", bytes.NewReader(b), int64(len(b)), func(event.Event) error {
			n++
			if n == 100 {
				if cancelAt {
					cancel()
					return nil
				}
				return stop
			}
			return nil
		})
		cancel()
		if cancelAt {
			assert.ErrorIs(t, err, context.Canceled)
			assert.Less(t, n, 100+2*chunkSize/recordHeaderSize, "stopped within the groups in flight")
		} else {
			assert.ErrorIs(t, err, stop)
			assert.Equal(t, 100, n)
		}
		// Polled here: assert.Eventually runs its condition on a goroutine
		// of its own, which the count would include.
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		assert.LessOrEqual(t, runtime.NumGoroutine(), base, "workers gone")
	}
}
