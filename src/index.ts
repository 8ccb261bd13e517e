export * from './core';
export * from './slo';
export * from './dashboards';
export * from './services';
export * from './testing';
export * from './runbooks';
export * from './nag';
export * from './orr';
