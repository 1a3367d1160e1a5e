import { existsSync } from 'node:fs'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { ConfigSchema, type AppConfig } from './schema.js'

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/**
 * Reads the configuration from the environment once, at start. Empty values
 * count as unset (a `.env` line `REDIS_URL=` means "no Redis"). Every problem
 * is reported together, each naming its variable and what it expects.
 */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(ConfigSchema.properties)
  const input: Record<string, string> = {}
  for (const name of known) {
    const value = env[name]
    if (value !== undefined && value.trim() !== '') input[name] = value.trim()
  }
  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, { ...input })) as Record<string, unknown>
  const problems = new Map<string, string>()
  // Checked one variable at a time: one clear line each, however many are wrong.
  for (const [name, schema] of Object.entries(ConfigSchema.properties) as Array<[string, TSchema & { description?: string, secret?: boolean }]>) {
    if (candidate[name] === undefined || Value.Check(schema, candidate[name])) continue
    const shown = schema.secret === true ? '(hidden)' : JSON.stringify(input[name] ?? '')
    problems.set(name, `${name}: expected ${schema.description ?? 'a valid value'}, got ${shown}`)
  }
  const config = candidate as unknown as AppConfig
  for (const problem of crossChecks(config)) problems.set(problem.name, problem.message)
  if (problems.size > 0) throw new ConfigError([...problems.values()])
  return config
}

function crossChecks (config: AppConfig): Array<{ name: string, message: string }> {
  const problems: Array<{ name: string, message: string }> = []
  for (const name of ['ESPOCRM_DOCUMENT_FIELDS', 'ESPOCRM_AKTE_FIELDS'] as const) {
    const value = config[name]
    if (value !== undefined && parseFieldOverrides(value) === undefined) {
      problems.push({ name, message: `${name}: expected a JSON object of attribute names, e.g. {"syncUsn":"cSyncUsn"}, got ${JSON.stringify(value)}` })
    }
  }
  if (config.ESPOCRM_AUTH === 'hmac' && config.ESPOCRM_URL !== undefined && config.ESPOCRM_SECRET_KEY === undefined) {
    problems.push({ name: 'ESPOCRM_SECRET_KEY', message: 'ESPOCRM_SECRET_KEY: expected the HMAC secret because ESPOCRM_AUTH=hmac, got nothing' })
  }
  return problems
}

/** Loads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv (path = '.env'): boolean {
  if (!existsSync(path)) return false
  process.loadEnvFile(path)
  return true
}

/** `{"domainField":"espoAttribute", ...}`; undefined when it is not such an object. */
export function parseFieldOverrides (value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return {}
  try {
    const parsed: unknown = JSON.parse(value)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    if (!Object.values(parsed).every(v => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) return undefined
    return parsed as Record<string, string>
  } catch {
    return undefined
  }
}
