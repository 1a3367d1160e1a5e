import { request } from 'undici'
import type { FastifyBaseLogger } from 'fastify'

export interface PushRecord {
  at: number
  akte: string
  paths: string[]
  /** HTTP status of the receiver, when it answered. */
  status?: number
  error?: string
}

/**
 * Watcher -> service change hints. Fire and forget: a failed push is logged
 * and recorded, never thrown, because the service also polls.
 */
export class PushNotifier {
  readonly sent: PushRecord[] = []
  private readonly pending = new Set<Promise<void>>()

  constructor (private url: string | undefined, private token: string | undefined, private readonly log: FastifyBaseLogger) {}

  configure (url: string | undefined, token: string | undefined): void {
    this.url = url
    this.token = token
  }

  get target (): { url: string | undefined, token: string | undefined } {
    return { url: this.url, token: this.token }
  }

  notify (akte: string, paths: string[]): void {
    if (this.url === undefined || paths.length === 0) return
    const done = this.send(this.url, { at: Date.now(), akte, paths: [...paths] })
    this.pending.add(done)
    void done.finally(() => this.pending.delete(done))
  }

  /** Waits for pushes in flight (tests, and close()). */
  async drain (): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  private async send (url: string, record: PushRecord): Promise<void> {
    this.sent.push(record)
    if (this.sent.length > 10_000) this.sent.splice(0, 5_000)
    try {
      const res = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {})
        },
        body: JSON.stringify({ akte: record.akte, paths: record.paths }),
        headersTimeout: 10_000,
        bodyTimeout: 10_000
      })
      await res.body.dump()
      record.status = res.statusCode
      if (res.statusCode >= 300) this.log.warn({ url, status: res.statusCode, akte: record.akte }, 'watcher push refused')
    } catch (err) {
      record.error = (err as Error).message
      this.log.warn({ url, err, akte: record.akte }, 'watcher push failed')
    }
  }
}
