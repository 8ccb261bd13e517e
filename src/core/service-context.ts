import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

const SERVICE_CONTEXT = Symbol.for('cdk-operable.ServiceContext');

/**
 * What a service construct (OperableFunction, …) tells the SLOs, alarms and dashboards built inside it.
 * Internal: service L3s attach it with `attachServiceContext`, consumers read it with `findServiceContext`.
 */
export interface ServiceContext {
  readonly serviceName: string;
  /** The construct of the service (procedures defined under it are the service's). */
  readonly scope: IConstruct;
  /**
   * The runbooks for one of the service's alarms, read at synth (procedures may be created after the alarm): the most
   * specific first, then the others that apply. Empty when the service names none.
   */
  readonly runbooksFor: (alarm: IConstruct) => RunbookLink[];
  /** The playbook for the service's alarms, read at synth. */
  readonly playbook: () => string | undefined;
  /** Dashboard URL; may be a lazy token resolved at synth. */
  readonly dashboardUrl?: string;
  /** Combines the page and ticket conditions of the service's SLOs into the service's composites. */
  readonly combiner?: SloCombiner;
}

/** A runbook an alarm names: an SSM document name or URL, and when to use it (internal). */
export interface RunbookLink {
  readonly runbook: string;
  /** A few words for the alarm summary; undefined for the service's general runbook. */
  readonly purpose?: string;
}

/** The conditions an SLO hands to its service instead of creating its own composites (internal). */
export interface SloConditions {
  readonly slo: IConstruct;
  readonly page: cloudwatch.IAlarmRule;
  readonly ticket?: cloudwatch.IAlarmRule;
  /** How long the ticket should stay suppressed after a page, in seconds. */
  readonly ticketSuppressionExtensionSeconds: number;
  /** How long the ticket should wait for the page, in seconds. */
  readonly ticketSuppressionWaitSeconds: number;
  /** Window alarms, for dashboards. */
  readonly windowAlarms: cloudwatch.IAlarm[];
}

/** Implemented by services that page once for all their SLOs (internal). */
export interface SloCombiner {
  /** Fail when another SLO of the service has this name (called before the SLO creates its alarms). */
  checkSloName(slo: IConstruct, sloName: string): void;
  addSloConditions(conditions: SloConditions): { pageAlarm: cloudwatch.IAlarm; ticketAlarm?: cloudwatch.IAlarm };
}

export function attachServiceContext(scope: IConstruct, context: ServiceContext): void {
  Object.defineProperty(scope, SERVICE_CONTEXT, { value: context, enumerable: false, configurable: true });
}

export function findServiceContext(scope: IConstruct): ServiceContext | undefined {
  for (const s of [...scope.node.scopes].reverse()) {
    const ctx = (s as unknown as Record<symbol, ServiceContext | undefined>)[SERVICE_CONTEXT];
    if (ctx) return ctx;
  }
  return undefined;
}
