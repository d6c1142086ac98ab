## Both apps

app-name = Glass
language-label = Dil
signin-heading = Oturum aç
username-label = Kullanıcı adı
password-label = Parola
signin-button = Oturum aç
signing-in = Oturum açılıyor…
signin-missing = Kullanıcı adınızı ve parolanızı girin.
signin-failed = Kullanıcı adı veya parola yanlış.
signin-with = { $provider } ile oturum aç
signin-or = veya
signin-provider-failed = Oturum açılamadı. Yeniden deneyin.
server-unreachable = Sunucuya ulaşılamıyor. Bağlantınızı kontrol edip yeniden deneyin.
sign-out-button = Oturumu kapat
signed-in-as = Oturum açan: { $name }
leave-button = Ayrıl
reconnect-button = Yeniden bağlan
link-lost-heading = Bağlantı koptu
link-lost = Sunucuyla bağlantı koptu. Oturum sona erdi.
link-resuming = Sunucuyla bağlantı kesildi. Yeniden bağlanılıyor…
peer-away = { $name } bağlantısını kaybetti — geri dönmesi bekleniyor…
ended-heading = Oturum sona erdi
card-picture =
    .alt = Fotoğraf: { $name }
domain-verified = doğrulandı
domain-unverified = doğrulanmadı
card-vouched-note = ✓ oturum açma sağlayıcısı tarafından doğrulandı

## Chat

chat-heading = Sohbet
chat-log =
    .aria-label = Mesajlar
chat-empty = Henüz mesaj yok.
chat-label = Mesaj
chat-hint = Enter gönderir, Shift+Enter yeni satır açar.
chat-send = Gönder
chat-length = { $count } / { $max }
chat-too-long = Çok uzun: { $count } / { $max }
chat-closed = Sohbet kapandı.
chat-kept = Kuruluşunuz bu sohbetin metnini denetim kaydında saklar.

## Helper app

helper-page-title = Glass — uzaktan yardım
helper-start-heading = Birine yardım edin
helper-start-intro = Bir kod alın ve yardım ettiğiniz kişiye verin.
get-code-button = Kod al
code-heading = Kodunuz
code-where = Bu adresi açıp kodu girmesini isteyin:
copy-button = Kopyala
copied-button = Kopyalandı
code-copied = Kod kopyalandı.
copy-failed = Kopyalanamadı. Kodu sesli okuyun.
cancel-code-button = İptal
code-expires = Kalan süre: { $time }
code-expired-heading = Kodun süresi doldu
new-code-button = Yeni kod al
sharer-heading = Katılan kişi
client-agent = Glass uygulamasını kullanıyor
client-web = Web tarayıcısı kullanıyor
choose-request-message = Ekranını göstermesini isteyin: { $name }.
request-view-button = Yalnızca görüntüleme iste
request-full-button = Tam denetim iste
try-again-view-button = Yeniden dene
full-not-possible = Tam denetim mümkün değil: web tarayıcısı uzaktan denetlenemez. Yalnızca izleyebilirsiniz.
waiting-approval-message = Yanıt bekleniyor: { $name }…
declined-declined = { $name } reddetti.
declined-timeout = { $name } zamanında yanıt vermedi.
declined-not_supported = { $name } bu cihazdan denetim veremez.
escalation-declined = { $name } tam denetimi reddetti. İzlemeye devam edebilirsiniz.
escalation-timeout = { $name } yanıt vermedi. İzlemeye devam edebilirsiniz.
escalation-not_supported = { $name } bu cihazdan denetim veremez.
stage-heading = Paylaşılan ekran
video-label = Ekran: { $name }
keyboard-target =
    .aria-label = Paylaşılan ekran için klavye girişi
level-view = Yalnızca görüntüleme
level-full = Denetim sizde
release-button = Denetimi geri ver
fullscreen-button = Tam ekran
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Ekran
display-all = Tüm ekranlar
agent-screen-legend = Paylaşılacak ekran
# Copy and paste with the sharer (full control only).
clipboard-send-button = Panomu gönder
clipboard-received = Metin kopyalandı ({ $count } karakter).
clipboard-copy-button = Panoma kopyala
clipboard-unavailable = Bu tarayıcı sayfanın panoyu kullanmasına izin vermiyor.
keyboard-lock-unavailable = Bu tarayıcıda Alt+Tab, Windows tuşu ve Escape gibi sistem kısayolları bilgisayarınızda kalır. Chrome ve Edge bunları tam ekranda iletir.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Bu tarayıcı paylaşılan bir ekranı gösteremez veya gönderemez (WebRTC yok). Chrome, Edge, Firefox veya Safari kullanın.
exit-fullscreen-button = Tam ekrandan çık
overlay-connecting = Ekrana bağlanılıyor…
overlay-paused = { $name } paylaşımı duraklattı.
video-failed = Görüntü bağlantısı kurulamadı.
left-left = { $name } oturumdan ayrıldı.
left-lost = Bağlantı koptu: { $name }.
left-stopped = { $name } paylaşımı durdurdu.
left-expired = Oturumun süresi doldu.
ended-self = Oturumdan ayrıldınız.

helper-state-idle = Başlamak için bir kod alın.
helper-state-waiting_sharer = Diğer kişinin kodu girmesi bekleniyor…
helper-state-expired = Kodun süresi doldu.
helper-state-sharer_joined = { $name } katıldı.
helper-state-waiting_approval = Onay bekleniyor: { $name }…
helper-state-declined = { $name } reddetti.
helper-state-connected = Bağlı: { $name }.
helper-state-paused = { $name } paylaşımı duraklattı.
helper-state-sharer_left = { $name } ayrıldı.
helper-state-ended = Oturum sona erdi.

## Sharer app

sharer-page-title = Glass — ekranınızı paylaşın
sharing-page-title = ● Paylaşılıyor — Glass
sharer-code-heading = Yardım alın
code-label = Yardımcınızdan aldığınız kod
code-hint = 8 harf ve rakam, örneğin 4060 R0GX
code-bad-format = Kod 8 harf ve rakamdan oluşur. Kontrol edip yeniden deneyin.
join-button = Katıl
helper-heading = Yardımcınız
joined-message = { $name } artık ekranınızı görmek isteyebilir. Siz izin vermeden hiçbir şey paylaşılmaz.
consent-heading = { $name } ekranınızı görmek istiyor
consent-explainer = İzin verirseniz neyi paylaşacağınızı siz seçersiniz: bir ekran, pencere veya sekme. { $name } görebilir ama denetleyemez.
choosing-message = Tarayıcı penceresinde neyi paylaşacağınızı seçin.
allow-button = İzin ver
decline-button = Reddet
capture-unsupported = Bu tarayıcı ekranı paylaşamıyor.
capture-cancelled = Hiçbir şey paylaşılmadı.
sharing-banner = Ekranınızı görüyor: { $name } (yalnızca görüntüleme)
sharing-banner-paused = Paylaşım duraklatıldı: { $name } ekranınızı görmüyor.
pause-button = Duraklat
resume-button = Sürdür
stop-button = Paylaşımı durdur
preview-heading = Yardımcınızın gördüğü
preview-paused = Duraklatıldı
view-only-note = Yardımcınız paylaştığınızı görür ama denetleyemez.
another-code-button = Başka bir kod gir
ended-stopped = Paylaşımı durdurdunuz.
helper-left-left = { $name } oturumdan ayrıldı.
helper-left-lost = Bağlantı koptu: { $name }.
helper-left-stopped = { $name } oturumu sonlandırdı.
helper-left-expired = Oturumun süresi doldu.

sharer-state-idle = Yardımcınızın verdiği kodu girin.
sharer-state-joining = Kod kontrol ediliyor…
sharer-state-joined = Bağlı: { $name }.
sharer-state-asking = { $name } ekranınızı görmek istiyor.
sharer-state-choosing = Neyi paylaşacağınızı seçin…
sharer-state-sharing = Ekranınızı görüyor: { $name }.
sharer-state-paused = Paylaşım duraklatıldı.
sharer-state-helper_left = { $name } ayrıldı.
sharer-state-ended = Oturum sona erdi.

## Errors from the broker

error-malformed = Sunucu isteği anlamadı.
error-unsupported_version = Bu sayfa güncel değil. Yeniden yükleyin.
error-too_large = Mesaj çok büyük.
error-not_allowed = Bu şu anda mümkün değil.
error-code_invalid = Bu kod geçerli değil. Kontrol edin veya yeni bir kod isteyin.
error-locked_out = Çok fazla yanlış kod. 15 dakika sonra yeniden deneyin.
error-busy = Hizmet yoğun. Bir dakika sonra yeniden deneyin.
error-chat_disabled = Kuruluşunuzda sohbet kapalı.
error-chat_invalid = Bu mesaj gönderilemiyor.
error-rate_limited = Çok fazla deneme. Biraz bekleyip yeniden deneyin.
error-internal = Bir sorun oluştu. Yeniden deneyin.

## Agent approval page

agent-page-title = Glass — paylaşım onayı
agent-no-secret = Bu sayfayı Glass'ın yazdırdığı bağlantıdan açın. Bu şekilde açıldığında hiçbir şey yapamaz.
agent-connecting = Bu bilgisayardaki Glass'a bağlanılıyor…
agent-disconnected = Bu bilgisayardaki Glass durdu. Bu sayfayı kapatabilirsiniz.
agent-joining = Oturuma katılınıyor…
agent-ask-view = { $name } ekranınızı görmek istiyor
agent-ask-full = { $name } ekranınızı görmek ve denetlemek istiyor
agent-explain-view = { $name } tüm ekranınızı görecek ancak farenizi veya klavyenizi kullanamayacak. İstediğiniz zaman duraklatabilir veya durdurabilirsiniz.
agent-explain-full = { $name } farenizi ve klavyenizi kullanabilecek. İstediğiniz zaman denetimi geri alabilir veya durdurabilirsiniz.
agent-time-left = Yanıt için kalan süre: { $seconds } sn
agent-expired = Zamanında yanıt verilmedi: istek reddedildi.
agent-declined = Reddettiniz.
agent-allowed = İzin verdiniz. Başlatılıyor…
agent-banner-view = Paylaşılıyor: { $name } — yalnızca görüntüleme
agent-banner-full = Paylaşılıyor: { $name } — tam denetim
agent-banner-paused = Paylaşılıyor: { $name } — duraklatıldı
agent-takeback-button = Denetimi geri al
agent-action-failed = Glass bunu kabul etmedi. Yeniden deneyin.
agent-close-page = Bu sayfayı kapatabilirsiniz.
agent-ended-left = Oturum sona erdi.
agent-ended-lost = Yardımcınızla bağlantı koptu.
agent-ended-stopped = Paylaşım durdu.
agent-ended-expired = Oturumun süresi doldu.
agent-ended-broker_lost = Sunucuyla bağlantı koptu.
agent-ended-other = Oturum sona erdi.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Kuruluşunuzun ilkesi buna izin vermiyor.
warnings-heading = Bu cihaz hakkında
warning-device_not_enrolled = Bu cihaz kuruluşunuz tarafından kaydedilmemiş. Orada yönetici kimlik bilgilerini yazmaktan kaçının.
warning-device_not_compliant = Bu cihaz uyumlu değil: { $reasons }. Orada yönetici kimlik bilgilerini yazmaktan kaçının.
warning-device_compliance_unknown = Bu cihazın uyumlu olup olmadığı bilinmiyor. Orada yönetici kimlik bilgilerini yazmaktan kaçının.
warning-other = Kuruluşunuz bu cihazı işaretledi. Orada yönetici kimlik bilgilerini yazmaktan kaçının.
full-not-allowed = Tam denetim mümkün değil: kuruluşunuzun ilkesi yalnızca izlemenize izin veriyor.
level-limited = Kuruluşunuzun ilkesi artık yalnızca görüntülemeye izin veriyor.
declined-forbidden = Kuruluşunuzun ilkesi artık bu isteğe izin vermiyor.
escalation-forbidden = Kuruluşunuzun ilkesi artık tam denetime izin vermiyor. İzlemeye devam edebilirsiniz.
left-revoked = Kuruluşunuzun ilkesi artık bu yardım oturumuna izin vermiyor.
helper-left-revoked = Kuruluşunuzun ilkesi artık bu yardım oturumuna izin vermiyor.
ended-revoked = Kuruluşunuzun ilkesi artık bu yardım oturumuna izin vermiyor.
agent-ended-revoked = Kuruluşunuzun ilkesi artık bu yardım oturumuna izin vermiyor.
sharer-request-forbidden = İstek geri çekildi: kuruluşunuzun ilkesi artık buna izin vermiyor.
sharer-level-limited = { $name }: kuruluşunuzun ilkesi artık yalnızca görüntülemeye izin veriyor.

## Reports page

reports-link = Raporlar
reports-page-title = Glass — raporlar
reports-heading = Yardım oturumu raporları
reports-back = Uzaktan yardıma dön
reports-filter-heading = Filtre
reports-person-label = Kişi (ad veya kullanıcı kimliği)
reports-device-label = Cihaz
reports-from-label = Başlangıç tarihi
reports-to-label = Bitiş tarihi
reports-show-button = Oturumları göster
reports-download-csv = CSV indir
reports-download-json = JSON indir
reports-col-helper = Yardım eden
reports-col-sharer = Yardım alan kişi
reports-col-start = Başlangıç
reports-col-end = Bitiş
reports-col-level = Erişim
reports-col-ended = Nasıl sona erdi
reports-transcript-button = Sohbet dökümü
reports-loading = Oturumlar yükleniyor…
reports-empty = Bu filtreye uyan oturum yok.
reports-forbidden = Raporları görüntüleyemezsiniz: kuruluşunuzun politikası size bu izni vermiyor.
reports-signed-out = Raporları görüntülemek için oturum açın.
reports-failed = Raporlar yüklenemedi. Yeniden deneyin.
reports-bad-dates = Tarihleri kontrol edin: bitiş, başlangıçtan önce olamaz.
reports-running = Sona ermedi
reports-level-full = Tam denetim
reports-level-view = Yalnızca görüntüleme
reports-level-none = Hiçbir izin verilmedi
reports-ended-left = Biri ayrıldı
reports-ended-lost = Bağlantı koptu
reports-ended-stopped = Paylaşım durduruldu
reports-ended-expired = Kodun süresi doldu
reports-ended-revoked = Politika tarafından sonlandırıldı
reports-ended-other = Sona erdi
reports-transcript-heading = Sohbet dökümü
reports-transcript-empty = Bu oturumun sohbetine hiçbir şey yazılmadı.
reports-transcript-not-kept = Metin saklanmadı: kuruluşunuz sohbet dökümlerini saklamıyor.
reports-transcript-close = Kapat

## Identity binding

agent-identity-verified = Kimlik bu bilgisayarda { $issuer } ile doğrulandı
agent-identity-broker = Kimliğe yalnızca yardım masası sunucusu kefil oluyor
agent-identity-unverified = Kimlik doğrulanamadı
helper-renewing-sign-in = Oturumunuz yenileniyor…
helper-identity-not-renewed = Oturumunuz bu tarayıcıda yenilenemedi; yardım ettiğiniz kişi kim olduğunuzu doğrulayamayabilir. Oturumu kapatıp yeniden açın.
error-fingerprint_mismatch = Glass oturumu durdurdu: bağlantı, yardımcınızın oturum açtığı tarayıcıdan gelmedi.
error-helper_unverified = Glass yardımcınızın kim olduğunu doğrulayamadı, bu yüzden içeri almadı.
error-relay_lost = Aktarma sunucusu üzerinden bağlantı kesildi; yardımcınız artık ekranınızı göremiyor.
