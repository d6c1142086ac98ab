## Both apps

app-name = Glass
language-label = Kalba
signin-heading = Prisijungti
username-label = Naudotojo vardas
password-label = Slaptažodis
signin-button = Prisijungti
signing-in = Jungiamasi…
signin-missing = Įveskite naudotojo vardą ir slaptažodį.
signin-failed = Neteisingas naudotojo vardas arba slaptažodis.
signin-with = Prisijungti per { $provider }
signin-or = arba
signin-provider-failed = Prisijungti nepavyko. Bandykite dar kartą.
server-unreachable = Nepavyksta pasiekti serverio. Patikrinkite ryšį ir bandykite dar kartą.
sign-out-button = Atsijungti
signed-in-as = Prisijungta: { $name }
leave-button = Išeiti
reconnect-button = Prisijungti iš naujo
link-lost-heading = Ryšys nutrūko
link-lost = Ryšys su serveriu nutrūko. Seansas baigtas.
link-resuming = Ryšys su serveriu nutrūko. Jungiamasi iš naujo…
peer-away = { $name }: ryšys nutrūko — laukiama, kol vėl prisijungs…
ended-heading = Seansas baigtas
card-picture =
    .alt = Nuotrauka: { $name }
domain-verified = patvirtinta
domain-unverified = nepatvirtinta
card-vouched-note = ✓ patvirtino prisijungimo paslaugos teikėjas

## Chat

chat-heading = Pokalbis
chat-log =
    .aria-label = Žinutės
chat-empty = Žinučių dar nėra.
chat-label = Žinutė
chat-hint = Enter siunčia, Shift+Enter pradeda naują eilutę.
chat-send = Siųsti
chat-length = { $count } / { $max }
chat-too-long = Per ilga: { $count } / { $max }
chat-closed = Pokalbis uždarytas.
chat-kept = Jūsų organizacija saugo šio pokalbio tekstą savo audito žurnale.

## Helper app

helper-page-title = Glass — nuotolinė pagalba
helper-start-heading = Padėti kitam
helper-start-intro = Gaukite kodą ir duokite jį žmogui, kuriam padedate.
get-code-button = Gauti kodą
code-heading = Jūsų kodas
code-where = Paprašykite atidaryti šį adresą ir įvesti kodą:
copy-button = Kopijuoti
copied-button = Nukopijuota
code-copied = Kodas nukopijuotas.
copy-failed = Nepavyko nukopijuoti. Perskaitykite kodą balsu.
cancel-code-button = Atšaukti
code-expires = Galioja dar { $time }
code-expired-heading = Kodo galiojimas baigėsi
new-code-button = Gauti naują kodą
sharer-heading = Kas prisijungė
client-agent = Naudoja programėlę Glass
client-web = Naudoja žiniatinklio naršyklę
choose-request-message = Paprašykite naudotojo { $name } parodyti ekraną.
request-view-button = Prašyti tik peržiūros
request-full-button = Prašyti visiško valdymo
try-again-view-button = Bandyti dar kartą
full-not-possible = Visiškas valdymas neįmanomas: žiniatinklio naršyklės negalima valdyti nuotoliniu būdu. Galite tik stebėti.
waiting-approval-message = Laukiama atsakymo: { $name }…
declined-declined = { $name } atsisakė.
declined-timeout = { $name } laiku neatsakė.
declined-not_supported = { $name } negali suteikti valdymo iš šio įrenginio.
escalation-declined = { $name } atsisakė suteikti visišką valdymą. Galite toliau stebėti.
escalation-timeout = { $name } neatsakė. Galite toliau stebėti.
escalation-not_supported = { $name } negali suteikti valdymo iš šio įrenginio.
stage-heading = Bendrinamas ekranas
video-label = Ekranas: { $name }
keyboard-target =
    .aria-label = Klaviatūros įvestis bendrinamam ekranui
level-view = Tik peržiūra
level-full = Valdote jūs
release-button = Grąžinti valdymą
fullscreen-button = Visas ekranas
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ekranas
display-all = Visi ekranai
agent-screen-legend = Bendrinamas ekranas
# Copy and paste with the sharer (full control only).
clipboard-send-button = Siųsti mano iškarpinę
clipboard-received = Nukopijuotas tekstas (simbolių: { $count }).
clipboard-copy-button = Kopijuoti į mano iškarpinę
clipboard-unavailable = Ši naršyklė neleidžia puslapiui naudoti iškarpinės.
keyboard-lock-unavailable = Šioje naršyklėje sistemos spartieji klavišai, pvz., Alt+Tab, Windows klavišas ir Escape, lieka jūsų kompiuteryje. Chrome ir Edge juos perduoda viso ekrano režimu.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ši naršyklė negali rodyti ar siųsti bendrinamo ekrano (joje nėra WebRTC). Naudokite Chrome, Edge, Firefox arba Safari.
exit-fullscreen-button = Išeiti iš viso ekrano
overlay-connecting = Jungiamasi prie ekrano…
overlay-paused = { $name } pristabdė bendrinimą.
video-failed = Vaizdo ryšys nepavyko.
left-left = { $name } paliko seansą.
left-lost = Ryšys nutrūko: { $name }.
left-stopped = { $name } nustojo bendrinti.
left-expired = Seanso galiojimas baigėsi.
ended-self = Jūs palikote seansą.

helper-state-idle = Norėdami pradėti, gaukite kodą.
helper-state-waiting_sharer = Laukiama, kol kitas žmogus įves kodą…
helper-state-expired = Kodo galiojimas baigėsi.
helper-state-sharer_joined = { $name } prisijungė.
helper-state-waiting_approval = Laukiama sutikimo: { $name }…
helper-state-declined = { $name } atsisakė.
helper-state-connected = Prisijungta: { $name }.
helper-state-paused = { $name } pristabdė bendrinimą.
helper-state-sharer_left = { $name } išėjo.
helper-state-ended = Seansas baigtas.

## Sharer app

sharer-page-title = Glass — bendrinti ekraną
sharing-page-title = ● Bendrinama — Glass
sharer-code-heading = Gauti pagalbą
code-label = Padėjėjo duotas kodas
code-hint = 8 raidės ir skaitmenys, pavyzdžiui, 4060 R0GX
code-bad-format = Kodą sudaro 8 raidės ir skaitmenys. Patikrinkite jį ir bandykite dar kartą.
join-button = Prisijungti
helper-heading = Jūsų padėjėjas
joined-message = { $name } dabar gali paprašyti pamatyti jūsų ekraną. Niekas nebendrinama, kol neleisite.
consent-heading = { $name } nori matyti jūsų ekraną
consent-explainer = Jei leisite, pasirinksite, ką bendrinti: ekraną, langą ar skirtuką. { $name } tai matys, bet negalės valdyti.
choosing-message = Naršyklės lange pasirinkite, ką bendrinti.
allow-button = Leisti
decline-button = Atmesti
capture-unsupported = Ši naršyklė negali bendrinti ekrano.
capture-cancelled = Nieko nebendrinta.
sharing-banner = Bendrinate ekraną su naudotoju { $name } (tik peržiūra)
sharing-banner-paused = Bendrinimas pristabdytas: { $name } nemato jūsų ekrano.
pause-button = Pristabdyti
resume-button = Tęsti
stop-button = Nustoti bendrinti
preview-heading = Ką mato jūsų padėjėjas
preview-paused = Pristabdyta
view-only-note = Jūsų padėjėjas mato, ką bendrinate, bet negali to valdyti.
another-code-button = Įvesti kitą kodą
ended-stopped = Nustojote bendrinti.
helper-left-left = { $name } paliko seansą.
helper-left-lost = Ryšys nutrūko: { $name }.
helper-left-stopped = { $name } baigė seansą.
helper-left-expired = Seanso galiojimas baigėsi.

sharer-state-idle = Įveskite kodą, kurį gavote iš padėjėjo.
sharer-state-joining = Tikrinamas kodas…
sharer-state-joined = Prisijungta: { $name }.
sharer-state-asking = { $name } prašo pamatyti jūsų ekraną.
sharer-state-choosing = Pasirinkite, ką bendrinti…
sharer-state-sharing = Bendrinate ekraną su naudotoju { $name }.
sharer-state-paused = Bendrinimas pristabdytas.
sharer-state-helper_left = { $name } išėjo.
sharer-state-ended = Seansas baigtas.

## Errors from the broker

error-malformed = Serveris nesuprato užklausos.
error-unsupported_version = Šis puslapis pasenęs. Įkelkite jį iš naujo.
error-too_large = Žinutė per didelė.
error-not_allowed = Dabar to padaryti negalima.
error-code_invalid = Šis kodas negalioja. Patikrinkite jį arba paprašykite naujo.
error-locked_out = Per daug neteisingų kodų. Bandykite dar kartą po 15 minučių.
error-busy = Paslauga užimta. Bandykite dar kartą po minutės.
error-chat_disabled = Jūsų organizacijoje pokalbiai išjungti.
error-chat_invalid = Šios žinutės išsiųsti negalima.
error-rate_limited = Per daug bandymų. Palaukite ir bandykite dar kartą.
error-internal = Kažkas nepavyko. Bandykite dar kartą.

## Agent approval page

agent-page-title = Glass — bendrinimo patvirtinimas
agent-no-secret = Atverkite šį puslapį iš nuorodos, kurią išspausdino Glass. Taip atvertas jis nieko negali padaryti.
agent-connecting = Jungiamasi prie šio kompiuterio Glass…
agent-disconnected = Glass šiame kompiuteryje sustojo. Galite uždaryti šį puslapį.
agent-joining = Prisijungiama prie seanso…
agent-ask-view = { $name } prašo leisti matyti jūsų ekraną
agent-ask-full = { $name } prašo leisti matyti ir valdyti jūsų ekraną
agent-explain-view = { $name } matys visą jūsų ekraną, bet negalės naudoti jūsų pelės ar klaviatūros. Bet kada galite pristabdyti arba sustabdyti.
agent-explain-full = { $name } galės naudoti jūsų pelę ir klaviatūrą. Bet kada galite susigrąžinti valdymą arba sustabdyti.
agent-time-left = Liko laiko atsakyti: { $seconds } s
agent-expired = Laiku neatsakyta: prašymas atmestas.
agent-declined = Atmetėte.
agent-allowed = Leidote. Paleidžiama…
agent-banner-view = Bendrinama: { $name } — tik peržiūra
agent-banner-full = Bendrinama: { $name } — visiškas valdymas
agent-banner-paused = Bendrinama: { $name } — pristabdyta
agent-takeback-button = Susigrąžinti valdymą
agent-action-failed = Glass to nepriėmė. Bandykite dar kartą.
agent-close-page = Galite uždaryti šį puslapį.
agent-ended-left = Seansas baigtas.
agent-ended-lost = Ryšys su jūsų padėjėju nutrūko.
agent-ended-stopped = Bendrinimas sustabdytas.
agent-ended-expired = Seanso laikas baigėsi.
agent-ended-broker_lost = Ryšys su serveriu nutrūko.
agent-ended-other = Seansas baigtas.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Jūsų organizacijos politika to neleidžia.
warnings-heading = Apie šį įrenginį
warning-device_not_enrolled = Šis įrenginys neužregistruotas jūsų organizacijoje. Nerinkite jame administratoriaus prisijungimo duomenų.
warning-device_not_compliant = Šis įrenginys neatitinka reikalavimų: { $reasons }. Nerinkite jame administratoriaus prisijungimo duomenų.
warning-device_compliance_unknown = Nežinoma, ar šis įrenginys atitinka reikalavimus. Nerinkite jame administratoriaus prisijungimo duomenų.
warning-other = Jūsų organizacija pažymėjo šį įrenginį. Nerinkite jame administratoriaus prisijungimo duomenų.
full-not-allowed = Visiškas valdymas neįmanomas: jūsų organizacijos politika leidžia jums tik stebėti.
level-limited = Jūsų organizacijos politika dabar leidžia tik stebėti.
declined-forbidden = Jūsų organizacijos politika nebeleidžia šios užklausos.
escalation-forbidden = Jūsų organizacijos politika nebeleidžia visiško valdymo. Galite toliau stebėti.
left-revoked = Jūsų organizacijos politika nebeleidžia šio pagalbos seanso.
helper-left-revoked = Jūsų organizacijos politika nebeleidžia šio pagalbos seanso.
ended-revoked = Jūsų organizacijos politika nebeleidžia šio pagalbos seanso.
agent-ended-revoked = Jūsų organizacijos politika nebeleidžia šio pagalbos seanso.
sharer-request-forbidden = Užklausa atšaukta: jūsų organizacijos politika jos nebeleidžia.
sharer-level-limited = { $name }: jūsų organizacijos politika dabar leidžia tik stebėti.

## Reports page

reports-link = Ataskaitos
reports-page-title = Glass — ataskaitos
reports-heading = Pagalbos seansų ataskaitos
reports-back = Atgal į nuotolinę pagalbą
reports-filter-heading = Filtras
reports-person-label = Asmuo (vardas arba naudotojo ID)
reports-device-label = Įrenginys
reports-from-label = Nuo
reports-to-label = Iki
reports-show-button = Rodyti seansus
reports-download-csv = Atsisiųsti CSV
reports-download-json = Atsisiųsti JSON
reports-col-helper = Padėjėjas
reports-col-sharer = Asmuo, kuriam padėta
reports-col-start = Pradžia
reports-col-end = Pabaiga
reports-col-level = Prieiga
reports-col-ended = Kaip baigėsi
reports-transcript-button = Pokalbio įrašas
reports-loading = Įkeliami seansai…
reports-empty = Šį filtrą atitinkančių seansų nėra.
reports-forbidden = Jums negalima peržiūrėti ataskaitų: jūsų organizacijos politika nesuteikia jums šio leidimo.
reports-signed-out = Prisijunkite, kad peržiūrėtumėte ataskaitas.
reports-failed = Nepavyko įkelti ataskaitų. Bandykite dar kartą.
reports-bad-dates = Patikrinkite datas: pabaiga negali būti ankstesnė už pradžią.
reports-running = Nebaigtas
reports-level-full = Visiškas valdymas
reports-level-view = Tik peržiūra
reports-level-none = Nieko nesuteikta
reports-ended-left = Kažkas išėjo
reports-ended-lost = Ryšys nutrūko
reports-ended-stopped = Bendrinimas sustabdytas
reports-ended-expired = Kodo galiojimas baigėsi
reports-ended-revoked = Užbaigta pagal politiką
reports-ended-other = Baigtas
reports-transcript-heading = Pokalbio įrašas
reports-transcript-empty = Šio seanso pokalbyje nieko neparašyta.
reports-transcript-not-kept = Tekstas nesaugomas: jūsų organizacija nesaugo pokalbių įrašų.
reports-transcript-close = Uždaryti

## Identity binding

agent-identity-verified = Tapatybė patikrinta šiame kompiuteryje per { $issuer }
agent-identity-broker = Tapatybę patvirtina tik pagalbos tarnybos serveris
agent-identity-unverified = Tapatybės patikrinti nepavyko
helper-renewing-sign-in = Atnaujinamas prisijungimas…
helper-identity-not-renewed = Šioje naršyklėje nepavyko atnaujinti jūsų prisijungimo, todėl žmogus, kuriam padedate, gali negalėti patvirtinti, kas esate. Atsijunkite ir prisijunkite iš naujo.
error-fingerprint_mismatch = Glass sustabdė seansą: ryšys atėjo ne iš tos naršyklės, kurioje prisijungė jūsų pagalbininkas.
error-helper_unverified = Glass nepavyko patvirtinti, kas yra jūsų pagalbininkas, todėl jo neįleido.
error-relay_lost = Ryšys per perdavimo serverį nutrūko, todėl jūsų pagalbininkas nebemato jūsų ekrano.
