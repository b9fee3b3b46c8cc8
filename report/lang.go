package report

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Languages lists the languages the writers speak besides English.
var Languages = []string{"ja"}

// lang renders the writers' own words in one language. The texts of
// findings (title, cause, remedy) come translated from the catalog.
//
// Every phrase a writer shows goes through t, f or count with a literal
// English phrase, which is the key of each language's table (japanese);
// TestTranslationsComplete checks that every such literal has a
// translation, and TestJapaneseHasNoEnglishLabels renders every format in
// Japanese and looks for English phrases left.
type lang struct{ ja bool }

func newLang(code string) lang { return lang{ja: code == "ja"} }

// t translates a fixed phrase; a phrase without a translation stays English.
func (l lang) t(s string) string {
	if l.ja {
		if v, ok := japanese()[s]; ok {
			return v
		}
	}
	return s
}

// f formats with the translated format string.
func (l lang) f(format string, a ...any) string { return fmt.Sprintf(l.t(format), a...) }

// count renders n with the phrase for one (n == 1) or for many; a phrase
// may hold n as %d or not at all ("once").
func (l lang) count(n int, one, many string) string {
	p := many
	if n == 1 {
		p = one
	}
	p = l.t(p)
	if strings.Contains(p, "%d") {
		return fmt.Sprintf(p, n)
	}
	return p
}

// validLang reports whether code names a language the writers speak.
func validLang(code string) bool {
	return code == "" || code == "en" || slices.Contains(Languages, code)
}

// japanese returns the writers' phrases in Japanese, keyed by the English;
// the table is built on first use.
// Terms follow Microsoft's ja-jp usage: サインイン (sign-in), 検出結果
// (finding), 重大度 (severity), 信頼度 (confidence), 証拠 (evidence), 原因
// (cause), 解決方法 (remedy, as in KB articles), 収集する情報 (what to
// collect), 試行 (attempt), 入力ファイル (input), コンピューター
// (computer), with a space between katakana words (サインイン アドレス).
var japanese = sync.OnceValue(func() map[string]string {
	return map[string]string{
		// verdict
		"Sign-in failed":                   "サインインに失敗しました",
		"Sign-in failed for %s":            "%s のサインインに失敗しました",
		"Sign-in succeeded":                "サインインに成功しました",
		"Sign-in succeeded for %s":         "%s のサインインに成功しました",
		"No sign-in attempt in the inputs": "入力ファイルにサインインの試行はありません",
		"Sign-in for %[1]s failed %[2]s between %[3]s and %[4]s, then succeeded at %[5]s": "%[1]s のサインインは %[3]s から %[4]s までに %[2]s失敗し、その後 %[5]s に成功しました",
		"Sign-in failed %[1]s between %[2]s and %[3]s, then succeeded at %[4]s":           "サインインは %[2]s から %[3]s までに %[1]s失敗し、その後 %[4]s に成功しました",
		"Sign-in for %[1]s failed %[2]s, then succeeded":                                  "%[1]s のサインインは %[2]s失敗し、その後成功しました",
		"Sign-in failed %s, then succeeded":                                               "サインインは %s失敗し、その後成功しました",
		"once":                                                                            "1 回",
		"%d times":                                                                        "%d 回",
		"%d users in these inputs: each is analysed on its own":                           "入力ファイルには %d 人のユーザーが含まれています。ユーザーごとに個別に分析します",
		"User %d of %d":                                                                   "ユーザー %d/%d",
		"User %d of %d: %s":                                                               "ユーザー %d/%d: %s",
		": ":                                                                              ": ",
		":":                                                                               ":",
		"no findings":                                                                     "検出結果なし",
		" (":                                                                              " (",
		", ":                                                                              "、",
		"; ":                                                                              "。",
		")":                                                                               ")",
		".":                                                                               "。",
		"%d finding":                                                                      "%d 件の検出結果",
		"%d findings":                                                                     "%d 件の検出結果",
		"%d error":                                                                        "エラー %d 件",
		"%d errors":                                                                       "エラー %d 件",
		"%d warning":                                                                      "警告 %d 件",
		"%d warnings":                                                                     "警告 %d 件",
		"%d info":                                                                         "情報 %d 件",
		"%d input":                                                                        "%d 個の入力ファイル",
		"%d inputs":                                                                       "%d 個の入力ファイル",
		"%d event":                                                                        "%d 件のイベント",
		"%d events":                                                                       "%d 件のイベント",
		"%d attempt":                                                                      "試行 %d 回",
		"%d attempts":                                                                     "試行 %d 回",
		"No known sign-in problem was found in %s (%s).": "%s (%s) に既知のサインインの問題は見つかりませんでした。",
		"%[1]d of %[2]d input could not be fully read":   "%[2]d 個中 %[1]d 個の入力ファイルを完全には読み取れませんでした",
		"%[1]d of %[2]d inputs could not be fully read":  "%[2]d 個中 %[1]d 個の入力ファイルを完全には読み取れませんでした",
		" (see Inputs below)":                            " (下の「入力ファイル」を参照)",
		"format not recognized":                          "形式を認識できません",
		"Generated by %s":                                "%s で作成",

		// enum values shown to a person
		"error":     "エラー",
		"warning":   "警告",
		"info":      "情報",
		"confirmed": "確定",
		"possible":  "可能性あり",
		"failed":    "失敗",
		"succeeded": "成功",
		"recovered": "失敗後に成功",
		"unknown":   "不明",

		// header
		"Client":                            "クライアント",
		"User agent":                        "ユーザー エージェント",
		"Sign-in address":                   "サインイン アドレス",
		"Computer":                          "コンピューター",
		"Evidence from":                     "証拠の期間",
		"%s to %s (as written in the logs)": "%s から %s まで (ログに記録された時刻)",
		"Evidence from (UTC)":               "証拠の期間 (UTC)",
		"%s to %s":                          "%s から %s まで",
		"Client clock":                      "クライアントの時計",
		"local time, UTC%s (%s)":            "ローカル時刻、UTC%s (%s)",
		"from the server Date headers":      "サーバーの Date ヘッダーから推定",
		"as given with --client-utc-offset": "--client-utc-offset で指定",
		"Sign-in":                           "サインイン",
		" (%d failed)":                      " (失敗 %d 回)",
		"%d REGISTER request":               "REGISTER 要求 %d 件",
		"%d REGISTER requests":              "REGISTER 要求 %d 件",
		"%d refusal by the server":          "サーバーによる拒否 %d 件",
		"%d refusals by the server":         "サーバーによる拒否 %d 件",
		"%d error shown to the user":        "ユーザーに表示されたエラー %d 件",
		"%d errors shown to the user":       "ユーザーに表示されたエラー %d 件",
		"; %d attempt found again in a copy of a log (counted once)":  "。ログの写しにあった同じ試行 %d 件は重複として数えない",
		"; %d attempts found again in a copy of a log (counted once)": "。ログの写しにあった同じ試行 %d 件は重複として数えない",
		"; deciding event at %s": "。判定に用いたイベント: %s",

		// what the inputs held
		"rules out %s": "%s を除外",
		"a copy of (part of) %s: its events are counted once, there": "%s (またはその一部) の写し: イベントはそちらで 1 回だけ数える",
		"%d SIP message":                   "SIP メッセージ %d 件",
		"%d SIP messages":                  "SIP メッセージ %d 件",
		"%d error text shown to the user":  "ユーザーに表示されたエラー テキスト %d 件",
		"%d error texts shown to the user": "ユーザーに表示されたエラー テキスト %d 件",
		"%d log warning or error":          "ログの警告またはエラー %d 件",
		"%d log warnings and errors":       "ログの警告またはエラー %d 件",
		"%d HRESULT code":                  "HRESULT コード %d 件",
		"%d HRESULT codes":                 "HRESULT コード %d 件",
		"%d event record":                  "イベント レコード %d 件",
		"%d event records":                 "イベント レコード %d 件",
		"%d DNS look-up":                   "DNS 参照 %d 件",
		"%d DNS look-ups":                  "DNS 参照 %d 件",
		"%d clock reading":                 "時計の状態 %d 件",
		"%d clock readings":                "時計の状態 %d 件",
		"%d registry value":                "レジストリ値 %d 件",
		"%d registry values":               "レジストリ値 %d 件",
		"%d proxy setting":                 "プロキシ設定 %d 件",
		"%d proxy settings":                "プロキシ設定 %d 件",
		"%d IP configuration":              "IP 構成 %d 件",
		"%d IP configurations":             "IP 構成 %d 件",
		"%d certificate":                   "証明書 %d 件",
		"%d certificates":                  "証明書 %d 件",
		"%d directory user":                "ディレクトリ ユーザー %d 件",
		"%d directory users":               "ディレクトリ ユーザー %d 件",
		"%d derived check":                 "派生チェック %d 件",
		"%d derived checks":                "派生チェック %d 件",

		// missing evidence
		"Missing evidence: collect it and run sfblog again": "不足している証拠: 収集してから sfblog をもう一度実行してください",
		"Client logs (UccApilog)":                           "クライアント ログ (UccApilog)",
		"Windows event logs":                                "Windows イベント ログ",
		"DNS look-ups":                                      "DNS 参照",
		"Clock state":                                       "時計の状態",
		"Registry export":                                   "レジストリのエクスポート",
		"Directory (AD) attributes":                         "ディレクトリ (AD) の属性",
		"IP configuration":                                  "IP 構成",
		"Proxy settings":                                    "プロキシ設定",
		"Certificates":                                      "証明書",

		// findings
		"SEVERITY":                   "重大度",
		"ID":                         "ID",
		"CONFIDENCE":                 "信頼度",
		"EVENTS":                     "イベント数",
		"DECIDING EVIDENCE":          "判定の根拠となった証拠",
		"TITLE":                      "タイトル",
		"Evidence:":                  "証拠:",
		"(seen %d times)":            "(%d 回出現)",
		"Also:":                      "その他:",
		"... and %d more":            "... ほか %d 件",
		"… and %d more":              "… ほか %d 件",
		"\"%s\"":                     "「%s」",
		"The user saw:":              "ユーザーに表示されたメッセージ:",
		"Cause:":                     "原因:",
		"To decide, collect:":        "判定のために収集する情報:",
		"Remedy:":                    "解決方法:",
		"Links:":                     "詳細情報:",
		"Evidence (%s):":             "証拠 (%s):",
		"Ruled out by the evidence:": "証拠により除外された原因:",
		"Ruled out by the evidence":  "証拠により除外された原因",
		"%s ruled out by %s":         "%s は %s の内容により除外されました",

		// timeline
		"Sign-in timeline (%s):": "サインインのタイムライン (%s):",
		"Sign-in timeline (%s)":  "サインインのタイムライン (%s)",
		"Sign-in timeline":       "サインインのタイムライン",
		"START":                  "開始",
		"OUTCOME":                "結果",
		"SERVERS":                "サーバー",
		"AUTHENTICATION":         "認証",
		"DECISIVE RESPONSE":      "結果を決めた応答",
		"SUPPORTS":               "裏付ける検出結果",
		"Servers:":               "サーバー:",
		"Authentication:":        "認証:",
		"Response:":              "応答:",
		"Servers, authentication and response as in attempt %s.": "サーバー、認証、応答は試行 %s と同じです。",
		"at %s":                 "場所: %s",
		"supports %s":           "裏付ける検出結果: %s",
		"(%d alike attempts)":   "(同様の試行 %d 回)",
		"%d alike attempts: %s": "同様の試行 %d 回: %s",
		"%d alike attempts: ":   "同様の試行 %d 回: ",
		"Attempt %d":            "試行 %d",
		"Attempts %d to %d":     "試行 %d から %d",
		"(the times could not be read: attempts are shown in order, evenly spaced)": "(時刻を読み取れないため、試行を順番に等間隔で表示しています)",
		"%d labels left out for room: hover a marker, or see the table.":            "スペースの都合で %d 個のラベルを省略しました。マーカーにポインターを合わせるか、表を参照してください。",

		// inputs
		"Inputs (%d):":        "入力ファイル (%d 個):",
		"Inputs":              "入力ファイル",
		"Inputs of this user": "このユーザーの入力ファイル",
		"No inputs.":          "入力ファイルはありません。",

		// markdown
		"# sfblog report": "# sfblog レポート",
		"| Severity | ID | Confidence | Title | Deciding evidence | Events |": "| 重大度 | ID | 信頼度 | タイトル | 判定の根拠となった証拠 | イベント数 |",
		"**Severity:** %s · **Confidence:** %s":                               "**重大度:** %s · **信頼度:** %s",
		"**Deciding evidence:**":                                              "**判定の根拠となった証拠:**",
		"**Cause:**":                                                          "**原因:**",
		"**What to collect to decide:**":                                      "**判定のために収集する情報:**",
		"**Remedy:**":                                                         "**解決方法:**",
		"**Links:**":                                                          "**詳細情報:**",
		"**Evidence** (%s):":                                                  "**証拠** (%s):",
		"| # | Start | Outcome | Servers | Authentication | Decisive response | Supports |": "| # | 開始 | 結果 | サーバー | 認証 | 結果を決めた応答 | 裏付ける検出結果 |",
		"| Path | Format | Events | Held | First | Last | Errors |":                         "| パス | 形式 | イベント数 | 内容 | 最初 | 最後 | エラー |",

		// html
		"sfblog report":              "sfblog レポート",
		"Path":                       "パス",
		"Format":                     "形式",
		"Events":                     "イベント数",
		"Held":                       "内容",
		"First":                      "最初",
		"Last":                       "最後",
		"Errors":                     "エラー",
		"Severity":                   "重大度",
		"Confidence":                 "信頼度",
		"Title":                      "タイトル",
		"Deciding evidence":          "判定の根拠となった証拠",
		"What to collect to decide:": "判定のために収集する情報:",
		"Start":                      "開始",
		"Outcome":                    "結果",
		"Servers":                    "サーバー",
		"Authentication":             "認証",
		"Decisive response":          "結果を決めた応答",
		"Supports":                   "裏付ける検出結果",
		"at":                         "場所:",
	}
})
