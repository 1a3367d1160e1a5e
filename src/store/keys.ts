/**
 * Redis key names. The three from the original implementation keep their
 * exact names (existing producers run `SADD advoware:pending_aktennummern`).
 */
export interface StoreKeys {
  pending: string
  processing: string
  leases: string
  owners: string
  delayed: string
  attempts: string
  lastErrors: string
  failed: string
  globalLock: string
  akteLock: (aktennummer: string) => string
  state: (namespace: string) => string
}

export function storeKeys (prefix = ''): StoreKeys {
  return {
    pending: `${prefix}advoware:pending_aktennummern`,
    processing: `${prefix}advoware:processing_aktennummern`,
    leases: `${prefix}advoware:processing_leases`,
    owners: `${prefix}advoware:processing_owners`,
    delayed: `${prefix}advoware:delayed_aktennummern`,
    attempts: `${prefix}advoware:attempts`,
    lastErrors: `${prefix}advoware:last_errors`,
    failed: `${prefix}advoware:failed_aktennummern`,
    globalLock: `${prefix}advoware_document_sync_global`,
    akteLock: (aktennummer) => `${prefix}advoware_document_sync:${aktennummer}`,
    state: (namespace) => `${prefix}advoware:state:${namespace}`
  }
}
