import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import t from 'tap'
import { parse } from 'yaml'
import { generateOpenApi, OPENAPI_PATH, renderOpenApi } from '../scripts/openapi.js'
import { registerService } from '../src/app.js'
import { loadConfig } from '../src/config/load.js'
import { MemoryStore } from '../src/store/memory-store.js'

interface Operation { responses?: Record<string, unknown> }
type Paths = Record<string, Record<string, Operation>>
interface ServedRoute { method: string, url: string, codes: string[] }

const committed = parse(readFileSync(OPENAPI_PATH, 'utf8')) as { paths: Paths }

/** Every method/path the service registers, with the status codes its schema declares. */
async function servedRoutes (): Promise<ServedRoute[]> {
  const routes: ServedRoute[] = []
  const app = Fastify()
  app.addHook('onRoute', route => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (method === 'HEAD') continue // mirrors GET
      const codes = Object.keys((route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {}).sort()
      routes.push({ method: method.toLowerCase(), url: route.url.replace(/:([A-Za-z]+)/g, '{$1}'), codes })
    }
  })
  await registerService(app, { config: loadConfig({ LOG_LEVEL: 'silent' }), store: new MemoryStore(), logger: false })
  await app.ready()
  await app.close()
  return routes
}

t.test('every registered route is in openapi.yaml with its method and status codes, and nothing else is', async t => {
  const routes = await servedRoutes()
  t.ok(routes.length >= 3, 'routes were collected')
  for (const route of routes) {
    const name = `${route.method.toUpperCase()} ${route.url}`
    const operation = committed.paths[route.url]?.[route.method]
    t.ok(operation, `${name} is documented`)
    t.same(Object.keys(operation?.responses ?? {}).sort(), route.codes, `${name} documents exactly its status codes`)
  }
  const served = new Set(routes.map(r => `${r.method} ${r.url}`))
  for (const [path, operations] of Object.entries(committed.paths)) {
    for (const method of Object.keys(operations)) t.ok(served.has(`${method} ${path}`), `documented ${method.toUpperCase()} ${path} is served`)
  }
})

t.test('openapi.yaml is what the route schemas generate (run `npm run openapi` after changing a route)', async t => {
  t.same(parse(renderOpenApi(await generateOpenApi())), committed)
})
