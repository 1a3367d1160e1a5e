import nock from 'nock'
import { EspoClient } from '../../../src/clients/espocrm/index.js'
import type { EspoClientOptions } from '../../../src/clients/espocrm/index.js'

export const ORIGIN = 'http://crm.test'
export const BASE_URL = `${ORIGIN}/api/v1/`
export const API = '/api/v1'

/** A client against the nock origin with fast retries, so retry tests take milliseconds. */
export function testClient (options: Partial<EspoClientOptions> = {}): EspoClient {
  return new EspoClient({
    baseUrl: BASE_URL,
    auth: { kind: 'apiKey', apiKey: 'test-key' },
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    ...options
  })
}

/** Every request nock could not match, so a test can assert there was no extra call. */
export function trackUnmatched (): string[] {
  const unmatched: string[] = []
  // On undici nock hands over a fetch-style Request (`url`), on http a ClientRequest (`path`).
  nock.emitter.on('no match', (req: { method?: string, path?: string, url?: string }) => {
    unmatched.push(`${req.method ?? '?'} ${req.url ?? req.path ?? '?'}`)
  })
  return unmatched
}

/** 17-char hex ids like EspoCRM's. */
export function espoId (n: number): string {
  return n.toString(16).padStart(17, '0')
}
