import { Lazy, Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { WorkloadRollup } from './workload-rollup';
import { brand, hasBrand } from '../core/brand';
import { RollbackLambdaAlias } from '../runbooks/presets/rollback-lambda-alias';

/**
 * Pieces every OperableFunction of a workload (in one stack) shares, kept in the workload rollup so a stack of many
 * services stays small (internal): one CodeDeploy application and service role, and the saved Logs Insights queries
 * over all the functions' log groups.
 */
class FunctionShared extends Construct {
  public static of(scope: IConstruct): FunctionShared {
    const rollup = WorkloadRollup.of(scope);
    const existing = rollup.node.tryFindChild('Functions');
    return hasBrand(existing, 'FunctionShared') ? existing as FunctionShared : new FunctionShared(rollup, 'Functions', rollup);
  }

  private readonly logGroups: logs.ILogGroup[] = [];
  private readonly workloadName: string;
  private deployment?: { application: codedeploy.LambdaApplication; role: iam.Role };
  private rollbackRunbook?: RollbackLambdaAlias;

  private constructor(scope: Construct, id: string, rollup: WorkloadRollup) {
    super(scope, id);
    brand(this, 'FunctionShared');
    this.workloadName = rollup.workload.workloadName;
    const prefix = rollup.workload.workloadName;
    for (const [id_, name, query] of QUERIES) {
      new logs.CfnQueryDefinition(this, id_, {
        name: `${prefix}/lambda/${name}`,
        queryString: query,
        logGroupNames: Lazy.list({ produce: () => this.logGroups.map((g) => g.logGroupName) }),
      });
    }
  }

  public addLogGroup(group: logs.ILogGroup): void {
    if (!this.logGroups.includes(group)) this.logGroups.push(group);
  }

  /** Created when the first function joins it. */
  public rollback(): RollbackLambdaAlias {
    this.rollbackRunbook = this.rollbackRunbook ?? new RollbackLambdaAlias(this, 'Rollback', {
      // Document names are per account and region: the stack name keeps two stacks of a workload apart.
      documentName: `${this.workloadName}-${Stack.of(this).stackName}-lambda-rollback`.slice(0, 128),
    });
    return this.rollbackRunbook;
  }

  /** Created when the first function deploys through CodeDeploy. */
  public sharedDeployment(): { application: codedeploy.LambdaApplication; role: iam.Role } {
    this.deployment = this.deployment ?? {
      application: new codedeploy.LambdaApplication(this, 'Deployments'),
      role: new iam.Role(this, 'DeploymentRole', {
        assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
        description: `CodeDeploy service role for the Lambda deployments of workload ${this.workloadName}`,
      }),
    };
    return this.deployment;
  }
}

/** The saved queries: id, name, Logs Insights query over JSON-format Lambda logs. */
export const QUERIES: ReadonlyArray<readonly [string, string, string]> = [
  ['RecentErrors', 'recent-errors', [
    'fields @timestamp, @log, level, message, requestId',
    '| filter level = "ERROR" or level = "FATAL" or @message like /(?i)error/',
    '| sort @timestamp desc',
    '| limit 100',
  ].join('\n')],
  ['SlowestRequests', 'slowest-requests', [
    'filter type = "platform.report"',
    '| fields @timestamp, @log, record.requestId, record.metrics.durationMs, record.metrics.maxMemoryUsedMB',
    '| sort record.metrics.durationMs desc',
    '| limit 25',
  ].join('\n')],
  ['ColdStarts', 'cold-starts', [
    'filter type = "platform.report" and ispresent(record.metrics.initDurationMs)',
    '| stats count(*) as coldStarts, avg(record.metrics.initDurationMs) as avgInitMs, max(record.metrics.initDurationMs) as maxInitMs by bin(1h)',
  ].join('\n')],
];

/** The recent-errors query, for the service dashboard. */
export const RECENT_ERRORS_QUERY = QUERIES[0][2];

/** The workload's shared CodeDeploy application and role for Lambda deployments. */
export function sharedDeployment(scope: IConstruct): { application: codedeploy.LambdaApplication; role: iam.Role } {
  return FunctionShared.of(scope).sharedDeployment();
}

/** Include a function's log group in the workload's saved queries. */
export function addToSavedQueries(scope: IConstruct, group: logs.ILogGroup): void {
  FunctionShared.of(scope).addLogGroup(group);
}

/** The workload's shared rollback runbook for Lambda aliases (in this stack). */
export function sharedRollback(scope: IConstruct): RollbackLambdaAlias {
  return FunctionShared.of(scope).rollback();
}
