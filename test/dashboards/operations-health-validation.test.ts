import { App, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AlarmScope, DeploymentSource, IncidentSource, OperationalExcellenceChecks, OperationsHealthDashboard, OperationsHealthDashboardProps, Workload,
} from '../../src';
import { freight, testStack } from '../support/fixtures';

/** Build a dashboard 'Operations' inside the freight workload (path Test/Freight/Operations). */
const build = (props: OperationsHealthDashboardProps) => () => {
  const { stack } = testStack();
  new OperationsHealthDashboard(freight(stack).workload, 'Operations', props);
};

const AT = '[Test/Freight/Operations] ';

describe('OperationsHealthDashboard: bad input fails at synth, naming the construct, the value and the fix', () => {
  test('a dashboard name CloudWatch rejects', () => {
    expect(build({ dashboardName: 'freight operations' })).toThrow(`${AT}dashboardName 'freight operations' is invalid: CloudWatch allows ` +
      "1-255 letters, digits, '-' and '_'. Pass a dashboardName that fits.");
    expect(build({ dashboardName: 'x'.repeat(256) })).toThrow(/dashboardName 'x{256}' is invalid/);
  });

  test('a retention of forever', () => {
    expect(build({ logRetention: logs.RetentionDays.INFINITE })).toThrow(`${AT}logRetention RetentionDays.INFINITE keeps the event log forever; ` +
      'logs need a retention (OPS08-BP02). Omit logRetention for RetentionDays.THIRTEEN_MONTHS, or pass another finite retention of at least ' +
      'RetentionDays.THREE_MONTHS.');
  });

  test('a retention shorter than a quarter', () => {
    expect(build({ logRetention: logs.RetentionDays.TWO_MONTHS })).toThrow(`${AT}logRetention of 60 days is shorter than 90: DORA figures ` +
      'compare a quarter with the one before. Pass RetentionDays.THREE_MONTHS or longer, or omit logRetention for RetentionDays.THIRTEEN_MONTHS.');
    expect(build({ logRetention: logs.RetentionDays.THREE_MONTHS })).not.toThrow();
  });

  test('a metric namespace CloudWatch rejects or reserves', () => {
    const message = (ns: string) => `${AT}metricNamespace '${ns}' is invalid: CloudWatch allows 1-255 letters, digits, spaces and . - _ / # :, ` +
      "not starting with 'AWS/' (reserved for AWS services). Pass a namespace like 'OperationsHealth/my-workload'.";
    expect(build({ metricNamespace: 'AWS/Deployments' })).toThrow(message('AWS/Deployments'));
    expect(build({ metricNamespace: 'Ops$Health' })).toThrow(message('Ops$Health'));
    expect(build({ metricNamespace: '' })).toThrow(message(''));
  });

  test('no deployment source, or one twice', () => {
    expect(build({ deploymentSources: [] })).toThrow(`${AT}deploymentSources is empty, so nothing would be measured. Omit deploymentSources ` +
      'for the defaults, or list DeploymentSource.codeDeploy(), DeploymentSource.ecs() or DeploymentSource.codePipeline().');
    expect(build({ deploymentSources: [DeploymentSource.ecs(), DeploymentSource.codeDeploy(), DeploymentSource.ecs({ serviceArns: ['arn'] })] }))
      .toThrow(`${AT}deploymentSources lists ECS twice; each source is captured once. Merge its filters into one entry.`);
  });

  test('a deployment filter that matches nothing', () => {
    expect(build({ deploymentSources: [DeploymentSource.codeDeploy({ applicationNames: [] })] })).toThrow(`${AT}DeploymentSource CodeDeploy: ` +
      'applicationNames is empty, so no deployment would be counted. Omit applicationNames to count every one, or list at least one.');
    expect(build({ deploymentSources: [DeploymentSource.ecs({ serviceArns: [] })] })).toThrow(`${AT}DeploymentSource ECS: serviceArns is empty`);
    expect(build({ deploymentSources: [DeploymentSource.codePipeline({ pipelineNames: ['release', ' '] })] }))
      .toThrow(`${AT}DeploymentSource CodePipeline: pipelineNames contains an empty name; remove it.`);
  });

  test('no incident source, or one twice', () => {
    expect(build({ incidentSources: [] })).toThrow(`${AT}incidentSources is empty, so nothing would be measured. Omit incidentSources for the ` +
      'defaults, or list IncidentSource.OPS_CENTER or IncidentSource.INCIDENT_MANAGER.');
    expect(build({ incidentSources: [IncidentSource.OPS_CENTER, IncidentSource.OPS_CENTER] }))
      .toThrow(`${AT}incidentSources lists OpsCenter twice; each source is captured once. Merge its filters into one entry.`);
  });

  test('an alarm scope that names nothing', () => {
    expect(build({ alarmScope: AlarmScope.namePrefix('') })).toThrow(`${AT}alarmScope AlarmScope.namePrefix('') is invalid: give 1-255 ` +
      'characters of the alarm names to follow, or pass AlarmScope.ALL to follow every alarm.');
    const { stack } = testStack();
    expect(() => new OperationsHealthDashboard(stack, 'Platform', { alarmScope: AlarmScope.workload() })).toThrow('[Test/Platform] alarmScope ' +
      'AlarmScope.workload() needs an enclosing Workload to name the alarms, and there is none. Define the dashboard inside a Workload, ' +
      'or pass AlarmScope.namePrefix(...) or AlarmScope.ALL.');
  });

  test('more widgets than CloudWatch allows on one dashboard', () => {
    const { stack } = testStack();
    const ops = new OperationsHealthDashboard(freight(stack).workload, 'Operations');
    for (let i = 0; i < 494; i++) ops.addWidgets(new cloudwatch.TextWidget({ markdown: `${i}` }));
    expect(() => Stack.of(ops).resolve(ops.cfnDashboard.dashboardBody)).toThrow(
      `${AT}Dashboard has 501 widgets; CloudWatch allows 500. Split it into several dashboards.`);
  });
});

/** ERROR-level findings of the rule pack, as [rule, construct path], after synth (tags are applied by then). */
function errors(app: App, severity = 'error'): Array<[string, string]> {
  app.synth();
  return new OperationalExcellenceChecks().validateScope(app).violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r): [string, string] => [v.ruleName, r.constructPath!]));
}

describe('OperationsHealthDashboard: the rule pack', () => {
  test('inside a Workload: no ERROR finding (retention set, ownership tags on the log group and rules); the only WARN asks for a target', () => {
    const { app, stack } = testStack();
    const workload = new Workload(stack, 'Freight', { workloadName: 'freight', owner: { team: 'pricing', onCall: 'pricing-oncall' } });
    new OperationsHealthDashboard(workload, 'Operations', {
      deploymentSources: [DeploymentSource.codeDeploy(), DeploymentSource.ecs(), DeploymentSource.codePipeline()],
      incidentSources: [IncidentSource.OPS_CENTER, IncidentSource.INCIDENT_MANAGER],
    });
    expect(errors(app)).toEqual([]);
    // OPS09-BP03: the figures are reviewed against a target only when an alarm watches them (see the class example).
    expect(errors(app, 'warning')).toEqual([['OPS-OperationsReview[NoTargetAlarm]', 'Test/Freight/Operations/Events/Resource']]);
  });

  test('outside a Workload the log group, the event rules and the dashboard need ownership tags of their own; with them, no ERROR', () => {
    const untagged = testStack();
    new OperationsHealthDashboard(untagged.stack, 'Operations');
    const paths = ['AlarmStateChanges', 'CodeDeployDeployments', 'ECSDeployments', 'Events', 'OpsCenterIncidents'].map((id) => `Test/Operations/${id}/Resource`)
      .concat('Test/Operations/Resource');
    expect(errors(untagged.app).sort()).toEqual(['ops:owner', 'ops:oncall', 'ops:tier'].flatMap((key) => paths.map((p) => [`OPS-OwnershipTags[${key}]`, p])).sort());
    const tagged = testStack();
    const ops = new OperationsHealthDashboard(tagged.stack, 'Operations');
    for (const [key, value] of [['ops:owner', 'platform'], ['ops:oncall', 'platform-oncall'], ['ops:tier', 'critical']]) Tags.of(ops).add(key, value);
    expect(errors(tagged.app)).toEqual([]);
  });
});
