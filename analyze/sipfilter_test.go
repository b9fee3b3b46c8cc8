package analyze

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/uccapilog"
	"github.com/sfblog/sfblog/signatures"
)

// everything is the filter that keeps every SIP block.
var everything = sipFilter{{}}

func defaultMatcher(t *testing.T) *signatures.Matcher {
	t.Helper()
	c, err := signatures.Default()
	require.NoError(t, err)
	return signatures.NewMatcher(c)
}

// The SIP blocks the analyzer skips change nothing in any report of the
// sample cases: findings, attempts, clock, inputs and their counts.
func TestSIPFilterKeepsTheReports(t *testing.T) {
	m := defaultMatcher(t)
	cases, err := filepath.Glob("../testdata/logs/cases/*/bundle")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	// The healthy sign-in's log has blocks that nothing reads.
	healthy, err := os.Open("../testdata/logs/cases/healthy-signin/bundle/Tracing/Lync-UccApi-0.UccApilog")
	require.NoError(t, err)
	defer healthy.Close()
	skipped := 0
	keep := New(m, Options{}).sip.keep
	_, err = uccapilog.Options{Keep: func(v uccapilog.BlockView) bool {
		if !keep(v) {
			skipped++
		}
		return keep(v)
	}}.Parse(context.Background(), "x", healthy, func(event.Event) error { return nil })
	require.NoError(t, err)
	assert.Greater(t, skipped, 10)
	for _, dir := range cases {
		for _, opt := range []Options{{}, {Redact: true}} {
			filtered := New(m, opt)
			all := New(m, opt)
			all.sip = everything
			want, wantErr := all.Run(context.Background(), []string{dir})
			got, err := filtered.Run(context.Background(), []string{dir})
			assert.Equal(t, wantErr, err, dir)
			assert.Equal(t, want, got, dir)
		}
	}
}

// userLog is the healthy sample log with a call refused 488 after the
// sign-in.
func userLog(t *testing.T) string {
	t.Helper()
	healthy, err := os.ReadFile("../testdata/logs/cases/healthy-signin/bundle/Tracing/Lync-UccApi-0.UccApilog")
	require.NoError(t, err)
	c, err := signatures.Default()
	require.NoError(t, err)
	require.NoError(t, c.AddDir("testdata/user-signatures"))
	var invite string
	for _, s := range c.All() {
		if s.ID == "USR-INVITE-NOT-ACCEPTABLE" {
			invite = strings.ReplaceAll(s.Examples.Match[0].Input, "06/15/2017|09:12:11", "04/12/2018|16:53:31")
		}
	}
	require.NotEmpty(t, invite)
	path := filepath.Join(t.TempDir(), "Lync-UccApi-0.UccApilog")
	require.NoError(t, os.WriteFile(path, append(healthy, invite...), 0o600))
	return path
}

// A user signature that reads INVITE responses fires: the filter comes
// from the loaded catalog, and the default one skips such blocks.
func TestSIPFilterFollowsTheCatalog(t *testing.T) {
	path := userLog(t)
	invite := uccapilog.BlockView{Direction: "received", Status: "488", CSeqMethod: "INVITE"}
	def := New(defaultMatcher(t), Options{})
	require.False(t, def.sip.keep(invite), "the shipped catalog reads no INVITE response")

	c, err := signatures.Default()
	require.NoError(t, err)
	require.NoError(t, c.AddDir("testdata/user-signatures"))
	a := New(signatures.NewMatcher(c), Options{})
	assert.True(t, a.sip.keep(invite))
	r, err := a.Run(context.Background(), []string{path})
	require.NoError(t, err)
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.ID)
	}
	assert.Contains(t, ids, "USR-INVITE-NOT-ACCEPTABLE")

	// The default analysis skips the block, yet counts it.
	rd, err := def.Run(context.Background(), []string{path})
	require.NoError(t, err)
	for _, f := range rd.Findings {
		assert.NotEqual(t, "USR-INVITE-NOT-ACCEPTABLE", f.ID)
	}
	var events []*event.Event
	inputs, err := def.Events(context.Background(), []string{path}, func(e *event.Event) error {
		events = append(events, e)
		return nil
	})
	require.NoError(t, err)
	sip := 0
	for _, e := range events {
		if e.Kind == event.KindSIP {
			sip++
		}
	}
	require.Len(t, rd.Inputs, 1)
	assert.Equal(t, len(events), rd.Inputs[0].Events)
	assert.Equal(t, sip, rd.Inputs[0].Kinds[event.KindSIP])
	assert.Equal(t, inputs[0].Kinds, rd.Inputs[0].Kinds)
	assert.Equal(t, "2018-04-12T16:53:31.482", rd.Inputs[0].LastTime, "the skipped block is the last event")
	assert.Equal(t, inputs[0].LastTime, rd.Inputs[0].LastTime)
	assert.Equal(t, inputs[0].FirstTime, rd.Inputs[0].FirstTime)
}

// --since/--until count a skipped block only inside the window.
func TestSIPFilterWindow(t *testing.T) {
	path := userLog(t)
	m := defaultMatcher(t)
	window := Options{Since: time.Date(2018, 4, 12, 16, 53, 31, 0, time.UTC)}
	want, err := func() (*Report, error) {
		a := New(m, window)
		a.sip = everything
		return a.Run(context.Background(), []string{path})
	}()
	require.NoError(t, err)
	got, err := New(m, window).Run(context.Background(), []string{path})
	require.NoError(t, err)
	assert.Equal(t, want.Inputs, got.Inputs)
	assert.Equal(t, 1, got.Inputs[0].Kinds[event.KindSIP])
}

// The words looked for before stepKind's and reLoginFailure's expressions
// change none of their answers.
func TestPrefilteredExpressions(t *testing.T) {
	lines := []string{
		"CAutoDiscovery::Start - Discovering servers via https://LyncDiscover.contoso.com",
		"DNS SRV query _sip._tls.contoso.com failed",
		"srv lookup timed out, hr=0X80072EE7",
		"Sign-In Assistant returned 0x80048821",
		"CIdcrlAuth::LogonIdentity failed 0x80072efd toward login.microsoftonline.com",
		"HTTP 407 from login.windows.net",
		"lyncdi\u017fcover.contoso.com (a long s folds to s)",
		"MSOIDSVC 407",
		"nothing here at all",
		"sign in assistant",
		"certprov 0x8004882A",
	}
	for _, dir := range []string{"../testdata/logs/cases"} {
		err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.Contains(strings.ToLower(p), "uccapilog") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			lines = append(lines, strings.Split(string(b), "\n")...)
			return nil
		})
		require.NoError(t, err)
	}
	require.Greater(t, len(lines), 1000)
	plain := func(text string) string {
		for _, k := range []struct {
			re   *regexp.Regexp
			kind string
		}{{reAutodiscover(), "autodiscover"}, {reDNS(), "dns"}, {reAuth(), "auth"}} {
			if k.re.MatchString(text) {
				return k.kind
			}
		}
		return ""
	}
	steps, logins := 0, 0
	for _, l := range lines {
		want := plain(l)
		assert.Equal(t, want, stepKind(l), l)
		assert.Equal(t, reLoginFailure().MatchString(l), isLoginFailure(l), l)
		if want != "" {
			steps++
		}
		if reLoginFailure().MatchString(l) {
			logins++
		}
	}
	assert.Greater(t, steps, 10)
	assert.Greater(t, logins, 0)
}

// isLoginFailure matches line by line: on texts of many lines it says what
// the expression says of the whole text.
func TestLoginFailureMultiLine(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"word and code on one line", "a\nCIdcrlAuth::LogonIdentity failed 0x80072efd\nb", true},
		{"word and code on two lines", "idcrl: start\nfailed 0x80072efd", false},
		{"code then word on one line", "x\r\nHTTP 407 from login.windows.net\r\n", true},
		{"word on a line, code on the next, both on a later line", "login.windows.net\n407\nmsoidsvc 0x8004886c", true},
		{"word twice on a line, code after the second", "idcrl idcrl 0x80048848", true},
		{"407 inside a number", "login.microsoftonline.com 14075", false},
		{"407 at the end of the text", "LOGIN.MICROSOFTONLINE.COM 407", true},
		{"word at the end, code on the line before", "0x80072ee2\nmsoidsvc", false},
		{"code word that is not a failure code", "idcrl 0x80070005", false},
		{"upper-case code", "IdcRL 0X80072EFD", true},
		{"407 after a word byte", "idcrl a407 _407 407_", false},
		{"407 after a dot and before a colon", "idcrl .407:", true},
		{"the code's prefix only", "msoidsvc 0x8004886", false},
		{"empty lines", "\n\n\nidcrl\n\n407\n", false},
		{"non-ASCII, long s folding to s", "msoid\u017fvc 407", true},
		{"non-ASCII elsewhere", "é\nidcrl 0x80072efd", true},
		{"nothing", "", false},
		{"many lines with a word, the code on none", strings.Repeat("CIdcrlAuth::Step msoidsvc\n", 40000), false},
		{"many lines with a word, the code on the last", strings.Repeat("CIdcrlAuth::Step msoidsvc\n", 40000) + "idcrl 0x8004886C", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, reLoginFailure().MatchString(tt.text), "the expression itself")
			assert.Equal(t, tt.want, isLoginFailure(tt.text))
		})
	}
}

// FuzzLoginFailureSameAsExpression checks isLoginFailure against the
// expression it stands for, on any text.
func FuzzLoginFailureSameAsExpression(f *testing.F) {
	for _, s := range []string{
		"a\nCIdcrlAuth::LogonIdentity failed 0x80072efd\nb",
		"idcrl: start\nfailed 0x80072efd",
		"x\r\nHTTP 407 from login.windows.net\r\n",
		"login.windows.net\n407\nmsoidsvc 0x8004886c",
		"msoid\u017fvc 407",
		"IdcRL 0X80072EFD",
		"idcrl a407 _407 407_",
		"login.microsoftonline.com\n407 idcrl",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if want := reLoginFailure().MatchString(s); isLoginFailure(s) != want {
			t.Fatalf("isLoginFailure(%q) = %v, the expression says %v", s, !want, want)
		}
	})
}
