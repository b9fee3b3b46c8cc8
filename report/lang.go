package report

import (
	"fmt"
	"slices"
)

// Languages lists the languages the writers speak besides English.
var Languages = []string{"ja"}

// lang renders the writers' own words in one language. The texts of
// findings (title, cause, remedy) come translated from the catalog.
type lang struct{ ja bool }

func newLang(code string) lang { return lang{ja: code == "ja"} }

// t translates a fixed phrase; a phrase without a translation stays English.
func (l lang) t(s string) string {
	if l.ja {
		if v, ok := japanese[s]; ok {
			return v
		}
	}
	return s
}

// f formats with the translated format string.
func (l lang) f(format string, a ...any) string { return fmt.Sprintf(l.t(format), a...) }

// validLang reports whether code names a language the writers speak.
func validLang(code string) bool {
	return code == "" || code == "en" || slices.Contains(Languages, code)
}

// japanese holds the writers' phrases in Japanese, keyed by the English.
var japanese = map[string]string{
	// verdict
	"Sign-in failed":                      "サインインに失敗しました",
	"Sign-in succeeded":                   "サインインに成功しました",
	"No sign-in attempt in the inputs":    "入力にサインインの試行はありません",
	"%s for %s":                           "%s (%s)",
	": ":                                  ": ",
	"no findings":                         "検出なし",
	" (":                                  " (",
	", ":                                  "、",
	")":                                   ")",
	"finding":                             "件の検出",
	"error":                               "件のエラー",
	"warning":                             "件の警告",
	"info":                                "件の情報",
	"input":                               "件の入力",
	"event":                               "件のイベント",
	"matching event":                      "件の一致イベント",
	"REGISTER requests: %d, failures: %d": "REGISTER 要求: %d 件、失敗: %d 件",
	", deciding event at %s":              "、判定に用いたイベント: %s",
	".":                                   "。",
	"from the server Date headers":        "サーバーの Date ヘッダーから推定",
	"as given":                            "指定値",
	"Client log times are local, UTC%s (%s).":          "クライアント ログの時刻はローカル時刻 (UTC%s、%s) です。",
	"%d of %d inputs could not be fully read":          "%d 件中 %d 件の入力を完全には読み取れませんでした",
	"No known sign-in problem was found in %s (%s).":   "既知のサインインの問題は見つかりませんでした (%s、%s)。",
	"No known sign-in problem was found in %s (%s).\n": "既知のサインインの問題は見つかりませんでした (%s、%s)。\n",
	// markdown
	"# sfblog report": "# sfblog レポート",
	"| Severity | ID | Confidence | Title | Evidence |": "| 重大度 | ID | 確度 | タイトル | 証拠 |",
	"**Severity:** %s · **Confidence:** %s":             "**重大度:** %s · **確度:** %s",
	"The user saw:":                                     "ユーザーに表示されたメッセージ:",
	"**Cause:** ":                                       "**原因:** ",
	"**What to collect to decide:** ":                   "**判定のために収集するもの:** ",
	"**Remedy:**":                                       "**解決方法:**",
	"**Links:**":                                        "**リンク:**",
	"**Evidence** (%s):":                                "**証拠** (%s):",
	"… and %d more":                                     "… ほか %d 件",
	"## Inputs":                                         "## 入力",
	"No inputs.":                                        "入力はありません。",
	"| Path | Format | Events | First | Last | Errors |": "| パス | 形式 | イベント | 最初 | 最後 | エラー |",
	"Cause:":                "原因:",
	"To decide, collect:":   "判定のために収集するもの:",
	"Remedy:":               "解決方法:",
	"Links:":                "リンク:",
	"format not recognized": "形式を認識できません",
}
