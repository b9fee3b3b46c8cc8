package evtx

import (
	"bytes"
	"context"
	"encoding/xml"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// countException is the expected record count of a file for which
// libevtx's evtxexport (Debian libevtx-utils 20181227) exports fewer
// records than the file holds. The counts come from PROVENANCE.md in the
// corpus: the "evtx (Rust) test expects" column (omerbenamram/evtx
// tests/test_full_samples.rs), or, where that column is empty, the
// "libevtx records" count (evtxinfo) that golang-evtx matches.
type countException struct {
	want int
	why  string
	// source, when set, is the corpus file this one was derived from:
	// every record is compared with evtxexport's export of the source.
	source string
}

var countExceptions = map[string]countException{
	"omerbenamram-evtx/E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx": {
		want: 459, why: "binary XML substitution values (0x21): libevtx exports 89 of 459; Rust expects 459"},
	"omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx": {
		want: 340, why: "binary XML substitution values (0x21): libevtx exports 24 of 340; Rust expects 340"},
	"omerbenamram-evtx/MSExchange_Management_wec.evtx": {
		want: 1, why: "forwarded (WEC) record: libevtx counts 1 record, exports 0 (value token in an attribute); golang-evtx reads 1"},
	"derived/xml2evtx_300_random_security.evtx": {
		want: 300, why: "written by xml2evtx: libevtx counts 300 records, exports 0 (value token in an attribute); golang-evtx reads 300"},
	"omerbenamram-evtx/Microsoft-Windows-HelloForBusiness%4Operational.evtx": {
		want: 6, why: "record 6 has a bad trailing size copy: libevtx exports 5; Rust expects 6"},
	"omerbenamram-evtx/Microsoft-Windows-LanguagePackSetup%4Operational.evtx": {
		want: 17, why: "record 17 has a bad trailing size copy: libevtx exports 16; Rust expects 17"},
	"omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx": {
		want: 270, why: "libevtx exports 267; Rust expects 270 ok + 2 err"},
	"derived/security_truncated_mid_chunk.evtx": {
		want: 477, source: "omerbenamram-evtx/security.evtx",
		why: "the first 4096+5*65536+30000 bytes of security.evtx: libevtx drops the truncated 6th chunk (441); " +
			"sfblog also keeps its 36 complete records (442-477), checked against the export of security.evtx"},
}

// exported is what the test compares for one record of evtxexport's XML.
type exported struct {
	System struct {
		Provider struct {
			Name string `xml:"Name,attr"`
		} `xml:"Provider"`
		EventID     string `xml:"EventID"`
		TimeCreated struct {
			SystemTime string `xml:"SystemTime,attr"`
		} `xml:"TimeCreated"`
		EventRecordID uint64 `xml:"EventRecordID"`
	} `xml:"System"`
}

// evtxexport runs "evtxexport -f xml" on path and decodes the records it
// wrote. Control characters, which libevtx writes as is, are blanked so
// that encoding/xml accepts every record.
func evtxexport(t *testing.T, bin, path string) []exported {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-f", "xml", path)
	cmd.Stdout = &out
	_ = cmd.Run() // non-zero on files it cannot fully export; its output counts
	b := bytes.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return ' '
		}
		return r
	}, out.Bytes())
	var recs []exported
	for _, part := range bytes.Split(b, []byte("<Event xmlns="))[1:] {
		var e exported
		require.NoError(t, xml.Unmarshal(append([]byte("<Event xmlns="), part...), &e), "evtxexport XML of %s", path)
		recs = append(recs, e)
	}
	return recs
}

// corpusFiles lists the .evtx files under dir, relative to it.
func corpusFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".evtx") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	require.NoError(t, err, "walk %s", dir)
	return files
}

func TestCorpus(t *testing.T) {
	files := corpusFiles(t, corpusDir)
	require.GreaterOrEqual(t, len(files), 49, "the shipped corpus in %s", corpusDir)
	testCorpus(t, corpusDir, files)
}

// TestExtraCorpus reads the files of the full reference corpus that the
// repository does not ship (their licence does not allow it), when that
// corpus is available.
func TestExtraCorpus(t *testing.T) {
	dir := extraCorpusDir()
	if dir == "" {
		t.Skip("full EVTX corpus not available (set SFBLOG_EVTX_CORPUS): only the shipped files of testdata/evtx were read")
	}
	shipped := map[string]bool{}
	for _, f := range corpusFiles(t, corpusDir) {
		shipped[f] = true
	}
	var extra []string
	for _, f := range corpusFiles(t, dir) {
		if !shipped[f] {
			extra = append(extra, f)
		}
	}
	if len(extra) == 0 {
		t.Skipf("%s holds no file beyond the shipped ones", dir)
	}
	t.Logf("reading %d corpus files not shipped in testdata/evtx", len(extra))
	testCorpus(t, dir, extra)
}

func testCorpus(t *testing.T, dir string, files []string) {
	bin, lookErr := exec.LookPath("evtxexport")
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			res := parseFile(t, dir, rel)
			if res.err != nil {
				assert.ErrorIs(t, res.err, ErrNotEVTX)
				assert.Empty(t, res.events)
			}
			for _, e := range res.events {
				assert.Equal(t, event.SourceEvtx, e.Source)
				assert.Equal(t, event.KindRecord, e.Kind)
				assert.Equal(t, rel, e.Path)
				assert.NotEmpty(t, e.Get("evt.event_id"), "record %d", e.RecordID)
				assert.False(t, e.Time.IsZero(), "record %d", e.RecordID)
				assert.Equal(t, time.UTC, e.Time.Location(), "record %d", e.RecordID)
			}
			if lookErr != nil {
				t.Skip("evtxexport not on PATH (apt-get install libevtx-utils): record counts and fields not cross-checked")
			}
			exc, isExc := countExceptions[rel]
			var want []exported
			if exc.source != "" {
				want = evtxexport(t, bin, filepath.Join(dir, filepath.FromSlash(exc.source)))
			} else {
				want = evtxexport(t, bin, filepath.Join(dir, filepath.FromSlash(rel)))
			}
			if isExc {
				assert.Equal(t, exc.want, len(res.events), exc.why)
			} else {
				assert.Equal(t, len(want), len(res.events), "records read, against the records evtxexport exported")
			}
			mine := map[uint64][]event.Event{}
			for _, e := range res.events {
				mine[e.RecordID] = append(mine[e.RecordID], e)
			}
			theirs := map[uint64][]exported{}
			for _, w := range want {
				theirs[w.System.EventRecordID] = append(theirs[w.System.EventRecordID], w)
			}
			if exc.source != "" {
				// Derived file: every record read must be one of the source.
				for id, es := range mine {
					for _, e := range es {
						assert.True(t, matchesAny(e, theirs[id]), "record %d not in %s", id, exc.source)
					}
				}
				return
			}
			for id, ws := range theirs {
				for _, w := range ws {
					assert.True(t, matchedBy(w, mine[id]), "record %d (provider %q, event %s, time %s) read differently: %v",
						id, w.System.Provider.Name, w.System.EventID, w.System.TimeCreated.SystemTime, summary(mine[id]))
				}
			}
		})
	}
}

// same reports whether e and w agree on provider, event id, record id and
// creation time.
func same(e event.Event, w exported) bool {
	wt, err := time.Parse(time.RFC3339Nano, w.System.TimeCreated.SystemTime)
	return err == nil &&
		e.RecordID == w.System.EventRecordID &&
		e.Get("evt.provider") == w.System.Provider.Name &&
		e.Get("evt.event_id") == strings.TrimSpace(w.System.EventID) &&
		e.Time.Equal(wt)
}

func matchesAny(e event.Event, ws []exported) bool {
	for _, w := range ws {
		if same(e, w) {
			return true
		}
	}
	return false
}

func matchedBy(w exported, es []event.Event) bool {
	for _, e := range es {
		if same(e, w) {
			return true
		}
	}
	return false
}

func summary(es []event.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Get("evt.provider")+" "+e.Get("evt.event_id")+" "+e.Time.Format(time.RFC3339Nano))
	}
	return out
}
