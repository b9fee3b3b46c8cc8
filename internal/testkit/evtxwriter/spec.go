package evtxwriter

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// A spec is a JSON array of records, the fields of Record in lowerCamelCase
// (encoding/json also accepts other capitalizations, e.g. "eventID"):
//
//	[{"provider": "Schannel", "providerGuid": "{1f678132-5938-4686-9fdc-c8ff68f15c85}",
//	  "eventId": 36887, "level": 2, "keywords": "0x8000000000000000",
//	  "time": "2024-06-03T08:15:00.1234567Z", "channel": "System",
//	  "computer": "WKS-0042.contoso.local", "userSid": "S-1-5-18",
//	  "data": [{"name": "AlertDesc", "value": 46, "type": "uint32"}]}]
//
// Fields: provider, providerGuid, eventSourceName, eventId, qualifiers
// (omitted or null: none), version, level, opcode, task, keywords (a
// number, or a string in decimal or 0x hex), time (RFC 3339, required),
// recordId (0 or omitted: previous + 1), processId, threadId, channel,
// computer, userSid, data. Unknown fields are errors. A data value has an
// optional name (none: a classic unnamed <Data>) and a type: string (the
// default), strings (an array of strings; empty strings are kept), int8,
// int16, int32, int64, uint8, uint16, uint32, uint64 (a number, or a string
// in decimal or 0x hex), bool, binary (hex digits), guid or time (RFC
// 3339).

// specRecord is one record of a spec.
type specRecord struct {
	Provider        string     `json:"provider"`
	ProviderGUID    string     `json:"providerGuid"`
	EventSourceName string     `json:"eventSourceName"`
	EventID         uint16     `json:"eventId"`
	Qualifiers      *uint16    `json:"qualifiers"`
	Version         uint8      `json:"version"`
	Level           uint8      `json:"level"`
	Opcode          uint8      `json:"opcode"`
	Task            uint16     `json:"task"`
	Keywords        flexUint64 `json:"keywords"`
	Time            string     `json:"time"`
	RecordID        uint64     `json:"recordId"`
	ProcessID       uint32     `json:"processId"`
	ThreadID        uint32     `json:"threadId"`
	Channel         string     `json:"channel"`
	Computer        string     `json:"computer"`
	UserSID         string     `json:"userSid"`
	Data            []specData `json:"data"`
}

// specData is one EventData value with a type hint.
type specData struct {
	Name  string          `json:"name"`
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// flexUint64 accepts a JSON number or a string in decimal or 0x hex, for
// keywords such as "0x8080000000000000".
type flexUint64 uint64

func (f *flexUint64) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return fmt.Errorf("not an unsigned 64-bit number: %s", b)
	}
	*f = flexUint64(v)
	return nil
}

// ReadSpec reads the records of a spec file (see DecodeSpec).
func ReadSpec(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	defer f.Close()
	recs, err := DecodeSpec(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// DecodeSpec decodes a spec: a JSON array of records with typed EventData
// values, the format described above. Errors name the record and value
// (1-based).
func DecodeSpec(r io.Reader) ([]Record, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var specs []specRecord
	if err := dec.Decode(&specs); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode spec: data after the array")
	}
	recs := make([]Record, len(specs))
	for i, s := range specs {
		r, err := s.record()
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i+1, err)
		}
		recs[i] = r
	}
	return recs, nil
}

func (s specRecord) record() (Record, error) {
	r := Record{
		Provider: s.Provider, ProviderGUID: s.ProviderGUID, EventSourceName: s.EventSourceName,
		EventID: s.EventID, Qualifiers: s.Qualifiers, Version: s.Version, Level: s.Level,
		Opcode: s.Opcode, Task: s.Task, Keywords: uint64(s.Keywords), RecordID: s.RecordID,
		ProcessID: s.ProcessID, ThreadID: s.ThreadID, Channel: s.Channel, Computer: s.Computer,
		UserSID: s.UserSID,
	}
	if s.Time == "" {
		return r, errors.New("time is required (RFC 3339)")
	}
	t, err := time.Parse(time.RFC3339Nano, s.Time)
	if err != nil {
		return r, fmt.Errorf("time: %w", err)
	}
	r.Time = t
	for i, d := range s.Data {
		v, err := d.value()
		if err != nil {
			return r, fmt.Errorf("data %d (%q): %w", i+1, d.Name, err)
		}
		r.Data = append(r.Data, Data{Name: d.Name, Value: v})
	}
	return r, nil
}

// value converts the JSON value according to the type hint.
func (d specData) value() (any, error) {
	if len(d.Value) == 0 {
		return nil, errors.New("value is missing")
	}
	str := func() (string, error) {
		var s string
		if err := json.Unmarshal(d.Value, &s); err != nil {
			return "", fmt.Errorf("type %q needs a JSON string: %s", d.Type, d.Value)
		}
		return s, nil
	}
	// number accepts a JSON number or a string (decimal, or 0x hex).
	number := func() (string, error) {
		if bytes.HasPrefix(d.Value, []byte(`"`)) {
			return str()
		}
		var n json.Number
		if err := json.Unmarshal(d.Value, &n); err != nil {
			return "", fmt.Errorf("type %q needs a number: %s", d.Type, d.Value)
		}
		return n.String(), nil
	}
	signed := func(bits int) (int64, error) {
		s, err := number()
		if err != nil {
			return 0, err
		}
		return strconv.ParseInt(s, 0, bits)
	}
	unsigned := func(bits int) (uint64, error) {
		s, err := number()
		if err != nil {
			return 0, err
		}
		return strconv.ParseUint(s, 0, bits)
	}
	switch d.Type {
	case "", "string":
		return str()
	case "strings":
		var ss []string
		if err := json.Unmarshal(d.Value, &ss); err != nil || ss == nil {
			return nil, fmt.Errorf("type \"strings\" needs an array of strings: %s", d.Value)
		}
		return ss, nil
	case "int8":
		v, err := signed(8)
		return int8(v), err
	case "int16":
		v, err := signed(16)
		return int16(v), err
	case "int32":
		v, err := signed(32)
		return int32(v), err
	case "int64":
		return signed(64)
	case "uint8":
		v, err := unsigned(8)
		return uint8(v), err
	case "uint16":
		v, err := unsigned(16)
		return uint16(v), err
	case "uint32":
		v, err := unsigned(32)
		return uint32(v), err
	case "uint64":
		return unsigned(64)
	case "bool":
		var b bool
		if err := json.Unmarshal(d.Value, &b); err != nil {
			return nil, fmt.Errorf("type \"bool\" needs true or false: %s", d.Value)
		}
		return b, nil
	case "binary":
		s, err := str()
		if err != nil {
			return nil, err
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("type \"binary\" needs hex digits: %w", err)
		}
		return b, nil
	case "guid":
		s, err := str()
		if err != nil {
			return nil, err
		}
		return ParseGUID(s)
	case "time":
		s, err := str()
		if err != nil {
			return nil, err
		}
		return time.Parse(time.RFC3339Nano, s)
	}
	return nil, fmt.Errorf("unknown type %q (want string, strings, int8..int64, uint8..uint64, bool, binary, guid or time)", d.Type)
}
