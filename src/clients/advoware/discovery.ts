import { ExternalError } from '../errors.js'

/** Where a Kanzlei's Advoware lives, as the AdvonetConfigurator announces it. */
export interface AdvowareEndpoints {
  /** connectorUrl when announced, else relayUrl; ends in `/`. */
  apiBase: string
  /** Token endpoint host; ends in `/`. */
  securityGateway: string
}

function protocolError (message: string): ExternalError {
  return new ExternalError({ system: 'advoware', kind: 'protocol', operation: 'discovery', message: `advoware discovery: ${message}` })
}

/** Absolute http(s) URL ending in `/`, or undefined when the field is unset. */
export function baseUrlOf (value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined
  if (typeof value !== 'string') throw protocolError(`${field} is not a URL`)
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw protocolError(`${field} is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw protocolError(`${field} is not an http(s) URL`)
  const text = url.toString()
  return text.endsWith('/') ? text : `${text}/`
}

/**
 * Once a connector is announced the relay may refuse calls, so the
 * connector wins whenever it is set.
 */
export function endpointsFromDiscovery (raw: unknown): AdvowareEndpoints {
  if (typeof raw !== 'object' || raw === null) throw protocolError('answer is not an object')
  const wire = raw as Record<string, unknown>
  const apiBase = baseUrlOf(wire.connectorUrl, 'connectorUrl') ?? baseUrlOf(wire.relayUrl, 'relayUrl')
  const securityGateway = baseUrlOf(wire.securityGateway, 'securityGateway')
  if (apiBase === undefined) throw protocolError('neither connectorUrl nor relayUrl is set')
  if (securityGateway === undefined) throw protocolError('securityGateway is not set')
  return { apiBase, securityGateway }
}
