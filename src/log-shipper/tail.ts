import { EngineRendering, ShipperConfig } from './shipper-config';

/** The pinned busybox image of the tail engine. */
export const TAIL_IMAGE = 'busybox:1.37.0';

/**
 * busybox `tail -F`: waits for the first matching file, then follows every file
 * that matches at that moment (rotation included) and prints each line to stdout
 * with `[namespace/pod]` in front, as the seeds' log forwarder does.
 *
 * @internal
 */
export function renderTail(config: ShipperConfig): EngineRendering {
  const patterns = config.paths.join(' ');
  const script = [
    `until ls ${patterns} >/dev/null 2>&1; do sleep 2; done`,
    `tail -n +1 -F ${patterns} | while IFS= read -r line; do`,
    '  printf \'[%s/%s] %s\\n\' "$POD_NAMESPACE" "$POD_NAME" "$line"',
    'done',
  ].join('\n');
  return { files: {}, command: ['sh', '-c', script], ports: [] };
}
