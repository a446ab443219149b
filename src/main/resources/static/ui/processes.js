// Every process (GET /processes), read when the tab is first shown and again as the host changes: 10,000 rows
// scroll as fast as 40, since only the rows in view are drawn.

import { h, num, text, cut, containerName, isContainer } from './dom.js';
import { VirtualTable } from './vtable.js';
import { getJson } from './api.js';
import { noteSnapshot } from './store.js';

const byNumber = (f) => (a, b) => (f(a) ?? -1) - (f(b) ?? -1);
const byText = (f) => (a, b) => (f(a) ?? '').localeCompare(f(b) ?? '');

export function filterProcesses(rows, { q = '', container = '', pod = '', kthreads = true, ns = null }) {
  const query = q.trim().toLowerCase();
  const c = container.trim().toLowerCase();
  const p = pod.trim().toLowerCase().replaceAll('_', '-');
  return rows.filter((r) => {
    if (!kthreads && r.kernelThread) return false;
    if (ns !== null && !Object.values(r.namespaces).includes(ns)) return false;
    if (c && !(isContainer(r.container) && (c === '*' || (r.container.containerId ?? '').toLowerCase().startsWith(c)
        || r.container.runtime === c))) return false;
    if (p && !(r.container?.podUid && (p === '*' || r.container.podUid.startsWith(p)))) return false;
    if (query && !`${r.pid} ${r.user ?? ''} ${r.command} ${containerName(r.container)}`.toLowerCase().includes(query)) {
      return false;
    }
    return true;
  });
}

export class ProcessesView {
  constructor(root, { onProcess }) {
    this.root = root;
    this.rows = [];
    this.filters = { q: '', container: '', pod: '', kthreads: true, ns: null };
    this.table = new VirtualTable([
      { key: 'pid', title: 'PID', width: '4.8rem', className: 'num', cell: (r) => String(r.pid), sort: byNumber((r) => r.pid) },
      { key: 'ppid', title: 'PPID', width: '4.8rem', className: 'num', cell: (r) => String(r.ppid), sort: byNumber((r) => r.ppid) },
      { key: 'user', title: 'User', width: '5.4rem', cell: (r) => text(r.user), sort: byText((r) => r.user) },
      { key: 'state', title: 'S', width: '1.8rem', cell: (r) => r.state, sort: byText((r) => r.state) },
      { key: 'threads', title: 'Thr', width: '3.0rem', className: 'num', cell: (r) => num(r.threads), sort: byNumber((r) => r.threads) },
      { key: 'nspid', title: 'NSpid', width: '7.2rem', className: 'mono', cell: (r) => r.nspid.join(' '),
        sort: byNumber((r) => r.nspid.length) },
      { key: 'command', title: 'Command', width: 'minmax(8.4rem, 4fr)', className: 'cmd',
        cell: (r) => h('span', { title: r.command, class: r.kernelThread ? 'dim' : '' }, cut(r.command, 300)),
        sort: byText((r) => r.command) },
      { key: 'container', title: 'Container', width: 'minmax(6.0rem, 1.2fr)', className: 'mono',
        cell: (r) => (isContainer(r.container) ? containerName(r.container) : r.container?.unit ?? ''),
        sort: byText((r) => containerName(r.container)) },
    ], {
      label: 'Processes', keyOf: (r) => r.pid, sort: { key: 'pid', dir: 1 },
      onActivate: (r) => onProcess(r.pid), rowData: (r) => ({ pid: r.pid }),
      rowClass: (r) => (r.unreadable ? 'unreadable' : ''), empty: 'No process matches these filters.',
    });
    this.count = h('output', { class: 'count', 'aria-live': 'polite' });
    this.nsChip = h('button', { type: 'button', class: 'chip ns-filter', hidden: true,
      onclick: () => this.showNamespace(null) });
    const update = () => {
      const d = new FormData(this.formEl);
      Object.assign(this.filters, { q: d.get('q'), container: d.get('container'), pod: d.get('pod'), kthreads: d.has('kthreads') });
      this.render();
    };
    this.formEl = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter processes',
      oninput: update, onchange: update, onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'Container ', h('input', { name: 'container', size: 14, placeholder: 'ID, runtime or *', autocomplete: 'off' })),
      h('label', {}, 'Pod ', h('input', { name: 'pod', size: 12, placeholder: 'UID or *', autocomplete: 'off' })),
      h('label', {}, h('input', { type: 'checkbox', name: 'kthreads', checked: true }), ' kernel threads'),
      this.nsChip,
      h('label', { class: 'grow' }, 'Search ', h('input', { type: 'search', name: 'q', placeholder: 'PID, user, command…', autocomplete: 'off' })),
      this.count);
    root.append(this.formEl, this.table.el);
  }

  /** Keeps only the members of one namespace (any of the ten links), or all again with null. */
  showNamespace(ns) {
    this.filters.ns = ns;
    this.nsChip.hidden = ns === null;
    this.nsChip.textContent = ns === null ? '' : `in namespace ${ns} ✕`;
    this.nsChip.title = 'Show every process again';
    this.render();
  }

  async load() {
    const { data, serverDate } = await getJson('processes');
    this.rows = data.processes;
    noteSnapshot(data.snapshot, serverDate);
    this.render();
    performance.mark('nsscope:processes-rendered');
  }

  render() {
    const rows = filterProcesses(this.rows, this.filters);
    this.table.setRows(rows);
    this.count.value = `${rows.length} of ${this.rows.length} processes`;
  }

  focus() {
    this.table.el.focus();
  }
}
