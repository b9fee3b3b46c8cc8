package dns

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/event"
)

// readData reads a whole Export-Csv or ConvertTo-Json input, at most
// maxData bytes, without a UTF-8 byte order mark, and its lines.
func readData(path string, r io.Reader) ([]byte, []numLine, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxData+1))
	if err != nil {
		return nil, nil, fmt.Errorf("dns: read %s: %w", path, err)
	}
	if len(data) > maxData {
		return nil, nil, fmt.Errorf("dns: %s: larger than %d bytes", path, maxData)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var lines []numLine
	for i, l := range strings.Split(string(data), "\n") {
		lines = append(lines, numLine{i + 1, strings.TrimRight(l, " \t\r")})
	}
	return data, lines, nil
}

// emitRecords groups records into results and emits them.
func emitRecords(path string, recs []record, lines []numLine, problem func(int, string), emit event.Sink) error {
	for _, r := range groupRecords(recs, prompt{}, problem) {
		r.text = joinLines(lines, r.first, r.last)
		if err := emit(r.event(path)); err != nil {
			return fmt.Errorf("dns: %s: emit: %w", path, err)
		}
	}
	return nil
}

// parseJSON reads "Resolve-DnsName ... | ConvertTo-Json": one object or an
// array of objects per document, several documents when a file was
// appended to. RecordType and Section are numbers in Windows PowerShell
// (strings with -EnumsAsStrings). A document that does not parse is
// reported and contributes nothing.
func parseJSON(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	data, lines, err := readData(path, r)
	if err != nil {
		return nil, err
	}
	var problems []event.Problem
	problem := func(n int, msg string) { problems = append(problems, event.Problem{Line: n, Msg: msg}) }
	lineAt := func(off int64) int { return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1 }
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var recs []record
	for {
		if err := ctx.Err(); err != nil {
			return problems, fmt.Errorf("dns: %s: %w", path, err)
		}
		doc, err := jsonDocument(dec, data, lineAt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			off := dec.InputOffset()
			var se *json.SyntaxError
			switch {
			case errors.As(err, &se):
				off = se.Offset
			case errors.Is(err, io.ErrUnexpectedEOF):
				off = int64(len(bytes.TrimRight(data, " \t\r\n")))
			}
			problem(lineAt(off), "ConvertTo-Json: "+err.Error())
			break
		}
		for _, o := range doc {
			rec, bad := jsonRecord(o.fields)
			rec.first, rec.last = o.first, o.last
			if bad != "" {
				problem(o.first, "ConvertTo-Json: "+bad)
				continue
			}
			recs = append(recs, rec)
		}
	}
	return problems, emitRecords(path, recs, lines, problem, emit)
}

// jsonObject is one decoded object and its lines.
type jsonObject struct {
	fields      map[string]any
	first, last int
}

// jsonDocument decodes the next top-level value: an object, or an array of
// objects, each with its lines.
func jsonDocument(dec *json.Decoder, data []byte, lineAt func(int64) int) ([]jsonObject, error) {
	skip := func(off int64) int64 {
		for off < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[off])) {
			off++
		}
		return off
	}
	start := skip(dec.InputOffset())
	if start >= int64(len(data)) {
		return nil, io.EOF
	}
	if data[start] != '[' {
		var o map[string]any
		if err := dec.Decode(&o); err != nil {
			return nil, err
		}
		return []jsonObject{{o, lineAt(start), lineAt(dec.InputOffset() - 1)}}, nil
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []jsonObject
	for dec.More() {
		s := skip(dec.InputOffset())
		var o map[string]any
		if err := dec.Decode(&o); err != nil {
			return nil, err
		}
		out = append(out, jsonObject{o, lineAt(s), lineAt(dec.InputOffset() - 1)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonRecord reads the properties of one DnsRecord object.
func jsonRecord(o map[string]any) (record, string) {
	var r record
	if o == nil {
		return r, "not an object"
	}
	get := make(map[string]string, len(o))
	for k, v := range o {
		switch v := v.(type) {
		case string:
			get[strings.ToLower(k)] = v
		case json.Number:
			get[strings.ToLower(k)] = v.String()
		}
	}
	if get["name"] == "" || get["section"] == "" || (get["type"] == "" && get["querytype"] == "") {
		return r, "object without the Name, Type and Section of a DNS record"
	}
	for _, k := range []string{"name", "querytype", "type", "section", "namehost", "nametarget", "ipaddress", "ip4address", "ip6address", "priority", "weight", "port"} {
		if v, ok := get[k]; ok {
			r.set(k, v)
		}
	}
	return r, ""
}

// parseCSV reads "Resolve-DnsName ... | Export-Csv", with or without its
// "#TYPE Microsoft.DnsClient.Commands.DnsRecord_..." line. Columns are
// found by name, so any property set works as long as Name, Type (or
// QueryType) and Section are there. Export-Csv takes its columns from the
// first record: the rows of other types keep only the columns they share
// with it. At a row that does not parse the rest of the file is dropped,
// and so is the result the row would have belonged to.
func parseCSV(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	data, lines, err := readData(path, r)
	if err != nil {
		return nil, err
	}
	var problems []event.Problem
	problem := func(n int, msg string) { problems = append(problems, event.Problem{Line: n, Msg: msg}) }
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return []event.Problem{csvProblem(err)}, nil
	}
	cols := map[string]bool{}
	for _, h := range header {
		cols[strings.ToLower(h)] = true
	}
	if !cols["name"] || !cols["section"] || (!cols["type"] && !cols["querytype"]) {
		hl, _ := cr.FieldPos(0)
		return []event.Problem{{Line: hl, Msg: "Export-Csv: no Name, Type and Section columns: not Resolve-DnsName output"}}, nil
	}
	partial := !cols["ipaddress"] && !cols["ip4address"] && !cols["ip6address"] ||
		!cols["namehost"] && !cols["nametarget"]
	var recs []record
	broke := false
	for i := 0; ; i++ {
		if i%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return problems, fmt.Errorf("dns: %s: %w", path, err)
			}
		}
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, csvProblem(err))
			broke = true
			break
		}
		n, _ := cr.FieldPos(0)
		var rec record
		for j, v := range row {
			if j < len(header) && !strings.EqualFold(header[j], "type") {
				rec.set(header[j], v)
			}
		}
		for j, v := range row {
			if j < len(header) && strings.EqualFold(header[j], "type") {
				rec.set("type", v) // Type wins over QueryType
			}
		}
		rec.first, rec.last = n, n
		rec.partial = partial
		recs = append(recs, rec)
	}
	if broke {
		// The rows read so far are whole, but the last look-up may go on
		// past the broken row: keep only the look-ups before it.
		recs = recs[:lastStart(recs)]
	}
	return problems, emitRecords(path, recs, lines, problem, emit)
}

// lastStart returns the index of the first record of the last look-up: the
// last answer record that is not a CNAME target or an address of the one
// before it. It is a cautious cut: everything from there on is dropped.
func lastStart(recs []record) int {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].section != "Answer" {
			continue
		}
		prev := -1
		for j := i - 1; j >= 0; j-- {
			if recs[j].section == "Answer" {
				prev = j
				break
			}
		}
		if prev < 0 || (normName(recs[prev].target) != normName(recs[i].raw) && normName(recs[prev].raw) != normName(recs[i].raw)) {
			return i
		}
	}
	return 0
}

// csvProblem locates a CSV error.
func csvProblem(err error) event.Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return event.Problem{Line: pe.StartLine, Msg: "Export-Csv: " + pe.Err.Error()}
	}
	return event.Problem{Msg: "Export-Csv: " + err.Error()}
}
