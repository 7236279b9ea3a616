// Topics: searched, sorted and paged by the server (GET /api/topics?search&sort&order&page), so
// 10,000 topics cost one page; create a topic with its configs.
import { h, fill, field, toast } from '../dom.js';
import { get, post, can } from '../api.js';
import { bytes, count, byteRate } from '../format.js';
import { navigate, setQuery } from '../main.js';
import { actionForm } from './common.js';

const COLUMNS = [
  ['name', 'Name'], ['partitions', 'Partitions'], ['replicationFactor', 'RF'], ['records', 'Records'],
  ['sizeBytes', 'Size'], ['inBytesPerSec', 'In'], ['outBytesPerSec', 'Out'], ['underReplicated', 'Under-replicated'],
];
const PAGE_SIZE = 50;

export async function topicsPage(main, params, query) {
  const state = {
    search: query.get('search') || '', sort: query.get('sort') || 'name', order: query.get('order') || 'asc',
    page: Number(query.get('page')) || 1, internal: query.get('internal') === 'true',
  };
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Search topics', value: state.search, 'aria-label': 'Search topics' });
  const internal = h('input', { type: 'checkbox', name: 'internal', checked: state.internal });
  const list = h('div', { id: 'topics-list' });
  const pager = h('div', { class: 'pager' });
  const createBox = h('div');
  fill(main, h('div', { class: 'page-head' }, h('h1', null, 'Topics'),
    can('CREATE') ? h('button', { class: 'primary', id: 'new-topic', onclick: () => fill(createBox, createForm()) }, 'New topic') : null),
  createBox, h('div', { class: 'toolbar' }, search, h('label', { class: 'check' }, internal, 'Show internal topics')), list, pager);

  let seq = 0;
  const load = async () => {
    setQuery({ search: state.search, sort: state.sort === 'name' ? '' : state.sort, order: state.order === 'asc' ? '' : state.order,
      page: state.page === 1 ? '' : state.page, internal: state.internal ? 'true' : '' });
    const mine = ++seq;
    const q = new URLSearchParams({ search: state.search, sort: state.sort, order: state.order, page: state.page, pageSize: PAGE_SIZE });
    if (state.internal) q.set('internal', 'true');
    const body = await get('/api/topics?' + q);
    if (mine !== seq) return; // a later search answered first
    draw(body);
  };
  const draw = body => {
    const head = h('tr', null, COLUMNS.map(([key, title]) => h('th', { class: 'sortable' + (state.sort === key ? ' sorted ' + state.order : ''),
      onclick: () => {
        state.order = state.sort === key && state.order === 'asc' ? 'desc' : 'asc';
        state.sort = key;
        state.page = 1;
        load();
      } }, title)));
    const rows = body.topics.map(t => h('tr', { dataset: { topic: t.name } },
      h('td', { class: 'name' }, h('a', { href: '/topics/' + encodeURIComponent(t.name) }, t.name)),
      h('td', null, count(t.partitions)), h('td', null, count(t.replicationFactor)), h('td', null, count(t.records)),
      h('td', null, bytes(t.sizeBytes)), h('td', null, byteRate(t.inBytesPerSec)), h('td', null, byteRate(t.outBytesPerSec)),
      h('td', { class: t.underReplicated ? 'warn' : '' }, count(t.underReplicated))));
    fill(list, body.topics.length === 0 ? h('p', { class: 'empty' }, state.search ? 'No topic matches.' : 'No topics yet.')
      : h('table', { class: 'grid', id: 'topics-table' }, h('thead', null, head), h('tbody', null, rows)));
    const total = body.total ?? body.topics.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    fill(pager, h('button', { disabled: state.page <= 1, onclick: () => { state.page--; load(); } }, '‹ Previous'),
      h('span', null, `Page ${state.page} of ${pages} · ${count(total)} topics`),
      h('button', { disabled: state.page >= pages, onclick: () => { state.page++; load(); } }, 'Next ›'));
  };
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.search = search.value.trim(); state.page = 1; load(); }, 200);
  });
  internal.addEventListener('change', () => { state.internal = internal.checked; state.page = 1; load(); });
  await load();
  return { close: () => clearTimeout(timer) };
}

function createForm() {
  const name = h('input', { name: 'name', required: true, pattern: '[a-zA-Z0-9._-]{1,249}', title: 'letters, digits, . _ -' });
  const partitions = h('input', { name: 'partitions', type: 'number', min: 1, placeholder: 'default' });
  const rf = h('input', { name: 'replicationFactor', type: 'number', min: 1, placeholder: 'default' });
  const configs = h('textarea', { name: 'configs', rows: 3, placeholder: 'retention.ms=86400000\ncleanup.policy=compact' });
  return actionForm({ id: 'create-topic' }, [field('Name', name), field('Partitions', partitions), field('Replication factor', rf),
    field('Configs', configs, 'one key=value per line')], 'Create', async () => {
    const body = { name: name.value.trim(), configs: parseLines(configs.value) };
    if (partitions.value) body.partitions = Number(partitions.value);
    if (rf.value) body.replicationFactor = Number(rf.value);
    await post('/api/topics', body);
    toast('Topic ' + body.name + ' created');
    navigate('/topics/' + encodeURIComponent(body.name));
  });
}

/** key=value lines to an object; throws on a line without '='. */
export function parseLines(text) {
  const out = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error('"' + line + '" is not key=value');
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
