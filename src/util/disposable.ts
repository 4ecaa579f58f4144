/**
 * Node 20 has Symbol.asyncDispose but no AsyncDisposableStack: this is a small one.
 * Everything the harness starts or changes is pushed here; dispose() unwinds in
 * reverse order, runs every undo even when some fail, and reports the failures.
 */
export type Undo = () => Promise<void> | void;

export interface UndoFailure {
  label: string;
  error: unknown;
}

export class AsyncStack implements AsyncDisposable {
  #entries: { label: string; undo: Undo }[] = [];
  #disposed = false;

  get size(): number {
    return this.#entries.length;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Registers an undo action. Throws if the stack was already unwound. */
  defer(label: string, undo: Undo): void {
    if (this.#disposed) throw new Error(`cannot register "${label}": the cleanup stack was already unwound`);
    this.#entries.push({ label, undo });
  }

  /** Registers a disposable and returns it. */
  use<T extends AsyncDisposable | Disposable>(label: string, resource: T): T {
    this.defer(label, async () => {
      if (Symbol.asyncDispose in resource) await (resource as AsyncDisposable)[Symbol.asyncDispose]();
      else (resource as Disposable)[Symbol.dispose]();
    });
    return resource;
  }

  /** Unwinds everything, newest first. Returns what failed; never throws. Idempotent. */
  async unwind(onFailure?: (f: UndoFailure) => void): Promise<UndoFailure[]> {
    this.#disposed = true;
    const failures: UndoFailure[] = [];
    while (this.#entries.length > 0) {
      const entry = this.#entries.pop()!;
      try {
        await entry.undo();
      } catch (error) {
        const failure = { label: entry.label, error };
        failures.push(failure);
        onFailure?.(failure);
      }
    }
    return failures;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const failures = await this.unwind();
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((f) => f.error),
        `cleanup failed for: ${failures.map((f) => f.label).join(", ")}`,
      );
    }
  }
}

/** Wraps an undo so that calling it more than once runs it once (and shares the result). */
export function once(undo: Undo): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= Promise.resolve().then(undo));
}
