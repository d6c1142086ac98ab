## Both apps

app-name = Glass
language-label = Språk
signin-heading = Logg på
username-label = Brukernavn
password-label = Passord
signin-button = Logg på
signing-in = Logger på…
signin-missing = Skriv inn brukernavn og passord.
signin-failed = Feil brukernavn eller passord.
signin-with = Logg på med { $provider }
signin-or = eller
signin-provider-failed = Påloggingen mislyktes. Prøv igjen.
server-unreachable = Får ikke kontakt med serveren. Sjekk tilkoblingen og prøv igjen.
sign-out-button = Logg av
signed-in-as = Pålogget som { $name }
leave-button = Forlat
reconnect-button = Koble til igjen
link-lost-heading = Tilkoblingen ble brutt
link-lost = Tilkoblingen til serveren ble brutt. Økten er avsluttet.
link-resuming = Tilkoblingen til serveren ble brutt. Kobler til igjen…
peer-away = { $name } mistet tilkoblingen — venter på at tilkoblingen kommer tilbake…
ended-heading = Økten er avsluttet
card-picture =
    .alt = Bilde av { $name }
domain-verified = bekreftet
domain-unverified = ikke bekreftet
card-vouched-note = ✓ bekreftet av påloggingstjenesten

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Meldinger
chat-empty = Ingen meldinger ennå.
chat-label = Melding
chat-hint = Enter sender, Shift+Enter gir ny linje.
chat-send = Send
chat-length = { $count } / { $max }
chat-too-long = For lang: { $count } / { $max }
chat-closed = Chatten er stengt.
chat-kept = Organisasjonen din lagrer teksten i denne chatten i revisjonsloggen sin.

## Helper app

helper-page-title = Glass — fjernhjelp
helper-start-heading = Hjelp noen
helper-start-intro = Hent en kode og gi den til personen du hjelper.
get-code-button = Hent en kode
code-heading = Koden din
code-where = Be personen åpne denne adressen og skrive inn koden:
copy-button = Kopier
copied-button = Kopiert
code-copied = Koden er kopiert.
copy-failed = Kunne ikke kopiere. Les opp koden i stedet.
cancel-code-button = Avbryt
code-expires = Utløper om { $time }
code-expired-heading = Koden er utløpt
new-code-button = Hent en ny kode
sharer-heading = Hvem som har koblet til
client-agent = Bruker Glass-appen
client-web = Bruker en nettleser
choose-request-message = Be { $name } om å vise deg skjermen sin.
request-view-button = Be om bare å se
request-full-button = Be om full kontroll
try-again-view-button = Prøv igjen
full-not-possible = Full kontroll er ikke mulig: en nettleser kan ikke fjernstyres. Du kan bare se.
waiting-approval-message = Venter på svar fra { $name }…
declined-declined = { $name } takket nei.
declined-timeout = { $name } svarte ikke i tide.
declined-not_supported = { $name } kan ikke gi kontroll fra denne enheten.
escalation-declined = { $name } takket nei til full kontroll. Du kan fortsatt se.
escalation-timeout = { $name } svarte ikke. Du kan fortsatt se.
escalation-not_supported = { $name } kan ikke gi kontroll fra denne enheten.
stage-heading = Delt skjerm
video-label = Skjermen til { $name }
keyboard-target =
    .aria-label = Tastaturinndata for den delte skjermen
level-view = Bare visning
level-full = Du har kontrollen
release-button = Gi tilbake kontrollen
fullscreen-button = Fullskjerm
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Skjerm
display-all = Alle skjermer
agent-screen-legend = Skjerm som deles
# Copy and paste with the sharer (full control only).
clipboard-send-button = Send utklippstavlen min
clipboard-received = De kopierte tekst ({ $count } tegn).
clipboard-copy-button = Kopier til utklippstavlen min
clipboard-unavailable = Denne nettleseren lar ikke siden bruke utklippstavlen.
keyboard-lock-unavailable = I denne nettleseren blir systemsnarveier som Alt+Tab, Windows-tasten og Escape værende på datamaskinen din. Chrome og Edge sender dem videre i fullskjerm.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Denne nettleseren kan ikke vise eller sende en delt skjerm (den har ikke WebRTC). Bruk Chrome, Edge, Firefox eller Safari.
exit-fullscreen-button = Avslutt fullskjerm
overlay-connecting = Kobler til skjermen…
overlay-paused = { $name } har satt delingen på pause.
video-failed = Videotilkoblingen mislyktes.
left-left = { $name } har forlatt økten.
left-lost = Tilkoblingen til { $name } ble brutt.
left-stopped = { $name } har sluttet å dele.
left-expired = Økten er utløpt.
ended-self = Du har forlatt økten.

helper-state-idle = Hent en kode for å begynne.
helper-state-waiting_sharer = Venter på at den andre personen skriver inn koden…
helper-state-expired = Koden er utløpt.
helper-state-sharer_joined = { $name } har koblet til.
helper-state-waiting_approval = Venter på godkjenning fra { $name }…
helper-state-declined = { $name } takket nei.
helper-state-connected = Koblet til { $name }.
helper-state-paused = { $name } har satt delingen på pause.
helper-state-sharer_left = { $name } har gått.
helper-state-ended = Økten er avsluttet.

## Sharer app

sharer-page-title = Glass — del skjermen din
sharing-page-title = ● Deler — Glass
sharer-code-heading = Få hjelp
code-label = Kode fra hjelperen din
code-hint = 8 bokstaver og sifre, for eksempel 4060 R0GX
code-bad-format = En kode har 8 bokstaver og sifre. Sjekk den og prøv igjen.
join-button = Bli med
helper-heading = Hjelperen din
joined-message = { $name } kan nå be om å se skjermen din. Ingenting deles før du tillater det.
consent-heading = { $name } vil se skjermen din
consent-explainer = Hvis du tillater det, velger du hva som deles: en skjerm, et vindu eller en fane. { $name } kan se det, men ikke styre det.
choosing-message = Velg i nettleservinduet hva du vil dele.
allow-button = Tillat
decline-button = Avslå
capture-unsupported = Denne nettleseren kan ikke dele skjermen.
capture-cancelled = Ingenting ble delt.
sharing-banner = Du deler skjermen din med { $name } (bare visning)
sharing-banner-paused = Delingen er satt på pause: { $name } ser ikke skjermen din.
pause-button = Pause
resume-button = Fortsett
stop-button = Slutt å dele
preview-heading = Dette ser hjelperen din
preview-paused = På pause
view-only-note = Hjelperen din ser det du deler, men kan ikke styre det.
another-code-button = Skriv inn en annen kode
ended-stopped = Du sluttet å dele.
helper-left-left = { $name } har forlatt økten.
helper-left-lost = Tilkoblingen til { $name } ble brutt.
helper-left-stopped = { $name } har avsluttet økten.
helper-left-expired = Økten er utløpt.

sharer-state-idle = Skriv inn koden du fikk av hjelperen din.
sharer-state-joining = Sjekker koden…
sharer-state-joined = Koblet til { $name }.
sharer-state-asking = { $name } ber om å se skjermen din.
sharer-state-choosing = Velg hva du vil dele…
sharer-state-sharing = Skjermen din deles med { $name }.
sharer-state-paused = Delingen er satt på pause.
sharer-state-helper_left = { $name } har gått.
sharer-state-ended = Økten er avsluttet.

## Errors from the broker

error-malformed = Serveren forsto ikke forespørselen.
error-unsupported_version = Denne siden er utdatert. Last den inn på nytt.
error-too_large = Meldingen er for stor.
error-not_allowed = Det går ikke akkurat nå.
error-code_invalid = Koden er ikke gyldig. Sjekk den eller be om en ny.
error-locked_out = For mange feil koder. Prøv igjen om 15 minutter.
error-busy = Tjenesten er opptatt. Prøv igjen om et minutt.
error-chat_disabled = Chatten er slått av for organisasjonen din.
error-chat_invalid = Meldingen kan ikke sendes.
error-rate_limited = For mange forsøk. Vent litt og prøv igjen.
error-internal = Noe gikk galt. Prøv igjen.

## Agent approval page

agent-page-title = Glass — godkjenning av deling
agent-no-secret = Åpne denne siden fra lenken Glass skrev ut. Åpnet slik kan den ikke gjøre noe.
agent-connecting = Kobler til Glass på denne datamaskinen…
agent-disconnected = Glass på denne datamaskinen har stoppet. Du kan lukke denne siden.
agent-joining = Blir med i økten…
agent-ask-view = { $name } ber om å se skjermen din
agent-ask-full = { $name } ber om å se og styre skjermen din
agent-explain-view = { $name } vil se hele skjermen din, men kan ikke bruke musen eller tastaturet ditt. Du kan sette på pause eller stoppe når som helst.
agent-explain-full = { $name } vil kunne bruke musen og tastaturet ditt. Du kan ta tilbake kontrollen eller stoppe når som helst.
agent-time-left = Tid igjen til å svare: { $seconds } s
agent-expired = Ikke svar i tide: forespørselen ble avslått.
agent-declined = Du avslo.
agent-allowed = Du tillot det. Starter…
agent-banner-view = Deler med { $name } — bare visning
agent-banner-full = Deler med { $name } — full kontroll
agent-banner-paused = Deler med { $name } — på pause
agent-takeback-button = Ta tilbake kontrollen
agent-action-failed = Glass godtok ikke det. Prøv igjen.
agent-close-page = Du kan lukke denne siden.
agent-ended-left = Økten er avsluttet.
agent-ended-lost = Tilkoblingen til hjelperen din ble brutt.
agent-ended-stopped = Delingen er stoppet.
agent-ended-expired = Økten er utløpt.
agent-ended-broker_lost = Tilkoblingen til serveren ble brutt.
agent-ended-other = Økten er avsluttet.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Organisasjonens retningslinjer tillater ikke dette.
warnings-heading = Om denne enheten
warning-device_not_enrolled = Denne enheten er ikke registrert av organisasjonen din. Unngå å skrive inn administratorpålogging der.
warning-device_not_compliant = Denne enheten oppfyller ikke kravene: { $reasons }. Unngå å skrive inn administratorpålogging der.
warning-device_compliance_unknown = Det er ukjent om denne enheten oppfyller kravene. Unngå å skrive inn administratorpålogging der.
warning-other = Organisasjonen din har flagget denne enheten. Unngå å skrive inn administratorpålogging der.
full-not-allowed = Full kontroll er ikke mulig: organisasjonens retningslinjer lar deg bare se.
level-limited = Organisasjonens retningslinjer tillater nå bare visning.
declined-forbidden = Organisasjonens retningslinjer tillater ikke lenger denne forespørselen.
escalation-forbidden = Organisasjonens retningslinjer tillater ikke lenger full kontroll. Du kan fortsatt se.
left-revoked = Organisasjonens retningslinjer tillater ikke lenger denne hjelpeøkten.
helper-left-revoked = Organisasjonens retningslinjer tillater ikke lenger denne hjelpeøkten.
ended-revoked = Organisasjonens retningslinjer tillater ikke lenger denne hjelpeøkten.
agent-ended-revoked = Organisasjonens retningslinjer tillater ikke lenger denne hjelpeøkten.
sharer-request-forbidden = Forespørselen ble trukket tilbake: organisasjonens retningslinjer tillater den ikke lenger.
sharer-level-limited = Organisasjonens retningslinjer lar nå { $name } bare se.

## Reports page

reports-link = Rapporter
reports-page-title = Glass — rapporter
reports-heading = Rapporter om hjelpeøkter
reports-back = Tilbake til fjernhjelp
reports-filter-heading = Filter
reports-person-label = Person (navn eller bruker-ID)
reports-device-label = Enhet
reports-from-label = Fra
reports-to-label = Til
reports-show-button = Vis økter
reports-download-csv = Last ned CSV
reports-download-json = Last ned JSON
reports-col-helper = Hjelper
reports-col-sharer = Person som fikk hjelp
reports-col-start = Start
reports-col-end = Slutt
reports-col-level = Tilgang
reports-col-ended = Slik endte den
reports-transcript-button = Utskrift
reports-loading = Laster inn økter …
reports-empty = Ingen økter samsvarer med dette filteret.
reports-forbidden = Du har ikke lov til å se rapporter: organisasjonens retningslinjer gir deg ikke denne tillatelsen.
reports-signed-out = Logg på for å se rapporter.
reports-failed = Rapportene kunne ikke lastes inn. Prøv igjen.
reports-bad-dates = Sjekk datoene: slutten kan ikke være før starten.
reports-running = Ikke avsluttet
reports-level-full = Full kontroll
reports-level-view = Bare visning
reports-level-none = Ingenting gitt
reports-ended-left = Noen forlot økten
reports-ended-lost = Tilkoblingen ble brutt
reports-ended-stopped = Delingen ble stoppet
reports-ended-expired = Koden utløp
reports-ended-revoked = Avsluttet av retningslinjene
reports-ended-other = Avsluttet
reports-transcript-heading = Chatutskrift
reports-transcript-empty = Ingenting ble skrevet i chatten i denne økten.
reports-transcript-not-kept = Teksten er ikke lagret: organisasjonen din lagrer ikke chatutskrifter.
reports-transcript-close = Lukk

## Identity binding

agent-identity-verified = Identiteten er kontrollert på denne datamaskinen hos { $issuer }
agent-identity-broker = Identiteten er bare bekreftet av brukerstøtteserveren
agent-identity-unverified = Identiteten kunne ikke bekreftes
helper-renewing-sign-in = Fornyer påloggingen…
helper-identity-not-renewed = Påloggingen din kunne ikke fornyes i denne nettleseren, så personen du hjelper, kan kanskje ikke bekrefte hvem du er. Logg av og logg på igjen.
error-fingerprint_mismatch = Glass stoppet økten: tilkoblingen kom ikke fra nettleseren hjelperen din logget på med.
error-helper_unverified = Glass kunne ikke bekrefte hvem hjelperen din er, og slapp dem derfor ikke inn.
error-relay_lost = Forbindelsen gjennom reléserveren ble brutt, så hjelperen din kan ikke lenger se skjermen din.
