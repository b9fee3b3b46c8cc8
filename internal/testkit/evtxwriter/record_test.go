package evtxwriter

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGUID(t *testing.T) {
	want := [16]byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}
	tests := []struct {
		in      string
		wantErr bool
	}{
		{"{00112233-4455-6677-8899-aabbccddeeff}", false},
		{"00112233-4455-6677-8899-AABBCCDDEEFF", false},
		{"{00112233-4455-6677-8899-aabbccddeef}", true},
		{"{00112233-4455-6677-8899_aabbccddeeff}", true},
		{"{0011223g-4455-6677-8899-aabbccddeeff}", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			g, err := ParseGUID(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, g)
		})
	}
}

func TestAppendGUIDOnDiskLayout(t *testing.T) {
	// The Service Control Manager GUID as Windows stores it (first three
	// groups little-endian).
	g, err := ParseGUID("{555908d1-a6d7-4695-8e1e-26931d2012f4}")
	require.NoError(t, err)
	assert.Equal(t, "d1085955d7a69546"+"8e1e26931d2012f4", hex.EncodeToString(appendGUID(nil, g)))
}

func TestParseSID(t *testing.T) {
	tests := []struct {
		in   string
		want string // hex
		err  bool
	}{
		{"S-1-5-18", "010100000000000512000000", false},
		{"S-1-5-21-2036804247-3058324640-2116585241-1105",
			"010500000000000515000000" + "972a6779" + "a0544ab6" + "1987287e" + "51040000", false},
		{"S-1-0x1000000000-1", "010100100000000001000000", false}, // hex authority
		{"S-1-1-0", "010100000000000100000000", false},
		{"S-1", "", true},
		{"X-1-5-18", "", true},
		{"S-1-5-x", "", true},
		{"S-1-281474976710656-1", "", true}, // authority over 48 bits
		{"S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, err := parseSID(tt.in)
			if tt.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, hex.EncodeToString(b))
		})
	}
}

func TestFileTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want uint64
		err  bool
	}{
		{time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC), 0, false},
		{time.Unix(0, 0), 116444736000000000, false},
		// 2012-03-14T04:17:38.2763402Z, a TimeCreated from the corpus
		// (python-evtx/system.evtx record 12050).
		{time.Date(2012, 3, 14, 4, 17, 38, 276340200, time.UTC), 129761722582763402, false},
		{time.Date(2012, 3, 14, 13, 17, 38, 276340299, time.FixedZone("JST", 9*3600)), 129761722582763402, false},
		{time.Date(1600, 12, 31, 23, 59, 59, 0, time.UTC), 0, true},
		{time.Time{}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			got, err := fileTime(tt.in)
			if tt.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestNameHashMatchesWindows(t *testing.T) {
	// Hashes stored by Windows in the string table of
	// python-evtx/system.evtx, chunk 0.
	for name, want := range map[string]uint16{
		"Event": 0x0cba, "System": 0x546f, "Provider": 0x7bf1, "Data": 0x6f8a,
		"EventSourceName": 0xd660, "xmlns": 0x0fbc, "Qualifiers": 0xda29, "EventData": 0x8244,
		"xmlns:auto-ns2": 0x774d, "RelatedActivityID": 0xc535,
	} {
		assert.Equal(t, want, nameHash(name), name)
	}
}

func TestValueEncoding(t *testing.T) {
	g, err := ParseGUID("{00112233-4455-6677-8899-aabbccddeeff}")
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
		typ  byte
		hex  string
	}{
		{"string", "Aé", typeString, "4100e900"},
		{"surrogate pair", "😀", typeString, "3dd800de"},
		{"empty string", "", typeString, ""},
		{"string array with empty", []string{"a", "", "b"}, 0x81, "61000000000062000000"},
		{"empty array", []string{}, 0x81, ""},
		{"int8", int8(-5), typeInt8, "fb"},
		{"uint8", uint8(200), typeUInt8, "c8"},
		{"int16", int16(-2), typeInt16, "feff"},
		{"uint16", uint16(0x1234), typeUInt16, "3412"},
		{"int32", int32(-1), typeInt32, "ffffffff"},
		{"uint32", uint32(46), typeUInt32, "2e000000"},
		{"int64", int64(-2), typeInt64, "feffffffffffffff"},
		{"uint64", uint64(1), typeUInt64, "0100000000000000"},
		{"bool true", true, typeBool, "01000000"},
		{"bool false", false, typeBool, "00000000"},
		{"binary", []byte{0xab, 0xcd}, typeBinary, "abcd"},
		{"guid", g, typeGUID, "33221100554477668899aabbccddeeff"},
		{"filetime", time.Unix(0, 0), typeFileTime, "00803ed5deb19d01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, err := valueType(tt.v)
			require.NoError(t, err)
			assert.Equal(t, tt.typ, typ)
			b, err := appendValue(nil, tt.v)
			require.NoError(t, err)
			assert.Equal(t, tt.hex, hex.EncodeToString(b))
		})
	}
}

func TestValueEncodingErrors(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"int", 5},
		{"float", 1.5},
		{"nil", nil},
		{"pointer", new(string)},
		{"nul in array", []string{"a\x00b"}},
		{"time before 1601", time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := valueType(tt.v)
			if err == nil {
				_, err = appendValue(nil, tt.v)
			}
			assert.Error(t, err)
		})
	}
}
