import type { Store } from '../store/types.js'
import { applyBaseChange, recordFailure, type BaseResult } from './sync-state.js'
import type { AkteSyncState, BaseChange, PermanentFailure } from './types.js'

/** Store namespace of the base mirror, one entry per Aktennummer. */
export const AKTE_STATE = 'akte-state'

/**
 * The store's mirror of the base while a plan runs. Each Document carries its
 * own base in the write that changed it, so a crash loses only what the
 * mirror alone knows (tombstones, refusals), and the next plan re-derives
 * those: saving now and then during a long run is enough.
 */
export class StateKeeper {
  private current: AkteSyncState
  private savedJson: string | null
  private lastSave = Date.now()

  constructor (
    private readonly store: Pick<Store, 'setState'>,
    private readonly aktennummer: string,
    initial: AkteSyncState,
    /** What the store held before the run; null when it held nothing. */
    loaded: AkteSyncState | null,
    private readonly saveEveryMs = 5_000
  ) {
    this.current = initial
    this.savedJson = loaded === null ? null : JSON.stringify(loaded)
  }

  get state (): AkteSyncState {
    return this.current
  }

  apply (key: string, change: BaseChange, result: BaseResult = {}): void {
    this.current = applyBaseChange(this.current, key, change, result)
  }

  fail (failure: PermanentFailure): void {
    this.current = recordFailure(this.current, failure)
  }

  get dirty (): boolean {
    return JSON.stringify(this.current) !== this.savedJson
  }

  /** Writes the mirror when it differs from what the store holds. */
  async flush (): Promise<boolean> {
    const json = JSON.stringify(this.current)
    this.lastSave = Date.now()
    if (json === this.savedJson) return false
    await this.store.setState(AKTE_STATE, this.aktennummer, this.current)
    this.savedJson = json
    return true
  }

  /** A save during a long run, at most every `saveEveryMs`. */
  async flushIfDue (): Promise<void> {
    if (Date.now() - this.lastSave >= this.saveEveryMs) await this.flush()
  }
}
