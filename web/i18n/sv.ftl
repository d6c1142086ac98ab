## Both apps

app-name = Glass
language-label = Språk
signin-heading = Logga in
username-label = Användarnamn
password-label = Lösenord
signin-button = Logga in
signing-in = Loggar in…
signin-missing = Ange ditt användarnamn och lösenord.
signin-failed = Fel användarnamn eller lösenord.
signin-with = Logga in med { $provider }
signin-or = eller
signin-provider-failed = Inloggningen misslyckades. Försök igen.
server-unreachable = Det går inte att nå servern. Kontrollera anslutningen och försök igen.
sign-out-button = Logga ut
signed-in-as = Inloggad som { $name }
leave-button = Lämna
reconnect-button = Anslut igen
link-lost-heading = Anslutningen bröts
link-lost = Anslutningen till servern bröts. Sessionen har avslutats.
link-resuming = Anslutningen till servern avbröts. Ansluter igen…
peer-away = { $name } tappade anslutningen — väntar på att den kommer tillbaka…
ended-heading = Sessionen är avslutad
card-picture =
    .alt = Bild på { $name }
domain-verified = verifierad
domain-unverified = inte verifierad
card-vouched-note = ✓ bekräftat av inloggningstjänsten

## Chat

chat-heading = Chatt
chat-log =
    .aria-label = Meddelanden
chat-empty = Inga meddelanden än.
chat-label = Meddelande
chat-hint = Enter skickar, Skift+Enter ger en ny rad.
chat-send = Skicka
chat-length = { $count } / { $max }
chat-too-long = För långt: { $count } / { $max }
chat-closed = Chatten är stängd.
chat-kept = Din organisation sparar texten i den här chatten i sin granskningslogg.

## Helper app

helper-page-title = Glass — fjärrhjälp
helper-start-heading = Hjälp någon
helper-start-intro = Hämta en kod och ge den till personen du hjälper.
get-code-button = Hämta en kod
code-heading = Din kod
code-where = Be personen öppna den här adressen och ange koden:
copy-button = Kopiera
copied-button = Kopierad
code-copied = Koden är kopierad.
copy-failed = Det gick inte att kopiera. Läs upp koden i stället.
cancel-code-button = Avbryt
code-expires = Går ut om { $time }
code-expired-heading = Koden har gått ut
new-code-button = Hämta en ny kod
sharer-heading = Vem som har anslutit
client-agent = Använder Glass-appen
client-web = Använder en webbläsare
choose-request-message = Be { $name } att visa sin skärm för dig.
request-view-button = Be om att bara titta
request-full-button = Be om full kontroll
try-again-view-button = Försök igen
full-not-possible = Full kontroll är inte möjlig: en webbläsare kan inte fjärrstyras. Du kan bara titta.
waiting-approval-message = Väntar på svar från { $name }…
declined-declined = { $name } tackade nej.
declined-timeout = { $name } svarade inte i tid.
declined-not_supported = { $name } kan inte ge kontroll från den här enheten.
escalation-declined = { $name } tackade nej till full kontroll. Du kan fortfarande titta.
escalation-timeout = { $name } svarade inte. Du kan fortfarande titta.
escalation-not_supported = { $name } kan inte ge kontroll från den här enheten.
stage-heading = Delad skärm
video-label = Skärm från { $name }
keyboard-target =
    .aria-label = Tangentbordsinmatning för den delade skärmen
level-view = Bara titta
level-full = Du har kontrollen
release-button = Lämna tillbaka kontrollen
fullscreen-button = Helskärm
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Skärm
display-all = Alla skärmar
agent-screen-legend = Skärm att dela
# Copy and paste with the sharer (full control only).
clipboard-send-button = Skicka mitt urklipp
clipboard-received = De kopierade text ({ $count } tecken).
clipboard-copy-button = Kopiera till mitt urklipp
clipboard-unavailable = Den här webbläsaren låter inte sidan använda urklipp.
keyboard-lock-unavailable = I den här webbläsaren stannar systemkortkommandon som Alt+Tab, Windows-tangenten och Escape på din dator. Chrome och Edge skickar dem vidare i helskärm.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Den här webbläsaren kan inte visa eller skicka en delad skärm (den saknar WebRTC). Använd Chrome, Edge, Firefox eller Safari.
exit-fullscreen-button = Avsluta helskärm
overlay-connecting = Ansluter till skärmen…
overlay-paused = { $name } har pausat delningen.
video-failed = Videoanslutningen misslyckades.
left-left = { $name } har lämnat sessionen.
left-lost = Anslutningen till { $name } bröts.
left-stopped = { $name } har slutat dela.
left-expired = Sessionen har gått ut.
ended-self = Du har lämnat sessionen.

helper-state-idle = Hämta en kod för att börja.
helper-state-waiting_sharer = Väntar på att den andra personen anger koden…
helper-state-expired = Koden har gått ut.
helper-state-sharer_joined = { $name } har anslutit.
helper-state-waiting_approval = Väntar på godkännande från { $name }…
helper-state-declined = { $name } tackade nej.
helper-state-connected = Ansluten till { $name }.
helper-state-paused = { $name } har pausat delningen.
helper-state-sharer_left = { $name } har gått.
helper-state-ended = Sessionen är avslutad.

## Sharer app

sharer-page-title = Glass — dela din skärm
sharing-page-title = ● Delar — Glass
sharer-code-heading = Få hjälp
code-label = Kod från din hjälpare
code-hint = 8 bokstäver och siffror, till exempel 4060 R0GX
code-bad-format = En kod har 8 bokstäver och siffror. Kontrollera den och försök igen.
join-button = Anslut
helper-heading = Din hjälpare
joined-message = { $name } kan nu be om att få se din skärm. Inget delas förrän du tillåter det.
consent-heading = { $name } vill se din skärm
consent-explainer = Om du tillåter väljer du vad som delas: en skärm, ett fönster eller en flik. { $name } kan se det men inte styra det.
choosing-message = Välj i webbläsarens fönster vad du vill dela.
allow-button = Tillåt
decline-button = Avböj
capture-unsupported = Den här webbläsaren kan inte dela skärmen.
capture-cancelled = Inget delades.
sharing-banner = Du delar din skärm med { $name } (bara titta)
sharing-banner-paused = Delningen är pausad: { $name } ser inte din skärm.
pause-button = Pausa
resume-button = Fortsätt
stop-button = Sluta dela
preview-heading = Det här ser din hjälpare
preview-paused = Pausad
view-only-note = Din hjälpare ser det du delar men kan inte styra det.
another-code-button = Ange en annan kod
ended-stopped = Du slutade dela.
helper-left-left = { $name } har lämnat sessionen.
helper-left-lost = Anslutningen till { $name } bröts.
helper-left-stopped = { $name } har avslutat sessionen.
helper-left-expired = Sessionen har gått ut.

sharer-state-idle = Ange koden du fick av din hjälpare.
sharer-state-joining = Kontrollerar koden…
sharer-state-joined = Ansluten till { $name }.
sharer-state-asking = { $name } ber om att få se din skärm.
sharer-state-choosing = Välj vad du vill dela…
sharer-state-sharing = Din skärm delas med { $name }.
sharer-state-paused = Delningen är pausad.
sharer-state-helper_left = { $name } har gått.
sharer-state-ended = Sessionen är avslutad.

## Errors from the broker

error-malformed = Servern förstod inte begäran.
error-unsupported_version = Sidan är inaktuell. Ladda om den.
error-too_large = Meddelandet är för stort.
error-not_allowed = Det går inte just nu.
error-code_invalid = Koden är inte giltig. Kontrollera den eller be om en ny.
error-locked_out = För många felaktiga koder. Försök igen om 15 minuter.
error-busy = Tjänsten är upptagen. Försök igen om en minut.
error-chat_disabled = Chatten är avstängd för din organisation.
error-chat_invalid = Meddelandet kan inte skickas.
error-rate_limited = För många försök. Vänta en stund och försök igen.
error-internal = Något gick fel. Försök igen.

## Agent approval page

agent-page-title = Glass — godkänn delning
agent-no-secret = Öppna den här sidan från länken som Glass skrev ut. Öppnad så här kan den inte göra något.
agent-connecting = Ansluter till Glass på den här datorn…
agent-disconnected = Glass på den här datorn har stoppats. Du kan stänga den här sidan.
agent-joining = Ansluter till sessionen…
agent-ask-view = { $name } ber att få se din skärm
agent-ask-full = { $name } ber att få se och styra din skärm
agent-explain-view = { $name } kommer att se hela din skärm men kan inte använda din mus eller ditt tangentbord. Du kan pausa eller stoppa när som helst.
agent-explain-full = { $name } kommer att kunna använda din mus och ditt tangentbord. Du kan ta tillbaka kontrollen eller stoppa när som helst.
agent-time-left = Tid kvar att svara: { $seconds } s
agent-expired = Inget svar i tid: begäran avböjdes.
agent-declined = Du avböjde.
agent-allowed = Du tillät det. Startar…
agent-banner-view = Delar med { $name } — bara titta
agent-banner-full = Delar med { $name } — full kontroll
agent-banner-paused = Delar med { $name } — pausad
agent-takeback-button = Ta tillbaka kontrollen
agent-action-failed = Glass godtog inte det. Försök igen.
agent-close-page = Du kan stänga den här sidan.
agent-ended-left = Sessionen har avslutats.
agent-ended-lost = Anslutningen till din hjälpare bröts.
agent-ended-stopped = Delningen har stoppats.
agent-ended-expired = Sessionen har gått ut.
agent-ended-broker_lost = Anslutningen till servern bröts.
agent-ended-other = Sessionen har avslutats.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Organisationens policy tillåter inte detta.
warnings-heading = Om den här enheten
warning-device_not_enrolled = Den här enheten är inte registrerad av din organisation. Undvik att skriva in administratörsuppgifter där.
warning-device_not_compliant = Den här enheten uppfyller inte kraven: { $reasons }. Undvik att skriva in administratörsuppgifter där.
warning-device_compliance_unknown = Det är okänt om den här enheten uppfyller kraven. Undvik att skriva in administratörsuppgifter där.
warning-other = Din organisation har flaggat den här enheten. Undvik att skriva in administratörsuppgifter där.
full-not-allowed = Full kontroll är inte möjlig: organisationens policy låter dig bara titta.
level-limited = Organisationens policy tillåter nu bara att titta.
declined-forbidden = Organisationens policy tillåter inte längre den här begäran.
escalation-forbidden = Organisationens policy tillåter inte längre full kontroll. Du kan fortfarande titta.
left-revoked = Organisationens policy tillåter inte längre den här hjälpsessionen.
helper-left-revoked = Organisationens policy tillåter inte längre den här hjälpsessionen.
ended-revoked = Organisationens policy tillåter inte längre den här hjälpsessionen.
agent-ended-revoked = Organisationens policy tillåter inte längre den här hjälpsessionen.
sharer-request-forbidden = Begäran drogs tillbaka: organisationens policy tillåter den inte längre.
sharer-level-limited = Organisationens policy låter nu { $name } bara titta.

## Reports page

reports-link = Rapporter
reports-page-title = Glass — rapporter
reports-heading = Rapporter om hjälpsessioner
reports-back = Tillbaka till fjärrhjälp
reports-filter-heading = Filter
reports-person-label = Person (namn eller användar-id)
reports-device-label = Enhet
reports-from-label = Från
reports-to-label = Till
reports-show-button = Visa sessioner
reports-download-csv = Ladda ned CSV
reports-download-json = Ladda ned JSON
reports-col-helper = Hjälpare
reports-col-sharer = Person som fick hjälp
reports-col-start = Start
reports-col-end = Slut
reports-col-level = Åtkomst
reports-col-ended = Hur den avslutades
reports-transcript-button = Utskrift
reports-loading = Läser in sessioner …
reports-empty = Inga sessioner matchar filtret.
reports-forbidden = Du får inte visa rapporter: din organisations policy ger dig inte den behörigheten.
reports-signed-out = Logga in för att visa rapporter.
reports-failed = Rapporterna kunde inte läsas in. Försök igen.
reports-bad-dates = Kontrollera datumen: slutet får inte vara före starten.
reports-running = Inte avslutad
reports-level-full = Full kontroll
reports-level-view = Endast visning
reports-level-none = Inget beviljat
reports-ended-left = Någon lämnade
reports-ended-lost = Anslutningen bröts
reports-ended-stopped = Delningen stoppades
reports-ended-expired = Koden gick ut
reports-ended-revoked = Avslutad av policyn
reports-ended-other = Avslutad
reports-transcript-heading = Chattutskrift
reports-transcript-empty = Inget skrevs i chatten under den här sessionen.
reports-transcript-not-kept = Texten sparas inte: din organisation sparar inte chattutskrifter.
reports-transcript-close = Stäng

## Identity binding

agent-identity-verified = Identiteten kontrollerad på den här datorn hos { $issuer }
agent-identity-broker = Identiteten bekräftas bara av supportens server
agent-identity-unverified = Identiteten kunde inte verifieras
helper-renewing-sign-in = Förnyar inloggningen…
helper-identity-not-renewed = Inloggningen kunde inte förnyas i den här webbläsaren, så personen du hjälper kanske inte kan bekräfta vem du är. Logga ut och logga in igen.
error-fingerprint_mismatch = Glass stoppade sessionen: anslutningen kom inte från webbläsaren som din hjälpare loggade in med.
error-helper_unverified = Glass kunde inte bekräfta vem din hjälpare är och släppte därför inte in hen.
error-relay_lost = Anslutningen via reläservern bröts, så din hjälpare kan inte längre se din skärm.
