## Both apps

app-name = Glass
language-label = 语言
signin-heading = 登录
username-label = 用户名
password-label = 密码
signin-button = 登录
signing-in = 正在登录…
signin-missing = 请输入用户名和密码。
signin-failed = 用户名或密码错误。
signin-with = 使用 { $provider } 登录
signin-or = 或
signin-provider-failed = 登录未成功。请重试。
server-unreachable = 无法连接服务器。请检查网络后重试。
sign-out-button = 退出登录
signed-in-as = 当前用户：{ $name }
leave-button = 离开
reconnect-button = 重新连接
link-lost-heading = 连接已断开
link-lost = 与服务器的连接已断开，会话已结束。
link-resuming = 与服务器的连接中断，正在重新连接…
peer-away = { $name } 的连接已断开，正在等待对方回来…
ended-heading = 会话已结束
card-picture =
    .alt = { $name } 的照片
domain-verified = 已验证
domain-unverified = 未验证
card-vouched-note = ✓ 已由登录提供方确认

## Chat

chat-heading = 聊天
chat-log =
    .aria-label = 消息
chat-empty = 还没有消息。
chat-label = 消息
chat-hint = 按 Enter 发送，按 Shift+Enter 换行。
chat-send = 发送
chat-length = { $count } / { $max }
chat-too-long = 太长：{ $count } / { $max }
chat-closed = 聊天已关闭。
chat-kept = 您的组织会将此聊天的文字保存在审计记录中。

## Helper app

helper-page-title = Glass — 远程协助
helper-start-heading = 帮助他人
helper-start-intro = 获取一个代码，并把它告诉你要帮助的人。
get-code-button = 获取代码
code-heading = 你的代码
code-where = 请对方打开此地址并输入代码：
copy-button = 复制
copied-button = 已复制
code-copied = 代码已复制。
copy-failed = 无法复制，请把代码读给对方。
cancel-code-button = 取消
code-expires = { $time } 后过期
code-expired-heading = 代码已过期
new-code-button = 获取新代码
sharer-heading = 已加入的人
client-agent = 正在使用 Glass 应用
client-web = 正在使用网页浏览器
choose-request-message = 请求 { $name } 让你查看其屏幕。
request-view-button = 请求仅查看
request-full-button = 请求完全控制
try-again-view-button = 重试
full-not-possible = 无法完全控制：网页浏览器不能被远程控制，你只能查看。
waiting-approval-message = 正在等待 { $name } 回复…
declined-declined = { $name } 已拒绝。
declined-timeout = { $name } 未及时回复。
declined-not_supported = { $name } 无法在此设备上授予控制权。
escalation-declined = { $name } 拒绝了完全控制。你仍可查看。
escalation-timeout = { $name } 没有回复。你仍可查看。
escalation-not_supported = { $name } 无法在此设备上授予控制权。
stage-heading = 共享屏幕
video-label = { $name } 的屏幕
keyboard-target =
    .aria-label = 共享屏幕的键盘输入
level-view = 仅查看
level-full = 你拥有控制权
release-button = 交还控制权
fullscreen-button = 全屏
# The helper picks which of the sharer's screens (monitors) to see.
display-label = 屏幕
display-all = 所有屏幕
agent-screen-legend = 要共享的屏幕
# Copy and paste with the sharer (full control only).
clipboard-send-button = 发送我的剪贴板
clipboard-received = 对方复制了文本（{ $count } 个字符）。
clipboard-copy-button = 复制到我的剪贴板
clipboard-unavailable = 此浏览器不允许页面使用剪贴板。
keyboard-lock-unavailable = 在此浏览器中，Alt+Tab、Windows 键和 Esc 等系统快捷键会留在你的电脑上。Chrome 和 Edge 在全屏时会将其传递过去。
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = 此浏览器无法显示或发送共享屏幕（不支持 WebRTC）。请使用 Chrome、Edge、Firefox 或 Safari。
exit-fullscreen-button = 退出全屏
overlay-connecting = 正在连接屏幕…
overlay-paused = { $name } 已暂停共享。
video-failed = 视频连接失败。
left-left = { $name } 已离开会话。
left-lost = 与 { $name } 的连接已断开。
left-stopped = { $name } 已停止共享。
left-expired = 会话已过期。
ended-self = 你已离开会话。

helper-state-idle = 获取代码即可开始。
helper-state-waiting_sharer = 正在等待对方输入代码…
helper-state-expired = 代码已过期。
helper-state-sharer_joined = { $name } 已加入。
helper-state-waiting_approval = 正在等待 { $name } 同意…
helper-state-declined = { $name } 已拒绝。
helper-state-connected = 已连接到 { $name }。
helper-state-paused = { $name } 已暂停共享。
helper-state-sharer_left = { $name } 已离开。
helper-state-ended = 会话已结束。

## Sharer app

sharer-page-title = Glass — 共享你的屏幕
sharing-page-title = ● 正在共享 — Glass
sharer-code-heading = 获取帮助
code-label = 协助者提供的代码
code-hint = 8 位字母和数字，例如 4060 R0GX
code-bad-format = 代码由 8 位字母和数字组成。请检查后重试。
join-button = 加入
helper-heading = 你的协助者
joined-message = { $name } 现在可以请求查看你的屏幕。未经你允许，不会共享任何内容。
consent-heading = { $name } 想查看你的屏幕
consent-explainer = 如果允许，你可以选择共享的内容：整个屏幕、窗口或标签页。{ $name } 只能查看，不能控制。
choosing-message = 请在浏览器窗口中选择要共享的内容。
allow-button = 允许
decline-button = 拒绝
capture-unsupported = 此浏览器无法共享屏幕。
capture-cancelled = 未共享任何内容。
sharing-banner = 你正在与 { $name } 共享屏幕（仅查看）
sharing-banner-paused = 共享已暂停：{ $name } 看不到你的屏幕。
pause-button = 暂停
resume-button = 继续
stop-button = 停止共享
preview-heading = 协助者看到的内容
preview-paused = 已暂停
view-only-note = 协助者能看到你共享的内容，但无法控制。
another-code-button = 输入其他代码
ended-stopped = 你已停止共享。
helper-left-left = { $name } 已离开会话。
helper-left-lost = 与 { $name } 的连接已断开。
helper-left-stopped = { $name } 已结束会话。
helper-left-expired = 会话已过期。

sharer-state-idle = 请输入协助者给你的代码。
sharer-state-joining = 正在验证代码…
sharer-state-joined = 已连接到 { $name }。
sharer-state-asking = { $name } 请求查看你的屏幕。
sharer-state-choosing = 请选择要共享的内容…
sharer-state-sharing = 正在与 { $name } 共享你的屏幕。
sharer-state-paused = 共享已暂停。
sharer-state-helper_left = { $name } 已离开。
sharer-state-ended = 会话已结束。

## Errors from the broker

error-malformed = 服务器无法理解该请求。
error-unsupported_version = 此页面已过时，请重新加载。
error-too_large = 消息太大。
error-not_allowed = 现在无法执行此操作。
error-code_invalid = 此代码无效。请检查，或请求新的代码。
error-locked_out = 错误代码次数过多。请在 15 分钟后重试。
error-busy = 服务繁忙。请在一分钟后重试。
error-chat_disabled = 你的组织已关闭聊天功能。
error-chat_invalid = 无法发送此消息。
error-rate_limited = 尝试次数过多。请稍候再试。
error-internal = 出现问题。请重试。

## Agent approval page

agent-page-title = Glass — 共享确认
agent-no-secret = 请通过 Glass 显示的链接打开此页面。以这种方式打开时，它无法执行任何操作。
agent-connecting = 正在连接此电脑上的 Glass…
agent-disconnected = 此电脑上的 Glass 已停止。你可以关闭此页面。
agent-joining = 正在加入会话…
agent-ask-view = { $name } 请求查看你的屏幕
agent-ask-full = { $name } 请求查看并控制你的屏幕
agent-explain-view = { $name } 将看到你的整个屏幕，但无法使用你的鼠标或键盘。你可以随时暂停或停止。
agent-explain-full = { $name } 将能够使用你的鼠标和键盘。你可以随时收回控制权或停止。
agent-time-left = 剩余答复时间：{ $seconds } 秒
agent-expired = 未及时答复：请求已被拒绝。
agent-declined = 你已拒绝。
agent-allowed = 你已允许。正在开始…
agent-banner-view = 正在与 { $name } 共享 — 仅查看
agent-banner-full = 正在与 { $name } 共享 — 完全控制
agent-banner-paused = 正在与 { $name } 共享 — 已暂停
agent-takeback-button = 收回控制权
agent-action-failed = Glass 未接受此操作。请重试。
agent-close-page = 你可以关闭此页面。
agent-ended-left = 会话已结束。
agent-ended-lost = 与你的协助者的连接已断开。
agent-ended-stopped = 共享已停止。
agent-ended-expired = 会话已过期。
agent-ended-broker_lost = 与服务器的连接已断开。
agent-ended-other = 会话已结束。

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = 你所在组织的策略不允许此操作。
warnings-heading = 关于此设备
warning-device_not_enrolled = 此设备未在你的组织中注册。请避免在上面输入管理员凭据。
warning-device_not_compliant = 此设备不合规：{ $reasons }。请避免在上面输入管理员凭据。
warning-device_compliance_unknown = 不确定此设备是否合规。请避免在上面输入管理员凭据。
warning-other = 你的组织已标记此设备。请避免在上面输入管理员凭据。
full-not-allowed = 无法完全控制：你所在组织的策略只允许你查看。
level-limited = 你所在组织的策略现在只允许查看。
declined-forbidden = 你所在组织的策略已不再允许此请求。
escalation-forbidden = 你所在组织的策略已不再允许完全控制。你仍可查看。
left-revoked = 你所在组织的策略已不再允许此协助会话。
helper-left-revoked = 你所在组织的策略已不再允许此协助会话。
ended-revoked = 你所在组织的策略已不再允许此协助会话。
agent-ended-revoked = 你所在组织的策略已不再允许此协助会话。
sharer-request-forbidden = 请求已撤回：你所在组织的策略已不再允许。
sharer-level-limited = 你所在组织的策略现在只允许 { $name } 查看。

## Reports page

reports-link = 报告
reports-page-title = Glass — 报告
reports-heading = 协助会话报告
reports-back = 返回远程协助
reports-filter-heading = 筛选
reports-person-label = 人员（姓名或用户 ID）
reports-device-label = 设备
reports-from-label = 开始日期
reports-to-label = 结束日期
reports-show-button = 显示会话
reports-download-csv = 下载 CSV
reports-download-json = 下载 JSON
reports-col-helper = 协助者
reports-col-sharer = 受助者
reports-col-start = 开始
reports-col-end = 结束
reports-col-level = 权限
reports-col-ended = 结束方式
reports-transcript-button = 聊天记录
reports-loading = 正在加载会话…
reports-empty = 没有符合此筛选条件的会话。
reports-forbidden = 您无权查看报告：您所在组织的策略未授予您此权限。
reports-signed-out = 请登录以查看报告。
reports-failed = 无法加载报告。请重试。
reports-bad-dates = 请检查日期：结束日期不能早于开始日期。
reports-running = 未结束
reports-level-full = 完全控制
reports-level-view = 仅查看
reports-level-none = 未授予任何权限
reports-ended-left = 有人离开
reports-ended-lost = 连接中断
reports-ended-stopped = 共享已停止
reports-ended-expired = 代码已过期
reports-ended-revoked = 因策略结束
reports-ended-other = 已结束
reports-transcript-heading = 聊天记录
reports-transcript-empty = 此会话的聊天中没有任何内容。
reports-transcript-not-kept = 文本未保存：您所在的组织不保存聊天记录。
reports-transcript-close = 关闭

## Identity binding

agent-identity-verified = 已在此计算机上通过 { $issuer } 核实身份
agent-identity-broker = 身份仅由帮助台服务器担保
agent-identity-unverified = 无法核实身份
helper-renewing-sign-in = 正在续订登录…
helper-identity-not-renewed = 无法在此浏览器中续订你的登录，因此你帮助的人可能无法确认你的身份。请退出后重新登录。
error-fingerprint_mismatch = Glass 已停止会话：连接并非来自你的协助者登录时使用的浏览器。
error-helper_unverified = Glass 无法确认你的协助者是谁，因此没有让其加入。
error-relay_lost = 经由中继服务器的连接已断开，您的协助者无法再看到您的屏幕。
