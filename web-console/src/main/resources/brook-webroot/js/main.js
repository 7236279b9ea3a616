// The console's shell: session, header, theme, and the client-side router. Every page has a URL
// (path and query hold its filters), so a page, a search or a record can be linked.
import { h, fill, toast } from './dom.js';
import { session, loadSession, logout } from './api.js';
import { clusterPage } from './pages/cluster.js';
import { topicsPage } from './pages/topics.js';
import { topicPage } from './pages/topic.js';
import { groupsPage } from './pages/groups.js';
import { groupPage } from './pages/group.js';
import { loginPage } from './pages/login.js';

const routes = [
  [/^\/$/, clusterPage, 'cluster'],
  [/^\/topics$/, topicsPage, 'topics'],
  [/^\/topics\/([^/]+)$/, topicPage, 'topics'],
  [/^\/groups$/, groupsPage, 'groups'],
  [/^\/groups\/([^/]+)$/, groupPage, 'groups'],
  [/^\/login$/, loginPage, null],
];

let current = null; // {close}

export function navigate(url, replace = false) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

/** Replaces the query of the current URL without a new history entry (filters as they change). */
export function setQuery(params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') query.set(k, v);
  const text = query.toString();
  history.replaceState(null, '', location.pathname + (text ? '?' + text : ''));
}

async function render() {
  if (current && current.close) current.close();
  current = null;
  const main = document.getElementById('main');
  const path = location.pathname.replace(/\/+$/, '') || '/';
  for (const [pattern, page, section] of routes) {
    const match = path.match(pattern);
    if (!match) continue;
    markNav(section);
    const params = match.slice(1).map(decodeURIComponent);
    const query = new URLSearchParams(location.search);
    try {
      current = await page(main, params, query);
    } catch (e) {
      fill(main, h('p', { class: 'error' }, String(e.message || e)));
    }
    return;
  }
  fill(main, h('h1', null, 'Not found'), h('p', null, 'No page at ', path, '. ', h('a', { href: '/' }, 'Cluster')));
}

function markNav(section) {
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.section === section);
}

function renderWho() {
  const who = document.getElementById('who');
  if (!session.principal) { who.replaceChildren(); return; }
  fill(who,
    h('span', { class: 'principal', title: 'signed in as' }, session.anonymous ? 'anonymous' : session.principal.replace(/^User:/, '')),
    session.readOnly ? h('span', { class: 'badge', title: 'console.read.only is set' }, 'read-only') : null,
    session.anonymous ? null : h('button', { class: 'link', id: 'logout', onclick: async () => {
      await logout();
      navigate('/login');
    } }, 'Sign out'));
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('brook.theme', theme);
}

async function start() {
  const saved = localStorage.getItem('brook.theme');
  applyTheme(saved || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  document.getElementById('theme').addEventListener('click', () =>
    applyTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
  // links inside the console navigate without reloading (streams of the old page are closed)
  document.addEventListener('click', e => {
    const a = e.target.closest('a');
    if (!a || a.target || e.ctrlKey || e.metaKey || e.shiftKey || a.origin !== location.origin || a.hasAttribute('download')) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
  window.addEventListener('popstate', render);
  window.addEventListener('brook:login', () => { if (location.pathname !== '/login') navigate('/login?next=' + encodeURIComponent(location.pathname + location.search)); });
  window.addEventListener('brook:session', renderWho);
  try {
    if (!(await loadSession()) && location.pathname !== '/login') {
      history.replaceState(null, '', '/login?next=' + encodeURIComponent(location.pathname + location.search));
    }
  } catch (e) {
    toast('Cannot load the session: ' + (e.message || e), 'error');
  }
  renderWho();
  render();
}

start();
