import { execFile } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import { blake3OfFile, createBlake3Hasher } from '../src/hash/blake3.js'
import { Blake3Transform } from '../src/hash/blake3-stream.js'
import { makeTemplate } from './lib/files.js'
import { loadOptional } from './lib/optional.js'
import { median, num, target, type Benchmark, type Figures } from './lib/report.js'

/*
 * Workload 6: BLAKE3 throughput of our hashing paths (hash-wasm) against
 * the fastest native BLAKE3 here, Debian's b3sum (all threads, and one
 * thread), on the same file in the page cache. Each figure is the median of
 * five passes. The share of sync time spent hashing is in `import`.
 */

const MiB = 1024 * 1024
const PASSES = 5
const run = promisify(execFile)

/** Hashes `data` in updates of `piece` bytes; hex digest. */
type PieceHasher = (data: Buffer, piece: number) => string

/**
 * Other BLAKE3 packages, measured when installed (see lib/optional.ts), to
 * tell whether switching libraries would pay: a native N-API binding and a
 * WASM SIMD one.
 */
const CANDIDATES: Array<{ key: string, label: string, load: () => Promise<PieceHasher | undefined> }> = [
  {
    key: 'napi',
    label: '@napi-rs/blake-hash (native N-API)',
    load: async () => {
      const m = await loadOptional<{ Blake3Hasher: new () => { update: (b: Uint8Array) => unknown, digest: (f: string) => string } }>('@napi-rs/blake-hash')
      if (m === undefined) return undefined
      return (data, piece) => {
        const h = new m.Blake3Hasher()
        for (let o = 0; o < data.length; o += piece) h.update(data.subarray(o, o + piece))
        return h.digest('hex')
      }
    }
  },
  {
    key: 'jit',
    label: 'blake3-jit (WASM SIMD)',
    load: async () => {
      const m = await loadOptional<{ createHasher: () => { update: (b: Uint8Array) => unknown, finalize: () => Uint8Array } }>('blake3-jit')
      if (m === undefined) return undefined
      return (data, piece) => {
        const h = m.createHasher()
        for (let o = 0; o < data.length; o += piece) h.update(data.subarray(o, o + piece))
        return Buffer.from(h.finalize()).toString('hex')
      }
    }
  }
]

async function timed (pass: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < PASSES; i++) {
    const started = performance.now()
    await pass()
    times.push(performance.now() - started)
  }
  return median(times)
}

async function b3sumPath (): Promise<string | undefined> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v b3sum'])
    return stdout.trim() === '' ? undefined : stdout.trim()
  } catch {
    return undefined
  }
}

export const blake3: Benchmark = {
  name: 'blake3',
  title: 'BLAKE3 throughput: our hashing path vs native b3sum',
  run: async ({ quick, log }): Promise<Figures> => {
    const size = (quick ? 64 : 512) * MiB
    const template = await makeTemplate([{ path: 'hash.bin', size }])
    const file = template.files[0]!.abs
    try {
      const data = await readFile(file)
      const rate = (ms: number): number => size / MiB / (ms / 1000)
      const figures: Figures = { size }
      // The Watcher simulator's and the import's file path: 1 MiB reads, double-buffered.
      figures.file = rate(await timed(async () => await blake3OfFile(file)))
      // The service's path: bytes streaming through the Transform, in 64 KiB pieces as sockets deliver them.
      figures.stream = rate(await timed(async () => {
        const hasher = new Blake3Transform()
        await pipeline(createReadStream(file, { highWaterMark: 64 * 1024 }), hasher, new Writable({ write (_c, _e, done) { done() } }))
        await hasher.digest
      }))
      // Compute alone: memory already read, 1 MiB updates.
      figures.memory = rate(await timed(async () => {
        const hasher = await createBlake3Hasher()
        for (let offset = 0; offset < data.length; offset += MiB) hasher.update(data.subarray(offset, offset + MiB))
        hasher.digest('hex')
      }))
      for (const candidate of CANDIDATES) {
        const hasher = await candidate.load()
        if (hasher === undefined) continue
        if (hasher(data, MiB) !== template.files[0]!.hash) throw new Error(`${candidate.key} disagrees with hash-wasm`)
        figures[`${candidate.key}Memory`] = rate(await timed(async () => hasher(data, MiB)))
        figures[`${candidate.key}Small`] = rate(await timed(async () => hasher(data, 64 * 1024)))
      }
      const b3sum = await b3sumPath()
      figures.b3sumAvailable = b3sum === undefined ? 0 : 1
      if (b3sum !== undefined) {
        figures.b3sumAll = rate(await timed(async () => await run(b3sum, ['--no-names', file])))
        figures.b3sumOne = rate(await timed(async () => await run(b3sum, ['--no-names', '--num-threads', '1', file])))
        const { stdout } = await run(b3sum, ['--no-names', file])
        if (stdout.trim() !== template.files[0]!.hash) throw new Error(`b3sum and hash-wasm disagree: ${stdout.trim()} vs ${template.files[0]!.hash}`)
      } else {
        log('b3sum is not installed (apt-get install -y b3sum): no native baseline')
      }
      return figures
    } finally {
      await template.remove()
    }
  },
  report: (m) => {
    const has = m.b3sumAvailable === 1
    const ratio = (v: number | undefined, to: number | undefined): string => has ? num(v! / to!) : 'n/a'
    return {
      tables: [{
        title: `BLAKE3 throughput over ${num(m.size! / MiB)} MiB in the page cache (MiB/s, median of ${PASSES} passes per run)`,
        columns: ['implementation', 'MiB/s', 'ratio to b3sum (all threads)', 'ratio to b3sum (1 thread)'],
        rows: [
          ['b3sum, all threads (native, SIMD, mmap)', has ? num(m.b3sumAll, 0) : 'missing', has ? '1' : 'n/a', ratio(m.b3sumAll, m.b3sumOne)],
          ['b3sum --num-threads 1', has ? num(m.b3sumOne, 0) : 'missing', ratio(m.b3sumOne, m.b3sumAll), has ? '1' : 'n/a'],
          ['hash-wasm, in memory, 1 MiB updates', num(m.memory, 0), ratio(m.memory, m.b3sumAll), ratio(m.memory, m.b3sumOne)],
          ['hash-wasm, blake3OfFile (1 MiB reads)', num(m.file, 0), ratio(m.file, m.b3sumAll), ratio(m.file, m.b3sumOne)],
          ['hash-wasm, Blake3Transform (the sync\'s stream path, 64 KiB)', num(m.stream, 0), ratio(m.stream, m.b3sumAll), ratio(m.stream, m.b3sumOne)],
          ...CANDIDATES.flatMap(c => m[`${c.key}Memory`] === undefined
            ? [[`${c.label}: not installed`, 'n/a', 'n/a', 'n/a']]
            : [[`${c.label}, in memory, 1 MiB updates`, num(m[`${c.key}Memory`], 0), ratio(m[`${c.key}Memory`], m.b3sumAll), ratio(m[`${c.key}Memory`], m.b3sumOne)],
                [`${c.label}, in memory, 64 KiB updates`, num(m[`${c.key}Small`], 0), ratio(m[`${c.key}Small`], m.b3sumAll), ratio(m[`${c.key}Small`], m.b3sumOne)]])
        ]
      }],
      targets: [target('native baseline present (b3sum)', has, has ? 'b3sum found' : 'b3sum missing: apt-get install -y b3sum')],
      notes: ['the target for hashing (<= 10 % of sync time) is checked in the import benchmark, from the service\'s CPU profile']
    }
  }
}
