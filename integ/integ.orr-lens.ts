import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { OperationalExcellenceChecks, OrrLens } from '../src';

/**
 * The readiness custom lens deployed as AWS::WellArchitected::Lens, in an app that runs the OperationalExcellenceChecks
 * rule pack at synth (the lens stack has nothing to flag). After deployment the assertion reads the lens back from the
 * Well-Architected Tool. Snapshot produced with `npx projen integ:update` (integ-runner --dry-run; no AWS account here).
 */
const app = new App();
Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
const stack = new Stack(app, 'CdkOperableOrrLens');
const lens = new OrrLens(stack, 'Lens', { lensName: 'cdk-operable integ readiness' });

const integ = new IntegTest(app, 'OrrLensIntegTest', { testCases: [stack] });

integ.assertions.awsApiCall('WellArchitected', 'getLens', {
  LensAlias: lens.lensArn,
}).expect(ExpectedResult.objectLike({
  Lens: { Name: 'cdk-operable integ readiness' },
}));
