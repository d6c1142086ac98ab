## Both apps

app-name = Glass
language-label = Kieli
signin-heading = Kirjaudu sisään
username-label = Käyttäjätunnus
password-label = Salasana
signin-button = Kirjaudu sisään
signing-in = Kirjaudutaan…
signin-missing = Anna käyttäjätunnus ja salasana.
signin-failed = Väärä käyttäjätunnus tai salasana.
signin-with = Kirjaudu palvelulla { $provider }
signin-or = tai
signin-provider-failed = Kirjautuminen epäonnistui. Yritä uudelleen.
server-unreachable = Palvelimeen ei saada yhteyttä. Tarkista yhteys ja yritä uudelleen.
sign-out-button = Kirjaudu ulos
signed-in-as = Kirjautuneena: { $name }
leave-button = Poistu
reconnect-button = Yhdistä uudelleen
link-lost-heading = Yhteys katkesi
link-lost = Yhteys palvelimeen katkesi. Istunto päättyi.
link-resuming = Yhteys palvelimeen katkesi. Yhdistetään uudelleen…
peer-away = Käyttäjän { $name } yhteys katkesi — odotetaan, että hän palaa…
ended-heading = Istunto päättyi
card-picture =
    .alt = Kuva: { $name }
domain-verified = vahvistettu
domain-unverified = ei vahvistettu
card-vouched-note = ✓ kirjautumispalvelun vahvistama

## Chat

chat-heading = Keskustelu
chat-log =
    .aria-label = Viestit
chat-empty = Ei vielä viestejä.
chat-label = Viesti
chat-hint = Enter lähettää, Vaihto+Enter aloittaa uuden rivin.
chat-send = Lähetä
chat-length = { $count } / { $max }
chat-too-long = Liian pitkä: { $count } / { $max }
chat-closed = Keskustelu on suljettu.
chat-kept = Organisaatiosi säilyttää tämän keskustelun tekstin tarkastuslokissaan.

## Helper app

helper-page-title = Glass — etätuki
helper-start-heading = Auta jotakuta
helper-start-intro = Hae koodi ja anna se henkilölle, jota autat.
get-code-button = Hae koodi
code-heading = Koodisi
code-where = Pyydä häntä avaamaan tämä osoite ja antamaan koodi:
copy-button = Kopioi
copied-button = Kopioitu
code-copied = Koodi on kopioitu.
copy-failed = Kopiointi ei onnistunut. Lue koodi ääneen.
cancel-code-button = Peruuta
code-expires = Vanhenee: { $time }
code-expired-heading = Koodi vanhentui
new-code-button = Hae uusi koodi
sharer-heading = Liittynyt henkilö
client-agent = Käyttää Glass-sovellusta
client-web = Käyttää verkkoselainta
choose-request-message = Pyydä käyttäjää { $name } näyttämään näyttönsä.
request-view-button = Pyydä vain katselua
request-full-button = Pyydä täyttä hallintaa
try-again-view-button = Yritä uudelleen
full-not-possible = Täysi hallinta ei ole mahdollista: verkkoselainta ei voi ohjata etänä. Voit vain katsella.
waiting-approval-message = Odotetaan vastausta: { $name }…
declined-declined = { $name } kieltäytyi.
declined-timeout = { $name } ei vastannut ajoissa.
declined-not_supported = { $name } ei voi antaa hallintaa tältä laitteelta.
escalation-declined = { $name } kieltäytyi täydestä hallinnasta. Voit yhä katsella.
escalation-timeout = { $name } ei vastannut. Voit yhä katsella.
escalation-not_supported = { $name } ei voi antaa hallintaa tältä laitteelta.
stage-heading = Jaettu näyttö
video-label = Näyttö: { $name }
keyboard-target =
    .aria-label = Näppäimistösyöte jaetulle näytölle
level-view = Vain katselu
level-full = Sinulla on hallinta
release-button = Palauta hallinta
fullscreen-button = Koko näyttö
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Näyttö
display-all = Kaikki näytöt
agent-screen-legend = Jaettava näyttö
# Copy and paste with the sharer (full control only).
clipboard-send-button = Lähetä leikepöytäni
clipboard-received = He kopioivat tekstiä ({ $count } merkkiä).
clipboard-copy-button = Kopioi leikepöydälleni
clipboard-unavailable = Tämä selain ei anna sivun käyttää leikepöytää.
keyboard-lock-unavailable = Tässä selaimessa järjestelmän pikanäppäimet, kuten Alt+Tab, Windows-näppäin ja Escape, jäävät omalle tietokoneellesi. Chrome ja Edge välittävät ne koko näytön tilassa.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Tämä selain ei voi näyttää eikä lähettää jaettua näyttöä (siinä ei ole WebRTC:tä). Käytä Chromea, Edgeä, Firefoxia tai Safaria.
exit-fullscreen-button = Poistu koko näytöstä
overlay-connecting = Yhdistetään näyttöön…
overlay-paused = { $name } keskeytti jakamisen.
video-failed = Videoyhteys epäonnistui.
left-left = { $name } poistui istunnosta.
left-lost = Yhteys katkesi: { $name }.
left-stopped = { $name } lopetti jakamisen.
left-expired = Istunto vanheni.
ended-self = Poistuit istunnosta.

helper-state-idle = Aloita hakemalla koodi.
helper-state-waiting_sharer = Odotetaan, että toinen henkilö antaa koodin…
helper-state-expired = Koodi on vanhentunut.
helper-state-sharer_joined = { $name } liittyi.
helper-state-waiting_approval = Odotetaan hyväksyntää: { $name }…
helper-state-declined = { $name } kieltäytyi.
helper-state-connected = Yhdistetty: { $name }.
helper-state-paused = { $name } keskeytti jakamisen.
helper-state-sharer_left = { $name } poistui.
helper-state-ended = Istunto päättyi.

## Sharer app

sharer-page-title = Glass — jaa näyttösi
sharing-page-title = ● Jaetaan — Glass
sharer-code-heading = Hae apua
code-label = Auttajalta saatu koodi
code-hint = 8 kirjainta ja numeroa, esimerkiksi 4060 R0GX
code-bad-format = Koodissa on 8 kirjainta ja numeroa. Tarkista se ja yritä uudelleen.
join-button = Liity
helper-heading = Auttajasi
joined-message = { $name } voi nyt pyytää nähdä näyttösi. Mitään ei jaeta ennen kuin sallit sen.
consent-heading = { $name } haluaa nähdä näyttösi
consent-explainer = Jos sallit, valitset mitä jaat: näytön, ikkunan tai välilehden. { $name } näkee sen mutta ei voi ohjata sitä.
choosing-message = Valitse selaimen ikkunassa, mitä jaat.
allow-button = Salli
decline-button = Kieltäydy
capture-unsupported = Tämä selain ei voi jakaa näyttöä.
capture-cancelled = Mitään ei jaettu.
sharing-banner = Jaat näyttöäsi käyttäjälle { $name } (vain katselu)
sharing-banner-paused = Jakaminen keskeytetty: { $name } ei näe näyttöäsi.
pause-button = Keskeytä
resume-button = Jatka
stop-button = Lopeta jakaminen
preview-heading = Mitä auttajasi näkee
preview-paused = Keskeytetty
view-only-note = Auttajasi näkee jakamasi sisällön mutta ei voi ohjata sitä.
another-code-button = Anna toinen koodi
ended-stopped = Lopetit jakamisen.
helper-left-left = { $name } poistui istunnosta.
helper-left-lost = Yhteys katkesi: { $name }.
helper-left-stopped = { $name } lopetti istunnon.
helper-left-expired = Istunto vanheni.

sharer-state-idle = Anna auttajaltasi saamasi koodi.
sharer-state-joining = Tarkistetaan koodia…
sharer-state-joined = Yhdistetty: { $name }.
sharer-state-asking = { $name } pyytää nähdä näyttösi.
sharer-state-choosing = Valitse, mitä jaat…
sharer-state-sharing = Jaat näyttöäsi käyttäjälle { $name }.
sharer-state-paused = Jakaminen keskeytetty.
sharer-state-helper_left = { $name } poistui.
sharer-state-ended = Istunto päättyi.

## Errors from the broker

error-malformed = Palvelin ei ymmärtänyt pyyntöä.
error-unsupported_version = Sivu on vanhentunut. Lataa se uudelleen.
error-too_large = Viesti on liian suuri.
error-not_allowed = Se ei ole nyt mahdollista.
error-code_invalid = Koodi ei kelpaa. Tarkista se tai pyydä uusi.
error-locked_out = Liian monta väärää koodia. Yritä uudelleen 15 minuutin kuluttua.
error-busy = Palvelu on ruuhkautunut. Yritä uudelleen minuutin kuluttua.
error-chat_disabled = Keskustelu on poistettu käytöstä organisaatiossasi.
error-chat_invalid = Viestiä ei voi lähettää.
error-rate_limited = Liian monta yritystä. Odota hetki ja yritä uudelleen.
error-internal = Jokin meni vikaan. Yritä uudelleen.

## Agent approval page

agent-page-title = Glass — jakamisen hyväksyntä
agent-no-secret = Avaa tämä sivu linkistä, jonka Glass tulosti. Näin avattuna se ei voi tehdä mitään.
agent-connecting = Yhdistetään tämän tietokoneen Glassiin…
agent-disconnected = Glass on pysähtynyt tässä tietokoneessa. Voit sulkea tämän sivun.
agent-joining = Liitytään istuntoon…
agent-ask-view = { $name } pyytää nähdä näyttösi
agent-ask-full = { $name } pyytää nähdä ja hallita näyttöäsi
agent-explain-view = { $name } näkee koko näyttösi mutta ei voi käyttää hiirtäsi eikä näppäimistöäsi. Voit keskeyttää tai lopettaa milloin tahansa.
agent-explain-full = { $name } voi käyttää hiirtäsi ja näppäimistöäsi. Voit ottaa hallinnan takaisin tai lopettaa milloin tahansa.
agent-time-left = Aikaa vastata: { $seconds } s
agent-expired = Vastausta ei tullut ajoissa: pyyntö hylättiin.
agent-declined = Kieltäydyit.
agent-allowed = Sallit sen. Aloitetaan…
agent-banner-view = Jaetaan: { $name } — vain katselu
agent-banner-full = Jaetaan: { $name } — täysi hallinta
agent-banner-paused = Jaetaan: { $name } — keskeytetty
agent-takeback-button = Ota hallinta takaisin
agent-action-failed = Glass ei hyväksynyt sitä. Yritä uudelleen.
agent-close-page = Voit sulkea tämän sivun.
agent-ended-left = Istunto päättyi.
agent-ended-lost = Yhteys auttajaasi katkesi.
agent-ended-stopped = Jakaminen loppui.
agent-ended-expired = Istunto vanheni.
agent-ended-broker_lost = Yhteys palvelimeen katkesi.
agent-ended-other = Istunto päättyi.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Organisaatiosi käytäntö ei salli tätä.
warnings-heading = Tietoja tästä laitteesta
warning-device_not_enrolled = Organisaatiosi ei ole rekisteröinyt tätä laitetta. Älä kirjoita siinä järjestelmänvalvojan tunnuksia.
warning-device_not_compliant = Tämä laite ei täytä vaatimuksia: { $reasons }. Älä kirjoita siinä järjestelmänvalvojan tunnuksia.
warning-device_compliance_unknown = Ei tiedetä, täyttääkö tämä laite vaatimukset. Älä kirjoita siinä järjestelmänvalvojan tunnuksia.
warning-other = Organisaatiosi on merkinnyt tämän laitteen. Älä kirjoita siinä järjestelmänvalvojan tunnuksia.
full-not-allowed = Täysi hallinta ei ole mahdollista: organisaatiosi käytäntö sallii sinulle vain katselun.
level-limited = Organisaatiosi käytäntö sallii nyt vain katselun.
declined-forbidden = Organisaatiosi käytäntö ei enää salli tätä pyyntöä.
escalation-forbidden = Organisaatiosi käytäntö ei enää salli täyttä hallintaa. Voit yhä katsella.
left-revoked = Organisaatiosi käytäntö ei enää salli tätä tuki-istuntoa.
helper-left-revoked = Organisaatiosi käytäntö ei enää salli tätä tuki-istuntoa.
ended-revoked = Organisaatiosi käytäntö ei enää salli tätä tuki-istuntoa.
agent-ended-revoked = Organisaatiosi käytäntö ei enää salli tätä tuki-istuntoa.
sharer-request-forbidden = Pyyntö peruttiin: organisaatiosi käytäntö ei enää salli sitä.
sharer-level-limited = { $name }: organisaatiosi käytäntö sallii nyt vain katselun.

## Reports page

reports-link = Raportit
reports-page-title = Glass — raportit
reports-heading = Tukiistuntojen raportit
reports-back = Takaisin etätukeen
reports-filter-heading = Suodatin
reports-person-label = Henkilö (nimi tai käyttäjätunnus)
reports-device-label = Laite
reports-from-label = Alkaen
reports-to-label = Asti
reports-show-button = Näytä istunnot
reports-download-csv = Lataa CSV
reports-download-json = Lataa JSON
reports-col-helper = Auttaja
reports-col-sharer = Autettu henkilö
reports-col-start = Alku
reports-col-end = Loppu
reports-col-level = Käyttöoikeus
reports-col-ended = Miten se päättyi
reports-transcript-button = Keskusteluloki
reports-loading = Ladataan istuntoja…
reports-empty = Mikään istunto ei vastaa tätä suodatinta.
reports-forbidden = Et voi katsoa raportteja: organisaatiosi käytäntö ei anna sinulle tätä oikeutta.
reports-signed-out = Kirjaudu sisään katsoaksesi raportteja.
reports-failed = Raportteja ei voitu ladata. Yritä uudelleen.
reports-bad-dates = Tarkista päivämäärät: loppu ei voi olla ennen alkua.
reports-running = Ei päättynyt
reports-level-full = Täysi hallinta
reports-level-view = Vain katselu
reports-level-none = Ei mitään myönnetty
reports-ended-left = Joku poistui
reports-ended-lost = Yhteys katkesi
reports-ended-stopped = Jakaminen lopetettiin
reports-ended-expired = Koodi vanheni
reports-ended-revoked = Käytäntö päätti
reports-ended-other = Päättynyt
reports-transcript-heading = Keskusteluloki
reports-transcript-empty = Tämän istunnon keskusteluun ei kirjoitettu mitään.
reports-transcript-not-kept = Tekstiä ei säilytetty: organisaatiosi ei säilytä keskustelulokeja.
reports-transcript-close = Sulje

## Identity binding

agent-identity-verified = Henkilöllisyys tarkistettu tällä tietokoneella palvelussa { $issuer }
agent-identity-broker = Henkilöllisyyden vahvistaa vain tukipalvelun palvelin
agent-identity-unverified = Henkilöllisyyttä ei voitu vahvistaa
helper-renewing-sign-in = Uusitaan kirjautumista…
helper-identity-not-renewed = Kirjautumista ei voitu uusia tässä selaimessa, joten auttamasi henkilö ei ehkä voi varmistaa, kuka olet. Kirjaudu ulos ja uudelleen sisään.
error-fingerprint_mismatch = Glass lopetti istunnon: yhteys ei tullut selaimesta, jolla auttajasi kirjautui.
error-helper_unverified = Glass ei voinut varmistaa, kuka auttajasi on, joten se ei päästänyt häntä sisään.
error-relay_lost = Yhteys välityspalvelimen kautta katkesi, joten auttajasi ei enää näe näyttöäsi.
