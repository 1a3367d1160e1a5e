import fc from 'fast-check'
import t from 'tap'
import { documentsNeedingHash } from '../../src/sync/document-hash.js'
import { fileKey } from '../../src/sync/paths.js'
import { applyPlanToModel, type SyncModel } from '../../src/sync/simulate.js'
import type { Plan } from '../../src/sync/types.js'
import { buildWorld, planModel, worldSpec, type Edits } from './helpers/world.js'

/*
 * Properties over random worlds (fast-check prints the seed and the shrunk
 * counterexample on failure; replay with { seed, path }).
 */

const RUNS = Number(process.env['SYNC_PROPERTY_RUNS'] ?? 300)

function lostEdits (edits: Edits, after: SyncModel): string[] {
  const hashOf = (fileId: string | null): string | undefined => (fileId === null ? undefined : after.attachments[fileId])
  const conflictCopies = new Set(after.documents.filter(d => d.fileStatus === 'conflict').map(d => hashOf(d.fileId)))
  const lost: string[] = []
  for (const edit of edits.windows) {
    const synced = after.documents.some(d =>
      d.fileStatus !== 'conflict' && d.fileStatus !== 'deleted' && d.windowsPath !== null &&
      fileKey(d.windowsPath) === edit.key && hashOf(d.fileId) === edit.hash)
    if (!synced && !conflictCopies.has(edit.hash)) lost.push(`Windows edit ${edit.key}=${edit.hash}`)
  }
  for (const edit of edits.espo) {
    const doc = after.documents.find(d => d.id === edit.documentId)
    const path = doc?.windowsPath ?? null
    const onShare = path !== null && after.files.some(f => fileKey(f.path) === fileKey(path) && f.blake3Hash === edit.hash)
    if (!onShare && !conflictCopies.has(edit.hash)) lost.push(`EspoCRM edit ${edit.documentId}=${edit.hash}`)
  }
  return lost
}

/** JSON would silently drop `undefined`: a plan must not hold any. */
function undefinedAt (value: unknown, path = 'plan'): string | null {
  if (value === undefined) return path
  if (value === null || typeof value !== 'object') return null
  for (const [key, inner] of Object.entries(value)) {
    const found = undefinedAt(inner, `${path}.${key}`)
    if (found !== null) return found
  }
  return null
}

function writes (plan: Plan): string[] {
  return plan.actions.filter(a => a.kind !== 'skip').map(a => `${a.kind} ${a.path}`)
}

t.test('no edit is lost, preconditions hold, and a second plan is quiet', async t => {
  fc.assert(fc.property(worldSpec, spec => {
    const { model, edits } = buildWorld(spec)
    const plan = planModel(model)
    const { model: after, violations } = applyPlanToModel(model, plan)
    if (violations.length > 0) throw new Error(`violations: ${violations.join('; ')}`)
    const lost = lostEdits(edits, after)
    if (lost.length > 0) throw new Error(`lost: ${lost.join('; ')}`)
    const again = planModel(after)
    if (writes(again).length > 0) throw new Error(`second plan still acts: ${writes(again).join('; ')}`)
    // Hashing means downloading: once synced, only a soft-deleted Document given a new attachment with the old content is hashed again.
    const rehashed = documentsNeedingHash(after.documents, after.state).filter(d => d.fileStatus !== 'deleted')
    if (rehashed.length > 0) throw new Error(`still to hash every run: ${rehashed.map(d => d.id).join(', ')}`)
  }), { numRuns: RUNS })
  t.pass(`${RUNS} random worlds`)
})

t.test('a propagation that stops anywhere loses nothing, and the next runs finish the job', async t => {
  const stop = fc.record({ at: fc.nat({ max: 12 }), step: fc.constantFrom(1 as const, 2 as const) })
  fc.assert(fc.property(worldSpec, stop, (spec, { at, step }) => {
    const { model, edits } = buildWorld(spec)
    const plan = planModel(model)
    const interrupted = applyPlanToModel(model, plan, { action: at, step })
    const second = applyPlanToModel(interrupted.model, planModel(interrupted.model))
    const violations = [...interrupted.violations, ...second.violations]
    if (violations.length > 0) throw new Error(`violations: ${violations.join('; ')}`)
    const lost = lostEdits(edits, second.model)
    if (lost.length > 0) throw new Error(`lost: ${lost.join('; ')}`)
    const third = planModel(second.model)
    if (writes(third).length > 0) throw new Error(`third plan still acts: ${writes(third).join('; ')}`)
    const copies = second.model.documents.filter(d => d.fileStatus === 'conflict').length
    if (copies > plan.counts.byKind.conflict) throw new Error('a conflict copy was made twice')
  }), { numRuns: RUNS })
  t.pass()
})

t.test('plans are plain JSON and do not depend on input order', async t => {
  fc.assert(fc.property(worldSpec, spec => {
    const { model } = buildWorld(spec)
    const plan = planModel(model)
    const reversed = planModel({ ...model, files: [...model.files].reverse(), documents: [...model.documents].reverse(), history: [...model.history].reverse() })
    const json = JSON.stringify(plan)
    const hole = undefinedAt(plan)
    if (hole !== null) throw new Error(`undefined at ${hole}`)
    if (JSON.stringify(reversed) !== json) throw new Error('plan depends on input order')
  }), { numRuns: RUNS })
  t.pass()
})

t.test('without force, a blocked plan holds no action; with force nothing is blocked', async t => {
  fc.assert(fc.property(worldSpec, spec => {
    const { model } = buildWorld(spec)
    const guarded = planModel(model, { force: false })
    if (guarded.status === 'blocked' && guarded.actions.length > 0) throw new Error('blocked plan has actions')
    const forced = planModel(model, { force: true })
    if (forced.status !== 'ok') throw new Error(`forced plan is ${forced.status}`)
    if (guarded.status === 'ok' && JSON.stringify(guarded.actions) !== JSON.stringify(forced.actions)) throw new Error('guard changed actions')
  }), { numRuns: RUNS })
  t.pass()
})
