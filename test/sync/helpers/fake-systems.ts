import { Readable } from 'node:stream'
import { ExternalError } from '../../../src/clients/errors.js'
import type { UploadAttachmentInput, VersionedEspoDocument } from '../../../src/clients/espocrm/index.js'
import { VerifiedTail } from '../../../src/clients/watcher/verified-tail.js'
import type { AdvowareAkte, EspoAkte, EspoDocument, HistoryEntry, WatcherFile } from '../../../src/domain/types.js'
import { blake3Hex } from '../../../src/hash/blake3.js'
import { Blake3Transform } from '../../../src/hash/blake3-stream.js'
import { fileKey } from '../../../src/sync/paths.js'
import type { SyncAdvoware, SyncClients, SyncEspo, SyncWatcher } from '../../../src/sync/ports.js'

/*
 * The three systems in memory, behind the same interfaces the engine uses,
 * with a log of every write in order and hooks to fail or pause a call.
 */

export const AKTE_ID = 'akte-1'
export const NR = '12345'

interface StoredFile { path: string, bytes: Buffer, usn: bigint, hash: string, modified: string }

export type Hook = (call: string, detail: string) => void | Promise<void>

async function readAll (source: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of source) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part as string))
  return Buffer.concat(parts)
}

export class FakeSystems {
  files = new Map<string, StoredFile>()
  documents = new Map<string, VersionedEspoDocument>()
  attachments = new Map<string, Buffer>()
  history: HistoryEntry[] = []
  akte: EspoAkte = { id: AKTE_ID, name: 'Akte', aktennummer: NR, advowareAkteId: '4711', status: 'Aktiv', syncStatus: null, lastSync: null, syncError: null, modifiedAt: null }
  advowareAkte: AdvowareAkte = { id: '4711', aktennummer: NR, archived: false, archivedAt: null }
  /** Every write, in order: `espo.createDocument Name`, `watcher.upload path`, ... */
  writes: string[] = []
  /** Runs before each call; throw in it to fail the call. */
  before: Hook = () => {}
  private counter = 0
  private usn = 10n ** 18n

  async addFile (path: string, content: string | Buffer, modified = '2026-03-24T10:00:00+01:00'): Promise<WatcherFile> {
    const bytes = Buffer.from(content)
    const file = { path, bytes, usn: ++this.usn, hash: await blake3Hex(bytes), modified }
    this.files.set(fileKey(path), file)
    return this.wire(file)
  }

  addAttachment (content: string | Buffer): string {
    const id = `att-${++this.counter}`
    this.attachments.set(id, Buffer.from(content))
    return id
  }

  addDocument (fields: Partial<EspoDocument> & { name: string }): VersionedEspoDocument {
    const doc: VersionedEspoDocument = {
      id: `doc-${++this.counter}`, akteId: AKTE_ID, fileId: null, fileName: null, windowsPath: null, blake3Hash: null, syncHash: null,
      syncUsn: null, syncFileId: null, fileStatus: null, syncStatus: null, syncError: null, lastSync: null, publishDate: '2026-03-01',
      description: null, historyArt: null, advowareHistoryId: null, modifiedAt: this.stamp(), createdAt: this.stamp(), versionNumber: 1, ...fields
    }
    this.documents.set(doc.id, doc)
    return doc
  }

  async hashOf (content: string | Buffer): Promise<string> {
    return await blake3Hex(Buffer.from(content))
  }

  get clients (): SyncClients {
    return { espocrm: this.espocrm, advoware: this.advoware, watcher: this.watcher }
  }

  private stamp (): string {
    return `2026-03-24 10:00:${String(++this.counter % 60).padStart(2, '0')}`
  }

  private wire (file: StoredFile): WatcherFile {
    return { path: file.path, size: file.bytes.length, usn: String(file.usn), blake3Hash: file.hash, modified: file.modified }
  }

  private async call (call: string, detail: string, write: boolean): Promise<void> {
    await this.before(call, detail)
    if (write) this.writes.push(`${call} ${detail}`)
  }

  readonly watcher: SyncWatcher = {
    listFiles: async () => {
      await this.call('watcher.listFiles', NR, false)
      return { akte: NR, files: [...this.files.values()].map(f => this.wire(f)) }
    },
    download: async (_nr, path, options = {}) => {
      await this.call('watcher.download', path, false)
      const file = this.files.get(fileKey(path))
      if (file === undefined) throw new ExternalError({ system: 'watcher', kind: 'not-found', status: 404, operation: 'download', message: `no ${path}` })
      const hasher = new Blake3Transform()
      const tail = new VerifiedTail(hasher.digest, options.expectedHash, { operation: 'download', subject: path })
      Readable.from([file.bytes]).pipe(hasher).pipe(tail)
      return { body: tail, size: file.bytes.length, hash: tail.verified }
    },
    upload: async (_nr, path, body, hash) => {
      await this.call('watcher.upload', path, false)
      const bytes = Buffer.isBuffer(body) ? body : await readAll(body)
      if (await blake3Hex(bytes) !== hash) throw new ExternalError({ system: 'watcher', kind: 'integrity', status: 422, operation: 'upload', message: 'hash mismatch' })
      this.writes.push(`watcher.upload ${path}`)
      const existing = this.files.get(fileKey(path))
      const file = { path: existing?.path ?? path, bytes, usn: ++this.usn, hash, modified: '2026-03-24T12:00:00+01:00' }
      this.files.set(fileKey(path), file)
      return { path: file.path, usn: String(file.usn), blake3Hash: hash }
    }
  }

  readonly espocrm: SyncEspo = {
    findAkteByAktennummer: async nr => (nr === this.akte.aktennummer ? { ...this.akte } : null),
    listDocumentsOfAkte: async () => [...this.documents.values()].map(d => ({ ...d })),
    getDocument: async id => {
      await this.call('espo.getDocument', id, false)
      const doc = this.documents.get(id)
      return doc === undefined ? null : { ...doc }
    },
    createDocument: async fields => {
      await this.call('espo.createDocument', fields.name, true)
      const doc = this.addDocument({ ...fields })
      return { ...doc }
    },
    updateDocument: async (id, patch, options = {}) => {
      await this.call('espo.updateDocument', `${id} ${Object.keys(patch).sort().join(',')}`, true)
      const doc = this.documents.get(id)
      if (doc === undefined) throw new ExternalError({ system: 'espocrm', kind: 'not-found', status: 404, message: 'gone' })
      if (options.versionNumber !== undefined && options.versionNumber !== doc.versionNumber) {
        throw new ExternalError({ system: 'espocrm', kind: 'conflict', status: 409, reason: 'modified', message: 'modified' })
      }
      Object.assign(doc, patch, { modifiedAt: this.stamp(), versionNumber: (doc.versionNumber ?? 0) + 1 })
      return { ...doc }
    },
    uploadAttachment: async (input: UploadAttachmentInput) => {
      await this.call('espo.uploadAttachment', input.name, false)
      const source = typeof input.body === 'function' ? await input.body() : input.body
      const bytes = Buffer.isBuffer(source) ? source : await readAll(source)
      if (bytes.length !== input.size) throw new ExternalError({ system: 'espocrm', kind: 'integrity', message: 'size mismatch' })
      const id = this.addAttachment(bytes)
      this.writes.push(`espo.uploadAttachment ${input.name}`)
      return { id, size: bytes.length, chunked: false }
    },
    downloadAttachment: async id => {
      await this.call('espo.downloadAttachment', id, false)
      const bytes = this.attachments.get(id)
      if (bytes === undefined) throw new ExternalError({ system: 'espocrm', kind: 'not-found', status: 404, message: 'no attachment' })
      return { body: Readable.from([bytes]), size: bytes.length, fileName: null, mimeType: null }
    },
    updateAkte: async (_id, patch) => {
      await this.call('espo.updateAkte', Object.keys(patch).sort().join(','), true)
      Object.assign(this.akte, patch)
      return { ...this.akte }
    }
  }

  readonly advoware: SyncAdvoware = {
    getAkte: async () => ({ ...this.advowareAkte }),
    listHistory: async () => this.history.map(h => ({ ...h })),
    createHistoryEntry: async (_akteId, entry) => {
      await this.call('advoware.createHistoryEntry', entry.datei, true)
      const created = { id: String(90000 + ++this.counter), ...entry }
      this.history.push(created)
      return created
    }
  }
}

export function refusal (system: 'espocrm' | 'watcher', status: number, reason: string): ExternalError {
  const kind = status === 403 ? 'forbidden' : status === 400 ? 'validation' : 'unavailable'
  return new ExternalError({ system, kind, status, reason, operation: system === 'watcher' ? 'upload' : 'upload attachment', message: `${system}: ${status} ${reason}` })
}
