/* eslint-disable no-console */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CloudWatchLimitsCheck, OperableFunction, Workload } from '../src';
import { StackLimitsValidation } from '../src/core/limits';

/**
 * What the synth-time CloudWatch limits check (`CloudWatchLimitsCheck`, added by every Workload) costs on the reference
 * workload's scale: 120 OperableFunctions in 15 stacks of 8. Baseline: the same app with `validateCloudWatchLimits: false`,
 * measured in the same run. CloudFormation validation plugin off.
 */
const code = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');

function build(services: number, perStack: number, limits: boolean): void {
  const app = new App({ builtinCloudFormationValidation: false });
  for (let s = 0; s * perStack < services; s++) {
    const stack = new Stack(app, `Squad${s}`, { env: { account: '123456789012', region: 'eu-west-1' } });
    const workload = new Workload(stack, 'Freight', {
      workloadName: `squad${s}`,
      owner: { team: `squad${s}`, onCall: `squad${s}-oncall` },
      runbookBaseUrl: 'https://runbooks.example.com/freight',
      validateCloudWatchLimits: limits,
    });
    for (let i = 0; i < Math.min(perStack, services - s * perStack); i++) {
      new OperableFunction(workload, `Service${i}`, { functionProps: { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code } });
    }
  }
  app.synth();
}

/** CPU time of this process (user + system), in ms: steadier than wall time on a shared 2-core machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median CPU ms of `fn`, and of the time spent inside the check (its aspect and its per-stack validation) during it. */
function median(runs: number, fn: () => void): { total: number; check: number } {
  const proto = CloudWatchLimitsCheck.prototype;
  const visit = proto.visit;
  const validation = StackLimitsValidation.prototype;
  const validate = validation.validate;
  let inCheck = 0;
  const timed = <T>(run: () => T): T => {
    const t0 = cpuMs();
    try {
      return run();
    } finally {
      inCheck += cpuMs() - t0;
    }
  };
  proto.visit = function (this: CloudWatchLimitsCheck, node) {
    return timed(() => visit.call(this, node));
  };
  validation.validate = function (this: StackLimitsValidation) {
    return timed(() => validate.call(this));
  };
  try {
    fn();
    const samples: Array<{ total: number; check: number }> = [];
    for (let r = 0; r < runs; r++) {
      inCheck = 0;
      const t0 = cpuMs();
      fn();
      samples.push({ total: cpuMs() - t0, check: inCheck });
    }
    samples.sort((a, b) => a.total - b.total);
    return samples[Math.floor(samples.length / 2)];
  } finally {
    proto.visit = visit;
    validation.validate = validate;
  }
}

export function benchLimits(runs: number): void {
  const fmt = (n: number, d = 1) => n.toFixed(d);
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log('\n## Synth-time CloudWatch limits check at the reference scale\n');
  console.log('CPU ms (user + system) of construct + app.synth(), median of runs after a warm-up; "in check" is the CPU time spent ' +
    'inside CloudWatchLimitsCheck (its aspect and its once-per-stack validation) during the same synth; baseline: the same app with validateCloudWatchLimits: false.\n');
  console.log(`${pad('services', 8)} ${pad('stacks', 6)} ${pad('synth ms', 9)} ${pad('in check ms', 12)} ${pad('% of synth', 11)} ${pad('baseline ms', 12)}`);
  for (const [services, perStack] of [[40, 8], [120, 8]] as const) {
    const on = median(runs, () => build(services, perStack, true));
    const off = median(runs, () => build(services, perStack, false));
    console.log(`${pad(services, 8)} ${pad(Math.ceil(services / perStack), 6)} ${pad(fmt(on.total), 9)} ${pad(fmt(on.check), 12)} ` +
      `${pad(fmt((100 * on.check) / on.total), 11)} ${pad(fmt(off.total), 12)}`);
  }
}
