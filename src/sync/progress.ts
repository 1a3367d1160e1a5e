import { Transform, type TransformCallback } from 'node:stream'
import type { SyncLogger } from './ports.js'
import type { ActionKind, Direction } from './types.js'

/* Progress of one Akte's sync, for a CLI's progress bar and for the log. */

export type SyncStage = 'gather' | 'hash' | 'propagate' | 'finish'

export type SyncProgressEvent =
  | { type: 'stage', aktennummer: string, stage: SyncStage }
  | { type: 'transfer', aktennummer: string, key: string, path: string, direction: Direction, bytes: number, total: number | null, done: boolean }
  | { type: 'action', aktennummer: string, kind: ActionKind, path: string, outcome: string, completed: number, total: number }

export type ProgressListener = (event: SyncProgressEvent) => void

export interface TransferInfo {
  key: string
  path: string
  direction: Direction
  total: number | null
}

export interface ProgressOptions {
  aktennummer: string
  log: SyncLogger
  onProgress?: ProgressListener
  /** A long transfer is logged at most this often ... */
  logEveryMs?: number
  /** ... and a large one at each quarter too. */
  largeTransferBytes?: number
}

/** Counts the bytes flowing through; `onBytes` gets the running total. */
class ByteMeter extends Transform {
  private seen = 0
  constructor (private readonly onBytes: (bytes: number) => void) { super() }

  override _transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length
    this.onBytes(this.seen)
    callback(null, chunk)
  }
}

export interface TransferProgress {
  /** A fresh meter for one attempt of the transfer (a restarted upload counts from 0 again). */
  meter: () => Transform
  done: (bytes: number) => void
}

export class ProgressReporter {
  private readonly logEveryMs: number
  private readonly largeTransferBytes: number

  constructor (private readonly options: ProgressOptions) {
    this.logEveryMs = options.logEveryMs ?? 10_000
    this.largeTransferBytes = options.largeTransferBytes ?? 64 * 1024 * 1024
  }

  emit (event: SyncProgressEvent): void {
    try {
      this.options.onProgress?.(event)
    } catch (error) {
      // A broken progress bar must not break the sync.
      this.options.log.warn({ aktennummer: this.options.aktennummer, err: error }, 'progress listener failed')
    }
  }

  stage (stage: SyncStage): void {
    this.emit({ type: 'stage', aktennummer: this.options.aktennummer, stage })
  }

  transfer (info: TransferInfo): TransferProgress {
    const { aktennummer, log } = this.options
    let lastLog = Date.now()
    let lastQuarter = 0
    const report = (bytes: number, done: boolean): void => {
      this.emit({ type: 'transfer', aktennummer, key: info.key, path: info.path, direction: info.direction, bytes, total: info.total, done })
      if (done) return
      const quarter = info.total !== null && info.total >= this.largeTransferBytes ? Math.floor((bytes / info.total) * 4) : 0
      const now = Date.now()
      if (now - lastLog >= this.logEveryMs || (quarter > lastQuarter && quarter < 4)) {
        lastLog = now
        lastQuarter = Math.max(lastQuarter, quarter)
        log.info({ aktennummer, path: info.path, direction: info.direction, bytes, total: info.total }, 'transfer in progress')
      }
    }
    return {
      meter: () => new ByteMeter(bytes => { report(bytes, false) }),
      done: bytes => { report(bytes, true) }
    }
  }
}
