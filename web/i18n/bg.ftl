## Both apps

app-name = Glass
language-label = Език
signin-heading = Вход
username-label = Потребителско име
password-label = Парола
signin-button = Вход
signing-in = Влизане…
signin-missing = Въведете потребителско име и парола.
signin-failed = Грешно потребителско име или парола.
signin-with = Вход с { $provider }
signin-or = или
signin-provider-failed = Входът не беше успешен. Опитайте отново.
server-unreachable = Сървърът не е достъпен. Проверете връзката си и опитайте отново.
sign-out-button = Изход
signed-in-as = Влезли сте като { $name }
leave-button = Напускане
reconnect-button = Свързване отново
link-lost-heading = Връзката е прекъсната
link-lost = Връзката със сървъра прекъсна. Сесията приключи.
link-resuming = Връзката със сървъра прекъсна. Свързване отново…
peer-away = Връзката на { $name } прекъсна — изчакваме да се върне…
ended-heading = Сесията приключи
card-picture =
    .alt = Снимка: { $name }
domain-verified = потвърден
domain-unverified = непотвърден
card-vouched-note = ✓ потвърдено от доставчика за вход

## Chat

chat-heading = Чат
chat-log =
    .aria-label = Съобщения
chat-empty = Още няма съобщения.
chat-label = Съобщение
chat-hint = Enter изпраща, Shift+Enter започва нов ред.
chat-send = Изпращане
chat-length = { $count } / { $max }
chat-too-long = Твърде дълго: { $count } / { $max }
chat-closed = Чатът е затворен.
chat-kept = Вашата организация съхранява текста на този чат в своя одитен журнал.

## Helper app

helper-page-title = Glass — отдалечена помощ
helper-start-heading = Помогнете на някого
helper-start-intro = Вземете код и го дайте на човека, на когото помагате.
get-code-button = Вземане на код
code-heading = Вашият код
code-where = Помолете го да отвори този адрес и да въведе кода:
copy-button = Копиране
copied-button = Копирано
code-copied = Кодът е копиран.
copy-failed = Копирането не успя. Прочетете кода на глас.
cancel-code-button = Отказ
code-expires = Изтича след { $time }
code-expired-heading = Кодът изтече
new-code-button = Вземане на нов код
sharer-heading = Кой се присъедини
client-agent = Използва приложението Glass
client-web = Използва уеб браузър
choose-request-message = Помолете { $name } да ви покаже екрана си.
request-view-button = Искане само за преглед
request-full-button = Искане за пълен контрол
try-again-view-button = Нов опит
full-not-possible = Пълен контрол не е възможен: уеб браузър не може да се управлява отдалечено. Можете само да гледате.
waiting-approval-message = Изчаква се отговор от { $name }…
declined-declined = { $name } отказа.
declined-timeout = { $name } не отговори навреме.
declined-not_supported = { $name } не може да даде контрол от това устройство.
escalation-declined = { $name } отказа пълен контрол. Все още можете да гледате.
escalation-timeout = { $name } не отговори. Все още можете да гледате.
escalation-not_supported = { $name } не може да даде контрол от това устройство.
stage-heading = Споделен екран
video-label = Екран на { $name }
keyboard-target =
    .aria-label = Въвеждане от клавиатура за споделения екран
level-view = Само преглед
level-full = Вие управлявате
release-button = Връщане на контрола
fullscreen-button = Цял екран
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Екран
display-all = Всички екрани
agent-screen-legend = Екран за споделяне
# Copy and paste with the sharer (full control only).
clipboard-send-button = Изпрати моя клипборд
clipboard-received = Копираха текст ({ $count } знака).
clipboard-copy-button = Копирай в моя клипборд
clipboard-unavailable = Този браузър не позволява на страницата да използва клипборда.
keyboard-lock-unavailable = В този браузър системните клавишни комбинации като Alt+Tab, клавишът Windows и Escape остават на вашия компютър. Chrome и Edge ги предават на цял екран.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Този браузър не може да показва или изпраща споделен екран (няма WebRTC). Използвайте Chrome, Edge, Firefox или Safari.
exit-fullscreen-button = Изход от цял екран
overlay-connecting = Свързване с екрана…
overlay-paused = { $name } постави споделянето на пауза.
video-failed = Видеовръзката не успя.
left-left = { $name } напусна сесията.
left-lost = Връзката с { $name } прекъсна.
left-stopped = { $name } спря споделянето.
left-expired = Сесията изтече.
ended-self = Напуснахте сесията.

helper-state-idle = Вземете код, за да започнете.
helper-state-waiting_sharer = Изчаква се другият човек да въведе кода…
helper-state-expired = Кодът изтече.
helper-state-sharer_joined = { $name } се присъедини.
helper-state-waiting_approval = Изчаква се одобрение от { $name }…
helper-state-declined = { $name } отказа.
helper-state-connected = Свързани с { $name }.
helper-state-paused = { $name } постави споделянето на пауза.
helper-state-sharer_left = { $name } излезе.
helper-state-ended = Сесията приключи.

## Sharer app

sharer-page-title = Glass — споделяне на екрана
sharing-page-title = ● Споделяне — Glass
sharer-code-heading = Получете помощ
code-label = Код от помощника ви
code-hint = 8 букви и цифри, например 4060 R0GX
code-bad-format = Кодът има 8 букви и цифри. Проверете го и опитайте отново.
join-button = Присъединяване
helper-heading = Вашият помощник
joined-message = { $name } вече може да поиска да види екрана ви. Нищо не се споделя без ваше разрешение.
consent-heading = { $name } иска да види екрана ви
consent-explainer = Ако разрешите, вие избирате какво да споделите: екран, прозорец или раздел. { $name } ще го вижда, но няма да може да го управлява.
choosing-message = Изберете в прозореца на браузъра какво да споделите.
allow-button = Разрешаване
decline-button = Отказ
capture-unsupported = Този браузър не може да споделя екрана.
capture-cancelled = Нищо не беше споделено.
sharing-banner = Споделяте екрана си с { $name } (само преглед)
sharing-banner-paused = Споделянето е на пауза: { $name } не вижда екрана ви.
pause-button = Пауза
resume-button = Продължаване
stop-button = Спиране на споделянето
preview-heading = Какво вижда помощникът ви
preview-paused = На пауза
view-only-note = Помощникът ви вижда това, което споделяте, но не може да го управлява.
another-code-button = Въвеждане на друг код
ended-stopped = Спряхте споделянето.
helper-left-left = { $name } напусна сесията.
helper-left-lost = Връзката с { $name } прекъсна.
helper-left-stopped = { $name } прекрати сесията.
helper-left-expired = Сесията изтече.

sharer-state-idle = Въведете кода, който ви даде помощникът.
sharer-state-joining = Проверка на кода…
sharer-state-joined = Свързани с { $name }.
sharer-state-asking = { $name } иска да види екрана ви.
sharer-state-choosing = Изберете какво да споделите…
sharer-state-sharing = Споделяте екрана си с { $name }.
sharer-state-paused = Споделянето е на пауза.
sharer-state-helper_left = { $name } излезе.
sharer-state-ended = Сесията приключи.

## Errors from the broker

error-malformed = Сървърът не разбра заявката.
error-unsupported_version = Тази страница е остаряла. Презаредете я.
error-too_large = Съобщението е твърде голямо.
error-not_allowed = Това не е възможно в момента.
error-code_invalid = Този код не е валиден. Проверете го или поискайте нов.
error-locked_out = Твърде много грешни кодове. Опитайте отново след 15 минути.
error-busy = Услугата е натоварена. Опитайте отново след минута.
error-chat_disabled = Чатът е изключен за вашата организация.
error-chat_invalid = Това съобщение не може да бъде изпратено.
error-rate_limited = Твърде много опити. Изчакайте малко и опитайте отново.
error-internal = Нещо се обърка. Опитайте отново.

## Agent approval page

agent-page-title = Glass — одобрение на споделянето
agent-no-secret = Отворете тази страница от връзката, която Glass отпечата. Отворена така, тя не може да направи нищо.
agent-connecting = Свързване с Glass на този компютър…
agent-disconnected = Glass на този компютър спря. Можете да затворите тази страница.
agent-joining = Присъединяване към сесията…
agent-ask-view = { $name } иска да види екрана ви
agent-ask-full = { $name } иска да вижда и управлява екрана ви
agent-explain-view = { $name } ще вижда целия ви екран, но не може да използва мишката или клавиатурата ви. Можете да поставите на пауза или да спрете по всяко време.
agent-explain-full = { $name } ще може да използва мишката и клавиатурата ви. Можете да си върнете контрола или да спрете по всяко време.
agent-time-left = Оставащо време за отговор: { $seconds } с
agent-expired = Няма отговор навреме: искането е отказано.
agent-declined = Отказахте.
agent-allowed = Разрешихте. Стартиране…
agent-banner-view = Споделяне с { $name } — само преглед
agent-banner-full = Споделяне с { $name } — пълен контрол
agent-banner-paused = Споделяне с { $name } — на пауза
agent-takeback-button = Върнете си контрола
agent-action-failed = Glass не прие това. Опитайте отново.
agent-close-page = Можете да затворите тази страница.
agent-ended-left = Сесията приключи.
agent-ended-lost = Връзката с вашия помощник прекъсна.
agent-ended-stopped = Споделянето спря.
agent-ended-expired = Сесията изтече.
agent-ended-broker_lost = Връзката със сървъра прекъсна.
agent-ended-other = Сесията приключи.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Правилата на вашата организация не позволяват това.
warnings-heading = За това устройство
warning-device_not_enrolled = Това устройство не е регистрирано от вашата организация. Не въвеждайте на него администраторски данни за вход.
warning-device_not_compliant = Това устройство не отговаря на изискванията: { $reasons }. Не въвеждайте на него администраторски данни за вход.
warning-device_compliance_unknown = Не е известно дали това устройство отговаря на изискванията. Не въвеждайте на него администраторски данни за вход.
warning-other = Вашата организация е отбелязала това устройство. Не въвеждайте на него администраторски данни за вход.
full-not-allowed = Пълен контрол не е възможен: правилата на вашата организация ви позволяват само преглед.
level-limited = Правилата на вашата организация вече позволяват само преглед.
declined-forbidden = Правилата на вашата организация вече не позволяват тази заявка.
escalation-forbidden = Правилата на вашата организация вече не позволяват пълен контрол. Все още можете да гледате.
left-revoked = Правилата на вашата организация вече не позволяват тази сесия за помощ.
helper-left-revoked = Правилата на вашата организация вече не позволяват тази сесия за помощ.
ended-revoked = Правилата на вашата организация вече не позволяват тази сесия за помощ.
agent-ended-revoked = Правилата на вашата организация вече не позволяват тази сесия за помощ.
sharer-request-forbidden = Заявката е оттеглена: правилата на вашата организация вече не я позволяват.
sharer-level-limited = { $name }: правилата на вашата организация вече позволяват само преглед.

## Reports page

reports-link = Отчети
reports-page-title = Glass — отчети
reports-heading = Отчети за сесии за помощ
reports-back = Обратно към отдалечената помощ
reports-filter-heading = Филтър
reports-person-label = Лице (име или потребителски ID)
reports-device-label = Устройство
reports-from-label = От
reports-to-label = До
reports-show-button = Покажи сесиите
reports-download-csv = Изтегли CSV
reports-download-json = Изтегли JSON
reports-col-helper = Помагащ
reports-col-sharer = Лице, на което е помогнато
reports-col-start = Начало
reports-col-end = Край
reports-col-level = Достъп
reports-col-ended = Как е приключила
reports-transcript-button = Запис на чата
reports-loading = Зареждане на сесиите…
reports-empty = Няма сесии, отговарящи на този филтър.
reports-forbidden = Нямате право да преглеждате отчети: правилата на вашата организация не ви дават това разрешение.
reports-signed-out = Влезте, за да преглеждате отчети.
reports-failed = Отчетите не можаха да се заредят. Опитайте отново.
reports-bad-dates = Проверете датите: краят не може да е преди началото.
reports-running = Не е приключила
reports-level-full = Пълен контрол
reports-level-view = Само преглед
reports-level-none = Нищо не е разрешено
reports-ended-left = Някой напусна
reports-ended-lost = Връзката е загубена
reports-ended-stopped = Споделянето е спряно
reports-ended-expired = Кодът е изтекъл
reports-ended-revoked = Прекратена от правилата
reports-ended-other = Приключила
reports-transcript-heading = Запис на чата
reports-transcript-empty = В чата на тази сесия не е писано нищо.
reports-transcript-not-kept = Текстът не е запазен: вашата организация не пази записи на чата.
reports-transcript-close = Затвори

## Identity binding

agent-identity-verified = Самоличността е проверена на този компютър чрез { $issuer }
agent-identity-broker = Самоличността е потвърдена само от сървъра на службата за помощ
agent-identity-unverified = Самоличността не можа да бъде проверена
helper-renewing-sign-in = Подновяване на входа…
helper-identity-not-renewed = Входът ви не можа да бъде подновен в този браузър, затова човекът, на когото помагате, може да не успее да потвърди кой сте. Излезте и влезте отново.
error-fingerprint_mismatch = Glass спря сесията: връзката не идва от браузъра, с който е влязъл вашият помощник.
error-helper_unverified = Glass не можа да потвърди кой е вашият помощник, затова не го допусна.
error-relay_lost = Връзката през релейния сървър прекъсна и помощникът ви вече не вижда екрана ви.
