/**
 * How git-sync signs in to the repository.
 */
export enum ConfigSyncAuthKind {
  /** An SSH key, with the host keys it trusts. */
  SSH = 'ssh',
  /** A user name and a password or personal access token, over HTTPS. */
  TOKEN = 'token',
}

/**
 * Options of `ConfigSyncAuth.ssh`.
 */
export interface SshAuthOptions {
  /** The name of the Secret, in the workload's namespace. */
  readonly secretName: string;

  /**
   * The Secret's key holding the private key.
   *
   * @default "ssh"
   */
  readonly privateKeyKey?: string;

  /**
   * The Secret's key holding the `known_hosts` lines of the Git server, which git-sync
   * checks the server's host key against (always: an unknown host fails the sync).
   *
   * @default "known_hosts"
   */
  readonly knownHostsKey?: string;
}

/**
 * Options of `ConfigSyncAuth.token`.
 */
export interface TokenAuthOptions {
  /**
   * The user name (not a secret: it is written into git-sync's arguments).
   */
  readonly username: string;

  /** The name of the Secret, in the workload's namespace. */
  readonly secretName: string;

  /**
   * The Secret's key holding the password or personal access token.
   *
   * @default "password"
   */
  readonly passwordKey?: string;
}

/**
 * The credentials of a `ConfigSyncSidecar`, from a Secret that is mounted read-only
 * into the config sync containers only, at `/etc/git-secret`, and read by git-sync from
 * there: never an environment variable or an argument. Use the static factories.
 */
export class ConfigSyncAuth {
  /**
   * An SSH key, for an `ssh://` or `user@host:path` repository. The Secret's files
   * are mounted with mode 0444 (owned by root, so that OpenSSH accepts the key
   * whatever user reads it), in no other container.
   */
  public static ssh(options: SshAuthOptions): ConfigSyncAuth {
    return new ConfigSyncAuth(ConfigSyncAuthKind.SSH, options.secretName, {
      ssh: options.privateKeyKey ?? 'ssh',
      known_hosts: options.knownHostsKey ?? 'known_hosts',
    });
  }

  /**
   * A user name and a password or token, for an `https://` repository.
   */
  public static token(options: TokenAuthOptions): ConfigSyncAuth {
    return new ConfigSyncAuth(ConfigSyncAuthKind.TOKEN, options.secretName, { password: options.passwordKey ?? 'password' }, options.username);
  }

  private constructor(
    /** Which kind of credentials. */
    public readonly kind: ConfigSyncAuthKind,
    /** The Secret's name. */
    public readonly secretName: string,
    /** File name under /etc/git-secret to the Secret's key. */
    public readonly files: { [file: string]: string },
    /** The user name, for a token. */
    public readonly username?: string) {
  }
}
