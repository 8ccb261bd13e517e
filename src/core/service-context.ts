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
