/**
 * redlock 5.0.0-beta.2 ships types its `exports` map does not point to, so
 * NodeNext resolution cannot see them (TS7016). These are the parts we use,
 * copied from its dist/index.d.ts.
 */
declare module 'redlock' {
  import { EventEmitter } from 'node:events'
  import type { Redis } from 'ioredis'

  export interface Settings {
    readonly driftFactor: number
    readonly retryCount: number
    readonly retryDelay: number
    readonly retryJitter: number
    readonly automaticExtensionThreshold: number
  }

  export interface ExecutionStats {
    readonly membershipSize: number
    readonly quorumSize: number
    readonly votesFor: Set<Redis>
    readonly votesAgainst: Map<Redis, Error>
  }

  export class ResourceLockedError extends Error {}

  export class ExecutionError extends Error {
    readonly attempts: ReadonlyArray<Promise<ExecutionStats>>
  }

  export class Lock {
    readonly resources: string[]
    readonly value: string
    expiration: number
    release (): Promise<unknown>
    extend (duration: number): Promise<Lock>
  }

  export default class Redlock extends EventEmitter {
    constructor (clients: Iterable<Redis>, settings?: Partial<Settings>)
    acquire (resources: string[], duration: number, settings?: Partial<Settings>): Promise<Lock>
    quit (): Promise<void>
  }
}
