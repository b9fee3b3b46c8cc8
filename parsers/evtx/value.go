package evtx

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Substitution value types (MS-EVEN6 2.2.18; libevtx documentation).
const (
	typeNull     = 0x00
	typeString   = 0x01
	typeANSI     = 0x02
	typeInt8     = 0x03
	typeUint8    = 0x04
	typeInt16    = 0x05
	typeUint16   = 0x06
	typeInt32    = 0x07
	typeUint32   = 0x08
	typeInt64    = 0x09
	typeUint64   = 0x0a
	typeReal32   = 0x0b
	typeReal64   = 0x0c
	typeBool     = 0x0d
	typeBinary   = 0x0e
	typeGUID     = 0x0f
	typeSizeT    = 0x10
	typeFileTime = 0x11
	typeSysTime  = 0x12
	typeSID      = 0x13
	typeHex32    = 0x14
	typeHex64    = 0x15
	typeBinXML   = 0x21
	typeArray    = 0x80
)

// fixedSize is the size of one item of the fixed-size value types.
func fixedSize(typ uint8) int {
	switch typ {
	case typeInt8, typeUint8:
		return 1
	case typeInt16, typeUint16:
		return 2
	case typeInt32, typeUint32, typeReal32, typeBool, typeHex32:
		return 4
	case typeInt64, typeUint64, typeReal64, typeFileTime, typeHex64:
		return 8
	case typeGUID, typeSysTime:
		return 16
	}
	return 0
}

// format renders a substitution value the way Windows writes it in the
// event XML: decimal integers, 0x-prefixed lower-case hex for the hex
// types, upper-case hex for binary, {GUID}, S-1-... SIDs and RFC 3339 UTC
// times. Arrays are joined with ",".
func (c *chunk) format(v value) (string, error) {
	b, err := c.bytes(int(v.pos), int(v.size))
	if err != nil {
		return "", err
	}
	if v.typ&typeArray != 0 {
		items, err := c.arrayItems(v)
		if err != nil {
			return "", err
		}
		return strings.Join(items, ","), nil
	}
	return formatScalar(v.typ, b)
}

// formatScalar renders one value of type typ stored in b.
func formatScalar(typ uint8, b []byte) (string, error) {
	le := binary.LittleEndian
	if n := fixedSize(typ); n > 0 && len(b) < n {
		return "", fmt.Errorf("value of type %#x has %d bytes, want %d", typ, len(b), n)
	}
	switch typ {
	case typeNull:
		return "", nil
	case typeString:
		return strings.TrimRight(utf16String(b), "\x00"), nil
	case typeANSI:
		return strings.TrimRight(cp1252String(b), "\x00"), nil
	case typeInt8:
		return strconv.FormatInt(int64(int8(b[0])), 10), nil
	case typeUint8:
		return strconv.FormatUint(uint64(b[0]), 10), nil
	case typeInt16:
		return strconv.FormatInt(int64(int16(le.Uint16(b))), 10), nil
	case typeUint16:
		return strconv.FormatUint(uint64(le.Uint16(b)), 10), nil
	case typeInt32:
		return strconv.FormatInt(int64(int32(le.Uint32(b))), 10), nil
	case typeUint32:
		return strconv.FormatUint(uint64(le.Uint32(b)), 10), nil
	case typeInt64:
		return strconv.FormatInt(int64(le.Uint64(b)), 10), nil
	case typeUint64:
		return strconv.FormatUint(le.Uint64(b), 10), nil
	case typeReal32:
		return strconv.FormatFloat(float64(math.Float32frombits(le.Uint32(b))), 'g', -1, 32), nil
	case typeReal64:
		return strconv.FormatFloat(math.Float64frombits(le.Uint64(b)), 'g', -1, 64), nil
	case typeBool:
		if le.Uint32(b) != 0 {
			return "true", nil
		}
		return "false", nil
	case typeBinary:
		return strings.ToUpper(hex.EncodeToString(b)), nil
	case typeGUID:
		return formatGUID(b), nil
	case typeSizeT:
		switch len(b) {
		case 4:
			return "0x" + strconv.FormatUint(uint64(le.Uint32(b)), 16), nil
		case 8:
			return "0x" + strconv.FormatUint(le.Uint64(b), 16), nil
		}
		return "", fmt.Errorf("SizeT value of %d bytes", len(b))
	case typeFileTime:
		return formatTime(fileTime(le.Uint64(b))), nil
	case typeSysTime:
		return formatTime(sysTime(b)), nil
	case typeSID:
		s, _, err := formatSID(b)
		return s, err
	case typeHex32:
		return "0x" + strconv.FormatUint(uint64(le.Uint32(b)), 16), nil
	case typeHex64:
		return "0x" + strconv.FormatUint(le.Uint64(b), 16), nil
	}
	// EvtHandle, EvtXml and unknown types carry nothing printable.
	return strings.ToUpper(hex.EncodeToString(b)), nil
}

// arrayItems splits an array value into its items. String arrays hold
// NUL-terminated strings; empty strings are kept so that insertion string
// positions (%1, %2, ...) do not shift.
func (c *chunk) arrayItems(v value) ([]string, error) {
	b, err := c.bytes(int(v.pos), int(v.size))
	if err != nil {
		return nil, err
	}
	typ := v.typ &^ typeArray
	var items []string
	switch typ {
	case typeString:
		for len(b) >= 2 {
			n := 0
			for n+1 < len(b) && (b[n] != 0 || b[n+1] != 0) {
				n += 2
			}
			items = append(items, utf16String(b[:n]))
			if n+2 > len(b) {
				break
			}
			b = b[n+2:]
		}
	case typeANSI:
		for len(b) > 0 {
			n := 0
			for n < len(b) && b[n] != 0 {
				n++
			}
			items = append(items, cp1252String(b[:n]))
			if n+1 > len(b) {
				break
			}
			b = b[n+1:]
		}
	case typeSID:
		for len(b) > 0 {
			s, n, err := formatSID(b)
			if err != nil {
				return nil, err
			}
			items = append(items, s)
			b = b[n:]
		}
	default:
		n := fixedSize(typ)
		if typ == typeSizeT {
			n = 8
			if len(b)%8 != 0 {
				n = 4
			}
		}
		if n == 0 {
			return []string{strings.ToUpper(hex.EncodeToString(b))}, nil
		}
		for ; len(b) >= n; b = b[n:] {
			s, err := formatScalar(typ, b[:n])
			if err != nil {
				return nil, err
			}
			items = append(items, s)
		}
	}
	return items, nil
}

// timeValue returns the time of a FILETIME or SYSTEMTIME value.
func (c *chunk) timeValue(v value) (time.Time, error) {
	b, err := c.bytes(int(v.pos), int(v.size))
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case v.typ == typeFileTime && len(b) >= 8:
		return fileTime(binary.LittleEndian.Uint64(b)), nil
	case v.typ == typeSysTime && len(b) >= 16:
		return sysTime(b), nil
	}
	return time.Time{}, fmt.Errorf("not a time value: type %#x, %d bytes", v.typ, len(b))
}

// fileTime converts a FILETIME (100 ns intervals since 1601-01-01 UTC).
func fileTime(ft uint64) time.Time {
	const epochDelta = 11644473600 // seconds from 1601 to 1970
	return time.Unix(int64(ft/1e7)-epochDelta, int64(ft%1e7)*100).UTC()
}

// sysTime converts a SYSTEMTIME: year, month, weekday, day, hour, minute,
// second, millisecond as u16.
func sysTime(b []byte) time.Time {
	le := binary.LittleEndian
	f := func(i int) int { return int(le.Uint16(b[2*i:])) }
	return time.Date(f(0), time.Month(f(1)), f(3), f(4), f(5), f(6), f(7)*int(time.Millisecond), time.UTC)
}

// formatTime renders t like the SystemTime attributes of Windows: UTC with
// seven fractional digits.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

func formatGUID(b []byte) string {
	le := binary.LittleEndian
	return fmt.Sprintf("{%08X-%04X-%04X-%02X%02X-%X}",
		le.Uint32(b), le.Uint16(b[4:]), le.Uint16(b[6:]), b[8], b[9], b[10:16])
}

// formatSID renders a binary SID and returns the bytes it used.
func formatSID(b []byte) (string, int, error) {
	if len(b) < 8 {
		return "", 0, fmt.Errorf("SID of %d bytes", len(b))
	}
	n := 8 + 4*int(b[1])
	if len(b) < n {
		return "", 0, fmt.Errorf("SID with %d sub-authorities in %d bytes", b[1], len(b))
	}
	var auth uint64
	for _, x := range b[2:8] {
		auth = auth<<8 | uint64(x)
	}
	var sb strings.Builder
	sb.WriteString("S-")
	sb.WriteString(strconv.Itoa(int(b[0])))
	sb.WriteByte('-')
	sb.WriteString(strconv.FormatUint(auth, 10))
	for i := 8; i < n; i += 4 {
		sb.WriteByte('-')
		sb.WriteString(strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b[i:])), 10))
	}
	return sb.String(), n, nil
}

// utf16String decodes UTF-16LE; an odd trailing byte is ignored and
// unpaired surrogates become U+FFFD.
func utf16String(b []byte) string {
	n := len(b) / 2
	ascii := true
	for i := 0; i < n; i++ {
		if b[2*i+1] != 0 || b[2*i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		out := make([]byte, n)
		for i := range out {
			out[i] = b[2*i]
		}
		return string(out)
	}
	out := make([]byte, 0, n+n/2)
	for i := 0; i < n; i++ {
		r := rune(binary.LittleEndian.Uint16(b[2*i:]))
		if utf16.IsSurrogate(r) {
			if i+1 < n {
				r2 := rune(binary.LittleEndian.Uint16(b[2*i+2:]))
				if dr := utf16.DecodeRune(r, r2); dr != utf8.RuneError {
					out = utf8.AppendRune(out, dr)
					i++
					continue
				}
			}
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// cp1252High maps the bytes 0x80-0x9f of Windows-1252 (the default ANSI
// code page of libevtx); other bytes are Latin-1.
var cp1252High = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}

func cp1252String(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for _, x := range b {
		switch {
		case x < 0x80:
			sb.WriteByte(x)
		case x < 0xa0:
			sb.WriteRune(cp1252High[x-0x80])
		default:
			sb.WriteRune(rune(x))
		}
	}
	return sb.String()
}
