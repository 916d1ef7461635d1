import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CheckProtocol, DependencyCheck, NetshootDebugSidecar, Sidecar, SidecarMode } from '../../src';
import { shellQuote } from '../../src/netshoot/checks';
import { newChart, only, podMetadata, podSpec, synth } from '../util';

function backend(chart: kplus.Deployment['chart']) {
  return new kplus.Deployment(chart, 'backend', {
    metadata: { name: 'backend', namespace: 'ns-backend' },
    containers: [{ name: 'backend', image: 'ghcr.io/example/backend:1.4.2', portNumber: 8080 }],
  });
}

const SEED_CHECKS: DependencyCheck[] = [
  { name: 'postgres-svc', host: 'postgresql.ns-backend.svc.cluster.local', port: 5432 },
  { name: 'postgres-headless', host: 'dev-psql-hl-svc.ns-postgresql.svc.cluster.local', port: 5432 },
];

describe('seed 000: netshoot beside a backend', () => {
  test('a sleeping, restricted, probe-less native sidecar with the seed\'s resources', () => {
    const { app, chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart) });
    const spec = podSpec(only(synth(app), 'Deployment'));
    const netshoot = spec.initContainers[0];
    expect(netshoot.name).toBe('netshoot');
    expect(netshoot.restartPolicy).toBe('Always');
    expect(netshoot.image).toBe(NetshootDebugSidecar.DEFAULT_IMAGE);
    expect(netshoot.image).toMatch(/^nicolaka\/netshoot:v\d+\.\d+$/);
    expect(netshoot.command).toEqual(Sidecar.exitOnSigterm(['sleep', 'infinity']));
    expect(netshoot.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } });
    expect(netshoot.readinessProbe).toBeUndefined();
    expect(netshoot.startupProbe).toBeUndefined();
    expect(netshoot.livenessProbe).toBeUndefined();
    expect(netshoot.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(netshoot.securityContext.capabilities.add).toBeUndefined();
    expect(spec.shareProcessNamespace).toBeUndefined();
  });

  test('checks: a script in a ConfigMap, mounted read-only, run by the sidecar, with a checksum annotation', () => {
    const { app, chart } = newChart();
    const debug = new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), checks: SEED_CHECKS });
    const manifests = synth(app);
    const deployment = only(manifests, 'Deployment');
    const configMap = only(manifests, 'ConfigMap');
    const netshoot = podSpec(deployment).initContainers[0];

    expect(netshoot.command).toEqual(['bash', '/etc/netshoot/checks.sh']);
    expect(netshoot.volumeMounts).toEqual([{ name: 'netshoot-config', mountPath: '/etc/netshoot', readOnly: true }]);
    expect(podSpec(deployment).volumes).toEqual([{ name: 'netshoot-config', configMap: { name: configMap.metadata.name } }]);
    expect(configMap.metadata.namespace).toBe('ns-backend');
    expect(configMap.data['checks.sh']).toBe(debug.checkScript);
    expect(debug.checkScript).toContain("  check_tcp 'postgres-svc' 'postgresql.ns-backend.svc.cluster.local' 5432\n");
    expect(debug.checkScript).toContain("  check_tcp 'postgres-headless' 'dev-psql-hl-svc.ns-postgresql.svc.cluster.local' 5432\n");
    expect(podMetadata(deployment).annotations['checksum.cdk8s-sidecars/netshoot']).toMatch(/^[0-9a-f]{64}$/);
    expect(manifests).toMatchSnapshot();
  });

  test('a change of checks changes the checksum, the same checks keep it', () => {
    const checksum = (checks: DependencyCheck[]) => {
      const { app, chart } = newChart();
      new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), checks });
      return podMetadata(only(synth(app), 'Deployment')).annotations['checksum.cdk8s-sidecars/netshoot'];
    };
    expect(checksum(SEED_CHECKS)).toBe(checksum(SEED_CHECKS));
    expect(checksum(SEED_CHECKS)).not.toBe(checksum(SEED_CHECKS.slice(1)));
  });

  test('kubectl commands for the synthesized Pods', () => {
    const { chart } = newChart();
    const debug = new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart) });
    expect(debug.execCommand()).toBe('kubectl exec -it -n ns-backend deployment/backend -c netshoot -- bash');
    expect(debug.logsCommand()).toBe('kubectl logs -f -n ns-backend deployment/backend -c netshoot');
  });
});

describe('the check script, run with bash against stand-ins for nc, dig and curl', () => {
  const bash = (script: string, args: string[], env: { [k: string]: string } = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netshoot-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // stand-ins that behave like the real tools for the hosts of the test
    fs.writeFileSync(path.join(bin, 'nc'), `#!/bin/sh
host="$5"; port="$6"
case "$host" in
  postgresql.ns-backend.svc.cluster.local) echo "nc: getaddrinfo for host \\"$host\\" port $port: Name does not resolve" >&2; exit 1;;
  *) echo "Connection to $host ($port) port $port [tcp/postgresql] succeeded!" >&2; exit 0;;
esac
`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'dig'), `#!/bin/sh
for a; do last="$a"; done
[ "$last" = "web.shop.svc.cluster.local" ] && echo 10.0.0.7
exit 0
`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'curl'), `#!/bin/sh
for a; do last="$a"; done
case "$last" in */healthz) printf 204;; *) printf 503;; esac
`, { mode: 0o755 });
    const file = path.join(dir, 'checks.sh');
    fs.writeFileSync(file, script);
    return execFileSync('bash', [file, ...args], { env: { PATH: `${bin}:${process.env.PATH}`, ...env }, encoding: 'utf-8' });
  };

  const script = (checks: DependencyCheck[]) => {
    const { chart } = newChart();
    return new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), checks }).checkScript!;
  };

  test('is valid bash', () => {
    execFileSync('bash', ['-n'], { input: script(SEED_CHECKS) });
  });

  test('seed 000: the Service name that does not resolve fails, the headless one connects', () => {
    const lines = bash(script(SEED_CHECKS), ['once']).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ postgres-svc FAIL \d+ms nc: getaddrinfo for host "postgresql.ns-backend.svc.cluster.local" port 5432: Name does not resolve$/);
    expect(lines[1]).toMatch(/^\S+ postgres-headless ok \d+ms connected to dev-psql-hl-svc.ns-postgresql.svc.cluster.local:5432$/);
  });

  test('DNS and HTTP checks', () => {
    const out = bash(script([
      { host: 'web.shop.svc.cluster.local', protocol: CheckProtocol.DNS },
      { host: 'missing.shop.svc', protocol: CheckProtocol.DNS },
      { host: 'web.shop.svc', protocol: CheckProtocol.HTTP, port: 8080, path: '/healthz', expectedStatus: 204 },
      { host: 'web.shop.svc', protocol: CheckProtocol.HTTP },
    ]), ['once']);
    expect(out).toMatch(/ dns:\/\/web.shop.svc.cluster.local ok \d+ms web.shop.svc.cluster.local resolves to 10.0.0.7\n/);
    expect(out).toMatch(/ dns:\/\/missing.shop.svc FAIL \d+ms missing.shop.svc does not resolve\n/);
    expect(out).toMatch(/ http:\/\/web.shop.svc:8080 ok \d+ms GET http:\/\/web.shop.svc:8080\/healthz returned 204\n/);
    expect(out).toMatch(/ http:\/\/web.shop.svc:80 FAIL \d+ms GET http:\/\/web.shop.svc:80\/ returned 503, expected 200\n/);
  });


  test('the interval and timeout are the props', () => {
    const { chart } = newChart();
    const text = new NetshootDebugSidecar(chart, 'debug', {
      workload: backend(chart), checks: SEED_CHECKS, checkInterval: Duration.minutes(2), checkTimeout: Duration.seconds(3),
    }).checkScript!;
    expect(text).toContain('\nINTERVAL=120\nTIMEOUT=3\n');
  });

  test('shellQuote closes and reopens around a single quote', () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(execFileSync('bash', ['-c', `printf %s ${shellQuote("a'$(id) `b`")}`], { encoding: 'utf-8' })).toBe("a'$(id) `b`");
  });
});

describe('options', () => {
  test('packetCapture: root with NET_ADMIN and NET_RAW, and only then', () => {
    const { app, chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), packetCapture: true });
    const context = podSpec(only(synth(app), 'Deployment')).initContainers[0].securityContext;
    expect(context).toMatchObject({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, allowPrivilegeEscalation: false, privileged: false });
    expect(context.capabilities).toEqual({ drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] });
  });

  test('shareProcessNamespace', () => {
    const { app, chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), shareProcessNamespace: true });
    expect(podSpec(only(synth(app), 'Deployment')).shareProcessNamespace).toBe(true);
  });

  test('enabled: false adds nothing', () => {
    const { app, chart } = newChart();
    const debug = new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), enabled: false, checks: SEED_CHECKS });
    const manifests = synth(app);
    expect(manifests.map(m => m.kind)).toEqual(['Deployment']);
    expect(podSpec(manifests[0]).initContainers).toBeUndefined();
    expect(debug.sidecar).toBeUndefined();
    expect(() => debug.execCommand()).toThrow('[test/debug] enabled: false leaves the workload without a netshoot sidecar, so there is nothing to exec into. Set enabled: true where you want the commands.');
  });

  test('classic mode', () => {
    const { app, chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), mode: SidecarMode.CLASSIC });
    expect(podSpec(only(synth(app), 'Deployment')).containers.map((c: any) => c.name)).toEqual(['backend', 'netshoot']);
  });

  test('commands for a Pod without namespace and for a CronJob', () => {
    const { chart } = newChart();
    const pod = new kplus.Pod(chart, 'pod', { metadata: { name: 'tools' }, containers: [{ image: 'nginx:1.27.3' }] });
    expect(new NetshootDebugSidecar(chart, 'pod-debug', { workload: pod }).execCommand()).toBe('kubectl exec -it pod/tools -c netshoot -- bash');
    const cron = new kplus.CronJob(chart, 'cron', { schedule: Cron.daily(), containers: [{ image: 'nginx:1.27.3' }] });
    const label = podMetadata(only(Testing.synth(chart), 'CronJob')).labels['cdk8s.io/metadata.addr'];
    expect(new NetshootDebugSidecar(chart, 'cron-debug', { workload: cron }).logsCommand())
      .toBe(`kubectl logs -f $(kubectl get pods -l cdk8s.io/metadata.addr=${label} -o name | head -n 1) -c netshoot`);
  });
});

describe('bad input', () => {
  const attempt = (checks: DependencyCheck[], extra: object = {}) => () => {
    const { chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), checks, ...extra });
  };

  // each message whole: what is wrong and what to do
  test.each([
    [{ host: 'db; rm -rf /', port: 5432 }, '[test/debug] checks[0].host: "db; rm -rf /" is not a DNS name or an IP address. Give a Service name such as "postgresql.db.svc", a full name such as "postgresql.db.svc.cluster.local", or an IP address.'],
    [{ host: 'db.svc;', port: 5432 }, '[test/debug] checks[0].host: "db.svc;" is not a DNS name or an IP address.'],
    [{ host: 'db.svc..', port: 5432 }, '[test/debug] checks[0].host: "db.svc.." is not a DNS name or an IP address.'],
    [{ host: '999.999.999.999', port: 5432 }, '[test/debug] checks[0].host: "999.999.999.999" is not a DNS name or an IP address.'],
    [{ host: 'db.svc', port: 53, protocol: CheckProtocol.DNS }, '[test/debug] checks[0].port: 53 is set on a DNS check, which resolves a name and connects nowhere. Remove the port, or use CheckProtocol.TCP.'],
    [{ host: 'db.svc', port: 5432, path: '/x' }, '[test/debug] checks[0].path: "/x" is set on a tcp check. Only HTTP checks take a path: remove it, or use CheckProtocol.HTTP.'],
    [{ host: 'db.svc', protocol: CheckProtocol.DNS, path: '/x' }, '[test/debug] checks[0].path: "/x" is set on a dns check.'],
    [{ host: 'web.svc', protocol: CheckProtocol.HTTP, path: '/a b' }, '[test/debug] checks[0].path: "/a b" is not a URL path of plain characters. Start it with "/" and use letters, digits and -._~!$&()*+,;=:@%/ only.'],
    [{ host: 'web.svc', protocol: CheckProtocol.HTTP, expectedStatus: 99 }, '[test/debug] checks[0].expectedStatus: 99 is not an HTTP status code. Use a code from 100 to 599, for example 200 or 204.'],
    [{ host: 'web.svc', protocol: CheckProtocol.HTTP, expectedStatus: 600 }, '[test/debug] checks[0].expectedStatus: 600 is not an HTTP status code.'],
    [{ host: 'web.svc', protocol: CheckProtocol.HTTP, expectedStatus: 200.5 }, '[test/debug] checks[0].expectedStatus: 200.5 is not an HTTP status code.'],
    [{ host: 'db.svc', port: 5432, expectedStatus: 200 }, '[test/debug] checks[0].expectedStatus: 200 is set on a tcp check. Only HTTP checks have a status: remove it, or use CheckProtocol.HTTP.'],
    [{ host: 'db.svc', port: 5432, name: 'my check' }, '[test/debug] checks[0].name: "my check" is not a plain check name. Use at most 100 letters, digits and ._:/@- characters.'],
    [{ host: 'db.svc', port: 5432, name: 'n'.repeat(101) }, `[test/debug] checks[0].name: "${'n'.repeat(101)}" is not a plain check name.`],
    [{ host: 'db.svc', port: 5432, name: '' }, '[test/debug] checks[0].name: "" is not a plain check name.'],
    [{ host: '$(id).svc', port: 5432 }, '[test/debug] checks[0].host: "$(id).svc" is not a DNS name or an IP address'],
    [{ host: "db'.svc", port: 5432 }, 'checks[0].host: "db\'.svc" is not a DNS name or an IP address'],
    [{ host: 'db.svc' }, '[test/debug] checks[0].port: (not set) is required for a TCP check. Give the port'],
    [{ host: 'db.svc', port: 70000 }, '[test/debug] checks[0].port: 70000 is not a port number. Use a whole number from 1 to 65535.'],
    [{ host: 'web.svc', protocol: CheckProtocol.HTTP, path: "/'$(id)'" }, 'is not a URL path of plain characters'],
  ])('%j', (check, message) => {
    expect(attempt([check])).toThrow(message);
  });

  test('limits on the good side: status 100 and 599, a name of 100 characters, an absolute host, an IPv6 host', () => {
    const { chart } = newChart();
    const debug = new NetshootDebugSidecar(chart, 'debug', {
      workload: backend(chart),
      checks: [
        { host: 'web.svc', protocol: CheckProtocol.HTTP, expectedStatus: 100, name: 'continue' },
        { host: 'web.svc', protocol: CheckProtocol.HTTP, expectedStatus: 599, name: 'n'.repeat(100) },
        { host: 'postgresql.db.svc.cluster.local.', port: 5432 },
        { host: 'fd00::10', protocol: CheckProtocol.HTTP, port: 8080, path: '/healthz' },
        { host: 'fd00::53', protocol: CheckProtocol.DNS, name: 'dns-v6' },
      ],
    });
    expect(debug.checkScript).toContain("  check_http 'continue' 'http://web.svc:80/' 100\n");
    expect(debug.checkScript).toContain(`  check_http '${'n'.repeat(100)}' 'http://web.svc:80/' 599\n`);
    expect(debug.checkScript).toContain("  check_tcp 'tcp://postgresql.db.svc.cluster.local.:5432' 'postgresql.db.svc.cluster.local.' 5432\n");
    // brackets around an IPv6 address in a URL, none in a host argument
    expect(debug.checkScript).toContain("  check_http 'http://fd00::10:8080' 'http://[fd00::10]:8080/healthz' 200\n");
    expect(debug.checkScript).toContain("  check_dns 'dns-v6' 'fd00::53'\n");
  });

  test.each([
    [{ checkTimeout: Duration.seconds(0) }, '[test/debug] checkTimeout: "0s" must be at least 1s and at most checkInterval (60s). Shorten the timeout or lengthen the interval.'],
    // found by these tests: a fraction failed with cdk8s's bare "'1500 millis' cannot be converted into a whole number of seconds."
    [{ checkTimeout: Duration.millis(1500) }, '[test/debug] checkTimeout: "1.5s" is not a whole number of seconds.'],
    [{ checkInterval: Duration.millis(90500) }, '[test/debug] checkInterval: "90.5s" is not a whole number of seconds.'],
    [{ checkInterval: Duration.seconds(4) }, '[test/debug] checkTimeout: "5s" must be at least 1s and at most checkInterval (4s).'],
  ])('check timing out of bounds %#', (timing, message) => {
    expect(attempt(SEED_CHECKS, timing)).toThrow(message);
  });

  test('check timing at its bounds: a timeout of 1s, an interval equal to the timeout', () => {
    const { chart } = newChart();
    const a = new NetshootDebugSidecar(chart, 'a', { workload: backend(chart), checks: SEED_CHECKS, checkTimeout: Duration.seconds(1), checkInterval: Duration.seconds(1) });
    expect(a.checkScript).toContain('INTERVAL=1\nTIMEOUT=1\n');
  });

  test('resources of its own replace the defaults', () => {
    const { app, chart } = newChart();
    new NetshootDebugSidecar(chart, 'debug', { workload: backend(chart), resources: { cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) } } });
    expect(podSpec(only(synth(app), 'Deployment')).initContainers[0].resources).toEqual({ requests: { cpu: '50m' }, limits: { cpu: '500m' } });
  });

  test('two checks with one name', () => {
    expect(attempt([{ host: 'a.svc', port: 1 }, { host: 'b.svc', port: 1, name: 'tcp://a.svc:1' }]))
      .toThrow('[test/debug] checks[1].name: "tcp://a.svc:1" is the name of two checks. Give each check a name of its own.');
  });

  test('a timeout longer than the interval', () => {
    expect(attempt(SEED_CHECKS, { checkInterval: Duration.seconds(5), checkTimeout: Duration.seconds(10) }))
      .toThrow('[test/debug] checkTimeout: "10s" must be at least 1s and at most checkInterval (5s). Shorten the timeout');
  });

  test('an unpinned image', () => {
    expect(attempt([], { image: 'nicolaka/netshoot:latest' })).toThrow('[test/debug/Sidecar] image: "nicolaka/netshoot:latest" uses the moving tag "latest"');
  });
});
