// The ladder diagram: one <li> per seed step, an SVG with the two lanes and the step's arrows and local actions on the
// left, the step's number, title, seed text (and TLS 1.3 mapping) on the right.

const SVG = 'http://www.w3.org/2000/svg';
const W = 400, CLIENT_X = 90, SERVER_X = 310, ROW = 30, PAD = 8;

/** How TLS 1.3 maps onto the seed's steps (the table in SeedStep's Javadoc). */
export const TLS13 = {
  1: 'ClientHello carries key_share (a second ClientHello follows a HelloRetryRequest).',
  2: 'ServerHello with key_share; then EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, all encrypted.',
  3: 'The client checks the server\'s chain, name and CertificateVerify signature.',
  4: 'No pre-master message: the (EC)DHE shared secret from the key shares replaces it.',
  5: 'Client Certificate and CertificateVerify, encrypted.',
  6: 'The server checks the client; handshake and master secrets come from the key schedule.',
  7: 'Traffic secrets and keys: handshake first, then application.',
  8: 'Client Finished (after an optional middlebox-compatibility ChangeCipherSpec).',
  9: 'Server Finished: sent in the server\'s first flight, before the client\'s.',
  10: 'Application data; NewSessionTicket.',
  11: 'No renegotiation: KeyUpdate and post-handshake authentication take its place.',
};

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function category(name) {
  if (/client_random|server_random|certificate_verify/.test(name)) return null;
  if (/private_key/.test(name)) return 'ephemeral key pair';
  if (/pre_master/.test(name)) return 'pre-master secret';
  if (/shared_secret/.test(name)) return 'shared secret';
  if (/^(extended_)?master_secret$|handshake_secret/.test(name)) return 'master secret';
  if (/write_key|write_iv|mac_key|traffic_secret|exporter|resumption/.test(name)) return 'session keys';
  return null;
}

function action(category, actor) {
  if (category === 'pre-master secret') return actor === 'client' ? 'creates pre-master secret' : 'gets pre-master secret';
  if (category === 'shared secret') return 'computes shared secret';
  if (category === 'ephemeral key pair') return 'makes key share';
  return `derives ${category}`;
}

/** The rows of one step: local actions first (they precede what is sent), then arrows in order, then alerts. */
export function rows(step) {
  const out = [];
  const locals = new Map();
  const local = (actor, text, failed = false) => {
    const key = text + (failed ? '!' : '');
    if (!locals.has(key)) { locals.set(key, { kind: 'local', text, failed, actors: new Set() }); out.push(locals.get(key)); }
    locals.get(key).actors.add(actor);
  };
  for (const e of step.events || []) {
    if (e.kind === 'certificate_checked') {
      const whom = e.actor === 'client' ? 'server' : 'client';
      const trusted = e.fields ? e.fields.trusted !== false : !/not trusted/.test(e.summary || '');
      local(e.actor, trusted ? `authenticates the ${whom} ✓` : `cannot authenticate the ${whom} ✗`, !trusted);
    }
  }
  for (const d of step.derived || []) {
    const c = category(d.name);
    if (c) local(d.actor, action(c, d.actor));
  }
  // computations in their natural order: key share, pre-master (or shared secret), master secret, keys
  const RANK = ['authenticates', 'cannot', 'makes', 'creates', 'gets', 'computes', 'derives master', 'derives session'];
  const rank = row => { const i = RANK.findIndex(r => row.text.startsWith(r)); return i < 0 ? RANK.length : i; };
  out.sort((a, b) => rank(a) - rank(b));
  for (const m of step.messages || []) {
    out.push({ kind: 'message', from: m.from, label: m.type, cls: m.type === 'change_cipher_spec' ? 'ccs' : '', message: m });
  }
  for (const e of step.events || []) {
    if (e.kind === 'application_data_sent') {
      out.push({ kind: 'message', from: e.actor, label: `application data (${e.summary})`, cls: 'data', message: { ...e, type: 'application_data', from: e.actor, seedStep: e.seedStep } });
    } else if (e.kind === 'handshake_completed') {
      local(e.actor, 'handshake complete');
    } else if (e.kind === 'renegotiation_started') {
      local(e.actor, 'renegotiation starts');
    }
  }
  for (const e of step.events || []) {
    if (e.kind === 'alert_sent') {
      const level = e.fields && e.fields.level ? e.fields.level : '';
      out.push({ kind: 'message', from: e.actor, label: `alert: ${e.name}${level ? ' (' + level + ')' : ''}`, cls: 'alert', message: { ...e, type: 'alert', from: e.actor } });
    }
  }
  return out;
}

function arrowRow(svg, row, y, index, stepNo, onOpen) {
  const fromClient = row.from === 'client';
  const x1 = fromClient ? CLIENT_X : SERVER_X, x2 = fromClient ? SERVER_X : CLIENT_X;
  const g = el('g', {
    class: `arrow from-${row.from} ${row.cls}`, tabindex: '0', role: 'button',
    'aria-label': `Step ${stepNo}: ${row.label}, ${row.from} to ${fromClient ? 'server' : 'client'}`,
    'data-step': String(stepNo), 'data-type': row.message.type || '',
  });
  g.append(el('rect', { class: 'hit', x: 0, y: y - ROW / 2, width: W, height: ROW, rx: 4 }));
  const tip = fromClient ? x2 - 9 : x2 + 9;
  g.append(el('line', { x1, y1: y + 6, x2: tip, y2: y + 6 }));
  g.append(el('path', { d: `M${x2},${y + 6} L${tip},${y + 1.5} L${tip},${y + 10.5} Z`, fill: 'currentColor' }));
  g.append(el('text', { x: W / 2, y: y - 1, 'text-anchor': 'middle' }, row.label));
  const open = () => onOpen(row.message, g);
  g.addEventListener('click', open);
  g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(); } });
  svg.append(g);
  return g;
}

function localRow(svg, row, y) {
  for (const actor of row.actors) {
    const x = actor === 'client' ? CLIENT_X : SERVER_X;
    const g = el('g', { class: `local ${row.failed ? 'failed' : ''}`, 'data-actor': actor });
    const width = Math.min(2 * CLIENT_X - 6, Math.max(96, row.text.length * 6.2 + 14));
    g.append(el('rect', { x: x - width / 2, y: y - 10, width, height: 20, rx: 4 }));
    g.append(el('text', { x, y: y + 4, 'text-anchor': 'middle' }, row.text));
    g.append(el('title', {}, `${actor} ${row.text}`));
    svg.append(g);
  }
}

/** One step's <li>. {@code step} may be a placeholder (not revealed yet); {@code fresh} animates its rows. */
export function renderStep(step, { tls13, fresh, onOpen }) {
  const items = step.revealed ? rows(step) : [];
  const height = Math.max(1, items.length) * ROW + PAD * 2;
  const svg = el('svg', { viewBox: `0 0 ${W} ${height}`, role: 'group', 'aria-label': `Step ${step.step} diagram` });
  svg.append(el('line', { class: 'lane client', x1: CLIENT_X, y1: 0, x2: CLIENT_X, y2: height }));
  svg.append(el('line', { class: 'lane server', x1: SERVER_X, y1: 0, x2: SERVER_X, y2: height }));
  items.forEach((row, i) => {
    const y = PAD + ROW * i + ROW / 2;
    const before = svg.childNodes.length;
    if (row.kind === 'local') localRow(svg, row, y); else arrowRow(svg, row, y, i, step.step, onOpen);
    if (fresh) {
      for (let n = before; n < svg.childNodes.length; n++) {
        svg.childNodes[n].classList.add('enter');
        svg.childNodes[n].style.animationDelay = `${i * 0.25}s`;
        for (const c of svg.childNodes[n].children) c.style.animationDelay = `${i * 0.25}s`;
      }
    }
  });
  if (step.revealed && items.length === 0) {
    const g = el('g', { class: 'note' });
    g.append(el('text', { x: W / 2, y: PAD + ROW / 2 + 4, 'text-anchor': 'middle' }, 'nothing on the wire'));
    svg.append(g);
  }

  const title = h('h3', {}, h('span', { class: 'step-no' }, String(step.step)), h('span', {}, step.title || ''));
  if (step.outcome) title.append(h('span', { class: `outcome ${step.outcome}` }, step.outcome));
  const text = h('div', { class: 'step-text' }, title, h('p', { class: 'seed' }, step.explanation || ''));
  if (tls13) text.append(h('p', { class: 'tls13' }, h('strong', {}, 'TLS 1.3: '), TLS13[step.step]));
  if (step.alert) {
    text.append(h('p', { class: 'notice error' }, `${step.alert.sentBy} sent fatal alert ${step.alert.description}`
      + (step.alert.reason && step.alert.reason !== 'null' ? `: ${step.alert.reason}` : '')));
  }
  const derived = (step.derived || []);
  if (derived.length) {
    const dl = h('dl', { class: 'values' });
    for (const d of derived) {
      dl.append(h('dt', {}, `${d.actor}: ${d.name}${d.secret ? ' (secret)' : ''}`), h('dd', {}, d.value));
    }
    text.append(h('details', { class: 'derived' }, h('summary', {}, `Derived values (${derived.length})`), dl));
  }
  return h('li', { class: `step ${step.revealed ? 'revealed' : 'pending'}`, 'data-step': String(step.step), id: `step-${step.step}` },
    h('div', { class: 'step-ladder' }, svg), text);
}
