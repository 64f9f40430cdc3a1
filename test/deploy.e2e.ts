/**
 * The Kubernetes manifests under deploy/: the example overlay (and the base) rendered, every
 * object validated against the Kubernetes schemas (kubernetes-models), and the properties the
 * operations issue asks for asserted on the rendered objects.
 *
 * Rendering: a small renderer below implements exactly the kustomize features deploy/ uses
 * (resources, namespace, images, replicas, strategic-merge patches without list merging, and
 * `$patch: delete`) and refuses anything else. When `kubectl` with kustomize v4+ is installed, the
 * overlay is also rendered with `kubectl kustomize` and both renderings must be identical, so the
 * small renderer is checked against the real one. (Debian's own kubernetes-client is 1.20, whose
 * kustomize v2 lacks `patches` and `replicas`: it is not used.)
 */
import { loadRelayConfig } from '@app/common';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

const ROOT = join(__dirname, '..');
const BASE = join(ROOT, 'deploy/base');
const OVERLAY = join(ROOT, 'deploy/overlays/example');

/** Every variable the relay reads. */
const CONTRACT_ENV = [
  'PORT', 'HOST', 'SECRET_KEY', 'JWKS_HOSTS', 'RELAY_PUBLIC_URL', 'TRUST_PROXY', 'CTR_ENTITIES_LIMIT', 'DEFENDER_CLOUD',
  'DEFENDER_LOGIN_URL', 'DEFENDER_API_URL', 'DEFENDER_API_REGION', 'DEFENDER_PORTAL_URL', 'HUNTING_API', 'GRAPH_API_URL', 'UPSTREAM_TIMEOUT_MS',
  'REQUEST_DEADLINE_MS', 'BODY_LIMIT', 'DEFENDER_RATE_LIMIT', 'REDIS_URL', 'LOG_LEVEL',
];
/** Secrets: the contract's two, and the optional key that authenticates state read back from Redis. */
const SECRET_ENV = ['SECRET_KEY', 'REDIS_URL', 'STATE_KEY'];

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are arbitrary YAML, read by path in assertions */
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

// ---------------------------------------------------------------------------------------------
// The small kustomize renderer.

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass']);
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'replicas', 'patches']);

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Strategic merge for maps and scalars; a list in a patch replaces the list (no list merging). */
function strategicMerge(target: Record<string, any>, patch: Record<string, any>, path = ''): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`renderer: directive ${key} at ${path || '/'} is not implemented`);
    if (value === null) delete target[key];
    else if (isPlainObject(value) && isPlainObject(target[key])) strategicMerge(target[key], value, `${path}/${key}`);
    else if (Array.isArray(value) && value.some(isPlainObject)) throw new Error(`renderer: merging the list ${path}/${key} is not implemented`);
    else target[key] = structuredClone(value);
  }
}

function podSpecs(o: K8sObject): any[] {
  return o.spec?.template?.spec ? [o.spec.template.spec] : [];
}

function renderKustomization(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Record<string, any>;
  for (const field of Object.keys(k)) if (!SUPPORTED_FIELDS.has(field)) throw new Error(`renderer: '${field}' is not implemented`);
  let objects: K8sObject[] = [];
  for (const resource of (k.resources ?? []) as string[]) {
    const path = join(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path)));
  }
  for (const entry of (k.patches ?? []) as Record<string, any>[]) {
    if (Object.keys(entry).some((f) => f !== 'path')) throw new Error('renderer: only `patches: - path:` is implemented');
    const patch = parse(readFileSync(join(dir, entry.path), 'utf8')) as K8sObject & { $patch?: string };
    const matches = (o: K8sObject) => o.apiVersion === patch.apiVersion && o.kind === patch.kind && o.metadata.name === patch.metadata.name;
    const target = objects.find(matches);
    if (!target) throw new Error(`renderer: patch ${entry.path} matches no resource`);
    if (patch.$patch === 'delete') {
      objects = objects.filter((o) => !matches(o));
      continue;
    }
    const { apiVersion: _a, kind: _k, metadata, ...rest } = patch;
    const { name: _n, ...metadataRest } = metadata;
    strategicMerge(target, { metadata: metadataRest, ...rest });
  }
  for (const image of (k.images ?? []) as { name: string; newName?: string; newTag?: string; digest?: string }[]) {
    for (const spec of objects.flatMap(podSpecs)) {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const [, name, tag] = /^(.*?)(?::([^:/@]+))?(?:@.*)?$/.exec(c.image) as RegExpExecArray;
        if (name !== image.name) continue;
        const suffix = image.digest ? `@${image.digest}` : image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : '';
        c.image = `${image.newName ?? name}${suffix}`;
      }
    }
  }
  for (const r of (k.replicas ?? []) as { name: string; count: number }[]) {
    for (const o of objects) if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(o.kind) && o.metadata.name === r.name) o.spec.replicas = r.count;
  }
  if (k.namespace) for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  return objects;
}

function kubectlKustomize(dir: string): K8sObject[] | undefined {
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return undefined;
  const kustomize = (JSON.parse(version.stdout) as { kustomizeVersion?: string }).kustomizeVersion ?? 'v0';
  if (Number(/^v(\d+)/.exec(kustomize)?.[1] ?? 0) < 4) return undefined;
  const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${out.stderr}`);
  return parseAllDocuments(out.stdout).map((d) => d.toJS() as K8sObject);
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: K8sObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

function matchesLabels(selector: Record<string, string>, labels: Record<string, string> = {}): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ---------------------------------------------------------------------------------------------

describe('Kubernetes manifests (deploy/)', () => {
  const overlay = renderKustomization(OVERLAY);
  const base = renderKustomization(BASE);
  const kubectlOverlay = kubectlKustomize(OVERLAY);
  const objects = kubectlOverlay ?? overlay;

  const find = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${kind}/${name} is not in the rendered overlay`);
    return found;
  };
  const relay = () => find('Deployment', 'defender-relay');
  const relayContainer = () => relay().spec.template.spec.containers.find((c: any) => c.name === 'relay');

  it('renders the same with the small renderer as with kubectl kustomize (when kubectl is installed)', () => {
    if (!kubectlOverlay) {
      process.stdout.write('deploy: kubectl with kustomize v4+ not found; the overlay is checked with the small renderer only\n');
      return;
    }
    expect(byKey(overlay)).toEqual(byKey(kubectlOverlay));
    const kubectlBase = kubectlKustomize(BASE) as K8sObject[];
    expect(byKey(base)).toEqual(byKey(kubectlBase));
  });

  it('every rendered object of the overlay and of the base is a valid Kubernetes object', () => {
    const kinds = objects.map(key).sort();
    expect(kinds).toEqual(
      [
        'ConfigMap/defender-relay/defender-relay-config',
        'Deployment/defender-relay/defender-relay',
        'Deployment/defender-relay/defender-relay-redis',
        'HorizontalPodAutoscaler/defender-relay/defender-relay',
        'Namespace//defender-relay',
        'NetworkPolicy/defender-relay/defender-relay',
        'NetworkPolicy/defender-relay/defender-relay-redis',
        'PodDisruptionBudget/defender-relay/defender-relay',
        'Service/defender-relay/defender-relay',
        'Service/defender-relay/defender-relay-redis',
      ].sort(),
    );
    for (const o of [...objects, ...base]) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect([key(o), Model !== undefined]).toEqual([key(o), true]);
      expect(() => new Model(o).validate()).not.toThrow();
    }
    // The validator is not a no-op: a wrong type is caught.
    const broken = structuredClone(relay());
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'nine-thousand';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
  });

  it('applies the overlay: namespace, image, replicas, public URL and JWKS region', () => {
    expect(find('Namespace', 'defender-relay').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(relayContainer().image).toBe('registry.example.com/secops/defender-relay:0.1.0');
    expect(relay().spec.replicas).toBe(3);
    expect(find('ConfigMap', 'defender-relay-config').data).toMatchObject({
      RELAY_PUBLIC_URL: 'https://defender-relay.example.com',
      JWKS_HOSTS: 'visibility.eu.amp.cisco.com',
    });
    for (const spec of objects.flatMap(podSpecs)) {
      for (const c of spec.containers) expect(c.image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('probes /watchdog with the Health-Check header on the relay port', () => {
    const c = relayContainer();
    const http = c.ports.find((p: any) => p.name === 'http');
    expect(http).toMatchObject({ containerPort: 9090, protocol: 'TCP' });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(c[probe].httpGet).toMatchObject({ path: '/watchdog', port: 'http' });
      expect(c[probe].httpGet.httpHeaders).toEqual([{ name: 'Health-Check', value: expect.stringMatching(/\S/) }]);
    }
  });

  it('runs every container unprivileged, read-only, with resources and a writable /tmp for the relay', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const pod = d.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        const sc = { ...pod.securityContext, ...c.securityContext };
        expect([d.metadata.name, sc]).toEqual([
          d.metadata.name,
          expect.objectContaining({
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          }),
        ]);
        expect(sc.runAsUser).toBeGreaterThan(0);
        expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      }
    }
    const pod = relay().spec.template.spec;
    expect(pod.containers[0].securityContext).toMatchObject({ seccompProfile: { type: 'RuntimeDefault' } });
    const tmp = pod.volumes.find((v: any) => v.emptyDir && relayContainer().volumeMounts.some((m: any) => m.name === v.name && m.mountPath === '/tmp'));
    expect(tmp).toBeDefined();
  });

  it('exposes port 9090 through a Service that selects the relay pods', () => {
    const svc = find('Service', 'defender-relay');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 9090, targetPort: 'http', protocol: 'TCP' })]);
    expect(matchesLabels(svc.spec.selector, relay().spec.template.metadata.labels)).toBe(true);
    expect(matchesLabels(relay().spec.selector.matchLabels, relay().spec.template.metadata.labels)).toBe(true);
  });

  it('autoscales with an autoscaling/v2 HPA and keeps a pod through disruptions', () => {
    const hpa = find('HorizontalPodAutoscaler', 'defender-relay');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'defender-relay' });
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(hpa.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
    expect(relay().spec.replicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    const pdb = find('PodDisruptionBudget', 'defender-relay');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    expect(matchesLabels(pdb.spec.selector.matchLabels, relay().spec.template.metadata.labels)).toBe(true);
  });

  it('limits the relay network: ingress to 9090 (and 9464 for metrics, from the monitoring namespace); egress to DNS, HTTPS on public addresses and the Redis pods only', () => {
    const np = find('NetworkPolicy', 'defender-relay');
    const redisPods = find('Deployment', 'defender-relay-redis').spec.template.metadata.labels;
    expect(matchesLabels(np.spec.podSelector.matchLabels, relay().spec.template.metadata.labels)).toBe(true);
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    // /metrics has no authentication: the pod listens for it on its IP, and only the monitoring namespace may connect.
    expect(np.spec.ingress).toEqual([
      { ports: [{ protocol: 'TCP', port: 9090 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9464 }] },
    ]);
    expect(relayContainer().ports.find((p: any) => p.name === 'metrics')).toMatchObject({ containerPort: 9464 });
    expect(find('ConfigMap', 'defender-relay-config').data).toMatchObject({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' });
    const egress = np.spec.egress as any[];
    // Every rule names its ports (a rule without ports would open all of them).
    for (const rule of egress) expect(rule.ports?.length).toBeGreaterThan(0);
    const allowed = egress.flatMap((r) => r.ports.map((p: any) => `${p.port}/${p.protocol}`)).sort();
    expect(allowed).toEqual(['443/TCP', '53/TCP', '53/UDP', '6379/TCP']);
    const https = egress.find((r) => r.ports.some((p: any) => p.port === 443));
    expect(https.ports).toHaveLength(1);
    expect(https.to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']) } }]);
    const redis = egress.find((r) => r.ports.some((p: any) => p.port === 6379));
    expect(redis.ports).toHaveLength(1);
    expect(redis.to).toHaveLength(1);
    expect(matchesLabels(redis.to[0].podSelector.matchLabels, redisPods)).toBe(true);
    expect(matchesLabels(redis.to[0].podSelector.matchLabels, relay().spec.template.metadata.labels)).toBe(false);

    const redisNp = find('NetworkPolicy', 'defender-relay-redis');
    expect(matchesLabels(redisNp.spec.podSelector.matchLabels, redisPods)).toBe(true);
    expect(redisNp.spec.egress).toEqual([]);
    expect(redisNp.spec.ingress).toHaveLength(1);
    expect(matchesLabels(redisNp.spec.ingress[0].from[0].podSelector.matchLabels, relay().spec.template.metadata.labels)).toBe(true);
    expect(redisNp.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 6379 }]);
    expect(find('Service', 'defender-relay-redis').spec.ports[0].port).toBe(6379);
  });

  it('wires every contract variable: non-secrets from the ConfigMap, SECRET_KEY, REDIS_URL and STATE_KEY from the Secret', () => {
    const config = find('ConfigMap', 'defender-relay-config');
    const secret = base.find((o) => o.kind === 'Secret') as K8sObject;
    expect(secret.metadata.name).toBe('defender-relay-secrets');
    expect(Object.keys(secret.stringData).sort()).toEqual([...SECRET_ENV].sort());
    expect(Object.keys(config.data).sort()).toEqual([...CONTRACT_ENV.filter((v) => !SECRET_ENV.includes(v)), 'METRICS_PORT', 'METRICS_HOST', 'BODY_MEMORY_BUDGET'].sort());
    expect(relayContainer().envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    expect(relayContainer().env).toBeUndefined();
    // The overlay leaves the Secret to be created outside Git: its empty placeholder must not be applied over it.
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    // The Redis password comes from its own Secret, not from the manifests.
    const redis = find('Deployment', 'defender-relay-redis').spec.template.spec.containers[0];
    expect(redis.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'defender-relay-redis', key: 'REDIS_PASSWORD' } } }]);
  });

  it('holds values the relay accepts at start-up, and nothing secret in the ConfigMap', () => {
    const env = { ...find('ConfigMap', 'defender-relay-config').data, SECRET_KEY: 'k'.repeat(64), REDIS_URL: 'redis://:0123abcd@defender-relay-redis:6379' };
    const config = loadRelayConfig(env);
    expect(config.server).toMatchObject({ port: 9090, host: '0.0.0.0', publicUrl: 'https://defender-relay.example.com', trustProxy: false });
    // Bodies held at the connection cap take at most half the pod's memory limit.
    const limit = relayContainer().resources.limits.memory;
    expect(limit).toBe('512Mi');
    expect(config.server.maxConnections * config.server.bodyLimit).toBeLessThanOrEqual((512 * 1024 * 1024) / 2);
    expect(config.auth.jwksHosts).toEqual([{ match: 'visibility.eu.amp.cisco.com', jwksUrl: 'https://visibility.eu.amp.cisco.com/.well-known/jwks' }]);
    expect(config.defender).toMatchObject({ cloud: 'commercial', apiUrl: 'https://eu.api.security.microsoft.com', rateLimit: true, warnings: [] });
    expect(config.state.redisUrl).toBe('redis://:0123abcd@defender-relay-redis:6379');
    // The base's empty placeholders mean "unset", which the relay also accepts.
    const baseEnv = { ...(base.find((o) => o.kind === 'ConfigMap') as K8sObject).data, ...(base.find((o) => o.kind === 'Secret') as K8sObject).stringData };
    const unset = loadRelayConfig(baseEnv);
    expect(unset.auth.secretKey).toBeUndefined();
    expect(unset.server.publicUrl).toBeUndefined();
    expect(unset.state).toMatchObject({ redisUrl: undefined, stateKey: undefined });
    const text = JSON.stringify(find('ConfigMap', 'defender-relay-config'));
    expect(text).not.toMatch(/SECRET|PASSWORD|redis:\/\//i);
  });

  it('the renderer refuses kustomize features it does not implement', () => {
    expect(() => strategicMerge({ a: [{ name: 'x' }] }, { a: [{ name: 'x', b: 1 }] })).toThrow(/not implemented/);
    expect(existsSync(join(OVERLAY, 'kustomization.yaml'))).toBe(true);
  });
});
