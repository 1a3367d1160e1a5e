import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import { Faults } from '../faults.js'
import { registerAdvowareControl } from './control.js'
import { CONNECTOR_PREFIX, RELAY_PREFIX, registerApi, registerDiscoveryAndToken } from './routes.js'
import { AdvowareState } from './state.js'
import type { AdvowareCounters, AkteWire, HistoryWire, NewHistoryWire, SeedAkte } from './state.js'
import { TokenIssuer } from './tokens.js'
import type { AdvowareCredentials } from './tokens.js'

export interface AdvowareSimulatorOptions {
  host?: string
  /** 0 (default) picks a free port. */
  port?: number
  /** Base of the URLs discovery announces; defaults to the scheme and Host of the discovery request. */
  publicUrl?: string
  /** Announce a connectorUrl (default true); null otherwise, and the relay is the API base. */
  announceConnector?: boolean
  /** With a connector announced, the relay answers 403 (default true). */
  relayRefusesWhenConnector?: boolean
  credentials?: AdvowareCredentials[]
  tokenLifetimeSeconds?: number
  /** Allowed distance of RequestTimeStamp from the simulator's clock (default 300 s). */
  skewSeconds?: number
  akten?: SeedAkte[]
  logger?: boolean
}

/** Credentials seeded when none are given; tests sign with these. */
export const DEFAULT_ADVOWARE_CREDENTIALS: AdvowareCredentials = {
  appId: 'sim-app',
  apiKey: Buffer.from('advoware-simulator-api-key-0123456789').toString('base64'),
  kanzlei: 'SIMKANZLEI',
  database: 'SIMDB',
  user: 'syncuser',
  password: 'sync-password'
}

export class AdvowareSimulator {
  readonly app: FastifyInstance
  readonly faults = new Faults()
  readonly state = new AdvowareState()
  readonly tokens: TokenIssuer
  readonly settings: { announceConnector: boolean, relayRefusesWhenConnector: boolean, publicUrl?: string }
  /** Added to the wall clock for token expiry and timestamp checks: expiry tests need no sleeping. */
  clockOffsetMs = 0
  private address: string | undefined

  constructor (private readonly options: AdvowareSimulatorOptions = {}) {
    this.settings = {
      announceConnector: options.announceConnector ?? true,
      relayRefusesWhenConnector: options.relayRefusesWhenConnector ?? true,
      publicUrl: options.publicUrl
    }
    this.tokens = new TokenIssuer({
      credentials: [...(options.credentials ?? [DEFAULT_ADVOWARE_CREDENTIALS])],
      lifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      skewSeconds: options.skewSeconds ?? 300,
      now: () => this.now()
    })
    for (const akte of options.akten ?? []) this.state.seedAkte(akte)

    // forceCloseConnections: a hang fault must not keep close() waiting.
    this.app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true })
    this.faults.install(this.app)
    const ctx = { state: this.state, tokens: this.tokens, settings: this.settings }
    registerDiscoveryAndToken(this.app, ctx)
    registerApi(this.app, ctx, RELAY_PREFIX)
    registerApi(this.app, ctx, CONNECTOR_PREFIX)
    registerAdvowareControl(this.app, this)
  }

  /** Starts listening; resolves to the base URL (no trailing slash), e.g. `http://127.0.0.1:41234`. */
  async listen (): Promise<string> {
    this.address = await this.app.listen({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? 0 })
    return this.address
  }

  get url (): string {
    if (this.address === undefined) throw new Error('Advoware simulator is not listening')
    return this.address
  }

  /** The discovery URL a client is configured with. */
  discoveryUrl (kanzlei = DEFAULT_ADVOWARE_CREDENTIALS.kanzlei): string {
    return `${this.url}/AdvonetConfigurator/api/Url?Kanzlei=${encodeURIComponent(kanzlei)}`
  }

  async close (): Promise<void> {
    await this.app.close()
  }

  now (): number {
    return Date.now() + this.clockOffsetMs
  }

  advanceClock (ms: number): void {
    this.clockOffsetMs += ms
  }

  get counters (): AdvowareCounters {
    return { ...this.state.counters }
  }

  get tokenRequestCount (): number {
    return this.state.counters.tokenRequests
  }

  seedAkte (seed: SeedAkte): AkteWire {
    return this.state.seedAkte(seed)
  }

  archiveAkte (akteId: number, at?: string): AkteWire {
    return this.state.archiveAkte(akteId, at)
  }

  history (akteId: number): HistoryWire[] {
    return this.state.history(akteId)
  }

  addHistory (akteId: number, entry: NewHistoryWire): HistoryWire {
    return this.state.addHistory(akteId, entry)
  }

  expireAllTokens (): void {
    this.tokens.expireAll()
  }

  setConnectorAnnounced (announce: boolean): void {
    this.settings.announceConnector = announce
  }

  reset (): void {
    this.state.reset()
    this.tokens.expireAll()
    this.faults.reset()
    this.clockOffsetMs = 0
  }
}

export function createAdvowareSimulator (options: AdvowareSimulatorOptions = {}): AdvowareSimulator {
  return new AdvowareSimulator(options)
}
