export { ServiceDashboard } from './service-dashboard';
export type { GoldenSignals, ServiceDashboardProps } from './service-dashboard';
export * from './operations-health';
