/**
 * `json_encode()` with PHP's default flags, byte for byte: `/` becomes `\/`,
 * everything outside ASCII becomes `\uXXXX` (lowercase hex, UTF-16 units),
 * control characters use the short escapes where JSON has them. Webhook
 * signatures are computed over exactly these bytes, so a receiver that
 * re-serialises the parsed body instead of hashing the raw body fails here
 * just as it would against EspoCRM.
 */
const SHORT: Record<number, string> = {
  0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x2f: '\\/', 0x5c: '\\\\'
}

function hex4 (code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0')
}

export function phpString (value: string): string {
  let out = '"'
  let start = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x2f && code !== 0x5c) continue
    out += value.slice(start, i)
    out += SHORT[code] ?? (code === 0x7f ? '\x7f' : hex4(code))
    start = i + 1
  }
  return out + value.slice(start) + '"'
}

/** PHP prints floats with serialize_precision -1: like JS, but `1.0e+25`. */
function phpNumber (value: number): string {
  if (!Number.isFinite(value)) return '0'
  const text = String(value)
  const e = text.indexOf('e')
  if (e === -1 || text.slice(0, e).includes('.')) return text
  return `${text.slice(0, e)}.0${text.slice(e)}`
}

export function phpJsonEncode (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return phpString(value)
    case 'number': return phpNumber(value)
    case 'boolean': return value ? 'true' : 'false'
    case 'bigint': return value.toString()
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(v => phpJsonEncode(v)).join(',') + ']'
      const parts: string[] = []
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined || typeof item === 'function') continue
        parts.push(phpString(key) + ':' + phpJsonEncode(item))
      }
      return '{' + parts.join(',') + '}'
    }
    default: return 'null'
  }
}
