import { request } from 'undici'
import { CliError, EXIT } from './output.js'

/** The running service's admin API: the queue lives in the service's store (embedded or Redis). */
export class AdminClient {
  constructor (private readonly baseUrl: string, private readonly token: string | undefined) {}

  async call<T> (method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (this.token === undefined) throw new CliError('ADMIN_TOKEN is not set (or pass --token): the admin API needs it', EXIT.usage)
    let response
    try {
      response = await request(new URL(path, this.baseUrl), {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: 60_000,
        bodyTimeout: 60_000
      })
    } catch (error) {
      throw new CliError(`the service does not answer at ${this.baseUrl} (${(error as { code?: string }).code ?? String(error)}). Is it running? Pass --url otherwise.`, EXIT.unreachable)
    }
    const text = await response.body.text()
    const parsed = text === '' ? undefined : JSON.parse(text) as { message?: string }
    if (response.statusCode === 401) throw new CliError('the service refused the admin token (401)', EXIT.usage)
    if (response.statusCode >= 400) throw new CliError(`${method} ${path}: ${response.statusCode} ${parsed?.message ?? ''}`.trim(), response.statusCode === 404 ? EXIT.failed : EXIT.failed)
    return parsed as T
  }
}
