## Both apps

app-name = Glass
language-label = Valoda
signin-heading = Pierakstīties
username-label = Lietotājvārds
password-label = Parole
signin-button = Pierakstīties
signing-in = Notiek pierakstīšanās…
signin-missing = Ievadiet lietotājvārdu un paroli.
signin-failed = Nepareizs lietotājvārds vai parole.
signin-with = Pieteikties ar { $provider }
signin-or = vai
signin-provider-failed = Pieteikšanās neizdevās. Mēģiniet vēlreiz.
server-unreachable = Nevar sazināties ar serveri. Pārbaudiet savienojumu un mēģiniet vēlreiz.
sign-out-button = Izrakstīties
signed-in-as = Pierakstījies: { $name }
leave-button = Iziet
reconnect-button = Savienot vēlreiz
link-lost-heading = Savienojums zaudēts
link-lost = Savienojums ar serveri tika zaudēts. Sesija ir beigusies.
link-resuming = Savienojums ar serveri tika pārtraukts. Notiek atkārtota savienošana…
peer-away = { $name }: savienojums zaudēts — gaidām atgriešanos…
ended-heading = Sesija beigusies
card-picture =
    .alt = Attēls: { $name }
domain-verified = pārbaudīts
domain-unverified = nav pārbaudīts
card-vouched-note = ✓ apstiprinājis pieteikšanās pakalpojums

## Chat

chat-heading = Tērzēšana
chat-log =
    .aria-label = Ziņas
chat-empty = Vēl nav ziņu.
chat-label = Ziņa
chat-hint = Enter nosūta, Shift+Enter sāk jaunu rindu.
chat-send = Sūtīt
chat-length = { $count } / { $max }
chat-too-long = Pārāk gara: { $count } / { $max }
chat-closed = Tērzēšana ir slēgta.
chat-kept = Jūsu organizācija glabā šīs tērzēšanas tekstu savā audita žurnālā.

## Helper app

helper-page-title = Glass — attālā palīdzība
helper-start-heading = Palīdzēt kādam
helper-start-intro = Saņemiet kodu un iedodiet to personai, kurai palīdzat.
get-code-button = Saņemt kodu
code-heading = Jūsu kods
code-where = Palūdziet atvērt šo adresi un ievadīt kodu:
copy-button = Kopēt
copied-button = Nokopēts
code-copied = Kods ir nokopēts.
copy-failed = Neizdevās nokopēt. Nolasiet kodu balsī.
cancel-code-button = Atcelt
code-expires = Derīgs vēl { $time }
code-expired-heading = Koda derīgums beidzies
new-code-button = Saņemt jaunu kodu
sharer-heading = Kas pievienojās
client-agent = Izmanto lietotni Glass
client-web = Izmanto tīmekļa pārlūku
choose-request-message = Palūdziet lietotājam { $name } parādīt ekrānu.
request-view-button = Lūgt tikai skatīšanos
request-full-button = Lūgt pilnu vadību
try-again-view-button = Mēģināt vēlreiz
full-not-possible = Pilna vadība nav iespējama: tīmekļa pārlūku nevar vadīt attālināti. Jūs varat tikai skatīties.
waiting-approval-message = Gaida atbildi: { $name }…
declined-declined = { $name } atteicās.
declined-timeout = { $name } neatbildēja laikā.
declined-not_supported = { $name } nevar piešķirt vadību no šīs ierīces.
escalation-declined = { $name } atteicās no pilnas vadības. Jūs joprojām varat skatīties.
escalation-timeout = { $name } neatbildēja. Jūs joprojām varat skatīties.
escalation-not_supported = { $name } nevar piešķirt vadību no šīs ierīces.
stage-heading = Kopīgotais ekrāns
video-label = Ekrāns: { $name }
keyboard-target =
    .aria-label = Tastatūras ievade kopīgotajam ekrānam
level-view = Tikai skatīšanās
level-full = Vadība ir jums
release-button = Atdot vadību
fullscreen-button = Pilnekrāns
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ekrāns
display-all = Visi ekrāni
agent-screen-legend = Kopīgojamais ekrāns
# Copy and paste with the sharer (full control only).
clipboard-send-button = Sūtīt manu starpliktuvi
clipboard-received = Tika nokopēts teksts ({ $count } rakstzīmes).
clipboard-copy-button = Kopēt manā starpliktuvē
clipboard-unavailable = Šī pārlūkprogramma neļauj lapai izmantot starpliktuvi.
keyboard-lock-unavailable = Šajā pārlūkā sistēmas īsinājumtaustiņi, piemēram, Alt+Tab, Windows taustiņš un Escape, paliek jūsu datorā. Chrome un Edge tos pārsūta pilnekrāna režīmā.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Šī pārlūkprogramma nevar rādīt vai sūtīt kopīgotu ekrānu (tajā nav WebRTC). Izmantojiet Chrome, Edge, Firefox vai Safari.
exit-fullscreen-button = Iziet no pilnekrāna
overlay-connecting = Savienojas ar ekrānu…
overlay-paused = { $name } apturēja kopīgošanu.
video-failed = Video savienojums neizdevās.
left-left = { $name } izgāja no sesijas.
left-lost = Savienojums zaudēts: { $name }.
left-stopped = { $name } pārtrauca kopīgošanu.
left-expired = Sesijas derīgums beidzās.
ended-self = Jūs izgājāt no sesijas.

helper-state-idle = Lai sāktu, saņemiet kodu.
helper-state-waiting_sharer = Gaida, kamēr otra persona ievadīs kodu…
helper-state-expired = Koda derīgums ir beidzies.
helper-state-sharer_joined = { $name } pievienojās.
helper-state-waiting_approval = Gaida apstiprinājumu: { $name }…
helper-state-declined = { $name } atteicās.
helper-state-connected = Savienots: { $name }.
helper-state-paused = { $name } apturēja kopīgošanu.
helper-state-sharer_left = { $name } aizgāja.
helper-state-ended = Sesija ir beigusies.

## Sharer app

sharer-page-title = Glass — kopīgot ekrānu
sharing-page-title = ● Notiek kopīgošana — Glass
sharer-code-heading = Saņemt palīdzību
code-label = Kods no palīdzētāja
code-hint = 8 burti un cipari, piemēram, 4060 R0GX
code-bad-format = Kodā ir 8 burti un cipari. Pārbaudiet to un mēģiniet vēlreiz.
join-button = Pievienoties
helper-heading = Jūsu palīdzētājs
joined-message = { $name } tagad var lūgt redzēt jūsu ekrānu. Nekas netiek kopīgots bez jūsu atļaujas.
consent-heading = { $name } vēlas redzēt jūsu ekrānu
consent-explainer = Ja atļausiet, jūs izvēlēsieties, ko kopīgot: ekrānu, logu vai cilni. { $name } to redzēs, bet nevarēs vadīt.
choosing-message = Pārlūka logā izvēlieties, ko kopīgot.
allow-button = Atļaut
decline-button = Noraidīt
capture-unsupported = Šis pārlūks nevar kopīgot ekrānu.
capture-cancelled = Nekas netika kopīgots.
sharing-banner = Jūs kopīgojat ekrānu lietotājam { $name } (tikai skatīšanās)
sharing-banner-paused = Kopīgošana apturēta: { $name } neredz jūsu ekrānu.
pause-button = Apturēt
resume-button = Turpināt
stop-button = Beigt kopīgošanu
preview-heading = Ko redz jūsu palīdzētājs
preview-paused = Apturēts
view-only-note = Jūsu palīdzētājs redz to, ko kopīgojat, bet nevar to vadīt.
another-code-button = Ievadīt citu kodu
ended-stopped = Jūs beidzāt kopīgošanu.
helper-left-left = { $name } izgāja no sesijas.
helper-left-lost = Savienojums zaudēts: { $name }.
helper-left-stopped = { $name } beidza sesiju.
helper-left-expired = Sesijas derīgums beidzās.

sharer-state-idle = Ievadiet kodu, ko saņēmāt no palīdzētāja.
sharer-state-joining = Pārbauda kodu…
sharer-state-joined = Savienots: { $name }.
sharer-state-asking = { $name } lūdz redzēt jūsu ekrānu.
sharer-state-choosing = Izvēlieties, ko kopīgot…
sharer-state-sharing = Jūs kopīgojat ekrānu lietotājam { $name }.
sharer-state-paused = Kopīgošana apturēta.
sharer-state-helper_left = { $name } aizgāja.
sharer-state-ended = Sesija ir beigusies.

## Errors from the broker

error-malformed = Serveris nesaprata pieprasījumu.
error-unsupported_version = Šī lapa ir novecojusi. Ielādējiet to vēlreiz.
error-too_large = Ziņa ir pārāk liela.
error-not_allowed = Tas pašlaik nav iespējams.
error-code_invalid = Šis kods nav derīgs. Pārbaudiet to vai palūdziet jaunu.
error-locked_out = Pārāk daudz nepareizu kodu. Mēģiniet vēlreiz pēc 15 minūtēm.
error-busy = Pakalpojums ir noslogots. Mēģiniet vēlreiz pēc minūtes.
error-chat_disabled = Jūsu organizācijā tērzēšana ir izslēgta.
error-chat_invalid = Šo ziņu nevar nosūtīt.
error-rate_limited = Pārāk daudz mēģinājumu. Mazliet pagaidiet un mēģiniet vēlreiz.
error-internal = Kaut kas nogāja greizi. Mēģiniet vēlreiz.

## Agent approval page

agent-page-title = Glass — kopīgošanas apstiprināšana
agent-no-secret = Atveriet šo lapu no saites, ko izdrukāja Glass. Šādi atvērta, tā neko nevar izdarīt.
agent-connecting = Savienojas ar Glass šajā datorā…
agent-disconnected = Glass šajā datorā ir apstājies. Varat aizvērt šo lapu.
agent-joining = Pievienojas sesijai…
agent-ask-view = { $name } lūdz atļauju redzēt jūsu ekrānu
agent-ask-full = { $name } lūdz atļauju redzēt un vadīt jūsu ekrānu
agent-explain-view = { $name } redzēs visu jūsu ekrānu, bet nevarēs izmantot jūsu peli vai tastatūru. Jebkurā brīdī varat apturēt vai beigt.
agent-explain-full = { $name } varēs izmantot jūsu peli un tastatūru. Jebkurā brīdī varat atgūt vadību vai beigt.
agent-time-left = Atlikušais laiks atbildei: { $seconds } s
agent-expired = Atbilde netika saņemta laikā: pieprasījums noraidīts.
agent-declined = Jūs noraidījāt.
agent-allowed = Jūs atļāvāt. Sāk…
agent-banner-view = Kopīgo: { $name } — tikai skatīšanās
agent-banner-full = Kopīgo: { $name } — pilna vadība
agent-banner-paused = Kopīgo: { $name } — apturēts
agent-takeback-button = Atgūt vadību
agent-action-failed = Glass to nepieņēma. Mēģiniet vēlreiz.
agent-close-page = Varat aizvērt šo lapu.
agent-ended-left = Sesija ir beigusies.
agent-ended-lost = Savienojums ar jūsu palīdzētāju tika zaudēts.
agent-ended-stopped = Kopīgošana ir beigusies.
agent-ended-expired = Sesijas derīgums ir beidzies.
agent-ended-broker_lost = Savienojums ar serveri tika zaudēts.
agent-ended-other = Sesija ir beigusies.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Jūsu organizācijas politika to neatļauj.
warnings-heading = Par šo ierīci
warning-device_not_enrolled = Jūsu organizācija nav reģistrējusi šo ierīci. Neievadiet tajā administratora pieteikšanās datus.
warning-device_not_compliant = Šī ierīce neatbilst prasībām: { $reasons }. Neievadiet tajā administratora pieteikšanās datus.
warning-device_compliance_unknown = Nav zināms, vai šī ierīce atbilst prasībām. Neievadiet tajā administratora pieteikšanās datus.
warning-other = Jūsu organizācija ir atzīmējusi šo ierīci. Neievadiet tajā administratora pieteikšanās datus.
full-not-allowed = Pilna vadība nav iespējama: jūsu organizācijas politika ļauj jums tikai skatīties.
level-limited = Jūsu organizācijas politika tagad ļauj tikai skatīties.
declined-forbidden = Jūsu organizācijas politika vairs neatļauj šo pieprasījumu.
escalation-forbidden = Jūsu organizācijas politika vairs neatļauj pilnu vadību. Jūs joprojām varat skatīties.
left-revoked = Jūsu organizācijas politika vairs neatļauj šo palīdzības sesiju.
helper-left-revoked = Jūsu organizācijas politika vairs neatļauj šo palīdzības sesiju.
ended-revoked = Jūsu organizācijas politika vairs neatļauj šo palīdzības sesiju.
agent-ended-revoked = Jūsu organizācijas politika vairs neatļauj šo palīdzības sesiju.
sharer-request-forbidden = Pieprasījums atsaukts: jūsu organizācijas politika to vairs neatļauj.
sharer-level-limited = { $name }: jūsu organizācijas politika tagad ļauj tikai skatīties.

## Reports page

reports-link = Pārskati
reports-page-title = Glass — pārskati
reports-heading = Palīdzības sesiju pārskati
reports-back = Atpakaļ uz attālo palīdzību
reports-filter-heading = Filtrs
reports-person-label = Persona (vārds vai lietotāja ID)
reports-device-label = Ierīce
reports-from-label = No
reports-to-label = Līdz
reports-show-button = Rādīt sesijas
reports-download-csv = Lejupielādēt CSV
reports-download-json = Lejupielādēt JSON
reports-col-helper = Palīgs
reports-col-sharer = Persona, kurai palīdzēja
reports-col-start = Sākums
reports-col-end = Beigas
reports-col-level = Piekļuve
reports-col-ended = Kā tā beidzās
reports-transcript-button = Tērzēšanas atšifrējums
reports-loading = Ielādē sesijas…
reports-empty = Šim filtram neatbilst neviena sesija.
reports-forbidden = Jums nav atļauts skatīt pārskatus: jūsu organizācijas politika nedod jums šo atļauju.
reports-signed-out = Pierakstieties, lai skatītu pārskatus.
reports-failed = Pārskatus neizdevās ielādēt. Mēģiniet vēlreiz.
reports-bad-dates = Pārbaudiet datumus: beigas nedrīkst būt pirms sākuma.
reports-running = Nav beigusies
reports-level-full = Pilna vadība
reports-level-view = Tikai skatīšana
reports-level-none = Nekas nav piešķirts
reports-ended-left = Kāds aizgāja
reports-ended-lost = Savienojums zuda
reports-ended-stopped = Kopīgošana apturēta
reports-ended-expired = Kodam beidzās derīgums
reports-ended-revoked = Beigta saskaņā ar politiku
reports-ended-other = Beigusies
reports-transcript-heading = Tērzēšanas atšifrējums
reports-transcript-empty = Šīs sesijas tērzēšanā nekas netika rakstīts.
reports-transcript-not-kept = Teksts netiek glabāts: jūsu organizācija neglabā tērzēšanas atšifrējumus.
reports-transcript-close = Aizvērt

## Identity binding

agent-identity-verified = Identitāte pārbaudīta šajā datorā, izmantojot { $issuer }
agent-identity-broker = Identitāti apliecina tikai palīdzības dienesta serveris
agent-identity-unverified = Identitāti neizdevās pārbaudīt
helper-renewing-sign-in = Notiek pieteikšanās atjaunošana…
helper-identity-not-renewed = Jūsu pieteikšanos šajā pārlūkā neizdevās atjaunot, tāpēc cilvēks, kuram palīdzat, var nespēt pārliecināties, kas jūs esat. Izrakstieties un piesakieties vēlreiz.
error-fingerprint_mismatch = Glass apturēja sesiju: savienojums nenāca no pārlūka, kurā pieteicās jūsu palīgs.
error-helper_unverified = Glass nevarēja pārliecināties, kas ir jūsu palīgs, tāpēc viņu neielaida.
error-relay_lost = Savienojums caur pārraides serveri tika zaudēts, tāpēc jūsu palīgs vairs neredz jūsu ekrānu.
