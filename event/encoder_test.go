package event

import (
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// sortedNames returns the names of fields in the order o puts them, or
// nil when o declines.
func sortedNames(o *Encoder, fields []Field) []string {
	var order [maxSorted]uint8
	var ids [maxSorted]uint16
	if !o.indexes(fields, &order, &ids) {
		return nil
	}
	var names []string
	for _, i := range order[:len(fields)] {
		names = append(names, fields[i].Name)
	}
	return names
}

func fieldsNamed(names ...string) []Field {
	fs := make([]Field, len(names))
	for i, n := range names {
		fs[i] = Field{Name: n, Value: fmt.Sprint(i)}
	}
	return fs
}

// TestEncoderOrder: one Encoder sorts event after event as a sort does, while it
// learns new names between and among known ones; names that are prefixes
// of others, hold NUL bytes or are empty sort in byte order.
func TestEncoderOrder(t *testing.T) {
	var o Encoder
	for _, names := range [][]string{
		{"sip.method", "sip.call_id", "sip.header.via", "sip.header.to"},
		{"sip.header.to", "sip.header.via", "sip.call_id", "sip.method"},
		{"sip.header.content-type", "sip.header.content-length", "sip.header.contact", "sip.method"},
		{"a", "a\x00", "ab", "", "a\x00\x00", "\x00"},
		{"sip.header.to", "signin.result", "sip.status", "a", "zz", "sip.header.content-length"},
		{"évt", "evt", "Evt", "\xff", "\x7f"},
		{"evt.data.Param10", "evt.data.Param2", "evt.data.Param1", "evt.data.Param100000000000000000"},
		{"only"},
		{},
	} {
		want := slices.Clone(names)
		slices.Sort(want)
		got := sortedNames(&o, fieldsNamed(names...))
		if len(names) == 0 {
			require.Empty(t, got)
			continue
		}
		require.Equal(t, want, got)
	}
}

// TestEncoderDeclines: two fields of one name, or a new name once maxNames
// are known, are left to the sort of AppendJSONFields, which writes the
// same object.
func TestEncoderDeclines(t *testing.T) {
	var o Encoder
	require.Nil(t, sortedNames(&o, fieldsNamed("b", "a", "b")), "the same name twice")
	for i := range maxNames - len(o.names) {
		require.NotNil(t, sortedNames(&o, fieldsNamed(fmt.Sprintf("n%04d", i))))
	}
	require.Len(t, o.names, maxNames)
	require.Nil(t, sortedNames(&o, fieldsNamed("n0001", "new")), "no room for a new name")
	require.Equal(t, []string{"n0001", "n1000"}, sortedNames(&o, fieldsNamed("n1000", "n0001")), "known names still sort")

	e := Event{Kind: "k"}
	fs := fieldsNamed("zeta", "alpha", "n0003")
	require.Equal(t, string(e.AppendJSONFields(nil, fs)), string(o.Append(nil, &e, fs)))
	var fresh Encoder // names that JSON escapes, kept escaped
	fs = fieldsNamed("<x>", "\x1b[31m\x1b", "\xc3\xa9\xff", `q"uote`, "\u2028", "plain")
	require.Equal(t, string(e.AppendJSONFields(nil, fs)), string(fresh.Append(nil, &e, fs)))
	slices.Reverse(fs)
	require.Equal(t, string(e.AppendJSONFields(nil, fs)), string(fresh.Append(nil, &e, fs)))
	fs = fieldsNamed("zeta", "alpha", "n0003")
	require.Equal(t, string(e.AppendJSONFields(nil, fs)), string(o.Append(nil, &e, fs)))
	many := make([]Field, maxSorted+1)
	for i := range many {
		many[i] = Field{Name: fmt.Sprintf("f%03d", len(many)-i), Value: "v"}
	}
	require.Equal(t, string(e.AppendJSONFields(nil, many)), string(o.Append(nil, &e, many)))
}

// TestEncoderReusedAddress: a name whose bytes are at the address, and of
// the length, of a name seen before is compared before its id is
// trusted (the collector reuses memory).
func TestEncoderReusedAddress(t *testing.T) {
	var o Encoder
	buf := []byte("bbbb")
	name := unsafe.String(&buf[0], len(buf))
	require.Equal(t, []string{"aaaa", "bbbb"}, sortedNames(&o, []Field{{Name: name}, {Name: "aaaa"}}))
	copy(buf, "zzzz") // the same address and length, another name
	require.Equal(t, []string{"aaaa", "zzzz"}, sortedNames(&o, []Field{{Name: name}, {Name: "aaaa"}}))
	copy(buf, "0000")
	require.Equal(t, []string{"0000", "aaaa"}, sortedNames(&o, []Field{{Name: "aaaa"}, {Name: name}}))
	for _, n := range o.names {
		require.False(t, unsafe.StringData(n) == &buf[0], "the Encoder keeps copies of the names")
	}
}

// TestEncoderRanks: names learned in any order keep ranks in their byte
// order.
func TestEncoderRanks(t *testing.T) {
	var enc Encoder
	names := []string{"m", "a", "z", "b", "y", "ab", "", "\x00", "zz", "a\x00", "évt", "M"}
	for i := range 300 {
		names = append(names, fmt.Sprintf("evt.data.P%d", (i*7919)%300))
	}
	for _, n := range names {
		_, ok := enc.id(n)
		require.True(t, ok)
		byRank := make([]string, len(enc.names))
		seen := make([]bool, len(enc.names))
		for id, r := range enc.rank {
			require.False(t, seen[r], "rank %d twice", r)
			seen[r] = true
			byRank[r] = enc.names[id]
		}
		require.True(t, slices.IsSorted(byRank), "%q", byRank)
	}
	require.Len(t, enc.names, len(names))
}
