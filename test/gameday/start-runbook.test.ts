import * as iam from 'aws-cdk-lib/aws-iam';
import { auroraCluster, gameDay, inlineStatements, logicalId, world } from './gameday-fixtures';
import { GameDay, GameDayExperiment } from '../../src/gameday';
import { documentContent, FakeAws, simulateRunbook } from '../support/runbook-simulation';

/** A game day with two experiments: Lambda errors, and an Aurora failover exercising the failover runbook. */
function twoExperiments(): { day: GameDay; errorsId: string; failoverId: string } {
  const w = world();
  const day = gameDay(w, {
    experiments: [
      GameDayExperiment.lambdaInvocationErrors({ configuration: w.faults }),
      GameDayExperiment.auroraFailover({ cluster: auroraCluster(w.stack), runbook: 'freight-failover-orders', name: 'orders-failover' }),
    ],
  });
  return { day, errorsId: logicalId(day.experimentTemplates[0]), failoverId: logicalId(day.experimentTemplates[1]) };
}

const experimentArns = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:us-east-1:123456789012:experiment/*']] };
const templateArn = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:us-east-1:123456789012:experiment-template/', { Ref: id }]] });

describe('the start runbook', () => {
  test('parameter: one of the game day templates; steps: approval gate, start (idempotent per execution), wait, result', () => {
    const { day, errorsId, failoverId } = twoExperiments();
    const content = documentContent(day.startRunbook!);
    expect(content.parameters).toEqual({
      ExperimentTemplateId: {
        type: 'String',
        description: `The experiment to run: lambda-invocation-errors (${errorsId}), orders-failover (${failoverId}).`,
        allowedValues: [errorsId, failoverId],
      },
    });
    expect(content.mainSteps.map((s) => [s.name, s.action])).toEqual([
      ['ApproveChange', 'aws:approve'],
      ['StartExperiment', 'aws:executeAwsApi'],
      ['WaitForEnd', 'aws:waitForAwsResourceProperty'],
      ['ReadResult', 'aws:executeAwsApi'],
    ]);
    expect(content.mainSteps[1].inputs).toEqual({
      Service: 'fis', Api: 'StartExperiment', clientToken: '{{ automation:EXECUTION_ID }}', experimentTemplateId: '{{ ExperimentTemplateId }}',
    });
    expect(content.mainSteps[2].inputs).toEqual({
      Service: 'fis',
      Api: 'GetExperiment',
      id: '{{ StartExperiment.ExperimentId }}',
      PropertySelector: '$.experiment.state.status',
      DesiredValues: ['completed', 'stopped', 'failed', 'cancelled'],
    });
    expect(content.outputs).toEqual(['StartExperiment.ExperimentId', 'ReadResult.Status', 'ReadResult.Reason']);
    expect(day.startRunbook!.hasApprovalGate).toBe(true);
  });

  test('the description lists each experiment with its template and the runbook it exercises', () => {
    const { day, errorsId, failoverId } = twoExperiments();
    const markdown = documentContent(day.startRunbook!).description;
    expect(markdown).toContain('# Start a game day of quotes (freight)\n\nStart one of the AWS FIS experiments of the quotes game day and wait ' +
      'until it ends. FIS stops it when freight-quotes-page fires.\n');
    expect(markdown).toContain(`- lambda-invocation-errors, template ${errorsId}: exercises ${day.runbook}.\n`);
    expect(markdown).toContain(`- orders-failover (aurora-failover), template ${failoverId}: exercises freight-failover-orders.\n`);
    expect(markdown).toContain('## How to roll back\n\nStop the experiment: `aws fis stop-experiment --id <StartExperiment.ExperimentId>`.');
  });

  test('its role may start these templates only, and read experiments', () => {
    const { day, errorsId, failoverId } = twoExperiments();
    expect(inlineStatements(day.startRunbook!.role.node.defaultChild as iam.CfnRole)).toEqual([
      { Effect: 'Allow', Action: 'fis:StartExperiment', Resource: [templateArn(errorsId), templateArn(failoverId), experimentArns] },
      { Effect: 'Allow', Action: 'fis:GetExperiment', Resource: experimentArns },
    ]);
  });

  test('simulated: approved, it starts the chosen template once and returns how the experiment ended', () => {
    const { day, errorsId } = twoExperiments();
    const aws = new FakeAws()
      .when('fis', 'StartExperiment', undefined, { experiment: { id: 'EXP123', state: { status: 'initiating' } } })
      .when('fis', 'GetExperiment', { id: 'EXP123' },
        { experiment: { id: 'EXP123', state: { status: 'running' } } },
        { experiment: { id: 'EXP123', state: { status: 'stopped', reason: 'Experiment stopped by stop condition.' } } });
    const run = simulateRunbook(day.startRunbook!, { aws, inputs: { ExperimentTemplateId: errorsId } });
    expect(run.status).toBe('Success');
    expect(run.steps).toEqual(['ApproveChange', 'StartExperiment', 'WaitForEnd', 'ReadResult']);
    expect(aws.callsTo('fis', 'StartExperiment')).toEqual([{ clientToken: expect.any(String), experimentTemplateId: errorsId }]);
    expect(run.outputs).toEqual(expect.objectContaining({
      'StartExperiment.ExperimentId': 'EXP123',
      'ReadResult.Status': 'stopped',
      'ReadResult.Reason': 'Experiment stopped by stop condition.',
    }));
  });

  test('simulated: rejected, nothing starts', () => {
    const { day, errorsId } = twoExperiments();
    const aws = new FakeAws();
    const run = simulateRunbook(day.startRunbook!, { aws, inputs: { ExperimentTemplateId: errorsId }, approve: false });
    expect(run.status).toBe('Failed');
    expect(aws.calls).toEqual([]);
  });
});
