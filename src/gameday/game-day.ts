import { AspectPriority, Aspects, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ExperimentPlan, GameDayExperiment } from './experiment';
import { FIS_EXEC_WRAPPER } from './lambda-fault-configuration';
import { startRunbook } from './start-runbook';
import { Check, Checks, checkProps, checkRequired } from '../core/checks';
import { fail, warn, Warnings } from '../core/errors';
import { validateName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { Workload } from '../core/workload';
import { Runbook, RunbookApproval } from '../runbooks/runbook';
import { IOperableService, OperableService } from '../services/operable-service';

/** FIS allows at most 5 stop conditions per experiment template (FIS quotas). */
const MAX_STOP_CONDITIONS = 5;
/** Experiment template descriptions hold at most 512 characters (CreateExperimentTemplate API). */
const MAX_DESCRIPTION = 512;

/**
 * Properties of a game day.
 */
export interface GameDayProps {
  /** The experiments: each becomes one FIS experiment template. */
  readonly experiments: GameDayExperiment[];

  /**
   * The service the game day exercises: its page composite stops the experiments, its name and runbook (or playbook)
   * are used.
   *
   * @default - none: give pageAlarm, serviceName and runbook
   */
  readonly service?: IOperableService;

  /**
   * The alarm that pages for the service, when it is not an operable service.
   *
   * @default - the service's page composite
   */
  readonly pageAlarm?: cloudwatch.IAlarm;

  /**
   * Name of the service (the templates' `ops:service` tag), when it is not an operable service.
   *
   * @default - the service's name
   */
  readonly serviceName?: string;

  /**
   * The runbook the experiments exercise (a URL or an SSM Automation document name), unless an experiment names its own.
   *
   * @default - the service's runbook, else its playbook
   */
  readonly runbook?: string;

  /**
   * Alarms that stop every experiment when they fire (at most 5).
   *
   * @default - the page alarm
   */
  readonly stopConditions?: cloudwatch.IAlarm[];

  /**
   * Where FIS writes the experiment log (schema version 2).
   *
   * @default - a new log group, retained on stack deletion, with the workload tier's log retention
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * Retention of the log group the game day creates.
   *
   * @default - the workload tier's log retention
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The role every experiment runs with, used as is: grant it what the experiments need yourself.
   *
   * @default - one role per experiment, allowed exactly what its FIS action and the experiment log need
   */
  readonly role?: iam.IRole;

  /**
   * Create the runbook that starts an experiment (with the workload's approval gate) and waits until it ends.
   *
   * @default - true when the workload has approvers or `approval` is given
   */
  readonly startRunbook?: boolean;

  /**
   * Whether the start runbook waits for an approval (only with a start runbook).
   *
   * @default RunbookApproval.whenChangingState(): the workload's approvers approve
   */
  readonly approval?: RunbookApproval;

  /**
   * Name of the start runbook's document (only with a start runbook).
   *
   * @default `<workload>-<service>-game-day`
   */
  readonly documentName?: string;
}

/**
 * A game day for a service (OPS07, OPS11): AWS FIS experiment templates that inject the failures the service must
 * survive, each stopped by the service's page composite, logged to CloudWatch Logs, run by a least-privilege role,
 * tagged `Name`, `ops:workload`, `ops:service` and `ops:gameday=<kind>` for the readiness review, and described with the runbook
 * it exercises; plus a start runbook (SSM Automation, with the workload's approval gate).
 *
 * @example
 * new GameDay(workload, 'QuotesGameDay', {
 *   service: quotes,
 *   experiments: [GameDayExperiment.lambdaInvocationErrors({ configuration: LambdaFaultConfiguration.fromBucket(bucket) })],
 * });
 */
export class GameDay extends Construct {
  /** Tag key naming the kind of game day experiment a template runs. */
  public static readonly TAG_KEY = OpsTags.GAMEDAY;

  /** The workload. */
  public readonly workload: Workload;
  /** Name of the service. */
  public readonly serviceName: string;
  /** The alarm that pages for the service. */
  public readonly pageAlarm: cloudwatch.IAlarm;
  /** The alarms that stop the experiments. */
  public readonly stopConditions: cloudwatch.IAlarm[];
  /**
   * The game day's runbook.
   * @default - none (every experiment names its own)
   */
  public readonly runbook?: string;
  /** The experiment log. */
  public readonly logGroup: logs.ILogGroup;
  /** The experiments. */
  public readonly experiments: GameDayExperiment[];
  /** The experiment templates, in the order of `experiments`. */
  public readonly experimentTemplates: fis.CfnExperimentTemplate[];
  /** The experiment roles, in the order of `experiments` (the same role repeated when `role` is given). */
  public readonly roles: iam.IRole[];
  /**
   * The runbook that starts an experiment.
   * @default - none when startRunbook is false
   */
  public readonly startRunbook?: Runbook;

  private readonly plans: ExperimentPlan[] = [];

  constructor(scope: Construct, id: string, props: GameDayProps) {
    super(scope, id);
    checkProps(this, 'GameDayProps', props, PROP_CHECKS);
    checkRequired(this, 'experiments', props.experiments, PROP_CHECKS.experiments[0], PROP_CHECKS.experiments[1]);
    this.workload = Workload.of(this);
    const service = props.service;
    if (service && props.pageAlarm) {
      fail(this, `give service (${service.serviceName}, whose page composite stops the experiments) or pageAlarm, not both; ` +
        'to stop on more alarms, use stopConditions.');
    }
    if (service && props.serviceName !== undefined && props.serviceName !== service.serviceName) {
      fail(this, `serviceName '${props.serviceName}' differs from the service's name '${service.serviceName}': leave serviceName out.`);
    }
    const pageAlarm = service?.pageAlarm ?? props.pageAlarm;
    if (!pageAlarm) fail(this, 'give service (an operable service, whose page composite stops the experiments) or pageAlarm.');
    const serviceName = service?.serviceName ?? props.serviceName;
    if (serviceName === undefined) fail(this, 'give serviceName (the ops:service tag of the experiment templates) with pageAlarm, or give service.');
    this.serviceName = validateName(this, 'serviceName', serviceName);
    this.pageAlarm = pageAlarm;
    this.runbook = props.runbook ?? serviceProcedure(service);

    this.experiments = [...props.experiments];
    validateExperiments(this, this.experiments);
    this.stopConditions = props.stopConditions ?? [pageAlarm];
    if (this.stopConditions.length === 0 || this.stopConditions.length > MAX_STOP_CONDITIONS) {
      fail(this, `stopConditions has ${this.stopConditions.length} alarms; FIS takes 1 to ${MAX_STOP_CONDITIONS} per experiment template ` +
        '(a game day without a stop condition cannot be stopped by the service\'s health).');
    }

    if (props.logGroup && props.logRetention !== undefined) {
      fail(this, 'logRetention configures the log group the game day creates; with logGroup, set the retention where that log group is defined.');
    }
    this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? this.workload.tier.logRetention });

    const withStart = props.startRunbook ?? (this.workload.approvers !== undefined || props.approval !== undefined);
    for (const prop of ['approval', 'documentName'] as const) {
      if (!withStart && props[prop] !== undefined) {
        fail(this, `${prop} configures the start runbook, but the game day creates none (${props.startRunbook === false ? 'startRunbook is false'
          : `workload '${this.workload.workloadName}' has no approvers`}): remove ${prop}, or ${props.startRunbook === false ? 'the startRunbook: false'
          : 'give approval (e.g. RunbookApproval.by(approvers)) or startRunbook: true'}.`);
      }
    }
    const documentName = props.documentName ?? `${this.workload.workloadName}-${this.serviceName}-game-day`;
    const names = this.stopConditions.map(literalAlarmName);
    const alarmNames = names.length === 1 ? names[0] : `any of ${names.join(', ')}`;
    const startHint = withStart
      ? `Start it with the SSM Automation runbook ${documentName}.`
      : "Start it with: aws fis start-experiment --experiment-template-id <this template's id>.";

    this.experimentTemplates = [];
    this.roles = [];
    for (const experiment of this.experiments) {
      const plan = experiment._plan({ scope: this, workload: this.workload, service, serviceName: this.serviceName, name: experiment.name });
      const runbook = experiment.runbook ?? this.runbook;
      if (runbook === undefined) {
        fail(this, `experiment '${experiment.name}' names no runbook to exercise: give the game day a runbook (a URL or an SSM document name, ` +
          'e.g. failover.documentName), give the experiment one, or give the service a runbook.');
      }
      const description = `Game day ${experiment.kind} for ${this.workload.workloadName}/${this.serviceName}: ${plan.summary}. ` +
        `Exercises runbook ${runbook}. Stops when ${alarmNames} fires. ${startHint}`;
      if (!Token.isUnresolved(description) && description.length > MAX_DESCRIPTION) {
        fail(this, `experiment '${experiment.name}': its template description is ${description.length} characters; FIS allows ${MAX_DESCRIPTION}. ` +
          'Shorten the runbook reference (an SSM document name rather than a long URL) or the service name.');
      }
      const container = new Construct(this, pascal(experiment.name));
      const role = props.role ?? this.experimentRole(container, experiment, plan);
      const tags = {
        Name: `${this.workload.workloadName}-${this.serviceName}-${experiment.name}`,
        [OpsTags.WORKLOAD]: this.workload.workloadName,
        [OpsTags.SERVICE]: this.serviceName,
        [GameDay.TAG_KEY]: experiment.kind,
      };
      Object.entries(tags).forEach(([k, v]) => OpsTags.validate(this, k, v));
      const template = new fis.CfnExperimentTemplate(container, 'Template', {
        description,
        roleArn: role.roleArn,
        stopConditions: this.stopConditions.map((alarm) => ({ source: 'aws:cloudwatch:alarm', value: alarm.alarmArn })),
        targets: {
          [plan.targetKey]: {
            resourceType: plan.target.resourceType,
            selectionMode: plan.target.selectionMode,
            resourceArns: plan.target.resourceArns,
            parameters: plan.target.parameters,
          },
        },
        actions: {
          [experiment.name]: {
            actionId: experiment.actionId,
            description: `${plan.summary}.`,
            parameters: Object.keys(plan.parameters).length > 0 ? plan.parameters : undefined,
            targets: { [plan.targetKey]: plan.targetKey },
          },
        },
        logConfiguration: { cloudWatchLogsConfiguration: { LogGroupArn: this.logGroup.logGroupArn }, logSchemaVersion: 2 },
        experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
        tags,
      });
      this.experimentTemplates.push(template);
      this.roles.push(role);
      this.plans.push(plan);
    }

    if (withStart) {
      this.startRunbook = startRunbook(this, 'Start', {
        documentName,
        workloadName: this.workload.workloadName,
        serviceName: this.serviceName,
        pageAlarms: alarmNames,
        approval: props.approval,
        experiments: this.experiments.map((e, i) => ({
          name: e.name,
          kind: e.kind,
          templateId: this.experimentTemplates[i].ref,
          runbook: e.runbook ?? this.runbook!,
          duration: this.plans[i].duration,
        })),
      });
    } else {
      warn(this, Warnings.GAMEDAY_NO_START_RUNBOOK, 'the game day has no start runbook (the workload has no approvers): ' +
        "start an experiment with 'aws fis start-experiment --experiment-template-id <id>' (see experimentTemplateIds), or give " +
        'the workload approvers, or approval: RunbookApproval.by(approvers) (OPS07-BP03).');
    }
    Aspects.of(this).add({ visit: (node) => { if (node === this) this.checkLambdaTargets(); } }, { priority: AspectPriority.READONLY });
  }

  /** The experiment templates' ids (`Ref`), in the order of `experiments`. */
  public get experimentTemplateIds(): string[] {
    return this.experimentTemplates.map((t) => t.ref);
  }

  /**
   * How to start each experiment, in the order of `experiments`: the start runbook's
   * `aws ssm start-automation-execution` command, or `aws fis start-experiment` without a start runbook.
   */
  public get startCommands(): string[] {
    return this.experimentTemplateIds.map((id) => (this.startRunbook
      ? `aws ssm start-automation-execution --document-name ${this.startRunbook.documentName} --parameters ExperimentTemplateId=${id}`
      : `aws fis start-experiment --experiment-template-id ${id}`));
  }

  /** The experiment template of the experiment with this name. */
  public experimentTemplate(name: string): fis.CfnExperimentTemplate {
    const index = this.experiments.findIndex((e) => e.name === name);
    if (index < 0) fail(this, `has no experiment named '${name}' (it has ${this.experiments.map((e) => e.name).join(', ')}).`);
    return this.experimentTemplates[index];
  }

  /** The least-privilege role of one experiment: what its action needs on its targets, and log delivery. */
  private experimentRole(scope: Construct, experiment: GameDayExperiment, plan: ExperimentPlan): iam.IRole {
    const stack = Stack.of(this);
    const role = new iam.Role(scope, 'Role', {
      description: `Runs game day experiment ${experiment.name} of ${this.workload.workloadName}/${this.serviceName} (cdk-operable)`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
      }),
      inlinePolicies: {
        GameDay: new iam.PolicyDocument({
          statements: [
            ...plan.statements,
            // Experiment logging to CloudWatch Logs is a vended log delivery; IAM scopes these actions to nothing narrower.
            new iam.PolicyStatement({
              actions: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    plan.grant?.(role);
    return role;
  }

  /** Warn when a Lambda target defined in this app lacks the FIS extension's environment (the fault would never reach it). */
  private checkLambdaTargets(): void {
    this.plans.forEach((plan, i) => {
      const fn = plan.lambdaFunction;
      if (!(fn instanceof lambda.Function) || !plan.configuration) return;
      const stack = Stack.of(fn);
      const env = (stack.resolve((fn.node.defaultChild as lambda.CfnFunction).environment) ?? {}) as { variables?: Record<string, unknown> };
      const vars = env.variables ?? {};
      const location = JSON.stringify(stack.resolve(plan.configuration.locationArn));
      const problems = [
        ...(vars.AWS_LAMBDA_EXEC_WRAPPER === FIS_EXEC_WRAPPER ? [] : [`AWS_LAMBDA_EXEC_WRAPPER=${FIS_EXEC_WRAPPER}`]),
        ...(JSON.stringify(vars.AWS_FIS_CONFIGURATION_LOCATION) === location ? [] : ['AWS_FIS_CONFIGURATION_LOCATION set to the configuration\'s location']),
      ];
      if (problems.length === 0) return;
      warn(this, Warnings.GAMEDAY_LAMBDA_EXTENSION, `experiment '${this.experiments[i].name}': function ${fn.node.path} lacks ` +
        `${problems.join(' and ')}, so FIS cannot reach it: call configuration.applyTo(fn) where the function is defined (it adds the FIS ` +
        'extension layer, the environment and read access), then publish a new version.');
    });
  }
}

const isAlarm = (v: unknown): boolean => v !== null && typeof v === 'object' &&
  typeof (v as cloudwatch.IAlarm).alarmArn === 'string' && typeof (v as cloudwatch.IAlarm).alarmName === 'string';
const ALARM = Checks.instance(isAlarm, 'a CloudWatch alarm (cloudwatch.IAlarm)');

/** Runtime shape checks of the props (plain JavaScript callers). */
const PROP_CHECKS: Record<string, readonly [Check, string?]> = {
  experiments: [Checks.arrayOf(Checks.instance(GameDayExperiment.isGameDayExperiment, 'a GameDayExperiment (from its static factories)'),
    'an array of GameDayExperiment'), 'e.g. experiments: [GameDayExperiment.ecsStopTasks({ service })].'],
  service: [Checks.instance((v) => OperableService.isOperableService(v) || (v !== null && typeof v === 'object' &&
    typeof (v as IOperableService).serviceName === 'string' && isAlarm((v as IOperableService).pageAlarm)),
  'an operable service (IOperableService, e.g. an OperableFunction)')],
  pageAlarm: [ALARM],
  serviceName: [Checks.string()],
  runbook: [Checks.string({ nonEmpty: true }), 'Give a URL or an SSM Automation document name, or leave runbook out.'],
  stopConditions: [Checks.arrayOf(ALARM, 'an array of alarms')],
  logGroup: [Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as logs.ILogGroup).logGroupArn === 'string', 'a log group (logs.ILogGroup)')],
  logRetention: [Checks.enumOf(logs.RetentionDays, 'logs.RetentionDays'), 'e.g. logs.RetentionDays.ONE_MONTH.'],
  role: [Checks.instance((v) => v !== null && typeof v === 'object' && typeof (v as iam.IRole).roleArn === 'string', 'an IAM role (iam.IRole)')],
  startRunbook: [Checks.boolean],
  approval: [Checks.instance((v) => v !== null && typeof v === 'object' && ['auto', 'explicit', 'none'].includes((v as { _mode?: string })._mode ?? ''),
    'a RunbookApproval'), 'e.g. RunbookApproval.by(approvers).'],
  documentName: [Checks.string({ nonEmpty: true })],
};

/** The runbook (else the playbook) an operable service names, when it exposes one (`OperableService` does). */
function serviceProcedure(service: IOperableService | undefined): string | undefined {
  const s = service as { runbook?: unknown; playbook?: unknown } | undefined;
  const pick = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return pick(s?.runbook) ?? pick(s?.playbook);
}

/** Experiment names: valid, unique, and distinct as construct ids. */
function validateExperiments(scope: IConstruct, experiments: GameDayExperiment[]): void {
  if (experiments.length === 0) {
    fail(scope, 'a game day needs at least one experiment: pass experiments, e.g. [GameDayExperiment.ecsStopTasks({ service })].');
  }
  const seen = new Map<string, string>();
  for (const e of experiments) {
    checkRequired(scope, `experiment '${e.kind}' name`, e.name, Checks.string(), 'Give a name such as \'quotes-errors\'.');
    validateName(scope, 'experiment name', e.name);
    const id = pascal(e.name);
    const clash = seen.get(id);
    if (clash !== undefined) {
      fail(scope, clash === e.name
        ? `two experiments are named '${e.name}': give one of them another name.`
        : `experiments '${clash}' and '${e.name}' differ only in punctuation and would get the same construct id '${id}': rename one.`);
    }
    seen.set(id, e.name);
  }
}

/** The alarm's literal name when the construct knows it (L2 alarms with a fixed name), else its (token) name. */
function literalAlarmName(alarm: cloudwatch.IAlarm): string {
  const cfn = alarm.node.defaultChild;
  const name = cfn instanceof cloudwatch.CfnCompositeAlarm || cfn instanceof cloudwatch.CfnAlarm ? cfn.alarmName : undefined;
  return name !== undefined && !Token.isUnresolved(name) ? name : alarm.alarmName;
}

/** `lambda-invocation-errors` → `LambdaInvocationErrors`. */
function pascal(name: string): string {
  return name.split(/[-._]+/).filter((p) => p).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
