package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

func TestEvent(t *testing.T) {
	// An event log record as parsers/evtx renders it: the text lists the
	// data values without their names.
	e := &event.Event{
		Source: event.SourceEvtx, Kind: event.KindRecord, Path: "Application.evtx", RecordID: 7,
		Text: "Application/ContosoSync 1001 Level=2 Computer=WKS-0042.contoso.local: bob | Hunter2 | EwBgA8l6BAAU | 0x40810000",
		Fields: map[string]string{
			"evt.computer":           "WKS-0042.contoso.local",
			"evt.data.UserName":      "bob",
			"evt.data.Password":      "Hunter2",
			"evt.data.AccessToken":   "EwBgA8l6BAAU",
			"evt.data.TicketOptions": "0x40810000",
			"evt.data.all":           "bob\nHunter2\nEwBgA8l6BAAU\n0x40810000",
		},
	}
	m := Event(e)
	assert.Equal(t, "Application/ContosoSync 1001 Level=2 Computer=WKS-0042.contoso.local: bob | <masked> | <masked> | 0x40810000", m.Text)
	assert.Equal(t, Masked, m.Fields["evt.data.Password"])
	assert.Equal(t, Masked, m.Fields["evt.data.AccessToken"])
	assert.Equal(t, "bob\n<masked>\n<masked>\n0x40810000", m.Fields["evt.data.all"])
	assert.Equal(t, "0x40810000", m.Fields["evt.data.TicketOptions"])
	assert.Equal(t, "Hunter2", e.Fields["evt.data.Password"], "the event itself is not changed")
	again := Event(&m)
	assert.Equal(t, m, again, "idempotent")

	assert.Equal(t, "Computer=WKS-0042.contoso.local: bob | <masked>", EventText(e, "Computer=WKS-0042.contoso.local: bob | Hunter2"))
}

func TestEventRegistryPassword(t *testing.T) {
	e := &event.Event{
		Source: event.SourceRegistry, Kind: event.KindRegistry,
		Text: `"DefaultPassword"="Summer2018"`,
		Fields: map[string]string{
			"reg.key": `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`, "reg.name": "DefaultPassword",
			"reg.type": "REG_SZ", "reg.data": "Summer2018",
		},
	}
	m := Event(e)
	assert.Equal(t, Masked, m.Fields["reg.data"])
	assert.Equal(t, `"DefaultPassword"="<masked>"`, m.Text)
	assert.Equal(t, "DefaultPassword", m.Fields["reg.name"])
}

func TestEventSIP(t *testing.T) {
	e := &event.Event{
		Kind: event.KindSIP,
		Text: register,
		Fields: map[string]string{
			"sip.header.www-authenticate": `NTLM opaque="85185AE4", gssapi-data="TlRMTVNT", version=4` + "\n" + `Kerberos opaque="B1C2D3E4", gssapi-data="YIIGBw", version=4`,
			"sip.from.uri":                "sip:bob@contoso.com",
		},
	}
	m := Event(e)
	for _, v := range []string{"85185AE4", "TlRMTVNT", "B1C2D3E4", "YIIGBw"} {
		assert.NotContains(t, m.Fields["sip.header.www-authenticate"], v)
		assert.NotContains(t, m.Text, v)
	}
	assert.Equal(t, "sip:bob@contoso.com", m.Fields["sip.from.uri"])
}

func TestEventInto(t *testing.T) {
	e := &event.Event{Kind: event.KindLog, Text: "password: Hunter2", Fields: map[string]string{"log.message": "token=abc&x=1", "evt.data.Token": "abc"}}
	dst := event.Event{Path: "old", Fields: map[string]string{"stale": "x"}}
	reused := dst.Fields
	EventInto(&dst, e)
	assert.Equal(t, Event(e), dst)
	assert.Equal(t, map[string]string{"log.message": "token=<masked>&x=1", "evt.data.Token": Masked}, dst.Fields)
	dst.Fields["probe"] = "y"
	assert.Equal(t, "y", reused["probe"], "the map is reused")

	// No fields: Event keeps nil, EventInto leaves the reused map empty.
	none := &event.Event{Text: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"}
	assert.Nil(t, Event(none).Fields)
	EventInto(&dst, none)
	assert.Empty(t, dst.Fields)
	assert.NotNil(t, dst.Fields)
	assert.Equal(t, "Authorization: Bearer <masked>", dst.Text)
}

// TestEventSameValueTwice: a value that two fields hold (a record's only
// data value and evt.data.all, sip.call_id and the Call-ID header) is
// masked once and the same in both.
func TestEventSameValueTwice(t *testing.T) {
	soap := `<S:Envelope><wsse:BinarySecurityToken ValueType="x">MIIBsecret</wsse:BinarySecurityToken></S:Envelope>`
	e := &event.Event{Kind: event.KindRecord, Fields: map[string]string{
		"evt.data.Value": soap, "evt.data.all": soap, "sip.call_id": "36aa321ccf84d8847efe9fb59a0d9053", "sip.header.call-id": "36aa321ccf84d8847efe9fb59a0d9053",
	}}
	m := Event(e)
	assert.NotContains(t, m.Fields["evt.data.Value"], "MIIBsecret")
	assert.Equal(t, m.Fields["evt.data.Value"], m.Fields["evt.data.all"])
	assert.Equal(t, Secrets(soap), m.Fields["evt.data.all"])
	assert.Equal(t, "36aa321ccf84d8847efe9fb59a0d9053", m.Fields["sip.header.call-id"])
}
