// Parley browser demo: microphone -> WebRTC (WHIP) -> VoiceSession -> agent voice back,
// with the session's transcripts and state streamed over server-sent events.
'use strict';

const token = document.querySelector('meta[name="parley-token"]').content;
const talk = document.getElementById('talk');
const stateEl = document.getElementById('state');
const log = document.getElementById('log');
const voice = document.getElementById('voice');

let call = null;
// What the page saw, for people debugging and for the end-to-end test.
const seen = {connected: false, states: [], userFinals: [], agentTexts: [], playback: [], errors: []};

function line(cls, text) {
  const div = document.createElement('div');
  div.className = 'turn ' + cls;
  div.textContent = text;
  log.appendChild(div);
  div.scrollIntoView({block: 'end'});
  return div;
}

function gathered(pc) {
  return new Promise(resolve => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    setTimeout(resolve, 2000); // send what we have; host candidates come within milliseconds
  });
}

async function start() {
  talk.disabled = true;
  // Echo cancellation keeps the agent's voice from the speakers out of the microphone, so the
  // agent does not interrupt itself. ?processing=off turns the browser's processing off.
  const processing = new URLSearchParams(location.search).get('processing') !== 'off';
  const mic = await navigator.mediaDevices.getUserMedia(
      {audio: {echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing}});
  const pc = new RTCPeerConnection();
  mic.getTracks().forEach(t => pc.addTrack(t, mic));
  pc.ontrack = e => { voice.srcObject = new MediaStream([e.track]); attachMeter(voice.srcObject); };
  pc.onconnectionstatechange = () => {
    seen.connected = seen.connected || pc.connectionState === 'connected';
    if (pc.connectionState === 'failed') stateEl.textContent = 'connection failed';
  };
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const res = await fetch('/whip', {method: 'POST',
      headers: {'Content-Type': 'application/sdp', 'Authorization': 'Bearer ' + token},
      body: pc.localDescription.sdp});
  if (res.status !== 201) {
    const msg = 'Could not start: ' + res.status + ' ' + await res.text();
    seen.errors.push(msg);
    line('error', msg);
    mic.getTracks().forEach(t => t.stop());
    pc.close();
    talk.disabled = false;
    return;
  }
  const resource = res.headers.get('Location');
  await pc.setRemoteDescription({type: 'answer', sdp: await res.text()});
  const id = resource.substring(resource.lastIndexOf('/') + 1);
  const events = new EventSource('/events/' + id + '?token=' + encodeURIComponent(token));
  events.onmessage = e => onEvent(JSON.parse(e.data));
  call = {pc, mic, resource, events};
  talk.textContent = 'Hang up';
  talk.classList.add('stop');
  talk.disabled = false;
}

async function stop() {
  if (!call) return;
  const c = call;
  call = null;
  c.events.close();
  await fetch(c.resource, {method: 'DELETE', headers: {'Authorization': 'Bearer ' + token}});
  c.mic.getTracks().forEach(t => t.stop());
  c.pc.close();
  stateEl.textContent = 'not connected';
  talk.textContent = 'Start talking';
  talk.classList.remove('stop');
}

let interim = null;
const agentLines = new Map();

function onEvent(ev) {
  switch (ev.type) {
    case 'state':
      seen.states.push(ev.state);
      stateEl.textContent = ev.state.toLowerCase();
      break;
    case 'user':
      if (!interim) interim = line('user interim', '');
      interim.textContent = ev.text;
      if (ev.final) {
        interim.classList.remove('interim');
        seen.userFinals.push(ev.text);
        interim = null;
      }
      break;
    case 'agent': {
      let el = agentLines.get(ev.speech);
      if (!el) { el = line('agent', ''); agentLines.set(ev.speech, el); }
      el.textContent += ev.text;
      seen.agentTexts.push(ev.text);
      break;
    }
    case 'playback':
      seen.playback.push(ev.kind);
      if (ev.kind === 'STARTED' || ev.kind === 'RESUMED') speaking = ev.speech;
      if (ev.kind === 'INTERRUPTED') {
        const el = agentLines.get(ev.speech);
        if (el) el.textContent = ev.played + ' …';
      }
      break;
    case 'error':
      seen.errors.push(ev.code + ': ' + ev.message);
      line('error', ev.message);
      break;
  }
}

// Level and pitch of the agent's voice as this page hears it.
let analyser = null;
let audioContext = null;
let speaking = null; // id of the agent speech playing now, to attribute levels to it
function attachMeter(stream) {
  audioContext = new AudioContext();
  analyser = audioContext.createAnalyser();
  analyser.fftSize = 2048;
  audioContext.createMediaStreamSource(stream).connect(analyser);
  const buf = new Float32Array(analyser.fftSize);
  seen.maxRms = 0;
  seen.speechRms = {};
  setInterval(() => {
    analyser.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    const rms = Math.sqrt(sum / buf.length);
    seen.maxRms = Math.max(seen.maxRms, rms);
    if (speaking !== null) seen.speechRms[speaking] = Math.max(seen.speechRms[speaking] || 0, rms);
  }, 50);
}

async function inbound() {
  if (!call) return {};
  const stats = await call.pc.getStats();
  let out = {};
  stats.forEach(s => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out = {packetsReceived: s.packetsReceived, packetsLost: s.packetsLost};
    }
  });
  return out;
}

talk.onclick = () => (call ? stop() : start()).catch(e => { seen.errors.push(String(e)); line('error', String(e)); talk.disabled = false; });

window.parleyDemo = {
  snapshot: async () => Object.assign({}, seen, await inbound(), {audioContext: audioContext && audioContext.state}),
  hangUp: stop,
};
