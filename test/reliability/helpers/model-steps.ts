import fc from 'fast-check'

/*
 * What people do to one Akte, and when the service syncs it: the alphabet of
 * the random sequences. Steps pick their target by index among what exists
 * at that moment (the real systems' state), so every sequence is valid and a
 * recorded seed and path replay it.
 */

/** Names on the share; case and Unicode spellings of one name collide on NTFS on purpose. */
export const SHARE_PATHS = [
  'Klage.pdf',
  'KLAGE.PDF',
  'Brief an Gegner.txt',
  'Schriftsatz/Replik.pdf',
  'schriftsatz/Anlage K1.docx',
  'Gutachten Müller.pdf',
  'Gutachten Mu\u0308ller.pdf',
  'Zeugen/Aussage Weiß.txt'
] as const

/** Names people give new Documents in EspoCRM: some collide with the share's, one holds a '/'. */
export const DOCUMENT_NAMES = ['Klage.pdf', 'Vertrag.pdf', 'Brief an Gegner.txt', 'Schriftsatz/Replik.pdf', 'Notiz.txt', 'Vollmacht'] as const

/** How Advoware spells a link: relative with '/' or '\', or the absolute Windows path. */
export type LinkForm = 'slash' | 'backslash' | 'absolute'

export type FaultSystem = 'espo' | 'advoware' | 'watcher'
export type FaultKind = 'status' | 'reset' | 'corrupt' | 'hang' | 'expire-tokens'
/** When the fault is armed: before the run, or as the run reaches a stage. */
export type FaultStage = 'start' | 'hash' | 'propagate'

export interface Fault {
  system: FaultSystem
  kind: FaultKind
  status: number
  /** Substring of `METHOD /path` the fault applies to ('' = any request). */
  match: string
  count: number
  stage: FaultStage
}

export type Step =
  | { kind: 'share-write', path: number, link: LinkForm | null, big: boolean }
  | { kind: 'share-edit', file: number, big: boolean }
  | { kind: 'share-delete', file: number }
  | { kind: 'share-rename', file: number, to: number, link: LinkForm | null }
  | { kind: 'espo-create', name: number, big: boolean }
  | { kind: 'espo-edit', doc: number, big: boolean }
  | { kind: 'espo-delete', doc: number }
  | { kind: 'history', path: number, form: LinkForm }
  /** Both sides change one synced file before the next sync: a conflict; `shareNewer` decides who wins. */
  | { kind: 'both-edit', doc: number, shareNewer: boolean, big: boolean }
  | { kind: 'sync', faults: Fault[] }

/** Request keys per system that faults aim at; body faults only bite on downloads. */
const TARGETS: Record<FaultSystem, { any: string[], downloads: string[] }> = {
  espo: {
    any: ['', 'GET /api/v1/CAkte', 'GET /api/v1/Document', 'POST /api/v1/Attachment', 'POST /api/v1/Document', 'PUT /api/v1/Document', 'PUT /api/v1/CAkte'],
    downloads: ['GET /api/v1/Attachment/file']
  },
  advoware: { any: ['', '/Token', 'GET /', 'History', 'POST /'], downloads: [] },
  watcher: { any: ['', 'GET /akte-details', 'PUT /files'], downloads: ['GET /file'] }
}

const system = fc.constantFrom<FaultSystem>('espo', 'advoware', 'watcher')
const stage = fc.constantFrom<FaultStage>('start', 'hash', 'propagate')
const count = fc.integer({ min: 1, max: 3 })

const statusFault: fc.Arbitrary<Fault> = fc.record({ system, stage, count }).chain(base =>
  fc.record({
    match: fc.constantFrom(...TARGETS[base.system].any, ...TARGETS[base.system].downloads),
    status: fc.constantFrom(500, 502, 503, 504)
  }).map(more => ({ ...base, ...more, kind: 'status' as const })))

const hangFault: fc.Arbitrary<Fault> = fc.record({ system, stage, count: fc.integer({ min: 1, max: 2 }) }).chain(base =>
  fc.constantFrom(...TARGETS[base.system].any, ...TARGETS[base.system].downloads)
    .map(match => ({ ...base, match, status: 0, kind: 'hang' as const })))

const bodyFault: fc.Arbitrary<Fault> = fc.record({
  system: fc.constantFrom<FaultSystem>('espo', 'watcher'),
  kind: fc.constantFrom<FaultKind>('reset', 'corrupt'),
  stage,
  count
}).map(f => ({ ...f, status: 0, match: TARGETS[f.system].downloads[0] ?? '' }))

const expiry: fc.Arbitrary<Fault> = stage.map(s => ({ system: 'advoware' as const, kind: 'expire-tokens' as const, status: 401, match: '', count: 1, stage: s }))

export const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { arbitrary: statusFault, weight: 4 },
  { arbitrary: hangFault, weight: 2 },
  { arbitrary: bodyFault, weight: 3 },
  { arbitrary: expiry, weight: 1 }
)

/**
 * EspoCRM sends no checksum, and the simulator flips the same byte every
 * time: two corrupted downloads of one attachment (the hashing one and the
 * transfer) would agree with each other, which no real network does and no
 * client could notice. So at most one EspoCRM corruption per run.
 */
function oneEspoCorruption (faults: Fault[]): Fault[] {
  let seen = false
  return faults.flatMap(f => {
    if (f.system !== 'espo' || f.kind !== 'corrupt') return [f]
    if (seen) return []
    seen = true
    return [{ ...f, count: 1 }]
  })
}

// Three runs in four meet a fault.
const syncFaults = fc.oneof(
  { arbitrary: fc.constant<Fault[]>([]), weight: 1 },
  { arbitrary: fc.array(faultArb, { minLength: 1, maxLength: 2 }).map(oneEspoCorruption), weight: 3 }
)

const link = fc.constantFrom<LinkForm>('slash', 'backslash', 'absolute')
const index = fc.nat({ max: 30 })
// Mostly small files; now and then one above the chunk threshold.
const big = fc.nat({ max: 9 }).map(n => n === 0)

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('share-write' as const), path: index, link: fc.option(link, { freq: 4 }), big }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('share-edit' as const), file: index, big }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('share-delete' as const), file: index }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('share-rename' as const), file: index, to: index, link: fc.option(link, { freq: 2 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('espo-create' as const), name: index, big }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('espo-edit' as const), doc: index, big }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('espo-delete' as const), doc: index }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('history' as const), path: index, form: link }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('both-edit' as const), doc: index, shareNewer: fc.boolean(), big }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), faults: syncFaults }), weight: 6 }
)

/** Lengths spread evenly up to `maxSteps` (fast-check's default favours short arrays). */
export const sequenceArb = (maxSteps: number): fc.Arbitrary<Step[]> =>
  fc.integer({ min: 1, max: maxSteps }).chain(length => fc.array(stepArb, { minLength: length, maxLength: length }))

/** One line per step, for the report of a failing sequence. */
export function describeStep (step: Step): string {
  if (step.kind !== 'sync') return JSON.stringify(step)
  if (step.faults.length === 0) return 'sync'
  return `sync with ${step.faults.map(f => `${f.system}:${f.kind}${f.kind === 'status' ? f.status : ''}x${f.count}@${f.stage}'${f.match}'`).join(', ')}`
}
