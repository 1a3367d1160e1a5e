import fp from 'fastify-plugin'
import { AdvowareClient } from '../clients/advoware/index.js'
import { EspoClient, type EspoAuth } from '../clients/espocrm/index.js'
import { WatcherClient } from '../clients/watcher/index.js'
import { parseFieldOverrides } from '../config/load.js'
import type { AppConfig } from '../config/schema.js'
import type { CallObserver } from '../clients/http-client.js'

export interface Clients {
  espocrm?: EspoClient
  advoware?: AdvowareClient
  watcher?: WatcherClient
}

declare module 'fastify' {
  interface FastifyInstance {
    clients: Clients
  }
}

/** Builds the three clients from the configuration; a system that is not configured stays undefined. */
export function createClients (config: AppConfig, observer?: CallObserver): Clients {
  const timeouts = { headersMs: config.EXTERNAL_TIMEOUT_MS }
  const retry = { attempts: config.EXTERNAL_RETRIES }
  const clients: Clients = {}
  if (config.ESPOCRM_URL !== undefined && config.ESPOCRM_API_KEY !== undefined) {
    const auth: EspoAuth = config.ESPOCRM_AUTH === 'hmac' && config.ESPOCRM_SECRET_KEY !== undefined
      ? { kind: 'hmac', apiKey: config.ESPOCRM_API_KEY, secretKey: config.ESPOCRM_SECRET_KEY }
      : { kind: 'apiKey', apiKey: config.ESPOCRM_API_KEY }
    clients.espocrm = new EspoClient({
      baseUrl: config.ESPOCRM_URL,
      auth,
      entities: { akte: config.ESPOCRM_AKTE_ENTITY, document: config.ESPOCRM_DOCUMENT_ENTITY },
      fields: { document: parseFieldOverrides(config.ESPOCRM_DOCUMENT_FIELDS), akte: parseFieldOverrides(config.ESPOCRM_AKTE_FIELDS) },
      chunkThresholdBytes: config.ESPOCRM_CHUNK_THRESHOLD_BYTES,
      chunkSizeBytes: config.ESPOCRM_CHUNK_SIZE_BYTES,
      timeouts,
      retry,
      observer
    })
  }
  const a = config
  if (a.ADVOWARE_KANZLEI !== undefined && a.ADVOWARE_DATABASE !== undefined && a.ADVOWARE_USER !== undefined &&
    a.ADVOWARE_PASSWORD !== undefined && a.ADVOWARE_APP_ID !== undefined && a.ADVOWARE_API_KEY !== undefined) {
    clients.advoware = new AdvowareClient({
      kanzlei: a.ADVOWARE_KANZLEI,
      database: a.ADVOWARE_DATABASE,
      user: a.ADVOWARE_USER,
      password: a.ADVOWARE_PASSWORD,
      appId: a.ADVOWARE_APP_ID,
      apiKey: a.ADVOWARE_API_KEY,
      role: a.ADVOWARE_ROLE,
      product: a.ADVOWARE_PRODUCT,
      discoveryUrl: a.ADVOWARE_DISCOVERY_URL,
      baseUrl: a.ADVOWARE_BASE_URL,
      securityGatewayUrl: a.ADVOWARE_SECURITY_GATEWAY_URL,
      paths: { akte: a.ADVOWARE_AKTE_PATH, history: a.ADVOWARE_HISTORY_PATH },
      timeouts,
      retry,
      observer
    })
  }
  if (config.ADVOWARE_WATCHER_AUTH_TOKEN !== undefined) {
    clients.watcher = new WatcherClient({ baseUrl: config.ADVOWARE_WATCHER_URL, token: config.ADVOWARE_WATCHER_AUTH_TOKEN, timeouts, retry, observer })
  }
  return clients
}

export default fp<{ clients?: Clients }>(async (app, options) => {
  const clients = options.clients ?? createClients(app.config, app.metrics.observeCall)
  const missing = (['espocrm', 'advoware', 'watcher'] as const).filter(name => clients[name] === undefined)
  if (missing.length > 0) app.log.warn({ missing }, 'external systems not configured; Akten stay queued until they are')
  app.decorate('clients', clients)
  app.addHook('onClose', async () => {
    await Promise.allSettled([clients.espocrm?.close(), clients.advoware?.close(), clients.watcher?.close()])
  })
}, { name: 'clients', dependencies: ['config', 'metrics'] })
