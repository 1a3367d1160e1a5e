import Type from 'typebox'

const Counts = Type.Record(Type.String(), Type.Integer())

/** A plan's action: the common fields; each kind carries more (see src/sync/types.ts), passed through as they are. */
const PlannedAction = Type.Object({
  kind: Type.String(),
  key: Type.String(),
  path: Type.String(),
  reason: Type.String(),
  direction: Type.String(),
  size: Type.Union([Type.Integer(), Type.Null()])
}, { additionalProperties: true })

export const PlanSchema = Type.Object({
  aktennummer: Type.String(),
  status: Type.String({ description: 'ok, archived or blocked' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  actions: Type.Array(PlannedAction),
  counts: Type.Object({ byKind: Counts, writes: Type.Integer(), bytesToEspo: Type.Integer(), bytesToWindows: Type.Integer() }, { additionalProperties: true }),
  createdAt: Type.String()
})

export const SyncSummarySchema = Type.Object({
  aktennummer: Type.String(),
  status: Type.String({ description: 'synced, partial, failed, blocked, archived, inactive, not-found or planned' }),
  reason: Type.Optional(Type.String()),
  transient: Type.Boolean(),
  dryRun: Type.Boolean(),
  forced: Type.Boolean(),
  counts: Counts,
  planned: Counts,
  bytes: Type.Object({ toEspo: Type.Integer(), toWindows: Type.Integer() }),
  errors: Type.Array(Type.Object({ key: Type.String(), path: Type.String(), kind: Type.String(), message: Type.String(), permanent: Type.Boolean() })),
  skipped: Type.Array(Type.Object({ key: Type.String(), path: Type.String(), kind: Type.String(), reason: Type.String() })),
  plan: Type.Optional(PlanSchema),
  durationMs: Type.Number(),
  startedAt: Type.String(),
  finishedAt: Type.String()
})
