/** A promise to resolve from outside: tests wait on events instead of sleeping. */
export interface Latch<T = void> {
  promise: Promise<T>
  resolve: (value: T) => void
  done: boolean
}

export function latch<T = void> (): Latch<T> {
  let resolve!: (value: T) => void
  const l: Latch<T> = {
    promise: new Promise<T>(r => { resolve = r }),
    resolve: (value: T) => { l.done = true; resolve(value) },
    done: false
  }
  return l
}

/** Resolves once `count` calls of `tick()` happened. */
export function counter (count: number): { tick: () => void, reached: Promise<void> } {
  const l = latch()
  let seen = 0
  return { tick: () => { if (++seen >= count) l.resolve() }, reached: l.promise }
}
