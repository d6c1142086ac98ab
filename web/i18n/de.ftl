## Both apps

app-name = Glass
language-label = Sprache
signin-heading = Anmelden
username-label = Benutzername
password-label = Passwort
signin-button = Anmelden
signing-in = Anmeldung läuft…
signin-missing = Geben Sie Benutzername und Passwort ein.
signin-failed = Benutzername oder Passwort ist falsch.
signin-with = Anmelden mit { $provider }
signin-or = oder
signin-provider-failed = Die Anmeldung ist fehlgeschlagen. Versuchen Sie es erneut.
server-unreachable = Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
sign-out-button = Abmelden
signed-in-as = Angemeldet als { $name }
leave-button = Verlassen
reconnect-button = Neu verbinden
link-lost-heading = Verbindung verloren
link-lost = Die Verbindung zum Server ist abgebrochen. Die Sitzung ist beendet.
link-resuming = Die Verbindung zum Server wurde unterbrochen. Verbindung wird wiederhergestellt…
peer-away = { $name } hat die Verbindung verloren – warten auf die Rückkehr…
ended-heading = Sitzung beendet
card-picture =
    .alt = Bild von { $name }
domain-verified = bestätigt
domain-unverified = nicht bestätigt
card-vouched-note = ✓ vom Anmeldedienst bestätigt

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Nachrichten
chat-empty = Noch keine Nachrichten.
chat-label = Nachricht
chat-hint = Eingabe sendet, Umschalt+Eingabe beginnt eine neue Zeile.
chat-send = Senden
chat-length = { $count } / { $max }
chat-too-long = Zu lang: { $count } / { $max }
chat-closed = Der Chat ist geschlossen.
chat-kept = Ihre Organisation bewahrt den Text dieses Chats in ihrem Prüfprotokoll auf.

## Helper app

helper-page-title = Glass — Fernhilfe
helper-start-heading = Jemandem helfen
helper-start-intro = Holen Sie sich einen Code und geben Sie ihn der Person, der Sie helfen.
get-code-button = Code holen
code-heading = Ihr Code
code-where = Bitten Sie die Person, diese Adresse zu öffnen und den Code einzugeben:
copy-button = Kopieren
copied-button = Kopiert
code-copied = Der Code ist kopiert.
copy-failed = Kopieren nicht möglich. Lesen Sie den Code vor.
cancel-code-button = Abbrechen
code-expires = Läuft ab in { $time }
code-expired-heading = Code abgelaufen
new-code-button = Neuen Code holen
sharer-heading = Wer beigetreten ist
client-agent = Nutzt die Glass-App
client-web = Nutzt einen Webbrowser
choose-request-message = Bitten Sie { $name }, Ihnen den Bildschirm zu zeigen.
request-view-button = Nur Ansicht anfragen
request-full-button = Volle Steuerung anfragen
try-again-view-button = Erneut versuchen
full-not-possible = Volle Steuerung ist nicht möglich: Ein Webbrowser lässt sich nicht fernsteuern. Sie können nur zusehen.
waiting-approval-message = Warten auf die Antwort von { $name }…
declined-declined = { $name } hat abgelehnt.
declined-timeout = { $name } hat nicht rechtzeitig geantwortet.
declined-not_supported = { $name } kann auf diesem Gerät keine Steuerung freigeben.
escalation-declined = { $name } hat die volle Steuerung abgelehnt. Sie können weiter zusehen.
escalation-timeout = { $name } hat nicht geantwortet. Sie können weiter zusehen.
escalation-not_supported = { $name } kann auf diesem Gerät keine Steuerung freigeben.
stage-heading = Geteilter Bildschirm
video-label = Bildschirm von { $name }
keyboard-target =
    .aria-label = Tastatureingabe für den geteilten Bildschirm
level-view = Nur Ansicht
level-full = Sie haben die Steuerung
release-button = Steuerung zurückgeben
fullscreen-button = Vollbild
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Bildschirm
display-all = Alle Bildschirme
agent-screen-legend = Zu teilender Bildschirm
# Copy and paste with the sharer (full control only).
clipboard-send-button = Meine Zwischenablage senden
clipboard-received = Text wurde kopiert ({ $count } Zeichen).
clipboard-copy-button = In meine Zwischenablage kopieren
clipboard-unavailable = Dieser Browser lässt die Seite nicht auf die Zwischenablage zugreifen.
keyboard-lock-unavailable = In diesem Browser bleiben Systemkürzel wie Alt+Tab, die Windows-Taste und Escape auf Ihrem Computer. Chrome und Edge geben sie im Vollbild weiter.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Dieser Browser kann keinen geteilten Bildschirm zeigen oder senden (kein WebRTC). Verwenden Sie Chrome, Edge, Firefox oder Safari.
exit-fullscreen-button = Vollbild beenden
overlay-connecting = Verbindung zum Bildschirm wird hergestellt…
overlay-paused = { $name } hat die Freigabe pausiert.
video-failed = Die Videoverbindung ist fehlgeschlagen.
left-left = { $name } hat die Sitzung verlassen.
left-lost = Die Verbindung zu { $name } ist abgebrochen.
left-stopped = { $name } hat die Freigabe beendet.
left-expired = Die Sitzung ist abgelaufen.
ended-self = Sie haben die Sitzung verlassen.

helper-state-idle = Holen Sie sich einen Code, um zu beginnen.
helper-state-waiting_sharer = Warten, bis die andere Person den Code eingibt…
helper-state-expired = Der Code ist abgelaufen.
helper-state-sharer_joined = { $name } ist beigetreten.
helper-state-waiting_approval = Warten auf die Zustimmung von { $name }…
helper-state-declined = { $name } hat abgelehnt.
helper-state-connected = Verbunden mit { $name }.
helper-state-paused = { $name } hat die Freigabe pausiert.
helper-state-sharer_left = { $name } ist gegangen.
helper-state-ended = Die Sitzung ist beendet.

## Sharer app

sharer-page-title = Glass — Bildschirm teilen
sharing-page-title = ● Freigabe aktiv — Glass
sharer-code-heading = Hilfe erhalten
code-label = Code von Ihrem Helfer
code-hint = 8 Buchstaben und Ziffern, zum Beispiel 4060 R0GX
code-bad-format = Ein Code hat 8 Buchstaben und Ziffern. Prüfen Sie ihn und versuchen Sie es erneut.
join-button = Beitreten
helper-heading = Ihr Helfer
joined-message = { $name } kann jetzt darum bitten, Ihren Bildschirm zu sehen. Nichts wird geteilt, bevor Sie zustimmen.
consent-heading = { $name } möchte Ihren Bildschirm sehen
consent-explainer = Wenn Sie zustimmen, wählen Sie, was Sie teilen: einen Bildschirm, ein Fenster oder einen Tab. { $name } kann es sehen, aber nicht steuern.
choosing-message = Wählen Sie im Browserfenster aus, was Sie teilen möchten.
allow-button = Zulassen
decline-button = Ablehnen
capture-unsupported = Dieser Browser kann den Bildschirm nicht teilen.
capture-cancelled = Es wurde nichts geteilt.
sharing-banner = Sie teilen Ihren Bildschirm mit { $name } (nur Ansicht)
sharing-banner-paused = Freigabe pausiert: { $name } sieht Ihren Bildschirm nicht.
pause-button = Pausieren
resume-button = Fortsetzen
stop-button = Freigabe beenden
preview-heading = Was Ihr Helfer sieht
preview-paused = Pausiert
view-only-note = Ihr Helfer sieht, was Sie teilen, kann es aber nicht steuern.
another-code-button = Anderen Code eingeben
ended-stopped = Sie haben die Freigabe beendet.
helper-left-left = { $name } hat die Sitzung verlassen.
helper-left-lost = Die Verbindung zu { $name } ist abgebrochen.
helper-left-stopped = { $name } hat die Sitzung beendet.
helper-left-expired = Die Sitzung ist abgelaufen.

sharer-state-idle = Geben Sie den Code ein, den Ihr Helfer Ihnen gegeben hat.
sharer-state-joining = Code wird geprüft…
sharer-state-joined = Verbunden mit { $name }.
sharer-state-asking = { $name } bittet darum, Ihren Bildschirm zu sehen.
sharer-state-choosing = Wählen Sie aus, was Sie teilen…
sharer-state-sharing = Ihr Bildschirm wird mit { $name } geteilt.
sharer-state-paused = Freigabe pausiert.
sharer-state-helper_left = { $name } ist gegangen.
sharer-state-ended = Die Sitzung ist beendet.

## Errors from the broker

error-malformed = Der Server hat die Anfrage nicht verstanden.
error-unsupported_version = Diese Seite ist veraltet. Laden Sie sie neu.
error-too_large = Die Nachricht ist zu groß.
error-not_allowed = Das ist gerade nicht möglich.
error-code_invalid = Dieser Code ist ungültig. Prüfen Sie ihn oder fragen Sie nach einem neuen.
error-locked_out = Zu viele falsche Codes. Versuchen Sie es in 15 Minuten erneut.
error-busy = Der Dienst ist ausgelastet. Versuchen Sie es in einer Minute erneut.
error-chat_disabled = Der Chat ist für Ihre Organisation deaktiviert.
error-chat_invalid = Diese Nachricht kann nicht gesendet werden.
error-rate_limited = Zu viele Versuche. Warten Sie kurz und versuchen Sie es erneut.
error-internal = Etwas ist schiefgelaufen. Versuchen Sie es erneut.

## Agent approval page

agent-page-title = Glass — Freigabe bestätigen
agent-no-secret = Öffnen Sie diese Seite über den Link, den Glass ausgegeben hat. So geöffnet kann sie nichts tun.
agent-connecting = Verbindung zu Glass auf diesem Computer…
agent-disconnected = Glass auf diesem Computer wurde beendet. Sie können diese Seite schließen.
agent-joining = Verbindung zur Sitzung wird hergestellt…
agent-ask-view = { $name } bittet darum, Ihren Bildschirm zu sehen
agent-ask-full = { $name } bittet darum, Ihren Bildschirm zu sehen und zu steuern
agent-explain-view = { $name } sieht Ihren ganzen Bildschirm, kann aber weder Maus noch Tastatur benutzen. Sie können jederzeit pausieren oder beenden.
agent-explain-full = { $name } kann Ihre Maus und Tastatur benutzen. Sie können die Steuerung jederzeit zurücknehmen oder beenden.
agent-time-left = Verbleibende Zeit zum Antworten: { $seconds } s
agent-expired = Keine rechtzeitige Antwort: Die Anfrage wurde abgelehnt.
agent-declined = Sie haben abgelehnt.
agent-allowed = Sie haben zugestimmt. Wird gestartet…
agent-banner-view = Freigabe für { $name } — nur Ansicht
agent-banner-full = Freigabe für { $name } — volle Steuerung
agent-banner-paused = Freigabe für { $name } — pausiert
agent-takeback-button = Steuerung zurücknehmen
agent-action-failed = Glass hat das nicht angenommen. Versuchen Sie es erneut.
agent-close-page = Sie können diese Seite schließen.
agent-ended-left = Die Sitzung ist beendet.
agent-ended-lost = Die Verbindung zu Ihrem Helfer ist abgebrochen.
agent-ended-stopped = Die Freigabe wurde beendet.
agent-ended-expired = Die Sitzung ist abgelaufen.
agent-ended-broker_lost = Die Verbindung zum Server ist abgebrochen.
agent-ended-other = Die Sitzung ist beendet.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Die Richtlinie Ihrer Organisation erlaubt das nicht.
warnings-heading = Zu diesem Gerät
warning-device_not_enrolled = Dieses Gerät ist nicht bei Ihrer Organisation registriert. Geben Sie dort keine Administrator-Zugangsdaten ein.
warning-device_not_compliant = Dieses Gerät ist nicht konform: { $reasons }. Geben Sie dort keine Administrator-Zugangsdaten ein.
warning-device_compliance_unknown = Ob dieses Gerät konform ist, ist nicht bekannt. Geben Sie dort keine Administrator-Zugangsdaten ein.
warning-other = Ihre Organisation hat dieses Gerät markiert. Geben Sie dort keine Administrator-Zugangsdaten ein.
full-not-allowed = Volle Steuerung ist nicht möglich: Die Richtlinie Ihrer Organisation erlaubt Ihnen nur das Zusehen.
level-limited = Die Richtlinie Ihrer Organisation erlaubt jetzt nur noch das Zusehen.
declined-forbidden = Die Richtlinie Ihrer Organisation erlaubt diese Anfrage nicht mehr.
escalation-forbidden = Die Richtlinie Ihrer Organisation erlaubt keine volle Steuerung mehr. Sie können weiter zusehen.
left-revoked = Die Richtlinie Ihrer Organisation erlaubt diese Hilfesitzung nicht mehr.
helper-left-revoked = Die Richtlinie Ihrer Organisation erlaubt diese Hilfesitzung nicht mehr.
ended-revoked = Die Richtlinie Ihrer Organisation erlaubt diese Hilfesitzung nicht mehr.
agent-ended-revoked = Die Richtlinie Ihrer Organisation erlaubt diese Hilfesitzung nicht mehr.
sharer-request-forbidden = Die Anfrage wurde zurückgezogen: Die Richtlinie Ihrer Organisation erlaubt sie nicht mehr.
sharer-level-limited = Die Richtlinie Ihrer Organisation erlaubt { $name } jetzt nur noch das Zusehen.

## Reports page

reports-link = Berichte
reports-page-title = Glass — Berichte
reports-heading = Berichte zu Hilfesitzungen
reports-back = Zurück zur Fernhilfe
reports-filter-heading = Filter
reports-person-label = Person (Name oder Benutzer-ID)
reports-device-label = Gerät
reports-from-label = Von
reports-to-label = Bis
reports-show-button = Sitzungen anzeigen
reports-download-csv = CSV herunterladen
reports-download-json = JSON herunterladen
reports-col-helper = Helfer
reports-col-sharer = Unterstützte Person
reports-col-start = Beginn
reports-col-end = Ende
reports-col-level = Zugriff
reports-col-ended = Wie sie endete
reports-transcript-button = Chatverlauf
reports-loading = Sitzungen werden geladen …
reports-empty = Keine Sitzungen entsprechen diesem Filter.
reports-forbidden = Sie dürfen keine Berichte ansehen: Die Richtlinie Ihrer Organisation gibt Ihnen diese Berechtigung nicht.
reports-signed-out = Melden Sie sich an, um Berichte anzusehen.
reports-failed = Die Berichte konnten nicht geladen werden. Versuchen Sie es erneut.
reports-bad-dates = Prüfen Sie die Daten: Das Ende darf nicht vor dem Beginn liegen.
reports-running = Nicht beendet
reports-level-full = Volle Steuerung
reports-level-view = Nur Ansicht
reports-level-none = Nichts gewährt
reports-ended-left = Jemand ist gegangen
reports-ended-lost = Verbindung verloren
reports-ended-stopped = Freigabe beendet
reports-ended-expired = Code abgelaufen
reports-ended-revoked = Durch Richtlinie beendet
reports-ended-other = Beendet
reports-transcript-heading = Chatverlauf
reports-transcript-empty = In dieser Sitzung wurde nichts in den Chat geschrieben.
reports-transcript-not-kept = Text nicht gespeichert: Ihre Organisation bewahrt keine Chatverläufe auf.
reports-transcript-close = Schließen

## Identity binding

agent-identity-verified = Identität auf diesem Computer bei { $issuer } geprüft
agent-identity-broker = Identität nur vom Helpdesk-Server bestätigt
agent-identity-unverified = Identität konnte nicht geprüft werden
helper-renewing-sign-in = Anmeldung wird erneuert…
helper-identity-not-renewed = Ihre Anmeldung konnte in diesem Browser nicht erneuert werden. Die Person, der Sie helfen, kann daher möglicherweise nicht bestätigen, wer Sie sind. Melden Sie sich ab und wieder an.
error-fingerprint_mismatch = Glass hat die Sitzung beendet: Die Verbindung kam nicht aus dem Browser, mit dem sich Ihr Helfer angemeldet hat.
error-helper_unverified = Glass konnte nicht bestätigen, wer Ihr Helfer ist, und hat ihn daher nicht zugelassen.
error-relay_lost = Die Verbindung über den Relay-Server ist abgebrochen; Ihr Helfer sieht Ihren Bildschirm nicht mehr.
