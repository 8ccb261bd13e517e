export * from './core';
export * from './slo';
export * from './testing';
