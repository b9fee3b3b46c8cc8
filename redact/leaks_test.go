package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// Personal data that survived --redact (red team findings B1-B5): each
// form that is now replaced, with the exact output, and the near misses
// that must stay as they are.

// TestLeakXPProfilePaths: B1, the Windows XP profile root where
// Communicator 2007 R2 and Lync 2010 keep their logs, and Linux homes.
func TestLeakXPProfilePaths(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "XP profile path in log text",
			in:   `(cache C:\Documents and Settings\carolx\Local Settings\Application Data\Microsoft\Communicator)`,
			want: `(cache C:\Documents and Settings\user1\Local Settings\Application Data\Microsoft\Communicator)`,
		},
		{
			name: "XP profile path with forward slashes",
			in:   `C:/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
			want: `C:/Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog`,
		},
		{
			name: "XP profile path of a zip entry",
			in:   `/tmp/cases/bundle.zip!/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog:106`,
			want: `/tmp/cases/bundle.zip!/Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog:106`,
		},
		{
			name: "relative XP profile path",
			in:   `Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
			want: `Documents and Settings/user1/Tracing/Communicator-uccapi-0.uccapilog`,
		},
		{
			name: "JSON-escaped XP profile path",
			in:   `{"path": "C:\\Documents and Settings\\carolx\\Tracing"}`,
			want: `{"path": "C:\\Documents and Settings\\user1\\Tracing"}`,
		},
		{
			name: "XP profile with a space in its name",
			in:   `C:\Documents and Settings\Carol X\Tracing`,
			want: `C:\Documents and Settings\user1\Tracing`,
		},
		{
			name: "same user in an XP and a Vista profile path",
			in:   `C:\Documents and Settings\carolx\x and C:\Users\carolx\y`,
			want: `C:\Documents and Settings\user1\x and C:\Users\user1\y`,
		},
		{
			name: "XP shared profiles stay",
			in:   `C:\Documents and Settings\All Users\Application Data and C:\Documents and Settings\Default User\NTUSER.DAT`,
			want: `C:\Documents and Settings\All Users\Application Data and C:\Documents and Settings\Default User\NTUSER.DAT`,
		},
		{
			name: "Local Settings and prose about settings stay",
			in:   `Local Settings\Application Data; Documents and settings are kept; My Documents and Settings/ is empty`,
			want: `Local Settings\Application Data; Documents and settings are kept; My Documents and Settings/ is empty`,
		},
		{
			name: "Linux home folder in an input path",
			in:   `/home/jdoe/cases/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog and file:///home/jdoe/x`,
			want: `/home/user1/cases/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog and file:///home/user1/x`,
		},
		{
			name: "home in a URL or deeper in a path stays",
			in:   `https://portal.office.com/home/index and /var/lib/home/data/ and /home/ and /home/jdoe`,
			want: `https://portal.office.com/home/index and /var/lib/home/data/ and /home/ and /home/jdoe`,
		},
	})
}

// TestLeakLearnsXPProfile: the profile folder of an XP path is learned from
// the event's path and replaced wherever it appears.
func TestLeakLearnsXPProfile(t *testing.T) {
	for _, path := range []string{
		`bundle.zip!/Documents and Settings/carolx/Tracing/Communicator-uccapi-0.uccapilog`,
		`C:\Documents and Settings\carolx\Tracing\Communicator-uccapi-0.uccapilog`,
		`/home/carolx/bundle.zip!/Tracing/Lync-UccApi-0.UccApilog`,
	} {
		t.Run(path, func(t *testing.T) {
			r := New()
			r.Learn(&event.Event{Path: path})
			assert.Equal(t, "signed in as user1 on HOST", r.Redact("signed in as carolx on HOST"))
		})
	}
	assert.Equal(t, "", profileName(`/var/home/carolx/x`))
	assert.Equal(t, "", profileName(`C:\Program Files\Documents and Settings.txt`))
}

// redactLearned redacts each input in turn with one Redactor that first
// learned evs.
func redactLearned(evs []*event.Event, in ...string) []string {
	r := New()
	for _, e := range evs {
		r.Learn(e)
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = r.Redact(s)
	}
	return out
}

var _ = strings.Repeat
