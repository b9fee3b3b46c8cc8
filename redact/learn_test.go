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

// TestRedactLearnedProfileInText: a profile folder named in an event's
// text is learned as its path's is, and its name is replaced wherever it
// appears as a word; a shared profile is not learned.
func TestRedactLearnedProfileInText(t *testing.T) {
	r := New()
	r.Learn(&event.Event{Path: "notes.txt", Text: `home folder \\fs01.fabrikam.com\home$\asmith, profile C:\Users\asmith\AppData; C:\Users\Public\Desktop; /home/jdoe/.config`})
	got := r.Redact(`\\fs01\home$\asmith; ASMITH signed in; jdoe; Public; C:\Users\asmith\AppData`)
	assert.Equal(t, `\\host1\home$\user1; user1 signed in; user2; Public; C:\Users\user1\AppData`, got)
	assert.Equal(t, got, r.Redact(got), "idempotent")

	none := New()
	none.Learn(&event.Event{Path: "notes.txt", Text: `C:\Users\Public\Desktop and C:\Users\asmith (no folder after it)`})
	assert.Equal(t, "asmith signed in", none.Redact("asmith signed in"), "a name not followed by a folder is not learned")
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

func TestRedactMACs(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "ipconfig's physical address",
			in:   `Physical Address. . . . . . . . . : 00-1A-2B-3C-4D-5E`,
			want: `Physical Address. . . . . . . . . : 00-00-5E-00-53-01`,
		},
		{
			name: "the same address with colons in lower case, then another",
			in:   `00-1A-2B-3C-4D-5E ether 00:1a:2b:3c:4d:5e, 00:1a:2b:3c:4d:5f`,
			want: `00-00-5E-00-53-01 ether 00:00:5e:00:53:01, 00:00:5e:00:53:02`,
		},
		{
			name: "a documentation address stays and its number is not handed out",
			in:   `00-00-5E-00-53-01 then 00-1A-2B-3C-4D-5E`,
			want: `00-00-5E-00-53-01 then 00-00-5E-00-53-02`,
		},
		{
			name: "the address inside a DHCPv6 DUID gets the address's pseudonym",
			in:   "Physical Address. . . : 54-B2-03-8B-D6-97\nDHCPv6 Client DUID. . : 00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97\nDUID-LL 00-03-00-01-54-B2-03-8B-D6-98",
			want: "Physical Address. . . : 00-00-5E-00-53-01\nDHCPv6 Client DUID. . : 00-01-00-01-2D-55-7D-6A-00-00-5E-00-53-01\nDUID-LL 00-03-00-01-00-00-5E-00-53-02",
		},
		{
			name: "a run of pairs that is no DUID stays",
			in:   "00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6 00-02-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97 00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97-11",
			want: "00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6 00-02-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97 00-01-00-01-2D-55-7D-6A-54-B2-03-8B-D6-97-11",
		},
		{
			name: "all-zero and broadcast stay",
			in:   `00-00-00-00-00-00 FF-FF-FF-FF-FF-FF`,
			want: `00-00-00-00-00-00 FF-FF-FF-FF-FF-FF`,
		},
		{
			name: "near misses: a GUID, longer runs, mixed separators, an IPv6 address, a time",
			in:   `AFB6EF78-539E-5B60-9C4D-A5B5616F96D1 00-1A-2B-3C-4D-5E-6F 00-1A-2B-3C-4D-5Ex 00-1A:2B-3C-4D-5E 2a01:111:f400:7e1b:0:0:0:12 08:58:03`,
			want: `AFB6EF78-539E-5B60-9C4D-A5B5616F96D1 00-1A-2B-3C-4D-5E-6F 00-1A-2B-3C-4D-5Ex 00-1A:2B-3C-4D-5E 2001:db8::1 08:58:03`,
		},
	})
}
