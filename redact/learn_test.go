package redact

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

func TestRedactPaths(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "bundle folder named after the user's address",
			in:   `bundle-alice.smith@fabrikam.com/Tracing/Lync-UccApi-0.UccApilog`,
			want: `user1@domain1.example/Tracing/Lync-UccApi-0.UccApilog`,
		},
		{
			name: "Windows profile path",
			in:   `C:\Users\jdoe\AppData\Local\Microsoft\Office\16.0\Lync\Tracing\Lync-UccApi-0.UccApilog`,
			want: `C:\Users\user1\AppData\Local\Microsoft\Office\16.0\Lync\Tracing\Lync-UccApi-0.UccApilog`,
		},
		{
			name: "profile path inside a zip, forward slashes",
			in:   `logs.zip!/Users/jdoe/AppData/Local/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog`,
			want: `logs.zip!/Users/user1/AppData/Local/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog`,
		},
		{
			name: "relative profile path",
			in:   `Users/jdoe/AppData/Local/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog`,
			want: `Users/user1/AppData/Local/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog`,
		},
		{
			name: "the client's per-user folder sip_user@domain",
			in:   `C:\Users\jdoe\AppData\Local\Microsoft\Office\16.0\Lync\sip_jdoe@contoso.com\PublicFolder`,
			want: `C:\Users\user1\AppData\Local\Microsoft\Office\16.0\Lync\sip_user1@domain1.example\PublicFolder`,
		},
		{
			name: "public profile stays",
			in:   `C:\Users\Public\Documents\note.txt`,
			want: `C:\Users\Public\Documents\note.txt`,
		},
	})
}

func TestRedactPhones(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "tel URI",
			in:   `<tel:+14255550199;ext=199>`,
			want: `<tel:+15550100001;ext=199>`,
		},
		{
			name: "same number, three spellings, one pseudonym",
			in:   `sip:+14255550199@contoso.com;user=phone | +1 (425) 555-0199 | tel:+14255550199`,
			want: `sip:+15550100001@domain1.example;user=phone | +15550100001 | tel:+15550100001`,
		},
		{
			name: "international with spaces, then another number",
			in:   `call +44 20 7946 0958 or +1-425-555-0100 now`,
			want: `call +15550100001 or +15550100002 now`,
		},
		{
			name: "tel without plus",
			in:   `LineURI: tel:4255550199`,
			want: `LineURI: tel:15550100001`,
		},
		{
			name: "not phones: offsets, versions, sip.instance, short numbers",
			in:   `Date +0200; +sip.instance; +02:00; build +16.0.4717.1000x; +123456; v=+192.168.100.200`,
			want: `Date +0200; +sip.instance; +02:00; build +16.0.4717.1000x; +123456; v=+192.0.2.1`,
		},
	})
}

// bundleEvents are the events of a bundle that name the user's computer
// and account: a logon event and ipconfig /all.
func bundleEvents() []*event.Event {
	return []*event.Event{
		{Kind: event.KindRecord, Path: `bundle.zip!/Users/jdoe/Desktop/Security.evtx`, Fields: map[string]string{
			"evt.computer": "LAPTOP-7F3K2.contoso.local", "evt.data.TargetUserName": "jdoe",
			"evt.data.SubjectUserName": "LAPTOP-7F3K2$", "evt.data.WorkstationName": "-",
		}},
		{Kind: event.KindNetCfg, Fields: map[string]string{"net.host": "WKS0042"}},
		{Kind: event.KindRecord, Fields: map[string]string{"evt.computer": "SYSTEM", "evt.data.SubjectUserName": "DWM-1"}},
	}
}

func TestRedactLearnedNames(t *testing.T) {
	r := New()
	for _, e := range bundleEvents() {
		r.Learn(e)
	}
	in := "ERROR :: Machine WKS0042 could not reach the proxy; laptop-7f3k2 as jdoe; SYSTEM and DWM-1 stay; LAPTOP-7F3K2.contoso.local"
	want := "ERROR :: Machine HOST1 could not reach the proxy; host2 as user1; SYSTEM and DWM-1 stay; host2.domain1.example"
	got := r.Redact(in)
	assert.Equal(t, want, got)
	assert.Equal(t, got, r.Redact(got), "idempotent")
	assert.Equal(t, "C:\\Users\\user1\\AppData", r.Redact(`C:\Users\jdoe\AppData`), "same pseudonym in a path")
}

// TestRedactLearnOrder learns the same events in different orders and
// concurrently: the redaction is the same bytes.
func TestRedactLearnOrder(t *testing.T) {
	text := "host WKS0042 user jdoe on LAPTOP-7F3K2 (+1 425 555 0199) from 10.0.4.15"
	evs := bundleEvents()
	forward := New()
	for _, e := range evs {
		forward.Learn(e)
	}
	backward := New()
	for i := len(evs) - 1; i >= 0; i-- {
		backward.Learn(evs[i])
	}
	concurrent := New()
	var wg sync.WaitGroup
	for range 8 {
		for _, e := range evs {
			wg.Go(func() { concurrent.Learn(e) })
		}
	}
	wg.Wait()
	want := forward.Redact(text)
	assert.Equal(t, want, backward.Redact(text))
	assert.Equal(t, want, concurrent.Redact(text))
	assert.NotContains(t, want, "WKS0042")
	assert.NotContains(t, want, "jdoe")
	assert.NotContains(t, want, "0199")
}

func TestLearnIgnoresNil(t *testing.T) {
	var r *Redactor
	r.Learn(&event.Event{})
	New().Learn(nil)
	assert.Equal(t, "", profileName(`C:\Windows\System32`))
}
