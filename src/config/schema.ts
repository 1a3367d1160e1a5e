import Type, { type Static } from 'typebox'

/**
 * Every environment variable the service reads, with its default and what it
 * expects. `.env.example` and the README table are checked against this.
 */
const port = (fallback: number, expects: string) => Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description: expects })
const url = (expects: string) => Type.Optional(Type.String({ pattern: '^(https?|rediss?)://[^\\s]+$', description: expects }))
const secret = (expects: string) => Type.Optional(Type.String({ minLength: 8, description: expects, secret: true }))
const int = (fallback: number, minimum: number, expects: string) => Type.Integer({ minimum, default: fallback, description: expects })
const text = (fallback: string, expects: string) => Type.String({ minLength: 1, default: fallback, description: expects })
const optionalText = (expects: string) => Type.Optional(Type.String({ minLength: 1, description: expects }))
const choice = <const T extends string>(values: readonly T[], fallback: NoInfer<T>, expects: string) =>
  Type.Unsafe<T>(Type.Union(values.map(v => Type.Literal(v)), { default: fallback, description: expects }))

export const ConfigSchema = Type.Object({
  PORT: port(3000, 'the HTTP port (1-65535)'),
  HOST: text('0.0.0.0', 'the address to listen on'),
  LOG_LEVEL: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'one of fatal, error, warn, info, debug, trace, silent'),

  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://[^\\s]+$', description: 'a redis:// or rediss:// URL; unset runs on the embedded single-instance store', secret: true })),
  REDIS_KEY_PREFIX: Type.String({ default: '', description: 'a prefix for every Redis key (empty keeps the original key names)' }),
  REDIS_SENTINELS: Type.Optional(Type.String({ pattern: '^[^\\s:,]+:\\d+(,[^\\s:,]+:\\d+)*$', description: 'host:port[,host:port...] of Redis Sentinels' })),
  REDIS_SENTINEL_NAME: text('mymaster', 'the Sentinel master name'),
  REDIS_SENTINEL_PASSWORD: secret('the Sentinels\' password (at least 8 characters)'),

  ESPOCRM_URL: url('the EspoCRM API base, e.g. https://crm.example.de/api/v1/'),
  ESPOCRM_AUTH: choice(['api-key', 'hmac'], 'api-key', 'api-key or hmac'),
  ESPOCRM_API_KEY: secret('the API user\'s key (at least 8 characters)'),
  ESPOCRM_SECRET_KEY: secret('the API user\'s HMAC secret, for ESPOCRM_AUTH=hmac'),
  ESPOCRM_AKTE_ENTITY: text('CAkte', 'the Akte entity (custom entities get a C prefix in EspoCRM 8.2+)'),
  ESPOCRM_DOCUMENT_ENTITY: text('Document', 'the Document entity'),
  ESPOCRM_DOCUMENT_FIELDS: optionalText('JSON object overriding Document attribute names, e.g. {"syncUsn":"cSyncUsn"}'),
  ESPOCRM_AKTE_FIELDS: optionalText('JSON object overriding Akte attribute names, e.g. {"aktennummer":"cAktennummer"}'),
  ESPOCRM_ACTIVE_STATUSES: text('Neu,Aktiv,Import', 'comma-separated Akte statuses that are synced'),
  ESPOCRM_ARCHIVED_STATUS: text('Abgelegt', 'the Akte status set in EspoCRM when Advoware archives the Akte'),
  ESPOCRM_CHUNK_THRESHOLD_BYTES: int(4 * 1024 * 1024, 1024, 'files above this size are uploaded to EspoCRM in chunks'),
  ESPOCRM_CHUNK_SIZE_BYTES: int(4 * 1024 * 1024, 1024, 'chunk size of chunked EspoCRM uploads'),

  ADVOWARE_BASE_URL: url('the Advoware API base; unset discovers it from ADVOWARE_DISCOVERY_URL'),
  ADVOWARE_DISCOVERY_URL: Type.String({ default: 'https://www2.advo-net.net/AdvonetConfigurator/api/Url', pattern: '^https?://', description: 'the Advoware discovery endpoint' }),
  ADVOWARE_KANZLEI: optionalText('the Kanzleikennung'),
  ADVOWARE_DATABASE: optionalText('the Advoware database name'),
  ADVOWARE_USER: optionalText('the Advoware user'),
  ADVOWARE_PASSWORD: secret('the Advoware user\'s password'),
  ADVOWARE_APP_ID: optionalText('the registered AppID'),
  ADVOWARE_API_KEY: secret('the base64 API key that signs token requests'),
  ADVOWARE_SECURITY_GATEWAY_URL: url('the security gateway (token endpoint); with ADVOWARE_BASE_URL it skips discovery'),
  ADVOWARE_ROLE: int(2, 0, 'the token request\'s Role'),
  ADVOWARE_PRODUCT: int(64, 0, 'the token request\'s Product'),
  ADVOWARE_AKTE_PATH: text('api/v1/advonet/Akten/{akteId}', 'the Akte endpoint below the API base'),
  ADVOWARE_HISTORY_PATH: text('api/v1/advonet/Akten/{akteId}/History', 'the History endpoint below the API base'),

  ADVOWARE_HISTORY_ART: text('Dokument', 'the History type (art) of entries created for files uploaded from EspoCRM'),

  ADVOWARE_WATCHER_URL: Type.String({ default: 'http://localhost:8765', pattern: '^https?://', description: 'the Windows Watcher service URL' }),
  ADVOWARE_WATCHER_AUTH_TOKEN: secret('the bearer token for the Watcher (at least 8 characters)'),
  WATCHER_SHARE_PATH: text('D:\\Advoware\\Akten', 'the share\'s Windows path, to keep uploaded names within 259 characters'),

  ESPOCRM_WEBHOOK_SECRETS: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]+:[^,\\s]+(,[A-Za-z0-9]+:[^,\\s]+)*$', description: 'webhookId:secret[,webhookId:secret...] of EspoCRM webhooks not registered by `advoware-sync register-webhooks`', secret: true })),
  WATCHER_PUSH_TOKEN: secret('the bearer token the Watcher sends with its push notifications (at least 8 characters)'),
  ADMIN_TOKEN: secret('the bearer token for the admin API and dashboard (at least 8 characters); unset disables them'),
  PUBLIC_URL: url('the URL under which EspoCRM reaches this service (for register-webhooks)'),

  SYNC_INTERVAL_MS: int(10_000, 100, 'ms between two drains of the pending set'),
  SYNC_CONCURRENCY: int(4, 1, 'Akten synced at once by one instance'),
  SYNC_FILE_CONCURRENCY: int(4, 1, 'file transfers at once within one Akte'),
  SYNC_LOCK_MODE: choice(['akte', 'global'], 'akte', 'akte (one lock per Akte) or global (one sync at a time, as the original design)'),
  SYNC_LEASE_MS: int(60_000, 1_000, 'ms a claimed Akte stays leased without renewal before another instance takes it'),
  SYNC_LOCK_TTL_MS: int(30_000, 1_000, 'ms of a sync lock between automatic extensions'),
  SYNC_MAX_ATTEMPTS: int(8, 1, 'failed attempts before an Akte moves to the failed set'),
  SYNC_RETRY_BASE_MS: int(30_000, 10, 'backoff after the first failed attempt (doubles each time)'),
  SYNC_RETRY_MAX_MS: int(1_800_000, 10, 'longest backoff between attempts'),
  SYNC_WAKE_ON_ENQUEUE: choice(['true', 'false'], 'true', 'true to start a sync as soon as a webhook adds an Akte, false to wait for the next drain'),
  SYNC_CONTINUOUS: choice(['true', 'false'], 'true', 'true to start the next Akte as soon as a slot frees, false for one batch per interval'),
  SYNC_IGNORE_PATTERNS: Type.String({ default: '', description: 'comma-separated globs never synced, besides ~$*, *.tmp, Thumbs.db, desktop.ini' }),
  SYNC_MASS_DELETE_MAX_SHARE: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: 'block an Akte whose plan deletes more than this share of its synced Documents (0-1) ...' }),
  SYNC_MASS_DELETE_MIN_COUNT: int(3, 1, '... and at least this many'),
  SYNC_SWEEP_INTERVAL_MS: int(300_000, 0, 'ms between two sweeps for EspoCRM Documents modified since the last one (0 disables)'),
  SYNC_SHUTDOWN_GRACE_MS: int(25_000, 0, 'ms running syncs may take to finish on shutdown before they are stopped'),

  EXTERNAL_TIMEOUT_MS: int(30_000, 100, 'ms to wait for an external system\'s answer headers'),
  EXTERNAL_RETRIES: int(3, 1, 'attempts per external call for transient failures')
})

export type AppConfig = Static<typeof ConfigSchema>

/** Variables whose values never reach a log line (REDIS_URL may carry a password). */
export function secretVariables (): string[] {
  return Object.entries(ConfigSchema.properties as Record<string, { secret?: boolean }>)
    .filter(([, schema]) => schema.secret === true).map(([name]) => name)
}
