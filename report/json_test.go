package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

//go:embed schema.json
var schemaJSON []byte

// checkSchema validates a decoded JSON value against the subset of JSON
// Schema 2020-12 that schema.json uses: type, required, properties,
// additionalProperties (false, or a schema for the other keys' values),
// items, enum, const, minimum, pattern and local $ref. It returns every
// violation, with its JSON pointer.
func checkSchema(root, schema map[string]any, v any, ptr string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		target, err := resolveRef(root, ref)
		if err != nil {
			return []string{ptr + ": " + err.Error()}
		}
		return checkSchema(root, target, v, ptr)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, ptr+": "+fmt.Sprintf(format, args...)) }

	if want, ok := schema["type"].(string); ok && !hasType(v, want) {
		bad("want %s, got %s", want, typeName(v))
		return errs
	}
	if c, ok := schema["const"]; ok && !jsonEqual(c, v) {
		bad("want %v, got %v", c, v)
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return jsonEqual(e, v) }) {
		bad("%v not in %v", v, enum)
	}
	if p, ok := schema["pattern"].(string); ok {
		if str, isStr := v.(string); isStr && !regexp.MustCompile(p).MatchString(str) {
			bad("%q does not match %s", str, p)
		}
	}
	if lo, ok := schema["minimum"].(float64); ok {
		if n, isNum := v.(float64); isNum && n < lo {
			bad("%v below minimum %v", n, lo)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		required, _ := schema["required"].([]any)
		for _, r := range required {
			if _, present := obj[r.(string)]; !present {
				bad("missing required key %q", r)
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, known := props[k].(map[string]any)
			if !known {
				switch ap := schema["additionalProperties"].(type) {
				case bool:
					if !ap {
						bad("unexpected key %q", k)
					}
				case map[string]any:
					errs = append(errs, checkSchema(root, ap, obj[k], ptr+"/"+k)...)
				}
				continue
			}
			errs = append(errs, checkSchema(root, sub, obj[k], ptr+"/"+k)...)
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range arr {
				errs = append(errs, checkSchema(root, items, e, fmt.Sprintf("%s/%d", ptr, i))...)
			}
		}
	}
	return errs
}

// resolveRef resolves a "#/a/b" reference inside root.
func resolveRef(root map[string]any, ref string) (map[string]any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	var cur any = root
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("bad $ref %q", ref)
		}
		cur = m[part]
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unresolved $ref %q", ref)
	}
	return m, nil
}

// hasType reports whether v (as decoded by encoding/json into any) has
// the JSON Schema type want. null is never an accepted value here.
func hasType(v any, want string) bool {
	switch want {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n)
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	var schema map[string]any
	require.NoError(t, json.Unmarshal(schemaJSON, &schema))
	require.Equal(t, "https://json-schema.org/draft/2020-12/schema", schema["$schema"])
	return schema
}

func decodeAny(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	return v
}

func TestJSONGoldenMatchesSchema(t *testing.T) {
	schema := loadSchema(t)
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "golden", tc.name+".json.golden"))
			require.NoError(t, err)
			assert.Empty(t, checkSchema(schema, schema, decodeAny(t, data), ""))
		})
	}
}

// TestSchemaAllowsAddedKeys: the contract adds keys, so a reader
// validating with the schema must accept keys it does not know, anywhere.
func TestSchemaAllowsAddedKeys(t *testing.T) {
	schema := loadSchema(t)
	v := decodeAny(t, []byte(render(t, "json", findCase(t, "groups")))).(map[string]any)
	v["added_later"] = true
	v["signin"].(map[string]any)["added_later"] = 1.0
	g := v["groups"].([]any)[0].(map[string]any)
	g["added_later"] = "x"
	f := g["findings"].([]any)[0].(map[string]any)
	f["added_later"] = []any{}
	f["evidence"].([]any)[0].(map[string]any)["added_later"] = "x"
	g["inputs"].([]any)[0].(map[string]any)["added_later"] = "x"
	g["timeline"].([]any)[0].(map[string]any)["steps"].([]any)[0].(map[string]any)["added_later"] = "x"
	assert.Empty(t, checkSchema(schema, schema, v, ""))

	// The documented keys are still checked inside groups.
	g["signin"].(map[string]any)["outcome"] = "maybe"
	assert.Contains(t, strings.Join(checkSchema(schema, schema, v, ""), "\n"), "/groups/0/signin/outcome: maybe not in")
}

// TestSchemaDocumentsEveryKey: every key the JSON writer emits is
// declared in the schema where it appears (map keys of "kinds" aside).
func TestSchemaDocumentsEveryKey(t *testing.T) {
	schema := loadSchema(t)
	var walk func(sch map[string]any, v any, ptr string)
	walk = func(sch map[string]any, v any, ptr string) {
		if ref, ok := sch["$ref"].(string); ok {
			target, err := resolveRef(schema, ref)
			require.NoError(t, err)
			sch = target
		}
		switch v := v.(type) {
		case map[string]any:
			props, _ := sch["properties"].(map[string]any)
			if props == nil {
				return // a map such as kinds
			}
			for k, sub := range v {
				p, ok := props[k].(map[string]any)
				if assert.True(t, ok, "%s/%s is not in the schema", ptr, k) {
					walk(p, sub, ptr+"/"+k)
				}
			}
		case []any:
			items, _ := sch["items"].(map[string]any)
			for i, e := range v {
				walk(items, e, fmt.Sprintf("%s/%d", ptr, i))
			}
		}
	}
	for _, tc := range testCases {
		walk(schema, decodeAny(t, []byte(render(t, "json", tc.report()))), tc.name+":")
	}
}

func TestSchemaCheckerRejects(t *testing.T) {
	schema := loadSchema(t)
	tests := []struct {
		name   string
		mutate func(m map[string]any)
		want   string
	}{
		{"missing key", func(m map[string]any) { delete(m, "summary") }, `: missing required key "summary"`},
		{"null findings", func(m map[string]any) { m["findings"] = nil }, "/findings: want array, got null"},
		{"null errors", func(m map[string]any) {
			m["inputs"].([]any)[0].(map[string]any)["errors"] = nil
		}, "/inputs/0/errors: want array, got null"},
		{"string count", func(m map[string]any) {
			m["summary"].(map[string]any)["error"] = "1"
		}, "/summary/error: want integer, got string"},
		{"fractional", func(m map[string]any) {
			m["inputs"].([]any)[0].(map[string]any)["events"] = 1.5
		}, "/inputs/0/events: want integer, got number"},
		{"negative", func(m map[string]any) {
			m["signin"].(map[string]any)["attempts"] = -1.0
		}, "/signin/attempts: -1 below minimum 0"},
		{"bad severity", func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["severity"] = "fatal"
		}, "/findings/0/severity: fatal not in"},
		{"bad schema version", func(m map[string]any) { m["schema_version"] = 2.0 }, "/schema_version: want 1, got 2"},
		{"bad outcome", func(m map[string]any) {
			m["signin"].(map[string]any)["outcome"] = "maybe"
		}, "/signin/outcome: maybe not in"},
		{"bad offset", func(m map[string]any) {
			m["clock"].(map[string]any)["client_utc_offset"] = "2h"
		}, `/clock/client_utc_offset: "2h" does not match`},
		{"kinds count not a number", func(m map[string]any) {
			m["inputs"].([]any)[1].(map[string]any)["kinds"].(map[string]any)["sip"] = "many"
		}, "/inputs/1/kinds/sip: want integer, got string"},
		{"timeline without steps", func(m map[string]any) {
			delete(m["timeline"].([]any)[0].(map[string]any), "steps")
		}, `/timeline/0: missing required key "steps"`},
		{"deciding without excerpt", func(m map[string]any) {
			delete(m["findings"].([]any)[0].(map[string]any)["deciding"].(map[string]any), "excerpt")
		}, `/findings/0/deciding: missing required key "excerpt"`},
		{"ruled out without reason", func(m map[string]any) {
			delete(m["ruled_out"].([]any)[0].(map[string]any), "reason")
		}, `/ruled_out/0: missing required key "reason"`},
		{"evidence without excerpt", func(m map[string]any) {
			f := m["findings"].([]any)[0].(map[string]any)
			delete(f["evidence"].([]any)[0].(map[string]any), "excerpt")
		}, `/findings/0/evidence/0: missing required key "excerpt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := decodeAny(t, []byte(render(t, "json", findCase(t, "sip"))))
			require.Empty(t, checkSchema(schema, schema, v, ""), "the unmodified report is valid")
			tt.mutate(v.(map[string]any))
			errs := checkSchema(schema, schema, v, "")
			require.NotEmpty(t, errs)
			assert.Contains(t, strings.Join(errs, "\n"), tt.want)
		})
	}
}

// objectKeys walks a JSON document and returns, for each object, its
// JSON pointer (array indexes as "*") and its keys in document order.
func objectKeys(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	out := map[string][][]string{}
	var walk func(ptr string)
	walk = func(ptr string) {
		tok, err := dec.Token()
		require.NoError(t, err)
		switch tok {
		case json.Delim('{'):
			var keys []string
			for dec.More() {
				k, err := dec.Token()
				require.NoError(t, err)
				keys = append(keys, k.(string))
				walk(ptr + "/" + k.(string))
			}
			_, err := dec.Token()
			require.NoError(t, err)
			out[ptr] = append(out[ptr], keys)
		case json.Delim('['):
			for dec.More() {
				walk(ptr + "/*")
			}
			_, err := dec.Token()
			require.NoError(t, err)
		}
	}
	walk("")
	_, err := dec.Token()
	require.ErrorIs(t, err, io.EOF, "one JSON value only")
	return out
}

func TestJSONKeyOrder(t *testing.T) {
	// The contract's order, with the added keys where the model puts them;
	// optional keys are dropped from the expectation when absent.
	body := []string{"subject", "inputs", "findings", "ruled_out", "summary", "signin", "timeline", "clock", "missing", "groups"}
	want := map[string][]string{
		"":                       append([]string{"schema_version", "tool"}, body...),
		"/tool":                  {"name", "version"},
		"/subject":               {"client", "version", "user_agent", "address", "computer", "first", "last", "first_utc", "last_utc", "key"},
		"/inputs/*":              {"path", "format", "events", "first_time", "last_time", "errors", "kinds", "ruled_out"},
		"/inputs/*/kinds":        nil, // a map: its keys are sorted
		"/findings/*":            {"id", "title", "severity", "confidence", "message", "cause", "remedy", "links", "collect", "commands", "deciding", "evidence", "evidence_total"},
		"/findings/*/evidence/*": {"path", "line", "record_id", "time", "excerpt", "count"},
		"/findings/*/deciding":   {"path", "line", "record_id", "time", "excerpt", "count"},
		"/ruled_out/*":           {"id", "title", "rule", "path", "line", "reason"},
		"/summary":               {"findings", "error", "warning", "info"},
		"/signin":                {"outcome", "address", "attempts", "failures", "registers", "refusals", "errors", "last_time", "first_failure", "last_failure", "succeeded_at"},
		"/timeline/*":            {"n", "start", "start_utc", "end", "address", "steps", "outcome", "decisive", "path", "line", "findings"},
		"/timeline/*/steps/*":    {"time", "kind", "server", "detail", "path", "line"},
		"/clock":                 {"client_utc_offset", "source"},
		"/missing/*":             {"evidence", "why", "command"},
	}
	// A group holds what the report holds, without schema_version and tool.
	for ptr, keys := range maps.Clone(want) {
		if ptr != "" && ptr != "/tool" {
			want["/groups/*"+ptr] = keys
		}
	}
	want["/groups/*"] = body
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			got := objectKeys(t, []byte(render(t, "json", tc.report())))
			for ptr, objs := range got {
				order, ok := want[ptr]
				require.True(t, ok, "unexpected object at %s", ptr)
				for _, keys := range objs {
					if order == nil {
						assert.True(t, slices.IsSorted(keys), ptr)
						continue
					}
					if len(keys) == 0 {
						continue // an empty object: {"clock": {}} when the zone is unknown
					}
					expected := slices.DeleteFunc(slices.Clone(order), func(k string) bool { return !slices.Contains(keys, k) })
					assert.Equal(t, expected, keys, ptr)
				}
			}
		})
	}
}

func TestJSONNeverNull(t *testing.T) {
	r := &analyze.Report{
		SchemaVersion: analyze.SchemaVersion,
		Inputs:        []analyze.Input{{Path: "a.log", Format: "text"}},
		Findings:      []analyze.Finding{{ID: "SFB-X", Severity: analyze.SeverityInfo, Confidence: analyze.Possible}},
		SignIn:        analyze.SignIn{Outcome: analyze.OutcomeUnknown},
	}
	out := render(t, "json", r)
	assert.NotContains(t, out, "null")
	for _, key := range []string{"errors", "remedy", "links", "evidence"} {
		assert.Contains(t, out, `"`+key+`": []`)
	}
	assert.True(t, strings.HasSuffix(out, "}\n"), "ends with one newline")

	empty := render(t, "json", &analyze.Report{})
	assert.Contains(t, empty, `"inputs": []`)
	assert.Contains(t, empty, `"findings": []`)
}

// TestJSONRoundTrip decodes the JSON back into the model: nothing is lost
// or renamed.
func TestJSONRoundTrip(t *testing.T) {
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			var got analyze.Report
			dec := json.NewDecoder(strings.NewReader(render(t, "json", tc.report())))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&got))
			want := tc.report()
			// The JSON has [] where the model may hold nil.
			var norm func(want, got *analyze.Report)
			norm = func(want, got *analyze.Report) {
				if want.Findings == nil {
					want.Findings = []analyze.Finding{}
				}
				for i := range want.Inputs {
					if want.Inputs[i].Errors == nil {
						got.Inputs[i].Errors = nil
					}
				}
				for i := range want.Groups {
					norm(&want.Groups[i], &got.Groups[i])
				}
			}
			norm(want, &got)
			assert.Equal(t, want, &got)
		})
	}
}

func TestJSONIndentation(t *testing.T) {
	out := render(t, "json", findCase(t, "several"))
	for _, line := range lines(out) {
		indent := len(line) - len(strings.TrimLeft(line, " "))
		assert.Zero(t, indent%2, "two-space indentation: %q", line)
		assert.False(t, strings.HasPrefix(strings.TrimLeft(line, " "), "\t"))
	}
	assert.Contains(t, out, "\n  \"tool\": {\n    \"name\": \"sfblog\",")
}
