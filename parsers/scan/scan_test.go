package scan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMayMatch(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"plain log line", "04/16/2013|03:17:30.168 1F68:C14 INFO  :: CUccPlatform::Initialize - platform initialized", false},
		{"SIP header", "Via: SIP/2.0/TLS 192.168.103.35:50123;branch=z9hG4bK8F2A;ms-received-port=50123", false},
		{"0x literal", "failed, 0x80048821", true},
		{"upper-case 0X", "failed 0X800488EE", true},
		{"hr=", "GetAndPublishCert failed hr=80ee0066", true},
		{"HRESULT:", "HRESULT: 80072EE7", true},
		{"hr at the start", "hr = 0x80090016", true},
		{"parenthesised", "failed (80048862).", true},
		{"hr inside a word", "through the thread", false},
		{"0x without the failure bit", "flags=0x00000001", false},
		{"anchor word", "Cannot sign in because your computer CLOCK is not set correctly", true},
		{"anchor at the very end", "...could", true},
		{"spaced anchor at the very end", "...clock", false},
		{"anchor prefix only", "clo", false},
		{"word sharing the first letters", "a clothes line", false},
		{"spaced anchor without its space", "the server version=4", false},
		{"spaced anchor with its space", "this VERSION\tof", true},
		{"ja anchor byte", "サインインできません", true},
		{"full-width form", "ＡＢＣ", true},
		{"accented Latin is not Japanese", "Zoë Müller", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, MayMatch([]byte(tt.in)))
		})
	}
}

// Every documented text and every HRESULT test line that the finders match
// passes the prefilter.
func TestMayMatchKeepsEveryMatch(t *testing.T) {
	for _, k := range KnownTexts() {
		for _, s := range []string{k.Text, strings.ToUpper(k.Text), "x " + k.Text + " y"} {
			if len(UITexts(s)) > 0 {
				assert.True(t, MayMatch([]byte(s)), "%s: %q", k.Key, s)
			}
		}
	}
	for code := range hresultNames {
		for _, s := range []string{code, strings.ToUpper(code), "hr=" + code[2:], "(" + code[2:] + ")", "HRESULT " + code[2:]} {
			assert.NotEmpty(t, HRESULTs(s), s)
			assert.True(t, MayMatch([]byte(s)), s)
		}
	}
}

// FuzzMayMatch checks that the prefilter never drops a line the finders
// match.
func FuzzMayMatch(f *testing.F) {
	for _, k := range KnownTexts() {
		f.Add(k.Text)
	}
	for _, s := range []string{"hr=0x80048821", "(80048821)", "HRESULT:C00D36B4", "x0x80048821", "_hr 80048821", "Sign-In Address Not Found", "ｻｰﾊﾞｰ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(HRESULTs(s)) > 0 || len(UITexts(s)) > 0 {
			if !MayMatch([]byte(s)) {
				t.Errorf("MayMatch(%q) = false, but the finders match", s)
			}
		}
	})
}

func BenchmarkMayMatch(b *testing.B) {
	line := []byte("Via: SIP/2.0/TLS 192.168.103.35:50123;branch=z9hG4bK8F2A;ms-received-port=50123;ms-received-cid=4D00 response to the server version")
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		MayMatch(line)
	}
}

func BenchmarkMayMatchMiss(b *testing.B) {
	line := []byte("Via: SIP/2.0/TLS 192.168.103.35:50123;branch=z9hG4bK8F2A;ms-received-port=50123;ms-received-cid=4D00 to the host 10.0.0.1:443 for it")
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		MayMatch(line)
	}
}

func TestSpacedAnchor(t *testing.T) {
	byKey := map[string]KnownText{}
	for _, k := range KnownTexts() {
		byKey[k.Key+"/"+k.Lang] = k
	}
	a, ok := spacedAnchor(byKey[UIKeyVersionNotSupported+"/en"])
	assert.True(t, ok)
	assert.Equal(t, "version", a)
	assert.False(t, MayMatch([]byte(`Authentication-Info: TLS-DSK qop="auth", opaque="67CF4499", srand="3A5C", snum="12", rspauth="a1b2", targetname="pool.contoso.com", realm="SIP Communications Service", version=4`)))
	assert.True(t, MayMatch([]byte("You can't sign in with this version\u00a0of Lync.")))
	// An anchor that ends its pattern, or precedes a group, is not spaced.
	for _, k := range KnownTexts() {
		if a, ok := spacedAnchor(k); ok {
			assert.Contains(t, k.Anchors, a, k.Key)
		}
	}
}
