export { startHttpServer } from './startHttpServer.ts';
export { argusRoutes, type ArgusRouteDeps, type BatchResult } from './argusRoutes.ts';
export { listRoutes, type ListRouteOptions } from './listRoutes.ts';
export type { ListService } from './ListService.ts';
export { Router, type RouteMatch } from './Router.ts';
export { HttpError } from './HttpError.ts';
export { readBody } from './readBody.ts';
export { errorReply, errorStatus, type ErrorBody } from './errorReply.ts';
export type {
  HttpEngine,
  HttpServer,
  HttpServerOptions,
  Logger,
  Reply,
  RequestContext,
  RouteAccess,
  RouteDefinition,
} from './types.ts';
