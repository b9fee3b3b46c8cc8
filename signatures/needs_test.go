package signatures

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/sfblog/sfblog/event"
)

func TestClauses(t *testing.T) {
	tests := []struct {
		name string
		cond string
		want []Clause
	}{
		{"equals", `{field: sip.method, equals: REGISTER}`,
			[]Clause{{{Field: "sip.method", Values: []string{"register"}}}}},
		{"one_of", `{field: diag.code, one_of: ["1008", "1009"]}`,
			[]Clause{{{Field: "diag.code", Values: []string{"1008", "1009"}}}}},
		{"other operators need the field", `{field: sip.clock_skew, abs_gt: 300}`,
			[]Clause{{{Field: "sip.clock_skew"}}}},
		{"exists", `{field: sip.from.uri, exists: true}`,
			[]Clause{{{Field: "sip.from.uri"}}}},
		{"absent needs nothing", `{field: sip.from.uri, exists: false}`, []Clause{{}}},
		{"not needs nothing", `{not: {field: sip.method, equals: INVITE}}`, []Clause{{}}},
		{"all", `{all: [{field: sip.method, equals: REGISTER}, {field: sip.direction, equals: sent}]}`,
			[]Clause{{{Field: "sip.method", Values: []string{"register"}}, {Field: "sip.direction", Values: []string{"sent"}}}}},
		{"all intersects one field", `{all: [{field: sip.status, one_of: ["401", "403"]}, {field: sip.status, equals: "403"}, {field: sip.status, exists: true}]}`,
			[]Clause{{{Field: "sip.status", Values: []string{"403"}}}}},
		{"all that cannot hold", `{all: [{field: sip.method, equals: REGISTER}, {field: sip.method, equals: INVITE}]}`, nil},
		{"any", `{any: [{field: sip.method, equals: REGISTER}, {field: sip.cseq.method, equals: REGISTER}]}`,
			[]Clause{{{Field: "sip.method", Values: []string{"register"}}}, {{Field: "sip.cseq.method", Values: []string{"register"}}}}},
		{"any with a part that needs nothing", `{any: [{field: sip.method, equals: REGISTER}, {not: {field: text, contains: x}}]}`, []Clause{{}}},
		{"all of any distributes", `{all: [{field: sip.direction, equals: received}, {any: [{field: sip.method, equals: NOTIFY}, {field: sip.status, equals: "488"}]}]}`,
			[]Clause{
				{{Field: "sip.direction", Values: []string{"received"}}, {Field: "sip.method", Values: []string{"notify"}}},
				{{Field: "sip.direction", Values: []string{"received"}}, {Field: "sip.status", Values: []string{"488"}}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Cond
			require.NoError(t, yaml.Unmarshal([]byte(tt.cond), &c))
			assert.Equal(t, tt.want, clauses(&c))
		})
	}
}

func TestClausesBounded(t *testing.T) {
	// Ten two-way choices are 1,024 clauses: past maxClauses the condition
	// is taken to need nothing.
	cond := `{all: [`
	for i := 0; i < 10; i++ {
		cond += `{any: [{field: a, equals: x}, {field: b, equals: y}]},`
	}
	var c Cond
	require.NoError(t, yaml.Unmarshal([]byte(cond+`]}`), &c))
	assert.Equal(t, []Clause{{}}, clauses(&c))
}

// Every rule of the shipped catalog that reads SIP events needs something
// of them: no rule reads every SIP message (which would make the client-log
// filter keep every block).
func TestNeedsOfTheCatalog(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	m := NewMatcher(c)
	sip := m.Needs(event.KindSIP)
	require.NotEmpty(t, sip)
	for _, cl := range sip {
		assert.NotEmpty(t, cl, "a SIP rule that may match any SIP message")
	}
	assert.Contains(t, sip, Clause{{Field: "sip.method", Values: []string{"register"}}, {Field: "sip.direction", Values: []string{"sent"}}})
	assert.Empty(t, m.Needs("no-such-kind"))
}
