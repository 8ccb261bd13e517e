import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';

/**
 * `CfnInclude` reads every template with its YAML parser (`cloudformation-include/lib/file-utils.js`,
 * `readYamlSync`), also a JSON one: at 120 services in 15 stacks that was 0.9 s of a 5.8 s review. A synthesized
 * template is JSON, and JSON is YAML, so for the duration of one include the reader is swapped for `JSON.parse` of the
 * already-parsed document: the same object the YAML parser would return for it. When a future aws-cdk-lib moves
 * that module, the review falls back to the YAML reader (slower, same result); `fastIncludeAvailable()` says which
 * (a test pins it).
 */
interface FileUtils { readYamlSync(file: string): unknown }

let fileUtils: FileUtils | undefined | null = null;

function loadFileUtils(): FileUtils | undefined {
  if (fileUtils === null) {
    try {
      const root = path.dirname(require.resolve('aws-cdk-lib/package.json'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(root, 'cloudformation-include', 'lib', 'file-utils.js')) as Partial<FileUtils>;
      fileUtils = typeof mod.readYamlSync === 'function' ? mod as FileUtils : undefined;
    } catch {
      fileUtils = undefined;
    }
  }
  return fileUtils;
}

/** Whether templates are included without the YAML parser. */
export function fastIncludeAvailable(): boolean {
  return loadFileUtils() !== undefined;
}

/**
 * Include a parsed JSON template into `stack` (logical ids preserved), as `new CfnInclude(stack, id, { templateFile })`
 * would, without parsing the file again.
 */
export function includeTemplate(stack: Stack, id: string, templateFile: string, template: object): CfnInclude {
  const utils = loadFileUtils();
  if (!utils) {
    return new CfnInclude(stack, id, { templateFile });
  }
  const original = utils.readYamlSync;
  const target = path.resolve(templateFile);
  utils.readYamlSync = (file: string) => (path.resolve(file) === target ? template : original(file));
  try {
    return new CfnInclude(stack, id, { templateFile });
  } finally {
    utils.readYamlSync = original;
  }
}

/** The context of the app templates are replayed into: no creation stack trace per element (0.7 s at 120 services). */
export const REPLAY_CONTEXT = { 'aws:cdk:disable-creation-stack-traces': true };
