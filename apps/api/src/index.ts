export { createApp } from './app';
export { startApi, type RunningApi } from './server';
export { exitOnStartFailure } from './start-failure';
export { createApiServices, type ApiServices } from './services';
