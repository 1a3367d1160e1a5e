import Type from 'typebox'
import { AktennummerSchema } from '../../domain/aktennummer.js'

export const AkteParams = Type.Object({ aktennummer: AktennummerSchema })

export const QueueOverviewSchema = Type.Object({
  pending: Type.Array(Type.String()),
  processing: Type.Array(Type.Object({
    aktennummer: Type.String(),
    owner: Type.String(),
    leaseExpiresAt: Type.Integer(),
    leaseAgeMs: Type.Integer({ description: 'ms since the lease was last taken or renewed' })
  })),
  delayed: Type.Array(Type.Object({ aktennummer: Type.String(), dueAt: Type.Integer(), attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]) })),
  failed: Type.Array(Type.Object({ aktennummer: Type.String(), attempts: Type.Integer(), error: Type.String(), failedAt: Type.Integer() }))
})

export const EnqueueBody = Type.Object({
  aktennummern: Type.Array(AktennummerSchema, { minItems: 1, maxItems: 1000 })
}, { additionalProperties: false })

export const EnqueueResult = Type.Object({ enqueued: Type.Integer({ description: 'Aktennummern that were not already pending' }) })
export const RetryResult = Type.Object({ aktennummer: Type.String(), retried: Type.Literal(true) })
export const ForceResult = Type.Object({ aktennummer: Type.String(), forced: Type.Literal(true) })
