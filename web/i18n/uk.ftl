## Both apps

app-name = Glass
language-label = Мова
signin-heading = Вхід
username-label = Ім’я користувача
password-label = Пароль
signin-button = Увійти
signing-in = Вхід…
signin-missing = Введіть ім’я користувача та пароль.
signin-failed = Неправильне ім’я користувача або пароль.
signin-with = Увійти через { $provider }
signin-or = або
signin-provider-failed = Не вдалося увійти. Спробуйте ще раз.
server-unreachable = Сервер недоступний. Перевірте з’єднання й спробуйте ще раз.
sign-out-button = Вийти
signed-in-as = Ви увійшли як { $name }
leave-button = Вийти із сеансу
reconnect-button = Під’єднатися знову
link-lost-heading = З’єднання втрачено
link-lost = З’єднання із сервером втрачено. Сеанс завершено.
link-resuming = З’єднання із сервером перервалося. Повторне підключення…
peer-away = { $name }: з’єднання втрачено — чекаємо на повернення…
ended-heading = Сеанс завершено
card-picture =
    .alt = Фото: { $name }
domain-verified = підтверджено
domain-unverified = не підтверджено
card-vouched-note = ✓ підтверджено постачальником входу

## Chat

chat-heading = Чат
chat-log =
    .aria-label = Повідомлення
chat-empty = Повідомлень ще немає.
chat-label = Повідомлення
chat-hint = Enter — надіслати, Shift+Enter — новий рядок.
chat-send = Надіслати
chat-length = { $count } / { $max }
chat-too-long = Задовго: { $count } / { $max }
chat-closed = Чат закрито.
chat-kept = Ваша організація зберігає текст цього чату у своєму журналі аудиту.

## Helper app

helper-page-title = Glass — віддалена допомога
helper-start-heading = Допомогти комусь
helper-start-intro = Отримайте код і передайте його людині, якій допомагаєте.
get-code-button = Отримати код
code-heading = Ваш код
code-where = Попросіть відкрити цю адресу й ввести код:
copy-button = Копіювати
copied-button = Скопійовано
code-copied = Код скопійовано.
copy-failed = Не вдалося скопіювати. Продиктуйте код.
cancel-code-button = Скасувати
code-expires = Спливає через { $time }
code-expired-heading = Термін дії коду сплив
new-code-button = Отримати новий код
sharer-heading = Хто приєднався
client-agent = Використовує застосунок Glass
client-web = Використовує вебпереглядач
choose-request-message = Попросіть користувача { $name } показати екран.
request-view-button = Запросити лише перегляд
request-full-button = Запросити повне керування
try-again-view-button = Спробувати ще раз
full-not-possible = Повне керування неможливе: вебпереглядачем не можна керувати віддалено. Можна лише дивитися.
waiting-approval-message = Очікування відповіді: { $name }…
declined-declined = { $name }: запит відхилено.
declined-timeout = { $name }: немає відповіді вчасно.
declined-not_supported = { $name } не може передати керування з цього пристрою.
escalation-declined = { $name }: повне керування відхилено. Ви й далі можете дивитися.
escalation-timeout = { $name }: немає відповіді. Ви й далі можете дивитися.
escalation-not_supported = { $name } не може передати керування з цього пристрою.
stage-heading = Спільний екран
video-label = Екран: { $name }
keyboard-target =
    .aria-label = Введення з клавіатури для спільного екрана
level-view = Лише перегляд
level-full = Керування у вас
release-button = Повернути керування
fullscreen-button = На весь екран
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Екран
display-all = Усі екрани
agent-screen-legend = Екран для показу
# Copy and paste with the sharer (full control only).
clipboard-send-button = Надіслати мій буфер обміну
clipboard-received = Скопійовано текст (символів: { $count }).
clipboard-copy-button = Скопіювати в мій буфер обміну
clipboard-unavailable = Цей браузер не дозволяє сторінці користуватися буфером обміну.
keyboard-lock-unavailable = У цьому браузері системні сполучення клавіш, як-от Alt+Tab, клавіша Windows та Escape, залишаються на вашому комп’ютері. Chrome і Edge передають їх у повноекранному режимі.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Цей браузер не може показати чи передати спільний екран (у ньому немає WebRTC). Використовуйте Chrome, Edge, Firefox або Safari.
exit-fullscreen-button = Вийти з повноекранного режиму
overlay-connecting = Під’єднання до екрана…
overlay-paused = { $name }: показ призупинено.
video-failed = Не вдалося встановити відеозв’язок.
left-left = { $name }: вихід із сеансу.
left-lost = З’єднання втрачено: { $name }.
left-stopped = { $name }: показ екрана зупинено.
left-expired = Термін сеансу сплив.
ended-self = Ви вийшли із сеансу.

helper-state-idle = Щоб почати, отримайте код.
helper-state-waiting_sharer = Очікування, поки інша людина введе код…
helper-state-expired = Термін дії коду сплив.
helper-state-sharer_joined = Приєднався користувач { $name }.
helper-state-waiting_approval = Очікування згоди: { $name }…
helper-state-declined = { $name }: запит відхилено.
helper-state-connected = З’єднано: { $name }.
helper-state-paused = { $name }: показ призупинено.
helper-state-sharer_left = { $name }: вихід із сеансу.
helper-state-ended = Сеанс завершено.

## Sharer app

sharer-page-title = Glass — показ екрана
sharing-page-title = ● Триває показ — Glass
sharer-code-heading = Отримати допомогу
code-label = Код від помічника
code-hint = 8 літер і цифр, наприклад 4060 R0GX
code-bad-format = Код складається з 8 літер і цифр. Перевірте його й спробуйте ще раз.
join-button = Приєднатися
helper-heading = Ваш помічник
joined-message = Тепер { $name } може попросити показати ваш екран. Без вашого дозволу нічого не показується.
consent-heading = { $name } хоче побачити ваш екран
consent-explainer = Якщо дозволите, ви самі виберете, що показати: екран, вікно чи вкладку. { $name } зможе дивитися, але не керувати.
choosing-message = Виберіть у вікні переглядача, що показати.
allow-button = Дозволити
decline-button = Відхилити
capture-unsupported = Цей переглядач не вміє показувати екран.
capture-cancelled = Нічого не показано.
sharing-banner = Ваш екран бачить { $name } (лише перегляд)
sharing-banner-paused = Показ призупинено: { $name } не бачить вашого екрана.
pause-button = Пауза
resume-button = Продовжити
stop-button = Зупинити показ
preview-heading = Що бачить помічник
preview-paused = Пауза
view-only-note = Помічник бачить те, що ви показуєте, але не може керувати.
another-code-button = Ввести інший код
ended-stopped = Ви зупинили показ.
helper-left-left = { $name }: вихід із сеансу.
helper-left-lost = З’єднання втрачено: { $name }.
helper-left-stopped = { $name }: сеанс завершено.
helper-left-expired = Термін сеансу сплив.

sharer-state-idle = Введіть код, який дав вам помічник.
sharer-state-joining = Перевірка коду…
sharer-state-joined = З’єднано: { $name }.
sharer-state-asking = { $name } просить показати ваш екран.
sharer-state-choosing = Виберіть, що показати…
sharer-state-sharing = Ваш екран бачить { $name }.
sharer-state-paused = Показ призупинено.
sharer-state-helper_left = { $name }: вихід із сеансу.
sharer-state-ended = Сеанс завершено.

## Errors from the broker

error-malformed = Сервер не зрозумів запит.
error-unsupported_version = Сторінка застаріла. Перезавантажте її.
error-too_large = Повідомлення завелике.
error-not_allowed = Зараз це неможливо.
error-code_invalid = Код недійсний. Перевірте його або попросіть новий.
error-locked_out = Забагато неправильних кодів. Спробуйте ще раз через 15 хвилин.
error-busy = Сервіс перевантажений. Спробуйте ще раз за хвилину.
error-chat_disabled = Чат вимкнено у вашій організації.
error-chat_invalid = Це повідомлення не можна надіслати.
error-rate_limited = Забагато спроб. Зачекайте трохи й спробуйте ще раз.
error-internal = Щось пішло не так. Спробуйте ще раз.

## Agent approval page

agent-page-title = Glass — підтвердження показу екрана
agent-no-secret = Відкрийте цю сторінку за посиланням, яке вивів Glass. Відкрита так, вона нічого не може зробити.
agent-connecting = Підключення до Glass на цьому комп’ютері…
agent-disconnected = Glass на цьому комп’ютері зупинено. Цю сторінку можна закрити.
agent-joining = Приєднання до сеансу…
agent-ask-view = { $name } просить дозволу бачити ваш екран
agent-ask-full = { $name } просить дозволу бачити ваш екран і керувати ним
agent-explain-view = { $name } бачитиме весь ваш екран, але не зможе користуватися вашою мишею чи клавіатурою. Ви можете призупинити або зупинити показ будь-коли.
agent-explain-full = { $name } зможе користуватися вашою мишею і клавіатурою. Ви можете повернути собі керування або зупинити показ будь-коли.
agent-time-left = Залишилося часу на відповідь: { $seconds } с
agent-expired = Відповіді вчасно не було: запит відхилено.
agent-declined = Ви відмовили.
agent-allowed = Ви дозволили. Запуск…
agent-banner-view = Показ екрана: { $name } — лише перегляд
agent-banner-full = Показ екрана: { $name } — повне керування
agent-banner-paused = Показ екрана: { $name } — призупинено
agent-takeback-button = Повернути керування
agent-action-failed = Glass цього не прийняв. Спробуйте ще раз.
agent-close-page = Цю сторінку можна закрити.
agent-ended-left = Сеанс завершено.
agent-ended-lost = З’єднання з вашим помічником втрачено.
agent-ended-stopped = Показ зупинено.
agent-ended-expired = Термін дії сеансу минув.
agent-ended-broker_lost = З’єднання із сервером втрачено.
agent-ended-other = Сеанс завершено.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Правила вашої організації цього не дозволяють.
warnings-heading = Про цей пристрій
warning-device_not_enrolled = Цей пристрій не зареєстровано у вашій організації. Не вводьте на ньому облікові дані адміністратора.
warning-device_not_compliant = Цей пристрій не відповідає вимогам: { $reasons }. Не вводьте на ньому облікові дані адміністратора.
warning-device_compliance_unknown = Невідомо, чи відповідає цей пристрій вимогам. Не вводьте на ньому облікові дані адміністратора.
warning-other = Ваша організація позначила цей пристрій. Не вводьте на ньому облікові дані адміністратора.
full-not-allowed = Повне керування неможливе: правила вашої організації дозволяють вам лише перегляд.
level-limited = Правила вашої організації тепер дозволяють лише перегляд.
declined-forbidden = Правила вашої організації більше не дозволяють цей запит.
escalation-forbidden = Правила вашої організації більше не дозволяють повне керування. Ви й далі можете дивитися.
left-revoked = Правила вашої організації більше не дозволяють цей сеанс допомоги.
helper-left-revoked = Правила вашої організації більше не дозволяють цей сеанс допомоги.
ended-revoked = Правила вашої організації більше не дозволяють цей сеанс допомоги.
agent-ended-revoked = Правила вашої організації більше не дозволяють цей сеанс допомоги.
sharer-request-forbidden = Запит відкликано: правила вашої організації його більше не дозволяють.
sharer-level-limited = { $name }: правила вашої організації тепер дозволяють лише перегляд.

## Reports page

reports-link = Звіти
reports-page-title = Glass — звіти
reports-heading = Звіти про сеанси допомоги
reports-back = Назад до віддаленої допомоги
reports-filter-heading = Фільтр
reports-person-label = Особа (ім’я або ID користувача)
reports-device-label = Пристрій
reports-from-label = З
reports-to-label = По
reports-show-button = Показати сеанси
reports-download-csv = Завантажити CSV
reports-download-json = Завантажити JSON
reports-col-helper = Помічник
reports-col-sharer = Кому допомагали
reports-col-start = Початок
reports-col-end = Кінець
reports-col-level = Доступ
reports-col-ended = Як завершився
reports-transcript-button = Запис чату
reports-loading = Завантаження сеансів…
reports-empty = Жоден сеанс не відповідає цьому фільтру.
reports-forbidden = Вам не можна переглядати звіти: політика вашої організації не надає вам такого дозволу.
reports-signed-out = Увійдіть, щоб переглядати звіти.
reports-failed = Не вдалося завантажити звіти. Спробуйте ще раз.
reports-bad-dates = Перевірте дати: кінець не може бути раніше за початок.
reports-running = Не завершений
reports-level-full = Повне керування
reports-level-view = Лише перегляд
reports-level-none = Нічого не надано
reports-ended-left = Хтось вийшов
reports-ended-lost = З’єднання втрачено
reports-ended-stopped = Показ зупинено
reports-ended-expired = Термін дії коду минув
reports-ended-revoked = Завершений політикою
reports-ended-other = Завершений
reports-transcript-heading = Запис чату
reports-transcript-empty = У чаті цього сеансу нічого не писали.
reports-transcript-not-kept = Текст не збережено: ваша організація не зберігає записи чатів.
reports-transcript-close = Закрити

## Identity binding

agent-identity-verified = Особу перевірено на цьому комп’ютері через { $issuer }
agent-identity-broker = Особу підтверджує лише сервер служби підтримки
agent-identity-unverified = Не вдалося перевірити особу
helper-renewing-sign-in = Оновлення входу…
helper-identity-not-renewed = Не вдалося оновити вхід у цьому браузері, тож людина, якій ви допомагаєте, може не змогти переконатися, хто ви. Вийдіть і ввійдіть знову.
error-fingerprint_mismatch = Glass зупинив сеанс: з’єднання надійшло не з того браузера, у якому ввійшов ваш помічник.
error-helper_unverified = Glass не зміг підтвердити, хто ваш помічник, тому не впустив його.
error-relay_lost = Зʼєднання через сервер-ретранслятор втрачено, тож помічник більше не бачить ваш екран.
