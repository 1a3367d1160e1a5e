/**
 * The simulator's database: one table per entity type, rows kept after a
 * soft delete (`deleted: true`) so tests can still inspect them.
 */
export type Attrs = Record<string, unknown>

export interface StoredRow {
  attrs: Attrs
  deleted: boolean
}

export class RecordStore {
  private readonly tables = new Map<string, Map<string, StoredRow>>()

  private table (entityType: string): Map<string, StoredRow> {
    let table = this.tables.get(entityType)
    if (table === undefined) {
      table = new Map()
      this.tables.set(entityType, table)
    }
    return table
  }

  /** The live row (not a copy): callers in this folder mutate through it. */
  row (entityType: string, id: string, withDeleted = false): StoredRow | undefined {
    const row = this.table(entityType).get(id)
    if (row === undefined || (row.deleted && !withDeleted)) return undefined
    return row
  }

  rows (entityType: string, withDeleted = false): StoredRow[] {
    return [...this.table(entityType).values()].filter(r => withDeleted || !r.deleted)
  }

  insert (entityType: string, attrs: Attrs): StoredRow {
    const id = String(attrs.id)
    const row: StoredRow = { attrs, deleted: false }
    this.table(entityType).set(id, row)
    return row
  }

  /** Removes a row for good (attachments, dropped webhooks). */
  purge (entityType: string, id: string): void {
    this.table(entityType).delete(id)
  }

  entityTypes (): string[] {
    return [...this.tables.keys()]
  }
}

/** A deep copy, so callers never hold the simulator's own objects. */
export function copy<T> (value: T): T {
  return structuredClone(value)
}

/** Attribute equality as a write decides "changed": by JSON value. */
export function sameValue (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined) return a === b
  return JSON.stringify(a) === JSON.stringify(b)
}
