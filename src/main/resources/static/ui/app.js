// nsscope's page: wires the views to the store, the event stream, the tabs, the token field and the status line.

import { h, age } from './dom.js';
import { setToken, token, ApiError } from './api.js';
import { store, onChange, loadNamespaces, applyEvent, snapshotAge } from './store.js';
import { EventStream } from './events.js';
import { NamespacesView } from './namespaces.js';
import { ProcessesView } from './processes.js';
import { TreeView } from './ptree.js';
import { HierarchyView } from './hierarchy.js';
import { DetailsPanel } from './details.js';
import { KINDS } from './marks.js';

const $ = (id) => document.getElementById(id);
const first = loadNamespaces(); // before anything else: the table is what the first paint is waiting for

const details = new DetailsPanel($('details'), { onShowProcesses: (ns) => showProcessesOf(ns) });
const open = {
  onNamespace: (ns) => details.namespace(ns),
  onProcess: (pid) => details.process(pid),
};
const views = {
  namespaces: new NamespacesView($('view-namespaces'), open),
  processes: new ProcessesView($('view-processes'), open),
  tree: new TreeView($('view-tree'), open),
  hierarchy: new HierarchyView($('view-hierarchy'), open),
};
const loaded = new Set(['namespaces']);
let current = 'namespaces';

// --- tabs (ARIA tabs: arrows move between them, the hash remembers the choice) ---
const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(name, { focus = false } = {}) {
  if (!views[name]) name = 'namespaces';
  current = name;
  for (const tab of tabs) {
    const on = tab.dataset.view === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
  if (!loaded.has(name)) {
    loaded.add(name);
    reload(name);
  } else if (name === 'namespaces') {
    views.namespaces.refresh();
  }
}
for (const tab of tabs) {
  tab.addEventListener('click', () => select(tab.dataset.view));
  tab.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(tab);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length].dataset.view, { focus: true });
  });
}

function showProcessesOf(ns) {
  select('processes');
  views.processes.showNamespace(ns);
}

/** Reads a view's data again (the namespaces come from the store). */
async function reload(name) {
  try {
    if (name === 'namespaces') await loadNamespaces();
    else await views[name].load();
  } catch (e) {
    problem(e);
  }
}

// --- status line: live state and the snapshot's age ---
const live = $('live');
const ageEl = $('age');
const message = $('message');
function problem(e) {
  if (e instanceof ApiError && e.status === 401) {
    message.textContent = token() ? 'The API token was refused: enter the right one.'
      : 'This nsscope needs its API token: enter it above.';
    $('token').focus();
  } else {
    message.textContent = e?.message ?? String(e);
  }
  message.hidden = false;
}
function tick() {
  const a = snapshotAge();
  ageEl.textContent = store.snapshot ? `scan #${store.snapshot.sequence}, ${age(a)} old` : 'no snapshot yet';
  ageEl.classList.toggle('stale', a > 30000);
  ageEl.dataset.sequence = store.snapshot?.sequence ?? '';
}
setInterval(tick, 500);

onChange((reason) => {
  if (reason === 'error') {
    problem(store.error);
    return;
  }
  message.hidden = true;
  tick();
  if (current === 'namespaces') views.namespaces.refresh();
});

// --- live: /events, then a fresh read of what is on screen ---
let pending = null;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(() => {
    reload('namespaces');
    if (current !== 'namespaces') reload(current);
  }, 250);
}
const STATES = {
  connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', paused: 'paused',
  unauthorized: 'needs the token',
};
const stream = new EventStream({
  onEvent: (e) => {
    if (e.event === 'reset') {
      refreshSoon();
      return;
    }
    applyEvent(e);
    refreshSoon();
  },
  onState: (state) => {
    live.textContent = STATES[state] ?? state;
    live.dataset.state = state;
    if (state === 'unauthorized') problem(new ApiError(401, null, 'events'));
    if (state === 'live') refreshSoon(); // what changed while the stream was down
  },
});
const toggle = $('live-toggle');
toggle.addEventListener('click', () => {
  const on = toggle.getAttribute('aria-pressed') !== 'true';
  toggle.setAttribute('aria-pressed', String(on));
  toggle.textContent = on ? 'Pause' : 'Resume';
  if (on) stream.start();
  else stream.stop();
});
// Between events, counts still change: read again now and then (an unchanged snapshot is a 304).
setInterval(() => {
  if (toggle.getAttribute('aria-pressed') === 'true' && !document.hidden) refreshSoon();
}, 10000);

// --- the token field ---
const tokenInput = $('token');
tokenInput.value = token();
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(tokenInput.value);
  message.hidden = true;
  reload('namespaces');
  if (current !== 'namespaces') reload(current);
  stream.stop('connecting');
  if (toggle.getAttribute('aria-pressed') === 'true') stream.start();
});

// --- legend ---
$('legend').append(...KINDS.map(([kind, label]) => h('li', {}, h('span', { class: `mark mark-${kind}` }, kind), ' ', label)));

// --- go ---
select(location.hash.slice(1) || 'namespaces');
first.then(() => {
  views.namespaces.refresh();
  performance.mark('nsscope:namespaces-rendered');
  // a frame callback runs before the frame is painted, a task queued from it after: the table is on screen then
  requestAnimationFrame(() => setTimeout(() => performance.mark('nsscope:namespaces-painted')));
  document.body.dataset.ready = 'true';
  stream.start();
});
window.addEventListener('hashchange', () => select(location.hash.slice(1)));
