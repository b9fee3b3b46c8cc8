package report

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usedPhrases returns every phrase the writers translate: the literal
// arguments of l.t, l.f and l.count in the package's Go files, and of t in
// the HTML template. A call with a phrase that is not a literal is an
// error: the tables could not be checked.
func usedPhrases(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{} // phrase -> where
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "lang.go" {
			continue // lang.go implements t, f and count
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "l" {
				return true
			}
			var args []ast.Expr
			switch sel.Sel.Name {
			case "t", "f":
				args = call.Args[:1]
			case "count":
				args = call.Args[1:3]
			default:
				return true
			}
			for _, a := range args {
				lit, ok := a.(*ast.BasicLit)
				if !assert.True(t, ok && lit.Kind == token.STRING, "%s: l.%s with a phrase that is not a literal", fset.Position(a.Pos()), sel.Sel.Name) {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				used[s] = fset.Position(a.Pos()).String()
			}
			return true
		})
	}
	tmpl, err := os.ReadFile("html.tmpl")
	require.NoError(t, err)
	for _, m := range regexp.MustCompile(`\{\{-?\s*t\s+("(?:[^"\\]|\\.)*")`).FindAllStringSubmatch(string(tmpl), -1) {
		s, err := strconv.Unquote(m[1])
		require.NoError(t, err)
		used[s] = "html.tmpl"
	}
	return used
}

// TestTranslationsComplete: every phrase a writer shows has a Japanese
// translation, and the table holds no phrase that nothing uses.
func TestTranslationsComplete(t *testing.T) {
	used := usedPhrases(t)
	require.Greater(t, len(used), 150, "the scan found the phrases")
	for p, where := range used {
		_, ok := japanese()[p]
		assert.True(t, ok, "%s: no Japanese for %q", where, p)
	}
	for p := range japanese() {
		_, ok := used[p]
		assert.True(t, ok, "the Japanese table has %q, which no writer uses", p)
	}
}

// verb matches a fmt verb of the phrases: %s, %d, %[2]s.
var verb = regexp.MustCompile(`%(\[\d+\])?[sd]`)

// TestTranslationsFormat: a translation takes the arguments of its
// English phrase, possibly in another order, and formats them all.
func TestTranslationsFormat(t *testing.T) {
	for en, ja := range japanese() {
		vs := verb.FindAllString(en, -1)
		args := make([]any, len(vs))
		for i, v := range vs {
			n := i
			if m := regexp.MustCompile(`\[(\d+)\]`).FindStringSubmatch(v); m != nil {
				k, _ := strconv.Atoi(m[1])
				n = k - 1
			}
			if strings.HasSuffix(v, "d") {
				args[n] = 100 + n
			} else {
				args[n] = fmt.Sprintf("<arg%d>", n)
			}
		}
		got := fmt.Sprintf(ja, args...)
		assert.NotContains(t, got, "%!", "%q -> %q", en, ja)
		for i, a := range args {
			assert.Contains(t, got, fmt.Sprint(a), "%q loses argument %d", ja, i+1)
		}
	}
}

// dataText collects every string of a value: what the report says in the
// inputs' and the catalog's words, which the writers show as they are.
func dataText(v reflect.Value, b *strings.Builder) {
	switch v.Kind() {
	case reflect.String:
		b.WriteString(v.String() + "\n")
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			dataText(v.Elem(), b)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			dataText(v.Field(i), b)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			dataText(v.Index(i), b)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			dataText(k, b)
			dataText(v.MapIndex(k), b)
		}
	}
}

// TestJapaneseHasNoEnglishLabels renders every report in every human
// format in Japanese and fails on any English phrase of the writers left
// in it. A phrase is looked for by its pieces between format verbs, of
// four letters or more, which the report's own data does not hold.
func TestJapaneseHasNoEnglishLabels(t *testing.T) {
	type render struct {
		format string
		width  int
	}
	renders := []render{{"table", 80}, {"table", 160}, {"markdown", 0}, {"html", 0}}
	letters := regexp.MustCompile(`[A-Za-z]`)
	for _, tc := range testCases {
		r := tc.report()
		var data strings.Builder
		dataText(reflect.ValueOf(r), &data)
		for _, rd := range renders {
			out := renderOpt(t, rd.format, tc.report(), Options{Lang: "ja", Width: rd.width})
			if rd.format == "html" {
				out = htmlText(t, out)
			}
			for en, ja := range japanese() {
				if en == ja {
					continue
				}
				for _, piece := range verb.Split(en, -1) {
					piece = strings.Trim(piece, " :;,.()*|#\"…")
					if len(letters.FindAllString(piece, -1)) < 4 || strings.Contains(data.String(), piece) {
						continue
					}
					assert.NotContains(t, out, piece, "%s %s %d: English %q left (from %q)", tc.name, rd.format, rd.width, piece, en)
				}
			}
		}
	}
}

// htmlText is the text a reader sees on an HTML page: the text of every
// element but the style sheet, and the titles.
func htmlText(t *testing.T, page string) string {
	var b strings.Builder
	for _, n := range htmlElements(t, page) {
		if n.Name != "style" {
			b.WriteString(n.Text + "\n")
		}
	}
	return b.String()
}
