import { parseServerEvents } from './event-stream';

describe('parseServerEvents', () => {
  it('returns the complete events with their names and keeps the unfinished rest', () => {
    const { events, rest } = parseServerEvents(
      'event: progress\ndata: {"processed":1}\n\n: keep-alive\n\ndata: {"processed":2}\n\nevent: progress\ndata: {"pro',
    );
    expect(events).toEqual([
      { type: 'progress', data: '{"processed":1}' },
      { type: 'message', data: '{"processed":2}' },
    ]);
    expect(rest).toBe('event: progress\ndata: {"pro');
  });

  it('joins data lines and reads CRLF line ends', () => {
    const { events, rest } = parseServerEvents('id: 3\r\ndata: one\r\ndata:two\r\n\r\n');
    expect(events).toEqual([{ type: 'message', data: 'one\ntwo' }]);
    expect(rest).toBe('');
  });
});
