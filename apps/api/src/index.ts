export { createApp } from './app';
export { startApi, type RunningApi } from './server';
export { createApiServices, type ApiServices } from './services';
