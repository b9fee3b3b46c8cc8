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

// TestLeakPhonesWithoutPlus: B2, North American numbers written without
// '+', and bare 10-digit numbers where the text says phone or in a file
// name.
func TestLeakPhonesWithoutPlus(t *testing.T) {
	runRedactCases(t, []redactCase{
		{
			name: "(NNN) NNN-NNNN",
			in:   `(call to (425) 555-0143 failed)`,
			want: `(call to 15550100001 failed)`,
		},
		{
			name: "(NNN)NNN-NNNN and 1 (NNN) NNN NNNN",
			in:   `(425)555-0143 or 1 (425) 555 0144`,
			want: `15550100001 or 15550100002`,
		},
		{
			name: "dashes and dots, one pseudonym for one number",
			in:   `425-555-0143, 425.555.0143, 1-425-555-0143 and +1 425 555 0143.`,
			want: `15550100001, 15550100001, 15550100001 and +15550100001.`,
		},
		{
			name: "bare ten digits after a phone word",
			in:   `call to 4255550143; Phone: 4255550144; mobile number 14255550145; dialing 4255550146`,
			want: `call to 15550100001; Phone: 15550100002; mobile number 15550100003; dialing 15550100004`,
		},
		{
			name: "bare ten digits in a file name",
			in:   `bundle.zip!/C/Users/davidq/notes for 4255550143 alice.jones@fabrikam.com.bin: not a format sfblog reads (skipped)`,
			want: `bundle.zip!/C/Users/user1/notes for 15550100001 user2@host1.domain1.example: not a format sfblog reads (skipped)`,
		},
		{
			name: "not phones: HRESULTs, ids, CSeq, ports, times, versions, GUIDs",
			in: "hr=0x80048821 80048821 ms-diagnostics: 4005;reason=\"x\" CSeq: 4255550143 REGISTER 10.0.4.15:5061 " +
				"2018-04-12 08:58:03 02/06/2018 2018.04.12 16.0.4717.1000 2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC",
			want: "hr=0x80048821 80048821 ms-diagnostics: 4005;reason=\"x\" CSeq: 4255550143 REGISTER 192.0.2.1:5061 " +
				"2018-04-12 08:58:03 02/06/2018 2018.04.12 16.0.4717.1000 2DE73B6E-3B0A-5EC4-99C9-B1D0E47179DC",
		},
		{
			name: "not phones: bare ten digits without a phone context",
			in: "Call-ID: 4255550143 | EventRecordID 4255550143 | RecordId=4255550143 | took 4255550143 ms | 4255550143 bytes | " +
				"call 2 took 4255550143 ms | callid=4255550143 | 02/06/2018 4255550143 | GET /users/4255550143/profile",
			want: "Call-ID: 4255550143 | EventRecordID 4255550143 | RecordId=4255550143 | took 4255550143 ms | 4255550143 bytes | " +
				"call 2 took 4255550143 ms | callid=4255550143 | 02/06/2018 4255550143 | GET /users/4255550143/profile",
		},
		{
			name: "not phones: invalid NANP numbers, Unix times, longer runs",
			in:   `call 1523523483; phone 0255550143; (123) 456-7890; 123-456-7890; 425-155-0143; call 42555501430; x-425-555-0143; 425-555-0143-7; f(425) 555-0143`,
			want: `call 1523523483; phone 0255550143; (123) 456-7890; 123-456-7890; 425-155-0143; call 42555501430; x-425-555-0143; 425-555-0143-7; f(425) 555-0143`,
		},
	})
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
