## Both apps

app-name = Glass
language-label = Idioma
signin-heading = Entrar
username-label = Nome de usuário
password-label = Senha
signin-button = Entrar
signing-in = Entrando…
signin-missing = Digite seu nome de usuário e sua senha.
signin-failed = Nome de usuário ou senha incorretos.
signin-with = Iniciar sessão com { $provider }
signin-or = ou
signin-provider-failed = Não foi possível iniciar sessão. Tente novamente.
server-unreachable = Não foi possível acessar o servidor. Verifique sua conexão e tente de novo.
sign-out-button = Sair
signed-in-as = Conectado como { $name }
leave-button = Sair da sessão
reconnect-button = Reconectar
link-lost-heading = Conexão perdida
link-lost = A conexão com o servidor caiu. A sessão terminou.
link-resuming = A conexão com o servidor foi interrompida. Reconectando…
peer-away = { $name } perdeu a conexão — aguardando o retorno…
ended-heading = Sessão encerrada
card-picture =
    .alt = Foto de { $name }
domain-verified = verificado
domain-unverified = não verificado
card-vouched-note = ✓ confirmado pelo fornecedor de início de sessão

## Chat

chat-heading = Chat
chat-log =
    .aria-label = Mensagens
chat-empty = Nenhuma mensagem ainda.
chat-label = Mensagem
chat-hint = Enter envia, Shift+Enter cria uma nova linha.
chat-send = Enviar
chat-length = { $count } / { $max }
chat-too-long = Longa demais: { $count } / { $max }
chat-closed = O chat está fechado.
chat-kept = A sua organização guarda o texto deste chat no seu registo de auditoria.

## Helper app

helper-page-title = Glass — ajuda remota
helper-start-heading = Ajudar alguém
helper-start-intro = Gere um código e passe-o para a pessoa que você está ajudando.
get-code-button = Gerar código
code-heading = Seu código
code-where = Peça que ela abra este endereço e digite o código:
copy-button = Copiar
copied-button = Copiado
code-copied = Código copiado.
copy-failed = Não foi possível copiar. Leia o código em voz alta.
cancel-code-button = Cancelar
code-expires = Expira em { $time }
code-expired-heading = Código expirado
new-code-button = Gerar novo código
sharer-heading = Quem entrou
client-agent = Usando o aplicativo Glass
client-web = Usando um navegador
choose-request-message = Peça a { $name } para ver a tela.
request-view-button = Pedir só visualização
request-full-button = Pedir controle total
try-again-view-button = Tentar de novo
full-not-possible = O controle total não é possível: um navegador não pode ser controlado remotamente. Você só pode ver.
waiting-approval-message = Aguardando a resposta de { $name }…
declined-declined = { $name } recusou.
declined-timeout = { $name } não respondeu a tempo.
declined-not_supported = { $name } não pode dar o controle neste dispositivo.
escalation-declined = { $name } recusou o controle total. Você ainda pode ver.
escalation-timeout = { $name } não respondeu. Você ainda pode ver.
escalation-not_supported = { $name } não pode dar o controle neste dispositivo.
stage-heading = Tela compartilhada
video-label = Tela de { $name }
keyboard-target =
    .aria-label = Entrada de teclado para a tela compartilhada
level-view = Só visualização
level-full = Você tem o controle
release-button = Devolver o controle
fullscreen-button = Tela cheia
# The helper picks which of the sharer's screens (monitors) to see.
display-label = Tela
display-all = Todas as telas
agent-screen-legend = Tela a compartilhar
# Copy and paste with the sharer (full control only).
clipboard-send-button = Enviar minha área de transferência
clipboard-received = Copiaram texto ({ $count } caracteres).
clipboard-copy-button = Copiar para minha área de transferência
clipboard-unavailable = Este navegador não permite que a página use a área de transferência.
keyboard-lock-unavailable = Neste navegador, atalhos do sistema como Alt+Tab, a tecla Windows e Escape ficam no seu computador. O Chrome e o Edge transmitem-nos em ecrã inteiro.
# Feature detection: no RTCPeerConnection (e.g. a WebKitGTK built without WebRTC).
webrtc-unsupported = Este navegador não consegue mostrar nem enviar uma tela compartilhada (não tem WebRTC). Use Chrome, Edge, Firefox ou Safari.
exit-fullscreen-button = Sair da tela cheia
overlay-connecting = Conectando à tela…
overlay-paused = { $name } pausou o compartilhamento.
video-failed = A conexão de vídeo falhou.
left-left = { $name } saiu da sessão.
left-lost = A conexão com { $name } caiu.
left-stopped = { $name } parou de compartilhar.
left-expired = A sessão expirou.
ended-self = Você saiu da sessão.

helper-state-idle = Gere um código para começar.
helper-state-waiting_sharer = Aguardando a outra pessoa digitar o código…
helper-state-expired = O código expirou.
helper-state-sharer_joined = { $name } entrou.
helper-state-waiting_approval = Aguardando a aprovação de { $name }…
helper-state-declined = { $name } recusou.
helper-state-connected = Conectado a { $name }.
helper-state-paused = { $name } pausou o compartilhamento.
helper-state-sharer_left = { $name } saiu.
helper-state-ended = A sessão terminou.

## Sharer app

sharer-page-title = Glass — compartilhar sua tela
sharing-page-title = ● Compartilhando — Glass
sharer-code-heading = Receber ajuda
code-label = Código de quem vai ajudar você
code-hint = 8 letras e números, por exemplo 4060 R0GX
code-bad-format = Um código tem 8 letras e números. Confira e tente de novo.
join-button = Entrar
helper-heading = Quem vai ajudar você
joined-message = { $name } agora pode pedir para ver sua tela. Nada é compartilhado sem sua permissão.
consent-heading = { $name } quer ver sua tela
consent-explainer = Se permitir, você escolhe o que compartilhar: uma tela, uma janela ou uma aba. { $name } poderá ver, mas não controlar.
choosing-message = Escolha o que compartilhar na janela do navegador.
allow-button = Permitir
decline-button = Recusar
capture-unsupported = Este navegador não consegue compartilhar a tela.
capture-cancelled = Nada foi compartilhado.
sharing-banner = Você está compartilhando sua tela com { $name } (só visualização)
sharing-banner-paused = Pausado: { $name } não vê sua tela.
pause-button = Pausar
resume-button = Retomar
stop-button = Parar de compartilhar
preview-heading = O que a outra pessoa vê
preview-paused = Pausado
view-only-note = Quem ajuda você vê o que você compartilha, mas não pode controlar.
another-code-button = Digitar outro código
ended-stopped = Você parou de compartilhar.
helper-left-left = { $name } saiu da sessão.
helper-left-lost = A conexão com { $name } caiu.
helper-left-stopped = { $name } encerrou a sessão.
helper-left-expired = A sessão expirou.

sharer-state-idle = Digite o código que você recebeu.
sharer-state-joining = Verificando o código…
sharer-state-joined = Conectado a { $name }.
sharer-state-asking = { $name } pede para ver sua tela.
sharer-state-choosing = Escolha o que compartilhar…
sharer-state-sharing = Compartilhando sua tela com { $name }.
sharer-state-paused = Compartilhamento pausado.
sharer-state-helper_left = { $name } saiu.
sharer-state-ended = A sessão terminou.

## Errors from the broker

error-malformed = O servidor não entendeu o pedido.
error-unsupported_version = Esta página está desatualizada. Recarregue-a.
error-too_large = A mensagem é grande demais.
error-not_allowed = Isso não é possível agora.
error-code_invalid = Este código não é válido. Confira ou peça um novo.
error-locked_out = Códigos errados demais. Tente de novo em 15 minutos.
error-busy = O serviço está ocupado. Tente de novo em um minuto.
error-chat_disabled = O chat está desativado na sua organização.
error-chat_invalid = Esta mensagem não pode ser enviada.
error-rate_limited = Tentativas demais. Aguarde um pouco e tente de novo.
error-internal = Algo deu errado. Tente de novo.

## Agent approval page

agent-page-title = Glass — aprovar compartilhamento
agent-no-secret = Abra esta página pelo link que o Glass mostrou. Aberta assim, ela não pode fazer nada.
agent-connecting = Conectando ao Glass neste computador…
agent-disconnected = O Glass parou neste computador. Você pode fechar esta página.
agent-joining = Entrando na sessão…
agent-ask-view = { $name } pede para ver sua tela
agent-ask-full = { $name } pede para ver e controlar sua tela
agent-explain-view = { $name } verá sua tela inteira, mas não poderá usar seu mouse nem seu teclado. Você pode pausar ou parar a qualquer momento.
agent-explain-full = { $name } poderá usar seu mouse e seu teclado. Você pode retomar o controle ou parar a qualquer momento.
agent-time-left = Tempo restante para responder: { $seconds } s
agent-expired = Sem resposta a tempo: o pedido foi recusado.
agent-declined = Você recusou.
agent-allowed = Você permitiu. Iniciando…
agent-banner-view = Compartilhando com { $name } — só visualização
agent-banner-full = Compartilhando com { $name } — controle total
agent-banner-paused = Compartilhando com { $name } — pausado
agent-takeback-button = Retomar o controle
agent-action-failed = O Glass não aceitou isso. Tente de novo.
agent-close-page = Você pode fechar esta página.
agent-ended-left = A sessão terminou.
agent-ended-lost = A conexão com quem está ajudando você caiu.
agent-ended-stopped = O compartilhamento parou.
agent-ended-expired = A sessão expirou.
agent-ended-broker_lost = A conexão com o servidor caiu.
agent-ended-other = A sessão terminou.

## Policy (who may help whom)
# The organisation's policy (docs/policy.md). $reasons: the device's compliance problems as
# recorded, already joined into one list.

error-forbidden = A política da sua organização não permite isso.
warnings-heading = Sobre este dispositivo
warning-device_not_enrolled = Este dispositivo não está registrado pela sua organização. Evite digitar credenciais de administrador nele.
warning-device_not_compliant = Este dispositivo não está em conformidade: { $reasons }. Evite digitar credenciais de administrador nele.
warning-device_compliance_unknown = Não se sabe se este dispositivo está em conformidade. Evite digitar credenciais de administrador nele.
warning-other = Sua organização sinalizou este dispositivo. Evite digitar credenciais de administrador nele.
full-not-allowed = O controle total não é possível: a política da sua organização só permite que você veja.
level-limited = A política da sua organização agora só permite visualização.
declined-forbidden = A política da sua organização não permite mais esta solicitação.
escalation-forbidden = A política da sua organização não permite mais o controle total. Você ainda pode ver.
left-revoked = A política da sua organização não permite mais esta sessão de ajuda.
helper-left-revoked = A política da sua organização não permite mais esta sessão de ajuda.
ended-revoked = A política da sua organização não permite mais esta sessão de ajuda.
agent-ended-revoked = A política da sua organização não permite mais esta sessão de ajuda.
sharer-request-forbidden = A solicitação foi retirada: a política da sua organização não a permite mais.
sharer-level-limited = A política da sua organização agora só permite que { $name } veja.

## Reports page

reports-link = Relatórios
reports-page-title = Glass — relatórios
reports-heading = Relatórios das sessões de ajuda
reports-back = Voltar à ajuda remota
reports-filter-heading = Filtro
reports-person-label = Pessoa (nome ou ID de utilizador)
reports-device-label = Dispositivo
reports-from-label = De
reports-to-label = Até
reports-show-button = Mostrar sessões
reports-download-csv = Transferir CSV
reports-download-json = Transferir JSON
reports-col-helper = Assistente
reports-col-sharer = Pessoa ajudada
reports-col-start = Início
reports-col-end = Fim
reports-col-level = Acesso
reports-col-ended = Como terminou
reports-transcript-button = Transcrição
reports-loading = A carregar sessões…
reports-empty = Nenhuma sessão corresponde a este filtro.
reports-forbidden = Não pode ver relatórios: a política da sua organização não lhe dá esta permissão.
reports-signed-out = Inicie sessão para ver os relatórios.
reports-failed = Não foi possível carregar os relatórios. Tente novamente.
reports-bad-dates = Verifique as datas: o fim não pode ser anterior ao início.
reports-running = Não terminada
reports-level-full = Controlo total
reports-level-view = Só visualização
reports-level-none = Nada concedido
reports-ended-left = Alguém saiu
reports-ended-lost = Ligação perdida
reports-ended-stopped = Partilha parada
reports-ended-expired = Código expirado
reports-ended-revoked = Terminada pela política
reports-ended-other = Terminada
reports-transcript-heading = Transcrição do chat
reports-transcript-empty = Nada foi escrito no chat desta sessão.
reports-transcript-not-kept = Texto não guardado: a sua organização não guarda transcrições do chat.
reports-transcript-close = Fechar

## Identity binding

agent-identity-verified = Identidade verificada neste computador com { $issuer }
agent-identity-broker = Identidade garantida apenas pelo servidor do suporte técnico
agent-identity-unverified = Não foi possível verificar a identidade
helper-renewing-sign-in = Renovando seu início de sessão…
helper-identity-not-renewed = Não foi possível renovar seu início de sessão neste navegador, então a pessoa que você está ajudando talvez não consiga confirmar quem você é. Saia e inicie a sessão novamente.
error-fingerprint_mismatch = O Glass interrompeu a sessão: a conexão não veio do navegador em que a pessoa que ajuda você iniciou a sessão.
error-helper_unverified = O Glass não conseguiu confirmar quem está ajudando você e por isso não permitiu a entrada.
error-relay_lost = A ligação através do servidor de retransmissão perdeu-se e o seu assistente já não vê o seu ecrã.
