import { HttpClient } from '../http-client.js'
import type { HttpRequest, HttpResponse } from '../http-client.js'
import { ExternalError, isExternalError } from '../errors.js'
import { AuthGuard, authHeaders } from './auth.js'
import type { EspoAuth } from './auth.js'
import { DEFAULT_AUTH_COOLDOWN_MS } from './options.js'
import type { EspoClientOptions } from './options.js'

/** An EspoCRM request: the body, when an object, is sent as JSON. */
export type EspoRequest = Omit<HttpRequest, 'body'> & { body?: HttpRequest['body'] | object }

/**
 * HttpClient plus EspoCRM authentication and the lockout guard. Every EspoCRM
 * call goes through here so no path can forget either.
 */
export class EspoTransport {
  readonly http: HttpClient
  private readonly auth: EspoAuth
  private readonly guard: AuthGuard

  constructor (options: EspoClientOptions) {
    this.http = new HttpClient({
      system: 'espocrm',
      baseUrl: options.baseUrl,
      timeouts: options.timeouts,
      retry: options.retry,
      connections: options.connections,
      dispatcher: options.dispatcher,
      observer: options.observer
    })
    this.auth = options.auth
    this.guard = new AuthGuard(options.authCooldownMs ?? DEFAULT_AUTH_COOLDOWN_MS)
  }

  async request (req: EspoRequest): Promise<HttpResponse> {
    return await this.guarded(req, async (prepared) => await this.http.request(prepared))
  }

  async json<T> (req: EspoRequest): Promise<T> {
    return await this.guarded(req, async (prepared) => await this.http.json<T>(prepared))
  }

  async close (): Promise<void> {
    await this.http.close()
  }

  private async guarded<T> (req: EspoRequest, send: (req: HttpRequest) => Promise<T>): Promise<T> {
    this.guard.check(req.operation)
    try {
      const result = await send(this.prepare(req))
      this.guard.accepted()
      return result
    } catch (error) {
      if (isExternalError(error) && error.kind === 'auth') this.guard.refused(error)
      throw error
    }
  }

  private prepare (req: EspoRequest): HttpRequest {
    const headers: Record<string, string> = { ...req.headers, ...authHeaders(this.auth, req.method, req.path) }
    let body = req.body
    if (body !== undefined && !isRawBody(body)) {
      body = JSON.stringify(body)
      headers['content-type'] = 'application/json'
    }
    return { ...req, headers, body: body as HttpRequest['body'] }
  }
}

function isRawBody (body: unknown): body is HttpRequest['body'] {
  return typeof body === 'string' || Buffer.isBuffer(body) || (typeof body === 'object' && body !== null && typeof (body as { pipe?: unknown }).pipe === 'function')
}

/** An answer whose shape we did not expect. */
export function protocolError (operation: string, message: string, cause?: unknown): ExternalError {
  return new ExternalError({ system: 'espocrm', kind: 'protocol', operation, message: `espocrm ${operation}: ${message}`, cause })
}
