// The namespaces table: GET /namespaces as rows, sorted by any column and filtered by type, persistence,
// container, pod, sandbox and free text.

import { h, num, text, cut, containerName, isContainer } from './dom.js';
import { marksOf, badges } from './marks.js';
import { VirtualTable } from './vtable.js';
import { store } from './store.js';

export const TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

const byNumber = (key) => (a, b) => (a[key] ?? -1) - (b[key] ?? -1);
const byText = (f) => (a, b) => (f(a) ?? '').localeCompare(f(b) ?? '');

/** Whether text matches a prefix filter: '' matches all, '*' anything present. */
function prefix(value, filter) {
  if (!filter) return true;
  if (!value) return false;
  return filter === '*' || value.toLowerCase().startsWith(filter.toLowerCase());
}

/** The rows that pass the filters {types: Set, persistent: '' | 'yes' | 'no', container, pod, sandbox, q}. */
export function filterNamespaces(rows, f) {
  const q = (f.q ?? '').trim().toLowerCase();
  const pod = (f.pod ?? '').trim().replaceAll('_', '-');
  const container = (f.container ?? '').trim();
  return rows.filter((n) => {
    if (f.types && !f.types.has(n.type)) return false;
    if (f.persistent === 'yes' && n.nprocs !== 0) return false;
    if (f.persistent === 'no' && !(n.nprocs > 0)) return false;
    if (container) {
      const c = n.container;
      if (!isContainer(c)) return false;
      if (container !== '*' && !prefix(c.containerId, container) && c.runtime !== container
          && !containerName(c).startsWith(container)) return false;
    }
    if (pod && !prefix(n.container?.podUid, pod)) return false;
    if (f.sandbox === 'any' && !n.sandbox) return false;
    if (f.sandbox === 'none' && n.sandbox) return false;
    if (f.sandbox && f.sandbox !== 'any' && f.sandbox !== 'none' && n.sandbox !== f.sandbox) return false;
    if (q && !haystack(n).includes(q)) return false;
    return true;
  });
}

function haystack(n) {
  const c = n.container ?? {};
  return [n.ns, n.type, n.pid, n.user, n.command, n.path, n.nsfs, n.netnsid, c.runtime, c.containerId, c.podUid,
    c.unit, n.sandbox, n.ghost ? 'ghost' : '', ...(n.holders ?? []).map((x) => `${x.kind} ${x.path ?? ''}`)]
    .filter((x) => x !== null && x !== undefined).join(' ').toLowerCase();
}

export class NamespacesView {
  constructor(root, { onNamespace }) {
    this.root = root;
    this.filters = { types: new Set(TYPES), persistent: '', container: '', pod: '', sandbox: '', q: '' };
    this.table = new VirtualTable([
      { key: 'ns', title: 'NS', width: '6.6rem', className: 'mono', cell: (n) => String(n.ns), sort: byNumber('ns') },
      { key: 'type', title: 'Type', width: '5rem', cell: (n) => h('span', { class: `type type-${n.type}` }, n.type),
        sort: byText((n) => n.type) },
      { key: 'nprocs', title: 'Procs', width: '4.2rem', className: 'num', cell: (n) => num(n.nprocs), sort: byNumber('nprocs') },
      { key: 'pid', title: 'PID', width: '4.8rem', className: 'num', cell: (n) => num(n.pid), sort: byNumber('pid') },
      { key: 'user', title: 'User', width: '5.4rem', cell: (n) => text(n.user), sort: byText((n) => n.user) },
      { key: 'command', title: 'Command', width: 'minmax(7.2rem, 3fr)', className: 'cmd',
        cell: (n) => commandCell(n), sort: byText((n) => n.command ?? n.path) },
      { key: 'container', title: 'Container', width: 'minmax(6.0rem, 1fr)', className: 'mono',
        cell: (n) => isContainer(n.container) ? containerName(n.container) : '', sort: byText((n) => containerName(n.container)) },
      { key: 'marks', title: 'Marks', width: 'minmax(6.0rem, 1.4fr)', className: 'marks',
        cell: (n) => badges(marksOf(n).filter((m) => m.kind !== 'container')) },
    ], {
      label: 'Namespaces', keyOf: (n) => n.ns, sort: { key: 'ns', dir: 1 },
      onActivate: (n) => onNamespace(n.ns),
      rowData: (n) => ({ ns: n.ns, type: n.type }),
      rowClass: (n) => (n.provisional ? 'provisional ' : '') + (store.fresh.has(n.ns) ? 'fresh' : '') + (n.nprocs === 0 ? ' persistent' : ''),
      empty: 'No namespace matches these filters.',
    });
    this.count = h('output', { class: 'count', 'aria-live': 'polite' });
    this.sandboxSelect = h('select', { name: 'sandbox' });
    root.append(this.form(), this.table.el);
  }

  form() {
    const update = () => this.readForm();
    const types = h('fieldset', { class: 'types' }, h('legend', {}, 'Types'),
      TYPES.map((t) => h('label', { class: `chip type-${t}` },
        h('input', { type: 'checkbox', name: 'type', value: t, checked: true }), t)));
    this.formEl = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter namespaces',
      oninput: update, onchange: update, onsubmit: (e) => e.preventDefault() },
      types,
      h('label', {}, 'Persistent ', h('select', { name: 'persistent' },
        h('option', { value: '' }, 'any'), h('option', { value: 'yes' }, 'yes: no process (lsns -P)'),
        h('option', { value: 'no' }, 'no: with processes'))),
      h('label', {}, 'Container ', h('input', { name: 'container', size: 14, placeholder: 'ID, runtime or *', autocomplete: 'off' })),
      h('label', {}, 'Pod ', h('input', { name: 'pod', size: 12, placeholder: 'UID or *', autocomplete: 'off' })),
      h('label', {}, 'Sandbox ', this.sandboxSelect),
      h('label', { class: 'grow' }, 'Search ', h('input', { type: 'search', name: 'q', placeholder: 'inode, command, user, path…', autocomplete: 'off' })),
      this.count);
    this.fillSandboxes();
    return this.formEl;
  }

  fillSandboxes() {
    const ids = [...new Set(store.namespaces.map((n) => n.sandbox).filter(Boolean))].sort();
    const current = this.sandboxSelect.value;
    this.sandboxSelect.replaceChildren(h('option', { value: '' }, 'any'), h('option', { value: 'any' }, 'in a sandbox'),
      h('option', { value: 'none' }, 'not in a sandbox'), ids.map((id) => h('option', { value: id }, id)));
    this.sandboxSelect.value = [...this.sandboxSelect.options].some((o) => o.value === current) ? current : '';
  }

  readForm() {
    const data = new FormData(this.formEl);
    this.filters = {
      types: new Set(data.getAll('type')), persistent: data.get('persistent'), container: data.get('container'),
      pod: data.get('pod'), sandbox: data.get('sandbox'), q: data.get('q'),
    };
    this.refresh();
  }

  /** Shows the store's namespaces through the filters. */
  refresh() {
    this.fillSandboxes();
    const rows = filterNamespaces(store.namespaces, this.filters);
    this.table.setRows(rows);
    this.count.value = `${rows.length} of ${store.namespaces.length} namespaces`;
  }

  focus() {
    this.table.el.focus();
  }
}

function commandCell(n) {
  if (n.command !== null && n.command !== undefined) return h('span', { title: n.command }, cut(n.command, 300));
  const why = n.ghost ? '[ghost]' : (n.holders ?? []).length ? `[${marksOf(n).find((m) => m.kind === 'holder').label}]`
    : n.path ?? '';
  return h('span', { class: 'dim' }, why);
}
