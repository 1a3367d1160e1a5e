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

  ADVOWARE_BASE_URL: url('the Advoware API base; unset discovers it from ADVOWARE_DISCOVERY_URL'),
  ADVOWARE_DISCOVERY_URL: Type.String({ default: 'https://www2.advo-net.net/AdvonetConfigurator/api/Url', pattern: '^https?://', description: 'the Advoware discovery endpoint' }),
  ADVOWARE_KANZLEI: optionalText('the Kanzleikennung'),
  ADVOWARE_DATABASE: optionalText('the Advoware database name'),
  ADVOWARE_USER: optionalText('the Advoware user'),
  ADVOWARE_PASSWORD: secret('the Advoware user\'s password'),
  ADVOWARE_APP_ID: optionalText('the registered AppID'),
  ADVOWARE_API_KEY: secret('the base64 API key that signs token requests'),

  ADVOWARE_WATCHER_URL: Type.String({ default: 'http://localhost:8765', pattern: '^https?://', description: 'the Windows Watcher service URL' }),
  ADVOWARE_WATCHER_AUTH_TOKEN: secret('the bearer token for the Watcher (at least 8 characters)'),

  EXTERNAL_TIMEOUT_MS: int(30_000, 100, 'ms to wait for an external system\'s answer headers'),
  EXTERNAL_RETRIES: int(3, 1, 'attempts per external call for transient failures')
})

export type AppConfig = Static<typeof ConfigSchema>

/** Variables whose values never reach a log line (REDIS_URL may carry a password). */
export function secretVariables (): string[] {
  return Object.entries(ConfigSchema.properties as Record<string, { secret?: boolean }>)
    .filter(([, schema]) => schema.secret === true).map(([name]) => name)
}
