import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  ACCOUNT, DESCRIPTION, DLQ_ARN, ONCALL_ROLE_ARN, opsStack, QUOTES_FUNCTION_ARN, readAlias, REGION, roleLogicalId, rolePolicies, runbook,
  statements, updateAlias,
} from './runbook-fixtures';
import { Approvers, Runbook, RunbookApproval, Step } from '../../src';

const PATH = 'Ops/Freight/Rollback';
const ECS_SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/freight/quotes`;
const EXECUTION_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:execution:quotes-pricing:*`;
const SCRIPT = 'def handler(events, context):\n    return {}\n';
const DATA = 'IAM data of \\d{4}-\\d{2}-\\d{2}';

/** `arn:<partition>:ssm:eu-west-1:123456789012:<rest>` as CloudFormation renders it. */
const ssmArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${REGION}:${ACCOUNT}:${rest}`]] });
/** The one inline policy of a runbook role, with these statements. */
const policy = (...statement: unknown[]) => [{ PolicyName: 'Runbook', PolicyDocument: { Version: '2012-10-17', Statement: statement } }];
const allow = (action: string | string[], resource: unknown) => ({ Action: action, Effect: 'Allow', Resource: resource });
const call = (name: string, service: string, api: string, resources?: string[]) => Step.executeAwsApi({ name, service, api, resources });

describe('the generated role', () => {
  test('trusts Systems Manager of this account only, for automation executions', () => {
    const { stack, runbook: rb } = runbook({ steps: [readAlias()] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Description: 'Runs the freight-rollback runbook (cdk-operable)',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            ArnLike: { 'aws:SourceArn': ssmArn('automation-execution/*') },
          },
        }],
      },
    });
    expect(Stack.of(rb).resolve(rb.role.roleArn)).toEqual({ 'Fn::GetAtt': [roleLogicalId(rb), 'Arn'] });
  });

  test('one statement per distinct resource set, actions sorted, read-only steps included, unscopable actions on *', () => {
    const { runbook: rb } = runbook({
      steps: [
        call('Metrics', 'cloudwatch', 'GetMetricData'),
        readAlias('Read'),
        call('Services', 'ecs', 'DescribeServices', [ECS_SERVICE_ARN]),
        call('Instances', 'ec2', 'DescribeInstances'),
        updateAlias('Point'),
        call('Restart', 'ecs', 'UpdateService', [ECS_SERVICE_ARN]),
      ],
    });
    expect(rolePolicies(rb)).toEqual(policy(
      allow(['cloudwatch:GetMetricData', 'ec2:DescribeInstances'], '*'),
      allow(['lambda:GetAlias', 'lambda:UpdateAlias'], QUOTES_FUNCTION_ARN),
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], ECS_SERVICE_ARN),
    ));
  });

  test('several resources stay one set', () => {
    const alias = `${QUOTES_FUNCTION_ARN}:live`;
    const { runbook: rb } = runbook({ steps: [readAlias('Read', { resources: [QUOTES_FUNCTION_ARN, alias] }), updateAlias('Point', { resources: [alias] })] });
    expect(rolePolicies(rb)).toEqual(policy(allow('lambda:GetAlias', [QUOTES_FUNCTION_ARN, alias]), allow('lambda:UpdateAlias', alias)));
  });

  test('sqs:StartMessageMoveTask implies receiving, deleting, reading attributes and sending on the same queues', () => {
    const { stack, workload } = opsStack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [Step.executeAwsApi({ name: 'Redrive', service: 'sqs', api: 'StartMessageMoveTask', inputs: { SourceArn: dlq.queueArn }, resources: [dlq.queueArn] })],
    });
    expect(rolePolicies(rb)).toEqual(policy(allow(
      ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:StartMessageMoveTask'],
      { 'Fn::GetAtt': [stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue), 'Arn'] },
    )));
  });

  test.each([
    ['stepfunctions', 'DescribeExecution', EXECUTION_ARN, 'states:DescribeExecution'],
    ['lambda', 'Invoke', QUOTES_FUNCTION_ARN, 'lambda:InvokeFunction'],
    ['s3', 'HeadObject', 'arn:aws:s3:::freight-quotes/*', 's3:GetObject'],
    ['s3', 'ListObjectsV2', 'arn:aws:s3:::freight-quotes', 's3:ListBucket'],
    ['elbv2', 'DescribeTargetHealth', '*', 'elasticloadbalancing:DescribeTargetHealth'],
  ])('boto3 %s:%s needs %s', (service, api, resource, action) => {
    const resources = resource === '*' ? undefined : [resource];
    const { runbook: rb } = runbook({ steps: [call('Call', service, api, resources)], approval: RunbookApproval.none('permissions test') });
    expect(rolePolicies(rb)).toEqual(policy(allow(action, resource)));
  });

  test('executeAutomation: start the child (definition, document, executions), follow it, and pass its role', () => {
    const { stack, workload } = opsStack();
    const child = new Runbook(workload, 'Restart', { description: DESCRIPTION, steps: [readAlias()] });
    const rb = new Runbook(workload, 'Rollback', { description: DESCRIPTION, steps: [Step.executeAutomation({ name: 'Run', runbook: child })] });
    expect(rolePolicies(rb)).toEqual(policy(
      allow('ssm:StartAutomationExecution', [
        ssmArn('automation-definition/freight-restart:*'), ssmArn('document/freight-restart'), ssmArn('automation-execution/*'),
      ]),
      allow('ssm:GetAutomationExecution', ssmArn('automation-execution/*')),
      allow('iam:PassRole', { 'Fn::GetAtt': [roleLogicalId(child), 'Arn'] }),
    ));
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([false, false]);
    expect(stack.resolve(child.passedRoleArns)).toEqual([{ 'Fn::GetAtt': [roleLogicalId(child), 'Arn'] }]);
  });

  test('an inserted approval with a notification topic may publish to the topic', () => {
    let topic: sns.Topic | undefined;
    const { stack, runbook: rb } = runbook({ steps: [readAlias(), updateAlias()] }, (s) => {
      topic = new sns.Topic(s, 'Approvals', { topicName: 'AutomationApprovals' });
      return Approvers.of({ roles: [iam.Role.fromRoleArn(s, 'Oncall', ONCALL_ROLE_ARN)], notificationTopic: topic });
    });
    expect(rolePolicies(rb)).toEqual(policy(
      allow(['lambda:GetAlias', 'lambda:UpdateAlias'], QUOTES_FUNCTION_ARN),
      allow('sns:Publish', { Ref: stack.getLogicalId(topic!.node.defaultChild as sns.CfnTopic) }),
    ));
  });

  test('executeScript: the iamActions it lists, scoped to its resources (and a script that changes state is gated)', () => {
    const { runbook: rb } = runbook({
      steps: [
        Step.executeScript({ name: 'Shift', script: SCRIPT, iamActions: ['lambda:GetAlias', 'lambda:updatealias'], resources: [QUOTES_FUNCTION_ARN] }),
        Step.executeScript({ name: 'Report', script: SCRIPT, iamActions: ['cloudwatch:PutMetricData'] }),
        Step.executeScript({ name: 'Plan', script: SCRIPT }),
      ],
    });
    expect(rolePolicies(rb)).toEqual(policy(
      allow(['lambda:GetAlias', 'lambda:UpdateAlias'], QUOTES_FUNCTION_ARN),
      allow('cloudwatch:PutMetricData', '*'),
    ));
    expect(rb.steps.map((s) => s.name)).toEqual(['ApproveChange', 'Shift', 'Report', 'Plan']);
  });

  test('iamActions mixing scopable and unscopable actions: the unscopable ones on *', () => {
    const { runbook: rb } = runbook({
      steps: [Step.executeAwsApi({
        name: 'Read', service: 'lambda', api: 'GetAlias', iamActions: ['lambda:GetAlias', 'ec2:DescribeInstances'], resources: [QUOTES_FUNCTION_ARN],
      })],
    });
    expect(rolePolicies(rb)).toEqual(policy(allow('lambda:GetAlias', QUOTES_FUNCTION_ARN), allow('ec2:DescribeInstances', '*')));
  });

  test('no wildcard actions anywhere', () => {
    const { workload } = opsStack();
    const child = Runbook.fromDocumentName(workload, 'Restart', 'freight-restart', { changesState: false });
    const rb = new Runbook(workload, 'Rollback', {
      description: DESCRIPTION,
      steps: [
        readAlias(), call('Metrics', 'cloudwatch', 'GetMetricData'), call('Redrive', 'sqs', 'StartMessageMoveTask', [DLQ_ARN]),
        Step.executeScript({ name: 'Plan', script: SCRIPT, iamActions: ['lambda:ListVersionsByFunction'], resources: [QUOTES_FUNCTION_ARN] }),
        Step.executeAutomation({ name: 'Run', runbook: child }), updateAlias(),
      ],
    });
    const actions = statements(rb).flatMap((s) => (s as { Action: string | string[] }).Action);
    expect(actions.length).toBeGreaterThan(8);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('a runbook whose steps need no IAM action synthesizes', () => {
    const { stack } = runbook({ steps: [Step.executeScript({ name: 'Plan', script: SCRIPT })] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('iamActions for an API newer than the IAM data', () => {
  test('an unknown action is granted as given, on the resources given, and counts as a change', () => {
    const { runbook: rb } = runbook({
      steps: [Step.executeAwsApi({ name: 'Future', service: 'lambda', api: 'FutureApi', iamActions: ['lambda:FutureApi'], resources: [QUOTES_FUNCTION_ARN] })],
    });
    expect(rolePolicies(rb)).toEqual(policy(allow('lambda:FutureApi', QUOTES_FUNCTION_ARN)));
    expect([rb.changesState, rb.steps.map((s) => s.name)]).toEqual([true, ['ApproveChange', 'Future']]);
    expect(rb.markdown).toContain('- `lambda:FutureApi` (step Future)');
  });

  test('known and unknown actions on the same resources merge; an unknown read does not change state; no resources: *', () => {
    const { runbook: rb } = runbook({
      steps: [
        Step.executeAwsApi({
          name: 'Future', service: 'lambda', api: 'GetFutureThing', iamActions: ['lambda:GetAlias', 'lambda:GetFutureThing'], resources: [QUOTES_FUNCTION_ARN],
        }),
        Step.executeScript({ name: 'List', script: SCRIPT, iamActions: ['lambda:ListFutureThings'] }),
      ],
    });
    expect(rolePolicies(rb)).toEqual(policy(allow(['lambda:GetAlias', 'lambda:GetFutureThing'], QUOTES_FUNCTION_ARN), allow('lambda:ListFutureThings', '*')));
    expect([rb.changesState, rb.hasApprovalGate]).toEqual([false, false]);
  });
});

describe('permissions that cannot be derived fail at synth, naming the step and the fix', () => {
  const fails = (step: Step) => expect(() => runbook({ steps: [step] }));

  test('an unknown service, with a suggestion', () => {
    fails(call('Point', 'lamda', 'UpdateAlias', [QUOTES_FUNCTION_ARN])).toThrow(new RegExp(
      `^\\[${PATH}\\] Step 'Point' calls lamda:UpdateAlias, but 'lamda' is not an AWS service namespace in the ${DATA} \\(did you mean 'lambda'\\?\\)\\.$`));
  });

  test('an unknown API, with a suggestion and the iamActions escape hatch', () => {
    fails(call('Point', 'lambda', 'UpdateAliass', [QUOTES_FUNCTION_ARN])).toThrow(new RegExp(
      `^\\[${PATH}\\] Step 'Point' calls lambda:UpdateAliass, but lambda:UpdateAliass is not an IAM action in the ${DATA} ` +
      "\\(did you mean 'UpdateAlias'\\?\\)\\. If the API is newer than that data, list the IAM actions it needs with iamActions\\.$"));
  });

  test('an API name that is not PascalCase', () => {
    fails(call('Point', 'lambda', 'update_alias', [QUOTES_FUNCTION_ARN])).toThrow(
      `[${PATH}] Step 'Point' calls lambda:update_alias, but Api 'update_alias' is not an API name: use the PascalCase operation name, e.g. 'UpdateAlias'.`);
  });

  test('API Gateway, which IAM authorizes by HTTP method', () => {
    fails(call('Apis', 'apigateway', 'GetRestApis')).toThrow(`[${PATH}] Step 'Apis' calls apigateway:GetRestApis, but API Gateway management APIs ` +
      "are authorized by HTTP method on resource paths: list them with iamActions (e.g. iamActions: ['apigateway:GET'], " +
      "resources: ['arn:aws:apigateway:<region>::/restapis/<id>']).");
  });

  test('API Gateway with iamActions works', () => {
    const { runbook: rb } = runbook({
      steps: [Step.executeAwsApi({
        name: 'Apis', service: 'apigateway', api: 'GetRestApis', iamActions: ['apigateway:GET'], resources: [`arn:aws:apigateway:${REGION}::/restapis`],
      })],
    });
    expect(rolePolicies(rb)).toEqual(policy(allow('apigateway:GET', `arn:aws:apigateway:${REGION}::/restapis`)));
  });

  test('the API Gateway error names the fix (iamActions)', () => {
    fails(call('Apis', 'apigateway', 'GetRestApis')).toThrow(/iamActions/);
  });

  test('a resource-scoped action without resources', () => {
    fails(updateAlias('Point', { resources: undefined })).toThrow(`[${PATH}] Step 'Point' calls lambda:UpdateAlias, which IAM scopes to function ` +
      'resources: pass the ARNs it acts on as resources (e.g. arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}).');
    fails(Step.executeScript({ name: 'Shift', script: SCRIPT, iamActions: ['lambda:UpdateAlias'] }))
      .toThrow(`[${PATH}] Step 'Shift' calls lambda:UpdateAlias, which IAM scopes to function resources`);
  });

  test('resources on an action IAM cannot scope', () => {
    fails(call('Instances', 'ec2', 'DescribeInstances', ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc'])).toThrow(
      `[${PATH}] Step 'Instances' lists resources, but ec2:DescribeInstances cannot be scoped to resources in IAM (they are granted on *): remove resources.`);
  });

  test('a literal ARN of the wrong resource type', () => {
    fails(updateAlias('Point', { resources: [DLQ_ARN] })).toThrow(new RegExp(
      `^\\[${PATH}\\] Step 'Point' lists resource '${DLQ_ARN}', which is not an ARN lambda:UpdateAlias acts on ` +
      `\\(${DATA}: arn:\\$\\{Partition\\}:lambda:\\$\\{Region\\}:\\$\\{Account\\}:function:\\$\\{FunctionName\\}\\)\\.$`));
  });

  test('a literal ARN of the wrong type for an action whose resource type is spelled in camel case', () => {
    fails(call('Scale', 'autoscaling', 'UpdateAutoScalingGroup', [DLQ_ARN]))
      .toThrow(`[${PATH}] Step 'Scale' lists resource '${DLQ_ARN}', which is not an ARN autoscaling:UpdateAutoScalingGroup acts on`);
  });

  test('a valid ARN of a resource type spelled in camel case is accepted', () => {
    const mapping = `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:1234-abcd`;
    expect(() => runbook({ steps: [call('Tags', 'lambda', 'ListTags', [mapping])] })).not.toThrow();
  });

  test.each([
    ['lambda:*', 'a wildcard'],
    ['lambda:Get*', 'a partial wildcard'],
    ['UpdateAlias', 'no prefix'],
    ['lambda:Update-Alias', 'a bad action name'],
  ])("iamActions '%s' (%s)", (action) => {
    fails(Step.executeAwsApi({ name: 'Point', service: 'lambda', api: 'UpdateAlias', iamActions: [action], resources: [QUOTES_FUNCTION_ARN] }))
      .toThrow(`[${PATH}] Step 'Point' lists IAM action '${action}': use 'service:Action' without wildcards, e.g. 'lambda:UpdateAlias'.`);
  });

  test('empty iamActions', () => {
    const message = 'has an empty iamActions: list the actions it calls, or leave iamActions out.';
    fails(Step.executeAwsApi({ name: 'Point', service: 'lambda', api: 'UpdateAlias', iamActions: [], resources: [QUOTES_FUNCTION_ARN] }))
      .toThrow(`[${PATH}] Step 'Point' ${message}`);
    fails(Step.executeScript({ name: 'Plan', script: SCRIPT, iamActions: [] })).toThrow(`[${PATH}] Step 'Plan' ${message}`);
  });
});
