import { blake3Hex } from '../../../src/hash/blake3.js'
import type { Systems } from '../../../src/sandbox/systems.js'
import type { Faults } from '../../../src/simulators/faults.js'
import { fileKey } from '../../../src/sync/paths.js'
import { syncAkte, type SyncAkteDeps, type SyncSummary } from '../../../src/sync/run-akte.js'
import type { ModelAkte } from './model-world.js'
import { DOCUMENT_NAMES, SHARE_PATHS, describeStep, type Fault, type LinkForm, type Step } from './model-steps.js'

/*
 * Carries a sequence of steps out against the simulators and keeps the model:
 * every content a person ever produced (`produced`) and the contents that
 * must survive (`owed`). A content stops being owed only when a person
 * overwrites or deletes the place holding it: then losing it is their choice.
 */

export interface Model {
  produced: Set<string>
  owed: Map<string, string>
  trace: string[]
  summaries: SyncSummary[]
}

export interface RunContext {
  systems: Systems
  akte: ModelAkte
  model: Model
  serial: number
}

export function newModel (): Model {
  return { produced: new Set(), owed: new Map(), trace: [], summaries: [] }
}

/** Unique bytes for each edit; big ones pass the chunk threshold. */
function content (ctx: RunContext, what: string, big: boolean): Buffer {
  const head = `${ctx.akte.nr} #${++ctx.serial} ${what}\n`
  return Buffer.from(big ? head + 'x'.repeat(70 * 1024 + ctx.serial) : head)
}

async function produce (ctx: RunContext, data: Buffer, what: string): Promise<void> {
  const hash = await blake3Hex(data)
  ctx.model.produced.add(hash)
  ctx.model.owed.set(hash, what)
}

function release (ctx: RunContext, hash: string | undefined): void {
  if (hash !== undefined) ctx.model.owed.delete(hash)
}

const pick = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length])

export function datei (ctx: RunContext, path: string, form: LinkForm): string {
  if (form === 'slash') return path
  const windows = path.replace(/\//g, '\\')
  return form === 'backslash' ? windows : `D:\\Advoware\\Akten\\${ctx.akte.nr}\\${windows}`
}

function link (ctx: RunContext, path: string, form: LinkForm | null): void {
  if (form === null) return
  ctx.systems.advoware.addHistory(ctx.akte.advowareId, { datum: '2026-03-20T09:30:00', text: `Eintrag ${path}`, art: 'Schriftsatz', datei: datei(ctx, path, form) })
}

async function shareFiles (ctx: RunContext): Promise<Array<{ path: string, blake3Hash: string }>> {
  return (await ctx.systems.watcher.listing(ctx.akte.nr))?.files ?? []
}

/** The Akte's Documents as EspoCRM lists them (removed ones are gone). */
export function documents (ctx: RunContext): Array<Record<string, unknown>> {
  return ctx.systems.espo.list('Document').filter(d => d.akteId === ctx.akte.akteId)
}

export async function attachmentHash (ctx: RunContext, fileId: unknown): Promise<string | undefined> {
  if (typeof fileId !== 'string' || fileId === '') return undefined
  try {
    return await blake3Hex(await ctx.systems.espo.readAttachment(fileId))
  } catch {
    return undefined
  }
}

async function newAttachment (ctx: RunContext, name: string, data: Buffer): Promise<string> {
  const attachment = await ctx.systems.espo.seedAttachment({ name, type: 'application/octet-stream', data, relatedType: 'Document', field: 'file' })
  return String(attachment.id)
}

async function apply (ctx: RunContext, step: Step): Promise<string> {
  const { watcher, espo } = ctx.systems
  const nr = ctx.akte.nr
  switch (step.kind) {
    case 'share-write': {
      const path = SHARE_PATHS[step.path % SHARE_PATHS.length] as string
      const old = await watcher.readFile(nr, path)
      if (old !== undefined) release(ctx, await blake3Hex(old))
      const data = content(ctx, `share ${path}`, step.big)
      await watcher.writeFile(nr, path, data)
      await produce(ctx, data, `share write ${path}`)
      link(ctx, path, step.link)
      return `wrote ${path}`
    }
    case 'share-edit': {
      const file = pick(await shareFiles(ctx), step.file)
      if (file === undefined) return 'no file to edit'
      release(ctx, file.blake3Hash)
      const data = content(ctx, `share edit ${file.path}`, step.big)
      await watcher.writeFile(nr, file.path, data)
      await produce(ctx, data, `share edit ${file.path}`)
      return `edited ${file.path}`
    }
    case 'share-delete': {
      const file = pick(await shareFiles(ctx), step.file)
      if (file === undefined) return 'no file to delete'
      release(ctx, file.blake3Hash)
      await watcher.deleteFile(nr, file.path)
      return `deleted ${file.path}`
    }
    case 'share-rename': {
      const file = pick(await shareFiles(ctx), step.file)
      const to = SHARE_PATHS[step.to % SHARE_PATHS.length] as string
      if (file === undefined) return 'no file to rename'
      // Explorer refuses to rename onto an existing name; a case-only rename changes nothing here.
      if (fileKey(file.path) === fileKey(to) || await watcher.readFile(nr, to) !== undefined) return `rename ${file.path} -> ${to} refused`
      await watcher.renameFile(nr, file.path, to)
      link(ctx, to, step.link)
      return `renamed ${file.path} -> ${to}`
    }
    case 'espo-create': {
      const name = DOCUMENT_NAMES[step.name % DOCUMENT_NAMES.length] as string
      const data = content(ctx, `espo new ${name}`, step.big)
      const fileName = name.includes('.') ? name.split('/').at(-1) as string : `${name}.pdf`
      const fileId = await newAttachment(ctx, fileName, data)
      const doc = espo.create('Document', { name, fileId, publishDate: '2026-03-21', akteId: ctx.akte.akteId })
      await produce(ctx, data, `espo create ${name} (${String(doc.id)})`)
      return `created Document ${name} ${String(doc.id)}`
    }
    case 'espo-edit': {
      const doc = pick(documents(ctx), step.doc)
      if (doc === undefined) return 'no Document to edit'
      release(ctx, await attachmentHash(ctx, doc.fileId))
      const data = content(ctx, `espo edit ${String(doc.id)}`, step.big)
      const fileId = await newAttachment(ctx, String(doc.fileName ?? doc.name ?? 'Datei.pdf'), data)
      espo.update('Document', String(doc.id), { fileId })
      await produce(ctx, data, `espo edit ${String(doc.name)} (${String(doc.id)})`)
      return `edited Document ${String(doc.id)} (${String(doc.fileStatus)})`
    }
    case 'espo-delete': {
      const doc = pick(documents(ctx), step.doc)
      if (doc === undefined) return 'no Document to delete'
      release(ctx, await attachmentHash(ctx, doc.fileId))
      espo.remove('Document', String(doc.id))
      return `removed Document ${String(doc.id)} (${String(doc.fileStatus)})`
    }
    case 'both-edit': {
      const doc = pick(documents(ctx).filter(d => d.fileStatus === 'synced' && typeof d.windowsPath === 'string'), step.doc)
      if (doc === undefined) return 'no synced Document to edit on both sides'
      const path = String(doc.windowsPath)
      release(ctx, await attachmentHash(ctx, doc.fileId))
      const old = await watcher.readFile(nr, path)
      if (old !== undefined) release(ctx, await blake3Hex(old))
      const espoData = content(ctx, `both espo ${path}`, step.big)
      espo.update('Document', String(doc.id), { fileId: await newAttachment(ctx, String(doc.fileName ?? doc.name), espoData) })
      await produce(ctx, espoData, `both-edit EspoCRM ${path} (${String(doc.id)})`)
      const shareData = content(ctx, `both share ${path}`, false)
      // An hour either way of EspoCRM's modifiedAt (now): newer wins, the other becomes the copy.
      await watcher.writeFile(nr, path, shareData, { mtime: new Date(Date.now() + (step.shareNewer ? 3_600_000 : -3_600_000)) })
      await produce(ctx, shareData, `both-edit share ${path}`)
      return `edited ${path} on both sides`
    }
    case 'history': {
      const path = SHARE_PATHS[step.path % SHARE_PATHS.length] as string
      link(ctx, path, step.form)
      return `linked ${path}`
    }
    case 'sync': {
      const summary = await runSync(ctx, ctx.akte.faulty, step.faults)
      return `${summary.status}${summary.errors.length > 0 ? ` (${summary.errors.map(e => `${e.kind} ${e.path}: ${e.message}`).join('; ').slice(0, 300)})` : ''}`
    }
  }
}

function faultsOf (systems: Systems, fault: Fault): Faults {
  return fault.system === 'espo' ? systems.espo.faults : fault.system === 'advoware' ? systems.advoware.faults : systems.watcher.faults
}

function arm (systems: Systems, fault: Fault): void {
  const match = fault.match === '' ? undefined : fault.match
  const faults = faultsOf(systems, fault)
  if (fault.kind === 'expire-tokens') systems.advoware.expireAllTokens()
  else if (fault.kind === 'status') faults.failNext(fault.count, fault.status, match)
  else if (fault.kind === 'reset') faults.resetMidBody(fault.count, match)
  else if (fault.kind === 'corrupt') faults.corruptNext(fault.count, match)
  else faults.hangNext(fault.count, match)
}

export function clearFaults (systems: Systems): void {
  for (const sim of [systems.espo, systems.advoware, systems.watcher]) sim.faults.rules = []
}

export async function runSync (ctx: RunContext, deps: SyncAkteDeps, faults: Fault[], request: { dryRun?: boolean, force?: boolean } = {}): Promise<SyncSummary> {
  for (const fault of faults) if (fault.stage === 'start') arm(ctx.systems, fault)
  try {
    const summary = await syncAkte(deps, {
      aktennummer: ctx.akte.nr,
      signal: new AbortController().signal,
      ...request,
      onProgress: event => {
        if (event.type !== 'stage') return
        for (const fault of faults) if (fault.stage === event.stage) arm(ctx.systems, fault)
      }
    })
    ctx.model.summaries.push(summary)
    return summary
  } finally {
    // A rule that found no request must not spill into the next step.
    clearFaults(ctx.systems)
  }
}

export async function applyStep (ctx: RunContext, step: Step, index: number): Promise<void> {
  const outcome = await apply(ctx, step)
  ctx.model.trace.push(`${index}. ${describeStep(step)} => ${outcome}`)
}
