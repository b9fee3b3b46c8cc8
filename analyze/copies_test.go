package analyze

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/testkit/hostile"
	"github.com/sfblog/sfblog/signatures"
)

// in moves the events to the input path.
func in(path string, es ...[]*event.Event) []*event.Event {
	var out []*event.Event
	for _, part := range es {
		for _, e := range part {
			e.Path = path
			out = append(out, e)
		}
	}
	return out
}

// TestSignInCopies: an attempt that a copy of the log holds again (a
// .bak, the same log collected twice, a copy cut short) is counted once;
// the same Call-ID at another time, another Call-ID at the same time, and
// two attempts of one input are not copies.
func TestSignInCopies(t *testing.T) {
	refused := func(callID string, line, sec int) []*event.Event {
		return dialog(callID, 1, line, sec, "404", "", "sip.reason", "Not Found", "diag.code", "4005")
	}
	shown := func(path string, line, sec int) []*event.Event {
		return []*event.Event{{Kind: event.KindUIText, Source: event.SourceUccApilog, Path: path, Line: line, Local: true,
			Time:   time.Date(2017, 6, 15, 9, 0, sec, 0, time.UTC),
			Text:   "CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: Sign-in address was not found.",
			Fields: map[string]string{"ui.key": "signin-address-not-found", "ui.text": "Sign-in address was not found."}}}
	}
	// long is a failure text whose first 200 bytes are the same whatever
	// its end: more than a step's detail keeps.
	long := func(path, end string) []*event.Event {
		text := "Sign-in failed: " + strings.Repeat("the server is temporarily unavailable; ", 6) + end
		return []*event.Event{{Kind: event.KindUIText, Source: event.SourceUccApilog, Path: path, Line: 40, Local: true,
			Time: time.Date(2017, 6, 15, 9, 0, 5, 0, time.UTC), Text: text,
			Fields: map[string]string{"ui.key": "server-unavailable", "ui.text": text}}}
	}
	// cut is a copy taken before the response came.
	cut := func(callID string, line, sec int) []*event.Event { return refused(callID, line, sec)[:1] }
	tests := []struct {
		name                                  string
		inputs                                [][]*event.Event
		attempts, failures, registers, refuse int
		errors, copies                        int
		path                                  string // of the first attempt kept
	}{
		{"the same log twice",
			[][]*event.Event{in("a", refused("c1", 10, 1), shown("a", 25, 2)), in("b", refused("c1", 10, 1), shown("b", 25, 2))},
			1, 1, 1, 1, 1, 1, "a"},
		{"a .bak that holds the first attempt of two",
			[][]*event.Event{in("a.log", refused("c1", 10, 1), refused("c2", 40, 60)), in("a.log.bak", refused("c1", 10, 1))},
			2, 2, 2, 2, 0, 1, "a.log"},
		{"a copy named longer sorts first: the shorter name is kept",
			[][]*event.Event{in("log - Copy", refused("c1", 10, 1)), in("log", refused("c1", 10, 1))},
			1, 1, 1, 1, 0, 1, "log"},
		{"a copy cut before the response: the decided attempt is kept",
			[][]*event.Event{in("a", cut("c1", 10, 1)), in("b", refused("c1", 10, 1))},
			1, 1, 1, 1, 0, 1, "b"},
		{"near miss: the same Call-ID a minute later in another log is a retry",
			[][]*event.Event{in("a", refused("c1", 10, 1)), in("b", refused("c1", 10, 61))},
			2, 2, 2, 2, 0, 0, "a"},
		{"near miss: another Call-ID at the same time (another client)",
			[][]*event.Event{in("a", refused("c1", 10, 1)), in("b", refused("c2", 10, 1))},
			2, 2, 2, 2, 0, 0, "a"},
		{"near miss: one log with two attempts at the same time",
			[][]*event.Event{in("a", refused("c1", 10, 1), refused("c1", 30, 1))},
			2, 2, 2, 2, 0, 0, "a"},
		{"failure texts alone, the same text at the same time in a copy",
			[][]*event.Event{in("a", shown("a", 25, 2)), in("b", shown("b", 25, 2))},
			1, 1, 0, 0, 1, 1, "a"},
		{"a response whose request is in no log (rotated), in a copy",
			[][]*event.Event{in("a", refused("c1", 10, 1)[1:]), in("b", refused("c1", 10, 1)[1:])},
			1, 1, 0, 1, 0, 1, "a"},
		{"near miss: responses of two dialogs at the same time, requests in no log",
			[][]*event.Event{in("a", refused("c1", 10, 1)[1:]), in("b", refused("c2", 10, 1)[1:])},
			2, 2, 0, 2, 0, 0, "a"},
		{"near miss: texts at the same time that differ past what a step keeps",
			[][]*event.Event{in("a", long("a", "first")), in("b", long("b", "second"))},
			2, 2, 0, 0, 2, 0, "a"},
		{"the same long text in a copy",
			[][]*event.Event{in("a", long("a", "first")), in("b", long("b", "first"))},
			1, 1, 0, 0, 1, 1, "a"},
		{"near miss: another text at the same time",
			[][]*event.Event{in("a", shown("a", 25, 2)), in("b", []*event.Event{{Kind: event.KindUIText, Source: event.SourceUccApilog, Line: 25, Local: true,
				Time: time.Date(2017, 6, 15, 9, 0, 2, 0, time.UTC), Text: "CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: The server is temporarily unavailable.",
				Fields: map[string]string{"ui.key": "server-unavailable", "ui.text": "The server is temporarily unavailable."}}})},
			2, 2, 0, 0, 2, 0, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trs []*tracker
			for _, es := range tt.inputs {
				trs = append(trs, track(es))
			}
			s, all := signIn(trs, signatures.Order{})
			assert.Equal(t, tt.attempts, s.Attempts, "attempts")
			assert.Equal(t, tt.failures, s.Failures, "failures")
			assert.Equal(t, tt.registers, s.Registers, "REGISTER requests")
			assert.Equal(t, tt.refuse, s.Refusals, "refusals")
			assert.Equal(t, tt.errors, s.Errors, "errors")
			assert.Equal(t, tt.copies, s.Copies, "copies")
			require.Len(t, all, tt.attempts)
			assert.Equal(t, tt.path, all[0].path)
			for i, a := range all {
				assert.Equal(t, i+1, a.N)
			}
		})
	}
}

// TestCopiesOf: an event that a copy of the log repeats (same kind, time
// and line, the same text or a part of it) is a copy; the one kept has the
// whole text, else the shortest path. The same line and time in another
// input with other text, or the same text at another time or line, is not.
func TestCopiesOf(t *testing.T) {
	at := time.Date(2014, 6, 3, 9, 44, 13, 311e6, time.UTC)
	resp := "SIP/2.0 404 Not Found\nms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\""
	ev := func(path string, line int, at time.Time, text string) *event.Event {
		return &event.Event{Kind: event.KindUIText, Path: path, Line: line, Time: at, Local: true, Text: text,
			Fields: map[string]string{"ui.key": "k", "ui.text": text}}
	}
	tests := []struct {
		name string
		es   []*event.Event // sorted by path, as a Hit's
		kept []string       // the paths of the events not copies
	}{
		{"a whole copy", []*event.Event{ev("a", 82, at, resp), ev("a.bak", 82, at, resp)}, []string{"a"}},
		{"a copy cut mid-line", []*event.Event{ev("a", 82, at, resp), ev("a.bak", 82, at, resp[:60])}, []string{"a"}},
		{"a copy cut short sorts first: the whole text is kept",
			[]*event.Event{ev("a (1)", 82, at, resp[:60]), ev("a", 82, at, resp)}, []string{"a"}},
		{"a copy named longer sorts first: the shorter name is kept",
			[]*event.Event{ev("log - Copy", 82, at, resp), ev("log", 82, at, resp)}, []string{"log"}},
		{"three copies, one whole", []*event.Event{ev("a", 82, at, resp[:40]), ev("b", 82, at, resp), ev("c", 82, at, resp[:60])}, []string{"b"}},
		{"near miss: other text at the same line and time", []*event.Event{ev("a", 82, at, resp), ev("b", 82, at, "Sign-in failed.")}, []string{"a", "b"}},
		{"near miss: the same text a second later", []*event.Event{ev("a", 82, at, resp), ev("a.bak", 82, at.Add(time.Second), resp)}, []string{"a", "a.bak"}},
		{"near miss: the same text at another line", []*event.Event{ev("a", 82, at, resp), ev("a.bak", 90, at, resp)}, []string{"a", "a.bak"}},
		{"near miss: no time", []*event.Event{ev("a", 82, time.Time{}, resp), ev("a.bak", 82, time.Time{}, resp)}, []string{"a", "a.bak"}},
		{"near miss: two events of one line of one log", []*event.Event{ev("a", 82, at, resp), ev("a", 82, at, resp)}, []string{"a", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copies := copiesOf(tt.es)
			var kept []string
			for _, e := range tt.es {
				if copies[e] == nil {
					kept = append(kept, e.Path)
				}
			}
			assert.Equal(t, tt.kept, kept)
			assert.Len(t, copies, len(tt.es)-len(tt.kept))
		})
	}
}

// TestDamagedBundleCopy: the damaged sample holds Lync-UccApi-0.UccApilog
// and a .bak copy of its first 89 lines. Its report counts the first
// attempt, the first REGISTERs and the first 404 once.
func TestDamagedBundleCopy(t *testing.T) {
	m, err := signatures.Default()
	require.NoError(t, err)
	r, err := New(signatures.NewMatcher(m), Options{}).Run(t.Context(), []string{filepath.Join("..", "testdata", "logs", "damaged-bundle.zip")})
	require.NoError(t, err)
	assert.Equal(t, 2, r.SignIn.Attempts)
	assert.Equal(t, 2, r.SignIn.Failures)
	assert.Equal(t, 4, r.SignIn.Registers)
	assert.Equal(t, 2, r.SignIn.Refusals)
	assert.Equal(t, 1, r.SignIn.Copies)
	require.Len(t, r.Attempts, 2)
	require.NotEmpty(t, r.Findings)
	f := r.Findings[0]
	assert.Equal(t, "SFB-SIP-NOT-ENABLED", f.ID)
	assert.Equal(t, 4, f.EvidenceTotal)
	for _, in := range r.Inputs {
		if strings.HasSuffix(in.Path, ".bak") {
			assert.Equal(t, strings.TrimSuffix(in.Path, ".bak"), in.CopyOf, "the .bak is a copy of the log")
		} else {
			assert.Empty(t, in.CopyOf, in.Path)
		}
	}
	for _, e := range f.Evidence {
		assert.NotContains(t, e.Path, ".bak", "the copy's 404 is the log's")
	}
}

// clientLog returns the client log of a sample bundle, from the case it
// is built from.
func clientLog(t *testing.T, sample string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "logs", "cases", sample, "bundle", "Tracing", "Lync-UccApi-0.UccApilog"))
	require.NoError(t, err)
	return data
}

// lines returns the first n lines of data.
func lines(data []byte, n int) []byte {
	end := 0
	for range n {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			return data
		}
		end += i + 1
	}
	return data[:end]
}

// TestLogAndItsCopy: a folder with a log and a copy of it reports what the
// log alone does, naming the log where it has the event, and says how
// many attempts the copy repeated: a whole copy whose name sorts first
// ("... - Copy"), a copy collected earlier (its first lines), and a copy
// collected later while the log named first was collected earlier.
func TestLogAndItsCopy(t *testing.T) {
	m, err := signatures.Default()
	require.NoError(t, err)
	a := New(signatures.NewMatcher(m), Options{})
	for _, tc := range []struct {
		sample    string
		log, copy int // lines of each, 0 for all
		copies    int
		isCopy    bool // the copy is listed as one: it has no event of its own
	}{
		{"bad-credentials", 0, 0, 1, true},
		{"recovered-after-fix", 0, 0, 5, true},
		{"recovered-after-fix", 0, 260, 4, true}, // the fourth attempt cut short
		{"recovered-after-fix", 260, 0, 4, false},
	} {
		t.Run(fmt.Sprintf("%s/%d/%d", tc.sample, tc.log, tc.copy), func(t *testing.T) {
			data := clientLog(t, tc.sample)
			part := func(n int) []byte {
				if n == 0 {
					return data
				}
				return lines(data, n)
			}
			alone, both := t.TempDir(), t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(alone, "Lync-UccApi-0.UccApilog"), data, 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(both, "Lync-UccApi-0.UccApilog"), part(tc.log), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(both, "Lync-UccApi-0 - Copy.UccApilog"), part(tc.copy), 0o644))
			want, err := a.Run(t.Context(), []string{alone})
			require.NoError(t, err)
			got, err := a.Run(t.Context(), []string{both})
			require.NoError(t, err)
			assert.Equal(t, tc.copies, got.SignIn.Copies)
			for _, in := range got.Inputs {
				if strings.Contains(filepath.Base(in.Path), "Copy") && tc.isCopy {
					assert.Equal(t, filepath.Join(both, "Lync-UccApi-0.UccApilog"), in.CopyOf)
				} else {
					assert.Empty(t, in.CopyOf, in.Path)
				}
			}
			got.SignIn.Copies = 0
			assert.Equal(t, want.SignIn, got.SignIn)
			require.Len(t, got.Attempts, len(want.Attempts))
			for i, at := range got.Attempts {
				w := want.Attempts[i]
				assert.Equal(t, w.Start, at.Start)
				assert.Equal(t, w.Outcome, at.Outcome)
				if tc.log == 0 {
					assert.Equal(t, "Lync-UccApi-0.UccApilog", filepath.Base(at.Path), "the log, not its copy")
				}
			}
			require.Len(t, got.Findings, len(want.Findings))
			for i, f := range got.Findings {
				w := want.Findings[i]
				assert.Equal(t, w.ID, f.ID)
				assert.Equal(t, w.Confidence, f.Confidence)
				assert.Equal(t, w.EvidenceTotal, f.EvidenceTotal)
				require.NotNil(t, f.Deciding)
				if tc.log == 0 {
					assert.Equal(t, w.Deciding.Line, f.Deciding.Line)
					assert.Equal(t, "Lync-UccApi-0.UccApilog", filepath.Base(f.Deciding.Path))
				}
				require.Len(t, f.Evidence, len(w.Evidence))
				for j, e := range f.Evidence {
					assert.Equal(t, w.Evidence[j].Count, e.Count)
					if tc.log == 0 {
						// Evidence is in path order: where the log
						// named first lacks an event, its copy's
						// comes first.
						assert.Equal(t, w.Evidence[j].Line, e.Line)
						assert.Equal(t, "Lync-UccApi-0.UccApilog", filepath.Base(e.Path), "the log, not its copy")
					}
				}
			}
		})
	}
}

// TestHostileCopies: 200 copies of one failing log are one attempt; 200
// logs alike for 2 KiB at one time and line are 200 attempts.
func TestHostileCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "copies.zip")
	require.NoError(t, os.WriteFile(path, hostile.Copies(200), 0o644))
	m, err := signatures.Default()
	require.NoError(t, err)
	r, err := New(signatures.NewMatcher(m), Options{}).Run(t.Context(), []string{path})
	require.NoError(t, err)
	assert.Equal(t, 1+200, r.SignIn.Attempts)
	assert.Equal(t, 199, r.SignIn.Copies)
	assert.Equal(t, 1+200, r.SignIn.Errors)
	for _, f := range r.Findings {
		assert.Equal(t, 1+200, f.EvidenceTotal, f.ID)
	}
}

// TestSignInCopiesPastTheCap: the attempts past maxAttempts that a copy
// holds again are taken off too, with their counters: a whole copy, a copy
// of a part, and a copy collected later with 3 attempts more; the near
// miss, an input with attempts of its own among the kept ones, keeps its
// attempts past the cap.
func TestSignInCopiesPastTheCap(t *testing.T) {
	const n = maxAttempts + 5
	log := func(path string, from, to int, callID string) []*event.Event {
		var es []*event.Event
		for i := from; i < to; i++ {
			es = append(es, in(path, dialog(fmt.Sprintf("%s%d", callID, i), 1, 10+20*i, i, "404", "", "sip.reason", "Not Found"))...)
		}
		return es
	}
	tests := []struct {
		name             string
		copy             []*event.Event
		attempts, copies int
	}{
		{"a whole copy", log("a.bak", 0, n, "c"), n, n},
		{"a copy of a part past the cap", log("a.bak", 0, n-3, "c"), n, n - 3},
		{"a copy collected later, 3 attempts more", log("a (1)", 0, n+3, "c"), n + 3, n},
		{"near miss: attempts of its own among the kept", append(log("b", 0, 100, "c"), log("b", 100, n, "other")...), n + n - 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, all := signIn([]*tracker{track(log("a", 0, n, "c")), track(tt.copy)}, signatures.Order{})
			assert.Equal(t, tt.attempts, s.Attempts, "attempts")
			assert.Equal(t, tt.attempts, s.Failures, "failures")
			assert.Equal(t, tt.attempts, s.Registers, "REGISTER requests")
			assert.Equal(t, tt.attempts, s.Refusals, "refusals")
			assert.Equal(t, tt.copies, s.Copies, "copies")
			assert.LessOrEqual(t, len(all), 2*maxAttempts)
		})
	}
}
