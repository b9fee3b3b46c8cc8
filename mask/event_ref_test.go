package mask

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// RefEvent is refEvent for the tests of package mask_test.
var RefEvent = refEvent

// refEvent is Event as it was before EventInto (sfblog 2026-12-06): every
// field through Field, the secret values found in a second pass over the
// fields. Event must give the same result on every event.
func refEvent(e *event.Event) event.Event {
	m := *e
	if e.Fields != nil {
		m.Fields = make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			m.Fields[k] = Field(k, v)
		}
		if SecretName(e.Fields["reg.name"]) {
			if v, ok := m.Fields["reg.data"]; ok {
				m.Fields["reg.data"] = wholeValue(v)
			}
		}
	}
	vals := secretValues(e)
	m.Text = removeValues(Secrets(e.Text), vals)
	if len(vals) > 0 {
		for k, v := range m.Fields {
			m.Fields[k] = removeValues(v, vals)
		}
	}
	return m
}

// FuzzEventSameAsRef: any event masks as the reference masks it, whether
// masked on its own or into a reused event, and the event is not changed.
func FuzzEventSameAsRef(f *testing.F) {
	f.Add("Password: Hunter2 | x", "evt.data.Password", "Hunter2", "sip.header.authorization", `NTLM gssapi-data="TlRM", version=4`, "reg.name", "DefaultPassword", "reg.data", " Summer 2018\n")
	f.Add("token=abc&code=x <Password>p</Password>", "sip.header.set-cookie", "a=1; Path=/\nb=2", "sip.header.x-ms-webticket", "  ", "evt.data.all", "abc\n%%1843", "evt.data.Token", "-")
	f.Add("", "", "", "sip.header.", "x", "a.secret", "s e c", "sip.body", "password is open sesame")
	soap := `<S:Envelope><wsse:BinarySecurityToken ValueType="x">MIIB</wsse:BinarySecurityToken></S:Envelope>`
	f.Add(soap, "evt.data.Value", soap, "evt.data.all", soap, "sip.call_id", "36aa321ccf84d8847efe9fb59a0d9053", "sip.header.call-id", "36aa321ccf84d8847efe9fb59a0d9053")
	// The shapes of the red team's findings (leaks_test.go).
	sip := "INVITE sip:bob:Spr1ng@contoso.com SIP/2.0\nFrom: <sip:bob@contoso.com>\nAuthorization: Basic bob:pw\nCookie: Spr1ngCook\n\n{\\\"refresh_token\\\":\\\"RT0\\\"} " + shortJWT
	f.Add(sip, "sip.from.uri", "sip:bob@contoso.com", "sip.header.cookie", "Spr1ngCook", "evt.data.Cookies", "ESTSAUTH=x; y=z", "evt.data.SavePassword", "0")
	f.Add("Kerberos KRB_AP_ERR_SKEW Password: 0x80048821 http://u:p@proxy:8080", "evt.data.TokenValue", "Spr1ngTokVal", "evt.data.SessionKey", "k", "reg.name", "AllowSavePassword", "reg.data", "1")
	f.Fuzz(func(t *testing.T, text, k1, v1, k2, v2, k3, v3, k4, v4 string) {
		e := &event.Event{Kind: event.KindRecord, Text: text, Fields: map[string]string{k1: v1, k2: v2, k3: v3, k4: v4}}
		before := map[string]string{k1: v1, k2: v2, k3: v3, k4: v4}
		want := refEvent(e)
		require.Equal(t, want, Event(e))
		reused := event.Event{Fields: map[string]string{"stale": "x", k1: "y"}}
		EventInto(&reused, e)
		require.Equal(t, want, reused)
		var mk Masker
		for range 2 { // names unknown, then known
			text, fs := mk.EventFields(nil, e)
			require.Equal(t, want.Text, text, "Masker")
			require.Len(t, fs, len(want.Fields))
			for _, f := range fs {
				require.Equal(t, want.Fields[f.Name], f.Value, "Masker: %s", f.Name)
			}
		}
		require.Equal(t, before, e.Fields, "e is not changed")
	})
}
