## Both apps

app-name = Glass
language-label = 언어
signin-heading = 로그인
username-label = 사용자 이름
password-label = 비밀번호
signin-button = 로그인
signing-in = 로그인 중…
signin-missing = 사용자 이름과 비밀번호를 입력하세요.
signin-failed = 사용자 이름 또는 비밀번호가 올바르지 않습니다.
signin-with = { $provider }(으)로 로그인
signin-or = 또는
signin-provider-failed = 로그인하지 못했습니다. 다시 시도하세요.
server-unreachable = 서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.
sign-out-button = 로그아웃
signed-in-as = { $name } 님으로 로그인됨
leave-button = 나가기
reconnect-button = 다시 연결
link-lost-heading = 연결 끊김
link-lost = 서버와의 연결이 끊겼습니다. 세션이 종료되었습니다.
link-resuming = 서버와의 연결이 중단되었습니다. 다시 연결하는 중…
peer-away = { $name } 님의 연결이 끊겼습니다. 돌아오기를 기다리는 중…
ended-heading = 세션 종료
card-picture =
    .alt = { $name } 님의 사진
domain-verified = 확인됨
domain-unverified = 확인되지 않음
card-vouched-note = ✓ 로그인 제공자가 확인함

## Chat

chat-heading = 채팅
chat-log =
    .aria-label = 메시지
chat-empty = 아직 메시지가 없습니다.
chat-label = 메시지
chat-hint = Enter 키로 보내고, Shift+Enter 키로 줄을 바꿉니다.
chat-send = 보내기
chat-length = { $count } / { $max }
chat-too-long = 너무 깁니다: { $count } / { $max }
chat-closed = 채팅이 종료되었습니다.
chat-kept = 조직에서 이 채팅의 내용을 감사 기록에 보관합니다.

## Helper app

helper-page-title = Glass — 원격 지원
helper-start-heading = 다른 사람 돕기
helper-start-intro = 코드를 받아 도와줄 사람에게 알려 주세요.
get-code-button = 코드 받기
code-heading = 내 코드
code-where = 상대방에게 이 주소를 열고 코드를 입력해 달라고 하세요:
copy-button = 복사
copied-button = 복사됨
code-copied = 코드를 복사했습니다.
copy-failed = 복사하지 못했습니다. 코드를 읽어 주세요.
cancel-code-button = 취소
code-expires = 남은 시간 { $time }
code-expired-heading = 코드 만료
new-code-button = 새 코드 받기
sharer-heading = 참여한 사람
client-agent = Glass 앱 사용 중
client-web = 웹 브라우저 사용 중
choose-request-message = { $name } 님에게 화면을 보여 달라고 요청하세요.
request-view-button = 보기만 요청
request-full-button = 전체 제어 요청
try-again-view-button = 다시 시도
full-not-possible = 전체 제어는 불가능합니다. 웹 브라우저는 원격으로 제어할 수 없으므로 보기만 할 수 있습니다.
waiting-approval-message = { $name } 님의 응답을 기다리는 중…
declined-declined = { $name } 님이 거절했습니다.
declined-timeout = { $name } 님이 제시간에 응답하지 않았습니다.
declined-not_supported = { $name } 님은 이 기기에서 제어 권한을 줄 수 없습니다.
escalation-declined = { $name } 님이 전체 제어를 거절했습니다. 계속 볼 수 있습니다.
escalation-timeout = { $name } 님이 응답하지 않았습니다. 계속 볼 수 있습니다.
escalation-not_supported = { $name } 님은 이 기기에서 제어 권한을 줄 수 없습니다.
stage-heading = 공유 화면
video-label = { $name } 님의 화면
keyboard-target =
    .aria-label = 공유 화면 키보드 입력
level-view = 보기만 가능
level-full = 제어 중
release-button = 제어 돌려주기
fullscreen-button = 전체 화면
# The helper picks which of the sharer's screens (monitors) to see.
display-label = 화면
display-all = 모든 화면
agent-screen-legend = 공유할 화면
# Copy and paste with the sharer (full control only).
clipboard-send-button = 내 클립보드 보내기
clipboard-received = 텍스트를 복사했습니다({ $count }자).
clipboard-copy-button = 내 클립보드에 복사
clipboard-unavailable = 이 브라우저는 페이지의 클립보드 사용을 허용하지 않습니다.
keyboard-lock-unavailable = 이 브라우저에서는 Alt+Tab, Windows 키, Esc 같은 시스템 단축키가 내 컴퓨터에 남습니다. Chrome과 Edge는 전체 화면에서 이를 전달합니다.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = 이 브라우저는 공유 화면을 표시하거나 보낼 수 없습니다(WebRTC 없음). Chrome, Edge, Firefox 또는 Safari를 사용하세요.
exit-fullscreen-button = 전체 화면 종료
overlay-connecting = 화면에 연결하는 중…
overlay-paused = { $name } 님이 공유를 일시 중지했습니다.
video-failed = 영상 연결에 실패했습니다.
left-left = { $name } 님이 세션에서 나갔습니다.
left-lost = { $name } 님과의 연결이 끊겼습니다.
left-stopped = { $name } 님이 공유를 중지했습니다.
left-expired = 세션이 만료되었습니다.
ended-self = 세션에서 나왔습니다.

helper-state-idle = 시작하려면 코드를 받으세요.
helper-state-waiting_sharer = 상대방이 코드를 입력하기를 기다리는 중…
helper-state-expired = 코드가 만료되었습니다.
helper-state-sharer_joined = { $name } 님이 참여했습니다.
helper-state-waiting_approval = { $name } 님의 승인을 기다리는 중…
helper-state-declined = { $name } 님이 거절했습니다.
helper-state-connected = { $name } 님과 연결되었습니다.
helper-state-paused = { $name } 님이 공유를 일시 중지했습니다.
helper-state-sharer_left = { $name } 님이 나갔습니다.
helper-state-ended = 세션이 종료되었습니다.

## Sharer app

sharer-page-title = Glass — 화면 공유
sharing-page-title = ● 공유 중 — Glass
sharer-code-heading = 도움 받기
code-label = 도우미에게 받은 코드
code-hint = 영문자와 숫자 8자, 예: 4060 R0GX
code-bad-format = 코드는 영문자와 숫자 8자입니다. 확인하고 다시 시도하세요.
join-button = 참여
helper-heading = 내 도우미
joined-message = 이제 { $name } 님이 화면을 보여 달라고 요청할 수 있습니다. 허용하기 전에는 아무것도 공유되지 않습니다.
consent-heading = { $name } 님이 화면을 보고 싶어 합니다
consent-explainer = 허용하면 공유할 대상(화면, 창, 탭)을 직접 고릅니다. { $name } 님은 볼 수만 있고 제어할 수는 없습니다.
choosing-message = 브라우저 창에서 공유할 대상을 고르세요.
allow-button = 허용
decline-button = 거절
capture-unsupported = 이 브라우저에서는 화면을 공유할 수 없습니다.
capture-cancelled = 아무것도 공유되지 않았습니다.
sharing-banner = { $name } 님과 화면을 공유하는 중 (보기만 가능)
sharing-banner-paused = 공유 일시 중지됨: { $name } 님에게 화면이 보이지 않습니다.
pause-button = 일시 중지
resume-button = 다시 시작
stop-button = 공유 중지
preview-heading = 도우미에게 보이는 화면
preview-paused = 일시 중지됨
view-only-note = 도우미는 공유한 내용을 볼 수 있지만 제어할 수는 없습니다.
another-code-button = 다른 코드 입력
ended-stopped = 공유를 중지했습니다.
helper-left-left = { $name } 님이 세션에서 나갔습니다.
helper-left-lost = { $name } 님과의 연결이 끊겼습니다.
helper-left-stopped = { $name } 님이 세션을 종료했습니다.
helper-left-expired = 세션이 만료되었습니다.

sharer-state-idle = 도우미에게 받은 코드를 입력하세요.
sharer-state-joining = 코드를 확인하는 중…
sharer-state-joined = { $name } 님과 연결되었습니다.
sharer-state-asking = { $name } 님이 화면을 보여 달라고 요청합니다.
sharer-state-choosing = 공유할 대상을 고르세요…
sharer-state-sharing = { $name } 님과 화면을 공유하는 중입니다.
sharer-state-paused = 공유가 일시 중지되었습니다.
sharer-state-helper_left = { $name } 님이 나갔습니다.
sharer-state-ended = 세션이 종료되었습니다.

## Errors from the broker

error-malformed = 서버가 요청을 이해하지 못했습니다.
error-unsupported_version = 이 페이지는 오래되었습니다. 새로 고치세요.
error-too_large = 메시지가 너무 큽니다.
error-not_allowed = 지금은 할 수 없습니다.
error-code_invalid = 유효하지 않은 코드입니다. 확인하거나 새 코드를 요청하세요.
error-locked_out = 잘못된 코드를 너무 많이 입력했습니다. 15분 후에 다시 시도하세요.
error-busy = 서비스가 혼잡합니다. 1분 후에 다시 시도하세요.
error-chat_disabled = 조직에서 채팅이 꺼져 있습니다.
error-chat_invalid = 이 메시지는 보낼 수 없습니다.
error-rate_limited = 시도 횟수가 너무 많습니다. 잠시 후 다시 시도하세요.
error-internal = 문제가 발생했습니다. 다시 시도하세요.

## Agent approval page

agent-page-title = Glass — 공유 승인
agent-no-secret = Glass가 출력한 링크로 이 페이지를 여세요. 이렇게 열면 아무것도 할 수 없습니다.
agent-connecting = 이 컴퓨터의 Glass에 연결하는 중…
agent-disconnected = 이 컴퓨터의 Glass가 중지되었습니다. 이 페이지를 닫아도 됩니다.
agent-joining = 세션에 참여하는 중…
agent-ask-view = { $name } 님이 화면 보기를 요청합니다
agent-ask-full = { $name } 님이 화면 보기 및 제어를 요청합니다
agent-explain-view = { $name } 님은 화면 전체를 보지만 마우스나 키보드는 사용할 수 없습니다. 언제든지 일시 중지하거나 중지할 수 있습니다.
agent-explain-full = { $name } 님이 마우스와 키보드를 사용할 수 있게 됩니다. 언제든지 제어권을 되찾거나 중지할 수 있습니다.
agent-time-left = 남은 응답 시간: { $seconds }초
agent-expired = 제때 응답하지 않아 요청이 거절되었습니다.
agent-declined = 거절했습니다.
agent-allowed = 허용했습니다. 시작하는 중…
agent-banner-view = { $name } 님과 공유 중 — 보기만 가능
agent-banner-full = { $name } 님과 공유 중 — 전체 제어
agent-banner-paused = { $name } 님과 공유 중 — 일시 중지됨
agent-takeback-button = 제어권 되찾기
agent-action-failed = Glass가 받아들이지 않았습니다. 다시 시도하세요.
agent-close-page = 이 페이지를 닫아도 됩니다.
agent-ended-left = 세션이 종료되었습니다.
agent-ended-lost = 도우미와의 연결이 끊겼습니다.
agent-ended-stopped = 공유가 중지되었습니다.
agent-ended-expired = 세션이 만료되었습니다.
agent-ended-broker_lost = 서버와의 연결이 끊겼습니다.
agent-ended-other = 세션이 종료되었습니다.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = 조직 정책에서 허용하지 않습니다.
warnings-heading = 이 기기 정보
warning-device_not_enrolled = 이 기기는 조직에 등록되지 않았습니다. 이 기기에서 관리자 자격 증명을 입력하지 마세요.
warning-device_not_compliant = 이 기기는 규정을 준수하지 않습니다: { $reasons }. 이 기기에서 관리자 자격 증명을 입력하지 마세요.
warning-device_compliance_unknown = 이 기기가 규정을 준수하는지 알 수 없습니다. 이 기기에서 관리자 자격 증명을 입력하지 마세요.
warning-other = 조직에서 이 기기를 표시했습니다. 이 기기에서 관리자 자격 증명을 입력하지 마세요.
full-not-allowed = 전체 제어는 불가능합니다. 조직 정책에서 보기만 허용합니다.
level-limited = 이제 조직 정책에서 보기만 허용합니다.
declined-forbidden = 조직 정책에서 더 이상 이 요청을 허용하지 않습니다.
escalation-forbidden = 조직 정책에서 더 이상 전체 제어를 허용하지 않습니다. 계속 볼 수 있습니다.
left-revoked = 조직 정책에서 더 이상 이 지원 세션을 허용하지 않습니다.
helper-left-revoked = 조직 정책에서 더 이상 이 지원 세션을 허용하지 않습니다.
ended-revoked = 조직 정책에서 더 이상 이 지원 세션을 허용하지 않습니다.
agent-ended-revoked = 조직 정책에서 더 이상 이 지원 세션을 허용하지 않습니다.
sharer-request-forbidden = 요청이 철회되었습니다. 조직 정책에서 더 이상 허용하지 않습니다.
sharer-level-limited = 이제 조직 정책에 따라 { $name } 님은 보기만 할 수 있습니다.

## Reports page

reports-link = 보고서
reports-page-title = Glass — 보고서
reports-heading = 지원 세션 보고서
reports-back = 원격 지원으로 돌아가기
reports-filter-heading = 필터
reports-person-label = 사람(이름 또는 사용자 ID)
reports-device-label = 기기
reports-from-label = 시작일
reports-to-label = 종료일
reports-show-button = 세션 보기
reports-download-csv = CSV 다운로드
reports-download-json = JSON 다운로드
reports-col-helper = 지원자
reports-col-sharer = 지원받은 사람
reports-col-start = 시작
reports-col-end = 종료
reports-col-level = 권한
reports-col-ended = 종료 방식
reports-transcript-button = 채팅 기록
reports-loading = 세션을 불러오는 중…
reports-empty = 이 필터와 일치하는 세션이 없습니다.
reports-forbidden = 보고서를 볼 수 없습니다. 조직 정책에서 이 권한을 부여하지 않았습니다.
reports-signed-out = 보고서를 보려면 로그인하세요.
reports-failed = 보고서를 불러오지 못했습니다. 다시 시도하세요.
reports-bad-dates = 날짜를 확인하세요. 종료일은 시작일보다 앞설 수 없습니다.
reports-running = 종료되지 않음
reports-level-full = 전체 제어
reports-level-view = 보기만
reports-level-none = 부여된 권한 없음
reports-ended-left = 한쪽이 나감
reports-ended-lost = 연결 끊김
reports-ended-stopped = 공유 중지됨
reports-ended-expired = 코드 만료
reports-ended-revoked = 정책에 의해 종료됨
reports-ended-other = 종료됨
reports-transcript-heading = 채팅 기록
reports-transcript-empty = 이 세션의 채팅에는 작성된 내용이 없습니다.
reports-transcript-not-kept = 텍스트가 보관되지 않음: 조직에서 채팅 기록을 보관하지 않습니다.
reports-transcript-close = 닫기

## Identity binding

agent-identity-verified = 이 컴퓨터에서 { $issuer }(으)로 신원을 확인함
agent-identity-broker = 헬프데스크 서버만 신원을 보증함
agent-identity-unverified = 신원을 확인할 수 없음
helper-renewing-sign-in = 로그인을 갱신하는 중…
helper-identity-not-renewed = 이 브라우저에서 로그인을 갱신하지 못해 도움받는 사람이 내 신원을 확인하지 못할 수 있습니다. 로그아웃한 다음 다시 로그인하세요.
error-fingerprint_mismatch = Glass가 세션을 중지했습니다. 연결이 도우미가 로그인한 브라우저에서 온 것이 아닙니다.
error-helper_unverified = Glass가 도우미의 신원을 확인할 수 없어 들어오지 못하게 했습니다.
error-relay_lost = 릴레이 서버를 통한 연결이 끊어져 도우미가 더 이상 화면을 볼 수 없습니다.
