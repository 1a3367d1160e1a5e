/**
 * What the simulator knows about each entity type: the few rules EspoCRM
 * enforces that the sync service can trip over (required fields, enums,
 * date formats, the Document file allow-list) and the link fields whose
 * `{link}Name` it fills in. Everything else is schemaless, so configured
 * custom field names (with or without the `c` prefix) just work.
 */
export interface FileFieldDef {
  /** Extensions with a dot (`.pdf`); empty means any type. */
  accept: string[]
}

export interface EntityDef {
  /** Field names; link-like fields (`file`, links) are checked via `{field}Id`. */
  required: string[]
  maxLength: Record<string, number>
  pattern: Record<string, RegExp>
  enums: Record<string, string[]>
  dates: string[]
  dateTimes: string[]
  /** Link name -> target entity type; attributes `{link}Id` and `{link}Name`. */
  links: Record<string, string>
  fileFields: Record<string, FileFieldDef>
  defaults: Record<string, unknown>
  /**
   * When set, attributes outside this list are silently dropped on write,
   * as EspoCRM does for fields that do not exist: a misnamed field then
   * loses data exactly like on a real instance.
   */
  attributes?: string[]
  orderBy: string
  order: 'asc' | 'desc'
  /** Whether records carry `versionNumber` (optimistic concurrency control). */
  versioned: boolean
}

export type EntityDefs = Record<string, EntityDef>

/** The Document file field's allow-list in a stock EspoCRM. */
export const DEFAULT_DOCUMENT_ACCEPT = [
  '.pdf', '.odt', '.ods', '.odp', '.docx', '.xlsx', '.pptx', '.doc', '.xls', '.ppt', '.rtf', '.csv', '.md', '.txt'
]

const USER_LINKS = { createdBy: 'User', modifiedBy: 'User', assignedUser: 'User' }

function def (partial: Partial<EntityDef>): EntityDef {
  return {
    required: [],
    maxLength: {},
    pattern: {},
    enums: {},
    dates: [],
    dateTimes: [],
    links: { ...USER_LINKS },
    fileFields: {},
    defaults: {},
    orderBy: 'createdAt',
    order: 'desc',
    versioned: true,
    ...partial
  }
}

export interface DefaultDefsInput {
  akteEntity: string
  /** Link name on Document pointing at the Akte entity, e.g. `akte` or `cAkte`. */
  documentAkteLink: string
  documentAccept: string[]
}

export function defaultEntityDefs (input: DefaultDefsInput): EntityDefs {
  return {
    Document: def({
      required: ['name', 'file', 'publishDate'],
      maxLength: { name: 255 },
      pattern: { name: /^[^<>=]+$/ },
      enums: {
        status: ['Draft', 'Active', 'Canceled', 'Expired'],
        type: ['', 'Contract', 'NDA', 'EULA', 'License Agreement']
      },
      dates: ['publishDate', 'expirationDate'],
      dateTimes: ['lastSync'],
      links: { ...USER_LINKS, [input.documentAkteLink]: input.akteEntity, file: 'Attachment', folder: 'DocumentFolder' },
      fileFields: { file: { accept: input.documentAccept } },
      defaults: { status: 'Active', type: '' }
    }),
    [input.akteEntity]: def({
      required: ['name'],
      maxLength: { name: 255 },
      dateTimes: ['lastSync']
    }),
    Attachment: def({
      links: { createdBy: 'User' },
      versioned: false
    }),
    Webhook: def({
      required: ['event', 'url'],
      links: { createdBy: 'User', modifiedBy: 'User', user: 'User' },
      defaults: { isActive: true, skipOwn: false },
      versioned: false
    })
  }
}

/** Overlays per-entity overrides; an override for an unknown entity adds it. */
export function mergeEntityDefs (base: EntityDefs, overrides: Record<string, Partial<EntityDef>> = {}): EntityDefs {
  const merged: EntityDefs = { ...base }
  for (const [entityType, partial] of Object.entries(overrides)) {
    merged[entityType] = { ...(merged[entityType] ?? def({})), ...partial }
  }
  return merged
}

/** The attribute carrying a field's value: `file` -> `fileId`, `name` -> `name`. */
export function fieldAttribute (entity: EntityDef, field: string): string {
  return field in entity.links || field in entity.fileFields ? `${field}Id` : field
}
