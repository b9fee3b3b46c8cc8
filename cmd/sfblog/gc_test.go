package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tuneGC sets the collector unless the user did, through GOGC or
// GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		percent int
		limit   int64
	}{
		{"default", nil, 400, gcLimit},
		{"GOGC set", map[string]string{"GOGC": "100"}, 123, 1 << 40},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 123, 1 << 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oldPercent := debug.SetGCPercent(123)
			oldLimit := debug.SetMemoryLimit(1 << 40)
			defer func() {
				debug.SetGCPercent(oldPercent)
				debug.SetMemoryLimit(oldLimit)
			}()
			stop := tuneGC(func(k string) string { return tt.env[k] })
			stop()
			assert.Equal(t, tt.percent, debug.SetGCPercent(123))
			assert.Equal(t, tt.limit, debug.SetMemoryLimit(1<<40))
		})
	}
}

// TestGCTunerAdjust: the soft limit is gcLimit while the live heap is under
// half of it, then twice the live heap up to gcCeiling, then a quarter
// more than the live heap, and back when the heap shrinks.
func TestGCTunerAdjust(t *testing.T) {
	const mib = 1 << 20
	var live int64
	var set []int64
	tu := &gcTuner{floor: gcLimit, ceiling: gcCeiling, live: func() int64 { return live }, limit: gcLimit,
		setLimit: func(n int64) int64 { set = append(set, n); return 0 }}
	steps := []struct {
		live, want int64
	}{
		{5 * mib, gcLimit},
		{20 * mib, gcLimit},
		{30 * mib, 60 * mib},
		{100 * mib, 200 * mib},
		{150 * mib, gcCeiling},
		{400 * mib, 500 * mib},
		{1 * mib, gcLimit},
	}
	for _, s := range steps {
		live = s.live
		tu.adjust()
		assert.Equal(t, s.want, tu.limit, "live heap %d MiB", s.live/mib)
	}
	assert.Equal(t, []int64{60 * mib, 200 * mib, gcCeiling, 500 * mib, gcLimit}, set, "the limit is set only when it changes")
	tu.stop()
	live = 300 * mib
	tu.adjust()
	assert.Equal(t, int64(gcLimit), tu.limit, "nothing changes after stop")
}

// TestTuneGCFollowsLiveHeap holds a live heap larger than gcLimit: after a
// collection the soft limit is twice it, so the collector does not run
// without pause; once the heap is freed, the limit is gcLimit again.
func TestTuneGCFollowsLiveHeap(t *testing.T) {
	const mib = 1 << 20
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(1 << 40)
	defer func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}()
	stop := tuneGC(func(string) string { return "" })
	defer stop()
	hold := make([][]byte, 96)
	for i := range hold {
		hold[i] = make([]byte, mib)
		hold[i][0] = 1
	}
	require.Eventually(t, func() bool {
		runtime.GC()
		return debug.SetMemoryLimit(-1) >= 2*96*mib
	}, 10*time.Second, 10*time.Millisecond, "limit raised to twice the live heap")
	runtime.KeepAlive(hold)
	hold = nil
	require.Eventually(t, func() bool {
		runtime.GC()
		return debug.SetMemoryLimit(-1) <= 2*gcLimit
	}, 10*time.Second, 10*time.Millisecond, "limit lowered when the heap is freed")
}
