import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

describe('EventHub', () => {
  it('replays the snapshot first, then live events, and ends on abort', async () => {
    const hub = new EventHub<number>();
    const controller = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const value of hub.watch(() => [1, 2], controller.signal)) {
        seen.push(value);
        if (value === 4) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    hub.emit(3);
    hub.emit(4);
    hub.emit(5);
    await done;
    expect(seen.slice(0, 4)).toEqual([1, 2, 3, 4]);
  });

  it('ends every watcher on close and a slow watcher past the cap', async () => {
    const hub = new EventHub<number>(2);
    const iterator = hub.watch(() => [], undefined)[Symbol.asyncIterator]();
    const first = iterator.next();
    hub.emit(1);
    expect(await first).toEqual({ value: 1, done: false });
    hub.emit(2);
    hub.emit(3);
    hub.emit(4); // over the cap of 2 queued events
    expect((await iterator.next()).value).toBe(2);
    expect((await iterator.next()).value).toBe(3);
    expect((await iterator.next()).done).toBe(true);
    hub.close();
    const late = hub.watch(() => [9], undefined)[Symbol.asyncIterator]();
    expect((await late.next()).done).toBe(true);
  });
});
