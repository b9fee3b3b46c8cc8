package evtxwriter

import (
	"bytes"
	"io"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var noiseStart = time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC)

func TestNoiseDeterministic(t *testing.T) {
	a := Noise(500, 7, noiseStart)
	b := Noise(500, 7, noiseStart)
	c := Noise(500, 8, noiseStart)
	assert.Equal(t, a, b, "same seed, same records")
	assert.NotEqual(t, a, c, "another seed, other records")
	assert.Equal(t, writeBytes(t, a), writeBytes(t, b))
}

func TestNoiseShape(t *testing.T) {
	recs := Noise(2000, 1, noiseStart)
	require.Len(t, recs, 2000)
	providers := map[string]int{}
	prev := noiseStart
	for i, r := range recs {
		providers[r.Provider]++
		assert.False(t, r.Time.Before(prev), "record %d: times never go back", i)
		assert.Zero(t, r.RecordID, "ids are left to Write")
		assert.NotEmpty(t, r.Channel)
		assert.NotEmpty(t, r.Computer)
		prev = r.Time
	}
	var names []string
	for p := range providers {
		names = append(names, p)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"EventLog", "Microsoft-Windows-Kernel-General", "Microsoft-Windows-Security-SPP",
		"Microsoft-Windows-Time-Service", "Microsoft-Windows-WindowsUpdateClient", "Microsoft-Windows-Winlogon",
		"Service Control Manager"}, names, "every kind of noise appears")
	assert.Greater(t, providers["Service Control Manager"], providers["EventLog"], "weights are applied")
	// Background noise holds none of the sign-in signals sfblog looks for.
	for _, p := range []string{"Schannel", "Microsoft-Windows-DNS-Client", "Lync", "Communicator"} {
		assert.Zero(t, providers[p], p)
	}
}

func TestNoiseReadBack(t *testing.T) {
	recs := Noise(600, 3, noiseStart)
	compareGolang(t, recs)
}

// BenchmarkWrite measures Write on background noise; records/s is the
// figure to watch (the 200,000-record benchmark file is written with
// internal/testkit/cmd/genevtx -count 200000).
func BenchmarkWrite(b *testing.B) {
	recs := Noise(20000, 1, noiseStart)
	var buf bytes.Buffer
	require.NoError(b, Write(&buf, recs))
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(io.Discard, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
