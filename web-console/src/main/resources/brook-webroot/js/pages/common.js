// Pieces several pages share: the live charts of the metrics stream, page headers, confirmations.
import { h } from '../dom.js';
import { stream } from '../api.js';
import { LiveChart } from '../chart.js';
import { rate, byteRate } from '../format.js';

/**
 * Records/s and bytes/s in and out, live from GET /api/metrics/stream (15 minutes of history at
 * open, then one sample a second). `topic`: that topic's rates instead of the cluster's;
 * onSample(sample) sees every sample.
 */
export function rateCharts(topic, onSample) {
  const records = new LiveChart('Records/s', [
    { key: 'inRecordsPerSec', label: 'in', className: 's1' },
    { key: 'outRecordsPerSec', label: 'out', className: 's2' }], rate);
  const bytesChart = new LiveChart('Bytes/s', [
    { key: 'inBytesPerSec', label: 'in', className: 's1' },
    { key: 'outBytesPerSec', label: 'out', className: 's2' }], byteRate);
  const state = h('span', { class: 'stream-state', title: 'live stream' }, 'connecting…');
  const pick = sample => (topic ? (sample.topics && sample.topics[topic]) || {} : sample.totals || sample);
  const close = stream('/api/metrics/stream' + (topic ? '?topic=' + encodeURIComponent(topic) : ''), {
    history: body => {
      if (topic) return; // the history is the cluster's totals
      const samples = body.samples.map(s => ({ ts: s.ts, values: s }));
      records.reset(samples);
      bytesChart.reset(samples);
    },
    sample: sample => {
      const values = pick(sample);
      records.push(sample.ts, values);
      bytesChart.push(sample.ts, values);
      if (onSample) onSample(sample);
    },
  }, s => { state.textContent = s === 'open' ? '● live' : s; state.className = 'stream-state ' + s; });
  return { el: h('section', { class: 'charts' }, h('div', { class: 'charts-head' }, h('h2', null, 'Throughput'), state),
    h('div', { class: 'chart-row' }, records.el, bytesChart.el)), close };
}

/** A dialog asking to type `word` before `action` runs. */
export function confirmByTyping(title, word, explanation, action) {
  const input = h('input', { name: 'confirm', autocomplete: 'off', placeholder: word });
  const go = h('button', { class: 'danger', disabled: true, type: 'submit' }, title);
  input.addEventListener('input', () => { go.disabled = input.value !== word; });
  const error = h('p', { class: 'error', role: 'alert' });
  const dialog = h('dialog', { class: 'confirm' }, h('form', { method: 'dialog', onsubmit: async e => {
    e.preventDefault();
    if (input.value !== word) return;
    try {
      await action();
      dialog.close();
      dialog.remove();
    } catch (err) {
      error.textContent = String(err.message || err);
    }
  } }, h('h2', null, title), h('p', null, explanation), h('p', null, 'Type ', h('code', null, word), ' to confirm.'), input,
  error, h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { dialog.close(); dialog.remove(); } }, 'Cancel'), go)));
  document.body.appendChild(dialog);
  dialog.showModal();
  input.focus();
}

/** A small form that shows the API's error message in place. */
export function actionForm(attrs, fields, submitText, action) {
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitText);
  const form = h('form', { class: 'inline-form', ...attrs, onsubmit: async e => {
    e.preventDefault();
    error.textContent = '';
    button.disabled = true;
    try {
      await action(form);
    } catch (err) {
      error.textContent = String(err.message || err);
    } finally {
      button.disabled = false;
    }
  } }, fields, button, error);
  return form;
}
