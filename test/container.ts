import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs commands the way the kubelet runs a container's: as PID 1 of a new PID
 * namespace, in a mount namespace of its own whose root holds only the host's /usr
 * (so /bin/sh, bash, sleep...), /dev, a fresh /proc and /tmp, and the volumes of the
 * test bound where the Pod mounts them. Signals are sent from outside the namespace,
 * as the container runtime sends them: PID 1 gets only those it has a handler for.
 *
 * Needs root and util-linux `unshare`, which the tests have on this project's machines.
 */

/** Where busybox's applets are linked inside a container that asks for busybox. */
const BUSYBOX_BIN = '/busybox/bin';

/**
 * Whether busybox is installed here. The busybox image's sh and tail are what the
 * generated scripts meet in a Pod; .ci/run installs busybox from Debian. Without it
 * the scripts run under the host's POSIX sh and coreutils, which checks their logic
 * but not busybox's timing.
 */
export const HAS_BUSYBOX = spawnSync('busybox', ['true']).status === 0;

export interface ContainerSpec {
  /** The command, as in the Pod spec. */
  readonly argv: string[];
  /** Environment variables (PATH is set from `busybox` and `path`). */
  readonly env?: { [name: string]: string };
  /** Container directory to host directory, bound read-write (a volume). */
  readonly volumes?: { [containerPath: string]: string };
  /** Container file path to content (a ConfigMap). */
  readonly files?: { [containerPath: string]: string };
  /** Run with busybox's applets first on PATH, as in a busybox image (see HAS_BUSYBOX). */
  readonly busybox?: boolean;
  /** Container directories put before the default PATH (stand-in programs). */
  readonly path?: string[];
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds from the SIGTERM sent by `terminate` (or from the start) to the exit. */
  readonly ms: number;
}

/** A running container. */
export class Container {
  /** Starts a container. */
  public static start(spec: ContainerSpec): Container {
    const container = new Container(spec);
    Container.running.add(container);
    void container.exited.then(() => Container.running.delete(container));
    return container;
  }

  /**
   * Kills every container still running: after each test, so that a failed
   * expectation (or a broken script under mutation testing) leaves no process behind.
   */
  public static killAll(): void {
    Container.running.forEach(c => c.kill());
  }

  private static readonly running = new Set<Container>();

  /** Everything the container wrote to stdout and stderr so far. */
  public output = '';
  /** Resolves when the container's PID 1 has exited. */
  public readonly exited: Promise<Exit>;

  private readonly process: ChildProcess;
  private readonly root: string;
  private readonly argv: string[];
  private readonly started = Date.now();
  private termAt?: number;

  private constructor(spec: ContainerSpec) {
    this.argv = spec.argv;
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'container-'));
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'container-files-'));
    const setup = ['set -e', `root=${quote(this.root)}`,
      'mount -t tmpfs rootfs "$root"',
      'mkdir -p "$root/usr" "$root/dev" "$root/proc" "$root/tmp" "$root/etc"',
      'mount --rbind /usr "$root/usr"', 'mount --rbind /dev "$root/dev"', 'mount -t proc proc "$root/proc"',
      'for link in bin lib lib64 sbin; do [ -L "/$link" ] && ln -s "usr/$link" "$root/$link"; done',
      'cp /etc/passwd /etc/group "$root/etc/"'];
    const pathDirs = [...spec.path ?? []];
    if (spec.busybox && HAS_BUSYBOX) {
      setup.push(`mkdir -p "$root${BUSYBOX_BIN}"`, `for applet in $(busybox --list); do ln -s /usr/bin/busybox "$root${BUSYBOX_BIN}/$applet"; done`);
      pathDirs.push(BUSYBOX_BIN);
    }
    pathDirs.push('/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin');
    for (const [containerPath, hostPath] of Object.entries(spec.volumes ?? {})) {
      setup.push(`mkdir -p "$root"${quote(containerPath)}`, `mount --bind ${quote(hostPath)} "$root"${quote(containerPath)}`);
    }
    Object.entries(spec.files ?? {}).forEach(([containerPath, content], i) => {
      const staged = path.join(staging, String(i));
      fs.writeFileSync(staged, content, { mode: 0o755 });
      setup.push(`mkdir -p "$root"${quote(path.dirname(containerPath))}`, `cp ${quote(staged)} "$root"${quote(containerPath)}`);
    });
    setup.push('cd "$root"', 'exec chroot "$root" "$@"');
    this.process = spawn('unshare', ['--pid', '--fork', '--mount', '--kill-child', '/bin/sh', '-c', setup.join('\n'), 'setup', ...spec.argv], {
      env: { ...spec.env, PATH: pathDirs.join(':') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout!.on('data', chunk => this.output += chunk);
    this.process.stderr!.on('data', chunk => this.output += chunk);
    this.exited = new Promise(resolve => this.process.on('exit', (code, signal) => {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.rmdirSync(this.root);
      resolve({ code, signal, ms: Date.now() - (this.termAt ?? this.started) });
    }));
  }

  /** The host PID of the container's PID 1 (the child unshare forked). */
  public pid1(): number {
    const pid = this.process.pid!;
    for (let i = 0; i < 200; i++) {
      const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf-8').trim();
      if (children) {
        return Number(children.split(' ')[0]);
      }
      execFileSync('sleep', ['0.01']);
    }
    throw new Error('the container\'s PID 1 did not start');
  }

  /**
   * Resolves once PID 1 runs the container's own command (the harness's set-up shell,
   * also PID 1, has exec'd it), or rejects after `ms`. A signal that comes before is
   * discarded, as one that comes before a Pod's process has set its handler.
   */
  public async waitForExec(ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    const argv = this.argv.join('\0');
    while (fs.readFileSync(`/proc/${this.pid1()}/cmdline`, 'utf-8').replace(/\0$/, '') !== argv) {
      if (Date.now() > deadline) {
        throw new Error(`PID 1 did not exec ${JSON.stringify(this.argv)} within ${ms} ms`);
      }
      await sleep(20);
    }
  }

  /** Sends SIGTERM to PID 1, as the kubelet does through the runtime; `exited.ms` counts from here. */
  public terminate(): void {
    this.termAt = Date.now();
    process.kill(this.pid1(), 'SIGTERM');
  }

  /** SIGKILL, for a container that would not stop. */
  public kill(): void {
    this.process.kill('SIGKILL');
  }

  /** Runs a command inside the running container (`kubectl exec`, or an exec preStop hook). */
  public exec(argv: string[]): string {
    return execFileSync('nsenter', ['--target', String(this.pid1()), '--pid', '--mount', '--root', '--wd', ...argv], { encoding: 'utf-8' });
  }

  /** Runs a command inside the running container without blocking the test (a preStop hook beside others). */
  public execAsync(argv: string[]): Promise<void> {
    const pid = String(this.pid1());
    return new Promise((resolve, reject) => spawn('nsenter', ['--target', pid, '--pid', '--mount', '--root', '--wd', ...argv], { stdio: 'ignore' })
      .on('exit', code => code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  }

  /** Resolves once `text` appears in the output, or rejects after `ms`. */
  public async waitFor(text: string | RegExp, ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(typeof text === 'string' ? this.output.includes(text) : text.test(this.output))) {
      if (Date.now() > deadline) {
        throw new Error(`no ${text} in the container's output within ${ms} ms: ${JSON.stringify(this.output)}`);
      }
      await sleep(50);
    }
  }

  /**
   * Resolves once a process of the container runs a command line holding `text` (the
   * program is up, and its parents have done what they do before starting it), or
   * rejects after `ms`.
   */
  public async waitForProcess(text: string, ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      // the processes below PID 1, from the host's process table
      const table = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf-8' }).stdout.trim().split('\n')
        .map(line => /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(line)!).map(([, pid, ppid, args]) => ({ pid, ppid, args }));
      const inside = new Set([String(this.pid1())]);
      for (let grown = true; grown;) {
        grown = false;
        for (const p of table) {
          if (inside.has(p.ppid) && !inside.has(p.pid)) {
            inside.add(p.pid);
            grown = true;
          }
        }
      }
      if (table.some(p => inside.has(p.pid) && p.args.includes(text))) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`no process running ${JSON.stringify(text)} in the container within ${ms} ms`);
      }
      await sleep(50);
    }
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A temporary directory, as an emptyDir volume. */
export function emptyDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volume-'));
  fs.chmodSync(dir, 0o777);
  return dir;
}

function quote(word: string): string {
  return `'${word.replace(/'/g, '\'\\\'\'')}'`;
}
