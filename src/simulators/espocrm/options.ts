import type { EntityDef, EntityDefs } from './entity-defs.js'
import { DEFAULT_DOCUMENT_ACCEPT, defaultEntityDefs, mergeEntityDefs } from './entity-defs.js'

export interface WebhookOptions {
  /** Items per POST (EspoCRM `webhookBatchSize`). */
  batchSize?: number
  /** Webhooks served per delivery run (EspoCRM `webhookQueuePortionSize`). */
  portionSize?: number
  /** Attempts before an item fails (EspoCRM `webhookMaxAttemptNumber`). */
  maxAttempts?: number
  /** Delay before a retry (EspoCRM `webhookFailAttemptPeriod`, 10 minutes). */
  retryDelayMs?: number
  /** Whole request, like curl's CURLOPT_TIMEOUT; a timeout counts as 408. */
  timeoutMs?: number
  connectTimeoutMs?: number
  /** Run delivery on a timer (EspoCRM's cron: 2 minutes). Off when unset. */
  intervalMs?: number
  /** Also send the legacy `X-Signature` header (EspoCRM 9 and 10 do). */
  legacySignature?: boolean
}

export interface EspoSimulatorOptions {
  /** Entity type of the Akte (`CAkte`; `Akte` without the custom prefix). */
  akteEntity?: string
  /** Link on Document to the Akte: attribute `{link}Id` (default `akte`). */
  documentAkteLink?: string
  /** List `maxSize` limit (EspoCRM `recordListMaxSizeLimit`). */
  maxSizeLimit?: number
  /** Largest accepted request body in bytes (a PHP/proxy limit). */
  bodyLimit?: number
  /** EspoCRM `attachmentUploadMaxSize`, here in bytes. */
  attachmentUploadMaxSize?: number
  /** Replaces the Document file allow-list (extensions with a dot). */
  documentFileAccept?: string[]
  /** Added to the allow-list, as an admin widening it would. */
  extraFileExtensions?: string[]
  /** Attachment directory. Default: a fresh temp directory, removed on close. */
  dataDir?: string
  /** Failed logins tolerated per IP within the window before 403 (10). */
  maxFailedLogins?: number
  /** Lockout window (EspoCRM `authFailedAttemptsPeriod`, 60 s). */
  lockoutWindowMs?: number
  webhooks?: WebhookOptions
  /** Per-entity overrides and extra entity types. */
  entityDefs?: Record<string, Partial<EntityDef>>
  /** Milliseconds since the epoch; tests may move time. */
  clock?: () => number
  /** `ci` compares strings like MySQL's utf8mb4_unicode_ci (case and accent blind). */
  collation?: 'ci' | 'binary'
  logger?: boolean
}

export interface ResolvedOptions {
  akteEntity: string
  documentAkteLink: string
  maxSizeLimit: number
  bodyLimit: number
  attachmentUploadMaxSize: number
  dataDir: string | undefined
  maxFailedLogins: number
  lockoutWindowMs: number
  webhooks: Required<Omit<WebhookOptions, 'intervalMs'>> & { intervalMs: number | undefined }
  entityDefs: EntityDefs
  clock: () => number
  collation: 'ci' | 'binary'
  logger: boolean
}

const MiB = 1024 * 1024

export function resolveOptions (options: EspoSimulatorOptions = {}): ResolvedOptions {
  const akteEntity = options.akteEntity ?? 'CAkte'
  const documentAkteLink = options.documentAkteLink ?? 'akte'
  const accept = [...(options.documentFileAccept ?? DEFAULT_DOCUMENT_ACCEPT), ...(options.extraFileExtensions ?? [])]
    .map(ext => (ext.startsWith('.') ? ext : `.${ext}`).toLowerCase())
  const base = defaultEntityDefs({ akteEntity, documentAkteLink, documentAccept: accept })
  const w = options.webhooks ?? {}
  return {
    akteEntity,
    documentAkteLink,
    maxSizeLimit: options.maxSizeLimit ?? 200,
    bodyLimit: options.bodyLimit ?? 400 * MiB,
    attachmentUploadMaxSize: options.attachmentUploadMaxSize ?? 256 * MiB,
    dataDir: options.dataDir,
    maxFailedLogins: options.maxFailedLogins ?? 10,
    lockoutWindowMs: options.lockoutWindowMs ?? 60_000,
    webhooks: {
      batchSize: w.batchSize ?? 50,
      portionSize: w.portionSize ?? 20,
      maxAttempts: w.maxAttempts ?? 4,
      retryDelayMs: w.retryDelayMs ?? 10 * 60_000,
      timeoutMs: w.timeoutMs ?? 10_000,
      connectTimeoutMs: w.connectTimeoutMs ?? 5_000,
      intervalMs: w.intervalMs,
      legacySignature: w.legacySignature ?? true
    },
    entityDefs: mergeEntityDefs(base, options.entityDefs),
    clock: options.clock ?? Date.now,
    collation: options.collation ?? 'ci',
    logger: options.logger ?? false
  }
}
