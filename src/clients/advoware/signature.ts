import { createHmac, randomUUID } from 'node:crypto'

/** What the token request proves and who it is for. */
export interface AdvowareCredentials {
  appId: string
  kanzlei: string
  database: string
  user: string
  role: number
  product: number
  password: string
  /** The decoded API key. */
  key: Buffer
}

/** Body of `POST {securityGateway}api/v1/Token`, field names as the gateway spells them. */
export interface TokenRequestBody {
  AppID: string
  Kanzlei: string
  Database: string
  User: string
  Role: number
  Product: number
  Password: string
  Nonce: string
  HMAC512Signature: string
  RequestTimeStamp: string
}

/** Refuses a key that is not base64 without ever echoing it. */
export function decodeApiKey (apiKey: string): Buffer {
  const trimmed = apiKey.trim()
  if (trimmed === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error('advoware apiKey is not base64')
  return Buffer.from(trimmed, 'base64')
}

/** base64(HMAC-SHA512(key, "{Product}:{AppID}:{Nonce}:{RequestTimeStamp}")). */
export function tokenSignature (key: Buffer, product: number, appId: string, nonce: string, timestamp: string): string {
  return createHmac('sha512', key).update(`${product}:${appId}:${nonce}:${timestamp}`, 'utf8').digest('base64')
}

/**
 * A fresh body per request: the gateway takes each nonce once, and the
 * signature covers exactly the timestamp string sent.
 */
export function tokenRequestBody (credentials: AdvowareCredentials, nowMs: number, nonce: string = randomUUID()): TokenRequestBody {
  const timestamp = new Date(nowMs).toISOString()
  return {
    AppID: credentials.appId,
    Kanzlei: credentials.kanzlei,
    Database: credentials.database,
    User: credentials.user,
    Role: credentials.role,
    Product: credentials.product,
    Password: credentials.password,
    Nonce: nonce,
    HMAC512Signature: tokenSignature(credentials.key, credentials.product, credentials.appId, nonce, timestamp),
    RequestTimeStamp: timestamp
  }
}
