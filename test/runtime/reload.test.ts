// The config sync's reload watcher, run as the kubelet runs it: PID 1 of its container,
// its volume where the Pod mounts it, and the app's processes in the same PID namespace
// (shareProcessNamespace). The link is switched as git-sync switches it (a rename).
import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-28';
import { ConfigSyncSidecar } from '../../src';
import { Container, emptyDir, sleep } from '../container';
import { newChart, only, podSpec, synth } from '../util';

afterEach(() => Container.killAll());

/** A stand-in for nginx: a master and a worker, both named nginx, writing down the signals they get. */
const FAKE_NGINX = `#!/bin/sh
trap 'echo master-hup >> /out/signals' HUP
( trap 'echo worker-hup >> /out/signals' HUP; while :; do sleep 1 & wait $!; done ) &
touch /out/ready
while :; do sleep 1 & wait $!; done
`;

function watcherCommand(): string[] {
  const { app, chart } = newChart();
  const workload = new kplus.Deployment(chart, 'web', {
    containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.3', portNumber: 8080, securityContext: { user: 101, group: 101 } }],
  });
  new ConfigSyncSidecar(chart, 'pages', {
    workload, repository: 'https://git.example.com/site.git', mountPath: '/srv/site', reloadSignal: { processName: 'nginx', user: 101 },
  });
  const spec = podSpec(only(synth(app), 'Deployment'));
  expect(spec.shareProcessNamespace).toBe(true);
  return spec.initContainers.find((c: any) => c.name === 'config-sync-reload').command;
}

/** Points `current` at a new checkout in one rename, as git-sync does. */
function switchLink(site: string, hash: string): void {
  fs.mkdirSync(path.join(site, '.worktrees', hash), { recursive: true });
  fs.symlinkSync(`.worktrees/${hash}`, path.join(site, 'tmp-link'));
  fs.renameSync(path.join(site, 'tmp-link'), path.join(site, 'current'));
}

test('signals the app\'s master process once per new checkout, not its workers, and exits 0 on SIGTERM', async () => {
  const site = emptyDir();
  const out = emptyDir();
  switchLink(site, 'aaa');
  const c = Container.start({ argv: watcherCommand(), busybox: true, volumes: { '/srv/site': site, '/out': out }, files: { '/app/nginx': FAKE_NGINX } });
  await c.waitForExec();
  void c.execAsync(['/app/nginx']).catch(() => undefined);
  for (let i = 0; !fs.existsSync(path.join(out, 'ready')); i++) {
    expect(i).toBeLessThan(100);
    await sleep(50);
  }
  // the same checkout, looked at once at least (every 5 s): no signal
  await sleep(6000);
  expect(fs.existsSync(path.join(out, 'signals'))).toBe(false);
  switchLink(site, 'bbb');
  await c.waitFor(/sent SIGHUP to nginx \(\d+\)/, 8000);
  await sleep(300);
  expect(fs.readFileSync(path.join(out, 'signals'), 'utf-8')).toBe('master-hup\n');
  expect(c.output).toContain('config-reload: /srv/site/current -> .worktrees/bbb: sent SIGHUP to nginx');
  c.terminate();
  const exit = await c.exited;
  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(exit.ms).toBeLessThan(1000);
}, 30000);
