// Cluster: brokers, controller, partitions' health, live throughput. Live from /api/watch/cluster.
import { h, fill, table } from '../dom.js';
import { get, stream } from '../api.js';
import { age, bytes, count } from '../format.js';
import { rateCharts } from './common.js';

export async function clusterPage(main) {
  const summary = h('div', { class: 'cards', id: 'cluster-summary' });
  const brokers = h('div', { id: 'brokers' });
  const problems = h('div', { id: 'problems' });
  const charts = rateCharts(null);
  fill(main, h('h1', null, 'Cluster'), summary, problems, h('h2', null, 'Brokers'), brokers, charts.el);
  let node = {}, cluster = null, health = null, disks = {};

  const draw = () => {
    if (!cluster) return;
    const down = cluster.brokers.filter(b => b.state !== 'UNFENCED').length;
    fill(summary,
      card('Brokers', `${cluster.brokers.length - down} up` + (down ? ` · ${down} down` : ''), down ? 'warn' : ''),
      card('Controller', cluster.controllerId >= 0 ? 'broker ' + cluster.controllerId : 'none', cluster.controllerId >= 0 ? '' : 'bad'),
      card('Under-replicated', health ? count(health.underReplicatedPartitionCount) : '…',
        health && health.underReplicatedPartitionCount ? 'warn' : ''),
      card('Offline partitions', health ? count(health.leaderlessPartitionCount) : '…', health && health.leaderlessPartitionCount ? 'bad' : ''),
      card('Cluster manager', node.clusterManager || '–'),
      card('Version', node.version || '–'));
    fill(problems, health && !health.healthy ? h('div', { class: 'notice warn' },
      h('strong', null, 'Not healthy: '), health.reasons.join('; '),
      partitionLinks('Under-replicated', health.underReplicatedPartitions),
      partitionLinks('Offline', health.leaderlessPartitions)) : null);
    fill(brokers, table(['Id', 'Host', 'State', 'Heartbeat age', 'Leads', 'Hosts', 'Disk used'],
      cluster.brokers.map(b => h('tr', { dataset: { broker: b.nodeId, state: b.state } },
        h('td', null, String(b.nodeId), b.nodeId === cluster.controllerId ? h('span', { class: 'badge' }, 'controller') : null),
        h('td', null, b.host + (b.httpPort ? ':' + b.httpPort : '')),
        h('td', { class: 'state ' + b.state }, b.state),
        h('td', null, age(b.lastHeartbeatAgeMs)),
        h('td', null, count(b.leaderCount)),
        h('td', null, count(b.replicaCount)),
        h('td', null, diskText(disks[b.nodeId])))), { class: 'grid', id: 'brokers-table' }));
  };
  const diskText = dirs => !dirs || dirs.length === 0 ? '–' : dirs.map(d => h('div', { title: d.path },
    bytes(d.usedBytes) + (d.totalBytes ? ` · ${bytes(d.usableBytes)} free of ${bytes(d.totalBytes)}` : '')));

  [node, cluster, health] = await Promise.all([get('/api/node'), get('/api/cluster'), get('/api/health')]);
  draw();
  get('/api/metrics/cluster').then(m => {
    for (const b of m.brokers || []) disks[b.nodeId] = b.dataDirs;
    draw();
  }).catch(() => {});
  const closeWatch = stream('/api/watch/cluster', {
    cluster: c => { cluster = c; draw(); },
    health: x => { health = x; draw(); },
  });
  return { close: () => { closeWatch(); charts.close(); } };
}

function card(title, value, kind = '') {
  return h('div', { class: 'card stat ' + kind }, h('div', { class: 'stat-title' }, title), h('div', { class: 'stat-value' }, value));
}

function partitionLinks(title, names) {
  if (!names || names.length === 0) return null;
  return h('div', null, title + ': ', names.map(n => {
    const [topic] = n.split(/:(?=\d+$)/);
    return h('a', { href: '/topics/' + encodeURIComponent(topic), class: 'chip' }, n);
  }));
}
