package evtxwriter

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specRecords is what testdata/spec.json describes.
func specRecords(t *testing.T) []Record {
	t.Helper()
	g, err := ParseGUID("{36a0ea1a-0e82-410c-8921-023f21f69575}")
	require.NoError(t, err)
	return []Record{
		{
			Provider: "Microsoft-Windows-DNS-Client", ProviderGUID: "{1c95126e-7eea-49a9-a3fe-a378b03ddb4d}",
			EventID: 1014, Level: 3, Task: 1014, Keywords: 0x4000000010000000,
			Time: time.Date(2024, 6, 3, 8, 15, 0, 123456700, time.UTC), ProcessID: 1336, ThreadID: 2024,
			Channel: "System", Computer: "WKS-0042.contoso.local", UserSID: "S-1-5-20",
			Data: []Data{{Name: "QueryName", Value: "lyncdiscover.contoso.com"},
				{Name: "AddressLength", Value: uint32(128)}},
		},
		{
			Provider: "Communicator", EventID: 3, Qualifiers: u16ptr(0), Level: 2, Keywords: 0x0080000000000000,
			Time:    time.Date(2024, 6, 3, 10, 15, 1, 0, time.FixedZone("", 2*3600)),
			Channel: "Application", Computer: "WKS-0042.contoso.local",
			Data: []Data{{Value: []string{"sipinternal.contoso.com", "", "0x80072EE7"}}},
		},
		{
			Provider: "Lync", EventID: 1, Time: time.Date(2024, 6, 3, 8, 15, 2, 0, time.UTC), RecordID: 100,
			Channel: "Application", Computer: "WKS-0042.contoso.local",
		},
		{
			Provider: "sfblog-test", EventSourceName: "sfblog test", EventID: 65535, Qualifiers: u16ptr(49152),
			Version: 2, Level: 4, Opcode: 1, Task: 3, Time: time.Date(2024, 6, 3, 8, 15, 3, 500000000, time.UTC),
			ProcessID: 4294967295, ThreadID: 1, Channel: "Application", Computer: "WKS-0042.contoso.local",
			Data: []Data{
				{Name: "s", Value: "text"}, {Name: "i8", Value: int8(-8)}, {Name: "i16", Value: int16(-16)},
				{Name: "i32", Value: int32(-32)}, {Name: "i64", Value: int64(-9223372036854775808)},
				{Name: "u8", Value: uint8(255)}, {Name: "u16", Value: uint16(65535)},
				{Name: "u32", Value: uint32(4294967295)}, {Name: "u64", Value: uint64(18446744073709551615)},
				{Name: "b", Value: true}, {Name: "bin", Value: []byte{0x00, 0xab, 0xcd}}, {Name: "g", Value: g},
				{Name: "t", Value: time.Date(2024, 6, 3, 8, 0, 0, 100, time.UTC)},
				{Name: "empty", Value: ""}, {Value: "unnamed"},
			},
		},
	}
}

func TestReadSpec(t *testing.T) {
	recs, err := ReadSpec(filepath.Join("testdata", "spec.json"))
	require.NoError(t, err)
	want := specRecords(t)
	require.Len(t, recs, len(want))
	for i := range want {
		// Compare times as instants; everything else exactly.
		assert.True(t, want[i].Time.Equal(recs[i].Time), "record %d time", i)
		for j, d := range want[i].Data {
			if tm, ok := d.Value.(time.Time); ok {
				assert.True(t, tm.Equal(recs[i].Data[j].Value.(time.Time)), "record %d data %d", i, j)
				want[i].Data[j].Value = recs[i].Data[j].Value
			}
		}
		want[i].Time = recs[i].Time
		assert.Equal(t, want[i], recs[i], "record %d", i)
	}
}

func TestReadSpecFileErrors(t *testing.T) {
	_, err := ReadSpec(filepath.Join("testdata", "no-such-spec.json"))
	assert.ErrorContains(t, err, "read spec")
	_, err = ReadSpec(filepath.Join("testdata", "spec-invalid.json"))
	assert.ErrorContains(t, err, filepath.Join("testdata", "spec-invalid.json")+": record 2: data 1 (\"Port\"): ")
}

func TestDecodeSpecErrors(t *testing.T) {
	const rec = `"provider":"Lync","time":"2024-01-01T00:00:00Z"`
	tests := []struct {
		name, spec, msg string
	}{
		{"not an array", `{}`, "decode spec"},
		{"trailing data", `[] []`, "data after the array"},
		{"unknown field", `[{` + rec + `,"eventid2":1}]`, `unknown field "eventid2"`},
		{"missing time", `[{"provider":"Lync"}]`, "record 1: time is required"},
		{"bad time", `[{"provider":"Lync","time":"2024-01-01 00:00"}]`, "record 1: time"},
		{"bad keywords", `[{` + rec + `,"keywords":"0xZZ"}]`, "not an unsigned 64-bit number"},
		{"event id too big", `[{` + rec + `,"eventId":70000}]`, "decode spec"},
		{"missing value", `[{` + rec + `,"data":[{"name":"a"}]}]`, `data 1 ("a"): value is missing`},
		{"unknown type", `[{` + rec + `,"data":[{"value":"1","type":"float"}]}]`, `unknown type "float"`},
		{"string wants string", `[{` + rec + `,"data":[{"value":1}]}]`, `needs a JSON string`},
		{"strings wants array", `[{` + rec + `,"data":[{"value":"a","type":"strings"}]}]`, "array of strings"},
		{"int out of range", `[{` + rec + `,"data":[{"value":300,"type":"int8"}]}]`, "out of range"},
		{"uint negative", `[{` + rec + `,"data":[{"value":-1,"type":"uint32"}]}]`, "invalid syntax"},
		{"fraction", `[{` + rec + `,"data":[{"value":1.5,"type":"int32"}]}]`, "invalid syntax"},
		{"number wants number", `[{` + rec + `,"data":[{"value":true,"type":"uint16"}]}]`, "needs a number"},
		{"bool", `[{` + rec + `,"data":[{"value":"yes","type":"bool"}]}]`, "true or false"},
		{"binary", `[{` + rec + `,"data":[{"value":"0g","type":"binary"}]}]`, "hex digits"},
		{"guid", `[{` + rec + `,"data":[{"value":"{1234}","type":"guid"}]}]`, "invalid GUID"},
		{"data time", `[{` + rec + `,"data":[{"value":"noon","type":"time"}]}]`, "cannot parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeSpec(strings.NewReader(tt.spec))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}
