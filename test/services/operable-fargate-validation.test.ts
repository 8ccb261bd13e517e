import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IMAGE, legacy } from './fargate-fixtures';
import { FargateDeployment, FargateTrafficShiftOptions, OperableFargateService, OperableFargateServiceProps } from '../../src';
import { freight, testStack } from '../support/fixtures';

const AT = '[Test/Freight/Dispatch] ';
const CREATE = { taskImageOptions: { image: IMAGE } };

/** Build an OperableFargateService 'Dispatch' in the freight workload with props made from a fresh stack (no synth). */
function build(props: (stack: Stack) => Record<string, unknown>): OperableFargateService {
  const { stack } = testStack();
  const { workload } = freight(stack);
  return new OperableFargateService(workload, 'Dispatch', props(stack) as unknown as OperableFargateServiceProps);
}

/** A task definition 'Task' with one container (unless `container` is false). */
function taskDefinition(stack: Stack, container = true): ecs.FargateTaskDefinition {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  if (container) task.addContainer('App', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
  return task;
}

describe('where the service comes from', () => {
  test('none of taskImageOptions, taskDefinition and existingService', () => {
    expect(() => build(() => ({}))).toThrow(`${AT}give taskImageOptions (or a taskDefinition) to create the service, or existingService (with its ` +
      'targetGroup) to make an existing one operable.');
  });

  test('two sources', () => {
    expect(() => build((stack) => ({ ...CREATE, taskDefinition: taskDefinition(stack) }))).toThrow(
      `${AT}give one of taskImageOptions, taskDefinition and existingService, not taskImageOptions and taskDefinition.`);
    expect(() => build((stack) => ({ taskDefinition: taskDefinition(stack), existingService: legacy(stack).service }))).toThrow(
      `${AT}give one of taskImageOptions, taskDefinition and existingService, not taskDefinition and existingService.`);
  });

  test('a task definition without a container', () => {
    expect(() => build((stack) => ({ taskDefinition: taskDefinition(stack, false) }))).toThrow(
      `${AT}taskDefinition Test/Task has no container: add its containers before giving it to OperableFargateService.`);
  });
});

describe('props of one path given on the other', () => {
  test('existingService with a create-only prop, and with several', () => {
    expect(() => build((stack) => {
      const l = legacy(stack);
      return { existingService: l.service, targetGroup: l.targetGroup, desiredCount: 3 };
    })).toThrow(`${AT}desiredCount (3) configures a service cdk-operable creates; with existingService, set it where the service is defined ` +
      "(its deploymentAlarms: this construct's deploymentAlarmNames).");
    expect(() => build((stack) => {
      const l = legacy(stack);
      return { existingService: l.service, targetGroup: l.targetGroup, desiredCount: 3, deployment: FargateDeployment.rolling(), adotSidecar: true };
    })).toThrow(`${AT}desiredCount (3), deployment (an instance of FargateDeployment), adotSidecar (true (a boolean)) configure a service cdk-operable ` +
      "creates; with existingService, set them where the service is defined (its deploymentAlarms: this construct's deploymentAlarmNames).");
  });

  test('existingService without targetGroup', () => {
    expect(() => build((stack) => ({ existingService: legacy(stack).service }))).toThrow(`${AT}existingService needs targetGroup: the target group its ` +
      "load balancer forwards to, whose 5XX, requests and response time are the service's SLIs.");
  });

  test('an imported targetGroup without loadBalancer: its metrics cannot be named', () => {
    expect(() => build((stack) => ({
      existingService: legacy(stack).service,
      targetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Imported', {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy/0123456789abcdef',
      }),
    }))).toThrow(`${AT}targetGroup Test/Imported is not attached to a load balancer in this app: give loadBalancer (the Application Load Balancer ` +
      'forwarding to it), whose name its metrics are published under.');
  });

  test('targetGroup (and loadBalancer) on the create path', () => {
    const fix = 'the load balancing of a service you bring (existingService); cdk-operable creates the load balancer and target groups of the service it ' +
      'creates: remove it.';
    expect(() => build((stack) => ({ ...CREATE, targetGroup: legacy(stack).targetGroup }))).toThrow(`${AT}targetGroup describes ${fix}`);
    expect(() => build((stack) => {
      const l = legacy(stack);
      return { ...CREATE, targetGroup: l.targetGroup, loadBalancer: l.loadBalancer };
    })).toThrow(`${AT}targetGroup, loadBalancer describe ${fix}`);
  });

  test('cluster and vpc both', () => {
    expect(() => build((stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      return { ...CREATE, vpc, cluster: new ecs.Cluster(stack, 'Shared', { vpc }) };
    })).toThrow(`${AT}give cluster or vpc, not both: the cluster Test/Shared already has a VPC.`);
  });

  test('cpu or memoryLimitMiB with a taskDefinition', () => {
    expect(() => build((stack) => ({ taskDefinition: taskDefinition(stack), cpu: 512 }))).toThrow(
      `${AT}cpu (512) sizes the task definition created from taskImageOptions; taskDefinition Test/Task has its own: set it there.`);
    expect(() => build((stack) => ({ taskDefinition: taskDefinition(stack), cpu: 512, memoryLimitMiB: 1024 }))).toThrow(
      `${AT}cpu (512), memoryLimitMiB (1024) size the task definition created from taskImageOptions; taskDefinition Test/Task has its own: set them there.`);
  });

  test('logRetention for a log group cdk-operable does not create (your taskDefinition, or your logDriver)', () => {
    expect(() => build((stack) => ({ taskDefinition: taskDefinition(stack), logRetention: 30 }))).toThrow(
      `${AT}logRetention (30 days) is for the log group cdk-operable creates for the container, but taskDefinition is yours: set the ` +
      'retention on your log group instead, or remove logRetention.');
    expect(() => build(() => ({ taskImageOptions: { image: IMAGE, logDriver: ecs.LogDrivers.firelens({}) }, logRetention: 30 }))).toThrow(
      `${AT}logRetention (30 days) is for the log group cdk-operable creates for the container, but taskImageOptions.logDriver is yours: ` +
      'set the retention on your log group instead, or remove logRetention.');
  });

  test('taskImageOptions.enableLogging false (the container would log nowhere)', () => {
    expect(() => build(() => ({ taskImageOptions: { image: IMAGE, enableLogging: false } }))).toThrow(
      `${AT}taskImageOptions.enableLogging is false, but an operable service logs: its playbook and dashboard read the container's logs. ` +
      'Remove enableLogging, or give taskImageOptions.logDriver to log elsewhere (FireLens).');
  });

  test('listenerPort 443 without a certificate', () => {
    expect(() => build(() => ({ ...CREATE, listenerPort: 443 }))).toThrow(`${AT}listenerPort is 443 but no certificate is given: an HTTPS listener needs ` +
      'one (certificate), or use another port for HTTP.');
  });
});

describe('deployment strategies ECS cannot run', () => {
  const deployed = (deployment: FargateDeployment) => () => build(() => ({ ...CREATE, deployment }));

  test('FargateDeployment.blueGreen with a stepPercent (given past the type)', () => {
    expect(deployed(FargateDeployment.blueGreen({ stepPercent: 10 } as FargateTrafficShiftOptions))).toThrow(`${AT}deployment: FargateDeployment.blueGreen ` +
      'takes no stepPercent (got 10): it shifts all traffic at once. Use FargateDeployment.canary or .linear to shift traffic in steps.');
  });

  test('a step bake time of 90 seconds, and a bake time over a day', () => {
    expect(deployed(FargateDeployment.canary({ stepBakeTime: Duration.seconds(90) }))).toThrow(`${AT}deployment: FargateDeployment.canary stepBakeTime ` +
      'must be a whole number of minutes and at most 1 day, got Duration 1 minute 30 seconds. ECS takes whole minutes from 0 to 1440, e.g. Duration.minutes(10).');
    expect(deployed(FargateDeployment.linear({ bakeTime: Duration.hours(25) }))).toThrow(`${AT}deployment: FargateDeployment.linear bakeTime must be a ` +
      'whole number of minutes and at most 1 day, got Duration 1 day 1 hour. ECS takes whole minutes from 0 to 1440, e.g. Duration.minutes(10).');
  });

  test('stepPercent 2 for linear (at least 3), 0 for canary (at least 0.1), and 2.55 (multiples of 0.1)', () => {
    expect(deployed(FargateDeployment.linear({ stepPercent: 2 }))).toThrow(`${AT}deployment: FargateDeployment.linear stepPercent must be a finite number ` +
      'at least 3 and at most 100, got 2.');
    expect(deployed(FargateDeployment.canary({ stepPercent: 0 }))).toThrow(`${AT}deployment: FargateDeployment.canary stepPercent must be a finite number ` +
      'at least 0.1 and at most 100, got 0.');
    expect(deployed(FargateDeployment.canary({ stepPercent: 2.55 }))).toThrow(`${AT}deployment: FargateDeployment.canary stepPercent is 2.55: ECS takes ` +
      'multiples of 0.1. E.g. 10 or 2.5.');
  });

  test('something else than a FargateDeployment', () => {
    expect(() => build(() => ({ ...CREATE, deployment: 'CANARY' }))).toThrow(`${AT}deployment must be a FargateDeployment (e.g. FargateDeployment.canary({ ` +
      "stepPercent: 10 })), got 'CANARY' (a string).");
  });
});

describe('values out of range, and props that do not exist', () => {
  test.each([
    ['cpu', 100, 'cpu must be a whole number at least 256, got 100. Fargate task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384.'],
    ['desiredCount', 0, 'desiredCount must be a whole number at least 1, got 0. At least 1; 2 or more keeps serving while a task is replaced.'],
    ['cpuAlarmPercent', 0, 'cpuAlarmPercent must be a finite number above 0 and at most 100, got 0.'],
    ['memoryAlarmPercent', 150, 'memoryAlarmPercent must be a finite number above 0 and at most 100, got 150.'],
    ['canaryMinRequests', 0, 'canaryMinRequests must be a whole number at least 1, got 0.'],
  ])('%s %p', (prop, value, message) => {
    expect(() => build(() => ({ ...CREATE, [prop]: value }))).toThrow(`${AT}${message}`);
  });

  test('an unknown prop, and a misspelt one', () => {
    expect(() => build(() => ({ ...CREATE, serviceProps: {} }))).toThrow(`${AT}serviceProps is not a prop of OperableFargateServiceProps: remove it, or ` +
      'see the OperableFargateServiceProps docs for the setting you want.');
    expect(() => build(() => ({ ...CREATE, desiredcount: 2 }))).toThrow(`${AT}desiredcount is not a prop of OperableFargateServiceProps (did you mean ` +
      'desiredCount?): remove it, or see the OperableFargateServiceProps docs for the setting you want.');
  });

  test('a latency setting with the latency SLO turned off', () => {
    expect(() => build(() => ({ ...CREATE, latencySlo: false, latencyThreshold: Duration.millis(400) }))).toThrow(
      `${AT}latencyThreshold is set but latencySlo is false: remove it, or the latencySlo: false.`);
  });

  test('maxTaskCount when the service gets no runbooks', () => {
    expect(() => build(() => ({ ...CREATE, maxTaskCount: 8 }))).toThrow(`${AT}maxTaskCount is 8 but the service gets no runbooks (workload ` +
      "'freight' has no approvers): it bounds the scaling runbook. Remove maxTaskCount, or give the workload approvers.");
  });

  test('runbooks: true in a workload without approvers', () => {
    expect(() => build(() => ({ ...CREATE, runbooks: true }))).toThrow("[Test/Freight/Dispatch/RollbackRunbook] Runbook 'freight-dispatch-rollback-runbook' " +
      "changes production state (Rollback) and needs an approval gate, but workload 'freight' has no approvers: set approvers on the Workload " +
      "(Approvers.of({ roles: [oncallRole] })), give approval: RunbookApproval.by(approvers), or opt out with RunbookApproval.none('reason').");
  });
});
