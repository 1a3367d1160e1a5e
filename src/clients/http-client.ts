import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { Pool, type Dispatcher } from 'undici'
import { ExternalError, fromTransportError, kindForStatus, neverReachedServer, type ExternalSystem, type ExternalErrorKind } from './errors.js'
import { backoffDelay, DEFAULT_RETRY, NOT_PROCESSED_STATUS, RETRYABLE_STATUS, retryAfterMs, type RetryOptions } from './retry-policy.js'

export interface Timeouts {
  connectMs: number
  headersMs: number
  bodyMs: number
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, headersMs: 30_000, bodyMs: 60_000 }

export interface CallEvent {
  system: ExternalSystem
  operation: string
  outcome: 'ok' | ExternalErrorKind
  status?: number
  durationMs: number
  attempt: number
}

export type CallObserver = (event: CallEvent) => void

export interface HttpClientOptions {
  system: ExternalSystem
  /** Absolute base URL; may carry a path prefix (`http://crm/api/v1/`). */
  baseUrl: string
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryOptions>
  connections?: number
  /** Injected in tests (undici MockAgent); otherwise one Pool per system. */
  dispatcher?: Dispatcher
  observer?: CallObserver
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface HttpRequest {
  /** Low-cardinality name for metrics and logs, e.g. `list Document`. */
  operation: string
  method: HttpMethod
  /** Relative to the base URL, already encoded. */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
  /** A stream body is sent once: it cannot be replayed, so it is never retried. */
  body?: string | Buffer | Readable
  /** Whether repeating the request is harmless. Defaults to every method but POST. */
  idempotent?: boolean
  /** Statuses handed back to the caller instead of thrown. */
  accept?: number[]
  signal?: AbortSignal
  /** Overrides the client's body timeout (long transfers). */
  bodyTimeoutMs?: number
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Dispatcher.ResponseData['body']
}

/** Extracts a human reason from an error answer; systems override it. */
export type ReasonReader = (status: number, headers: HttpResponse['headers'], bodyText: string) => string | undefined

const defaultReason: ReasonReader = (_status, headers, bodyText) => {
  const header = headers['x-status-reason']
  if (typeof header === 'string' && header !== '') return header
  if (bodyText === '') return undefined
  try {
    const parsed = JSON.parse(bodyText) as { reason?: unknown, message?: unknown, error?: unknown }
    const reason = parsed.reason ?? parsed.message ?? parsed.error
    if (typeof reason === 'string') return reason
  } catch {}
  return bodyText.slice(0, 200)
}

/**
 * One connection pool per external system with timeouts, typed errors and
 * retries. Written by hand rather than with undici's RetryHandler because that
 * one resumes bodies with Range requests (the Watcher and EspoCRM do not serve
 * ranges) and cannot tell a repeatable POST from one that must not repeat.
 */
export class HttpClient {
  readonly system: ExternalSystem
  readonly origin: string
  readonly basePath: string
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  private readonly timeouts: Timeouts
  private readonly retry: RetryOptions
  private readonly observer?: CallObserver
  reasonReader: ReasonReader = defaultReason

  constructor (options: HttpClientOptions) {
    const url = new URL(options.baseUrl)
    this.system = options.system
    this.origin = url.origin
    this.basePath = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.observer = options.observer
    this.ownsDispatcher = options.dispatcher === undefined
    this.dispatcher = options.dispatcher ?? new Pool(url.origin, {
      connections: options.connections ?? 8,
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs
    })
  }

  /** Sends the request; non-2xx answers (other than `accept`) throw ExternalError. */
  async request (req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? req.method !== 'POST'
    const replayable = !(req.body instanceof Readable)
    for (let attempt = 1; ; attempt++) {
      const started = performance.now()
      let status: number | undefined
      try {
        const response = await this.send(req)
        status = response.status
        if ((status >= 200 && status < 300) || req.accept?.includes(status) === true) {
          this.observe(req, 'ok', status, started, attempt)
          return response
        }
        throw await this.errorFrom(req, response)
      } catch (raw) {
        const error = fromTransportError(this.system, req.operation, raw)
        this.observe(req, error.kind, status, started, attempt)
        const retryable = status !== undefined ? RETRYABLE_STATUS.has(status) : error.kind === 'network' || error.kind === 'timeout'
        const safe = idempotent || (status !== undefined ? NOT_PROCESSED_STATUS.has(status) : neverReachedServer(raw))
        if (!retryable || !safe || !replayable || attempt >= this.retry.attempts || req.signal?.aborted === true) throw error
        const wait = Math.max(backoffDelay(attempt, this.retry), error.retryAfterMs ?? 0)
        await sleep(wait, undefined, { signal: req.signal })
      }
    }
  }

  /** GET/POST/... and parse JSON. */
  async json<T> (req: HttpRequest): Promise<T> {
    const response = await this.request({ ...req, headers: { accept: 'application/json', ...req.headers } })
    let text: string
    try {
      text = await response.body.text()
    } catch (raw) {
      // A reset or body timeout while reading must still surface as a typed error.
      throw fromTransportError(this.system, req.operation, raw)
    }
    if (text === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch (cause) {
      throw new ExternalError({ system: this.system, kind: 'protocol', operation: req.operation, status: response.status, message: `${this.system} ${req.operation}: answer is not JSON`, cause })
    }
  }

  async close (): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close()
  }

  private async send (req: HttpRequest): Promise<HttpResponse> {
    const query = req.query === undefined
      ? ''
      : new URLSearchParams(Object.entries(req.query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString()
    const path = `${this.basePath}${req.path.replace(/^\//, '')}${query === '' ? '' : `?${query}`}`
    const response = await this.dispatcher.request({
      origin: this.origin,
      path,
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      bodyTimeout: req.bodyTimeoutMs ?? this.timeouts.bodyMs,
      headersTimeout: this.timeouts.headersMs
    })
    return { status: response.statusCode, headers: response.headers, body: response.body }
  }

  private async errorFrom (req: HttpRequest, response: HttpResponse): Promise<ExternalError> {
    const text = await readLimited(response.body, 4096)
    const reason = this.reasonReader(response.status, response.headers, text)
    const kind = kindForStatus(response.status)
    return new ExternalError({
      system: this.system,
      kind,
      status: response.status,
      reason,
      operation: req.operation,
      message: `${this.system} ${req.operation}: ${response.status}${reason !== undefined ? ` ${reason}` : ''}`,
      retryAfterMs: retryAfterMs(response.headers['retry-after'])
    })
  }

  private observe (req: HttpRequest, outcome: CallEvent['outcome'], status: number | undefined, started: number, attempt: number): void {
    this.observer?.({ system: this.system, operation: req.operation, outcome, status, durationMs: performance.now() - started, attempt })
  }
}

/** Reads at most `limit` bytes of an error body and discards the rest. */
async function readLimited (body: HttpResponse['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      if (size < limit) chunks.push(chunk as Buffer)
      size += (chunk as Buffer).length
    }
  } catch {}
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}
