// The process tree grouped by namespace for one type, as `pstree -N TYPE` draws it (GET /trees/{type}): a header
// per namespace with its marks, then its processes with their children. Drawn as virtualised rows, so a host of
// 10,000 processes scrolls smoothly.

import { h, cut } from './dom.js';
import { VirtualTable } from './vtable.js';
import { getJson } from './api.js';
import { store, noteSnapshot } from './store.js';
import { marksOf, badges } from './marks.js';
import { TYPES } from './namespaces.js';

/** The tree answer as rows: a group row per namespace, then each process with its pstree connector. */
export function flatten(tree) {
  const rows = [];
  for (const group of tree.namespaces) {
    rows.push({ kind: 'group', ns: group.ns, sandbox: group.sandbox, key: 'g' + group.ns });
    const walk = (node, lead, root, last, depth) => {
      const connector = root ? '' : last ? '└─ ' : '├─ ';
      rows.push({ kind: 'proc', ns: group.ns, pid: node.pid, name: node.name, command: node.command, depth,
        prefix: lead + connector, key: 'p' + node.pid });
      const childLead = root ? '' : lead + (last ? '   ' : '│  ');
      node.children.forEach((child, i) => walk(child, childLead, false, i === node.children.length - 1, depth + 1));
    };
    group.roots.forEach((root) => walk(root, '', true, true, 0));
  }
  return rows;
}

export class TreeView {
  constructor(root, { onNamespace, onProcess }) {
    this.type = 'pid';
    this.kthreads = false;
    this.table = new VirtualTable([
      { key: 'tree', title: 'Process', width: 'minmax(12.0rem, 2fr)', className: 'tree', cell: (r) => this.treeCell(r) },
      { key: 'command', title: 'Command', width: 'minmax(8.4rem, 3fr)', className: 'cmd',
        cell: (r) => (r.kind === 'proc' ? h('span', { title: r.command }, cut(r.command, 300)) : this.groupInfo(r)) },
    ], {
      label: 'Process tree by namespace', keyOf: (r) => r.key,
      onActivate: (r) => (r.kind === 'group' ? onNamespace(r.ns) : onProcess(r.pid)),
      rowData: (r) => (r.kind === 'group' ? { ns: r.ns, kind: 'group' }
        : { pid: r.pid, ns: r.ns, depth: r.depth, kind: 'proc' }),
      rowClass: (r) => (r.kind === 'group' ? 'group' : ''), empty: 'No process.',
    });
    this.typeSelect = h('select', { name: 'type' }, TYPES.map((t) => h('option', { value: t, selected: t === 'pid' }, t)));
    this.find = h('input', { type: 'search', name: 'find', placeholder: 'name, PID or command; Enter: next', autocomplete: 'off' });
    this.count = h('output', { class: 'count', 'aria-live': 'polite' });
    const form = h('form', { class: 'filters', 'aria-label': 'Process tree options',
      onchange: (e) => {
        if (e.target === this.find) return;
        const d = new FormData(form);
        this.type = d.get('type');
        this.kthreads = d.has('kthreads');
        this.load();
      },
      onsubmit: (e) => {
        e.preventDefault();
        this.next();
      } },
      h('label', {}, 'Grouped by ', this.typeSelect, ' namespace'),
      h('label', {}, h('input', { type: 'checkbox', name: 'kthreads' }), ' kernel threads'),
      h('label', { class: 'grow' }, 'Find ', this.find), this.count);
    root.append(form, this.table.el);
  }

  treeCell(r) {
    if (r.kind === 'group') {
      const ns = store.byNs.get(r.ns);
      return h('span', {}, h('span', { class: `type type-${ns?.type ?? this.type}` }, ns?.type ?? this.type), ' ',
        h('strong', { class: 'mono' }, `[${r.ns}]`));
    }
    return h('span', { class: 'mono' }, h('span', { class: 'connector', 'aria-hidden': 'true' }, r.prefix),
      r.name, h('span', { class: 'dim' }, `(${r.pid})`));
  }

  groupInfo(r) {
    const ns = store.byNs.get(r.ns);
    const marks = marksOf(ns ?? { sandbox: r.sandbox });
    if (!ns?.sandbox && r.sandbox) marks.push({ kind: 'sandbox', label: r.sandbox, title: 'Made by sandbox ' + r.sandbox });
    return h('span', { class: 'marks' }, ns ? `${ns.nprocs} processes ` : '', badges(marks));
  }

  async load() {
    const { data, serverDate } = await getJson(`trees/${this.type}${this.kthreads ? '?kthreads=true' : ''}`);
    noteSnapshot(data.snapshot, serverDate);
    this.rows = flatten(data);
    this.table.setRows(this.rows);
    const groups = this.rows.filter((r) => r.kind === 'group').length;
    this.count.value = `${groups} ${this.type} namespaces, ${this.rows.length - groups} processes`;
    performance.mark('nsscope:tree-rendered');
  }

  /** Moves to the next row that matches the find field. */
  next() {
    const q = this.find.value.trim().toLowerCase();
    if (!q || !this.rows?.length) return;
    const start = this.table.active + 1;
    for (let i = 0; i < this.rows.length; i++) {
      const index = (start + i) % this.rows.length;
      const r = this.rows[index];
      const text = r.kind === 'group' ? String(r.ns) : `${r.name} ${r.pid} ${r.command}`.toLowerCase();
      if (text.includes(q)) {
        this.table.setActive(index, { center: true });
        return;
      }
    }
  }

  focus() {
    this.table.el.focus();
  }
}
