package evtxwriter

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/require"
)

func u16ptr(v uint16) *uint16 { return &v }

func mustGUID(t testing.TB, s string) [16]byte {
	t.Helper()
	g, err := ParseGUID(s)
	require.NoError(t, err)
	return g
}

// variedRecords returns records of every shape the writer supports: a
// classic source with Qualifiers and insertion strings including empty
// ones, a classic source with a provider GUID, a manifest provider with
// named values of every type, a record without data, a SID, an empty
// array, mixed named and unnamed values, XML special characters, long
// values, several computers and channels (so several templates), and
// explicit record ids with gaps. They fill more than three chunks.
// Values stay within what all three readers render faithfully (see
// readerEdgeRecords for the rest).
func variedRecords(t testing.TB) []Record {
	base := time.Date(2024, 5, 6, 7, 8, 9, 123456700, time.UTC)
	upd := mustGUID(t, "{36a0ea1a-0e82-410c-8921-023f21f69575}")
	shapes := []func(i int) Record{
		func(i int) Record { // classic source, insertion strings with empty ones
			return Record{Provider: "EventLog", EventID: 6013, Qualifiers: u16ptr(32768), Level: 4,
				Keywords: 0x0080000000000000, Channel: "System",
				Data: []Data{{"", []string{fmt.Sprint(13 + i), "", "13", "60", "480 Pacific Standard Time", ""}}}}
		},
		func(i int) Record { // classic source with a provider GUID, named data
			return Record{Provider: "Service Control Manager", ProviderGUID: "{555908d1-a6d7-4695-8e1e-26931d2012f4}",
				EventSourceName: "Service Control Manager", EventID: 7036, Qualifiers: u16ptr(16384), Level: 4,
				Keywords: 0x8080000000000000, ProcessID: 548, ThreadID: uint32(1340 + i), Channel: "System",
				Data: []Data{{"param1", "Windows Modules Installer"}, {"param2", "stopped"}}}
		},
		func(i int) Record { // manifest provider, one value of each type
			return Record{Provider: "Schannel", ProviderGUID: "{1f678132-5938-4686-9fdc-c8ff68f15c85}",
				EventID: 36887, Version: 1, Level: 2, Opcode: 3, Task: 7, Keywords: 0x8000000000000000,
				ProcessID: 720, ThreadID: 1044, Channel: "System", UserSID: "S-1-5-18",
				Data: []Data{
					{"AlertDesc", uint32(46)}, {"Count8", uint8(255)}, {"Count16", uint16(65535)},
					{"Big", uint64(18446744073709551615)}, {"Small8", int8(12)}, {"Small16", int16(300)},
					{"Small32", int32(70000)}, {"Small64", int64(5000000000)},
					{"Yes", true}, {"No", false}, {"Blob", []byte{0x00, 0xab, 0xcd, 0xef, byte(i)}},
					{"Id", upd}, {"When", base.Add(time.Duration(i) * 1234567 * time.Microsecond)},
					{"Names", []string{"sip.contoso.com", "", "sipdir.online.lync.com"}},
					{"Empty", ""}, {"Text", `<a & "b" 'c'> é 日本 ` + fmt.Sprint(i)},
				}}
		},
		func(i int) Record { // no EventData values at all
			return Record{Provider: "Lync", EventID: 1, Level: 2, Keywords: 0x0080000000000000,
				Qualifiers: u16ptr(0), Channel: "Application"}
		},
		func(i int) Record { // manifest provider with a SID
			return Record{Provider: "Microsoft-Windows-DNS-Client", ProviderGUID: "{1c95126e-7eea-49a9-a3fe-a378b03ddb4d}",
				EventID: 1014, Level: 3, Task: 1014, Keywords: 0x4000000010000000, ProcessID: 1336, ThreadID: 2024,
				Channel: "System", UserSID: "S-1-5-21-2036804247-3058324640-2116585241-1105",
				Data: []Data{{"QueryName", fmt.Sprintf("lyncdiscover%d.contoso.com", i)}, {"AddressLength", uint32(128)}}}
		},
		func(i int) Record { // classic source without insertion strings
			return Record{Provider: "Microsoft-Windows-WMI", ProviderGUID: "{1edeee53-0afe-4609-b846-d8c0b2075b1f}",
				EventSourceName: "WinMgmt", EventID: 5615, Qualifiers: u16ptr(49152), Keywords: 0x0080000000000000,
				Channel: "Application", Data: []Data{{"", []string{}}}}
		},
		func(i int) Record { // named and unnamed values mixed
			return Record{Provider: "Communicator", EventID: 3, Qualifiers: u16ptr(0), Level: 2,
				Keywords: 0x0080000000000000, Channel: "Application",
				Data: []Data{{"", "first"}, {"Named", fmt.Sprint(i)}, {"", "third"}}}
		},
		func(i int) Record { // a long insertion string
			return Record{Provider: "MsiInstaller", EventID: 1040, Qualifiers: u16ptr(0), Level: 4,
				Keywords: 0x0080000000000000, Channel: "Application", UserSID: "S-1-5-18",
				Data: []Data{{"", []string{strings.Repeat("C:\\Windows\\Installer\\", 40+i%30), "3472", "(NULL)", ""}}}}
		},
	}
	var recs []Record
	for i := 0; i < 400; i++ {
		r := shapes[i%len(shapes)](i)
		r.Time = base.Add(time.Duration(i) * 1234567800 * time.Nanosecond)
		r.Computer = fmt.Sprintf("WKS-%d.contoso.local", i%3)
		switch i {
		case 150:
			r.RecordID = 5000
		case 300:
			r.RecordID = 90000
		}
		recs = append(recs, r)
	}
	return recs
}

// expectedIDs returns the record ids Write gives recs.
func expectedIDs(recs []Record) []uint64 {
	ids := make([]uint64, len(recs))
	var last uint64
	for i, r := range recs {
		last++
		if r.RecordID != 0 {
			last = r.RecordID
		}
		ids[i] = last
	}
	return ids
}

// layout is what inspect found in a file.
type layout struct {
	chunkCount int
	nextID     uint64
	chunks     []chunkLayout
}

type chunkLayout struct {
	firstNum, lastNum, firstID, lastID uint64
	names                              []string
	templates                          int
	records                            []recordLayout
}

type recordLayout struct {
	offset int
	id     uint64
	time   uint64
	size   int
}

// inspect checks the container structure of an .evtx file independently
// of the writer: header fields and CRC, chunk headers, both chunk CRCs,
// record framing, string and template tables.
func inspect(t *testing.T, b []byte) layout {
	t.Helper()
	le := binary.LittleEndian
	require.GreaterOrEqual(t, len(b), fileHeaderSize)
	h := b[:fileHeaderSize]
	require.Equal(t, "ElfFile\x00", string(h[:8]))
	require.Equal(t, le.Uint32(h[124:]), crc32.ChecksumIEEE(h[:120]), "file header CRC")
	require.EqualValues(t, 128, le.Uint32(h[32:]))
	require.EqualValues(t, 1, le.Uint16(h[36:]), "minor version")
	require.EqualValues(t, 3, le.Uint16(h[38:]), "major version")
	require.EqualValues(t, 4096, le.Uint16(h[40:]))
	require.Zero(t, le.Uint32(h[120:]), "file flags")
	require.True(t, bytes.Equal(h[128:], make([]byte, fileHeaderSize-128)))
	var l layout
	l.chunkCount = int(le.Uint16(h[42:]))
	l.nextID = le.Uint64(h[24:])
	require.Zero(t, le.Uint64(h[8:]), "first chunk number")
	if l.chunkCount > 0 {
		require.EqualValues(t, l.chunkCount-1, le.Uint64(h[16:]), "last chunk number")
	}
	require.Equal(t, fileHeaderSize+l.chunkCount*chunkSize, len(b), "file size")

	for ci := 0; ci < l.chunkCount; ci++ {
		c := b[fileHeaderSize+ci*chunkSize : fileHeaderSize+(ci+1)*chunkSize]
		require.Equal(t, "ElfChnk\x00", string(c[:8]))
		var cl chunkLayout
		cl.firstNum, cl.lastNum = le.Uint64(c[8:]), le.Uint64(c[16:])
		cl.firstID, cl.lastID = le.Uint64(c[24:]), le.Uint64(c[32:])
		require.EqualValues(t, 128, le.Uint32(c[40:]))
		lastRec, free := int(le.Uint32(c[44:])), int(le.Uint32(c[48:]))
		require.LessOrEqual(t, free, chunkSize-8, "chunk %d: Windows and libevtx want the last bytes free", ci)
		require.Equal(t, le.Uint32(c[52:]), crc32.ChecksumIEEE(c[chunkHeaderSize:free]), "chunk %d data CRC", ci)
		crc := crc32.NewIEEE()
		crc.Write(c[:120])
		crc.Write(c[128:chunkHeaderSize])
		require.Equal(t, le.Uint32(c[124:]), crc.Sum32(), "chunk %d header CRC", ci)
		require.True(t, bytes.Equal(c[free:], make([]byte, chunkSize-free)), "chunk %d: bytes after the free space offset", ci)

		// Records.
		for off := chunkHeaderSize; off < free; {
			require.Equal(t, "**\x00\x00", string(c[off:off+4]), "chunk %d offset %#x: record magic", ci, off)
			size := int(le.Uint32(c[off+4:]))
			require.Zero(t, size%8, "record size is 8-byte aligned")
			require.Equal(t, size, int(le.Uint32(c[off+size-4:])), "size copy")
			require.Equal(t, []byte{0x0f, 1, 1, 0}, c[off+24:off+28], "fragment header")
			cl.records = append(cl.records, recordLayout{offset: off, id: le.Uint64(c[off+8:]), time: le.Uint64(c[off+16:]), size: size})
			off += size
			require.LessOrEqual(t, off, free)
		}
		if len(cl.records) == 0 { // the empty chunk of a file without records
			require.Equal(t, 1, l.chunkCount, "only a lone chunk may be empty")
			require.Zero(t, lastRec)
			require.Equal(t, chunkLayout{}, cl)
		} else {
			require.Equal(t, lastRec, cl.records[len(cl.records)-1].offset, "last record offset")
			require.Equal(t, cl.firstID, cl.records[0].id)
			require.Equal(t, cl.lastID, cl.records[len(cl.records)-1].id)
			require.EqualValues(t, len(cl.records), cl.lastNum-cl.firstNum+1)
		}

		// Common string table: chains of names, each in the bucket of its
		// hash.
		for bucket := 0; bucket < nameBuckets; bucket++ {
			for off := int(le.Uint32(c[128+4*bucket:])); off != 0; off = int(le.Uint32(c[off:])) {
				hash, n := le.Uint16(c[off+4:]), int(le.Uint16(c[off+6:]))
				units := make([]uint16, n)
				for i := range units {
					units[i] = le.Uint16(c[off+8+2*i:])
				}
				name := string(utf16.Decode(units))
				require.Zero(t, le.Uint16(c[off+8+2*n:]), "name terminator")
				require.Equal(t, nameHash(name), hash, name)
				require.EqualValues(t, bucket, hash%nameBuckets, name)
				require.NotContains(t, cl.names, name, "name stored twice")
				cl.names = append(cl.names, name)
			}
		}
		// Template pointer table: chains of definitions.
		for bucket := 0; bucket < templateBuckets; bucket++ {
			for off := int(le.Uint32(c[384+4*bucket:])); off != 0; off = int(le.Uint32(c[off:])) {
				id := le.Uint32(c[off+4:])
				require.EqualValues(t, bucket, id%templateBuckets)
				// The instance token before the definition names the same id
				// and points at the definition.
				require.Equal(t, byte(0x0c), c[off-10])
				require.Equal(t, id, le.Uint32(c[off-8:]))
				require.EqualValues(t, off, le.Uint32(c[off-4:]))
				size := int(le.Uint32(c[off+20:]))
				require.Equal(t, []byte{0x0f, 1, 1, 0}, c[off+24:off+28])
				require.Equal(t, byte(0), c[off+24+size-1], "template ends with the end of file token")
				cl.templates++
			}
		}
		l.chunks = append(l.chunks, cl)
	}
	return l
}
