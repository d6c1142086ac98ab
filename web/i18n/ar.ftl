## Both apps

app-name = Glass
language-label = اللغة
signin-heading = تسجيل الدخول
username-label = اسم المستخدم
password-label = كلمة المرور
signin-button = تسجيل الدخول
signing-in = جارٍ تسجيل الدخول…
signin-missing = أدخل اسم المستخدم وكلمة المرور.
signin-failed = اسم المستخدم أو كلمة المرور غير صحيحة.
signin-with = تسجيل الدخول باستخدام { $provider }
signin-or = أو
signin-provider-failed = لم ينجح تسجيل الدخول. حاول مرة أخرى.
server-unreachable = تعذّر الوصول إلى الخادم. تحقّق من الاتصال وحاول مرة أخرى.
sign-out-button = تسجيل الخروج
signed-in-as = مسجّل الدخول باسم { $name }
leave-button = مغادرة
reconnect-button = إعادة الاتصال
link-lost-heading = انقطع الاتصال
link-lost = انقطع الاتصال بالخادم. انتهت الجلسة.
link-resuming = انقطع الاتصال بالخادم. جارٍ إعادة الاتصال…
peer-away = انقطع اتصال { $name } — في انتظار عودته…
ended-heading = انتهت الجلسة
card-picture =
    .alt = صورة { $name }
domain-verified = موثّق
domain-unverified = غير موثّق
card-vouched-note = ✓ مؤكَّد من مزوّد تسجيل الدخول

## Chat

chat-heading = الدردشة
chat-log =
    .aria-label = الرسائل
chat-empty = لا توجد رسائل بعد.
chat-label = الرسالة
chat-hint = ‏Enter للإرسال، وShift+Enter لسطر جديد.
chat-send = إرسال
chat-length = { $count } / { $max }
chat-too-long = طويلة جدًا: { $count } / { $max }
chat-closed = الدردشة مغلقة.
chat-kept = تحتفظ مؤسستك بنص هذه المحادثة في سجل التدقيق الخاص بها.

## Helper app

helper-page-title = Glass — مساعدة عن بُعد
helper-start-heading = ساعد شخصًا
helper-start-intro = احصل على رمز وأعطه للشخص الذي تساعده.
get-code-button = الحصول على رمز
code-heading = رمزك
code-where = اطلب منه فتح هذا العنوان وإدخال الرمز:
copy-button = نسخ
copied-button = تم النسخ
code-copied = تم نسخ الرمز.
copy-failed = تعذّر النسخ. اقرأ الرمز بصوت عالٍ.
cancel-code-button = إلغاء
code-expires = ينتهي خلال { $time }
code-expired-heading = انتهت صلاحية الرمز
new-code-button = الحصول على رمز جديد
sharer-heading = من انضم
client-agent = يستخدم تطبيق Glass
client-web = يستخدم متصفح ويب
choose-request-message = اطلب من { $name } أن يتيح لك رؤية شاشته.
request-view-button = طلب العرض فقط
request-full-button = طلب التحكم الكامل
try-again-view-button = حاول مرة أخرى
full-not-possible = التحكم الكامل غير ممكن: لا يمكن التحكم بمتصفح الويب عن بُعد. يمكنك المشاهدة فقط.
waiting-approval-message = بانتظار رد { $name }…
declined-declined = رفض { $name } الطلب.
declined-timeout = لم يرد { $name } في الوقت المحدد.
declined-not_supported = لا يستطيع { $name } منح التحكم من هذا الجهاز.
escalation-declined = رفض { $name } التحكم الكامل. لا يزال بإمكانك المشاهدة.
escalation-timeout = لم يرد { $name }. لا يزال بإمكانك المشاهدة.
escalation-not_supported = لا يستطيع { $name } منح التحكم من هذا الجهاز.
stage-heading = الشاشة المشتركة
video-label = شاشة { $name }
keyboard-target =
    .aria-label = إدخال لوحة المفاتيح للشاشة المشتركة
level-view = عرض فقط
level-full = التحكم بيدك
release-button = إعادة التحكم
fullscreen-button = ملء الشاشة
# The helper picks which of the sharer's screens (monitors) to see.
display-label = الشاشة
display-all = كل الشاشات
agent-screen-legend = الشاشة التي تتم مشاركتها
# Copy and paste with the sharer (full control only).
clipboard-send-button = إرسال الحافظة
clipboard-received = نسخ الطرف الآخر نصًا ({ $count } حرفًا).
clipboard-copy-button = نسخ إلى الحافظة
clipboard-unavailable = لا يسمح هذا المتصفح للصفحة باستخدام الحافظة.
keyboard-lock-unavailable = في هذا المتصفح، تبقى اختصارات النظام مثل Alt+Tab ومفتاح Windows وEscape على حاسوبك. يمررها Chrome وEdge في وضع ملء الشاشة.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = لا يستطيع هذا المتصفح عرض شاشة مشتركة أو إرسالها (لا يدعم WebRTC). استخدم Chrome أو Edge أو Firefox أو Safari.
exit-fullscreen-button = الخروج من ملء الشاشة
overlay-connecting = جارٍ الاتصال بالشاشة…
overlay-paused = أوقف { $name } المشاركة مؤقتًا.
video-failed = فشل اتصال الفيديو.
left-left = غادر { $name } الجلسة.
left-lost = انقطع الاتصال مع { $name }.
left-stopped = أوقف { $name } المشاركة.
left-expired = انتهت صلاحية الجلسة.
ended-self = لقد غادرت الجلسة.

helper-state-idle = احصل على رمز للبدء.
helper-state-waiting_sharer = بانتظار أن يُدخل الشخص الآخر الرمز…
helper-state-expired = انتهت صلاحية الرمز.
helper-state-sharer_joined = انضم { $name }.
helper-state-waiting_approval = بانتظار موافقة { $name }…
helper-state-declined = رفض { $name } الطلب.
helper-state-connected = متصل مع { $name }.
helper-state-paused = أوقف { $name } المشاركة مؤقتًا.
helper-state-sharer_left = غادر { $name }.
helper-state-ended = انتهت الجلسة.

## Sharer app

sharer-page-title = Glass — مشاركة شاشتك
sharing-page-title = ● المشاركة جارية — Glass
sharer-code-heading = احصل على مساعدة
code-label = الرمز من مساعدك
code-hint = ‏8 أحرف وأرقام، مثل 4060 R0GX
code-bad-format = يتكون الرمز من 8 أحرف وأرقام. تحقّق منه وحاول مرة أخرى.
join-button = انضمام
helper-heading = مساعدك
joined-message = يمكن لـ { $name } الآن أن يطلب رؤية شاشتك. لن تتم مشاركة أي شيء قبل موافقتك.
consent-heading = يريد { $name } رؤية شاشتك
consent-explainer = إذا وافقت، فأنت من يختار ما تشاركه: شاشة أو نافذة أو علامة تبويب. سيتمكن { $name } من الرؤية دون التحكم.
choosing-message = اختر ما تريد مشاركته في نافذة المتصفح.
allow-button = سماح
decline-button = رفض
capture-unsupported = لا يستطيع هذا المتصفح مشاركة الشاشة.
capture-cancelled = لم تتم مشاركة أي شيء.
sharing-banner = أنت تشارك شاشتك مع { $name } (عرض فقط)
sharing-banner-paused = المشاركة متوقفة مؤقتًا: لا يرى { $name } شاشتك.
pause-button = إيقاف مؤقت
resume-button = استئناف
stop-button = إيقاف المشاركة
preview-heading = ما يراه مساعدك
preview-paused = متوقف مؤقتًا
view-only-note = يرى مساعدك ما تشاركه لكنه لا يستطيع التحكم به.
another-code-button = إدخال رمز آخر
ended-stopped = لقد أوقفت المشاركة.
helper-left-left = غادر { $name } الجلسة.
helper-left-lost = انقطع الاتصال مع { $name }.
helper-left-stopped = أنهى { $name } الجلسة.
helper-left-expired = انتهت صلاحية الجلسة.

sharer-state-idle = أدخل الرمز الذي أعطاك إياه مساعدك.
sharer-state-joining = جارٍ التحقق من الرمز…
sharer-state-joined = متصل مع { $name }.
sharer-state-asking = يطلب { $name } رؤية شاشتك.
sharer-state-choosing = اختر ما تريد مشاركته…
sharer-state-sharing = أنت تشارك شاشتك مع { $name }.
sharer-state-paused = المشاركة متوقفة مؤقتًا.
sharer-state-helper_left = غادر { $name }.
sharer-state-ended = انتهت الجلسة.

## Errors from the broker

error-malformed = لم يفهم الخادم الطلب.
error-unsupported_version = هذه الصفحة قديمة. أعد تحميلها.
error-too_large = الرسالة كبيرة جدًا.
error-not_allowed = هذا غير ممكن الآن.
error-code_invalid = هذا الرمز غير صالح. تحقّق منه أو اطلب رمزًا جديدًا.
error-locked_out = رموز خاطئة كثيرة جدًا. حاول مرة أخرى بعد 15 دقيقة.
error-busy = الخدمة مشغولة. حاول مرة أخرى بعد دقيقة.
error-chat_disabled = الدردشة معطّلة في مؤسستك.
error-chat_invalid = لا يمكن إرسال هذه الرسالة.
error-rate_limited = محاولات كثيرة جدًا. انتظر قليلًا ثم حاول مرة أخرى.
error-internal = حدث خطأ ما. حاول مرة أخرى.

## Agent approval page

agent-page-title = Glass — الموافقة على المشاركة
agent-no-secret = افتح هذه الصفحة من الرابط الذي طبعه Glass. عند فتحها بهذه الطريقة لا يمكنها فعل أي شيء.
agent-connecting = جارٍ الاتصال بـ Glass على هذا الكمبيوتر…
agent-disconnected = توقف Glass على هذا الكمبيوتر. يمكنك إغلاق هذه الصفحة.
agent-joining = جارٍ الانضمام إلى الجلسة…
agent-ask-view = يطلب { $name } رؤية شاشتك
agent-ask-full = يطلب { $name } رؤية شاشتك والتحكم بها
agent-explain-view = سيرى { $name } شاشتك كاملة لكنه لن يستطيع استخدام الماوس أو لوحة المفاتيح. يمكنك الإيقاف المؤقت أو الإيقاف في أي وقت.
agent-explain-full = سيتمكن { $name } من استخدام الماوس ولوحة المفاتيح. يمكنك استعادة التحكم أو الإيقاف في أي وقت.
agent-time-left = الوقت المتبقي للرد: { $seconds } ث
agent-expired = لم يصل رد في الوقت المحدد: رُفض الطلب.
agent-declined = لقد رفضت.
agent-allowed = لقد سمحت بذلك. جارٍ البدء…
agent-banner-view = المشاركة مع { $name } — عرض فقط
agent-banner-full = المشاركة مع { $name } — تحكم كامل
agent-banner-paused = المشاركة مع { $name } — متوقفة مؤقتًا
agent-takeback-button = استعادة التحكم
agent-action-failed = لم يقبل Glass ذلك. حاول مرة أخرى.
agent-close-page = يمكنك إغلاق هذه الصفحة.
agent-ended-left = انتهت الجلسة.
agent-ended-lost = انقطع الاتصال بمساعدك.
agent-ended-stopped = توقفت المشاركة.
agent-ended-expired = انتهت صلاحية الجلسة.
agent-ended-broker_lost = انقطع الاتصال بالخادم.
agent-ended-other = انتهت الجلسة.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = سياسة مؤسستك لا تسمح بذلك.
warnings-heading = حول هذا الجهاز
warning-device_not_enrolled = هذا الجهاز غير مسجّل لدى مؤسستك. تجنّب كتابة بيانات اعتماد المسؤول عليه.
warning-device_not_compliant = هذا الجهاز غير متوافق: { $reasons }. تجنّب كتابة بيانات اعتماد المسؤول عليه.
warning-device_compliance_unknown = لا يُعرف ما إذا كان هذا الجهاز متوافقًا. تجنّب كتابة بيانات اعتماد المسؤول عليه.
warning-other = وضعت مؤسستك علامة على هذا الجهاز. تجنّب كتابة بيانات اعتماد المسؤول عليه.
full-not-allowed = التحكم الكامل غير ممكن: سياسة مؤسستك تسمح لك بالمشاهدة فقط.
level-limited = سياسة مؤسستك تسمح الآن بالعرض فقط.
declined-forbidden = سياسة مؤسستك لم تعد تسمح بهذا الطلب.
escalation-forbidden = سياسة مؤسستك لم تعد تسمح بالتحكم الكامل. لا يزال بإمكانك المشاهدة.
left-revoked = سياسة مؤسستك لم تعد تسمح بجلسة المساعدة هذه.
helper-left-revoked = سياسة مؤسستك لم تعد تسمح بجلسة المساعدة هذه.
ended-revoked = سياسة مؤسستك لم تعد تسمح بجلسة المساعدة هذه.
agent-ended-revoked = سياسة مؤسستك لم تعد تسمح بجلسة المساعدة هذه.
sharer-request-forbidden = سُحب الطلب: سياسة مؤسستك لم تعد تسمح به.
sharer-level-limited = { $name }: سياسة مؤسستك تسمح الآن بالمشاهدة فقط.

## Reports page

reports-link = التقارير
reports-page-title = Glass — التقارير
reports-heading = تقارير جلسات المساعدة
reports-back = العودة إلى المساعدة عن بُعد
reports-filter-heading = تصفية
reports-person-label = الشخص (الاسم أو معرّف المستخدم)
reports-device-label = الجهاز
reports-from-label = من
reports-to-label = إلى
reports-show-button = عرض الجلسات
reports-download-csv = تنزيل CSV
reports-download-json = تنزيل JSON
reports-col-helper = المساعِد
reports-col-sharer = الشخص الذي تلقّى المساعدة
reports-col-start = البداية
reports-col-end = النهاية
reports-col-level = الصلاحية
reports-col-ended = كيف انتهت
reports-transcript-button = نص المحادثة
reports-loading = جارٍ تحميل الجلسات…
reports-empty = لا توجد جلسات تطابق هذه التصفية.
reports-forbidden = لا يُسمح لك بعرض التقارير: سياسة مؤسستك لا تمنحك هذا الإذن.
reports-signed-out = سجّل الدخول لعرض التقارير.
reports-failed = تعذّر تحميل التقارير. حاول مرة أخرى.
reports-bad-dates = تحقّق من التواريخ: لا يمكن أن تسبق النهايةُ البدايةَ.
reports-running = لم تنتهِ
reports-level-full = تحكّم كامل
reports-level-view = عرض فقط
reports-level-none = لم يُمنح شيء
reports-ended-left = غادر أحد الطرفين
reports-ended-lost = انقطع الاتصال
reports-ended-stopped = توقّفت المشاركة
reports-ended-expired = انتهت صلاحية الرمز
reports-ended-revoked = أنهتها السياسة
reports-ended-other = انتهت
reports-transcript-heading = نص المحادثة
reports-transcript-empty = لم يُكتب شيء في محادثة هذه الجلسة.
reports-transcript-not-kept = لم يُحفظ النص: مؤسستك لا تحتفظ بنصوص المحادثات.
reports-transcript-close = إغلاق

## Identity binding

agent-identity-verified = تم التحقق من الهوية على هذا الكمبيوتر لدى { $issuer }
agent-identity-broker = الهوية مضمونة من خادم مكتب المساعدة فقط
agent-identity-unverified = تعذّر التحقق من الهوية
helper-renewing-sign-in = جارٍ تجديد تسجيل الدخول…
helper-identity-not-renewed = تعذّر تجديد تسجيل دخولك في هذا المتصفح، لذا قد لا يتمكن الشخص الذي تساعده من التأكد من هويتك. سجّل الخروج ثم سجّل الدخول مرة أخرى.
error-fingerprint_mismatch = أوقف Glass الجلسة: لم يأتِ الاتصال من المتصفح الذي سجّل به مساعدك الدخول.
error-helper_unverified = تعذّر على Glass التأكد من هوية مساعدك، لذا لم يسمح له بالدخول.
error-relay_lost = انقطع الاتصال عبر خادم الترحيل، فلم يعد مساعدك يرى شاشتك.
