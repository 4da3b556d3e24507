// The page: start a walkthrough or open a session, draw its ladder, advance it, show a message's fields and bytes.

import { renderStep } from './ladder.js';
import { showMessage } from './detail.js';
import { SEED } from './seed.js';

const API = 'api/v1/sessions';
const $ = id => document.getElementById(id);

const state = { id: null, mode: null, version: null, nextStep: null, steps: new Map(), status: null };

async function call(method, url, body) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json' } };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const detail = json && (json.detail || json.title) ? `${json.title}: ${json.detail || ''}` : `HTTP ${response.status}`;
    throw new Error(detail);
  }
  return json;
}

function notice(text, error = false) {
  const p = $('message');
  p.hidden = !text;
  p.textContent = text || '';
  p.classList.toggle('error', error);
}

function placeholders() {
  for (let n = 1; n <= 11; n++) {
    const step = state.steps.get(n) || { step: n, revealed: false };
    state.steps.set(n, { ...step, title: step.title || SEED[n].title, explanation: step.explanation || SEED[n].explanation });
  }
}

function render(freshSteps = new Set()) {
  placeholders();
  const ladder = $('ladder');
  const tls13 = state.version === 'TLSv1.3';
  const nodes = [];
  for (let n = 1; n <= 11; n++) {
    const step = state.steps.get(n);
    nodes.push(renderStep(step, {
      tls13, fresh: freshSteps.has(n),
      onOpen: (message, g) => {
        for (const s of document.querySelectorAll('.arrow.selected')) s.classList.remove('selected');
        g.classList.add('selected');
        showMessage($('detail'), message, { tls13, stepTitle: step.title });
      },
    }));
  }
  ladder.replaceChildren(...nodes);
  const done = state.nextStep === null;
  $('next-step').disabled = state.mode !== 'walkthrough' || done;
  $('run-to-end').disabled = state.mode !== 'walkthrough' || done;
  $('capture').href = `${API}/${encodeURIComponent(state.id)}/capture`;
  $('session').hidden = false;
}

function summarize(view) {
  state.mode = view.mode;
  state.version = view.options?.version || state.version;
  state.nextStep = view.nextStep ?? null;
  state.status = view.status;
  const o = view.options || {};
  const n = view.negotiated;
  $('session-title').textContent = `${view.mode === 'walkthrough' ? 'Walkthrough' : 'Relay session'} ${view.id}`;
  const parts = [`status ${view.status}`, o.version, o.profile, o.keyExchange && `key exchange ${o.keyExchange}`,
    o.clientAuth && `client auth ${o.clientAuth.toLowerCase()}`, o.faults?.length ? `fault ${o.faults.join(', ').toLowerCase()}` : null,
    n?.cipherSuite && `negotiated ${n.cipherSuite}${n.group ? ' / ' + n.group : ''}`,
    state.nextStep ? `next step ${state.nextStep}` : null];
  $('session-summary').textContent = parts.filter(Boolean).join(' · ');
}

function remember(step) {
  state.steps.set(step.step, { ...step, revealed: true });
}

/** Steps of a session opened by id, rebuilt from its transcript (messages without their bytes) and secrets. */
function fromView(view) {
  const byStep = new Map();
  const get = n => {
    if (!byStep.has(n)) byStep.set(n, { step: n, revealed: true, messages: [], derived: [], events: [] });
    return byStep.get(n);
  };
  for (const e of view.transcript || []) {
    const s = get(e.step);
    const type = (e.summary || '').split(' ')[0];
    if (e.event === 'message_sent' || (view.mode === 'relay' && e.event === 'message_received')) {
      s.messages.push({ from: e.actor, type, seedStep: e.step, summary: e.summary });
    } else if (e.event === 'change_cipher_spec_sent' || (view.mode === 'relay' && e.event === 'change_cipher_spec_received')) {
      s.messages.push({ from: e.actor, type: 'change_cipher_spec', seedStep: e.step, summary: e.summary });
    } else if (e.event === 'alert_sent') {
      const words = (e.summary || '').split(/[ :]/);
      s.events.push({ actor: e.actor, kind: 'alert_sent', name: words[1] || 'alert', summary: e.summary, seedStep: e.step, fields: { level: (words[0] || '').toLowerCase() } });
    } else if (e.event === 'certificate_checked' || e.event === 'handshake_completed' || e.event === 'application_data_sent') {
      s.events.push({ actor: e.actor, kind: e.event, name: e.event, summary: e.summary, seedStep: e.step });
    }
  }
  for (const d of view.secrets || []) get(d.step).derived.push(d);
  const done = new Set(view.stepsDone || []);
  for (const [n, s] of byStep) if (done.has(n) || view.mode === 'relay') state.steps.set(n, { ...state.steps.get(n), ...s, revealed: true });
  if (view.failure) {
    const s = state.steps.get(view.failure.step) || get(view.failure.step);
    s.alert = { description: view.failure.alert, sentBy: view.failure.sentBy, reason: view.failure.reason };
    s.outcome = 'stopped';
    state.steps.set(view.failure.step, { ...s, revealed: true });
  }
  if (view.droppedEvents) notice(`${view.droppedEvents} events of this session were not kept; the diagram shows the rest.`);
}

async function begin(view) {
  state.id = view.id;
  state.steps = new Map();
  notice('');
  summarize(view);
  $('detail').replaceChildren(Object.assign(document.createElement('p'), {
    className: 'muted', textContent: 'Click (or focus and press Enter on) an arrow to see its decoded fields and bytes.' }));
  history.replaceState(null, '', `#${view.id}`);
}

async function start(event) {
  event.preventDefault();
  const f = new FormData($('start-form'));
  const walkthrough = { keyExchange: f.get('keyExchange') };
  if (f.get('cipherSuite')) walkthrough.cipherSuite = f.get('cipherSuite').trim();
  if (f.get('fault')) walkthrough.faults = [f.get('fault')];
  try {
    const view = await call('POST', API, { mode: 'walkthrough', version: f.get('version'), profile: f.get('profile'),
      clientAuth: f.get('clientAuth'), walkthrough });
    await begin(view);
    render();
    $('next-step').focus();
  } catch (e) {
    $('session').hidden = false;
    notice(`Could not start: ${e.message}`, true);
  }
}

async function open(id) {
  try {
    const view = await call('GET', `${API}/${encodeURIComponent(id)}`);
    await begin(view);
    fromView(view);
    render();
  } catch (e) {
    $('session').hidden = false;
    notice(`Could not open ${id}: ${e.message}`, true);
  }
}

async function advance(to) {
  $('next-step').disabled = $('run-to-end').disabled = true;
  try {
    const answer = await call('POST', `${API}/${encodeURIComponent(state.id)}/steps${to ? '?to=' + to : ''}`);
    const fresh = new Set();
    for (const s of answer.steps) { remember(s); fresh.add(s.step); }
    const view = await call('GET', `${API}/${encodeURIComponent(state.id)}`);
    summarize(view);
    render(fresh);
    const last = Math.max(...fresh);
    const stepEl = $(`step-${last}`);
    if (stepEl) stepEl.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    const stopped = answer.steps.find(s => s.outcome === 'stopped' || s.outcome === 'warning');
    notice(stopped ? `Step ${stopped.step}: ${stopped.alert ? stopped.alert.sentBy + ' sent ' + stopped.alert.description : stopped.outcome}. The walkthrough ends here.` : '');
  } catch (e) {
    notice(`Could not advance: ${e.message}`, true);
    render();
  }
}

$('start-form').addEventListener('submit', start);
$('open-form').addEventListener('submit', ev => { ev.preventDefault(); open($('open-id').value.trim()); });
$('next-step').addEventListener('click', () => advance());
$('run-to-end').addEventListener('click', () => advance(11));
if (location.hash.length > 1) open(decodeURIComponent(location.hash.slice(1)));
