package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/signatures"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

// streams are the command's standard files.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	s := &streams{in: stdin, out: stdout, err: stderr}
	root := &cobra.Command{
		Use:   "sfblog",
		Short: "Diagnose Skype for Business Online sign-in failures from client and event logs",
		Long: `sfblog reads a support bundle - the client's UccApilog files and exported Windows
event logs, as a zip, a folder or single files - and reports which documented
sign-in error happened, with the evidence lines, the cause, the remedy steps
and the remedy links.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newAnalyzeCmd(s), newParseCmd(s), newReportCmd(s), newSignaturesCmd(s), newRegressCmd(s), newVersionCmd(s))
	return root
}

// loadCatalog returns the shipped catalog plus the signature files of dirs.
// An invalid signature file is a usage error (exit 2).
func loadCatalog(dirs []string) (*signatures.Catalog, error) {
	c, err := signatures.Default()
	if err != nil {
		return nil, &exitError{exitInternal, fmt.Errorf("shipped catalog: %w", err)}
	}
	for _, d := range dirs {
		if err := c.AddDir(d); err != nil {
			return nil, &exitError{exitUsage, err}
		}
	}
	return c, nil
}

// usageErr wraps an error as a usage error.
func usageErr(format string, a ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, a...)}
}

// isTerminal reports whether w is a terminal that takes colour.
func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newVersionCmd(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of sfblog",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(s.out, "sfblog %s\n", version)
			return err
		},
	}
}
