package signatures

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/sfblog/sfblog/event"
)

func cond(t *testing.T, src string) *Cond {
	t.Helper()
	var c Cond
	require.NoError(t, yaml.Unmarshal([]byte(src), &c))
	return &c
}

func TestCondMatch(t *testing.T) {
	e := &event.Event{Kind: "sip", Text: "SIP/2.0 404 Not Found", Fields: map[string]string{
		"sip.status": "404", "diag.code": "4005", "sip.clock_skew": "-360", "sip.method": "",
	}}
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`{field: sip.status, equals: "404"}`, true},
		{`{field: sip.status, equals: "401"}`, false},
		{`{field: kind, equals: SIP}`, true}, // ignores case
		{`{field: diag.code, one_of: ["1003", "4005"]}`, true},
		{`{field: text, contains: "not found"}`, true},
		{`{field: text, regex: '^SIP/2\.0 4\d\d '}`, true},
		{`{field: missing, exists: false}`, true},
		{`{field: sip.method, exists: true}`, true},
		{`{field: missing, equals: ""}`, false}, // an absent field matches nothing but exists: false
		{`{field: sip.clock_skew, abs_gt: 300}`, true},
		{`{field: sip.clock_skew, gt: 300}`, false},
		{`{field: sip.clock_skew, lte: -360}`, true},
		{`{field: text, gt: 1}`, false}, // not a number
		{`{all: [{field: sip.status, equals: "404"}, {field: diag.code, equals: "4005"}]}`, true},
		{`{all: [{field: sip.status, equals: "404"}, {field: diag.code, equals: "1003"}]}`, false},
		{`{any: [{field: sip.status, equals: "500"}, {field: diag.code, equals: "4005"}]}`, true},
		{`{not: {field: sip.status, equals: "404"}}`, false},
	} {
		t.Run(tc.src, func(t *testing.T) {
			assert.Equal(t, tc.want, cond(t, tc.src).Match(e))
		})
	}
}

func sigWith(t *testing.T, evidence string) *Catalog {
	t.Helper()
	src := `schema_version: 1
id: SFB-TEST-ENGINE
severity: error
title: t
cause: c
remedy: [r]
links: [https://example.com/]
sources: [uccapilog, evtx]
evidence:
` + evidence + `
examples:
  match: [{name: m, input: x}]
  no_match: [{name: n, input: y}]
`
	c := &Catalog{byID: map[string]*Signature{}}
	require.NoError(t, c.Add("test.yaml", []byte(src)))
	return c
}

func evaluate(c *Catalog, o Order, es ...*event.Event) []*Hit {
	m := NewMatcher(c)
	col := m.NewCollector()
	for _, e := range es {
		col.Observe(e)
	}
	return m.Evaluate(col, o)
}

func rec(path string, line int, at time.Time, local bool, fields ...string) *event.Event {
	e := &event.Event{Kind: "record", Path: path, Line: line, Time: at, Local: local}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Set(fields[i], fields[i+1])
	}
	return e
}

func TestRolesWithAndUnless(t *testing.T) {
	c := sigWith(t, `
  - {name: symptom, role: symptom, kind: [record], when: {field: k, equals: s}}
  - {name: decider, role: decides, kind: [record], with: [symptom], when: {field: k, equals: d}}
  - {name: out, role: rules_out, kind: [record], unless: [decider], when: {field: k, equals: o}}
`)
	at := time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)
	s := rec("a", 1, at, false, "k", "s")
	d := rec("a", 2, at, false, "k", "d")
	o := rec("a", 3, at, false, "k", "o")

	hits := evaluate(c, Order{}, s)
	require.Len(t, hits, 1)
	assert.False(t, hits[0].Confirmed)

	assert.Empty(t, evaluate(c, Order{}, d), "a decider without its with: rule does not count")

	hits = evaluate(c, Order{}, s, d, o)
	require.Len(t, hits, 1)
	assert.True(t, hits[0].Confirmed)
	assert.False(t, hits[0].RuledOut, "unless: the decider matched")
	assert.Equal(t, []*event.Event{s, d}, hits[0].Events)

	hits = evaluate(c, Order{}, s, o)
	require.Len(t, hits, 1)
	assert.True(t, hits[0].RuledOut)
}

func TestCorrelateAcrossLocalAndUTCTimes(t *testing.T) {
	c := sigWith(t, `
  - name: pair
    role: decides
    correlate:
      first: {kind: [record], when: {field: k, equals: schannel}}
      second: {kind: [record], when: {field: k, equals: client}}
      within: 5m
      on: [{first: host, second: host, op: equal}]
`)
	utc := time.Date(2017, 6, 15, 7, 2, 8, 0, time.UTC)
	schannel := rec("System.evtx", 0, utc, false, "k", "schannel", "host", "sts.contoso.com")
	// The client log writes local time, UTC+2: the same moment reads 09:03.
	client := rec("Lync-UccApi-0.UccApilog", 10, time.Date(2017, 6, 15, 9, 3, 0, 0, time.UTC), true, "k", "client", "host", "STS.contoso.com")
	other := rec("Lync-UccApi-0.UccApilog", 11, time.Date(2017, 6, 15, 9, 3, 0, 0, time.UTC), true, "k", "client", "host", "printer.contoso.local")
	plus2 := Order{Zone: 2 * time.Hour, HasZone: true}
	plus5 := Order{Zone: 5 * time.Hour, HasZone: true}

	assert.Len(t, evaluate(c, plus2, schannel, client), 1, "52 s apart once the zone is applied")
	assert.Empty(t, evaluate(c, plus5, schannel, client), "3 h apart in a UTC+5 zone")
	assert.Empty(t, evaluate(c, plus2, schannel, other), "the join on host fails")
	assert.Empty(t, evaluate(c, Order{}, schannel, client), "local and UTC times cannot be compared without a zone")
}

func TestOrderBefore(t *testing.T) {
	at := time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)
	a := rec("x", 5, at.Add(time.Hour), true)
	b := rec("x", 9, at, true)
	before, ok := Order{}.Before(a, b)
	assert.True(t, ok)
	assert.True(t, before, "within one file the line decides")
	c := rec("y", 1, at.Add(-time.Minute), false)
	_, ok = Order{}.Before(a, c)
	assert.False(t, ok, "local vs UTC without a zone")
	before, ok = Order{Zone: time.Hour, HasZone: true}.Before(c, a)
	assert.True(t, ok)
	assert.True(t, before)
}

// A collector remembers the last value each regex condition saw: the
// result for a sequence of events is the one of testing each alone, when
// values repeat, change, and come back.
func TestCondMemo(t *testing.T) {
	c := cond(t, `{all: [{field: sip.from.uri, regex: '(?i)^sips?:[a-z.]+@[a-z]+\.[a-z]{2,}$'}, {not: {field: sip.user_agent, regex: 'OC/[234]\.'}}]}`)
	values := []struct{ uri, ua string }{
		{"sip:bob@contoso.com", "UCCAPI/16.0 OC/16.0"},
		{"sip:bob@contoso.com", "UCCAPI/16.0 OC/16.0"},
		{"sip:bob@contoso", "UCCAPI/16.0 OC/16.0"}, // near miss: no top-level domain
		{"sip:bob@contoso.com", "OC/3.5.6907"},     // near miss: an old client
		{"sip:bob@contoso.com", "UCCAPI/16.0 OC/16.0"},
		{"sip:bob@contoso", "OC/3.5.6907"},
	}
	m := memo{}
	for i, v := range values {
		e := &event.Event{Kind: "sip", Fields: map[string]string{"sip.from.uri": v.uri, "sip.user_agent": v.ua}}
		assert.Equal(t, c.Match(e), c.match(e, m), "event %d", i)
	}
	assert.Equal(t, []bool{true, true, false, false, true, false}, func() []bool {
		var got []bool
		for _, v := range values {
			got = append(got, c.match(&event.Event{Fields: map[string]string{"sip.from.uri": v.uri, "sip.user_agent": v.ua}}, m))
		}
		return got
	}())
}
