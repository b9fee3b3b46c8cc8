package evtx

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/testkit/evtxwriter"
)

// TestGeneratedSamples reads every event log of the sample bundles
// (testdata/logs/cases/*/*.json specs) and checks each record against the
// spec it was written from and against evtxexport's export.
func TestGeneratedSamples(t *testing.T) {
	specs, err := filepath.Glob("../../testdata/logs/cases/*/*.json")
	require.NoError(t, err)
	bin, lookErr := exec.LookPath("evtxexport")
	n := 0
	for _, spec := range specs {
		if strings.HasSuffix(spec, "expected.json") || strings.HasSuffix(spec, "generate.json") {
			continue
		}
		n++
		name := filepath.Base(filepath.Dir(spec)) + "/" + filepath.Base(spec)
		t.Run(name, func(t *testing.T) {
			recs, err := evtxwriter.ReadSpec(spec)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, evtxwriter.Write(&buf, recs))
			res := parseBytes(t, name, buf.Bytes())
			require.NoError(t, res.err)
			assert.Empty(t, res.problems)
			require.Len(t, res.events, len(recs))
			for i, r := range recs {
				e := res.events[i]
				assert.Equal(t, r.Provider, e.Get("evt.provider"), "record %d", i+1)
				assert.Equal(t, r.Time.UTC(), e.Time, "record %d", i+1)
				pos := 0
				for _, d := range r.Data {
					values := []string{}
					switch v := d.Value.(type) {
					case string:
						values = append(values, v)
					case []string:
						values = v
					default:
						pos++
						continue // numbers, times...: rendered in their own ways
					}
					for _, v := range values {
						pos++
						key := "evt.data." + d.Name
						if d.Name == "" {
							key = "evt.data." + strconv.Itoa(pos)
						}
						assert.Equal(t, v, e.Get(key), "record %d %s", i+1, key)
					}
				}
			}
			if lookErr != nil {
				t.Skip("evtxexport not on PATH (apt-get install libevtx-utils): not cross-checked")
			}
			file := filepath.Join(t.TempDir(), "x.evtx")
			require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
			want := evtxexport(t, bin, file)
			require.Len(t, want, len(res.events))
			for i, w := range want {
				assert.True(t, same(res.events[i], w), "record %d: %v", w.System.EventRecordID, summary(res.events[i:i+1]))
			}
		})
	}
	require.NotZero(t, n, "no event log specs in testdata/logs/cases")
}
