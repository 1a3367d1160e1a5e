import type { TokenRequestBody } from '../../../src/clients/advoware/signature.js'
import { createHmac } from 'node:crypto'
import nock from 'nock'
import { AdvowareClient, type AdvowareClientOptions } from '../../../src/clients/advoware/index.js'

export const DISCOVERY_ORIGIN = 'http://discovery.test'
export const DISCOVERY_PATH = '/AdvonetConfigurator/api/Url'
export const GATEWAY = 'http://gateway.test:8443/'
export const CONNECTOR = 'http://connector.test:9000/'
export const RELAY = 'http://relay.test:9001/'
export const SECRET_KEY = Buffer.from('a shared secret key for HMAC-SHA512 tests')
export const API_KEY = SECRET_KEY.toString('base64')
export const PASSWORD = 'pw-never-logged'

export type TokenBody = TokenRequestBody

/** Recomputed independently of the client's code. */
export function expectedSignature (body: TokenBody): string {
  return createHmac('sha512', SECRET_KEY).update(`${body.Product}:${body.AppID}:${body.Nonce}:${body.RequestTimeStamp}`).digest('base64')
}

export function tokenAnswer (accessToken: string, expiresAtMs: number): Record<string, unknown> {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 3600,
    expiration_utc: new Date(expiresAtMs).toISOString(),
    refresh_token: 'refresh'
  }
}

export function makeClient (overrides: Partial<AdvowareClientOptions> = {}): AdvowareClient {
  return new AdvowareClient({
    kanzlei: 'KANZLEI1',
    database: 'ADVO',
    user: 'sync',
    appId: 'app-42',
    password: PASSWORD,
    apiKey: API_KEY,
    discoveryUrl: `${DISCOVERY_ORIGIN}${DISCOVERY_PATH}`,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...overrides
  })
}

export const HOUR = 3_600_000

export const AKTE = { id: 4711, aktennummer: '12345/26', ablage: 0, ablagedatum: null }

export function discovery (answer: Record<string, unknown> = { relayUrl: RELAY, connectorUrl: CONNECTOR, securityGateway: GATEWAY }): nock.Scope {
  return nock(DISCOVERY_ORIGIN).get(DISCOVERY_PATH).query({ Kanzlei: 'KANZLEI1' }).reply(200, answer)
}

export function gateway (tokens: string[], expiresAtMs = Date.now() + HOUR, bodies: TokenBody[] = []): nock.Scope {
  const scope = nock(GATEWAY)
  for (const token of tokens) {
    scope.post('/api/v1/Token', (body: TokenBody) => { bodies.push(body); return true }).reply(200, tokenAnswer(token, expiresAtMs))
  }
  return scope
}
