import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AlarmScope, DeploymentSource, IncidentSource, OperationsHealthDashboard, OperationsHealthDashboardProps,
} from '../../src';
import { dashboardNamed, logicalId, resourcesOf, subText, templateOf } from '../apis/support';
import { freight, testStack } from '../support/fixtures';

/** An OperationsHealthDashboard 'Operations' in the freight workload. */
function inWorkload(props: OperationsHealthDashboardProps = {}) {
  const { stack } = testStack();
  const { workload } = freight(stack);
  const ops = new OperationsHealthDashboard(workload, 'Operations', props);
  return { stack, workload, ops, get template() { return Template.fromStack(stack); } };
}

/** The event patterns of every rule, in template order. */
const patternsOf = (stack: Stack) => resourcesOf(templateOf(stack), 'AWS::Events::Rule').map(([, r]) => r.Properties!.EventPattern);

const CODEDEPLOY = { 'source': ['aws.codedeploy'], 'detail-type': ['CodeDeploy Deployment State-change Notification'] };
const ECS = { 'source': ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'] };
const CODEPIPELINE = { 'source': ['aws.codepipeline'], 'detail-type': ['CodePipeline Pipeline Execution State Change'] };
const ALARMS = { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] };
const OPSCENTER = { 'source': ['aws.ssm'], 'detail-type': ['OpsItem Create'], 'detail': { 'ops-item-type': ['/aws/issue'] } };
const INCIDENT_MANAGER = {
  'source': ['aws.ssm-incidents'],
  'detail-type': ['AWS API Call via CloudTrail'],
  'detail': { eventSource: ['ssm-incidents.amazonaws.com'], eventName: ['StartIncident'] },
};

describe('OperationsHealthDashboard: defaults inside a Workload', () => {
  const { stack, ops, template } = inWorkload();

  test('one retained log group, kept 400 days (13 months), with the workload ownership tags', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        RetentionInDays: 400,
        Tags: [{ Key: 'ops:oncall', Value: 'pricing-oncall@example.com' }, { Key: 'ops:owner', Value: 'pricing' },
          { Key: 'ops:tier', Value: 'standard' }, { Key: 'ops:workload', Value: 'freight' }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(ops.eventLogGroup).toBeInstanceOf(logs.LogGroup);
  });

  test('a native resource policy lets only events.amazonaws.com create streams and put events (no custom resource, no Lambda)', () => {
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    const [[, policy]] = resourcesOf(templateOf(stack), 'AWS::Logs::ResourcePolicy');
    const document = Stack.of(ops).resolve(policy.Properties!.PolicyDocument) as { 'Fn::Join': [string, unknown[]] };
    expect(JSON.parse((document['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'LOG_GROUP_ARN')).join(''))).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: 'LOG_GROUP_ARN',
      }],
    });
    expect(document['Fn::Join'][1]).toContainEqual({ 'Fn::GetAtt': [logicalId(ops.eventLogGroup), 'Arn'] });
    template.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('four rules: CodeDeploy and ECS deployments, the workload alarms (prefix freight-), OpsCenter issues', () => {
    expect(patternsOf(stack)).toEqual([CODEDEPLOY, ECS, { ...ALARMS, detail: { alarmName: [{ prefix: 'freight-' }] } }, OPSCENTER]);
    expect(ops.alarmNamePrefix).toBe('freight-');
  });

  test('each rule writes whole events to the log group (no input, no role) and waits for the resource policy', () => {
    const policyId = resourcesOf(templateOf(stack), 'AWS::Logs::ResourcePolicy')[0][0];
    for (const [, rule] of resourcesOf(templateOf(stack), 'AWS::Events::Rule')) {
      expect(rule.Properties!.Targets).toEqual([{
        Id: 'Target0',
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: logicalId(ops.eventLogGroup) }]] },
      }]);
      expect((rule as { DependsOn?: string[] }).DependsOn).toEqual([policyId]);
      expect(rule.Properties!.Description).toMatch(/^OperationsHealthDashboard freight-operations: .* into the operations event log\.$/);
    }
  });

  test('metric filters: Deployments counts finished deployments, FailedDeployments failed ones (0 for any other event)', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 2);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(ops.eventLogGroup) },
      FilterPattern: '{ ($.source = "aws.codedeploy" && ($.detail.state = "SUCCESS" || $.detail.state = "FAILURE" || $.detail.state = "STOP")) || ' +
        '($.source = "aws.ecs" && ($.detail.eventName = "SERVICE_DEPLOYMENT_COMPLETED" || $.detail.eventName = "SERVICE_DEPLOYMENT_FAILED")) }',
      MetricTransformations: [{ MetricNamespace: 'OperationsHealth/freight', MetricName: 'Deployments', MetricValue: '1', Unit: 'Count' }],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.source = "aws.codedeploy" && ($.detail.state = "FAILURE" || $.detail.state = "STOP")) || ' +
        '($.source = "aws.ecs" && ($.detail.eventName = "SERVICE_DEPLOYMENT_FAILED")) }',
      MetricTransformations: [{
        MetricNamespace: 'OperationsHealth/freight', MetricName: 'FailedDeployments', MetricValue: '1', DefaultValue: 0, Unit: 'Count',
      }],
    });
  });

  test('saved Logs Insights queries over the log group, named after the dashboard', () => {
    template.resourceCountIs('AWS::Logs::QueryDefinition', 2);
    for (const [name, query] of [['time-to-restore', ops.timeToRestoreQuery], ['incidents-per-week', ops.incidentsPerWeekQuery]]) {
      template.hasResourceProperties('AWS::Logs::QueryDefinition', {
        Name: `freight-operations/${name}`, QueryString: query, LogGroupNames: [{ Ref: logicalId(ops.eventLogGroup) }],
      });
    }
  });

  test('the dashboard is freight-operations, 90 days back, and its widgets are laid out in rows', () => {
    expect(ops.dashboardName).toBe('freight-operations');
    expect(ops.dashboardUrl).toBe('https://console.aws.amazon.com/cloudwatch/home#dashboards:name=freight-operations');
    expect(ops.metricNamespace).toBe('OperationsHealth/freight');
    const body = dashboardNamed(templateOf(stack), 'freight-operations');
    expect(body.start).toBe('-P90D');
    expect(body.widgets.map((w) => [w.type, w.x, w.y, w.width, w.height, w.properties.title ?? w.properties.view])).toEqual([
      ['text', 0, 0, 24, 3, undefined],
      ['metric', 0, 3, 24, 4, 'Over the time range'],
      ['metric', 0, 7, 12, 6, 'Deployment frequency (per day)'],
      ['metric', 12, 7, 12, 6, 'Change failure rate (% per week)'],
      ['log', 0, 13, 12, 6, 'Time to restore (minutes from ALARM to OK)'],
      ['log', 12, 13, 12, 6, 'Incidents per week'],
      ['text', 0, 19, 24, 7, undefined],
    ]);
    expect(ops.widgetCount).toBe(7);
    expect(logicalId(ops.cfnDashboard)).toBe(logicalId(ops));
  });

  test('header: workload, owner, on-call, tier and what is measured', () => {
    const [header] = dashboardNamed(templateOf(stack), 'freight-operations').widgets;
    expect(header.properties.markdown).toBe([
      '# freight: operations health',
      '**Owner** pricing · **On-call** pricing-oncall@example.com · **Tier** standard',
      '**Deployments** CodeDeploy, ECS · **Alarms** named `freight-...` · **Incidents** OpsCenter',
    ].join('\n\n'));
  });

  test('metric widgets: the three figures over the range, deployments per day, change failure rate per week', () => {
    const [, single, frequency, rate] = dashboardNamed(templateOf(stack), 'freight-operations').widgets;
    expect(single.properties).toMatchObject({ view: 'singleValue', setPeriodToTimeRange: true });
    expect(single.properties.metrics).toEqual([
      ['OperationsHealth/freight', 'Deployments', { label: 'Deployments', period: 86400, stat: 'Sum' }],
      ['.', 'FailedDeployments', { label: 'Failed deployments', period: 86400, stat: 'Sum' }],
      [{ label: 'Change failure rate (%)', expression: '100 * FILL(failed, 0) / deployments', period: 604800 }],
      ['OperationsHealth/freight', 'Deployments', { label: 'Deployments', id: 'deployments', visible: false, period: 604800, stat: 'Sum' }],
      ['.', 'FailedDeployments', { label: 'Failed deployments', id: 'failed', visible: false, period: 604800, stat: 'Sum' }],
    ]);
    expect(frequency.properties.metrics!.map((m) => m.slice(0, 2))).toEqual([['OperationsHealth/freight', 'Deployments'], ['.', 'FailedDeployments']]);
    expect(rate.properties.metrics![0]).toEqual([{ label: 'Change failure rate (%)', expression: '100 * FILL(failed, 0) / deployments', period: 604800 }]);
  });

  test('log widgets query the event log with the documented queries', () => {
    const [, , , , restore, incidents] = dashboardNamed(templateOf(stack), 'freight-operations').widgets;
    const source = `SOURCE '\${${logicalId(ops.eventLogGroup)}}' | `;
    expect(restore.properties).toMatchObject({ view: 'table', query: source + ops.timeToRestoreQuery });
    expect(incidents.properties).toMatchObject({ view: 'bar', query: source + ops.incidentsPerWeekQuery });
  });

  test('the last widget lists every definition', () => {
    const widgets = dashboardNamed(templateOf(stack), 'freight-operations').widgets;
    const markdown = widgets[widgets.length - 1].properties.markdown!;
    expect(markdown.startsWith('## Definitions\n\n| Figure | Definition |\n|---|---|\n')).toBe(true);
    for (const [name, text] of Object.entries(ops.metricDefinitions)) expect(markdown).toContain(`| ${name} | ${text} |`);
  });

  test('logical ids are pinned (changing them replaces the log group and loses history)', () => {
    expect(Object.keys(templateOf(stack).Resources!).filter((id) => id.startsWith('FreightOperations')).sort()).toEqual([
      'FreightOperationsAlarmStateChanges1BA8A6D5',
      'FreightOperationsCA872E36',
      'FreightOperationsCodeDeployDeployments13D53148',
      'FreightOperationsDeploymentsFilterD0F50A44',
      'FreightOperationsECSDeploymentsD5B50E85',
      'FreightOperationsEvents0C9812BC',
      'FreightOperationsEventsPolicyResourcePolicy0FEAC49B',
      'FreightOperationsFailedDeploymentsFilterF6E61736',
      'FreightOperationsIncidentsPerWeekQueryA0C63E98',
      'FreightOperationsOpsCenterIncidentsB11D7951',
      'FreightOperationsTimeToRestoreQuery72BE7B6C',
    ]);
    expect(logicalId(ops)).toBe('FreightOperationsCA872E36');
  });
});

describe('OperationsHealthDashboard: overrides', () => {
  test('dashboardName, logRetention and metricNamespace', () => {
    const { ops, template } = inWorkload({
      dashboardName: 'Freight_DORA', logRetention: logs.RetentionDays.SIX_MONTHS, metricNamespace: 'Freight/Operations',
    });
    expect(ops.dashboardName).toBe('Freight_DORA');
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Freight_DORA' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 180 });
    template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name: 'Freight_DORA/time-to-restore' });
    template.hasResourceProperties('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricNamespace: 'Freight/Operations' })] });
    expect(ops.deploymentsMetric().namespace).toBe('Freight/Operations');
  });

  test('deploymentSources: every source with its filters, one rule each, all in the metric filters', () => {
    const { stack, template } = inWorkload({
      deploymentSources: [
        DeploymentSource.codePipeline({ pipelineNames: ['freight-release'] }),
        DeploymentSource.codeDeploy({ applicationNames: ['freight-quotes', 'freight-orders'] }),
        DeploymentSource.ecs({ serviceArns: ['arn:aws:ecs:us-east-1:123456789012:service/freight/quotes'] }),
      ],
    });
    expect(patternsOf(stack).slice(0, 3)).toEqual([
      { ...CODEPIPELINE, detail: { pipeline: ['freight-release'] } },
      { ...CODEDEPLOY, detail: { application: ['freight-quotes', 'freight-orders'] } },
      { ...ECS, resources: ['arn:aws:ecs:us-east-1:123456789012:service/freight/quotes'] },
    ]);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.source = "aws.codepipeline" && ($.detail.state = "SUCCEEDED" || $.detail.state = "FAILED")) || ' +
        '($.source = "aws.codedeploy" && ($.detail.state = "SUCCESS" || $.detail.state = "FAILURE" || $.detail.state = "STOP")) || ' +
        '($.source = "aws.ecs" && ($.detail.eventName = "SERVICE_DEPLOYMENT_COMPLETED" || $.detail.eventName = "SERVICE_DEPLOYMENT_FAILED")) }',
      MetricTransformations: [Match.objectLike({ MetricName: 'Deployments' })],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.source = "aws.codepipeline" && ($.detail.state = "FAILED")) || ' +
        '($.source = "aws.codedeploy" && ($.detail.state = "FAILURE" || $.detail.state = "STOP")) || ' +
        '($.source = "aws.ecs" && ($.detail.eventName = "SERVICE_DEPLOYMENT_FAILED")) }',
      MetricTransformations: [Match.objectLike({ MetricName: 'FailedDeployments' })],
    });
  });

  test('deploymentSources: CodePipeline alone', () => {
    const { stack, ops } = inWorkload({ deploymentSources: [DeploymentSource.codePipeline()] });
    expect(patternsOf(stack)[0]).toEqual(CODEPIPELINE);
    expect(ops.metricDefinitions.Deployments).toContain('from CodePipeline SUCCEEDED/FAILED.');
  });

  test('the sources describe themselves', () => {
    const cd = DeploymentSource.codeDeploy();
    expect([cd.name, cd.source, cd.detailType, cd.stateField, cd.completedStates, cd.failedStates]).toEqual(
      ['CodeDeploy', 'aws.codedeploy', 'CodeDeploy Deployment State-change Notification', 'detail.state', ['SUCCESS', 'FAILURE', 'STOP'], ['FAILURE', 'STOP']]);
    const ecs = DeploymentSource.ecs();
    expect([ecs.stateField, ecs.completedStates, ecs.failedStates]).toEqual(
      ['detail.eventName', ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'], ['SERVICE_DEPLOYMENT_FAILED']]);
    expect([IncidentSource.OPS_CENTER.name, IncidentSource.OPS_CENTER.source, IncidentSource.OPS_CENTER.detailType]).toEqual(['OpsCenter', 'aws.ssm', 'OpsItem Create']);
    expect([IncidentSource.INCIDENT_MANAGER.source, IncidentSource.INCIDENT_MANAGER.detailType]).toEqual(['aws.ssm-incidents', 'AWS API Call via CloudTrail']);
  });

  test('incidentSources: OpsCenter and Incident Manager (through CloudTrail), counted together per week', () => {
    const { stack, ops } = inWorkload({ incidentSources: [IncidentSource.OPS_CENTER, IncidentSource.INCIDENT_MANAGER] });
    expect(patternsOf(stack).slice(3)).toEqual([OPSCENTER, INCIDENT_MANAGER]);
    expect(ops.incidentsPerWeekQuery).toBe(
      'filter `detail-type` = "OpsItem Create" or (`source` = "aws.ssm-incidents" and detail.eventName = "StartIncident")\n' +
      '| stats count(*) as incidents by bin(1w)');
    expect(ops.metricDefinitions.IncidentsPerWeek).toBe(
      'Incidents opened per 7-day bin: Logs Insights count of OpsCenter "OpsItem Create" and IncidentManager "AWS API Call via CloudTrail" events.');
  });

  test('alarmScope: AlarmScope.ALL follows every alarm; namePrefix follows the alarms it names', () => {
    const all = inWorkload({ alarmScope: AlarmScope.ALL });
    expect(patternsOf(all.stack)[2]).toEqual(ALARMS);
    expect(all.ops.alarmNamePrefix).toBeUndefined();
    const prefixed = inWorkload({ alarmScope: AlarmScope.namePrefix('freight-quotes-') });
    expect(patternsOf(prefixed.stack)[2]).toEqual({ ...ALARMS, detail: { alarmName: [{ prefix: 'freight-quotes-' }] } });
    expect(prefixed.ops.metricDefinitions.TimeToRestore).toContain('for the alarms named `freight-quotes-...`');
  });

  test('addWidgets appends a row before the definitions', () => {
    const { stack, ops } = inWorkload();
    ops.addWidgets(new cloudwatch.TextWidget({ markdown: 'Release calendar', width: 24, height: 2 }));
    const widgets = dashboardNamed(templateOf(stack), 'freight-operations').widgets;
    expect(widgets.map((w) => w.properties.markdown).filter(Boolean).slice(1, 2)).toEqual(['Release calendar']);
    expect(widgets[widgets.length - 1].properties.markdown).toMatch(/^## Definitions/);
    expect(ops.widgetCount).toBe(8);
  });
});

describe('OperationsHealthDashboard: platform-wide, outside a Workload', () => {
  const { stack } = testStack('Platform');
  const ops = new OperationsHealthDashboard(stack, 'Operations');

  test('names come from the stack; every alarm is followed', () => {
    expect(ops.dashboardName).toBe('Platform-operations');
    expect(ops.metricNamespace).toBe('OperationsHealth/Platform');
    expect(patternsOf(stack)).toEqual([CODEDEPLOY, ECS, ALARMS, OPSCENTER]);
    expect(ops.metricDefinitions.TimeToRestore).toContain('for every alarm in the account and region');
  });

  test('the header says Platform and names no owner', () => {
    const [header] = dashboardNamed(templateOf(stack), 'Platform-operations').widgets;
    expect(header.properties.markdown).toBe('# Platform: operations health\n\n' +
      '**Deployments** CodeDeploy, ECS · **Alarms** all in the account and region · **Incidents** OpsCenter');
  });
});

describe('OperationsHealthDashboard: metrics', () => {
  const { ops } = inWorkload();

  test('deploymentsMetric and failedDeploymentsMetric: Sum per day by default, options override', () => {
    expect(ops.deploymentsMetric()).toMatchObject({ namespace: 'OperationsHealth/freight', metricName: 'Deployments', statistic: 'Sum' });
    expect(ops.deploymentsMetric().period.toDays()).toBe(1);
    expect(ops.failedDeploymentsMetric()).toMatchObject({ metricName: 'FailedDeployments', label: 'Failed deployments' });
    const weekly = ops.failedDeploymentsMetric({ period: Duration.days(7), label: 'Weekly failures' });
    expect([weekly.period.toDays(), weekly.label, weekly.statistic]).toEqual([7, 'Weekly failures', 'Sum']);
  });

  test('changeFailureRate: 100 * FILL(failed, 0) / deployments over 7 days, period overridable', () => {
    const rate = ops.changeFailureRate();
    expect(rate.expression).toBe('100 * FILL(failed, 0) / deployments');
    expect(rate.period.toDays()).toBe(7);
    expect(Object.keys(rate.usingMetrics)).toEqual(['deployments', 'failed']);
    expect((rate.usingMetrics.failed as cloudwatch.Metric).metricName).toBe('FailedDeployments');
    expect(ops.changeFailureRate({ period: Duration.days(30) }).period.toDays()).toBe(30);
  });

  test('metricDefinitions names every figure and where it comes from', () => {
    expect(Object.keys(ops.metricDefinitions)).toEqual(
      ['Deployments', 'FailedDeployments', 'DeploymentFrequency', 'ChangeFailureRate', 'TimeToRestore', 'IncidentsPerWeek']);
    expect(ops.metricDefinitions.Deployments).toBe('Deployments that finished (succeeded or failed): metric OperationsHealth/freight/Deployments, ' +
      'Sum, counted by a metric filter on the event log from CodeDeploy SUCCESS/FAILURE/STOP; ECS SERVICE_DEPLOYMENT_COMPLETED/SERVICE_DEPLOYMENT_FAILED.');
    expect(ops.metricDefinitions.ChangeFailureRate).toBe('100 × FailedDeployments / Deployments over the period, in percent ' +
      '(DORA change failure rate); no value for a period without deployments.');
  });

  test('METRIC_DEFINITIONS documents the defaults without a construct (for the README)', () => {
    expect(Object.keys(OperationsHealthDashboard.METRIC_DEFINITIONS)).toEqual(Object.keys(ops.metricDefinitions));
    expect(OperationsHealthDashboard.METRIC_DEFINITIONS.Deployments).toBe(ops.metricDefinitions.Deployments.replace('/freight/', '/<workload>/'));
  });
});

/** Parse a time-stamp the way the query's `parse` does (its regexes are valid JavaScript named-group regexes). */
function parsed(query: string, field: string, timestamp: string): Record<string, number> {
  const line = query.split('\n| ').find((l) => l.startsWith(`parse ${field} /`))!;
  const groups = new RegExp(line.slice(`parse ${field} /`.length, -1)).exec(timestamp)!.groups!;
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, Number(v)]));
}

/** Evaluate the query's `fields` arithmetic (floor, + - * /) for one event, as Logs Insights would. */
function minutesToRestore(from: string, to: string): number {
  const query = new OperationsHealthDashboard(testStack().stack, 'Q').timeToRestoreQuery;
  const env: Record<string, number> = {
    ...parsed(query, 'detail.previousState.timestamp', from), ...parsed(query, 'detail.state.timestamp', to),
  };
  for (const line of query.split('\n| ').filter((l) => l.startsWith('fields '))) {
    for (const assignment of line.slice('fields '.length).split(', ')) {
      const [expression, name] = assignment.split(' as ');
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      env[name] = new Function(...Object.keys(env), `return ${expression.replace(/floor\(/g, 'Math.floor(')};`)(...Object.values(env));
    }
  }
  return env.minutesToRestore;
}

describe('OperationsHealthDashboard: time to restore', () => {
  test('the query: ALARM → OK state changes, both timestamps parsed, minutes per alarm', () => {
    const query = new OperationsHealthDashboard(testStack().stack, 'Q').timeToRestoreQuery;
    expect(query.split('\n| ')).toEqual([
      'filter `detail-type` = "CloudWatch Alarm State Change" and detail.previousState.value = "ALARM" and detail.state.value = "OK"',
      'parse detail.previousState.timestamp /^(?<fromy>\\d{4})-(?<frommo>\\d{2})-(?<fromd>\\d{2})T(?<fromh>\\d{2}):(?<frommi>\\d{2}):(?<froms>\\d{2}(?:\\.\\d+)?)/',
      'parse detail.state.timestamp /^(?<toy>\\d{4})-(?<tomo>\\d{2})-(?<tod>\\d{2})T(?<toh>\\d{2}):(?<tomi>\\d{2}):(?<tos>\\d{2}(?:\\.\\d+)?)/',
      'fields floor((14 - frommo) / 12) as froma',
      'fields fromy + 4800 - froma as fromyy, frommo + 12 * froma - 3 as frommm',
      'fields fromd + floor((153 * frommm + 2) / 5) + 365 * fromyy + floor(fromyy / 4) - floor(fromyy / 100) + floor(fromyy / 400) - 32045 as fromjdn',
      'fields floor((14 - tomo) / 12) as toa',
      'fields toy + 4800 - toa as toyy, tomo + 12 * toa - 3 as tomm',
      'fields tod + floor((153 * tomm + 2) / 5) + 365 * toyy + floor(toyy / 4) - floor(toyy / 100) + floor(toyy / 400) - 32045 as tojdn',
      'fields (tojdn - fromjdn) * 1440 + (toh - fromh) * 60 + (tomi - frommi) + (tos - froms) / 60 as minutesToRestore',
      'stats count(*) as restores, avg(minutesToRestore) as meanMinutes, pct(minutesToRestore, 50) as medianMinutes, ' +
        'max(minutesToRestore) as maxMinutes by detail.alarmName',
      'sort restores desc',
    ]);
  });

  test.each([
    ['same hour (CloudWatch format)', '2019-10-02T17:04:40.989+0000', '2019-10-02T17:22:40.989+0000', 18],
    ['across midnight, month and year', '2024-12-31T23:50:00.000+0000', '2025-01-01T00:20:30.000+0000', 30.5],
    ['across a leap day', '2024-02-28T23:00:00.000+0000', '2024-03-01T01:00:00.000+0000', 26 * 60],
    ['a whole non-leap year', '2023-01-01T00:00:00.000+0000', '2024-01-01T00:00:00.000+0000', 365 * 24 * 60],
    ['without fractional seconds', '2025-03-01T00:00:00+0000', '2025-03-01T00:04:00+0000', 4],
  ])('its arithmetic gives the minutes between the timestamps: %s', (_, from, to, minutes) => {
    expect(minutesToRestore(from, to)).toBeCloseTo(minutes, 6);
    expect(minutes).toBeCloseTo((Date.parse(to.replace('+0000', 'Z')) - Date.parse(from.replace('+0000', 'Z'))) / 60000, 6);
  });
});

test('the dashboard body is one Fn::Sub string (compact, like every dashboard of the library)', () => {
  const { stack } = inWorkload();
  const [[, dashboard]] = resourcesOf(templateOf(stack), 'AWS::CloudWatch::Dashboard');
  expect(subText(dashboard.Properties!.DashboardBody)).toContain('"start":"-P90D"');
});
