// The namespace hierarchies as pictures (SVG): user and pid namespaces under their parents, or the namespaces of a
// type under the user namespaces that own them, as `lsns -T parent|owner` prints them (GET /trees/{type}?by=...).
// One node per row, indented by depth: wide trees (hundreds of containers under one parent) stay readable.

import { h, s, cut } from './dom.js';
import { getJson } from './api.js';
import { noteSnapshot } from './store.js';
import { marksOf } from './marks.js';

const ROW = 50;
const BOX_W = 430;
const BOX_H = 38;
const INDENT = 30;
const PAD = 14;
const CHAR_W = 6.7; // 11px monospace
const BADGE_GAP = 6;

export const PICTURES = [
  { value: 'user/parent', label: 'user namespaces, by parent' },
  { value: 'pid/parent', label: 'pid namespaces, by parent' },
  ...['net', 'mnt', 'uts', 'ipc', 'cgroup', 'time', 'pid'].map((t) => ({ value: `${t}/owner`, label: `${t} namespaces, by owning user namespace` })),
];

/** Node positions: [{node, parent, depth, row}] in drawing order (depth first, as lsns -T prints). */
export function layout(roots) {
  const out = [];
  const walk = (node, parent, depth) => {
    out.push({ node, parent, depth, row: out.length });
    for (const child of node.children ?? []) walk(child, node, depth + 1);
  };
  roots.forEach((r) => walk(r, null, 0));
  return out;
}

export class HierarchyView {
  constructor(root, { onNamespace }) {
    this.onNamespace = onNamespace;
    this.picture = 'user/parent';
    this.select = h('select', { name: 'picture' }, PICTURES.map((p) => h('option', { value: p.value }, p.label)));
    this.count = h('output', { class: 'count', 'aria-live': 'polite' });
    const form = h('form', { class: 'filters', 'aria-label': 'Hierarchy', onsubmit: (e) => e.preventDefault(),
      onchange: () => {
        this.picture = this.select.value;
        this.load();
      } }, h('label', {}, 'Draw ', this.select), this.count);
    this.canvas = h('div', { class: 'picture' });
    root.append(form, this.canvas);
  }

  async load() {
    const [type, by] = this.picture.split('/');
    const { data, serverDate } = await getJson(`trees/${type}?by=${by}`);
    noteSnapshot(data.snapshot, serverDate);
    this.draw(data, type, by);
    performance.mark('nsscope:hierarchy-rendered');
  }

  draw(tree, type, by) {
    // Live updates re-read the tree often; redraw only when it changed, and keep the focused node focused.
    const key = `${type}/${by}:${JSON.stringify(tree.roots)}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const focused = this.canvas.contains(document.activeElement) ? document.activeElement.dataset?.ns : null;
    const nodes = layout(tree.roots);
    let width = 0;
    const svg = s('svg', { class: 'hierarchy', role: 'group', 'aria-label': PICTURES.find((p) => p.value === `${type}/${by}`)?.label,
      dataset: { type, by }, onkeydown: (e) => this.key(e) });
    const edges = s('g', { class: 'edges' });
    svg.append(edges);
    const position = new Map();
    for (const { node, parent, depth, row } of nodes) {
      const x = PAD + depth * INDENT;
      const y = PAD + row * ROW;
      position.set(node, { x, y });
      if (parent) {
        const p = position.get(parent);
        edges.append(s('path', { class: 'edge', d: `M${p.x + 12} ${p.y + BOX_H} V${y + BOX_H / 2} H${x}`,
          dataset: { from: parent.ns, to: node.ns } }));
      }
      const g = this.node(node, parent, x, y);
      svg.append(g);
      width = Math.max(width, x + BOX_W + Number(g.dataset.badgesWidth) + PAD);
    }
    svg.setAttribute('width', String(Math.max(width, 200)));
    svg.setAttribute('height', String(PAD * 2 + nodes.length * ROW));
    svg.setAttribute('viewBox', `0 0 ${Math.max(width, 200)} ${PAD * 2 + nodes.length * ROW}`);
    this.canvas.replaceChildren(nodes.length ? svg : h('p', { class: 'vt-empty' }, 'No namespace to draw.'));
    if (focused) svg.querySelector(`g.node[data-ns="${focused}"]`)?.focus();
    const ghosts = nodes.filter((n) => n.node.ghost).length;
    this.count.value = `${nodes.length} namespaces${ghosts ? `, ${ghosts} ghosts` : ''}`;
  }

  node(ns, parent, x, y) {
    const marks = marksOf(ns);
    const what = ns.nprocs === 0 ? (ns.ghost ? '[ghost]' : marks.find((m) => m.kind === 'holder')?.label ?? 'no process')
      : `${ns.nprocs} proc${ns.nprocs === 1 ? '' : 's'} · ${ns.pid} ${ns.command ?? ''}`;
    const label = `${ns.type} namespace ${ns.ns}, ${what}${marks.length ? ', ' + marks.map((m) => m.label).join(', ') : ''}`;
    const g = s('g', { class: `node type-${ns.type}${ns.ghost ? ' ghost' : ''}${ns.nprocs === 0 ? ' persistent' : ''}`,
      transform: `translate(${x} ${y})`, tabindex: 0, role: 'button', 'aria-label': label,
      dataset: { ns: ns.ns, type: ns.type, parent: parent ? parent.ns : '', ghost: ns.ghost },
      onclick: () => this.onNamespace(ns.ns),
      onkeydown: (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.onNamespace(ns.ns);
        }
      } },
      s('title', {}, label),
      s('rect', { class: 'box', width: BOX_W, height: BOX_H, rx: 5 }),
      s('text', { class: 'head', x: 10, y: 15 }, s('tspan', { class: 'kind' }, ns.type), ` ${ns.ns}`,
        s('tspan', { class: 'who', dx: 8 }, ns.user && ns.nprocs ? `${ns.user}` : '')),
      s('text', { class: 'sub', x: 10, y: 31 }, cut(what, 62)));
    let bx = BOX_W + BADGE_GAP;
    for (const m of marks) {
      const text = cut(m.label, 40);
      const w = Math.ceil(text.length * CHAR_W + 12);
      g.append(s('g', { class: `badge mark-${m.kind}`, transform: `translate(${bx} ${BOX_H / 2 - 10})`, dataset: { mark: m.kind } },
        s('title', {}, m.title), s('rect', { width: w, height: 20, rx: 10 }), s('text', { x: 6, y: 14 }, text)));
      bx += w + BADGE_GAP;
    }
    g.dataset.badgesWidth = String(bx - BOX_W);
    return g;
  }

  key(e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const nodes = [...this.canvas.querySelectorAll('g.node')];
    const at = nodes.indexOf(document.activeElement);
    const next = nodes[Math.max(0, Math.min(nodes.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  }

  focus() {
    this.canvas.querySelector('g.node')?.focus();
  }
}
