import { isObject, isUnsafeKey } from './format.js'

/**
 * PHP-style query string parsing (`where[0][value][]=a`), which Fastify's
 * default parser does not do and EspoCRM's list API depends on. Objects whose
 * keys are all integers become arrays, as PHP arrays iterate the same way.
 */
const MAX_DEPTH = 64

function decode (text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** `where[0][type]` -> ['where', '0', 'type']; `a[]` -> ['a', '']. */
function splitKey (key: string): string[] {
  const open = key.indexOf('[')
  if (open <= 0) return [key]
  const parts = [key.slice(0, open)]
  const pattern = /\[([^\]]*)\]/gy
  pattern.lastIndex = open
  let match: RegExpExecArray | null
  let end = open
  while ((match = pattern.exec(key)) !== null && parts.length <= MAX_DEPTH) {
    parts.push(match[1] ?? '')
    end = pattern.lastIndex
  }
  // PHP keeps anything after the last bracket pair out of the key
  if (end === open) return [key]
  return parts
}

type Node = Record<string, unknown>

function assign (target: Node, path: string[], value: string): void {
  let node = target
  for (let i = 0; i < path.length; i++) {
    let part = path[i] ?? ''
    if (isUnsafeKey(part)) return
    const last = i === path.length - 1
    if (part === '') part = String(nextIndex(node))
    if (last) {
      node[part] = value
      return
    }
    const child = node[part]
    if (!isObject(child)) node[part] = {}
    node = node[part] as Node
  }
}

function nextIndex (node: Node): number {
  let next = 0
  for (const key of Object.keys(node)) {
    if (/^\d+$/.test(key)) next = Math.max(next, Number(key) + 1)
  }
  return next
}

/** Turns `{0: x, 1: y}` into `[x, y]`, deeply. */
function listify (value: unknown): unknown {
  if (!isObject(value)) return value
  const keys = Object.keys(value)
  const converted: Node = {}
  for (const key of keys) converted[key] = listify(value[key])
  if (keys.length > 0 && keys.every(k => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map(k => converted[k])
  }
  return converted
}

export function parseQueryString (query: string): Record<string, unknown> {
  const root: Node = {}
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = decode(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    if (key === '') continue
    assign(root, splitKey(key), value)
  }
  const result: Node = {}
  for (const key of Object.keys(root)) result[key] = listify(root[key])
  return result
}
