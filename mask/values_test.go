package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// TestRemoveValues: the values of fields whose names say secret are
// removed from a text wherever they stand as words, in the forms a text
// holds them, and nowhere else.
func TestRemoveValues(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		vals    []string
		want    string
	}{
		{"a word", "bob | Hunter2 | 0x1", []string{"Hunter2"}, "bob | <masked> | 0x1"},
		{"inside a longer word: kept", "xHunter2 Hunter2x", []string{"Hunter2"}, "xHunter2 Hunter2x"},
		{"after a longer word's hit, the left context stays", "dword:00000011 1", []string{"1"}, "dword:00000011 <masked>"},
		{"every word", "1 21 1", []string{"1"}, "<masked> 21 <masked>"},
		{"a text cut inside the value", "bob | Spr1ngTrunc201…", []string{"Spr1ngTrunc2018"}, "bob | <masked>…"},
		{"cut after the value's first byte", "bob | S…", []string{"Spr1ng"}, "bob | <masked>…"},
		{"cut inside a longer word: kept", "bob | xSpr1ng…", []string{"Spr1ngTrunc"}, "bob | xSpr1ng…"},
		{"not cut: a beginning is kept", "bob | Spr1ng", []string{"Spr1ngTrunc"}, "bob | Spr1ng"},
		{"cut elsewhere", "Spr1ng | bob…", []string{"Spr1ngTrunc"}, "Spr1ng | bob…"},
		{"whole and cut", "Spr1ngTrunc | Spr1ngTr…", []string{"Spr1ngTrunc"}, "<masked> | <masked>…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, removeValues(tc.s, tc.vals))
		})
	}
}

// TestEventSecretForms: a secret field's value is removed from the event's
// text in the form the text holds it: XML-escaped, cut by the parser, a
// line of a value of several lines, a .reg value's data as written.
func TestEventSecretForms(t *testing.T) {
	reg := func(name, text, data string) *event.Event {
		return &event.Event{Source: event.SourceRegistry, Kind: event.KindRegistry, Text: text,
			Fields: map[string]string{"reg.name": name, "reg.type": "REG_EXPAND_SZ", "reg.data": data}}
	}
	record := func(text string, fields ...string) *event.Event {
		e := &event.Event{Source: event.SourceEvtText, Kind: event.KindRecord, Text: text, Fields: map[string]string{}}
		for i := 0; i < len(fields); i += 2 {
			e.Fields[fields[i]] = fields[i+1]
		}
		return e
	}
	for _, tc := range []struct {
		name string
		e    *event.Event
		want string
	}{
		{
			"XML-escaped in a saved event log",
			record(`<Data Name='ClientPassword'>Spr1ng&amp;Xml&lt;2018</Data><Message>(password Spr1ng&amp;Xml&lt;2018)</Message>`,
				"evt.data.ClientPassword", "Spr1ng&Xml<2018"),
			`<Data Name='ClientPassword'><masked></Data><Message>(password <masked>)</Message>`,
		},
		{
			"XML-escaped quotes",
			record(`<Message>(a&quot;b&apos;c)</Message>`, "evt.data.Password", `a"b'c`),
			`<Message>(<masked>)</Message>`,
		},
		{
			"XML-escaped value of an other field: kept",
			record(`<Data Name="Status">a&amp;b</Data>`, "evt.data.Status", "a&b"),
			`<Data Name="Status">a&amp;b</Data>`,
		},
		{
			"cut by the parser",
			record("Microsoft-Windows-Security-Kerberos 3 Level=2 Computer=WKS: xxxx | Spr1ngTrunc201…", "evt.data.Password", "Spr1ngTrunc2018"),
			"Microsoft-Windows-Security-Kerberos 3 Level=2 Computer=WKS: xxxx | <masked>…",
		},
		{
			"the lines of a value of several lines",
			record("userPassword: Spr1ngOne\nuserPassword: Spr1ngTwo\nmail: a@b", "ad.attr.userPassword", "Spr1ngOne\nSpr1ngTwo\nab"),
			"userPassword: <masked>\nuserPassword: <masked>\nmail: a@b",
		},
		{
			".reg data written as hex(2)",
			reg("DefaultPassword", `"DefaultPassword"=hex(2):53,00,70,00,72,00,\`+"\n"+`  31,00,00,00`, "Spr1"),
			`"DefaultPassword"=<masked>` + "\n",
		},
		{
			".reg string with escapes",
			reg("DefaultPassword", `"DefaultPassword"="Spr1ng\\Esc\"2018"`, `Spr1ng\Esc"2018`),
			`"DefaultPassword"="<masked>"`,
		},
		{
			".reg name with an escaped quote",
			reg(`Default"Password`, `"Default\"Password"="x"`, "x"),
			`"Default\"Password"="<masked>"`,
		},
		{
			".reg value of an other name: kept",
			reg("DefaultUserName", `"DefaultUserName"=hex(2):62,00,6f,00,62,00,00,00`, "bob"),
			`"DefaultUserName"=hex(2):62,00,6f,00,62,00,00,00`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Event(tc.e)
			assert.Equal(t, tc.want, m.Text)
			assert.Equal(t, tc.want, EventText(tc.e, tc.e.Text), "EventText")
		})
	}
}
