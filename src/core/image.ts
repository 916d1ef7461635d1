import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * An image reference split into its parts.
 *
 * @internal
 */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses an image reference; returns undefined when it is malformed.
 *
 * @internal
 */
export function parseImage(image: string): ImageReference | undefined {
  // The grammar of image references (github.com/distribution/reference, documented in
  // the OCI distribution spec): [domain[:port]/]path[:tag][@digest].
  const domain = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*)(?::[0-9]+)?$/;
  const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
  const tagPattern = /^[\w][\w.-]{0,127}$/;
  const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) {
      return undefined;
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) {
      return undefined;
    }
  }
  // The first of several components is a registry when it holds "." or ":". (The
  // runtimes take "localhost" for one too; as a path component it passes all the same.)
  const components = rest.split('/');
  const first = components[0];
  const hasDomain = components.length > 1 && (first.includes('.') || first.includes(':'));
  if (hasDomain && !domain.test(first)) {
    return undefined;
  }
  const path = hasDomain ? components.slice(1) : components;
  if (!path.every(c => pathComponent.test(c)) || rest.length > 255) {
    return undefined;
  }
  return { repository: rest, tag, digest };
}

/**
 * Checks an image reference and returns the pull policy that suits it:
 * `IfNotPresent` for a pinned tag or digest, `Always` for an allowed unpinned one.
 *
 * A malformed reference is always an error; `:latest` or no tag at all is an error
 * unless `allowUnpinned` is set.
 *
 * @internal
 */
export function checkImage(scope: IConstruct, field: string, image: string, allowUnpinned: boolean): kplus.ImagePullPolicy {
  const ref = parseImage(image);
  if (!ref) {
    fail(scope, field, image, 'is not a valid image reference',
      'Write it as [registry/]repository:tag or repository@sha256:digest, in lower case, for example "fluent/fluent-bit:3.2.10".');
  }
  const pinned = ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
  if (!pinned && !allowUnpinned) {
    fail(scope, field, image, ref.tag === 'latest' ? 'uses the moving tag "latest"' : 'has no tag, so it means "latest"',
      'Pin a release tag or a digest (for example "nicolaka/netshoot:v0.13"), or set allowUnpinnedImage: true to accept an image that changes under you.');
  }
  return pinned ? kplus.ImagePullPolicy.IF_NOT_PRESENT : kplus.ImagePullPolicy.ALWAYS;
}
