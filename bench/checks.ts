/* eslint-disable no-console */
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { build } from './services';
import { OperationalExcellenceChecks, ReadinessReview } from '../src';

/**
 * The rule pack and the readiness review on N operable serverless services (Lambda + REST API, 10 per stack):
 * time of `validateScope` after synth, against the synth itself and against cdk-nag's own AwsSolutions and
 * Serverless packs on the same app (baselines measured in the same run); then the readiness review of the assembly.
 */
/** The median time of `runs` runs of `fn` after one warm-up, in ms. */
export function median(runs: number, fn: () => void): number {
  fn(); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

export function benchChecks(runs: number): void {
  const fmt = (n: number, d = 1) => n.toFixed(d);
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log('\n## Rule pack and readiness review on N operable services (Lambda + REST API)\n');
  console.log('validateScope after synth, median of runs after a warm-up; baselines: the synth (construct + app.synth()) and cdk-nag 3 ' +
    'AwsSolutions / Serverless packs on the same app. Review: ReadinessReview.fromAssembly on the synthesized cdk.out.\n');
  console.log(`${pad('N', 3)} ${pad('res', 6)} ${pad('synth ms', 9)} ${pad('OpsExc ms', 10)} ${pad('% synth', 8)} ${pad('AwsSol ms', 10)} ` +
    `${pad('Srvless ms', 11)} ${pad('x AwsSol', 9)} ${pad('findings', 9)} ${pad('review ms', 10)}`);
  for (const n of [10, 50]) {
    const synthMs = median(runs, () => build('operable', n));
    const { app } = build('operable', n);
    const resources = app.node.findAll().filter((c) => (c as { cfnResourceType?: string }).cfnResourceType !== undefined).length;
    let findings = 0;
    const ours = median(runs, () => {
      findings = new OperationalExcellenceChecks().validateScope(app).violations.reduce((k, v) => k + v.violatingResources.length, 0);
    });
    const awsSolutions = median(runs, () => new AwsSolutionsChecks().validateScope(app));
    const serverless = median(runs, () => new ServerlessChecks().validateScope(app));
    const directory = app.synth().directory;
    const review = median(Math.max(1, Math.floor(runs / 2)), () => ReadinessReview.fromAssembly(directory, { assessedOn: '2026-11-24' }));
    console.log(`${pad(n, 3)} ${pad(resources, 6)} ${pad(fmt(synthMs), 9)} ${pad(fmt(ours), 10)} ${pad(fmt((100 * ours) / synthMs), 8)} ` +
      `${pad(fmt(awsSolutions), 10)} ${pad(fmt(serverless), 11)} ${pad(fmt(ours / awsSolutions, 2), 9)} ${pad(findings, 9)} ${pad(fmt(review), 10)}`);
  }
}
