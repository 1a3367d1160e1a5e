import { HttpClient, type HttpRequest } from '../http-client.js'
import { ExternalError } from '../errors.js'
import type { AdvowareAkte, HistoryEntry, NewHistoryEntry } from '../../domain/types.js'
import { baseUrlOf, endpointsFromDiscovery, type AdvowareEndpoints } from './discovery.js'
import { akteFromWire, createdHistoryEntryFromWire, DEFAULT_FIELDS, historyFromWire, newHistoryEntryToWire, type WireFields } from './mapping.js'
import {
  DEFAULT_DISCOVERY_URL, DEFAULT_PATHS, DEFAULT_PRODUCT, DEFAULT_ROLE, DEFAULT_TOKEN_REFRESH_MARGIN_MS, expandPath,
  type AdvowareClientOptions, type AdvowarePaths, type Clock
} from './options.js'
import { decodeApiKey, tokenRequestBody, type AdvowareCredentials } from './signature.js'
import { TokenCache, tokenFromResponse, type CachedToken } from './token-cache.js'

type ApiRequest = Omit<HttpRequest, 'path' | 'headers'> & { path: string }

/**
 * Advoware's REST API: discovery, HMAC-signed token and the Akte/History
 * calls. Discovery, gateway and API base are different origins, so it keeps
 * one HttpClient (one pool) per origin, created when first needed.
 */
export class AdvowareClient {
  private readonly options: AdvowareClientOptions
  private readonly credentials: AdvowareCredentials
  private readonly paths: AdvowarePaths
  private readonly fields: WireFields
  private readonly clock: Clock
  private readonly tokens: TokenCache
  private readonly clients = new Map<string, HttpClient>()
  private endpoints: Promise<AdvowareEndpoints> | undefined
  private readonly configured: Partial<AdvowareEndpoints>

  constructor (options: AdvowareClientOptions) {
    this.options = options
    this.credentials = {
      appId: options.appId,
      kanzlei: options.kanzlei,
      database: options.database,
      user: options.user,
      role: options.role ?? DEFAULT_ROLE,
      product: options.product ?? DEFAULT_PRODUCT,
      password: options.password,
      key: decodeApiKey(options.apiKey)
    }
    this.paths = { ...DEFAULT_PATHS, ...options.paths }
    this.fields = { ...DEFAULT_FIELDS, ...options.fields }
    this.clock = options.clock ?? Date.now
    this.configured = {
      apiBase: configuredUrl(options.baseUrl, 'baseUrl'),
      securityGateway: configuredUrl(options.securityGatewayUrl, 'securityGatewayUrl')
    }
    const margin = options.tokenRefreshMarginMs ?? DEFAULT_TOKEN_REFRESH_MARGIN_MS
    this.tokens = new TokenCache(async () => await this.fetchToken(margin), this.clock)
  }

  async getAkte (akteId: string): Promise<AdvowareAkte> {
    const raw = await this.authorized({ operation: 'get Akte', method: 'GET', path: expandPath(this.paths.akte, akteId) })
    return akteFromWire(raw, this.fields)
  }

  async listHistory (akteId: string): Promise<HistoryEntry[]> {
    const raw = await this.authorized({ operation: 'list History', method: 'GET', path: expandPath(this.paths.history, akteId) })
    return historyFromWire(raw, this.fields)
  }

  async createHistoryEntry (akteId: string, entry: NewHistoryEntry): Promise<HistoryEntry> {
    const raw = await this.authorized({
      operation: 'create History',
      method: 'POST',
      path: expandPath(this.paths.history, akteId),
      body: JSON.stringify(newHistoryEntryToWire(entry, this.fields))
    })
    return createdHistoryEntryFromWire(raw, entry, this.fields)
  }

  /** The API base and gateway in use (runs discovery when needed). */
  async resolveEndpoints (): Promise<AdvowareEndpoints> {
    const { apiBase, securityGateway } = this.configured
    if (apiBase !== undefined && securityGateway !== undefined) return { apiBase, securityGateway }
    this.endpoints ??= this.discover().catch((error: unknown) => {
      this.endpoints = undefined
      throw error
    })
    return await this.endpoints
  }

  async close (): Promise<void> {
    const clients = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(clients.map(async client => { await client.close() }))
  }

  /**
   * A base that refuses or cannot be reached may have been replaced (the relay
   * answers 403 once a connector is announced): discovery is asked again and
   * the call repeated there once, if that cannot create anything twice.
   */
  private async authorized (req: ApiRequest): Promise<unknown> {
    const { apiBase } = await this.resolveEndpoints()
    try {
      return await this.withToken(apiBase, req)
    } catch (error) {
      const moved = await this.movedBase(apiBase, error)
      const repeatable = req.method === 'GET' || (error instanceof ExternalError && error.kind === 'forbidden')
      if (moved === undefined || !repeatable) throw error
      return await this.withToken(moved, req)
    }
  }

  /**
   * A 401 means the token was revoked or expired early: one fresh token and
   * one more try, then the refusal stands (never a loop, see contracts.md).
   */
  private async withToken (apiBase: string, req: ApiRequest): Promise<unknown> {
    const token = await this.tokens.get()
    try {
      return await this.send(apiBase, req, token)
    } catch (error) {
      if (!(error instanceof ExternalError) || error.kind !== 'auth') throw error
      this.tokens.invalidate(token)
      return await this.send(apiBase, req, await this.tokens.get())
    }
  }

  private async send (base: string, req: ApiRequest, token: string): Promise<unknown> {
    const { client, path, query } = this.locate(new URL(req.path, base).toString())
    return await client.json<unknown>({
      ...req,
      path,
      query: { ...query, ...req.query },
      headers: {
        authorization: `Bearer ${token}`,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {})
      }
    })
  }

  /** The base discovery announces now, when it differs from the one that failed. */
  private async movedBase (failedBase: string, error: unknown): Promise<string | undefined> {
    if (this.configured.apiBase !== undefined || !(error instanceof ExternalError)) return undefined
    if (error.kind !== 'forbidden' && error.kind !== 'network' && error.kind !== 'timeout') return undefined
    this.endpoints = undefined
    try {
      const { apiBase } = await this.resolveEndpoints()
      return apiBase === failedBase ? undefined : apiBase
    } catch {
      return undefined
    }
  }

  private async discover (): Promise<AdvowareEndpoints> {
    const { client, path, query } = this.locate(this.options.discoveryUrl ?? DEFAULT_DISCOVERY_URL)
    const raw = await client.json<unknown>({ operation: 'discovery', method: 'GET', path, query: { ...query, Kanzlei: this.credentials.kanzlei } })
    const discovered = endpointsFromDiscovery(raw)
    return {
      apiBase: this.configured.apiBase ?? discovered.apiBase,
      securityGateway: this.configured.securityGateway ?? discovered.securityGateway
    }
  }

  /**
   * Only a refused connection or a 429/503 repeats the POST (HttpClient's rule
   * for non-idempotent calls): those prove the nonce was never consumed.
   */
  private async fetchToken (marginMs: number): Promise<CachedToken> {
    const { securityGateway } = await this.resolveEndpoints()
    const { client, path } = this.locate(new URL('api/v1/Token', securityGateway).toString())
    const body = tokenRequestBody(this.credentials, this.clock(), this.options.nonce?.())
    const raw = await client.json<unknown>({
      operation: 'token',
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    return tokenFromResponse(raw, this.clock(), marginMs)
  }

  /** The HttpClient for a URL's origin, and the URL's path and query for it. */
  private locate (absolute: string): { client: HttpClient, path: string, query: Record<string, string> } {
    const url = new URL(absolute)
    let client = this.clients.get(url.origin)
    if (client === undefined) {
      client = new HttpClient({
        system: 'advoware',
        baseUrl: `${url.origin}/`,
        timeouts: this.options.timeouts,
        retry: this.options.retry,
        observer: this.options.observer,
        dispatcher: this.options.dispatcher
      })
      this.clients.set(url.origin, client)
    }
    return { client, path: url.pathname, query: Object.fromEntries(url.searchParams) }
  }
}

function configuredUrl (value: string | undefined, field: string): string | undefined {
  try {
    return baseUrlOf(value, field)
  } catch {
    throw new Error(`advoware ${field} is not an http(s) URL`)
  }
}
