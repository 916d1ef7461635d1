import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/**
 * How an app that reloads on a signal (nginx, HAProxy, Prometheus on SIGHUP) learns
 * of new content: a small watcher sidecar, in the Pod's shared process namespace,
 * sends the signal to the app's process when the link points to a new checkout.
 */
export interface ConfigSyncReloadSignal {
  /**
   * The app's process name, as the kernel shows it (`/proc/<pid>/comm`, at most 15
   * characters): "nginx", "haproxy", "prometheus". Of several processes with the name,
   * only those whose parent has another name get the signal (nginx's master, not its
   * workers).
   */
  readonly processName: string;

  /**
   * The user the app's process runs as. The watcher runs as this user, because a
   * process may only signal processes of its own user (the restricted profile drops
   * the capability to signal others).
   */
  readonly user: number;

  /**
   * The signal, without "SIG".
   *
   * @default "HUP"
   */
  readonly signal?: string;
}

const SIGNALS = ['HUP', 'INT', 'QUIT', 'USR1', 'USR2', 'TERM', 'WINCH'];

/**
 * The watcher's script, run by busybox `sh -c SCRIPT config-reload LINK NAME SIGNAL PERIOD`:
 * every PERIOD seconds it reads where LINK points; when that changed, it sends SIGNAL to
 * the processes named NAME whose parent has another name. It exits 0 on SIGTERM.
 *
 * @internal
 */
export const RELOAD_SCRIPT = [
  'trap \'exit 0\' TERM INT',
  'link=$1 name=$2 sig=$3 period=$4',
  'last=$(readlink "$link")',
  'while :; do',
  '  sleep "$period" & wait $!',
  '  now=$(readlink "$link")',
  '  [ -n "$now" ] && [ "$now" != "$last" ] || continue',
  '  for dir in /proc/[0-9]*; do',
  '    [ "$(cat "$dir/comm" 2>/dev/null)" = "$name" ] || continue',
  '    set -- $(cat "$dir/stat" 2>/dev/null | sed "s/.*) //")',
  '    [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$name" ] && continue',
  '    pid=${dir#/proc/}',
  '    if kill -s "$sig" "$pid"; then echo "config-reload: $link -> $now: sent SIG$sig to $name ($pid)"; fi',
  '  done',
  '  last=$now',
  'done',
].join('\n');

/**
 * Checks the props of a reload signal.
 *
 * @internal
 */
export function checkReloadSignal(scope: IConstruct, reload: ConfigSyncReloadSignal): string {
  if (!/^[A-Za-z0-9._+-]{1,15}$/.test(reload.processName)) {
    fail(scope, 'reloadSignal.processName', reload.processName, 'is not a process name as the kernel keeps it',
      'Give the program\'s name (at most 15 letters, digits and ._+-), for example "nginx".');
  }
  if (!Number.isInteger(reload.user) || reload.user < 1) {
    fail(scope, 'reloadSignal.user', reload.user, 'is not the user id of a non-root process',
      'Give the user id the app runs as (its securityContext.runAsUser), for example 101 for nginx-unprivileged.');
  }
  const signal = reload.signal ?? 'HUP';
  if (!SIGNALS.includes(signal)) {
    fail(scope, 'reloadSignal.signal', signal, 'is not a signal an app reloads on', `Give one of ${SIGNALS.join(', ')} (without "SIG").`);
  }
  return signal;
}
