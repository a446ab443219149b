// What makes a namespace worth a second look, as marks shared by the table, the tree and the pictures:
// holders (a bind mount, a descriptor, a socket), ghosts, loose threads, containers, pods and sandboxes.

import { h, containerName, isContainer } from './dom.js';

/** The marks of one /namespaces row: [{kind, label, title}]. */
export function marksOf(ns) {
  const marks = [];
  if (!ns) return marks;
  if (ns.ghost) {
    marks.push({ kind: 'ghost', label: 'ghost', title: 'No process holds it: only a descendant namespace does' });
  }
  for (const holder of ns.holders ?? []) {
    const label = holder.kind === 'mount' ? `mount ${holder.path}`
      : holder.kind === 'fd' ? `fd ${holder.fd} of ${holder.pid}` : `socket ${holder.fd} of ${holder.pid}`;
    marks.push({ kind: 'holder', label, title: `Held by ${holder.kind === 'mount' ? 'a bind mount' : holder.kind === 'fd'
      ? 'an open descriptor' : 'a socket made in it'}: ${label}` });
  }
  const loose = ns.looseThreads ?? [];
  if (loose.length) {
    marks.push({ kind: 'loose', label: loose.length === 1 ? 'loose thread' : `${loose.length} loose threads`,
      title: 'Threads in this namespace whose process is not: ' + loose.map((t) => `${t.tid} (${t.comm}) of ${t.pid}`).join(', ') });
  }
  const c = ns.container;
  if (isContainer(c)) {
    marks.push({ kind: 'container', label: containerName(c), title: `Container ${c.containerId ?? ''} (${c.runtime})` });
  }
  if (c?.podUid) marks.push({ kind: 'pod', label: 'pod ' + c.podUid.slice(0, 8), title: 'Pod ' + c.podUid });
  if (ns.sandbox) marks.push({ kind: 'sandbox', label: ns.sandbox, title: 'Made by nsscope sandbox ' + ns.sandbox });
  return marks;
}

/** The marks as badges. */
export function badges(marks) {
  return marks.map((m) => h('span', { class: `mark mark-${m.kind}`, title: m.title }, m.label));
}

/** The kinds of mark, for the legend. */
export const KINDS = [
  ['holder', 'held by a mount, descriptor or socket'],
  ['ghost', 'ghost: held only by a descendant'],
  ['loose', 'loose threads'],
  ['container', 'container'],
  ['pod', 'pod'],
  ['sandbox', 'nsscope sandbox'],
];
