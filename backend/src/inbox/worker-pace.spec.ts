import { WorkerPace, type WorkerPaceOptions } from './worker-pace';

describe('WorkerPace (the worker yields to the intake)', () => {
  let now: number;
  const options: WorkerPaceOptions = { yieldAbove: 500, yieldRate: 100, maxYieldMs: 10_000, tickMs: 100 };
  const pace = (overrides: Partial<WorkerPaceOptions> = {}): WorkerPace =>
    new WorkerPace({ ...options, ...overrides }, () => now);

  /** Admits `count` runs and answers how many of them have started so far. */
  function admitMany(subject: WorkerPace, count: number): () => number {
    let started = 0;
    for (let i = 0; i < count; i++) void subject.admit().then(() => started++);
    return () => started;
  }

  async function advance(ms: number): Promise<void> {
    now += ms;
    await jest.advanceTimersByTimeAsync(ms);
  }

  beforeEach(() => {
    jest.useFakeTimers();
    now = 1_000_000;
  });

  afterEach(() => jest.useRealTimers());

  it('lets every run start at once while the intake is below the threshold', async () => {
    const subject = pace();
    subject.observe(499);
    const started = admitMany(subject, 1000);
    await advance(0);
    expect(subject.yielding).toBe(false);
    expect(started()).toBe(1000);
  });

  it('starts only yieldRate runs per second while the intake is at or above the threshold, in groups', async () => {
    const subject = pace();
    subject.observe(500);
    const started = admitMany(subject, 1000);
    await advance(0);
    expect(subject.yielding).toBe(true);
    expect(started()).toBe(0);
    await advance(100);
    expect(started()).toBe(10); // one group of a tenth of the rate per 100 ms tick
    await advance(900);
    expect(started()).toBe(100);
    expect(subject.backlog).toBe(900);
  });

  it('goes back to full speed (every waiting run starts) as soon as the intake calms', async () => {
    const subject = pace();
    subject.observe(2500);
    const started = admitMany(subject, 300);
    await advance(500);
    expect(started()).toBe(50);
    subject.observe(10);
    await advance(0);
    expect(started()).toBe(300);
    expect(subject.yielding).toBe(false);
  });

  it('a slow rate lets one run through at a time, never none', async () => {
    const subject = pace({ yieldRate: 2 });
    subject.observe(600);
    const started = admitMany(subject, 10);
    await advance(499);
    expect(started()).toBe(0);
    await advance(1);
    expect(started()).toBe(1);
    await advance(1500);
    expect(started()).toBe(4);
  });

  it('stops yielding after maxYieldMs of a long burst, until the intake has calmed once', async () => {
    const subject = pace();
    subject.observe(3000);
    await advance(9_999);
    subject.observe(3000);
    expect(subject.yielding).toBe(true);
    const started = admitMany(subject, 50);
    await advance(1);
    subject.observe(3000);
    await advance(0);
    expect(subject.yielding).toBe(false);
    expect(started()).toBe(50);
    subject.observe(3000); // still the same burst: full speed
    expect(subject.yielding).toBe(false);
    subject.observe(0); // calmed: the next burst is yielded to again
    subject.observe(3000);
    expect(subject.yielding).toBe(true);
  });

  it('never yields with a threshold of 0, and stop() lets every waiting run start', async () => {
    const off = pace({ yieldAbove: 0 });
    off.observe(1_000_000);
    expect(off.yielding).toBe(false);
    const subject = pace();
    subject.observe(1000);
    const started = admitMany(subject, 40);
    subject.stop();
    await advance(0);
    expect(started()).toBe(40);
  });
});
