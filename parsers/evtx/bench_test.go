package evtx

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gevtx "github.com/0xrawsec/golang-evtx/evtx"

	"github.com/sfblog/sfblog/event"
)

// cleanFiles are the corpus files that golang-evtx's FastEvents reads
// completely without crashing (PROVENANCE.md: its count equals libevtx's
// and the file has no damaged chunk). Both benchmarks use them.
var cleanFiles = []string{
	"evtx-attack-samples/Command_and_Control_bits_openvpn.evtx",
	"evtx-attack-samples/Defense_Evasion_DE_1102_security_log_cleared.evtx",
	"hayabusa-sample-evtx/DeepBlueCLI_Powershell-Invoke-Obfuscation-many.evtx",
	"hayabusa-sample-evtx/DeepBlueCLI_many-events-application.evtx",
	"hayabusa-sample-evtx/DeepBlueCLI_password-spray.evtx",
	"omerbenamram-evtx/2-system-Microsoft-Windows-LiveId%4Operational.evtx",
	"omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx",
	"omerbenamram-evtx/Security_with_size_t.evtx",
	"omerbenamram-evtx/post-Security.evtx",
	"omerbenamram-evtx/sample-with-irregular-bool-values.evtx",
	"omerbenamram-evtx/security.evtx",
	"omerbenamram-evtx/sysmon.evtx",
	"omerbenamram-evtx/system.evtx",
	"python-evtx/issue_39.evtx",
	"python-evtx/issue_43.evtx",
	"python-evtx/system.evtx",
}

func allCorpusFiles(b *testing.B) []string {
	var files []string
	_ = filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".evtx") {
			rel, _ := filepath.Rel(corpusDir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(files) == 0 {
		b.Skipf("corpus %s not available", corpusDir)
	}
	return files
}

// BenchmarkParse parses the clean files (to compare with
// BenchmarkBareLibrary) and the whole corpus, reading from the files.
func BenchmarkParse(b *testing.B) {
	b.Run("clean", func(b *testing.B) { benchParse(b, cleanFiles) })
	b.Run("corpus", func(b *testing.B) { benchParse(b, allCorpusFiles(b)) })
}

func benchParse(b *testing.B, files []string) {
	var size int64
	for _, rel := range files {
		st, err := os.Stat(corpusFile(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	b.ResetTimer()
	records := 0
	for i := 0; i < b.N; i++ {
		for _, rel := range files {
			f, err := os.Open(filepath.Join(corpusDir, rel))
			if err != nil {
				b.Fatal(err)
			}
			st, _ := f.Stat()
			_, _ = Parse(context.Background(), rel, f, st.Size(), func(event.Event) error {
				records++
				return nil
			})
			f.Close()
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBareLibrary is the baseline: golang-evtx's own FastEvents loop
// reading each event's EventID, as measured in evtx-facts.md §4. Only the
// clean files: the library's goroutines panic on the damaged ones.
func BenchmarkBareLibrary(b *testing.B) {
	var size int64
	for _, rel := range cleanFiles {
		st, err := os.Stat(corpusFile(b, rel))
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	silence()
	b.SetBytes(size)
	b.ResetTimer()
	records := 0
	for i := 0; i < b.N; i++ {
		for _, rel := range cleanFiles {
			f, err := gevtx.OpenDirty(filepath.Join(corpusDir, rel))
			if err != nil && err != gevtx.ErrDirtyFile {
				b.Fatalf("%s: %v", rel, err)
			}
			for e := range f.FastEvents() {
				if _, err := e.GetString(&gevtx.EventIDPath); err != nil {
					_, _ = e.GetString(&gevtx.EventIDPath2)
				}
				records++
			}
			f.Close()
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
