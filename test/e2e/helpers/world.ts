import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { Systems } from '../../../src/sandbox/systems.js'

/*
 * The Akten of an end-to-end test, seeded consistently into EspoCRM,
 * Advoware and the share (as src/sandbox/seed.ts does), and the one check
 * every test ends with: each file is in every system exactly once, with the
 * same bytes. Expectations live here, not in the systems, so a lost or
 * doubled Document cannot hide behind "whatever the systems say".
 */

export interface WorldAkte {
  aktennummer: string
  advowareAkteId: number
  /** The CAkte record's id in EspoCRM. */
  espoId: string
  /** Files put on the share and linked from the History: path -> bytes. */
  shareFiles: Map<string, Buffer>
  /** Documents a person made in EspoCRM: Document id -> bytes of its file. */
  espoDocuments: Map<string, Buffer>
}

const norm = (path: string): string => path.replaceAll('\\', '/').normalize('NFC').toLowerCase()

/** Whether a History `datei` (relative, or absolute below the Akte folder) names `path`. */
export function dateiNames (datei: string | null | undefined, path: string): boolean {
  if (datei === null || datei === undefined) return false
  const d = norm(datei)
  const p = norm(path)
  return d === p || d.endsWith(`/${p}`)
}

/** A small PDF-ish payload that differs per call, so a mixed-up file cannot pass. */
export function fileBytes (label: string, size = 600): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% ${label}\n`)
  const body = Buffer.alloc(Math.max(0, size - head.length), `${label};`)
  return Buffer.concat([head, body])
}

export class World {
  readonly akten = new Map<string, WorldAkte>()
  private nextAdvowareId = 50_000
  private historyDay = 0

  constructor (readonly systems: Systems) {}

  /** An active Akte in all three systems, with `files` on the share, each linked from the History. */
  async addAkte (aktennummer: string, files: Record<string, Buffer> = {}): Promise<WorldAkte> {
    const { espo, advoware, watcher } = this.systems
    const advowareAkteId = this.nextAdvowareId++
    // espo.create acts as a person in the UI would; no webhook fires unless one is registered.
    const record = espo.create('CAkte', { name: `Akte ${aktennummer}`, aktennummer, advowareAkteId: String(advowareAkteId), status: 'Aktiv' })
    advoware.seedAkte({ id: advowareAkteId, aktennummer, history: [] })
    await watcher.createAkte(aktennummer)
    const akte: WorldAkte = { aktennummer, advowareAkteId, espoId: String(record.id), shareFiles: new Map(), espoDocuments: new Map() }
    this.akten.set(aktennummer, akte)
    for (const [path, data] of Object.entries(files)) await this.addShareFile(aktennummer, path, data)
    return akte
  }

  /** A file saved on the share and linked from a new History entry (the History first: a push then finds it linked). */
  async addShareFile (aktennummer: string, path: string, data: Buffer): Promise<void> {
    const akte = this.akte(aktennummer)
    const day = String(1 + (this.historyDay++ % 28)).padStart(2, '0')
    this.systems.advoware.addHistory(akte.advowareAkteId, { datum: `2026-02-${day}T10:00:00`, text: `Eingang ${path}`, art: 'Eingang', datei: path })
    await this.systems.watcher.writeFile(aktennummer, path, data)
    akte.shareFiles.set(path, data)
  }

  /** A Document with a file, made by a person in EspoCRM (user 1: webhooks fire, skipOwn does not hide it). */
  async addEspoDocument (aktennummer: string, fileName: string, data: Buffer): Promise<string> {
    const akte = this.akte(aktennummer)
    const { espo } = this.systems
    const attachment = await espo.seedAttachment({ name: fileName, type: 'application/pdf', data, role: 'Attachment', relatedType: 'Document', field: 'file' })
    const doc = espo.create('Document', { name: fileName.replace(/\.[^.]+$/, ''), fileId: attachment.id, publishDate: '2026-03-01', status: 'Active', akteId: akte.espoId }, { userId: '1' })
    akte.espoDocuments.set(String(doc.id), data)
    return String(doc.id)
  }

  akte (aktennummer: string): WorldAkte {
    const akte = this.akten.get(aktennummer)
    if (akte === undefined) throw new Error(`no Akte ${aktennummer} in this world`)
    return akte
  }

  /** Live Documents of the Akte as EspoCRM holds them. */
  documents (aktennummer: string): Array<Record<string, unknown>> {
    const { espoId } = this.akte(aktennummer)
    return this.systems.espo.list('Document').filter(d => d.akteId === espoId)
  }

  /** Files in the Akte folder, '/'-separated (the simulator's half-written temp files aside). */
  async shareListing (aktennummer: string): Promise<string[]> {
    const dir = this.systems.watcher.akteDir(aktennummer)
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter(e => e.isFile() && !e.name.startsWith('.sim-upload-'))
      .map(e => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort()
  }

  /**
   * Everything wrong with one Akte, as sentences (empty: converged). Each
   * expected file has exactly one Document, one share file and one History
   * entry, with equal bytes; nothing else exists.
   */
  async problems (aktennummer: string): Promise<string[]> {
    const akte = this.akte(aktennummer)
    const { espo, advoware } = this.systems
    const out: string[] = []
    const docs = this.documents(aktennummer)
    const history = advoware.history(akte.advowareAkteId)
    const listing = await this.shareListing(aktennummer)
    const expectedPaths = new Set<string>()

    for (const [path, data] of akte.shareFiles) {
      expectedPaths.add(norm(path))
      const mine = docs.filter(d => typeof d.windowsPath === 'string' && norm(d.windowsPath) === norm(path))
      if (mine.length !== 1) out.push(`${aktennummer}/${path}: ${mine.length} Documents`)
      const doc = mine[0]
      if (doc !== undefined) {
        const bytes = await espo.readAttachment(String(doc.fileId)).catch(() => undefined)
        if (bytes === undefined || !bytes.equals(data)) out.push(`${aktennummer}/${path}: the Document's file differs from the share's`)
      }
      const links = history.filter(h => dateiNames(h.datei, path)).length
      if (links !== 1) out.push(`${aktennummer}/${path}: ${links} History entries`)
    }

    for (const [id, data] of akte.espoDocuments) {
      const doc = docs.find(d => d.id === id)
      if (doc === undefined) { out.push(`${aktennummer}: Document ${id} from EspoCRM is gone`); continue }
      const path = typeof doc.windowsPath === 'string' ? doc.windowsPath : ''
      if (path === '' || doc.fileStatus !== 'synced') { out.push(`${aktennummer}: Document ${id} not synced (${String(doc.fileStatus)})`); continue }
      expectedPaths.add(norm(path))
      const onShare = await this.systems.watcher.readFile(aktennummer, path)
      if (onShare === undefined || !onShare.equals(data)) out.push(`${aktennummer}/${path}: the share's file differs from EspoCRM's`)
      const links = history.filter(h => dateiNames(h.datei, path)).length
      if (links !== 1) out.push(`${aktennummer}/${path}: ${links} History entries`)
    }

    const expectedDocs = akte.shareFiles.size + akte.espoDocuments.size
    if (docs.length !== expectedDocs) out.push(`${aktennummer}: ${docs.length} Documents, expected ${expectedDocs}`)
    const extra = listing.filter(p => !expectedPaths.has(norm(p)))
    if (extra.length > 0 || listing.length !== expectedPaths.size) out.push(`${aktennummer}: share holds ${JSON.stringify(listing)}`)
    return out
  }

  async allProblems (): Promise<string[]> {
    const out: string[] = []
    for (const nr of this.akten.keys()) out.push(...await this.problems(nr))
    return out
  }
}
