// Numbers, sizes, times and record payloads as people read them.

export function bytes(n) {
  if (n === undefined || n === null || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
}

export function count(n) {
  if (n === undefined || n === null) return '–';
  return Number(n).toLocaleString('en-US');
}

export function rate(n) {
  if (n === undefined || n === null) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M/s';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k/s';
  return (n < 10 ? Number(n).toFixed(1) : Math.round(n)) + '/s';
}

export function byteRate(n) {
  return n === undefined || n === null ? '–' : bytes(n) + '/s';
}

export function time(ms) {
  if (ms === undefined || ms === null || ms < 0) return '–';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function age(ms) {
  if (ms === undefined || ms === null || ms < 0) return '–';
  if (ms < 1000) return ms + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  return Math.round(ms / 60000) + ' min';
}

/** base64 (the API's encoding=base64) to bytes; null stays null. */
export function fromBase64(text) {
  if (text === null || text === undefined) return null;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What a payload is, detected per record: {kind: 'json'|'text'|'hex'|'null', text, json, size}.
 * JSON only for an object or array (a bare number or word reads better as text).
 */
export function decode(payload) {
  if (payload === null || payload === undefined) return { kind: 'null', text: 'null', size: 0 };
  let text;
  try {
    text = strictUtf8.decode(payload);
  } catch (notUtf8) {
    return { kind: 'hex', text: hex(payload), size: payload.length };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { kind: 'json', text, json: JSON.parse(trimmed), size: payload.length };
    } catch (notJson) { /* text */ }
  }
  // control characters other than whitespace: binary that happens to be valid UTF-8
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { kind: 'hex', text: hex(payload), size: payload.length };
  return { kind: 'text', text, size: payload.length };
}

export function hex(payload) {
  const lines = [];
  for (let i = 0; i < payload.length; i += 16) {
    const row = Array.from(payload.slice(i, i + 16), b => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(i.toString(16).padStart(6, '0') + '  ' + row);
  }
  return lines.join('\n');
}
