import fp from 'fastify-plugin'
import { FieldMap } from '../clients/espocrm/index.js'
import { ExternalError } from '../clients/errors.js'
import { parseFieldOverrides } from '../config/load.js'
import { WebhookInbox, type AkteLookup } from '../webhooks/inbox.js'
import { WebhookSecrets } from '../webhooks/secrets.js'
import { EspoSweep } from '../sweep/espocrm-sweep.js'

declare module 'fastify' {
  interface FastifyInstance {
    webhookSecrets: WebhookSecrets
    webhookInbox: WebhookInbox & { kick: () => void }
  }
}

/** Webhook secrets and the inbox of events whose Akte is looked up in EspoCRM in the background. */
export default fp(async (app) => {
  const { config } = app
  const fields = new FieldMap({ document: parseFieldOverrides(config.ESPOCRM_DOCUMENT_FIELDS), akte: parseFieldOverrides(config.ESPOCRM_AKTE_FIELDS) })
  const d = fields.document
  const secrets = new WebhookSecrets(app.store, config.ESPOCRM_WEBHOOK_SECRETS, {
    akteEntity: config.ESPOCRM_AKTE_ENTITY,
    documentEntity: config.ESPOCRM_DOCUMENT_ENTITY,
    documentAkteLink: d.akteId,
    akteNumberField: fields.akte.aktennummer,
    documentBookkeeping: [d.blake3Hash, d.syncHash, d.syncUsn, d.syncFileId, d.fileStatus, d.syncStatus, d.lastSync, d.syncError],
    akteBookkeeping: [fields.akte.syncStatus, fields.akte.lastSync, fields.akte.syncError]
  })

  const espo = (): NonNullable<typeof app.clients.espocrm> => {
    if (app.clients.espocrm === undefined) throw new ExternalError({ system: 'espocrm', kind: 'unavailable', message: 'EspoCRM is not configured' })
    return app.clients.espocrm
  }
  const lookup: AkteLookup = {
    aktennummerOfAkteId: async id => (await espo().getAkte(id))?.aktennummer ?? null,
    akteIdOfDocument: async id => (await espo().getDocument(id))?.akteId ?? null
  }
  const inbox = new WebhookInbox(app.store, lookup, async nrs => await app.queue.enqueue(nrs), app.log)
  const kick = (): void => {
    setImmediate(() => { inbox.process().catch(error => app.log.warn({ err: error }, 'webhook inbox: will retry')) })
  }
  const sweep = new EspoSweep(app.store, () => app.clients.espocrm, inbox, app.log)
  let lastSweep = 0
  app.queue.onTick(async () => {
    const interval = config.SYNC_SWEEP_INTERVAL_MS
    if (interval > 0 && app.queue.worker !== undefined && Date.now() - lastSweep >= interval) {
      lastSweep = Date.now()
      await sweep.run()
    }
    await inbox.process()
  })
  app.decorate('webhookSecrets', secrets)
  app.decorate('webhookInbox', Object.assign(inbox, { kick }))
}, { name: 'webhooks', dependencies: ['config', 'store', 'clients', 'queue'] })
