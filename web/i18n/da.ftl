## Both apps

app-name = Glass
language-label = Sprog
signin-heading = Log ind
username-label = Brugernavn
password-label = Adgangskode
signin-button = Log ind
signing-in = Logger ind…
signin-missing = Skriv dit brugernavn og din adgangskode.
signin-failed = Forkert brugernavn eller adgangskode.
signin-with = Log ind med { $provider }
signin-or = eller
signin-provider-failed = Login lykkedes ikke. Prøv igen.
server-unreachable = Serveren kan ikke nås. Tjek din forbindelse, og prøv igen.
sign-out-button = Log ud
signed-in-as = Logget ind som { $name }
leave-button = Forlad
reconnect-button = Forbind igen
link-lost-heading = Forbindelsen blev afbrudt
link-lost = Forbindelsen til serveren blev afbrudt. Sessionen er slut.
link-resuming = Forbindelsen til serveren blev afbrudt. Forbinder igen…
peer-away = { $name } mistede forbindelsen — venter på, at forbindelsen kommer igen…
ended-heading = Sessionen er slut
card-picture =
    .alt = Billede af { $name }
domain-verified = bekræftet
domain-unverified = ikke bekræftet
card-vouched-note = ✓ bekræftet af login-udbyderen

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Beskeder
chat-empty = Ingen beskeder endnu.
chat-label = Besked
chat-hint = Enter sender, Shift+Enter giver en ny linje.
chat-send = Send
chat-length = { $count } / { $max }
chat-too-long = For lang: { $count } / { $max }
chat-closed = Chatten er lukket.
chat-kept = Din organisation gemmer teksten i denne chat i sin revisionslog.

## Helper app

helper-page-title = Glass — fjernhjælp
helper-start-heading = Hjælp en anden
helper-start-intro = Hent en kode, og giv den til den person, du hjælper.
get-code-button = Hent en kode
code-heading = Din kode
code-where = Bed personen åbne denne adresse og indtaste koden:
copy-button = Kopiér
copied-button = Kopieret
code-copied = Koden er kopieret.
copy-failed = Kunne ikke kopiere. Læs koden højt i stedet.
cancel-code-button = Annuller
code-expires = Udløber om { $time }
code-expired-heading = Koden er udløbet
new-code-button = Hent en ny kode
sharer-heading = Hvem der er kommet ind
client-agent = Bruger Glass-appen
client-web = Bruger en webbrowser
choose-request-message = Bed { $name } om at vise dig sin skærm.
request-view-button = Bed om kun at se
request-full-button = Bed om fuld kontrol
try-again-view-button = Prøv igen
full-not-possible = Fuld kontrol er ikke mulig: en webbrowser kan ikke fjernstyres. Du kan kun se med.
waiting-approval-message = Venter på svar fra { $name }…
declined-declined = { $name } sagde nej.
declined-timeout = { $name } svarede ikke i tide.
declined-not_supported = { $name } kan ikke give kontrol fra denne enhed.
escalation-declined = { $name } sagde nej til fuld kontrol. Du kan stadig se med.
escalation-timeout = { $name } svarede ikke. Du kan stadig se med.
escalation-not_supported = { $name } kan ikke give kontrol fra denne enhed.
stage-heading = Delt skærm
video-label = Skærm fra { $name }
keyboard-target =
    .aria-label = Tastaturinput til den delte skærm
level-view = Kun visning
level-full = Du har kontrollen
release-button = Giv kontrollen tilbage
fullscreen-button = Fuld skærm
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Skærm
display-all = Alle skærme
agent-screen-legend = Skærm, der deles
# Copy and paste with the sharer (full control only).
clipboard-send-button = Send min udklipsholder
clipboard-received = De kopierede tekst ({ $count } tegn).
clipboard-copy-button = Kopiér til min udklipsholder
clipboard-unavailable = Denne browser lader ikke siden bruge udklipsholderen.
keyboard-lock-unavailable = I denne browser bliver systemgenveje som Alt+Tab, Windows-tasten og Escape på din computer. Chrome og Edge sender dem videre i fuld skærm.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Denne browser kan ikke vise eller sende en delt skærm (den har ikke WebRTC). Brug Chrome, Edge, Firefox eller Safari.
exit-fullscreen-button = Afslut fuld skærm
overlay-connecting = Forbinder til skærmen…
overlay-paused = { $name } har sat delingen på pause.
video-failed = Videoforbindelsen mislykkedes.
left-left = { $name } har forladt sessionen.
left-lost = Forbindelsen til { $name } blev afbrudt.
left-stopped = { $name } er holdt op med at dele.
left-expired = Sessionen er udløbet.
ended-self = Du har forladt sessionen.

helper-state-idle = Hent en kode for at begynde.
helper-state-waiting_sharer = Venter på, at den anden person indtaster koden…
helper-state-expired = Koden er udløbet.
helper-state-sharer_joined = { $name } er kommet ind.
helper-state-waiting_approval = Venter på godkendelse fra { $name }…
helper-state-declined = { $name } sagde nej.
helper-state-connected = Forbundet med { $name }.
helper-state-paused = { $name } har sat delingen på pause.
helper-state-sharer_left = { $name } er gået.
helper-state-ended = Sessionen er slut.

## Sharer app

sharer-page-title = Glass — del din skærm
sharing-page-title = ● Deler — Glass
sharer-code-heading = Få hjælp
code-label = Kode fra din hjælper
code-hint = 8 bogstaver og tal, for eksempel 4060 R0GX
code-bad-format = En kode har 8 bogstaver og tal. Tjek den, og prøv igen.
join-button = Deltag
helper-heading = Din hjælper
joined-message = { $name } kan nu bede om at se din skærm. Intet deles, før du tillader det.
consent-heading = { $name } vil se din skærm
consent-explainer = Hvis du tillader det, vælger du, hvad der deles: en skærm, et vindue eller en fane. { $name } kan se det, men ikke styre det.
choosing-message = Vælg i browserens vindue, hvad du vil dele.
allow-button = Tillad
decline-button = Afvis
capture-unsupported = Denne browser kan ikke dele skærmen.
capture-cancelled = Intet blev delt.
sharing-banner = Du deler din skærm med { $name } (kun visning)
sharing-banner-paused = Deling på pause: { $name } kan ikke se din skærm.
pause-button = Pause
resume-button = Fortsæt
stop-button = Stop deling
preview-heading = Det, din hjælper ser
preview-paused = På pause
view-only-note = Din hjælper kan se det, du deler, men kan ikke styre det.
another-code-button = Indtast en anden kode
ended-stopped = Du stoppede delingen.
helper-left-left = { $name } har forladt sessionen.
helper-left-lost = Forbindelsen til { $name } blev afbrudt.
helper-left-stopped = { $name } har afsluttet sessionen.
helper-left-expired = Sessionen er udløbet.

sharer-state-idle = Indtast koden, du har fået af din hjælper.
sharer-state-joining = Tjekker koden…
sharer-state-joined = Forbundet med { $name }.
sharer-state-asking = { $name } beder om at se din skærm.
sharer-state-choosing = Vælg, hvad du vil dele…
sharer-state-sharing = Din skærm deles med { $name }.
sharer-state-paused = Deling på pause.
sharer-state-helper_left = { $name } er gået.
sharer-state-ended = Sessionen er slut.

## Errors from the broker

error-malformed = Serveren forstod ikke forespørgslen.
error-unsupported_version = Denne side er forældet. Genindlæs den.
error-too_large = Beskeden er for stor.
error-not_allowed = Det er ikke muligt lige nu.
error-code_invalid = Koden er ikke gyldig. Tjek den, eller bed om en ny.
error-locked_out = For mange forkerte koder. Prøv igen om 15 minutter.
error-busy = Tjenesten er optaget. Prøv igen om et minut.
error-chat_disabled = Chatten er slået fra i din organisation.
error-chat_invalid = Beskeden kan ikke sendes.
error-rate_limited = For mange forsøg. Vent lidt, og prøv igen.
error-internal = Noget gik galt. Prøv igen.

## Agent approval page

agent-page-title = Glass — godkendelse af deling
agent-no-secret = Åbn denne side fra linket, som Glass udskrev. Åbnet sådan kan den ikke gøre noget.
agent-connecting = Forbinder til Glass på denne computer…
agent-disconnected = Glass på denne computer er stoppet. Du kan lukke denne side.
agent-joining = Deltager i sessionen…
agent-ask-view = { $name } beder om at se din skærm
agent-ask-full = { $name } beder om at se og styre din skærm
agent-explain-view = { $name } vil se hele din skærm, men kan ikke bruge din mus eller dit tastatur. Du kan sætte på pause eller stoppe når som helst.
agent-explain-full = { $name } vil kunne bruge din mus og dit tastatur. Du kan tage kontrollen tilbage eller stoppe når som helst.
agent-time-left = Tid tilbage til at svare: { $seconds } s
agent-expired = Intet svar i tide: anmodningen blev afvist.
agent-declined = Du afviste.
agent-allowed = Du tillod det. Starter…
agent-banner-view = Deler med { $name } — kun visning
agent-banner-full = Deler med { $name } — fuld kontrol
agent-banner-paused = Deler med { $name } — på pause
agent-takeback-button = Tag kontrollen tilbage
agent-action-failed = Glass accepterede det ikke. Prøv igen.
agent-close-page = Du kan lukke denne side.
agent-ended-left = Sessionen er slut.
agent-ended-lost = Forbindelsen til din hjælper blev afbrudt.
agent-ended-stopped = Delingen er stoppet.
agent-ended-expired = Sessionen er udløbet.
agent-ended-broker_lost = Forbindelsen til serveren blev afbrudt.
agent-ended-other = Sessionen er slut.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Din organisations politik tillader det ikke.
warnings-heading = Om denne enhed
warning-device_not_enrolled = Denne enhed er ikke tilmeldt af din organisation. Undgå at indtaste administratoroplysninger på den.
warning-device_not_compliant = Denne enhed overholder ikke kravene: { $reasons }. Undgå at indtaste administratoroplysninger på den.
warning-device_compliance_unknown = Det vides ikke, om denne enhed overholder kravene. Undgå at indtaste administratoroplysninger på den.
warning-other = Din organisation har markeret denne enhed. Undgå at indtaste administratoroplysninger på den.
full-not-allowed = Fuld kontrol er ikke mulig: din organisations politik tillader kun, at du ser med.
level-limited = Din organisations politik tillader nu kun visning.
declined-forbidden = Din organisations politik tillader ikke længere denne anmodning.
escalation-forbidden = Din organisations politik tillader ikke længere fuld kontrol. Du kan stadig se med.
left-revoked = Din organisations politik tillader ikke længere denne hjælpesession.
helper-left-revoked = Din organisations politik tillader ikke længere denne hjælpesession.
ended-revoked = Din organisations politik tillader ikke længere denne hjælpesession.
agent-ended-revoked = Din organisations politik tillader ikke længere denne hjælpesession.
sharer-request-forbidden = Anmodningen blev trukket tilbage: din organisations politik tillader den ikke længere.
sharer-level-limited = Din organisations politik tillader nu kun { $name } at se med.

## Reports page

reports-link = Rapporter
reports-page-title = Glass — rapporter
reports-heading = Rapporter over hjælpesessioner
reports-back = Tilbage til fjernhjælp
reports-filter-heading = Filter
reports-person-label = Person (navn eller bruger-id)
reports-device-label = Enhed
reports-from-label = Fra
reports-to-label = Til
reports-show-button = Vis sessioner
reports-download-csv = Hent CSV
reports-download-json = Hent JSON
reports-col-helper = Hjælper
reports-col-sharer = Person, der fik hjælp
reports-col-start = Start
reports-col-end = Slut
reports-col-level = Adgang
reports-col-ended = Sådan sluttede den
reports-transcript-button = Udskrift
reports-loading = Indlæser sessioner …
reports-empty = Ingen sessioner matcher dette filter.
reports-forbidden = Du må ikke se rapporter: din organisations politik giver dig ikke denne tilladelse.
reports-signed-out = Log ind for at se rapporter.
reports-failed = Rapporterne kunne ikke indlæses. Prøv igen.
reports-bad-dates = Tjek datoerne: slutningen må ikke ligge før starten.
reports-running = Ikke afsluttet
reports-level-full = Fuld kontrol
reports-level-view = Kun visning
reports-level-none = Intet tilladt
reports-ended-left = Nogen forlod sessionen
reports-ended-lost = Forbindelsen blev afbrudt
reports-ended-stopped = Deling stoppet
reports-ended-expired = Koden udløb
reports-ended-revoked = Afsluttet af politikken
reports-ended-other = Afsluttet
reports-transcript-heading = Chatudskrift
reports-transcript-empty = Der blev ikke skrevet noget i denne sessions chat.
reports-transcript-not-kept = Teksten er ikke gemt: din organisation gemmer ikke chatudskrifter.
reports-transcript-close = Luk

## Identity binding

agent-identity-verified = Identitet kontrolleret på denne computer hos { $issuer }
agent-identity-broker = Identitet kun bekræftet af helpdeskserveren
agent-identity-unverified = Identiteten kunne ikke bekræftes
helper-renewing-sign-in = Fornyer dit login…
helper-identity-not-renewed = Dit login kunne ikke fornyes i denne browser, så den person, du hjælper, kan måske ikke bekræfte, hvem du er. Log ud, og log ind igen.
error-fingerprint_mismatch = Glass stoppede sessionen: forbindelsen kom ikke fra den browser, din hjælper loggede ind med.
error-helper_unverified = Glass kunne ikke bekræfte, hvem din hjælper er, og lukkede vedkommende ikke ind.
error-relay_lost = Forbindelsen gennem relæserveren blev afbrudt, så din hjælper kan ikke længere se din skærm.
