package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
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
			tuneGC(func(k string) string { return tt.env[k] })
			assert.Equal(t, tt.percent, debug.SetGCPercent(123))
			assert.Equal(t, tt.limit, debug.SetMemoryLimit(1<<40))
		})
	}
}
