import type { EspoDocument, HistoryEntry, WatcherFile } from '../domain/types.js'
import { currentDocumentHash } from './document-hash.js'
import { linkHistory, pickHistoryEntry } from './history-links.js'
import { compileIgnore } from './ignore.js'
import type { SyncOptions } from './options.js'
import { fileKey, normalisePath } from './paths.js'
import { sameUsn } from './usn.js'
import type {
  AkteSyncState, BaseEntry, DetectedBase, EspoChange, FileCase, SkipCode, Tombstone, WindowsChange
} from './types.js'

/*
 * Detect: for every file key, the base and what each side did since. No
 * decisions here beyond scope (which files take part) and identity (which
 * Document belongs to which file).
 */

export interface DetectInput {
  files: readonly WatcherFile[]
  documents: readonly EspoDocument[]
  documentHashes: ReadonlyMap<string, string>
  history: readonly HistoryEntry[]
  state: AkteSyncState
  options: SyncOptions
}

export interface DetectionSkip {
  key: string
  path: string
  code: SkipCode
  reason: string
  document: EspoDocument | null
}

export interface UnplacedDocument {
  document: EspoDocument
  hash: string | null
  /** The key its windowsPath names, when it had one it cannot keep. */
  claimedKey: string | null
}

export interface Detection {
  cases: FileCase[]
  /** EspoCRM-new Documents without a path of their own yet: they are uploaded under a free name. */
  newDocuments: UnplacedDocument[]
  skips: DetectionSkip[]
  /** Every key listed by the Watcher (ignored and unlinked files too): uploads must not land on them. */
  listingKeys: Set<string>
  /** Existing conflict copies by content hash: a copy interrupted before its winner went through is not made twice. */
  conflictCopies: Map<string, string>
  /** Listed files that take no part in the sync (nobody links them): an upload may adopt one with its content. */
  unlinkedFiles: Map<string, WatcherFile>
  isIgnored: (path: string) => boolean
  /** The base as detected, ready to be saved once the actions' base changes are applied. */
  state: AkteSyncState
  syncedDocuments: number
  listingEmpty: boolean
  baseHasFiles: boolean
}

const present = (text: string | null): text is string => text !== null && text !== ''

function byCreation (a: EspoDocument, b: EspoDocument): number {
  const left = `${a.createdAt ?? ''}\u0000${a.id}`
  const right = `${b.createdAt ?? ''}\u0000${b.id}`
  return left < right ? -1 : left > right ? 1 : 0
}

function push<K, V> (map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

function documentBase (doc: EspoDocument, key: string, path: string): DetectedBase {
  return {
    key,
    path: normalisePath(path),
    hash: doc.syncHash ?? '',
    usn: doc.syncUsn,
    fileId: doc.syncFileId,
    documentId: doc.id,
    origin: doc.fileStatus === 'deleted' ? 'soft-deleted' : 'document'
  }
}

function windowsChange (base: DetectedBase | null, windows: WatcherFile | null): WindowsChange {
  if (windows !== null && windows.blake3Hash === '') return 'unknown'
  if (base === null) return windows === null ? 'absent' : 'created'
  // A soft-deleted Document agreed that the file is gone: a file there now is new.
  if (base.origin === 'soft-deleted') return windows === null ? 'unchanged' : 'created'
  if (windows === null) return 'deleted'
  // Content decides; a USN that did not move cannot hide a different hash.
  if (windows.blake3Hash !== base.hash) return 'modified'
  if (base.origin === 'tombstone') return 'unchanged'
  return sameUsn(base.usn, windows.usn) ? 'unchanged' : 'touched'
}

function espoChange (base: DetectedBase | null, doc: EspoDocument | null, hash: string | null): EspoChange {
  if (base === null) return doc === null ? 'absent' : hash === null ? 'unknown' : 'created'
  // The Document was deleted; a Document naming the path now is new content for it.
  if (base.origin === 'store' || base.origin === 'tombstone') return doc === null ? 'deleted' : hash === null ? 'unknown' : 'created'
  if (hash === null) return 'unknown'
  return hash === base.hash ? 'unchanged' : 'modified'
}

function baseEntry ({ origin: _origin, ...entry }: DetectedBase): BaseEntry {
  return entry
}

export function detect (input: DetectInput): Detection {
  const { options, state } = input
  const isIgnored = compileIgnore(options.ignorePatterns)
  const skips: DetectionSkip[] = []
  const skip = (key: string, path: string, code: SkipCode, reason: string, document: EspoDocument | null): void => {
    skips.push({ key, path, code, reason, document })
  }

  const listingKeys = new Set<string>()
  const files = new Map<string, WatcherFile>()
  for (const file of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const key = fileKey(file.path)
    if (key === '') continue
    listingKeys.add(key)
    if (isIgnored(file.path)) continue
    if (files.has(key)) skip(key, file.path, 'duplicate', 'another file on the share has the same name (case or Unicode form)', null)
    else files.set(key, file)
  }
  const links = linkHistory(input.history, options.akteFolderNames, new Set(files.keys()))

  const documentIds = new Set(input.documents.map(doc => doc.id))
  const based = new Map<string, EspoDocument[]>()
  const docPaths = new Map<string, string>()
  const claims = new Map<string, EspoDocument[]>()
  const unclaimed: EspoDocument[] = []
  const mirroredPaths = new Map(state.entries.flatMap(e => (e.documentId === null ? [] : [[e.documentId, e.path] as const])))
  for (const doc of [...input.documents].sort(byCreation)) {
    if (doc.fileStatus === 'conflict') continue
    // A synced Document that lost its windowsPath is still found through the store's mirror.
    const path = present(doc.windowsPath) ? doc.windowsPath : present(doc.syncHash) ? mirroredPaths.get(doc.id) ?? null : null
    if (present(doc.syncHash)) {
      if (path === null) skip('', doc.name, 'no-path', 'synced Document has no windowsPath', doc)
      else {
        push(based, fileKey(path), doc)
        docPaths.set(doc.id, path)
      }
    } else if (doc.fileId === null) {
      continue // a Document without a file has nothing to sync until it gets one
    } else if (path !== null && fileKey(path) !== '') {
      push(claims, fileKey(path), doc)
    } else {
      unclaimed.push(doc)
    }
  }

  const hashOf = (doc: EspoDocument): string | null => currentDocumentHash(doc, input.documentHashes, state.failures)
  const newDocuments: UnplacedDocument[] = unclaimed.map(document => ({ document, hash: hashOf(document), claimedKey: null }))
  const owners = new Map<string, { doc: EspoDocument, based: boolean }>()
  for (const [key, docs] of based) {
    const primary = docs.find(doc => doc.fileStatus !== 'deleted') ?? docs[0] as EspoDocument
    owners.set(key, { doc: primary, based: true })
    for (const doc of docs) {
      if (doc !== primary) skip(key, doc.windowsPath ?? '', 'duplicate', `Document ${primary.id} already syncs this file`, doc)
    }
  }
  for (const [key, docs] of claims) {
    for (const doc of docs) {
      // The first Document keeps the path it names; later ones are new files in their own right.
      if (!owners.has(key)) owners.set(key, { doc, based: false })
      else newDocuments.push({ document: doc, hash: hashOf(doc), claimedKey: key })
    }
  }

  const storeBases = new Map<string, BaseEntry>()
  for (const entry of state.entries) {
    // The Document is the primary record; the mirror speaks only for Documents that are gone.
    if (entry.documentId !== null && documentIds.has(entry.documentId)) continue
    if (owners.get(entry.key)?.based !== true && !storeBases.has(entry.key)) storeBases.set(entry.key, entry)
  }
  const tombstones = new Map<string, Tombstone>()
  for (const tombstone of state.tombstones) {
    if (owners.get(tombstone.key)?.based !== true && !storeBases.has(tombstone.key)) tombstones.set(tombstone.key, tombstone)
  }

  const keys = new Set([...owners.keys(), ...storeBases.keys(), ...tombstones.keys(), ...[...files.keys()].filter(k => links.has(k))])
  const cases: FileCase[] = []
  const entries: BaseEntry[] = [...storeBases.values()]
  let syncedDocuments = 0
  for (const key of [...keys].sort()) {
    const owner = owners.get(key)
    const doc = owner?.doc ?? null
    const stored = storeBases.get(key)
    const tombstone = tombstones.get(key)
    let base: DetectedBase | null = null
    if (owner?.based === true) base = documentBase(owner.doc, key, docPaths.get(owner.doc.id) ?? key)
    else if (stored !== undefined) base = { ...stored, origin: 'store' }
    else if (tombstone !== undefined) base = { ...tombstone, usn: null, fileId: null, origin: 'tombstone' }
    if (base?.origin === 'document') {
      entries.push(baseEntry(base))
      syncedDocuments++
    }

    const file = files.get(key) ?? null
    if (isIgnored(key)) {
      if (doc !== null) skip(key, doc.windowsPath ?? key, 'ignored', 'path matches an ignore pattern', doc)
      continue
    }
    // Linked from the History, or synced before (so a History edit cannot delete it); a soft-deleted
    // Document's file that comes back must be linked again like any new file.
    const inScope = file !== null && (links.has(key) || (base !== null && base.origin !== 'soft-deleted'))
    const windows = inScope ? file : null
    const documentHash = doc === null ? null : hashOf(doc)
    cases.push({
      key,
      base,
      windows,
      unlinkedWindows: inScope ? null : file,
      document: doc,
      documentHash,
      history: pickHistoryEntry(links.get(key), doc?.advowareHistoryId ?? null),
      windowsChange: windowsChange(base, windows),
      espoChange: espoChange(base, doc, documentHash)
    })
  }

  const conflictCopies = new Map<string, string>()
  for (const doc of [...input.documents].sort(byCreation)) {
    if (doc.fileStatus === 'conflict' && present(doc.blake3Hash) && !conflictCopies.has(doc.blake3Hash)) conflictCopies.set(doc.blake3Hash, doc.id)
  }
  const synced = new Set(cases.filter(c => c.windows !== null).map(c => c.key))
  const unlinkedFiles = new Map([...files].filter(([key]) => !isIgnored(key) && !synced.has(key)))
  const byKey = <T extends { key: string }>(items: T[]): T[] => items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    cases,
    newDocuments: newDocuments.sort((a, b) => byCreation(a.document, b.document)),
    skips,
    listingKeys,
    conflictCopies,
    unlinkedFiles,
    isIgnored,
    state: { ...state, entries: byKey(entries), tombstones: byKey([...tombstones.values()]) },
    syncedDocuments,
    listingEmpty: input.files.length === 0,
    baseHasFiles: entries.length > 0 || tombstones.size > 0
  }
}
