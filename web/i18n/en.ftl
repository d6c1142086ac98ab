# Glass: helper and sharer web apps. English is the reference catalogue: every other
# catalogue has exactly these messages, with the same placeables ({ $name }, ...).
# $name is always a person's name (the other side's, or one's own in signed-in-as).

## Both apps

app-name = Glass
language-label = Language
signin-heading = Sign in
username-label = Username
password-label = Password
signin-button = Sign in
signing-in = Signing in…
signin-missing = Enter your username and password.
signin-failed = Wrong username or password.
signin-with = Sign in with { $provider }
signin-or = or
signin-provider-failed = Sign-in did not succeed. Try again.
server-unreachable = Cannot reach the server. Check your connection and try again.
sign-out-button = Sign out
signed-in-as = Signed in as { $name }
leave-button = Leave
reconnect-button = Reconnect
link-lost-heading = Connection lost
link-lost = The connection to the server was lost. The session has ended.
link-resuming = The connection to the server was interrupted. Reconnecting…
peer-away = { $name } lost their connection — waiting for them to come back…
ended-heading = Session ended
card-picture =
    .alt = Picture of { $name }
domain-verified = verified
domain-unverified = not verified
card-vouched-note = ✓ confirmed by the sign-in provider

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Messages
chat-empty = No messages yet.
chat-label = Message
chat-hint = Enter sends, Shift+Enter starts a new line.
chat-send = Send
chat-length = { $count } / { $max }
chat-too-long = Too long: { $count } / { $max }
chat-closed = The chat is closed.
chat-kept = Your organisation keeps the text of this chat in its audit trail.

## Helper app

helper-page-title = Glass — remote help
helper-start-heading = Help someone
helper-start-intro = Get a code and give it to the person you are helping.
get-code-button = Get a code
code-heading = Your code
code-where = Ask them to open this address and enter the code:
copy-button = Copy
copied-button = Copied
code-copied = The code is copied.
copy-failed = Could not copy. Read the code out instead.
cancel-code-button = Cancel
code-expires = Expires in { $time }
code-expired-heading = Code expired
new-code-button = Get a new code
sharer-heading = Who joined
client-agent = Using the Glass app
client-web = Using a web browser
choose-request-message = Ask { $name } to let you see their screen.
request-view-button = Request view only
request-full-button = Request full control
try-again-view-button = Try again
full-not-possible = Full control is not possible: a web browser cannot be controlled remotely. You can only view.
waiting-approval-message = Waiting for { $name } to answer…
declined-declined = { $name } declined.
declined-timeout = { $name } did not answer in time.
declined-not_supported = { $name } cannot give control from this device.
escalation-declined = { $name } declined full control. You can still view.
escalation-timeout = { $name } did not answer. You can still view.
escalation-not_supported = { $name } cannot give control from this device.
stage-heading = Shared screen
video-label = Screen of { $name }
keyboard-target =
    .aria-label = Keyboard input for the shared screen
level-view = View only
level-full = You have control
release-button = Give back control
fullscreen-button = Full screen
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Screen
display-all = All screens
agent-screen-legend = Screen to share
# Copy and paste with the sharer (full control only).
clipboard-send-button = Send my clipboard
clipboard-received = They copied text ({ $count } characters).
clipboard-copy-button = Copy to my clipboard
clipboard-unavailable = This browser does not let the page use the clipboard.
keyboard-lock-unavailable = In this browser, system shortcuts such as Alt+Tab, the Windows key and Escape stay on your computer. Chrome and Edge pass them on in full screen.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = This browser cannot show or send a shared screen (it has no WebRTC). Use Chrome, Edge, Firefox or Safari.
exit-fullscreen-button = Exit full screen
overlay-connecting = Connecting to the screen…
overlay-paused = { $name } paused sharing.
video-failed = The video connection failed.
left-left = { $name } left the session.
left-lost = The connection to { $name } was lost.
left-stopped = { $name } stopped sharing.
left-expired = The session expired.
ended-self = You left the session.

helper-state-idle = Get a code to start.
helper-state-waiting_sharer = Waiting for the other person to enter the code…
helper-state-expired = The code has expired.
helper-state-sharer_joined = { $name } has joined.
helper-state-waiting_approval = Waiting for { $name } to approve…
helper-state-declined = { $name } declined.
helper-state-connected = Connected to { $name }.
helper-state-paused = { $name } paused sharing.
helper-state-sharer_left = { $name } left.
helper-state-ended = The session has ended.

## Sharer app

sharer-page-title = Glass — share your screen
sharing-page-title = ● Sharing — Glass
sharer-code-heading = Get help
code-label = Code from your helper
code-hint = 8 letters and digits, for example 4060 R0GX
code-bad-format = A code has 8 letters and digits. Check it and try again.
join-button = Join
helper-heading = Your helper
joined-message = { $name } can now ask to see your screen. Nothing is shared until you allow it.
consent-heading = { $name } wants to see your screen
consent-explainer = If you allow, you choose what to share: a screen, a window or a tab. { $name } can see it but cannot control it.
choosing-message = Choose what to share in your browser's window.
allow-button = Allow
decline-button = Decline
capture-unsupported = This browser cannot share the screen.
capture-cancelled = Nothing was shared.
sharing-banner = You are sharing your screen with { $name } (view only)
sharing-banner-paused = Sharing paused: { $name } cannot see your screen.
pause-button = Pause
resume-button = Resume
stop-button = Stop sharing
preview-heading = What your helper sees
preview-paused = Paused
view-only-note = Your helper can see what you share but cannot control it.
another-code-button = Enter another code
ended-stopped = You stopped sharing.
helper-left-left = { $name } left the session.
helper-left-lost = The connection to { $name } was lost.
helper-left-stopped = { $name } ended the session.
helper-left-expired = The session expired.

sharer-state-idle = Enter the code your helper gave you.
sharer-state-joining = Checking the code…
sharer-state-joined = Connected to { $name }.
sharer-state-asking = { $name } is asking to see your screen.
sharer-state-choosing = Choose what to share…
sharer-state-sharing = Sharing your screen with { $name }.
sharer-state-paused = Sharing paused.
sharer-state-helper_left = { $name } left.
sharer-state-ended = The session has ended.

## Errors from the broker (docs/session-protocol.md, "Error codes")

error-malformed = The server did not understand the request.
error-unsupported_version = This page is out of date. Reload it.
error-too_large = The message is too large.
error-not_allowed = That is not possible right now.
error-code_invalid = This code is not valid. Check it or ask for a new one.
error-locked_out = Too many wrong codes. Try again in 15 minutes.
error-busy = The service is busy. Try again in a minute.
error-chat_disabled = Chat is turned off for your organisation.
error-chat_invalid = This message cannot be sent.
error-rate_limited = Too many attempts. Wait a moment and try again.
error-internal = Something went wrong. Try again.

## Agent approval page (glass share on this computer; $seconds is a whole number)

agent-page-title = Glass — sharing approval
agent-no-secret = Open this page from the link Glass printed. Opened like this, it cannot do anything.
agent-connecting = Connecting to Glass on this computer…
agent-disconnected = Glass on this computer has stopped. You can close this page.
agent-joining = Joining the session…
agent-ask-view = { $name } asks to see your screen
agent-ask-full = { $name } asks to see and control your screen
agent-explain-view = { $name } will see your whole screen but cannot use your mouse or keyboard. You can pause or stop at any time.
agent-explain-full = { $name } will be able to use your mouse and keyboard. You can take back control or stop at any time.
agent-time-left = Time left to answer: { $seconds } s
agent-expired = No answer in time: the request was declined.
agent-declined = You declined.
agent-allowed = You allowed it. Starting…
agent-banner-view = Sharing with { $name } — view only
agent-banner-full = Sharing with { $name } — full control
agent-banner-paused = Sharing with { $name } — paused
agent-takeback-button = Take back control
agent-action-failed = Glass did not accept that. Try again.
agent-close-page = You can close this page.
agent-ended-left = The session has ended.
agent-ended-lost = The connection to your helper was lost.
agent-ended-stopped = Sharing has stopped.
agent-ended-expired = The session expired.
agent-ended-broker_lost = The connection to the server was lost.
agent-ended-other = The session has ended.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Your organisation's policy does not allow this.
warnings-heading = About this device
warning-device_not_enrolled = This device is not enrolled by your organisation. Avoid typing administrator credentials there.
warning-device_not_compliant = This device is not compliant: { $reasons }. Avoid typing administrator credentials there.
warning-device_compliance_unknown = It is not known whether this device is compliant. Avoid typing administrator credentials there.
warning-other = Your organisation has flagged this device. Avoid typing administrator credentials there.
full-not-allowed = Full control is not possible: your organisation's policy allows you to view only.
level-limited = Your organisation's policy now allows view only.
declined-forbidden = Your organisation's policy no longer allows this request.
escalation-forbidden = Your organisation's policy no longer allows full control. You can still view.
left-revoked = Your organisation's policy no longer allows this help session.
helper-left-revoked = Your organisation's policy no longer allows this help session.
ended-revoked = Your organisation's policy no longer allows this help session.
agent-ended-revoked = Your organisation's policy no longer allows this help session.
sharer-request-forbidden = The request was withdrawn: your organisation's policy no longer allows it.
sharer-level-limited = Your organisation's policy now allows { $name } to view only.

## Reports page (/reports): help sessions from the audit trail, for people with view_reports
# "Person helped" is the sharer. Dates in the filter are whole days.

reports-link = Reports
reports-page-title = Glass — reports
reports-heading = Help session reports
reports-back = Back to remote help
reports-filter-heading = Filter
reports-person-label = Person (name or user ID)
reports-device-label = Device
reports-from-label = From
reports-to-label = To
reports-show-button = Show sessions
reports-download-csv = Download CSV
reports-download-json = Download JSON
reports-col-helper = Helper
reports-col-sharer = Person helped
reports-col-start = Start
reports-col-end = End
reports-col-level = Access
reports-col-ended = How it ended
reports-transcript-button = Transcript
reports-loading = Loading sessions…
reports-empty = No sessions match this filter.
reports-forbidden = You may not view reports: your organisation's policy does not give you this permission.
reports-signed-out = Sign in to view reports.
reports-failed = The reports could not be loaded. Try again.
reports-bad-dates = Check the dates: the end must not be before the start.
reports-running = Not ended
reports-level-full = Full control
reports-level-view = View only
reports-level-none = Nothing granted
reports-ended-left = Someone left
reports-ended-lost = Connection lost
reports-ended-stopped = Sharing stopped
reports-ended-expired = Code expired
reports-ended-revoked = Ended by policy
reports-ended-other = Ended
reports-transcript-heading = Chat transcript
reports-transcript-empty = Nothing was written in this session's chat.
reports-transcript-not-kept = Text not kept: your organisation does not keep chat transcripts.
reports-transcript-close = Close

## Identity binding (docs/identity.md): how the sharer's agent checked the helper, and the
# helper page's renewed sign-in. $issuer is the sign-in provider's address (a URL).

agent-identity-verified = Identity checked on this computer with { $issuer }
agent-identity-broker = Identity vouched for by the help desk server only
agent-identity-unverified = Identity could not be verified
helper-renewing-sign-in = Renewing your sign-in…
helper-identity-not-renewed = Your sign-in could not be renewed in this browser, so the person you help may not be able to confirm who you are. Sign out and sign in again.
error-fingerprint_mismatch = Glass stopped the session: the connection did not come from the browser your helper signed in with.
error-helper_unverified = Glass could not confirm who your helper is, so it did not let them in.
error-relay_lost = The connection through the relay server was lost, so your helper can no longer see your screen.
