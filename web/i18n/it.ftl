## Both apps

app-name = Glass
language-label = Lingua
signin-heading = Accedi
username-label = Nome utente
password-label = Password
signin-button = Accedi
signing-in = Accesso in corso…
signin-missing = Inserisci nome utente e password.
signin-failed = Nome utente o password errati.
signin-with = Accedi con { $provider }
signin-or = oppure
signin-provider-failed = Accesso non riuscito. Riprova.
server-unreachable = Impossibile raggiungere il server. Controlla la connessione e riprova.
sign-out-button = Esci
signed-in-as = Accesso come { $name }
leave-button = Abbandona
reconnect-button = Riconnetti
link-lost-heading = Connessione persa
link-lost = La connessione al server si è interrotta. La sessione è terminata.
link-resuming = La connessione al server si è interrotta. Riconnessione in corso…
peer-away = { $name } ha perso la connessione: in attesa che torni…
ended-heading = Sessione terminata
card-picture =
    .alt = Foto di { $name }
domain-verified = verificato
domain-unverified = non verificato
card-vouched-note = ✓ confermato dal provider di accesso

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Messaggi
chat-empty = Ancora nessun messaggio.
chat-label = Messaggio
chat-hint = Invio invia, Maiusc+Invio va a capo.
chat-send = Invia
chat-length = { $count } / { $max }
chat-too-long = Troppo lungo: { $count } / { $max }
chat-closed = La chat è chiusa.
chat-kept = La tua organizzazione conserva il testo di questa chat nel proprio registro di controllo.

## Helper app

helper-page-title = Glass — assistenza remota
helper-start-heading = Aiuta qualcuno
helper-start-intro = Ottieni un codice e dallo alla persona che stai aiutando.
get-code-button = Ottieni un codice
code-heading = Il tuo codice
code-where = Chiedile di aprire questo indirizzo e inserire il codice:
copy-button = Copia
copied-button = Copiato
code-copied = Codice copiato.
copy-failed = Impossibile copiare. Leggi il codice ad alta voce.
cancel-code-button = Annulla
code-expires = Scade tra { $time }
code-expired-heading = Codice scaduto
new-code-button = Ottieni un nuovo codice
sharer-heading = Chi si è collegato
client-agent = Usa l’app Glass
client-web = Usa un browser web
choose-request-message = Chiedi a { $name } di mostrarti lo schermo.
request-view-button = Chiedi solo visione
request-full-button = Chiedi il controllo completo
try-again-view-button = Riprova
full-not-possible = Il controllo completo non è possibile: un browser web non può essere controllato a distanza. Puoi solo guardare.
waiting-approval-message = In attesa della risposta di { $name }…
declined-declined = { $name } ha rifiutato.
declined-timeout = { $name } non ha risposto in tempo.
declined-not_supported = { $name } non può concedere il controllo da questo dispositivo.
escalation-declined = { $name } ha rifiutato il controllo completo. Puoi continuare a guardare.
escalation-timeout = { $name } non ha risposto. Puoi continuare a guardare.
escalation-not_supported = { $name } non può concedere il controllo da questo dispositivo.
stage-heading = Schermo condiviso
video-label = Schermo di { $name }
keyboard-target =
    .aria-label = Input da tastiera per lo schermo condiviso
level-view = Solo visione
level-full = Hai il controllo
release-button = Restituisci il controllo
fullscreen-button = Schermo intero
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Schermo
display-all = Tutti gli schermi
agent-screen-legend = Schermo da condividere
# Copy and paste with the sharer (full control only).
clipboard-send-button = Invia i miei appunti
clipboard-received = Hanno copiato del testo ({ $count } caratteri).
clipboard-copy-button = Copia nei miei appunti
clipboard-unavailable = Questo browser non consente alla pagina di usare gli appunti.
keyboard-lock-unavailable = In questo browser le scorciatoie di sistema come Alt+Tab, il tasto Windows ed Esc restano sul tuo computer. Chrome ed Edge le inoltrano a schermo intero.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Questo browser non può mostrare né inviare uno schermo condiviso (non ha WebRTC). Usa Chrome, Edge, Firefox o Safari.
exit-fullscreen-button = Esci da schermo intero
overlay-connecting = Connessione allo schermo…
overlay-paused = { $name } ha messo in pausa la condivisione.
video-failed = La connessione video non è riuscita.
left-left = { $name } ha lasciato la sessione.
left-lost = La connessione con { $name } si è interrotta.
left-stopped = { $name } ha interrotto la condivisione.
left-expired = La sessione è scaduta.
ended-self = Hai lasciato la sessione.

helper-state-idle = Ottieni un codice per iniziare.
helper-state-waiting_sharer = In attesa che l’altra persona inserisca il codice…
helper-state-expired = Il codice è scaduto.
helper-state-sharer_joined = { $name } si è collegato.
helper-state-waiting_approval = In attesa dell’approvazione di { $name }…
helper-state-declined = { $name } ha rifiutato.
helper-state-connected = Connesso con { $name }.
helper-state-paused = { $name } ha messo in pausa la condivisione.
helper-state-sharer_left = { $name } se n’è andato.
helper-state-ended = La sessione è terminata.

## Sharer app

sharer-page-title = Glass — condividi lo schermo
sharing-page-title = ● Condivisione attiva — Glass
sharer-code-heading = Ricevi assistenza
code-label = Codice ricevuto da chi ti aiuta
code-hint = 8 lettere e cifre, ad esempio 4060 R0GX
code-bad-format = Un codice ha 8 lettere e cifre. Controllalo e riprova.
join-button = Partecipa
helper-heading = Chi ti aiuta
joined-message = Ora { $name } può chiederti di vedere lo schermo. Nulla viene condiviso senza il tuo consenso.
consent-heading = { $name } vuole vedere il tuo schermo
consent-explainer = Se lo consenti, scegli cosa condividere: uno schermo, una finestra o una scheda. { $name } potrà vederlo ma non controllarlo.
choosing-message = Scegli cosa condividere nella finestra del browser.
allow-button = Consenti
decline-button = Rifiuta
capture-unsupported = Questo browser non può condividere lo schermo.
capture-cancelled = Non è stato condiviso nulla.
sharing-banner = Stai condividendo lo schermo con { $name } (solo visione)
sharing-banner-paused = Condivisione in pausa: { $name } non vede il tuo schermo.
pause-button = Pausa
resume-button = Riprendi
stop-button = Interrompi condivisione
preview-heading = Cosa vede chi ti aiuta
preview-paused = In pausa
view-only-note = Chi ti aiuta vede ciò che condividi ma non può controllarlo.
another-code-button = Inserisci un altro codice
ended-stopped = Hai interrotto la condivisione.
helper-left-left = { $name } ha lasciato la sessione.
helper-left-lost = La connessione con { $name } si è interrotta.
helper-left-stopped = { $name } ha chiuso la sessione.
helper-left-expired = La sessione è scaduta.

sharer-state-idle = Inserisci il codice che ti ha dato chi ti aiuta.
sharer-state-joining = Verifica del codice…
sharer-state-joined = Connesso con { $name }.
sharer-state-asking = { $name } chiede di vedere il tuo schermo.
sharer-state-choosing = Scegli cosa condividere…
sharer-state-sharing = Stai condividendo lo schermo con { $name }.
sharer-state-paused = Condivisione in pausa.
sharer-state-helper_left = { $name } se n’è andato.
sharer-state-ended = La sessione è terminata.

## Errors from the broker

error-malformed = Il server non ha capito la richiesta.
error-unsupported_version = Questa pagina non è aggiornata. Ricaricala.
error-too_large = Il messaggio è troppo grande.
error-not_allowed = Non è possibile in questo momento.
error-code_invalid = Questo codice non è valido. Controllalo o chiedine uno nuovo.
error-locked_out = Troppi codici errati. Riprova tra 15 minuti.
error-busy = Il servizio è occupato. Riprova tra un minuto.
error-chat_disabled = La chat è disattivata per la tua organizzazione.
error-chat_invalid = Questo messaggio non può essere inviato.
error-rate_limited = Troppi tentativi. Attendi un momento e riprova.
error-internal = Qualcosa è andato storto. Riprova.

## Agent approval page

agent-page-title = Glass — approvazione della condivisione
agent-no-secret = Apri questa pagina dal link mostrato da Glass. Aperta così, non può fare nulla.
agent-connecting = Connessione a Glass su questo computer…
agent-disconnected = Glass si è fermato su questo computer. Puoi chiudere questa pagina.
agent-joining = Accesso alla sessione…
agent-ask-view = { $name } chiede di vedere il tuo schermo
agent-ask-full = { $name } chiede di vedere e controllare il tuo schermo
agent-explain-view = { $name } vedrà tutto il tuo schermo ma non potrà usare il mouse né la tastiera. Puoi mettere in pausa o interrompere in qualsiasi momento.
agent-explain-full = { $name } potrà usare il tuo mouse e la tua tastiera. Puoi riprendere il controllo o interrompere in qualsiasi momento.
agent-time-left = Tempo rimasto per rispondere: { $seconds } s
agent-expired = Nessuna risposta in tempo: la richiesta è stata rifiutata.
agent-declined = Hai rifiutato.
agent-allowed = Hai acconsentito. Avvio…
agent-banner-view = Condivisione con { $name } — solo visione
agent-banner-full = Condivisione con { $name } — controllo completo
agent-banner-paused = Condivisione con { $name } — in pausa
agent-takeback-button = Riprendi il controllo
agent-action-failed = Glass non l'ha accettato. Riprova.
agent-close-page = Puoi chiudere questa pagina.
agent-ended-left = La sessione è terminata.
agent-ended-lost = La connessione con chi ti aiuta si è interrotta.
agent-ended-stopped = La condivisione è stata interrotta.
agent-ended-expired = La sessione è scaduta.
agent-ended-broker_lost = La connessione al server si è interrotta.
agent-ended-other = La sessione è terminata.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Le regole della tua organizzazione non lo consentono.
warnings-heading = Informazioni su questo dispositivo
warning-device_not_enrolled = Questo dispositivo non è registrato dalla tua organizzazione. Evita di digitarvi credenziali di amministratore.
warning-device_not_compliant = Questo dispositivo non è conforme: { $reasons }. Evita di digitarvi credenziali di amministratore.
warning-device_compliance_unknown = Non si sa se questo dispositivo sia conforme. Evita di digitarvi credenziali di amministratore.
warning-other = La tua organizzazione ha segnalato questo dispositivo. Evita di digitarvi credenziali di amministratore.
full-not-allowed = Il controllo completo non è possibile: le regole della tua organizzazione ti consentono solo di guardare.
level-limited = Le regole della tua organizzazione ora consentono solo la visione.
declined-forbidden = Le regole della tua organizzazione non consentono più questa richiesta.
escalation-forbidden = Le regole della tua organizzazione non consentono più il controllo completo. Puoi continuare a guardare.
left-revoked = Le regole della tua organizzazione non consentono più questa sessione di assistenza.
helper-left-revoked = Le regole della tua organizzazione non consentono più questa sessione di assistenza.
ended-revoked = Le regole della tua organizzazione non consentono più questa sessione di assistenza.
agent-ended-revoked = Le regole della tua organizzazione non consentono più questa sessione di assistenza.
sharer-request-forbidden = La richiesta è stata ritirata: le regole della tua organizzazione non la consentono più.
sharer-level-limited = Le regole della tua organizzazione ora consentono a { $name } solo di guardare.

## Reports page

reports-link = Report
reports-page-title = Glass — report
reports-heading = Report delle sessioni di assistenza
reports-back = Torna all'assistenza remota
reports-filter-heading = Filtro
reports-person-label = Persona (nome o ID utente)
reports-device-label = Dispositivo
reports-from-label = Dal
reports-to-label = Al
reports-show-button = Mostra sessioni
reports-download-csv = Scarica CSV
reports-download-json = Scarica JSON
reports-col-helper = Assistente
reports-col-sharer = Persona assistita
reports-col-start = Inizio
reports-col-end = Fine
reports-col-level = Accesso
reports-col-ended = Come è terminata
reports-transcript-button = Trascrizione
reports-loading = Caricamento delle sessioni…
reports-empty = Nessuna sessione corrisponde a questo filtro.
reports-forbidden = Non puoi visualizzare i report: il criterio della tua organizzazione non ti concede questa autorizzazione.
reports-signed-out = Accedi per visualizzare i report.
reports-failed = Impossibile caricare i report. Riprova.
reports-bad-dates = Controlla le date: la fine non può precedere l'inizio.
reports-running = Non terminata
reports-level-full = Controllo completo
reports-level-view = Solo visualizzazione
reports-level-none = Nulla concesso
reports-ended-left = Qualcuno è uscito
reports-ended-lost = Connessione persa
reports-ended-stopped = Condivisione interrotta
reports-ended-expired = Codice scaduto
reports-ended-revoked = Terminata dal criterio
reports-ended-other = Terminata
reports-transcript-heading = Trascrizione della chat
reports-transcript-empty = In questa sessione non è stato scritto nulla nella chat.
reports-transcript-not-kept = Testo non conservato: la tua organizzazione non conserva le trascrizioni della chat.
reports-transcript-close = Chiudi

## Identity binding

agent-identity-verified = Identità verificata su questo computer con { $issuer }
agent-identity-broker = Identità garantita solo dal server dell’help desk
agent-identity-unverified = Non è stato possibile verificare l’identità
helper-renewing-sign-in = Rinnovo dell’accesso in corso…
helper-identity-not-renewed = Non è stato possibile rinnovare il tuo accesso in questo browser, quindi la persona che aiuti potrebbe non riuscire a confermare chi sei. Esci e accedi di nuovo.
error-fingerprint_mismatch = Glass ha interrotto la sessione: la connessione non proveniva dal browser con cui ha effettuato l’accesso la persona che ti aiuta.
error-helper_unverified = Glass non è riuscito a confermare chi ti sta aiutando, quindi non l’ha fatto entrare.
error-relay_lost = La connessione tramite il server di inoltro è stata persa: chi ti aiuta non vede più il tuo schermo.
