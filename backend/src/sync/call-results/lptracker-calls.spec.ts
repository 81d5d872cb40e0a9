import { readCallRecords } from '../../lptracker/client/lptracker-call-read';
import { lptrackerCallDirection, lptrackerCallResult, lptrackerCallRows } from './lptracker-calls';

describe('LPTracker call records', () => {
  it('reads records defensively: ids and numbers as digits, texts trimmed, non-objects dropped', () => {
    expect(
      readCallRecords([
        {
          id: '77',
          time: '1764583200',
          duration: '42',
          type: ' IN ',
          disposition: ' ANSWERED ',
          record: '',
          owner_id: 5,
        },
        'junk',
        { time: '01.12.2025 12:00', duration: -3 },
      ]),
    ).toEqual([
      {
        id: 77,
        time: '1764583200',
        durationSeconds: 42,
        type: 'in',
        disposition: 'ANSWERED',
        record: null,
        ownerId: 5,
      },
      {
        id: null,
        time: '01.12.2025 12:00',
        durationSeconds: 0,
        type: null,
        disposition: null,
        record: null,
        ownerId: null,
      },
    ]);
    expect(readCallRecords({ calls: [{ id: 1, time: 1 }] })).toHaveLength(1);
  });

  it.each([
    ['ANSWERED', 0, 'answered'],
    ['no answer', 0, 'missed'],
    ['NO  ANSWER', 0, 'missed'],
    ['BUSY', 0, 'busy'],
    ['CONGESTION', 0, 'failed'],
    ['FAILED', 12, 'failed'],
    ['CALLING', 0, null],
    ['что-то новое', 30, 'answered'],
    [null, 0, 'missed'],
  ])('disposition %s (lasting %ss) ends as %s', (disposition, duration, result) => {
    const call = {
      id: 1,
      time: 1,
      durationSeconds: duration,
      type: null,
      disposition,
      record: null,
      ownerId: null,
    };
    expect(lptrackerCallResult(call)).toBe(result);
  });

  it('counts in/incoming as incoming, everything else (out, callback) as outgoing', () => {
    expect(['in', 'incoming', 'out', 'callback', null].map(lptrackerCallDirection)).toEqual([
      'in',
      'in',
      'out',
      'out',
      'out',
    ]);
  });

  it('makes rows of finished calls with the lead phone, the staff name and a stable source id', () => {
    const calls = readCallRecords([
      {
        id: 9,
        time: 1764583200,
        duration: 5,
        type: 'out',
        disposition: 'BUSY',
        owner_id: 5,
        record: 'https://r/1',
      },
      { time: '01.12.2025 12:00', duration: 60, type: 'in', disposition: 'ANSWERED', owner_id: 6 },
      { id: 10, time: 1764583300, duration: 0, type: 'callback', disposition: 'CALLING' },
      { id: 11, duration: 10, disposition: 'ANSWERED' },
    ]);
    const names = (id: number) => (id === 5 ? 'Анна' : null);
    const { rows, skipped } = lptrackerCallRows({ id: 3, phones: ['+79160000001'] }, calls, names);
    expect(skipped).toBe(2);
    expect(rows).toEqual([
      {
        phone: '+79160000001',
        startedAt: new Date(1764583200 * 1000),
        durationSeconds: 5,
        direction: 'out',
        result: 'busy',
        recordingUrl: 'https://r/1',
        operator: 'Анна',
        sourceId: '9',
        lptrackerLeadId: 3,
      },
      expect.objectContaining({
        startedAt: new Date('2025-12-01T09:00:00Z'), // Moscow time
        direction: 'in',
        result: 'answered',
        operator: '6',
        sourceId: expect.stringMatching(/^h:[0-9a-f]{40}$/),
      }),
    ]);
    const again = lptrackerCallRows({ id: 3, phones: [] }, calls, names).rows;
    expect(again[1].sourceId).toBe(rows[1].sourceId);
    expect(again[1].phone).toBeNull();
  });
});
