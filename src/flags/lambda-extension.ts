import { Aws, CfnMapping, Stack, Token } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/** The port the AppConfig Lambda extension and agent listen on. */
export const EXTENSION_PORT = 2772;
const MAPPING_ID = 'CdkOperableAppConfigExtension';
const KEYS = { [appconfig.Platform.X86_64]: 'x8664', [appconfig.Platform.ARM_64]: 'arm64' } as const;

/**
 * The ARN of the AppConfig Lambda extension layer for `architecture` in the stack's region (the versions aws-cdk-lib
 * publishes in `Application.getLambdaLayerVersionArn`). In a region-agnostic stack, a `Fn::FindInMap` over every
 * region aws-cdk-lib knows.
 */
export function extensionLayerArn(scope: IConstruct, architecture: lambda.Architecture): string {
  const stack = Stack.of(scope);
  const platform = architecture.name === lambda.Architecture.ARM_64.name ? appconfig.Platform.ARM_64 : appconfig.Platform.X86_64;
  if (!Token.isUnresolved(stack.region)) {
    const arn = appconfig.Application.getLambdaLayerVersionArn(stack.region, platform) as string | undefined;
    if (!arn) {
      fail(scope, `aws-cdk-lib knows no AppConfig Lambda extension layer for ${platform} in ${stack.region}: pass lambdaExtension: false ` +
        'and add the layer (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-integration-lambda-extensions-versions.html) yourself.');
    }
    return arn!;
  }
  const existing = stack.node.tryFindChild(MAPPING_ID);
  const mapping = existing instanceof CfnMapping ? existing : new CfnMapping(stack, MAPPING_ID, { mapping: layerTable() });
  return mapping.findInMap(Aws.REGION, KEYS[platform]);
}

function layerTable(): Record<string, Record<string, string>> {
  const table: Record<string, Record<string, string>> = {};
  for (const region of RegionInfo.regions.map((r) => r.name).sort()) {
    const row: Record<string, string> = {};
    for (const platform of [appconfig.Platform.X86_64, appconfig.Platform.ARM_64]) {
      const arn = appconfig.Application.getLambdaLayerVersionArn(region, platform) as string | undefined;
      if (arn) row[KEYS[platform]] = arn;
    }
    if (Object.keys(row).length > 0) table[region] = row;
  }
  return table;
}
