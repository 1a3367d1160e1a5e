import { linkIntoShare, makeTemplate, recordInIndex, type FileSpec } from './lib/files.js'
import { num, target, type Benchmark, type Figures } from './lib/report.js'
import { startService, type Service } from './lib/service.js'
import { startWorld } from './lib/world.js'
import { settled } from './lib/queue.js'

/*
 * Workload 1: an Akte of 1,000 files that was synced once is synced again
 * with nothing changed. Counted at the simulators, from the enqueue to the
 * end of the sync: requests per system, writes, and transfers of content.
 */

const NR = 'BENCH-1'
const BUDGET = 10
/** Routes that move file content, in either direction. */
const CONTENT = [/^GET \/file\?/, /^PUT \/files\//, /^GET \/api\/v1\/Attachment\/file\//, /^POST \/api\/v1\/Attachment/]

export const unchangedAkte: Benchmark = {
  name: 'unchanged',
  title: 'unchanged Akte of 1,000 files, resynced',
  run: async ({ quick, log }): Promise<Figures> => {
    const count = quick ? 100 : 1000
    const specs: FileSpec[] = Array.from({ length: count }, (_, i) => ({ path: `Ordner ${i % 10}/Datei ${String(i).padStart(4, '0')}.pdf`, size: 2048 + (i % 7) * 1024 }))
    const template = await makeTemplate(specs)
    const world = await startWorld()
    let service: Service | undefined
    try {
      const akteId = await world.addAkte(NR, 4711)
      world.linkHistory(4711, specs)
      await linkIntoShare(world.systems.watcher, NR, template.files)
      await recordInIndex(world.systems.watcher, NR, template.files)
      service = await startService(world.systems.env, 'unchanged')

      let started = Date.now()
      await service.enqueue([NR])
      const importMs = await world.waitForAkteWrite(akteId, started) - started
      await settled(service)
      log(`first import of ${count} files: ${importMs} ms`)

      const marks = world.callCounts()
      started = Date.now()
      await service.enqueue([NR])
      const done = await world.waitForAkteWrite(akteId, started)
      await settled(service)
      const calls = world.callsSince(marks).map(c => ({ ...c, key: `${c.method} ${c.url}` }))
      const bySystem = (system: string): number => calls.filter(c => c.system === system).length
      const writes = calls.filter(c => c.method !== 'GET' && !c.url.includes('/Token'))
      const content = calls.filter(c => CONTENT.some(re => re.test(c.key)))
      log(`resync requests: ${calls.map(c => `${c.method} ${c.url.split('?')[0] ?? ''}`).join(', ')}`)
      return {
        files: count,
        importMs,
        resyncMs: done - started,
        espo: bySystem('espo'),
        advoware: bySystem('advoware'),
        watcher: bySystem('watcher'),
        total: calls.length,
        writes: writes.length,
        akteWrites: writes.filter(c => c.method === 'PUT' && c.url === `/api/v1/CAkte/${akteId}`).length,
        contentRequests: content.length
      }
    } finally {
      await service?.stop()
      await world.close()
      await template.remove()
    }
  },
  report: (m, _runs, quick) => {
    const files = quick ? 100 : 1000
    const pages = Math.ceil(files / 200)
    return {
      tables: [{
        title: `Resync of an unchanged Akte of ${num(m.files)} files (requests counted at the simulators)`,
        columns: ['figure', 'measured', 'budget (clarification 2)', 'ratio to budget'],
        rows: [
          ['EspoCRM requests', m.espo!, `${pages + 2} (Akte, ${pages} Document pages, Akte write)`, num(m.espo! / (pages + 2))],
          ['Advoware requests', m.advoware!, '2 (Akte, History)', num(m.advoware! / 2)],
          ['Watcher requests', m.watcher!, '1 (listing)', num(m.watcher! / 1)],
          ['total requests', m.total!, String(pages + 5), num(m.total! / (pages + 5))],
          ['writes', m.writes!, '1 (the Akte record)', num(m.writes!)],
          ['requests moving content', m.contentRequests!, '0', '-'],
          ['resync time (ms)', m.resyncMs!, '-', '-'],
          ['first import time (ms, for scale)', m.importMs!, '-', '-']
        ]
      }],
      targets: [
        target('total requests <= 10', m.total! <= BUDGET, `${num(m.total)} <= ${BUDGET}`),
        target('zero content bytes transferred', m.contentRequests === 0, `${num(m.contentRequests)} requests moved content`),
        target('only the one Akte write', m.writes === 1 && m.akteWrites === 1, `${num(m.writes)} write(s), ${num(m.akteWrites)} of them the Akte record`)
      ]
    }
  }
}
