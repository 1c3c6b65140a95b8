// Parley browser demo: microphone -> WebRTC (WHIP) -> VoiceSession -> agent voice back, with
// the session's events (and the page's commands) on the connection's "parley-events" data channel.
'use strict';

const token = document.querySelector('meta[name="parley-token"]').content;
const configuredIce = parseLinks(document.querySelector('meta[name="parley-ice-servers"]').content);
const talk = document.getElementById('talk');
const muteButton = document.getElementById('mute');
const level = document.getElementById('level');
const stateEl = document.getElementById('state');
const log = document.getElementById('log');
const voice = document.getElementById('voice');
const typed = document.getElementById('typed');
const textInput = document.getElementById('text');
const sendButton = document.getElementById('send');
const auth = {'Authorization': 'Bearer ' + token};

let call = null;
// What the page saw, for people debugging and for the end-to-end tests.
const seen = {connected: false, resource: null, events: [], states: [], userFinals: [], userTurns: [],
  agentSpoken: [], errors: [], latencies: [], restarts: 0, speechRms: {}, maxRms: 0};

// ---------------------------------------------------------------- WHIP helpers

/** ICE servers from Link header values: <url>; rel="ice-server"; username="u"; credential="c". */
function parseLinks(header) {
  const servers = [];
  if (!header) return servers;
  for (const link of header.split(/,\s*(?=<)/)) {
    const m = /^<([^>]+)>(.*)$/.exec(link.trim());
    if (!m) continue;
    const params = {};
    for (const p of m[2].matchAll(/;\s*([\w-]+)="((?:[^"\\]|\\.)*)"/g)) params[p[1]] = p[2].replace(/\\(.)/g, '$1');
    if (params.rel !== 'ice-server') continue;
    const server = {urls: m[1]};
    if (params.username) { server.username = params.username; server.credential = params.credential; }
    servers.push(server);
  }
  return servers;
}

/** ICE credentials and candidates of the first media section, as a trickle-ice-sdpfrag. */
function fragmentOf(sdp) {
  const lines = sdp.split(/\r?\n/);
  const first = lines.findIndex(l => l.startsWith('m='));
  const next = lines.findIndex((l, i) => i > first && l.startsWith('m='));
  const section = lines.slice(first, next < 0 ? lines.length : next);
  const pick = prefix => (section.find(l => l.startsWith(prefix)) || lines.find(l => l.startsWith(prefix)) || '');
  return [pick('a=ice-ufrag:'), pick('a=ice-pwd:'), section[0].replace(/^m=audio \d+ .*$/, 'm=audio 9 UDP/TLS/RTP/SAVPF 0'),
    pick('a=mid:'), ...section.filter(l => l.startsWith('a=candidate:')), 'a=end-of-candidates']
    .filter(l => l).join('\r\n') + '\r\n';
}

/** The server's previous answer with the ICE credentials and candidates of its PATCH reply. */
function withIce(answer, fragment) {
  const f = fragment.split(/\r?\n/);
  const ufrag = f.find(l => l.startsWith('a=ice-ufrag:'));
  const pwd = f.find(l => l.startsWith('a=ice-pwd:'));
  const candidates = f.filter(l => l.startsWith('a=candidate:') || l === 'a=end-of-candidates');
  const out = [];
  let section = 0;
  for (const l of answer.split(/\r?\n/)) {
    if (!l || l.startsWith('a=candidate:') || l === 'a=end-of-candidates') continue;
    if (l.startsWith('m=')) { if (section === 1) out.push(...candidates); section++; }
    out.push(l.startsWith('a=ice-ufrag:') ? ufrag : l.startsWith('a=ice-pwd:') ? pwd : l);
  }
  if (section === 1) out.push(...candidates);
  return out.join('\r\n') + '\r\n';
}

function gathered(pc) {
  return new Promise(resolve => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000); // send what we have; host candidates come within milliseconds
  });
}

// ---------------------------------------------------------------- the call

async function start() {
  talk.disabled = true;
  // Echo cancellation keeps the agent's voice from the speakers out of the microphone, so the
  // agent does not interrupt itself. ?processing=off turns the browser's processing off.
  const processing = new URLSearchParams(location.search).get('processing') !== 'off';
  const mic = await navigator.mediaDevices.getUserMedia(
      {audio: {echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing}});
  const pc = new RTCPeerConnection({iceServers: configuredIce});
  mic.getTracks().forEach(t => pc.addTrack(t, mic));
  const channel = pc.createDataChannel('parley-events');
  channel.onmessage = e => onEvent(JSON.parse(e.data));
  pc.ontrack = e => { voice.srcObject = new MediaStream([e.track]); meters.remote = analyse(voice.srcObject); };
  meters.mic = analyse(mic);
  pc.onconnectionstatechange = () => {
    seen.connected = seen.connected || pc.connectionState === 'connected';
    if (pc.connectionState === 'failed') stateEl.textContent = 'connection lost';
  };
  pc.oniceconnectionstatechange = () => {
    // Connectivity lost (network change, sleep): restart ICE unless it comes back by itself.
    if (pc.iceConnectionState === 'failed') restartIce().catch(fail);
    if (pc.iceConnectionState === 'disconnected') {
      setTimeout(() => pc.iceConnectionState === 'disconnected' && restartIce().catch(fail), 1500);
    }
  };
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const res = await fetch('/whip', {method: 'POST', headers: Object.assign({'Content-Type': 'application/sdp'}, auth),
      body: pc.localDescription.sdp});
  if (res.status !== 201) {
    fail('Could not start: ' + res.status + ' ' + await res.text());
    mic.getTracks().forEach(t => t.stop());
    pc.close();
    talk.disabled = false;
    return;
  }
  const advertised = parseLinks(res.headers.get('Link'));
  if (advertised.length) pc.setConfiguration({iceServers: advertised});
  const answer = await res.text();
  await pc.setRemoteDescription({type: 'answer', sdp: answer});
  call = {pc, mic, channel, answer, resource: res.headers.get('Location'), etag: res.headers.get('ETag'), restarting: false};
  seen.resource = call.resource;
  talk.textContent = 'Hang up';
  talk.classList.add('stop');
  [talk, muteButton, textInput, sendButton].forEach(b => b.disabled = false);
}

async function restartIce() {
  if (!call || call.restarting) return;
  const c = call;
  c.restarting = true;
  try {
    await c.pc.setLocalDescription(await c.pc.createOffer({iceRestart: true}));
    await gathered(c.pc);
    const res = await fetch(c.resource, {method: 'PATCH', body: fragmentOf(c.pc.localDescription.sdp),
        headers: Object.assign({'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': '*'}, auth)});
    if (res.status !== 200) throw new Error('ICE restart refused: ' + res.status + ' ' + await res.text());
    c.etag = res.headers.get('ETag');
    c.answer = withIce(c.answer, await res.text());
    await c.pc.setRemoteDescription({type: 'answer', sdp: c.answer});
    seen.restarts++;
  } finally {
    c.restarting = false;
  }
}

async function stop() {
  if (!call) return;
  const c = call;
  call = null;
  await fetch(c.resource, {method: 'DELETE', headers: auth});
  c.mic.getTracks().forEach(t => t.stop());
  c.pc.close();
  stateEl.textContent = 'not connected';
  talk.textContent = 'Start talking';
  talk.classList.remove('stop');
  [muteButton, textInput, sendButton].forEach(b => b.disabled = true);
}

// A reload or a closed tab ends the session at once instead of leaving it to time out.
addEventListener('pagehide', () => {
  if (call) fetch(call.resource, {method: 'DELETE', headers: auth, keepalive: true});
});

function command(message) {
  if (call && call.channel.readyState === 'open') call.channel.send(JSON.stringify(message));
}

function setMuted(muted) {
  if (!call) return;
  call.muted = muted;
  call.mic.getAudioTracks().forEach(t => t.enabled = !muted);
  command({type: 'control', action: muted ? 'mute' : 'unmute'});
  muteButton.textContent = muted ? 'Unmute' : 'Mute';
}

// ---------------------------------------------------------------- what the session did

function line(cls, text) {
  const div = document.createElement('div');
  div.className = 'turn ' + cls;
  div.textContent = text;
  log.appendChild(div);
  div.scrollIntoView({block: 'end'});
  return div;
}

function fail(message) {
  seen.errors.push(String(message));
  line('error', String(message));
}

let interim = null;            // the user's words while the recognizer is still listening
const agentLines = new Map();  // speech id -> line
let speaking = null;           // the agent speech playing now, to attribute levels to it

function agentLine(ev) {
  const key = ev.speech || 'turn-' + ev.turn;
  let el = agentLines.get(key);
  if (!el) { el = line('agent', ''); agentLines.set(key, el); }
  return el;
}

function onEvent(ev) {
  seen.events.push(ev);
  switch (ev.type) {
    case 'state':
      seen.states.push(ev.to);
      stateEl.textContent = ev.to.toLowerCase();
      if (ev.reason === 'empty_turn' && interim) { interim.remove(); interim = null; }
      break;
    case 'transcript':
      if (!ev.text.trim()) break; // nothing heard is nothing to show
      if (!interim) interim = line('user interim', '');
      interim.textContent = ev.text;
      if (ev.final) seen.userFinals.push(ev.text);
      break;
    case 'turn': {
      // The words the agent answers, which can differ from the last transcript shown.
      if (!ev.text.trim()) break;
      const el = interim || line('user', '');
      el.textContent = ev.text;
      el.classList.remove('interim');
      interim = null;
      seen.userTurns.push(ev.text);
      break;
    }
    case 'agent':
      if (ev.text) agentLine(ev).textContent += ev.text;
      break;
    case 'playback': {
      const el = agentLine(ev);
      if (ev.kind === 'STARTED' || ev.kind === 'RESUMED') {
        speaking = ev.speech;
        if (ev.text.length > el.textContent.length) el.textContent = ev.text; // say() text arrives here
      } else if (ev.kind === 'FINISHED') {
        el.textContent = ev.text;
        seen.agentSpoken.push(ev.text);
      } else if (ev.kind === 'INTERRUPTED') {
        seen.agentSpoken.push(ev.played);
        if (ev.played.trim()) { el.textContent = ev.played + ' …'; el.classList.add('cut'); } else { el.remove(); }
      }
      if (!el.textContent.trim()) { el.remove(); agentLines.delete(ev.speech || 'turn-' + ev.turn); }
      break;
    }
    case 'error':
      fail(ev.code + ': ' + ev.message);
      break;
  }
}

// ---------------------------------------------------------------- levels and latency

let audioContext = null;
const meters = {mic: null, remote: null};

function analyse(stream) {
  audioContext = audioContext || new AudioContext();
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 1024;
  audioContext.createMediaStreamSource(stream).connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  return () => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    return Math.sqrt(sum / buf.length);
  };
}

// Mouth-to-ear latency as the user feels it: from the end of their utterance (the microphone
// falls quiet for 300 ms) to the first energy of the agent's voice.
const MIC_SPEECH = 0.01, REPLY_SPEECH = 0.02, END_OF_UTTERANCE_MS = 300;
let lastVoiceAt = 0, userSpeaking = false, utteranceEnd = 0, awaitingReply = false;
setInterval(() => {
  const now = performance.now();
  const mic = meters.mic && !(call && call.muted) ? meters.mic() : 0;
  level.value = Math.min(1, mic * 5);
  if (mic > MIC_SPEECH) { userSpeaking = true; lastVoiceAt = now; awaitingReply = false; }
  else if (userSpeaking && now - lastVoiceAt > END_OF_UTTERANCE_MS) { userSpeaking = false; utteranceEnd = lastVoiceAt; awaitingReply = true; }
  if (!meters.remote) return;
  const rms = meters.remote();
  seen.maxRms = Math.max(seen.maxRms, rms);
  if (speaking !== null) seen.speechRms[speaking] = Math.max(seen.speechRms[speaking] || 0, rms);
  if (awaitingReply && rms > REPLY_SPEECH) { seen.latencies.push(Math.round(now - utteranceEnd)); awaitingReply = false; }
}, 10);

async function rtp() {
  if (!call) return {};
  const stats = await call.pc.getStats();
  const out = {};
  stats.forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') Object.assign(out, {packetsReceived: s.packetsReceived, packetsLost: s.packetsLost});
    if (s.type === 'outbound-rtp' && s.kind === 'audio') out.packetsSent = s.packetsSent;
  });
  return out;
}

// ---------------------------------------------------------------- controls

talk.onclick = () => (call ? stop() : start()).catch(e => { fail(e); talk.disabled = false; });
muteButton.onclick = () => setMuted(!call.muted);
typed.onsubmit = e => {
  e.preventDefault();
  if (textInput.value.trim()) command({type: 'text', text: textInput.value.trim()});
  textInput.value = '';
};

window.parleyDemo = {
  snapshot: async () => Object.assign({}, seen, await rtp(), {audioContext: audioContext && audioContext.state,
    ice: call && call.pc.iceConnectionState, log: [...log.children].map(d => d.className + '|' + d.textContent)}),
  hangUp: stop,
  restartIce: () => restartIce().then(() => true),
  mute: muted => setMuted(muted),
  sendText: text => command({type: 'text', text}),
};
