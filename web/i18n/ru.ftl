## Both apps

app-name = Glass
language-label = Язык
signin-heading = Вход
username-label = Имя пользователя
password-label = Пароль
signin-button = Войти
signing-in = Вход…
signin-missing = Введите имя пользователя и пароль.
signin-failed = Неверное имя пользователя или пароль.
signin-with = Войти через { $provider }
signin-or = или
signin-provider-failed = Не удалось войти. Попробуйте ещё раз.
server-unreachable = Сервер недоступен. Проверьте подключение и попробуйте снова.
sign-out-button = Выйти
signed-in-as = Вы вошли как { $name }
leave-button = Выйти из сеанса
reconnect-button = Переподключиться
link-lost-heading = Соединение потеряно
link-lost = Соединение с сервером потеряно. Сеанс завершён.
link-resuming = Соединение с сервером прервалось. Переподключение…
peer-away = { $name }: соединение потеряно — ждём возвращения…
ended-heading = Сеанс завершён
card-picture =
    .alt = Фото: { $name }
domain-verified = подтверждён
domain-unverified = не подтверждён
card-vouched-note = ✓ подтверждено поставщиком входа

## Chat

chat-heading = Чат
chat-log =
    .aria-label = Сообщения
chat-empty = Сообщений пока нет.
chat-label = Сообщение
chat-hint = Enter — отправить, Shift+Enter — новая строка.
chat-send = Отправить
chat-length = { $count } / { $max }
chat-too-long = Слишком длинно: { $count } / { $max }
chat-closed = Чат закрыт.
chat-kept = Ваша организация сохраняет текст этого чата в своём журнале аудита.

## Helper app

helper-page-title = Glass — удалённая помощь
helper-start-heading = Помочь кому-нибудь
helper-start-intro = Получите код и передайте его человеку, которому помогаете.
get-code-button = Получить код
code-heading = Ваш код
code-where = Попросите открыть этот адрес и ввести код:
copy-button = Копировать
copied-button = Скопировано
code-copied = Код скопирован.
copy-failed = Не удалось скопировать. Продиктуйте код.
cancel-code-button = Отмена
code-expires = Истекает через { $time }
code-expired-heading = Срок действия кода истёк
new-code-button = Получить новый код
sharer-heading = Кто подключился
client-agent = Использует приложение Glass
client-web = Использует веб-браузер
choose-request-message = Попросите пользователя { $name } показать экран.
request-view-button = Запросить только просмотр
request-full-button = Запросить полное управление
try-again-view-button = Попробовать снова
full-not-possible = Полное управление невозможно: веб-браузером нельзя управлять удалённо. Можно только смотреть.
waiting-approval-message = Ожидание ответа: { $name }…
declined-declined = { $name }: запрос отклонён.
declined-timeout = { $name }: нет ответа вовремя.
declined-not_supported = { $name } не может передать управление с этого устройства.
escalation-declined = { $name }: полное управление отклонено. Вы по-прежнему можете смотреть.
escalation-timeout = { $name }: нет ответа. Вы по-прежнему можете смотреть.
escalation-not_supported = { $name } не может передать управление с этого устройства.
stage-heading = Общий экран
video-label = Экран: { $name }
keyboard-target =
    .aria-label = Ввод с клавиатуры для общего экрана
level-view = Только просмотр
level-full = Управление у вас
release-button = Вернуть управление
fullscreen-button = Во весь экран
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Экран
display-all = Все экраны
agent-screen-legend = Экран для показа
# Copy and paste with the sharer (full control only).
clipboard-send-button = Отправить мой буфер обмена
clipboard-received = Скопирован текст (символов: { $count }).
clipboard-copy-button = Скопировать в мой буфер обмена
clipboard-unavailable = Этот браузер не разрешает странице пользоваться буфером обмена.
keyboard-lock-unavailable = В этом браузере системные сочетания клавиш, такие как Alt+Tab, клавиша Windows и Escape, остаются на вашем компьютере. Chrome и Edge передают их в полноэкранном режиме.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Этот браузер не может показать или передать общий экран (в нём нет WebRTC). Используйте Chrome, Edge, Firefox или Safari.
exit-fullscreen-button = Выйти из полноэкранного режима
overlay-connecting = Подключение к экрану…
overlay-paused = { $name }: показ приостановлен.
video-failed = Не удалось установить видеосвязь.
left-left = { $name }: выход из сеанса.
left-lost = Соединение потеряно: { $name }.
left-stopped = { $name }: показ экрана остановлен.
left-expired = Срок сеанса истёк.
ended-self = Вы вышли из сеанса.

helper-state-idle = Чтобы начать, получите код.
helper-state-waiting_sharer = Ожидание, пока другой человек введёт код…
helper-state-expired = Срок действия кода истёк.
helper-state-sharer_joined = Подключился пользователь { $name }.
helper-state-waiting_approval = Ожидание согласия: { $name }…
helper-state-declined = { $name }: запрос отклонён.
helper-state-connected = Подключено: { $name }.
helper-state-paused = { $name }: показ приостановлен.
helper-state-sharer_left = { $name }: выход из сеанса.
helper-state-ended = Сеанс завершён.

## Sharer app

sharer-page-title = Glass — показ экрана
sharing-page-title = ● Идёт показ — Glass
sharer-code-heading = Получить помощь
code-label = Код от помощника
code-hint = 8 букв и цифр, например 4060 R0GX
code-bad-format = Код состоит из 8 букв и цифр. Проверьте его и попробуйте снова.
join-button = Подключиться
helper-heading = Ваш помощник
joined-message = Теперь { $name } может попросить показать ваш экран. Без вашего разрешения ничего не показывается.
consent-heading = { $name } хочет увидеть ваш экран
consent-explainer = Если вы разрешите, то сами выберете, что показать: экран, окно или вкладку. { $name } сможет смотреть, но не управлять.
choosing-message = Выберите в окне браузера, что показать.
allow-button = Разрешить
decline-button = Отклонить
capture-unsupported = Этот браузер не умеет показывать экран.
capture-cancelled = Ничего не показано.
sharing-banner = Ваш экран видит { $name } (только просмотр)
sharing-banner-paused = Показ приостановлен: { $name } не видит ваш экран.
pause-button = Пауза
resume-button = Продолжить
stop-button = Остановить показ
preview-heading = Что видит помощник
preview-paused = Пауза
view-only-note = Помощник видит то, что вы показываете, но не может управлять.
another-code-button = Ввести другой код
ended-stopped = Вы остановили показ.
helper-left-left = { $name }: выход из сеанса.
helper-left-lost = Соединение потеряно: { $name }.
helper-left-stopped = { $name }: сеанс завершён.
helper-left-expired = Срок сеанса истёк.

sharer-state-idle = Введите код, который дал вам помощник.
sharer-state-joining = Проверка кода…
sharer-state-joined = Подключено: { $name }.
sharer-state-asking = { $name } просит показать ваш экран.
sharer-state-choosing = Выберите, что показать…
sharer-state-sharing = Ваш экран видит { $name }.
sharer-state-paused = Показ приостановлен.
sharer-state-helper_left = { $name }: выход из сеанса.
sharer-state-ended = Сеанс завершён.

## Errors from the broker

error-malformed = Сервер не понял запрос.
error-unsupported_version = Страница устарела. Перезагрузите её.
error-too_large = Сообщение слишком большое.
error-not_allowed = Сейчас это невозможно.
error-code_invalid = Код недействителен. Проверьте его или попросите новый.
error-locked_out = Слишком много неверных кодов. Попробуйте снова через 15 минут.
error-busy = Сервис перегружен. Попробуйте снова через минуту.
error-chat_disabled = Чат отключён в вашей организации.
error-chat_invalid = Это сообщение нельзя отправить.
error-rate_limited = Слишком много попыток. Подождите немного и попробуйте снова.
error-internal = Что-то пошло не так. Попробуйте снова.

## Agent approval page

agent-page-title = Glass — подтверждение показа экрана
agent-no-secret = Откройте эту страницу по ссылке, которую вывел Glass. Открытая так, она ничего не может сделать.
agent-connecting = Подключение к Glass на этом компьютере…
agent-disconnected = Glass на этом компьютере остановлен. Эту страницу можно закрыть.
agent-joining = Подключение к сеансу…
agent-ask-view = { $name } просит разрешения видеть ваш экран
agent-ask-full = { $name } просит разрешения видеть ваш экран и управлять им
agent-explain-view = { $name } будет видеть весь ваш экран, но не сможет пользоваться вашей мышью и клавиатурой. Вы можете приостановить или остановить показ в любой момент.
agent-explain-full = { $name } сможет пользоваться вашей мышью и клавиатурой. Вы можете вернуть себе управление или остановить показ в любой момент.
agent-time-left = Осталось времени на ответ: { $seconds } с
agent-expired = Ответа не было вовремя: запрос отклонён.
agent-declined = Вы отказали.
agent-allowed = Вы разрешили. Запуск…
agent-banner-view = Показ экрана: { $name } — только просмотр
agent-banner-full = Показ экрана: { $name } — полное управление
agent-banner-paused = Показ экрана: { $name } — приостановлен
agent-takeback-button = Вернуть управление
agent-action-failed = Glass не принял это. Попробуйте ещё раз.
agent-close-page = Эту страницу можно закрыть.
agent-ended-left = Сеанс завершён.
agent-ended-lost = Соединение с вашим помощником потеряно.
agent-ended-stopped = Показ остановлен.
agent-ended-expired = Срок действия сеанса истёк.
agent-ended-broker_lost = Соединение с сервером потеряно.
agent-ended-other = Сеанс завершён.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Правила вашей организации это запрещают.
warnings-heading = Об этом устройстве
warning-device_not_enrolled = Это устройство не зарегистрировано в вашей организации. Не вводите на нём учётные данные администратора.
warning-device_not_compliant = Это устройство не соответствует требованиям: { $reasons }. Не вводите на нём учётные данные администратора.
warning-device_compliance_unknown = Неизвестно, соответствует ли это устройство требованиям. Не вводите на нём учётные данные администратора.
warning-other = Ваша организация отметила это устройство. Не вводите на нём учётные данные администратора.
full-not-allowed = Полное управление невозможно: правила вашей организации разрешают вам только просмотр.
level-limited = Правила вашей организации теперь разрешают только просмотр.
declined-forbidden = Правила вашей организации больше не разрешают этот запрос.
escalation-forbidden = Правила вашей организации больше не разрешают полное управление. Вы по-прежнему можете смотреть.
left-revoked = Правила вашей организации больше не разрешают этот сеанс помощи.
helper-left-revoked = Правила вашей организации больше не разрешают этот сеанс помощи.
ended-revoked = Правила вашей организации больше не разрешают этот сеанс помощи.
agent-ended-revoked = Правила вашей организации больше не разрешают этот сеанс помощи.
sharer-request-forbidden = Запрос отозван: правила вашей организации его больше не разрешают.
sharer-level-limited = { $name }: правила вашей организации теперь разрешают только просмотр.

## Reports page

reports-link = Отчёты
reports-page-title = Glass — отчёты
reports-heading = Отчёты о сеансах помощи
reports-back = Назад к удалённой помощи
reports-filter-heading = Фильтр
reports-person-label = Человек (имя или ID пользователя)
reports-device-label = Устройство
reports-from-label = С
reports-to-label = По
reports-show-button = Показать сеансы
reports-download-csv = Скачать CSV
reports-download-json = Скачать JSON
reports-col-helper = Помогающий
reports-col-sharer = Кому помогали
reports-col-start = Начало
reports-col-end = Конец
reports-col-level = Доступ
reports-col-ended = Как завершился
reports-transcript-button = Запись чата
reports-loading = Загрузка сеансов…
reports-empty = Нет сеансов, подходящих под этот фильтр.
reports-forbidden = Вам нельзя просматривать отчёты: политика вашей организации не даёт вам такого разрешения.
reports-signed-out = Войдите, чтобы просматривать отчёты.
reports-failed = Не удалось загрузить отчёты. Попробуйте ещё раз.
reports-bad-dates = Проверьте даты: конец не может быть раньше начала.
reports-running = Не завершён
reports-level-full = Полное управление
reports-level-view = Только просмотр
reports-level-none = Ничего не разрешено
reports-ended-left = Кто-то вышел
reports-ended-lost = Соединение потеряно
reports-ended-stopped = Показ остановлен
reports-ended-expired = Срок действия кода истёк
reports-ended-revoked = Завершён политикой
reports-ended-other = Завершён
reports-transcript-heading = Запись чата
reports-transcript-empty = В чате этого сеанса ничего не писали.
reports-transcript-not-kept = Текст не сохранён: ваша организация не хранит записи чатов.
reports-transcript-close = Закрыть

## Identity binding

agent-identity-verified = Личность проверена на этом компьютере через { $issuer }
agent-identity-broker = Личность подтверждена только сервером службы поддержки
agent-identity-unverified = Не удалось проверить личность
helper-renewing-sign-in = Обновление входа…
helper-identity-not-renewed = Не удалось обновить вход в этом браузере, поэтому человек, которому вы помогаете, может не суметь убедиться, кто вы. Выйдите и войдите снова.
error-fingerprint_mismatch = Glass остановил сеанс: подключение пришло не из того браузера, в котором вошёл ваш помощник.
error-helper_unverified = Glass не смог подтвердить, кто ваш помощник, и поэтому не впустил его.
error-relay_lost = Соединение через сервер-ретранслятор потеряно, и помощник больше не видит ваш экран.
