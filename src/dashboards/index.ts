export { ServiceDashboard } from './service-dashboard';
export type { ServiceDashboardProps } from './service-dashboard';
export * from './operations-health';
