// The details panel: one namespace (GET /namespaces/{ns}: its row, what it holds as seen from inside, its processes)
// or one process (GET /processes/{pid}: its row, its ten links, its PID in every PID namespace, loose threads).
// Every inode and PID in it is a link to its own details.

import { h, text, num, containerName, isContainer } from './dom.js';
import { getJson, apiUrl, token } from './api.js';
import { store, noteSnapshot } from './store.js';
import { marksOf, badges } from './marks.js';

export class DetailsPanel {
  constructor(root, { onShowProcesses }) {
    this.root = root;
    this.onShowProcesses = onShowProcesses;
    this.body = h('div', { class: 'details-body' });
    this.title = h('h2', { id: 'details-title', tabindex: -1 }, 'Details');
    this.close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close details', onclick: () => this.hide() }, '✕');
    root.append(h('div', { class: 'details-head' }, this.title, this.close), this.body);
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hide();
    });
    root.addEventListener('click', (e) => {
      const link = e.target.closest('[data-goto-ns], [data-goto-pid]');
      if (!link) return;
      e.preventDefault();
      if (link.dataset.gotoNs) this.namespace(Number(link.dataset.gotoNs));
      else this.process(Number(link.dataset.gotoPid));
    });
    this.returnFocus = null;
    this.request = 0;
  }

  show(title) {
    if (this.root.hidden) this.returnFocus = document.activeElement;
    this.root.hidden = false;
    this.title.textContent = title;
    this.body.replaceChildren(h('p', { class: 'dim' }, 'Loading…'));
    this.title.focus();
    return ++this.request;
  }

  hide() {
    this.root.hidden = true;
    this.returnFocus?.focus?.();
  }

  async load(path, id) {
    try {
      const { data, serverDate } = await getJson(path);
      noteSnapshot(data.snapshot, serverDate);
      return id === this.request ? data : null;
    } catch (e) {
      if (id === this.request) this.body.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
      return null;
    }
  }

  /** Shows these parts (null parts skipped: replaceChildren would write them as "null"). */
  fill(...parts) {
    this.body.replaceChildren(...parts.filter((p) => p !== null && p !== undefined));
  }

  async namespace(ns) {
    const id = this.show(`Namespace ${ns}`);
    this.root.dataset.ns = ns;
    delete this.root.dataset.pid;
    const n = await this.load(`namespaces/${ns}`, id);
    if (!n) return;
    this.title.textContent = `${n.type} namespace ${n.ns}`;
    const c = n.container;
    this.fill(
      h('div', { class: 'marks' }, badges(marksOf(n))),
      fields([
        ['type', n.type], ['inode', n.ns], ['processes', n.nprocs], ['lowest PID', pidLink(n.pid)], ['PPID', pidLink(n.ppid)],
        ['command', n.command], ['user', n.user === null ? null : `${n.user} (${n.uid})`], ['path', n.path],
        ['nsfs', n.nsfs], ['netnsid', n.netnsid], ['parent (pns)', nsLink(n.pns)], ['owner (ons)', nsLink(n.ons)],
        ['owner UID', n.ownerUid], ['ghost', n.ghost ? 'yes: only a descendant holds it' : null],
        ['container', isContainer(c) ? `${containerName(c)}` : null], ['container ID', c?.containerId],
        ['pod', c?.podUid], ['unit', c?.unit], ['sandbox', n.sandbox],
      ]),
      n.holders.length ? section('Held by', table(['kind', 'PID', 'fd', 'mount ns', 'path'],
        n.holders.map((x) => [x.kind, pidLink(x.pid), x.fd, nsLink(x.mountNamespace), x.path]))) : null,
      n.looseThreads.length ? section('Loose threads', table(['TID', 'PID', 'comm'],
        n.looseThreads.map((t) => [t.tid, pidLink(t.pid), t.comm]))) : null,
      section('Inside', value(strip(n.details))),
      section(`Processes (${n.processes.length})`, table(['PID', 'PPID', 'user', 'command'],
        n.processes.map((p) => [pidLink(p.pid), pidLink(p.ppid), p.user, p.command])),
        n.processes.length ? h('button', { type: 'button', onclick: () => this.onShowProcesses(n.ns) },
          'Show them in the process table') : null),
      rawLinks(`namespaces/${n.ns}`));
  }

  async process(pid) {
    const id = this.show(`Process ${pid}`);
    this.root.dataset.pid = pid;
    delete this.root.dataset.ns;
    const p = await this.load(`processes/${pid}`, id);
    if (!p) return;
    this.title.textContent = `Process ${p.pid}: ${p.comm}`;
    const c = p.container;
    this.fill(
      fields([
        ['PID', p.pid], ['PPID', pidLink(p.ppid)], ['user', p.user === null ? null : `${p.user} (${p.uid})`],
        ['state', p.state], ['command', p.command], ['threads', p.threads],
        ['kernel thread', p.kernelThread ? 'yes' : null], ['unreadable', p.unreadable ? 'yes: some files were denied' : null],
        ['container', isContainer(c) ? containerName(c) : null], ['container ID', c?.containerId], ['pod', c?.podUid],
        ['unit', c?.unit],
        ['children', p.children.length ? h('span', {}, p.children.flatMap((k, i) => [i ? ' ' : '', pidLink(k)])) : null],
      ]),
      section('PID map', pidMap(p)),
      section('Namespaces (/proc/' + p.pid + '/ns)', table(['link', 'namespace', 'host init\'s?'],
        p.links.map((l) => [l.name, l.ns === null ? '?' : h('span', {}, `${l.type}:[`, nsLink(l.ns), ']'),
          l.sameAsInit === null ? '?' : l.sameAsInit ? 'same' : h('strong', { class: 'isolated' }, 'isolated')]))),
      p.looseThreads.length ? section('Loose threads', table(['TID', 'comm', 'differs'],
        p.looseThreads.map((t) => [t.tid, t.comm, Object.entries(t.differs).map(([k, v]) => `${k}:[${v}]`).join(' ')]))) : null,
      rawLinks(`processes/${p.pid}`));
  }
}

/** The process's PID in each PID namespace, from the host's down to its own (NSpid), with each namespace's inode. */
function pidMap(p) {
  const chain = [];
  for (let ns = p.namespaces.pid; ns !== null && ns !== undefined && chain.length < 40; ) {
    chain.unshift(ns);
    ns = store.byNs.get(ns)?.pns ?? null;
  }
  const known = chain.length === p.nspid.length;
  return table(['level', 'PID namespace', 'PID there'], p.nspid.map((pid, level) => [
    level === 0 ? '0 (host)' : level, known ? nsLink(chain[level]) : level === p.nspid.length - 1 ? nsLink(p.namespaces.pid) : '?', pid]));
}

function strip(details) {
  if (!details) return null;
  const { via, ...rest } = details;
  return via ? { 'read via PID': via, ...rest } : rest;
}

function pidLink(pid) {
  return pid === null || pid === undefined || pid === 0 ? num(pid)
    : h('a', { href: '#', dataset: { gotoPid: pid }, title: `Process ${pid}` }, String(pid));
}

function nsLink(ns) {
  return ns === null || ns === undefined ? '–' : h('a', { href: '#', dataset: { gotoNs: ns }, title: `Namespace ${ns}` }, String(ns));
}

function fields(pairs) {
  return h('dl', { class: 'fields' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : String(v))]));
}

function section(title, ...content) {
  return h('section', {}, h('h3', {}, title), ...content);
}

function table(head, rows) {
  if (!rows.length) return h('p', { class: 'dim' }, 'none');
  return h('table', {}, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c instanceof Node ? c : text(c)))))));
}

/** Any JSON value as a definition list, a table (arrays of objects) or text. */
function value(v) {
  if (v === null || v === undefined) return h('span', { class: 'dim' }, '–');
  if (Array.isArray(v)) {
    if (!v.length) return h('span', { class: 'dim' }, 'none');
    if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const keys = [...new Set(v.flatMap((x) => Object.keys(x)))];
      return table(keys, v.map((x) => keys.map((k) => (typeof x[k] === 'object' && x[k] !== null ? value(x[k]) : x[k]))));
    }
    return h('span', {}, v.map(String).join(' '));
  }
  if (typeof v === 'object') {
    return h('dl', { class: 'fields' }, Object.entries(v).map(([k, x]) => [h('dt', {}, k), h('dd', {}, value(x))]));
  }
  return h('span', {}, String(v));
}

function rawLinks(path) {
  return h('p', { class: 'raw' }, 'As the API answers: ', h('a', { href: apiUrl(path).href, target: '_blank', rel: 'noopener' }, 'JSON'),
    token() ? ' (a new tab sends no token)' : '');
}
