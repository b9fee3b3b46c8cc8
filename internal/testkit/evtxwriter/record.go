package evtxwriter

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Record is one event to write, as Windows would log it.
type Record struct {
	// Provider is the Provider Name, e.g. "Schannel",
	// "Microsoft-Windows-DNS-Client" or "Lync". It must not be empty.
	Provider string
	// ProviderGUID is the provider's GUID, "{1f678132-...}" (braces
	// optional; written with braces and in the case given). Empty for
	// classic sources: then Provider carries only Name (and
	// EventSourceName when set).
	ProviderGUID string
	// EventSourceName is the legacy event source name; optional.
	EventSourceName string
	EventID         uint16
	// Qualifiers is written as the EventID's Qualifiers attribute. Classic
	// providers carry one (e.g. 0, 16384 or 49152); nil omits it.
	Qualifiers *uint16
	Version    uint8
	Level      uint8
	Opcode     uint8
	Task       uint16
	Keywords   uint64
	// Time is TimeCreated, written as a FILETIME (UTC, 100 ns steps).
	Time time.Time
	// RecordID is the EventRecordID; 0 assigns the previous record's id + 1
	// (the first record gets 1). Ids must increase.
	RecordID  uint64
	ProcessID uint32
	ThreadID  uint32
	Channel   string
	Computer  string
	// UserSID is written as Security UserID, e.g. "S-1-5-18"; empty
	// omits it.
	UserSID string
	// Data is the EventData: unnamed values become <Data>v</Data> (classic
	// style), named ones <Data Name="N">v</Data>. An empty Data still
	// writes an empty <EventData>, as Windows does.
	Data []Data
}

// Data is one EventData value. Value is one of: string; int8, int16,
// int32, int64, uint8, uint16, uint32, uint64; bool; time.Time (written as
// a FILETIME); []byte (binary); a GUID as [16]byte, in the byte order of
// its text form (see ParseGUID); or []string, an array substitution of
// strings as classic sources write their insertion strings (empty strings
// are kept; readers show one <Data> per element).
type Data struct {
	Name  string
	Value any
}

// Value types of the Binary XML substitution values used by the writer
// (libevtx "Value types").
const (
	typeNull     = 0x00
	typeString   = 0x01
	typeInt8     = 0x03
	typeUInt8    = 0x04
	typeInt16    = 0x05
	typeUInt16   = 0x06
	typeInt32    = 0x07
	typeUInt32   = 0x08
	typeInt64    = 0x09
	typeUInt64   = 0x0a
	typeBool     = 0x0d
	typeBinary   = 0x0e
	typeGUID     = 0x0f
	typeFileTime = 0x11
	typeSID      = 0x13
	typeHexInt64 = 0x15
	typeBinXML   = 0x21
	typeArray    = 0x80
)

// valueType returns the substitution value type for an EventData value.
func valueType(v any) (byte, error) {
	switch v.(type) {
	case string:
		return typeString, nil
	case []string:
		return typeArray | typeString, nil
	case int8:
		return typeInt8, nil
	case uint8:
		return typeUInt8, nil
	case int16:
		return typeInt16, nil
	case uint16:
		return typeUInt16, nil
	case int32:
		return typeInt32, nil
	case uint32:
		return typeUInt32, nil
	case int64:
		return typeInt64, nil
	case uint64:
		return typeUInt64, nil
	case bool:
		return typeBool, nil
	case []byte:
		return typeBinary, nil
	case [16]byte:
		return typeGUID, nil
	case time.Time:
		return typeFileTime, nil
	case nil:
		return 0, errors.New("nil value")
	}
	return 0, fmt.Errorf("unsupported value type %T (use string, []string, a sized integer, bool, []byte, [16]byte or time.Time)", v)
}

// appendValue appends the substitution value bytes of v (whose type
// valueType accepted) to b.
func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return appendUTF16(b, x), nil
	case []string:
		for _, s := range x {
			if strings.IndexByte(s, 0) >= 0 {
				return b, errors.New("string array element contains a NUL character")
			}
			b = appendUTF16(b, s)
			b = append(b, 0, 0)
		}
		return b, nil
	case int8:
		return append(b, byte(x)), nil
	case uint8:
		return append(b, x), nil
	case int16:
		return binary.LittleEndian.AppendUint16(b, uint16(x)), nil
	case uint16:
		return binary.LittleEndian.AppendUint16(b, x), nil
	case int32:
		return binary.LittleEndian.AppendUint32(b, uint32(x)), nil
	case uint32:
		return binary.LittleEndian.AppendUint32(b, x), nil
	case int64:
		return binary.LittleEndian.AppendUint64(b, uint64(x)), nil
	case uint64:
		return binary.LittleEndian.AppendUint64(b, x), nil
	case bool:
		var u uint32
		if x {
			u = 1
		}
		return binary.LittleEndian.AppendUint32(b, u), nil
	case []byte:
		return append(b, x...), nil
	case [16]byte:
		return appendGUID(b, x), nil
	case time.Time:
		ft, err := fileTime(x)
		if err != nil {
			return b, err
		}
		return binary.LittleEndian.AppendUint64(b, ft), nil
	}
	_, err := valueType(v)
	return b, err
}

// appendUTF16 appends s as UTF-16 little-endian without a terminator.
// Invalid UTF-8 is written as U+FFFD.
func appendUTF16(b []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			b = binary.LittleEndian.AppendUint16(b, uint16(0xd800+(r>>10)))
			b = binary.LittleEndian.AppendUint16(b, uint16(0xdc00+(r&0x3ff)))
			continue
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

// utf16Len returns the number of UTF-16 code units of s.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// fileTimeEpoch is the number of seconds from 1601-01-01 to 1970-01-01.
const fileTimeEpoch = 11644473600

// fileTime converts t to a FILETIME: 100-nanosecond intervals since
// 1601-01-01 UTC.
func fileTime(t time.Time) (uint64, error) {
	sec := t.Unix()
	if sec < -fileTimeEpoch || sec > math.MaxInt64/10_000_000-fileTimeEpoch {
		return 0, fmt.Errorf("time %s is outside the FILETIME range", t.Format(time.RFC3339))
	}
	return uint64(sec+fileTimeEpoch)*10_000_000 + uint64(t.Nanosecond()/100), nil
}

// ParseGUID parses "{00112233-4455-6677-8899-aabbccddeeff}" (braces
// optional, any case) into its 16 bytes in text order: the result starts
// 0x00, 0x11, 0x22. The writer stores GUIDs in the Windows on-disk layout
// (first three groups little-endian).
func ParseGUID(s string) ([16]byte, error) {
	var g [16]byte
	t := s
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		t = t[1 : len(t)-1]
	}
	if len(t) != 36 || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		return g, fmt.Errorf("invalid GUID %q", s)
	}
	h := t[0:8] + t[9:13] + t[14:18] + t[19:23] + t[24:36]
	if _, err := hex.Decode(g[:], []byte(h)); err != nil {
		return g, fmt.Errorf("invalid GUID %q: %w", s, err)
	}
	return g, nil
}

// appendGUID appends g (text order) in the on-disk GUID layout.
func appendGUID(b []byte, g [16]byte) []byte {
	return append(b, g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
		g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15])
}

// parseSID parses a SID string such as "S-1-5-21-1-2-3-1001" into its
// binary form: revision, sub-authority count, 48-bit big-endian identifier
// authority, then the little-endian 32-bit sub-authorities.
func parseSID(s string) ([]byte, error) {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || (parts[0] != "S" && parts[0] != "s") {
		return nil, fmt.Errorf("invalid SID %q", s)
	}
	rev, err := strconv.ParseUint(parts[1], 10, 8)
	if err != nil {
		return nil, fmt.Errorf("invalid SID %q: revision: %w", s, err)
	}
	auth, err := strconv.ParseUint(parts[2], 0, 48)
	if err != nil {
		return nil, fmt.Errorf("invalid SID %q: authority: %w", s, err)
	}
	subs := parts[3:]
	if len(subs) > 15 {
		return nil, fmt.Errorf("invalid SID %q: more than 15 sub-authorities", s)
	}
	b := make([]byte, 0, 8+4*len(subs))
	b = append(b, byte(rev), byte(len(subs)))
	b = append(b, byte(auth>>40), byte(auth>>32), byte(auth>>24), byte(auth>>16), byte(auth>>8), byte(auth))
	for _, p := range subs {
		v, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("invalid SID %q: sub-authority: %w", s, err)
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	return b, nil
}
