package main

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/uccapilog"
)

const cases = "../../../../testdata/logs/cases"

// The generated log is deterministic, at least as large as asked, a valid
// client log (no problem), and its copies move forward a day at a time.
func TestGenerate(t *testing.T) {
	var a, b bytes.Buffer
	n, err := generate(&a, cases, 3<<20)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, int64(3<<20))
	assert.EqualValues(t, a.Len(), n)
	_, err = generate(&b, cases, 3<<20)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(a.Bytes(), b.Bytes()), "two runs differ")

	kinds := map[string]int{}
	days := map[string]bool{}
	var last event.Event
	problems, err := uccapilog.Parse(context.Background(), "gen", bytes.NewReader(a.Bytes()), func(ev event.Event) error {
		kinds[ev.Kind]++
		days[ev.Time.Format("2006-01-02")] = true
		if ev.Kind == event.KindSIP {
			assert.False(t, ev.Time.Before(last.Time), "line %d goes back in time", ev.Line)
			last = ev
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, problems)
	assert.Greater(t, kinds[event.KindSIP], 1000)
	assert.Greater(t, kinds[event.KindLog], 10)
	assert.GreaterOrEqual(t, len(days), 5)
	assert.True(t, days[firstDay.Format("2006-01-02")])
	assert.Contains(t, a.String(), "\r\nDate: Tue, 02 Jan 2024 ", "SIP Date headers move with the copies")
}

func TestParseSizes(t *testing.T) {
	got, err := parseSizes("64MiB, 1GiB,512KiB,1000")
	require.NoError(t, err)
	assert.Equal(t, []int64{64 << 20, 1 << 30, 512 << 10, 1000}, got)
	for _, bad := range []string{"", "x", "-1MiB", "1TB"} {
		_, err := parseSizes(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "256MiB", formatSize(256<<20))
	assert.Equal(t, "1GiB", formatSize(1<<30))
}

// The start-up floor is a real Go program that runs and prints its line.
func TestBuildHello(t *testing.T) {
	bin, err := buildHello(context.Background(), t.TempDir())
	require.NoError(t, err)
	out, err := exec.Command(bin).Output()
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(out))
}

// Every probe runs once per round, in turn; the ratio is taken round by
// round, so a machine that slows down for some rounds moves it less than
// it moves the medians.
func TestRounds(t *testing.T) {
	var order []string
	step := 0
	// The machine is twice as slow in rounds 2 and 3.
	slow := func() time.Duration {
		if r := step / 2; r == 1 || r == 2 {
			return 2
		}
		return 1
	}
	fast := probe{"scan", func() (sample, error) {
		order = append(order, "scan")
		d := slow() * 10 * time.Millisecond
		step++
		return sample{time: d}, nil
	}}
	tool := probe{"tool", func() (sample, error) {
		order = append(order, "tool")
		d := slow() * 40 * time.Millisecond
		step++
		return sample{time: d, rss: int64(step)}, nil
	}}
	res, err := rounds(context.Background(), 5, []probe{fast, tool})
	require.NoError(t, err)
	assert.Equal(t, []string{"scan", "tool", "scan", "tool", "scan", "tool", "scan", "tool", "scan", "tool"}, order)
	assert.Equal(t, 10*time.Millisecond, res[0].time)
	assert.Equal(t, 40*time.Millisecond, res[1].time)
	assert.Equal(t, 10*time.Millisecond, res[0].best, "the fastest")
	assert.Equal(t, 40*time.Millisecond, res[1].best)
	assert.EqualValues(t, 10, res[1].rss, "the largest")
	assert.InDelta(t, 0.25, ratio(res[0], res[1]), 1e-9)

	// The best is the fastest round, the time the median one.
	times := []time.Duration{30, 10, 20}
	k := 0
	varied := probe{"varied", func() (sample, error) { k++; return sample{time: times[k-1] * time.Millisecond}, nil }}
	res, err = rounds(context.Background(), 3, []probe{varied})
	require.NoError(t, err)
	assert.Equal(t, 20*time.Millisecond, res[0].time)
	assert.Equal(t, 10*time.Millisecond, res[0].best)

	failing := probe{"broken", func() (sample, error) { return sample{}, errors.New("exit status 2") }}
	_, err = rounds(context.Background(), 3, []probe{fast, failing})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "broken: exit status 2")
}
