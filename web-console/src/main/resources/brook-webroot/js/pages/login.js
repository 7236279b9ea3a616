import { h, fill } from '../dom.js';
import { login, session } from '../api.js';
import { navigate } from '../main.js';

export async function loginPage(main, params, query) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const form = h('form', { class: 'card login', onsubmit: async e => {
    e.preventDefault();
    status.textContent = '';
    try {
      await login(user.value, password.value);
      window.dispatchEvent(new Event('brook:session'));
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
    } catch (err) {
      status.textContent = err.status === 401 ? 'Wrong user name or password.' : String(err.message || err);
      password.value = '';
    }
  } },
  h('h1', null, 'Sign in to Brook'),
  h('label', { class: 'field' }, h('span', null, 'User'), user),
  h('label', { class: 'field' }, h('span', null, 'Password'), password),
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  status,
  session.principal && !session.anonymous ? h('p', null, 'Signed in as ', session.principal) : null);
  fill(main, form);
  return {};
}
