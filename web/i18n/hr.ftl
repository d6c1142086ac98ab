## Both apps

app-name = Glass
language-label = Jezik
signin-heading = Prijava
username-label = Korisničko ime
password-label = Lozinka
signin-button = Prijavi se
signing-in = Prijava u tijeku…
signin-missing = Unesite korisničko ime i lozinku.
signin-failed = Pogrešno korisničko ime ili lozinka.
signin-with = Prijava putem { $provider }
signin-or = ili
signin-provider-failed = Prijava nije uspjela. Pokušajte ponovno.
server-unreachable = Poslužitelj nije dostupan. Provjerite vezu i pokušajte ponovno.
sign-out-button = Odjavi se
signed-in-as = Prijavljeni kao { $name }
leave-button = Napusti
reconnect-button = Ponovno se poveži
link-lost-heading = Veza je prekinuta
link-lost = Veza s poslužiteljem je prekinuta. Sesija je završena.
link-resuming = Veza s poslužiteljem je prekinuta. Ponovno povezivanje…
peer-away = { $name }: veza je prekinuta — čekamo povratak…
ended-heading = Sesija je završena
card-picture =
    .alt = Slika: { $name }
domain-verified = potvrđeno
domain-unverified = nije potvrđeno
card-vouched-note = ✓ potvrdio pružatelj prijave

## Chat

chat-heading = Razgovor
chat-log =
    .aria-label = Poruke
chat-empty = Još nema poruka.
chat-label = Poruka
chat-hint = Enter šalje, Shift+Enter započinje novi redak.
chat-send = Pošalji
chat-length = { $count } / { $max }
chat-too-long = Predugo: { $count } / { $max }
chat-closed = Razgovor je zatvoren.
chat-kept = Vaša organizacija čuva tekst ovog razgovora u svojem revizijskom zapisu.

## Helper app

helper-page-title = Glass — pomoć na daljinu
helper-start-heading = Pomozite nekome
helper-start-intro = Zatražite kod i dajte ga osobi kojoj pomažete.
get-code-button = Zatraži kod
code-heading = Vaš kod
code-where = Zamolite osobu da otvori ovu adresu i unese kod:
copy-button = Kopiraj
copied-button = Kopirano
code-copied = Kod je kopiran.
copy-failed = Kopiranje nije uspjelo. Pročitajte kod naglas.
cancel-code-button = Odustani
code-expires = Istječe za { $time }
code-expired-heading = Kod je istekao
new-code-button = Zatraži novi kod
sharer-heading = Tko se pridružio
client-agent = Koristi aplikaciju Glass
client-web = Koristi web-preglednik
choose-request-message = Zamolite da vam { $name } pokaže zaslon.
request-view-button = Zatraži samo prikaz
request-full-button = Zatraži potpunu kontrolu
try-again-view-button = Pokušaj ponovno
full-not-possible = Potpuna kontrola nije moguća: web-preglednikom se ne može upravljati na daljinu. Možete samo gledati.
waiting-approval-message = Čeka se odgovor: { $name }…
declined-declined = { $name }: odbijeno.
declined-timeout = { $name }: nema odgovora na vrijeme.
declined-not_supported = { $name } ne može dati kontrolu s ovog uređaja.
escalation-declined = { $name }: potpuna kontrola odbijena. I dalje možete gledati.
escalation-timeout = { $name }: nema odgovora. I dalje možete gledati.
escalation-not_supported = { $name } ne može dati kontrolu s ovog uređaja.
stage-heading = Dijeljeni zaslon
video-label = Zaslon: { $name }
keyboard-target =
    .aria-label = Unos tipkovnicom za dijeljeni zaslon
level-view = Samo prikaz
level-full = Vi imate kontrolu
release-button = Vrati kontrolu
fullscreen-button = Cijeli zaslon
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Zaslon
display-all = Svi zasloni
agent-screen-legend = Zaslon za dijeljenje
# Copy and paste with the sharer (full control only).
clipboard-send-button = Pošalji moj međuspremnik
clipboard-received = Kopirali su tekst ({ $count } znakova).
clipboard-copy-button = Kopiraj u moj međuspremnik
clipboard-unavailable = Ovaj preglednik ne dopušta stranici korištenje međuspremnika.
keyboard-lock-unavailable = U ovom pregledniku sistemski prečaci poput Alt+Tab, tipke Windows i Escape ostaju na vašem računalu. Chrome i Edge prosljeđuju ih na cijelom zaslonu.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ovaj preglednik ne može prikazati ni poslati dijeljeni zaslon (nema WebRTC). Koristite Chrome, Edge, Firefox ili Safari.
exit-fullscreen-button = Izađi iz cijelog zaslona
overlay-connecting = Povezivanje sa zaslonom…
overlay-paused = { $name } je pauzirao/la dijeljenje.
video-failed = Video veza nije uspjela.
left-left = { $name } je napustio/la sesiju.
left-lost = Veza je prekinuta: { $name }.
left-stopped = { $name } je prestao/la dijeliti.
left-expired = Sesija je istekla.
ended-self = Napustili ste sesiju.

helper-state-idle = Za početak zatražite kod.
helper-state-waiting_sharer = Čeka se da druga osoba unese kod…
helper-state-expired = Kod je istekao.
helper-state-sharer_joined = Pridružio/la se: { $name }.
helper-state-waiting_approval = Čeka se odobrenje: { $name }…
helper-state-declined = { $name }: odbijeno.
helper-state-connected = Povezano: { $name }.
helper-state-paused = { $name } je pauzirao/la dijeljenje.
helper-state-sharer_left = { $name } je otišao/la.
helper-state-ended = Sesija je završena.

## Sharer app

sharer-page-title = Glass — podijelite zaslon
sharing-page-title = ● Dijeljenje — Glass
sharer-code-heading = Zatražite pomoć
code-label = Kod od pomagača
code-hint = 8 slova i brojki, na primjer 4060 R0GX
code-bad-format = Kod ima 8 slova i brojki. Provjerite ga i pokušajte ponovno.
join-button = Pridruži se
helper-heading = Vaš pomagač
joined-message = { $name } sada može zatražiti prikaz vašeg zaslona. Ništa se ne dijeli bez vašeg dopuštenja.
consent-heading = { $name } želi vidjeti vaš zaslon
consent-explainer = Ako dopustite, birate što dijelite: zaslon, prozor ili karticu. { $name } će to vidjeti, ali neće moći upravljati.
choosing-message = U prozoru preglednika odaberite što želite dijeliti.
allow-button = Dopusti
decline-button = Odbij
capture-unsupported = Ovaj preglednik ne može dijeliti zaslon.
capture-cancelled = Ništa nije podijeljeno.
sharing-banner = Vaš zaslon vidi { $name } (samo prikaz)
sharing-banner-paused = Dijeljenje je pauzirano: { $name } ne vidi vaš zaslon.
pause-button = Pauziraj
resume-button = Nastavi
stop-button = Prestani dijeliti
preview-heading = Što vidi vaš pomagač
preview-paused = Pauzirano
view-only-note = Vaš pomagač vidi ono što dijelite, ali njime ne može upravljati.
another-code-button = Unesi drugi kod
ended-stopped = Prestali ste dijeliti.
helper-left-left = { $name } je napustio/la sesiju.
helper-left-lost = Veza je prekinuta: { $name }.
helper-left-stopped = { $name } je završio/la sesiju.
helper-left-expired = Sesija je istekla.

sharer-state-idle = Unesite kod koji ste dobili od pomagača.
sharer-state-joining = Provjera koda…
sharer-state-joined = Povezano: { $name }.
sharer-state-asking = { $name } traži prikaz vašeg zaslona.
sharer-state-choosing = Odaberite što dijelite…
sharer-state-sharing = Vaš zaslon vidi { $name }.
sharer-state-paused = Dijeljenje je pauzirano.
sharer-state-helper_left = { $name } je otišao/la.
sharer-state-ended = Sesija je završena.

## Errors from the broker

error-malformed = Poslužitelj nije razumio zahtjev.
error-unsupported_version = Ova je stranica zastarjela. Ponovno je učitajte.
error-too_large = Poruka je prevelika.
error-not_allowed = To trenutačno nije moguće.
error-code_invalid = Ovaj kod nije valjan. Provjerite ga ili zatražite novi.
error-locked_out = Previše pogrešnih kodova. Pokušajte ponovno za 15 minuta.
error-busy = Usluga je zauzeta. Pokušajte ponovno za minutu.
error-chat_disabled = Razgovor je isključen u vašoj organizaciji.
error-chat_invalid = Ova se poruka ne može poslati.
error-rate_limited = Previše pokušaja. Pričekajte malo i pokušajte ponovno.
error-internal = Nešto nije u redu. Pokušajte ponovno.

## Agent approval page

agent-page-title = Glass — odobrenje dijeljenja
agent-no-secret = Otvorite ovu stranicu putem poveznice koju je ispisao Glass. Ovako otvorena ne može ništa učiniti.
agent-connecting = Povezivanje s Glassom na ovom računalu…
agent-disconnected = Glass na ovom računalu je zaustavljen. Možete zatvoriti ovu stranicu.
agent-joining = Pridruživanje sesiji…
agent-ask-view = { $name } traži da vidi vaš zaslon
agent-ask-full = { $name } traži da vidi vaš zaslon i upravlja njime
agent-explain-view = { $name } će vidjeti cijeli vaš zaslon, ali neće moći koristiti vaš miš ni tipkovnicu. U svakom trenutku možete pauzirati ili zaustaviti.
agent-explain-full = { $name } moći će koristiti vaš miš i tipkovnicu. U svakom trenutku možete preuzeti kontrolu natrag ili zaustaviti.
agent-time-left = Preostalo vrijeme za odgovor: { $seconds } s
agent-expired = Nema odgovora na vrijeme: zahtjev je odbijen.
agent-declined = Odbili ste.
agent-allowed = Dopustili ste. Pokretanje…
agent-banner-view = Dijeljenje: { $name } — samo prikaz
agent-banner-full = Dijeljenje: { $name } — potpuna kontrola
agent-banner-paused = Dijeljenje: { $name } — pauzirano
agent-takeback-button = Preuzmi kontrolu natrag
agent-action-failed = Glass to nije prihvatio. Pokušajte ponovno.
agent-close-page = Možete zatvoriti ovu stranicu.
agent-ended-left = Sesija je završena.
agent-ended-lost = Veza s vašim pomagačem je prekinuta.
agent-ended-stopped = Dijeljenje je zaustavljeno.
agent-ended-expired = Sesija je istekla.
agent-ended-broker_lost = Veza s poslužiteljem je prekinuta.
agent-ended-other = Sesija je završena.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Pravila vaše organizacije to ne dopuštaju.
warnings-heading = O ovom uređaju
warning-device_not_enrolled = Ovaj uređaj nije registriran u vašoj organizaciji. Ne upisujte na njemu administratorske vjerodajnice.
warning-device_not_compliant = Ovaj uređaj nije usklađen: { $reasons }. Ne upisujte na njemu administratorske vjerodajnice.
warning-device_compliance_unknown = Nije poznato je li ovaj uređaj usklađen. Ne upisujte na njemu administratorske vjerodajnice.
warning-other = Vaša organizacija označila je ovaj uređaj. Ne upisujte na njemu administratorske vjerodajnice.
full-not-allowed = Potpuna kontrola nije moguća: pravila vaše organizacije dopuštaju vam samo gledanje.
level-limited = Pravila vaše organizacije sada dopuštaju samo prikaz.
declined-forbidden = Pravila vaše organizacije više ne dopuštaju ovaj zahtjev.
escalation-forbidden = Pravila vaše organizacije više ne dopuštaju potpunu kontrolu. I dalje možete gledati.
left-revoked = Pravila vaše organizacije više ne dopuštaju ovu sesiju pomoći.
helper-left-revoked = Pravila vaše organizacije više ne dopuštaju ovu sesiju pomoći.
ended-revoked = Pravila vaše organizacije više ne dopuštaju ovu sesiju pomoći.
agent-ended-revoked = Pravila vaše organizacije više ne dopuštaju ovu sesiju pomoći.
sharer-request-forbidden = Zahtjev je povučen: pravila vaše organizacije više ga ne dopuštaju.
sharer-level-limited = { $name }: pravila vaše organizacije sada dopuštaju samo prikaz.

## Reports page

reports-link = Izvješća
reports-page-title = Glass — izvješća
reports-heading = Izvješća o sesijama pomoći
reports-back = Natrag na pomoć na daljinu
reports-filter-heading = Filtar
reports-person-label = Osoba (ime ili korisnički ID)
reports-device-label = Uređaj
reports-from-label = Od
reports-to-label = Do
reports-show-button = Prikaži sesije
reports-download-csv = Preuzmi CSV
reports-download-json = Preuzmi JSON
reports-col-helper = Pomagač
reports-col-sharer = Osoba kojoj se pomagalo
reports-col-start = Početak
reports-col-end = Kraj
reports-col-level = Pristup
reports-col-ended = Kako je završila
reports-transcript-button = Prijepis razgovora
reports-loading = Učitavanje sesija…
reports-empty = Nijedna sesija ne odgovara ovom filtru.
reports-forbidden = Ne smijete pregledavati izvješća: pravila vaše organizacije ne daju vam to dopuštenje.
reports-signed-out = Prijavite se za pregled izvješća.
reports-failed = Izvješća se nisu mogla učitati. Pokušajte ponovno.
reports-bad-dates = Provjerite datume: kraj ne smije biti prije početka.
reports-running = Nije završena
reports-level-full = Potpuna kontrola
reports-level-view = Samo pregled
reports-level-none = Ništa nije odobreno
reports-ended-left = Netko je otišao
reports-ended-lost = Veza je prekinuta
reports-ended-stopped = Dijeljenje je zaustavljeno
reports-ended-expired = Kôd je istekao
reports-ended-revoked = Završena zbog pravila
reports-ended-other = Završena
reports-transcript-heading = Prijepis razgovora
reports-transcript-empty = U razgovoru ove sesije ništa nije napisano.
reports-transcript-not-kept = Tekst nije sačuvan: vaša organizacija ne čuva prijepise razgovora.
reports-transcript-close = Zatvori

## Identity binding

agent-identity-verified = Identitet provjeren na ovom računalu kod { $issuer }
agent-identity-broker = Identitet jamči samo poslužitelj službe za podršku
agent-identity-unverified = Identitet nije bilo moguće provjeriti
helper-renewing-sign-in = Obnavljanje prijave…
helper-identity-not-renewed = Vašu prijavu nije bilo moguće obnoviti u ovom pregledniku pa osoba kojoj pomažete možda neće moći potvrditi tko ste. Odjavite se i ponovno se prijavite.
error-fingerprint_mismatch = Glass je zaustavio sesiju: veza nije došla iz preglednika u kojem se vaš pomagač prijavio.
error-helper_unverified = Glass nije mogao potvrditi tko je vaš pomagač pa ga nije pustio.
error-relay_lost = Veza preko relejnog poslužitelja je prekinuta pa vaš pomagač više ne vidi vaš zaslon.
