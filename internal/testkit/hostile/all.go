package hostile

import "strings"

// File is one generated hostile input.
type File struct {
	Name  string // file name, for genhostile
	Data  []byte
	About string // what it is and what a reader must do with it
}

// All generates every hostile input at the sizes that issue reports
// measured (the bombs describe hundreds of MiB to hundreds of GiB; the
// files stay small but for ManyEntries, about 19 MB, and ManyTarEntries, 12 MB). Secrets' planted
// values are listed in "secrets.planted.txt", one a line.
func All() []File {
	secrets, planted := Secrets()
	return []File{
		{"error-text-bomb.zip", ErrorTextBomb(200 << 20), "200 MiB of one error line deflated into about 800 KiB: refused by the ratio guard"},
		{"nested-bomb-overlap.zip", NestedBomb(16, 5, true), "42.zip-style, 16 ways, 5 levels, entries of each level overlap: refused as overlapping"},
		{"nested-bomb.zip", NestedBomb(16, 5, false), "42.zip-style, 16 ways, 5 levels, 1,048,576 pages as distinct entries: stopped by the entry limit"},
		{"overlap-bomb.zip", OverlapBomb(256, 1<<30), "Fifield full-overlap bomb, 256 entries of a 1 GiB kernel: refused as overlapping"},
		{"many-entries.zip", ManyEntries(200_000), "200,000 tiny entries: refused by the entry limit before its directory is read"},
		{"tar-bomb.tar.gz", TarBomb(64 << 20), "a note, 64 MiB of one error line and a note in a tar, gzipped into about 260 KB: the first note read, the log refused by the ratio guard, the archive listed with the reason"},
		{"many-entries.tar", ManyTarEntries(12_000), "12,000 tiny entries in a tar (12 MB): read up to the entry limit, the rest listed as not read"},
		{"deep-nesting.zip", DeepNesting(20), "zips nested 20 deep, a note at each level: notes read down to the depth limit"},
		{"copies.zip", Copies(2000), "2,000 copies of one failing client log and 2,000 logs alike for 2 KiB at one time and line: the copies counted once, in bounded time"},
		{"folded-headers.UccApilog", FoldedHeaders(200_000), "one SIP header folded over 200,000 lines"},
		{"unterminated-blocks.UccApilog", UnterminatedBlocks(30_000), "30,000 SIP blocks that never end"},
		{"control-chars.zip", ControlChars(), "entry names and contents with terminal escapes, CR, forged sfblog lines, NUL"},
		{"control-content.UccApilog", ControlContent(), "a client log with terminal escapes, forged sfblog lines and a NUL run"},
		{"crashed-nul-run.UccApilog", CrashedLog(64 << 10), "a client log with a 64 KiB NUL run: still a client log"},
		{"blank-lines.UccApilog", BlankLines(2 << 20), "a client log with 2,097,152 blank lines: read in batches of at most 16,384 lines"},
		{"note-cp932.txt", ShiftJISNote(), "a Japanese note in Shift_JIS (code page 932): decoded, not skipped"},
		{"secrets.UccApilog", secrets, "planted secrets; none of secrets.planted.txt may reach a report"},
		{"secrets.planted.txt", []byte(strings.Join(planted, "\n") + "\n"), "the values planted in secrets.UccApilog"},
	}
}
