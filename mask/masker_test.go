package mask

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// TestMaskerKinds: the kind a Masker remembers for a name is the kind of
// the name, found again by the name's address or by its bytes; a name
// whose bytes are at the address, and of the length, of another name seen
// before gets its own kind (the collector reuses memory), and the Masker
// keeps no caller's string.
func TestMaskerKinds(t *testing.T) {
	var mk Masker
	for _, tc := range []struct {
		name string
		want fieldKind
	}{
		{"sip.header.authorization", authHeader},
		{"sip.header.via", plainHeader},
		{"sip.header.set-cookie", cookieHeader},
		{"sip.header.x-ms-webticket", ticketHeader},
		{"evt.data.Password", secretField},
		{"evt.data.PasswordLastSet", plainField},
		{"reg.data", regDataField},
		{"sip.call_id", plainField},
		{"", plainField},
	} {
		require.Equal(t, tc.want, fieldKindOf(tc.name), tc.name)
		require.Equal(t, tc.want, mk.kind(tc.name), "first: %s", tc.name)
		require.Equal(t, tc.want, mk.kind(tc.name), "again: %s", tc.name)
		require.Equal(t, tc.want, mk.kind(string([]byte(tc.name))), "another copy: %s", tc.name)
	}

	buf := []byte("evt.data.Password")
	name := unsafe.String(&buf[0], len(buf))
	require.Equal(t, secretField, mk.kind(name))
	copy(buf, "evt.data.Passwore") // the same address and length
	require.Equal(t, plainField, mk.kind(name))
	copy(buf, "evt.data.Password")
	require.Equal(t, secretField, mk.kind(name))
	for k, known := range mk.kinds {
		require.False(t, unsafe.StringData(k) == &buf[0] || unsafe.StringData(known.name) == &buf[0], "a copy of %q", k)
	}

	e := &event.Event{Text: "x", Fields: map[string]string{name: "Spr1ng"}}
	_, fs := mk.EventFields(nil, e)
	require.Equal(t, []event.Field{{Name: "evt.data.Password", Value: Masked}}, fs)
	copy(buf, "evt.data.Passwore")
	_, fs = mk.EventFields(nil, e)
	require.Equal(t, []event.Field{{Name: "evt.data.Passwore", Value: "Spr1ng"}}, fs)
}

// TestMaskerBounded: past maxKinds names, a Masker tells the kind of a
// new name each time and remembers no more.
func TestMaskerBounded(t *testing.T) {
	var mk Masker
	for i := range maxKinds + 10 {
		name := fmt.Sprintf("evt.data.Param%d", i)
		require.Equal(t, plainField, mk.kind(name))
	}
	require.Len(t, mk.kinds, maxKinds)
	require.Equal(t, secretField, mk.kind("evt.data.ClientSecret"))
	require.Len(t, mk.kinds, maxKinds)
}
