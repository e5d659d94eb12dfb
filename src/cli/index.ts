export { main, USAGE } from './main.ts';
export { serveCommand, SERVE_USAGE, type CreateEngine, type ServeEngineConfig, type ServeOptions } from './serveCommand.ts';
export { validateCommand, VALIDATE_USAGE, catalogErrors } from './validateCommand.ts';
export {
  loadConfig,
  configSchema,
  SETTINGS,
  CONFIG_FILE_ENV,
  DEFAULT_CONFIG_FILE,
  MEMORY,
  type ArgusConfig,
  type ConfigKey,
  type ConfigSources,
  type LoadedConfig,
} from './config.ts';
export { createLogger, type CliLogger, type LogLevel, type Output } from './logger.ts';
