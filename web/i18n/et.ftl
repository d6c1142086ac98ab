## Both apps

app-name = Glass
language-label = Keel
signin-heading = Logi sisse
username-label = Kasutajanimi
password-label = Parool
signin-button = Logi sisse
signing-in = Sisselogimine…
signin-missing = Sisesta kasutajanimi ja parool.
signin-failed = Vale kasutajanimi või parool.
signin-with = Logi sisse teenusega { $provider }
signin-or = või
signin-provider-failed = Sisselogimine ei õnnestunud. Proovige uuesti.
server-unreachable = Serveriga ei saa ühendust. Kontrolli ühendust ja proovi uuesti.
sign-out-button = Logi välja
signed-in-as = Sisse logitud: { $name }
leave-button = Lahku
reconnect-button = Ühenda uuesti
link-lost-heading = Ühendus katkes
link-lost = Ühendus serveriga katkes. Seanss on lõppenud.
link-resuming = Ühendus serveriga katkes. Ühendan uuesti…
peer-away = { $name } kaotas ühenduse — ootame, kuni ta tagasi tuleb…
ended-heading = Seanss lõppes
card-picture =
    .alt = Pilt: { $name }
domain-verified = kinnitatud
domain-unverified = kinnitamata
card-vouched-note = ✓ kinnitatud sisselogimisteenuse poolt

## Chat

chat-heading = Vestlus
chat-log =
    .aria-label = Sõnumid
chat-empty = Sõnumeid veel pole.
chat-label = Sõnum
chat-hint = Enter saadab, Shift+Enter alustab uut rida.
chat-send = Saada
chat-length = { $count } / { $max }
chat-too-long = Liiga pikk: { $count } / { $max }
chat-closed = Vestlus on suletud.
chat-kept = Teie organisatsioon säilitab selle vestluse teksti oma auditilogis.

## Helper app

helper-page-title = Glass — kaugabi
helper-start-heading = Aita kedagi
helper-start-intro = Hangi kood ja anna see inimesele, keda aitad.
get-code-button = Hangi kood
code-heading = Sinu kood
code-where = Palu tal avada see aadress ja sisestada kood:
copy-button = Kopeeri
copied-button = Kopeeritud
code-copied = Kood on kopeeritud.
copy-failed = Kopeerimine ei õnnestunud. Loe kood ette.
cancel-code-button = Tühista
code-expires = Aegub: { $time }
code-expired-heading = Kood aegus
new-code-button = Hangi uus kood
sharer-heading = Kes liitus
client-agent = Kasutab Glassi rakendust
client-web = Kasutab veebibrauserit
choose-request-message = Palu kasutajal { $name } oma ekraani näidata.
request-view-button = Küsi ainult vaatamist
request-full-button = Küsi täielikku juhtimist
try-again-view-button = Proovi uuesti
full-not-possible = Täielik juhtimine pole võimalik: veebibrauserit ei saa eemalt juhtida. Saad ainult vaadata.
waiting-approval-message = Ootan vastust: { $name }…
declined-declined = { $name } keeldus.
declined-timeout = { $name } ei vastanud õigel ajal.
declined-not_supported = { $name } ei saa sellest seadmest juhtimist anda.
escalation-declined = { $name } keeldus täielikust juhtimisest. Saad edasi vaadata.
escalation-timeout = { $name } ei vastanud. Saad edasi vaadata.
escalation-not_supported = { $name } ei saa sellest seadmest juhtimist anda.
stage-heading = Jagatud ekraan
video-label = Ekraan: { $name }
keyboard-target =
    .aria-label = Klaviatuurisisend jagatud ekraanile
level-view = Ainult vaatamine
level-full = Juhtimine on sinu käes
release-button = Anna juhtimine tagasi
fullscreen-button = Täisekraan
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ekraan
display-all = Kõik ekraanid
agent-screen-legend = Jagatav ekraan
# Copy and paste with the sharer (full control only).
clipboard-send-button = Saada minu lõikelaud
clipboard-received = Nad kopeerisid teksti ({ $count } märki).
clipboard-copy-button = Kopeeri minu lõikelauale
clipboard-unavailable = See brauser ei luba lehel lõikelauda kasutada.
keyboard-lock-unavailable = Selles brauseris jäävad süsteemi kiirklahvid, nagu Alt+Tab, Windowsi klahv ja Escape, teie arvutisse. Chrome ja Edge edastavad need täisekraanil.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = See brauser ei saa jagatud ekraani näidata ega saata (WebRTC puudub). Kasutage Chrome’i, Edge’i, Firefoxi või Safarit.
exit-fullscreen-button = Välju täisekraanist
overlay-connecting = Ekraaniga ühendamine…
overlay-paused = { $name } peatas jagamise.
video-failed = Videoühendus ebaõnnestus.
left-left = { $name } lahkus seansist.
left-lost = Ühendus katkes: { $name }.
left-stopped = { $name } lõpetas jagamise.
left-expired = Seanss aegus.
ended-self = Sa lahkusid seansist.

helper-state-idle = Alustamiseks hangi kood.
helper-state-waiting_sharer = Ootan, kuni teine inimene koodi sisestab…
helper-state-expired = Kood on aegunud.
helper-state-sharer_joined = { $name } liitus.
helper-state-waiting_approval = Ootan nõusolekut: { $name }…
helper-state-declined = { $name } keeldus.
helper-state-connected = Ühendatud: { $name }.
helper-state-paused = { $name } peatas jagamise.
helper-state-sharer_left = { $name } lahkus.
helper-state-ended = Seanss on lõppenud.

## Sharer app

sharer-page-title = Glass — jaga oma ekraani
sharing-page-title = ● Jagamine käib — Glass
sharer-code-heading = Saa abi
code-label = Abistajalt saadud kood
code-hint = 8 tähte ja numbrit, näiteks 4060 R0GX
code-bad-format = Koodis on 8 tähte ja numbrit. Kontrolli seda ja proovi uuesti.
join-button = Liitu
helper-heading = Sinu abistaja
joined-message = { $name } saab nüüd paluda sinu ekraani näha. Midagi ei jagata enne, kui sa lubad.
consent-heading = { $name } soovib näha sinu ekraani
consent-explainer = Kui lubad, valid ise, mida jagada: ekraani, akna või vahekaardi. { $name } näeb seda, kuid ei saa seda juhtida.
choosing-message = Vali brauseri aknas, mida jagada.
allow-button = Luba
decline-button = Keeldu
capture-unsupported = See brauser ei saa ekraani jagada.
capture-cancelled = Midagi ei jagatud.
sharing-banner = Jagad oma ekraani kasutajaga { $name } (ainult vaatamine)
sharing-banner-paused = Jagamine peatatud: { $name } ei näe sinu ekraani.
pause-button = Peata
resume-button = Jätka
stop-button = Lõpeta jagamine
preview-heading = Mida sinu abistaja näeb
preview-paused = Peatatud
view-only-note = Sinu abistaja näeb, mida jagad, kuid ei saa seda juhtida.
another-code-button = Sisesta teine kood
ended-stopped = Sa lõpetasid jagamise.
helper-left-left = { $name } lahkus seansist.
helper-left-lost = Ühendus katkes: { $name }.
helper-left-stopped = { $name } lõpetas seansi.
helper-left-expired = Seanss aegus.

sharer-state-idle = Sisesta kood, mille said oma abistajalt.
sharer-state-joining = Koodi kontrollimine…
sharer-state-joined = Ühendatud: { $name }.
sharer-state-asking = { $name } palub sinu ekraani näha.
sharer-state-choosing = Vali, mida jagada…
sharer-state-sharing = Jagad oma ekraani kasutajaga { $name }.
sharer-state-paused = Jagamine on peatatud.
sharer-state-helper_left = { $name } lahkus.
sharer-state-ended = Seanss on lõppenud.

## Errors from the broker

error-malformed = Server ei mõistnud päringut.
error-unsupported_version = See leht on vananenud. Laadi see uuesti.
error-too_large = Sõnum on liiga suur.
error-not_allowed = See pole praegu võimalik.
error-code_invalid = See kood ei kehti. Kontrolli seda või küsi uus.
error-locked_out = Liiga palju valesid koode. Proovi 15 minuti pärast uuesti.
error-busy = Teenus on hõivatud. Proovi minuti pärast uuesti.
error-chat_disabled = Vestlus on sinu organisatsioonis välja lülitatud.
error-chat_invalid = Seda sõnumit ei saa saata.
error-rate_limited = Liiga palju katseid. Oota veidi ja proovi uuesti.
error-internal = Midagi läks valesti. Proovi uuesti.

## Agent approval page

agent-page-title = Glass — jagamise kinnitamine
agent-no-secret = Ava see leht lingist, mille Glass välja kirjutas. Nii avatuna ei saa see midagi teha.
agent-connecting = Ühendumine selle arvuti Glassiga…
agent-disconnected = Glass on selles arvutis peatunud. Võid selle lehe sulgeda.
agent-joining = Seansiga liitumine…
agent-ask-view = { $name } palub näha sinu ekraani
agent-ask-full = { $name } palub näha ja juhtida sinu ekraani
agent-explain-view = { $name } näeb kogu sinu ekraani, kuid ei saa kasutada sinu hiirt ega klaviatuuri. Saad igal ajal peatada või lõpetada.
agent-explain-full = { $name } saab kasutada sinu hiirt ja klaviatuuri. Saad igal ajal juhtimise tagasi võtta või lõpetada.
agent-time-left = Vastamiseks jäänud aeg: { $seconds } s
agent-expired = Vastust ei tulnud õigeks ajaks: taotlus lükati tagasi.
agent-declined = Sa keeldusid.
agent-allowed = Sa lubasid. Käivitamine…
agent-banner-view = Jagamine: { $name } — ainult vaatamine
agent-banner-full = Jagamine: { $name } — täielik juhtimine
agent-banner-paused = Jagamine: { $name } — peatatud
agent-takeback-button = Võta juhtimine tagasi
agent-action-failed = Glass ei võtnud seda vastu. Proovi uuesti.
agent-close-page = Võid selle lehe sulgeda.
agent-ended-left = Seanss on lõppenud.
agent-ended-lost = Ühendus sinu abistajaga katkes.
agent-ended-stopped = Jagamine lõppes.
agent-ended-expired = Seanss aegus.
agent-ended-broker_lost = Ühendus serveriga katkes.
agent-ended-other = Seanss on lõppenud.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Sinu organisatsiooni reeglid seda ei luba.
warnings-heading = Selle seadme kohta
warning-device_not_enrolled = Sinu organisatsioon pole seda seadet registreerinud. Ära sisesta seal administraatori kasutajaandmeid.
warning-device_not_compliant = See seade ei vasta nõuetele: { $reasons }. Ära sisesta seal administraatori kasutajaandmeid.
warning-device_compliance_unknown = Pole teada, kas see seade vastab nõuetele. Ära sisesta seal administraatori kasutajaandmeid.
warning-other = Sinu organisatsioon on selle seadme märgistanud. Ära sisesta seal administraatori kasutajaandmeid.
full-not-allowed = Täielik juhtimine pole võimalik: sinu organisatsiooni reeglid lubavad ainult vaadata.
level-limited = Sinu organisatsiooni reeglid lubavad nüüd ainult vaadata.
declined-forbidden = Sinu organisatsiooni reeglid ei luba seda taotlust enam.
escalation-forbidden = Sinu organisatsiooni reeglid ei luba enam täielikku juhtimist. Saad edasi vaadata.
left-revoked = Sinu organisatsiooni reeglid ei luba seda abiseanssi enam.
helper-left-revoked = Sinu organisatsiooni reeglid ei luba seda abiseanssi enam.
ended-revoked = Sinu organisatsiooni reeglid ei luba seda abiseanssi enam.
agent-ended-revoked = Sinu organisatsiooni reeglid ei luba seda abiseanssi enam.
sharer-request-forbidden = Taotlus võeti tagasi: sinu organisatsiooni reeglid ei luba seda enam.
sharer-level-limited = { $name }: sinu organisatsiooni reeglid lubavad nüüd ainult vaadata.

## Reports page

reports-link = Aruanded
reports-page-title = Glass — aruanded
reports-heading = Abiseansside aruanded
reports-back = Tagasi kaugabi juurde
reports-filter-heading = Filter
reports-person-label = Isik (nimi või kasutaja ID)
reports-device-label = Seade
reports-from-label = Alates
reports-to-label = Kuni
reports-show-button = Näita seansse
reports-download-csv = Laadi alla CSV
reports-download-json = Laadi alla JSON
reports-col-helper = Abistaja
reports-col-sharer = Abistatav
reports-col-start = Algus
reports-col-end = Lõpp
reports-col-level = Juurdepääs
reports-col-ended = Kuidas see lõppes
reports-transcript-button = Vestluse ärakiri
reports-loading = Seansside laadimine…
reports-empty = Ükski seanss ei vasta sellele filtrile.
reports-forbidden = Te ei tohi aruandeid vaadata: teie organisatsiooni poliitika ei anna teile seda õigust.
reports-signed-out = Aruannete vaatamiseks logige sisse.
reports-failed = Aruandeid ei õnnestunud laadida. Proovige uuesti.
reports-bad-dates = Kontrollige kuupäevi: lõpp ei tohi olla enne algust.
reports-running = Pole lõppenud
reports-level-full = Täielik juhtimine
reports-level-view = Ainult vaatamine
reports-level-none = Midagi ei antud
reports-ended-left = Keegi lahkus
reports-ended-lost = Ühendus katkes
reports-ended-stopped = Jagamine peatati
reports-ended-expired = Kood aegus
reports-ended-revoked = Lõpetatud poliitika tõttu
reports-ended-other = Lõppenud
reports-transcript-heading = Vestluse ärakiri
reports-transcript-empty = Selle seansi vestlusesse ei kirjutatud midagi.
reports-transcript-not-kept = Teksti ei säilitatud: teie organisatsioon ei säilita vestluste ärakirju.
reports-transcript-close = Sulge

## Identity binding

agent-identity-verified = Isikut kontrolliti selles arvutis teenusega { $issuer }
agent-identity-broker = Isikut kinnitab ainult kasutajatoe server
agent-identity-unverified = Isikut ei õnnestunud kontrollida
helper-renewing-sign-in = Sisselogimise uuendamine…
helper-identity-not-renewed = Teie sisselogimist ei õnnestunud selles brauseris uuendada, seega ei pruugi inimene, keda aitate, saada kinnitust, kes te olete. Logige välja ja uuesti sisse.
error-fingerprint_mismatch = Glass peatas seansi: ühendus ei tulnud brauserist, millega teie abistaja sisse logis.
error-helper_unverified = Glass ei suutnud kinnitada, kes teie abistaja on, ega lasknud teda sisse.
error-relay_lost = Ühendus releeserveri kaudu katkes ja teie abistaja ei näe enam teie ekraani.
