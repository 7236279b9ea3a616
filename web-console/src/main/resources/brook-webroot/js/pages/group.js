// One group: members and their partitions, committed offset / end / lag per partition and a live
// lag chart (GET /api/watch/groups/:group), offsets reset with a preview, delete when empty.
import { h, fill, field, table, select, toast } from '../dom.js';
import { get, post, del, can, stream } from '../api.js';
import { count } from '../format.js';
import { navigate } from '../main.js';
import { LiveChart } from '../chart.js';
import { confirmByTyping, actionForm } from './common.js';

export async function groupPage(main, [id]) {
  let group = await get('/api/groups/' + encodeURIComponent(id));
  const summary = h('div', { class: 'cards', id: 'group-summary' });
  const members = h('div', { id: 'members' });
  const offsets = h('div', { id: 'offsets' });
  const lagChart = new LiveChart('Total lag', [{ key: 'lag', label: 'lag', className: 's1' }], v => count(Math.round(v)), 15 * 60 * 1000);
  const tools = h('div', { id: 'group-tools' });
  fill(main, h('div', { class: 'page-head' }, h('h1', null, h('a', { href: '/groups' }, 'Groups'), ' / ', id)),
    summary, h('div', { class: 'chart-row single' }, lagChart.el), h('h2', null, 'Members'), members, h('h2', null, 'Offsets'), offsets, tools);

  const draw = () => {
    fill(summary, h('div', { class: 'card stat' }, h('div', { class: 'stat-title' }, 'State'), h('div', { class: 'stat-value', id: 'group-state' }, group.state)),
      h('div', { class: 'card stat' }, h('div', { class: 'stat-title' }, 'Members'), h('div', { class: 'stat-value' }, count(group.members.length))),
      h('div', { class: 'card stat' }, h('div', { class: 'stat-title' }, 'Total lag'), h('div', { class: 'stat-value', id: 'total-lag' }, count(group.totalLag))),
      h('div', { class: 'card stat' }, h('div', { class: 'stat-title' }, 'Coordinator'), h('div', { class: 'stat-value' }, 'broker ' + group.coordinator)));
    fill(members, group.members.length === 0 ? h('p', { class: 'empty' }, 'No member runs.')
      : table(['Member', 'Client', 'Host', 'Partitions'], group.members.map(m => h('tr', null, h('td', { class: 'mono' }, m.groupInstanceId || m.memberId),
        h('td', null, m.clientId), h('td', null, m.host), h('td', null, m.partitions.map(p => p.topic + ':' + p.partition).join(', ')))), { class: 'grid' }));
    fill(offsets, table(['Topic', 'Partition', 'Committed', 'End', 'Lag', 'Owner'], group.offsets.map(o => h('tr', { dataset: { topic: o.topic, partition: o.partition } },
      h('td', null, h('a', { href: '/topics/' + encodeURIComponent(o.topic) }, o.topic)), h('td', null, String(o.partition)),
      h('td', null, o.committedOffset < 0 ? '–' : count(o.committedOffset)), h('td', null, count(o.logEndOffset)),
      h('td', { class: 'lag' }, o.lag === undefined ? '–' : count(o.lag)), h('td', null, o.clientId ? o.clientId + ' (' + o.host + ')' : ''))),
    { class: 'grid', id: 'offsets-table' }));
    // the forms are redrawn only when whether they apply changes, not under the user's typing
    const toolsKey = group.members.length === 0 ? 'empty' : 'running';
    if (toolsKey !== drawnTools) {
      drawnTools = toolsKey;
      drawTools();
    }
  };
  let drawnTools = null;

  const drawTools = () => {
    const ops = group.authorizedOperations;
    const empty = group.members.length === 0;
    if (!can('DELETE', ops) && !can('READ', ops)) { fill(tools); return; }
    const topics = [...new Set(group.offsets.map(o => o.topic))];
    fill(tools, h('h2', null, 'Operate'),
      empty ? null : h('p', { class: 'muted' }, 'Offsets can be reset and the group deleted only while no consumer of the group runs.'),
      can('READ', ops) && topics.length ? resetForm(topics, empty) : null,
      can('DELETE', ops) ? h('button', { class: 'danger', id: 'delete-group', disabled: !empty, onclick: () => confirmByTyping('Delete group', id,
        'Deletes the group\'s committed offsets.', async () => {
          await del('/api/groups/' + encodeURIComponent(id));
          toast('Group ' + id + ' deleted');
          navigate('/groups');
        }) }, 'Delete group') : null);
  };

  const resetForm = (topics, empty) => {
    const topic = select('topic', topics.map(t => [t]), topics[0]);
    const to = select('to', [['earliest'], ['latest'], ['datetime', 'date and time'], ['offset'], ['shift', 'shift by']], 'earliest');
    const value = h('input', { name: 'value', placeholder: 'value', hidden: true });
    to.addEventListener('change', () => {
      value.hidden = to.value === 'earliest' || to.value === 'latest';
      value.type = to.value === 'datetime' ? 'datetime-local' : 'number';
    });
    const plan = h('div', { id: 'reset-plan' });
    const request = execute => {
      const body = { topic: topic.value, to: to.value, execute };
      if (!value.hidden) body.value = to.value === 'datetime' ? new Date(value.value).toISOString() : Number(value.value);
      return post('/api/groups/' + encodeURIComponent(id) + '/offsets', body);
    };
    const form = actionForm({ id: 'reset-form' }, [h('strong', null, 'Reset offsets'), field('Topic', topic), field('To', to), value],
      'Preview', async () => {
        const preview = await request(false);
        fill(plan, table(['Partition', 'Current', 'New'], preview.partitions.map(p => h('tr', null, h('td', null, String(p.partition)),
          h('td', null, p.currentOffset < 0 ? '–' : count(p.currentOffset)), h('td', null, count(p.newOffset)))), { class: 'grid' }),
        h('button', { class: 'danger', id: 'apply-reset', onclick: async () => {
          try {
            await request(true);
            toast('Offsets reset');
            fill(plan);
          } catch (e) { toast(e.message, 'error'); }
        } }, 'Apply this reset'));
      });
    if (!empty) for (const el of form.querySelectorAll('button, select, input')) el.disabled = true;
    return h('div', null, form, plan);
  };

  draw();
  lagChart.push(Date.now(), { lag: group.totalLag || 0 });
  const close = stream('/api/watch/groups/' + encodeURIComponent(id), {
    group: g => { group = g; lagChart.push(Date.now(), { lag: g.totalLag || 0 }); draw(); },
  });
  // the watch sends changes only: the chart carries the last known lag forward each second (no request)
  const carry = setInterval(() => lagChart.push(Date.now(), { lag: group.totalLag || 0 }), 1000);
  return { close: () => { close(); clearInterval(carry); } };
}
