## Both apps

app-name = Glass
language-label = 言語
signin-heading = サインイン
username-label = ユーザー名
password-label = パスワード
signin-button = サインイン
signing-in = サインインしています…
signin-missing = ユーザー名とパスワードを入力してください。
signin-failed = ユーザー名またはパスワードが正しくありません。
signin-with = { $provider } でサインイン
signin-or = または
signin-provider-failed = サインインできませんでした。もう一度お試しください。
server-unreachable = サーバーに接続できません。接続を確認してもう一度お試しください。
sign-out-button = サインアウト
signed-in-as = { $name } としてサインイン中
leave-button = 退出
reconnect-button = 再接続
link-lost-heading = 接続が切れました
link-lost = サーバーとの接続が切れました。セッションは終了しました。
link-resuming = サーバーとの接続が中断されました。再接続しています…
peer-away = { $name } さんの接続が切れました。戻るのを待っています…
ended-heading = セッション終了
card-picture =
    .alt = { $name } の写真
domain-verified = 確認済み
domain-unverified = 未確認
card-vouched-note = ✓ サインインプロバイダーが確認済み

## Chat

chat-heading = チャット
chat-log =
    .aria-label = メッセージ
chat-empty = メッセージはまだありません。
chat-label = メッセージ
chat-hint = Enter で送信、Shift+Enter で改行します。
chat-send = 送信
chat-length = { $count } / { $max }
chat-too-long = 長すぎます: { $count } / { $max }
chat-closed = チャットは終了しました。
chat-kept = 組織はこのチャットの内容を監査ログに保存します。

## Helper app

helper-page-title = Glass — リモートサポート
helper-start-heading = サポートを始める
helper-start-intro = コードを取得して、サポートする相手に伝えてください。
get-code-button = コードを取得
code-heading = あなたのコード
code-where = 相手にこのアドレスを開いてコードを入力してもらってください:
copy-button = コピー
copied-button = コピーしました
code-copied = コードをコピーしました。
copy-failed = コピーできませんでした。コードを読み上げてください。
cancel-code-button = キャンセル
code-expires = 有効期限まで { $time }
code-expired-heading = コードの有効期限切れ
new-code-button = 新しいコードを取得
sharer-heading = 参加した人
client-agent = Glass アプリを使用中
client-web = ウェブブラウザーを使用中
choose-request-message = { $name } さんに画面を見せてもらうよう依頼してください。
request-view-button = 表示のみを依頼
request-full-button = フル操作を依頼
try-again-view-button = もう一度試す
full-not-possible = フル操作はできません。ウェブブラウザーは遠隔操作できないため、表示のみになります。
waiting-approval-message = { $name } さんの応答を待っています…
declined-declined = { $name } さんが拒否しました。
declined-timeout = { $name } さんから時間内に応答がありませんでした。
declined-not_supported = { $name } さんはこのデバイスから操作を許可できません。
escalation-declined = { $name } さんがフル操作を拒否しました。表示は続けられます。
escalation-timeout = { $name } さんから応答がありませんでした。表示は続けられます。
escalation-not_supported = { $name } さんはこのデバイスから操作を許可できません。
stage-heading = 共有画面
video-label = { $name } さんの画面
keyboard-target =
    .aria-label = 共有画面へのキーボード入力
level-view = 表示のみ
level-full = 操作できます
release-button = 操作を返す
fullscreen-button = 全画面
# The helper picks which of the sharer's screens (monitors) to see.
display-label = 画面
display-all = すべての画面
agent-screen-legend = 共有する画面
# Copy and paste with the sharer (full control only).
clipboard-send-button = クリップボードを送る
clipboard-received = テキストがコピーされました（{ $count } 文字）。
clipboard-copy-button = 自分のクリップボードにコピー
clipboard-unavailable = このブラウザーではページからクリップボードを使えません。
keyboard-lock-unavailable = このブラウザーでは、Alt+Tab、Windows キー、Esc などのシステム ショートカットはお使いのコンピューターに留まります。Chrome と Edge では全画面表示のときに送信されます。
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = このブラウザーでは共有画面を表示も送信もできません（WebRTC がありません）。Chrome、Edge、Firefox、Safari をお使いください。
exit-fullscreen-button = 全画面を終了
overlay-connecting = 画面に接続しています…
overlay-paused = { $name } さんが共有を一時停止しました。
video-failed = ビデオ接続に失敗しました。
left-left = { $name } さんがセッションを退出しました。
left-lost = { $name } さんとの接続が切れました。
left-stopped = { $name } さんが共有を停止しました。
left-expired = セッションの有効期限が切れました。
ended-self = セッションを退出しました。

helper-state-idle = コードを取得して始めましょう。
helper-state-waiting_sharer = 相手がコードを入力するのを待っています…
helper-state-expired = コードの有効期限が切れました。
helper-state-sharer_joined = { $name } さんが参加しました。
helper-state-waiting_approval = { $name } さんの承認を待っています…
helper-state-declined = { $name } さんが拒否しました。
helper-state-connected = { $name } さんと接続しました。
helper-state-paused = { $name } さんが共有を一時停止しました。
helper-state-sharer_left = { $name } さんが退出しました。
helper-state-ended = セッションは終了しました。

## Sharer app

sharer-page-title = Glass — 画面を共有
sharing-page-title = ● 共有中 — Glass
sharer-code-heading = サポートを受ける
code-label = サポート担当者から伝えられたコード
code-hint = 英数字 8 文字 (例: 4060 R0GX)
code-bad-format = コードは英数字 8 文字です。確認してもう一度お試しください。
join-button = 参加
helper-heading = サポート担当者
joined-message = { $name } さんが画面の表示を依頼できるようになりました。許可するまで何も共有されません。
consent-heading = { $name } さんが画面の表示を求めています
consent-explainer = 許可すると、共有するもの (画面、ウィンドウ、タブ) を選べます。{ $name } さんは見ることはできますが、操作はできません。
choosing-message = ブラウザーのウィンドウで共有するものを選んでください。
allow-button = 許可
decline-button = 拒否
capture-unsupported = このブラウザーでは画面を共有できません。
capture-cancelled = 何も共有されませんでした。
sharing-banner = { $name } さんに画面を共有しています (表示のみ)
sharing-banner-paused = 共有を一時停止中: { $name } さんには画面が見えていません。
pause-button = 一時停止
resume-button = 再開
stop-button = 共有を停止
preview-heading = サポート担当者に見えている画面
preview-paused = 一時停止中
view-only-note = サポート担当者は共有された画面を見られますが、操作はできません。
another-code-button = 別のコードを入力
ended-stopped = 共有を停止しました。
helper-left-left = { $name } さんがセッションを退出しました。
helper-left-lost = { $name } さんとの接続が切れました。
helper-left-stopped = { $name } さんがセッションを終了しました。
helper-left-expired = セッションの有効期限が切れました。

sharer-state-idle = サポート担当者から伝えられたコードを入力してください。
sharer-state-joining = コードを確認しています…
sharer-state-joined = { $name } さんと接続しました。
sharer-state-asking = { $name } さんが画面の表示を求めています。
sharer-state-choosing = 共有するものを選んでください…
sharer-state-sharing = { $name } さんに画面を共有しています。
sharer-state-paused = 共有を一時停止中です。
sharer-state-helper_left = { $name } さんが退出しました。
sharer-state-ended = セッションは終了しました。

## Errors from the broker

error-malformed = サーバーが要求を理解できませんでした。
error-unsupported_version = このページは古くなっています。再読み込みしてください。
error-too_large = メッセージが大きすぎます。
error-not_allowed = 現在は実行できません。
error-code_invalid = このコードは無効です。確認するか、新しいコードを依頼してください。
error-locked_out = 間違ったコードが多すぎます。15 分後にもう一度お試しください。
error-busy = サービスが混み合っています。1 分後にもう一度お試しください。
error-chat_disabled = 組織でチャットが無効になっています。
error-chat_invalid = このメッセージは送信できません。
error-rate_limited = 試行回数が多すぎます。しばらく待ってからもう一度お試しください。
error-internal = 問題が発生しました。もう一度お試しください。

## Agent approval page

agent-page-title = Glass — 共有の承認
agent-no-secret = Glass が表示したリンクからこのページを開いてください。このままでは何もできません。
agent-connecting = このコンピューターの Glass に接続しています…
agent-disconnected = このコンピューターの Glass は停止しました。このページは閉じてかまいません。
agent-joining = セッションに参加しています…
agent-ask-view = { $name } さんが画面の表示を求めています
agent-ask-full = { $name } さんが画面の表示と操作を求めています
agent-explain-view = { $name } さんには画面全体が見えますが、マウスやキーボードは使えません。いつでも一時停止または停止できます。
agent-explain-full = { $name } さんがマウスとキーボードを使えるようになります。いつでも操作を取り戻すか、停止できます。
agent-time-left = 回答までの残り時間: { $seconds } 秒
agent-expired = 時間内に回答がなかったため、依頼は拒否されました。
agent-declined = 拒否しました。
agent-allowed = 許可しました。開始しています…
agent-banner-view = { $name } さんと共有中 — 表示のみ
agent-banner-full = { $name } さんと共有中 — フル操作
agent-banner-paused = { $name } さんと共有中 — 一時停止
agent-takeback-button = 操作を取り戻す
agent-action-failed = Glass に受け付けられませんでした。もう一度お試しください。
agent-close-page = このページは閉じてかまいません。
agent-ended-left = セッションは終了しました。
agent-ended-lost = サポート担当者との接続が切れました。
agent-ended-stopped = 共有を停止しました。
agent-ended-expired = セッションの有効期限が切れました。
agent-ended-broker_lost = サーバーとの接続が切れました。
agent-ended-other = セッションは終了しました。

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = 組織のポリシーで許可されていません。
warnings-heading = このデバイスについて
warning-device_not_enrolled = このデバイスは組織に登録されていません。ここで管理者の資格情報を入力しないでください。
warning-device_not_compliant = このデバイスはコンプライアンスに準拠していません：{ $reasons }。ここで管理者の資格情報を入力しないでください。
warning-device_compliance_unknown = このデバイスがコンプライアンスに準拠しているかは不明です。ここで管理者の資格情報を入力しないでください。
warning-other = 組織がこのデバイスに警告を付けています。ここで管理者の資格情報を入力しないでください。
full-not-allowed = フル操作はできません。組織のポリシーで表示のみ許可されています。
level-limited = 組織のポリシーにより、表示のみになりました。
declined-forbidden = 組織のポリシーにより、この依頼は許可されなくなりました。
escalation-forbidden = 組織のポリシーにより、フル操作は許可されなくなりました。表示は続けられます。
left-revoked = 組織のポリシーにより、このサポートセッションは許可されなくなりました。
helper-left-revoked = 組織のポリシーにより、このサポートセッションは許可されなくなりました。
ended-revoked = 組織のポリシーにより、このサポートセッションは許可されなくなりました。
agent-ended-revoked = 組織のポリシーにより、このサポートセッションは許可されなくなりました。
sharer-request-forbidden = 依頼は取り下げられました。組織のポリシーで許可されなくなりました。
sharer-level-limited = 組織のポリシーにより、{ $name } さんは表示のみになりました。

## Reports page

reports-link = レポート
reports-page-title = Glass — レポート
reports-heading = サポートセッションのレポート
reports-back = リモートサポートに戻る
reports-filter-heading = 絞り込み
reports-person-label = 人（名前またはユーザー ID）
reports-device-label = デバイス
reports-from-label = 開始日
reports-to-label = 終了日
reports-show-button = セッションを表示
reports-download-csv = CSV をダウンロード
reports-download-json = JSON をダウンロード
reports-col-helper = サポート担当者
reports-col-sharer = サポートを受けた人
reports-col-start = 開始
reports-col-end = 終了
reports-col-level = アクセス
reports-col-ended = 終了の理由
reports-transcript-button = チャット記録
reports-loading = セッションを読み込んでいます…
reports-empty = この条件に一致するセッションはありません。
reports-forbidden = レポートを表示できません。組織のポリシーでこの権限が与えられていません。
reports-signed-out = レポートを表示するにはサインインしてください。
reports-failed = レポートを読み込めませんでした。もう一度お試しください。
reports-bad-dates = 日付を確認してください。終了日を開始日より前にすることはできません。
reports-running = 未終了
reports-level-full = フルコントロール
reports-level-view = 表示のみ
reports-level-none = 許可なし
reports-ended-left = どちらかが退出
reports-ended-lost = 接続が切れました
reports-ended-stopped = 共有を停止
reports-ended-expired = コードの期限切れ
reports-ended-revoked = ポリシーにより終了
reports-ended-other = 終了
reports-transcript-heading = チャット記録
reports-transcript-empty = このセッションのチャットには何も書き込まれていません。
reports-transcript-not-kept = テキストは保存されていません。組織はチャット記録を保存していません。
reports-transcript-close = 閉じる

## Identity binding

agent-identity-verified = このコンピューターで { $issuer } により本人確認済み
agent-identity-broker = 本人確認はヘルプデスクのサーバーによる保証のみ
agent-identity-unverified = 本人確認ができませんでした
helper-renewing-sign-in = サインインを更新しています…
helper-identity-not-renewed = このブラウザーでサインインを更新できなかったため、サポート相手があなたの本人確認をできない可能性があります。サインアウトしてから、もう一度サインインしてください。
error-fingerprint_mismatch = Glass はセッションを停止しました。接続がサポート担当者のサインインしたブラウザーからのものではありませんでした。
error-helper_unverified = Glass はサポート担当者の本人確認ができなかったため、接続を許可しませんでした。
error-relay_lost = リレーサーバー経由の接続が失われたため、ヘルパーはあなたの画面を見られなくなりました。
