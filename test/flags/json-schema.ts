/* eslint-disable import/no-extraneous-dependencies -- ajv 6 reaches node_modules through eslint; it is the reference JSON Schema
   validator of these tests (draft-04 as AppConfig validators run, draft-07 as the FeatureFlags format is written). */
import Ajv from 'ajv';
import DRAFT_04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { FEATURE_FLAGS_FORMAT } from './feature-flags-format';

/** A validator for the documented AWS.AppConfig.FeatureFlags format: the errors, none when valid. */
export function documentedFormat(): (doc: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, logger: false });
  const validate = ajv.compile(FEATURE_FLAGS_FORMAT);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`));
}

/** A draft-04 validator (as AppConfig runs validators) for a schema given as JSON text: the errors, none when valid. */
export function draft04(schema: string): (doc: unknown) => string[] {
  const ajv = new Ajv({ schemaId: 'auto', allErrors: true, logger: false });
  ajv.addMetaSchema(DRAFT_04);
  const validate = ajv.compile(JSON.parse(schema));
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`));
}
