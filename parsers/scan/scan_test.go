package scan

import (
	"bytes"
	"os"
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

		// The forms at both parities, at the start and end of the line,
		// across a group of eight bytes, in short lines.
		{"0x literal alone", "0x80048821", true},
		{"0x literal at an odd place", "=0x80048821", true},
		{"0x literal across eight bytes", "failed=0x80048821;", true},
		{"0x literal after a word byte", "x0x80048821", false},
		{"0x literal with six digits", "0x8004882", false},
		{"0x literal without the failure bit", "0x70048821", false},
		{"parenthesised alone", "(80048821)", true},
		{"parenthesised at an odd place", " (80048821)", true},
		{"parenthesised with 0x at an odd place", " (0x80048821)", true},
		{"parenthesised with six digits", "(8004882)", false},
		{"parenthesised 0x without the failure bit", "(0x70048821)", false},
		{"hr at an odd place", " HR: 80048821", true},
		{"hres", "hres=80048821", true},
		{"hresult at an odd place", ".hresult 0x80048821", true},
		{"hresult with a long s", "hreſult: 80048821", true},
		{"hr inside a word at an even place", "xhr=80048821", false},
		{"hr then a letter", "hrs 80048821", false},
		{"anchor at an odd place", " COULD", true},
		{"anchor across eight bytes", "1234567could", true},
		{"anchor of a short line", "could", true},
		{"anchor cut short", "coul", false},
		{"anchor of a short line, cut short", "ould", false},
		{"word sharing the last letters", "would", false},
		{"hyphenated anchor", "your Sign-In address", true},
		{"hyphenated anchor without its hyphen", "your signin address", false},
		{"spaced anchor with a no-break space", "this version\u00a0of", true},
		{"spaced anchor at an odd place", " version of", true},
		{"spaced anchor before a line end", "this version\r", true},
		{"spaced anchor before a carriage return", "this version\rof", true},

		// (?i) folds the long s onto s and the Kelvin sign onto k: a match
		// need not hold a spaced anchor in ASCII followed by white space.
		{"long s in a spaced anchor", "version=4; You can't sign in with this verſion of Lync.", true},
		{"Kelvin sign in a spaced anchor", "clock=1; your computer clo\u212A is not set correctly", true},
		{"long s anywhere", "Noſ", true},
		{"other Latin Extended-A", "Łukasz Nowak", false},
		{"ja anchor at an odd place", " 個人証明書を取得", true},
		{"half-width kana at the end", "status: ｻｰﾊﾞｰ", true},
		{"ideographic space", "a\u3000b", true},
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

// mayMatchForms returns lines the finders match: the documented texts, the
// part of each that UITexts matches, the HRESULT forms, and the same in
// upper case.
func mayMatchForms(t *testing.T) []string {
	var forms []string
	for _, k := range KnownTexts() {
		forms = append(forms, k.Text)
		for _, m := range UITexts(k.Text) {
			forms = append(forms, m.Text)
		}
	}
	forms = append(forms, "0x80048821", "(80048862)", "(0x800488eb)", "hr=80ee0066", "hr = 0x80ee0066",
		"HRESULT: 80072EE7", "hres=8007274c", "hresult\t0x8009000b", "hreſult: 80092010", "hr:\n\n 0x80048821")
	for _, s := range forms {
		forms = append(forms, strings.ToUpper(s))
	}
	for _, s := range forms {
		if len(HRESULTs(s)) == 0 && len(UITexts(s)) == 0 {
			t.Fatalf("the finders match nothing in %q", s)
		}
	}
	return forms
}

// Every form passes at every place of a line modulo 16, so at both
// parities of the sampled pairs and across groups of eight bytes, with
// the line ending right after it or later: lines of every length.
func TestMayMatchAtEveryPlace(t *testing.T) {
	for _, s := range mayMatchForms(t) {
		for before := range 16 {
			for after := range 10 {
				line := strings.Repeat(" ", before) + s + strings.Repeat(".", after)
				if len(HRESULTs(line)) > 0 || len(UITexts(line)) > 0 {
					assert.True(t, MayMatch([]byte(line)), "%q", line)
				}
			}
		}
	}
}

// Every anchor passes at every place of a short line, alone or followed
// by white space as its pattern says, and not when cut short by a byte.
func TestMayMatchAnchors(t *testing.T) {
	MayMatch(nil)
	f := prefilter.f
	n := 0
	for _, fm := range f.forms {
		if fm.kind != formAnchor {
			continue
		}
		n++
		w := fm.word
		if fm.spaced {
			w += " "
		}
		for before := range 9 {
			for _, s := range []string{w, strings.ToUpper(w)} {
				line := strings.Repeat("-", before) + s
				assert.True(t, MayMatch([]byte(line)), "%q", line)
				assert.False(t, MayMatch([]byte(line[:len(line)-1])), "%q", line[:len(line)-1])
			}
		}
	}
	assert.Positive(t, n)
}

// A filter holds more forms than its table has lists for: the last list
// has all the probes, and every form still passes.
func TestFilterManyAnchors(t *testing.T) {
	var known []KnownText
	for i := range 300 {
		w := string([]byte{'a' + byte(i/26%26), 'a' + byte(i%26), 'q', 'x'}) + "zz"
		known = append(known, KnownText{Key: w, Lang: "en", Pattern: w, Anchors: []string{w}})
	}
	f := newFilter(known)
	all := 0
	for j := f.lists[255]; j != 0; j = f.probes[j].next {
		all++
	}
	assert.Equal(t, 1+2*len(f.forms), all)
	for _, k := range known {
		for before := range 3 {
			line := []byte(strings.Repeat(" ", before) + k.Anchors[0])
			assert.True(t, f.match(line), "%q", line)
			assert.False(t, f.match(line[:len(line)-1]), "%q", line[:len(line)-1])
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

// BenchmarkMayMatchLog runs MayMatch over the lines of a client log of 4 MB
// (a sample log, repeated), as the client log parser does.
func BenchmarkMayMatchLog(b *testing.B) {
	data, err := os.ReadFile("../../testdata/logs/cases/healthy-signin/bundle/Tracing/Lync-UccApi-0.UccApilog")
	if err != nil {
		b.Fatal(err)
	}
	var lines [][]byte
	n := 0
	for l := NewLines(bytes.NewReader(bytes.Repeat(data, 4<<20/len(data))), 1<<20); l.Scan(); {
		lines = append(lines, bytes.Clone(l.Bytes()))
		n += len(l.Bytes())
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, line := range lines {
			MayMatch(line)
		}
	}
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

// BenchmarkNewFilter measures building the filter of MayMatch, which a run
// pays before the first line of a client log is read.
func BenchmarkNewFilter(b *testing.B) {
	known := KnownTexts()
	b.ReportAllocs()
	for b.Loop() {
		newFilter(known)
	}
}
