package mask

import "unsafe"

// textScan is what the scan of an event's text learns that the masking of
// the event's fields can reuse. Most field values of a client log's SIP
// event are parts of its text (the parser slices them out of it): a part
// that lies where the scan found no keyword masks to itself, and an
// authentication header's value masks as the scan masked it in the text.
type textScan struct {
	text string
	// clean[:nClean] are the spans of the text, in order, where the scan
	// found that no 4-byte window begins a keyword (nextKeyword): the
	// windows that start at from to to-1.
	clean  [maxClean]span
	nClean int
	// auth[:nAuth] are the authentication header values the scan masked.
	auth  [maxAuth]authValue
	nAuth int
}

// span is a half-open range of offsets into a text.
type span struct{ from, to int }

// authValue records that maskAuthValue(text[start:end]) returned masked
// and stop.
type authValue struct {
	start, end, stop int
	masked           string
}

// maxClean and maxAuth bound what a textScan records; beyond them the
// fields are masked on their own, as if the text had not been scanned.
const (
	maxClean = 64
	maxAuth  = 8
)

// secrets returns Secrets(text) and records in t what the scan learns.
func (t *textScan) secrets(text string) string {
	t.text = text
	sc := scanner{s: text}
	sc.run(t, -1)
	return sc.String()
}

// noKeyword records that no window of t.text starting at from to kw-1
// begins a keyword; kw < 0 says none from from on.
func (t *textScan) noKeyword(from, kw int) {
	to := kw
	if kw < 0 {
		to = len(t.text) - 3
	}
	if from < to && t.nClean < maxClean {
		t.clean[t.nClean] = span{from, to}
		t.nClean++
	}
}

// authMasked records maskAuthValue(t.text[start:end]) = (masked, stop).
func (t *textScan) authMasked(start, end int, masked string, stop int) {
	if t.nAuth < maxAuth {
		t.auth[t.nAuth] = authValue{start, end, stop, masked}
		t.nAuth++
	}
}

// offset returns where v lies in t.text when v is a part of it (shares its
// bytes), and whether it does. The address of v's bytes only says where
// to look: v is compared with that part of the text, which costs nothing
// more than comparing two pointers when it is indeed that part.
func (t *textScan) offset(v string) (int, bool) {
	if len(v) == 0 || len(v) > len(t.text) {
		return 0, false
	}
	d := uintptr(unsafe.Pointer(unsafe.StringData(v))) - uintptr(unsafe.Pointer(unsafe.StringData(t.text)))
	if d > uintptr(len(t.text)-len(v)) {
		return 0, false
	}
	p := int(d)
	return p, t.text[p:p+len(v)] == v
}

// keywordFree reports whether the part of the text from p to p+n holds
// no keyword window that the scan found: then nextKeyword finds none in
// it either, since its windows are the text's, and Secrets leaves it as
// it is.
func (t *textScan) keywordFree(p, n int) bool {
	// The windows of the part start at p to p+n-4 in the text.
	from, to := p, p+n-3
	if from >= to {
		return true // no window: nextKeyword finds nothing
	}
	// The last span that starts at or before from is the only one that
	// can hold the part.
	clean := t.clean[:t.nClean]
	lo, hi := 0, len(clean)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if clean[m].from <= from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo > 0 && to <= clean[lo-1].to
}

// nextKeyword returns nextKeyword(v, i) for v = t.text[off:off+len(v)]:
// the windows of v are the text's from off on, and it looks only at
// those that the scan did not find free of keywords.
func (t *textScan) nextKeyword(v string, off, i int) int {
	last := len(v) - 4 // where the last window of v starts
	for _, c := range t.clean[:t.nClean] {
		if i > last {
			return -1
		}
		from, to := c.from-off, c.to-off // in v
		if to <= i {
			continue
		}
		if from > i {
			// The windows from i to from-1 are not known.
			if k := nextKeyword(v[:min(len(v), from+3)], i); k >= 0 {
				return k
			}
			i = from
		}
		i = max(i, to)
	}
	if i > last {
		return -1
	}
	return nextKeyword(v, i)
}

// fieldSecrets returns Secrets(v) for a field value v of the event whose
// text t has scanned.
func (t *textScan) fieldSecrets(memo *secretsMemo, v string) string {
	p, ok := t.offset(v)
	if !ok {
		return memo.secrets(v)
	}
	if t.keywordFree(p, len(v)) {
		return v
	}
	sc := scanner{s: v}
	sc.run(t, p)
	return sc.String()
}

// authValueAll returns maskAuthValueAll(v) when the scan has masked v
// already: v is a part of the text that ends where a value the scan
// masked whole ends, and only blanks come before it in that value. Blanks
// before a value change nothing of how maskAuthValue masks it: they are
// copied, and it goes on as from the value's first byte.
func (t *textScan) authValueAll(v string) (string, bool) {
	p, ok := t.offset(v)
	if !ok {
		return "", false
	}
	for _, a := range t.auth[:t.nAuth] {
		if a.end != p+len(v) || a.start > p || a.stop != a.end-a.start {
			continue
		}
		for i := a.start; i < p; i++ {
			if !isBlank(t.text[i]) {
				return "", false
			}
		}
		return a.masked[p-a.start:], true
	}
	return "", false
}
