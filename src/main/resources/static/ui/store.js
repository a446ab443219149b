// The namespaces the page knows, from GET /namespaces, kept current by /events: an event changes the table at once
// (a provisional row, or a row gone), then /namespaces is read again to fill in what events do not carry.

import { getJson } from './api.js';

const listeners = new Set();

export const store = {
  namespaces: [],
  byNs: new Map(),
  snapshot: null,
  /** performance.now() when the snapshot arrived, and the snapshot's age then (server clock), in ms. */
  receivedAt: 0,
  ageAtReceipt: 0,
  /** Inodes that events announced lately, for a highlight. */
  fresh: new Map(),
  error: null,
  loaded: false,
};

export function onChange(fn) {
  listeners.add(fn);
}

function notify(reason) {
  for (const fn of listeners) fn(reason);
}

/** Remembers the snapshot a response came from, and how old it was by the server's own clock. */
export function noteSnapshot(snapshot, serverDate) {
  if (!snapshot) return;
  if (store.snapshot && snapshot.sequence < store.snapshot.sequence) return;
  const taken = Date.parse(snapshot.takenAt);
  const now = Date.now();
  // The Date header has one-second steps: trust the local clock unless the two clearly disagree.
  const serverNow = serverDate !== null && Math.abs(serverDate - now) > 2000 ? serverDate : now;
  store.snapshot = snapshot;
  store.receivedAt = performance.now();
  store.ageAtReceipt = Math.max(0, serverNow - taken);
}

/** The age of the snapshot shown, in ms. */
export function snapshotAge() {
  return store.snapshot ? store.ageAtReceipt + (performance.now() - store.receivedAt) : NaN;
}

let loading = null;
let again = false;

/** Reads /namespaces (one read at a time; a call meanwhile reads once more afterwards). */
export function loadNamespaces() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    try {
      const { data, serverDate } = await getJson('namespaces');
      store.namespaces = data.namespaces;
      store.byNs = new Map(data.namespaces.map((n) => [n.ns, n]));
      store.error = null;
      store.loaded = true;
      noteSnapshot(data.snapshot, serverDate);
      notify('namespaces');
    } catch (e) {
      store.error = e;
      notify('error');
    } finally {
      loading = null;
      if (again) {
        again = false;
        loadNamespaces();
      }
    }
  })();
  return loading;
}

/** Applies one event from /events at once; the caller reads /namespaces afterwards. */
export function applyEvent({ event, data }) {
  if (event === 'namespace-created' && data.ns !== null && !store.byNs.has(data.ns)) {
    const row = {
      ns: data.ns, type: data.type, path: data.pid ? `/proc/${data.pid}/ns/${data.type}` : null, nprocs: null,
      pid: data.pid, ppid: null, command: data.command, uid: null, user: null, netnsid: null, nsfs: null,
      pns: null, ons: null, ownerUid: null, holders: [], looseThreads: [], ghost: false, container: data.container,
      sandbox: null, provisional: true,
    };
    store.namespaces = [...store.namespaces, row];
    store.byNs.set(row.ns, row);
    store.fresh.set(row.ns, performance.now());
    notify('event');
  } else if (event === 'namespace-destroyed' && store.byNs.has(data.ns)) {
    store.byNs.delete(data.ns);
    store.namespaces = store.namespaces.filter((n) => n.ns !== data.ns);
    notify('event');
  }
}
