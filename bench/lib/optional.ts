import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from './service.js'

/*
 * Packages the bench uses when they are there: from the project's
 * node_modules, or else from BENCH_DEPS, a folder with a node_modules of its
 * own (a throwaway install, e.g. `npm install --prefix /tmp/bench-deps ...`).
 */
export async function loadOptional<T> (name: string): Promise<T | undefined> {
  const roots = [ROOT, ...(process.env.BENCH_DEPS === undefined ? [] : [process.env.BENCH_DEPS])]
  for (const root of roots) {
    try {
      const resolved = createRequire(join(root, 'package.json')).resolve(name)
      return await import(pathToFileURL(resolved).href) as T
    } catch {}
  }
  return undefined
}
