package main

import (
	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/report"
)

// Shell completion: "sfblog completion bash|zsh|fish|powershell" (cobra's
// own command) writes the script; the functions here tell it the values of
// the flags that take a fixed set, and that paths are files or folders.

// completeValues completes flag with exactly values; with none, the flag
// takes free text (a time, a number) and nothing is offered, not even
// file names.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	must(cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)))
}

// completeReportFlags completes --format with the report formats, --lang
// with the languages and -o with file names.
func completeReportFlags(cmd *cobra.Command) {
	formats := []cobra.Completion{
		cobra.CompletionWithDesc("table", "a table for the terminal (default)"),
		cobra.CompletionWithDesc("markdown", "Markdown for a ticket (also md)"),
		cobra.CompletionWithDesc("json", "the JSON report contract"),
		cobra.CompletionWithDesc("junit", "JUnit XML for CI (also xml)"),
		cobra.CompletionWithDesc("html", "a self-contained page (also htm)"),
	}
	must(cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp)))
	completeValues(cmd, "lang", append([]string{"en"}, report.Languages...)...)
	must(cmd.MarkFlagFilename("output"))
}

// completeInputs completes the PATH arguments with file and folder names.
func completeInputs(cmd *cobra.Command) {
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveDefault
	}
}

// completeDirs completes the arguments with folder names only.
func completeDirs(cmd *cobra.Command) {
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
}

// must panics on an error that only a programming mistake causes (a flag
// name that does not exist): the tests run every command's set-up.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
