// The deployment files agree with what scripts/prod-stack.sh runs and with the worker's code:
// docker-compose.yml (checked by Debian's docker-compose, which needs no engine, then read back
// resolved), the Helm chart (helm lint + helm template), and deploy/Dockerfile.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { loadWorkerConfig } from '../../src/config';
import { parseTeardownRequest } from '../../src/contract';
import { startEmulator } from '../../src/emulator/server';
import { parseHostPort } from '../../src/workers/http';
import { loadProcessSettings } from '../../src/workers/settings';
import { ROOT } from './stack';

const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const prodStack = read('scripts/prod-stack.sh');
const pin = (name: string) => {
  const match = new RegExp(`^${name}=(\\S+)`, 'm').exec(prodStack);
  if (!match) throw new Error(`scripts/prod-stack.sh has no ${name}`);
  return match[1]!;
};
const tool = (name: 'HELM_BIN' | 'DOCKER_COMPOSE_BIN') => {
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run this suite with npm run test:prod-stack`);
  return path;
};

interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  ports?: Array<{ host_ip?: string; published?: string | number } | string>;
  volumes?: Array<{ type: string; source: string } | string>;
  command?: string[];
}

function composeConfig(profile?: string): { services: Record<string, ComposeService> } {
  const args = ['-f', 'docker-compose.yml', ...(profile ? ['--profile', profile] : []), 'config'];
  const out = execFileSync(tool('DOCKER_COMPOSE_BIN'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, COMPOSE_PROJECT_NAME: 'cloud-teardown' },
  });
  return parseYaml(out) as { services: Record<string, ComposeService> };
}

describe('docker-compose.yml', () => {
  const full = composeConfig('demo');
  const services = full.services;

  it('is valid for docker-compose, the demo services in the demo profile only', () => {
    expect(Object.keys(composeConfig().services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ]),
    );
    for (const [name, s] of Object.entries(services)) {
      const demo = ['emulator', 'demo-worker', 'demo-teardown'].includes(name);
      expect({ name, profiles: s.profiles ?? [] }).toEqual({ name, profiles: demo ? ['demo'] : [] });
    }
  });

  it('pins the versions prod-stack.sh builds and runs', () => {
    const server = pin('TEMPORAL_SERVER_VERSION').replace(/^v/, '');
    expect(services.temporal!.image).toBe(`temporalio/server:${server}`);
    expect(services['temporal-schema']!.image).toBe(`temporalio/admin-tools:${server}`);
    expect(services['temporal-setup']!.image).toBe(`temporalio/admin-tools:${server}`);
    expect(services['temporal-ui']!.image).toBe(
      `temporalio/ui:${pin('TEMPORAL_UI_VERSION').replace(/^v/, '')}`,
    );
    expect(services.postgresql!.image).toBe(`postgres:${pin('PG_MAJOR')}`);
    for (const [name, s] of Object.entries(services)) {
      expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
      expect(s.image).not.toMatch(/:latest$/);
    }
  });

  it("gives the server deploy/temporal/server.env, prod-stack.sh's settings", () => {
    const shared = Object.fromEntries(
      read('deploy/temporal/server.env')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split('=') as [string, string]),
    );
    expect(Object.keys(shared).length).toBeGreaterThan(3);
    expect(services.temporal!.environment).toMatchObject(shared);
    expect(prodStack).toContain('deploy/temporal/server.env');
    expect(prodStack).toContain('deploy/temporal/setup-postgres.sh');
    expect(prodStack).toContain('deploy/temporal/register.sh');
    expect(prodStack).toContain('deploy/dynamicconfig/cloud-teardown.yaml');
  });

  it('has dependencies, ports and mounts that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ name, dep, known: dep in services }).toEqual({ name, dep, known: true });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
      for (const port of s.ports ?? [])
        expect(typeof port === 'string' ? port : port.host_ip).toMatch(/127\.0\.0\.1/);
      for (const volume of s.volumes ?? []) {
        if (typeof volume === 'string' || volume.type !== 'bind') continue;
        expect({ name, source: volume.source, exists: existsSync(volume.source) }).toMatchObject({
          exists: true,
        });
      }
    }
    expect(services.worker!.build).toMatchObject({ dockerfile: 'deploy/Dockerfile' });
  });

  it('runs a demo teardown whose request names only seeded resources, with settings the worker accepts', async () => {
    const demoEnv = services['demo-worker']!.environment as NodeJS.ProcessEnv;
    const config = loadWorkerConfig(demoEnv);
    expect(
      Object.values(config.clouds).every(
        (c) => c.credentials.origin === 'the environment' && c.endpoint === 'http://emulator:8787',
      ),
    ).toBe(true);
    expect(services['demo-teardown']!.environment).toEqual(demoEnv);
    expect(services.emulator!.command).toEqual(expect.arrayContaining(['--seed', '/demo/seed.json']));

    const emulator = await startEmulator();
    try {
      const seeded = emulator.seed(JSON.parse(read('deploy/demo/seed.json')).resources);
      const request = parseTeardownRequest(JSON.parse(read('deploy/demo/request.json')));
      const seededIds = new Set(seeded.map((r) => r.id));
      const named = (request.resources ?? []).flatMap((group) => group.ids);
      // The demo also names resources that are already gone (reported so, not failed).
      expect(named.filter((id) => !seededIds.has(id)).every((id) => id.includes('gone'))).toBe(true);
      expect(named.filter((id) => seededIds.has(id)).length).toBeGreaterThan(10);
    } finally {
      await emulator.close();
    }
  });
});

describe('deploy/kubernetes/cloud-teardown-worker (Helm chart)', () => {
  const chart = resolve(ROOT, 'deploy/kubernetes/cloud-teardown-worker');
  const helm = (...args: string[]) =>
    execFileSync(tool('HELM_BIN'), [...args, '--kube-version', '1.30.0'], { cwd: ROOT, encoding: 'utf8' });
  type Doc = { kind: string; metadata: { name: string }; [key: string]: unknown };
  const docs = () =>
    parseAllDocuments(helm('template', 'teardown', chart))
      .map((d) => d.toJSON() as Doc)
      .filter(Boolean);
  const byKind = (all: Doc[], kind: string) => all.filter((d) => d.kind === kind);

  it('passes helm lint --strict', () => {
    expect(helm('lint', '--strict', chart)).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders a Deployment probing /healthz on the metrics port, scraped by Prometheus, with the worker settings', () => {
    const all = docs();
    expect(all.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'ServiceAccount'].sort(),
    );
    const deployment = byKind(all, 'Deployment')[0] as unknown as {
      spec: {
        template: {
          metadata: { annotations: Record<string, string>; labels: Record<string, string> };
          spec: any;
        };
      };
    };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(
      Object.entries(byKind(all, 'ConfigMap').find((c) => c.metadata.name.endsWith('-env'))!.data as object),
    ) as Record<string, string>;
    const port = container.ports.find((p: { name: string }) => p.name === 'metrics').containerPort;
    expect(parseHostPort(env.TEARDOWN_METRICS_ADDRESS!, 'TEARDOWN_METRICS_ADDRESS')).toEqual({
      host: '0.0.0.0',
      port,
    });
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(container[probe].httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    expect(container.command).toEqual(['node', 'dist/workers/main.js']);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    const settings = loadProcessSettings(env);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(settings.shutdownGraceMs);
    expect(pod.serviceAccountName).toBe(byKind(all, 'ServiceAccount')[0]!.metadata.name);
    const pdb = byKind(all, 'PodDisruptionBudget')[0] as unknown as {
      spec: { selector: { matchLabels: object } };
    };
    expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
  });

  it('takes every provider credential from a Secret, under the names the worker reads', () => {
    const container = (byKind(docs(), 'Deployment')[0] as any).spec.template.spec.containers[0];
    const fromSecret = container.env.filter((e: any) => e.valueFrom?.secretKeyRef);
    expect(fromSecret.every((e: any) => e.valueFrom.secretKeyRef.optional === true)).toBe(true);
    const env = Object.fromEntries(fromSecret.map((e: { name: string }) => [e.name, 'x']));
    const config = loadWorkerConfig(env);
    expect(Object.values(config.clouds).every((c) => c.credentials.origin === 'the environment')).toBe(true);
    const toml = (
      byKind(docs(), 'ConfigMap').find((c) => c.metadata.name.endsWith('-envconfig'))!.data as any
    )['temporal.toml'];
    expect(toml).toMatch(/address = ".+:7233"/);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const ignore = read('deploy/Dockerfile.dockerignore');

  it('builds the JavaScript and the workflow bundle at build time and runs node on them as a non-root user', () => {
    expect(dockerfile).toMatch(/^RUN bash deploy\/build-worker\.sh/m);
    const built = /node dist\/workers\/bundle\.js (\S+)/.exec(read('deploy/build-worker.sh'))?.[1];
    expect(dockerfile).toContain(`TEARDOWN_WORKFLOW_BUNDLE=/app/${built}`);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/workers\/main\.js"\]$/m);
    const instructions = dockerfile.replace(/^#.*$/gm, '');
    expect(instructions).not.toMatch(/npx|tsx/);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
  });

  it('checks /healthz on the metrics port it sets', () => {
    const port = /TEARDOWN_METRICS_ADDRESS=0\.0\.0\.0:(\d+)/.exec(dockerfile)?.[1];
    expect(dockerfile).toContain(`HEALTHCHECK`);
    expect(dockerfile).toContain(`http://127.0.0.1:${port}/healthz`);
  });

  it('copies only files its build context lets in', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const file of copied) {
      expect(existsSync(resolve(ROOT, file))).toBe(true);
      expect(ignore).toMatch(new RegExp(`^!${file.replace(/[.*]/g, '\\$&')}(/\\*\\*)?$`, 'm'));
    }
  });
});
