import { ExternalError } from '../errors.js'
import type { AdvowareAkte, HistoryEntry, NewHistoryEntry } from '../../domain/types.js'

/**
 * Advoware's Akte and History JSON as we assume it (contracts.md section 2:
 * no public schema). Every wire field name lives here and can be overridden
 * by configuration once the firm's connector `/swagger` says otherwise.
 */
export interface WireFields {
  akteId: string
  aktennummer: string
  /** 0 = active, 1 = archived (abgelegt). */
  ablage: string
  ablagedatum: string
  historyId: string
  datum: string
  text: string
  art: string
  datei: string
}

export const DEFAULT_FIELDS: WireFields = {
  akteId: 'id',
  aktennummer: 'aktennummer',
  ablage: 'ablage',
  ablagedatum: 'ablagedatum',
  historyId: 'id',
  datum: 'datum',
  text: 'text',
  art: 'art',
  datei: 'datei'
}

type WireObject = Record<string, unknown>

function protocolError (operation: string, message: string): ExternalError {
  return new ExternalError({ system: 'advoware', kind: 'protocol', operation, message: `advoware ${operation}: ${message}` })
}

function asObject (value: unknown, operation: string): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw protocolError(operation, 'answer is not an object')
  return value as WireObject
}

/** Ids may come as numbers or strings; the domain keeps strings. */
function idOf (value: unknown, field: string, operation: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'string' && value !== '') return value
  throw protocolError(operation, `field ${field} is not an id`)
}

function stringOf (value: unknown, field: string, operation: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  throw protocolError(operation, `field ${field} is not a string`)
}

/** Missing, null and empty all mean "none" (an entry without datei links no file). */
function optionalString (value: unknown, field: string, operation: string): string | null {
  if (value === undefined || value === null || value === '') return null
  return stringOf(value, field, operation)
}

function archivedOf (value: unknown, field: string, operation: string): boolean {
  if (value === 0 || value === false || value === null || value === undefined) return false
  if (value === 1 || value === true) return true
  throw protocolError(operation, `field ${field} is neither 0 nor 1`)
}

export function akteFromWire (raw: unknown, fields: WireFields, operation = 'get Akte'): AdvowareAkte {
  const wire = asObject(raw, operation)
  return {
    id: idOf(wire[fields.akteId], fields.akteId, operation),
    aktennummer: stringOf(wire[fields.aktennummer], fields.aktennummer, operation),
    archived: archivedOf(wire[fields.ablage], fields.ablage, operation),
    archivedAt: optionalString(wire[fields.ablagedatum], fields.ablagedatum, operation)
  }
}

export function historyEntryFromWire (raw: unknown, fields: WireFields, operation = 'list History'): HistoryEntry {
  const wire = asObject(raw, operation)
  return {
    id: idOf(wire[fields.historyId], fields.historyId, operation),
    datum: stringOf(wire[fields.datum], fields.datum, operation),
    text: optionalString(wire[fields.text], fields.text, operation) ?? '',
    art: optionalString(wire[fields.art], fields.art, operation) ?? '',
    datei: optionalString(wire[fields.datei], fields.datei, operation)
  }
}

export function historyFromWire (raw: unknown, fields: WireFields, operation = 'list History'): HistoryEntry[] {
  if (!Array.isArray(raw)) throw protocolError(operation, 'answer is not a list')
  return raw.map(item => historyEntryFromWire(item, fields, operation))
}

export function newHistoryEntryToWire (entry: NewHistoryEntry, fields: WireFields): WireObject {
  return {
    [fields.datum]: entry.datum,
    [fields.text]: entry.text,
    [fields.art]: entry.art,
    [fields.datei]: entry.datei
  }
}

/**
 * The created entry. The answer's shape is assumed, so fields it leaves out
 * are taken from what we sent; only the id is indispensable.
 */
export function createdHistoryEntryFromWire (raw: unknown, sent: NewHistoryEntry, fields: WireFields, operation = 'create History'): HistoryEntry {
  const wire = asObject(raw, operation)
  const merged: WireObject = { ...newHistoryEntryToWire(sent, fields), ...wire }
  return historyEntryFromWire(merged, fields, operation)
}
