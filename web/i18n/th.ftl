## Both apps

app-name = Glass
language-label = ภาษา
signin-heading = ลงชื่อเข้าใช้
username-label = ชื่อผู้ใช้
password-label = รหัสผ่าน
signin-button = ลงชื่อเข้าใช้
signing-in = กำลังลงชื่อเข้าใช้…
signin-missing = กรอกชื่อผู้ใช้และรหัสผ่าน
signin-failed = ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง
signin-with = ลงชื่อเข้าใช้ด้วย { $provider }
signin-or = หรือ
signin-provider-failed = ลงชื่อเข้าใช้ไม่สำเร็จ ลองอีกครั้ง
server-unreachable = เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ ตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง
sign-out-button = ออกจากระบบ
signed-in-as = ลงชื่อเข้าใช้เป็น { $name }
leave-button = ออก
reconnect-button = เชื่อมต่ออีกครั้ง
link-lost-heading = การเชื่อมต่อขาดหาย
link-lost = การเชื่อมต่อกับเซิร์ฟเวอร์ขาดหาย เซสชันสิ้นสุดแล้ว
link-resuming = การเชื่อมต่อกับเซิร์ฟเวอร์ขาดช่วง กำลังเชื่อมต่อใหม่…
peer-away = การเชื่อมต่อของ { $name } ขาดหาย กำลังรอให้กลับมา…
ended-heading = เซสชันสิ้นสุดแล้ว
card-picture =
    .alt = รูปของ { $name }
domain-verified = ยืนยันแล้ว
domain-unverified = ยังไม่ยืนยัน
card-vouched-note = ✓ ยืนยันโดยผู้ให้บริการลงชื่อเข้าใช้

## Chat

chat-heading = แชท
chat-log =
    .aria-label = ข้อความ
chat-empty = ยังไม่มีข้อความ
chat-label = ข้อความ
chat-hint = Enter เพื่อส่ง, Shift+Enter เพื่อขึ้นบรรทัดใหม่
chat-send = ส่ง
chat-length = { $count } / { $max }
chat-too-long = ยาวเกินไป: { $count } / { $max }
chat-closed = แชทปิดแล้ว
chat-kept = องค์กรของคุณเก็บข้อความในแชตนี้ไว้ในบันทึกการตรวจสอบ

## Helper app

helper-page-title = Glass — ความช่วยเหลือระยะไกล
helper-start-heading = ช่วยเหลือผู้อื่น
helper-start-intro = รับรหัสแล้วบอกรหัสนั้นแก่ผู้ที่คุณกำลังช่วย
get-code-button = รับรหัส
code-heading = รหัสของคุณ
code-where = ขอให้อีกฝ่ายเปิดที่อยู่นี้แล้วกรอกรหัส:
copy-button = คัดลอก
copied-button = คัดลอกแล้ว
code-copied = คัดลอกรหัสแล้ว
copy-failed = คัดลอกไม่ได้ โปรดอ่านรหัสให้อีกฝ่ายฟัง
cancel-code-button = ยกเลิก
code-expires = หมดอายุใน { $time }
code-expired-heading = รหัสหมดอายุ
new-code-button = รับรหัสใหม่
sharer-heading = ผู้ที่เข้าร่วม
client-agent = ใช้แอป Glass
client-web = ใช้เว็บเบราว์เซอร์
choose-request-message = ขอให้ { $name } แสดงหน้าจอให้คุณดู
request-view-button = ขอดูอย่างเดียว
request-full-button = ขอควบคุมเต็มรูปแบบ
try-again-view-button = ลองอีกครั้ง
full-not-possible = ควบคุมเต็มรูปแบบไม่ได้ เพราะเว็บเบราว์เซอร์ไม่สามารถถูกควบคุมจากระยะไกล คุณดูได้อย่างเดียว
waiting-approval-message = กำลังรอคำตอบจาก { $name }…
declined-declined = { $name } ปฏิเสธ
declined-timeout = { $name } ไม่ได้ตอบทันเวลา
declined-not_supported = { $name } ให้สิทธิ์ควบคุมจากอุปกรณ์นี้ไม่ได้
escalation-declined = { $name } ปฏิเสธการควบคุมเต็มรูปแบบ คุณยังดูได้
escalation-timeout = { $name } ไม่ได้ตอบ คุณยังดูได้
escalation-not_supported = { $name } ให้สิทธิ์ควบคุมจากอุปกรณ์นี้ไม่ได้
stage-heading = หน้าจอที่แชร์
video-label = หน้าจอของ { $name }
keyboard-target =
    .aria-label = การป้อนแป้นพิมพ์สำหรับหน้าจอที่แชร์
level-view = ดูอย่างเดียว
level-full = คุณกำลังควบคุม
release-button = คืนการควบคุม
fullscreen-button = เต็มหน้าจอ
# The helper picks which of the sharer's screens (monitors) to see.
display-label = หน้าจอ
display-all = ทุกหน้าจอ
agent-screen-legend = หน้าจอที่จะแชร์
# Copy and paste with the sharer (full control only).
clipboard-send-button = ส่งคลิปบอร์ดของฉัน
clipboard-received = อีกฝ่ายคัดลอกข้อความ ({ $count } อักขระ)
clipboard-copy-button = คัดลอกไปยังคลิปบอร์ดของฉัน
clipboard-unavailable = เบราว์เซอร์นี้ไม่อนุญาตให้หน้าเว็บใช้คลิปบอร์ด
keyboard-lock-unavailable = ในเบราว์เซอร์นี้ ทางลัดของระบบ เช่น Alt+Tab ปุ่ม Windows และ Escape จะอยู่ในคอมพิวเตอร์ของคุณ Chrome และ Edge จะส่งต่อเมื่ออยู่ในโหมดเต็มหน้าจอ
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = เบราว์เซอร์นี้แสดงหรือส่งหน้าจอที่แชร์ไม่ได้ (ไม่มี WebRTC) โปรดใช้ Chrome, Edge, Firefox หรือ Safari
exit-fullscreen-button = ออกจากเต็มหน้าจอ
overlay-connecting = กำลังเชื่อมต่อหน้าจอ…
overlay-paused = { $name } หยุดการแชร์ชั่วคราว
video-failed = การเชื่อมต่อวิดีโอล้มเหลว
left-left = { $name } ออกจากเซสชันแล้ว
left-lost = การเชื่อมต่อกับ { $name } ขาดหาย
left-stopped = { $name } หยุดแชร์แล้ว
left-expired = เซสชันหมดอายุแล้ว
ended-self = คุณออกจากเซสชันแล้ว

helper-state-idle = รับรหัสเพื่อเริ่มต้น
helper-state-waiting_sharer = กำลังรอให้อีกฝ่ายกรอกรหัส…
helper-state-expired = รหัสหมดอายุแล้ว
helper-state-sharer_joined = { $name } เข้าร่วมแล้ว
helper-state-waiting_approval = กำลังรอ { $name } อนุมัติ…
helper-state-declined = { $name } ปฏิเสธ
helper-state-connected = เชื่อมต่อกับ { $name } แล้ว
helper-state-paused = { $name } หยุดการแชร์ชั่วคราว
helper-state-sharer_left = { $name } ออกไปแล้ว
helper-state-ended = เซสชันสิ้นสุดแล้ว

## Sharer app

sharer-page-title = Glass — แชร์หน้าจอของคุณ
sharing-page-title = ● กำลังแชร์ — Glass
sharer-code-heading = รับความช่วยเหลือ
code-label = รหัสจากผู้ช่วยของคุณ
code-hint = ตัวอักษรและตัวเลข 8 ตัว เช่น 4060 R0GX
code-bad-format = รหัสมีตัวอักษรและตัวเลข 8 ตัว โปรดตรวจสอบแล้วลองอีกครั้ง
join-button = เข้าร่วม
helper-heading = ผู้ช่วยของคุณ
joined-message = ตอนนี้ { $name } ขอดูหน้าจอของคุณได้ จะไม่มีการแชร์อะไรจนกว่าคุณจะอนุญาต
consent-heading = { $name } ต้องการดูหน้าจอของคุณ
consent-explainer = หากอนุญาต คุณจะเลือกสิ่งที่จะแชร์เอง: ทั้งหน้าจอ หน้าต่าง หรือแท็บ { $name } จะดูได้แต่ควบคุมไม่ได้
choosing-message = เลือกสิ่งที่จะแชร์ในหน้าต่างของเบราว์เซอร์
allow-button = อนุญาต
decline-button = ปฏิเสธ
capture-unsupported = เบราว์เซอร์นี้แชร์หน้าจอไม่ได้
capture-cancelled = ไม่มีการแชร์อะไร
sharing-banner = คุณกำลังแชร์หน้าจอกับ { $name } (ดูอย่างเดียว)
sharing-banner-paused = หยุดแชร์ชั่วคราว: { $name } มองไม่เห็นหน้าจอของคุณ
pause-button = หยุดชั่วคราว
resume-button = แชร์ต่อ
stop-button = หยุดแชร์
preview-heading = สิ่งที่ผู้ช่วยของคุณเห็น
preview-paused = หยุดชั่วคราว
view-only-note = ผู้ช่วยของคุณเห็นสิ่งที่คุณแชร์ แต่ควบคุมไม่ได้
another-code-button = กรอกรหัสอื่น
ended-stopped = คุณหยุดแชร์แล้ว
helper-left-left = { $name } ออกจากเซสชันแล้ว
helper-left-lost = การเชื่อมต่อกับ { $name } ขาดหาย
helper-left-stopped = { $name } สิ้นสุดเซสชันแล้ว
helper-left-expired = เซสชันหมดอายุแล้ว

sharer-state-idle = กรอกรหัสที่ผู้ช่วยให้คุณ
sharer-state-joining = กำลังตรวจสอบรหัส…
sharer-state-joined = เชื่อมต่อกับ { $name } แล้ว
sharer-state-asking = { $name } ขอดูหน้าจอของคุณ
sharer-state-choosing = เลือกสิ่งที่จะแชร์…
sharer-state-sharing = กำลังแชร์หน้าจอกับ { $name }
sharer-state-paused = หยุดแชร์ชั่วคราว
sharer-state-helper_left = { $name } ออกไปแล้ว
sharer-state-ended = เซสชันสิ้นสุดแล้ว

## Errors from the broker

error-malformed = เซิร์ฟเวอร์ไม่เข้าใจคำขอ
error-unsupported_version = หน้านี้ล้าสมัย โปรดโหลดใหม่
error-too_large = ข้อความใหญ่เกินไป
error-not_allowed = ทำสิ่งนี้ไม่ได้ในตอนนี้
error-code_invalid = รหัสนี้ไม่ถูกต้อง โปรดตรวจสอบหรือขอรหัสใหม่
error-locked_out = กรอกรหัสผิดหลายครั้งเกินไป ลองอีกครั้งใน 15 นาที
error-busy = บริการกำลังยุ่ง ลองอีกครั้งในอีกหนึ่งนาที
error-chat_disabled = องค์กรของคุณปิดแชทไว้
error-chat_invalid = ส่งข้อความนี้ไม่ได้
error-rate_limited = ลองหลายครั้งเกินไป โปรดรอสักครู่แล้วลองอีกครั้ง
error-internal = เกิดข้อผิดพลาด โปรดลองอีกครั้ง

## Agent approval page

agent-page-title = Glass — อนุมัติการแชร์
agent-no-secret = เปิดหน้านี้จากลิงก์ที่ Glass แสดงไว้ หากเปิดแบบนี้ หน้านี้จะทำอะไรไม่ได้
agent-connecting = กำลังเชื่อมต่อกับ Glass บนคอมพิวเตอร์เครื่องนี้…
agent-disconnected = Glass บนคอมพิวเตอร์เครื่องนี้หยุดทำงานแล้ว คุณปิดหน้านี้ได้
agent-joining = กำลังเข้าร่วมเซสชัน…
agent-ask-view = { $name } ขอดูหน้าจอของคุณ
agent-ask-full = { $name } ขอดูและควบคุมหน้าจอของคุณ
agent-explain-view = { $name } จะเห็นหน้าจอทั้งหมดของคุณ แต่ใช้เมาส์หรือคีย์บอร์ดของคุณไม่ได้ คุณหยุดชั่วคราวหรือหยุดได้ทุกเมื่อ
agent-explain-full = { $name } จะใช้เมาส์และคีย์บอร์ดของคุณได้ คุณเอาการควบคุมคืนหรือหยุดได้ทุกเมื่อ
agent-time-left = เวลาที่เหลือในการตอบ: { $seconds } วินาที
agent-expired = ไม่มีการตอบภายในเวลา: คำขอถูกปฏิเสธ
agent-declined = คุณปฏิเสธแล้ว
agent-allowed = คุณอนุญาตแล้ว กำลังเริ่ม…
agent-banner-view = กำลังแชร์กับ { $name } — ดูอย่างเดียว
agent-banner-full = กำลังแชร์กับ { $name } — ควบคุมเต็มรูปแบบ
agent-banner-paused = กำลังแชร์กับ { $name } — หยุดชั่วคราว
agent-takeback-button = เอาการควบคุมคืน
agent-action-failed = Glass ไม่รับคำสั่งนี้ ลองอีกครั้ง
agent-close-page = คุณปิดหน้านี้ได้
agent-ended-left = เซสชันสิ้นสุดแล้ว
agent-ended-lost = การเชื่อมต่อกับผู้ช่วยของคุณขาดหาย
agent-ended-stopped = หยุดแชร์แล้ว
agent-ended-expired = เซสชันหมดอายุแล้ว
agent-ended-broker_lost = การเชื่อมต่อกับเซิร์ฟเวอร์ขาดหาย
agent-ended-other = เซสชันสิ้นสุดแล้ว

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = นโยบายขององค์กรคุณไม่อนุญาตให้ทำเช่นนี้
warnings-heading = เกี่ยวกับอุปกรณ์นี้
warning-device_not_enrolled = อุปกรณ์นี้ไม่ได้ลงทะเบียนกับองค์กรของคุณ หลีกเลี่ยงการพิมพ์ข้อมูลรับรองผู้ดูแลระบบบนอุปกรณ์นี้
warning-device_not_compliant = อุปกรณ์นี้ไม่เป็นไปตามข้อกำหนด: { $reasons } หลีกเลี่ยงการพิมพ์ข้อมูลรับรองผู้ดูแลระบบบนอุปกรณ์นี้
warning-device_compliance_unknown = ไม่ทราบว่าอุปกรณ์นี้เป็นไปตามข้อกำหนดหรือไม่ หลีกเลี่ยงการพิมพ์ข้อมูลรับรองผู้ดูแลระบบบนอุปกรณ์นี้
warning-other = องค์กรของคุณได้ทำเครื่องหมายอุปกรณ์นี้ไว้ หลีกเลี่ยงการพิมพ์ข้อมูลรับรองผู้ดูแลระบบบนอุปกรณ์นี้
full-not-allowed = ควบคุมเต็มรูปแบบไม่ได้ เพราะนโยบายขององค์กรคุณอนุญาตให้คุณดูได้อย่างเดียว
level-limited = ตอนนี้นโยบายขององค์กรคุณอนุญาตให้ดูได้อย่างเดียว
declined-forbidden = นโยบายขององค์กรคุณไม่อนุญาตคำขอนี้อีกต่อไป
escalation-forbidden = นโยบายขององค์กรคุณไม่อนุญาตการควบคุมเต็มรูปแบบอีกต่อไป คุณยังดูได้
left-revoked = นโยบายขององค์กรคุณไม่อนุญาตเซสชันความช่วยเหลือนี้อีกต่อไป
helper-left-revoked = นโยบายขององค์กรคุณไม่อนุญาตเซสชันความช่วยเหลือนี้อีกต่อไป
ended-revoked = นโยบายขององค์กรคุณไม่อนุญาตเซสชันความช่วยเหลือนี้อีกต่อไป
agent-ended-revoked = นโยบายขององค์กรคุณไม่อนุญาตเซสชันความช่วยเหลือนี้อีกต่อไป
sharer-request-forbidden = คำขอถูกถอนแล้ว เพราะนโยบายขององค์กรคุณไม่อนุญาตอีกต่อไป
sharer-level-limited = ตอนนี้นโยบายขององค์กรคุณอนุญาตให้ { $name } ดูได้อย่างเดียว

## Reports page

reports-link = รายงาน
reports-page-title = Glass — รายงาน
reports-heading = รายงานเซสชันการช่วยเหลือ
reports-back = กลับไปที่การช่วยเหลือระยะไกล
reports-filter-heading = ตัวกรอง
reports-person-label = บุคคล (ชื่อหรือรหัสผู้ใช้)
reports-device-label = อุปกรณ์
reports-from-label = ตั้งแต่
reports-to-label = ถึง
reports-show-button = แสดงเซสชัน
reports-download-csv = ดาวน์โหลด CSV
reports-download-json = ดาวน์โหลด JSON
reports-col-helper = ผู้ช่วยเหลือ
reports-col-sharer = ผู้ที่ได้รับความช่วยเหลือ
reports-col-start = เริ่ม
reports-col-end = สิ้นสุด
reports-col-level = สิทธิ์
reports-col-ended = สิ้นสุดอย่างไร
reports-transcript-button = บันทึกการแชท
reports-loading = กำลังโหลดเซสชัน…
reports-empty = ไม่มีเซสชันที่ตรงกับตัวกรองนี้
reports-forbidden = คุณไม่มีสิทธิ์ดูรายงาน: นโยบายขององค์กรของคุณไม่ได้ให้สิทธิ์นี้แก่คุณ
reports-signed-out = ลงชื่อเข้าใช้เพื่อดูรายงาน
reports-failed = ไม่สามารถโหลดรายงานได้ โปรดลองอีกครั้ง
reports-bad-dates = ตรวจสอบวันที่: วันสิ้นสุดต้องไม่อยู่ก่อนวันเริ่ม
reports-running = ยังไม่สิ้นสุด
reports-level-full = ควบคุมเต็มรูปแบบ
reports-level-view = ดูอย่างเดียว
reports-level-none = ไม่ได้ให้สิทธิ์ใด
reports-ended-left = มีฝ่ายหนึ่งออกไป
reports-ended-lost = การเชื่อมต่อขาดหาย
reports-ended-stopped = หยุดการแชร์แล้ว
reports-ended-expired = รหัสหมดอายุ
reports-ended-revoked = สิ้นสุดตามนโยบาย
reports-ended-other = สิ้นสุดแล้ว
reports-transcript-heading = บันทึกการแชท
reports-transcript-empty = ไม่มีการเขียนข้อความในแชทของเซสชันนี้
reports-transcript-not-kept = ไม่ได้เก็บข้อความ: องค์กรของคุณไม่เก็บบันทึกการแชท
reports-transcript-close = ปิด

## Identity binding

agent-identity-verified = ตรวจสอบตัวตนบนคอมพิวเตอร์เครื่องนี้กับ { $issuer } แล้ว
agent-identity-broker = ตัวตนได้รับการรับรองจากเซิร์ฟเวอร์ของฝ่ายช่วยเหลือเท่านั้น
agent-identity-unverified = ไม่สามารถยืนยันตัวตนได้
helper-renewing-sign-in = กำลังต่ออายุการลงชื่อเข้าใช้…
helper-identity-not-renewed = ไม่สามารถต่ออายุการลงชื่อเข้าใช้ในเบราว์เซอร์นี้ได้ ผู้ที่คุณช่วยเหลืออาจไม่สามารถยืนยันได้ว่าคุณเป็นใคร โปรดออกจากระบบแล้วลงชื่อเข้าใช้อีกครั้ง
error-fingerprint_mismatch = Glass หยุดเซสชันแล้ว เนื่องจากการเชื่อมต่อไม่ได้มาจากเบราว์เซอร์ที่ผู้ช่วยของคุณใช้ลงชื่อเข้าใช้
error-helper_unverified = Glass ไม่สามารถยืนยันได้ว่าผู้ช่วยของคุณเป็นใคร จึงไม่อนุญาตให้เข้ามา
error-relay_lost = การเชื่อมต่อผ่านเซิร์ฟเวอร์รีเลย์ขาดหาย ผู้ช่วยของคุณจึงมองไม่เห็นหน้าจอของคุณอีกต่อไป
