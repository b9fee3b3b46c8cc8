package event

import (
	"math/bits"
	"slices"
	"strings"
	"unsafe"
)

// Encoder writes events one after another as [Event.AppendJSONFields]
// does, faster when the same field names come again and again, as the
// header names of a client log's SIP messages do.
//
// It keeps the names it has seen (up to maxNames) in byte order, each
// with its JSON form, and places each field of an event at its name's
// rank among them: no two names are compared, and no name is escaped,
// once all are known. A name not seen before is added, which ranks the
// known names again; once maxNames are known, an event with another name
// is written as AppendJSONFields writes it.
//
// The zero Encoder is ready to use. An Encoder is not safe for concurrent
// use; it holds copies of the names, never the caller's strings.
type Encoder struct {
	ids    map[string]uint16 // a name's id: its index in names
	names  []string          // the known names, in the order seen
	json   []string          // the JSON string of each name, and ':'
	rank   []uint16          // the rank in byte order of each id
	sorted []uint16          // the ids in byte order of their names
	// recent maps the address and length of a name's bytes to its id,
	// in a table indexed by a hash of the address: the names of a
	// parser's events are mostly the same strings, which are found here
	// with one comparison and no hashing of their bytes.
	recent [recentSlots]recentName
	// slot[r] is the index in the fields being sorted of the field of
	// rank r; only the ranks set in the sort's bitmap are read.
	slot [maxNames]uint8
}

// recentName is an entry of Encoder.recent. The address is kept as a
// number: an Encoder keeps no caller's string alive, and a name found at a
// kept address is compared with the known name before it is trusted.
type recentName struct {
	addr uintptr
	n    int
	id   uint16
}

const (
	// maxNames bounds the names an Encoder knows.
	maxNames = 1024
	// recentSlots is the size of Encoder.recent, a power of two.
	recentSlots = 512
)

// Append appends e, with fields in place of e.Fields, to dst as
// [Event.AppendJSONFields] does, and returns the extended buffer.
func (enc *Encoder) Append(dst []byte, e *Event, fields []Field) []byte {
	var order [maxSorted]uint8
	var ids [maxSorted]uint16
	if len(fields) > maxSorted || !enc.indexes(fields, &order, &ids) {
		return e.AppendJSONFields(dst, fields)
	}
	dst = e.appendHead(dst)
	if len(fields) > 0 {
		dst = append(dst, `,"fields":{`...)
		for i, x := range order[:len(fields)] {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, enc.json[ids[x]]...)
			dst = appendString(dst, fields[x].Value)
		}
		dst = append(dst, '}')
	}
	return e.appendText(dst)
}

// indexes sets order[:len(fields)] to the indexes of fields in the order
// of their names, and ids[:len(fields)] to the ids of their names, unless
// a name is new and there is no room for it, or two names are the same
// (against the contract of [Event.AppendJSONFields]): then it returns
// false.
func (enc *Encoder) indexes(fields []Field, order *[maxSorted]uint8, ids *[maxSorted]uint16) bool {
	// The ids first: a name added on the way ranks the others again.
	for i := range fields {
		id, ok := enc.id(fields[i].Name)
		if !ok {
			return false
		}
		ids[i] = id
	}
	var set [maxNames / 64]uint64
	for i, id := range ids[:len(fields)] {
		r := enc.rank[id]
		if set[r/64]&(1<<(r%64)) != 0 {
			return false
		}
		set[r/64] |= 1 << (r % 64)
		enc.slot[r] = uint8(i)
	}
	n := 0
	for w, bitsSet := range set {
		for ; bitsSet != 0; bitsSet &= bitsSet - 1 {
			order[n] = enc.slot[w*64+bits.TrailingZeros64(bitsSet)]
			n++
		}
	}
	return true
}

// id returns the id of name, adding it to the known names when there is
// room; ok is false when there is none.
func (enc *Encoder) id(name string) (id uint16, ok bool) {
	addr := uintptr(unsafe.Pointer(unsafe.StringData(name)))
	h := (addr >> 3) * 0x9E3779B97F4A7C15 >> (64 - 9) // recentSlots = 1<<9
	r := &enc.recent[h&(recentSlots-1)]
	if addr != 0 && r.addr == addr && r.n == len(name) && enc.names[r.id] == name {
		return r.id, true
	}
	id, ok = enc.ids[name]
	if !ok {
		if len(enc.names) >= maxNames {
			return 0, false
		}
		id = enc.add(name)
	}
	*r = recentName{addr: addr, n: len(name), id: id}
	return id, true
}

// add adds name, not yet known, at its place in byte order: the names
// after it move up a rank.
func (enc *Encoder) add(name string) uint16 {
	if enc.ids == nil {
		enc.ids = make(map[string]uint16)
	}
	id := uint16(len(enc.names))
	name = strings.Clone(name)
	enc.ids[name] = id
	enc.names = append(enc.names, name)
	enc.json = append(enc.json, string(append(appendString(nil, name), ':')))
	at, _ := slices.BinarySearchFunc(enc.sorted, name, func(i uint16, name string) int { return strings.Compare(enc.names[i], name) })
	enc.sorted = slices.Insert(enc.sorted, at, id)
	enc.rank = append(enc.rank, 0)
	for r := at; r < len(enc.sorted); r++ {
		enc.rank[enc.sorted[r]] = uint16(r)
	}
	return id
}
