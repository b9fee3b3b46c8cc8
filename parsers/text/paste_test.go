package text

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

func parseNote(t *testing.T, note string) []event.Event {
	t.Helper()
	var got []event.Event
	_, err := Parse(context.Background(), "note.txt", strings.NewReader(note), func(e event.Event) error {
		got = append(got, e)
		return nil
	})
	require.NoError(t, err)
	return got
}

func kinds(es []event.Event, kind string) []event.Event {
	var out []event.Event
	for _, e := range es {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func TestPastedSIP(t *testing.T) {
	tests := []struct {
		name   string
		note   string
		want   map[string]string
		absent []string
	}{
		{"a response pasted from the client log, with CSeq",
			"Hi team, the user gets this when signing in:\n\nSIP/2.0 404 Not Found\nFrom: <sip:bob@contoso.com>;tag=dec6c0e676\nCSeq: 2 REGISTER\nms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\";source=\"sippoolbl20a05.infra.lync.com\"\n\nThanks\n",
			map[string]string{"sip.type": "response", "sip.status": "404", "sip.cseq.method": "REGISTER", "diag.code": "4005",
				"diag.reason": "Destination URI either not enabled for SIP or does not exist", "sip.direction": "received",
				"pasted": "true", "paste.context": "full"}, nil},
		{"smart quotes, collapsed spaces and an e-mail quote",
			"> SIP/2.0   403   Forbidden\n> CSeq:  1 REGISTER\n> ms-diagnostics:  4006;reason=\u201cUser is not licensed\u201d\n",
			map[string]string{"sip.status": "403", "sip.reason": "Forbidden", "sip.cseq.method": "REGISTER", "diag.code": "4006",
				"diag.reason": "User is not licensed", "paste.context": "full"}, nil},
		{"a bare ms-diagnostics line is evidence of the code, not of a REGISTER",
			"The error said ms-diagnostics 4005, see below\nms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\"\n",
			map[string]string{"diag.code": "4005", "paste.context": "partial", "pasted": "true"}, []string{"sip.cseq.method", "sip.status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sips := kinds(parseNote(t, tt.note), event.KindSIP)
			require.Len(t, sips, 1)
			for k, v := range tt.want {
				assert.Equal(t, v, sips[0].Get(k), k)
			}
			for _, k := range tt.absent {
				assert.Empty(t, sips[0].Get(k), k)
			}
		})
	}
}

func TestPastedNearMisses(t *testing.T) {
	for _, note := range []string{
		"We moved the SIP/2.0 stack last week; CSeq numbers looked fine.\n",
		"Subject: sign-in problem\nFrom: alice@contoso.com\nTo: helpdesk@contoso.com\n\nBob cannot sign in.\n",
		"See event ID 3 in the Application log.\n",
	} {
		es := parseNote(t, note)
		assert.Empty(t, kinds(es, event.KindSIP), note)
		assert.Empty(t, kinds(es, event.KindRecord), note)
	}
}

// TestPastedEventDetails: an event's details as Event Viewer copies them,
// with English labels, or Japanese ones as Microsoft Japan's support blogs
// paste them (an English client writes its own message in English; a
// full-width colon as retyped), become the record an event log gives.
func TestPastedEventDetails(t *testing.T) {
	const message = "Communicator was unable to resolve the DNS hostname of the login server sip.contoso.com."
	for _, tt := range []struct{ name, note string }{
		{"English", "From the user's PC:\r\n\r\n" +
			"Log Name:      Application\r\n" +
			"Source:        Communicator\r\n" +
			"Date:          6/15/2017 9:02:11 AM\r\n" +
			"Event ID:      3\r\n" +
			"Task Category: None\r\n" +
			"Level:         Error\r\n" +
			"Keywords:      Classic\r\n" +
			"User:          N/A\r\n" +
			"Computer:      PC01.contoso.com\r\n" +
			"Description:\r\n" + message + "\r\n" +
			"\r\nRegards\r\n"},
		{"Japanese", "ユーザーの PC のイベントです。\r\n\r\n" +
			"ログの名前: Application\r\n" +
			"ソース: Communicator\r\n" +
			"日付: 2017/06/15 9:02:11\r\n" +
			"イベント ID: 3\r\n" +
			"タスクのカテゴリ: なし\r\n" +
			"レベル: エラー\r\n" +
			"キーワード: クラシック\r\n" +
			"ユーザー: N/A\r\n" +
			"コンピューター： PC01.contoso.com\r\n" +
			"説明:\r\n" + message + "\r\n" +
			"\r\nよろしくお願いします。\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs := kinds(parseNote(t, tt.note), event.KindRecord)
			require.Len(t, recs, 1)
			r := recs[0]
			assert.Equal(t, "Communicator", r.Get("evt.provider"))
			assert.Equal(t, "3", r.Get("evt.event_id"))
			assert.Equal(t, "2", r.Get("evt.level"))
			assert.Equal(t, "PC01.contoso.com", r.Get("evt.computer"))
			assert.Equal(t, "Application", r.Get("evt.channel"))
			assert.Equal(t, message, r.Get("evt.data.all"))
			assert.Equal(t, "full", r.Get("paste.context"))
			assert.Equal(t, 3, r.Line)
		})
	}

	// "Event ID: 3" retyped without its source is only partial context.
	recs := kinds(parseNote(t, "Event ID: 3\nDescription: unable to resolve the DNS hostname of the login server sip.contoso.com\n"), event.KindRecord)
	require.Len(t, recs, 1)
	assert.Equal(t, "partial", recs[0].Get("paste.context"))
	// A note that only says 説明 (description) and レベル (level) is not an event.
	assert.Empty(t, kinds(parseNote(t, "説明: サインインできません。\nレベル: 高\n"), event.KindRecord))
}

func TestWrappedTextAndContext(t *testing.T) {
	note := "The dialog said:\n" +
		"Skype for Business is attempting to connect to:\n" +
		"lyncweb.contoso.com\n" +
		"Skype for Business cannot verify that the server is trusted for your\n" +
		"sign-in address. Connect anyway?\n" +
		"and then nothing.\n"
	texts := kinds(parseNote(t, note), event.KindUIText)
	require.Len(t, texts, 1, "a text wrapped over two lines is found once")
	assert.Equal(t, "trust-prompt", texts[0].Get("ui.key"))
	assert.Equal(t, 4, texts[0].Line, "reported at the line where it starts")
	assert.Contains(t, texts[0].Get("ui.context"), "lyncweb.contoso.com", "the lines above are its context")

	one := kinds(parseNote(t, "Sign-in address was not found.\nSign-in address was not found.\n"), event.KindUIText)
	assert.Len(t, one, 2, "a text repeated on two lines is two pieces of evidence")
}

// unquote's fast path for single-spaced lines returns what the collapse
// of white space returns: the same string, for every kind of white space
// and quoting.
func TestUnquote(t *testing.T) {
	ref := func(line string) string {
		l := strings.TrimSpace(line)
		for strings.HasPrefix(l, ">") {
			l = strings.TrimSpace(l[1:])
		}
		return strings.Join(strings.Fields(l), " ")
	}
	for _, line := range []string{
		"", " ", ">", "> > a", "a", "a b", "a  b", " a b ", "a\tb", "a\nb", "a\vb", "a\fb", "a\rb",
		"a\u00a0b", "a\u0085b", "a\u2003b", "a\u3000b", "サインイン できません", "a >b", ">>  Reason: x  y",
		"ms-diagnostics: 4005;reason=\"Destination URI\"", "a b ", "\x00 a", "a \x1b b",
	} {
		assert.Equal(t, ref(line), unquote(line), "%q", line)
	}
}
