## Both apps

app-name = Glass
language-label = 語言
signin-heading = 登入
username-label = 使用者名稱
password-label = 密碼
signin-button = 登入
signing-in = 正在登入…
signin-missing = 請輸入使用者名稱和密碼。
signin-failed = 使用者名稱或密碼錯誤。
signin-with = 使用 { $provider } 登入
signin-or = 或
signin-provider-failed = 登入未成功。請再試一次。
server-unreachable = 無法連線到伺服器。請檢查網路後再試一次。
sign-out-button = 登出
signed-in-as = 目前使用者：{ $name }
leave-button = 離開
reconnect-button = 重新連線
link-lost-heading = 連線中斷
link-lost = 與伺服器的連線已中斷，工作階段已結束。
link-resuming = 與伺服器的連線中斷，正在重新連線…
peer-away = { $name } 的連線已中斷，正在等待對方回來…
ended-heading = 工作階段已結束
card-picture =
    .alt = { $name } 的相片
domain-verified = 已驗證
domain-unverified = 未驗證
card-vouched-note = ✓ 已由登入提供者確認

## Chat

chat-heading = 聊天
chat-log =
    .aria-label = 訊息
chat-empty = 尚無訊息。
chat-label = 訊息
chat-hint = 按 Enter 傳送，按 Shift+Enter 換行。
chat-send = 傳送
chat-length = { $count } / { $max }
chat-too-long = 太長：{ $count } / { $max }
chat-closed = 聊天已關閉。
chat-kept = 您的組織會將此聊天的文字保存在稽核記錄中。

## Helper app

helper-page-title = Glass — 遠端協助
helper-start-heading = 協助他人
helper-start-intro = 取得一組代碼，並告訴你要協助的人。
get-code-button = 取得代碼
code-heading = 你的代碼
code-where = 請對方開啟這個網址並輸入代碼：
copy-button = 複製
copied-button = 已複製
code-copied = 代碼已複製。
copy-failed = 無法複製，請把代碼唸給對方聽。
cancel-code-button = 取消
code-expires = { $time } 後到期
code-expired-heading = 代碼已到期
new-code-button = 取得新代碼
sharer-heading = 已加入的人
client-agent = 正在使用 Glass 應用程式
client-web = 正在使用網頁瀏覽器
choose-request-message = 請求 { $name } 讓你查看其螢幕。
request-view-button = 請求僅檢視
request-full-button = 請求完全控制
try-again-view-button = 再試一次
full-not-possible = 無法完全控制：網頁瀏覽器無法被遠端控制，你只能檢視。
waiting-approval-message = 正在等待 { $name } 回覆…
declined-declined = { $name } 已拒絕。
declined-timeout = { $name } 未及時回覆。
declined-not_supported = { $name } 無法在此裝置上授予控制權。
escalation-declined = { $name } 拒絕了完全控制。你仍可檢視。
escalation-timeout = { $name } 沒有回覆。你仍可檢視。
escalation-not_supported = { $name } 無法在此裝置上授予控制權。
stage-heading = 分享的螢幕
video-label = { $name } 的螢幕
keyboard-target =
    .aria-label = 分享螢幕的鍵盤輸入
level-view = 僅檢視
level-full = 你擁有控制權
release-button = 交還控制權
fullscreen-button = 全螢幕
# The helper picks which of the sharer's screens (monitors) to see.
display-label = 螢幕
display-all = 所有螢幕
agent-screen-legend = 要分享的螢幕
# Copy and paste with the sharer (full control only).
clipboard-send-button = 傳送我的剪貼簿
clipboard-received = 對方複製了文字（{ $count } 個字元）。
clipboard-copy-button = 複製到我的剪貼簿
clipboard-unavailable = 此瀏覽器不允許頁面使用剪貼簿。
keyboard-lock-unavailable = 在此瀏覽器中，Alt+Tab、Windows 鍵和 Esc 等系統快速鍵會留在你的電腦上。Chrome 和 Edge 在全螢幕時會將其傳送過去。
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = 此瀏覽器無法顯示或傳送分享的螢幕（不支援 WebRTC）。請使用 Chrome、Edge、Firefox 或 Safari。
exit-fullscreen-button = 結束全螢幕
overlay-connecting = 正在連線到螢幕…
overlay-paused = { $name } 已暫停分享。
video-failed = 視訊連線失敗。
left-left = { $name } 已離開工作階段。
left-lost = 與 { $name } 的連線已中斷。
left-stopped = { $name } 已停止分享。
left-expired = 工作階段已到期。
ended-self = 你已離開工作階段。

helper-state-idle = 取得代碼即可開始。
helper-state-waiting_sharer = 正在等待對方輸入代碼…
helper-state-expired = 代碼已到期。
helper-state-sharer_joined = { $name } 已加入。
helper-state-waiting_approval = 正在等待 { $name } 同意…
helper-state-declined = { $name } 已拒絕。
helper-state-connected = 已連線到 { $name }。
helper-state-paused = { $name } 已暫停分享。
helper-state-sharer_left = { $name } 已離開。
helper-state-ended = 工作階段已結束。

## Sharer app

sharer-page-title = Glass — 分享你的螢幕
sharing-page-title = ● 正在分享 — Glass
sharer-code-heading = 取得協助
code-label = 協助者提供的代碼
code-hint = 8 個英數字元，例如 4060 R0GX
code-bad-format = 代碼由 8 個英數字元組成。請檢查後再試一次。
join-button = 加入
helper-heading = 你的協助者
joined-message = { $name } 現在可以請求查看你的螢幕。未經你允許，不會分享任何內容。
consent-heading = { $name } 想查看你的螢幕
consent-explainer = 如果允許，你可以選擇要分享的內容：整個螢幕、視窗或分頁。{ $name } 只能檢視，無法控制。
choosing-message = 請在瀏覽器視窗中選擇要分享的內容。
allow-button = 允許
decline-button = 拒絕
capture-unsupported = 此瀏覽器無法分享螢幕。
capture-cancelled = 未分享任何內容。
sharing-banner = 你正在與 { $name } 分享螢幕（僅檢視）
sharing-banner-paused = 分享已暫停：{ $name } 看不到你的螢幕。
pause-button = 暫停
resume-button = 繼續
stop-button = 停止分享
preview-heading = 協助者看到的內容
preview-paused = 已暫停
view-only-note = 協助者能看到你分享的內容，但無法控制。
another-code-button = 輸入其他代碼
ended-stopped = 你已停止分享。
helper-left-left = { $name } 已離開工作階段。
helper-left-lost = 與 { $name } 的連線已中斷。
helper-left-stopped = { $name } 已結束工作階段。
helper-left-expired = 工作階段已到期。

sharer-state-idle = 請輸入協助者給你的代碼。
sharer-state-joining = 正在驗證代碼…
sharer-state-joined = 已連線到 { $name }。
sharer-state-asking = { $name } 請求查看你的螢幕。
sharer-state-choosing = 請選擇要分享的內容…
sharer-state-sharing = 正在與 { $name } 分享你的螢幕。
sharer-state-paused = 分享已暫停。
sharer-state-helper_left = { $name } 已離開。
sharer-state-ended = 工作階段已結束。

## Errors from the broker

error-malformed = 伺服器無法理解此要求。
error-unsupported_version = 此頁面已過時，請重新載入。
error-too_large = 訊息太大。
error-not_allowed = 目前無法執行此操作。
error-code_invalid = 此代碼無效。請檢查，或請求新的代碼。
error-locked_out = 錯誤代碼次數過多。請在 15 分鐘後再試一次。
error-busy = 服務忙碌中。請在一分鐘後再試一次。
error-chat_disabled = 你的組織已關閉聊天功能。
error-chat_invalid = 無法傳送此訊息。
error-rate_limited = 嘗試次數過多。請稍候再試。
error-internal = 發生問題。請再試一次。

## Agent approval page

agent-page-title = Glass — 分享確認
agent-no-secret = 請從 Glass 顯示的連結開啟此頁面。以這種方式開啟時，它無法執行任何動作。
agent-connecting = 正在連線到這台電腦上的 Glass…
agent-disconnected = 這台電腦上的 Glass 已停止。你可以關閉此頁面。
agent-joining = 正在加入工作階段…
agent-ask-view = { $name } 要求查看你的螢幕
agent-ask-full = { $name } 要求查看並控制你的螢幕
agent-explain-view = { $name } 將看到你的整個螢幕，但無法使用你的滑鼠或鍵盤。你可以隨時暫停或停止。
agent-explain-full = { $name } 將能使用你的滑鼠和鍵盤。你可以隨時收回控制權或停止。
agent-time-left = 剩餘回覆時間：{ $seconds } 秒
agent-expired = 未及時回覆：要求已被拒絕。
agent-declined = 你已拒絕。
agent-allowed = 你已允許。正在開始…
agent-banner-view = 正在與 { $name } 分享 — 僅檢視
agent-banner-full = 正在與 { $name } 分享 — 完全控制
agent-banner-paused = 正在與 { $name } 分享 — 已暫停
agent-takeback-button = 收回控制權
agent-action-failed = Glass 未接受此動作。請再試一次。
agent-close-page = 你可以關閉此頁面。
agent-ended-left = 工作階段已結束。
agent-ended-lost = 與你的協助者的連線已中斷。
agent-ended-stopped = 分享已停止。
agent-ended-expired = 工作階段已逾期。
agent-ended-broker_lost = 與伺服器的連線已中斷。
agent-ended-other = 工作階段已結束。

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = 你所屬組織的原則不允許此操作。
warnings-heading = 關於此裝置
warning-device_not_enrolled = 此裝置未在你的組織中註冊。請避免在上面輸入管理員認證資訊。
warning-device_not_compliant = 此裝置不符合規範：{ $reasons }。請避免在上面輸入管理員認證資訊。
warning-device_compliance_unknown = 無法確定此裝置是否符合規範。請避免在上面輸入管理員認證資訊。
warning-other = 你的組織已標記此裝置。請避免在上面輸入管理員認證資訊。
full-not-allowed = 無法完全控制：你所屬組織的原則只允許你檢視。
level-limited = 你所屬組織的原則現在只允許檢視。
declined-forbidden = 你所屬組織的原則已不再允許此請求。
escalation-forbidden = 你所屬組織的原則已不再允許完全控制。你仍可檢視。
left-revoked = 你所屬組織的原則已不再允許此協助工作階段。
helper-left-revoked = 你所屬組織的原則已不再允許此協助工作階段。
ended-revoked = 你所屬組織的原則已不再允許此協助工作階段。
agent-ended-revoked = 你所屬組織的原則已不再允許此協助工作階段。
sharer-request-forbidden = 請求已撤回：你所屬組織的原則已不再允許。
sharer-level-limited = 你所屬組織的原則現在只允許 { $name } 檢視。

## Reports page

reports-link = 報告
reports-page-title = Glass — 報告
reports-heading = 協助工作階段報告
reports-back = 返回遠端協助
reports-filter-heading = 篩選
reports-person-label = 人員（姓名或使用者 ID）
reports-device-label = 裝置
reports-from-label = 開始日期
reports-to-label = 結束日期
reports-show-button = 顯示工作階段
reports-download-csv = 下載 CSV
reports-download-json = 下載 JSON
reports-col-helper = 協助者
reports-col-sharer = 受協助者
reports-col-start = 開始
reports-col-end = 結束
reports-col-level = 權限
reports-col-ended = 結束方式
reports-transcript-button = 聊天記錄
reports-loading = 正在載入工作階段…
reports-empty = 沒有符合此篩選條件的工作階段。
reports-forbidden = 您無權檢視報告：貴組織的原則未授予您此權限。
reports-signed-out = 請登入以檢視報告。
reports-failed = 無法載入報告。請再試一次。
reports-bad-dates = 請檢查日期：結束日期不能早於開始日期。
reports-running = 未結束
reports-level-full = 完全控制
reports-level-view = 僅檢視
reports-level-none = 未授予任何權限
reports-ended-left = 有人離開
reports-ended-lost = 連線中斷
reports-ended-stopped = 分享已停止
reports-ended-expired = 代碼已過期
reports-ended-revoked = 因原則而結束
reports-ended-other = 已結束
reports-transcript-heading = 聊天記錄
reports-transcript-empty = 此工作階段的聊天中沒有任何內容。
reports-transcript-not-kept = 文字未保存：貴組織不保存聊天記錄。
reports-transcript-close = 關閉

## Identity binding

agent-identity-verified = 已在這台電腦上透過 { $issuer } 核實身分
agent-identity-broker = 身分僅由服務台伺服器擔保
agent-identity-unverified = 無法核實身分
helper-renewing-sign-in = 正在更新登入…
helper-identity-not-renewed = 無法在此瀏覽器中更新你的登入，因此你協助的人可能無法確認你的身分。請登出後再重新登入。
error-fingerprint_mismatch = Glass 已停止工作階段：連線並非來自你的協助者登入時使用的瀏覽器。
error-helper_unverified = Glass 無法確認你的協助者是誰，因此沒有讓對方加入。
error-relay_lost = 經由中繼伺服器的連線已中斷，您的協助者無法再看到您的螢幕。
