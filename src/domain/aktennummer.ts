import Type from 'typebox'

/**
 * What an Aktennummer may look like on every way in (webhooks, admin API,
 * CLI): letters, digits, space, `.`, `_`, `-` and `/` (Advoware numbers like
 * `12/2026`), 1-64 characters, no `..`, no leading or trailing space or
 * slash. Anything else never reaches the store.
 */
export const AKTENNUMMER_PATTERN = '^(?!.*\\.\\.)(?![ /])[\\p{L}\\p{N} ._/-]{1,64}(?<![ /])$'
const aktennummerRegex = new RegExp(AKTENNUMMER_PATTERN, 'u')

export const AktennummerSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: AKTENNUMMER_PATTERN,
  description: 'An Aktennummer: letters, digits, space . _ - /, 1-64 characters'
})

export function isValidAktennummer (value: unknown): value is string {
  return typeof value === 'string' && value.normalize('NFC') === value && aktennummerRegex.test(value)
}

/** Throws a readable error for CLI and programmatic callers. */
export function assertAktennummer (value: unknown): string {
  if (!isValidAktennummer(value)) throw new RangeError(`not a valid Aktennummer: ${JSON.stringify(String(value).slice(0, 80))} (letters, digits, space . _ - /, 1-64 characters)`)
  return value
}
