import { setTimeout as sleep } from 'node:timers/promises'
import { linkIntoShare, makeTemplate, recordInIndex, type Template } from './lib/files.js'
import { settled } from './lib/queue.js'
import { num, target, type Benchmark, type Figures, type Table } from './lib/report.js'
import { procStatusKb, resetPeakRss, spawnNode, startService, type Service } from './lib/service.js'
import { startWorld, type World } from './lib/world.js'
import type { ClientMemoryJob, ClientMemoryRow } from './client-memory.js'

/*
 * Workload 3: one 1 GiB file synced in each direction, the service in its
 * own process and its peak RSS (the kernel's VmHWM, reset before each
 * direction) against its own idle RSS measured in the same run. Then the
 * clients alone in another child process, at 64 MiB and 1 GiB.
 */

const MiB = 1024 * 1024
const LIMIT_MB = 150
const FLAT_MIB = 96

function serviceRow (m: Figures, label: string, key: string, sizeKey: string, at: string): Array<string | number> {
  const peak = m[`${at}${key}PeakMb`]!
  const ms = m[`${at}${key}Ms`]!
  return [label, `${num(m[sizeKey]! / MiB, 0)} MiB`, num(peak, 0), num(m.idleMb, 0), num(peak / m.idleMb!), num(peak - m.idleMb!, 0), num(ms / 1000, 1), num(m[sizeKey]! / MiB / (ms / 1000), 0)]
}

async function clientFigures (world: World, big: Template, small: Template): Promise<{ idleKb: number, rows: ClientMemoryRow[] }> {
  const akte = 'BENCH-3-CLIENT'
  await world.systems.watcher.createAkte(akte)
  const job: ClientMemoryJob = {
    env: world.systems.env,
    akte,
    files: [small.files[0]!, big.files[0]!].map((f, i) => ({ abs: f.abs, size: f.size, hash: f.hash, name: `Client ${i}.pdf` }))
  }
  const child = spawnNode(['--import', 'tsx', 'bench/client-memory.ts'], { CLIENT_MEMORY_JOB: JSON.stringify(job) }, 'client-memory')
  if (await child.exited !== 0) throw new Error(`client bench failed: ${child.output().slice(-2000)}`)
  return JSON.parse(child.output().trim().split('\n').pop() ?? '{}') as { idleKb: number, rows: ClientMemoryRow[] }
}

export const memory: Benchmark = {
  name: 'memory',
  title: 'peak RSS syncing one 1 GiB file in each direction',
  run: async ({ quick, log }): Promise<Figures> => {
    const sizes = quick ? [64 * MiB, 128 * MiB] : [128 * MiB, 1024 * MiB]
    const files = await Promise.all(sizes.map(async size => await makeTemplate([{ path: 'Akte/Großes Gutachten.pdf', size }])))
    const small = await makeTemplate([{ path: 'klein.pdf', size: 64 * MiB }])
    const world = await startWorld()
    let service: Service | undefined
    try {
      const { espo } = world.systems
      const akten = []
      for (const [i, file] of files.entries()) {
        const toEspo = await world.addAkte(`BENCH-3-A${i}`, 7000 + i)
        world.linkHistory(7000 + i, file.files)
        await linkIntoShare(world.systems.watcher, `BENCH-3-A${i}`, file.files)
        const toWindows = await world.addAkte(`BENCH-3-B${i}`, 7100 + i)
        const attachment = await espo.seedAttachment({ name: 'Großes Gutachten.pdf', type: 'application/pdf', path: file.files[0]!.abs, relatedType: 'Document', field: 'file' })
        akten.push({ toEspo, toWindows, attachmentId: String(attachment.id) })
      }
      for (const [i, file] of files.entries()) await recordInIndex(world.systems.watcher, `BENCH-3-A${i}`, file.files)

      service = await startService(world.systems.env, 'memory')
      await sleep(2000)
      const idleKb = await procStatusKb(service.pid, 'VmRSS')
      const direction = async (nr: string, akteId: string): Promise<{ peakKb: number, ms: number }> => {
        await resetPeakRss(service!.pid)
        const started = Date.now()
        await service!.enqueue([nr])
        const done = await world.waitForAkteWrite(akteId, started)
        const peakKb = await procStatusKb(service!.pid, 'VmHWM')
        await settled(service!)
        return { peakKb, ms: done - started }
      }
      const figures: Figures = { size: sizes[1]!, smallSize: sizes[0]!, idleMb: idleKb / 1024 }
      for (const [i, akte] of akten.entries()) {
        const a = await direction(`BENCH-3-A${i}`, akte.toEspo)
        // Made after the service's first sweep, which would otherwise find it and sync it at once.
        espo.create('Document', { name: 'Großes Gutachten.pdf', fileId: akte.attachmentId, publishDate: '2026-03-21', akteId: akte.toWindows })
        const b = await direction(`BENCH-3-B${i}`, akte.toWindows)
        log(`${sizes[i]! / MiB} MiB: Windows -> EspoCRM peak ${Math.round(a.peakKb / 1024)} MiB, EspoCRM -> Windows peak ${Math.round(b.peakKb / 1024)} MiB`)
        const at = i === 0 ? 'small' : ''
        Object.assign(figures, { [`${at}toEspoPeakMb`]: a.peakKb / 1024, [`${at}toEspoMs`]: a.ms, [`${at}toWindowsPeakMb`]: b.peakKb / 1024, [`${at}toWindowsMs`]: b.ms })
      }
      await service.stop()
      service = undefined
      const client = await clientFigures(world, files[1]!, small)
      figures.clientIdleMb = client.idleKb / 1024
      client.rows.forEach((row, i) => {
        figures[`client${i}PeakMb`] = row.peakKb / 1024
        figures[`client${i}Ms`] = row.ms
      })
      return figures
    } finally {
      await service?.stop()
      await world.close()
      for (const t of [...files, small]) await t.remove()
    }
  },
  report: (m) => {
    const ops = ['EspoCRM upload (chunked)', 'EspoCRM download', 'Watcher upload', 'Watcher download (verified)']
    const size = `${num(m.size! / MiB / 1024, 3)} GiB`
    const peak = Math.max(m.toEspoPeakMb!, m.toWindowsPeakMb!, m.smalltoEspoPeakMb!, m.smalltoWindowsPeakMb!)
    const clientRows: Table['rows'] = ops.map((op, i) => {
      const at64 = m[`client${i}PeakMb`]!
      const atBig = m[`client${i + ops.length}PeakMb`]!
      return [op, num(at64, 0), num(atBig, 0), num(atBig - at64, 0), num(atBig / at64), num(m.size! / MiB / (m[`client${i + ops.length}Ms`]! / 1000), 0)]
    })
    // Flat: 960 MiB more bytes add less than a tenth of that to the peak (streaming, not buffering).
    const flat = ops.every((_, i) => m[`client${i + ops.length}PeakMb`]! - m[`client${i}PeakMb`]! <= FLAT_MIB)
    return {
      tables: [{
        title: 'Service peak RSS (VmHWM, reset before each sync) syncing one file (service alone in its process)',
        columns: ['direction', 'file', 'peak RSS (MiB)', 'idle RSS (MiB, baseline)', 'peak / idle', 'growth (MiB)', 'time (s)', 'MiB/s'],
        rows: [
          serviceRow(m, 'Windows -> EspoCRM', 'toEspo', 'size', ''),
          serviceRow(m, 'EspoCRM -> Windows', 'toWindows', 'size', ''),
          serviceRow(m, 'Windows -> EspoCRM', 'toEspo', 'smallSize', 'small'),
          serviceRow(m, 'EspoCRM -> Windows', 'toWindows', 'smallSize', 'small')
        ]
      }, {
        title: `Clients alone: peak RSS per transfer (idle ${num(m.clientIdleMb, 0)} MiB)`,
        columns: ['transfer', 'peak at 64 MiB (MiB)', `peak at ${size} (MiB)`, 'difference (MiB)', 'ratio', `MiB/s at ${size}`],
        rows: clientRows
      }],
      targets: [
        target(`service peak RSS <= ${LIMIT_MB} MB`, peak * MiB <= LIMIT_MB * 1e6, `${num(peak * MiB / 1e6, 0)} MB <= ${LIMIT_MB} MB`),
        target(`client memory flat (1 GiB peak within ${FLAT_MIB} MiB of the 64 MiB peak)`, flat, clientRows.map(r => `${String(r[0])} ${String(r[3])} MiB`).join(', '))
      ]
    }
  }
}
