import { linkHistory } from '../../../src/sync/history-links.js'
import { defaultAkteFolderNames } from '../../../src/sync/options.js'
import { fileKey } from '../../../src/sync/paths.js'
import type { AkteSyncState } from '../../../src/sync/types.js'
import { attachmentHash, clearFaults, documents, runSync, type RunContext } from './model-run.js'

/*
 * The invariants, checked against the real systems' state (never against
 * what the engine says it did). Each returns violations as readable lines.
 */

const CONFLICT_NAME = /\(Konflikt [^)]*\)/

interface Seen {
  files: Array<{ path: string, key: string, hash: string }>
  docs: Array<{ id: string, name: string, status: string, key: string | null, hash: string | undefined, syncHash: string }>
}

async function look (ctx: RunContext): Promise<Seen> {
  const listing = await ctx.systems.watcher.listing(ctx.akte.nr)
  const files = (listing?.files ?? []).map(f => ({ path: f.path, key: fileKey(f.path), hash: f.blake3Hash }))
  const docs = await Promise.all(documents(ctx).map(async d => ({
    id: String(d.id),
    name: String(d.name),
    status: String(d.fileStatus ?? ''),
    key: typeof d.windowsPath === 'string' && d.windowsPath !== '' ? fileKey(d.windowsPath) : null,
    hash: await attachmentHash(ctx, d.fileId),
    syncHash: String(d.syncHash ?? '')
  })))
  return { files, docs }
}

/** Corrupted or half-written bytes would be a content nobody produced. */
export async function foreignBytes (ctx: RunContext): Promise<string[]> {
  const { files, docs } = await look(ctx)
  const { produced } = ctx.model
  return [
    ...files.filter(f => !produced.has(f.hash)).map(f => `share file ${f.path} holds bytes nobody wrote (${f.hash.slice(0, 12)})`),
    ...docs.filter(d => d.hash !== undefined && !produced.has(d.hash)).map(d => `Document ${d.id} '${d.name}' holds bytes nobody wrote`)
  ]
}

/** After the fault-free sync: nothing lost, nothing doubled, both sides agree. */
async function converged (ctx: RunContext): Promise<string[]> {
  const { files, docs } = await look(ctx)
  const violations: string[] = []
  const history = ctx.systems.advoware.history(ctx.akte.advowareId).map(h => ({ ...h, id: String(h.id) }))
  const linked = linkHistory(history, defaultAkteFolderNames(ctx.akte.nr), new Set(files.map(f => f.key)))
  const state = await ctx.akte.store.getState<AkteSyncState>('akte-state', ctx.akte.nr)
  const tombstones = new Map((state?.tombstones ?? []).map(t => [t.key, t.hash]))

  // No edit lost: each owed content is on the share or held by a Document EspoCRM still lists.
  const held = new Set([...files.map(f => f.hash), ...docs.flatMap(d => (d.hash === undefined ? [] : [d.hash]))])
  for (const [hash, what] of ctx.model.owed) if (!held.has(hash)) violations.push(`lost: ${what}`)
  for (const d of docs) {
    if (d.status === 'conflict' && !CONFLICT_NAME.test(d.name)) violations.push(`conflict copy ${d.id} is named '${d.name}'`)
  }

  // One Document per windowsPath, conflict copies aside.
  const owners = new Map<string, string>()
  for (const d of docs) {
    if (d.status === 'conflict' || d.key === null) continue
    const other = owners.get(d.key)
    if (other !== undefined) violations.push(`duplicate: Documents ${other} and ${d.id} both sync ${d.key}`)
    owners.set(d.key, d.id)
  }

  // Every linked file has its Document with the same content (or a tombstone: deleted in EspoCRM, file kept).
  const live = docs.filter(d => d.status !== 'conflict' && d.status !== 'deleted')
  for (const f of files) {
    if (!linked.has(f.key)) continue
    const doc = live.find(d => d.key === f.key)
    if (doc === undefined) {
      if (tombstones.get(f.key) !== f.hash) violations.push(`linked file ${f.path} has no Document (and no tombstone)`)
    } else if (doc.hash !== f.hash) violations.push(`${f.path}: share and Document ${doc.id} differ`)
  }
  // ... and every live Document is a linked file with its content, recorded as synced.
  for (const d of live) {
    const file = d.key === null ? undefined : files.find(f => f.key === d.key)
    if (file === undefined) violations.push(`Document ${d.id} '${d.name}' (${d.status}) has no file on the share`)
    else {
      if (!linked.has(file.key)) violations.push(`Document ${d.id}: its file ${file.path} is not linked from the History`)
      if (d.status !== 'synced' || d.syncHash !== file.hash) violations.push(`Document ${d.id} '${d.name}' is ${d.status}, base ${d.syncHash.slice(0, 8)} vs file ${file.hash.slice(0, 8)}`)
    }
  }
  // A soft-deleted Document means its file left the share.
  for (const d of docs) {
    if (d.status === 'deleted' && d.key !== null && files.some(f => f.key === d.key && linked.has(f.key))) {
      violations.push(`Document ${d.id} is soft-deleted but ${d.key} is on the share`)
    }
  }
  return violations
}

function writesSince (ctx: RunContext, marks: number[]): string[] {
  const sims = [ctx.systems.espo, ctx.systems.advoware, ctx.systems.watcher]
  return sims.flatMap((sim, i) => sim.faults.calls.slice(marks[i]).filter(c => c.method !== 'GET' && !c.url.includes('/Token'))
    .map(c => `${c.method} ${c.url.split('?')[0] ?? ''}`))
}

export interface FinalOutcome {
  violations: string[]
  /** The mass-delete guard stopped the first fault-free run; an admin's force was needed. */
  forced: boolean
}

/** The fault-free sync, the invariants, and a dry run that must plan nothing and write nothing. */
export async function finish (ctx: RunContext): Promise<FinalOutcome> {
  clearFaults(ctx.systems)
  let summary = await runSync(ctx, ctx.akte.calm, [])
  const forced = summary.status === 'blocked'
  if (forced) summary = await runSync(ctx, ctx.akte.calm, [], { force: true })
  const violations: string[] = []
  if (summary.status !== 'synced') {
    violations.push(`fault-free sync ended ${summary.status}: ${summary.reason ?? ''} ${summary.errors.map(e => `${e.kind} ${e.path}: ${e.message}`).join('; ')}`)
  }
  violations.push(...await foreignBytes(ctx), ...await converged(ctx))

  const sims = [ctx.systems.espo, ctx.systems.advoware, ctx.systems.watcher]
  const marks = sims.map(sim => sim.faults.calls.length)
  const dry = await runSync(ctx, ctx.akte.calm, [], { dryRun: true })
  const planned = (dry.plan?.actions ?? []).filter(a => a.kind !== 'skip').map(a => `${a.kind} ${a.path}`)
  if (dry.status !== 'planned') violations.push(`dry run ended ${dry.status}: ${dry.reason ?? ''}`)
  if (planned.length > 0) violations.push(`a further sync would still act: ${planned.join('; ')}`)
  const writes = writesSince(ctx, marks)
  if (writes.length > 0) violations.push(`the dry run wrote: ${writes.join('; ')}`)
  return { violations, forced }
}
