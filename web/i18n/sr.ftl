## Both apps

app-name = Glass
language-label = Језик
signin-heading = Пријава
username-label = Корисничко име
password-label = Лозинка
signin-button = Пријави се
signing-in = Пријављивање…
signin-missing = Унесите корисничко име и лозинку.
signin-failed = Погрешно корисничко име или лозинка.
signin-with = Пријава преко { $provider }
signin-or = или
signin-provider-failed = Пријава није успела. Покушајте поново.
server-unreachable = Сервер није доступан. Проверите везу и покушајте поново.
sign-out-button = Одјави се
signed-in-as = Пријављени као { $name }
leave-button = Напусти
reconnect-button = Поново се повежи
link-lost-heading = Веза је прекинута
link-lost = Веза са сервером је прекинута. Сесија је завршена.
link-resuming = Веза са сервером је прекинута. Поновно повезивање…
peer-away = { $name }: веза је прекинута — чекамо повратак…
ended-heading = Сесија је завршена
card-picture =
    .alt = Слика: { $name }
domain-verified = потврђено
domain-unverified = није потврђено
card-vouched-note = ✓ потврдио добављач пријаве

## Chat

chat-heading = Ћаскање
chat-log =
    .aria-label = Поруке
chat-empty = Још нема порука.
chat-label = Порука
chat-hint = Enter шаље, Shift+Enter почиње нови ред.
chat-send = Пошаљи
chat-length = { $count } / { $max }
chat-too-long = Предугачко: { $count } / { $max }
chat-closed = Ћаскање је затворено.
chat-kept = Ваша организација чува текст овог ћаскања у свом ревизорском запису.

## Helper app

helper-page-title = Glass — помоћ на даљину
helper-start-heading = Помозите некоме
helper-start-intro = Затражите код и дајте га особи којој помажете.
get-code-button = Затражи код
code-heading = Ваш код
code-where = Замолите особу да отвори ову адресу и унесе код:
copy-button = Копирај
copied-button = Копирано
code-copied = Код је копиран.
copy-failed = Копирање није успело. Прочитајте код наглас.
cancel-code-button = Откажи
code-expires = Истиче за { $time }
code-expired-heading = Код је истекао
new-code-button = Затражи нови код
sharer-heading = Ко се придружио
client-agent = Користи апликацију Glass
client-web = Користи веб-прегледач
choose-request-message = Замолите да вам { $name } покаже екран.
request-view-button = Затражи само приказ
request-full-button = Затражи потпуну контролу
try-again-view-button = Покушај поново
full-not-possible = Потпуна контрола није могућа: веб-прегледачем се не може управљати на даљину. Можете само да гледате.
waiting-approval-message = Чека се одговор: { $name }…
declined-declined = { $name }: одбијено.
declined-timeout = { $name }: нема одговора на време.
declined-not_supported = { $name } не може да да контролу са овог уређаја.
escalation-declined = { $name }: потпуна контрола одбијена. И даље можете да гледате.
escalation-timeout = { $name }: нема одговора. И даље можете да гледате.
escalation-not_supported = { $name } не може да да контролу са овог уређаја.
stage-heading = Дељени екран
video-label = Екран: { $name }
keyboard-target =
    .aria-label = Унос тастатуром за дељени екран
level-view = Само приказ
level-full = Ви имате контролу
release-button = Врати контролу
fullscreen-button = Цео екран
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Екран
display-all = Сви екрани
agent-screen-legend = Екран за дељење
# Copy and paste with the sharer (full control only).
clipboard-send-button = Пошаљи мој клипборд
clipboard-received = Копиран је текст ({ $count } знакова).
clipboard-copy-button = Копирај у мој клипборд
clipboard-unavailable = Овај прегледач не дозвољава страници да користи клипборд.
keyboard-lock-unavailable = У овом прегледачу системске пречице као што су Alt+Tab, тастер Windows и Escape остају на вашем рачунару. Chrome и Edge их прослеђују у режиму целог екрана.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Овај прегледач не може да прикаже нити пошаље дељени екран (нема WebRTC). Користите Chrome, Edge, Firefox или Safari.
exit-fullscreen-button = Изађи из целог екрана
overlay-connecting = Повезивање са екраном…
overlay-paused = { $name } је паузирао/ла дељење.
video-failed = Видео веза није успела.
left-left = { $name } је напустио/ла сесију.
left-lost = Веза је прекинута: { $name }.
left-stopped = { $name } је престао/ла да дели.
left-expired = Сесија је истекла.
ended-self = Напустили сте сесију.

helper-state-idle = За почетак затражите код.
helper-state-waiting_sharer = Чека се да друга особа унесе код…
helper-state-expired = Код је истекао.
helper-state-sharer_joined = Придружио/ла се: { $name }.
helper-state-waiting_approval = Чека се одобрење: { $name }…
helper-state-declined = { $name }: одбијено.
helper-state-connected = Повезано: { $name }.
helper-state-paused = { $name } је паузирао/ла дељење.
helper-state-sharer_left = { $name } је отишао/ла.
helper-state-ended = Сесија је завршена.

## Sharer app

sharer-page-title = Glass — поделите екран
sharing-page-title = ● Дељење — Glass
sharer-code-heading = Затражите помоћ
code-label = Код од помагача
code-hint = 8 слова и цифара, на пример 4060 R0GX
code-bad-format = Код има 8 слова и цифара. Проверите га и покушајте поново.
join-button = Придружи се
helper-heading = Ваш помагач
joined-message = { $name } сада може да затражи приказ вашег екрана. Ништа се не дели без ваше дозволе.
consent-heading = { $name } жели да види ваш екран
consent-explainer = Ако дозволите, бирате шта делите: екран, прозор или картицу. { $name } ће то видети, али неће моћи да управља.
choosing-message = У прозору прегледача изаберите шта желите да делите.
allow-button = Дозволи
decline-button = Одбиј
capture-unsupported = Овај прегледач не може да дели екран.
capture-cancelled = Ништа није подељено.
sharing-banner = Ваш екран види { $name } (само приказ)
sharing-banner-paused = Дељење је паузирано: { $name } не види ваш екран.
pause-button = Паузирај
resume-button = Настави
stop-button = Престани са дељењем
preview-heading = Шта види ваш помагач
preview-paused = Паузирано
view-only-note = Ваш помагач види оно што делите, али не може њиме да управља.
another-code-button = Унеси други код
ended-stopped = Престали сте са дељењем.
helper-left-left = { $name } је напустио/ла сесију.
helper-left-lost = Веза је прекинута: { $name }.
helper-left-stopped = { $name } је завршио/ла сесију.
helper-left-expired = Сесија је истекла.

sharer-state-idle = Унесите код који сте добили од помагача.
sharer-state-joining = Провера кода…
sharer-state-joined = Повезано: { $name }.
sharer-state-asking = { $name } тражи приказ вашег екрана.
sharer-state-choosing = Изаберите шта делите…
sharer-state-sharing = Ваш екран види { $name }.
sharer-state-paused = Дељење је паузирано.
sharer-state-helper_left = { $name } је отишао/ла.
sharer-state-ended = Сесија је завршена.

## Errors from the broker

error-malformed = Сервер није разумео захтев.
error-unsupported_version = Ова страница је застарела. Поново је учитајте.
error-too_large = Порука је превелика.
error-not_allowed = То тренутно није могуће.
error-code_invalid = Овај код није важећи. Проверите га или затражите нови.
error-locked_out = Превише погрешних кодова. Покушајте поново за 15 минута.
error-busy = Услуга је заузета. Покушајте поново за минут.
error-chat_disabled = Ћаскање је искључено у вашој организацији.
error-chat_invalid = Ова порука не може да се пошаље.
error-rate_limited = Превише покушаја. Сачекајте мало и покушајте поново.
error-internal = Нешто није у реду. Покушајте поново.

## Agent approval page

agent-page-title = Glass — одобрење дељења
agent-no-secret = Отворите ову страницу преко везе коју је исписао Glass. Овако отворена не може ништа да уради.
agent-connecting = Повезивање са Glass-ом на овом рачунару…
agent-disconnected = Glass на овом рачунару је заустављен. Можете да затворите ову страницу.
agent-joining = Придруживање сесији…
agent-ask-view = { $name } тражи да види ваш екран
agent-ask-full = { $name } тражи да види ваш екран и управља њиме
agent-explain-view = { $name } ће видети цео ваш екран, али неће моћи да користи ваш миш или тастатуру. У сваком тренутку можете да паузирате или зауставите.
agent-explain-full = { $name } ће моћи да користи ваш миш и тастатуру. У сваком тренутку можете да преузмете контролу назад или зауставите.
agent-time-left = Преостало време за одговор: { $seconds } с
agent-expired = Нема одговора на време: захтев је одбијен.
agent-declined = Одбили сте.
agent-allowed = Дозволили сте. Покретање…
agent-banner-view = Дељење: { $name } — само приказ
agent-banner-full = Дељење: { $name } — потпуна контрола
agent-banner-paused = Дељење: { $name } — паузирано
agent-takeback-button = Преузми контролу назад
agent-action-failed = Glass то није прихватио. Покушајте поново.
agent-close-page = Можете да затворите ову страницу.
agent-ended-left = Сесија је завршена.
agent-ended-lost = Веза са вашим помагачем је прекинута.
agent-ended-stopped = Дељење је заустављено.
agent-ended-expired = Сесија је истекла.
agent-ended-broker_lost = Веза са сервером је прекинута.
agent-ended-other = Сесија је завршена.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Правила ваше организације то не дозвољавају.
warnings-heading = О овом уређају
warning-device_not_enrolled = Овај уређај није регистрован у вашој организацији. Не уносите на њему администраторске акредитиве.
warning-device_not_compliant = Овај уређај није усклађен: { $reasons }. Не уносите на њему администраторске акредитиве.
warning-device_compliance_unknown = Није познато да ли је овај уређај усклађен. Не уносите на њему администраторске акредитиве.
warning-other = Ваша организација је означила овај уређај. Не уносите на њему администраторске акредитиве.
full-not-allowed = Потпуна контрола није могућа: правила ваше организације дозвољавају вам само гледање.
level-limited = Правила ваше организације сада дозвољавају само приказ.
declined-forbidden = Правила ваше организације више не дозвољавају овај захтев.
escalation-forbidden = Правила ваше организације више не дозвољавају потпуну контролу. И даље можете да гледате.
left-revoked = Правила ваше организације више не дозвољавају ову сесију помоћи.
helper-left-revoked = Правила ваше организације више не дозвољавају ову сесију помоћи.
ended-revoked = Правила ваше организације више не дозвољавају ову сесију помоћи.
agent-ended-revoked = Правила ваше организације више не дозвољавају ову сесију помоћи.
sharer-request-forbidden = Захтев је повучен: правила ваше организације га више не дозвољавају.
sharer-level-limited = { $name }: правила ваше организације сада дозвољавају само приказ.

## Reports page

reports-link = Извештаји
reports-page-title = Glass — извештаји
reports-heading = Извештаји о сесијама помоћи
reports-back = Назад на помоћ на даљину
reports-filter-heading = Филтер
reports-person-label = Особа (име или кориснички ID)
reports-device-label = Уређај
reports-from-label = Од
reports-to-label = До
reports-show-button = Прикажи сесије
reports-download-csv = Преузми CSV
reports-download-json = Преузми JSON
reports-col-helper = Помагач
reports-col-sharer = Особа којој је помогнуто
reports-col-start = Почетак
reports-col-end = Крај
reports-col-level = Приступ
reports-col-ended = Како се завршила
reports-transcript-button = Транскрипт ћаскања
reports-loading = Учитавање сесија…
reports-empty = Ниједна сесија не одговара овом филтеру.
reports-forbidden = Не можете да прегледате извештаје: смернице ваше организације вам не дају ту дозволу.
reports-signed-out = Пријавите се да бисте прегледали извештаје.
reports-failed = Извештаји нису могли да се учитају. Покушајте поново.
reports-bad-dates = Проверите датуме: крај не сме бити пре почетка.
reports-running = Није завршена
reports-level-full = Потпуна контрола
reports-level-view = Само приказ
reports-level-none = Ништа није одобрено
reports-ended-left = Неко је отишао
reports-ended-lost = Веза је прекинута
reports-ended-stopped = Дељење је заустављено
reports-ended-expired = Код је истекао
reports-ended-revoked = Завршена због смерница
reports-ended-other = Завршена
reports-transcript-heading = Транскрипт ћаскања
reports-transcript-empty = У ћаскању ове сесије ништа није написано.
reports-transcript-not-kept = Текст није сачуван: ваша организација не чува транскрипте ћаскања.
reports-transcript-close = Затвори

## Identity binding

agent-identity-verified = Идентитет проверен на овом рачунару код { $issuer }
agent-identity-broker = Идентитет гарантује само сервер службе за подршку
agent-identity-unverified = Идентитет није могуће проверити
helper-renewing-sign-in = Обнављање пријаве…
helper-identity-not-renewed = Пријаву није било могуће обновити у овом прегледачу, па особа којој помажете можда неће моћи да потврди ко сте. Одјавите се и поново се пријавите.
error-fingerprint_mismatch = Glass је зауставио сесију: веза није дошла из прегледача у којем се пријавио ваш помагач.
error-helper_unverified = Glass није могао да потврди ко је ваш помагач, па га није пустио.
error-relay_lost = Веза преко релејног сервера је изгубљена, па ваш помагач више не види ваш екран.
