## Both apps

app-name = Glass
language-label = Taal
signin-heading = Inloggen
username-label = Gebruikersnaam
password-label = Wachtwoord
signin-button = Inloggen
signing-in = Bezig met inloggen…
signin-missing = Vul je gebruikersnaam en wachtwoord in.
signin-failed = Onjuiste gebruikersnaam of wachtwoord.
signin-with = Aanmelden met { $provider }
signin-or = of
signin-provider-failed = Aanmelden is niet gelukt. Probeer het opnieuw.
server-unreachable = De server is niet bereikbaar. Controleer je verbinding en probeer het opnieuw.
sign-out-button = Uitloggen
signed-in-as = Ingelogd als { $name }
leave-button = Verlaten
reconnect-button = Opnieuw verbinden
link-lost-heading = Verbinding verbroken
link-lost = De verbinding met de server is verbroken. De sessie is beëindigd.
link-resuming = De verbinding met de server is onderbroken. Opnieuw verbinden…
peer-away = { $name } heeft de verbinding verloren — wachten tot die terug is…
ended-heading = Sessie beëindigd
card-picture =
    .alt = Foto van { $name }
domain-verified = geverifieerd
domain-unverified = niet geverifieerd
card-vouched-note = ✓ bevestigd door de aanmeldprovider

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Berichten
chat-empty = Nog geen berichten.
chat-label = Bericht
chat-hint = Enter verstuurt, Shift+Enter begint een nieuwe regel.
chat-send = Versturen
chat-length = { $count } / { $max }
chat-too-long = Te lang: { $count } / { $max }
chat-closed = De chat is gesloten.
chat-kept = Uw organisatie bewaart de tekst van deze chat in haar auditlogboek.

## Helper app

helper-page-title = Glass — hulp op afstand
helper-start-heading = Iemand helpen
helper-start-intro = Vraag een code aan en geef die aan de persoon die je helpt.
get-code-button = Code aanvragen
code-heading = Je code
code-where = Vraag de ander dit adres te openen en de code in te voeren:
copy-button = Kopiëren
copied-button = Gekopieerd
code-copied = De code is gekopieerd.
copy-failed = Kopiëren lukt niet. Lees de code voor.
cancel-code-button = Annuleren
code-expires = Verloopt over { $time }
code-expired-heading = Code verlopen
new-code-button = Nieuwe code aanvragen
sharer-heading = Wie er is binnengekomen
client-agent = Gebruikt de Glass-app
client-web = Gebruikt een webbrowser
choose-request-message = Vraag { $name } om je het scherm te laten zien.
request-view-button = Alleen meekijken vragen
request-full-button = Volledige besturing vragen
try-again-view-button = Opnieuw proberen
full-not-possible = Volledige besturing is niet mogelijk: een webbrowser kan niet op afstand worden bestuurd. Je kunt alleen meekijken.
waiting-approval-message = Wachten op antwoord van { $name }…
declined-declined = { $name } heeft geweigerd.
declined-timeout = { $name } heeft niet op tijd geantwoord.
declined-not_supported = { $name } kan op dit apparaat geen besturing geven.
escalation-declined = { $name } heeft volledige besturing geweigerd. Je kunt nog steeds meekijken.
escalation-timeout = { $name } heeft niet geantwoord. Je kunt nog steeds meekijken.
escalation-not_supported = { $name } kan op dit apparaat geen besturing geven.
stage-heading = Gedeeld scherm
video-label = Scherm van { $name }
keyboard-target =
    .aria-label = Toetsenbordinvoer voor het gedeelde scherm
level-view = Alleen meekijken
level-full = Jij hebt de besturing
release-button = Besturing teruggeven
fullscreen-button = Volledig scherm
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Scherm
display-all = Alle schermen
agent-screen-legend = Te delen scherm
# Copy and paste with the sharer (full control only).
clipboard-send-button = Mijn klembord versturen
clipboard-received = Er is tekst gekopieerd ({ $count } tekens).
clipboard-copy-button = Naar mijn klembord kopiëren
clipboard-unavailable = Deze browser laat de pagina het klembord niet gebruiken.
keyboard-lock-unavailable = In deze browser blijven systeemsneltoetsen zoals Alt+Tab, de Windows-toets en Escape op uw computer. Chrome en Edge geven ze door in volledig scherm.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Deze browser kan geen gedeeld scherm tonen of versturen (geen WebRTC). Gebruik Chrome, Edge, Firefox of Safari.
exit-fullscreen-button = Volledig scherm sluiten
overlay-connecting = Verbinden met het scherm…
overlay-paused = { $name } heeft het delen gepauzeerd.
video-failed = De videoverbinding is mislukt.
left-left = { $name } heeft de sessie verlaten.
left-lost = De verbinding met { $name } is verbroken.
left-stopped = { $name } is gestopt met delen.
left-expired = De sessie is verlopen.
ended-self = Je hebt de sessie verlaten.

helper-state-idle = Vraag een code aan om te beginnen.
helper-state-waiting_sharer = Wachten tot de ander de code invoert…
helper-state-expired = De code is verlopen.
helper-state-sharer_joined = { $name } is binnengekomen.
helper-state-waiting_approval = Wachten op toestemming van { $name }…
helper-state-declined = { $name } heeft geweigerd.
helper-state-connected = Verbonden met { $name }.
helper-state-paused = { $name } heeft het delen gepauzeerd.
helper-state-sharer_left = { $name } is vertrokken.
helper-state-ended = De sessie is beëindigd.

## Sharer app

sharer-page-title = Glass — je scherm delen
sharing-page-title = ● Scherm wordt gedeeld — Glass
sharer-code-heading = Hulp krijgen
code-label = Code van je helper
code-hint = 8 letters en cijfers, bijvoorbeeld 4060 R0GX
code-bad-format = Een code heeft 8 letters en cijfers. Controleer hem en probeer het opnieuw.
join-button = Deelnemen
helper-heading = Je helper
joined-message = { $name } kan nu vragen om je scherm te zien. Er wordt niets gedeeld zonder jouw toestemming.
consent-heading = { $name } wil je scherm zien
consent-explainer = Als je toestaat, kies je wat je deelt: een scherm, een venster of een tabblad. { $name } kan het zien maar niet bedienen.
choosing-message = Kies in het browservenster wat je wilt delen.
allow-button = Toestaan
decline-button = Weigeren
capture-unsupported = Deze browser kan het scherm niet delen.
capture-cancelled = Er is niets gedeeld.
sharing-banner = Je deelt je scherm met { $name } (alleen meekijken)
sharing-banner-paused = Delen gepauzeerd: { $name } ziet je scherm niet.
pause-button = Pauzeren
resume-button = Hervatten
stop-button = Stoppen met delen
preview-heading = Wat je helper ziet
preview-paused = Gepauzeerd
view-only-note = Je helper ziet wat je deelt, maar kan het niet bedienen.
another-code-button = Andere code invoeren
ended-stopped = Je bent gestopt met delen.
helper-left-left = { $name } heeft de sessie verlaten.
helper-left-lost = De verbinding met { $name } is verbroken.
helper-left-stopped = { $name } heeft de sessie beëindigd.
helper-left-expired = De sessie is verlopen.

sharer-state-idle = Voer de code in die je van je helper hebt gekregen.
sharer-state-joining = Code controleren…
sharer-state-joined = Verbonden met { $name }.
sharer-state-asking = { $name } vraagt om je scherm te zien.
sharer-state-choosing = Kies wat je deelt…
sharer-state-sharing = Je scherm wordt gedeeld met { $name }.
sharer-state-paused = Delen gepauzeerd.
sharer-state-helper_left = { $name } is vertrokken.
sharer-state-ended = De sessie is beëindigd.

## Errors from the broker

error-malformed = De server begreep het verzoek niet.
error-unsupported_version = Deze pagina is verouderd. Laad haar opnieuw.
error-too_large = Het bericht is te groot.
error-not_allowed = Dat kan nu niet.
error-code_invalid = Deze code is niet geldig. Controleer hem of vraag een nieuwe.
error-locked_out = Te veel verkeerde codes. Probeer het over 15 minuten opnieuw.
error-busy = De dienst is druk. Probeer het over een minuut opnieuw.
error-chat_disabled = De chat is uitgeschakeld voor je organisatie.
error-chat_invalid = Dit bericht kan niet worden verstuurd.
error-rate_limited = Te veel pogingen. Wacht even en probeer het opnieuw.
error-internal = Er ging iets mis. Probeer het opnieuw.

## Agent approval page

agent-page-title = Glass — delen goedkeuren
agent-no-secret = Open deze pagina via de link die Glass heeft getoond. Zo geopend kan ze niets doen.
agent-connecting = Verbinden met Glass op deze computer…
agent-disconnected = Glass op deze computer is gestopt. Je kunt deze pagina sluiten.
agent-joining = Deelnemen aan de sessie…
agent-ask-view = { $name } vraagt om je scherm te zien
agent-ask-full = { $name } vraagt om je scherm te zien en te besturen
agent-explain-view = { $name } ziet je hele scherm, maar kan je muis en toetsenbord niet gebruiken. Je kunt op elk moment pauzeren of stoppen.
agent-explain-full = { $name } kan je muis en toetsenbord gebruiken. Je kunt op elk moment de besturing terugnemen of stoppen.
agent-time-left = Tijd om te antwoorden: { $seconds } s
agent-expired = Geen antwoord op tijd: het verzoek is geweigerd.
agent-declined = Je hebt geweigerd.
agent-allowed = Je hebt het toegestaan. Starten…
agent-banner-view = Delen met { $name } — alleen meekijken
agent-banner-full = Delen met { $name } — volledige besturing
agent-banner-paused = Delen met { $name } — gepauzeerd
agent-takeback-button = Besturing terugnemen
agent-action-failed = Glass heeft dat niet geaccepteerd. Probeer het opnieuw.
agent-close-page = Je kunt deze pagina sluiten.
agent-ended-left = De sessie is beëindigd.
agent-ended-lost = De verbinding met je helper is verbroken.
agent-ended-stopped = Het delen is gestopt.
agent-ended-expired = De sessie is verlopen.
agent-ended-broker_lost = De verbinding met de server is verbroken.
agent-ended-other = De sessie is beëindigd.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Het beleid van je organisatie staat dit niet toe.
warnings-heading = Over dit apparaat
warning-device_not_enrolled = Dit apparaat is niet door je organisatie ingeschreven. Typ er geen beheerdersgegevens op.
warning-device_not_compliant = Dit apparaat voldoet niet aan de eisen: { $reasons }. Typ er geen beheerdersgegevens op.
warning-device_compliance_unknown = Het is niet bekend of dit apparaat aan de eisen voldoet. Typ er geen beheerdersgegevens op.
warning-other = Je organisatie heeft dit apparaat gemarkeerd. Typ er geen beheerdersgegevens op.
full-not-allowed = Volledige besturing is niet mogelijk: het beleid van je organisatie staat alleen meekijken toe.
level-limited = Het beleid van je organisatie staat nu alleen meekijken toe.
declined-forbidden = Het beleid van je organisatie staat dit verzoek niet meer toe.
escalation-forbidden = Het beleid van je organisatie staat geen volledige besturing meer toe. Je kunt nog steeds meekijken.
left-revoked = Het beleid van je organisatie staat deze hulpsessie niet meer toe.
helper-left-revoked = Het beleid van je organisatie staat deze hulpsessie niet meer toe.
ended-revoked = Het beleid van je organisatie staat deze hulpsessie niet meer toe.
agent-ended-revoked = Het beleid van je organisatie staat deze hulpsessie niet meer toe.
sharer-request-forbidden = Het verzoek is ingetrokken: het beleid van je organisatie staat het niet meer toe.
sharer-level-limited = Het beleid van je organisatie laat { $name } nu alleen meekijken.

## Reports page

reports-link = Rapporten
reports-page-title = Glass — rapporten
reports-heading = Rapporten van hulpsessies
reports-back = Terug naar hulp op afstand
reports-filter-heading = Filter
reports-person-label = Persoon (naam of gebruikers-ID)
reports-device-label = Apparaat
reports-from-label = Van
reports-to-label = Tot en met
reports-show-button = Sessies tonen
reports-download-csv = CSV downloaden
reports-download-json = JSON downloaden
reports-col-helper = Helper
reports-col-sharer = Geholpen persoon
reports-col-start = Begin
reports-col-end = Einde
reports-col-level = Toegang
reports-col-ended = Hoe die eindigde
reports-transcript-button = Transcript
reports-loading = Sessies laden…
reports-empty = Geen sessies voldoen aan dit filter.
reports-forbidden = U mag geen rapporten bekijken: het beleid van uw organisatie geeft u deze machtiging niet.
reports-signed-out = Meld u aan om rapporten te bekijken.
reports-failed = De rapporten konden niet worden geladen. Probeer het opnieuw.
reports-bad-dates = Controleer de datums: het einde mag niet vóór het begin liggen.
reports-running = Niet beëindigd
reports-level-full = Volledige bediening
reports-level-view = Alleen bekijken
reports-level-none = Niets toegestaan
reports-ended-left = Iemand is vertrokken
reports-ended-lost = Verbinding verbroken
reports-ended-stopped = Delen gestopt
reports-ended-expired = Code verlopen
reports-ended-revoked = Beëindigd door beleid
reports-ended-other = Beëindigd
reports-transcript-heading = Chattranscript
reports-transcript-empty = Er is in deze sessie niets in de chat geschreven.
reports-transcript-not-kept = Tekst niet bewaard: uw organisatie bewaart geen chattranscripten.
reports-transcript-close = Sluiten

## Identity binding

agent-identity-verified = Identiteit op deze computer gecontroleerd bij { $issuer }
agent-identity-broker = Identiteit alleen bevestigd door de server van de helpdesk
agent-identity-unverified = De identiteit kon niet worden gecontroleerd
helper-renewing-sign-in = Je aanmelding wordt vernieuwd…
helper-identity-not-renewed = Je aanmelding kon in deze browser niet worden vernieuwd, dus de persoon die je helpt kan misschien niet nagaan wie je bent. Meld je af en meld je opnieuw aan.
error-fingerprint_mismatch = Glass heeft de sessie gestopt: de verbinding kwam niet uit de browser waarmee je helper zich heeft aangemeld.
error-helper_unverified = Glass kon niet nagaan wie je helper is en heeft hem daarom niet toegelaten.
error-relay_lost = De verbinding via de relayserver is verbroken; uw helper ziet uw scherm niet meer.
