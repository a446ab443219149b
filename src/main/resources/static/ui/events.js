// GET /events over fetch() with a streaming body reader, so that it can carry the API token. When the stream drops
// it reconnects (after the server's retry hint or a growing back-off) with Last-Event-ID, and the server replays
// what was missed, or sends one `reset` event when that is no longer buffered.

import { apiUrl, headers } from './api.js';
import { SseParser } from './sse.js';

const MIN_DELAY = 1000;
const MAX_DELAY = 30000;

export class EventStream {
  /**
   * @param onEvent  called with {id, event, data} (data parsed from JSON) for each event
   * @param onState  called with 'connecting' | 'live' | 'reconnecting' | 'paused' | 'unauthorized' and a detail
   */
  constructor({ onEvent, onState }) {
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastEventId = null;
    this.controller = null;
    this.running = false;
    this.delay = MIN_DELAY;
    this.timer = null;
    this.connections = 0;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Stops following; a later start() resumes from the last event seen. */
  stop(state = 'paused') {
    this.running = false;
    clearTimeout(this.timer);
    this.controller?.abort();
    this.controller = null;
    this.onState(state);
  }

  async connect() {
    if (!this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    this.onState(this.connections === 0 ? 'connecting' : 'reconnecting');
    const h = headers('text/event-stream');
    if (this.lastEventId !== null) h['Last-Event-ID'] = this.lastEventId;
    let retryAfter = null;
    try {
      const response = await fetch(apiUrl('events'), { headers: h, cache: 'no-store', signal: controller.signal });
      this.connections++;
      if (response.status === 401) {
        this.stop('unauthorized');
        return;
      }
      if (!response.ok || !response.body) {
        retryAfter = Number(response.headers.get('Retry-After')) * 1000 || null;
        throw new Error(`HTTP ${response.status}`);
      }
      this.onState('live');
      this.delay = MIN_DELAY;
      await this.read(response.body, controller);
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (!this.running || controller !== this.controller) return;
    const wait = retryAfter ?? this.delay;
    this.delay = Math.min(MAX_DELAY, this.delay * 2);
    this.onState('reconnecting', wait);
    this.timer = setTimeout(() => this.connect(), wait);
  }

  async read(body, controller) {
    const parser = new SseParser(
      (e) => {
        this.lastEventId = e.id;
        let data = null;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        this.onEvent({ id: e.id, event: e.event, data });
      },
      (ms) => {
        this.delay = Math.max(MIN_DELAY, ms);
      });
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || controller.signal.aborted) break;
        parser.push(value);
      }
    } finally {
      reader.releaseLock?.();
    }
  }
}
