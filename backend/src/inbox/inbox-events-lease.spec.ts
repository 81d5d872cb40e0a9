import type { DataSource, Repository } from 'typeorm';
import type { InboxEventEntity } from './inbox-event.entity';
import { InboxEventsRepository } from './inbox-events.repository';

/** A database whose first answers to the lease renewal are the given errors. */
function repositoryFailing(...errors: { code: string }[]) {
  const calls: string[] = [];
  const dataSource = {
    query: (sql: string) => {
      calls.push(sql);
      const error = errors.shift();
      return error
        ? Promise.reject(Object.assign(new Error(error.code), error))
        : Promise.resolve({ affectedRows: 1 });
    },
  };
  const repository = new InboxEventsRepository(
    dataSource as unknown as DataSource,
    {} as Repository<InboxEventEntity>,
  );
  return { repository, calls };
}

describe('InboxEventsRepository.renewLease', () => {
  it('tries again at once when InnoDB picks the renewal as a deadlock victim', async () => {
    const { repository, calls } = repositoryFailing({ code: 'ER_LOCK_DEADLOCK' });
    await expect(repository.renewLease('e1', 'token', 30_000)).resolves.toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('gives up after three lock conflicts, and at once on any other error (the next beat retries)', async () => {
    const conflicts = repositoryFailing(
      { code: 'ER_LOCK_DEADLOCK' },
      { code: 'ER_LOCK_WAIT_TIMEOUT' },
      { code: 'ER_LOCK_DEADLOCK' },
    );
    await expect(conflicts.repository.renewLease('e1', 'token', 30_000)).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(conflicts.calls).toHaveLength(3);
    const other = repositoryFailing({ code: 'ECONNRESET' });
    await expect(other.repository.renewLease('e1', 'token', 30_000)).rejects.toThrow('ECONNRESET');
    expect(other.calls).toHaveLength(1);
  });
});
