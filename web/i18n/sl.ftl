## Both apps

app-name = Glass
language-label = Jezik
signin-heading = Prijava
username-label = Uporabniško ime
password-label = Geslo
signin-button = Prijava
signing-in = Prijavljanje…
signin-missing = Vnesite uporabniško ime in geslo.
signin-failed = Napačno uporabniško ime ali geslo.
signin-with = Prijava z { $provider }
signin-or = ali
signin-provider-failed = Prijava ni uspela. Poskusite znova.
server-unreachable = Strežnik ni dosegljiv. Preverite povezavo in poskusite znova.
sign-out-button = Odjava
signed-in-as = Prijavljeni kot { $name }
leave-button = Zapusti
reconnect-button = Znova poveži
link-lost-heading = Povezava je prekinjena
link-lost = Povezava s strežnikom je bila prekinjena. Seja je končana.
link-resuming = Povezava s strežnikom je bila prekinjena. Ponovno povezovanje…
peer-away = { $name }: povezava je prekinjena — čakamo na vrnitev…
ended-heading = Seja je končana
card-picture =
    .alt = Slika: { $name }
domain-verified = preverjeno
domain-unverified = ni preverjeno
card-vouched-note = ✓ potrdil ponudnik prijave

## Chat

chat-heading = Klepet
chat-log =
    .aria-label = Sporočila
chat-empty = Še ni sporočil.
chat-label = Sporočilo
chat-hint = Enter pošlje, Shift+Enter začne novo vrstico.
chat-send = Pošlji
chat-length = { $count } / { $max }
chat-too-long = Predolgo: { $count } / { $max }
chat-closed = Klepet je zaprt.
chat-kept = Vaša organizacija hrani besedilo tega klepeta v svoji revizijski sledi.

## Helper app

helper-page-title = Glass — pomoč na daljavo
helper-start-heading = Pomagajte nekomu
helper-start-intro = Pridobite kodo in jo dajte osebi, ki ji pomagate.
get-code-button = Pridobi kodo
code-heading = Vaša koda
code-where = Prosite osebo, naj odpre ta naslov in vnese kodo:
copy-button = Kopiraj
copied-button = Kopirano
code-copied = Koda je kopirana.
copy-failed = Kopiranje ni uspelo. Preberite kodo na glas.
cancel-code-button = Prekliči
code-expires = Poteče čez { $time }
code-expired-heading = Koda je potekla
new-code-button = Pridobi novo kodo
sharer-heading = Kdo se je pridružil
client-agent = Uporablja aplikacijo Glass
client-web = Uporablja spletni brskalnik
choose-request-message = Prosite, naj vam { $name } pokaže zaslon.
request-view-button = Prosi samo za ogled
request-full-button = Prosi za popoln nadzor
try-again-view-button = Poskusi znova
full-not-possible = Popoln nadzor ni mogoč: spletnega brskalnika ni mogoče upravljati na daljavo. Lahko samo gledate.
waiting-approval-message = Čakanje na odgovor: { $name }…
declined-declined = { $name }: zavrnjeno.
declined-timeout = { $name }: ni odgovora pravočasno.
declined-not_supported = { $name } s te naprave ne more dati nadzora.
escalation-declined = { $name }: popoln nadzor zavrnjen. Še vedno lahko gledate.
escalation-timeout = { $name }: ni odgovora. Še vedno lahko gledate.
escalation-not_supported = { $name } s te naprave ne more dati nadzora.
stage-heading = Deljeni zaslon
video-label = Zaslon: { $name }
keyboard-target =
    .aria-label = Vnos s tipkovnico za deljeni zaslon
level-view = Samo ogled
level-full = Nadzor imate vi
release-button = Vrni nadzor
fullscreen-button = Celoten zaslon
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Zaslon
display-all = Vsi zasloni
agent-screen-legend = Zaslon za deljenje
# Copy and paste with the sharer (full control only).
clipboard-send-button = Pošlji moje odložišče
clipboard-received = Kopirali so besedilo (znakov: { $count }).
clipboard-copy-button = Kopiraj v moje odložišče
clipboard-unavailable = Ta brskalnik strani ne dovoli uporabe odložišča.
keyboard-lock-unavailable = V tem brskalniku sistemske bližnjice, kot so Alt+Tab, tipka Windows in Escape, ostanejo na vašem računalniku. Chrome in Edge jih v celozaslonskem načinu posredujeta.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ta brskalnik ne more prikazati ali poslati deljenega zaslona (nima WebRTC). Uporabite Chrome, Edge, Firefox ali Safari.
exit-fullscreen-button = Zapusti celoten zaslon
overlay-connecting = Povezovanje z zaslonom…
overlay-paused = { $name } je začasno ustavil(a) deljenje.
video-failed = Video povezava ni uspela.
left-left = { $name } je zapustil(a) sejo.
left-lost = Povezava je prekinjena: { $name }.
left-stopped = { $name } je nehal(a) deliti.
left-expired = Seja je potekla.
ended-self = Zapustili ste sejo.

helper-state-idle = Za začetek pridobite kodo.
helper-state-waiting_sharer = Čakanje, da druga oseba vnese kodo…
helper-state-expired = Koda je potekla.
helper-state-sharer_joined = Pridružil(a) se je: { $name }.
helper-state-waiting_approval = Čakanje na odobritev: { $name }…
helper-state-declined = { $name }: zavrnjeno.
helper-state-connected = Povezano: { $name }.
helper-state-paused = { $name } je začasno ustavil(a) deljenje.
helper-state-sharer_left = { $name } je odšel/odšla.
helper-state-ended = Seja je končana.

## Sharer app

sharer-page-title = Glass — deli zaslon
sharing-page-title = ● Deljenje — Glass
sharer-code-heading = Pridobite pomoč
code-label = Koda pomočnika
code-hint = 8 črk in številk, na primer 4060 R0GX
code-bad-format = Koda ima 8 črk in številk. Preverite jo in poskusite znova.
join-button = Pridruži se
helper-heading = Vaš pomočnik
joined-message = { $name } lahko zdaj prosi za ogled vašega zaslona. Nič se ne deli brez vašega dovoljenja.
consent-heading = { $name } želi videti vaš zaslon
consent-explainer = Če dovolite, izberete, kaj boste delili: zaslon, okno ali zavihek. { $name } bo to videl(a), ne bo pa mogel/mogla upravljati.
choosing-message = V oknu brskalnika izberite, kaj želite deliti.
allow-button = Dovoli
decline-button = Zavrni
capture-unsupported = Ta brskalnik ne more deliti zaslona.
capture-cancelled = Nič ni bilo deljeno.
sharing-banner = Vaš zaslon vidi { $name } (samo ogled)
sharing-banner-paused = Deljenje začasno ustavljeno: { $name } ne vidi vašega zaslona.
pause-button = Začasno ustavi
resume-button = Nadaljuj
stop-button = Ustavi deljenje
preview-heading = Kaj vidi vaš pomočnik
preview-paused = Začasno ustavljeno
view-only-note = Vaš pomočnik vidi, kar delite, ne more pa tega upravljati.
another-code-button = Vnesi drugo kodo
ended-stopped = Ustavili ste deljenje.
helper-left-left = { $name } je zapustil(a) sejo.
helper-left-lost = Povezava je prekinjena: { $name }.
helper-left-stopped = { $name } je končal(a) sejo.
helper-left-expired = Seja je potekla.

sharer-state-idle = Vnesite kodo, ki vam jo je dal pomočnik.
sharer-state-joining = Preverjanje kode…
sharer-state-joined = Povezano: { $name }.
sharer-state-asking = { $name } prosi za ogled vašega zaslona.
sharer-state-choosing = Izberite, kaj želite deliti…
sharer-state-sharing = Vaš zaslon vidi { $name }.
sharer-state-paused = Deljenje je začasno ustavljeno.
sharer-state-helper_left = { $name } je odšel/odšla.
sharer-state-ended = Seja je končana.

## Errors from the broker

error-malformed = Strežnik ni razumel zahteve.
error-unsupported_version = Ta stran je zastarela. Znova jo naložite.
error-too_large = Sporočilo je preveliko.
error-not_allowed = To trenutno ni mogoče.
error-code_invalid = Ta koda ni veljavna. Preverite jo ali prosite za novo.
error-locked_out = Preveč napačnih kod. Poskusite znova čez 15 minut.
error-busy = Storitev je zasedena. Poskusite znova čez minuto.
error-chat_disabled = Klepet je v vaši organizaciji izklopljen.
error-chat_invalid = Tega sporočila ni mogoče poslati.
error-rate_limited = Preveč poskusov. Malo počakajte in poskusite znova.
error-internal = Nekaj je šlo narobe. Poskusite znova.

## Agent approval page

agent-page-title = Glass — odobritev deljenja
agent-no-secret = To stran odprite prek povezave, ki jo je izpisal Glass. Tako odprta ne more narediti ničesar.
agent-connecting = Povezovanje z Glassom na tem računalniku…
agent-disconnected = Glass na tem računalniku se je ustavil. To stran lahko zaprete.
agent-joining = Pridruževanje seji…
agent-ask-view = { $name } prosi za ogled vašega zaslona
agent-ask-full = { $name } prosi za ogled in nadzor vašega zaslona
agent-explain-view = Ves vaš zaslon bo viden osebi { $name }, ki pa ne bo mogla uporabljati vaše miške ali tipkovnice. Kadar koli lahko začasno ustavite ali končate.
agent-explain-full = Oseba { $name } bo lahko uporabljala vašo miško in tipkovnico. Nadzor lahko kadar koli prevzamete nazaj ali končate.
agent-time-left = Preostali čas za odgovor: { $seconds } s
agent-expired = Ni pravočasnega odgovora: zahteva je bila zavrnjena.
agent-declined = Zavrnili ste.
agent-allowed = Dovolili ste. Zagon…
agent-banner-view = Deljenje: { $name } — samo ogled
agent-banner-full = Deljenje: { $name } — popoln nadzor
agent-banner-paused = Deljenje: { $name } — začasno ustavljeno
agent-takeback-button = Prevzemi nadzor nazaj
agent-action-failed = Glass tega ni sprejel. Poskusite znova.
agent-close-page = To stran lahko zaprete.
agent-ended-left = Seja je končana.
agent-ended-lost = Povezava z vašim pomočnikom je bila prekinjena.
agent-ended-stopped = Deljenje je ustavljeno.
agent-ended-expired = Seja je potekla.
agent-ended-broker_lost = Povezava s strežnikom je bila prekinjena.
agent-ended-other = Seja je končana.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Pravilnik vaše organizacije tega ne dovoli.
warnings-heading = O tej napravi
warning-device_not_enrolled = Ta naprava ni vpisana v vašo organizacijo. Na njej ne vnašajte skrbniških poverilnic.
warning-device_not_compliant = Ta naprava ni skladna: { $reasons }. Na njej ne vnašajte skrbniških poverilnic.
warning-device_compliance_unknown = Ni znano, ali je ta naprava skladna. Na njej ne vnašajte skrbniških poverilnic.
warning-other = Vaša organizacija je to napravo označila. Na njej ne vnašajte skrbniških poverilnic.
full-not-allowed = Popoln nadzor ni mogoč: pravilnik vaše organizacije vam dovoli samo ogled.
level-limited = Pravilnik vaše organizacije zdaj dovoli samo ogled.
declined-forbidden = Pravilnik vaše organizacije te zahteve ne dovoli več.
escalation-forbidden = Pravilnik vaše organizacije ne dovoli več popolnega nadzora. Še vedno lahko gledate.
left-revoked = Pravilnik vaše organizacije te seje pomoči ne dovoli več.
helper-left-revoked = Pravilnik vaše organizacije te seje pomoči ne dovoli več.
ended-revoked = Pravilnik vaše organizacije te seje pomoči ne dovoli več.
agent-ended-revoked = Pravilnik vaše organizacije te seje pomoči ne dovoli več.
sharer-request-forbidden = Zahteva je bila umaknjena: pravilnik vaše organizacije je ne dovoli več.
sharer-level-limited = { $name }: pravilnik vaše organizacije zdaj dovoli samo ogled.

## Reports page

reports-link = Poročila
reports-page-title = Glass — poročila
reports-heading = Poročila o sejah pomoči
reports-back = Nazaj na pomoč na daljavo
reports-filter-heading = Filter
reports-person-label = Oseba (ime ali ID uporabnika)
reports-device-label = Naprava
reports-from-label = Od
reports-to-label = Do
reports-show-button = Prikaži seje
reports-download-csv = Prenesi CSV
reports-download-json = Prenesi JSON
reports-col-helper = Pomočnik
reports-col-sharer = Oseba, ki je prejela pomoč
reports-col-start = Začetek
reports-col-end = Konec
reports-col-level = Dostop
reports-col-ended = Kako se je končala
reports-transcript-button = Prepis klepeta
reports-loading = Nalaganje sej …
reports-empty = Nobena seja ne ustreza temu filtru.
reports-forbidden = Poročil ne smete pregledovati: pravilnik vaše organizacije vam ne daje tega dovoljenja.
reports-signed-out = Za ogled poročil se prijavite.
reports-failed = Poročil ni bilo mogoče naložiti. Poskusite znova.
reports-bad-dates = Preverite datuma: konec ne sme biti pred začetkom.
reports-running = Ni končana
reports-level-full = Popoln nadzor
reports-level-view = Samo ogled
reports-level-none = Nič odobreno
reports-ended-left = Nekdo je odšel
reports-ended-lost = Povezava je bila prekinjena
reports-ended-stopped = Deljenje je ustavljeno
reports-ended-expired = Koda je potekla
reports-ended-revoked = Končal jo je pravilnik
reports-ended-other = Končana
reports-transcript-heading = Prepis klepeta
reports-transcript-empty = V klepetu te seje ni bilo nič napisanega.
reports-transcript-not-kept = Besedilo ni shranjeno: vaša organizacija ne hrani prepisov klepeta.
reports-transcript-close = Zapri

## Identity binding

agent-identity-verified = Identiteta preverjena na tem računalniku pri { $issuer }
agent-identity-broker = Identiteto jamči samo strežnik službe za pomoč
agent-identity-unverified = Identitete ni bilo mogoče preveriti
helper-renewing-sign-in = Obnavljanje prijave…
helper-identity-not-renewed = Vaše prijave v tem brskalniku ni bilo mogoče obnoviti, zato oseba, ki ji pomagate, morda ne bo mogla potrditi, kdo ste. Odjavite se in se znova prijavite.
error-fingerprint_mismatch = Glass je ustavil sejo: povezava ni prišla iz brskalnika, v katerem se je prijavil vaš pomočnik.
error-helper_unverified = Glass ni mogel potrditi, kdo je vaš pomočnik, zato ga ni spustil naprej.
error-relay_lost = Povezava prek posredniškega strežnika je bila izgubljena, zato vaš pomočnik ne vidi več vašega zaslona.
