// Byte spans of handshake messages, computed from their raw bytes (RFC 5246 §7.4, RFC 8446 §4), so the page can
// tie each decoded field to its bytes. A span: {path, label, start, end, children}. Paths match the API's field
// names ("random", "extensions.3", ...). Anything unparsable ends parsing quietly: the hex view still shows the bytes.

export function hexToBytes(hex) {
  const clean = (hex || '').replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) { this.b = bytes; this.pos = pos; this.end = end; }
  need(n) { if (this.pos + n > this.end) throw new RangeError('truncated'); }
  uint(n) { this.need(n); let v = 0; for (let i = 0; i < n; i++) v = v * 256 + this.b[this.pos++]; return v; }
  skip(n) { this.need(n); this.pos += n; }
}

function span(path, label, start, end, children = []) { return { path, label, start, end, children }; }

/** A field of fixed length n. */
function fixed(r, path, label, n) { const s = r.pos; r.skip(n); return span(path, label, s, r.pos); }

/** A vector with an lenBytes-byte length prefix; the span covers the prefix and the contents. */
function vector(r, path, label, lenBytes, inner) {
  const s = r.pos;
  const len = r.uint(lenBytes);
  const bodyStart = r.pos;
  r.need(len);
  const children = [span(path + '.length', 'length', s, bodyStart)];
  if (inner) children.push(...inner(new Reader(r.b, bodyStart, bodyStart + len)));
  r.pos = bodyStart + len;
  return span(path, label, s, r.pos, children);
}

function extensions(r, path = 'extensions') {
  if (r.pos >= r.end) return [];
  return [vector(r, path, 'extensions', 2, er => {
    const out = [];
    for (let i = 0; er.pos < er.end; i++) {
      const s = er.pos;
      const type = fixed(er, `${path}.${i}.type`, 'type', 2);
      const len = er.uint(2);
      const lenSpan = span(`${path}.${i}.length`, 'length', type.end, er.pos);
      const data = fixed(er, `${path}.${i}.data`, 'data', len);
      out.push(span(`${path}.${i}`, `extension ${i}`, s, er.pos, [type, lenSpan, data]));
    }
    return out;
  })];
}

const BODY = {
  client_hello(r) {
    return [fixed(r, 'legacy_version', 'legacy_version', 2), fixed(r, 'random', 'random', 32),
      vector(r, 'session_id', 'session_id', 1), vector(r, 'cipher_suites', 'cipher_suites', 2, cr => {
        const out = []; for (let i = 0; cr.pos < cr.end; i++) out.push(fixed(cr, `cipher_suites.${i}`, `suite ${i}`, 2)); return out;
      }), vector(r, 'compression_methods', 'compression_methods', 1), ...extensions(r)];
  },
  server_hello(r) {
    return [fixed(r, 'legacy_version', 'legacy_version', 2), fixed(r, 'random', 'random', 32),
      vector(r, 'session_id', 'session_id', 1), fixed(r, 'cipher_suite', 'cipher_suite', 2),
      fixed(r, 'compression_method', 'compression_method', 1), ...extensions(r)];
  },
  encrypted_extensions(r) { return extensions(r); },
  finished(r) { return [fixed(r, 'verify_data', 'verify_data', r.end - r.pos)]; },
  certificate_verify(r) {
    return [fixed(r, 'algorithm', 'algorithm', 2), vector(r, 'signature', 'signature', 2)];
  },
  certificate(r, tls13) {
    const out = [];
    if (tls13) out.push(vector(r, 'certificate_request_context', 'certificate_request_context', 1));
    out.push(vector(r, 'certificate_list', 'certificate_list', 3, cr => {
      const certs = [];
      for (let i = 0; cr.pos < cr.end; i++) {
        certs.push(vector(cr, `certificate_list.${i}`, `certificate ${i}`, 3));
        if (tls13) certs.push(vector(cr, `certificate_list.${i}.extensions`, `certificate ${i} extensions`, 2));
      }
      return certs;
    }));
    return out;
  },
  server_key_exchange(r) {
    return [fixed(r, 'curve_type', 'curve_type', 1), fixed(r, 'named_curve', 'named_curve', 2),
      vector(r, 'public', 'public', 1), fixed(r, 'algorithm', 'algorithm', 2), vector(r, 'signature', 'signature', 2)];
  },
};

/**
 * The spans of one handshake message (4-byte header included) of the given type; tls13 selects the TLS 1.3 form where
 * the two differ (Certificate).
 */
export function messageSpans(type, bytes, tls13) {
  const spans = [];
  if (type === 'change_cipher_spec') {
    if (bytes.length) spans.push(span('type', 'change_cipher_spec', 0, 1));
    return spans;
  }
  if (bytes.length < 4) return spans;
  spans.push(span('msg_type', 'handshake type', 0, 1), span('length', 'handshake length', 1, 4));
  const body = BODY[type];
  const r = new Reader(bytes, 4);
  try {
    if (body) spans.push(...body(r, tls13));
    else if (bytes.length > 4) spans.push(span('body', 'body', 4, bytes.length));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  return spans;
}

/** Every span, depth first, with its depth. */
export function flatten(spans, depth = 0, out = []) {
  for (const s of spans) { out.push({ ...s, depth }); flatten(s.children, depth + 1, out); }
  return out;
}
