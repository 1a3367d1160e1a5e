import type { EspoAkte, EspoDocument, FileStatus, SyncStatus } from '../../domain/types.js'

/**
 * The one place that knows how domain names map to EspoCRM attribute names.
 * Custom fields get a `c` prefix on standard entities in EspoCRM 8.2+ and the
 * original instance used `sync_usn`, so every name is configuration.
 */
export type DocumentField = Exclude<keyof EspoDocument, 'id'>
export type AkteField = Exclude<keyof EspoAkte, 'id'>

export type DocumentFieldMap = Record<DocumentField, string>
export type AkteFieldMap = Record<AkteField, string>

export const DEFAULT_DOCUMENT_FIELDS: DocumentFieldMap = {
  name: 'name',
  akteId: 'akteId',
  fileId: 'fileId',
  fileName: 'fileName',
  windowsPath: 'windowsPath',
  blake3Hash: 'blake3Hash',
  syncHash: 'syncHash',
  syncUsn: 'sync_usn',
  syncFileId: 'syncFileId',
  fileStatus: 'fileStatus',
  syncStatus: 'syncStatus',
  syncError: 'syncError',
  lastSync: 'lastSync',
  publishDate: 'publishDate',
  description: 'description',
  historyArt: 'historyArt',
  advowareHistoryId: 'advowareHistoryId',
  modifiedAt: 'modifiedAt',
  createdAt: 'createdAt'
}

export const DEFAULT_AKTE_FIELDS: AkteFieldMap = {
  name: 'name',
  aktennummer: 'aktennummer',
  advowareAkteId: 'advowareAkteId',
  status: 'status',
  syncStatus: 'syncStatus',
  lastSync: 'lastSync',
  syncError: 'syncError',
  modifiedAt: 'modifiedAt'
}

/** Set by EspoCRM itself: never written. */
const READ_ONLY = new Set<string>(['modifiedAt', 'createdAt'])

/** A Document as read, with the optimistic-locking version when the entity has one. */
export type VersionedEspoDocument = EspoDocument & { versionNumber: number | null }

/** What may be written to a Document: everything but the id and EspoCRM's timestamps. */
export type EspoDocumentPatch = Partial<Omit<EspoDocument, 'id' | 'modifiedAt' | 'createdAt'>>
/** EspoCRM requires `name`, `fileId` and `publishDate` on create (the API does not default it). */
export type NewEspoDocument = EspoDocumentPatch & { name: string, fileId: string, publishDate: string }

export type EspoAktePatch = Partial<Omit<EspoAkte, 'id' | 'modifiedAt'>>

export type RawRecord = Record<string, unknown>

export class FieldMap {
  readonly document: DocumentFieldMap
  readonly akte: AkteFieldMap

  constructor (overrides: { document?: Partial<DocumentFieldMap>, akte?: Partial<AkteFieldMap> } = {}) {
    this.document = { ...DEFAULT_DOCUMENT_FIELDS, ...overrides.document }
    this.akte = { ...DEFAULT_AKTE_FIELDS, ...overrides.akte }
  }

  /** Attributes to `select` in Document lists: only what the domain needs travels. */
  documentSelect (): string[] {
    return ['id', ...Object.values(this.document)]
  }

  akteSelect (): string[] {
    return ['id', ...Object.values(this.akte)]
  }

  toDomainDocument (raw: RawRecord): VersionedEspoDocument {
    const f = this.document
    return {
      id: requireId(raw),
      name: str(raw[f.name]) ?? '',
      akteId: str(raw[f.akteId]),
      fileId: str(raw[f.fileId]),
      fileName: str(raw[f.fileName]),
      windowsPath: str(raw[f.windowsPath]),
      blake3Hash: str(raw[f.blake3Hash]),
      syncHash: str(raw[f.syncHash]),
      syncUsn: str(raw[f.syncUsn]),
      syncFileId: str(raw[f.syncFileId]),
      fileStatus: str(raw[f.fileStatus]) as FileStatus | null,
      syncStatus: str(raw[f.syncStatus]) as SyncStatus | null,
      syncError: str(raw[f.syncError]),
      lastSync: str(raw[f.lastSync]),
      publishDate: str(raw[f.publishDate]),
      description: str(raw[f.description]),
      historyArt: str(raw[f.historyArt]),
      advowareHistoryId: str(raw[f.advowareHistoryId]),
      modifiedAt: str(raw[f.modifiedAt]),
      createdAt: str(raw[f.createdAt]),
      versionNumber: typeof raw.versionNumber === 'number' ? raw.versionNumber : null
    }
  }

  toDomainAkte (raw: RawRecord): EspoAkte {
    const f = this.akte
    return {
      id: requireId(raw),
      name: str(raw[f.name]) ?? '',
      aktennummer: str(raw[f.aktennummer]) ?? '',
      advowareAkteId: str(raw[f.advowareAkteId]),
      status: str(raw[f.status]),
      syncStatus: str(raw[f.syncStatus]) as SyncStatus | null,
      lastSync: str(raw[f.lastSync]),
      syncError: str(raw[f.syncError]),
      modifiedAt: str(raw[f.modifiedAt])
    }
  }

  /** Domain patch -> EspoCRM attributes; `undefined` means "leave alone", `null` clears. */
  toEspoPatch (patch: EspoDocumentPatch): RawRecord {
    return mapPatch(patch, this.document)
  }

  toEspoAktePatch (patch: EspoAktePatch): RawRecord {
    return mapPatch(patch, this.akte)
  }
}

function mapPatch<K extends string> (patch: Partial<Record<K, unknown>>, map: Record<K, string>): RawRecord {
  const out: RawRecord = {}
  for (const key of Object.keys(patch) as K[]) {
    const value = patch[key]
    if (value === undefined || READ_ONLY.has(key)) continue
    const attribute = map[key]
    // Keys outside the map would be silently dropped by EspoCRM; refuse them here instead.
    if (attribute === undefined) throw new TypeError(`unknown field '${key}'`)
    out[attribute] = value
  }
  return out
}

/**
 * EspoCRM answers varchar as strings, but an int column (e.g. a History id
 * an admin made numeric) arrives as a number: keep the domain string-typed.
 */
function str (value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return null
}

function requireId (raw: RawRecord): string {
  const id = raw.id
  if (typeof id !== 'string' || id === '') throw new TypeError('EspoCRM record without id')
  return id
}
