import type { LockOptions, LockResult } from './types.js'

/**
 * In-process locks for the embedded store. One process is the only holder
 * there can be, so a held lock cannot be lost; the signal never aborts.
 */
export class MemoryLocks {
  private readonly held = new Set<string>()

  async run<T> (key: string, _options: LockOptions, routine: (signal: AbortSignal) => Promise<T>): Promise<LockResult<T>> {
    if (this.held.has(key)) return { acquired: false }
    this.held.add(key)
    try {
      return { acquired: true, value: await routine(new AbortController().signal) }
    } finally {
      this.held.delete(key)
    }
  }
}
