import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { Workload } from '../core/workload';

/**
 * Which CodeDeploy deployments an operations-health dashboard counts.
 */
export interface CodeDeploySourceOptions {
  /**
   * Count only deployments of these CodeDeploy applications (`detail.application` of the event).
   *
   * @default - every CodeDeploy application in the account and region
   */
  readonly applicationNames?: string[];
}

/**
 * Which ECS service deployments an operations-health dashboard counts.
 */
export interface EcsSourceOptions {
  /**
   * Count only deployments of these ECS services, by service ARN (the event's `resources`).
   *
   * @default - every ECS service in the account and region
   */
  readonly serviceArns?: string[];
}

/**
 * Which CodePipeline executions an operations-health dashboard counts.
 */
export interface CodePipelineSourceOptions {
  /**
   * Count only executions of these pipelines (`detail.pipeline` of the event).
   *
   * @default - every pipeline in the account and region
   */
  readonly pipelineNames?: string[];
}

/**
 * Where deployments come from: an EventBridge service event that marks a deployment's start and end.
 *
 * Each source is captured by its own EventBridge rule; its terminal states feed the `Deployments` and
 * `FailedDeployments` metric filters. Event names are those of the EventBridge events reference
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-codedeploy.html, ECS "service deployment state
 * change events", CodePipeline "Monitoring CodePipeline events").
 *
 * Count each release once: a pipeline that deploys through CodeDeploy or ECS is counted by each enabled source.
 */
export class DeploymentSource {
  /**
   * CodeDeploy deployments (`aws.codedeploy`, "CodeDeploy Deployment State-change Notification"). A deployment counts
   * when it ends in SUCCESS, FAILURE or STOP, and fails with FAILURE or STOP: CodeDeploy stops a deployment when one of
   * its alarms fires (the rollback path of safe deployments).
   */
  public static codeDeploy(options: CodeDeploySourceOptions = {}): DeploymentSource {
    return new DeploymentSource('CodeDeploy', 'aws.codedeploy', 'CodeDeploy Deployment State-change Notification', 'detail.state',
      ['SUCCESS', 'FAILURE', 'STOP'], ['FAILURE', 'STOP'], 'applicationNames', 'detail.application', options.applicationNames);
  }

  /**
   * ECS service deployments (`aws.ecs`, "ECS Deployment State Change"). A deployment counts when it reaches
   * SERVICE_DEPLOYMENT_COMPLETED or SERVICE_DEPLOYMENT_FAILED, and fails with SERVICE_DEPLOYMENT_FAILED (sent when the
   * deployment circuit breaker or a deployment alarm rolls it back).
   */
  public static ecs(options: EcsSourceOptions = {}): DeploymentSource {
    return new DeploymentSource('ECS', 'aws.ecs', 'ECS Deployment State Change', 'detail.eventName',
      ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'], ['SERVICE_DEPLOYMENT_FAILED'], 'serviceArns', 'resources', options.serviceArns);
  }

  /**
   * CodePipeline executions (`aws.codepipeline`, "CodePipeline Pipeline Execution State Change"). An execution counts
   * when it ends SUCCEEDED or FAILED, and fails with FAILED; STOPPED, SUPERSEDED and CANCELED executions released
   * nothing and are not counted.
   */
  public static codePipeline(options: CodePipelineSourceOptions = {}): DeploymentSource {
    return new DeploymentSource('CodePipeline', 'aws.codepipeline', 'CodePipeline Pipeline Execution State Change', 'detail.state',
      ['SUCCEEDED', 'FAILED'], ['FAILED'], 'pipelineNames', 'detail.pipeline', options.pipelineNames);
  }

  /** Short name of the source: `CodeDeploy`, `ECS` or `CodePipeline`. */
  public readonly name: string;
  /** The event `source`, e.g. `aws.codedeploy`. */
  public readonly source: string;
  /** The event `detail-type`, e.g. `CodeDeploy Deployment State-change Notification`. */
  public readonly detailType: string;
  /** The event field holding the deployment state, e.g. `detail.state`. */
  public readonly stateField: string;
  /** States of a finished deployment: each event in one of them counts in `Deployments`. */
  public readonly completedStates: string[];
  /** States of a failed deployment: each event in one of them counts in `FailedDeployments`. */
  public readonly failedStates: string[];
  private readonly filterOption: string;
  private readonly filterField: string;
  private readonly filterValues?: string[];

  private constructor(name: string, source: string, detailType: string, stateField: string, completedStates: string[],
    failedStates: string[], filterOption: string, filterField: string, filterValues?: string[]) {
    this.name = name;
    this.source = source;
    this.detailType = detailType;
    this.stateField = stateField;
    this.completedStates = completedStates;
    this.failedStates = failedStates;
    this.filterOption = filterOption;
    this.filterField = filterField;
    this.filterValues = filterValues;
  }

  /** The EventBridge event pattern capturing this source's deployment events (internal). @internal */
  public _eventPattern(scope: IConstruct): events.EventPattern {
    const values = this.filterValues;
    if (values !== undefined) {
      if (values.length === 0) {
        fail(scope, `DeploymentSource ${this.name}: ${this.filterOption} is empty, so no deployment would be counted. ` +
          `Omit ${this.filterOption} to count every one, or list at least one.`);
      }
      const blank = values.find((v) => !Token.isUnresolved(v) && v.trim() === '');
      if (blank !== undefined) fail(scope, `DeploymentSource ${this.name}: ${this.filterOption} contains an empty name; remove it.`);
    }
    const [top, field] = this.filterField.split('.');
    const filter = values === undefined ? {} : top === 'resources' ? { resources: values } : { detail: { [field]: values } };
    return { source: [this.source], detailType: [this.detailType], ...filter };
  }

  /** A metric filter condition matching this source's events in one of `states` (internal). @internal */
  public _condition(states: string[]): string {
    const state = states.map((s) => `$.${this.stateField} = "${s}"`).join(' || ');
    return `($.source = "${this.source}" && (${state}))`;
  }
}

/**
 * Where incidents come from: an EventBridge event that marks an incident being opened.
 *
 * AWS Systems Manager Incident Manager publishes no service events of its own to EventBridge, only its API calls
 * through CloudTrail (EventBridge events reference, "Incident Manager events"); OpsCenter publishes "OpsItem Create"
 * natively. So OpsCenter is the default, and Incident Manager is opt-in.
 */
export class IncidentSource {
  /**
   * An OpsItem of type `/aws/issue` is created in OpsCenter (`aws.ssm`, "OpsItem Create"): by a CloudWatch alarm's
   * OpsItem action, an EventBridge rule, or a person. Change requests and insights are not counted.
   */
  public static readonly OPS_CENTER = new IncidentSource('OpsCenter', 'aws.ssm', 'OpsItem Create',
    { 'ops-item-type': ['/aws/issue'] }, '`detail-type` = "OpsItem Create"');

  /**
   * An Incident Manager incident is started (`aws.ssm-incidents`, "AWS API Call via CloudTrail", `StartIncident`).
   * Needs a CloudTrail trail logging management events in the region: without one EventBridge receives no such event.
   * Incident Manager is closed to new customers since 7 November 2025.
   */
  public static readonly INCIDENT_MANAGER = new IncidentSource('IncidentManager', 'aws.ssm-incidents', 'AWS API Call via CloudTrail',
    { eventSource: ['ssm-incidents.amazonaws.com'], eventName: ['StartIncident'] },
    '(`source` = "aws.ssm-incidents" and detail.eventName = "StartIncident")');

  /** Short name of the source: `OpsCenter` or `IncidentManager`. */
  public readonly name: string;
  /** The event `source`, e.g. `aws.ssm`. */
  public readonly source: string;
  /** The event `detail-type`, e.g. `OpsItem Create`. */
  public readonly detailType: string;
  /** The Logs Insights condition selecting this source's events (internal). @internal */
  public readonly _insightsCondition: string;
  private readonly detail: Record<string, string[]>;

  private constructor(name: string, source: string, detailType: string, detail: Record<string, string[]>, insightsCondition: string) {
    this.name = name;
    this.source = source;
    this.detailType = detailType;
    this.detail = detail;
    this._insightsCondition = insightsCondition;
  }

  /** The EventBridge event pattern capturing this source's incident events (internal). @internal */
  public _eventPattern(): events.EventPattern {
    return { source: [this.source], detailType: [this.detailType], detail: this.detail };
  }
}

/**
 * Whose alarms an operations-health dashboard follows (their state changes feed time-to-restore).
 */
export class AlarmScope {
  /** Every alarm in the account and region: a platform-wide view. */
  public static readonly ALL = new AlarmScope('all');

  /** The alarms of the enclosing Workload: names starting `<workload>-`, as every alarm of this library is named. */
  public static workload(): AlarmScope {
    return new AlarmScope('workload');
  }

  /** Alarms whose name starts with `prefix`. */
  public static namePrefix(prefix: string): AlarmScope {
    return new AlarmScope('prefix', prefix);
  }

  private readonly kind: string;
  private readonly prefix?: string;

  private constructor(kind: string, prefix?: string) {
    this.kind = kind;
    this.prefix = prefix;
  }

  /** The alarm name prefix for `scope`, or undefined for every alarm (internal). @internal */
  public _prefix(scope: IConstruct): string | undefined {
    if (this.kind === 'all') return undefined;
    if (this.kind === 'workload') {
      const workload = Workload.find(scope);
      if (!workload) {
        fail(scope, 'alarmScope AlarmScope.workload() needs an enclosing Workload to name the alarms, and there is none. ' +
          'Define the dashboard inside a Workload, or pass AlarmScope.namePrefix(...) or AlarmScope.ALL.');
      }
      return `${workload.workloadName}-`;
    }
    const prefix = this.prefix!;
    if (!Token.isUnresolved(prefix) && (prefix.trim() === '' || prefix.length > 255)) {
      fail(scope, `alarmScope AlarmScope.namePrefix('${prefix.slice(0, 40)}') is invalid: give 1-255 characters of the alarm names to follow, ` +
        'or pass AlarmScope.ALL to follow every alarm.');
    }
    return prefix;
  }
}
