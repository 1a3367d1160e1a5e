import type { Readable } from 'node:stream'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AttachmentFiles } from './attachment-files.js'
import { readAttachmentJson } from './attachment-json.js'
import { EspoError, forbidden, notFound } from './format.js'
import type { ResolvedOptions } from './options.js'
import type { Records, WriteContext } from './records.js'
import type { Attrs, RecordStore } from './store.js'

/**
 * The Attachment rules of EspoCRM's upload path: single upload (data URI in
 * the JSON body), chunked upload (declared size, chunks appended in order),
 * the size limit and the per-field file-type allow-list.
 */
export interface SeedAttachment {
  name: string
  type?: string
  /** Contents: bytes, or a file to copy. */
  data?: Buffer
  path?: string
  [attribute: string]: unknown
}

function megabytes (bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100)
}

function extension (name: unknown): string {
  if (typeof name !== 'string') return ''
  const dot = name.lastIndexOf('.')
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase()
}

export class Attachments {
  constructor (
    private readonly records: Records,
    private readonly store: RecordStore,
    private readonly files: AttachmentFiles,
    private readonly options: ResolvedOptions
  ) {}

  exists (id: string): boolean {
    return this.store.row('Attachment', id) !== undefined
  }

  /** Soft-deletes the record and removes the file, as EspoCRM's remove hook does. */
  remove (id: string): void {
    const row = this.store.row('Attachment', id)
    if (row !== undefined) {
      row.deleted = true
      row.attrs.deleted = true
    }
    this.files.remove(id)
  }

  /** `POST Attachment`: the body is streamed, the file written while parsing. */
  async create (body: Readable, ctx: WriteContext): Promise<Attrs> {
    const max = this.options.attachmentUploadMaxSize
    const upload = `upload-${randomBytes(8).toString('hex')}`
    const parsed = await readAttachmentJson(body, {
      filePath: this.files.path(upload),
      bodyLimit: this.options.bodyLimit,
      maxFileSize: max,
      tooBigReason: `File size should not exceed ${megabytes(max)} Mb.`
    })
    try {
      const f = parsed.fields
      const declared = typeof f.size === 'number' ? f.size : Number(f.size ?? 0)
      if (parsed.file === undefined && declared > max) {
        throw forbidden('Attachment size exceeds `attachmentUploadMaxSize`.')
      }
      this.checkType(f)
      const attrs: Attrs = {
        ...f,
        role: f.role ?? 'Attachment',
        type: f.type ?? parsed.file?.mime ?? null,
        size: parsed.file?.size ?? (Number.isFinite(declared) ? declared : 0),
        isBeingUploaded: parsed.file === undefined && f.isBeingUploaded === true,
        storage: 'EspoUploadDir'
      }
      const created = this.records.create('Attachment', attrs, ctx)
      await this.files.rename(upload, String(created.id))
      return created
    } catch (error) {
      this.files.remove(upload)
      throw error
    }
  }

  /** `POST Attachment/chunk/{id}`: 403/500 answers follow EspoCRM's UploadService. */
  async appendChunk (id: string, body: Readable): Promise<void> {
    const row = this.store.row('Attachment', id)
    if (row === undefined) throw notFound()
    if (row.attrs.isBeingUploaded !== true) throw forbidden('Attachment is not being-uploaded.')
    const max = this.options.attachmentUploadMaxSize
    const declared = Number(row.attrs.size ?? 0)
    const actual = (await this.files.size(id)) ?? 0
    const added = await this.files.appendChunk(id, body, {
      bodyLimit: this.options.bodyLimit,
      check: async (chunkSize) => {
        if (actual + chunkSize > max) throw forbidden('Max attachment size exceeded.')
      }
    })
    // appended first, then refused: the upload must start over with a new attachment
    if (actual + added > declared) throw new EspoError(500, 'File size mismatch.')
    if (actual + added === declared) row.attrs.isBeingUploaded = false
  }

  /** Where to stream a download from, and its metadata. */
  async download (id: string): Promise<{ path: string, size: number, name: string, type: string | undefined }> {
    const attrs = this.store.row('Attachment', id)?.attrs
    const size = attrs === undefined ? undefined : await this.files.size(id)
    if (attrs === undefined || size === undefined) throw notFound()
    return {
      path: this.files.path(id),
      size,
      name: typeof attrs.name === 'string' ? attrs.name : 'unnamed',
      type: typeof attrs.type === 'string' && attrs.type !== '' ? attrs.type : undefined
    }
  }

  async seed (input: SeedAttachment): Promise<Attrs> {
    const { data, path, ...attrs } = input
    const created = this.records.seed('Attachment', { role: 'Attachment', storage: 'EspoUploadDir', isBeingUploaded: false, ...attrs })
    const id = String(created.id)
    const size = await this.files.write(id, path !== undefined ? { path } : (data ?? Buffer.alloc(0)))
    const row = this.store.row('Attachment', id)
    if (row !== undefined && attrs.size === undefined) row.attrs.size = size
    return { ...created, size: row?.attrs.size ?? size }
  }

  fileExists (id: string): boolean {
    return existsSync(this.files.path(id))
  }

  private checkType (f: Attrs): void {
    const field = f.field
    const entityType = f.parentType ?? f.relatedType
    if (typeof field !== 'string' || typeof entityType !== 'string') return
    const accept = this.options.entityDefs[entityType]?.fileFields[field]?.accept ?? []
    if (accept.length === 0) return
    if (!accept.includes(`.${extension(f.name)}`)) throw forbidden('Not allowed file type.')
  }
}
