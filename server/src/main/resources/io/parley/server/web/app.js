// Parley sessions page: sign in with a token, create or join a session, talk or type.
// Page state lives here; the server is the source of truth for everything shown.
'use strict';
const $ = (id) => document.getElementById(id);
const state = { token: null, me: null, session: null, ws: null, mic: null, sending: false, playAt: 0, out: null };

function showError(msg) { $('error').textContent = msg || ''; }

async function api(method, path, body) {
  const res = await fetch(path, {
    method, headers: { 'Authorization': 'Bearer ' + state.token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (res.status === 204) return null;
  const data = await res.json();
  if (!res.ok) throw new Error(data.message || ('HTTP ' + res.status));
  return data;
}

async function signIn(token) {
  state.token = token.trim();
  try {
    state.me = await api('GET', '/api/users/me');
  } catch (e) { showError('Sign-in failed: ' + e.message); return false; }
  sessionStorage.setItem('parley.token', state.token);
  $('me').textContent = state.me.name;
  $('signin').classList.add('hidden');
  $('signed').classList.remove('hidden');
  showError('');
  await listSessions();
  return true;
}

async function listSessions() {
  const list = await api('GET', '/api/voice-sessions');
  const ul = $('sessions');
  ul.innerHTML = '';
  for (const s of list) {
    const li = document.createElement('li');
    li.textContent = s.title + ' (' + s.status + ')';
    li.onclick = () => openRoom(s.id);
    ul.appendChild(li);
  }
}

function line(kind, who, text) {
  const div = document.createElement('div');
  div.className = 'msg ' + kind;
  const w = document.createElement('span');
  w.className = 'who';
  w.textContent = who + ':';
  div.appendChild(w);
  div.appendChild(document.createTextNode(text));
  $('transcript').appendChild(div);
  $('transcript').scrollTop = $('transcript').scrollHeight;
}

function renderMessage(m) {
  line(m.kind, m.kind === 'agent' ? 'Agent' : m.speaker, m.text);
}

async function refreshParticipants() {
  const ps = await api('GET', '/api/voice-sessions/' + state.session.id + '/participants');
  $('participants').textContent = ps.filter(p => p.present).map(p => p.name).join(', ') || '(nobody connected)';
}

async function openRoom(id) {
  closeRoom();
  try {
    await api('POST', '/api/voice-sessions/' + id + '/join');
    state.session = await api('GET', '/api/voice-sessions/' + id);
  } catch (e) { showError(e.message); return; }
  const s = state.session;
  $('room').classList.remove('hidden');
  $('room-title').textContent = s.title;
  $('room-status').textContent = s.status;
  $('room-id').textContent = s.id;
  $('agent-toggle').checked = s.agent_enabled;
  for (const f of ['md', 'json', 'pdf']) {
    $('export-' + f).onclick = (ev) => { ev.preventDefault(); download(f); };
  }
  $('transcript').innerHTML = '';
  for (const m of await api('GET', '/api/voice-sessions/' + id + '/history')) renderMessage(m);
  const voice = s.mode === 'voice_browser';
  $('ptt').disabled = !voice;
  $('mic').disabled = !voice;
  connect(s, voice);
}

function connect(s, voice) {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
    + '/api/voice-sessions/' + s.id + '/ws?kind=' + (voice ? 'voice' : 'text');
  const ws = new WebSocket(url, ['parley', state.token]);
  state.ws = ws;
  ws.onmessage = (ev) => onEvent(JSON.parse(ev.data));
  ws.onclose = async () => {
    if (state.ws !== ws) return;
    // Another node may own the session's media now: ask where, then reconnect there.
    try {
      const cur = await api('GET', '/api/voice-sessions/' + s.id);
      $('room-status').textContent = cur.status;
      if (cur.status !== 'ended') setTimeout(() => { if (state.ws === ws) connect(cur, voice); }, 1000);
    } catch (e) { showError(e.message); }
  };
}

function onEvent(e) {
  const d = e.data;
  switch (e.type) {
    case 'welcome': $('participants').textContent = d.participants.map(p => p.name).join(', '); break;
    case 'participant_joined': case 'participant_left': refreshParticipants(); break;
    case 'transcription': $('interim').textContent = d.final ? '' : d.speaker + ': ' + d.text; break;
    case 'message': renderMessage(d); break;
    case 'agent_text': line('agent', 'Agent', d.text); $('agent-state').textContent = ''; break;
    case 'state': if (d.agent) $('agent-state').textContent = d.agent === 'thinking' ? 'agent is thinking…' : '';
                  if (d.status) $('room-status').textContent = d.status; break;
    case 'agent': $('agent-toggle').checked = d.enabled; break;
    case 'agent_audio': play(d); break;
    case 'history': $('transcript').innerHTML = ''; d.forEach(renderMessage); break;
    case 'export': line('system', 'system', 'Export: ' + location.origin + d.url); break;
    case 'share': line('system', 'system', 'Read-only link: ' + location.origin + d.url); break;
    case 'session_ended': $('room-status').textContent = 'ended (' + d.reason + ')'; state.ws = null; stopMic(); break;
    case 'error': showError(d.message); break;
  }
}

async function download(format) {
  const res = await fetch('/api/voice-sessions/' + state.session.id + '/export?format=' + format,
    { headers: { 'Authorization': 'Bearer ' + state.token } });
  if (!res.ok) { showError('export failed: HTTP ' + res.status); return; }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = 'session-' + state.session.id + '.' + format;
  a.click();
}

function closeRoom() {
  stopMic();
  if (state.ws) { const ws = state.ws; state.ws = null; ws.close(); }
}

// ---- audio: PCM16LE 16 kHz mono in base64, both ways ----

function toBase64(int16) {
  const bytes = new Uint8Array(int16.buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function startMic() {
  if (state.mic) return;
  const ctx = new AudioContext({ sampleRate: 16000 });
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const src = ctx.createMediaStreamSource(stream);
  const proc = ctx.createScriptProcessor(2048, 1, 1);
  proc.onaudioprocess = (ev) => {
    if (!state.sending || !state.ws || state.ws.readyState !== 1) return;
    const f = ev.inputBuffer.getChannelData(0);
    const pcm = new Int16Array(f.length);
    for (let i = 0; i < f.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(f[i] * 32767)));
    state.ws.send(JSON.stringify({ type: 'audio_chunk', data: toBase64(pcm) }));
  };
  src.connect(proc);
  proc.connect(ctx.destination);
  state.mic = { ctx, stream, proc };
}

function stopMic() {
  state.sending = false;
  $('mic').classList.remove('on');
  $('mic').textContent = 'Mic: off';
  if (state.mic) {
    state.mic.stream.getTracks().forEach(t => t.stop());
    state.mic.ctx.close();
    state.mic = null;
  }
}

function play(b64) {
  if (!state.out) state.out = new AudioContext({ sampleRate: 16000 });
  const bin = atob(b64);
  const n = bin.length / 2;
  const buf = state.out.createBuffer(1, n, 16000);
  const ch = buf.getChannelData(0);
  for (let i = 0; i < n; i++) {
    let v = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
    if (v >= 0x8000) v -= 0x10000;
    ch[i] = v / 32768;
  }
  const src = state.out.createBufferSource();
  src.buffer = buf;
  src.connect(state.out.destination);
  state.playAt = Math.max(state.playAt, state.out.currentTime);
  src.start(state.playAt);
  state.playAt += buf.duration;
}

// ---- controls ----

$('signin-btn').onclick = () => signIn($('token').value);
$('create-btn').onclick = async () => {
  try {
    const s = await api('POST', '/api/voice-sessions', {
      title: $('new-title').value, session_type: $('new-type').value, mode: $('new-mode').value,
      wake_phrase: $('new-wake').value
    });
    await listSessions();
    await openRoom(s.id);
  } catch (e) { showError(e.message); }
};
$('join-btn').onclick = () => openRoom($('join-id').value.trim());
$('send-btn').onclick = () => {
  const t = $('text').value.trim();
  if (t && state.ws) { state.ws.send(JSON.stringify({ type: 'text', text: t })); $('text').value = ''; }
};
$('text').onkeydown = (ev) => { if (ev.key === 'Enter') $('send-btn').onclick(); };
$('agent-toggle').onchange = async () => {
  try { await api('POST', '/api/voice-sessions/' + state.session.id + '/agent', { enabled: $('agent-toggle').checked }); }
  catch (e) { showError(e.message); }
};
$('leave-btn').onclick = async () => {
  await api('POST', '/api/voice-sessions/' + state.session.id + '/leave');
  closeRoom();
  $('room').classList.add('hidden');
};
$('end-btn').onclick = async () => {
  try { await api('POST', '/api/voice-sessions/' + state.session.id + '/end'); } catch (e) { showError(e.message); }
};
$('ptt').onmousedown = async () => { await startMic(); state.sending = true; };
$('ptt').onmouseup = () => {
  state.sending = false;
  if (state.ws) state.ws.send(JSON.stringify({ type: 'audio_end' }));
};
$('mic').onclick = async () => {
  if (state.sending) { stopMic(); return; }
  try { await startMic(); } catch (e) { showError('microphone: ' + e.message); return; }
  state.sending = true;
  $('mic').classList.add('on');
  $('mic').textContent = 'Mic: on';
};

// A link like /?session=<id>&mic=on#token=<token> signs in, opens the session and starts the microphone.
(async () => {
  const hash = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const token = hash.get('token') || sessionStorage.getItem('parley.token');
  if (!token || !(await signIn(token))) return;
  const id = query.get('session');
  if (!id) return;
  await openRoom(id);
  if (query.get('mic') === 'on') $('mic').onclick();
})();
