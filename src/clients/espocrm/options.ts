import type { Dispatcher } from 'undici'
import type { CallObserver, Timeouts } from '../http-client.js'
import type { RetryOptions } from '../retry-policy.js'
import type { EspoAuth } from './auth.js'
import type { AkteFieldMap, DocumentFieldMap } from './field-map.js'

export interface EspoEntityNames {
  /** Custom entities get a `C` prefix in EspoCRM 8.2+. */
  akte: string
  document: string
}

export interface EspoClientOptions {
  /** Ends in `api/v1/`, e.g. `https://crm.example/api/v1/`. */
  baseUrl: string
  auth: EspoAuth
  entities?: Partial<EspoEntityNames>
  fields?: { document?: Partial<DocumentFieldMap>, akte?: Partial<AkteFieldMap> }
  /** Files up to this size go in one request; larger ones are uploaded in chunks. */
  chunkThresholdBytes?: number
  chunkSizeBytes?: number
  /** After a 401 further calls fail locally for this long (0 disables). */
  authCooldownMs?: number
  timeouts?: Partial<Timeouts>
  retry?: Partial<RetryOptions>
  connections?: number
  observer?: CallObserver
  /** Injected in tests; otherwise one undici Pool. */
  dispatcher?: Dispatcher
}

export const DEFAULT_ENTITIES: EspoEntityNames = { akte: 'CAkte', document: 'Document' }

/**
 * 4 MiB each. A single upload travels as base64 inside JSON (4/3 larger), and
 * PHP's common `post_max_size` of 8M must hold it; 4 MiB is also the chunk size
 * of EspoCRM's own UI.
 */
export const DEFAULT_CHUNK_THRESHOLD_BYTES = 4 * 1024 * 1024
export const DEFAULT_CHUNK_SIZE_BYTES = 4 * 1024 * 1024

/** Matches EspoCRM's 60 s failed-login window. */
export const DEFAULT_AUTH_COOLDOWN_MS = 60_000
