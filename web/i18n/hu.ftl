## Both apps

app-name = Glass
language-label = Nyelv
signin-heading = Bejelentkezés
username-label = Felhasználónév
password-label = Jelszó
signin-button = Bejelentkezés
signing-in = Bejelentkezés…
signin-missing = Adja meg a felhasználónevét és a jelszavát.
signin-failed = Hibás felhasználónév vagy jelszó.
signin-with = Bejelentkezés ezzel: { $provider }
signin-or = vagy
signin-provider-failed = A bejelentkezés nem sikerült. Próbálja újra.
server-unreachable = A kiszolgáló nem érhető el. Ellenőrizze a kapcsolatot, és próbálja újra.
sign-out-button = Kijelentkezés
signed-in-as = Bejelentkezve: { $name }
leave-button = Kilépés
reconnect-button = Újracsatlakozás
link-lost-heading = Megszakadt a kapcsolat
link-lost = Megszakadt a kapcsolat a kiszolgálóval. A munkamenet véget ért.
link-resuming = Megszakadt a kapcsolat a kiszolgálóval. Újracsatlakozás…
peer-away = { $name } kapcsolata megszakadt — várakozás a visszatérésre…
ended-heading = A munkamenet véget ért
card-picture =
    .alt = Kép: { $name }
domain-verified = ellenőrzött
domain-unverified = nem ellenőrzött
card-vouched-note = ✓ a bejelentkezési szolgáltató megerősítette

## Chat

chat-heading = Csevegés
chat-log =
    .aria-label = Üzenetek
chat-empty = Még nincs üzenet.
chat-label = Üzenet
chat-hint = Az Enter küld, a Shift+Enter új sort kezd.
chat-send = Küldés
chat-length = { $count } / { $max }
chat-too-long = Túl hosszú: { $count } / { $max }
chat-closed = A csevegés lezárult.
chat-kept = A szervezete megőrzi ennek a csevegésnek a szövegét a naplójában.

## Helper app

helper-page-title = Glass — távsegítség
helper-start-heading = Segítsen valakinek
helper-start-intro = Kérjen egy kódot, és adja meg annak, akinek segít.
get-code-button = Kód kérése
code-heading = Az Ön kódja
code-where = Kérje meg, hogy nyissa meg ezt a címet, és írja be a kódot:
copy-button = Másolás
copied-button = Másolva
code-copied = A kód a vágólapra került.
copy-failed = A másolás nem sikerült. Olvassa fel a kódot.
cancel-code-button = Mégse
code-expires = Lejár: { $time }
code-expired-heading = A kód lejárt
new-code-button = Új kód kérése
sharer-heading = Ki csatlakozott
client-agent = A Glass alkalmazást használja
client-web = Webböngészőt használ
choose-request-message = Kérje meg a következő felhasználót, hogy mutassa meg a képernyőjét: { $name }.
request-view-button = Csak megtekintés kérése
request-full-button = Teljes irányítás kérése
try-again-view-button = Újra
full-not-possible = A teljes irányítás nem lehetséges: a webböngésző nem vezérelhető távolról. Csak nézni tudja.
waiting-approval-message = Várakozás a válaszra: { $name }…
declined-declined = { $name } elutasította.
declined-timeout = { $name } nem válaszolt időben.
declined-not_supported = { $name } erről az eszközről nem tud irányítást adni.
escalation-declined = { $name } elutasította a teljes irányítást. Továbbra is nézheti.
escalation-timeout = { $name } nem válaszolt. Továbbra is nézheti.
escalation-not_supported = { $name } erről az eszközről nem tud irányítást adni.
stage-heading = Megosztott képernyő
video-label = Képernyő: { $name }
keyboard-target =
    .aria-label = Billentyűzetbevitel a megosztott képernyőre
level-view = Csak megtekintés
level-full = Ön irányít
release-button = Irányítás visszaadása
fullscreen-button = Teljes képernyő
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Képernyő
display-all = Minden képernyő
agent-screen-legend = Megosztandó képernyő
# Copy and paste with the sharer (full control only).
clipboard-send-button = Vágólapom küldése
clipboard-received = Szöveget másoltak ({ $count } karakter).
clipboard-copy-button = Másolás a vágólapomra
clipboard-unavailable = Ez a böngésző nem engedi, hogy az oldal használja a vágólapot.
keyboard-lock-unavailable = Ebben a böngészőben a rendszer-billentyűparancsok, például az Alt+Tab, a Windows-billentyű és az Escape az Ön számítógépén maradnak. A Chrome és az Edge teljes képernyőn továbbítja őket.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ez a böngésző nem tud megosztott képernyőt megjeleníteni vagy küldeni (nincs benne WebRTC). Használjon Chrome-ot, Edge-et, Firefoxot vagy Safarit.
exit-fullscreen-button = Kilépés a teljes képernyőből
overlay-connecting = Csatlakozás a képernyőhöz…
overlay-paused = { $name } szüneteltette a megosztást.
video-failed = A videókapcsolat nem jött létre.
left-left = { $name } kilépett a munkamenetből.
left-lost = Megszakadt a kapcsolat: { $name }.
left-stopped = { $name } befejezte a megosztást.
left-expired = A munkamenet lejárt.
ended-self = Kilépett a munkamenetből.

helper-state-idle = A kezdéshez kérjen egy kódot.
helper-state-waiting_sharer = Várakozás, hogy a másik fél beírja a kódot…
helper-state-expired = A kód lejárt.
helper-state-sharer_joined = { $name } csatlakozott.
helper-state-waiting_approval = Várakozás a jóváhagyásra: { $name }…
helper-state-declined = { $name } elutasította.
helper-state-connected = Kapcsolódva: { $name }.
helper-state-paused = { $name } szüneteltette a megosztást.
helper-state-sharer_left = { $name } kilépett.
helper-state-ended = A munkamenet véget ért.

## Sharer app

sharer-page-title = Glass — képernyő megosztása
sharing-page-title = ● Megosztás folyamatban — Glass
sharer-code-heading = Segítség kérése
code-label = A segítőtől kapott kód
code-hint = 8 betű és szám, például 4060 R0GX
code-bad-format = A kód 8 betűből és számból áll. Ellenőrizze, és próbálja újra.
join-button = Csatlakozás
helper-heading = Az Ön segítője
joined-message = { $name } most már kérheti, hogy lássa a képernyőjét. Semmi nem lesz megosztva az Ön engedélye nélkül.
consent-heading = { $name } látni szeretné a képernyőjét
consent-explainer = Ha engedélyezi, Ön választja ki, mit oszt meg: képernyőt, ablakot vagy lapot. { $name } látni fogja, de nem tudja irányítani.
choosing-message = Válassza ki a böngésző ablakában, mit szeretne megosztani.
allow-button = Engedélyezés
decline-button = Elutasítás
capture-unsupported = Ez a böngésző nem tudja megosztani a képernyőt.
capture-cancelled = Semmi nem lett megosztva.
sharing-banner = A képernyőjét látja: { $name } (csak megtekintés)
sharing-banner-paused = Megosztás szüneteltetve: { $name } nem látja a képernyőjét.
pause-button = Szünet
resume-button = Folytatás
stop-button = Megosztás befejezése
preview-heading = Amit a segítője lát
preview-paused = Szüneteltetve
view-only-note = A segítője látja, amit megoszt, de nem tudja irányítani.
another-code-button = Másik kód megadása
ended-stopped = Befejezte a megosztást.
helper-left-left = { $name } kilépett a munkamenetből.
helper-left-lost = Megszakadt a kapcsolat: { $name }.
helper-left-stopped = { $name } befejezte a munkamenetet.
helper-left-expired = A munkamenet lejárt.

sharer-state-idle = Írja be a segítőjétől kapott kódot.
sharer-state-joining = A kód ellenőrzése…
sharer-state-joined = Kapcsolódva: { $name }.
sharer-state-asking = { $name } látni szeretné a képernyőjét.
sharer-state-choosing = Válassza ki, mit oszt meg…
sharer-state-sharing = A képernyőjét látja: { $name }.
sharer-state-paused = A megosztás szünetel.
sharer-state-helper_left = { $name } kilépett.
sharer-state-ended = A munkamenet véget ért.

## Errors from the broker

error-malformed = A kiszolgáló nem értette a kérést.
error-unsupported_version = Ez az oldal elavult. Töltse újra.
error-too_large = Az üzenet túl nagy.
error-not_allowed = Ez most nem lehetséges.
error-code_invalid = Ez a kód érvénytelen. Ellenőrizze, vagy kérjen újat.
error-locked_out = Túl sok hibás kód. Próbálja újra 15 perc múlva.
error-busy = A szolgáltatás túlterhelt. Próbálja újra egy perc múlva.
error-chat_disabled = A csevegés ki van kapcsolva a szervezetében.
error-chat_invalid = Ez az üzenet nem küldhető el.
error-rate_limited = Túl sok próbálkozás. Várjon egy kicsit, és próbálja újra.
error-internal = Hiba történt. Próbálja újra.

## Agent approval page

agent-page-title = Glass — megosztás jóváhagyása
agent-no-secret = Ezt az oldalt a Glass által kiírt hivatkozásról nyissa meg. Így megnyitva semmit sem tud tenni.
agent-connecting = Csatlakozás a számítógépen futó Glasshoz…
agent-disconnected = A Glass leállt ezen a számítógépen. Bezárhatja ezt az oldalt.
agent-joining = Csatlakozás a munkamenethez…
agent-ask-view = { $name } kéri, hogy láthassa a képernyőjét
agent-ask-full = { $name } kéri, hogy láthassa és irányíthassa a képernyőjét
agent-explain-view = { $name } a teljes képernyőjét látni fogja, de az egerét és a billentyűzetét nem használhatja. Bármikor szüneteltetheti vagy leállíthatja.
agent-explain-full = { $name } használhatja majd az egerét és a billentyűzetét. Bármikor visszaveheti az irányítást vagy leállíthatja.
agent-time-left = Hátralévő idő a válaszra: { $seconds } mp
agent-expired = Nem érkezett válasz időben: a kérés elutasítva.
agent-declined = Elutasította.
agent-allowed = Engedélyezte. Indítás…
agent-banner-view = Megosztás: { $name } — csak megtekintés
agent-banner-full = Megosztás: { $name } — teljes irányítás
agent-banner-paused = Megosztás: { $name } — szüneteltetve
agent-takeback-button = Irányítás visszavétele
agent-action-failed = A Glass ezt nem fogadta el. Próbálja újra.
agent-close-page = Bezárhatja ezt az oldalt.
agent-ended-left = A munkamenet véget ért.
agent-ended-lost = Megszakadt a kapcsolat a segítőjével.
agent-ended-stopped = A megosztás leállt.
agent-ended-expired = A munkamenet lejárt.
agent-ended-broker_lost = Megszakadt a kapcsolat a kiszolgálóval.
agent-ended-other = A munkamenet véget ért.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = A szervezete szabályzata ezt nem engedi.
warnings-heading = Erről az eszközről
warning-device_not_enrolled = Ezt az eszközt nem regisztrálta a szervezete. Ne írjon be rajta rendszergazdai hitelesítő adatokat.
warning-device_not_compliant = Ez az eszköz nem megfelelő: { $reasons }. Ne írjon be rajta rendszergazdai hitelesítő adatokat.
warning-device_compliance_unknown = Nem ismert, hogy ez az eszköz megfelelő-e. Ne írjon be rajta rendszergazdai hitelesítő adatokat.
warning-other = A szervezete megjelölte ezt az eszközt. Ne írjon be rajta rendszergazdai hitelesítő adatokat.
full-not-allowed = A teljes irányítás nem lehetséges: a szervezete szabályzata csak a megtekintést engedi.
level-limited = A szervezete szabályzata mostantól csak a megtekintést engedi.
declined-forbidden = A szervezete szabályzata már nem engedi ezt a kérést.
escalation-forbidden = A szervezete szabályzata már nem engedi a teljes irányítást. Továbbra is nézheti.
left-revoked = A szervezete szabályzata már nem engedi ezt a segítségnyújtási munkamenetet.
helper-left-revoked = A szervezete szabályzata már nem engedi ezt a segítségnyújtási munkamenetet.
ended-revoked = A szervezete szabályzata már nem engedi ezt a segítségnyújtási munkamenetet.
agent-ended-revoked = A szervezete szabályzata már nem engedi ezt a segítségnyújtási munkamenetet.
sharer-request-forbidden = A kérést visszavonták: a szervezete szabályzata már nem engedi.
sharer-level-limited = { $name }: a szervezete szabályzata mostantól csak a megtekintést engedi.

## Reports page

reports-link = Jelentések
reports-page-title = Glass — jelentések
reports-heading = Segítségnyújtási munkamenetek jelentései
reports-back = Vissza a távsegítséghez
reports-filter-heading = Szűrő
reports-person-label = Személy (név vagy felhasználói azonosító)
reports-device-label = Eszköz
reports-from-label = Ettől
reports-to-label = Eddig
reports-show-button = Munkamenetek megjelenítése
reports-download-csv = CSV letöltése
reports-download-json = JSON letöltése
reports-col-helper = Segítő
reports-col-sharer = Segítséget kapó személy
reports-col-start = Kezdet
reports-col-end = Vége
reports-col-level = Hozzáférés
reports-col-ended = Hogyan ért véget
reports-transcript-button = Csevegési napló
reports-loading = Munkamenetek betöltése…
reports-empty = Egyetlen munkamenet sem felel meg ennek a szűrőnek.
reports-forbidden = Nem tekintheti meg a jelentéseket: a szervezete szabályzata nem adja meg Önnek ezt az engedélyt.
reports-signed-out = Jelentkezzen be a jelentések megtekintéséhez.
reports-failed = A jelentéseket nem sikerült betölteni. Próbálja újra.
reports-bad-dates = Ellenőrizze a dátumokat: a vége nem lehet a kezdet előtt.
reports-running = Nem ért véget
reports-level-full = Teljes irányítás
reports-level-view = Csak megtekintés
reports-level-none = Semmi sem engedélyezve
reports-ended-left = Valaki kilépett
reports-ended-lost = Megszakadt a kapcsolat
reports-ended-stopped = A megosztás leállt
reports-ended-expired = A kód lejárt
reports-ended-revoked = A szabályzat zárta le
reports-ended-other = Véget ért
reports-transcript-heading = Csevegési napló
reports-transcript-empty = Ebben a munkamenetben semmit sem írtak a csevegésbe.
reports-transcript-not-kept = A szöveg nincs megőrizve: a szervezete nem őrzi meg a csevegési naplókat.
reports-transcript-close = Bezárás

## Identity binding

agent-identity-verified = Személyazonosság ellenőrizve ezen a számítógépen: { $issuer }
agent-identity-broker = A személyazonosságot csak az ügyfélszolgálati kiszolgáló igazolja
agent-identity-unverified = A személyazonosságot nem sikerült ellenőrizni
helper-renewing-sign-in = Bejelentkezés megújítása…
helper-identity-not-renewed = A bejelentkezését ebben a böngészőben nem sikerült megújítani, ezért akinek segít, talán nem tudja megerősíteni, kicsoda Ön. Jelentkezzen ki, majd be újra.
error-fingerprint_mismatch = A Glass leállította a munkamenetet: a kapcsolat nem abból a böngészőből jött, amelyben a segítője bejelentkezett.
error-helper_unverified = A Glass nem tudta megerősíteni, ki a segítője, ezért nem engedte be.
error-relay_lost = Megszakadt a kapcsolat a továbbítószerveren keresztül, így segítője már nem látja a képernyőjét.
