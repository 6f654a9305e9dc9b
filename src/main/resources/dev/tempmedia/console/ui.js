// Small DOM helpers shared by every view: element building, copying, notices, formatting.
import { t } from './i18n.js';

/** h('div.card#id', {attrs}, children…): an element; strings become text nodes, null/false are skipped. */
export function h(spec, attrs, ...children) {
  const [tag, ...parts] = spec.split(/(?=[.#])/);
  const el = document.createElement(tag && !/^[.#]/.test(tag) ? tag : 'div');
  if (/^[.#]/.test(tag)) parts.unshift(tag);
  for (const part of parts) {
    if (part.startsWith('#')) el.id = part.slice(1);
    else el.classList.add(part.slice(1));
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = value;
    else if (key === 'i18n') {
      el.dataset.i18n = value; // translated again when the language changes
      el.textContent = t(value);
    } else if (key === 'i18nTitle') {
      el.dataset.i18nTitle = value;
      el.title = t(value);
    } else if (key === 'i18nPlaceholder') {
      el.dataset.i18nPlaceholder = value;
      el.placeholder = t(value);
    }
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Copies text; also works on a plain-http page, where the Clipboard API is not offered. */
export async function copy(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
    } else {
      const area = h('textarea', { readonly: true, class: 'offscreen' }, text);
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    notify(t('copied'));
  } catch {
    notify(t('copyFailed'), 'error');
  }
}

export function copyButton(text, label = t('copy')) {
  return h('button.ghost.small', { type: 'button', onclick: () => copy(typeof text === 'function' ? text() : text) }, label);
}

/** A notice in the corner for a few seconds. */
export function notify(message, kind = 'info') {
  const box = $('#notices');
  const note = h('div.notice.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(note);
  setTimeout(() => note.remove(), kind === 'error' ? 8000 : 2500);
}

/**
 * A button that asks to be clicked a second time within 3 s before it acts: no modal confirm()
 * that would block the page's live updates.
 */
export function confirmButton(label, confirmLabel, action, extraClass = '') {
  let armed = null;
  const button = h('button.small.danger' + extraClass, { type: 'button' }, label);
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = confirmLabel;
      button.classList.add('armed');
      armed = setTimeout(() => {
        armed = null;
        button.textContent = label;
        button.classList.remove('armed');
      }, 3000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
      button.textContent = label;
      button.classList.remove('armed');
    }
  });
  return button;
}

export function formatBytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = n;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "2d 23:59:58" (2天 23:59:58), or the word for expired. */
export function formatRemaining(ms) {
  if (ms <= 0) return t('expired');
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86400);
  const pad = (n) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${t('days', { n: days })} ${clock}` : clock;
}

/** "+3d 2h", "−1h", "0" for a clock offset in seconds. */
export function formatOffset(seconds) {
  if (!seconds) return '0';
  const sign = seconds < 0 ? '−' : '+';
  let rest = Math.abs(seconds);
  const parts = [];
  for (const [size, key] of [[86400, 'unitDay'], [3600, 'unitHour'], [60, 'unitMinute'], [1, 'unitSecond']]) {
    if (rest >= size) {
      parts.push(t(key, { n: Math.floor(rest / size) }));
      rest %= size;
    }
  }
  return sign + parts.join(' ');
}

const pad2 = (n) => String(n).padStart(2, '0');

/** "2026-11-22 18:00:00" in this browser's time zone: the same in both languages, and sortable. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || '';
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${formatTime(iso)}`;
}

export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso || '';
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}
