package analyze

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

func TestClientOf(t *testing.T) {
	tests := []struct{ ua, client, version string }{
		{"UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)", "Skype for Business (Skype for Business 2015/2016)", "16.0.4849.1000"},
		{"UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)", "Microsoft Lync (Lync 2013)", "15.0.4569.1503"},
		{"UCCAPI/4.0.7577.4446 OC/4.0.7577.4446 (Microsoft Lync 2010)", "Microsoft Lync 2010", "4.0.7577.4446"},
		{"UCCAPI/3.5.6907.0 OC/3.5.6907.0 (Microsoft Office Communicator 2007 R2)", "Microsoft Office Communicator 2007 R2", "3.5.6907.0"},
		{"", "", ""},
	}
	for _, tt := range tests {
		c, v := clientOf(tt.ua)
		assert.Equal(t, tt.client, c, tt.ua)
		assert.Equal(t, tt.version, v, tt.ua)
	}
}

func TestGroupInputs(t *testing.T) {
	in := func(path, address, computer string) *input {
		i := &input{Input: Input{Path: path}, tr: newTracker()}
		i.tr.address = address
		if computer != "" {
			i.computers = map[string]int{computer: 3}
		}
		return i
	}
	keys := func(gs []inputGroup) map[string][]string {
		out := map[string][]string{}
		for _, g := range gs {
			for _, i := range g.inputs {
				out[g.key] = append(out[g.key], i.Path)
			}
		}
		return out
	}
	tests := []struct {
		name   string
		inputs []*input
		want   map[string][]string
	}{
		{"one user with event logs and a note", []*input{
			in("a.zip!/Tracing/Lync-UccApi-0.UccApilog", "sip:bob@contoso.com", ""),
			in("a.zip!/Application.evtx", "", "pc01.contoso.com"),
			in("note.txt", "", ""),
		}, map[string][]string{"bob@contoso.com": {"a.zip!/Tracing/Lync-UccApi-0.UccApilog", "a.zip!/Application.evtx", "note.txt"}}},
		{"two users' bundles", []*input{
			in("alice.zip!/Tracing/Lync-UccApi-0.UccApilog", "sip:alice@contoso.com", ""),
			in("alice.zip!/System.evtx", "", "pc07"),
			in("bob.zip!/Tracing/Lync-UccApi-0.UccApilog", "sip:Bob@contoso.com", ""),
			in("bob.zip!/System.evtx", "", "pc01"),
		}, map[string][]string{
			"alice@contoso.com": {"alice.zip!/Tracing/Lync-UccApi-0.UccApilog", "alice.zip!/System.evtx"},
			"bob@contoso.com":   {"bob.zip!/Tracing/Lync-UccApi-0.UccApilog", "bob.zip!/System.evtx"},
		}},
		{"rotated logs of one user are one group", []*input{
			in("t/Lync-UccApi-0.UccApilog", "sip:bob@contoso.com", ""),
			in("t/Lync-UccApi-1.UccApilog", "sip:bob@contoso.com", ""),
		}, map[string][]string{"bob@contoso.com": {"t/Lync-UccApi-0.UccApilog", "t/Lync-UccApi-1.UccApilog"}}},
		{"a note beside two users is told apart", []*input{
			in("alice/Lync-UccApi-0.UccApilog", "sip:alice@contoso.com", ""),
			in("bob/Lync-UccApi-0.UccApilog", "sip:bob@contoso.com", ""),
			in("note.txt", "", ""),
		}, map[string][]string{
			"alice@contoso.com":            {"alice/Lync-UccApi-0.UccApilog"},
			"bob@contoso.com":              {"bob/Lync-UccApi-0.UccApilog"},
			"inputs of no identified user": {"note.txt"},
		}},
		{"event logs alone are one group", []*input{
			in("Application.evtx", "", "pc01"), in("System.evtx", "", "pc01"),
		}, map[string][]string{"": {"Application.evtx", "System.evtx"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, keys(groupInputs(tt.inputs)))
		})
	}
}

// TestUTCMillis: the UTC times of a client log's times keep their three
// digits of milliseconds ("07:44:48.890Z", not "07:44:48.89Z"), in the
// subject and in the timeline.
func TestUTCMillis(t *testing.T) {
	a := New(defaultMatcher(t), Options{})
	r, err := a.Run(context.Background(), []string{"../testdata/logs/damaged-bundle.zip"})
	require.NoError(t, err)
	assert.Equal(t, "2014-06-03T07:44:12.832Z", r.Subject.FirstUTC)
	assert.Equal(t, "2014-06-03T07:44:48.890Z", r.Subject.LastUTC)
	millis := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	require.NotEmpty(t, r.Attempts)
	for _, at := range r.Attempts {
		assert.Regexp(t, millis, at.StartUTC, "attempt %d", at.N)
	}
	for in, want := range map[time.Time]string{
		time.Date(2014, 6, 3, 9, 44, 48, 890_000_000, time.FixedZone("", 2*3600)): "2014-06-03T07:44:48.890Z",
		time.Date(2014, 6, 3, 7, 44, 48, 0, time.UTC):                             "2014-06-03T07:44:48.000Z",
		time.Date(2014, 6, 3, 7, 44, 48, 123_456_789, time.UTC):                   "2014-06-03T07:44:48.123Z",
		{}: "",
	} {
		assert.Equal(t, want, event.FormatUTCMillis(in))
	}
}
