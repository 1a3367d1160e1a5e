/*
 * A tiny HTML template: every interpolated value is escaped unless it is
 * already Html (made by `html` itself or, for trusted constants, `trusted`).
 * Escaping by default means a forgotten call cannot open a hole: every
 * Aktennummer, error text and path on the dashboard comes from the store or
 * EspoCRM and may be hostile.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' }

export class Html {
  constructor (readonly value: string) {}
  toString (): string {
    return this.value
  }
}

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"'`]/g, char => ESCAPES[char] as string)
}

/** What may stand in a template: nested Html, text, numbers, lists of them; null and undefined render nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[]

function render (value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

export function html (strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return new Html(out)
}

/** Marks a constant written in this code base (CSS, the page script) as safe; never pass data through it. */
export function trusted (constant: string): Html {
  return new Html(constant)
}
