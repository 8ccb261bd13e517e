import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { OperationalExcellenceChecks, OrrLens } from '../src';

/**
 * The readiness custom lens deployed as AWS::WellArchitected::Lens, in an app that runs the OperationalExcellenceChecks
 * rule pack at synth (the lens stack has nothing to flag). After deployment the assertion reads the lens back from the
 * Well-Architected Tool. Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
const stack = new Stack(app, 'CdkOperableOrrLens');
// The lens is a platform resource: it needs its owners like anything else (OPS-OwnershipTags).
for (const [key, value] of Object.entries({ 'ops:owner': 'platform', 'ops:oncall': 'platform-oncall@example.com', 'ops:tier': 'standard' })) {
  Tags.of(stack).add(key, value);
}
const lens = new OrrLens(stack, 'Lens', { lensName: 'cdk-operable integ readiness' });

const integ = new IntegTest(app, 'OrrLensIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('WellArchitected', 'getLens', {
  LensAlias: lens.lensArn,
}).expect(ExpectedResult.objectLike({
  Lens: { Name: 'cdk-operable integ readiness' },
}));
