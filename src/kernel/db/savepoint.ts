import type { EntityManager } from 'typeorm';

let seq = 0;

/**
 * Runs `fn` inside a savepoint of the caller's transaction. When it throws an error `expected`
 * recognises (say, a unique violation a concurrent writer caused), the work is rolled back to
 * the savepoint and undefined returned, leaving the transaction usable; other errors propagate.
 */
export async function withSavepoint<T>(m: EntityManager, name: string, fn: () => Promise<T>, expected: (err: unknown) => boolean): Promise<T | undefined> {
  const sp = `${name}_${++seq}`;
  await m.query(`SAVEPOINT ${sp}`);
  try {
    const out = await fn();
    await m.query(`RELEASE SAVEPOINT ${sp}`);
    return out;
  } catch (err) {
    if (!expected(err)) throw err;
    await m.query(`ROLLBACK TO SAVEPOINT ${sp}`);
    return undefined;
  }
}
