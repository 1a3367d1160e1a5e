import type { FastifyServerOptions } from 'fastify'

/**
 * Header and field names that carry credentials. Pino censors them wherever a
 * log line carries them; the code never logs the configuration object whole.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-hmac-authorization"]',
  'req.headers.signature',
  'req.headers["x-signature"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-hmac-authorization"]',
  '*.password',
  '*.Password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.apiKey',
  '*.secretKey',
  '*.secret'
]

export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' }
  }
}
