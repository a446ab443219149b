// Small DOM helpers. Everything the host reports (command lines above all) is attacker-controlled text: it is only
// ever written as text nodes or attribute values, never parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element: h('td', {class: 'num', dataset: {ns: 1}}, 'text', node...). Null and false children are skipped. */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      el.textContent = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A number with thin grouping, or a dash for null. */
export function num(value) {
  return value === null || value === undefined ? '–' : String(value);
}

/** Text, or a dash for null and empty. */
export function text(value) {
  return value === null || value === undefined || value === '' ? '–' : String(value);
}

/** Cuts long text for places with little room; the full text stays in a title. */
export function cut(value, max) {
  const t = value ?? '';
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** A container's short name, as the lsns table's CONTAINER column writes it. */
export function containerName(c) {
  if (!c) return '';
  if (!c.containerId) return c.runtime + ':' + (c.unit ?? '-');
  const id = /^[0-9a-f]{13,}$/.test(c.containerId) ? c.containerId.slice(0, 12) : c.containerId;
  return c.runtime + ':' + id;
}

/** Whether a container record names a real container (not merely a systemd unit). */
export function isContainer(c) {
  return !!c && c.runtime !== 'systemd';
}

/** "1.2 s", "3 min 4 s", for an age in milliseconds. */
export function age(ms) {
  if (!Number.isFinite(ms)) return '–';
  const secs = Math.max(0, ms) / 1000;
  if (secs < 10) return secs.toFixed(1) + ' s';
  if (secs < 120) return Math.round(secs) + ' s';
  const mins = Math.floor(secs / 60);
  return mins < 120 ? `${mins} min ${Math.round(secs % 60)} s` : `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** Calls fn at most once per animation frame, with the latest arguments. */
export function perFrame(fn) {
  let queued = false;
  let args = [];
  return (...a) => {
    args = a;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn(...args);
    });
  };
}
