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
	"runtime/debug"
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
	tuneGC(os.Getenv)
	ctx, stop := notifyContext(context.Background())
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC sets the garbage collector for sfblog's way of using memory,
// unless the user set GOGC or GOMEMLIMIT. sfblog streams its inputs: its
// live heap stays at a few MiB however large they are, and with Go's
// default (collect when the heap doubles) it collects every few MiB it
// allocates, marking the same catalog each time. It collects when the heap
// has grown four times instead, within a soft limit of gcLimit.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(gcLimit)
}

// gcLimit is the memory the Go runtime aims to stay under (a soft limit:
// a larger live heap still works, collecting more often).
const gcLimit = 40 << 20

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
