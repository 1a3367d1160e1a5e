import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Fault injection shared by the three simulators. Tests drive it in-process
 * (`sim.faults.failNext(...)`) or over HTTP (`POST /__sim/faults`) when the
 * service under test runs in another process.
 */
export type FaultKind = 'status' | 'reset' | 'corrupt' | 'hang'

export interface FaultRule {
  kind: FaultKind
  /** How many matching requests the rule applies to; it is removed afterwards. */
  remaining: number
  /** HTTP status for kind `status`. */
  status?: number
  /** Only requests whose `METHOD /path` (path without query) contains this substring. */
  match?: string
}

export interface FaultSnapshot {
  latencyMs: number
  rules: FaultRule[]
}

export interface CallRecord {
  at: number
  method: string
  url: string
  status?: number
  /** When the answer was sent: with `at`, the interval a request was in flight. */
  finishedAt?: number
}

export class Faults {
  latencyMs = 0
  rules: FaultRule[] = []
  readonly calls: CallRecord[] = []

  /** The next `count` matching requests answer `status` (with an empty body). */
  failNext (count: number, status: number, match?: string): void {
    this.rules.push({ kind: 'status', remaining: count, status, match })
  }

  /** The next `count` matching responses send part of their body, then drop the connection. */
  resetMidBody (count: number, match?: string): void {
    this.rules.push({ kind: 'reset', remaining: count, match })
  }

  /** The next `count` matching byte downloads have one byte flipped. */
  corruptNext (count: number, match?: string): void {
    this.rules.push({ kind: 'corrupt', remaining: count, match })
  }

  /** The next `count` matching requests never answer (until the socket is closed). */
  hangNext (count: number, match?: string): void {
    this.rules.push({ kind: 'hang', remaining: count, match })
  }

  reset (): void {
    this.latencyMs = 0
    this.rules = []
    this.calls.length = 0
  }

  snapshot (): FaultSnapshot {
    return { latencyMs: this.latencyMs, rules: this.rules.map(r => ({ ...r })) }
  }

  /** Takes (and counts down) the first rule of `kind` that matches this request. */
  take (kind: FaultKind, method: string, url: string): FaultRule | undefined {
    const key = `${method} ${url.split('?')[0]}`
    const rule = this.rules.find(r => r.kind === kind && r.remaining > 0 && (r.match === undefined || key.includes(r.match)))
    if (rule === undefined) return undefined
    rule.remaining -= 1
    this.rules = this.rules.filter(r => r.remaining > 0)
    return rule
  }

  /**
   * Installs latency, status and hang faults as hooks, the call log, and the
   * `/__sim/*` control routes. Body faults (reset, corrupt) are applied by the
   * simulator's download handlers through `take('reset' | 'corrupt', ...)`.
   */
  install (app: FastifyInstance): void {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.url.startsWith('/__sim/')) return
      const record: CallRecord = { at: Date.now(), method: request.method, url: request.url }
      this.calls.push(record)
      if (this.calls.length > 100_000) this.calls.splice(0, 50_000)
      if (this.latencyMs > 0) await sleep(this.latencyMs)
      if (this.take('hang', request.method, request.url) !== undefined) {
        await new Promise<void>(resolve => request.raw.socket.once('close', resolve))
        return reply.hijack()
      }
      const rule = this.take('status', request.method, request.url)
      if (rule !== undefined) {
        return reply.code(rule.status ?? 500).header('X-Status-Reason', 'Injected fault').send()
      }
    })
    app.addHook('onResponse', async (request, reply) => {
      const record = this.calls.findLast(c => c.method === request.method && c.url === request.url && c.status === undefined)
      if (record !== undefined) {
        record.status = reply.statusCode
        record.finishedAt = Date.now()
      }
    })

    app.post('/__sim/faults', async (request) => {
      const body = request.body as Partial<FaultRule & { latencyMs: number, count: number }>
      if (typeof body.latencyMs === 'number') this.latencyMs = body.latencyMs
      if (body.kind !== undefined) {
        this.rules.push({ kind: body.kind, remaining: body.count ?? 1, status: body.status, match: body.match })
      }
      return this.snapshot()
    })
    app.delete('/__sim/faults', async () => {
      this.reset()
      return this.snapshot()
    })
    app.get('/__sim/calls', async () => this.calls)
  }
}
