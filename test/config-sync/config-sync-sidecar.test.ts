import { ApiObject, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConfigSyncAuth, ConfigSyncSidecar, ConfigSyncSidecarProps, MeshProxySidecar, PodPlan, SidecarCronJob, SidecarJob, SidecarMode,
} from '../../src';
import { newChart, only, podMetadata, podSpec, synth, synthErrorLines } from '../util';

const REPO_FLAGS = ['--repo=https://git.example.com/docs/site.git', '--ref=HEAD', '--depth=1', '--root=/git', '--link=current', '--sync-timeout=120s'];

function site(chart: any): kplus.Deployment {
  return new kplus.Deployment(chart, 'site', {
    containers: [{
      name: 'site', image: 'ghcr.io/example/docs-site:3.1.0', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 101, group: 101 },
    }],
  });
}

function build(props: Partial<ConfigSyncSidecarProps> = {}): { manifests: any[]; sync: ConfigSyncSidecar } {
  const { app, chart } = newChart();
  const sync = new ConfigSyncSidecar(chart, 'sync', { workload: site(chart), repository: 'https://git.example.com/docs/site.git', mountPath: '/srv/site', ...props });
  return { manifests: synth(app), sync };
}

function containers(manifest: any): { [name: string]: any } {
  const spec = podSpec(manifest);
  return Object.fromEntries([...spec.initContainers ?? [], ...spec.containers].map((c: any) => [c.name, c]));
}

describe('ConfigSyncSidecar', () => {
  test('a public HTTPS repository: the first sync before the app, then a native sidecar every minute', () => {
    const { manifests, sync } = build();
    const deployment = only(manifests, 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config-sync-init', 'config-sync']);
    const { 'config-sync-init': init, 'config-sync': sidecar, 'site': app } = containers(deployment);
    expect(init.restartPolicy).toBeUndefined();
    expect(init.args).toEqual([...REPO_FLAGS, '--one-time']);
    expect(sidecar.restartPolicy).toBe('Always');
    expect(sidecar.args).toEqual([...REPO_FLAGS, '--period=60s', '--max-failures=5', '--http-bind=:2112', '--http-metrics']);
    expect(sidecar.ports).toEqual([{ containerPort: 2112, name: 'sync-metrics' }]);
    for (const c of [init, sidecar]) {
      expect(c.image).toBe(ConfigSyncSidecar.DEFAULT_IMAGE);
      expect(c.command).toBeUndefined();
      expect(c.env).toEqual([{ name: 'HOME', value: '/tmp' }]);
      expect(c.volumeMounts).toEqual([
        { mountPath: '/git', name: 'config-sync-repo', readOnly: false },
        { mountPath: '/tmp', name: 'config-sync-tmp', readOnly: false },
      ]);
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsGroup: 65533,
        runAsNonRoot: true,
        runAsUser: 65533,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
      expect(c.livenessProbe ?? c.readinessProbe ?? c.startupProbe).toBeUndefined();
    }
    expect(app.volumeMounts).toEqual([{ mountPath: '/srv/site', name: 'config-sync-repo', readOnly: true }]);
    expect(spec.volumes).toEqual([
      { name: 'config-sync-repo', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'config-sync-tmp', emptyDir: { sizeLimit: '16Mi' } },
    ]);
    expect(sync.contentPath).toBe('/srv/site/current');
    expect(podMetadata(deployment).annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '2112', 'prometheus.io/path': '/metrics' });
    // the plan of the written YAML shows the order the kubelet starts them in
    const plan = PodPlan.fromManifest(deployment);
    expect(plan.startOrder.map(s => [s.containers, s.role])).toEqual([[['config-sync-init'], 'init'], [['config-sync'], 'sidecar'], [['site'], 'app']]);
    expect(plan.errors).toEqual([]);
  });

  test('an SSH key with known_hosts, a branch, a sub-directory and a reload webhook (snapshot)', () => {
    const { manifests, sync } = build({
      repository: 'git@github.com:example/docs.git',
      ref: 'release/2026-12',
      subPath: 'public',
      auth: ConfigSyncAuth.ssh({ secretName: 'docs-deploy-key', privateKeyKey: 'id_ed25519' }),
      webhook: { port: 8080, path: '/-/reload' },
    });
    const deployment = only(manifests, 'Deployment');
    const { 'config-sync-init': init, 'config-sync': sidecar } = containers(deployment);
    const auth = ['--ssh', '--ssh-key-file=/etc/git-secret/ssh', '--ssh-known-hosts-file=/etc/git-secret/known_hosts'];
    expect(init.args).toEqual(['--repo=git@github.com:example/docs.git', '--ref=release/2026-12', '--depth=1', '--root=/git', '--link=current', '--sync-timeout=120s', ...auth, '--one-time']);
    expect(sidecar.args.slice(6, 9)).toEqual(auth);
    expect(sidecar.args.slice(-4)).toEqual(['--webhook-url=http://127.0.0.1:8080/-/reload', '--webhook-method=POST', '--webhook-success-status=200', '--webhook-timeout=1s']);
    for (const c of [init, sidecar]) {
      expect(c.volumeMounts).toContainEqual({ mountPath: '/etc/git-secret', name: 'config-sync-auth', readOnly: true });
      expect(JSON.stringify(c.env)).not.toContain('docs-deploy-key');
    }
    expect(podSpec(deployment).volumes).toContainEqual({
      name: 'config-sync-auth',
      secret: { secretName: 'docs-deploy-key', defaultMode: 0o444, items: [{ key: 'id_ed25519', path: 'ssh' }, { key: 'known_hosts', path: 'known_hosts' }] },
    });
    // the app container does not mount the credentials
    expect(containers(deployment).site.volumeMounts.map((m: any) => m.name)).toEqual(['config-sync-repo']);
    expect(sync.contentPath).toBe('/srv/site/current/public');
    expect(deployment).toMatchSnapshot();
  });

  test('a user name and token: the token is read from the Secret\'s file', () => {
    const { manifests } = build({ auth: ConfigSyncAuth.token({ username: 'deploy-bot', secretName: 'git-token', passwordKey: 'token' }) });
    const deployment = only(manifests, 'Deployment');
    const { 'config-sync': sidecar } = containers(deployment);
    expect(sidecar.args).toContain('--username=deploy-bot');
    expect(sidecar.args).toContain('--password-file=/etc/git-secret/password');
    expect(sidecar.args.join(' ')).not.toMatch(/--password=/);
    expect(podSpec(deployment).volumes).toContainEqual({ name: 'config-sync-auth', secret: { secretName: 'git-token', defaultMode: 0o444, items: [{ key: 'token', path: 'password' }] } });
  });

  test('every flag: period, timeouts, depth, link, failures, metrics port, webhook method and status; initialSync off', () => {
    const { manifests, sync } = build({
      ref: '3f2a9c1e4b',
      depth: 0,
      link: 'live',
      period: Duration.seconds(15),
      syncTimeout: Duration.minutes(5),
      maxFailures: -1,
      metrics: { port: 9400, announce: false },
      initialSync: false,
      volumeSizeLimit: Size.mebibytes(1024),
      containerName: 'docs-sync',
      webhook: { port: 8080, method: 'PUT', successStatus: 204, timeout: Duration.seconds(3) },
    });
    const deployment = only(manifests, 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['docs-sync']);
    expect(spec.initContainers[0].args).toEqual([
      '--repo=https://git.example.com/docs/site.git', '--ref=3f2a9c1e4b', '--depth=0', '--root=/git', '--link=live', '--sync-timeout=300s',
      '--period=15s', '--max-failures=-1', '--http-bind=:9400', '--http-metrics',
      '--webhook-url=http://127.0.0.1:8080/', '--webhook-method=PUT', '--webhook-success-status=204', '--webhook-timeout=3s',
    ]);
    expect(spec.initContainers[0].ports).toEqual([{ containerPort: 9400, name: 'sync-metrics' }]);
    expect(spec.volumes[0]).toEqual({ name: 'docs-sync-repo', emptyDir: { sizeLimit: '1024Mi' } });
    expect(podMetadata(deployment).annotations).toBeUndefined();
    expect(sync.initContainer).toBeUndefined();
    expect(sync.contentPath).toBe('/srv/site/live');
  });

  test('reloadSignal: a busybox watcher as the app\'s user, the volume read-only where the app has it, one process namespace', () => {
    const { manifests, sync } = build({ reloadSignal: { processName: 'docs-site', user: 101, signal: 'USR1' } });
    const deployment = only(manifests, 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.shareProcessNamespace).toBe(true);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config-sync-init', 'config-sync', 'config-sync-reload']);
    const watcher = containers(deployment)['config-sync-reload'];
    expect(watcher.image).toBe('busybox:1.37.0');
    expect(watcher.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(watcher.command.slice(3)).toEqual(['config-reload', '/srv/site/current', 'docs-site', 'USR1', '5']);
    expect(watcher.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(watcher.volumeMounts).toEqual([{ mountPath: '/srv/site', name: 'config-sync-repo', readOnly: true }]);
    expect(watcher.resources).toEqual({ requests: { cpu: '5m', memory: '8Mi' }, limits: { cpu: '20m', memory: '16Mi' } });
    expect(sync.reloadWatcher!.containerName).toBe('config-sync-reload');
    expect(containers(deployment)['config-sync'].args.join(' ')).not.toContain('--webhook');
  });

  test('classic mode: the sidecar is a regular container, the first sync still an init container', () => {
    const { manifests } = build({ mode: SidecarMode.CLASSIC });
    const spec = podSpec(only(manifests, 'Deployment'));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['config-sync-init']);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['site', 'config-sync']);
  });

  test('on a cdk8s-plus-28 workload the first sync keeps the order of the calls among init containers', () => {
    const { app, chart } = newChart();
    const workload = site(chart);
    workload.addInitContainer({ name: 'migrate', image: 'busybox:1.37.0', command: ['true'], securityContext: { user: 101, group: 101 } });
    new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/docs/site.git', mountPath: '/srv/site' });
    workload.addInitContainer({ name: 'warm-cache', image: 'busybox:1.37.0', command: ['true'], securityContext: { user: 101, group: 101 } });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers.map((c: any) => c.name)).toEqual(['migrate', 'config-sync-init', 'config-sync', 'warm-cache']);
  });

  test('its first sync may run before a mesh proxy: git-sync reaches the Git server directly', () => {
    const { app, chart } = newChart();
    const workload = site(chart);
    new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/docs/site.git', mountPath: '/srv/site' });
    new MeshProxySidecar(chart, 'proxy', { workload, appPort: 8080 });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers.map((c: any) => c.name)).toEqual(['config-sync-init', 'config-sync', 'mesh-proxy']);
  });

  test('any pod template: an imported Deployment, in its namespace', () => {
    const { app, chart } = newChart();
    const workload = new ApiObject(chart, 'imported', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: 'docs' },
      spec: {
        selector: { matchLabels: { app: 'docs' } },
        template: { metadata: { labels: { app: 'docs' } }, spec: { containers: [{ name: 'web', image: 'ghcr.io/example/docs-site:3.1.0', ports: [{ containerPort: 8080 }] }] } },
      },
    });
    new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/docs/site.git', mountPath: '/srv/site', webhook: { port: 8080 } });
    const deployment = only(synth(app), 'Deployment');
    expect(containers(deployment).web.volumeMounts).toEqual([{ mountPath: '/srv/site', name: 'config-sync-repo', readOnly: true }]);
    expect(podSpec(deployment).initContainers.map((c: any) => c.name)).toEqual(['config-sync-init', 'config-sync']);
  });

  describe('a Job or CronJob gets the first sync only: the app runs once, on what it started with', () => {
    test.each(['Job', 'CronJob'])('%s', kind => {
      const { app, chart } = newChart();
      const report = [{ name: 'report', image: 'ghcr.io/example/report:1.0.0', command: ['report', '--templates', '/srv/templates/current'] }];
      const workload = kind === 'Job' ? new SidecarJob(chart, 'job', { containers: report }) : new SidecarCronJob(chart, 'job', { containers: report, schedule: Cron.daily() });
      const sync = new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/report/templates.git', mountPath: '/srv/templates' });
      const spec = podSpec(only(synth(app), kind));
      expect(spec.initContainers.map((c: any) => [c.name, c.restartPolicy, c.args.at(-1)])).toEqual([['config-sync-init', undefined, '--one-time']]);
      expect(spec.containers.map((c: any) => c.name)).toEqual(['report']);
      expect(sync.sidecar).toBeUndefined();
    });

    test.each<[string, Partial<ConfigSyncSidecarProps>, string]>([
      ['webhook', { webhook: { port: 8080 } }, 'webhook: {"port":8080} is for the sidecar, and test/job is a Job, which gets only the init container that syncs once before the app. Leave webhook out.'],
      ['reloadSignal', { reloadSignal: { processName: 'nginx', user: 101 } }, 'reloadSignal: {"processName":"nginx","user":101} is for the sidecar'],
      ['metrics', { metrics: { announce: false } }, 'metrics: {"announce":false} is for the sidecar'],
      ['period', { period: Duration.seconds(30) }, 'period: "30 seconds" is for the sidecar'],
      ['maxFailures', { maxFailures: 3 }, 'maxFailures: 3 is for the sidecar'],
      ['initialSync', { initialSync: false }, 'initialSync: false leaves nothing to add: test/job is a Job'],
    ])('%s is an error', (_, props, message) => {
      const { chart } = newChart();
      const workload = new SidecarJob(chart, 'job', { containers: [{ name: 'report', image: 'ghcr.io/example/report:1.0.0' }] });
      expect(() => new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/r.git', mountPath: '/srv/r', ...props }))
        .toThrow(`[test/sync] ${message}`);
    });
  });

  describe('bad input is an error naming the field, the value and the fix', () => {
    const ssh = ConfigSyncAuth.ssh({ secretName: 'key' });
    test.each<[Partial<ConfigSyncSidecarProps>, string]>([
      [{ repository: 'http://git.example.com/a.git' }, 'repository: "http://git.example.com/a.git" is not a Git repository URL of a form git-sync reaches securely. Give "https://host/path"'],
      [{ repository: '/srv/git/a.git' }, 'repository: "/srv/git/a.git" is not a Git repository URL'],
      [{ repository: 'https://git.example.com' }, 'repository: "https://git.example.com" is not a Git repository URL'],
      [{ repository: 'https://git.example.com/a.git --upload-pack=x' }, 'repository: "https://git.example.com/a.git --upload-pack=x" is not a Git repository URL'],
      [{ repository: 'https://bot:s3cret@git.example.com/a.git' }, 'repository: "https://bot:s3cret@git.example.com/a.git" holds credentials, which would be written into the Pod spec. Remove them from the URL and give them with auth'],
      [{ repository: 'git@github.com:example/a.git' }, 'auth: "none" is not an SSH key, and the repository is reached over SSH, which needs one.'],
      [{ repository: 'ssh://git@git.example.com:2222/a.git', auth: ConfigSyncAuth.token({ username: 'u', secretName: 't' }) }, 'auth: "token" is not an SSH key'],
      [{ auth: ssh }, 'auth: "ssh" is an SSH key, and the repository is an https:// URL.'],
      [{ auth: ConfigSyncAuth.token({ username: 'u', secretName: 'Not_A_Name' }) }, 'auth.secretName: "Not_A_Name"'],
      [{ auth: ConfigSyncAuth.token({ username: 'u', secretName: 't', passwordKey: 'a/b' }) }, 'auth (the key of password): "a/b" is not a Secret key.'],
      [{ auth: ConfigSyncAuth.token({ username: 'u --x', secretName: 't' }) }, 'auth.username: "u --x" is not a plain user name.'],
      [{ ref: 'main..dev' }, 'ref: "main..dev" is not a branch, tag or commit name.'],
      [{ ref: '-c' }, 'ref: "-c" is not a branch, tag or commit name.'],
      [{ ref: 'topic/' }, 'ref: "topic/" is not a branch'],
      [{ ref: 'x.lock' }, 'ref: "x.lock" is not a branch'],
      [{ ref: 'a/.b' }, 'ref: "a/.b" is not a branch'],
      [{ depth: -1 }, 'depth: -1 is not a number of commits.'],
      [{ depth: 1.5 }, 'depth: 1.5 is not a number of commits.'],
      [{ period: Duration.millis(1500) }, 'period:'],
      [{ period: Duration.seconds(0) }, 'period: "0s" is not a time between syncs. Give at least one second.'],
      [{ syncTimeout: Duration.seconds(0) }, 'syncTimeout: "0s" is not a time a sync may take.'],
      [{ maxFailures: -2 }, 'maxFailures: -2 is not a number of failures.'],
      [{ maxFailures: 0.5 }, 'maxFailures: 0.5 is not a number of failures.'],
      [{ mountPath: 'srv/site' }, 'mountPath: "srv/site"'],
      [{ link: '.git' }, 'link: ".git" is not a plain name'],
      [{ link: 'a/b' }, 'link: "a/b" is not a plain name'],
      [{ subPath: '../etc' }, 'subPath: "../etc" is not a relative directory inside the repository.'],
      [{ subPath: '/public' }, 'subPath: "/public" is not a relative directory'],
      [{ containerName: 'Sync' }, 'containerName: "Sync"'],
      [{ image: 'registry.k8s.io/git-sync/git-sync' }, 'image: "registry.k8s.io/git-sync/git-sync"'],
      [{ volumeSizeLimit: Size.kibibytes(1500) }, 'volumeSizeLimit:'],
      [{ metrics: { port: 0 } }, 'metrics.port: 0 is not a port number.'],
      [{ webhook: { port: 70000 } }, 'webhook.port: 70000 is not a port number.'],
      [{ webhook: { port: 8080, path: 'reload' } }, 'webhook.path: "reload" is not an absolute URL path.'],
      [{ webhook: { port: 8080, method: 'post' } }, 'webhook.method: "post" is not an HTTP method.'],
      [{ webhook: { port: 8080, successStatus: 99 } }, 'webhook.successStatus: 99 is not an HTTP status.'],
      [{ webhook: { port: 8080, successStatus: 600 } }, 'webhook.successStatus: 600 is not an HTTP status.'],
      [{ webhook: { port: 8080, timeout: Duration.seconds(0) } }, 'webhook.timeout: "0s" is not a time a call may take.'],
      [{ webhook: { port: 8080 }, reloadSignal: { processName: 'nginx', user: 101 } }, 'reloadSignal: "nginx" is given together with webhook'],
      [{ reloadSignal: { processName: 'nginx: master', user: 101 } }, 'reloadSignal.processName: "nginx: master" is not a process name as the kernel keeps it.'],
      [{ reloadSignal: { processName: 'a-very-long-process-name', user: 101 } }, 'reloadSignal.processName: "a-very-long-process-name" is not a process name'],
      [{ reloadSignal: { processName: 'nginx', user: 0 } }, 'reloadSignal.user: 0 is not the user id of a non-root process.'],
      [{ reloadSignal: { processName: 'nginx', user: 101.5 } }, 'reloadSignal.user: 101.5 is not the user id'],
      [{ reloadSignal: { processName: 'nginx', user: 101, signal: 'SIGHUP' } }, 'reloadSignal.signal: "SIGHUP" is not a signal an app reloads on. Give one of HUP, INT, QUIT, USR1, USR2, TERM, WINCH (without "SIG").'],
    ])('%j', (props, message) => {
      const { chart } = newChart();
      expect(() => new ConfigSyncSidecar(chart, 'sync', { workload: site(chart), repository: 'https://git.example.com/docs/site.git', mountPath: '/srv/site', ...props }))
        .toThrow(`[test/sync] ${message}`);
    });

    test('the valid repository forms synthesize', () => {
      for (const [repository, auth] of [
        ['https://git.example.com:8443/team/site.git', undefined],
        ['ssh://git@git.example.com:2222/team/site.git', ConfigSyncAuth.ssh({ secretName: 'key' })],
        ['git@github.com:example/site.git', ConfigSyncAuth.ssh({ secretName: 'key' })],
      ] as Array<[string, ConfigSyncAuth | undefined]>) {
        expect(containers(only(build({ repository, auth }).manifests, 'Deployment'))['config-sync'].args[0]).toBe(`--repo=${repository}`);
      }
    });

    test('a webhook port that no app container declares is an error at synth, listing the ports', () => {
      const { app, chart } = newChart();
      new ConfigSyncSidecar(chart, 'sync', { workload: site(chart), repository: 'https://git.example.com/a.git', mountPath: '/srv/site', webhook: { port: 9090 } });
      expect(synthErrorLines(app).join('\n')).toContain('[test/sync] webhook.port: 9090 is not a port that an app container of test/site declares, so git-sync\'s call would reach nothing. '
        + 'Give the port the app listens on for reloads: one of 8080 (site); or declare it in the app container.');
    });

    test('a mount path the app uses already is the rule duplicate-mount-path', () => {
      const { app, chart } = newChart();
      const workload = site(chart);
      workload.containers[0].mount('/srv/site', kplus.Volume.fromEmptyDir(chart, 'cache', 'cache'));
      new ConfigSyncSidecar(chart, 'sync', { workload, repository: 'https://git.example.com/a.git', mountPath: '/srv/site' });
      expect(synthErrorLines(app).join('\n')).toContain('[test/site] containers[site].volumeMounts: "/srv/site" is the mount path of two volumes in one container ("cache" and "config-sync-repo")');
    });

    test('a metrics port another container declares is the port conflict, naming metrics.port', () => {
      const { app, chart } = newChart();
      new ConfigSyncSidecar(chart, 'sync', { workload: site(chart), repository: 'https://git.example.com/a.git', mountPath: '/srv/site', metrics: { port: 8080 } });
      expect(synthErrorLines(app).join('\n')).toContain('set metrics.port of the sidecar "config-sync" to another port.');
    });
  });
});
