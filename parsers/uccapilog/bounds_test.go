package uccapilog

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

// parseBytes parses data and returns the events and the problems.
func parseBytes(t testing.TB, data []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "x", bytes.NewReader(data), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

// A header folded over many lines is joined once: the bytes allocated grow
// with the input, not with its square. Before, each continuation line
// rebuilt the whole value (200,000 folds took minutes).
func TestFoldedHeadersLinear(t *testing.T) {
	const folds = maxBlockLines - 100
	evs, problems := parseBytes(t, hostile.FoldedHeaders(folds))
	assert.Empty(t, problems)
	sips := ofKind(evs, event.KindSIP)
	require.Len(t, sips, 1)
	v := sips[0].Get("sip.header.www-authenticate")
	assert.True(t, strings.HasPrefix(v, `NTLM realm="SIP Communications Service", p000000="00000000", p000001=`), v[:80])
	assert.Equal(t, folds, strings.Count(v, `", p`), "every fold kept, joined by one space")

	// Bytes allocated per input byte at two sizes: a join per fold would
	// make the larger allocate about twenty times more per byte.
	perByte := func(folds int) float64 {
		in := hostile.FoldedHeaders(folds)
		var m runtimeMem
		m.start()
		parseBytes(t, in)
		return float64(m.allocated()) / float64(len(in))
	}
	small, large := perByte(folds/20), perByte(folds)
	t.Logf("bytes allocated per input byte: %.1f, %.1f", small, large)
	assert.Less(t, large, 2*small, "bytes allocated per input byte: %.1f for %d folds, %.1f for %d", small, folds/20, large, folds)
}

// The tester's 200,000 folds (4.4 MB in one header) are more than a block
// may hold: the block is cut at its limit, the rest read as lines of no
// block, in a few allocations per block rather than per line.
func TestFoldedHeadersHostile(t *testing.T) {
	data := hostile.FoldedHeaders(200_000)
	evs, problems := parseBytes(t, data)
	require.Len(t, ofKind(evs, event.KindSIP), 1)
	require.Len(t, problems, 2)
	assert.Equal(t, fmt.Sprintf("SIP block started at line 3 not terminated within %d lines, cut at line %d", maxBlockLines, maxBlockLines+3), problems[0].Msg)
	assert.Contains(t, problems[1].Msg, "lines not in UccApilog syntax")
	allocs := testing.AllocsPerRun(2, func() {
		_, _ = Parse(context.Background(), "x", bytes.NewReader(data), func(event.Event) error { return nil })
	})
	// A few hundred: the batches growing to their size, and the blocks;
	// one per line would be 200,000.
	assert.Less(t, allocs, 1000.0, "allocations for 200,000 folded lines")
}

// Thousands of unterminated blocks give maxProblems problems and one that
// counts the rest; every block is still an event.
func TestProblemsCapped(t *testing.T) {
	const blocks = 5000
	evs, problems := parseBytes(t, hostile.UnterminatedBlocks(blocks))
	assert.Len(t, ofKind(evs, event.KindSIP), blocks)
	require.Len(t, problems, maxProblems+1)
	for i, p := range problems[:maxProblems] {
		assert.Equal(t, fmt.Sprintf("SIP block started at line %d not terminated", 3+5*i), p.Msg)
	}
	last := problems[maxProblems]
	assert.Equal(t, fmt.Sprintf("and %s more unterminated SIP blocks", thousands(blocks-maxProblems)), last.Msg)
	assert.Equal(t, 3+5*maxProblems, last.Line, "the summary sits at the first block it counts")
	assert.Equal(t, "and 4,980 more unterminated SIP blocks", last.Msg)
}

// Each kind of problem has its own budget.
func TestProblemsCappedPerKind(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: "
	var b strings.Builder
	for range maxProblems + 5 {
		b.WriteString(pre + "Data Received - 10.0.0.20:443 (To Local Address: 10.0.0.1:5) 1 bytes:\n")
		b.WriteString(pre + "End of Data Received - 10.0.0.20:443 (To Local Address: 10.0.0.1:5) 1 bytes\n")
	}
	b.WriteString(pre + "Data Received - 10.0.0.20:443 (To Local Address: 10.0.0.1:5) 1 bytes:\nSIP/2.0 200 OK\n")
	_, problems := parseBytes(t, []byte(b.String()))
	var noStart, more []string
	for _, p := range problems {
		switch {
		case strings.HasSuffix(p.Msg, "has no SIP start line"):
			noStart = append(noStart, p.Msg)
		case strings.HasPrefix(p.Msg, "and "):
			more = append(more, p.Msg)
		}
	}
	assert.Len(t, noStart, maxProblems)
	assert.Equal(t, []string{"and 5 more SIP blocks without a SIP start line"}, more)
	assert.Equal(t, "SIP block started at line 51 not terminated", problems[len(problems)-1].Msg)
}

// A block of short lines that never ends is cut at maxBlockLines.
func TestBlockLineLimit(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: "
	in := pre + "Data Received - 10.0.0.20:443 (To Local Address: 10.0.0.1:5) 1 bytes:\nSIP/2.0 200 OK\nContent-Length: 0\n\n" +
		strings.Repeat("x\n", maxBlockLines+100)
	evs, problems := parseBytes(t, []byte(in))
	sips := ofKind(evs, event.KindSIP)
	require.Len(t, sips, 1)
	assert.Equal(t, maxBlockLines+1, sips[0].EndLine)
	require.NotEmpty(t, problems)
	assert.Equal(t, fmt.Sprintf("SIP block started at line 1 not terminated within %d lines, cut at line %d", maxBlockLines, maxBlockLines+1), problems[0].Msg)
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 48211: "48,211", 1234567: "1,234,567"} {
		assert.Equal(t, want, thousands(n))
	}
}

// runtimeMem measures the bytes allocated between start and allocated.
type runtimeMem struct{ before uint64 }

func (m *runtimeMem) start() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.before = s.TotalAlloc
}

func (m *runtimeMem) allocated() uint64 {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	return s.TotalAlloc - m.before
}
