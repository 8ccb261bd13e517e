import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  AlarmDestination, AlarmDestinationKind, AlarmRouting, OperableFunction, OperationalExcellenceChecks, ServiceLevelObjective, ServiceTier,
  Severity, Sli,
} from '../../src';
import { IncidentResponse, IResponsePlan } from '../../src/incidents';
import { escalation, idOf, incidentApp, ofType } from '../incidents/incident-fixtures';
import { quotesMetric } from '../support/fixtures';

const planArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm-incidents::123456789012:response-plan/${name}`]] });

/** A freight workload of `tier` with an incident response, and an availability SLO whose page composite opens incidents with it. */
function pagedSlo(tier = ServiceTier.STANDARD) {
  const app = incidentApp({ tier });
  const response = new IncidentResponse(app.workload, 'IncidentResponse', { engagements: [escalation(app.workload)] });
  const slo = new ServiceLevelObjective(app.workload, 'Availability', {
    serviceName: 'quotes',
    sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    routing: new AlarmRouting({
      page: [AlarmDestination.responsePlan(response.pagePlan)],
      ticket: [AlarmDestination.opsItem(actions.OpsItemSeverity.MEDIUM)],
    }),
  });
  return { ...app, response, slo };
}

/** The composite alarms of a stack, by alarm name. */
function composites(stack: Stack) {
  return Object.fromEntries(ofType(stack, 'AWS::CloudWatch::CompositeAlarm').map(([id, r]) => [r.Properties!.AlarmName as string, { id, ...r }]));
}

describe('AlarmDestination.responsePlan', () => {
  test('opens an incident with the plan by name, and the page composite depends on the plan; tickets go to an OpsItem', () => {
    const { stack, response } = pagedSlo();
    const alarms = composites(stack);
    const page = alarms['freight-quotes-availability-page'];

    expect(page.Properties!.AlarmActions).toEqual([planArn('freight-page')]);
    expect(page.DependsOn).toEqual(expect.arrayContaining([idOf(response.pagePlan)]));
    expect(alarms['freight-quotes-availability-ticket'].Properties!.AlarmActions)
      .toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:opsitem:3']] }]);
    expect(alarms['freight-quotes-availability-ticket'].DependsOn ?? []).not.toContain(idOf(response.pagePlan));
  });

  test('kind and description', () => {
    const { response } = pagedSlo();
    const d = AlarmDestination.responsePlan(response.pagePlan);
    expect([d.kind, d.description]).toEqual([AlarmDestinationKind.INCIDENT_MANAGER, 'Incident Manager response plan freight-page']);
  });

  test('a plan in another stack of the account: the alarm stack depends on the plan stack, no export', () => {
    const app = incidentApp();
    const response = new IncidentResponse(app.workload, 'IncidentResponse', { engagements: [escalation(app.workload)] });
    const alarms = new Stack(app.app, 'Alarms', { env: { account: '123456789012', region: 'us-east-1' } });
    const composite = new cloudwatch.CompositeAlarm(alarms, 'Page', { alarmRule: cloudwatch.AlarmRule.fromBoolean(false) });
    new AlarmRouting({ page: [AlarmDestination.responsePlan(response.pagePlan)] }).applyTo(composite, Severity.PAGE);

    const assembly = app.app.synth();
    expect(assembly.getStackArtifact(alarms.artifactId).dependencies.map((d) => d.id)).toContain('Freight');
    expect(ofType(alarms, 'AWS::CloudWatch::CompositeAlarm').map(([, r]) => r.Properties!.AlarmActions)).toEqual([[planArn('freight-page')]]);
    expect(Template.fromStack(app.stack).toJSON().Outputs).toBeUndefined();
  });

  test('a token name or an invalid name is rejected', () => {
    const { stack } = incidentApp();
    const fake = (id: string, responsePlanName: string): IResponsePlan => Object.assign(new Construct(stack, id), { responsePlanName });
    expect(() => AlarmDestination.responsePlan(fake('Token', Lazy.string({ produce: () => 'x' }))))
      .toThrow('[Freight/Token] AlarmDestination.responsePlan: the response plan name is a token; alarm actions need the name at synth. ' +
        'Give the plan a literal name, or use AlarmDestination.incidentManager(name).');
    expect(() => AlarmDestination.responsePlan(fake('Bad', 'freight page')))
      .toThrow("[Freight/Bad] AlarmDestination.responsePlan: 'freight page' is not a valid response plan name (1-200 letters, digits, '_' or '-').");
  });

  test('a plan of another account is rejected when the alarm binds it', () => {
    const app = incidentApp();
    const response = new IncidentResponse(app.workload, 'IncidentResponse', { engagements: [escalation(app.workload)] });
    const other = new Stack(app.app, 'Other', { env: { account: '210987654321', region: 'us-east-1' } });
    const composite = new cloudwatch.CompositeAlarm(other, 'Page', { alarmRule: cloudwatch.AlarmRule.fromBoolean(false) });
    expect(() => new AlarmRouting({ page: [AlarmDestination.responsePlan(response.pagePlan)] }).applyTo(composite, Severity.PAGE))
      .toThrow('[Other/Page] routes to response plan Freight/Freight/IncidentResponse/Page of account 123456789012, but an alarm can only open ' +
        'incidents in its own account (210987654321): define a response plan in 210987654321.');
  });
});

describe('OPS-CriticalPaging with a response plan', () => {
  const criticalPaging = (app: App) => new OperationalExcellenceChecks().validateScope(app).violations
    .filter((v) => v.ruleName === 'OPS-CriticalPaging' || v.ruleName.startsWith('OPS-CriticalPaging['));

  test('a critical SLO paging through AlarmDestination.responsePlan complies', () => {
    const { app, stack } = pagedSlo(ServiceTier.CRITICAL);
    app.synth();
    expect(composites(stack)['freight-quotes-availability-page'].Properties!.AlarmActions).toEqual([planArn('freight-page')]);
    expect(criticalPaging(app)).toEqual([]);
  });

  test('a critical OperableFunction paging through the plan complies, its rollup too', () => {
    const app = incidentApp({ tier: ServiceTier.CRITICAL });
    const response = new IncidentResponse(app.workload, 'IncidentResponse', { engagements: [escalation(app.workload)] });
    new OperableFunction(app.workload, 'Quotes', {
      functionProps: {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      },
      latencyThreshold: Duration.millis(300),
      routing: new AlarmRouting({ page: [response.destinationFor(Severity.PAGE)] }),
    });
    app.app.synth();
    expect(composites(app.stack)['freight-quotes-page'].Properties!.AlarmActions).toEqual([planArn('freight-page')]);
    expect(criticalPaging(app.app)).toEqual([]);
  });

  test('the same SLO without the plan is reported (the check is live)', () => {
    const app = incidentApp({ tier: ServiceTier.CRITICAL });
    new ServiceLevelObjective(app.workload, 'Availability', {
      serviceName: 'quotes', sli: Sli.ratio({ bad: quotesMetric('Errors'), total: quotesMetric('Requests') }),
    });
    app.app.synth();
    expect(criticalPaging(app.app).flatMap((v) => v.violatingResources.map((r) => r.constructPath)))
      .toEqual(['Freight/Freight/Availability/Page/Resource']);
  });
});
