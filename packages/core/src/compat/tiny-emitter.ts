/**
 * A small EventEmitter with the method names Node's `events` has (`on`, `once`, `off`,
 * `addListener`, `removeListener`, `removeAllListeners`, `emit`, `listenerCount`, `listeners`), so
 * `@kakunin/core/compat` stays browser-safe (no `node:events`). One difference from Node: an `error`
 * with no listener is dropped rather than thrown from an event callback.
 *
 * @example
 * ```ts
 * const emitter = new CompatEmitter();
 * emitter.on('card', (card) => console.log(card.atr));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: listeners take whatever the event carries, as in Node.
type Listener = (...args: any[]) => void;

interface Entry {
  readonly listener: Listener;
  readonly once: boolean;
}

/** Node-compatible listener registry and synchronous `emit`. */
export class CompatEmitter {
  readonly #listeners = new Map<string | symbol, Entry[]>();

  on(event: string | symbol, listener: Listener): this {
    return this.#add(event, listener, false);
  }

  addListener(event: string | symbol, listener: Listener): this {
    return this.#add(event, listener, false);
  }

  once(event: string | symbol, listener: Listener): this {
    return this.#add(event, listener, true);
  }

  off(event: string | symbol, listener: Listener): this {
    const entries = this.#listeners.get(event);
    if (entries === undefined) return this;
    const at = entries.findLastIndex((entry) => entry.listener === listener);
    if (at >= 0) entries.splice(at, 1);
    if (entries.length === 0) this.#listeners.delete(event);
    return this;
  }

  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  /** Calls every listener in order; true when there was one. A throwing listener does not stop the others. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const entries = this.#listeners.get(event);
    if (entries === undefined || entries.length === 0) return false;
    for (const entry of [...entries]) {
      if (entry.once) this.off(event, entry.listener);
      try {
        entry.listener.apply(this, args);
      } catch (error) {
        if (event !== 'error') this.emit('error', error);
      }
    }
    return true;
  }

  listenerCount(event: string | symbol): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  listeners(event: string | symbol): Listener[] {
    return (this.#listeners.get(event) ?? []).map((entry) => entry.listener);
  }

  #add(event: string | symbol, listener: Listener, once: boolean): this {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const entries = this.#listeners.get(event) ?? [];
    entries.push({ listener, once });
    this.#listeners.set(event, entries);
    return this;
  }
}
