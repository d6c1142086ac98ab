## Both apps

app-name = Glass
language-label = Langue
signin-heading = Connexion
username-label = Nom d’utilisateur
password-label = Mot de passe
signin-button = Se connecter
signing-in = Connexion…
signin-missing = Saisissez votre nom d’utilisateur et votre mot de passe.
signin-failed = Nom d’utilisateur ou mot de passe incorrect.
signin-with = Se connecter avec { $provider }
signin-or = ou
signin-provider-failed = La connexion a échoué. Réessayez.
server-unreachable = Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.
sign-out-button = Se déconnecter
signed-in-as = Connecté en tant que { $name }
leave-button = Quitter
reconnect-button = Se reconnecter
link-lost-heading = Connexion perdue
link-lost = La connexion au serveur a été perdue. La session est terminée.
link-resuming = La connexion au serveur a été interrompue. Reconnexion…
peer-away = { $name } a perdu la connexion — en attente de son retour…
ended-heading = Session terminée
card-picture =
    .alt = Photo de { $name }
domain-verified = vérifié
domain-unverified = non vérifié
card-vouched-note = ✓ confirmé par le fournisseur de connexion

## Chat

chat-heading = Discussion
chat-log =
    .aria-label = Messages
chat-empty = Aucun message pour l’instant.
chat-label = Message
chat-hint = Entrée envoie, Maj+Entrée ajoute une ligne.
chat-send = Envoyer
chat-length = { $count } / { $max }
chat-too-long = Trop long : { $count } / { $max }
chat-closed = La discussion est fermée.
chat-kept = Votre organisation conserve le texte de cette discussion dans son journal d’audit.

## Helper app

helper-page-title = Glass — assistance à distance
helper-start-heading = Aider quelqu’un
helper-start-intro = Obtenez un code et donnez-le à la personne que vous aidez.
get-code-button = Obtenir un code
code-heading = Votre code
code-where = Demandez-lui d’ouvrir cette adresse et de saisir le code :
copy-button = Copier
copied-button = Copié
code-copied = Le code est copié.
copy-failed = Copie impossible. Lisez le code à voix haute.
cancel-code-button = Annuler
code-expires = Expire dans { $time }
code-expired-heading = Code expiré
new-code-button = Obtenir un nouveau code
sharer-heading = Personne connectée
client-agent = Utilise l’application Glass
client-web = Utilise un navigateur web
choose-request-message = Demandez à { $name } de vous laisser voir son écran.
request-view-button = Demander l’affichage seul
request-full-button = Demander le contrôle total
try-again-view-button = Réessayer
full-not-possible = Le contrôle total est impossible : un navigateur web ne peut pas être piloté à distance. Vous pouvez seulement regarder.
waiting-approval-message = En attente de la réponse de { $name }…
declined-declined = { $name } a refusé.
declined-timeout = { $name } n’a pas répondu à temps.
declined-not_supported = { $name } ne peut pas donner le contrôle depuis cet appareil.
escalation-declined = { $name } a refusé le contrôle total. Vous pouvez toujours regarder.
escalation-timeout = { $name } n’a pas répondu. Vous pouvez toujours regarder.
escalation-not_supported = { $name } ne peut pas donner le contrôle depuis cet appareil.
stage-heading = Écran partagé
video-label = Écran de { $name }
keyboard-target =
    .aria-label = Saisie clavier pour l’écran partagé
level-view = Affichage seul
level-full = Vous avez le contrôle
release-button = Rendre le contrôle
fullscreen-button = Plein écran
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Écran
display-all = Tous les écrans
agent-screen-legend = Écran à partager
# Copy and paste with the sharer (full control only).
clipboard-send-button = Envoyer mon presse-papiers
clipboard-received = Du texte a été copié ({ $count } caractères).
clipboard-copy-button = Copier dans mon presse-papiers
clipboard-unavailable = Ce navigateur ne permet pas à la page d’utiliser le presse-papiers.
keyboard-lock-unavailable = Dans ce navigateur, les raccourcis système comme Alt+Tab, la touche Windows et Échap restent sur votre ordinateur. Chrome et Edge les transmettent en plein écran.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Ce navigateur ne peut ni afficher ni envoyer un écran partagé (il n’a pas WebRTC). Utilisez Chrome, Edge, Firefox ou Safari.
exit-fullscreen-button = Quitter le plein écran
overlay-connecting = Connexion à l’écran…
overlay-paused = { $name } a mis le partage en pause.
video-failed = La connexion vidéo a échoué.
left-left = { $name } a quitté la session.
left-lost = La connexion avec { $name } a été perdue.
left-stopped = { $name } a arrêté le partage.
left-expired = La session a expiré.
ended-self = Vous avez quitté la session.

helper-state-idle = Obtenez un code pour commencer.
helper-state-waiting_sharer = En attente de la saisie du code par l’autre personne…
helper-state-expired = Le code a expiré.
helper-state-sharer_joined = { $name } a rejoint la session.
helper-state-waiting_approval = En attente de l’accord de { $name }…
helper-state-declined = { $name } a refusé.
helper-state-connected = Connecté à { $name }.
helper-state-paused = { $name } a mis le partage en pause.
helper-state-sharer_left = { $name } est parti.
helper-state-ended = La session est terminée.

## Sharer app

sharer-page-title = Glass — partager votre écran
sharing-page-title = ● Partage en cours — Glass
sharer-code-heading = Obtenir de l’aide
code-label = Code donné par votre assistant
code-hint = 8 lettres et chiffres, par exemple 4060 R0GX
code-bad-format = Un code compte 8 lettres et chiffres. Vérifiez-le et réessayez.
join-button = Rejoindre
helper-heading = Votre assistant
joined-message = { $name } peut maintenant demander à voir votre écran. Rien n’est partagé sans votre accord.
consent-heading = { $name } veut voir votre écran
consent-explainer = Si vous acceptez, vous choisissez ce que vous partagez : un écran, une fenêtre ou un onglet. { $name } peut le voir mais pas le contrôler.
choosing-message = Choisissez ce que vous partagez dans la fenêtre du navigateur.
allow-button = Autoriser
decline-button = Refuser
capture-unsupported = Ce navigateur ne peut pas partager l’écran.
capture-cancelled = Rien n’a été partagé.
sharing-banner = Vous partagez votre écran avec { $name } (affichage seul)
sharing-banner-paused = Partage en pause : { $name } ne voit pas votre écran.
pause-button = Pause
resume-button = Reprendre
stop-button = Arrêter le partage
preview-heading = Ce que voit votre assistant
preview-paused = En pause
view-only-note = Votre assistant voit ce que vous partagez mais ne peut pas le contrôler.
another-code-button = Saisir un autre code
ended-stopped = Vous avez arrêté le partage.
helper-left-left = { $name } a quitté la session.
helper-left-lost = La connexion avec { $name } a été perdue.
helper-left-stopped = { $name } a mis fin à la session.
helper-left-expired = La session a expiré.

sharer-state-idle = Saisissez le code donné par votre assistant.
sharer-state-joining = Vérification du code…
sharer-state-joined = Connecté à { $name }.
sharer-state-asking = { $name } demande à voir votre écran.
sharer-state-choosing = Choisissez ce que vous partagez…
sharer-state-sharing = Votre écran est partagé avec { $name }.
sharer-state-paused = Partage en pause.
sharer-state-helper_left = { $name } est parti.
sharer-state-ended = La session est terminée.

## Errors from the broker

error-malformed = Le serveur n’a pas compris la demande.
error-unsupported_version = Cette page n’est plus à jour. Rechargez-la.
error-too_large = Le message est trop long.
error-not_allowed = Ce n’est pas possible pour le moment.
error-code_invalid = Ce code n’est pas valide. Vérifiez-le ou demandez-en un nouveau.
error-locked_out = Trop de codes erronés. Réessayez dans 15 minutes.
error-busy = Le service est saturé. Réessayez dans une minute.
error-chat_disabled = La discussion est désactivée pour votre organisation.
error-chat_invalid = Ce message ne peut pas être envoyé.
error-rate_limited = Trop de tentatives. Patientez un instant et réessayez.
error-internal = Une erreur s’est produite. Réessayez.

## Agent approval page

agent-page-title = Glass — autorisation du partage
agent-no-secret = Ouvrez cette page depuis le lien affiché par Glass. Ouverte ainsi, elle ne peut rien faire.
agent-connecting = Connexion à Glass sur cet ordinateur…
agent-disconnected = Glass s’est arrêté sur cet ordinateur. Vous pouvez fermer cette page.
agent-joining = Connexion à la session…
agent-ask-view = { $name } demande à voir votre écran
agent-ask-full = { $name } demande à voir et contrôler votre écran
agent-explain-view = { $name } verra tout votre écran mais ne pourra pas utiliser votre souris ni votre clavier. Vous pouvez mettre en pause ou arrêter à tout moment.
agent-explain-full = { $name } pourra utiliser votre souris et votre clavier. Vous pouvez reprendre le contrôle ou arrêter à tout moment.
agent-time-left = Temps restant pour répondre : { $seconds } s
agent-expired = Pas de réponse à temps : la demande a été refusée.
agent-declined = Vous avez refusé.
agent-allowed = Vous avez autorisé. Démarrage…
agent-banner-view = Partage avec { $name } — affichage seul
agent-banner-full = Partage avec { $name } — contrôle total
agent-banner-paused = Partage avec { $name } — en pause
agent-takeback-button = Reprendre le contrôle
agent-action-failed = Glass n’a pas accepté. Réessayez.
agent-close-page = Vous pouvez fermer cette page.
agent-ended-left = La session est terminée.
agent-ended-lost = La connexion avec votre assistant a été perdue.
agent-ended-stopped = Le partage est arrêté.
agent-ended-expired = La session a expiré.
agent-ended-broker_lost = La connexion au serveur a été perdue.
agent-ended-other = La session est terminée.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = La politique de votre organisation ne le permet pas.
warnings-heading = À propos de cet appareil
warning-device_not_enrolled = Cet appareil n’est pas inscrit par votre organisation. Évitez d’y saisir des identifiants d’administrateur.
warning-device_not_compliant = Cet appareil n’est pas conforme : { $reasons }. Évitez d’y saisir des identifiants d’administrateur.
warning-device_compliance_unknown = On ne sait pas si cet appareil est conforme. Évitez d’y saisir des identifiants d’administrateur.
warning-other = Votre organisation a signalé cet appareil. Évitez d’y saisir des identifiants d’administrateur.
full-not-allowed = Le contrôle total est impossible : la politique de votre organisation vous permet seulement de regarder.
level-limited = La politique de votre organisation ne permet désormais que l’affichage.
declined-forbidden = La politique de votre organisation ne permet plus cette demande.
escalation-forbidden = La politique de votre organisation ne permet plus le contrôle total. Vous pouvez toujours regarder.
left-revoked = La politique de votre organisation ne permet plus cette session d’aide.
helper-left-revoked = La politique de votre organisation ne permet plus cette session d’aide.
ended-revoked = La politique de votre organisation ne permet plus cette session d’aide.
agent-ended-revoked = La politique de votre organisation ne permet plus cette session d’aide.
sharer-request-forbidden = La demande a été retirée : la politique de votre organisation ne la permet plus.
sharer-level-limited = La politique de votre organisation ne permet désormais à { $name } que de regarder.

## Reports page

reports-link = Rapports
reports-page-title = Glass — rapports
reports-heading = Rapports des sessions d'aide
reports-back = Retour à l'aide à distance
reports-filter-heading = Filtre
reports-person-label = Personne (nom ou identifiant)
reports-device-label = Appareil
reports-from-label = Du
reports-to-label = Au
reports-show-button = Afficher les sessions
reports-download-csv = Télécharger en CSV
reports-download-json = Télécharger en JSON
reports-col-helper = Assistant
reports-col-sharer = Personne aidée
reports-col-start = Début
reports-col-end = Fin
reports-col-level = Accès
reports-col-ended = Comment elle s'est terminée
reports-transcript-button = Transcription
reports-loading = Chargement des sessions…
reports-empty = Aucune session ne correspond à ce filtre.
reports-forbidden = Vous ne pouvez pas consulter les rapports : la politique de votre organisation ne vous accorde pas cette autorisation.
reports-signed-out = Connectez-vous pour consulter les rapports.
reports-failed = Les rapports n'ont pas pu être chargés. Réessayez.
reports-bad-dates = Vérifiez les dates : la fin ne peut pas précéder le début.
reports-running = Non terminée
reports-level-full = Contrôle total
reports-level-view = Affichage seul
reports-level-none = Rien d'accordé
reports-ended-left = Quelqu'un est parti
reports-ended-lost = Connexion perdue
reports-ended-stopped = Partage arrêté
reports-ended-expired = Code expiré
reports-ended-revoked = Terminée par la politique
reports-ended-other = Terminée
reports-transcript-heading = Transcription du chat
reports-transcript-empty = Rien n'a été écrit dans le chat de cette session.
reports-transcript-not-kept = Texte non conservé : votre organisation ne conserve pas les transcriptions de chat.
reports-transcript-close = Fermer

## Identity binding

agent-identity-verified = Identité vérifiée sur cet ordinateur auprès de { $issuer }
agent-identity-broker = Identité garantie uniquement par le serveur du service d’assistance
agent-identity-unverified = L’identité n’a pas pu être vérifiée
helper-renewing-sign-in = Renouvellement de votre connexion…
helper-identity-not-renewed = Votre connexion n’a pas pu être renouvelée dans ce navigateur : la personne que vous aidez risque de ne pas pouvoir confirmer qui vous êtes. Déconnectez-vous, puis reconnectez-vous.
error-fingerprint_mismatch = Glass a arrêté la session : la connexion ne venait pas du navigateur avec lequel votre assistant s’est connecté.
error-helper_unverified = Glass n’a pas pu confirmer l’identité de votre assistant et ne l’a donc pas laissé entrer.
error-relay_lost = La connexion via le serveur relais a été perdue ; votre assistant ne voit plus votre écran.
