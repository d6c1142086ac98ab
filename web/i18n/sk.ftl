## Both apps

app-name = Glass
language-label = Jazyk
signin-heading = Prihlásenie
username-label = Používateľské meno
password-label = Heslo
signin-button = Prihlásiť sa
signing-in = Prihlasovanie…
signin-missing = Zadajte používateľské meno a heslo.
signin-failed = Nesprávne používateľské meno alebo heslo.
signin-with = Prihlásiť sa cez { $provider }
signin-or = alebo
signin-provider-failed = Prihlásenie sa nepodarilo. Skúste to znova.
server-unreachable = Server nie je dostupný. Skontrolujte pripojenie a skúste to znova.
sign-out-button = Odhlásiť sa
signed-in-as = Prihlásený(-á): { $name }
leave-button = Odísť
reconnect-button = Znova pripojiť
link-lost-heading = Spojenie sa stratilo
link-lost = Spojenie so serverom sa prerušilo. Relácia sa skončila.
link-resuming = Spojenie so serverom sa prerušilo. Opätovné pripájanie…
peer-away = { $name }: spojenie sa prerušilo — čakáme na návrat…
ended-heading = Relácia sa skončila
card-picture =
    .alt = Fotka: { $name }
domain-verified = overená
domain-unverified = neoverená
card-vouched-note = ✓ potvrdené poskytovateľom prihlásenia

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Správy
chat-empty = Zatiaľ žiadne správy.
chat-label = Správa
chat-hint = Enter odošle, Shift+Enter pridá nový riadok.
chat-send = Odoslať
chat-length = { $count } / { $max }
chat-too-long = Príliš dlhé: { $count } / { $max }
chat-closed = Chat je uzavretý.
chat-kept = Vaša organizácia uchováva text tohto chatu vo svojom auditnom zázname.

## Helper app

helper-page-title = Glass — vzdialená pomoc
helper-start-heading = Pomôcť niekomu
helper-start-intro = Získajte kód a dajte ho človeku, ktorému pomáhate.
get-code-button = Získať kód
code-heading = Váš kód
code-where = Požiadajte ho, aby otvoril túto adresu a zadal kód:
copy-button = Kopírovať
copied-button = Skopírované
code-copied = Kód je skopírovaný.
copy-failed = Kopírovanie zlyhalo. Prečítajte kód nahlas.
cancel-code-button = Zrušiť
code-expires = Platnosť vyprší o { $time }
code-expired-heading = Platnosť kódu vypršala
new-code-button = Získať nový kód
sharer-heading = Kto sa pripojil
client-agent = Používa aplikáciu Glass
client-web = Používa webový prehliadač
choose-request-message = Požiadajte, aby vám { $name } ukázal(a) obrazovku.
request-view-button = Požiadať len o sledovanie
request-full-button = Požiadať o úplné ovládanie
try-again-view-button = Skúsiť znova
full-not-possible = Úplné ovládanie nie je možné: webový prehliadač sa nedá ovládať na diaľku. Môžete len sledovať.
waiting-approval-message = Čaká sa na odpoveď: { $name }…
declined-declined = { $name }: odmietnuté.
declined-timeout = { $name }: bez odpovede načas.
declined-not_supported = { $name } nemôže z tohto zariadenia odovzdať ovládanie.
escalation-declined = { $name }: úplné ovládanie odmietnuté. Môžete ďalej sledovať.
escalation-timeout = { $name }: bez odpovede. Môžete ďalej sledovať.
escalation-not_supported = { $name } nemôže z tohto zariadenia odovzdať ovládanie.
stage-heading = Zdieľaná obrazovka
video-label = Obrazovka: { $name }
keyboard-target =
    .aria-label = Vstup z klávesnice pre zdieľanú obrazovku
level-view = Len sledovanie
level-full = Ovládate vy
release-button = Vrátiť ovládanie
fullscreen-button = Celá obrazovka
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Obrazovka
display-all = Všetky obrazovky
agent-screen-legend = Obrazovka na zdieľanie
# Copy and paste with the sharer (full control only).
clipboard-send-button = Odoslať moju schránku
clipboard-received = Skopírovali text (znakov: { $count }).
clipboard-copy-button = Skopírovať do mojej schránky
clipboard-unavailable = Tento prehliadač stránke nedovoľuje používať schránku.
keyboard-lock-unavailable = V tomto prehliadači zostávajú systémové skratky ako Alt+Tab, kláves Windows a Escape na vašom počítači. Chrome a Edge ich na celej obrazovke odovzdávajú.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Tento prehliadač nedokáže zobraziť ani odoslať zdieľanú obrazovku (nemá WebRTC). Použite Chrome, Edge, Firefox alebo Safari.
exit-fullscreen-button = Ukončiť celú obrazovku
overlay-connecting = Pripája sa k obrazovke…
overlay-paused = { $name } pozastavuje zdieľanie.
video-failed = Pripojenie videa zlyhalo.
left-left = { $name } opúšťa reláciu.
left-lost = Spojenie sa stratilo: { $name }.
left-stopped = { $name } ukončuje zdieľanie.
left-expired = Platnosť relácie vypršala.
ended-self = Opustili ste reláciu.

helper-state-idle = Začnite získaním kódu.
helper-state-waiting_sharer = Čaká sa, kým druhá osoba zadá kód…
helper-state-expired = Platnosť kódu vypršala.
helper-state-sharer_joined = Pripojené: { $name }.
helper-state-waiting_approval = Čaká sa na súhlas: { $name }…
helper-state-declined = { $name }: odmietnuté.
helper-state-connected = Pripojené: { $name }.
helper-state-paused = { $name } pozastavuje zdieľanie.
helper-state-sharer_left = { $name } odchádza.
helper-state-ended = Relácia sa skončila.

## Sharer app

sharer-page-title = Glass — zdieľať obrazovku
sharing-page-title = ● Zdieľanie — Glass
sharer-code-heading = Získať pomoc
code-label = Kód od pomocníka
code-hint = 8 písmen a číslic, napríklad 4060 R0GX
code-bad-format = Kód má 8 písmen a číslic. Skontrolujte ho a skúste to znova.
join-button = Pripojiť sa
helper-heading = Váš pomocník
joined-message = { $name } teraz môže požiadať o zobrazenie vašej obrazovky. Nič sa nezdieľa bez vášho súhlasu.
consent-heading = { $name } chce vidieť vašu obrazovku
consent-explainer = Ak povolíte, vyberiete, čo zdieľať: obrazovku, okno alebo kartu. { $name } to uvidí, ale nebude to môcť ovládať.
choosing-message = V okne prehliadača vyberte, čo zdieľať.
allow-button = Povoliť
decline-button = Odmietnuť
capture-unsupported = Tento prehliadač nedokáže zdieľať obrazovku.
capture-cancelled = Nič sa nezdieľalo.
sharing-banner = Vašu obrazovku vidí { $name } (len sledovanie)
sharing-banner-paused = Zdieľanie pozastavené: { $name } vašu obrazovku nevidí.
pause-button = Pozastaviť
resume-button = Pokračovať
stop-button = Ukončiť zdieľanie
preview-heading = Čo vidí váš pomocník
preview-paused = Pozastavené
view-only-note = Váš pomocník vidí, čo zdieľate, ale nemôže to ovládať.
another-code-button = Zadať iný kód
ended-stopped = Ukončili ste zdieľanie.
helper-left-left = { $name } opúšťa reláciu.
helper-left-lost = Spojenie sa stratilo: { $name }.
helper-left-stopped = { $name } ukončuje reláciu.
helper-left-expired = Platnosť relácie vypršala.

sharer-state-idle = Zadajte kód, ktorý vám dal pomocník.
sharer-state-joining = Overuje sa kód…
sharer-state-joined = Pripojené: { $name }.
sharer-state-asking = { $name } žiada o zobrazenie vašej obrazovky.
sharer-state-choosing = Vyberte, čo zdieľať…
sharer-state-sharing = Vašu obrazovku vidí { $name }.
sharer-state-paused = Zdieľanie pozastavené.
sharer-state-helper_left = { $name } odchádza.
sharer-state-ended = Relácia sa skončila.

## Errors from the broker

error-malformed = Server požiadavke nerozumel.
error-unsupported_version = Táto stránka je zastaraná. Načítajte ju znova.
error-too_large = Správa je príliš veľká.
error-not_allowed = To teraz nie je možné.
error-code_invalid = Tento kód nie je platný. Skontrolujte ho alebo požiadajte o nový.
error-locked_out = Príliš veľa chybných kódov. Skúste to znova o 15 minút.
error-busy = Služba je preťažená. Skúste to znova o minútu.
error-chat_disabled = Chat je vo vašej organizácii vypnutý.
error-chat_invalid = Túto správu nemožno odoslať.
error-rate_limited = Príliš veľa pokusov. Chvíľu počkajte a skúste to znova.
error-internal = Niečo sa pokazilo. Skúste to znova.

## Agent approval page

agent-page-title = Glass — schválenie zdieľania
agent-no-secret = Otvorte túto stránku z odkazu, ktorý vypísal Glass. Takto otvorená nemôže nič urobiť.
agent-connecting = Pripájanie ku Glass na tomto počítači…
agent-disconnected = Glass na tomto počítači skončil. Túto stránku môžete zavrieť.
agent-joining = Pripájanie k relácii…
agent-ask-view = { $name } žiada o zobrazenie vašej obrazovky
agent-ask-full = { $name } žiada o zobrazenie a ovládanie vašej obrazovky
agent-explain-view = { $name } uvidí celú vašu obrazovku, ale nebude môcť používať vašu myš ani klávesnicu. Kedykoľvek môžete zdieľanie pozastaviť alebo ukončiť.
agent-explain-full = { $name } bude môcť používať vašu myš a klávesnicu. Kedykoľvek môžete prevziať ovládanie späť alebo zdieľanie ukončiť.
agent-time-left = Zostávajúci čas na odpoveď: { $seconds } s
agent-expired = Bez odpovede včas: žiadosť bola zamietnutá.
agent-declined = Odmietli ste.
agent-allowed = Povolili ste to. Spúšťanie…
agent-banner-view = Zdieľanie: { $name } — len sledovanie
agent-banner-full = Zdieľanie: { $name } — úplné ovládanie
agent-banner-paused = Zdieľanie: { $name } — pozastavené
agent-takeback-button = Prevziať ovládanie späť
agent-action-failed = Glass to neprijal. Skúste to znova.
agent-close-page = Túto stránku môžete zavrieť.
agent-ended-left = Relácia sa skončila.
agent-ended-lost = Spojenie s vaším pomocníkom sa prerušilo.
agent-ended-stopped = Zdieľanie sa skončilo.
agent-ended-expired = Platnosť relácie vypršala.
agent-ended-broker_lost = Spojenie so serverom sa prerušilo.
agent-ended-other = Relácia sa skončila.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Zásady vašej organizácie to nepovoľujú.
warnings-heading = O tomto zariadení
warning-device_not_enrolled = Toto zariadenie nie je registrované vašou organizáciou. Nezadávajte naň prihlasovacie údaje správcu.
warning-device_not_compliant = Toto zariadenie nespĺňa požiadavky: { $reasons }. Nezadávajte naň prihlasovacie údaje správcu.
warning-device_compliance_unknown = Nie je známe, či toto zariadenie spĺňa požiadavky. Nezadávajte naň prihlasovacie údaje správcu.
warning-other = Vaša organizácia toto zariadenie označila. Nezadávajte naň prihlasovacie údaje správcu.
full-not-allowed = Úplné ovládanie nie je možné: zásady vašej organizácie vám povoľujú len sledovať.
level-limited = Zásady vašej organizácie teraz povoľujú len sledovanie.
declined-forbidden = Zásady vašej organizácie už túto žiadosť nepovoľujú.
escalation-forbidden = Zásady vašej organizácie už nepovoľujú úplné ovládanie. Môžete ďalej sledovať.
left-revoked = Zásady vašej organizácie už túto reláciu pomoci nepovoľujú.
helper-left-revoked = Zásady vašej organizácie už túto reláciu pomoci nepovoľujú.
ended-revoked = Zásady vašej organizácie už túto reláciu pomoci nepovoľujú.
agent-ended-revoked = Zásady vašej organizácie už túto reláciu pomoci nepovoľujú.
sharer-request-forbidden = Žiadosť bola stiahnutá: zásady vašej organizácie ju už nepovoľujú.
sharer-level-limited = { $name }: zásady vašej organizácie teraz povoľujú len sledovanie.

## Reports page

reports-link = Prehľady
reports-page-title = Glass — prehľady
reports-heading = Prehľady relácií pomoci
reports-back = Späť na vzdialenú pomoc
reports-filter-heading = Filter
reports-person-label = Osoba (meno alebo ID používateľa)
reports-device-label = Zariadenie
reports-from-label = Od
reports-to-label = Do
reports-show-button = Zobraziť relácie
reports-download-csv = Stiahnuť CSV
reports-download-json = Stiahnuť JSON
reports-col-helper = Pomocník
reports-col-sharer = Osoba, ktorej sa pomáhalo
reports-col-start = Začiatok
reports-col-end = Koniec
reports-col-level = Prístup
reports-col-ended = Ako sa skončila
reports-transcript-button = Prepis četu
reports-loading = Načítavajú sa relácie…
reports-empty = Tomuto filtru nezodpovedá žiadna relácia.
reports-forbidden = Prehľady nemôžete zobraziť: pravidlá vašej organizácie vám toto oprávnenie nedávajú.
reports-signed-out = Ak chcete zobraziť prehľady, prihláste sa.
reports-failed = Prehľady sa nepodarilo načítať. Skúste to znova.
reports-bad-dates = Skontrolujte dátumy: koniec nesmie byť pred začiatkom.
reports-running = Neukončená
reports-level-full = Úplné ovládanie
reports-level-view = Iba zobrazenie
reports-level-none = Nič neudelené
reports-ended-left = Niekto odišiel
reports-ended-lost = Spojenie sa stratilo
reports-ended-stopped = Zdieľanie sa zastavilo
reports-ended-expired = Platnosť kódu vypršala
reports-ended-revoked = Ukončená pravidlami
reports-ended-other = Ukončená
reports-transcript-heading = Prepis četu
reports-transcript-empty = V čete tejto relácie sa nič nenapísalo.
reports-transcript-not-kept = Text sa neuchováva: vaša organizácia neuchováva prepisy četu.
reports-transcript-close = Zavrieť

## Identity binding

agent-identity-verified = Identita overená na tomto počítači u { $issuer }
agent-identity-broker = Identitu potvrdzuje iba server helpdesku
agent-identity-unverified = Identitu sa nepodarilo overiť
helper-renewing-sign-in = Obnovuje sa prihlásenie…
helper-identity-not-renewed = Prihlásenie sa v tomto prehliadači nepodarilo obnoviť, takže osoba, ktorej pomáhate, nemusí vedieť overiť, kto ste. Odhláste sa a znova sa prihláste.
error-fingerprint_mismatch = Glass reláciu zastavil: pripojenie neprišlo z prehliadača, v ktorom sa prihlásil váš pomocník.
error-helper_unverified = Glass nedokázal overiť, kto je váš pomocník, a preto ho nepustil dnu.
error-relay_lost = Spojenie cez prenosový server sa stratilo a váš pomocník už nevidí vašu obrazovku.
