// DOM building without innerHTML: every string becomes a text node, so record keys, values and
// headers (which may hold HTML or script) are always shown as text, never parsed.

/** h('div', {class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2), value);
      } else if (name === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (name === 'value' && 'value' in el) {
        el.value = value;
      } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
        el[name] = Boolean(value);
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function table(headers, rows, attrs) {
  return h('table', attrs, h('thead', null, h('tr', null, headers.map(x => (x instanceof Node ? x : h('th', null, x))))),
    h('tbody', null, rows));
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', null, label), input, hint ? h('small', null, hint) : null);
}

export function select(name, options, current, attrs) {
  return h('select', { name, ...attrs }, options.map(([value, text]) =>
    h('option', { value, selected: String(value) === String(current) }, text ?? value)));
}

let toastTimer;
/** A short message at the bottom of the page; errors stay until the next message. */
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  fill(el, message);
  el.className = 'show ' + kind;
  clearTimeout(toastTimer);
  if (kind !== 'error') toastTimer = setTimeout(() => { el.className = ''; }, 4000);
}
