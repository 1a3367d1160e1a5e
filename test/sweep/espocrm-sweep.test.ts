import t from 'tap'
import pino from 'pino'
import { createClients } from '../../src/plugins/clients.js'
import { loadConfig } from '../../src/config/load.js'
import { startSystems } from '../../src/sandbox/systems.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { EspoSweep } from '../../src/sweep/espocrm-sweep.js'
import { WebhookInbox } from '../../src/webhooks/inbox.js'

t.test('the sweep enqueues the Akten of Documents modified since the last sweep, once', async t => {
  const systems = await startSystems()
  t.teardown(systems.close)
  const clients = createClients(loadConfig(systems.env))
  t.teardown(async () => { await clients.espocrm?.close() })
  const store = new MemoryStore()
  const enqueued: string[][] = []
  const log = pino({ level: 'silent' })
  const inbox = new WebhookInbox(store, {
    aktennummerOfAkteId: async id => (await clients.espocrm!.getAkte(id))?.aktennummer ?? null,
    akteIdOfDocument: async id => (await clients.espocrm!.getDocument(id))?.akteId ?? null
  }, async nrs => { enqueued.push(nrs) }, log)
  const sweep = new EspoSweep(store, () => clients.espocrm, inbox, log)

  const akte = systems.espo.create('CAkte', { name: 'A', aktennummer: 'A-1', advowareAkteId: '1', status: 'Aktiv' })
  const attachment = await systems.espo.seedAttachment({ name: 'a.pdf', data: Buffer.from('a') })
  const doc = systems.espo.create('Document', { name: 'a', fileId: attachment.id, publishDate: '2026-01-01', akteId: akte.id })

  t.equal(await sweep.run(), 1, 'the first sweep sees the recent Document')
  await inbox.process()
  t.same(enqueued, [['A-1']])
  t.equal(await sweep.run(), 0, 'nothing new: the overlap window does not re-report it')
  await new Promise(resolve => setTimeout(resolve, 1100))
  systems.espo.update('Document', doc.id as string, { description: 'edited' })
  t.equal(await sweep.run(), 1, 'an edit is found again')
})
