import { readFileSync } from 'node:fs'
import t from 'tap'
import { ConfigError, loadConfig } from '../src/config/load.js'
import { secretVariables } from '../src/config/schema.js'
import { ENV_EXAMPLE_PATH, README_PATH, readmeTable, renderEnvExample, renderReadmeTable } from '../scripts/env-docs.js'

t.test('defaults give a runnable service with the embedded store', async t => {
  const config = loadConfig({})
  t.equal(config.PORT, 3000)
  t.equal(config.HOST, '0.0.0.0')
  t.equal(config.LOG_LEVEL, 'info')
  t.equal(config.REDIS_URL, undefined)
  t.equal(config.ADVOWARE_WATCHER_URL, 'http://localhost:8765')
})

t.test('values are converted and empty ones count as unset', async t => {
  const config = loadConfig({ PORT: '8080', REDIS_URL: '', ESPOCRM_AUTH: 'hmac', EXTERNAL_RETRIES: ' 5 ' })
  t.equal(config.PORT, 8080)
  t.equal(config.REDIS_URL, undefined)
  t.equal(config.EXTERNAL_RETRIES, 5)
})

t.test('every problem is reported at once, by name, secrets hidden', async t => {
  const error = t.throws(() => loadConfig({ PORT: '70000', HOST: '', LOG_LEVEL: 'loud', REDIS_URL: 'http://user:pw@x', ESPOCRM_API_KEY: 'tiny' })) as ConfigError
  t.type(error, ConfigError)
  t.equal(error.problems.length, 4)
  t.match(error.message, /PORT: expected the HTTP port \(1-65535\), got "70000"/)
  t.match(error.message, /LOG_LEVEL: expected one of fatal, error/)
  t.match(error.message, /REDIS_URL: .* got \(hidden\)/)
  t.match(error.message, /ESPOCRM_API_KEY: .* got \(hidden\)/)
  t.notMatch(error.message, /tiny|pw@/)
})

t.test('hmac auth needs its secret', async t => {
  t.throws(() => loadConfig({ ESPOCRM_URL: 'http://crm/api/v1/', ESPOCRM_AUTH: 'hmac', ESPOCRM_API_KEY: 'key-key-key' }), /ESPOCRM_SECRET_KEY/)
})

t.test('the original implementation\'s variable names are accepted', async t => {
  const config = loadConfig({ ADVOWARE_WATCHER_URL: 'http://watcher:8765', ADVOWARE_WATCHER_AUTH_TOKEN: 'a-long-token' })
  t.equal(config.ADVOWARE_WATCHER_URL, 'http://watcher:8765')
  t.equal(config.ADVOWARE_WATCHER_AUTH_TOKEN, 'a-long-token')
})

t.test('secret variables are marked', async t => {
  const secrets = secretVariables()
  for (const name of ['REDIS_URL', 'ESPOCRM_API_KEY', 'ESPOCRM_SECRET_KEY', 'ADVOWARE_PASSWORD', 'ADVOWARE_API_KEY', 'ADVOWARE_WATCHER_AUTH_TOKEN']) {
    t.ok(secrets.includes(name), `${name} is secret`)
  }
})

t.test('.env.example and the README table list every variable (run `npm run env-docs`)', async t => {
  t.equal(readFileSync(ENV_EXAMPLE_PATH, 'utf8'), renderEnvExample())
  t.equal(readmeTable(readFileSync(README_PATH, 'utf8')), renderReadmeTable())
})
