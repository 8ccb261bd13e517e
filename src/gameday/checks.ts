import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { LambdaFaultConfiguration } from './lambda-fault-configuration';
import { Check, Checks, checkProps, checkRequired, describeValue, isDuration } from '../core/checks';
import { fail } from '../core/errors';
import { describeWindow } from '../core/naming';

/** What a check needs: where to report, and which experiment (internal). */
interface CheckContext {
  readonly scope: IConstruct;
  readonly name: string;
}

/** FIS actions with a duration run for 1 minute to 12 hours (FIS user guide, actions reference and quotas). */
const MIN_DURATION = Duration.minutes(1);
const MAX_DURATION = Duration.hours(12);

/** One FIS `sources` entry: an IPv4 address or CIDR, a domain or AZ name or id, ALL, DYNAMODB or S3. */
const SOURCE = /^[A-Za-z0-9][A-Za-z0-9.\-/:]*$/;

/** A whole percentage from 1 to 100, as FIS parameters and `PERCENT(n)` selection modes take them. */
export function checkPercent(ctx: CheckContext, field: string, value: number, meaning: string): number {
  if (Token.isUnresolved(value)) fail(ctx.scope, `experiment '${ctx.name}': ${field} must be known at synth (${meaning}), got a token.`);
  if (!Number.isInteger(value) || value < 1 || value > 100) {
    fail(ctx.scope, `experiment '${ctx.name}': ${field} must be a whole number from 1 to 100 (${meaning}), got ${describeValue(value)}.`);
  }
  return value;
}

/** An action duration FIS accepts: known at synth, whole seconds, 1 minute to 12 hours (rendered as ISO 8601, e.g. PT10M). */
export function checkDuration(ctx: CheckContext, duration: Duration): Duration {
  const where = `experiment '${ctx.name}': duration`;
  if (!isDuration(duration)) fail(ctx.scope, `${where} must be a Duration (e.g. Duration.minutes(10)), got ${describeValue(duration)}.`);
  if (duration.isUnresolved()) {
    fail(ctx.scope, `${where} must be known at synth (FIS takes an ISO 8601 duration such as PT10M), got a token.`);
  }
  const ms = duration.toMilliseconds({ integral: false });
  if (ms % 1000 !== 0) {
    fail(ctx.scope, `${where} must be a whole number of seconds (FIS takes an ISO 8601 duration such as PT10M), got ${ms} ms.`);
  }
  if (ms < MIN_DURATION.toMilliseconds() || ms > MAX_DURATION.toMilliseconds()) {
    fail(ctx.scope, `${where} must be from 1 minute to 12 hours (the FIS action limits), got ${describeDuration(duration)}.`);
  }
  return duration;
}

/** A delay in whole milliseconds, at most `max` when given (`limit` says whose limit it is). */
export function checkMilliseconds(ctx: CheckContext, field: string, value: Duration, max?: number, limit = ''): number {
  const where = `experiment '${ctx.name}': ${field}`;
  if (!isDuration(value)) fail(ctx.scope, `${where} must be a Duration (e.g. Duration.millis(500)), got ${describeValue(value)}.`);
  if (value.isUnresolved()) fail(ctx.scope, `${where} must be known at synth, got a token.`);
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || (max !== undefined && ms > max)) {
    fail(ctx.scope, `${where} must be a whole number of milliseconds${max !== undefined ? ` from 0 to ${max}${limit}` : ''}, got ${ms} ms.`);
  }
  return ms;
}

/** FIS `sources`: entries without spaces or commas, joined with commas. */
export function checkSources(ctx: CheckContext, sources: string[]): string {
  if (sources.length === 0) {
    fail(ctx.scope, `experiment '${ctx.name}': sources is empty: leave it out for all traffic (ALL), or list destinations.`);
  }
  for (const source of sources) {
    if (!Token.isUnresolved(source) && !SOURCE.test(source)) {
      fail(ctx.scope, `experiment '${ctx.name}': sources entry '${source}' is invalid: give an IPv4 address, a CIDR block, a domain name, ` +
        'an AZ name or id, ALL, DYNAMODB or S3, without spaces or commas.');
    }
  }
  return sources.join(',');
}

/** `10 minutes`, `1 hour 30 minutes`-style: the largest whole unit. */
export function describeDuration(duration: Duration): string {
  return describeWindow(duration);
}

/** Shape checks of the Lambda experiments' options (percent, durations and delays are checked where they are used). */
export const LAMBDA_CHECKS: Record<string, readonly [Check, string?]> = {
  configuration: [Checks.instance(LambdaFaultConfiguration.isLambdaFaultConfiguration, 'a LambdaFaultConfiguration'),
    'e.g. LambdaFaultConfiguration.fromBucket(bucket).'],
  lambdaFunction: [Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as lambda.IFunction).functionArn === 'string',
    'a Lambda function (lambda.IFunction)')],
};
/** Shape checks of the ECS experiments' options. */
export const ECS_CHECKS: Record<string, readonly [Check, string?]> = {
  service: [Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as ecs.IBaseService).serviceName === 'string' &&
    typeof (v as ecs.IBaseService).cluster === 'object', 'an ECS service (ecs.IBaseService)')],
};

/** Shapes every experiment's options must have (plain JavaScript callers), then what the kind checks. */
export function checkOptions(ctx: CheckContext, options: object, table: Record<string, readonly [Check, string?]>): void {
  checkProps(ctx.scope, 'experiment options', options, {
    name: [Checks.string()],
    runbook: [Checks.string({ nonEmpty: true }), 'Give a URL or an SSM document name, or leave runbook out for the game day\'s.'],
    ...table,
  }, `experiment '${ctx.name}': `);
  // service is optional: an OperableFargateService game day service stands for it (the experiment checks that).
  for (const prop of ['configuration'].filter((p) => table[p] !== undefined)) {
    checkRequired(ctx.scope, `experiment '${ctx.name}': ${prop}`, (options as Record<string, unknown>)[prop], table[prop][0], table[prop][1]);
  }
}
