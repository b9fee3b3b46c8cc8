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
)

// Exit codes (cli-contract.md).
const (
	exitOK       = 0 // success
	exitFindings = 1 // findings at or above --fail-on, or failed tests/cases
	exitUsage    = 2 // usage error, invalid signature file, or no input readable
	exitInternal = 3 // an internal error
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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit code. Nothing else in
// sfblog exits the process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "sfblog: internal error: %v\n", p)
			code = exitInternal
		}
	}()
	cmd := newRootCmd(stdin, stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "sfblog: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong arguments.
	fmt.Fprintf(stderr, "sfblog: %v\nRun 'sfblog --help' for usage.\n", err)
	return exitUsage
}
