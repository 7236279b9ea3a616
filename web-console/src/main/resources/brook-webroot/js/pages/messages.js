// The message browser: pages of records from any start (earliest, latest, an offset, a time),
// forwards and backwards, a server-side filter with a bounded scan, a live tail, export and copy,
// and keyboard navigation (j/k move, Enter opens, n/p page, c copies, / filters).
import { h, fill, select, toast } from '../dom.js';
import { get, stream } from '../api.js';
import { count, time, bytes, decode, fromBase64 } from '../format.js';
import { setQuery } from '../main.js';

const MAX_SHOWN = 1000; // records kept on the page; a live tail drops the oldest beyond this

export function messagesTab(body, name, topic, query) {
  const state = {
    partition: query.get('partition') ?? '', from: query.get('from') || (query.get('offset') ? 'offset' : 'latest'),
    offset: query.get('offset') || '', timestamp: query.get('timestamp') || '', limit: Number(query.get('limit')) || 50,
    filter: query.get('filter') || '', filterIn: query.get('filterIn') || 'value', filterMode: query.get('filterMode') || 'substring',
  };
  let records = [], selected = -1, next = null, history = [], currentStart = null, closeTail = null;
  const partitions = topic.partitions.map(p => p.partition);

  const partitionInput = select('partition', [['', 'all partitions'], ...partitions.map(p => [p, 'partition ' + p])], state.partition);
  const fromInput = select('from', [['earliest', 'earliest'], ['latest', 'latest'], ['offset', 'offset'], ['timestamp', 'time']], state.from);
  const offsetInput = h('input', { name: 'offset', type: 'number', min: 0, value: state.offset, placeholder: 'offset' });
  const timeInput = h('input', { name: 'timestamp', type: 'datetime-local', step: 1, value: state.timestamp });
  const limitInput = select('limit', [[20], [50], [100], [500], [1000]], state.limit);
  const filterInput = h('input', { name: 'filter', type: 'search', value: state.filter, placeholder: 'filter (server-side)', 'aria-label': 'filter' });
  const filterIn = h('input', { name: 'filterIn', value: state.filterIn, list: 'filter-fields', size: 10, title: 'key, value or header:NAME' });
  const filterMode = select('filterMode', [['substring', 'contains'], ['regex', 'regex'], ['jsonpath', 'JSON path =']], state.filterMode);
  const status = h('p', { class: 'status', id: 'browse-status', role: 'status' });
  const list = h('div', { class: 'records', id: 'records', tabindex: 0 });
  const tailButton = h('button', { id: 'tail', onclick: () => toggleTail() }, '▶ Live tail');
  const syncInputs = () => {
    offsetInput.hidden = fromInput.value !== 'offset';
    timeInput.hidden = fromInput.value !== 'timestamp';
  };
  fromInput.addEventListener('change', syncInputs);
  syncInputs();

  const form = h('form', { class: 'toolbar browse', id: 'browse-form', onsubmit: e => { e.preventDefault(); readState(); history = []; load(startParams()); } },
    partitionInput, fromInput, offsetInput, timeInput, limitInput, filterInput, filterIn, filterMode,
    h('datalist', { id: 'filter-fields' }, ['key', 'value', 'header:'].map(v => h('option', { value: v }))),
    h('button', { type: 'submit', class: 'primary' }, 'Show'));
  const pager = h('div', { class: 'pager' },
    h('button', { id: 'prev-page', onclick: () => previousPage() }, '‹ Previous'),
    h('button', { id: 'next-page', onclick: () => nextPage() }, 'Next ›'),
    tailButton,
    h('button', { onclick: () => exportAs('jsonl') }, 'Export JSON Lines'),
    h('button', { onclick: () => exportAs('csv') }, 'Export CSV'));
  fill(body, form, pager, status, list);

  function readState() {
    Object.assign(state, { partition: partitionInput.value, from: fromInput.value, offset: offsetInput.value, timestamp: timeInput.value,
      limit: Number(limitInput.value), filter: filterInput.value, filterIn: filterIn.value.trim() || 'value', filterMode: filterMode.value });
    setQuery({ tab: 'messages', partition: state.partition, from: state.from === 'latest' ? '' : state.from,
      offset: state.from === 'offset' ? state.offset : '', timestamp: state.from === 'timestamp' ? state.timestamp : '',
      limit: state.limit === 50 ? '' : state.limit, filter: state.filter, filterIn: state.filter && state.filterIn !== 'value' ? state.filterIn : '',
      filterMode: state.filter && state.filterMode !== 'substring' ? state.filterMode : '' });
  }

  const chosen = () => (state.partition === '' ? topic.partitions : topic.partitions.filter(p => String(p.partition) === String(state.partition)));

  /** The query that starts a read as the form says; "latest" shows the last records of each partition. */
  function startParams() {
    const q = { limit: state.limit };
    if (state.from === 'timestamp' && state.timestamp) {
      q.timestamp = new Date(state.timestamp).getTime();
      if (state.partition !== '') q.partition = state.partition;
    } else {
      const share = Math.max(1, Math.ceil(state.limit / chosen().length));
      q.offset = chosen().map(p => {
        const start = state.from === 'earliest' ? p.logStartOffset
          : state.from === 'offset' && state.offset !== '' ? Number(state.offset)
            : Math.max(p.logStartOffset, p.highWatermark - share);
        return p.partition + ':' + start;
      }).join(',');
    }
    return q;
  }

  function filterParams(q) {
    if (state.filter) Object.assign(q, { filter: state.filter, filterIn: state.filterIn, filterMode: state.filterMode });
    return q;
  }

  async function load(start) {
    currentStart = start;
    const q = new URLSearchParams(filterParams({ ...start, encoding: 'base64' }));
    status.textContent = 'Reading…';
    try {
      const answer = await get('/api/topics/' + encodeURIComponent(name) + '/records?' + q);
      records = answer.records.map(parse);
      next = answer.nextOffset;
      selected = records.length ? 0 : -1;
      draw();
      const scan = answer.scanned !== undefined ? ` · scanned ${count(answer.scanned)} records` + (answer.complete === false ? ' (stopped at the scan bound: Next scans on)' : '') : '';
      status.textContent = records.length === 0 ? 'No records here.' + scan : `${records.length} records${scan}`;
    } catch (e) {
      status.textContent = e.message;
      status.className = 'status error';
    }
  }

  function nextPage() {
    if (next === null) return;
    history.push(currentStart);
    const q = { limit: state.limit };
    q.offset = typeof next === 'object' ? Object.entries(next).map(([p, o]) => p + ':' + o).join(',') : (state.partition + ':' + next);
    load(q);
  }

  function previousPage() {
    if (history.length) { load(history.pop()); return; }
    if (!records.length) return;
    // before the first page shown: each partition steps back from its first record shown
    const firsts = {};
    for (const r of records) if (firsts[r.partition] === undefined || r.offset < firsts[r.partition]) firsts[r.partition] = r.offset;
    const share = Math.max(1, Math.ceil(state.limit / chosen().length));
    load({ limit: state.limit, offset: chosen().map(p => p.partition + ':' +
      Math.max(p.logStartOffset, (firsts[p.partition] ?? p.logStartOffset) - share)).join(',') });
  }

  function toggleTail() {
    if (closeTail) {
      closeTail();
      closeTail = null;
      tailButton.textContent = '▶ Live tail';
      return;
    }
    readState();
    records = [];
    let dropped = 0;
    draw();
    const q = new URLSearchParams(filterParams({ encoding: 'base64' }));
    if (state.partition !== '') q.set('partitions', state.partition);
    tailButton.textContent = '■ Stop tail';
    status.textContent = 'Waiting for new records…';
    closeTail = stream('/api/topics/' + encodeURIComponent(name) + '/tail?' + q, {
      records: batch => {
        dropped += batch.dropped || 0;
        records = batch.records.map(parse).reverse().concat(records).slice(0, MAX_SHOWN);
        draw();
        status.textContent = `Live: ${records.length} newest records shown (at most ${MAX_SHOWN})` +
          (dropped ? ` · ${count(dropped)} skipped by the server's rate cap` : '');
      },
    }, s => { if (s !== 'open') status.textContent = 'Live tail ' + s; });
  }

  function draw() {
    fill(list, records.map((r, i) => recordRow(r, i)));
  }

  function recordRow(r, i) {
    const row = h('div', { class: 'record' + (i === selected ? ' selected' : ''), dataset: { partition: r.partition, offset: r.offset },
      onclick: e => { if (e.target.closest('button, a, details')) return; selected = i; r.open = !r.open; draw(); } },
    h('div', { class: 'record-head' },
      h('span', { class: 'coord' }, `p${r.partition} · ${r.offset}`),
      h('span', { class: 'ts' }, time(r.timestamp)),
      h('span', { class: 'key', title: 'key' }, r.key.kind === 'null' ? h('span', { class: 'muted' }, 'no key') : preview(r.key)),
      h('span', { class: 'value' }, preview(r.value)),
      h('span', { class: 'size muted' }, r.value.kind + ' · ' + bytes(r.value.size))));
    if (r.open) row.appendChild(recordDetail(r));
    return row;
  }

  function recordDetail(r) {
    const view = r.view || r.value.kind;
    const views = ['json', 'text', 'hex'].filter(v => v !== 'json' || r.value.kind === 'json');
    return h('div', { class: 'record-detail' },
      h('div', { class: 'detail-tools' }, views.map(v => h('button', { class: v === view ? 'active' : '', onclick: () => { r.view = v; draw(); } }, v)),
        h('button', { class: 'copy', onclick: () => copy(r) }, 'Copy'),
        h('a', { href: `/topics/${encodeURIComponent(name)}?tab=messages&partition=${r.partition}&from=offset&offset=${r.offset}&limit=20` }, 'Link')),
      h('dl', null, h('dt', null, 'Key'), h('dd', { class: 'mono' }, r.key.text),
        h('dt', null, 'Headers'), h('dd', null, r.headers.length ? r.headers.map(([k, v]) => h('div', { class: 'mono' }, k + ': ' + v)) : h('span', { class: 'muted' }, 'none')),
        h('dt', null, 'Value'), h('dd', { class: 'value-full' }, view === 'json' ? jsonTree(r.value.json, 0)
          : h('pre', null, view === 'hex' ? (r.value.kind === 'hex' ? r.value.text : hexOf(r.value)) : r.value.text))));
  }

  function copy(r) {
    navigator.clipboard.writeText(JSON.stringify(plain(r))).then(() => toast('Record copied'), () => toast('The browser refused the clipboard', 'error'));
  }

  function exportAs(kind) {
    const rows = records.map(plain);
    const text = kind === 'jsonl' ? rows.map(r => JSON.stringify(r)).join('\n') + '\n'
      : ['partition,offset,timestamp,key,value,headers'].concat(rows.map(r => [r.partition, r.offset, r.timestamp, r.key, r.value, JSON.stringify(r.headers)]
        .map(csvCell).join(','))).join('\n') + '\n';
    const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: kind === 'jsonl' ? 'application/x-ndjson' : 'text/csv' })),
      download: `${name}.${kind === 'jsonl' ? 'jsonl' : 'csv'}` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  const onKey = e => {
    if (!body.isConnected || e.target.closest('input, textarea, select')) return;
    if (e.key === 'j' || e.key === 'ArrowDown') { selected = Math.min(records.length - 1, selected + 1); draw(); scrollSelected(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { selected = Math.max(0, selected - 1); draw(); scrollSelected(); }
    else if (e.key === 'Enter' && records[selected]) { records[selected].open = !records[selected].open; draw(); }
    else if (e.key === 'n') nextPage();
    else if (e.key === 'p') previousPage();
    else if (e.key === 'c' && records[selected]) copy(records[selected]);
    else if (e.key === '/') { e.preventDefault(); filterInput.focus(); }
    else return;
    e.preventDefault();
  };
  const scrollSelected = () => { const el = list.querySelector('.record.selected'); if (el) el.scrollIntoView({ block: 'nearest' }); };
  document.addEventListener('keydown', onKey);
  load(startParams());
  return () => { document.removeEventListener('keydown', onKey); if (closeTail) closeTail(); };
}

function parse(r) {
  const headers = Object.entries(r.headers || {}).map(([k, v]) => [k, v === null ? 'null' : decode(fromBase64(v)).text]);
  return { partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: decode(fromBase64(r.key)), value: decode(fromBase64(r.value)), headers };
}

function plain(r) {
  return { partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key.kind === 'null' ? null : r.key.text,
    value: r.value.kind === 'null' ? null : r.value.text, headers: Object.fromEntries(r.headers) };
}

function preview(payload) {
  const text = payload.kind === 'json' ? JSON.stringify(payload.json) : payload.text;
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

function hexOf(payload) {
  return Array.from(new TextEncoder().encode(payload.text), b => b.toString(16).padStart(2, '0')).join(' ');
}

function csvCell(v) {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** Pretty JSON as collapsible text nodes (objects deeper than two levels start closed). */
function jsonTree(value, depth) {
  if (value === null || typeof value !== 'object') return h('span', { class: 'json-' + (value === null ? 'null' : typeof value) }, JSON.stringify(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const open = Array.isArray(value) ? '[' : '{', close = Array.isArray(value) ? ']' : '}';
  if (entries.length === 0) return h('span', null, open + close);
  return h('details', { class: 'json', open: depth < 2 }, h('summary', null, open + (Array.isArray(value) ? entries.length + ' items' : entries.length + ' keys') + close),
    h('div', { class: 'json-body' }, entries.map(([k, v]) => h('div', null,
      Array.isArray(value) ? null : h('span', { class: 'json-key' }, JSON.stringify(k) + ': '), jsonTree(v, depth + 1)))));
}
