package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

// hostileRSS bounds the peak resident memory of one sfblog run on a
// hostile input (the bound: under 256 MiB).
const hostileRSS = 256 << 20

// watchHWM samples the peak resident set size (VmHWM) of the process pid
// from /proc until it exits, and returns a function that reports the
// largest value seen. (The rusage of a child is no use here: Linux carries
// the parent's high-water mark over the child's exec.)
func watchHWM(pid int) func() int64 {
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		path := fmt.Sprintf("/proc/%d/status", pid)
		for {
			data, err := os.ReadFile(path)
			if err != nil {
				return // exited
			}
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
					if kb<<10 > peak.Load() {
						peak.Store(kb << 10)
					}
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return func() int64 {
		<-done
		return peak.Load()
	}
}

// TestHostileInputs runs every generated hostile input (zip bombs,
// overlapping entries, deep nesting, 200,000 folded header lines, 30,000
// unterminated SIP blocks, terminal escapes in names and contents, NUL
// runs, a flood of blank lines, a Shift_JIS note, planted secrets) through
// the sfblog binary:
// analyze in every format, with and without --redact, and parse. Each run
// ends with a report (exit 0, or 2 when an archive held nothing readable),
// under the memory bound (peak RSS of the process), with bounded output;
// no planted secret reaches any output, and no raw control character
// reaches standard output or standard error.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: hostile inputs not run")
	}
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS is read from /proc")
	}
	bin := binary(t)
	dir := t.TempDir()
	var planted []string
	var inputs []string
	for _, f := range hostile.All() {
		if f.Name == "secrets.planted.txt" {
			planted = strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			continue
		}
		p := filepath.Join(dir, f.Name)
		require.NoError(t, os.WriteFile(p, f.Data, 0o644))
		inputs = append(inputs, p)
	}
	require.NotEmpty(t, planted)
	for _, in := range inputs {
		name := filepath.Base(in)
		runs := [][]string{
			{"analyze", in}, {"analyze", "-f", "markdown", in}, {"analyze", "-f", "json", in},
			{"analyze", "-f", "junit", in}, {"analyze", "-f", "html", in}, {"analyze", "--redact", "-f", "json", in},
			{"parse", in}, {"parse", "-f", "table", in},
		}
		for _, args := range runs {
			what := strings.Join(args[:len(args)-1], " ")
			t.Run(name+"/"+what, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				var out, errb bytes.Buffer
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Stdout, cmd.Stderr = &out, &errb
				cmd.Env = append(os.Environ(), "COLUMNS=100")
				start := time.Now()
				require.NoError(t, cmd.Start())
				rss := watchHWM(cmd.Process.Pid)
				err := cmd.Wait()
				elapsed := time.Since(start)
				code := cmd.ProcessState.ExitCode()
				t.Logf("%s: exit %d in %v, peak RSS %d MiB, %d bytes out", what, code, elapsed.Round(time.Millisecond), rss()>>20, out.Len())
				require.NoError(t, ctx.Err(), "did not finish")
				stdout, stderr := out.String(), errb.String()
				switch code {
				case 2:
					// Every entry refused: "no input could be read", and
					// the report of what was refused is still written.
					assert.Contains(t, stderr, "no input could be read", err)
					if args[0] == "analyze" {
						assert.NotEmpty(t, stdout, "the report is written")
					}
				default:
					assert.Equal(t, 0, code, "stderr: %.2000s", stderr)
				}
				assert.Less(t, rss(), int64(hostileRSS), "peak RSS")
				assert.Less(t, len(stdout), 64<<20, "the output stays bounded")
				assert.Less(t, len(stderr), 1<<20, "stderr stays bounded")
				if name == "secrets.UccApilog" {
					for _, s := range planted {
						assert.NotContains(t, stdout, s, "a planted secret reached the output")
						assert.NotContains(t, stderr, s, "a planted secret reached stderr")
					}
				}
				for _, stream := range []string{stdout, stderr} {
					for i := 0; i < len(stream); i++ {
						if c := stream[i]; (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
							t.Fatalf("raw control byte %#x at %d: %q", c, i, stream[max(0, i-40):min(len(stream), i+40)])
						}
					}
				}
			})
		}
	}
}
