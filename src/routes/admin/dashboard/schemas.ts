import Type from 'typebox'
import { ErrorBody } from '../../../http/schemas.js'

/* Schemas of the dashboard's routes: the HTML pages (documented as text/html) and the Akten list. */

/** An HTML page; the route sends it as a string with its own content type, unserialised. */
export function htmlPage (description: string) {
  return { description, content: { 'text/html': { schema: Type.String() } } }
}

export function jsonError (description: string) {
  return { description, content: { 'application/json': { schema: ErrorBody } } }
}

/** A redirect without a body; the Location header names the target. */
export function redirect (description: string) {
  return Type.Null({ description })
}

export const LoginBody = Type.Object({
  token: Type.String({ maxLength: 1024, description: 'ADMIN_TOKEN' })
})

export const LogoutBody = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 256, description: 'the CSRF token of the dashboard page' }))
})

export const AkteErrorSchema = Type.Object({
  path: Type.String({ description: 'the file, relative to the Akte folder; empty when the error concerns the Akte' }),
  message: Type.String(),
  permanent: Type.Boolean({ description: 'true: retrying will not help while the file stays the same' })
})

export const AkteResultSchema = Type.Object({
  aktennummer: Type.String(),
  status: Type.String({ description: "synced, partial, failed, blocked, archived, inactive, not-found, ... ('unknown' when the stored result has none)" }),
  reason: Type.Union([Type.String(), Type.Null()]),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'actions of the run per kind (zeros left out)' }),
  bytes: Type.Object({ toEspo: Type.Integer(), toWindows: Type.Integer() }),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  forced: Type.Boolean({ description: 'the run went past the mass-delete guard' }),
  skipped: Type.Integer({ description: 'actions left because a precondition no longer held' }),
  errors: Type.Array(AkteErrorSchema, { description: 'the first 20 errors of the run' }),
  errorCount: Type.Integer({ description: 'all errors of the run' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
})

export const AktenQuery = Type.Object({
  status: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$', description: 'only Akten whose last result has this status, e.g. blocked' })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: 'at most this many Akten, newest first (1-9999, default 500)' }))
}, { additionalProperties: false })

export const AktenList = Type.Object({
  total: Type.Integer({ description: 'Akten matching the filter, before the limit' }),
  akten: Type.Array(AkteResultSchema, { description: 'newest result first' })
})
