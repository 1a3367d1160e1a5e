import type { FastifyInstance } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { request } from 'undici'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config/load.js'
import { startSystems, type Systems } from '../../../src/sandbox/systems.js'
import { espoSignature, phpJson } from '../../helpers/espo-webhook.js'
import { waitFor } from '../../helpers/process.js'
import { ownRedis, type OwnRedis } from './redis-server.js'

/*
 * The service on a Redis that goes away for a while. A steady stream of
 * change notifications (EspoCRM's signed webhook and the Watcher's push, each
 * for its own Akte, so that one sync cannot cover for a lost event) runs
 * before, during and after the outage. The sweep is off: a notification is
 * the only way an Akte gets into the queue.
 */

const HOOK_ID = '6621a7b3c9d0e1f23'
const HOOK_SECRET = 'outage-webhook-secret-0001'

export type Phase = 'before' | 'down' | 'recovering' | 'after' | 'resent'

export interface Sent {
  index: number
  kind: 'espo' | 'watcher'
  phase: Phase
  status: number
  at: number
}

export interface OutageOptions {
  outageMs: number
  beforeMs: number
  afterMs: number
  intervalMs: number
  /** How long every acknowledged event may take to show up synced once Redis is back. */
  syncWithinMs: number
}

export interface OutageWorld {
  systems: Systems
  redis: OwnRedis
  app: FastifyInstance
  base: string
  sent: Sent[]
  /** /health/live and /health/ready while Redis was down. */
  probes: Array<{ live: number, ready: number }>
  /** The events whose change is not synced yet (checked against the simulators). */
  unsynced: (events: readonly Sent[]) => Promise<Sent[]>
  downMs: number
}

async function post (url: string, headers: Record<string, string>, body: string): Promise<number> {
  try {
    const res = await request(url, { method: 'POST', headers, body, headersTimeout: 15_000, bodyTimeout: 15_000 })
    await res.body.dump()
    return res.statusCode
  } catch {
    return 0 // no answer at all: counted as neither accepted nor refused
  }
}

async function status (url: string): Promise<number> {
  try {
    const res = await request(url, { headersTimeout: 10_000 })
    await res.body.dump()
    return res.statusCode
  } catch {
    return 0
  }
}

export async function redisOutage (t: Test, options: OutageOptions): Promise<OutageWorld> {
  const redis = await ownRedis(t)
  const systems = await startSystems()
  t.teardown(systems.close)
  const config = loadConfig({
    ...systems.env,
    REDIS_URL: redis.url,
    ESPOCRM_WEBHOOK_SECRETS: `${HOOK_ID}:${HOOK_SECRET}`,
    LOG_LEVEL: 'silent',
    SYNC_INTERVAL_MS: '300',
    SYNC_SWEEP_INTERVAL_MS: '0',
    SYNC_LEASE_MS: '2000',
    SYNC_LOCK_TTL_MS: '2000',
    SYNC_RETRY_BASE_MS: '200',
    SYNC_RETRY_MAX_MS: '1000',
    SYNC_MAX_ATTEMPTS: '50',
    EXTERNAL_RETRIES: '1'
  })
  const app = await buildApp({ config, logger: false })
  t.teardown(async () => { await app.close() })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`

  // One Akte per event, each with its change already made; the notification is what is under test.
  const total = Math.ceil((options.beforeMs + options.outageMs + options.afterMs + 5_000) / options.intervalMs)
  const { espo, advoware, watcher } = systems
  const akten: Array<{ nr: string, akteId: string, kind: 'espo' | 'watcher', documentId?: string }> = []
  for (let i = 0; i < total; i++) {
    const nr = `RO-${i}`
    const akteId = String(espo.create('CAkte', { name: `Outage ${i}`, aktennummer: nr, advowareAkteId: String(70_000 + i), status: 'Aktiv' }).id)
    advoware.seedAkte({ id: 70_000 + i, aktennummer: nr })
    await watcher.createAkte(nr)
    if (i % 2 === 0) {
      const attachment = await espo.seedAttachment({ name: `Eingang ${i}.pdf`, type: 'application/pdf', data: Buffer.from(`Eingang ${i}`), relatedType: 'Document', field: 'file' })
      const doc = espo.create('Document', { name: `Eingang ${i}.pdf`, fileId: attachment.id, publishDate: '2026-03-21', akteId })
      akten.push({ nr, akteId, kind: 'espo', documentId: String(doc.id) })
    } else {
      await watcher.writeFile(nr, `Scan ${i}.pdf`, Buffer.from(`Scan ${i}`))
      advoware.addHistory(70_000 + i, { datum: '2026-03-20T09:30:00', text: 'Scan', art: 'Eingang', datei: `Scan ${i}.pdf` })
      akten.push({ nr, akteId, kind: 'watcher' })
    }
  }

  const notify = async (index: number): Promise<number> => {
    const akte = akten[index]!
    if (akte.kind === 'espo') {
      const raw = phpJson([{ id: akte.documentId, name: `Eingang ${index}.pdf`, akteId: akte.akteId, fileName: `Eingang ${index}.pdf` }])
      return await post(`${base}/webhooks/espocrm?event=Document.create`, { 'content-type': 'application/json', signature: espoSignature(HOOK_ID, HOOK_SECRET, raw) }, raw)
    }
    return await post(`${base}/webhooks/watcher`, { 'content-type': 'application/json', authorization: `Bearer ${systems.env.WATCHER_PUSH_TOKEN ?? ''}` },
      JSON.stringify({ akte: akte.nr, paths: [`Scan ${index}.pdf`] }))
  }

  const sent: Sent[] = []
  let phase: Phase = 'before'
  let sending = true
  const sender = (async () => {
    for (let i = 0; i < total && sending; i++) {
      const at = Date.now()
      const sentIn = phase
      const code = await notify(i)
      // An answer that crossed a phase boundary belongs to neither side of it.
      sent.push({ index: i, kind: akten[i]!.kind, phase: sentIn === phase ? sentIn : 'recovering', status: code, at })
      await sleep(options.intervalMs)
    }
  })()

  await sleep(options.beforeMs)
  await redis.stop()
  phase = 'down'
  const downAt = Date.now()
  const probes: Array<{ live: number, ready: number }> = []
  while (Date.now() - downAt < options.outageMs) {
    probes.push({ live: await status(`${base}/health/live`), ready: await status(`${base}/health/ready`) })
    await sleep(250)
  }
  phase = 'recovering'
  const downMs = Date.now() - downAt
  await redis.start()
  await waitFor(async () => await status(`${base}/health/ready`) === 200, 30_000, 'readiness after Redis is back')
  phase = 'after'
  await sleep(options.afterMs)
  sending = false
  await sender

  // EspoCRM retries a 503 (and the Watcher pushes again): refused events get their second chance.
  for (const event of sent.filter(e => e.status < 200 || e.status >= 300)) {
    sent.push({ ...event, phase: 'resent', status: await notify(event.index), at: Date.now() })
  }

  const unsynced = async (events: readonly Sent[]): Promise<Sent[]> => {
    const missing: Sent[] = []
    for (const event of events) {
      const akte = akten[event.index]!
      const done = akte.kind === 'espo'
        ? (await watcher.readFile(akte.nr, `Eingang ${event.index}.pdf`))?.toString() === `Eingang ${event.index}`
        : espo.list('Document').some(d => d.akteId === akte.akteId && d.windowsPath === `Scan ${event.index}.pdf` && d.fileStatus === 'synced')
      if (!done) missing.push(event)
    }
    return missing
  }
  return { systems, redis, app, base, sent, probes, unsynced, downMs }
}

/** Waits until every accepted event is synced; resolves to those that never were. */
export async function lostEvents (world: OutageWorld, withinMs: number): Promise<Sent[]> {
  const accepted = world.sent.filter(e => e.status >= 200 && e.status < 300)
  const deadline = Date.now() + withinMs
  let missing = await world.unsynced(accepted)
  while (missing.length > 0 && Date.now() < deadline) {
    await sleep(250)
    missing = await world.unsynced(missing)
  }
  return missing
}

/** The assertions shared by the fast run and the soak. */
export async function checkOutage (t: Test, options: OutageOptions): Promise<void> {
  const world = await redisOutage(t, options)
  const { sent, probes } = world
  const by = (phase: Phase): Sent[] => sent.filter(e => e.phase === phase)
  const ok = (e: Sent): boolean => e.status >= 200 && e.status < 300
  t.comment(`Redis down ${world.downMs} ms; ${sent.length} notifications: ` +
    (['before', 'down', 'recovering', 'after', 'resent'] as const).map(p => `${p} ${by(p).filter(ok).length}/${by(p).length} accepted`).join(', '))

  t.ok(probes.length > 0 && probes.every(p => p.live === 200), `/health/live answered 200 throughout the outage (${probes.length} probes)`)
  t.ok(probes.every(p => p.ready === 503), '/health/ready answered 503 throughout the outage')
  t.same(sent.filter(e => e.status !== 503 && !ok(e)).map(e => `${e.kind} #${e.index}: ${e.status}`), [], 'every answer is a 2xx or the designed 503: no other 5xx, no dropped connection')
  t.same(by('down').filter(e => e.status !== 503).map(e => `${e.kind} #${e.index}: ${e.status}`), [], 'while Redis is down every notification is refused with 503')
  t.ok(by('down').some(e => e.kind === 'espo') && by('down').some(e => e.kind === 'watcher'), 'both kinds of notification were sent during the outage')
  t.ok(by('before').every(ok) && by('after').every(ok), 'accepted before and after the outage')
  t.ok(by('resent').every(ok), 'refused notifications are accepted when sent again')
  t.ok(world.app.server.listening, 'the service stayed up')

  const lost = await lostEvents(world, options.syncWithinMs)
  t.same(lost.map(e => `${e.kind} #${e.index} (${e.phase})`), [], `every one of ${sent.filter(ok).length} acknowledged notifications was synced`)
}
