export * from './definitions';
export * from './cluster-metrics';
export * from './job-states';
export * from './webhook-failure';
