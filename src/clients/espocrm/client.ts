import type { EspoAkte } from '../../domain/types.js'
import { ExternalError, fromTransportError } from '../errors.js'
import { toEspoDateTime } from './datetime.js'
import { downloadAttachment } from './download.js'
import type { DownloadedAttachment } from './download.js'
import { FieldMap } from './field-map.js'
import type { EspoAktePatch, EspoDocumentPatch, NewEspoDocument, RawRecord, VersionedEspoDocument } from './field-map.js'
import { iterateRecords, listRecords } from './list.js'
import { DEFAULT_CHUNK_SIZE_BYTES, DEFAULT_CHUNK_THRESHOLD_BYTES, DEFAULT_ENTITIES } from './options.js'
import type { EspoClientOptions, EspoEntityNames } from './options.js'
import { EspoTransport, protocolError } from './transport.js'
import { uploadAttachment } from './upload.js'
import type { UploadAttachmentInput, UploadedAttachment, UploadSettings } from './upload.js'
import { createWebhook, deleteWebhook, listWebhooks } from './webhooks.js'
import type { CreatedWebhook, EspoWebhook, NewWebhook } from './webhooks.js'
import { where } from './where.js'
import type { ListParams } from './where.js'

/** What the periodic `modifiedAt` sweep needs to know about a Document. */
export interface ModifiedDocumentRef {
  id: string
  akteId: string | null
  modifiedAt: string | null
}

export interface WriteOptions {
  /** Raw EspoCRM attributes outside the field map (e.g. `assignedUserId`, `teamsIds`). */
  extra?: RawRecord
}

export interface UpdateDocumentOptions extends WriteOptions {
  /** Optimistic locking: EspoCRM answers 409 (kind 'conflict') when the record moved on. */
  versionNumber?: number
}

/**
 * The EspoCRM side of the sync: Akten, Documents and their attachments in
 * domain terms. Entity and field names come from configuration.
 */
export class EspoClient {
  readonly fields: FieldMap
  readonly entities: EspoEntityNames
  private readonly transport: EspoTransport
  private readonly upload: UploadSettings

  constructor (options: EspoClientOptions) {
    this.transport = new EspoTransport(options)
    this.fields = new FieldMap(options.fields)
    this.entities = { ...DEFAULT_ENTITIES, ...options.entities }
    this.upload = {
      thresholdBytes: options.chunkThresholdBytes ?? DEFAULT_CHUNK_THRESHOLD_BYTES,
      chunkSizeBytes: options.chunkSizeBytes ?? DEFAULT_CHUNK_SIZE_BYTES
    }
    if (this.upload.chunkSizeBytes <= 0) throw new RangeError('chunkSizeBytes must be positive')
  }

  /** Raw records of any entity, page by page (at most 200 per request). */
  iterate (entityType: string, params: ListParams = {}, signal?: AbortSignal): AsyncGenerator<RawRecord> {
    return iterateRecords(this.transport, entityType, params, signal)
  }

  async listAll (entityType: string, params: ListParams = {}, signal?: AbortSignal): Promise<RawRecord[]> {
    return await listRecords(this.transport, entityType, params, signal)
  }

  // --- Akte -------------------------------------------------------------

  /** Null when none; an error when the Aktennummer is not unique (an admin must fix that). */
  async findAkteByAktennummer (aktennummer: string): Promise<EspoAkte | null> {
    const found: RawRecord[] = []
    const params: ListParams = { where: [where.equals(this.fields.akte.aktennummer, aktennummer)], select: this.fields.akteSelect(), pageSize: 2 }
    for await (const record of this.iterate(this.entities.akte, params)) {
      found.push(record)
      if (found.length === 2) break
    }
    if (found.length > 1) {
      throw new ExternalError({ system: 'espocrm', kind: 'validation', operation: `find ${this.entities.akte}`, reason: 'duplicate aktennummer', message: `espocrm: more than one ${this.entities.akte} with Aktennummer '${aktennummer}'` })
    }
    return found[0] === undefined ? null : this.akte(found[0], 'find')
  }

  async getAkte (id: string): Promise<EspoAkte | null> {
    const raw = await this.getRecord(this.entities.akte, id)
    return raw === null ? null : this.akte(raw, 'get')
  }

  async listAkten (params: ListParams = {}): Promise<EspoAkte[]> {
    const raw = await this.listAll(this.entities.akte, { select: this.fields.akteSelect(), orderBy: this.fields.akte.aktennummer, ...params })
    return raw.map(r => this.akte(r, 'list'))
  }

  /** The Akten to sync, e.g. `['Neu', 'Aktiv', 'Import']`. */
  async listAktenByStatus (statuses: string[]): Promise<EspoAkte[]> {
    if (statuses.length === 0) return []
    return await this.listAkten({ where: [where.in(this.fields.akte.status, statuses)] })
  }

  async updateAkte (id: string, patch: EspoAktePatch, options: WriteOptions = {}): Promise<EspoAkte> {
    const raw = await this.putRecord(this.entities.akte, id, { ...this.fields.toEspoAktePatch(patch), ...options.extra })
    return this.akte(raw, 'update')
  }

  // --- Document ---------------------------------------------------------

  iterateDocuments (params: ListParams = {}): AsyncGenerator<VersionedEspoDocument> {
    const records = this.iterate(this.entities.document, { select: this.fields.documentSelect(), ...params })
    const map = (raw: RawRecord): VersionedEspoDocument => this.document(raw, 'list')
    return (async function * () { for await (const raw of records) yield map(raw) })()
  }

  /** All Documents linked to the Akte; 1,000 of them cost 5 requests. */
  async listDocumentsOfAkte (akteId: string): Promise<VersionedEspoDocument[]> {
    const out: VersionedEspoDocument[] = []
    const params: ListParams = { where: [where.equals(this.fields.document.akteId, akteId)], orderBy: this.fields.document.createdAt, order: 'asc' }
    for await (const doc of this.iterateDocuments(params)) out.push(doc)
    return out
  }

  async getDocument (id: string): Promise<VersionedEspoDocument | null> {
    const raw = await this.getRecord(this.entities.document, id)
    return raw === null ? null : this.document(raw, 'get')
  }

  async createDocument (fields: NewEspoDocument, options: WriteOptions = {}): Promise<VersionedEspoDocument> {
    const raw = await this.transport.json<RawRecord | undefined>({
      operation: `create ${this.entities.document}`,
      method: 'POST',
      path: encodeURIComponent(this.entities.document),
      body: { ...this.fields.toEspoPatch(fields), ...options.extra }
    })
    return this.document(raw, 'create')
  }

  async updateDocument (id: string, patch: EspoDocumentPatch, options: UpdateDocumentOptions = {}): Promise<VersionedEspoDocument> {
    const headers = options.versionNumber === undefined ? undefined : { 'x-version-number': String(options.versionNumber) }
    const raw = await this.putRecord(this.entities.document, id, { ...this.fields.toEspoPatch(patch), ...options.extra }, headers)
    return this.document(raw, 'update')
  }

  /** Soft delete. False when the Document was already gone (a repeated delete is not an error). */
  async deleteDocument (id: string): Promise<boolean> {
    const response = await this.transport.request({
      operation: `delete ${this.entities.document}`,
      method: 'DELETE',
      path: this.recordPath(this.entities.document, id),
      accept: [404]
    })
    await response.body.dump()
    return response.status !== 404
  }

  /**
   * For the periodic sweep. `after` is strict and EspoCRM keeps whole
   * seconds, so callers should let the next cursor overlap the last one.
   */
  async listDocumentsModifiedSince (since: Date | string): Promise<ModifiedDocumentRef[]> {
    const f = this.fields.document
    const raw = await this.listAll(this.entities.document, {
      where: [where.after(f.modifiedAt, toEspoDateTime(since))],
      select: ['id', f.akteId, f.modifiedAt],
      orderBy: f.modifiedAt,
      order: 'asc'
    })
    return raw.map(r => {
      const doc = this.document(r, 'sweep')
      return { id: doc.id, akteId: doc.akteId, modifiedAt: doc.modifiedAt }
    })
  }

  // --- Attachments ------------------------------------------------------

  /** One request up to the threshold, the chunked protocol above it. */
  async uploadAttachment (input: UploadAttachmentInput): Promise<UploadedAttachment> {
    return await uploadAttachment(this.transport, this.upload, input)
  }

  async downloadAttachment (id: string, signal?: AbortSignal): Promise<DownloadedAttachment> {
    return await downloadAttachment(this.transport, id, signal)
  }

  // --- Webhooks ---------------------------------------------------------

  async createWebhook (webhook: NewWebhook): Promise<CreatedWebhook> {
    return await createWebhook(this.transport, webhook)
  }

  async listWebhooks (): Promise<EspoWebhook[]> {
    return await listWebhooks(this.transport)
  }

  async deleteWebhook (id: string): Promise<boolean> {
    return await deleteWebhook(this.transport, id)
  }

  async close (): Promise<void> {
    await this.transport.close()
  }

  // --- helpers ----------------------------------------------------------

  private recordPath (entityType: string, id: string): string {
    return `${encodeURIComponent(entityType)}/${encodeURIComponent(id)}`
  }

  private async getRecord (entityType: string, id: string): Promise<RawRecord | null> {
    const response = await this.transport.request({ operation: `get ${entityType}`, method: 'GET', path: this.recordPath(entityType, id), headers: { accept: 'application/json' }, accept: [404] })
    if (response.status === 404) {
      await response.body.dump()
      return null
    }
    let text: string
    try {
      text = await response.body.text()
    } catch (raw) {
      throw fromTransportError('espocrm', `get ${entityType}`, raw)
    }
    try {
      return JSON.parse(text) as RawRecord
    } catch (cause) {
      throw protocolError(`get ${entityType}`, 'answer is not JSON', cause)
    }
  }

  private async putRecord (entityType: string, id: string, body: RawRecord, headers?: Record<string, string>): Promise<RawRecord | undefined> {
    return await this.transport.json<RawRecord | undefined>({ operation: `update ${entityType}`, method: 'PUT', path: this.recordPath(entityType, id), body, headers })
  }

  private document (raw: RawRecord | undefined, what: string): VersionedEspoDocument {
    return this.mapped(() => this.fields.toDomainDocument(raw ?? {}), `${what} ${this.entities.document}`)
  }

  private akte (raw: RawRecord | undefined, what: string): EspoAkte {
    return this.mapped(() => this.fields.toDomainAkte(raw ?? {}), `${what} ${this.entities.akte}`)
  }

  private mapped<T> (map: () => T, operation: string): T {
    try {
      return map()
    } catch (cause) {
      throw protocolError(operation, cause instanceof Error ? cause.message : String(cause), cause)
    }
  }
}
