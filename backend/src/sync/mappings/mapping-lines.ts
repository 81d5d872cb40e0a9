import type { CountryCode } from 'libphonenumber-js/max';
import { applyTransform, type MappedValue } from './mapping-transforms';
import type { AmocrmMetadata } from '../../amocrm/metadata/amocrm-metadata.types';
import type { LptrackerProjectMetadata } from '../../lptracker/metadata/lptracker-metadata.types';
import type { FieldRef, MappingLine, MappingProblem } from './mapping.types';

/** The metadata a plan is made with (the amoCRM snapshot may be missing: custom fields then cannot be written). */
export interface MappingMeta {
  amocrm: AmocrmMetadata | null;
  lptracker: LptrackerProjectMetadata | null;
  /** Region of phones written without a country code (the `phone` transform); `RU` when absent. */
  region?: CountryCode;
}

/**
 * A line's transformed values (several for multi-valued sources); null when the source is unknown (a problem is
 * recorded). Shared by both directions.
 */
export function lineOutputs(
  line: MappingLine,
  path: string,
  valuesOf: (ref: FieldRef) => MappedValue[] | null,
  resolve: (ref: FieldRef) => string | null,
  region: CountryCode,
  problems: MappingProblem[],
): MappedValue[] | null {
  const standalone = line.transform.type === 'constant' || line.transform.type === 'template';
  let inputs: (MappedValue | null)[] = [null];
  if (!standalone) {
    if (line.source === null) {
      problems.push({
        path: `${path}.source`,
        code: 'sourceMissing',
        message: 'The line has no source field',
      });
      return null;
    }
    const values = valuesOf(line.source);
    if (values === null) {
      problems.push({
        path: `${path}.source`,
        code: 'unknownField',
        message: `Unknown source field ${line.source}`,
      });
      return null;
    }
    inputs = values;
  }
  const outputs: MappedValue[] = [];
  for (const input of inputs) {
    const result = applyTransform(line.transform, input, resolve, region);
    if (!result.ok) problems.push({ path: `${path}.transform`, code: result.code, message: result.message });
    else if (result.value !== null && !outputs.includes(result.value)) outputs.push(result.value);
  }
  return outputs;
}
