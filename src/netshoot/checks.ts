import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { checkPort, isHost, isUrlPath } from '../core/validate';

/**
 * How a dependency check reaches its target.
 */
export enum CheckProtocol {
  /** A TCP connection to host:port (`nc -z`). */
  TCP = 'tcp',
  /** Resolution of the host name through the Pod's DNS settings and search domains (`dig +search`). */
  DNS = 'dns',
  /** An HTTP GET of http://host:port/path whose status must be the expected one (`curl`). */
  HTTP = 'http',
}

/**
 * One dependency of the app that the netshoot sidecar checks at start and then
 * every interval, printing one line per check to its stdout.
 */
export interface DependencyCheck {
  /**
   * The host to reach: a DNS name (a Service's short or full name) or an IP address.
   */
  readonly host: string;

  /**
   * The port. Required for TCP; for HTTP it defaults to 80; DNS checks take none.
   *
   * @default - none for TCP and DNS, 80 for HTTP
   */
  readonly port?: number;

  /**
   * How to check.
   *
   * @default CheckProtocol.TCP
   */
  readonly protocol?: CheckProtocol;

  /**
   * For HTTP: the path to GET.
   *
   * @default "/"
   */
  readonly path?: string;

  /**
   * For HTTP: the status code that counts as success.
   *
   * @default 200
   */
  readonly expectedStatus?: number;

  /**
   * The name printed on the check's lines.
   *
   * @default - `protocol://host:port`
   */
  readonly name?: string;
}

const CHECK_NAME = /^[A-Za-z0-9._:/@-]{1,100}$/;

/**
 * A check with every default filled in and every field validated.
 *
 * @internal
 */
export interface ResolvedCheck {
  readonly name: string;
  readonly protocol: CheckProtocol;
  readonly host: string;
  readonly port?: number;
  readonly path: string;
  readonly expectedStatus: number;
}

/**
 * Validates the checks and fills in their defaults. Host names, paths and names are
 * held to strict character sets, so nothing a user writes can reach the shell as code.
 *
 * @internal
 */
export function resolveChecks(scope: IConstruct, checks: DependencyCheck[]): ResolvedCheck[] {
  const names = new Set<string>();
  return checks.map((check, i) => {
    const field = `checks[${i}]`;
    const protocol = check.protocol ?? CheckProtocol.TCP;
    // absolute names (a trailing dot) are allowed: they test resolution without search domains
    if (!isHost(check.host, true)) {
      fail(scope, `${field}.host`, check.host, 'is not a DNS name or an IP address',
        'Give a Service name such as "postgresql.db.svc", a full name such as "postgresql.db.svc.cluster.local", or an IP address.');
    }
    let port = check.port;
    if (protocol === CheckProtocol.DNS && port !== undefined) {
      fail(scope, `${field}.port`, port, 'is set on a DNS check, which resolves a name and connects nowhere', 'Remove the port, or use CheckProtocol.TCP.');
    }
    if (protocol === CheckProtocol.HTTP) {
      port = port ?? 80;
    }
    if (protocol === CheckProtocol.TCP && port === undefined) {
      fail(scope, `${field}.port`, port, 'is required for a TCP check', 'Give the port to connect to, for example 5432.');
    }
    if (port !== undefined) {
      checkPort(scope, `${field}.port`, port);
    }
    const path = check.path ?? '/';
    if (check.path !== undefined && protocol !== CheckProtocol.HTTP) {
      fail(scope, `${field}.path`, check.path, `is set on a ${protocol} check`, 'Only HTTP checks take a path: remove it, or use CheckProtocol.HTTP.');
    }
    if (!isUrlPath(path)) {
      fail(scope, `${field}.path`, path, 'is not a URL path of plain characters', 'Start it with "/" and use letters, digits and -._~!$&()*+,;=:@%/ only.');
    }
    const expectedStatus = check.expectedStatus ?? 200;
    if (check.expectedStatus !== undefined && protocol !== CheckProtocol.HTTP) {
      fail(scope, `${field}.expectedStatus`, check.expectedStatus, `is set on a ${protocol} check`, 'Only HTTP checks have a status: remove it, or use CheckProtocol.HTTP.');
    }
    if (!Number.isInteger(expectedStatus) || expectedStatus < 100 || expectedStatus > 599) {
      fail(scope, `${field}.expectedStatus`, expectedStatus, 'is not an HTTP status code', 'Use a code from 100 to 599, for example 200 or 204.');
    }
    const name = check.name ?? `${protocol}://${check.host}${port !== undefined ? `:${port}` : ''}`;
    if (!CHECK_NAME.test(name)) {
      fail(scope, `${field}.name`, name, 'is not a plain check name', 'Use at most 100 letters, digits and ._:/@- characters.');
    }
    if (names.has(name)) {
      fail(scope, `${field}.name`, name, 'is the name of two checks', 'Give each check a name of its own.');
    }
    names.add(name);
    return { name, protocol, host: check.host, port, path, expectedStatus };
  });
}

/**
 * Quotes a word for the shell: single quotes, with any single quote inside closed,
 * escaped and reopened.
 *
 * @internal
 */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * The bash script that runs the checks: once at start, then every `interval`, until
 * SIGTERM, on which it exits at once (or once, when started with the argument `once`). One line per check on stdout:
 * time, name, `ok` or `FAIL`, latency in milliseconds and a detail.
 *
 * It uses only what the netshoot image has: bash, nc, dig, curl and date.
 *
 * @internal
 */
export function checkScript(checks: ResolvedCheck[], intervalSeconds: number, timeoutSeconds: number): string {
  const lines = checks.map(c => {
    switch (c.protocol) {
      case CheckProtocol.TCP:
        return `  check_tcp ${shellQuote(c.name)} ${shellQuote(c.host)} ${c.port}`;
      case CheckProtocol.DNS:
        return `  check_dns ${shellQuote(c.name)} ${shellQuote(c.host)}`;
      default: {
        const host = c.host.includes(':') ? `[${c.host}]` : c.host;
        return `  check_http ${shellQuote(c.name)} ${shellQuote(`http://${host}:${c.port}${c.path}`)} ${c.expectedStatus}`;
      }
    }
  });
  return `#!/bin/bash
# Dependency checks, generated by cdk8s-sidecars. One line per check and round:
#   <UTC time> <name> ok|FAIL <latency>ms <detail>
set -u
INTERVAL=${intervalSeconds}
TIMEOUT=${timeoutSeconds}

now_us() { local t=\${EPOCHREALTIME/[.,]/}; echo "\${t#0}"; }

report() { # name, ok|FAIL, start in microseconds, detail
  local end; end=$(now_us)
  printf '%s %s %s %dms %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2" $(( (end - $3) / 1000 )) "$4"
}

one_line() { tr '\\n' ' ' | sed 's/ *$//'; }

check_tcp() { # name, host, port
  local start out; start=$(now_us)
  if out=$(nc -z -v -w "$TIMEOUT" "$2" "$3" 2>&1); then
    report "$1" ok "$start" "connected to $2:$3"
  else
    report "$1" FAIL "$start" "$(printf '%s' "$out" | one_line)"
  fi
}

check_dns() { # name, host
  local start out; start=$(now_us)
  out=$(dig +search +short +time="$TIMEOUT" +tries=1 "$2" 2>&1)
  if [ $? -eq 0 ] && [ -n "$out" ]; then
    report "$1" ok "$start" "$2 resolves to $(printf '%s' "$out" | one_line)"
  else
    report "$1" FAIL "$start" "$2 does not resolve\${out:+: $(printf '%s' "$out" | one_line)}"
  fi
}

check_http() { # name, url, expected status
  local start status; start=$(now_us)
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$TIMEOUT" "$2" 2>&1)
  if [ "$status" = "$3" ]; then
    report "$1" ok "$start" "GET $2 returned $status"
  else
    report "$1" FAIL "$start" "GET $2 returned \${status:-nothing}, expected $3"
  fi
}

run_checks() {
${lines.join('\n')}
}

if [ "\${1:-}" = once ]; then
  run_checks
  exit 0
fi

# PID 1 of its container: exit at once on SIGTERM. A round and the pause between two
# run in the background, so that the signal does not wait for a check's timeout.
trap 'kill "$!" 2>/dev/null; exit 0' TERM INT
while :; do
  run_checks & wait $!
  sleep "$INTERVAL" & wait $!
done
`;
}
