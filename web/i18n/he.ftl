## Both apps

app-name = Glass
language-label = שפה
signin-heading = כניסה
username-label = שם משתמש
password-label = סיסמה
signin-button = כניסה
signing-in = מתבצעת כניסה…
signin-missing = יש להזין שם משתמש וסיסמה.
signin-failed = שם המשתמש או הסיסמה שגויים.
signin-with = כניסה באמצעות { $provider }
signin-or = או
signin-provider-failed = הכניסה לא הצליחה. נסו שוב.
server-unreachable = אין גישה לשרת. יש לבדוק את החיבור ולנסות שוב.
sign-out-button = יציאה
signed-in-as = מחובר/ת בתור { $name }
leave-button = עזיבה
reconnect-button = התחברות מחדש
link-lost-heading = החיבור נותק
link-lost = החיבור לשרת נותק. ההפעלה הסתיימה.
link-resuming = החיבור לשרת נקטע. מתבצע חיבור מחדש…
peer-away = החיבור של { $name } נותק — ממתינים לחזרה…
ended-heading = ההפעלה הסתיימה
card-picture =
    .alt = תמונה של { $name }
domain-verified = מאומת
domain-unverified = לא מאומת
card-vouched-note = ✓ אושר על ידי ספק הכניסה

## Chat

chat-heading = צ׳אט
chat-log =
    .aria-label = הודעות
chat-empty = אין הודעות עדיין.
chat-label = הודעה
chat-hint = ‏Enter שולח, ‏Shift+Enter פותח שורה חדשה.
chat-send = שליחה
chat-length = { $count } / { $max }
chat-too-long = ארוך מדי: { $count } / { $max }
chat-closed = הצ׳אט סגור.
chat-kept = הארגון שלך שומר את הטקסט של הצ׳אט הזה ביומן הביקורת שלו.

## Helper app

helper-page-title = Glass — עזרה מרחוק
helper-start-heading = לעזור למישהו
helper-start-intro = יש לקבל קוד ולמסור אותו לאדם שעוזרים לו.
get-code-button = קבלת קוד
code-heading = הקוד שלך
code-where = יש לבקש מהצד השני לפתוח את הכתובת הזו ולהזין את הקוד:
copy-button = העתקה
copied-button = הועתק
code-copied = הקוד הועתק.
copy-failed = ההעתקה נכשלה. אפשר להקריא את הקוד.
cancel-code-button = ביטול
code-expires = תוקף הקוד יפוג בעוד { $time }
code-expired-heading = תוקף הקוד פג
new-code-button = קבלת קוד חדש
sharer-heading = מי הצטרף
client-agent = משתמש/ת באפליקציית Glass
client-web = משתמש/ת בדפדפן אינטרנט
choose-request-message = יש לבקש מ{ $name } לשתף את המסך.
request-view-button = בקשת צפייה בלבד
request-full-button = בקשת שליטה מלאה
try-again-view-button = ניסיון נוסף
full-not-possible = שליטה מלאה אינה אפשרית: אי אפשר לשלוט בדפדפן אינטרנט מרחוק. אפשר רק לצפות.
waiting-approval-message = ממתין לתשובה: { $name }…
declined-declined = { $name }: הבקשה נדחתה.
declined-timeout = { $name }: לא התקבלה תשובה בזמן.
declined-not_supported = { $name }: אי אפשר להעניק שליטה מהמכשיר הזה.
escalation-declined = { $name }: השליטה המלאה נדחתה. עדיין אפשר לצפות.
escalation-timeout = { $name }: לא התקבלה תשובה. עדיין אפשר לצפות.
escalation-not_supported = { $name }: אי אפשר להעניק שליטה מהמכשיר הזה.
stage-heading = מסך משותף
video-label = המסך של { $name }
keyboard-target =
    .aria-label = קלט מקלדת עבור המסך המשותף
level-view = צפייה בלבד
level-full = השליטה אצלך
release-button = החזרת השליטה
fullscreen-button = מסך מלא
# The helper picks which of the sharer's screens (monitors) to see.
display-label = מסך
display-all = כל המסכים
agent-screen-legend = המסך לשיתוף
# Copy and paste with the sharer (full control only).
clipboard-send-button = שליחת הלוח שלי
clipboard-received = הועתק טקסט ({ $count } תווים).
clipboard-copy-button = העתקה ללוח שלי
clipboard-unavailable = דפדפן זה אינו מאפשר לדף להשתמש בלוח.
keyboard-lock-unavailable = בדפדפן זה, קיצורי מערכת כמו Alt+Tab, מקש Windows ו-Escape נשארים במחשב שלך. Chrome ו-Edge מעבירים אותם במסך מלא.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = דפדפן זה אינו יכול להציג או לשלוח מסך משותף (אין בו WebRTC). השתמשו ב-Chrome, ‏Edge, ‏Firefox או Safari.
exit-fullscreen-button = יציאה ממסך מלא
overlay-connecting = מתחבר למסך…
overlay-paused = { $name }: השיתוף מושהה.
video-failed = חיבור הווידאו נכשל.
left-left = { $name }: עזב/ה את ההפעלה.
left-lost = החיבור אל { $name } נותק.
left-stopped = { $name }: השיתוף הופסק.
left-expired = תוקף ההפעלה פג.
ended-self = עזבת את ההפעלה.

helper-state-idle = כדי להתחיל, יש לקבל קוד.
helper-state-waiting_sharer = ממתין שהצד השני יזין את הקוד…
helper-state-expired = תוקף הקוד פג.
helper-state-sharer_joined = { $name } הצטרף/ה.
helper-state-waiting_approval = ממתין לאישור: { $name }…
helper-state-declined = { $name }: הבקשה נדחתה.
helper-state-connected = מחובר אל { $name }.
helper-state-paused = { $name }: השיתוף מושהה.
helper-state-sharer_left = { $name } עזב/ה.
helper-state-ended = ההפעלה הסתיימה.

## Sharer app

sharer-page-title = Glass — שיתוף המסך שלך
sharing-page-title = ● שיתוף פעיל — Glass
sharer-code-heading = קבלת עזרה
code-label = הקוד מהעוזר/ת
code-hint = ‏8 אותיות וספרות, לדוגמה 4060 R0GX
code-bad-format = קוד מכיל 8 אותיות וספרות. יש לבדוק ולנסות שוב.
join-button = הצטרפות
helper-heading = העוזר/ת שלך
joined-message = { $name } יכול/ה עכשיו לבקש לראות את המסך שלך. שום דבר לא משותף בלי אישורך.
consent-heading = { $name } מבקש/ת לראות את המסך שלך
consent-explainer = אם יאושר, הבחירה מה לשתף בידיך: מסך, חלון או כרטיסייה. { $name } יוכל/תוכל לראות, אבל לא לשלוט.
choosing-message = יש לבחור בחלון הדפדפן מה לשתף.
allow-button = אישור
decline-button = דחייה
capture-unsupported = הדפדפן הזה לא יכול לשתף את המסך.
capture-cancelled = שום דבר לא שותף.
sharing-banner = המסך שלך משותף עם { $name } (צפייה בלבד)
sharing-banner-paused = השיתוף מושהה: { $name } לא רואה את המסך שלך.
pause-button = השהיה
resume-button = המשך
stop-button = הפסקת השיתוף
preview-heading = מה העוזר/ת רואה
preview-paused = מושהה
view-only-note = העוזר/ת רואה את מה שמשותף, אבל לא יכול/ה לשלוט בו.
another-code-button = הזנת קוד אחר
ended-stopped = הפסקת את השיתוף.
helper-left-left = { $name }: עזב/ה את ההפעלה.
helper-left-lost = החיבור אל { $name } נותק.
helper-left-stopped = { $name }: ההפעלה הסתיימה.
helper-left-expired = תוקף ההפעלה פג.

sharer-state-idle = יש להזין את הקוד שקיבלת מהעוזר/ת.
sharer-state-joining = בודק את הקוד…
sharer-state-joined = מחובר אל { $name }.
sharer-state-asking = { $name } מבקש/ת לראות את המסך שלך.
sharer-state-choosing = יש לבחור מה לשתף…
sharer-state-sharing = המסך שלך משותף עם { $name }.
sharer-state-paused = השיתוף מושהה.
sharer-state-helper_left = { $name } עזב/ה.
sharer-state-ended = ההפעלה הסתיימה.

## Errors from the broker

error-malformed = השרת לא הבין את הבקשה.
error-unsupported_version = הדף הזה מיושן. יש לטעון אותו מחדש.
error-too_large = ההודעה גדולה מדי.
error-not_allowed = זה לא אפשרי כרגע.
error-code_invalid = הקוד הזה אינו תקף. יש לבדוק אותו או לבקש קוד חדש.
error-locked_out = יותר מדי קודים שגויים. אפשר לנסות שוב בעוד 15 דקות.
error-busy = השירות עמוס. אפשר לנסות שוב בעוד דקה.
error-chat_disabled = הצ׳אט מושבת בארגון שלך.
error-chat_invalid = אי אפשר לשלוח את ההודעה הזו.
error-rate_limited = יותר מדי ניסיונות. יש להמתין מעט ולנסות שוב.
error-internal = משהו השתבש. יש לנסות שוב.

## Agent approval page

agent-page-title = Glass — אישור שיתוף
agent-no-secret = יש לפתוח את הדף הזה מהקישור ש-Glass הדפיס. כשהוא נפתח כך, הוא לא יכול לעשות דבר.
agent-connecting = התחברות ל-Glass במחשב הזה…
agent-disconnected = Glass במחשב הזה הפסיק לפעול. אפשר לסגור את הדף הזה.
agent-joining = הצטרפות להפעלה…
agent-ask-view = { $name } מבקש/ת לראות את המסך שלך
agent-ask-full = { $name } מבקש/ת לראות את המסך שלך ולשלוט בו
agent-explain-view = { $name } יראה/תראה את כל המסך שלך, אבל לא יוכל/תוכל להשתמש בעכבר או במקלדת שלך. אפשר להשהות או לעצור בכל רגע.
agent-explain-full = { $name } יוכל/תוכל להשתמש בעכבר ובמקלדת שלך. אפשר להחזיר לעצמך את השליטה או לעצור בכל רגע.
agent-time-left = זמן שנותר לתשובה: { $seconds } שנ׳
agent-expired = לא התקבלה תשובה בזמן: הבקשה נדחתה.
agent-declined = דחית את הבקשה.
agent-allowed = אישרת. מתחילים…
agent-banner-view = שיתוף עם { $name } — צפייה בלבד
agent-banner-full = שיתוף עם { $name } — שליטה מלאה
agent-banner-paused = שיתוף עם { $name } — מושהה
agent-takeback-button = החזרת השליטה
agent-action-failed = Glass לא קיבל את זה. יש לנסות שוב.
agent-close-page = אפשר לסגור את הדף הזה.
agent-ended-left = ההפעלה הסתיימה.
agent-ended-lost = החיבור לעוזר/ת שלך נותק.
agent-ended-stopped = השיתוף הופסק.
agent-ended-expired = תוקף ההפעלה פג.
agent-ended-broker_lost = החיבור לשרת נותק.
agent-ended-other = ההפעלה הסתיימה.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = המדיניות של הארגון שלך אינה מאפשרת זאת.
warnings-heading = לגבי המכשיר הזה
warning-device_not_enrolled = המכשיר הזה אינו רשום בארגון שלך. עדיף לא להקליד בו פרטי כניסה של מנהל מערכת.
warning-device_not_compliant = המכשיר הזה אינו תואם: { $reasons }. עדיף לא להקליד בו פרטי כניסה של מנהל מערכת.
warning-device_compliance_unknown = לא ידוע אם המכשיר הזה תואם. עדיף לא להקליד בו פרטי כניסה של מנהל מערכת.
warning-other = הארגון שלך סימן את המכשיר הזה. עדיף לא להקליד בו פרטי כניסה של מנהל מערכת.
full-not-allowed = שליטה מלאה אינה אפשרית: המדיניות של הארגון שלך מאפשרת לך רק לצפות.
level-limited = המדיניות של הארגון שלך מאפשרת עכשיו צפייה בלבד.
declined-forbidden = המדיניות של הארגון שלך כבר אינה מאפשרת את הבקשה הזו.
escalation-forbidden = המדיניות של הארגון שלך כבר אינה מאפשרת שליטה מלאה. עדיין אפשר לצפות.
left-revoked = המדיניות של הארגון שלך כבר אינה מאפשרת את הפעלת העזרה הזו.
helper-left-revoked = המדיניות של הארגון שלך כבר אינה מאפשרת את הפעלת העזרה הזו.
ended-revoked = המדיניות של הארגון שלך כבר אינה מאפשרת את הפעלת העזרה הזו.
agent-ended-revoked = המדיניות של הארגון שלך כבר אינה מאפשרת את הפעלת העזרה הזו.
sharer-request-forbidden = הבקשה בוטלה: המדיניות של הארגון שלך כבר אינה מאפשרת אותה.
sharer-level-limited = { $name }: המדיניות של הארגון שלך מאפשרת עכשיו צפייה בלבד.

## Reports page

reports-link = דוחות
reports-page-title = Glass — דוחות
reports-heading = דוחות על הפעלות עזרה
reports-back = חזרה לעזרה מרחוק
reports-filter-heading = סינון
reports-person-label = אדם (שם או מזהה משתמש)
reports-device-label = מכשיר
reports-from-label = מתאריך
reports-to-label = עד תאריך
reports-show-button = הצגת הפעלות
reports-download-csv = הורדת CSV
reports-download-json = הורדת JSON
reports-col-helper = מסייע
reports-col-sharer = האדם שקיבל עזרה
reports-col-start = התחלה
reports-col-end = סיום
reports-col-level = גישה
reports-col-ended = איך הסתיימה
reports-transcript-button = תמליל הצ׳אט
reports-loading = טוען הפעלות…
reports-empty = אין הפעלות שמתאימות לסינון הזה.
reports-forbidden = אין לך הרשאה לצפות בדוחות: המדיניות של הארגון שלך לא מעניקה לך הרשאה זו.
reports-signed-out = יש להתחבר כדי לצפות בדוחות.
reports-failed = לא ניתן היה לטעון את הדוחות. נסו שוב.
reports-bad-dates = בדקו את התאריכים: הסיום לא יכול להיות לפני ההתחלה.
reports-running = לא הסתיימה
reports-level-full = שליטה מלאה
reports-level-view = צפייה בלבד
reports-level-none = לא ניתנה גישה
reports-ended-left = מישהו עזב
reports-ended-lost = החיבור אבד
reports-ended-stopped = השיתוף הופסק
reports-ended-expired = תוקף הקוד פג
reports-ended-revoked = הסתיימה בגלל המדיניות
reports-ended-other = הסתיימה
reports-transcript-heading = תמליל הצ׳אט
reports-transcript-empty = לא נכתב דבר בצ׳אט של ההפעלה הזו.
reports-transcript-not-kept = הטקסט לא נשמר: הארגון שלך לא שומר תמלילי צ׳אט.
reports-transcript-close = סגירה

## Identity binding

agent-identity-verified = הזהות נבדקה במחשב זה מול { $issuer }
agent-identity-broker = לזהות ערב רק השרת של מוקד התמיכה
agent-identity-unverified = לא ניתן היה לאמת את הזהות
helper-renewing-sign-in = הכניסה מתחדשת…
helper-identity-not-renewed = לא ניתן היה לחדש את הכניסה בדפדפן זה, ולכן ייתכן שמי שאתם עוזרים לו לא יוכל לוודא מי אתם. יש לצאת ולהיכנס שוב.
error-fingerprint_mismatch = Glass עצר את ההפעלה: החיבור לא הגיע מהדפדפן שבו נכנס העוזר שלך.
error-helper_unverified = Glass לא הצליח לוודא מי העוזר שלך, ולכן לא הכניס אותו.
error-relay_lost = החיבור דרך שרת הממסר אבד, והעוזר שלך כבר לא רואה את המסך שלך.
