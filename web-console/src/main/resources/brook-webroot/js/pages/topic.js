// One topic: partitions (live), configs, the groups reading it, the message browser and produce.
import { h, fill, field, table, toast, select } from '../dom.js';
import { get, post, put, del, can, stream } from '../api.js';
import { bytes, count, rate } from '../format.js';
import { navigate } from '../main.js';
import { confirmByTyping, actionForm, rateCharts } from './common.js';
import { messagesTab } from './messages.js';
import { parseLines } from './topics.js';

const TABS = [['partitions', 'Partitions'], ['messages', 'Messages'], ['produce', 'Produce'], ['configs', 'Configs'], ['groups', 'Consumer groups']];

export async function topicPage(main, [name], query) {
  let topic = await get('/api/topics/' + encodeURIComponent(name));
  const tab = TABS.some(([k]) => k === query.get('tab')) ? query.get('tab') : 'partitions';
  const ops = topic.authorizedOperations;
  const body = h('div', { class: 'tab-body' });
  const actions = h('div', { class: 'actions' },
    can('DELETE', ops) ? h('button', { class: 'danger', id: 'delete-topic', onclick: () => confirmByTyping('Delete topic', name,
      'Deletes the topic and all its records on every broker.', async () => {
        await del('/api/topics/' + encodeURIComponent(name));
        toast('Topic ' + name + ' deleted');
        navigate('/topics');
      }) }, 'Delete') : null);
  fill(main, h('div', { class: 'page-head' }, h('h1', null, h('a', { href: '/topics' }, 'Topics'), ' / ', name), actions),
    h('nav', { class: 'tabs', role: 'tablist' }, TABS.map(([key, title]) => h('a', {
      href: '/topics/' + encodeURIComponent(name) + (key === 'partitions' ? '' : '?tab=' + key), role: 'tab',
      class: key === tab ? 'active' : '', 'aria-selected': key === tab ? 'true' : 'false', dataset: { tab: key } }, title))),
    body);
  const closers = [];
  if (tab === 'partitions') closers.push(partitionsTab(body, name, topic));
  if (tab === 'messages') closers.push(messagesTab(body, name, topic, query));
  if (tab === 'produce') produceTab(body, name, topic);
  if (tab === 'configs') configsTab(body, name, topic);
  if (tab === 'groups') await groupsTab(body, name);
  return { close: () => closers.forEach(c => c && c()) };
}

function partitionsTab(body, name, topic) {
  const list = h('div', { id: 'partitions' });
  const rates = {};
  const charts = rateCharts(name, sample => {
    const t = sample.topics && sample.topics[name];
    Object.assign(rates, (t && t.partitions) || {});
  });
  const tools = h('div');
  fill(body, list, tools, charts.el);
  const draw = () => {
    fill(list, table(['Partition', 'Leader', 'Replicas', 'In sync', 'Log start', 'High watermark', 'Records', 'Size', 'Segments', 'In', 'Out'],
      topic.partitions.map(p => {
        const r = rates[p.partition] || {};
        const offline = p.offlineReplicas && p.offlineReplicas.length;
        return h('tr', { dataset: { partition: p.partition, leader: p.leader } },
          h('td', null, String(p.partition)),
          h('td', { class: p.leader < 0 ? 'bad' : '' }, p.leader < 0 ? 'none' : String(p.leader)),
          h('td', null, p.replicas.join(', ') + (offline ? ' (offline: ' + p.offlineReplicas.join(', ') + ')' : '')),
          h('td', { class: p.isr.length < p.replicas.length ? 'warn' : '' }, p.isr.join(', ')),
          h('td', null, count(p.logStartOffset)), h('td', null, count(p.highWatermark)),
          h('td', null, count(p.highWatermark - p.logStartOffset)), h('td', null, bytes(p.sizeBytes)), h('td', null, count(p.segments)),
          h('td', null, rate(r.inRecordsPerSec)), h('td', null, rate(r.outRecordsPerSec)));
      }), { class: 'grid', id: 'partitions-table' }));
  };
  draw();
  if (can('ALTER')) fill(tools, partitionTools(name, topic));
  const closeWatch = stream('/api/watch/topics/' + encodeURIComponent(name), { topic: t => { topic = t; draw(); } });
  const timer = setInterval(draw, 2000); // redraws the rates the metrics stream brought
  return () => { closeWatch(); charts.close(); clearInterval(timer); };
}

function partitionTools(name, topic) {
  const partitionChoices = topic.partitions.map(p => [p.partition, String(p.partition)]);
  const electPartition = select('partition', [['', 'all'], ...partitionChoices], '');
  const elect = actionForm({ id: 'elect-form' }, [h('strong', null, 'Preferred leader election'), field('Partition', electPartition)],
    'Elect', async () => {
      const partitions = electPartition.value === '' ? topic.partitions.map(p => name + ':' + p.partition) : [name + ':' + electPartition.value];
      const answer = await post('/api/partitions/elect-leaders', { preferred: true, partitions });
      toast(Object.entries(answer.results).map(([k, v]) => k + ' ' + (v === 'NONE' ? 'elected' : v)).join(', '));
    });
  const reassignPartition = select('partition', partitionChoices, '0');
  const replicas = h('input', { name: 'replicas', placeholder: '1,2,3', required: true });
  const reassign = actionForm({ id: 'reassign-form' }, [h('strong', null, 'Reassign'), field('Partition', reassignPartition),
    field('Replicas', replicas, 'broker ids, the first is the preferred leader')], 'Reassign', async () => {
    const ids = replicas.value.split(/[ ,]+/).filter(Boolean).map(Number);
    const answer = await post(`/api/topics/${encodeURIComponent(name)}/partitions/${reassignPartition.value}/reassign`, { replicas: ids });
    toast(`Partition ${answer.partition}: replicas ${answer.replicas.join(',')}` + (answer.reassigning ? ' (moving)' : ''));
  });
  const purgePartition = select('partition', [['', 'all'], ...partitionChoices], '');
  const purgeOffset = h('input', { name: 'offset', type: 'number', min: -1, placeholder: 'high watermark' });
  const purge = actionForm({ id: 'purge-form' }, [h('strong', null, 'Purge records'), field('Partition', purgePartition),
    field('Before offset', purgeOffset, 'records below it are deleted')], 'Purge', async () => {
    const offset = purgeOffset.value === '' ? -1 : Number(purgeOffset.value);
    const body = purgePartition.value === '' ? (offset === -1 ? {} : { partitions: topic.partitions.map(p => ({ partition: p.partition, offset })) })
      : { partitions: [{ partition: Number(purgePartition.value), offset }] };
    const answer = await post(`/api/topics/${encodeURIComponent(name)}/records/delete`, body);
    toast(answer.results.map(r => `p${r.partition}: ` + (r.error ? r.message || r.error : 'starts at ' + r.lowWatermark)).join(', '));
  });
  return h('details', { class: 'tools' }, h('summary', null, 'Operate'), elect, reassign, purge);
}

function produceTab(body, name, topic) {
  if (!can('WRITE', topic.authorizedOperations)) {
    fill(body, h('p', { class: 'empty' }, 'You may not produce to this topic.'));
    return;
  }
  const key = h('input', { name: 'key', placeholder: 'none' });
  const value = h('textarea', { name: 'value', rows: 6, placeholder: '{"hello": "world"}' });
  const headers = h('textarea', { name: 'headers', rows: 2, placeholder: 'source=console' });
  const partition = select('partition', [['', 'by key (or any)'], ...topic.partitions.map(p => [p.partition, String(p.partition)])], '');
  const result = h('p', { id: 'produce-result' });
  fill(body, actionForm({ id: 'produce-form', class: 'stack-form' }, [field('Key', key), field('Value', value),
    field('Headers', headers, 'one name=value per line'), field('Partition', partition)], 'Send', async () => {
    const record = { value: value.value, headers: parseLines(headers.value) };
    if (key.value !== '') record.key = key.value;
    if (partition.value !== '') record.partition = Number(partition.value);
    const answer = await post('/api/topics/' + encodeURIComponent(name) + '/records', { records: [record] });
    const at = answer.offsets[0];
    fill(result, 'Sent to partition ', String(at.partition), ' at offset ', String(at.offset), ' · ',
      h('a', { href: `/topics/${encodeURIComponent(name)}?tab=messages&partition=${at.partition}&offset=${at.offset}` }, 'show it'));
  }), result);
}

function configsTab(body, name, topic) {
  const editable = can('ALTER_CONFIGS', topic.authorizedOperations);
  const draw = () => fill(body, table(['Config', 'Value', 'Source', ''], Object.keys(topic.configs).sort().map(k => {
    const overridden = Object.prototype.hasOwnProperty.call(topic.configOverrides, k);
    const input = h('input', { name: k, value: topic.configs[k], disabled: !editable, class: 'config-value' });
    const error = h('span', { class: 'error' });
    return h('tr', { dataset: { config: k } }, h('td', { class: 'mono' }, k), h('td', null, input, error),
      h('td', null, overridden ? h('span', { class: 'badge override' }, 'override') : h('span', { class: 'muted' }, 'default')),
      h('td', null, editable ? [
        h('button', { onclick: async () => {
          error.textContent = '';
          try {
            await put(`/api/topics/${encodeURIComponent(name)}/configs`, { set: { [k]: input.value } });
            topic = await get('/api/topics/' + encodeURIComponent(name));
            toast(k + ' set');
            draw();
          } catch (e) { error.textContent = e.message; }
        } }, 'Save'),
        overridden ? h('button', { class: 'link', onclick: async () => {
          await put(`/api/topics/${encodeURIComponent(name)}/configs`, { delete: [k] });
          topic = await get('/api/topics/' + encodeURIComponent(name));
          toast(k + ' back to its default');
          draw();
        } }, 'Reset') : null] : null));
  }), { class: 'grid', id: 'configs-table' }));
  draw();
}

async function groupsTab(body, name) {
  fill(body, h('p', null, 'Loading the groups…'));
  const list = await get('/api/groups');
  const described = await Promise.all(list.groups.slice(0, 100).map(g =>
    get('/api/groups/' + encodeURIComponent(g.groupId)).catch(() => null)));
  const rows = [];
  for (const g of described) {
    if (!g) continue;
    const mine = g.offsets.filter(o => o.topic === name);
    if (mine.length === 0) continue;
    const lag = mine.reduce((sum, o) => sum + (o.lag || 0), 0);
    rows.push(h('tr', { dataset: { group: g.groupId } }, h('td', null, h('a', { href: '/groups/' + encodeURIComponent(g.groupId) }, g.groupId)),
      h('td', null, g.state), h('td', null, count(g.members.length)), h('td', null, count(lag))));
  }
  fill(body, rows.length ? table(['Group', 'State', 'Members', 'Lag on this topic'], rows, { class: 'grid' })
    : h('p', { class: 'empty' }, 'No group has read this topic.'),
  list.groups.length > 100 ? h('p', { class: 'muted' }, 'The first 100 groups were looked at.') : null);
}
