import { App, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as incidents from 'aws-cdk-lib/aws-ssmincidents';
import { NagRuleCompliance } from 'cdk-nag';
import { Evaluated } from './evaluated';
import { newStack } from './helpers';
import { AlarmDescription, Severity } from '../../../src/core';
import { Runbook, Step } from '../../../src/runbooks';
import { freight, quotesMetric } from '../../support/fixtures';

/**
 * Owners of procedures (OPS-ProcedureOwner, OPS02-BP02) and of the response to alerts (OPS-AlarmOwner, OPS02-BP03).
 * One app, synthesized once.
 */

const PROCEDURE = 'OPS-ProcedureOwner';
const ALARM = 'OPS-AlarmOwner';
const COMPLIANT = NagRuleCompliance.COMPLIANT;
const NON_COMPLIANT = NagRuleCompliance.NON_COMPLIANT;
const ACTION = { bind: () => ({ alarmActionArn: 'arn:aws:sns:us-east-1:123456789012:pages' }) };

describe('ownership of procedures and alerts: ProcedureOwner, AlarmOwner', () => {
  let evaluated: Evaluated;

  beforeAll(() => {
    const app = new App();
    const { stack } = newStack('Owned', app);
    // cdk-operable: a runbook inside the workload carries its tags; an alarm built with the description footer.
    const { workload } = freight(stack);
    new Runbook(workload, 'Inspect', {
      description: { purpose: 'Read the alias.', whenToUse: ['Errors'] },
      steps: [Step.executeAwsApi({
        name: 'Read',
        service: 'lambda',
        api: 'GetAlias',
        resources: ['arn:aws:lambda:us-east-1:123456789012:function:quotes'],
        inputs: { FunctionName: 'quotes', Name: 'live' },
      })],
    });
    const footer = (owner: string) => AlarmDescription.render({ summary: 'Quotes fail', severity: Severity.PAGE, owner, runbook: 'x' });
    new cloudwatch.Alarm(stack, 'Footer', { metric: quotesMetric('A'), threshold: 1, evaluationPeriods: 1, alarmDescription: footer('pricing') })
      .addAlarmAction(ACTION);
    Tags.of(new cloudwatch.Alarm(stack, 'Tagged', { metric: quotesMetric('B'), threshold: 1, evaluationPeriods: 1 })).add('ops:owner', 'pricing');
    new cloudwatch.Alarm(stack, 'FreeText', {
      metric: quotesMetric('C'), threshold: 1, evaluationPeriods: 1, alarmDescription: 'Quotes fail. Owner: pricing',
    }).addAlarmAction(ACTION);
    new cloudwatch.Alarm(stack, 'Nobody', {
      metric: quotesMetric('D'), threshold: 1, evaluationPeriods: 1, alarmDescription: footer('none'),
    }).addAlarmAction(ACTION);
    new cloudwatch.Alarm(stack, 'Silent', { metric: quotesMetric('E'), threshold: 1, evaluationPeriods: 1 });
    (stack.node.findChild('Tagged') as cloudwatch.Alarm).addAlarmAction(ACTION);

    // Plain aws-cdk-lib procedures outside the workload: no owner, except the response plan naming one for its incidents.
    const { stack: plain } = newStack('Plain', app);
    new ssm.CfnDocument(plain, 'Runbook', { documentType: 'Automation', content: { schemaVersion: '0.3', assumeRole: 'x', mainSteps: [] } });
    new ssm.CfnDocument(plain, 'Command', { documentType: 'Command', content: { schemaVersion: '2.2', mainSteps: [] } });
    new incidents.CfnResponsePlan(plain, 'Plan', { name: 'p', incidentTemplate: { title: 'p', impact: 1 } });
    new incidents.CfnResponsePlan(plain, 'TaggedIncidents', {
      name: 'q', incidentTemplate: { title: 'q', impact: 1, incidentTags: [{ key: 'ops:owner', value: 'pricing' }] },
    });
    new fis.CfnExperimentTemplate(plain, 'Experiment', {
      description: 'x', roleArn: 'arn:aws:iam::123456789012:role/fis', stopConditions: [{ source: 'none' }], targets: {}, actions: {}, tags: {},
    });
    evaluated = Evaluated.of(app);
  });

  test('OPS-ProcedureOwner: Automation documents, response plans and experiment templates need an ops:owner tag (or owner incident tag)', () => {
    expect(evaluated.results(PROCEDURE)).toEqual({
      'Owned/Freight/Inspect/Document': COMPLIANT,
      'Plain/Experiment': NON_COMPLIANT,
      'Plain/Plan': NON_COMPLIANT,
      'Plain/Runbook': NON_COMPLIANT,
      'Plain/TaggedIncidents': COMPLIANT,
    });
    expect(evaluated.violations(PROCEDURE).map((v) => v.severity)).toEqual(['warning', 'warning', 'warning']);
  });

  test('OPS-AlarmOwner: notifying alarms name an owner by footer, tag or free text; "none" does not count; silent alarms are not concerned', () => {
    expect(evaluated.results(ALARM)).toEqual({
      'Owned/Footer/Resource': COMPLIANT,
      'Owned/FreeText/Resource': COMPLIANT,
      'Owned/Nobody/Resource': NON_COMPLIANT,
      'Owned/Tagged/Resource': COMPLIANT,
    });
  });
});
