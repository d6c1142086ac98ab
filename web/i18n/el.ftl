## Both apps

app-name = Glass
language-label = Γλώσσα
signin-heading = Σύνδεση
username-label = Όνομα χρήστη
password-label = Κωδικός πρόσβασης
signin-button = Σύνδεση
signing-in = Γίνεται σύνδεση…
signin-missing = Συμπληρώστε όνομα χρήστη και κωδικό πρόσβασης.
signin-failed = Λάθος όνομα χρήστη ή κωδικός πρόσβασης.
signin-with = Σύνδεση με { $provider }
signin-or = ή
signin-provider-failed = Η σύνδεση δεν ολοκληρώθηκε. Δοκιμάστε ξανά.
server-unreachable = Ο διακομιστής δεν είναι διαθέσιμος. Ελέγξτε τη σύνδεσή σας και δοκιμάστε ξανά.
sign-out-button = Αποσύνδεση
signed-in-as = Συνδεδεμένος/η ως { $name }
leave-button = Αποχώρηση
reconnect-button = Επανασύνδεση
link-lost-heading = Η σύνδεση χάθηκε
link-lost = Η σύνδεση με τον διακομιστή χάθηκε. Η συνεδρία έληξε.
link-resuming = Η σύνδεση με τον διακομιστή διακόπηκε. Γίνεται επανασύνδεση…
peer-away = { $name }: η σύνδεση χάθηκε — αναμονή για επανασύνδεση…
ended-heading = Η συνεδρία έληξε
card-picture =
    .alt = Φωτογραφία: { $name }
domain-verified = επαληθευμένος
domain-unverified = μη επαληθευμένος
card-vouched-note = ✓ επιβεβαιωμένο από τον πάροχο σύνδεσης

## Chat

chat-heading = Συνομιλία
chat-log =
    .aria-label = Μηνύματα
chat-empty = Δεν υπάρχουν μηνύματα ακόμη.
chat-label = Μήνυμα
chat-hint = Το Enter στέλνει, το Shift+Enter αλλάζει γραμμή.
chat-send = Αποστολή
chat-length = { $count } / { $max }
chat-too-long = Πολύ μεγάλο: { $count } / { $max }
chat-closed = Η συνομιλία έκλεισε.
chat-kept = Ο οργανισμός σας διατηρεί το κείμενο αυτής της συνομιλίας στο αρχείο ελέγχου του.

## Helper app

helper-page-title = Glass — απομακρυσμένη βοήθεια
helper-start-heading = Βοηθήστε κάποιον
helper-start-intro = Πάρτε έναν κωδικό και δώστε τον στο άτομο που βοηθάτε.
get-code-button = Λήψη κωδικού
code-heading = Ο κωδικός σας
code-where = Ζητήστε του να ανοίξει αυτή τη διεύθυνση και να πληκτρολογήσει τον κωδικό:
copy-button = Αντιγραφή
copied-button = Αντιγράφηκε
code-copied = Ο κωδικός αντιγράφηκε.
copy-failed = Η αντιγραφή απέτυχε. Διαβάστε τον κωδικό φωναχτά.
cancel-code-button = Ακύρωση
code-expires = Λήγει σε { $time }
code-expired-heading = Ο κωδικός έληξε
new-code-button = Λήψη νέου κωδικού
sharer-heading = Ποιος συνδέθηκε
client-agent = Χρησιμοποιεί την εφαρμογή Glass
client-web = Χρησιμοποιεί πρόγραμμα περιήγησης
choose-request-message = Ζητήστε από τον/την { $name } να σας δείξει την οθόνη.
request-view-button = Αίτημα μόνο προβολής
request-full-button = Αίτημα πλήρους ελέγχου
try-again-view-button = Δοκιμάστε ξανά
full-not-possible = Ο πλήρης έλεγχος δεν είναι δυνατός: ένα πρόγραμμα περιήγησης δεν ελέγχεται από απόσταση. Μπορείτε μόνο να βλέπετε.
waiting-approval-message = Αναμονή απάντησης: { $name }…
declined-declined = { $name }: απόρριψη.
declined-timeout = { $name }: δεν υπήρξε απάντηση εγκαίρως.
declined-not_supported = { $name }: δεν μπορεί να δώσει έλεγχο από αυτή τη συσκευή.
escalation-declined = { $name }: ο πλήρης έλεγχος απορρίφθηκε. Μπορείτε ακόμη να βλέπετε.
escalation-timeout = { $name }: καμία απάντηση. Μπορείτε ακόμη να βλέπετε.
escalation-not_supported = { $name }: δεν μπορεί να δώσει έλεγχο από αυτή τη συσκευή.
stage-heading = Κοινόχρηστη οθόνη
video-label = Οθόνη: { $name }
keyboard-target =
    .aria-label = Πληκτρολόγηση για την κοινόχρηστη οθόνη
level-view = Μόνο προβολή
level-full = Έχετε τον έλεγχο
release-button = Επιστροφή ελέγχου
fullscreen-button = Πλήρης οθόνη
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Οθόνη
display-all = Όλες οι οθόνες
agent-screen-legend = Οθόνη για κοινή χρήση
# Copy and paste with the sharer (full control only).
clipboard-send-button = Αποστολή του προχείρου μου
clipboard-received = Αντέγραψαν κείμενο ({ $count } χαρακτήρες).
clipboard-copy-button = Αντιγραφή στο πρόχειρό μου
clipboard-unavailable = Αυτό το πρόγραμμα περιήγησης δεν επιτρέπει στη σελίδα να χρησιμοποιήσει το πρόχειρο.
keyboard-lock-unavailable = Σε αυτό το πρόγραμμα περιήγησης, οι συντομεύσεις συστήματος όπως Alt+Tab, το πλήκτρο Windows και το Escape μένουν στον υπολογιστή σας. Το Chrome και το Edge τις μεταβιβάζουν σε πλήρη οθόνη.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Αυτό το πρόγραμμα περιήγησης δεν μπορεί να δείξει ή να στείλει κοινόχρηστη οθόνη (δεν έχει WebRTC). Χρησιμοποιήστε Chrome, Edge, Firefox ή Safari.
exit-fullscreen-button = Έξοδος από πλήρη οθόνη
overlay-connecting = Σύνδεση με την οθόνη…
overlay-paused = { $name }: η κοινή χρήση είναι σε παύση.
video-failed = Η σύνδεση βίντεο απέτυχε.
left-left = { $name }: αποχώρηση από τη συνεδρία.
left-lost = Η σύνδεση χάθηκε: { $name }.
left-stopped = { $name }: η κοινή χρήση σταμάτησε.
left-expired = Η συνεδρία έληξε.
ended-self = Αποχωρήσατε από τη συνεδρία.

helper-state-idle = Πάρτε έναν κωδικό για να ξεκινήσετε.
helper-state-waiting_sharer = Αναμονή να πληκτρολογήσει το άλλο άτομο τον κωδικό…
helper-state-expired = Ο κωδικός έληξε.
helper-state-sharer_joined = Συνδέθηκε: { $name }.
helper-state-waiting_approval = Αναμονή έγκρισης: { $name }…
helper-state-declined = { $name }: απόρριψη.
helper-state-connected = Συνδεδεμένοι: { $name }.
helper-state-paused = { $name }: η κοινή χρήση είναι σε παύση.
helper-state-sharer_left = { $name }: αποχώρηση.
helper-state-ended = Η συνεδρία έληξε.

## Sharer app

sharer-page-title = Glass — κοινή χρήση οθόνης
sharing-page-title = ● Κοινή χρήση — Glass
sharer-code-heading = Λάβετε βοήθεια
code-label = Κωδικός από τον βοηθό σας
code-hint = 8 γράμματα και ψηφία, για παράδειγμα 4060 R0GX
code-bad-format = Ένας κωδικός έχει 8 γράμματα και ψηφία. Ελέγξτε τον και δοκιμάστε ξανά.
join-button = Σύνδεση
helper-heading = Ο βοηθός σας
joined-message = { $name }: μπορεί πλέον να ζητήσει να δει την οθόνη σας. Τίποτα δεν κοινοποιείται χωρίς την άδειά σας.
consent-heading = { $name }: ζητά να δει την οθόνη σας
consent-explainer = Αν το επιτρέψετε, διαλέγετε τι θα κοινοποιήσετε: οθόνη, παράθυρο ή καρτέλα. { $name }: θα το βλέπει, αλλά δεν θα μπορεί να το ελέγξει.
choosing-message = Επιλέξτε στο παράθυρο του προγράμματος περιήγησης τι θα κοινοποιήσετε.
allow-button = Να επιτρέπεται
decline-button = Απόρριψη
capture-unsupported = Αυτό το πρόγραμμα περιήγησης δεν μπορεί να κοινοποιήσει την οθόνη.
capture-cancelled = Δεν κοινοποιήθηκε τίποτα.
sharing-banner = Κοινοποιείτε την οθόνη σας σε: { $name } (μόνο προβολή)
sharing-banner-paused = Παύση κοινής χρήσης: { $name } δεν βλέπει την οθόνη σας.
pause-button = Παύση
resume-button = Συνέχεια
stop-button = Διακοπή κοινής χρήσης
preview-heading = Τι βλέπει ο βοηθός σας
preview-paused = Σε παύση
view-only-note = Ο βοηθός σας βλέπει ό,τι κοινοποιείτε, αλλά δεν μπορεί να το ελέγξει.
another-code-button = Άλλος κωδικός
ended-stopped = Διακόψατε την κοινή χρήση.
helper-left-left = { $name }: αποχώρηση από τη συνεδρία.
helper-left-lost = Η σύνδεση χάθηκε: { $name }.
helper-left-stopped = { $name }: τερματισμός της συνεδρίας.
helper-left-expired = Η συνεδρία έληξε.

sharer-state-idle = Πληκτρολογήστε τον κωδικό που σας έδωσε ο βοηθός σας.
sharer-state-joining = Έλεγχος κωδικού…
sharer-state-joined = Συνδεδεμένοι: { $name }.
sharer-state-asking = { $name }: ζητά να δει την οθόνη σας.
sharer-state-choosing = Επιλέξτε τι θα κοινοποιήσετε…
sharer-state-sharing = Κοινοποιείτε την οθόνη σας σε: { $name }.
sharer-state-paused = Η κοινή χρήση είναι σε παύση.
sharer-state-helper_left = { $name }: αποχώρηση.
sharer-state-ended = Η συνεδρία έληξε.

## Errors from the broker

error-malformed = Ο διακομιστής δεν κατάλαβε το αίτημα.
error-unsupported_version = Η σελίδα δεν είναι ενημερωμένη. Φορτώστε την ξανά.
error-too_large = Το μήνυμα είναι πολύ μεγάλο.
error-not_allowed = Αυτό δεν είναι δυνατό αυτή τη στιγμή.
error-code_invalid = Ο κωδικός δεν είναι έγκυρος. Ελέγξτε τον ή ζητήστε νέο.
error-locked_out = Πάρα πολλοί λάθος κωδικοί. Δοκιμάστε ξανά σε 15 λεπτά.
error-busy = Η υπηρεσία είναι απασχολημένη. Δοκιμάστε ξανά σε ένα λεπτό.
error-chat_disabled = Η συνομιλία είναι απενεργοποιημένη στον οργανισμό σας.
error-chat_invalid = Αυτό το μήνυμα δεν μπορεί να σταλεί.
error-rate_limited = Πάρα πολλές προσπάθειες. Περιμένετε λίγο και δοκιμάστε ξανά.
error-internal = Κάτι πήγε στραβά. Δοκιμάστε ξανά.

## Agent approval page

agent-page-title = Glass — έγκριση κοινής χρήσης
agent-no-secret = Ανοίξτε αυτήν τη σελίδα από τον σύνδεσμο που εμφάνισε το Glass. Ανοιγμένη έτσι, δεν μπορεί να κάνει τίποτα.
agent-connecting = Σύνδεση με το Glass σε αυτόν τον υπολογιστή…
agent-disconnected = Το Glass σε αυτόν τον υπολογιστή σταμάτησε. Μπορείτε να κλείσετε αυτήν τη σελίδα.
agent-joining = Σύνδεση στη συνεδρία…
agent-ask-view = { $name }: ζητά να δει την οθόνη σας
agent-ask-full = { $name }: ζητά να δει και να ελέγξει την οθόνη σας
agent-explain-view = { $name }: θα βλέπει όλη την οθόνη σας, αλλά δεν θα μπορεί να χρησιμοποιήσει το ποντίκι ή το πληκτρολόγιό σας. Μπορείτε να κάνετε παύση ή διακοπή οποιαδήποτε στιγμή.
agent-explain-full = { $name }: θα μπορεί να χρησιμοποιεί το ποντίκι και το πληκτρολόγιό σας. Μπορείτε να πάρετε πίσω τον έλεγχο ή να σταματήσετε οποιαδήποτε στιγμή.
agent-time-left = Χρόνος που απομένει για απάντηση: { $seconds } δευτ.
agent-expired = Καμία απάντηση εγκαίρως: το αίτημα απορρίφθηκε.
agent-declined = Απορρίψατε.
agent-allowed = Το επιτρέψατε. Έναρξη…
agent-banner-view = Κοινή χρήση με: { $name } — μόνο προβολή
agent-banner-full = Κοινή χρήση με: { $name } — πλήρης έλεγχος
agent-banner-paused = Κοινή χρήση με: { $name } — σε παύση
agent-takeback-button = Ανάκτηση ελέγχου
agent-action-failed = Το Glass δεν το δέχτηκε. Δοκιμάστε ξανά.
agent-close-page = Μπορείτε να κλείσετε αυτήν τη σελίδα.
agent-ended-left = Η συνεδρία έληξε.
agent-ended-lost = Η σύνδεση με τον βοηθό σας χάθηκε.
agent-ended-stopped = Η κοινή χρήση σταμάτησε.
agent-ended-expired = Η συνεδρία έληξε λόγω χρόνου.
agent-ended-broker_lost = Η σύνδεση με τον διακομιστή χάθηκε.
agent-ended-other = Η συνεδρία έληξε.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = Η πολιτική του οργανισμού σας δεν το επιτρέπει.
warnings-heading = Σχετικά με αυτή τη συσκευή
warning-device_not_enrolled = Αυτή η συσκευή δεν είναι εγγεγραμμένη από τον οργανισμό σας. Μην πληκτρολογείτε εκεί διαπιστευτήρια διαχειριστή.
warning-device_not_compliant = Αυτή η συσκευή δεν είναι συμμορφωμένη: { $reasons }. Μην πληκτρολογείτε εκεί διαπιστευτήρια διαχειριστή.
warning-device_compliance_unknown = Δεν είναι γνωστό αν αυτή η συσκευή είναι συμμορφωμένη. Μην πληκτρολογείτε εκεί διαπιστευτήρια διαχειριστή.
warning-other = Ο οργανισμός σας έχει επισημάνει αυτή τη συσκευή. Μην πληκτρολογείτε εκεί διαπιστευτήρια διαχειριστή.
full-not-allowed = Ο πλήρης έλεγχος δεν είναι δυνατός: η πολιτική του οργανισμού σας σάς επιτρέπει μόνο προβολή.
level-limited = Η πολιτική του οργανισμού σας επιτρέπει πλέον μόνο προβολή.
declined-forbidden = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον αυτό το αίτημα.
escalation-forbidden = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον πλήρη έλεγχο. Μπορείτε ακόμη να βλέπετε.
left-revoked = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον αυτή τη συνεδρία βοήθειας.
helper-left-revoked = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον αυτή τη συνεδρία βοήθειας.
ended-revoked = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον αυτή τη συνεδρία βοήθειας.
agent-ended-revoked = Η πολιτική του οργανισμού σας δεν επιτρέπει πλέον αυτή τη συνεδρία βοήθειας.
sharer-request-forbidden = Το αίτημα αποσύρθηκε: η πολιτική του οργανισμού σας δεν το επιτρέπει πλέον.
sharer-level-limited = { $name }: η πολιτική του οργανισμού σας επιτρέπει πλέον μόνο προβολή.

## Reports page

reports-link = Αναφορές
reports-page-title = Glass — αναφορές
reports-heading = Αναφορές συνεδριών βοήθειας
reports-back = Επιστροφή στην απομακρυσμένη βοήθεια
reports-filter-heading = Φίλτρο
reports-person-label = Άτομο (όνομα ή ID χρήστη)
reports-device-label = Συσκευή
reports-from-label = Από
reports-to-label = Έως
reports-show-button = Εμφάνιση συνεδριών
reports-download-csv = Λήψη CSV
reports-download-json = Λήψη JSON
reports-col-helper = Βοηθός
reports-col-sharer = Άτομο που βοηθήθηκε
reports-col-start = Έναρξη
reports-col-end = Λήξη
reports-col-level = Πρόσβαση
reports-col-ended = Πώς έληξε
reports-transcript-button = Απομαγνητοφώνηση
reports-loading = Φόρτωση συνεδριών…
reports-empty = Καμία συνεδρία δεν ταιριάζει με αυτό το φίλτρο.
reports-forbidden = Δεν μπορείτε να δείτε αναφορές: η πολιτική του οργανισμού σας δεν σας δίνει αυτή την άδεια.
reports-signed-out = Συνδεθείτε για να δείτε αναφορές.
reports-failed = Δεν ήταν δυνατή η φόρτωση των αναφορών. Δοκιμάστε ξανά.
reports-bad-dates = Ελέγξτε τις ημερομηνίες: η λήξη δεν μπορεί να είναι πριν από την έναρξη.
reports-running = Δεν έληξε
reports-level-full = Πλήρης έλεγχος
reports-level-view = Μόνο προβολή
reports-level-none = Τίποτα δεν παραχωρήθηκε
reports-ended-left = Κάποιος αποχώρησε
reports-ended-lost = Η σύνδεση χάθηκε
reports-ended-stopped = Η κοινή χρήση σταμάτησε
reports-ended-expired = Ο κωδικός έληξε
reports-ended-revoked = Τερματίστηκε από την πολιτική
reports-ended-other = Έληξε
reports-transcript-heading = Αρχείο συνομιλίας
reports-transcript-empty = Δεν γράφτηκε τίποτα στη συνομιλία αυτής της συνεδρίας.
reports-transcript-not-kept = Το κείμενο δεν διατηρείται: ο οργανισμός σας δεν κρατά αρχεία συνομιλιών.
reports-transcript-close = Κλείσιμο

## Identity binding

agent-identity-verified = Η ταυτότητα ελέγχθηκε σε αυτόν τον υπολογιστή μέσω { $issuer }
agent-identity-broker = Την ταυτότητα εγγυάται μόνο ο διακομιστής της υποστήριξης
agent-identity-unverified = Δεν ήταν δυνατή η επαλήθευση της ταυτότητας
helper-renewing-sign-in = Ανανέωση της σύνδεσής σας…
helper-identity-not-renewed = Δεν ήταν δυνατή η ανανέωση της σύνδεσής σας σε αυτό το πρόγραμμα περιήγησης, οπότε το άτομο που βοηθάτε ίσως δεν μπορεί να επιβεβαιώσει ποιος είστε. Αποσυνδεθείτε και συνδεθείτε ξανά.
error-fingerprint_mismatch = Το Glass σταμάτησε τη συνεδρία: η σύνδεση δεν προήλθε από το πρόγραμμα περιήγησης με το οποίο συνδέθηκε ο βοηθός σας.
error-helper_unverified = Το Glass δεν μπόρεσε να επιβεβαιώσει ποιος είναι ο βοηθός σας, γι’ αυτό δεν του επέτρεψε την είσοδο.
error-relay_lost = Η σύνδεση μέσω του διακομιστή αναμετάδοσης χάθηκε και ο βοηθός σας δεν βλέπει πλέον την οθόνη σας.
