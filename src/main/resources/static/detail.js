// The message detail panel: decoded fields next to a hex view of the bytes; hovering (or focusing) a field
// highlights its bytes, and hovering a byte highlights the innermost field it belongs to.

import { hexToBytes, messageSpans, flatten } from './parse.js';

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function short(value, max = 160) {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > max ? s.slice(0, max) + `… (${s.length} chars)` : s;
}

/** Table rows for the API's decoded fields, each tied to a span path where one exists. */
function fieldRows(fields, spans, bytes, type) {
  const byPath = new Map(spans.map(s => [s.path, s]));
  const rows = [];
  const add = (path, label, value, depth) => rows.push({ path, label, value, depth, span: byPath.get(path) });
  for (const s of spans.filter(s => s.depth === 0 && !(s.path in (fields || {})))) {
    if (s.path === 'msg_type' || s.path === 'length' || s.path === 'type' || s.path === 'body') {
      const value = s.path === 'body' ? `${s.end - s.start} bytes`
        : s.path === 'length' ? `${(bytes[1] << 16) | (bytes[2] << 8) | bytes[3]} bytes`
        : `${type} (${bytes[0]})`;
      add(s.path, s.label, value, 0);
    }
  }
  for (const [key, value] of Object.entries(fields || {})) {
    if (Array.isArray(value)) {
      add(key, key, `${value.length} item${value.length === 1 ? '' : 's'}`, 0);
      value.forEach((item, i) => {
        if (item && typeof item === 'object' && 'type' in item && 'data' in item) {
          add(`${key}.${i}`, `[${i}] ${item.type}`, item.data === '' ? '(empty)' : short(item.data, 96), 1);
        } else {
          add(`${key}.${i}`, `[${i}]`, short(item), 1);
        }
      });
    } else if (value && typeof value === 'object') {
      add(key, key, short(value), 0);
    } else {
      add(key, key, value === '' ? '(empty)' : String(value), 0);
    }
  }
  return rows;
}

export function showMessage(panel, message, { tls13, stepTitle }) {
  panel.replaceChildren();
  const to = message.from === 'client' ? 'server' : 'client';
  panel.append(h('h3', {}, message.type || message.name || 'message'),
    h('p', { class: 'muted' }, `${message.from} → ${to} · step ${message.seedStep ?? ''} ${stepTitle ? '· ' + stepTitle : ''}`));

  if (message.type === 'alert' || message.type === 'application_data') {
    const table = h('table', { class: 'fields' });
    const entries = { event: message.kind, name: message.name, summary: message.summary, ...(message.fields || {}) };
    for (const [k, v] of Object.entries(entries)) {
      if (v !== undefined && v !== null) table.append(h('tr', {}, h('th', {}, k), h('td', {}, short(v, 400))));
    }
    panel.append(table, h('p', { class: 'muted' }, 'Record contents are encrypted on the wire: the capture download shows them decrypted.'));
    panel.focus();
    return;
  }
  if (!message.rawHex) {
    panel.append(h('p', { class: 'muted' }, message.summary || ''),
      h('p', { class: 'muted' }, 'Bytes are shown for steps revealed on this page; the capture download has every record.'));
    panel.focus();
    return;
  }
  const bytes = hexToBytes(message.rawHex);
  const spans = flatten(messageSpans(message.type, bytes, tls13));
  const rows = fieldRows(message.fields, spans, bytes, message.type);

  const table = h('table', { class: 'fields', id: 'fields' }, h('caption', { class: 'muted' }, 'Decoded fields'));
  const rowEls = new Map();
  for (const r of rows) {
    const attrs = { class: r.depth ? 'nested' : '' };
    if (r.span) { attrs['data-span'] = r.path; attrs.tabindex = '0'; attrs.title = `bytes ${r.span.start}–${r.span.end - 1}`; }
    const tr = h('tr', attrs, h('th', {}, r.label), h('td', {}, r.value));
    rowEls.set(r.path, tr);
    table.append(tr);
  }

  const hex = h('div', { class: 'hex', id: 'hex', 'aria-label': `${bytes.length} bytes` });
  const byteEls = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = h('div', { class: 'row' }, h('span', { class: 'off' }, off.toString(16).padStart(4, '0')));
    const cells = h('span', { class: 'bytes' });
    for (let i = off; i < Math.min(off + 16, bytes.length); i++) {
      const b = h('span', { class: 'b', 'data-i': String(i) }, bytes[i].toString(16).padStart(2, '0'));
      byteEls.push(b);
      cells.append(b, ' ');
    }
    row.append(cells);
    hex.append(row);
  }

  let lit = [];
  const clear = () => { for (const e of lit) e.classList.remove('hl', 'hl-strong'); lit = []; };
  const light = (span, rowEl) => {
    clear();
    for (let i = span.start; i < span.end; i++) { byteEls[i].classList.add('hl'); lit.push(byteEls[i]); }
    if (rowEl) { rowEl.classList.add('hl'); lit.push(rowEl); }
  };
  for (const r of rows.filter(r => r.span)) {
    const tr = rowEls.get(r.path);
    tr.addEventListener('mouseenter', () => light(r.span, tr));
    tr.addEventListener('focus', () => light(r.span, tr));
    tr.addEventListener('mouseleave', clear);
    tr.addEventListener('blur', clear);
  }
  // a byte belongs to several nested spans: take the deepest one that has a row, else its nearest shown ancestor
  const shown = spans.filter(s => rowEls.has(s.path)).sort((a, b) => b.depth - a.depth);
  hex.addEventListener('mouseover', ev => {
    const i = ev.target.dataset ? Number(ev.target.dataset.i) : NaN;
    if (Number.isNaN(i)) return;
    const s = shown.find(s => i >= s.start && i < s.end);
    if (s) light(s, rowEls.get(s.path)); else clear();
  });
  hex.addEventListener('mouseleave', clear);

  panel.append(table, h('h4', {}, `Bytes (${bytes.length}, handshake header included)`), hex);
  panel.focus();
}
