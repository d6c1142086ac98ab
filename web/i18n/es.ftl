## Both apps

app-name = Glass
language-label = Idioma
signin-heading = Iniciar sesión
username-label = Usuario
password-label = Contraseña
signin-button = Iniciar sesión
signing-in = Iniciando sesión…
signin-missing = Escribe tu usuario y tu contraseña.
signin-failed = Usuario o contraseña incorrectos.
signin-with = Iniciar sesión con { $provider }
signin-or = o
signin-provider-failed = No se pudo iniciar sesión. Inténtalo de nuevo.
server-unreachable = No se puede conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.
sign-out-button = Cerrar sesión
signed-in-as = Sesión iniciada como { $name }
leave-button = Salir
reconnect-button = Volver a conectar
link-lost-heading = Conexión perdida
link-lost = Se perdió la conexión con el servidor. La sesión ha terminado.
link-resuming = Se interrumpió la conexión con el servidor. Reconectando…
peer-away = { $name } perdió la conexión. Esperando a que vuelva…
ended-heading = Sesión terminada
card-picture =
    .alt = Foto de { $name }
domain-verified = verificado
domain-unverified = sin verificar
card-vouched-note = ✓ confirmado por el proveedor de inicio de sesión

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Mensajes
chat-empty = Aún no hay mensajes.
chat-label = Mensaje
chat-hint = Intro envía, Mayús+Intro añade una línea.
chat-send = Enviar
chat-length = { $count } / { $max }
chat-too-long = Demasiado largo: { $count } / { $max }
chat-closed = El chat está cerrado.
chat-kept = Su organización conserva el texto de este chat en su registro de auditoría.

## Helper app

helper-page-title = Glass — ayuda remota
helper-start-heading = Ayudar a alguien
helper-start-intro = Obtén un código y dáselo a la persona a la que ayudas.
get-code-button = Obtener un código
code-heading = Tu código
code-where = Pídele que abra esta dirección e introduzca el código:
copy-button = Copiar
copied-button = Copiado
code-copied = Código copiado.
copy-failed = No se pudo copiar. Léele el código.
cancel-code-button = Cancelar
code-expires = Caduca en { $time }
code-expired-heading = Código caducado
new-code-button = Obtener un código nuevo
sharer-heading = Quién se ha unido
client-agent = Usa la aplicación Glass
client-web = Usa un navegador web
choose-request-message = Pide a { $name } que te deje ver su pantalla.
request-view-button = Pedir solo ver
request-full-button = Pedir control total
try-again-view-button = Intentar de nuevo
full-not-possible = El control total no es posible: un navegador web no se puede controlar a distancia. Solo puedes ver.
waiting-approval-message = Esperando la respuesta de { $name }…
declined-declined = { $name } lo ha rechazado.
declined-timeout = { $name } no respondió a tiempo.
declined-not_supported = { $name } no puede dar el control desde este dispositivo.
escalation-declined = { $name } rechazó el control total. Puedes seguir viendo.
escalation-timeout = { $name } no respondió. Puedes seguir viendo.
escalation-not_supported = { $name } no puede dar el control desde este dispositivo.
stage-heading = Pantalla compartida
video-label = Pantalla de { $name }
keyboard-target =
    .aria-label = Entrada de teclado para la pantalla compartida
level-view = Solo ver
level-full = Tienes el control
release-button = Devolver el control
fullscreen-button = Pantalla completa
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Pantalla
display-all = Todas las pantallas
agent-screen-legend = Pantalla que se comparte
# Copy and paste with the sharer (full control only).
clipboard-send-button = Enviar mi portapapeles
clipboard-received = Han copiado texto ({ $count } caracteres).
clipboard-copy-button = Copiar a mi portapapeles
clipboard-unavailable = Este navegador no deja que la página use el portapapeles.
keyboard-lock-unavailable = En este navegador, los atajos del sistema como Alt+Tab, la tecla Windows y Escape se quedan en su equipo. Chrome y Edge los transmiten en pantalla completa.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Este navegador no puede mostrar ni enviar una pantalla compartida (no tiene WebRTC). Use Chrome, Edge, Firefox o Safari.
exit-fullscreen-button = Salir de pantalla completa
overlay-connecting = Conectando con la pantalla…
overlay-paused = { $name } ha pausado la pantalla compartida.
video-failed = Falló la conexión de vídeo.
left-left = { $name } salió de la sesión.
left-lost = Se perdió la conexión con { $name }.
left-stopped = { $name } dejó de compartir.
left-expired = La sesión caducó.
ended-self = Has salido de la sesión.

helper-state-idle = Obtén un código para empezar.
helper-state-waiting_sharer = Esperando a que la otra persona introduzca el código…
helper-state-expired = El código ha caducado.
helper-state-sharer_joined = { $name } se ha unido.
helper-state-waiting_approval = Esperando la aprobación de { $name }…
helper-state-declined = { $name } lo ha rechazado.
helper-state-connected = Conectado con { $name }.
helper-state-paused = { $name } ha pausado la pantalla compartida.
helper-state-sharer_left = { $name } se ha ido.
helper-state-ended = La sesión ha terminado.

## Sharer app

sharer-page-title = Glass — compartir tu pantalla
sharing-page-title = ● Compartiendo — Glass
sharer-code-heading = Recibir ayuda
code-label = Código de quien te ayuda
code-hint = 8 letras y números, por ejemplo 4060 R0GX
code-bad-format = Un código tiene 8 letras y números. Revísalo e inténtalo de nuevo.
join-button = Unirse
helper-heading = Quien te ayuda
joined-message = { $name } ya puede pedir ver tu pantalla. No se comparte nada hasta que lo permitas.
consent-heading = { $name } quiere ver tu pantalla
consent-explainer = Si lo permites, eliges qué compartir: una pantalla, una ventana o una pestaña. { $name } podrá verlo pero no controlarlo.
choosing-message = Elige qué compartir en la ventana del navegador.
allow-button = Permitir
decline-button = Rechazar
capture-unsupported = Este navegador no puede compartir la pantalla.
capture-cancelled = No se ha compartido nada.
sharing-banner = Estás compartiendo tu pantalla con { $name } (solo ver)
sharing-banner-paused = En pausa: { $name } no ve tu pantalla.
pause-button = Pausar
resume-button = Reanudar
stop-button = Dejar de compartir
preview-heading = Lo que ve quien te ayuda
preview-paused = En pausa
view-only-note = Quien te ayuda ve lo que compartes, pero no puede controlarlo.
another-code-button = Introducir otro código
ended-stopped = Has dejado de compartir.
helper-left-left = { $name } salió de la sesión.
helper-left-lost = Se perdió la conexión con { $name }.
helper-left-stopped = { $name } terminó la sesión.
helper-left-expired = La sesión caducó.

sharer-state-idle = Introduce el código que te dio quien te ayuda.
sharer-state-joining = Comprobando el código…
sharer-state-joined = Conectado con { $name }.
sharer-state-asking = { $name } pide ver tu pantalla.
sharer-state-choosing = Elige qué compartir…
sharer-state-sharing = Compartiendo tu pantalla con { $name }.
sharer-state-paused = Pantalla compartida en pausa.
sharer-state-helper_left = { $name } se ha ido.
sharer-state-ended = La sesión ha terminado.

## Errors from the broker

error-malformed = El servidor no entendió la solicitud.
error-unsupported_version = Esta página está desactualizada. Vuelve a cargarla.
error-too_large = El mensaje es demasiado grande.
error-not_allowed = Eso no es posible ahora.
error-code_invalid = Este código no es válido. Revísalo o pide uno nuevo.
error-locked_out = Demasiados códigos incorrectos. Inténtalo de nuevo en 15 minutos.
error-busy = El servicio está ocupado. Inténtalo de nuevo en un minuto.
error-chat_disabled = El chat está desactivado en tu organización.
error-chat_invalid = Este mensaje no se puede enviar.
error-rate_limited = Demasiados intentos. Espera un momento e inténtalo de nuevo.
error-internal = Algo salió mal. Inténtalo de nuevo.

## Agent approval page

agent-page-title = Glass — aprobar el uso compartido
agent-no-secret = Abre esta página desde el enlace que mostró Glass. Abierta así, no puede hacer nada.
agent-connecting = Conectando con Glass en este equipo…
agent-disconnected = Glass se ha detenido en este equipo. Puedes cerrar esta página.
agent-joining = Uniéndose a la sesión…
agent-ask-view = { $name } pide ver tu pantalla
agent-ask-full = { $name } pide ver y controlar tu pantalla
agent-explain-view = { $name } verá toda tu pantalla, pero no podrá usar tu ratón ni tu teclado. Puedes pausar o detener en cualquier momento.
agent-explain-full = { $name } podrá usar tu ratón y tu teclado. Puedes recuperar el control o detener en cualquier momento.
agent-time-left = Tiempo para responder: { $seconds } s
agent-expired = No hubo respuesta a tiempo: la solicitud se rechazó.
agent-declined = Has rechazado.
agent-allowed = Lo has permitido. Iniciando…
agent-banner-view = Compartiendo con { $name } — solo ver
agent-banner-full = Compartiendo con { $name } — control total
agent-banner-paused = Compartiendo con { $name } — en pausa
agent-takeback-button = Recuperar el control
agent-action-failed = Glass no lo aceptó. Inténtalo de nuevo.
agent-close-page = Puedes cerrar esta página.
agent-ended-left = La sesión ha terminado.
agent-ended-lost = Se perdió la conexión con quien te ayuda.
agent-ended-stopped = Se ha dejado de compartir.
agent-ended-expired = La sesión ha caducado.
agent-ended-broker_lost = Se perdió la conexión con el servidor.
agent-ended-other = La sesión ha terminado.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = La política de tu organización no lo permite.
warnings-heading = Sobre este dispositivo
warning-device_not_enrolled = Este dispositivo no está inscrito en tu organización. Evita escribir credenciales de administrador en él.
warning-device_not_compliant = Este dispositivo no cumple las normas: { $reasons }. Evita escribir credenciales de administrador en él.
warning-device_compliance_unknown = No se sabe si este dispositivo cumple las normas. Evita escribir credenciales de administrador en él.
warning-other = Tu organización ha marcado este dispositivo. Evita escribir credenciales de administrador en él.
full-not-allowed = El control total no es posible: la política de tu organización solo te permite ver.
level-limited = La política de tu organización ahora solo permite ver.
declined-forbidden = La política de tu organización ya no permite esta solicitud.
escalation-forbidden = La política de tu organización ya no permite el control total. Puedes seguir viendo.
left-revoked = La política de tu organización ya no permite esta sesión de ayuda.
helper-left-revoked = La política de tu organización ya no permite esta sesión de ayuda.
ended-revoked = La política de tu organización ya no permite esta sesión de ayuda.
agent-ended-revoked = La política de tu organización ya no permite esta sesión de ayuda.
sharer-request-forbidden = La solicitud se retiró: la política de tu organización ya no la permite.
sharer-level-limited = La política de tu organización ahora solo permite ver a { $name }.

## Reports page

reports-link = Informes
reports-page-title = Glass — informes
reports-heading = Informes de sesiones de ayuda
reports-back = Volver a la ayuda remota
reports-filter-heading = Filtro
reports-person-label = Persona (nombre o ID de usuario)
reports-device-label = Dispositivo
reports-from-label = Desde
reports-to-label = Hasta
reports-show-button = Mostrar sesiones
reports-download-csv = Descargar CSV
reports-download-json = Descargar JSON
reports-col-helper = Asistente
reports-col-sharer = Persona ayudada
reports-col-start = Inicio
reports-col-end = Fin
reports-col-level = Acceso
reports-col-ended = Cómo terminó
reports-transcript-button = Transcripción
reports-loading = Cargando sesiones…
reports-empty = Ninguna sesión coincide con este filtro.
reports-forbidden = No puede ver informes: la política de su organización no le concede este permiso.
reports-signed-out = Inicie sesión para ver los informes.
reports-failed = No se pudieron cargar los informes. Inténtelo de nuevo.
reports-bad-dates = Revise las fechas: el final no puede ser anterior al inicio.
reports-running = Sin terminar
reports-level-full = Control total
reports-level-view = Solo ver
reports-level-none = Nada concedido
reports-ended-left = Alguien se fue
reports-ended-lost = Conexión perdida
reports-ended-stopped = Se dejó de compartir
reports-ended-expired = Código caducado
reports-ended-revoked = Terminada por la política
reports-ended-other = Terminada
reports-transcript-heading = Transcripción del chat
reports-transcript-empty = No se escribió nada en el chat de esta sesión.
reports-transcript-not-kept = Texto no guardado: su organización no guarda las transcripciones del chat.
reports-transcript-close = Cerrar

## Identity binding

agent-identity-verified = Identidad comprobada en este equipo con { $issuer }
agent-identity-broker = Identidad avalada solo por el servidor del servicio de asistencia
agent-identity-unverified = No se ha podido verificar la identidad
helper-renewing-sign-in = Renovando tu inicio de sesión…
helper-identity-not-renewed = No se ha podido renovar tu inicio de sesión en este navegador, así que la persona a la que ayudas quizá no pueda confirmar quién eres. Cierra la sesión y vuelve a iniciarla.
error-fingerprint_mismatch = Glass detuvo la sesión: la conexión no venía del navegador con el que inició sesión tu asistente.
error-helper_unverified = Glass no pudo confirmar quién es tu asistente, así que no le dejó entrar.
error-relay_lost = Se perdió la conexión a través del servidor de retransmisión y su asistente ya no ve su pantalla.
