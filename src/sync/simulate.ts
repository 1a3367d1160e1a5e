import type { EspoDocument, HistoryEntry, NewHistoryEntry, WatcherFile } from '../domain/types.js'
import { documentsNeedingHash } from './document-hash.js'
import { fileKey } from './paths.js'
import { applyBaseChange, completeBaseEntry, type BaseResult } from './sync-state.js'
import type { Action, AkteSyncState, BaseEntry, DocumentExpectation, NewDocument, Plan, WindowsExpectation } from './types.js'
import { sameUsn } from './usn.js'

/*
 * Propagation in miniature: a plan applied to an in-memory picture of the
 * share, EspoCRM, the History and the store, checking every precondition the
 * way real propagation must. Tests use it to check plans; it is also the
 * reference for what each action means.
 */

export interface SyncModel {
  aktennummer: string
  files: WatcherFile[]
  documents: EspoDocument[]
  /** Hash of each attachment's bytes, by fileId. */
  attachments: Record<string, string>
  history: HistoryEntry[]
  state: AkteSyncState
  /** Source of new ids and USNs. */
  counter: number
}

export interface SimulationResult {
  model: SyncModel
  /** Preconditions that did not hold; the action was then left out, as propagation would. */
  violations: string[]
}

/** Actions made of several writes; a single-write action is either done or not. */
const WRITES_IN_STEPS = new Set<Action['kind']>(['create-document', 'update-document-file', 'upload-to-windows', 'link', 'conflict'])

function espoTime (iso: string): string {
  return iso.slice(0, 19).replace('T', ' ')
}

/** The hashes the caller would compute before planning on this model. */
export function modelDocumentHashes (model: SyncModel): Map<string, string> {
  const hashes = new Map<string, string>()
  for (const doc of documentsNeedingHash(model.documents, model.state)) {
    const hash = doc.fileId === null ? undefined : model.attachments[doc.fileId]
    if (hash !== undefined) hashes.set(doc.id, hash)
  }
  return hashes
}

/**
 * Where propagation stops, to test that every intermediate state is safe: the
 * actions before `action` ran fully, that one stopped after its `step`-th write
 * (upload: 1 = file written, 2 = History entry created; link: 1 = History entry
 * created; conflict: 1 = copy made), the rest did not run.
 */
export interface Interruption {
  action: number
  step: 1 | 2
}

export function applyPlanToModel (input: SyncModel, plan: Plan, interruption: Interruption | null = null): SimulationResult {
  const model = structuredClone(input)
  const violations: string[] = []
  const at = plan.createdAt
  const nextId = (prefix: string): string => `${prefix}${++model.counter}`
  const fileAt = (path: string): WatcherFile | undefined => model.files.find(f => fileKey(f.path) === fileKey(path))
  const documentById = (id: string): EspoDocument | undefined => model.documents.find(d => d.id === id)

  const windowsHolds = (exp: WindowsExpectation | null): boolean => {
    if (exp === null) return true
    const file = fileAt(exp.path)
    if (exp.state === 'absent') return file === undefined
    return file !== undefined && sameUsn(file.usn, exp.usn) && file.blake3Hash === exp.hash
  }
  const documentHolds = (exp: DocumentExpectation | null): boolean => {
    if (exp === null) return true
    const doc = documentById(exp.documentId)
    return doc !== undefined && doc.fileId === exp.fileId && doc.modifiedAt === exp.modifiedAt &&
      doc.fileId !== null && model.attachments[doc.fileId] === exp.hash
  }
  const attach = (hash: string): string => {
    const fileId = nextId('sim-file-')
    model.attachments[fileId] = hash
    return fileId
  }
  const writeFile = (path: string, hash: string): WatcherFile => {
    const usn = String(10n ** 18n + BigInt(++model.counter))
    const existing = fileAt(path)
    if (existing !== undefined) return Object.assign(existing, { usn, blake3Hash: hash, modified: at })
    const file: WatcherFile = { path, size: 1, usn, blake3Hash: hash, modified: at }
    model.files.push(file)
    return file
  }
  const addHistory = (entry: NewHistoryEntry): string => {
    const id = String(900000 + ++model.counter)
    model.history.push({ id, ...entry })
    return id
  }
  const touch = (doc: EspoDocument, changes: Partial<EspoDocument>): void => {
    Object.assign(doc, changes, { modifiedAt: espoTime(at) })
  }
  const recordBase = (doc: EspoDocument, entry: BaseEntry): void => {
    touch(doc, { syncHash: entry.hash, syncUsn: entry.usn, syncFileId: entry.fileId, blake3Hash: entry.hash, syncStatus: 'synced' })
  }
  const createDocument = (fields: NewDocument, hash: string): EspoDocument => {
    const doc: EspoDocument = {
      id: nextId('sim-doc-'), akteId: model.aktennummer, fileId: attach(hash), blake3Hash: hash,
      syncHash: null, syncUsn: null, syncFileId: null, syncStatus: null, syncError: null, lastSync: null,
      modifiedAt: espoTime(at), createdAt: espoTime(at), ...fields
    }
    model.documents.push(doc)
    return doc
  }
  const setBase = (action: Action, result: BaseResult, doc: EspoDocument | undefined): void => {
    if (action.base.op === 'set' && doc !== undefined) {
      recordBase(doc, completeBaseEntry(action.base.entry, action.base.fromResult, result))
    }
    model.state = applyBaseChange(model.state, action.key, action.base, result)
  }

  const run = (action: Action, stopAfter: number): void => {
    if (!windowsHolds(action.windows) || !documentHolds(action.document)) {
      violations.push(`${action.kind} ${action.path}: precondition no longer holds`)
      return
    }
    const doc = action.document === null ? undefined : documentById(action.document.documentId)
    const windowsHash = action.windows?.state === 'present' ? action.windows.hash : ''
    switch (action.kind) {
      case 'skip':
        return
      case 'create-document': {
        if (stopAfter === 1) {
          attach(windowsHash) // the attachment is uploaded, the Document never created
          return
        }
        const created = createDocument(action.newDocument, windowsHash)
        return setBase(action, { fileId: created.fileId ?? '', documentId: created.id }, created)
      }
      case 'update-document-file': {
        if (doc === undefined) return
        const fileId = attach(windowsHash)
        if (stopAfter === 1) return
        touch(doc, { ...action.patch, fileId })
        return setBase(action, { fileId }, doc)
      }
      case 'upload-to-windows': {
        if (doc === undefined || action.document === null) return
        if (doc.syncHash === null && action.patch.windowsPath !== undefined) touch(doc, { windowsPath: action.patch.windowsPath })
        const file = writeFile(action.path, action.document.hash)
        if (stopAfter === 1) return
        const historyId = action.historyEntry === null ? {} : { advowareHistoryId: addHistory(action.historyEntry) }
        if (stopAfter === 2) return
        touch(doc, { ...action.patch, ...historyId })
        return setBase(action, { path: file.path, usn: file.usn }, doc)
      }
      case 'link': {
        if (doc === undefined) return
        const historyId = action.historyEntry === null ? {} : { advowareHistoryId: addHistory(action.historyEntry) }
        if (stopAfter > 0) return
        touch(doc, { ...action.patch, ...historyId })
        return setBase(action, {}, doc)
      }
      case 'advance-base':
      case 'move-document':
      case 'update-metadata':
      case 'soft-delete-document':
        if (doc !== undefined) touch(doc, action.patch)
        return setBase(action, {}, doc)
      case 'tombstone':
      case 'forget':
        return setBase(action, {}, undefined)
      case 'conflict':
        if (action.copy.hash !== (action.copy.from === 'windows' ? windowsHash : action.document?.hash)) {
          violations.push(`conflict ${action.path}: the copy is not the loser's content`)
          return
        }
        // The loser's copy first; the winner may overwrite only once it exists.
        if (action.copy.keptAs === null) createDocument(action.copy.newDocument, action.copy.hash)
        if (stopAfter > 0) return
        return run(action.then, 0)
    }
  }

  plan.actions.forEach((action, index) => {
    if (interruption === null || index < interruption.action) run(action, 0)
    else if (index === interruption.action && WRITES_IN_STEPS.has(action.kind)) run(action, interruption.step)
  })
  return { model, violations }
}
