import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

const SERVICE_CONTEXT = Symbol.for('cdk-operable.ServiceContext');

/**
 * What a service construct (OperableFunction, …) tells the SLOs, alarms and dashboards built inside it.
 * Internal: service L3s attach it with `attachServiceContext`, consumers read it with `findServiceContext`.
 */
export interface ServiceContext {
  readonly serviceName: string;
  /** Runbook for the service's alarms (URL or SSM document name). */
  readonly runbook?: string;
  /** Playbook for the service's alarms. */
  readonly playbook?: string;
  /** Dashboard URL; may be a lazy token resolved at synth. */
  readonly dashboardUrl?: string;
  /** Combines the page and ticket conditions of the service's SLOs into the service's composites. */
  readonly combiner?: SloCombiner;
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
