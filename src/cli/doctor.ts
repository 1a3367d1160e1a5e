import { Redis } from 'ioredis'
import { isExternalError, type ExternalError } from '../clients/errors.js'
import type { AppConfig } from '../config/schema.js'
import { createClients } from '../plugins/clients.js'
import { redisOptions } from '../store/redis-connection.js'

export interface Check {
  name: string
  level: 'ok' | 'warn' | 'fail'
  message: string
}

/**
 * Reaches every system the way the service would and says in plain words
 * what is wrong. Each check has its own short timeout; one failure does not
 * hide the others.
 */
export async function runDoctor (config: AppConfig): Promise<Check[]> {
  const quick: AppConfig = { ...config, EXTERNAL_RETRIES: 1, EXTERNAL_TIMEOUT_MS: Math.min(config.EXTERNAL_TIMEOUT_MS, 10_000) }
  const clients = createClients(quick)
  try {
    return await Promise.all([checkStore(config), checkEspo(clients.espocrm, config), checkAdvoware(clients.advoware), checkWatcher(clients.watcher, config)])
  } finally {
    await Promise.allSettled([clients.espocrm?.close(), clients.advoware?.close(), clients.watcher?.close()])
  }
}

async function checkStore (config: AppConfig): Promise<Check> {
  if (config.REDIS_URL === undefined && config.REDIS_SENTINELS === undefined) {
    return { name: 'store', level: 'warn', message: 'REDIS_URL is not set: the embedded store serves one instance and forgets the queue on restart' }
  }
  const options = { ...redisOptions(config), lazyConnect: true, retryStrategy: () => null, connectTimeout: 3_000 }
  const redis = config.REDIS_URL !== undefined ? new Redis(config.REDIS_URL, options) : new Redis(options)
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    await redis.ping()
    return { name: 'store', level: 'ok', message: 'Redis answers' }
  } catch (error) {
    return { name: 'store', level: 'fail', message: `cannot reach Redis (${(error as { code?: string }).code ?? (error as Error).message})` }
  } finally {
    redis.disconnect()
  }
}

async function checkEspo (espo: ReturnType<typeof createClients>['espocrm'], config: AppConfig): Promise<Check> {
  const name = 'EspoCRM'
  if (espo === undefined) return { name, level: 'fail', message: 'not configured: set ESPOCRM_URL and ESPOCRM_API_KEY' }
  try {
    await espo.findAkteByAktennummer('doctor-probe')
    return { name, level: 'ok', message: `authenticated (${config.ESPOCRM_AUTH}) and ${config.ESPOCRM_AKTE_ENTITY} is readable` }
  } catch (error) {
    return { name, level: 'fail', message: explain(error, {
      auth: 'EspoCRM refused the API key (401): check ESPOCRM_API_KEY and, for hmac, ESPOCRM_SECRET_KEY',
      forbidden: `EspoCRM answered 403 (${reasonOf(error)}): the API user's role may lack access to ${config.ESPOCRM_AKTE_ENTITY}, or this address is locked out for a minute after too many failed logins`,
      'not-found': `EspoCRM has no entity ${config.ESPOCRM_AKTE_ENTITY} (404): check ESPOCRM_AKTE_ENTITY and that ESPOCRM_URL ends in /api/v1/`
    }) }
  }
}

async function checkAdvoware (advoware: ReturnType<typeof createClients>['advoware']): Promise<Check> {
  const name = 'Advoware'
  if (advoware === undefined) return { name, level: 'fail', message: 'not configured: set ADVOWARE_KANZLEI, ADVOWARE_DATABASE, ADVOWARE_USER, ADVOWARE_PASSWORD, ADVOWARE_APP_ID, ADVOWARE_API_KEY' }
  try {
    await advoware.getAkte('0')
    return { name, level: 'ok', message: 'token issued and the API answers' }
  } catch (error) {
    if (isExternalError(error) && error.kind === 'not-found') return { name, level: 'ok', message: 'token issued and the API answers' }
    return { name, level: 'fail', message: explain(error, {
      auth: 'Advoware refused the token request or the token (401): check user, password, AppID and the API key (the HMAC signature uses it)',
      forbidden: 'Advoware answered 403: the relay may refuse calls once a connector is announced; check ADVOWARE_BASE_URL'
    }) }
  }
}

async function checkWatcher (watcher: ReturnType<typeof createClients>['watcher'], config: AppConfig): Promise<Check> {
  const name = 'Watcher'
  if (watcher === undefined) return { name, level: 'fail', message: 'not configured: set ADVOWARE_WATCHER_AUTH_TOKEN (and ADVOWARE_WATCHER_URL)' }
  try {
    await watcher.listFiles('doctor-probe')
    return { name, level: 'ok', message: `answers at ${config.ADVOWARE_WATCHER_URL} and accepts the token` }
  } catch (error) {
    return { name, level: 'fail', message: explain(error, { auth: 'the Watcher refused the token (401): check ADVOWARE_WATCHER_AUTH_TOKEN' }) }
  }
}

function reasonOf (error: unknown): string {
  return isExternalError(error) ? error.reason ?? `status ${error.status ?? '?'}` : String(error)
}

function explain (error: unknown, byKind: Partial<Record<ExternalError['kind'], string>>): string {
  if (!isExternalError(error)) return `unexpected error: ${error instanceof Error ? error.message : String(error)}`
  const specific = byKind[error.kind]
  if (specific !== undefined) return specific
  if (error.kind === 'network') return `cannot connect (${(error.cause as { code?: string } | undefined)?.code ?? 'network error'}): is the URL right and the system running?`
  if (error.kind === 'timeout') return 'no answer in time: the system is slow or a firewall drops the connection'
  if (error.kind === 'unavailable') return `the system answered ${error.status ?? ''} (maintenance or overload); try again later`.replace('  ', ' ')
  return error.message
}
