// Command sfblog diagnoses why a user cannot sign in to Skype for Business
// Online from the client logs and Windows event logs of a support bundle.
//
//	sfblog analyze bundle.zip
//
// See README.md for the commands, output formats and exit codes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"syscall"

	"github.com/sfblog/sfblog/bundle"
	"github.com/sfblog/sfblog/internal/termesc"
)

// Exit codes (cli-contract.md). The Go runtime itself exits 2 on a fatal
// error (out of memory, a panic in a goroutine that nothing recovers): its
// message then starts with "fatal error:" or "panic:", never "sfblog:".
// sfblog's own code returns exitUsage for usage errors and unreadable
// inputs only.
const (
	exitOK       = 0 // success
	exitFindings = 1 // findings at or above --fail-on, or failed tests/cases
	exitUsage    = 2 // usage error, invalid signature file, or an input named on the command line could not be read
	exitInternal = 3 // an internal error, or the report could not be written
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// interrupted is the cause of the context's cancellation when a signal
// asked sfblog to stop.
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string { return "interrupted by " + e.sig.String() }

// code is the shell's convention for a process ended by a signal:
// 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
func (e interrupted) code() int { return 128 + int(e.sig) }

func main() {
	stopGC := tuneGC(os.Getenv)
	ctx, stop := notifyContext(context.Background())
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	stopGC()
	os.Exit(code)
}

// tuneGC sets the garbage collector for sfblog's way of using memory,
// unless the user set GOGC or GOMEMLIMIT, and returns what stops its
// tuning. sfblog streams its inputs: its live heap stays at a few MiB
// however large they are, and with Go's default (collect when the heap
// doubles) it collects every few MiB it allocates, marking the same
// catalog each time. It collects when the heap has grown four times
// instead, within a soft limit of gcLimit.
//
// A soft limit that the live heap reaches makes the collector run almost
// without pause (a hostile input that holds 200 MiB ran five times slower
// under 40 MiB than with Go's default). So after every collection the
// limit follows the live heap (gcTuner): never below gcLimit, twice the
// live heap (Go's default pace) up to gcCeiling, the memory sfblog
// promises to stay under, and past that a quarter more than the live heap.
func tuneGC(getenv func(string) string) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(gcLimit)
	t := &gcTuner{floor: gcLimit, ceiling: gcCeiling, live: liveHeap, setLimit: debug.SetMemoryLimit, limit: gcLimit}
	t.arm()
	return t.stop
}

// gcLimit is the memory the Go runtime aims to stay under while the live
// heap is below half of it (a soft limit: see gcTuner for larger heaps).
const gcLimit = 40 << 20

// gcCeiling is as high as gcTuner raises the soft limit at Go's default
// pace: sfblog's memory budget of 256 MiB less some for what the runtime
// holds outside the heap (stacks, its own structures). A live heap so
// large that twice it passes the ceiling gets a quarter more than itself.
const gcCeiling = 240 << 20

// gcTuner raises the soft memory limit when the live heap approaches it,
// and lowers it back when the heap shrinks, after every collection: the
// limit is floor while the live heap is under half of it, then twice the
// live heap up to ceiling, then the larger of ceiling and the live heap
// and a quarter.
type gcTuner struct {
	floor    int64
	ceiling  int64
	live     func() int64      // the live heap of the last collection
	setLimit func(int64) int64 // debug.SetMemoryLimit
	mu       sync.Mutex        // guards limit and stopped
	limit    int64             // the limit set last
	stopped  bool
}

// adjust sets the limit for the live heap of the last collection.
func (t *gcTuner) adjust() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	want := t.floor
	live := t.live()
	if live > want/2 {
		want = 2 * live
	}
	if want > t.ceiling {
		want = max(t.ceiling, live+live/4)
	}
	if want != t.limit {
		t.setLimit(want)
		t.limit = want
	}
}

// gcSentinel is garbage made for the collector to find: its finalizer runs
// after a collection. It holds a pointer so that it is not a tiny
// allocation, whose finalizer might never run.
type gcSentinel struct{ t *gcTuner }

// arm makes the next collection call adjust, and arm again.
func (t *gcTuner) arm() {
	runtime.SetFinalizer(&gcSentinel{t: t}, func(s *gcSentinel) {
		s.t.adjust()
		t.mu.Lock()
		stopped := t.stopped
		t.mu.Unlock()
		if !stopped {
			s.t.arm()
		}
	})
}

// stop ends the tuning; the limit stays as it is.
func (t *gcTuner) stop() {
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}

// liveHeap reads the bytes of heap the last collection found alive.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// notifyContext returns a context that is cancelled, with an interrupted
// cause, on the first SIGINT or SIGTERM. After it, the signals get their
// default action again: a second Ctrl-C ends sfblog at once.
func notifyContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			sig, _ := s.(syscall.Signal)
			cancel(interrupted{sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// run executes one command line and returns its exit code. Nothing else in
// sfblog exits the process. Every message run prints passes through
// termesc.Line: error texts carry file names and decoded input text.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "sfblog: internal error: %s\n", termesc.Line(fmt.Sprint(p)))
			code = exitInternal
		}
	}()
	// Temporary files of the inputs (standard input, nested zips that do
	// not fit in memory) are removed on every way out of run.
	temps := new(bundle.Temps)
	defer temps.Close()
	cmd := newRootCmd(&streams{in: newStdin(ctx, stdin), out: stdout, err: stderr, temps: temps})
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	var sig interrupted
	if errors.As(context.Cause(ctx), &sig) {
		// Whatever the command returned, it was stopped (or its output is
		// no longer wanted): one short line, the shell's code.
		fmt.Fprintln(stderr, "sfblog: interrupted")
		return sig.code()
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "sfblog: %s\n", termesc.Line(ee.err.Error()))
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong arguments.
	fmt.Fprintf(stderr, "sfblog: %s\nRun 'sfblog --help' for usage.\n", termesc.Line(err.Error()))
	return exitUsage
}
