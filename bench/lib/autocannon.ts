import { loadOptional } from './optional.js'

/*
 * autocannon is a devDependency of the bench (see BENCHMARKS.md). Until it is
 * installed, BENCH_DEPS may name a folder with its own node_modules holding it.
 */

export interface LoadOptions {
  url: string
  method: 'POST'
  headers: Record<string, string>
  body: string
  connections: number
  duration: number
}

export interface LoadResult {
  requests: { average: number, total: number }
  latency: { p50: number, p99: number, average: number, max: number }
  non2xx: number
  errors: number
  timeouts: number
}

type Autocannon = (options: LoadOptions) => Promise<LoadResult>

export async function loadAutocannon (): Promise<Autocannon | undefined> {
  return (await loadOptional<{ default: Autocannon }>('autocannon'))?.default
}
