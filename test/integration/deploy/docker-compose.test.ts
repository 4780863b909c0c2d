import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Static checks of the production deployment (docker-compose.yml, docker/**). No Docker engine
 * is needed: `docker-compose config` validates and interpolates the file on its own. The
 * Debian docker-compose 1.29 has no `--format json`, so its YAML output is converted to JSON by
 * python3-yaml, a hard dependency of that package.
 */

const projectRoot = path.resolve(__dirname, '..', '..', '..');
const composeFile = path.join(projectRoot, 'docker-compose.yml');
const dockerfile = path.join(projectRoot, 'docker', 'app.Dockerfile');
const sessionSecret = 'test-session-secret-not-for-production';
const payloadCodecKeys = 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  ports?: Array<{ published: number | string; target: number; host_ip?: string } | string>;
  volumes?: Array<string | { source?: string; target: string }>;
  deploy?: { replicas?: number };
  user?: string;
}

interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * A clean environment: the integration globalSetup exports MONGODB_URI / TEMPORAL_ADDRESS for
 * the embedded servers, and compose would interpolate those over the file's defaults.
 */
function composeEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  if (process.env.HOME) env.HOME = process.env.HOME;
  return { ...env, ...extra };
}

/** Keeps a developer's own .env in the project folder out of the interpolation. */
const emptyEnvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-compose-')), 'empty.env');
fs.writeFileSync(emptyEnvFile, '');

function runCompose(args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  const result = spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', composeFile, ...args], {
    cwd: projectRoot,
    env: composeEnvironment(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      'docker-compose is not installed, so docker-compose.yml cannot be validated. ' +
        'Run scripts/setup.sh (it installs the Debian package docker-compose) or ' +
        '`apt-get install docker-compose`.',
    );
  }
  if (result.error) throw result.error;
  return result;
}

function yamlToJson(yamlText: string): unknown {
  const result = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: yamlText, encoding: 'utf8', timeout: 30_000 },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      'Could not parse the docker-compose config output with python3-yaml ' +
        '(installed with the docker-compose Debian package): ' +
        (result.error?.message ?? result.stderr),
    );
  }
  return JSON.parse(result.stdout);
}

function commandLine(value: string[] | string | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

/** The stage of a multi-stage Dockerfile from its FROM line up to the next FROM. */
function dockerfileStage(text: string, stage: string): string {
  const stages = text.split(/^(?=FROM\s)/m);
  const found = stages.find((section) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}\\s*$`, 'im').test(section));
  if (!found) throw new Error(`docker/app.Dockerfile has no stage named "${stage}"`);
  return found;
}

describe('production deployment (docker-compose.yml)', () => {
  let config: ComposeConfig;

  beforeAll(() => {
    const result = runCompose(['config'], { SESSION_SECRET: sessionSecret, PAYLOAD_CODEC_KEYS: payloadCodecKeys });
    if (result.status !== 0) {
      throw new Error(`docker-compose config exited with ${result.status}:\n${result.stderr}`);
    }
    config = yamlToJson(result.stdout) as ComposeConfig;
  });

  function service(name: string): ComposeService {
    const found = config.services[name];
    if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
    return found;
  }

  test('When validated by docker-compose, then it lists the whole stack', () => {
    const result = runCompose(['config', '--services'], { SESSION_SECRET: sessionSecret, PAYLOAD_CODEC_KEYS: payloadCodecKeys });
    expect(result.status).toBe(0);
    const services = result.stdout.trim().split('\n');
    expect(services).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal',
        'temporal-admin-tools',
        'temporal-ui',
        'mongo1',
        'mongo2',
        'mongo3',
        'mongo-init',
        'api',
        'worker',
      ]),
    );
  });

  test('When SESSION_SECRET is not set, then validation fails and names it', () => {
    const result = runCompose(['config', '-q'], { PAYLOAD_CODEC_KEYS: payloadCodecKeys });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set SESSION_SECRET');
  });

  test('When PAYLOAD_CODEC_KEYS is not set, then validation fails and names it', () => {
    const result = runCompose(['config', '-q'], { SESSION_SECRET: sessionSecret });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set PAYLOAD_CODEC_KEYS');
  });

  test('When images are pulled, then every third-party image has a concrete version tag', () => {
    const pulled = Object.entries(config.services).filter(([, definition]) => !definition.build);
    expect(pulled.length).toBeGreaterThan(0);
    for (const [name, definition] of pulled) {
      expect({ name, image: definition.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/) });
    }
  });

  test('Then Temporal runs on PostgreSQL with Updates enabled in its dynamic config', () => {
    const postgresql = service('postgresql');
    expect(postgresql.image).toMatch(/^postgres:16(\.|$)/);
    expect(postgresql.healthcheck).toBeDefined();
    expect(postgresql.volumes?.length).toBeGreaterThan(0);

    const temporal = service('temporal');
    expect(temporal.image).toMatch(/^temporalio\/auto-setup:\d/);
    expect(temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(temporal.depends_on?.postgresql?.condition).toBe('service_healthy');
    expect(temporal.healthcheck).toBeDefined();

    const dynamicConfigPath = temporal.environment?.DYNAMIC_CONFIG_FILE_PATH;
    expect(dynamicConfigPath).toBeTruthy();
    const mount = (temporal.volumes ?? [])
      .map((volume) => (typeof volume === 'string' ? volume : `${volume.source ?? ''}:${volume.target}`))
      .find((volume) => volume.split(':')[1] === dynamicConfigPath);
    expect(mount).toBeDefined();
    const dynamicConfig = fs.readFileSync(path.join(projectRoot, 'docker/temporal/dynamic-config.yaml'), 'utf8');
    expect(mount?.split(':')[0]).toBe(path.join(projectRoot, 'docker/temporal/dynamic-config.yaml'));
    expect(yamlToJson(dynamicConfig)).toMatchObject({
      'frontend.enableUpdateWorkflowExecution': [{ value: true }],
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
    });
  });

  test('Then a one-shot job registers the CaseNo, CaseStatus and RegionCode search attributes', () => {
    const adminTools = service('temporal-admin-tools');
    expect(adminTools.image).toMatch(/^temporalio\/admin-tools:\d/);
    expect(adminTools.depends_on?.temporal?.condition).toBe('service_healthy');
    expect(commandLine(adminTools.entrypoint)).toContain('register-search-attributes.sh');
    const script = fs.readFileSync(path.join(projectRoot, 'docker/temporal/register-search-attributes.sh'), 'utf8');
    expect(script).toContain('temporal operator search-attribute create');
    for (const attribute of ['CaseNo=Keyword', 'CaseStatus=Keyword', 'RegionCode=Keyword']) {
      expect(script).toContain(attribute);
    }
  });

  test('Then the Temporal UI is published on 8233 of loopback only, with the API as its payload codec', () => {
    const ui = service('temporal-ui');
    expect(ui.image).toMatch(/^temporalio\/ui:\d/);
    // docker-compose 1.29 prints a port bound to an address in the short form "ip:published:target/tcp".
    const ports = (ui.ports ?? []).map((port) => {
      if (typeof port !== 'string') return port;
      const [hostIp, published, target] = port.replace(/\/tcp$/, '').split(':');
      return { host_ip: hostIp, published: Number(published), target: Number(target) };
    });
    expect(ports).toEqual([expect.objectContaining({ published: 8233, target: 8080, host_ip: '127.0.0.1' })]);
    expect(ui.environment?.TEMPORAL_CODEC_ENDPOINT).toBe('http://127.0.0.1:3000/codec');
    expect(ui.environment?.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(service('api').environment?.CODEC_CORS_ORIGINS).toContain('http://127.0.0.1:8233');
  });

  test('Then MongoDB runs as the three-member replica set rs0, initiated by a one-shot job', () => {
    for (const member of ['mongo1', 'mongo2', 'mongo3']) {
      const definition = service(member);
      expect(definition.image).toMatch(/^mongo:7\.0/);
      expect(commandLine(definition.command)).toContain('--replSet rs0');
      expect(definition.volumes?.length).toBeGreaterThan(0);
      expect(definition.healthcheck).toBeDefined();
      expect(service('mongo-init').depends_on?.[member]?.condition).toBe('service_healthy');
    }
    expect(commandLine(service('mongo-init').command)).toContain('init-replica-set.js');
    const script = fs.readFileSync(path.join(projectRoot, 'docker/mongo/init-replica-set.js'), 'utf8');
    expect(script).toContain('rs.initiate');
    expect(script).toContain("'rs0'");
    for (const host of ['mongo1:27017', 'mongo2:27017', 'mongo3:27017']) expect(script).toContain(host);
  });

  test.each(['api', 'worker'])(
    'Then %s gets the replica-set MONGODB_URI, TEMPORAL_ADDRESS and its session secret',
    (name) => {
      const environment = service(name).environment ?? {};
      // WHATWG URL rejects the multi-host form, so split the seed list by hand.
      const mongoUri = /^mongodb:\/\/([^/]+)\/([^?]+)\?(.*)$/.exec(environment.MONGODB_URI ?? '');
      expect(mongoUri).not.toBeNull();
      const [, hosts = '', database, query = ''] = mongoUri ?? [];
      expect(hosts.split(',')).toEqual(['mongo1:27017', 'mongo2:27017', 'mongo3:27017']);
      expect(database).toBe('envcase');
      expect(new URLSearchParams(query).get('replicaSet')).toBe('rs0');
      expect(environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(environment.TEMPORAL_NAMESPACE).toBe('default');
      expect(environment.SESSION_SECRET).toBe(sessionSecret);
      expect(environment.PAYLOAD_CODEC_KEYS).toBe(payloadCodecKeys);

      const dependencies = service(name).depends_on ?? {};
      expect(dependencies.temporal?.condition).toBe('service_healthy');
      expect(dependencies['temporal-admin-tools']?.condition).toBe('service_completed_successfully');
      expect(dependencies['mongo-init']?.condition).toBe('service_completed_successfully');
    },
  );

  test('Then the api is built from the api target, serves port 3000 and is health-checked on /health', () => {
    const api = service('api');
    expect(api.build).toMatchObject({ dockerfile: 'docker/app.Dockerfile', target: 'api' });
    expect(commandLine(api.command)).toBe('node dist/api/server.js');
    expect(api.ports).toEqual(expect.arrayContaining([expect.objectContaining({ target: 3000 })]));
    expect(commandLine(api.healthcheck?.test)).toContain('/health');
  });

  test('Then the worker is built from the worker target, finds Chromium and runs two replicas', () => {
    const worker = service('worker');
    expect(worker.build).toMatchObject({ dockerfile: 'docker/app.Dockerfile', target: 'worker' });
    expect(commandLine(worker.command)).toBe('node dist/worker/main.js');
    expect(worker.environment?.CHROMIUM_PATH).toBe('/usr/bin/chromium');
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
  });

  test('Then the volumes for PostgreSQL and every Mongo member are declared', () => {
    expect(Object.keys(config.volumes ?? {})).toEqual(
      expect.arrayContaining(['postgresql-data', 'mongo1-data', 'mongo2-data', 'mongo3-data']),
    );
  });
});

describe('application image (docker/app.Dockerfile)', () => {
  const text = fs.readFileSync(dockerfile, 'utf8');

  test('Then it builds on Node 20 bookworm-slim and keeps dev dependencies out of the runtime', () => {
    expect(dockerfileStage(text, 'build')).toMatch(/npm ci/);
    expect(dockerfileStage(text, 'build')).toMatch(/npm run build/);
    expect(text).toMatch(/node:20\.[\d.]+-bookworm-slim/);
    expect(dockerfileStage(text, 'runtime-base')).toMatch(/npm ci --omit=dev/);
    expect(dockerfileStage(text, 'runtime-base')).toMatch(/COPY --from=build \/app\/templates/);
    expect(dockerfileStage(text, 'runtime-base')).toMatch(/^USER node$/m);
  });

  test('When the worker target is built, then apt installs Chromium and CJK TrueType fonts', () => {
    const worker = dockerfileStage(text, 'worker');
    expect(worker).toMatch(/^FROM runtime-base AS worker/m);
    const installLine = worker.match(/apt-get install[^&]*/)?.[0] ?? '';
    expect(installLine).toMatch(/--no-install-recommends/);
    expect(installLine).toMatch(/\bchromium\b/);
    expect(installLine).toMatch(/fonts-(arphic-uming|arphic-ukai|wqy-zenhei)/);
    // The last USER of the stage is what the container runs as.
    const users = [...worker.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe('node');
  });

  test('Then the api target runs as the non-root user inherited from runtime-base', () => {
    const api = dockerfileStage(text, 'api');
    expect(api).toMatch(/^FROM runtime-base AS api/m);
    expect(api).not.toMatch(/^USER\s+root/m);
  });

  test('Then local state, build output and secrets stay out of the build context', () => {
    const ignored = fs.readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', '.data', '.tools', 'dist', 'test-artifacts', '.git', '.env']),
    );
  });
});
