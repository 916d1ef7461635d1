import { everyContainer } from './containers';
import { Rule } from './rule';

const FIX = 'Pin the image to a version tag (for example "nginx:1.27.3"), or to a digest ("nginx@sha256:...").';

/** The tag of an image reference, if it has one (the part after the last colon of its last path segment). */
function tagOf(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

/** Images are pinned: no `:latest` and no missing tag, where what runs changes without the manifest changing. */
export const mutableImageTag: Rule = {
  id: 'mutable-image-tag',
  level: 'warning',
  checks: 'Every container image has a tag other than latest, or a digest: what runs then changes only when the manifest does, and a reviewer sees it.',
  fix: FIX,
  check(pod) {
    return everyContainer(pod)
      .filter(({ c }) => typeof c.image === 'string' && c.image !== '' && !c.image.includes('@'))
      .flatMap(({ c, where }) => {
        const tag = tagOf(c.image);
        if (tag !== undefined && tag !== 'latest') {
          return [];
        }
        return [{
          field: `${where}.image`,
          value: c.image,
          problem: `${tag === undefined ? 'has no tag, which means latest' : 'is tagged latest'}: the image that runs changes whenever it is pushed again, and with imagePullPolicy Always by default, Pods of one workload may run different code`,
          fix: FIX,
        }];
      });
  },
};
