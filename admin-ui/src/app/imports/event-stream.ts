import { type HttpClient, HttpEventType } from '@angular/common/http';
import { Observable } from 'rxjs';

/** One server-sent event: its `event:` name (`message` when none) and its `data:` lines joined. */
export interface ServerEvent {
  type: string;
  data: string;
}

/**
 * Splits the text of an event stream into the complete events it holds and the unfinished rest
 * (text/event-stream: events end with a blank line, `data:` lines are joined with newlines, `:` lines are comments).
 */
export function parseServerEvents(text: string): { events: ServerEvent[]; rest: string } {
  const normalized = text.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: ServerEvent[] = [];
  for (const block of blocks) {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ type, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Reads a server-sent event stream through HttpClient (so the auth interceptor adds the token, which
 * `EventSource` cannot send) and emits the JSON data of each event; completes when the server ends the stream.
 */
export function readEventStream<T>(http: HttpClient, url: string): Observable<T> {
  return new Observable<T>((subscriber) => {
    let seen = 0;
    let pending = '';
    const take = (text: string): void => {
      if (text.length <= seen) return;
      const { events, rest } = parseServerEvents(pending + text.slice(seen));
      seen = text.length;
      pending = rest;
      for (const event of events) {
        try {
          subscriber.next(JSON.parse(event.data) as T);
        } catch {
          // a line that is not JSON is not progress: skip it
        }
      }
    };
    const subscription = http
      .get(url, {
        observe: 'events',
        reportProgress: true,
        responseType: 'text',
        headers: { Accept: 'text/event-stream' },
      })
      .subscribe({
        next: (event) => {
          if (event.type === HttpEventType.DownloadProgress) take(event.partialText ?? '');
          else if (event.type === HttpEventType.Response) take((event.body ?? '') + '\n\n');
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    return () => subscription.unsubscribe();
  });
}
