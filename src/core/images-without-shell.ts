/**
 * Whether an image is one this library knows to have no `/bin/sh`, so that a command
 * run through a shell (`sh -c`, the wrappers of classic sidecars in a Job, the drain
 * wrapper) cannot start in it: distroless images and the like. An image it does not
 * know is taken to have one. (The list stands inside the function, so that mutation
 * testing changes its patterns like any other code.)
 *
 * @internal
 */
export function knownWithoutShell(image: unknown): boolean {
  if (typeof image !== 'string') {
    return false;
  }
  // each entry says how the project names its variant with a shell
  const withoutShell: Array<{ readonly image: RegExp; readonly unless?: RegExp }> = [
    // Google's distroless images; the ":debug" tags add busybox
    { image: /^gcr\.io\/distroless\//, unless: /:debug(-nonroot)?$/ },
    // Fluent Bit's release images are distroless; the "-debug" tags have a shell
    { image: /^(cr\.fluentbit\.io\/)?fluent\/fluent-bit(:|@|$)/, unless: /-debug$/ },
    // Envoy's distroless variant, as a tag or as its own repository
    { image: /^(docker\.io\/)?envoyproxy\/envoy(-distroless|:distroless-)/ },
    // Vector's distroless variants
    { image: /^(docker\.io\/)?timberio\/vector:.*-distroless-/ },
    // Chainguard's images; the "-dev" tags have a shell
    { image: /^cgr\.dev\/chainguard\//, unless: /-dev$/ },
    // the Cloud SQL Auth Proxy's default images; the -alpine, -bullseye and -bookworm tags have a shell
    { image: /^gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy(:|@|$)/, unless: /-(alpine|bullseye|bookworm)$/ },
    // the Pod sandbox image
    { image: /^registry\.k8s\.io\/pause(:|@|$)/ },
  ];
  return withoutShell.some(entry => entry.image.test(image) && !(entry.unless?.test(image) ?? false));
}
