import type { Dispatcher } from 'undici'
import type { CallObserver, Timeouts } from '../http-client.js'
import type { RetryOptions } from '../retry-policy.js'
import type { WireFields } from './mapping.js'

/** Milliseconds since the epoch; injected in tests to move time. */
export type Clock = () => number

export interface AdvowarePaths {
  /** `{akteId}` is replaced by the URL-encoded Akte id. */
  akte: string
  /** Listed with GET, created with POST. */
  history: string
}

export interface AdvowareClientOptions {
  /** Kanzleikennung. */
  kanzlei: string
  database: string
  user: string
  role?: number
  product?: number
  appId: string
  password: string
  /** Base64 API key: the HMAC-SHA512 key once decoded. */
  apiKey: string
  discoveryUrl?: string
  /** A configured API base replaces discovery's connector/relay choice. */
  baseUrl?: string
  /**
   * A configured security gateway; with `baseUrl` as well, discovery is
   * skipped entirely (the token endpoint lives on the gateway, not the base).
   */
  securityGatewayUrl?: string
  paths?: Partial<AdvowarePaths>
  fields?: Partial<WireFields>
  /** Fetch a new token this long before `expiration_utc`. */
  tokenRefreshMarginMs?: number
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryOptions>
  observer?: CallObserver
  dispatcher?: Dispatcher
  clock?: Clock
  /** Nonce source; a fresh UUID per token request by default. */
  nonce?: () => string
}

export const DEFAULT_DISCOVERY_URL = 'https://www2.advo-net.net/AdvonetConfigurator/api/Url'

export const DEFAULT_PATHS: AdvowarePaths = {
  akte: 'api/v1/advonet/Akten/{akteId}',
  history: 'api/v1/advonet/Akten/{akteId}/History'
}

export const DEFAULT_ROLE = 2
export const DEFAULT_PRODUCT = 64
export const DEFAULT_TOKEN_REFRESH_MARGIN_MS = 60_000

/** Fills `{akteId}` in a configured path template. */
export function expandPath (template: string, akteId: string): string {
  return template.replaceAll('{akteId}', encodeURIComponent(akteId))
}
