## Both apps

app-name = Glass
language-label = Limbă
signin-heading = Conectare
username-label = Nume de utilizator
password-label = Parolă
signin-button = Conectare
signing-in = Se conectează…
signin-missing = Introduceți numele de utilizator și parola.
signin-failed = Nume de utilizator sau parolă greșite.
signin-with = Conectați-vă cu { $provider }
signin-or = sau
signin-provider-failed = Conectarea nu a reușit. Încercați din nou.
server-unreachable = Serverul nu poate fi accesat. Verificați conexiunea și încercați din nou.
sign-out-button = Deconectare
signed-in-as = Conectat ca { $name }
leave-button = Părăsește
reconnect-button = Reconectare
link-lost-heading = Conexiune pierdută
link-lost = Conexiunea cu serverul s-a pierdut. Sesiunea s-a încheiat.
link-resuming = Conexiunea cu serverul s-a întrerupt. Se reconectează…
peer-away = { $name } a pierdut conexiunea — se așteaptă revenirea…
ended-heading = Sesiune încheiată
card-picture =
    .alt = Fotografia lui { $name }
domain-verified = verificat
domain-unverified = neverificat
card-vouched-note = ✓ confirmat de furnizorul de autentificare

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Mesaje
chat-empty = Niciun mesaj încă.
chat-label = Mesaj
chat-hint = Enter trimite, Shift+Enter începe un rând nou.
chat-send = Trimite
chat-length = { $count } / { $max }
chat-too-long = Prea lung: { $count } / { $max }
chat-closed = Chatul este închis.
chat-kept = Organizația dvs. păstrează textul acestui chat în jurnalul său de audit.

## Helper app

helper-page-title = Glass — asistență la distanță
helper-start-heading = Ajutați pe cineva
helper-start-intro = Obțineți un cod și dați-l persoanei pe care o ajutați.
get-code-button = Obține un cod
code-heading = Codul dvs.
code-where = Rugați persoana să deschidă această adresă și să introducă codul:
copy-button = Copiază
copied-button = Copiat
code-copied = Codul a fost copiat.
copy-failed = Copierea nu a reușit. Citiți codul cu voce tare.
cancel-code-button = Anulează
code-expires = Expiră în { $time }
code-expired-heading = Cod expirat
new-code-button = Obține un cod nou
sharer-heading = Cine s-a alăturat
client-agent = Folosește aplicația Glass
client-web = Folosește un browser web
choose-request-message = Rugați-l pe { $name } să vă arate ecranul.
request-view-button = Cere doar vizualizare
request-full-button = Cere control complet
try-again-view-button = Încearcă din nou
full-not-possible = Controlul complet nu este posibil: un browser web nu poate fi controlat de la distanță. Puteți doar să priviți.
waiting-approval-message = Se așteaptă răspunsul de la { $name }…
declined-declined = { $name } a refuzat.
declined-timeout = { $name } nu a răspuns la timp.
declined-not_supported = { $name } nu poate oferi control de pe acest dispozitiv.
escalation-declined = { $name } a refuzat controlul complet. Puteți în continuare să priviți.
escalation-timeout = { $name } nu a răspuns. Puteți în continuare să priviți.
escalation-not_supported = { $name } nu poate oferi control de pe acest dispozitiv.
stage-heading = Ecran partajat
video-label = Ecranul lui { $name }
keyboard-target =
    .aria-label = Introducere de la tastatură pentru ecranul partajat
level-view = Doar vizualizare
level-full = Aveți controlul
release-button = Returnează controlul
fullscreen-button = Ecran complet
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ecran
display-all = Toate ecranele
agent-screen-legend = Ecranul partajat
# Copy and paste with the sharer (full control only).
clipboard-send-button = Trimite clipboardul meu
clipboard-received = Au copiat text ({ $count } caractere).
clipboard-copy-button = Copiază în clipboardul meu
clipboard-unavailable = Acest browser nu permite paginii să folosească clipboardul.
keyboard-lock-unavailable = În acest browser, comenzile rapide de sistem precum Alt+Tab, tasta Windows și Escape rămân pe computerul dvs. Chrome și Edge le transmit în modul ecran complet.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Acest browser nu poate afișa sau trimite un ecran partajat (nu are WebRTC). Folosiți Chrome, Edge, Firefox sau Safari.
exit-fullscreen-button = Ieși din ecranul complet
overlay-connecting = Se conectează la ecran…
overlay-paused = { $name } a întrerupt partajarea.
video-failed = Conexiunea video a eșuat.
left-left = { $name } a părăsit sesiunea.
left-lost = Conexiunea cu { $name } s-a pierdut.
left-stopped = { $name } a oprit partajarea.
left-expired = Sesiunea a expirat.
ended-self = Ați părăsit sesiunea.

helper-state-idle = Obțineți un cod pentru a începe.
helper-state-waiting_sharer = Se așteaptă ca cealaltă persoană să introducă codul…
helper-state-expired = Codul a expirat.
helper-state-sharer_joined = { $name } s-a alăturat.
helper-state-waiting_approval = Se așteaptă aprobarea lui { $name }…
helper-state-declined = { $name } a refuzat.
helper-state-connected = Conectat cu { $name }.
helper-state-paused = { $name } a întrerupt partajarea.
helper-state-sharer_left = { $name } a plecat.
helper-state-ended = Sesiunea s-a încheiat.

## Sharer app

sharer-page-title = Glass — partajați ecranul
sharing-page-title = ● Partajare activă — Glass
sharer-code-heading = Primiți ajutor
code-label = Codul de la persoana care vă ajută
code-hint = 8 litere și cifre, de exemplu 4060 R0GX
code-bad-format = Un cod are 8 litere și cifre. Verificați-l și încercați din nou.
join-button = Alătură-te
helper-heading = Persoana care vă ajută
joined-message = Acum { $name } poate cere să vă vadă ecranul. Nimic nu este partajat fără acordul dvs.
consent-heading = { $name } vrea să vă vadă ecranul
consent-explainer = Dacă permiteți, alegeți ce partajați: un ecran, o fereastră sau o filă. { $name } va putea vedea, dar nu va putea controla.
choosing-message = Alegeți în fereastra browserului ce doriți să partajați.
allow-button = Permite
decline-button = Refuză
capture-unsupported = Acest browser nu poate partaja ecranul.
capture-cancelled = Nu s-a partajat nimic.
sharing-banner = Vă partajați ecranul cu { $name } (doar vizualizare)
sharing-banner-paused = Partajare întreruptă: { $name } nu vă vede ecranul.
pause-button = Întrerupe
resume-button = Reia
stop-button = Oprește partajarea
preview-heading = Ce vede persoana care vă ajută
preview-paused = Întrerupt
view-only-note = Persoana care vă ajută vede ce partajați, dar nu poate controla.
another-code-button = Introdu alt cod
ended-stopped = Ați oprit partajarea.
helper-left-left = { $name } a părăsit sesiunea.
helper-left-lost = Conexiunea cu { $name } s-a pierdut.
helper-left-stopped = { $name } a încheiat sesiunea.
helper-left-expired = Sesiunea a expirat.

sharer-state-idle = Introduceți codul primit de la persoana care vă ajută.
sharer-state-joining = Se verifică codul…
sharer-state-joined = Conectat cu { $name }.
sharer-state-asking = { $name } cere să vă vadă ecranul.
sharer-state-choosing = Alegeți ce partajați…
sharer-state-sharing = Vă partajați ecranul cu { $name }.
sharer-state-paused = Partajare întreruptă.
sharer-state-helper_left = { $name } a plecat.
sharer-state-ended = Sesiunea s-a încheiat.

## Errors from the broker

error-malformed = Serverul nu a înțeles cererea.
error-unsupported_version = Pagina este învechită. Reîncărcați-o.
error-too_large = Mesajul este prea mare.
error-not_allowed = Acest lucru nu este posibil acum.
error-code_invalid = Codul nu este valid. Verificați-l sau cereți unul nou.
error-locked_out = Prea multe coduri greșite. Încercați din nou peste 15 minute.
error-busy = Serviciul este ocupat. Încercați din nou peste un minut.
error-chat_disabled = Chatul este dezactivat în organizația dvs.
error-chat_invalid = Acest mesaj nu poate fi trimis.
error-rate_limited = Prea multe încercări. Așteptați puțin și încercați din nou.
error-internal = Ceva nu a mers bine. Încercați din nou.

## Agent approval page

agent-page-title = Glass — aprobarea partajării
agent-no-secret = Deschideți această pagină din linkul afișat de Glass. Deschisă așa, nu poate face nimic.
agent-connecting = Conectare la Glass pe acest computer…
agent-disconnected = Glass s-a oprit pe acest computer. Puteți închide această pagină.
agent-joining = Alăturare la sesiune…
agent-ask-view = { $name } cere să vă vadă ecranul
agent-ask-full = { $name } cere să vă vadă și să vă controleze ecranul
agent-explain-view = { $name } vă va vedea tot ecranul, dar nu vă va putea folosi mouse-ul sau tastatura. Puteți întrerupe sau opri oricând.
agent-explain-full = { $name } vă va putea folosi mouse-ul și tastatura. Puteți relua controlul sau opri oricând.
agent-time-left = Timp rămas pentru răspuns: { $seconds } s
agent-expired = Niciun răspuns la timp: cererea a fost refuzată.
agent-declined = Ați refuzat.
agent-allowed = Ați permis. Se pornește…
agent-banner-view = Partajare cu { $name } — doar vizualizare
agent-banner-full = Partajare cu { $name } — control complet
agent-banner-paused = Partajare cu { $name } — întreruptă
agent-takeback-button = Reluați controlul
agent-action-failed = Glass nu a acceptat. Încercați din nou.
agent-close-page = Puteți închide această pagină.
agent-ended-left = Sesiunea s-a încheiat.
agent-ended-lost = Conexiunea cu persoana care vă ajută s-a pierdut.
agent-ended-stopped = Partajarea s-a oprit.
agent-ended-expired = Sesiunea a expirat.
agent-ended-broker_lost = Conexiunea cu serverul s-a pierdut.
agent-ended-other = Sesiunea s-a încheiat.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Politica organizației dvs. nu permite acest lucru.
warnings-heading = Despre acest dispozitiv
warning-device_not_enrolled = Acest dispozitiv nu este înregistrat de organizația dvs. Evitați să introduceți acolo date de autentificare de administrator.
warning-device_not_compliant = Acest dispozitiv nu este conform: { $reasons }. Evitați să introduceți acolo date de autentificare de administrator.
warning-device_compliance_unknown = Nu se știe dacă acest dispozitiv este conform. Evitați să introduceți acolo date de autentificare de administrator.
warning-other = Organizația dvs. a semnalat acest dispozitiv. Evitați să introduceți acolo date de autentificare de administrator.
full-not-allowed = Controlul complet nu este posibil: politica organizației dvs. vă permite doar vizualizarea.
level-limited = Politica organizației dvs. permite acum doar vizualizarea.
declined-forbidden = Politica organizației dvs. nu mai permite această cerere.
escalation-forbidden = Politica organizației dvs. nu mai permite controlul complet. Puteți în continuare să priviți.
left-revoked = Politica organizației dvs. nu mai permite această sesiune de asistență.
helper-left-revoked = Politica organizației dvs. nu mai permite această sesiune de asistență.
ended-revoked = Politica organizației dvs. nu mai permite această sesiune de asistență.
agent-ended-revoked = Politica organizației dvs. nu mai permite această sesiune de asistență.
sharer-request-forbidden = Cererea a fost retrasă: politica organizației dvs. nu o mai permite.
sharer-level-limited = { $name }: politica organizației dvs. permite acum doar vizualizarea.

## Reports page

reports-link = Rapoarte
reports-page-title = Glass — rapoarte
reports-heading = Rapoarte ale sesiunilor de asistență
reports-back = Înapoi la asistența la distanță
reports-filter-heading = Filtru
reports-person-label = Persoană (nume sau ID de utilizator)
reports-device-label = Dispozitiv
reports-from-label = De la
reports-to-label = Până la
reports-show-button = Afișează sesiunile
reports-download-csv = Descarcă CSV
reports-download-json = Descarcă JSON
reports-col-helper = Asistent
reports-col-sharer = Persoana ajutată
reports-col-start = Început
reports-col-end = Sfârșit
reports-col-level = Acces
reports-col-ended = Cum s-a încheiat
reports-transcript-button = Transcriere
reports-loading = Se încarcă sesiunile…
reports-empty = Nicio sesiune nu corespunde acestui filtru.
reports-forbidden = Nu aveți voie să vedeți rapoarte: politica organizației dvs. nu vă acordă această permisiune.
reports-signed-out = Conectați-vă pentru a vedea rapoartele.
reports-failed = Rapoartele nu au putut fi încărcate. Încercați din nou.
reports-bad-dates = Verificați datele: sfârșitul nu poate fi înaintea începutului.
reports-running = Neîncheiată
reports-level-full = Control complet
reports-level-view = Doar vizualizare
reports-level-none = Nimic acordat
reports-ended-left = Cineva a plecat
reports-ended-lost = Conexiune pierdută
reports-ended-stopped = Partajare oprită
reports-ended-expired = Cod expirat
reports-ended-revoked = Încheiată de politică
reports-ended-other = Încheiată
reports-transcript-heading = Transcrierea chatului
reports-transcript-empty = Nu s-a scris nimic în chatul acestei sesiuni.
reports-transcript-not-kept = Text nepăstrat: organizația dvs. nu păstrează transcrierile chatului.
reports-transcript-close = Închide

## Identity binding

agent-identity-verified = Identitate verificată pe acest computer prin { $issuer }
agent-identity-broker = Identitate garantată doar de serverul serviciului de asistență
agent-identity-unverified = Identitatea nu a putut fi verificată
helper-renewing-sign-in = Se reînnoiește conectarea…
helper-identity-not-renewed = Conectarea dvs. nu a putut fi reînnoită în acest browser, așa că persoana pe care o ajutați s-ar putea să nu poată confirma cine sunteți. Deconectați-vă și conectați-vă din nou.
error-fingerprint_mismatch = Glass a oprit sesiunea: conexiunea nu a venit din browserul în care s-a conectat persoana care vă ajută.
error-helper_unverified = Glass nu a putut confirma cine este persoana care vă ajută, așa că nu i-a permis accesul.
error-relay_lost = Conexiunea prin serverul releu s-a pierdut, așa că cel care vă ajută nu vă mai vede ecranul.
