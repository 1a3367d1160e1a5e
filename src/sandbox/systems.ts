import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAdvowareSimulator, DEFAULT_ADVOWARE_CREDENTIALS, type AdvowareSimulator } from '../simulators/advoware/index.js'
import { EspoSimulator, type EspoSimulatorOptions } from '../simulators/espocrm/index.js'
import { createWatcherSimulator, type WatcherSimulator } from '../simulators/watcher/index.js'

export interface SystemsOptions {
  /** Share folder; a fresh temp folder (removed on close) when unset. */
  shareRoot?: string
  espo?: EspoSimulatorOptions
  /** Where the Watcher pushes change notifications (the service's /webhooks/watcher). */
  watcherPushUrl?: string
  host?: string
  /** Fixed ports (sandbox); 0 picks free ones. */
  ports?: { espocrm?: number, advoware?: number, watcher?: number }
}

/** Credentials the simulators accept; the service gets them through `env`. */
export const SANDBOX_SECRETS = {
  espoApiKey: 'sandbox-espo-api-key-0001',
  espoSecretKey: 'sandbox-espo-hmac-secret-0001',
  watcherToken: 'sandbox-watcher-token-0001',
  watcherPushToken: 'sandbox-watcher-push-token-0001',
  adminToken: 'sandbox-admin-token-0001'
}

export const ESPO_API_USER_ID = '6000000000000000a'

export interface Systems {
  espo: EspoSimulator
  advoware: AdvowareSimulator
  watcher: WatcherSimulator
  shareRoot: string
  /** Environment for the service: every external system configured against the simulators. */
  env: Record<string, string>
  close: () => Promise<void>
}

/**
 * Starts the EspoCRM, Advoware and Watcher simulators together, wired with
 * matching credentials. Used by integration tests, benchmarks and the sandbox.
 */
export async function startSystems (options: SystemsOptions = {}): Promise<Systems> {
  const host = options.host ?? '127.0.0.1'
  const ownsShare = options.shareRoot === undefined
  const shareRoot = options.shareRoot ?? await mkdtemp(join(tmpdir(), 'advoware-share-'))
  const espo = await EspoSimulator.create(options.espo ?? {})
  espo.addUser({ id: ESPO_API_USER_ID, userName: 'advoware-sync', type: 'api', apiKey: SANDBOX_SECRETS.espoApiKey, secretKey: SANDBOX_SECRETS.espoSecretKey, authMethod: 'ApiKey' })
  const advoware = createAdvowareSimulator({ host, port: options.ports?.advoware ?? 0 })
  const watcher = createWatcherSimulator({
    root: shareRoot,
    token: SANDBOX_SECRETS.watcherToken,
    host,
    port: options.ports?.watcher ?? 0,
    pushUrl: options.watcherPushUrl,
    pushToken: options.watcherPushUrl === undefined ? undefined : SANDBOX_SECRETS.watcherPushToken
  })
  const espoUrl = await espo.listen(options.ports?.espocrm ?? 0, host)
  const advowareUrl = await advoware.listen()
  const watcherUrl = await watcher.listen()
  const credentials = DEFAULT_ADVOWARE_CREDENTIALS
  const env: Record<string, string> = {
    ESPOCRM_URL: espoUrl,
    ESPOCRM_AUTH: 'api-key',
    ESPOCRM_API_KEY: SANDBOX_SECRETS.espoApiKey,
    ADVOWARE_DISCOVERY_URL: advoware.discoveryUrl(credentials.kanzlei).split('?')[0] ?? '',
    ADVOWARE_KANZLEI: credentials.kanzlei,
    ADVOWARE_DATABASE: credentials.database,
    ADVOWARE_USER: credentials.user,
    ADVOWARE_PASSWORD: credentials.password,
    ADVOWARE_APP_ID: credentials.appId,
    ADVOWARE_API_KEY: credentials.apiKey,
    ADVOWARE_WATCHER_URL: watcherUrl.replace(/\/$/, ''),
    ADVOWARE_WATCHER_AUTH_TOKEN: SANDBOX_SECRETS.watcherToken,
    WATCHER_PUSH_TOKEN: SANDBOX_SECRETS.watcherPushToken,
    ADMIN_TOKEN: SANDBOX_SECRETS.adminToken
  }
  void advowareUrl
  return {
    espo,
    advoware,
    watcher,
    shareRoot,
    env,
    close: async () => {
      await Promise.allSettled([espo.close(), advoware.close(), watcher.close()])
      if (ownsShare) await rm(shareRoot, { recursive: true, force: true })
    }
  }
}
