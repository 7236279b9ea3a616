// Consumer groups: state, members and total lag of each (the first 50 groups of the list are described).
import { h, fill, table } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { setQuery } from '../main.js';

const DESCRIBED = 50;

export async function groupsPage(main, params, query) {
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Search groups', value: query.get('search') || '', 'aria-label': 'Search groups' });
  const list = h('div', { id: 'groups-list' });
  fill(main, h('h1', null, 'Consumer groups'), h('div', { class: 'toolbar' }, search), list);
  const all = await get('/api/groups');
  const draw = async () => {
    const term = search.value.trim();
    setQuery({ search: term });
    const shown = all.groups.filter(g => g.groupId.includes(term)).sort((a, b) => a.groupId.localeCompare(b.groupId));
    const details = await Promise.all(shown.slice(0, DESCRIBED).map(g => get('/api/groups/' + encodeURIComponent(g.groupId)).catch(() => null)));
    fill(list, shown.length === 0 ? h('p', { class: 'empty' }, term ? 'No group matches.' : 'No consumer groups yet.')
      : table(['Group', 'State', 'Members', 'Topics', 'Total lag', 'Coordinator'], shown.map((g, i) => {
        const d = details[i];
        return h('tr', { dataset: { group: g.groupId } }, h('td', null, h('a', { href: '/groups/' + encodeURIComponent(g.groupId) }, g.groupId)),
          h('td', { class: 'state ' + g.state }, g.state), h('td', null, d ? count(d.members.length) : '–'),
          h('td', null, d ? [...new Set(d.offsets.map(o => o.topic))].join(', ') : '–'),
          h('td', null, d ? count(d.totalLag) : '–'), h('td', null, String(g.coordinator)));
      }), { class: 'grid', id: 'groups-table' }),
    all.unavailable && all.unavailable.length ? h('p', { class: 'warn' }, 'Brokers that did not answer: ' + all.unavailable.join(', ')) : null,
    shown.length > DESCRIBED ? h('p', { class: 'muted' }, `Members and lag are shown for the first ${DESCRIBED}; search to narrow.`) : null);
  };
  let timer;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(draw, 200); });
  await draw();
  return { close: () => clearTimeout(timer) };
}
