// A Server-Sent Events parser (the WHATWG "event stream interpretation"), for fetch() bodies: EventSource cannot
// send an Authorization header. Feed it decoded text in any chunking; it calls onEvent({id, event, data}) per event.

export class SseParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = '';
    this.data = [];
    this.event = '';
    this.lastEventId = null;
    this.sawCr = false;
  }

  /** Takes the next piece of the stream. */
  push(chunk) {
    let text = chunk;
    // a CR LF pair split between two chunks: the CR ended the line already
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = text.endsWith('\r');
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop();
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: heartbeats
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }

  dispatch() {
    if (this.data.length === 0) {
      this.event = '';
      return;
    }
    const event = { id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') };
    this.data = [];
    this.event = '';
    this.onEvent(event);
  }
}
