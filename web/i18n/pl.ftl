## Both apps

app-name = Glass
language-label = Język
signin-heading = Zaloguj się
username-label = Nazwa użytkownika
password-label = Hasło
signin-button = Zaloguj się
signing-in = Logowanie…
signin-missing = Wpisz nazwę użytkownika i hasło.
signin-failed = Nieprawidłowa nazwa użytkownika lub hasło.
signin-with = Zaloguj się przez { $provider }
signin-or = lub
signin-provider-failed = Logowanie nie powiodło się. Spróbuj ponownie.
server-unreachable = Brak połączenia z serwerem. Sprawdź połączenie i spróbuj ponownie.
sign-out-button = Wyloguj się
signed-in-as = Zalogowano jako { $name }
leave-button = Opuść
reconnect-button = Połącz ponownie
link-lost-heading = Utracono połączenie
link-lost = Połączenie z serwerem zostało przerwane. Sesja się zakończyła.
link-resuming = Połączenie z serwerem zostało przerwane. Ponowne łączenie…
peer-away = { $name }: połączenie przerwane — czekamy na powrót…
ended-heading = Sesja zakończona
card-picture =
    .alt = Zdjęcie: { $name }
domain-verified = zweryfikowana
domain-unverified = niezweryfikowana
card-vouched-note = ✓ potwierdzone przez dostawcę logowania

## Chat

chat-heading = Czat
chat-log =
    .aria-label = Wiadomości
chat-empty = Nie ma jeszcze wiadomości.
chat-label = Wiadomość
chat-hint = Enter wysyła, Shift+Enter zaczyna nowy wiersz.
chat-send = Wyślij
chat-length = { $count } / { $max }
chat-too-long = Za długa: { $count } / { $max }
chat-closed = Czat jest zamknięty.
chat-kept = Twoja organizacja przechowuje treść tego czatu w swoim dzienniku audytu.

## Helper app

helper-page-title = Glass — pomoc zdalna
helper-start-heading = Pomóż komuś
helper-start-intro = Pobierz kod i przekaż go osobie, której pomagasz.
get-code-button = Pobierz kod
code-heading = Twój kod
code-where = Poproś tę osobę, by otworzyła ten adres i wpisała kod:
copy-button = Kopiuj
copied-button = Skopiowano
code-copied = Kod został skopiowany.
copy-failed = Nie udało się skopiować. Przeczytaj kod na głos.
cancel-code-button = Anuluj
code-expires = Wygasa za { $time }
code-expired-heading = Kod wygasł
new-code-button = Pobierz nowy kod
sharer-heading = Kto dołączył
client-agent = Korzysta z aplikacji Glass
client-web = Korzysta z przeglądarki
choose-request-message = Poproś, aby { $name } pokazał(a) Ci ekran.
request-view-button = Poproś o podgląd
request-full-button = Poproś o pełną kontrolę
try-again-view-button = Spróbuj ponownie
full-not-possible = Pełna kontrola jest niemożliwa: przeglądarki nie da się sterować zdalnie. Możesz tylko patrzeć.
waiting-approval-message = Czekam na odpowiedź: { $name }…
declined-declined = { $name }: odmowa.
declined-timeout = { $name }: brak odpowiedzi na czas.
declined-not_supported = { $name } nie może przekazać kontroli z tego urządzenia.
escalation-declined = { $name }: odmowa pełnej kontroli. Nadal możesz patrzeć.
escalation-timeout = { $name }: brak odpowiedzi. Nadal możesz patrzeć.
escalation-not_supported = { $name } nie może przekazać kontroli z tego urządzenia.
stage-heading = Udostępniony ekran
video-label = Ekran: { $name }
keyboard-target =
    .aria-label = Wprowadzanie z klawiatury na udostępniony ekran
level-view = Tylko podgląd
level-full = Masz kontrolę
release-button = Oddaj kontrolę
fullscreen-button = Pełny ekran
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ekran
display-all = Wszystkie ekrany
agent-screen-legend = Ekran do udostępnienia
# Copy and paste with the sharer (full control only).
clipboard-send-button = Wyślij mój schowek
clipboard-received = Skopiowano tekst (znaki: { $count }).
clipboard-copy-button = Kopiuj do mojego schowka
clipboard-unavailable = Ta przeglądarka nie pozwala stronie korzystać ze schowka.
keyboard-lock-unavailable = W tej przeglądarce skróty systemowe, takie jak Alt+Tab, klawisz Windows i Escape, pozostają na Twoim komputerze. Chrome i Edge przekazują je w trybie pełnoekranowym.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ta przeglądarka nie może wyświetlić ani wysłać udostępnionego ekranu (nie ma WebRTC). Użyj Chrome, Edge, Firefox lub Safari.
exit-fullscreen-button = Zamknij pełny ekran
overlay-connecting = Łączenie z ekranem…
overlay-paused = { $name } wstrzymuje udostępnianie.
video-failed = Połączenie wideo nie powiodło się.
left-left = { $name } opuszcza sesję.
left-lost = Utracono połączenie: { $name }.
left-stopped = { $name } kończy udostępnianie.
left-expired = Sesja wygasła.
ended-self = Opuszczono sesję.

helper-state-idle = Pobierz kod, aby zacząć.
helper-state-waiting_sharer = Czekam, aż druga osoba wpisze kod…
helper-state-expired = Kod wygasł.
helper-state-sharer_joined = Dołączono: { $name }.
helper-state-waiting_approval = Czekam na zgodę: { $name }…
helper-state-declined = { $name }: odmowa.
helper-state-connected = Połączono: { $name }.
helper-state-paused = { $name } wstrzymuje udostępnianie.
helper-state-sharer_left = { $name } wychodzi.
helper-state-ended = Sesja się zakończyła.

## Sharer app

sharer-page-title = Glass — udostępnij ekran
sharing-page-title = ● Udostępnianie — Glass
sharer-code-heading = Uzyskaj pomoc
code-label = Kod od osoby pomagającej
code-hint = 8 liter i cyfr, na przykład 4060 R0GX
code-bad-format = Kod ma 8 liter i cyfr. Sprawdź go i spróbuj ponownie.
join-button = Dołącz
helper-heading = Osoba pomagająca
joined-message = { $name } może teraz poprosić o podgląd Twojego ekranu. Nic nie zostanie udostępnione bez Twojej zgody.
consent-heading = { $name } prosi o podgląd Twojego ekranu
consent-explainer = Jeśli się zgodzisz, wybierzesz, co udostępnić: ekran, okno lub kartę. { $name } będzie to widzieć, ale nie będzie mieć kontroli.
choosing-message = Wybierz w oknie przeglądarki, co udostępnić.
allow-button = Zezwól
decline-button = Odmów
capture-unsupported = Ta przeglądarka nie może udostępnić ekranu.
capture-cancelled = Nic nie zostało udostępnione.
sharing-banner = Twój ekran widzi { $name } (tylko podgląd)
sharing-banner-paused = Udostępnianie wstrzymane: { $name } nie widzi Twojego ekranu.
pause-button = Wstrzymaj
resume-button = Wznów
stop-button = Zakończ udostępnianie
preview-heading = Co widzi osoba pomagająca
preview-paused = Wstrzymano
view-only-note = Osoba pomagająca widzi to, co udostępniasz, ale nie może tym sterować.
another-code-button = Wpisz inny kod
ended-stopped = Zakończono udostępnianie.
helper-left-left = { $name } opuszcza sesję.
helper-left-lost = Utracono połączenie: { $name }.
helper-left-stopped = { $name } kończy sesję.
helper-left-expired = Sesja wygasła.

sharer-state-idle = Wpisz kod od osoby pomagającej.
sharer-state-joining = Sprawdzanie kodu…
sharer-state-joined = Połączono: { $name }.
sharer-state-asking = { $name } prosi o podgląd Twojego ekranu.
sharer-state-choosing = Wybierz, co udostępnić…
sharer-state-sharing = Twój ekran widzi { $name }.
sharer-state-paused = Udostępnianie wstrzymane.
sharer-state-helper_left = { $name } wychodzi.
sharer-state-ended = Sesja się zakończyła.

## Errors from the broker

error-malformed = Serwer nie zrozumiał żądania.
error-unsupported_version = Ta strona jest nieaktualna. Odśwież ją.
error-too_large = Wiadomość jest za duża.
error-not_allowed = To teraz niemożliwe.
error-code_invalid = Ten kod jest nieprawidłowy. Sprawdź go lub poproś o nowy.
error-locked_out = Za dużo błędnych kodów. Spróbuj ponownie za 15 minut.
error-busy = Usługa jest przeciążona. Spróbuj ponownie za minutę.
error-chat_disabled = Czat jest wyłączony w Twojej organizacji.
error-chat_invalid = Nie można wysłać tej wiadomości.
error-rate_limited = Za dużo prób. Odczekaj chwilę i spróbuj ponownie.
error-internal = Coś poszło nie tak. Spróbuj ponownie.

## Agent approval page

agent-page-title = Glass — zgoda na udostępnianie
agent-no-secret = Otwórz tę stronę z linku wyświetlonego przez Glass. Otwarta w ten sposób nie może nic zrobić.
agent-connecting = Łączenie z Glass na tym komputerze…
agent-disconnected = Glass na tym komputerze został zatrzymany. Możesz zamknąć tę stronę.
agent-joining = Dołączanie do sesji…
agent-ask-view = { $name } prosi o podgląd Twojego ekranu
agent-ask-full = { $name } prosi o podgląd Twojego ekranu i sterowanie nim
agent-explain-view = { $name } zobaczy cały Twój ekran, ale nie będzie mieć dostępu do myszy ani klawiatury. W każdej chwili możesz wstrzymać lub zakończyć.
agent-explain-full = { $name } będzie mieć dostęp do Twojej myszy i klawiatury. W każdej chwili możesz odebrać kontrolę lub zakończyć.
agent-time-left = Pozostały czas na odpowiedź: { $seconds } s
agent-expired = Brak odpowiedzi na czas: prośba została odrzucona.
agent-declined = Odrzucono prośbę.
agent-allowed = Zgoda udzielona. Uruchamianie…
agent-banner-view = Udostępnianie: { $name } — tylko podgląd
agent-banner-full = Udostępnianie: { $name } — pełna kontrola
agent-banner-paused = Udostępnianie: { $name } — wstrzymane
agent-takeback-button = Odbierz kontrolę
agent-action-failed = Glass tego nie przyjął. Spróbuj ponownie.
agent-close-page = Możesz zamknąć tę stronę.
agent-ended-left = Sesja się zakończyła.
agent-ended-lost = Utracono połączenie z osobą pomagającą.
agent-ended-stopped = Udostępnianie zostało zatrzymane.
agent-ended-expired = Sesja wygasła.
agent-ended-broker_lost = Utracono połączenie z serwerem.
agent-ended-other = Sesja się zakończyła.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Zasady Twojej organizacji na to nie pozwalają.
warnings-heading = O tym urządzeniu
warning-device_not_enrolled = To urządzenie nie jest zarejestrowane w Twojej organizacji. Nie wpisuj na nim danych logowania administratora.
warning-device_not_compliant = To urządzenie nie spełnia wymagań: { $reasons }. Nie wpisuj na nim danych logowania administratora.
warning-device_compliance_unknown = Nie wiadomo, czy to urządzenie spełnia wymagania. Nie wpisuj na nim danych logowania administratora.
warning-other = Twoja organizacja oznaczyła to urządzenie. Nie wpisuj na nim danych logowania administratora.
full-not-allowed = Pełna kontrola jest niemożliwa: zasady Twojej organizacji pozwalają Ci tylko patrzeć.
level-limited = Zasady Twojej organizacji pozwalają teraz tylko na podgląd.
declined-forbidden = Zasady Twojej organizacji nie pozwalają już na tę prośbę.
escalation-forbidden = Zasady Twojej organizacji nie pozwalają już na pełną kontrolę. Nadal możesz patrzeć.
left-revoked = Zasady Twojej organizacji nie pozwalają już na tę sesję pomocy.
helper-left-revoked = Zasady Twojej organizacji nie pozwalają już na tę sesję pomocy.
ended-revoked = Zasady Twojej organizacji nie pozwalają już na tę sesję pomocy.
agent-ended-revoked = Zasady Twojej organizacji nie pozwalają już na tę sesję pomocy.
sharer-request-forbidden = Prośba została wycofana: zasady Twojej organizacji już na nią nie pozwalają.
sharer-level-limited = { $name }: zasady Twojej organizacji pozwalają teraz tylko na podgląd.

## Reports page

reports-link = Raporty
reports-page-title = Glass — raporty
reports-heading = Raporty sesji pomocy
reports-back = Wróć do pomocy zdalnej
reports-filter-heading = Filtr
reports-person-label = Osoba (imię i nazwisko lub identyfikator)
reports-device-label = Urządzenie
reports-from-label = Od
reports-to-label = Do
reports-show-button = Pokaż sesje
reports-download-csv = Pobierz CSV
reports-download-json = Pobierz JSON
reports-col-helper = Pomagający
reports-col-sharer = Osoba, której pomagano
reports-col-start = Początek
reports-col-end = Koniec
reports-col-level = Dostęp
reports-col-ended = Jak się zakończyła
reports-transcript-button = Zapis czatu
reports-loading = Wczytywanie sesji…
reports-empty = Żadna sesja nie pasuje do tego filtra.
reports-forbidden = Nie możesz przeglądać raportów: zasady Twojej organizacji nie dają Ci tego uprawnienia.
reports-signed-out = Zaloguj się, aby przeglądać raporty.
reports-failed = Nie udało się wczytać raportów. Spróbuj ponownie.
reports-bad-dates = Sprawdź daty: koniec nie może być przed początkiem.
reports-running = Niezakończona
reports-level-full = Pełna kontrola
reports-level-view = Tylko podgląd
reports-level-none = Nic nie przyznano
reports-ended-left = Ktoś wyszedł
reports-ended-lost = Utracono połączenie
reports-ended-stopped = Udostępnianie zatrzymane
reports-ended-expired = Kod wygasł
reports-ended-revoked = Zakończona przez zasady
reports-ended-other = Zakończona
reports-transcript-heading = Zapis czatu
reports-transcript-empty = W czacie tej sesji nic nie napisano.
reports-transcript-not-kept = Tekst nie został zachowany: Twoja organizacja nie przechowuje zapisów czatu.
reports-transcript-close = Zamknij

## Identity binding

agent-identity-verified = Tożsamość sprawdzona na tym komputerze w { $issuer }
agent-identity-broker = Tożsamość poświadczona tylko przez serwer pomocy technicznej
agent-identity-unverified = Nie udało się zweryfikować tożsamości
helper-renewing-sign-in = Odnawianie logowania…
helper-identity-not-renewed = Nie udało się odnowić logowania w tej przeglądarce, więc osoba, której pomagasz, może nie być w stanie potwierdzić, kim jesteś. Wyloguj się i zaloguj ponownie.
error-fingerprint_mismatch = Glass zatrzymał sesję: połączenie nie pochodziło z przeglądarki, w której zalogował się Twój pomocnik.
error-helper_unverified = Glass nie mógł potwierdzić, kim jest Twój pomocnik, więc go nie wpuścił.
error-relay_lost = Połączenie przez serwer przekazujący zostało utracone, więc pomocnik nie widzi już Twojego ekranu.
