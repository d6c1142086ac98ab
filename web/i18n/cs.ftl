## Both apps

app-name = Glass
language-label = Jazyk
signin-heading = Přihlášení
username-label = Uživatelské jméno
password-label = Heslo
signin-button = Přihlásit se
signing-in = Přihlašování…
signin-missing = Zadejte uživatelské jméno a heslo.
signin-failed = Nesprávné uživatelské jméno nebo heslo.
signin-with = Přihlásit se přes { $provider }
signin-or = nebo
signin-provider-failed = Přihlášení se nezdařilo. Zkuste to znovu.
server-unreachable = Server není dostupný. Zkontrolujte připojení a zkuste to znovu.
sign-out-button = Odhlásit se
signed-in-as = Přihlášen(a): { $name }
leave-button = Odejít
reconnect-button = Znovu připojit
link-lost-heading = Spojení ztraceno
link-lost = Spojení se serverem bylo přerušeno. Relace skončila.
link-resuming = Spojení se serverem bylo přerušeno. Připojování znovu…
peer-away = { $name }: spojení přerušeno — čekáme na návrat…
ended-heading = Relace skončila
card-picture =
    .alt = Fotka: { $name }
domain-verified = ověřeno
domain-unverified = neověřeno
card-vouched-note = ✓ potvrzeno poskytovatelem přihlášení

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Zprávy
chat-empty = Zatím žádné zprávy.
chat-label = Zpráva
chat-hint = Enter odešle, Shift+Enter přidá nový řádek.
chat-send = Odeslat
chat-length = { $count } / { $max }
chat-too-long = Příliš dlouhé: { $count } / { $max }
chat-closed = Chat je uzavřen.
chat-kept = Vaše organizace uchovává text tohoto chatu ve svém auditním záznamu.

## Helper app

helper-page-title = Glass — vzdálená pomoc
helper-start-heading = Pomoci někomu
helper-start-intro = Získejte kód a předejte ho člověku, kterému pomáháte.
get-code-button = Získat kód
code-heading = Váš kód
code-where = Požádejte ho, aby otevřel tuto adresu a zadal kód:
copy-button = Kopírovat
copied-button = Zkopírováno
code-copied = Kód je zkopírován.
copy-failed = Kopírování se nezdařilo. Přečtěte kód nahlas.
cancel-code-button = Zrušit
code-expires = Platnost vyprší za { $time }
code-expired-heading = Platnost kódu vypršela
new-code-button = Získat nový kód
sharer-heading = Kdo se připojil
client-agent = Používá aplikaci Glass
client-web = Používá webový prohlížeč
choose-request-message = Požádejte, aby vám { $name } ukázal(a) obrazovku.
request-view-button = Požádat jen o sledování
request-full-button = Požádat o plné ovládání
try-again-view-button = Zkusit znovu
full-not-possible = Plné ovládání není možné: webový prohlížeč nelze ovládat na dálku. Můžete jen sledovat.
waiting-approval-message = Čeká se na odpověď: { $name }…
declined-declined = { $name }: odmítnuto.
declined-timeout = { $name }: bez odpovědi včas.
declined-not_supported = { $name } nemůže z tohoto zařízení předat ovládání.
escalation-declined = { $name }: plné ovládání odmítnuto. Můžete dál sledovat.
escalation-timeout = { $name }: bez odpovědi. Můžete dál sledovat.
escalation-not_supported = { $name } nemůže z tohoto zařízení předat ovládání.
stage-heading = Sdílená obrazovka
video-label = Obrazovka: { $name }
keyboard-target =
    .aria-label = Vstup z klávesnice pro sdílenou obrazovku
level-view = Jen sledování
level-full = Ovládáte vy
release-button = Vrátit ovládání
fullscreen-button = Celá obrazovka
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Obrazovka
display-all = Všechny obrazovky
agent-screen-legend = Obrazovka ke sdílení
# Copy and paste with the sharer (full control only).
clipboard-send-button = Odeslat moji schránku
clipboard-received = Zkopírovali text (znaků: { $count }).
clipboard-copy-button = Zkopírovat do mé schránky
clipboard-unavailable = Tento prohlížeč stránce nedovolí používat schránku.
keyboard-lock-unavailable = V tomto prohlížeči zůstávají systémové zkratky jako Alt+Tab, klávesa Windows a Escape na vašem počítači. Chrome a Edge je na celé obrazovce předávají.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Tento prohlížeč nedokáže zobrazit ani odeslat sdílenou obrazovku (nemá WebRTC). Použijte Chrome, Edge, Firefox nebo Safari.
exit-fullscreen-button = Ukončit celou obrazovku
overlay-connecting = Připojování k obrazovce…
overlay-paused = { $name } pozastavuje sdílení.
video-failed = Připojení videa selhalo.
left-left = { $name } opouští relaci.
left-lost = Spojení ztraceno: { $name }.
left-stopped = { $name } ukončuje sdílení.
left-expired = Platnost relace vypršela.
ended-self = Opustili jste relaci.

helper-state-idle = Začněte získáním kódu.
helper-state-waiting_sharer = Čeká se, až druhá osoba zadá kód…
helper-state-expired = Platnost kódu vypršela.
helper-state-sharer_joined = Připojeno: { $name }.
helper-state-waiting_approval = Čeká se na souhlas: { $name }…
helper-state-declined = { $name }: odmítnuto.
helper-state-connected = Připojeno: { $name }.
helper-state-paused = { $name } pozastavuje sdílení.
helper-state-sharer_left = { $name } odchází.
helper-state-ended = Relace skončila.

## Sharer app

sharer-page-title = Glass — sdílet obrazovku
sharing-page-title = ● Sdílení — Glass
sharer-code-heading = Získat pomoc
code-label = Kód od pomocníka
code-hint = 8 písmen a číslic, například 4060 R0GX
code-bad-format = Kód má 8 písmen a číslic. Zkontrolujte ho a zkuste to znovu.
join-button = Připojit se
helper-heading = Váš pomocník
joined-message = { $name } teď může požádat o zobrazení vaší obrazovky. Nic se nesdílí bez vašeho svolení.
consent-heading = { $name } chce vidět vaši obrazovku
consent-explainer = Pokud povolíte, vyberete, co sdílet: obrazovku, okno nebo kartu. { $name } to uvidí, ale nebude to moci ovládat.
choosing-message = V okně prohlížeče vyberte, co sdílet.
allow-button = Povolit
decline-button = Odmítnout
capture-unsupported = Tento prohlížeč neumí sdílet obrazovku.
capture-cancelled = Nic nebylo sdíleno.
sharing-banner = Vaši obrazovku vidí { $name } (jen sledování)
sharing-banner-paused = Sdílení pozastaveno: { $name } vaši obrazovku nevidí.
pause-button = Pozastavit
resume-button = Pokračovat
stop-button = Ukončit sdílení
preview-heading = Co vidí váš pomocník
preview-paused = Pozastaveno
view-only-note = Váš pomocník vidí, co sdílíte, ale nemůže to ovládat.
another-code-button = Zadat jiný kód
ended-stopped = Ukončili jste sdílení.
helper-left-left = { $name } opouští relaci.
helper-left-lost = Spojení ztraceno: { $name }.
helper-left-stopped = { $name } ukončuje relaci.
helper-left-expired = Platnost relace vypršela.

sharer-state-idle = Zadejte kód, který vám dal pomocník.
sharer-state-joining = Ověřování kódu…
sharer-state-joined = Připojeno: { $name }.
sharer-state-asking = { $name } žádá o zobrazení vaší obrazovky.
sharer-state-choosing = Vyberte, co sdílet…
sharer-state-sharing = Vaši obrazovku vidí { $name }.
sharer-state-paused = Sdílení pozastaveno.
sharer-state-helper_left = { $name } odchází.
sharer-state-ended = Relace skončila.

## Errors from the broker

error-malformed = Server požadavku nerozuměl.
error-unsupported_version = Tato stránka je zastaralá. Načtěte ji znovu.
error-too_large = Zpráva je příliš velká.
error-not_allowed = To teď není možné.
error-code_invalid = Tento kód není platný. Zkontrolujte ho nebo požádejte o nový.
error-locked_out = Příliš mnoho chybných kódů. Zkuste to znovu za 15 minut.
error-busy = Služba je přetížená. Zkuste to znovu za minutu.
error-chat_disabled = Chat je ve vaší organizaci vypnutý.
error-chat_invalid = Tuto zprávu nelze odeslat.
error-rate_limited = Příliš mnoho pokusů. Chvíli počkejte a zkuste to znovu.
error-internal = Něco se pokazilo. Zkuste to znovu.

## Agent approval page

agent-page-title = Glass — schválení sdílení
agent-no-secret = Otevřete tuto stránku z odkazu, který Glass vypsal. Takto otevřená nemůže nic udělat.
agent-connecting = Připojování ke Glass na tomto počítači…
agent-disconnected = Glass na tomto počítači skončil. Tuto stránku můžete zavřít.
agent-joining = Připojování k relaci…
agent-ask-view = { $name } žádá o zobrazení vaší obrazovky
agent-ask-full = { $name } žádá o zobrazení a ovládání vaší obrazovky
agent-explain-view = { $name } uvidí celou vaši obrazovku, ale nebude moci používat vaši myš ani klávesnici. Kdykoli můžete sdílení pozastavit nebo ukončit.
agent-explain-full = { $name } bude moci používat vaši myš a klávesnici. Kdykoli můžete převzít ovládání zpět nebo sdílení ukončit.
agent-time-left = Zbývající čas na odpověď: { $seconds } s
agent-expired = Bez odpovědi včas: žádost byla odmítnuta.
agent-declined = Odmítli jste.
agent-allowed = Povolili jste to. Spouštění…
agent-banner-view = Sdílení: { $name } — jen sledování
agent-banner-full = Sdílení: { $name } — plné ovládání
agent-banner-paused = Sdílení: { $name } — pozastaveno
agent-takeback-button = Převzít ovládání zpět
agent-action-failed = Glass to nepřijal. Zkuste to znovu.
agent-close-page = Tuto stránku můžete zavřít.
agent-ended-left = Relace skončila.
agent-ended-lost = Spojení s vaším pomocníkem bylo přerušeno.
agent-ended-stopped = Sdílení skončilo.
agent-ended-expired = Platnost relace vypršela.
agent-ended-broker_lost = Spojení se serverem bylo přerušeno.
agent-ended-other = Relace skončila.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Zásady vaší organizace to nedovolují.
warnings-heading = O tomto zařízení
warning-device_not_enrolled = Toto zařízení není registrované vaší organizací. Nezadávejte na něm přihlašovací údaje správce.
warning-device_not_compliant = Toto zařízení nesplňuje požadavky: { $reasons }. Nezadávejte na něm přihlašovací údaje správce.
warning-device_compliance_unknown = Není známo, zda toto zařízení splňuje požadavky. Nezadávejte na něm přihlašovací údaje správce.
warning-other = Vaše organizace toto zařízení označila. Nezadávejte na něm přihlašovací údaje správce.
full-not-allowed = Plné ovládání není možné: zásady vaší organizace vám dovolují jen sledovat.
level-limited = Zásady vaší organizace teď dovolují jen sledování.
declined-forbidden = Zásady vaší organizace už tuto žádost nedovolují.
escalation-forbidden = Zásady vaší organizace už nedovolují plné ovládání. Můžete dál sledovat.
left-revoked = Zásady vaší organizace už tuto relaci pomoci nedovolují.
helper-left-revoked = Zásady vaší organizace už tuto relaci pomoci nedovolují.
ended-revoked = Zásady vaší organizace už tuto relaci pomoci nedovolují.
agent-ended-revoked = Zásady vaší organizace už tuto relaci pomoci nedovolují.
sharer-request-forbidden = Žádost byla stažena: zásady vaší organizace ji už nedovolují.
sharer-level-limited = { $name }: zásady vaší organizace teď dovolují jen sledování.

## Reports page

reports-link = Přehledy
reports-page-title = Glass — přehledy
reports-heading = Přehledy relací pomoci
reports-back = Zpět ke vzdálené pomoci
reports-filter-heading = Filtr
reports-person-label = Osoba (jméno nebo ID uživatele)
reports-device-label = Zařízení
reports-from-label = Od
reports-to-label = Do
reports-show-button = Zobrazit relace
reports-download-csv = Stáhnout CSV
reports-download-json = Stáhnout JSON
reports-col-helper = Pomocník
reports-col-sharer = Osoba, které se pomáhalo
reports-col-start = Začátek
reports-col-end = Konec
reports-col-level = Přístup
reports-col-ended = Jak skončila
reports-transcript-button = Přepis chatu
reports-loading = Načítání relací…
reports-empty = Tomuto filtru neodpovídá žádná relace.
reports-forbidden = Přehledy zobrazit nemůžete: zásady vaší organizace vám toto oprávnění nedávají.
reports-signed-out = Pro zobrazení přehledů se přihlaste.
reports-failed = Přehledy se nepodařilo načíst. Zkuste to znovu.
reports-bad-dates = Zkontrolujte data: konec nesmí být před začátkem.
reports-running = Neukončena
reports-level-full = Plné ovládání
reports-level-view = Jen zobrazení
reports-level-none = Nic neuděleno
reports-ended-left = Někdo odešel
reports-ended-lost = Spojení ztraceno
reports-ended-stopped = Sdílení zastaveno
reports-ended-expired = Platnost kódu vypršela
reports-ended-revoked = Ukončena zásadami
reports-ended-other = Ukončena
reports-transcript-heading = Přepis chatu
reports-transcript-empty = V chatu této relace nebylo nic napsáno.
reports-transcript-not-kept = Text se neuchovává: vaše organizace neuchovává přepisy chatu.
reports-transcript-close = Zavřít

## Identity binding

agent-identity-verified = Identita ověřena na tomto počítači u { $issuer }
agent-identity-broker = Identitu potvrzuje pouze server helpdesku
agent-identity-unverified = Identitu se nepodařilo ověřit
helper-renewing-sign-in = Obnovování přihlášení…
helper-identity-not-renewed = Přihlášení se v tomto prohlížeči nepodařilo obnovit, takže osoba, které pomáháte, nemusí být schopna ověřit, kdo jste. Odhlaste se a přihlaste se znovu.
error-fingerprint_mismatch = Glass relaci ukončil: připojení nepřišlo z prohlížeče, ve kterém se váš pomocník přihlásil.
error-helper_unverified = Glass nedokázal ověřit, kdo je váš pomocník, a proto ho nepustil dál.
error-relay_lost = Spojení přes přenosový server bylo ztraceno a váš pomocník už nevidí vaši obrazovku.
