import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import type { IOperableService } from './operable-service';
import { AlarmDescription } from '../core/alarm-description';
import { brand, hasBrand } from '../core/brand';
import { compactString } from '../core/compact';
import { alarmName } from '../core/naming';
import { OpsTags } from '../core/ops-tags';
import { claimPhysicalName, PhysicalNameKind } from '../core/physical-names';
import { Severity } from '../core/severity';
import { Workload } from '../core/workload';
import { compactDashboardBody, dashboardUrl, renderDashboardBody, validateDashboardName } from '../dashboards/dashboard-body';

/**
 * The workload's view across its services, one per stack: a page composite that is in ALARM while any service
 * (or standalone SLO) of the workload pages — for deployment and feature-flag rollback, game-day stop conditions and
 * status — and a dashboard rolling up every service's alarm state and error budgets.
 *
 * The page composite carries no actions: each service pages through its own composite.
 * Operable services create it; `WorkloadRollup.of(scope)` returns it (creating it if needed).
 */
export class WorkloadRollup extends Construct {
  /**
   * The rollup of the workload `scope` belongs to, in the stack `scope` belongs to.
   */
  public static of(scope: IConstruct): WorkloadRollup {
    const workload = Workload.of(scope);
    const stack = Stack.of(scope);
    const inStack = workload.node.scopes.includes(stack);
    const holder: Construct = inStack ? workload : stack;
    const id = inStack ? 'Rollup' : `${workload.node.id}Rollup`;
    const existing = holder.node.tryFindChild(id);
    const qualifier = inStack ? undefined : stack.node.id.replace(/[^A-Za-z0-9_-]+/g, '-');
    return WorkloadRollup.isWorkloadRollup(existing) ? existing : new WorkloadRollup(holder, id, workload, qualifier);
  }

  /**
   * Whether `x` is a WorkloadRollup (works across copies of this library).
   */
  public static isWorkloadRollup(x: unknown): x is WorkloadRollup {
    return hasBrand(x, 'WorkloadRollup');
  }

  /** The workload. */
  public readonly workload: Workload;
  /** In ALARM while any page composite of the workload in this stack is; no actions. */
  public readonly pageAlarm: cloudwatch.CompositeAlarm;
  /** Name of the workload dashboard. */
  public readonly dashboardName: string;
  /** Console URL of the workload dashboard. */
  public readonly dashboardUrl: string;

  private readonly serviceList: IOperableService[] = [];

  private constructor(scope: Construct, id: string, workload: Workload, stackQualifier: string | undefined) {
    super(scope, id);
    brand(this, 'WorkloadRollup');
    this.workload = workload;
    const base = stackQualifier ? [workload.workloadName, stackQualifier] : [workload.workloadName];
    const stack = Stack.of(this);
    const pages = () => workload.registeredPageAlarms.filter((a) => Stack.of(a) === stack);

    this.dashboardName = validateDashboardName(this, [...base, 'overview'].join('-'));
    this.dashboardUrl = dashboardUrl(this.dashboardName);
    claimPhysicalName(this, PhysicalNameKind.DASHBOARD, this.dashboardName);
    this.pageAlarm = new cloudwatch.CompositeAlarm(this, 'Page', {
      compositeAlarmName: alarmName(this, [...base, 'page']),
      alarmRule: cloudwatch.AlarmRule.fromString(compactString(this, Lazy.string({
        produce: () => (pages().length === 0 ? 'FALSE' : cloudwatch.AlarmRule.anyOf(...pages()).renderAlarmRule()),
      }))),
      alarmDescription: compactString(this, Lazy.string({
        produce: () => AlarmDescription.render({
          summary: `Workload ${workload.workloadName} is paging: ${this.serviceList.map((s) => s.serviceName).join(', ') || 'an SLO'} ` +
            `(${pages().length} page composite${pages().length === 1 ? '' : 's'}). Status only: each service pages through its own composite.`,
          severity: Severity.PAGE,
          owner: workload.owner.team,
          runbook: workload.runbookBaseUrl,
          dashboard: this.dashboardUrl,
        }, this),
      })),
    });
    claimPhysicalName(this.pageAlarm, PhysicalNameKind.ALARM, alarmName(this, [...base, 'page']));
    if (workload.runbookBaseUrl) OpsTags.applyRunbook(this.pageAlarm, workload.runbookBaseUrl);

    new cloudwatch.CfnDashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      dashboardBody: compactDashboardBody(this, Lazy.string({ produce: () => renderDashboardBody(this, this.rows(), { start: '-P7D' }) })),
    });
  }

  /** The services rolled up here. */
  public get services(): IOperableService[] {
    return [...this.serviceList];
  }

  /** Roll a service up into the workload dashboard (operable services add themselves). */
  public addService(service: IOperableService): void {
    if (!this.serviceList.includes(service)) this.serviceList.push(service);
  }

  private rows(): cloudwatch.IWidget[][] {
    const w = this.workload;
    const rows: cloudwatch.IWidget[][] = [[new cloudwatch.TextWidget({
      markdown: [
        `# ${w.workloadName}: operational overview`,
        `**Owner** ${w.owner.team} · **On-call** ${w.owner.onCall} · **Tier** ${w.tier.name}`,
        w.runbookBaseUrl ? `[Runbooks](${w.runbookBaseUrl})` : '**Runbooks** none',
      ].join('\n\n'),
      width: 24,
      height: 3,
    })]];
    // One row per service: what pages and tickets, and where to look. Error budgets are on each service dashboard.
    for (const service of this.serviceList) {
      const slos = service.slos.map((s) => `${s.sloName} ${s.objective}%`).join(' · ');
      rows.push([
        new cloudwatch.AlarmStatusWidget({ title: service.serviceName, alarms: [service.pageAlarm, service.ticketAlarm], width: 12, height: 2 }),
        new cloudwatch.TextWidget({
          markdown: `**${service.serviceName}** · SLOs ${slos || 'none'}${service.dashboard ? ` · [dashboard](${service.dashboard.dashboardUrl})` : ''}`,
          width: 12,
          height: 2,
        }),
      ]);
    }
    return rows;
  }
}
