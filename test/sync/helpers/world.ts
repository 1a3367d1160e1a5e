import fc from 'fast-check'
import type { EspoDocument, HistoryEntry, WatcherFile } from '../../../src/domain/types.js'
import { fileKey } from '../../../src/sync/paths.js'
import { planAkte } from '../../../src/sync/plan.js'
import { modelDocumentHashes, type SyncModel } from '../../../src/sync/simulate.js'
import type { Plan, SyncOptionsInput } from '../../../src/sync/index.js'
import { AKTE, AKTENNUMMER, NOW, newDoc } from './builders.js'

/*
 * Random worlds for the property tests: a handful of files, each with a random
 * base and a random fate on each side, hashes from a tiny alphabet so equal
 * content, renames and collisions happen often.
 */

const HASHES = ['h1', 'h2', 'h3'] as const
export const PATHS = ['a.pdf', 'B.pdf', 'sub/c.pdf', 'd.docx'] as const

type WindowsFate = 'same' | 'touched' | 'absent' | { hash: string }
type EspoFate = 'same' | 'absent' | { hash: string }

export interface SlotSpec {
  base: { hash: string, origin: 'synced' | 'soft-deleted' | 'tombstone' } | null
  windows: WindowsFate
  espo: EspoFate
  linked: boolean
  absoluteDatei: boolean
  pathStyle: 'exact' | 'upper' | 'none'
  /** The Document's mirrored fields lag behind the History. */
  staleMetadata: boolean
  windowsMinute: number
  espoMinute: number
}

export interface WorldSpec {
  slots: SlotSpec[]
  extras: Array<{ name: string, hash: string }>
}

const hash = fc.constantFrom(...HASHES)
const slot: fc.Arbitrary<SlotSpec> = fc.record({
  base: fc.option(fc.record({ hash, origin: fc.constantFrom('synced', 'synced', 'synced', 'soft-deleted', 'tombstone') }), { nil: null, freq: 3 }),
  windows: fc.oneof(fc.constant('same'), fc.constant('touched'), fc.constant('absent'), hash.map(h => ({ hash: h }))) as fc.Arbitrary<WindowsFate>,
  espo: fc.oneof(fc.constant('same'), fc.constant('absent'), hash.map(h => ({ hash: h }))) as fc.Arbitrary<EspoFate>,
  linked: fc.constantFrom(true, true, true, false),
  absoluteDatei: fc.boolean(),
  pathStyle: fc.constantFrom('exact', 'upper', 'none'),
  staleMetadata: fc.boolean(),
  windowsMinute: fc.integer({ min: 0, max: 2 }),
  espoMinute: fc.integer({ min: 0, max: 2 })
})

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  slots: fc.array(slot, { minLength: PATHS.length, maxLength: PATHS.length }),
  extras: fc.array(fc.record({ name: fc.constantFrom('a.pdf', 'A.PDF', 'x:y.pdf', 'CON.pdf', 'sub'), hash }), { maxLength: 2 })
})

/** Content edits since the base, which no plan may lose. */
export interface Edits {
  windows: Array<{ key: string, hash: string }>
  espo: Array<{ documentId: string, hash: string }>
}

export function buildWorld (spec: WorldSpec): { model: SyncModel, edits: Edits } {
  const files: WatcherFile[] = []
  const documents: EspoDocument[] = []
  const history: HistoryEntry[] = []
  const attachments: Record<string, string> = {}
  const model: SyncModel = {
    aktennummer: AKTENNUMMER, files, documents, attachments, history, counter: 0,
    state: { version: 1, aktennummer: AKTENNUMMER, entries: [], tombstones: [], failures: [] }
  }
  const edits: Edits = { windows: [], espo: [] }

  spec.slots.forEach((s, i) => {
    const path = PATHS[i] as string
    const key = fileKey(path)
    const docPath = s.pathStyle === 'upper' ? path.toUpperCase() : path
    const entry: HistoryEntry = {
      id: String(i + 1), datum: `2026-03-0${i + 1}T10:00:00`, text: `Text ${i}`, art: 'Schriftsatz',
      datei: s.absoluteDatei ? `D:\\Advoware\\Akten\\${AKTENNUMMER}\\${path.replaceAll('/', '\\')}` : path
    }
    if (s.linked) history.push(entry)
    const mirror = s.linked
      ? { description: s.staleMetadata ? 'veraltet' : entry.text, publishDate: entry.datum.slice(0, 10), historyArt: entry.art, advowareHistoryId: entry.id }
      : {}
    const windowsModified = `2026-03-24T10:0${s.windowsMinute}:00+01:00`
    const espoModifiedAt = `2026-03-24 09:0${s.espoMinute}:00`
    const addFile = (h: string, usn: string): void => {
      files.push({ path, size: 100 + i, usn, blake3Hash: h, modified: windowsModified })
    }
    const base = s.base
    const windowsHash = s.windows === 'absent' ? null : typeof s.windows === 'object' ? s.windows.hash : base?.hash ?? null
    const fileBack = base?.origin === 'soft-deleted' ? typeof s.windows === 'object' : true
    if (windowsHash !== null && fileBack) {
      addFile(windowsHash, typeof s.windows === 'object' ? '200' : s.windows === 'touched' ? '150' : '100')
      const inScope = s.linked || (base !== null && base.origin !== 'soft-deleted')
      if (inScope && windowsHash !== base?.hash) edits.windows.push({ key, hash: windowsHash })
    }

    const espoHash = typeof s.espo === 'object' ? s.espo.hash : null
    if (base === null || base.origin === 'tombstone') {
      if (base !== null) model.state.tombstones.push({ key, path, hash: base.hash, documentId: `gone-${i}`, deletedAt: 'x' })
      if (espoHash === null) return
      const id = `doc-${i}`
      documents.push(newDoc(id, {
        name: path.split('/').at(-1) ?? path, fileName: path.split('/').at(-1) ?? path,
        windowsPath: s.pathStyle === 'none' && base === null ? null : docPath, modifiedAt: espoModifiedAt
      }))
      attachments[`file-${id}`] = espoHash
      edits.espo.push({ documentId: id, hash: espoHash })
      return
    }
    if (s.espo === 'absent') {
      // Deleted in EspoCRM: only the store remembers a synced one.
      if (base.origin === 'synced') model.state.entries.push({ key, path, hash: base.hash, usn: '100', fileId: `file-doc-${i}`, documentId: `doc-${i}` })
      return
    }
    const id = `doc-${i}`
    const doc = newDoc(id, {
      name: path.split('/').at(-1) ?? path, fileName: path.split('/').at(-1) ?? path, windowsPath: docPath,
      blake3Hash: base.hash, syncHash: base.hash, syncUsn: '100', syncFileId: `file-${id}`,
      fileStatus: base.origin === 'synced' ? 'synced' : 'deleted', modifiedAt: '2026-03-01 00:00:00', ...mirror
    })
    attachments[`file-${id}`] = base.hash
    if (espoHash !== null) {
      doc.fileId = `file-${id}-v2`
      doc.modifiedAt = espoModifiedAt
      attachments[doc.fileId] = espoHash
      if (espoHash !== base.hash) edits.espo.push({ documentId: id, hash: espoHash })
    }
    documents.push(doc)
    if (base.origin === 'synced') model.state.entries.push({ key, path, hash: base.hash, usn: '100', fileId: `file-${id}`, documentId: id })
  })

  spec.extras.forEach((extra, j) => {
    const id = `extra-${j}`
    documents.push(newDoc(id, { name: extra.name, fileName: extra.name, createdAt: `2026-02-0${j + 1} 00:00:00` }))
    attachments[`file-${id}`] = extra.hash
    edits.espo.push({ documentId: id, hash: extra.hash })
  })
  return { model, edits }
}

export function planModel (model: SyncModel, options: SyncOptionsInput = {}): Plan {
  return planAkte({
    aktennummer: model.aktennummer,
    akte: AKTE,
    files: model.files,
    documents: model.documents,
    documentHashes: modelDocumentHashes(model),
    history: model.history,
    state: model.state,
    options: { now: NOW, force: true, ...options }
  })
}
